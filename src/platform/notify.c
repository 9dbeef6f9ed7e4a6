// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated calls that need no registers arrive as seccomp user
 * notifications on their own thread: one receive, one dispatch, one reply.
 * This is the cheap stop (about a third of a ptrace stop), so every call
 * the kernel can answer from its own state and guest memory comes here.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "kernel/seccomp_notif.h"
#include "kernel/task.h"
#include "platform/monitor.h"
#include "platform/platform.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif

static bool pin_addfd;

/*
 * ADDFD is a double hand-shake (the guest installs the fd in its own
 * context, then wakes us) that the synchronous wake-up flag does not
 * cover: woken while we still run on its CPU, the guest is moved to the
 * idle one, and each wake-up then crosses CPUs.  Keeping it on our CPU
 * (where the synchronous wake put us, i.e. its own) for the hand-shake
 * saves about 45 us per open on this 2-CPU VM.
 */
/*
 * The monitor's short pins of a guest task (here around ADDFD, ptrace.c
 * around a resume) and the guest's own reads and changes of another
 * task's affinity (kernel/sched.c) take turns: a pin's saved mask put
 * back over a change made meanwhile would undo it, and a read meanwhile
 * would see one CPU.
 */
static pthread_mutex_t pin_mutex = PTHREAD_MUTEX_INITIALIZER;

void host_pin_lock(void)
{
	pthread_mutex_lock(&pin_mutex);
}

void host_pin_unlock(void)
{
	pthread_mutex_unlock(&pin_mutex);
}

static bool pin_target(pid_t tid, cpu_set_t *saved)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (!pin_addfd || cpu < 0 ||
	    sched_getaffinity(tid, sizeof(*saved), saved) ||
	    !CPU_ISSET(cpu, saved) || CPU_COUNT(saved) == 1)
		return false;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(tid, sizeof(one), &one) == 0;
}

static void reply(int fd, const struct seccomp_notif *req,
		  const struct trap *t);

/*
 * Work that may block (a FIFO open, a connect or send that waits), made
 * and answered off this thread, and without the kernel lock (ACT_LATER).
 *
 * The guest waits for the answer killably (WAIT_KILLABLE_RECV), and a
 * traced task is not even woken by a fatal signal (its tracer must see the
 * signal first): without more, a FIFO open with no partner would outlast
 * ^C, timeout(1) and alarm(), where Linux interrupts it.  So while such
 * work is in flight, a watcher looks every 10 ms for a signal pending on
 * its guests; it then interrupts it (SIGABORT to the thread doing it) and
 * the answer is ERESTARTSYS, which the guest's kernel turns
 * into a restart, EINTR or the signal's default action, as its
 * disposition says.
 */
#define ERESTARTSYS	512
#define SIGABORT	SIGRTMIN
#define WATCH_US	10000

struct later {
	int listener;
	struct seccomp_notif req;
	struct trap t;
	pthread_t th;
	volatile sig_atomic_t aborted;
	unsigned int ticks;		/* the watcher's, while it waits */
	struct later *next;		/* in_flight, under watch_lock */
};

/*
 * A call that has waited long is looked at less often: every tick for
 * its first second, then every tenth (100 ms).  A thousand guests blocked
 * on FIFO opens cost half a CPU at one /proc read each per 10 ms; a
 * signal to a long waiter now takes up to 100 ms to interrupt it.
 */
static bool due(struct later *l)
{
	unsigned int t = l->ticks++;

	return t < 1000000 / WATCH_US || t % 10 == 0;
}

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cond = PTHREAD_COND_INITIALIZER;
static struct later *in_flight;
static bool watching;

static bool gwatch;	/* a guest's listener holds notifications */
static bool gwatch_again;	/* ... a new one came during a tick */

static void *watcher(void *arg)
{
	pthread_mutex_lock(&watch_lock);
	for (;;) {
		while (!in_flight && !gwatch)
			pthread_cond_wait(&watch_cond, &watch_lock);
		/* again at every tick: one may land just before the call blocks */
		for (struct later *l = in_flight; l; l = l->next)
			if (l->aborted || (due(l) &&
					   host_task_interrupted(l->req.pid))) {
				l->aborted = 1;
				pthread_kill(l->th, SIGABORT);
			}
		pthread_mutex_unlock(&watch_lock);
		if (gwatch) {
			bool more;

			kernel_lock();
			more = gnotif_watch();
			kernel_unlock();
			pthread_mutex_lock(&watch_lock);
			gwatch = more || gwatch_again;
			gwatch_again = false;
			pthread_mutex_unlock(&watch_lock);
		}
		usleep(WATCH_US);
		pthread_mutex_lock(&watch_lock);
	}
	return NULL;
}

static void on_abort(int sig)
{
}

/* The watcher thread, started once (under watch_lock); false if not. */
static bool watcher_start(void)
{
	struct sigaction sa = { .sa_handler = on_abort };	/* no SA_RESTART */
	sigset_t all, old;
	pthread_t th;

	if (watching)
		return true;
	sigaction(SIGABORT, &sa, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	watching = !pthread_create(&th, NULL, watcher, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (watching)
		pthread_detach(th);
	return watching;
}

/* Put l under watch; false if no watcher could be started. */
static bool watch(struct later *l)
{
	bool ok;

	pthread_mutex_lock(&watch_lock);
	ok = watcher_start();
	if (ok) {
		l->th = pthread_self();
		l->next = in_flight;
		in_flight = l;
		pthread_cond_signal(&watch_cond);
	}
	pthread_mutex_unlock(&watch_lock);
	return ok;
}

static void unwatch(struct later *l)
{
	pthread_mutex_lock(&watch_lock);
	for (struct later **p = &in_flight; *p; p = &(*p)->next)
		if (*p == l) {
			*p = l->next;
			break;
		}
	pthread_mutex_unlock(&watch_lock);
}

/*
 * The tasks whose call the monitor itself answered ERESTARTSYS (a worker
 * interrupted by the guest's signal), for the delivery stop that follows:
 * any other ERESTARTSYS of a user notification is the host withdrawing a
 * call the monitor never took (see ptrace.c, on_signal()).  A few slots
 * suffice: each is taken back at its task's next delivery stop.
 */
#define RESTART_SLOTS 64
static pthread_mutex_t restart_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t restart_tid[RESTART_SLOTS];
static unsigned int restart_next;

static void restart_answered(pid_t tid)
{
	pthread_mutex_lock(&restart_lock);
	restart_tid[restart_next++ % RESTART_SLOTS] = tid;
	pthread_mutex_unlock(&restart_lock);
}

bool notify_restart_answered(pid_t tid)
{
	bool found = false;

	pthread_mutex_lock(&restart_lock);
	for (int i = 0; i < RESTART_SLOTS; i++)
		if (restart_tid[i] == tid) {
			restart_tid[i] = 0;
			found = true;
		}
	pthread_mutex_unlock(&restart_lock);
	return found;
}

/* ERESTARTSYS must meet a pending signal, or the guest would see 512. */
static long later_run(struct later *l)
{
	long ret;

	for (;;) {
		l->t.action = ACT_RETURN;
		ret = l->t.later_fn(&l->t);
		if (ret != -EINTR)
			return ret;
		if (l->aborted && host_task_interrupted(l->req.pid))
			return -ERESTARTSYS;
		l->aborted = 0;
	}
}

static void *later_thread(void *arg)
{
	struct later *l = arg;
	bool watched = watch(l);
	sigset_t abort_set;
	long ret;

	sigemptyset(&abort_set);
	sigaddset(&abort_set, SIGABORT);
	if (watched)
		pthread_sigmask(SIG_UNBLOCK, &abort_set, NULL);
	ret = later_run(l);
	if (watched) {
		unwatch(l);
		pthread_sigmask(SIG_BLOCK, &abort_set, NULL);
	}
	if (l->t.later_put)
		l->t.later_put(&l->t);
	if (l->t.action != ACT_INSTALL_FD)
		l->t.ret = ret;
	if (l->t.action == ACT_RETURN && ret == -ERESTARTSYS)
		restart_answered((pid_t)l->req.pid);
	reply(l->listener, &l->req, &l->t);
	free(l);
	return NULL;
}

static void later(int fd, const struct seccomp_notif *req, struct trap *t)
{
	struct later *l = malloc(sizeof(*l));
	struct trap err = { .action = ACT_RETURN, .ret = -EAGAIN };
	pthread_attr_t attr;
	pthread_t th;

	if (l) {
		l->listener = fd;
		l->req = *req;
		l->t = *t;
		l->aborted = 0;
		l->ticks = 0;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, 64 << 10);
		if (!pthread_create(&th, &attr, later_thread, l)) {
			pthread_attr_destroy(&attr);
			return;
		}
		pthread_attr_destroy(&attr);
		free(l);
	}
	if (t->later_put)
		t->later_put(t);
	reply(fd, req, &err);
}

static void reply(int fd, const struct seccomp_notif *req,
		  const struct trap *t)
{
	struct seccomp_notif_resp resp = { .id = req->id };
	struct seccomp_notif_addfd addfd;
	cpu_set_t saved;
	bool pinned;
	int err;

	switch (t->action) {
	case ACT_NATIVE:
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		break;
	case ACT_INSTALL_FD:
		/* installed and returned in one step: no window to race */
		host_pin_lock();
		pinned = pin_target(req->pid, &saved);
		addfd = (struct seccomp_notif_addfd) {
			.id = req->id,
			.flags = SECCOMP_ADDFD_FLAG_SEND,
			.srcfd = t->fd,
			.newfd_flags = t->fd_flags,
		};
		err = ioctl(fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 ?
		      errno : 0;
		if (pinned)
			sched_setaffinity(req->pid, sizeof(saved), &saved);
		host_pin_unlock();
		close(t->fd);
		if (!err || err == ENOENT)
			return;		/* done, or the guest is gone */
		/* never leave the guest waiting: answer with the error */
		resp.error = -err;
		break;
	default:
		if (t->ret < 0)
			resp.error = (int)t->ret;
		else
			resp.val = t->ret;
	}
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/*
 * guest: whether a guest's own listener may take the call first (not
 * when its supervisor has answered CONTINUE: host_notif_answer()).
 */
static void handle_as(int fd, const struct seccomp_notif *req, bool guest)
{
	struct trap t = {
		.nr = req->data.nr,
		.source = TRAP_NOTIFY,
	};

	for (int i = 0; i < 6; i++)
		t.args[i] = req->data.args[i];
	t.ip = req->data.instruction_pointer;
	kernel_lock();
	t.task = task_by_tid(req->pid);
	switch (t.task && guest ? gseccomp_notified(t.task, req, &t.ret) :
				  GSECCOMP_UMBRA) {
	case GSECCOMP_TAKEN:
		kernel_unlock();
		return;		/* its supervisor's or its tracer's now */
	case GSECCOMP_ANSWER:
		t.task = NULL;
		t.action = ACT_RETURN;
		kernel_unlock();
		reply(fd, req, &t);
		return;
	}
	if (t.task) {
		do_syscall(&t);
	} else {
		t.action = ACT_RETURN;
		t.ret = -ENOSYS;
	}
	kernel_unlock();
	if (t.action == ACT_LATER)
		later(fd, req, &t);
	else
		reply(fd, req, &t);
}

static void handle(int fd, const struct seccomp_notif *req)
{
	handle_as(fd, req, true);
}

/* CONTINUE from a guest's supervisor: umbra's own handling, off the lock. */
static void *replay(void *arg)
{
	struct seccomp_notif *req = arg;

	handle_as(mon.notify_fd, req, false);
	free(req);
	return NULL;
}

/*
 * A host notification a guest's supervisor answered (kernel/seccomp_
 * notif.c, under the kernel lock): its value or error now, or on to
 * umbra's own handling of the call on a thread of its own (that takes
 * the lock, and may wait as a worker does).
 */
void host_notif_result(uint64_t id, long result)
{
	struct seccomp_notif_resp resp = { .id = id };

	if (result < 0)
		resp.error = (int)result;
	else
		resp.val = result;
	ioctl(mon.notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

void host_notif_answer(const struct seccomp_notif *req, long result,
		       bool cont)
{
	struct seccomp_notif *copy;
	pthread_attr_t attr;
	pthread_t th;

	if (cont && (copy = malloc(sizeof(*copy)))) {
		*copy = *req;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (!pthread_create(&th, &attr, replay, copy)) {
			pthread_attr_destroy(&attr);
			return;
		}
		pthread_attr_destroy(&attr);
		free(copy);
		result = -ENOMEM;
	}
	host_notif_result(req->id, result);
}

void host_watch_gnotif(void)
{
	pthread_mutex_lock(&watch_lock);
	if (watcher_start()) {
		gwatch = gwatch_again = true;
		pthread_cond_signal(&watch_cond);
	}
	pthread_mutex_unlock(&watch_lock);
}

/* A host notification a guest's listener held ends with an error. */
void host_notif_fail(const struct seccomp_notif *req, long result)
{
	if (result == -ERESTARTSYS)
		restart_answered((pid_t)req->pid);
	host_notif_result(req->id, result);
}

/* The supervisor's ADDFD, on the host's notification (its id in a). */
long host_notif_addfd(struct seccomp_notif_addfd *a)
{
	long ret = ioctl(mon.notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, a);

	return ret < 0 ? -errno : ret;
}

static void *notify_thread(void *arg)
{
	int fd = (int)(long)arg;
	struct seccomp_notif req;

	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			break;	/* every guest is gone */
		}
		handle(fd, &req);
	}
	return NULL;
}

int notify_start(int fd)
{
	pin_addfd = !getenv("UMBRA_NO_PIN");
	pthread_t th;
	sigset_t all, old;
	int err;

	/*
	 * Wake the monitor on the guest's CPU: the guest is blocked anyway,
	 * so a cross-CPU wake-up would only add latency (Linux >= 6.6).
	 */
	if (!getenv("UMBRA_NO_SYNC_WAKE") &&
	    ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		  SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) && getenv("UMBRA_DEBUG"))
		perror("umbra: SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP");
	/* signals for the monitor go to the ptrace thread */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&th, NULL, notify_thread, (void *)(long)fd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		pthread_detach(th);
	return -err;
}
