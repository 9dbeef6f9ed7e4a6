// SPDX-License-Identifier: GPL-2.0
/*
 * The id and capability calls, with Linux's rules (kernel/sys.c,
 * security/commoncap.c) applied to the guest's credentials: who may set
 * which id, the saved-id rules, what a uid change does to capabilities,
 * the bounding and ambient sets.  Nothing is asked of the host: a guest
 * dropping to nobody leaves the host process as it was.
 *
 * Differs from Linux: no user namespaces (every id is valid but -1), and
 * the host's permission checks still apply to files (the guest's own
 * checks are the next step).
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "kernel/cred.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define NGROUPS_MAX_	65536
#define INVALID		((uid_t)-1)
/* What fsuid 0 gives and takes (Linux's CAP_FS_MASK). */
#define CAP_FS_MASK	((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | \
			 (1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_FOWNER) | \
			 (1ULL << CAP_FSETID) | (1ULL << CAP_LINUX_IMMUTABLE) | \
			 (1ULL << CAP_MAC_OVERRIDE))

/*
 * Every capability this kernel knows, less those the host dropped from
 * umbra's own bounding set: a guest root cannot have what no process of
 * this session can (a container without CAP_SYS_RESOURCE stays without).
 */
uint64_t cap_full(void)
{
	static int last = -1;
	static uint64_t bnd = ~0ULL;
	char line[128];
	FILE *f;

	if (last >= 0)
		return (last == 63 ? ~0ULL : (1ULL << (last + 1)) - 1) & bnd;
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (!f || fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
		last = CAP_LAST_CAP;
	if (f)
		fclose(f);
	f = fopen("/proc/self/status", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapBnd: %" SCNx64, &bnd) == 1)
			break;
	if (f)
		fclose(f);
	return cap_full();
}

static int cmp_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

void cred_init(struct cred *c)
{
	const struct kuser *u = &kconfig.user;
	gid_t *g = calloc(u->ngroups ? u->ngroups : 1, sizeof(*g));

	memset(c, 0, sizeof(*c));
	c->uid = c->euid = c->suid = c->fsuid = u->uid;
	c->gid = c->egid = c->sgid = c->fsgid = u->gid;
	if (g) {
		memcpy(g, u->groups, u->ngroups * sizeof(*g));
		qsort(g, u->ngroups, sizeof(*g), cmp_gid);
		c->groups = g;
		c->ngroups = u->ngroups;
	}
	c->cap_bset = cap_full();
	if (u->uid == 0)	/* root, as Linux's init: every capability */
		c->cap_prm = c->cap_eff = c->cap_bset;
}

bool cred_copy(struct cred *dst, const struct cred *src)
{
	*dst = *src;
	dst->groups = NULL;
	if (!src->ngroups)
		return true;
	dst->groups = malloc(src->ngroups * sizeof(gid_t));
	if (!dst->groups)
		return false;
	memcpy(dst->groups, src->groups, src->ngroups * sizeof(gid_t));
	return true;
}

void cred_free(struct cred *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

/*
 * Linux's cap_bprm_creds_from_file for a file without capabilities: root
 * (ruid or euid 0) gets its bounding set, effective if euid is 0; anyone
 * else keeps only the ambient set.  The saved and fs ids become the
 * effective ones.
 */
void cred_exec(struct cred *c)
{
	if ((c->uid == 0 || c->euid == 0) &&
	    !(c->securebits & SECBIT_NOROOT)) {
		c->cap_prm = c->cap_bset | c->cap_inh;
		c->cap_eff = c->euid == 0 ? c->cap_prm : c->cap_amb;
	} else {
		c->cap_prm = c->cap_amb;
		c->cap_eff = c->cap_amb;
	}
	c->suid = c->euid;
	c->fsuid = c->euid;
	c->sgid = c->egid;
	c->fsgid = c->egid;
	c->keepcaps = false;
}

bool cred_capable(const struct cred *c, int cap)
{
	return c->cap_eff & (1ULL << cap);
}

bool cred_in_group(const struct cred *c, gid_t gid)
{
	if (gid == c->fsgid)
		return true;
	return c->ngroups && bsearch(&gid, c->groups, c->ngroups,
				     sizeof(gid_t), cmp_gid);
}

static struct cred *cur(struct trap *t)
{
	return &t->task->cred;
}

long sys_getuid(struct trap *t) { return cur(t)->uid; }
long sys_geteuid(struct trap *t) { return cur(t)->euid; }
long sys_getgid(struct trap *t) { return cur(t)->gid; }
long sys_getegid(struct trap *t) { return cur(t)->egid; }

static long put_three(struct trap *t, uint32_t a, uint32_t b, uint32_t c)
{
	if (guest_write(t->task, t->args[0], &a, 4) ||
	    guest_write(t->task, t->args[1], &b, 4) ||
	    guest_write(t->task, t->args[2], &c, 4))
		return -EFAULT;
	return 0;
}

long sys_getresuid(struct trap *t)
{
	return put_three(t, cur(t)->uid, cur(t)->euid, cur(t)->suid);
}

long sys_getresgid(struct trap *t)
{
	return put_three(t, cur(t)->gid, cur(t)->egid, cur(t)->sgid);
}

long sys_getgroups(struct trap *t)
{
	int size = (int)t->args[0];
	const struct cred *c = cur(t);

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (c->ngroups && guest_write(t->task, t->args[1], c->groups,
				      c->ngroups * sizeof(gid_t)))
		return -EFAULT;
	return c->ngroups;
}

long sys_setgroups(struct trap *t)
{
	long size = (long)(int)t->args[0];
	struct cred *c = cur(t);
	gid_t *g = NULL;

	if (!cred_capable(c, CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX_)
		return -EINVAL;
	if (size) {
		g = malloc(size * sizeof(*g));
		if (!g)
			return -ENOMEM;
		if (guest_read(t->task, t->args[1], g, size * sizeof(*g))) {
			free(g);
			return -EFAULT;
		}
		qsort(g, size, sizeof(*g), cmp_gid);
	}
	free(c->groups);
	c->groups = g;
	c->ngroups = (int)size;
	return 0;
}

/* security/commoncap.c: what a uid change does to capabilities. */
static void fix_setuid(struct cred *n, const struct cred *old)
{
	bool was_root = !old->uid || !old->euid || !old->suid;

	if (n->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (was_root && n->uid && n->euid && n->suid) {
		if (!n->keepcaps)
			n->cap_prm = n->cap_eff = 0;
		n->cap_amb = 0;
	}
	if (!old->euid && n->euid)
		n->cap_eff = 0;
	if (old->euid && !n->euid)
		n->cap_eff = n->cap_prm;
	if (!old->fsuid && n->fsuid)
		n->cap_eff &= ~CAP_FS_MASK;
	if (old->fsuid && !n->fsuid)
		n->cap_eff |= n->cap_prm & CAP_FS_MASK;
}

static long commit_uids(struct trap *t, const struct cred *n)
{
	struct cred *c = cur(t), old = *c;

	c->uid = n->uid;
	c->euid = n->euid;
	c->suid = n->suid;
	c->fsuid = n->fsuid;
	fix_setuid(c, &old);
	return 0;
}

static bool is_one_of(uid_t v, const struct cred *c)
{
	return v == c->uid || v == c->euid || v == c->suid;
}

static bool gid_one_of(gid_t v, const struct cred *c)
{
	return v == c->gid || v == c->egid || v == c->sgid;
}

long sys_setuid(struct trap *t)
{
	uid_t uid = (uid_t)t->args[0];
	struct cred n = *cur(t);

	if (uid == INVALID)
		return -EINVAL;
	if (cred_capable(&n, CAP_SETUID))
		n.uid = n.suid = uid;
	else if (uid != n.uid && uid != n.suid)
		return -EPERM;
	n.euid = n.fsuid = uid;
	return commit_uids(t, &n);
}

long sys_setreuid(struct trap *t)
{
	uid_t ruid = (uid_t)t->args[0], euid = (uid_t)t->args[1];
	const struct cred *c = cur(t);
	bool cap = cred_capable(c, CAP_SETUID);
	struct cred n = *c;

	if (ruid != INVALID) {
		if (ruid != c->uid && ruid != c->euid && !cap)
			return -EPERM;
		n.uid = ruid;
	}
	if (euid != INVALID) {
		if (!is_one_of(euid, c) && !cap)
			return -EPERM;
		n.euid = euid;
	}
	if (ruid != INVALID || (euid != INVALID && euid != c->uid))
		n.suid = n.euid;
	n.fsuid = n.euid;
	return commit_uids(t, &n);
}

long sys_setresuid(struct trap *t)
{
	uid_t r = (uid_t)t->args[0], e = (uid_t)t->args[1], s = (uid_t)t->args[2];
	const struct cred *c = cur(t);
	struct cred n = *c;

	if (!cred_capable(c, CAP_SETUID) &&
	    ((r != INVALID && !is_one_of(r, c)) ||
	     (e != INVALID && !is_one_of(e, c)) ||
	     (s != INVALID && !is_one_of(s, c))))
		return -EPERM;
	if (r != INVALID)
		n.uid = r;
	if (e != INVALID)
		n.euid = e;
	if (s != INVALID)
		n.suid = s;
	n.fsuid = n.euid;
	return commit_uids(t, &n);
}

/* Always the old fsuid; changed when allowed. */
long sys_setfsuid(struct trap *t)
{
	uid_t uid = (uid_t)t->args[0];
	struct cred *c = cur(t), n = *c;
	uid_t old = c->fsuid;

	if (uid != INVALID && (is_one_of(uid, c) || uid == c->fsuid ||
			       cred_capable(c, CAP_SETUID)) && uid != old) {
		n.fsuid = uid;
		commit_uids(t, &n);
	}
	return old;
}

long sys_setgid(struct trap *t)
{
	gid_t gid = (gid_t)t->args[0];
	struct cred *c = cur(t);

	if (gid == INVALID)
		return -EINVAL;
	if (cred_capable(c, CAP_SETGID))
		c->gid = c->sgid = gid;
	else if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = gid;
	return 0;
}

long sys_setregid(struct trap *t)
{
	gid_t rgid = (gid_t)t->args[0], egid = (gid_t)t->args[1];
	struct cred *c = cur(t), n = *c;
	bool cap = cred_capable(c, CAP_SETGID);

	if (rgid != INVALID) {
		if (rgid != c->gid && rgid != c->egid && !cap)
			return -EPERM;
		n.gid = rgid;
	}
	if (egid != INVALID) {
		if (!gid_one_of(egid, c) && !cap)
			return -EPERM;
		n.egid = egid;
	}
	if (rgid != INVALID || (egid != INVALID && egid != c->gid))
		n.sgid = n.egid;
	c->gid = n.gid;
	c->egid = n.egid;
	c->sgid = n.sgid;
	c->fsgid = n.egid;
	return 0;
}

long sys_setresgid(struct trap *t)
{
	gid_t r = (gid_t)t->args[0], e = (gid_t)t->args[1], s = (gid_t)t->args[2];
	struct cred *c = cur(t);

	if (!cred_capable(c, CAP_SETGID) &&
	    ((r != INVALID && !gid_one_of(r, c)) ||
	     (e != INVALID && !gid_one_of(e, c)) ||
	     (s != INVALID && !gid_one_of(s, c))))
		return -EPERM;
	if (r != INVALID)
		c->gid = r;
	if (e != INVALID)
		c->egid = e;
	if (s != INVALID)
		c->sgid = s;
	c->fsgid = c->egid;
	return 0;
}

long sys_setfsgid(struct trap *t)
{
	gid_t gid = (gid_t)t->args[0];
	struct cred *c = cur(t);
	gid_t old = c->fsgid;

	if (gid != INVALID && (gid_one_of(gid, c) || gid == c->fsgid ||
			       cred_capable(c, CAP_SETGID)))
		c->fsgid = gid;
	return old;
}

/* Linux's cap_validate_magic: how many 32-bit words, or the version put. */
static long cap_words(struct trap *t, struct __user_cap_header_struct *h)
{
	if (guest_read(t->task, t->args[0], h, sizeof(*h)))
		return -EFAULT;
	switch (h->version) {
	case _LINUX_CAPABILITY_VERSION_1:
		return 1;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		return 2;
	}
	h->version = _LINUX_CAPABILITY_VERSION_3;
	if (guest_write(t->task, t->args[0], h, sizeof(*h)))
		return -EFAULT;
	return -EINVAL;
}

long sys_capget(struct trap *t)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];
	const struct cred *c;
	long n = cap_words(t, &h);
	struct task *target = t->task;

	if (!t->args[1] || n < 0)
		return !t->args[1] && n == -EINVAL ? 0 : n;
	if (h.pid < 0)
		return -EINVAL;
	if (h.pid && h.pid != t->task->vtid) {
		target = task_by_vtid(h.pid);
		if (!target)
			return -ESRCH;
	}
	c = &target->cred;
	for (int i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(c->cap_eff >> (32 * i));
		d[i].permitted = (uint32_t)(c->cap_prm >> (32 * i));
		d[i].inheritable = (uint32_t)(c->cap_inh >> (32 * i));
	}
	return guest_write(t->task, t->args[1], d, n * sizeof(d[0])) ?
	       -EFAULT : 0;
}

static bool subset(uint64_t a, uint64_t b)
{
	return !(a & ~b);
}

long sys_capset(struct trap *t)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2] = { 0 };
	struct cred *c = cur(t);
	uint64_t eff, prm, inh;
	long n = cap_words(t, &h);

	if (n < 0)
		return n;
	if (h.pid && h.pid != t->task->vtid)
		return -EPERM;
	if (guest_read(t->task, t->args[1], d, n * sizeof(d[0])))
		return -EFAULT;
	eff = d[0].effective | (uint64_t)d[1].effective << 32;
	prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	eff &= cap_full();
	prm &= cap_full();
	inh &= cap_full();
	if (!cred_capable(c, CAP_SETPCAP) &&
	    !subset(inh, c->cap_inh | c->cap_prm))
		return -EPERM;
	if (!subset(inh, c->cap_inh | c->cap_bset) ||
	    !subset(prm, c->cap_prm) || !subset(eff, prm))
		return -EPERM;
	c->cap_eff = eff;
	c->cap_prm = prm;
	c->cap_inh = inh;
	c->cap_amb &= prm & inh;
	return 0;
}

static bool cap_ok(unsigned long cap)
{
	return cap < 64 && (cap_full() & (1ULL << cap));
}

/*
 * PR_SET_SECUREBITS, as commoncap.c: CAP_SETPCAP, no locked bit changed,
 * no lock undone.  Only the bits of Linux 4.3 are known (NOROOT,
 * NO_SETUID_FIXUP, KEEP_CAPS, NO_CAP_AMBIENT_RAISE): the exec ones of
 * 6.14 are EPERM, as from a kernel without them.
 */
static long set_securebits(struct cred *c, unsigned long bits)
{
	unsigned long old = c->securebits | (c->keepcaps ? SECBIT_KEEP_CAPS : 0);

	if ((((old & SECURE_ALL_LOCKS) >> 1) & (old ^ bits)) ||
	    (old & SECURE_ALL_LOCKS & ~bits) ||
	    (bits & ~(unsigned long)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) ||
	    !cred_capable(c, CAP_SETPCAP))
		return -EPERM;
	c->keepcaps = bits & SECBIT_KEEP_CAPS;
	c->securebits = (unsigned int)bits & ~SECBIT_KEEP_CAPS;
	return 0;
}

static long ambient_raise(struct cred *c, unsigned long cap)
{
	if (!(c->cap_prm & c->cap_inh & (1ULL << cap)) ||
	    (c->securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
		return -EPERM;
	c->cap_amb |= 1ULL << cap;
	return 0;
}

/* prctl's capability commands: 1 taken (result in *ret), 0 not ours. */
int cred_prctl(struct trap *t, long *ret)
{
	struct cred *c = cur(t);
	unsigned long a2 = t->args[1], a3 = t->args[2];

	switch ((int)t->args[0]) {
	case PR_GET_KEEPCAPS:
		*ret = c->keepcaps;
		return 1;
	case PR_SET_KEEPCAPS:
		*ret = a2 > 1 ? -EINVAL :
		       (c->securebits & SECBIT_KEEP_CAPS_LOCKED) ? -EPERM : 0;
		if (!*ret)
			c->keepcaps = a2;
		return 1;
	case PR_SET_NO_NEW_PRIVS:
		*ret = a2 != 1 || a3 || t->args[3] || t->args[4] ? -EINVAL : 0;
		if (!*ret)
			c->no_new_privs = true;
		return 1;
	case PR_GET_NO_NEW_PRIVS:
		*ret = a2 || a3 || t->args[3] || t->args[4] ? -EINVAL :
		       c->no_new_privs;
		return 1;
	case PR_GET_SECUREBITS:
		*ret = c->securebits | (c->keepcaps ? SECBIT_KEEP_CAPS : 0);
		return 1;
	case PR_SET_SECUREBITS:
		*ret = set_securebits(c, a2);
		return 1;
	case PR_CAPBSET_READ:
		*ret = cap_ok(a2) ? !!(c->cap_bset & (1ULL << a2)) : -EINVAL;
		return 1;
	case PR_CAPBSET_DROP:
		if (!cap_ok(a2))
			*ret = -EINVAL;
		else if (!cred_capable(c, CAP_SETPCAP))
			*ret = -EPERM;
		else
			c->cap_bset &= ~(1ULL << a2), *ret = 0;
		return 1;
	case PR_CAP_AMBIENT:
		if (a2 == PR_CAP_AMBIENT_CLEAR_ALL) {
			*ret = a3 ? -EINVAL : 0;
			if (!a3)
				c->cap_amb = 0;
			return 1;
		}
		if (!cap_ok(a3)) {
			*ret = -EINVAL;
			return 1;
		}
		if (a2 == PR_CAP_AMBIENT_IS_SET) {
			*ret = !!(c->cap_amb & (1ULL << a3));
		} else if (a2 == PR_CAP_AMBIENT_LOWER) {
			c->cap_amb &= ~(1ULL << a3);
			*ret = 0;
		} else if (a2 == PR_CAP_AMBIENT_RAISE) {
			*ret = ambient_raise(c, a3);
		} else {
			*ret = -EINVAL;
		}
		return 1;
	}
	return 0;
}
