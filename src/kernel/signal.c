// SPDX-License-Identifier: GPL-2.0
/*
 * Signals between guest processes.  Senders name guest pids, which become
 * host pids for the host to deliver; receivers see guest pids in siginfo,
 * rewritten at the delivery stop.  Guest init is protected as in a pid
 * namespace: from inside, only signals it has a handler for reach it.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/pidarg.h"
#include "kernel/ptrace.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

/*
 * Signals are sent by the monitor, through the target's pidfd: a guest
 * pid names one task for the host, never a number the host may have
 * given to another process since.  The siginfo is the monitor's, in guest
 * terms (the sender's guest pid), as SI_QUEUE (the only code the host
 * lets one process forge for another), with a mark that the delivery
 * stop turns back into the code Linux gives (SI_USER for kill, SI_TKILL
 * for tkill and tgkill).  Differs from Linux: a reader of signalfd sees
 * SI_QUEUE for those.
 *
 * The mark lives in the last 16 bytes of the siginfo's union (offsets
 * 32-47), which no layout with a sender's pid uses and signalfd never
 * shows; the host keeps them from the sender's siginfo to the receiver.
 * A marked siginfo is in guest terms already; an unmarked one with a pid
 * came from the host (a child's SIGCHLD, a sender outside the guest).
 */
#define MARK_OFF	32
#define MARK_MAGIC	0x756d6272u	/* "umbr" */

enum mark_kind { MK_KILL = 1, MK_TKILL, MK_QUEUE, MK_CHLD };

struct mark {
	uint32_t magic;
	uint8_t kind;
	uint8_t code;		/* MK_CHLD: CLD_EXITED, CLD_KILLED, ... */
	uint16_t zero;
	uint32_t data;		/* MK_CHLD: si_status; else the target's */
	uint32_t zero2;		/* count of SIGCONTs (signal_stale_stop) */
};

_Static_assert(MARK_OFF + sizeof(struct mark) <= 48, "inside the union");

static void put_mark(siginfo_t *si, int kind, int code, uint32_t data)
{
	struct mark m = { MARK_MAGIC, (uint8_t)kind, (uint8_t)code, 0,
			  data, 0 };

	memcpy((char *)si + MARK_OFF, &m, sizeof(m));
}

static bool get_mark(const siginfo_t *si, struct mark *m)
{
	memcpy(m, (const char *)si + MARK_OFF, sizeof(*m));
	return m->magic == MARK_MAGIC && m->kind >= MK_KILL &&
	       m->kind <= MK_CHLD;
}

static bool is_marked(const siginfo_t *si)
{
	struct mark m;

	return get_mark(si, &m);
}

/*
 * A signalfd read shows an SI_QUEUE siginfo's pid, uid and value, never
 * the mark: a child's exit signal carries its code and status in the
 * value too, for signalfd.c to put back (the guest's own sigqueue values
 * are left alone unless they spell this).
 */
#define CHLD_VALUE_MAGIC	0x636c6478ULL	/* "cldx" */

bool signal_chld_value(uint64_t value, int *code, int *status)
{
	if (value >> 32 != CHLD_VALUE_MAGIC)
		return false;
	*code = (int)(value >> 24 & 0xff);
	*status = (int)(value & 0xffffff);
	return true;
}

/* A siginfo the monitor sends, from guest pid `from`, marked. */
static void mark_new(siginfo_t *si, int sig, pid_t from, int kind, int code,
		     uint32_t data)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_QUEUE;
	si->si_pid = from;
	si->si_uid = getuid();
	if (kind == MK_CHLD)
		si->si_value.sival_ptr = (void *)(uintptr_t)(CHLD_VALUE_MAGIC << 32 |
			(uint64_t)(code & 0xff) << 24 | (data & 0xffffff));
	put_mark(si, kind, code, data);
}

static void marked_info(siginfo_t *si, struct trap *t, struct task *target,
			int sig, int code)
{
	mark_new(si, sig, task_vpid(t->task),
		 code == SI_TKILL ? MK_TKILL : MK_KILL, 0,
		 target->leader->cont_gen);
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
	if (is_marked(si) && !si->si_pid)
		return false;	/* the kernel's own (ptrace's SIGSTOP, SIGTRAP) */
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
 * Linux's check_kill_permission: to another process, the sender's real
 * or effective uid must be the target's real or saved uid, or the sender
 * must hold CAP_KILL; SIGCONT also goes anywhere in its session.  The
 * host cannot say: every guest process has the same host uid.
 */
static bool may_signal(const struct task *from, const struct task *to,
		       int sig)
{
	const struct cred *c = &from->cred, *tc = &to->cred;

	if (from->leader == to->leader || cred_capable(c, CAP_KILL))
		return true;
	if (c->euid == tc->suid || c->euid == tc->uid ||
	    c->uid == tc->suid || c->uid == tc->uid)
		return true;
	return sig == SIGCONT && from->leader->vsid == to->leader->vsid;
}

/*
 * One process (thread false) or one thread; signal 0 only asks.  A
 * zombie takes the signal and does nothing with it, as on Linux.
 * Without a thread pidfd (before Linux 6.9) a thread's signal goes to
 * its whole process.
 */
static long send_to(struct trap *t, struct task *target, int sig, int code,
		    bool thread)
{
	siginfo_t si;

	if (!may_signal(t->task, target, sig))
		return -EPERM;
	if (!sig || target->state == TASK_ZOMBIE)
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

static bool in_all(struct trap *t, struct task *p, pid_t unused);

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
		err = send_to(t, p, sig, SI_USER, false);
		/* kill(-1) passes over what it may not signal (Linux) */
		if (!err || (err == -EPERM && in == in_all))
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
 * Signal 0 sends nothing: it asks whether the target exists and may be
 * signalled.
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
	return send_to(t, target->leader, sig, SI_USER, false);
}

long sys_tkill(struct trap *t)
{
	struct task *target = task_by_vtid((pid_t)t->args[0]);
	int sig = (int)t->args[1];

	if ((pid_t)t->args[0] <= 0 || !valid_signal(sig))
		return -EINVAL;
	if (!target)
		return -ESRCH;
	return send_to(t, target, sig, SI_TKILL, true);
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
	return send_to(t, target, sig, SI_TKILL, true);
}

/*
 * rt_sigqueueinfo: the sender's own siginfo.  Linux lets a process forge
 * si_code >= 0 (or SI_TKILL) only for itself: to another, EPERM.  The
 * monitor sends the rest through the target's pidfd, marked, with the
 * sender's si_pid as it wrote it (guest terms: the receiver reads it
 * back as sent, by signalfd too).  A code only a process may send itself
 * needs the caller's own call: the mark goes into the caller's buffer
 * for the host to carry, and the buffer's bytes are put back at the
 * exit.  A sibling rewriting the buffer meanwhile changes only what the
 * caller sends itself.
 */
static void queueinfo_exit(struct trap *t, long *result)
{
	guest_write(t->task, t->orig_args[t->saved[0]] + MARK_OFF,
		    &t->saved[1], sizeof(struct mark));
}

/* ids: how many pid arguments (tgid, tid) to give the host: 0 for a pidfd */
static long queue_to_self(struct trap *t, struct task *target, int info_arg,
			  const siginfo_t *si, int ids)
{
	siginfo_t m = *si;

	if (init_ignores(target, (int)t->args[info_arg - 1]))
		return 0;
	t->saved[0] = (uint64_t)info_arg;
	memcpy(&t->saved[1], (const char *)si + MARK_OFF, sizeof(struct mark));
	put_mark(&m, MK_QUEUE, 0, target->leader->cont_gen);
	if (guest_write(t->task, t->args[info_arg] + MARK_OFF,
			(char *)&m + MARK_OFF, sizeof(struct mark)))
		return -EFAULT;
	if (ids > 0)
		trap_set_arg(t, 0, target->leader->tid);
	if (ids > 1)
		trap_set_arg(t, 1, target->tid);
	return trap_native_then(t, queueinfo_exit);
}

static long queueinfo(struct trap *t, struct task *target, int info_arg,
		      bool thread)
{
	int sig = (int)t->args[info_arg - 1];
	siginfo_t si;

	if (guest_read(t->task, t->args[info_arg], &si, sizeof(si)))
		return -EFAULT;
	if (si.si_code >= 0 || si.si_code == SI_TKILL) {
		if (target != (thread ? t->task : t->task->leader))
			return -EPERM;
		return queue_to_self(t, target, info_arg, &si, thread ? 2 : 1);
	}
	if (!valid_signal(sig))
		return -EINVAL;
	if (!may_signal(t->task, target, sig))
		return -EPERM;
	if (target->state == TASK_ZOMBIE || init_ignores(target, sig))
		return 0;
	if (target->pidfd < 0)
		return -ESRCH;
	si.si_signo = sig;
	put_mark(&si, MK_QUEUE, 0, target->leader->cont_gen);
	return host_pidfd_signal(target->pidfd, sig, &si, thread);
}

/*
 * pidfd_send_signal: made by the monitor on its copy of the guest's pidfd
 * (fd_take()), so that the process checked is the process signalled,
 * with a marked siginfo in guest terms.  The pidfd must name a guest
 * task; one from outside (an inherited fd) names a process outside the
 * guest's pid namespace: EINVAL, as Linux answers.  Init is protected as
 * for kill.  A code only the caller may send itself is the caller's own
 * call, as for rt_sigqueueinfo.
 */
#define PIDFD_SIGNAL_PGRP	4u
#define PIDFD_SIGNAL_ALL	(1u | 2u | PIDFD_SIGNAL_PGRP)

static long pidfd_signal_info(struct trap *t, struct task *target,
			      siginfo_t *si, int sig, unsigned int flags)
{
	if (!may_signal(t->task, target, sig))
		return -EPERM;
	if (!t->args[2]) {
		marked_info(si, t, target, sig, SI_USER);
		return 0;
	}
	if (guest_read(t->task, t->args[2], si, sizeof(*si)))
		return -EFAULT;
	if (si->si_signo != sig)
		return -EINVAL;
	if (si->si_code >= 0 || si->si_code == SI_TKILL)
		return target == t->task && !(flags & PIDFD_SIGNAL_PGRP) ? 1 :
		       -EPERM;
	put_mark(si, MK_QUEUE, 0, target->leader->cont_gen);
	return 0;
}

long sys_pidfd_send_signal(struct trap *t)
{
	unsigned int flags = (unsigned int)t->args[3];
	int sig = (int)t->args[1], hfd;
	struct task *target;
	siginfo_t si;
	bool gone;
	long ret;

	if ((flags & ~PIDFD_SIGNAL_ALL) || (flags & (flags - 1)) ||
	    !valid_signal(sig))
		return -EINVAL;
	hfd = fd_take(t->task, (int)t->args[0]);
	if (hfd < 0)
		return hfd;
	ret = host_pidfd_pid(hfd);
	target = ret > 0 ? task_by_tid((pid_t)ret) : NULL;
	if (ret == -EBADF && (target = procfs_dir_task(hfd, &gone))) {
		/* a /proc/N directory of the guest's: that process */
		target = target->leader;
		close(hfd);
		hfd = target->pidfd < 0 ? -1 :
		      fcntl(target->pidfd, F_DUPFD_CLOEXEC, 0);
		if (hfd < 0)
			return -ESRCH;
		ret = pidfd_signal_info(t, target, &si, sig, flags);
	} else if (ret == -1 || (ret == -EBADF && gone))
		ret = -ESRCH;		/* exited and reaped */
	else if (ret >= 0 && !target)
		ret = -EINVAL;		/* outside the guest */
	else if (ret > 0)
		ret = pidfd_signal_info(t, target, &si, sig, flags);
	if (ret == 0 && !(sig && init_ignores(target, sig))) {
		if (sig == SIGCONT)
			target->leader->cont_gen++;
		ret = syscall(SYS_pidfd_send_signal, hfd, sig, sig ? &si : NULL,
			      flags) ? -errno : 0;
	}
	close(hfd);
	return ret == 1 ? queue_to_self(t, target, 2, &si, 0) : ret;
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

	struct mark m;

	if (!get_mark(si, &m) || m.kind == MK_CHLD ||
	    (sig != SIGSTOP && sig != SIGTSTP && sig != SIGTTIN &&
	     sig != SIGTTOU))
		return false;
	return m.data != t->leader->cont_gen;
}

/*
 * A guest process has died and the monitor is about to collect it, upon
 * which the host sends its guest parent the exit signal with the child's
 * host pid.  The monitor sends it first, marked, in guest terms (the
 * delivery stop gives the handler Linux's CLD_* siginfo); the host's own
 * finds it still pending and, a signal below SIGRTMIN being queued once,
 * is merged into it.  Differs from Linux: a signalfd reader sees SI_QUEUE
 * and no status for it (the host lets no process forge CLD_* for
 * another); a real-time exit signal comes twice, the second with the
 * host's pid.
 */
void signal_child_exit(struct task *c, int code, int status)
{
	struct task *p = c ? c->parent : NULL;
	int sig = c ? c->exit_signal : 0;
	siginfo_t si;

	if (!p || !task_is_leader(c) || p->state == TASK_ZOMBIE ||
	    p->pidfd < 0 || sig <= 0 || sig >= SIGRTMIN || init_ignores(p, sig))
		return;
	if (code == CLD_KILLED && c->core_dumped)
		code = CLD_DUMPED;	/* the kernel wrote it (coredump.c) */
	mark_new(&si, sig, c->vtid, MK_CHLD, code, (uint32_t)status);
	host_pidfd_signal(p->pidfd, sig, &si, false);
}

/*
 * The guest kernel's own signals for ptrace (kernel/ptrace*.c): SIGCHLD
 * to a tracer, in guest terms (CLD_TRAPPED and the rest come out of the
 * mark at its delivery stop), and a signal to one thread, from `from`
 * (an attach's SIGSTOP, the SIGTRAP after an exec).
 */
void signal_chld(struct task *to, pid_t from, int code, int status)
{
	siginfo_t si;

	to = to->leader;
	if (to->state == TASK_ZOMBIE || to->pidfd < 0)
		return;
	mark_new(&si, SIGCHLD, from, MK_CHLD, code, (uint32_t)status);
	host_pidfd_signal(to->pidfd, SIGCHLD, &si, false);
}

int signal_thread(struct task *to, int sig, pid_t from)
{
	siginfo_t si;
	bool thread = to->pidfd >= 0;
	struct task *target = thread ? to : to->leader;

	if (target->pidfd < 0)
		return -ESRCH;
	mark_new(&si, sig, from, MK_TKILL, 0, to->leader->cont_gen);
	return host_pidfd_signal(target->pidfd, sig, &si, thread);
}

/*
 * PR_SET_PDEATHSIG is the guest kernel's: natively the host would send it
 * with the dying parent's host pid, which a signalfd reader would see.
 * Linux sends it when the parent *thread* exits (the child then has
 * another thread of that process, or a new parent, for parent), to the
 * child's process, for each of its threads that asked, as SI_USER from
 * the parent's process; so does the monitor, marked, in guest terms.
 */
long sys_prctl(struct trap *t)
{
	int opt = (int)t->args[0];

	long ret;

	if (cred_prctl(t, &ret))
		return ret;
	if (opt == PR_SET_PTRACER)
		return ptrace_set_ptracer(t);
	if (opt == PR_SET_SECCOMP || opt == PR_GET_SECCOMP)
		return seccomp_prctl(t);
	if (opt == PR_SET_PDEATHSIG) {
		if (!valid_signal((int)t->args[1]) || t->args[1] > 64)
			return -EINVAL;
		t->task->pdeath = (int)t->args[1];
		return 0;
	}
	if (opt == PR_GET_PDEATHSIG)
		return guest_write(t->task, t->args[1], &t->task->pdeath,
				   sizeof(int)) ? -EFAULT : 0;
	return trap_native(t);
}

/* A live thread of dead's process other than dead: the child's next parent. */
static pid_t next_parent_tid(const struct task *dead)
{
	const struct task *w;

	for_each_task(w)
		if (w->leader == dead->leader && w != dead &&
		    w->state == TASK_RUNNING)
			return w->tid;
	return dead->leader->parent ? dead->leader->parent->tid : 0;
}

void signal_parent_death(struct task *dead)
{
	struct task *c, *th;
	siginfo_t si;

	for_each_task(c) {
		if (!task_is_leader(c) || c->parent_tid != dead->tid ||
		    c == dead->leader)
			continue;
		c->parent_tid = next_parent_tid(dead);
		if (c->state != TASK_RUNNING || c->pidfd < 0)
			continue;
		for_each_task(th) {
			if (th->leader != c || !th->pdeath ||
			    init_ignores(c, th->pdeath))
				continue;
			mark_new(&si, th->pdeath, dead->leader->vtid, MK_KILL,
				 0, c->cont_gen);
			host_pidfd_signal(c->pidfd, th->pdeath, &si, false);
		}
	}
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
	struct mark m;

	if (get_mark(si, &m)) {		/* sent by the monitor, guest terms */
		memset((char *)si + MARK_OFF, 0, sizeof(m));
		if (m.kind == MK_QUEUE)
			return;		/* the sender's own code and value */
		si->si_value.sival_ptr = NULL;
		if (m.kind == MK_CHLD) {
			si->si_code = m.code;
			si->si_status = (int)m.data;
		} else {
			si->si_code = m.kind == MK_TKILL ? SI_TKILL : SI_USER;
		}
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

	/*
	 * Woken by a signal it ignores, which the host queued only because
	 * the task is traced: Linux would have gone on waiting, so the call
	 * is made again once that signal is gone, for what is left of its
	 * timeout (sys_rt_sigtimedwait).
	 */
	if (*result == -EINTR && host_pending_ignored(t->task->tid)) {
		t->restart_nr = __NR_rt_sigtimedwait;
		t->task->sigtw_again = true;
		return;
	}
	if (*result <= 0 || !t->args[1] ||
	    guest_read(t->task, t->args[1], &si, sizeof(si)))
		return;
	signal_translate_siginfo(&si);
	guest_write(t->task, t->args[1], &si, sizeof(si));
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * The first time, the deadline its timeout sets; made again after an
 * ignored signal (above), what is left of it, in a copy below the stack
 * (a sibling rewriting it changes only how long the caller waits).
 */
long sys_rt_sigtimedwait(struct trap *t)
{
	struct task *task = t->task;
	struct timespec ts;
	uint64_t left, copy;

	if (!task->sigtw_again) {
		task->sigtw_deadline = 0;
		if (t->args[2] && !guest_read(task, t->args[2], &ts, sizeof(ts)) &&
		    ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000 &&
		    ts.tv_sec < (1LL << 32))
			task->sigtw_deadline = mono_ns() + (uint64_t)ts.tv_sec *
					       1000000000ULL + (uint64_t)ts.tv_nsec;
		return trap_native_then(t, sigtimedwait_exit);
	}
	task->sigtw_again = false;
	if (!task->sigtw_deadline || !t->args[2])
		return trap_native_then(t, sigtimedwait_exit);
	left = mono_ns();
	if (left >= task->sigtw_deadline)
		return -EAGAIN;
	left = task->sigtw_deadline - left;
	ts.tv_sec = (time_t)(left / 1000000000ULL);
	ts.tv_nsec = (long)(left % 1000000000ULL);
	copy = guest_scratch(t, sizeof(ts));
	if (!copy || guest_write(task, copy, &ts, sizeof(ts)))
		return trap_native_then(t, sigtimedwait_exit);
	trap_set_arg(t, 2, copy);
	return trap_native_then(t, sigtimedwait_exit);
}
