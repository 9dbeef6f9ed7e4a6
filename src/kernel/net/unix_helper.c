// SPDX-License-Identifier: GPL-2.0
/* The helper process that connects and sends for the monitor (net/unix.c). */
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

/*
 * A connect or send on an AF_UNIX socket records the caller as the peer
 * (SO_PEERCRED, SO_PEERPIDFD, SCM_CREDENTIALS, SCM_PIDFD).  Made by the
 * monitor, that would hand the guest a pidfd of the monitor, and with it
 * the monitor's fds (pidfd_getfd, for a guest with CAP_SYS_PTRACE, or any
 * guest were the monitor dumpable).  So those calls are made by a
 * short-lived helper process instead: a CLONE_VM child on a stack of its
 * own, with a copy of the fd table from which it closes everything but
 * the two fds it needs, that makes the one call and exits.  A pidfd of it
 * reaches nothing but those, and nothing at all once it is gone.  The
 * credentials the host records name the helper: its pid stands for the
 * guest caller when they are read back (pid_stand_in(), kernel/pid.c),
 * so SO_PEERCRED and SCM_CREDENTIALS give the caller's guest pid.  It costs
 * a process creation (some 70 us); the helper never waits (the socket is
 * O_NONBLOCK, see nb_on()), and one that does not finish in a second
 * (stopped by a guest holding its pidfd) is killed.
 */

#define HELPER_TIMEOUT_MS 1000

static char helper_stack[16384] __attribute__((aligned(64)));

/* No libc in the helper: it shares the monitor's memory and TLS. */
#define HELPER_INLINE static inline __attribute__((always_inline))

HELPER_INLINE long raw_syscall(long nr, long a1, long a2, long a3, long a4,
			       long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a"(ret)
			  : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			    "r"(r8), "r"(r9)
			  : "rcx", "r11", "memory");
	return ret;
}

HELPER_INLINE void raw_close_range(long lo, long hi)
{
	if (lo <= hi)
		raw_syscall(SYS_close_range, lo, hi, 0, 0, 0, 0);
}

__attribute__((no_sanitize_address, noinline))
static int helper_main(void *arg)
{
	struct helper_call *c = arg;
	long lo = 0, pid;

	for (int i = 0; i < c->nkeep; i++) {
		raw_close_range(lo, c->keep[i] - 1);
		if (c->keep[i] + 1 > lo)
			lo = c->keep[i] + 1;
	}
	raw_close_range(lo, ~0U);
	if (c->nself) {
		/* SCM_CREDENTIALS naming the sender: the sender is this */
		pid = raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
		for (int i = 0; i < c->nself; i++)
			*c->self_pid[i] = (pid_t)pid;
	}
	c->ret = raw_syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3],
			     c->a[4], c->a[5]);
	raw_syscall(SYS_exit, 0, 0, 0, 0, 0, 0);
	return 0;
}

/* Sort the fds to keep (insertion: a few, at most SCM_MAX_FD and some). */
void keep_sort(int *keep, int n)
{
	for (int i = 1; i < n; i++) {
		int v = keep[i], j = i;

		for (; j > 0 && keep[j - 1] > v; j--)
			keep[j] = keep[j - 1];
		keep[j] = v;
	}
}

/* One helper at a time: they share helper_stack (workers run them too). */
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;

static long helper_run_locked(struct helper_call *c)
{
	struct pollfd p = { .events = POLLIN };
	int pidfd = -1;
	siginfo_t si;
	pid_t pid;

	c->ret = -EINTR;
	pid = clone(helper_main, helper_stack + sizeof(helper_stack),
		    CLONE_VM | CLONE_PIDFD, c, &pidfd);
	if (pid < 0)
		return -errno;
	pid_stand_in(pid, c->caller);
	p.fd = pidfd;
	/* a worker's wait can be interrupted: the helper is not */
	for (int waited = 0, n = 0; n != 1; waited += 10) {
		n = poll(&p, 1, 10);
		if (n != 1 && waited >= HELPER_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			c->ret = -ETIMEDOUT;
			while (poll(&p, 1, -1) != 1)
				;	/* its stack is ours again once it is gone */
			break;
		}
	}
	/* the ptrace thread's wait may reap it first: then ECHILD here */
	syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED | __WALL, NULL);
	close(pidfd);
	return c->ret;
}

long helper_run(struct helper_call *c)
{
	long ret;

	pthread_mutex_lock(&helper_lock);
	ret = helper_run_locked(c);
	pthread_mutex_unlock(&helper_lock);
	return ret;
}

/* The helper keeps the socket and fd (-1: none). */
void helper_keep2(struct helper_call *c, int keep[2], int sfd, int fd)
{
	keep[0] = sfd;
	keep[1] = fd;
	c->keep = keep;
	c->nkeep = fd < 0 ? 1 : 2;
	keep_sort(keep, c->nkeep);
}

/* connect(2) as the helper, or by the monitor for other families. */
long host_connect(const struct usock *s, const struct sockaddr *sa,
		  socklen_t len, int keep)
{
	struct helper_call c = {
		.nr = SYS_connect,
		.a = { s->fd, (long)sa, len },
		.caller = s->caller,
	};
	int k[2];

	if (s->domain != AF_UNIX)
		return connect(s->fd, sa, len) ? -errno : 0;
	helper_keep2(&c, k, s->fd, keep);
	return helper_run(&c);
}

long host_sendto(const struct usock *s, const void *buf, size_t n,
		 int flags, const struct sockaddr *sa, socklen_t len,
		 int keep)
{
	struct helper_call c = {
		.nr = SYS_sendto,
		.a = { s->fd, (long)buf, (long)n, flags, (long)sa, len },
		.caller = s->caller,
	};
	int k[2];
	long ret;

	if (s->domain == AF_UNIX) {
		helper_keep2(&c, k, s->fd, keep);
		return helper_run(&c);
	}
	ret = sendto(s->fd, buf, n, flags, sa, len);
	return ret < 0 ? -errno : ret;
}

