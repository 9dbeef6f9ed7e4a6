// SPDX-License-Identifier: GPL-2.0
/*
 * Identity of processes in guest terms: pids, parents, process groups and
 * sessions, and the per-process calls that name another process by pid.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/pidarg.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"

long sys_getpid(struct trap *t)
{
	return task_vpid(t->task);
}

long sys_gettid(struct trap *t)
{
	return t->task->vtid;
}

/* init's parent lives outside the guest: 0, as in a pid namespace. */
long sys_getppid(struct trap *t)
{
	struct task *p = t->task->leader->parent;

	return p ? p->vtid : 0;
}

long sys_getpgrp(struct trap *t)
{
	return t->task->leader->vpgid;
}

static struct task *task_or_self(struct trap *t, pid_t v)
{
	struct task *target = v ? task_by_vtid(v) : t->task;

	return target ? target->leader : NULL;
}

long sys_getpgid(struct trap *t)
{
	struct task *target = task_or_self(t, (pid_t)t->args[0]);

	return target ? target->vpgid : -ESRCH;
}

long sys_getsid(struct trap *t)
{
	struct task *target = task_or_self(t, (pid_t)t->args[0]);

	return target ? target->vsid : -ESRCH;
}

static void setpgid_exit(struct trap *t, long *result)
{
	struct task *target = task_by_tid((pid_t)t->args[0]);

	if (*result == 0 && target) {
		target = target->leader;
		target->vpgid = (pid_t)t->saved[0];
		target->hpgid = (pid_t)t->args[1];
	}
}

/* The host checks the rules (child, session, exec'd); we keep the names. */
long sys_setpgid(struct trap *t)
{
	pid_t vpid = (pid_t)t->args[0], vpgid = (pid_t)t->args[1];
	struct task *target = task_or_self(t, vpid);
	pid_t hpgid;

	/* as Linux: pgid 0 is the pid, and a negative one is EINVAL */
	if (vpgid < 0 || (!vpgid && vpid < 0))
		return -EINVAL;
	if (!target)
		return -ESRCH;
	if (!vpgid || vpgid == target->vtid) {
		vpgid = target->vtid;
		hpgid = target->tid;
	} else {
		/*
		 * No such group here: a number no process has, so that the
		 * host answers its own checks first (EACCES for a child that
		 * has exec'd), then EPERM for the group, as Linux orders them.
		 */
		hpgid = pgrp_to_host(vpgid);
		if (!hpgid)
			hpgid = INT_MAX;
	}
	t->saved[0] = vpgid;
	trap_set_arg(t, 0, target->tid);
	trap_set_arg(t, 1, hpgid);
	return trap_native_then(t, setpgid_exit);
}

static void setsid_exit(struct trap *t, long *result)
{
	struct task *l = t->task->leader;

	if (*result < 0)
		return;
	l->vsid = l->vpgid = l->vtid;
	l->hpgid = l->tid;
	*result = l->vtid;
}

long sys_setsid(struct trap *t)
{
	return trap_native_then(t, setsid_exit);
}

/*
 * "which" names one process (proc) or one group (pgrp) by argument 1.
 * The caller's own process or group goes to the host in place; any other
 * is made by the monitor (1 and the host id in *h), as self_or_other()
 * says why.  A group's number lives while a member does, and the monitor
 * collects no member's death while it decides and calls.
 */
static long who_target(struct trap *t, int proc, int pgrp, pid_t *h)
{
	int which = (int)t->args[0];
	pid_t v = (pid_t)t->args[1];

	if (which == proc)
		return self_or_other(t, 1, h);
	if (which != pgrp || v <= 0)
		return 0;
	*h = pgrp_to_host(v);
	if (!*h)
		return -ESRCH;
	if (v != t->task->leader->vpgid)
		return 1;
	trap_set_arg(t, 1, (uint64_t)*h);
	return 0;
}

/*
 * PRIO_USER and IOPRIO_WHO_USER name every process of a uid, and the
 * host's are the user's too: natively, a guest reniced the user's whole
 * session.  As in a pid namespace, they reach the guest's tasks only
 * (the second filter stops them, uid 0 "myself" included).  Guest tasks
 * all run as the caller's host uid; another uid has no process here.
 */
static bool user_is_guest(struct trap *t)
{
	uid_t who = (uid_t)t->args[1];

	return !who || who == getuid();
}

/*
 * A setter (nr: setpriority or ioprio_set, its "which" for one process)
 * on every live guest task, as Linux does for a uid: an error from any
 * task is the answer, -ESRCH if none was there.  The monitor makes the
 * calls without its own capabilities (as_guest(), kernel/sched.c): a run
 * by root lends the guest no CAP_SYS_NICE for a lower nice or the
 * real-time I/O class.
 */
static long set_each(struct trap *t, long nr, int which)
{
	long ret = -ESRCH, err;
	struct task *p;

	if (!user_is_guest(t))
		return -ESRCH;
	for_each_task(p) {
		if (p->state == TASK_ZOMBIE)
			continue;	/* its number may be the host's again */
		err = as_guest(nr, which, p->tid, (long)(int)t->args[2], 0);
		if (err == -ESRCH)
			continue;	/* gone */
		if (err || ret == -ESRCH)
			ret = err;
	}
	return ret;
}

/* The best priority of the guest's tasks, as the raw call returns it. */
static long get_prio_user(struct trap *t)
{
	long best = -ESRCH, v;
	struct task *p;

	if (!user_is_guest(t))
		return -ESRCH;
	for_each_task(p) {
		if (p->state == TASK_ZOMBIE)
			continue;	/* its number may be the host's again */
		v = syscall(SYS_getpriority, PRIO_PROCESS, p->tid);
		if (v > best)
			best = v;
	}
	return best;
}

long sys_getpriority(struct trap *t)
{
	long ret;
	pid_t h;

	if ((int)t->args[0] == PRIO_USER)
		return get_prio_user(t);
	ret = who_target(t, PRIO_PROCESS, PRIO_PGRP, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	return as_guest(SYS_getpriority, (long)(int)t->args[0], h, 0, 0);
}

long sys_setpriority(struct trap *t)
{
	long ret;
	pid_t h;

	if ((int)t->args[0] == PRIO_USER)
		return set_each(t, SYS_setpriority, PRIO_PROCESS);
	ret = who_target(t, PRIO_PROCESS, PRIO_PGRP, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	return as_guest(SYS_setpriority, (long)(int)t->args[0], h,
			(long)(int)t->args[2], 0);
}

/* ioprio's "which" uses 1 process, 2 process group, 3 user. */
#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_WHO_PGRP		2
#define IOPRIO_WHO_USER		3

/* Linux's ioprio_best(): no class counts as best-effort level 4. */
static long ioprio_best(long a, long b)
{
	long dflt = (2 << 13) | 4;	/* IOPRIO_CLASS_BE, level 4 */

	a = (a >> 13) ? a : dflt;
	b = (b >> 13) ? b : dflt;
	return a < b ? a : b;
}

static long get_ioprio_user(struct trap *t)
{
	long ret = -ESRCH, v;
	struct task *p;

	if (!user_is_guest(t))
		return -ESRCH;
	for_each_task(p) {
		if (p->state == TASK_ZOMBIE)
			continue;	/* its number may be the host's again */
		v = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, p->tid);
		if (v < 0)
			continue;
		ret = ret == -ESRCH ? v : ioprio_best(ret, v);
	}
	return ret;
}

long sys_ioprio_get(struct trap *t)
{
	long ret;
	pid_t h;

	if ((int)t->args[0] == IOPRIO_WHO_USER)
		return get_ioprio_user(t);
	ret = who_target(t, IOPRIO_WHO_PROCESS, IOPRIO_WHO_PGRP, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	return as_guest(SYS_ioprio_get, (long)(int)t->args[0], h, 0, 0);
}

long sys_ioprio_set(struct trap *t)
{
	long ret;
	pid_t h;

	if ((int)t->args[0] == IOPRIO_WHO_USER)
		return set_each(t, SYS_ioprio_set, IOPRIO_WHO_PROCESS);
	ret = who_target(t, IOPRIO_WHO_PROCESS, IOPRIO_WHO_PGRP, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	return as_guest(SYS_ioprio_set, (long)(int)t->args[0], h,
			(long)(int)t->args[2], 0);
}
