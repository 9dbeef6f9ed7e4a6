// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for children.  The guest parent is the host parent too, so the
 * host does the waiting (it may block for as long as it likes without
 * holding up the monitor); the kernel translates the pid it names and the
 * pid it returns, and forgets a child once its guest parent has reaped it.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kernel/ptrace.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

/* wait4's and waitid's pid: >0 a child, <-1 (or P_PGID) a process group. */
static long xlate_wait_pid(struct trap *t, int i, bool pgrp)
{
	pid_t v = (pid_t)t->args[i], h;

	if (v <= 0)
		return 0;
	h = pgrp ? pgrp_to_host(v) : pid_to_host(v);
	if (!h)
		return -ECHILD;
	trap_set_arg(t, i, (uint64_t)h);
	return 0;
}

/* Is a thread of t's parent inside wait4/waitid, about to report t? */
bool task_reaper_waiting(const struct task *t)
{
	const struct task *p = t->parent, *w;

	if (!p)
		return false;
	for_each_task(w)
		if (w->leader == p && w->in_exit &&
		    (w->pending.nr == __NR_wait4 || w->pending.nr == __NR_waitid))
			return true;
	return false;
}

static void reaped(pid_t host)
{
	struct task *c = task_by_tid(host);

	if (c && c->state == TASK_ZOMBIE)
		task_release(c);
}

/* Did the kernel write this child's core (coredump.c)?  Not the host. */
static bool dumped(pid_t host)
{
	struct task *c = task_by_tid(host);

	return c && c->core_dumped;
}

static void wait4_exit(struct trap *t, long *result)
{
	pid_t host = (pid_t)*result;
	int status;

	if (ptrace_wait_interrupted(t, result))
		return;
	if (*result == -EFAULT)
		task_forget_released();	/* reaped, then the status faulted */
	if (host <= 0)
		return;
	if (t->args[1] && dumped(host) &&
	    !guest_read(t->task, t->args[1], &status, sizeof(status)) &&
	    WIFSIGNALED(status)) {
		status |= WCOREFLAG;
		guest_write(t->task, t->args[1], &status, sizeof(status));
	}
	/* the host may have released it before this exit stop: recent */
	*result = pid_to_guest_recent(host);
	reaped(host);
}

long sys_wait4(struct trap *t)
{
	pid_t v = (pid_t)t->args[0];
	long err;

	if (v == INT_MIN)
		return -ESRCH;	/* as Linux: -INT_MIN names nothing */
	if (ptrace_wait4(t, &err))
		return err;	/* a guest tracer's tracee had something */
	if (v < -1) {
		pid_t h = pgrp_to_host(-v);

		if (!h)
			return -ECHILD;
		trap_set_arg(t, 0, (uint64_t)-h);
	} else {
		err = xlate_wait_pid(t, 0, false);
		if (err)
			return err;
	}
	return trap_native_then(t, wait4_exit);
}

static void waitid_exit(struct trap *t, long *result)
{
	siginfo_t si;
	pid_t host;

	if (ptrace_wait_interrupted(t, result))
		return;
	if (*result == -EFAULT)
		task_forget_released();	/* reaped, then the infop faulted */
	if (*result != 0 || !t->args[2] ||
	    guest_read(t->task, t->args[2], &si, sizeof(si)))
		return;
	host = si.si_pid;
	if (!host)
		return;		/* WNOHANG with nothing to report */
	if (si.si_code == CLD_KILLED && dumped(host))
		si.si_code = CLD_DUMPED;
	si.si_pid = pid_to_guest_recent(host);
	guest_write(t->task, t->args[2], &si, sizeof(si));
	if (!(t->args[3] & WNOWAIT) && (si.si_code == CLD_EXITED ||
	    si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED))
		reaped(host);
}

long sys_waitid(struct trap *t)
{
	long err = 0;

	if (ptrace_waitid(t, &err))
		return err;
	switch ((int)t->args[0]) {
	case P_PID:
		err = xlate_wait_pid(t, 1, false);
		break;
	case P_PGID:
		err = xlate_wait_pid(t, 1, true);
		break;
	}
	return err ? err : trap_native_then(t, waitid_exit);
}
