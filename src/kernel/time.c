// SPDX-License-Identifier: GPL-2.0
/*
 * The pids hidden in the time interfaces.  A CPU-time clock id carries a
 * pid or a tid in its upper bits (clock_getcpuclockid,
 * pthread_getcpuclockid), and a timer's struct sigevent may name the
 * thread to signal (SIGEV_THREAD_ID, which glibc's SIGEV_THREAD timers
 * use).  Native, the host read them as host pids: a guest read the CPU
 * time of any host process by its pid (and learnt which exist), and its
 * own thread clocks and SIGEV_THREAD timers failed with EINVAL.
 *
 * The clock calls stop (second filter, kernel/pidinfo.c's) only for a
 * negative clock id; timer_create always stops.  Differs from Linux: a
 * clock of a pid outside the guest is EINVAL, as one that does not exist.
 */
#include <errno.h>
#include <signal.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define CPUCLOCK_PERTHREAD_MASK	4
#define CPUCLOCK_CLOCK_MASK	3
#define CLOCKFD			3	/* a dynamic clock: an fd, no pid */
#define SIGEV_THREAD_ID_	4

/* struct sigevent as the kernel copies it */
struct ksigevent {
	uint64_t value;
	int signo;
	int notify;
	int tid;
	int pad[11];
};

/* Rewrite clock id argument i in host terms; 0 or -EINVAL. */
static long cpuclock_to_host(struct trap *t, int i)
{
	int clk = (int)t->args[i];
	struct task *p;
	pid_t pid;

	if (clk >= 0 || (clk & CPUCLOCK_CLOCK_MASK) == CLOCKFD)
		return 0;
	pid = ~(clk >> 3);
	if (!pid)
		return 0;		/* the caller itself */
	p = task_by_vtid(pid);
	if (!p)
		return -EINVAL;
	/* the host checks the rest: a thread clock of its own group, ... */
	clk = (int)(~(unsigned int)p->tid << 3) | (clk & 7);
	trap_set_arg(t, i, (uint64_t)(int64_t)clk);
	return 0;
}

static long clock_call(struct trap *t)
{
	return cpuclock_to_host(t, 0) ?: trap_native(t);
}

long sys_clock_gettime(struct trap *t) { return clock_call(t); }
long sys_clock_settime(struct trap *t) { return clock_call(t); }
long sys_clock_getres(struct trap *t) { return clock_call(t); }
long sys_clock_nanosleep(struct trap *t) { return clock_call(t); }
long sys_clock_adjtime(struct trap *t) { return clock_call(t); }

/*
 * The kernel reads the sigevent from our copy below the caller's stack.
 * Another thread of the caller could still rewrite it in between, but
 * the kernel accepts only a thread of the caller's own group there, so
 * it can name nothing the caller could not name anyway.
 */
long sys_timer_create(struct trap *t)
{
	struct ksigevent ev;
	struct task *target;
	uint64_t copy;
	long err = cpuclock_to_host(t, 0);

	if (err || !t->args[1])
		return err ?: trap_native(t);
	if (guest_read(t->task, t->args[1], &ev, sizeof(ev)))
		return -EFAULT;
	if (ev.notify == SIGEV_THREAD_ID_) {
		target = task_by_vtid(ev.tid);
		if (!target || target->leader != t->task->leader)
			return -EINVAL;
		ev.tid = target->tid;
	}
	copy = guest_scratch(t, sizeof(ev));
	if (!copy || guest_write(t->task, copy, &ev, sizeof(ev)))
		return -EFAULT;
	trap_set_arg(t, 1, copy);
	return trap_native(t);
}
