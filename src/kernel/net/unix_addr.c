// SPDX-License-Identifier: GPL-2.0
/* AF_UNIX addresses in guest terms, and the names the monitor bound. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/random.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "kernel/net/unix.h"
#include "platform/platform.h"

/* --- addresses --- */

/*
 * The abstract namespace belongs to the host's network namespace, which
 * the guest shares: X11's and D-Bus's sockets live there.  Guest names get
 * a prefix of this run's on the host ("@name" becomes "@umbra-TAG-name"),
 * so guests reach each other and nothing of the host's.
 */
#define ABSTRACT_TAG_LEN 15	/* "umbra-xxxxxxxx-" */
static char abstract_tag[ABSTRACT_TAG_LEN + 1];

/* Also the tag of the run's message queues on the host (mqueue.c). */
const char *abstract_prefix(void)
{
	uint32_t r = 0;

	if (!abstract_tag[0]) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint32_t)getpid() * 2654435761u;
		snprintf(abstract_tag, sizeof(abstract_tag), "umbra-%08x-", r);
	}
	return abstract_tag;
}

bool addr_abstract(const struct uaddr *a)
{
	return a->len > SUN_OFF && a->sun.sun_family == AF_UNIX &&
	       !a->sun.sun_path[0];
}

static bool abstract_tagged(const struct uaddr *a)
{
	size_t n = a->len - SUN_OFF - 1;	/* the name after the NUL */

	return n >= ABSTRACT_TAG_LEN &&
	       !memcmp(a->sun.sun_path + 1, abstract_prefix(), ABSTRACT_TAG_LEN);
}

/*
 * A guest name too long to take the prefix (more than 92 bytes; a whole
 * sun_path of 107 is common: sizeof(struct sockaddr_un) as the length)
 * becomes "umbra-xxxxxxxx#" and 32 hex digits of a 128-bit hash of it,
 * which no short name's host form can be (those have "-" there).  The
 * monitor remembers the last LONG_NAMES of them to report them back.
 */
#define HASH_HEX	32
#define LONG_NAMES	256

static struct {
	char hex[HASH_HEX + 1];
	size_t n;
	char name[SUN_PATH_MAX];
} long_names[LONG_NAMES];
static unsigned int long_next;

static uint64_t fnv1a(const char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

static void long_name_to_host(struct uaddr *a, size_t n)
{
	char hex[HASH_HEX + 1], *name = a->sun.sun_path + 1;
	unsigned int k;

	snprintf(hex, sizeof(hex), "%016llx%016llx",
		 (unsigned long long)fnv1a(name, n, 0xcbf29ce484222325ULL),
		 (unsigned long long)fnv1a(name, n, 0x84222325cbf29ce4ULL));
	for (k = 0; k < LONG_NAMES; k++)
		if (!strcmp(long_names[k].hex, hex))
			break;
	if (k == LONG_NAMES) {
		k = long_next++ % LONG_NAMES;
		memcpy(long_names[k].hex, hex, sizeof(hex));
		long_names[k].n = n;
		memcpy(long_names[k].name, name, n);
	}
	memcpy(name, abstract_prefix(), ABSTRACT_TAG_LEN);
	name[ABSTRACT_TAG_LEN - 1] = '#';
	memcpy(name + ABSTRACT_TAG_LEN, hex, HASH_HEX);
	a->len = SUN_OFF + 1 + ABSTRACT_TAG_LEN + HASH_HEX;
}

static bool long_name_to_guest(struct uaddr *a)
{
	char *name = a->sun.sun_path + 1;

	if (a->len != SUN_OFF + 1 + ABSTRACT_TAG_LEN + HASH_HEX ||
	    memcmp(name, abstract_prefix(), ABSTRACT_TAG_LEN - 1) ||
	    name[ABSTRACT_TAG_LEN - 1] != '#')
		return false;
	for (unsigned int k = 0; k < LONG_NAMES; k++) {
		if (memcmp(long_names[k].hex, name + ABSTRACT_TAG_LEN, HASH_HEX))
			continue;
		memcpy(name, long_names[k].name, long_names[k].n);
		a->len = SUN_OFF + 1 + (socklen_t)long_names[k].n;
		return true;
	}
	return true;	/* forgotten: the host's name stays */
}

/*
 * A name that has the prefix already is one the guest was told by a
 * native call (recvmsg, a blocking accept): it names the same socket.
 */
long abstract_to_host(struct uaddr *a)
{
	size_t n = a->len - SUN_OFF - 1;	/* the name after the NUL */

	if (n > SUN_PATH_MAX - 1)
		return -EINVAL;		/* longer than a sockaddr_un: Linux's */
	if (abstract_tagged(a))
		return 0;
	if (n + 1 + ABSTRACT_TAG_LEN > SUN_PATH_MAX) {
		long_name_to_host(a, n);
		return 0;
	}
	memmove(a->sun.sun_path + 1 + ABSTRACT_TAG_LEN, a->sun.sun_path + 1, n);
	memcpy(a->sun.sun_path + 1, abstract_prefix(), ABSTRACT_TAG_LEN);
	a->len += ABSTRACT_TAG_LEN;
	return 0;
}

void abstract_to_guest(struct uaddr *a)
{
	size_t n = a->len - SUN_OFF - 1;

	if (long_name_to_guest(a) || !abstract_tagged(a))
		return;		/* (an autobound name: the kernel's own) */
	memmove(a->sun.sun_path + 1, a->sun.sun_path + 1 + ABSTRACT_TAG_LEN,
		n - ABSTRACT_TAG_LEN);
	a->len -= ABSTRACT_TAG_LEN;
}

/* move_addr_to_kernel(): the guest's address, copied once. */
long addr_copy(struct trap *t, uint64_t addr, uint64_t len,
	       struct uaddr *a)
{
	int l = (int)len;

	memset(&a->ss, 0, sizeof(a->ss));
	a->len = 0;
	if (l < 0 || l > (int)sizeof(a->ss))
		return -EINVAL;
	if (l && guest_read(t->task, addr, &a->ss, l))
		return -EFAULT;
	a->len = l;
	return addr_abstract(a) ? abstract_to_host(a) : 0;
}

/*
 * Does a name a filesystem path, by Linux's own test (unix_validate_addr,
 * then a non-NUL first byte)?  Then path gets it, NUL-terminated at the
 * address's end as unix_mkname_bsd() does.
 */
bool addr_path(const struct uaddr *a, char path[SUN_MAX])
{
	size_t n;

	if (a->len <= SUN_OFF || a->len > SUN_MAX ||
	    a->sun.sun_family != AF_UNIX || !a->sun.sun_path[0])
		return false;
	n = strnlen(a->sun.sun_path, a->len - SUN_OFF);
	memcpy(path, a->sun.sun_path, n);
	path[n] = '\0';
	return true;
}

/* An address as Linux stores a bound name: the path and its NUL. */
void addr_set_path(struct uaddr *a, const char *path)
{
	size_t n = strlen(path);

	memset(&a->ss, 0, sizeof(a->ss));
	a->sun.sun_family = AF_UNIX;
	memcpy(a->sun.sun_path, path, n);	/* n <= 108: fits the storage */
	a->len = SUN_OFF + n + 1;
}

/* The host's name for fd (name NULL) or for name in directory fd. */
void addr_proc(struct uaddr *a, int fd, const char *name)
{
	char buf[SUN_PATH_MAX];

	if (name)
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d/%s", fd, name);
	else
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	addr_set_path(a, buf);
}

/* move_addr_to_user(): a result address and its length to the guest. */
long put_addr(struct trap *t, uint64_t uaddr, uint64_t ulenp,
	      const struct uaddr *a)
{
	int len, klen = (int)a->len;

	if (guest_read(t->task, ulenp, &len, sizeof(len)))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && guest_write(t->task, uaddr, &a->ss, len))
		return -EFAULT;
	if (guest_write(t->task, ulenp, &klen, sizeof(klen)))
		return -EFAULT;
	return 0;
}

/* --- the names the monitor bound --- */

static struct uname *names;
static unsigned int nnames, names_gc_at = 64, names_seq;

/* A number for the next temporary name bind makes (net/unix.c). */
unsigned int names_next_seq(void)
{
	return ++names_seq;
}

struct uname *names_find(const char *host)
{
	struct uname *e;

	for (e = names; e; e = e->next)
		if (!strcmp(e->host, host))
			return e;
	return NULL;
}

static char *read_all(const char *path, size_t *len)
{
	size_t size = 1 << 16, n = 0;
	char *buf = malloc(size), *nb;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf)
		goto fail;
	while ((r = read(fd, buf + n, size - n)) > 0) {
		n += r;
		if (n == size) {
			nb = realloc(buf, size *= 2);
			if (!nb)
				goto fail;
			buf = nb;
		}
	}
	if (r < 0)
		goto fail;
	close(fd);
	*len = n;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/*
 * Forget the names no socket holds any more: a name lives as long as the
 * bound socket or a connection accepted from it, and all of those are
 * listed, with it, in /proc/net/unix.  A line forged with an abstract
 * name can only keep an entry alive, never drop one.
 */
static void names_gc(void)
{
	struct uname **pp = &names, *e;
	char needle[SUN_PATH_MAX + 2];
	size_t len, n;
	char *buf = read_all("/proc/net/unix", &len);

	if (!buf)
		return;
	while ((e = *pp)) {
		n = snprintf(needle, sizeof(needle), " %s\n", e->host);
		if (memmem(buf, len, needle, n)) {
			pp = &e->next;
			continue;
		}
		*pp = e->next;
		free(e->gpath);
		free(e);
		nnames--;
	}
	free(buf);
	names_gc_at = nnames * 2 > 64 ? nnames * 2 : 64;
}

void names_add(const char *host, const char *guest, const char *gpath,
	       const struct stat *st)
{
	struct uname *e;

	if (nnames >= names_gc_at)
		names_gc();
	e = calloc(1, sizeof(*e));
	if (!e || !(e->gpath = strdup(gpath))) {
		free(e);
		return;		/* then reported unnamed */
	}
	snprintf(e->host, sizeof(e->host), "%s", host);
	snprintf(e->guest, sizeof(e->guest), "%s", guest);
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->next = names;
	names = e;
	nnames++;
}

/*
 * What the guest sees of an address the host reported: a path becomes the
 * name the guest bound, or the guest path of a host path in the view, or
 * else an unnamed address (unnamed_len: 2 as getname reports it, 0 as
 * recvfrom does).  Anything that is no path is already right.
 */
void addr_to_guest(struct trap *t, const struct uaddr *h,
		   struct uaddr *g, socklen_t unnamed_len)
{
	char path[SUN_MAX], gpath[PATH_MAX];
	const struct uname *e;
	const char *vis;

	*g = *h;
	if (addr_abstract(g)) {
		abstract_to_guest(g);
		return;
	}
	if (h->len < sizeof(sa_family_t) || h->sa.sa_family != AF_UNIX ||
	    !addr_path(h, path))
		return;
	e = names_find(path);
	if (e) {
		addr_set_path(g, e->guest);
		return;
	}
	if (path[0] == '/' && host_to_guest(path, gpath, sizeof(gpath)) &&
	    (vis = vfs_visible(t->task, gpath)) && strlen(vis) <= SUN_PATH_MAX) {
		addr_set_path(g, vis);
		return;
	}
	memset(&g->ss, 0, sizeof(g->ss));
	g->sun.sun_family = AF_UNIX;
	g->len = unnamed_len;
}

