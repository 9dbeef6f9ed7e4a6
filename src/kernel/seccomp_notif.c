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
 * Linux withdraws a notification whose task takes a signal, and fails
 * what waits when the listener's last fd closes: the watcher looks for
 * both (gnotif_watch()).  Differs from Linux: ADDFD for a call held at a
 * ptrace stop (one the host runs) is EOPNOTSUPP.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcmp.h>
#include "kernel/fs/dir_each.h"
#include "kernel/fs/vfs.h"
#include "kernel/seccomp_notif.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define ERESTARTSYS_	512
#define ERRESTARTNOHAND_ 514
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#define RECV_SLOT	1024		/* below the stack, for the ppoll */

struct gnotif {
	uint64_t id;
	struct task *task;	/* waiting (a gone task takes its own away) */
	struct seccomp_data data;
	bool received;
	bool host;		/* waits in the host's notification */
	struct seccomp_notif req;	/* ... which is this */
	unsigned int ticks;	/* the watcher's looks at it */
	struct gnotif *next;
};

static struct listener {
	bool used;
	bool killable;		/* WAIT_KILLABLE_RECV */
	bool closed;		/* the guest closed every copy of its fd */
	int efd;		/* the monitor's copy of the guest's eventfd */
	pid_t holder;		/* a guest process last seen holding it ... */
	int holder_fd;		/* ... as this fd */
	unsigned int ticks;
	uint64_t next_id;
	struct gnotif *q;
} lst[GNOTIF_MAX];

/* A chain's last filter with this listener is gone: so is the listener. */
void gnotif_listener_free(int i)
{
	lst[i].used = false;
	if (lst[i].efd >= 0)
		close(lst[i].efd);
	lst[i].efd = -1;
	while (lst[i].q) {
		struct gnotif *n = lst[i].q;

		lst[i].q = n->next;
		free(n);
	}
}

/* The eventfd says "something waits" exactly while something does. */
static void ready_update(struct listener *l)
{
	uint64_t v = 1;
	bool waiting = false;

	for (struct gnotif *n = l->q; n; n = n->next)
		waiting |= !n->received;
	if (l->efd < 0)
		return;
	/* the fd is non-blocking: reading 0 is EAGAIN, never a wait */
	(void)!read(l->efd, &v, sizeof(v));
	v = 1;
	if (waiting)
		(void)!write(l->efd, &v, sizeof(v));
}

static void unlink_free(struct listener *l, struct gnotif *n)
{
	for (struct gnotif **pp = &l->q; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	free(n);
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
	host_watch_gnotif();
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

/* The filter is in: the listener's eventfd is made, by the guest. */
void gnotif_listener_made(struct trap *t, int i, bool killable)
{
	lst[i].killable = killable;
	t->inject_nr = __NR_eventfd2;
	t->inject_args[0] = 0;
	t->inject_args[1] = EFD_CLOEXEC | EFD_NONBLOCK;
	t->inject_args[2] = 0;
	t->inject_fn = listener_made;
	t->saved[2] = (uint64_t)i;
}

int gnotif_listener_alloc(void)
{
	for (int i = 0; i < GNOTIF_MAX; i++)
		if (!lst[i].used) {
			lst[i] = (struct listener){ .used = true, .efd = -1 };
			return i;
		}
	return -1;
}

/* ---- notifications ----------------------------------------------------- */

static bool listening(int i)
{
	return i >= 0 && i < GNOTIF_MAX && lst[i].used && lst[i].efd >= 0 &&
	       !lst[i].closed;
}

/* A call held at a ptrace seccomp stop for listener i. */
bool gnotif_ptrace_stop(struct task *t, int i, const struct seccomp_data *d)
{
	return listening(i) && queue(&lst[i], t, d) != NULL;
}

/* A host notification of a call umbra answers: the guest's, if it asks. */
bool gnotif_notify(struct task *t, const struct seccomp_notif *req, int i)
{
	struct gnotif *n;

	if (!listening(i))
		return false;
	n = queue(&lst[i], t, &req->data);
	if (!n)
		return false;
	n->host = true;
	n->req = *req;
	return true;
}

/* A notification ends unanswered: its id is no longer valid. */
static void forget(struct listener *l, struct gnotif *n)
{
	unlink_free(l, n);
	ready_update(l);
}

void gnotif_task_gone(struct task *t)
{
	for (int i = 0; i < GNOTIF_MAX; i++) {
		struct gnotif *n = lst[i].used ? lst[i].q : NULL, *next;

		for (; n; n = next) {
			next = n->next;
			if (n->task == t)
				forget(&lst[i], n);
		}
	}
	gfilter_put(t->gfilter);
	t->gfilter = NULL;
}

/*
 * The notified call ends with result, not made: at once for one in the
 * host's notification, by the tracer thread for one held at a ptrace
 * stop.  -ERESTARTSYS: withdrawn by a signal, which then restarts the
 * call or fails it with EINTR, as its SA_RESTART says.
 */
static void end_call(struct listener *l, struct gnotif *n, long result)
{
	if (n->host)
		host_notif_fail(&n->req, result);
	else if (!host_tracee_return_later(n->task, result))
		return;		/* the tracer thread is busy: next tick */
	forget(l, n);
}

/* The watcher looks at a waiter every tick for a second, then every 10th. */
static bool due(unsigned int *ticks)
{
	unsigned int t = (*ticks)++;

	return t < 100 || t % 10 == 0;
}

/*
 * Linux withdraws a notification whose task takes a signal (once
 * received, only a fatal one with WAIT_KILLABLE_RECV).  The host's wait
 * is killable (umbra's listener asks for that), and a stopped tracee
 * takes no signal: the watcher looks for one pending instead.
 */
static void watch_signals(struct listener *l)
{
	struct gnotif *n, *next;

	for (n = l->q; n; n = next) {
		next = n->next;
		if ((n->received && l->killable) ||
		    !due(&n->ticks) || !host_task_interrupted(n->task->tid))
			continue;
		end_call(l, n, -ERESTARTSYS_);
	}
}

/*
 * Linux fails what waits with ENOSYS when the listener's last fd closes,
 * and every later notification too.  The monitor's own copy keeps the
 * file open, so it looks for a guest holding it (the last one seen
 * first: one kcmp in the common case).
 */
/* Is fd of process pid the file of the monitor's fd efd? */
static bool same_file(pid_t pid, int fd, int efd)
{
	return fd >= 0 && !syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, efd, fd);
}

struct holder_query {
	pid_t pid;
	int efd, fd;
};

static bool fd_is_listener(const char *name, unsigned char type, void *arg)
{
	struct holder_query *q = arg;
	char *end;
	long n = strtol(name, &end, 10);

	if (*end || end == name || n > INT_MAX || !same_file(q->pid, (int)n,
							      q->efd))
		return false;
	q->fd = (int)n;
	return true;
}

/* Does process pid hold l's file?  Its last known fd is tried first. */
static bool holds(struct listener *l, pid_t pid)
{
	struct holder_query q = { pid, l->efd, -1 };
	char path[40];
	bool hit;
	int dfd;

	if (pid == l->holder && same_file(pid, l->holder_fd, l->efd))
		return true;
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return false;
	hit = dir_each(dfd, fd_is_listener, &q);
	close(dfd);
	if (hit) {
		l->holder = pid;
		l->holder_fd = q.fd;
	}
	return hit;
}

static bool held_by_guest(struct listener *l)
{
	struct task *w;

	if (l->holder && task_by_tid(l->holder) && holds(l, l->holder))
		return true;
	for_each_task(w)
		if (task_is_leader(w) && w->state == TASK_RUNNING &&
		    w->tid != l->holder && holds(l, w->tid))
			return true;
	return false;
}

static void watch_close(struct listener *l)
{
	if (!l->q || (!l->closed && (!due(&l->ticks) || held_by_guest(l))))
		return;
	l->closed = true;
	for (struct gnotif *n = l->q, *next; n; n = next) {
		next = n->next;
		end_call(l, n, -ENOSYS);
	}
}

/* The watcher's tick (under the kernel lock): false when nothing waits. */
bool gnotif_watch(void)
{
	bool any = false;

	for (int i = 0; i < GNOTIF_MAX; i++) {
		if (!lst[i].used || lst[i].efd < 0)
			continue;
		watch_signals(&lst[i]);
		watch_close(&lst[i]);
		any |= lst[i].q != NULL;
	}
	return any;
}

/* ---- the listener's ioctls --------------------------------------------- */

static struct listener *listener_of(struct trap *t, int fd)
{
	int hfd = fd_take(t->task, fd);
	struct listener *l = NULL;

	if (hfd < 0)
		return NULL;
	for (int i = 0; i < GNOTIF_MAX && !l; i++)
		if (lst[i].used && lst[i].efd >= 0 &&
		    same_file(getpid(), hfd, lst[i].efd))
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
		if (n->received)
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
	if (!n || !n->received)
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
		return n ? 0 : -ENOENT;
	case SECCOMP_IOCTL_NOTIF_ADDFD:
		return addfd(t, l);
	case SECCOMP_IOCTL_NOTIF_SET_FLAGS:
		return 0;	/* SYNC_WAKE_UP: a hint */
	default:
		return -EINVAL;
	}
}
