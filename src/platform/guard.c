// SPDX-License-Identifier: GPL-2.0
/*
 * A bound on a host call that should not block but could.  The monitor
 * makes some calls on objects it shares with the guest (an accept on the
 * guest's listening socket, a TCP connect on its socket) with O_NONBLOCK
 * set for the duration; a guest thread can clear the flag in between, and
 * the call would then wait, under the kernel lock, for as long as the
 * guest likes: every other guest call, and umbra's own exit, behind it.
 * host_guard() arms a timer that interrupts the calling thread (EINTR)
 * after a few milliseconds, host_unguard() disarms it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "platform/platform.h"

#define SIGGUARD	(SIGRTMIN + 1)

static __thread timer_t guard_timer;
static __thread bool guard_made;

static void on_guard(int sig)
{
}

static void guard_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGGUARD);
}

static bool guard_make(void)
{
	struct sigevent ev;
	struct sigaction sa = { .sa_handler = on_guard };	/* no SA_RESTART */
	sigset_t set;

	if (guard_made)
		return true;
	sigaction(SIGGUARD, &sa, NULL);
	/* blocked but for the guarded call: a late one must interrupt nothing */
	guard_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGGUARD;
	ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	guard_made = !timer_create(CLOCK_MONOTONIC, &ev, &guard_timer);
	return guard_made;
}

/*
 * Interrupt this thread's next blocking host call after ms milliseconds,
 * and every ms after that (one may land just before the call blocks).
 * Nothing but that call may come before host_unguard().
 */
void host_guard(int ms)
{
	struct timespec every = { ms / 1000, (ms % 1000) * 1000000L };
	struct itimerspec it = { .it_interval = every, .it_value = every };
	sigset_t set;

	if (!guard_make())
		return;
	timer_settime(guard_timer, 0, &it, NULL);
	guard_set(&set);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* Disarm, and take away a signal already on its way. */
void host_unguard(void)
{
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	struct timespec zero = { 0, 0 };
	sigset_t set;
	int saved = errno;

	if (!guard_made)
		return;
	guard_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	timer_settime(guard_timer, 0, &off, NULL);
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	errno = saved;
}
