// SPDX-License-Identifier: GPL-2.0
/*
 * Identity of processes in guest terms: pids, parents, process groups and
 * sessions, and the per-process calls that name another process by pid.
 */
#include <errno.h>
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
		hpgid = pgrp_to_host(vpgid);
		if (!hpgid)
			return -EPERM;
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
 * A uid-wide target (PRIO_USER, IOPRIO_WHO_USER) means, inside, the guest's
 * tasks of that uid, as in a pid namespace: never the host's other
 * processes of the same user.  Every guest task runs with the caller's
 * host uid, so the uid matches all of them or none.  The monitor makes
 * the per-task calls itself, each on a live task's host tid under the
 * kernel lock.  Returns the number of tasks, -ESRCH for another uid.
 */
static long for_each_user_task(struct trap *t, uid_t who,
			       long (*fn)(pid_t tid, void *arg), void *arg)
{
	struct task *p;
	long n = 0, err = 0, ret;

	if (who != 0 && who != getuid())
		return -ESRCH;
	for_each_task(p) {
		if (p->state == TASK_ZOMBIE)
			continue;
		ret = fn(p->tid, arg);
		if (ret < 0 && !err)
			err = ret;
		n++;
	}
	return err ? err : n ? n : -ESRCH;
}

struct prio_acc {
	int niceval;		/* setpriority's nice, or the best seen */
	long best;		/* getpriority's raw 20 - nice, or ioprio */
};

static long set_prio_one(pid_t tid, void *arg)
{
	struct prio_acc *a = arg;

	return syscall(SYS_setpriority, PRIO_PROCESS, tid, a->niceval) ?
	       -errno : 0;
}

static long get_prio_one(pid_t tid, void *arg)
{
	struct prio_acc *a = arg;
	long r = syscall(SYS_getpriority, PRIO_PROCESS, tid);

	if (r < 0)
		return -errno;
	if (r > a->best)	/* raw values: higher is a lower nice */
		a->best = r;
	return 0;
}

/* which: PRIO_PROCESS names a pid, PRIO_PGRP a group, PRIO_USER a uid. */
static long xlate_prio_who(struct trap *t)
{
	switch ((int)t->args[0]) {
	case PRIO_PROCESS:
		return xlate_pid_arg(t, 1);
	case PRIO_PGRP:
		return xlate_pgrp_arg(t, 1);
	default:
		return 0;
	}
}

long sys_getpriority(struct trap *t)
{
	struct prio_acc a = { 0, 0 };
	long err;

	if ((int)t->args[0] == PRIO_USER) {
		err = for_each_user_task(t, (uid_t)t->args[1], get_prio_one, &a);
		return err < 0 ? err : a.best;
	}
	err = xlate_prio_who(t);
	return err ? err : trap_native(t);
}

long sys_setpriority(struct trap *t)
{
	struct prio_acc a = { (int)t->args[2], 0 };
	long err;

	if ((int)t->args[0] == PRIO_USER) {
		err = for_each_user_task(t, (uid_t)t->args[1], set_prio_one, &a);
		return err < 0 ? err : 0;
	}
	err = xlate_prio_who(t);
	return err ? err : trap_native(t);
}

long sys_prlimit64(struct trap *t)
{
	return native_with_pid(t, 0);
}

/* ioprio's "which" uses 1 process, 2 process group, 3 user. */
#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_WHO_PGRP		2
#define IOPRIO_WHO_USER		3

static long xlate_ioprio_who(struct trap *t)
{
	switch ((int)t->args[0]) {
	case IOPRIO_WHO_PROCESS:
		return xlate_pid_arg(t, 1);
	case IOPRIO_WHO_PGRP:
		return xlate_pgrp_arg(t, 1);
	default:
		return 0;
	}
}

static long set_ioprio_one(pid_t tid, void *arg)
{
	struct prio_acc *a = arg;

	return syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, tid, a->niceval) ?
	       -errno : 0;
}

/* Linux's ioprio_best(): the lower class wins (none counts as best-effort),
 * then the lower level. */
static long ioprio_rank(long p)
{
	long cls = (p >> 13) & 7;

	return ((cls ? cls : 2) << 13) | (p & 0x1fff);
}

static long get_ioprio_one(pid_t tid, void *arg)
{
	struct prio_acc *a = arg;
	long r = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, tid);

	if (r < 0)
		return -errno;
	if (a->best < 0 || ioprio_rank(r) < ioprio_rank(a->best))
		a->best = r;
	return 0;
}

long sys_ioprio_get(struct trap *t)
{
	struct prio_acc a = { 0, -1 };
	long err;

	if ((int)t->args[0] == IOPRIO_WHO_USER) {
		err = for_each_user_task(t, (uid_t)t->args[1], get_ioprio_one,
					 &a);
		return err < 0 ? err : a.best;
	}
	err = xlate_ioprio_who(t);
	return err ? err : trap_native(t);
}

long sys_ioprio_set(struct trap *t)
{
	struct prio_acc a = { (int)t->args[2], 0 };
	long err;

	if ((int)t->args[0] == IOPRIO_WHO_USER) {
		err = for_each_user_task(t, (uid_t)t->args[1], set_ioprio_one,
					 &a);
		return err < 0 ? err : 0;
	}
	err = xlate_ioprio_who(t);
	return err ? err : trap_native(t);
}
