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
 *
 * A thread clock names the caller's own group only (the host refuses
 * any other), so its number goes to the host in place.  A process clock
 * of another process could name a number the host reused after the
 * monitor decided (kernel/pidarg.h): clock_gettime and clock_getres on it
 * are made by the monitor under the kernel lock; clock_settime is EPERM
 * and clock_adjtime EOPNOTSUPP, as Linux answers for any CPU clock.
 * Differs from Linux: clock_nanosleep and timer_create on another
 * process's CPU clock are EINVAL (they would wait on the host's lookup).
 */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include "kernel/pidarg.h"
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

/*
 * Clock id argument i in host terms: 0 when rewritten in place (or not a
 * pid clock), 1 when it is another process's clock (the host id in
 * *hclk, for the monitor to use), or -EINVAL.
 */
static long cpuclock_to_host(struct trap *t, int i, int *hclk)
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
	*hclk = (int)(~(unsigned int)p->tid << 3) | (clk & 7);
	if (!(clk & CPUCLOCK_PERTHREAD_MASK) && p->leader != t->task->leader)
		return 1;
	trap_set_arg(t, i, (uint64_t)(int64_t)*hclk);
	return 0;
}

/*
 * The clock argument in host terms: the call goes on natively (0), or it
 * names another process's clock (1, its host id in *hclk) and the caller
 * answers, or -EINVAL.
 */
static long other_clock(struct trap *t, int *hclk)
{
	long ret = cpuclock_to_host(t, 0, hclk);

	return ret ? ret : trap_native(t);
}

static long clock_read(struct trap *t, long nr, bool null_ok)
{
	struct timespec ts;
	int hclk;
	long ret = other_clock(t, &hclk);

	if (ret != 1)
		return ret;
	if (!t->args[1] && null_ok)
		return as_guest(nr, hclk, 0, 0, 0);
	ret = as_guest(nr, hclk, (long)&ts, 0, 0);
	if (!ret && guest_write(t->task, t->args[1], &ts, sizeof(ts)))
		return -EFAULT;
	return ret;
}

long sys_clock_gettime(struct trap *t)
{
	return clock_read(t, SYS_clock_gettime, false);
}

long sys_clock_getres(struct trap *t)
{
	return clock_read(t, SYS_clock_getres, true);
}

long sys_clock_settime(struct trap *t)
{
	struct timespec ts;
	int hclk;
	long ret = other_clock(t, &hclk);

	if (ret != 1)
		return ret;
	return guest_read(t->task, t->args[1], &ts, sizeof(ts)) ? -EFAULT :
	       -EPERM;
}

long sys_clock_adjtime(struct trap *t)
{
	int hclk;
	long ret = other_clock(t, &hclk);

	return ret == 1 ? -EOPNOTSUPP : ret;
}

long sys_clock_nanosleep(struct trap *t)
{
	int hclk;
	long ret = other_clock(t, &hclk);

	return ret == 1 ? -EINVAL : ret;
}

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
	int hclk;
	long err = cpuclock_to_host(t, 0, &hclk);

	if (err == 1)
		return -EINVAL;	/* another process's clock: see above */
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
