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
#include <unistd.h>
#include "kernel/pidarg.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

/*
 * Signals are sent by the monitor, through the target's pidfd: a guest
 * pid names one task for the host, never a number the host may have
 * given to another process since.  The siginfo is the monitor's, with
 * the sender in guest terms, as SI_QUEUE (the only code the host lets one
 * process forge for another) and a mark in si_value that the delivery
 * stop turns back into the code Linux gives (SI_USER for kill, SI_TKILL
 * for tkill and tgkill).  Differs from Linux: a reader of signalfd sees
 * SI_QUEUE.
 */
#define SI_MARK 0x756d6272ULL	/* "umbr" */

/*
 * The mark's low 32 bits: bit 0 says SI_TKILL (else SI_USER), bits 8-31
 * the target process's count of SIGCONTs when the signal was sent (see
 * signal_stale_stop()).
 */
static void marked_info(siginfo_t *si, struct trap *t, struct task *target,
			int sig, int code)
{
	uint64_t low = (code == SI_TKILL) |
		       ((uint64_t)(target->leader->cont_gen & 0xffffff) << 8);

	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_QUEUE;
	si->si_pid = task_vpid(t->task);
	si->si_uid = getuid();
	si->si_value.sival_ptr = (void *)((SI_MARK << 32) | low);
}

static uint32_t mark_low(const siginfo_t *si)
{
	return (uint32_t)(uint64_t)si->si_value.sival_ptr;
}

static bool is_marked(const siginfo_t *si)
{
	return si->si_code == SI_QUEUE &&
	       ((uint64_t)si->si_value.sival_ptr >> 32) == SI_MARK;
}

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
	/* the default action ignores these: nothing to protect init from */
	if (si->si_signo == SIGCHLD || si->si_signo == SIGURG ||
	    si->si_signo == SIGWINCH || si->si_signo == SIGCONT)
		return false;
	if (is_marked(si))
		return !host_signal_caught(t->tid, si->si_signo);
	if (si->si_signo == SIGKILL)
		return false;	/* umbra's own, at init's death or --pids */
	if ((si->si_code == SI_KERNEL && from_terminal(si->si_signo)) ||
	    (from_user && !pid_to_guest_recent(si->si_pid)))
		return false;		/* from outside the guest */
	return !host_signal_caught(t->tid, si->si_signo);
}

/*
 * One process (thread false) or one thread.  A zombie takes the signal
 * and does nothing with it, as on Linux.  Without a thread pidfd (before
 * Linux 6.9) a thread's signal goes to its whole process.
 */
static long send_to(struct trap *t, struct task *target, int sig, int code,
		    bool thread)
{
	siginfo_t si;

	if (target->state == TASK_ZOMBIE)
		return 0;
	if (init_ignores(target, sig))
		return 0;
	if (target->pidfd < 0) {
		target = target->leader;
		thread = false;
		if (target->pidfd < 0)
			return -ESRCH;
	}
	if (sig == SIGCONT)
		target->leader->cont_gen++;
	marked_info(&si, t, target, sig, code);
	return host_pidfd_signal(target->pidfd, sig, &si, thread);
}

/* Every process in a set, as Linux: success if one got it. */
static long send_to_all(struct trap *t, int sig, bool (*in)(struct trap *,
			struct task *, pid_t), pid_t arg)
{
	struct task *p;
	long ret = -ESRCH, err;
	bool any = false;

	for_each_task(p) {
		if (!task_is_leader(p) || !in(t, p, arg))
			continue;
		err = sig ? send_to(t, p, sig, SI_USER, false) : 0;
		if (!err)
			any = true;
		else
			ret = err;
	}
	return any ? 0 : ret;
}

/* kill(-1): every guest process but init and the caller's own. */
static bool in_all(struct trap *t, struct task *p, pid_t unused)
{
	return p != task_init() && p != t->task->leader &&
	       p->state != TASK_ZOMBIE;
}

static bool in_group(struct trap *t, struct task *p, pid_t vpgid)
{
	return p->vpgid == vpgid && p->state != TASK_ZOMBIE;
}

/*
 * Signal 0 sends nothing: it asks whether the target exists (every guest
 * task has the guest's host uid, so permission is never the answer).
 */
long sys_kill(struct trap *t)
{
	pid_t v = (pid_t)t->args[0];
	int sig = (int)t->args[1];
	struct task *target;

	if (!valid_signal(sig))
		return -EINVAL;
	if (v == INT_MIN)
		return -ESRCH;	/* as Linux: -INT_MIN names nothing */
	if (v == -1)
		return send_to_all(t, sig, in_all, 0);
	if (v <= 0)
		return send_to_all(t, sig, in_group,
				   v ? -v : t->task->leader->vpgid);
	target = task_by_vtid(v);
	if (!target)
		return -ESRCH;
	return sig ? send_to(t, target->leader, sig, SI_USER, false) : 0;
}

long sys_tkill(struct trap *t)
{
	struct task *target = task_by_vtid((pid_t)t->args[0]);
	int sig = (int)t->args[1];

	if ((pid_t)t->args[0] <= 0 || !valid_signal(sig))
		return -EINVAL;
	if (!target)
		return -ESRCH;
	return sig ? send_to(t, target, sig, SI_TKILL, true) : 0;
}

long sys_tgkill(struct trap *t)
{
	pid_t vtgid = (pid_t)t->args[0], vtid = (pid_t)t->args[1];
	struct task *target = task_by_vtid(vtid);
	int sig = (int)t->args[2];

	if (vtgid <= 0 || vtid <= 0 || !valid_signal(sig))
		return -EINVAL;
	if (!target || target->leader->vtid != vtgid)
		return -ESRCH;
	return sig ? send_to(t, target, sig, SI_TKILL, true) : 0;
}

/*
 * rt_sigqueueinfo: the sender's own siginfo.  Linux lets a process forge
 * si_code >= 0 (or SI_TKILL) only for itself: to another, EPERM, and the
 * monitor sends the rest through the target's pidfd, with si_pid made the
 * host's so that the delivery stop gives the receiver back what the
 * sender wrote.  To itself the call runs natively with the caller's own
 * buffer, which only the caller's signal can come out of.
 */
static void queueinfo_exit(struct trap *t, long *result)
{
	siginfo_t si;

	/* put back the sender's si_pid, which went to the host as its own */
	if (!guest_read(t->task, t->orig_args[t->saved[0]], &si, sizeof(si))) {
		si.si_pid = (pid_t)t->saved[1];
		guest_write(t->task, t->orig_args[t->saved[0]], &si,
			    sizeof(si));
	}
}

static long queueinfo(struct trap *t, struct task *target, int info_arg,
		      bool thread)
{
	int sig = (int)t->args[info_arg - 1];
	siginfo_t si;

	if (guest_read(t->task, t->args[info_arg], &si, sizeof(si)))
		return -EFAULT;
	if (target == (thread ? t->task : t->task->leader)) {
		if (init_ignores(target, sig))
			return 0;
		t->saved[0] = (uint64_t)info_arg;
		t->saved[1] = (uint64_t)(uint32_t)si.si_pid;
		si.si_pid = pid_to_host(si.si_pid);
		if (guest_write(t->task, t->args[info_arg], &si, sizeof(si)))
			return -EFAULT;
		trap_set_arg(t, 0, target->leader->tid);
		if (thread)
			trap_set_arg(t, 1, target->tid);
		return trap_native_then(t, queueinfo_exit);
	}
	if (si.si_code >= 0 || si.si_code == SI_TKILL)
		return -EPERM;
	if (!valid_signal(sig))
		return -EINVAL;
	if (target->state == TASK_ZOMBIE || init_ignores(target, sig))
		return 0;
	if (target->pidfd < 0)
		return -ESRCH;
	si.si_signo = sig;
	si.si_pid = pid_to_host(si.si_pid);
	return host_pidfd_signal(target->pidfd, sig, &si, thread);
}

long sys_rt_sigqueueinfo(struct trap *t)
{
	struct task *target = task_by_vtid((pid_t)t->args[0]);

	if (!target)
		return -ESRCH;
	return queueinfo(t, target->leader, 2, false);
}

long sys_rt_tgsigqueueinfo(struct trap *t)
{
	struct task *target = task_by_vtid((pid_t)t->args[1]);

	if ((pid_t)t->args[0] <= 0 || (pid_t)t->args[1] <= 0)
		return -EINVAL;
	if (!target || target->leader->vtid != (pid_t)t->args[0])
		return -ESRCH;
	return queueinfo(t, target, 3, true);
}

/*
 * A stop signal the monitor sent, taken out of the queue for its delivery
 * stop before a SIGCONT sent later reached the process: Linux's SIGCONT
 * would have discarded it while queued, but the tracer holds it now.  The
 * mark says how many SIGCONTs the process had been sent when it went.
 */
bool signal_stale_stop(struct task *t, const void *info)
{
	const siginfo_t *si = info;
	int sig = si->si_signo;

	if (!is_marked(si) || (sig != SIGSTOP && sig != SIGTSTP &&
			       sig != SIGTTIN && sig != SIGTTOU))
		return false;
	return (mark_low(si) >> 8) != (t->leader->cont_gen & 0xffffff);
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

	if (is_marked(si)) {		/* sent by the monitor, guest terms */
		si->si_code = (mark_low(si) & 1) ? SI_TKILL : SI_USER;
		si->si_value.sival_ptr = NULL;
		return;
	}
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
