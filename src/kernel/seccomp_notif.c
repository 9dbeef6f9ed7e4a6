// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's seccomp user notifications.  The host allows one listener per
 * filter chain and umbra's filter holds it (the host answers a guest's
 * SECCOMP_FILTER_FLAG_NEW_LISTENER with EBUSY), so the guest kernel
 * keeps the guest's listener:
 *
 *  - The guest's program is installed on the host with every constant
 *    SECCOMP_RET_USER_NOTIF turned into SECCOMP_RET_TRACE with a mark
 *    naming the listener; its ERRNO, TRAP, KILL and the rest act natively
 *    as before.  A call that then stops the monitor with that mark is held
 *    in its host seccomp stop as a notification.
 *  - umbra's own USER_NOTIF outranks that TRACE, so for the calls umbra
 *    answers by user notification the monitor runs the guest's program
 *    itself (seccomp_bpf.c) and keeps the host's notification unanswered
 *    while the guest's supervisor has it.
 *  - The listener fd is an eventfd the guest makes (injected after its
 *    seccomp call); it is readable while a notification waits, so poll
 *    and epoll work.  Its ioctls (RECV, SEND, ID_VALID, ADDFD, SET_FLAGS)
 *    are the guest kernel's.  A RECV with nothing waiting waits in a
 *    ppoll of the eventfd.
 *  - The supervisor's answer: a value or an error is the call's result;
 *    SECCOMP_USER_NOTIF_FLAG_CONTINUE lets the call go on to umbra's own
 *    handling, as if the guest's filter had allowed it.
 *
 * Differs from Linux: a USER_NOTIF returned from the A register (not a
 * constant) is not seen (the host then fails the call with ENOSYS); a
 * notified task that takes a signal is not withdrawn until the
 * supervisor answers; closing the listener does not fail what waits.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcmp.h>
#include "kernel/fs/vfs.h"
#include "kernel/seccomp_notif.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define PROG_MAX	BPF_MAXINSNS
#define ERRESTARTNOHAND_ 514
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#define RECV_SLOT	1024		/* below the stack, for the ppoll */

struct gnotif {
	uint64_t id;
	struct task *task;	/* NULL once it is gone */
	struct seccomp_data data;
	bool received;
	bool host;		/* waits in the host's notification */
	struct seccomp_notif req;	/* ... which is this */
	struct gnotif *next;
};

static struct listener {
	bool used;
	int efd;		/* the monitor's copy of the guest's eventfd */
	uint64_t next_id;
	struct gnotif *q;
} lst[GNOTIF_MAX];

struct gfilter *gfilter_get(struct gfilter *f)
{
	if (f)
		f->refs++;
	return f;
}

void gfilter_put(struct gfilter *f)
{
	if (!f || --f->refs > 0)
		return;
	lst[f->listener].used = false;	/* its last filter: the listener */
	if (lst[f->listener].efd >= 0)
		close(lst[f->listener].efd);
	lst[f->listener].efd = -1;
	while (lst[f->listener].q) {
		struct gnotif *n = lst[f->listener].q;

		lst[f->listener].q = n->next;
		free(n);
	}
	free(f->insns);
	free(f);
}

/* The eventfd says "something waits" exactly while something does. */
static void ready_update(struct listener *l)
{
	uint64_t v = 1;
	bool waiting = false;

	for (struct gnotif *n = l->q; n; n = n->next)
		waiting |= !n->received && n->task;
	if (l->efd < 0)
		return;
	/* the fd is non-blocking: reading 0 is EAGAIN, never a wait */
	(void)!read(l->efd, &v, sizeof(v));
	v = 1;
	if (waiting)
		(void)!write(l->efd, &v, sizeof(v));
}

static struct gnotif *queue(struct listener *l, struct task *t,
			    const struct seccomp_data *d)
{
	struct gnotif *n = calloc(1, sizeof(*n)), **pp;

	if (!n)
		return NULL;
	n->id = ++l->next_id;
	n->task = t;
	n->data = *d;
	for (pp = &l->q; *pp; pp = &(*pp)->next)
		;
	*pp = n;
	ready_update(l);
	return n;
}

/* ---- installing -------------------------------------------------------- */

/* The listener's fd, made by the guest itself: now the monitor's too. */
static void listener_made(struct trap *t, long *result, long fd)
{
	int i = (int)t->saved[2];

	if (fd < 0) {
		*result = fd;
		return;
	}
	lst[i].efd = fd_take(t->task, (int)fd);
	*result = fd;
}

/* The filter is in: the task's chain gets it, then the eventfd is made. */
static void installed(struct trap *t, long *result)
{
	struct gfilter *f = (struct gfilter *)t->saved[1];
	struct task *w;

	if (*result < 0) {
		gfilter_put(f);
		return;
	}
	for_each_task(w) {
		if (!seccomp_filter_reaches(t->task, w, t->saved[0]))
			continue;
		gfilter_put(w->gfilter);
		w->gfilter = gfilter_get(f);
		w->seccomp_mode = SECCOMP_MODE_FILTER;
	}
	gfilter_put(f);		/* the install's own reference */
	t->inject_nr = __NR_eventfd2;
	t->inject_args[0] = 0;
	t->inject_args[1] = EFD_CLOEXEC | EFD_NONBLOCK;
	t->inject_args[2] = 0;
	t->inject_fn = listener_made;
	t->saved[2] = (uint64_t)f->listener;
}

static int listener_alloc(void)
{
	for (int i = 0; i < GNOTIF_MAX; i++)
		if (!lst[i].used) {
			lst[i] = (struct listener){ .used = true, .efd = -1 };
			return i;
		}
	return -1;
}

/* USER_NOTIF constants become TRACE with the listener's mark. */
static void rewrite(struct sock_filter *f, unsigned int len, int listener)
{
	for (unsigned int i = 0; i < len; i++)
		if (f[i].code == (BPF_RET | BPF_K) &&
		    (f[i].k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
			f[i].k = SECCOMP_RET_TRACE | (GNOTIF_MARK + listener);
}

long gnotif_install(struct trap *t, uint64_t flags, uint64_t uprog)
{
	struct sock_fprog fp;
	struct gfilter *f;
	uint64_t at;
	size_t size;
	int i;

	if (t->task->gfilter)
		return -EBUSY;		/* one listener in a chain, as Linux */
	if (guest_read(t->task, uprog, &fp, sizeof(fp)))
		return -EFAULT;
	if (!fp.len || fp.len > PROG_MAX)
		return -EINVAL;
	size = fp.len * sizeof(struct sock_filter);
	f = calloc(1, sizeof(*f));
	if (f)
		f->insns = malloc(size);
	if (!f || !f->insns) {
		free(f);
		return -ENOMEM;
	}
	i = listener_alloc();
	if (i < 0 || guest_read(t->task, (uint64_t)fp.filter, f->insns, size)) {
		free(f->insns);
		free(f);
		return i < 0 ? -EBUSY : -EFAULT;
	}
	*f = (struct gfilter){ f->insns, fp.len, i, 1 };
	/* the host gets the rewritten copy, below the caller's stack */
	at = guest_scratch(t, size + sizeof(fp) + 16);
	rewrite(f->insns, fp.len, i);
	fp.filter = (struct sock_filter *)((at + sizeof(fp) + 15) & ~15ULL);
	if (!at || guest_write(t->task, (uint64_t)fp.filter, f->insns, size) ||
	    guest_write(t->task, at, &fp, sizeof(fp))) {
		gfilter_put(f);
		return -EFAULT;
	}
	/* ours keeps the guest's own actions, for the notified calls */
	for (unsigned int k = 0; k < fp.len; k++)
		if (f->insns[k].k == (SECCOMP_RET_TRACE | (GNOTIF_MARK + i)) &&
		    f->insns[k].code == (BPF_RET | BPF_K))
			f->insns[k].k = SECCOMP_RET_USER_NOTIF;
	trap_set_arg(t, 1, flags & ~(uint64_t)(SECCOMP_FILTER_FLAG_NEW_LISTENER |
					 SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV));
	trap_set_arg(t, 2, at);
	t->saved[0] = flags;
	t->saved[1] = (uint64_t)f;
	return trap_native_then(t, installed);
}

/* ---- notifications ----------------------------------------------------- */

/* The guest's verdict for d: the listener it notifies, or -1. */
static int notifies(const struct task *t, const struct seccomp_data *d)
{
	const struct gfilter *f = t->gfilter;
	uint32_t r;

	if (!f || !lst[f->listener].used || lst[f->listener].efd < 0)
		return -1;
	r = seccomp_bpf_run(f->insns, f->len, d);
	return (r & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF ?
	       f->listener : -1;
}

/* A ptrace seccomp stop with a listener's mark: held as a notification. */
bool gnotif_ptrace_stop(struct task *t, unsigned long data,
			const struct seccomp_data *d)
{
	unsigned int i = (unsigned int)data - GNOTIF_MARK;

	if (data < GNOTIF_MARK || i >= GNOTIF_MAX || !lst[i].used ||
	    lst[i].efd < 0 || !t->gfilter || t->gfilter->listener != (int)i)
		return false;
	return queue(&lst[i], t, d) != NULL;
}

/* A host notification of a call umbra answers: the guest's, if it asks. */
bool gnotif_notify(struct task *t, const struct seccomp_notif *req)
{
	int i = notifies(t, &req->data);
	struct gnotif *n;

	if (i < 0)
		return false;
	n = queue(&lst[i], t, &req->data);
	if (!n)
		return false;
	n->host = true;
	n->req = *req;
	return true;
}

void gnotif_task_gone(struct task *t)
{
	for (int i = 0; i < GNOTIF_MAX; i++) {
		if (!lst[i].used)
			continue;
		for (struct gnotif *n = lst[i].q; n; n = n->next)
			if (n->task == t)
				n->task = NULL;
		ready_update(&lst[i]);
	}
	gfilter_put(t->gfilter);
	t->gfilter = NULL;
}

/* ---- the listener's ioctls --------------------------------------------- */

static struct listener *listener_of(struct trap *t, int fd)
{
	int hfd = fd_take(t->task, fd);
	struct listener *l = NULL;
	pid_t me = getpid();

	if (hfd < 0)
		return NULL;
	for (int i = 0; i < GNOTIF_MAX && !l; i++)
		if (lst[i].used && lst[i].efd >= 0 &&
		    !syscall(SYS_kcmp, me, me, KCMP_FILE, hfd, lst[i].efd))
			l = &lst[i];
	close(hfd);
	return l;
}

static struct gnotif *find(struct listener *l, uint64_t id, bool unlink)
{
	for (struct gnotif **pp = &l->q; *pp; pp = &(*pp)->next) {
		struct gnotif *n = *pp;

		if (n->id != id)
			continue;
		if (unlink)
			*pp = n->next;
		return n;
	}
	return NULL;
}

static void recv_exit(struct trap *t, long *result);

static long notif_recv(struct trap *t, struct listener *l)
{
	struct seccomp_notif out;
	struct pollfd pfd;
	uint64_t at;

	for (struct gnotif *n = l->q; n; n = n->next) {
		if (n->received || !n->task)
			continue;
		memset(&out, 0, sizeof(out));
		out.id = n->id;
		out.pid = n->task->vtid;
		out.data = n->data;
		if (guest_write(t->task, t->args[2], &out, sizeof(out)))
			return -EFAULT;
		n->received = true;
		ready_update(l);
		return 0;
	}
	/* nothing yet: wait in a ppoll of the guest's own eventfd */
	at = guest_scratch(t, RECV_SLOT);
	pfd = (struct pollfd){ .fd = (int)t->args[0], .events = POLLIN };
	if (!at || guest_write(t->task, at, &pfd, sizeof(pfd)))
		return -EFAULT;
	t->saved[3] = (uint64_t)(l - lst);
	trap_set_arg(t, 0, at);
	trap_set_arg(t, 1, 1);
	trap_set_arg(t, 2, 0);
	trap_set_arg(t, 3, 0);
	t->nr = __NR_ppoll;
	t->nr_changed = true;
	return trap_native_then(t, recv_exit);
}

/* The ppoll ended: RECV again, as the guest asked (or EINTR). */
static void recv_exit(struct trap *t, long *result)
{
	t->nr = __NR_ioctl;
	if (*result == -ERRESTARTNOHAND_ || *result == -EINTR)
		*result = -EINTR;
	else
		t->restart_nr = __NR_ioctl;
}

static long notif_send(struct trap *t, struct listener *l)
{
	struct seccomp_notif_resp r;
	struct gnotif *n;
	bool cont;

	if (guest_read(t->task, t->args[2], &r, sizeof(r)))
		return -EFAULT;
	cont = r.flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if ((r.flags & ~SECCOMP_USER_NOTIF_FLAG_CONTINUE) ||
	    (cont && (r.error || r.val)) || r.error > 0 || r.error < -4095)
		return -EINVAL;
	n = find(l, r.id, false);
	if (!n || !n->received)
		return -ENOENT;
	find(l, r.id, true);
	if (!n->task) {
		free(n);
		return -ENOENT;
	}
	if (n->host) {
		host_notif_answer(&n->req, r.error ? r.error : r.val, cont);
	} else if (cont) {
		/* on to umbra's own part of the call, as after a guest's TRACE */
		n->task->gp.seccomp_held = true;
		host_tracee_resume(n->task, 0);
	} else {
		host_tracee_return(n->task, r.error ? r.error : r.val);
	}
	free(n);
	return 0;
}

static long addfd(struct trap *t, struct listener *l)
{
	struct seccomp_notif_addfd a;
	struct gnotif *n;
	long ret;
	int src;

	if (guest_read(t->task, t->args[2], &a, sizeof(a)))
		return -EFAULT;
	n = find(l, a.id, false);
	if (!n || !n->received || !n->task)
		return -ENOENT;
	if (!n->host)
		return -EOPNOTSUPP;	/* a call held at a ptrace stop */
	src = fd_take(t->task, (int)a.srcfd);
	if (src < 0)
		return src;
	a.id = n->req.id;
	a.srcfd = (uint32_t)src;
	ret = host_notif_addfd(&a);
	close(src);
	if (ret >= 0 && (a.flags & SECCOMP_ADDFD_FLAG_SEND)) {
		find(l, n->id, true);
		free(n);
	}
	return ret;
}

long gnotif_ioctl(struct trap *t, bool *mine)
{
	unsigned int cmd = (unsigned int)t->args[1];
	struct listener *l;
	struct gnotif *n;
	uint64_t id;

	*mine = false;
	if (_IOC_TYPE(cmd) != SECCOMP_IOC_MAGIC)
		return 0;
	l = listener_of(t, (int)t->args[0]);
	if (!l)
		return 0;
	*mine = true;
	switch (cmd) {
	case SECCOMP_IOCTL_NOTIF_RECV:
		return notif_recv(t, l);
	case SECCOMP_IOCTL_NOTIF_SEND:
		return notif_send(t, l);
	case SECCOMP_IOCTL_NOTIF_ID_VALID:
		if (guest_read(t->task, t->args[2], &id, sizeof(id)))
			return -EFAULT;
		n = find(l, id, false);
		return n && n->task ? 0 : -ENOENT;
	case SECCOMP_IOCTL_NOTIF_ADDFD:
		return addfd(t, l);
	case SECCOMP_IOCTL_NOTIF_SET_FLAGS:
		return 0;	/* SYNC_WAKE_UP: a hint */
	default:
		return -EINVAL;
	}
}
