// SPDX-License-Identifier: GPL-2.0
/*
 * Signals between guest processes.  Senders name guest pids, which become
 * host pids for the host to deliver; receivers see guest pids in siginfo,
 * rewritten at the delivery stop.  Guest init is protected as in a pid
 * namespace: from inside, only signals it has a handler for reach it.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include "kernel/pidarg.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

static bool valid_signal(int sig)
{
	return sig >= 0 && sig <= 64;
}

/*
 * SIGNAL_UNKILLABLE, at send time: the two signals no ptrace stop can hold
 * back are dropped before they are sent.  Every other signal meets
 * signal_init_drops() at init's delivery stop, where its disposition is
 * known then and not at send time (a signal init blocks must be queued).
 */
static bool init_ignores(struct task *target, int sig)
{
	if (target->leader != task_init() || sig == 0)
		return false;
	return sig == SIGKILL || sig == SIGSTOP;
}

static bool is_fault(const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
	case SIGSYS:
		return si->si_code > 0;		/* raised by the kernel */
	default:
		return false;
	}
}

/*
 * What a terminal sends (SI_KERNEL) to its foreground group or session
 * leader; SI_KERNEL is also an owner's plain SIGIO, an alarm or a CPU
 * limit, which come from inside.
 */
static bool from_terminal(int sig)
{
	return sig == SIGINT || sig == SIGQUIT || sig == SIGTSTP ||
	       sig == SIGTTIN || sig == SIGTTOU || sig == SIGHUP ||
	       sig == SIGCONT || sig == SIGWINCH;
}

/*
 * Linux drops, for a pid namespace's init, any signal whose action is the
 * default, unless it is a fault the task raised itself: a kill, a tkill,
 * an I/O signal through F_SETOWN, a timer, a message queue's.  Differs
 * from Linux: what comes from outside the guest (the terminal's ^C, the
 * monitor forwarding SIGTERM, the host user's kill) still takes effect,
 * as for a process under a shell.
 */
bool signal_init_drops(struct task *t, const void *info)
{
	const siginfo_t *si = info;
	bool from_user = si->si_code == SI_USER || si->si_code == SI_QUEUE ||
			 si->si_code == SI_TKILL;

	if (t->leader != task_init() || is_fault(si))
		return false;
	if (si->si_signo == SIGKILL)
		return false;	/* umbra's own, at init's death or --pids */
	if ((si->si_code == SI_KERNEL && from_terminal(si->si_signo)) ||
	    (from_user && !pid_to_guest_recent(si->si_pid)))
		return false;		/* from outside the guest */
	return !host_signal_caught(t->tid, si->si_signo);
}

static long kill_all(struct trap *t, int sig)
{
	struct task *p;
	long ret = -ESRCH;

	for_each_task(p) {
		if (!task_is_leader(p) || p == task_init() ||
		    p == t->task->leader || p->state == TASK_ZOMBIE)
			continue;
		if (kill(p->tid, sig) == 0)
			ret = 0;
		else if (ret)
			ret = -errno;
	}
	return ret;
}

/*
 * Signal 0 sends nothing: it asks whether the target exists (every guest
 * task has the guest's host uid, so permission is never the answer).  The
 * filter sends these as user notifications, answered here alone.
 */
static long kill_probe(struct trap *t, pid_t v)
{
	if (v == -1)
		return kill_all(t, 0);
	if (v == 0)
		return 0;
	if (v < -1)
		return pgrp_to_host(-v) ? 0 : -ESRCH;
	return task_by_vtid(v) ? 0 : -ESRCH;
}

long sys_kill(struct trap *t)
{
	pid_t v = (pid_t)t->args[0];
	int sig = (int)t->args[1];
	struct task *target;

	if (!valid_signal(sig))
		return -EINVAL;
	if (v == INT_MIN)
		return -ESRCH;	/* as Linux: -INT_MIN names nothing */
	if (sig == 0)
		return kill_probe(t, v);
	if (v == -1)
		return kill_all(t, sig);	/* never the host's other processes */
	if (v < -1) {
		pid_t h = pgrp_to_host(-v);

		if (!h)
			return -ESRCH;
		trap_set_arg(t, 0, (uint64_t)-h);
		return trap_native(t);
	}
	if (v == 0)
		return trap_native(t);
	target = task_by_vtid(v);
	if (!target)
		return -ESRCH;
	if (init_ignores(target, sig))
		return 0;
	trap_set_arg(t, 0, target->tid);
	return trap_native(t);
}

long sys_tkill(struct trap *t)
{
	struct task *target = task_by_vtid((pid_t)t->args[0]);

	if ((pid_t)t->args[0] <= 0 || !valid_signal((int)t->args[1]))
		return -EINVAL;
	if (!target)
		return -ESRCH;
	if ((int)t->args[1] == 0)
		return 0;	/* a probe */
	if (init_ignores(target, (int)t->args[1]))
		return 0;
	trap_set_arg(t, 0, target->tid);
	return trap_native(t);
}

long sys_tgkill(struct trap *t)
{
	pid_t vtgid = (pid_t)t->args[0], vtid = (pid_t)t->args[1];
	struct task *target = task_by_vtid(vtid);

	if (vtgid <= 0 || vtid <= 0 || !valid_signal((int)t->args[2]))
		return -EINVAL;
	if (!target || target->leader->vtid != vtgid)
		return -ESRCH;
	if ((int)t->args[2] == 0)
		return 0;	/* a probe */
	if (init_ignores(target, (int)t->args[2]))
		return 0;
	trap_set_arg(t, 0, target->leader->tid);
	trap_set_arg(t, 1, target->tid);
	return trap_native(t);
}

/*
 * The sender's siginfo carries a pid of its choosing; the host is handed a
 * copy whose si_pid is in host terms, so that the delivery-side translation
 * gives the receiver back exactly what the sender wrote.
 */
static long queueinfo(struct trap *t, int info_arg)
{
	siginfo_t si;
	uint64_t copy;

	if (guest_read(t->task, t->args[info_arg], &si, sizeof(si)))
		return -EFAULT;
	si.si_pid = pid_to_host(si.si_pid);
	copy = guest_scratch(t, sizeof(si));
	if (!copy || guest_write(t->task, copy, &si, sizeof(si)))
		return -EFAULT;
	trap_set_arg(t, info_arg, copy);
	return trap_native(t);
}

long sys_rt_sigqueueinfo(struct trap *t)
{
	struct task *target = task_by_vtid((pid_t)t->args[0]);

	if (!target)
		return -ESRCH;
	if (init_ignores(target, (int)t->args[1]))
		return 0;
	trap_set_arg(t, 0, target->leader->tid);
	return queueinfo(t, 2);
}

long sys_rt_tgsigqueueinfo(struct trap *t)
{
	struct task *target = task_by_vtid((pid_t)t->args[1]);

	if (!target || target->leader->vtid != (pid_t)t->args[0])
		return -ESRCH;
	if (init_ignores(target, (int)t->args[2]))
		return 0;
	trap_set_arg(t, 0, target->leader->tid);
	trap_set_arg(t, 1, target->tid);
	return queueinfo(t, 3);
}

/* Which siginfo layouts carry a sender or child pid in si_pid. */
static bool siginfo_has_pid(const siginfo_t *si)
{
	if (si->si_signo == SIGCHLD && si->si_code > 0)
		return true;
	return si->si_code == SI_USER || si->si_code == SI_QUEUE ||
	       si->si_code == SI_TKILL || si->si_code == SI_MESGQ;
}

/* At delivery: host pid -> guest pid, 0 for a sender outside the guest. */
void signal_translate_siginfo(void *info)
{
	siginfo_t *si = info;

	if (si->si_signo == SIGCHLD && si->si_code > 0)
		si->si_pid = pid_to_guest_recent(si->si_pid);
	else if (siginfo_has_pid(si))
		si->si_pid = pid_to_guest(si->si_pid);
}

/*
 * A signal taken with sigtimedwait/sigwaitinfo never reaches a delivery
 * stop: its siginfo is translated at the call's exit instead.  (signalfd
 * reads are native and keep host pids: a known gap.)
 */
static void sigtimedwait_exit(struct trap *t, long *result)
{
	siginfo_t si;

	if (*result <= 0 || !t->args[1] ||
	    guest_read(t->task, t->args[1], &si, sizeof(si)))
		return;
	signal_translate_siginfo(&si);
	guest_write(t->task, t->args[1], &si, sizeof(si));
}

long sys_rt_sigtimedwait(struct trap *t)
{
	return trap_native_then(t, sigtimedwait_exit);
}
