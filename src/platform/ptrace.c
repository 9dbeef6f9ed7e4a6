// SPDX-License-Identifier: GPL-2.0
/*
 * The ptrace thread: it follows every guest thread from birth to death.
 * Emulated calls that need registers (argument or result rewriting) stop
 * here as seccomp RET_TRACE; so do creation, exec, signal delivery,
 * group-stop and exit.  Only this thread may issue ptrace requests.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kernel/exec.h"
#include "kernel/kernel.h"
#include "kernel/ptrace.h"
#include "kernel/seccomp_notif.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/monitor.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"

/* New tasks whose first stop arrived before their creator's event. */
#define MAX_HELD 256
static pid_t held[MAX_HELD];
static pid_t held_ppid[MAX_HELD];	/* its host parent when held */
static uint64_t held_since[MAX_HELD];	/* CLOCK_MONOTONIC ns */
static int nheld;
static bool debug;
static int spin_iters = 0;
static bool pin_resume;

/*
 * Resume a tracee on the CPU this thread runs on, which it gets the moment
 * we go back to waitpid: left to the scheduler, it would be woken on the
 * other, idle CPU, and waking an idle virtual CPU costs tens of
 * microseconds (a ptrace stop: 12 us on one CPU, 78 us across two).  Its
 * own affinity is put back at once; the CPU it is queued on stays allowed,
 * so that does not move it.
 */
static void ptrace_resume(int req, pid_t tid, int sig)
{
	cpu_set_t saved, one;
	int cpu = pin_resume ? sched_getcpu() : -1;
	bool pinned = false;

	if (cpu >= 0)
		host_pin_lock();
	if (cpu >= 0 && !sched_getaffinity(tid, sizeof(saved), &saved) &&
	    CPU_ISSET(cpu, &saved) && CPU_COUNT(&saved) > 1) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pinned = !sched_setaffinity(tid, sizeof(one), &one);
	}
	ptrace(req, tid, 0, (void *)(long)sig);
	if (pinned)
		sched_setaffinity(tid, sizeof(saved), &saved);
	if (cpu >= 0)
		host_pin_unlock();
}

/*
 * On with t: to its syscall's exit if the monitor wants it, else as its
 * guest tracer asked (PTRACE_CONT when it has none).
 */
void tracee_resume(struct task *t, int sig)
{
	int req = PTRACE_CONT;

	if (!t)
		return;
	if (t->gp.tracer)
		req = ptrace_host_request(t);
	if (t->in_exit && req != PTRACE_SYSCALL)
		req = PTRACE_SYSCALL;
	ptrace_resume(req, t->tid, sig);
}

static void on_seccomp(struct task *t);

long host_ptrace(int req, pid_t tid, unsigned long addr, void *data)
{
	return ptrace(req, tid, addr, data);
}

/*
 * The host options for t: the monitor's, and the events only a guest
 * tracer asks for (an exit's, a vfork's end), which the host then stops
 * for too.  t is stopped.
 */
void host_tracee_options(struct task *t, unsigned int guest_opts)
{
	unsigned long opts = SEIZE_OPTIONS | (guest_opts &
			     (PTRACE_O_TRACEEXIT | PTRACE_O_TRACEVFORKDONE));

	ptrace(PTRACE_SETOPTIONS, t->tid, 0, (void *)opts);
}

/* A held call ends with this result, not made (a guest's listener). */
void host_tracee_return(struct task *t, long result)
{
	struct user_regs_struct regs;

	if (!ptrace(PTRACE_GETREGS, t->tid, 0, &regs)) {
		regs.orig_rax = -1;
		regs.rax = (unsigned long long)result;
		ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	}
	t->in_exit = false;
	tracee_resume(t, 0);
}

/* The guest tracer ends the stop the monitor held t in. */
void host_tracee_resume(struct task *t, int sig)
{
	if (t->gp.ntrace_held)
		return ntrace_resume(t);
	if (t->gp.seccomp_held) {
		t->gp.seccomp_held = false;
		t->gp.seccomp_done = true;
		on_seccomp(t);
		return;
	}
	tracee_resume(t, sig);
}

static void resume_tid(pid_t tid, int sig)
{
	ptrace_resume(PTRACE_CONT, tid, sig);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void hold(pid_t tid)
{
	pid_t tgid;

	held_ppid[nheld] = 0;
	host_task_ids(tid, &tgid, &held_ppid[nheld]);
	held_since[nheld] = now_ns();
	held[nheld++] = tid;
}

static void unhold(int i)
{
	nheld--;
	held[i] = held[nheld];
	held_ppid[i] = held_ppid[nheld];
	held_since[i] = held_since[nheld];
}

static bool take_held(pid_t tid)
{
	for (int i = 0; i < nheld; i++) {
		if (held[i] == tid) {
			unhold(i);
			return true;
		}
	}
	return false;
}

static void on_seccomp(struct task *t)
{
	struct user_regs_struct regs;
	struct trap *tr = &t->pending;
	unsigned long long *argreg[6] = { &regs.rdi, &regs.rsi, &regs.rdx,
				&regs.r10, &regs.r8, &regs.r9 };

	/* the monitor's own call (a seccomp(2) it injected): let it run */
	if (t->inject_phase) {
		tracee_resume(t, 0);
		return;
	}
	if (!t->gp.seccomp_done && guest_seccomp(t))
		return;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs))
		return;
	if (after_guest_seccomp(t, &regs))
		return;
	memset(tr, 0, sizeof(*tr));
	tr->task = t;
	tr->source = TRAP_PTRACE;
	tr->nr = (int)regs.orig_rax;
	tr->sp = regs.rsp;
	tr->ip = regs.rip;
	for (int i = 0; i < 6; i++)
		tr->args[i] = *argreg[i];
	do_syscall(tr);
	if (debug)
		fprintf(stderr, "umbra: [%d] seccomp nr %d action %d ret %ld\n",
			t->vtid, tr->nr, tr->action, tr->ret);

	if (tr->action == ACT_NATIVE) {
		for (int i = 0; i < 6; i++)
			*argreg[i] = tr->args[i];
		if (tr->nr_changed)
			regs.orig_rax = tr->nr;
		if (tr->args_changed || tr->nr_changed)
			ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
		/* syscalls preserve argument registers: restore ours at exit */
		t->in_exit = tr->at_exit || (!tr->keep_regs &&
					     (tr->args_changed || tr->nr_changed));
	} else {
		if (tr->action == ACT_INSTALL_FD)
			close(tr->fd), tr->ret = -ENOSYS;
		regs.orig_rax = -1;	/* skip the call ... */
		regs.rax = tr->ret;	/* ... and return this */
		ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
		t->in_exit = false;
	}
	tracee_resume(t, 0);
}

static void set_arg_regs(struct user_regs_struct *r, const uint64_t *a)
{
	r->rdi = a[0];
	r->rsi = a[1];
	r->rdx = a[2];
	r->r10 = a[3];
	r->r8 = a[4];
	r->r9 = a[5];
}

/*
 * A call the monitor has the guest make after its own (trap.inject_nr):
 * the registers go back onto the syscall instruction with the injected
 * call's number and arguments; its entry stop passes, and at its exit the
 * guest's registers get back the first call's result and arguments.
 * Every signal is blocked in between: a handler run before the injected
 * call would make calls of its own where the monitor expects that one.
 */
static void inject_start(struct task *t, struct user_regs_struct *regs,
			 long result)
{
	const uint64_t *a = t->pending.inject_args;
	uint64_t all = ~0ULL;

	if (ptrace(PTRACE_GETSIGMASK, t->tid, sizeof(all), &t->inject_mask) ||
	    ptrace(PTRACE_SETSIGMASK, t->tid, sizeof(all), &all))
		return;		/* no injection: the call's result as it is */
	t->inject_result = result;
	regs->rip -= 2;
	regs->rax = (unsigned long long)t->pending.inject_nr;
	regs->rdi = a[0];
	regs->rsi = a[1];
	regs->rdx = a[2];
	ptrace(PTRACE_SETREGS, t->tid, 0, regs);
	t->pending.inject_nr = 0;
	t->inject_phase = 1;
	t->in_exit = true;
}

static void inject_step(struct task *t)
{
	struct user_regs_struct regs;

	if (t->inject_phase == 1) {
		t->inject_phase = 2;	/* its entry: on to its exit */
		return;
	}
	long result = t->inject_result;

	t->inject_phase = 0;
	t->in_exit = false;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs))
		return;
	if (t->pending.inject_fn)	/* the injected call's result matters */
		t->pending.inject_fn(&t->pending, &result, (long)regs.rax);
	set_arg_regs(&regs, t->pending.orig_args);
	regs.rax = (unsigned long long)result;
	ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	ptrace(PTRACE_SETSIGMASK, t->tid, sizeof(t->inject_mask),
	       &t->inject_mask);
}

/* After the monitor's part of an exit: the guest tracer's exit-stop. */
static void exit_resume(struct task *t)
{
	if (!ptrace_syscall_exit(t))
		tracee_resume(t, 0);
}

static void on_syscall_exit(struct task *t)
{
	struct user_regs_struct regs;
	long result;

	if (t->inject_phase) {
		inject_step(t);
		t->inject_phase ? tracee_resume(t, 0) : exit_resume(t);
		return;
	}
	if (t->gp.ntrace_due) {
		/* the interrupt's trap: a syscall stop takes its place */
		on_notified_trace(t);
		return;
	}
	if (!t->in_exit || ptrace(PTRACE_GETREGS, t->tid, 0, &regs)) {
		exit_resume(t);
		return;
	}
	t->in_exit = false;
	result = (long)regs.rax;
	if (!t->pending.keep_regs &&
	    (t->pending.args_changed || t->pending.nr_changed)) {
		/* a restart (-ERESTARTSYS) re-enters with the guest's own */
		set_arg_regs(&regs, t->pending.orig_args);
	}
	if (debug)
		fprintf(stderr, "umbra: [%d] exit nr %d = %ld\n", t->vtid,
			t->pending.nr, result);
	do_syscall_exit(&t->pending, &result);
	if (t->pending.inject_nr > 0) {
		inject_start(t, &regs, result);
		if (t->inject_phase) {
			tracee_resume(t, 0);
			return;
		}
	}
	if (t->pending.restart_nr > 0) {
		/* back onto the syscall instruction, as the guest made it */
		set_arg_regs(&regs, t->pending.orig_args);
		regs.rip -= 2;
		regs.rax = (unsigned long long)t->pending.restart_nr;
		ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	} else if (result != (long)regs.rax || (!t->pending.keep_regs &&
		   (t->pending.args_changed || t->pending.nr_changed))) {
		regs.rax = result;
		ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	}
	if (t->pending.restart_nr > 0)
		tracee_resume(t, 0);	/* the guest's call goes on: no exit-stop */
	else
		exit_resume(t);
}

/* A syscall-enter-stop, which only a guest tracer asks for. */
static void on_syscall_entry(struct task *t, int nr, const uint64_t *args)
{
	if (!ptrace_syscall_entry(t, nr, args))
		tracee_resume(t, 0);
}

/* SIGTRAP|0x80: the monitor's exits; a guest tracer's entries too. */
static void on_syscall_stop(struct task *t)
{
	struct __ptrace_syscall_info info;

	if (t->gp.tracer && !t->inject_phase &&
	    ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info) > 0 &&
	    info.op == PTRACE_SYSCALL_INFO_ENTRY)
		return on_syscall_entry(t, (int)info.entry.nr,
					(const uint64_t *)info.entry.args);
	on_syscall_exit(t);
}

static void start_child(struct task *c)
{
	struct user_regs_struct regs;

	if (c->restore_regs && !ptrace(PTRACE_GETREGS, c->tid, 0, &regs)) {
		set_arg_regs(&regs, c->orig_regs);
		ptrace(PTRACE_SETREGS, c->tid, 0, &regs);
	}
	task_first_stop(c, c->child_ctid);
	if (!ptrace_child_start(c))
		resume_tid(c->tid, 0);
}

static void on_clone_event(struct task *t)
{
	unsigned long msg;
	struct task *c;
	bool held = false;

	if (!t->clone_pending) {
		struct user_regs_struct regs;
		uint64_t args[6];

		if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) == 0) {
			args[0] = regs.rdi;
			args[1] = regs.rsi;
			args[2] = regs.rdx;
			args[3] = regs.r10;
			args[4] = regs.r8;
			args[5] = regs.r9;
			task_clone_unseen(t, (int)regs.orig_rax, args);
			t->in_exit = true;	/* to translate the result */
		}
	}

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) == 0) {
		c = task_clone(t, (pid_t)msg, t->clone_flags);
		if (c) {
			task_clone_event(t, c);
			held = ptrace_clone_stop(t, c, t->clone_flags);
			if (take_held(c->tid))
				start_child(c);
		} else {
			kill((pid_t)msg, SIGKILL);	/* no room for it */
		}
	}
	if (!held)
		tracee_resume(t, 0);
}

static void on_exec_event(struct task *t)
{
	unsigned long former = t->tid;
	struct task *f;
	pid_t former_vtid = t->vtid;

	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &former);
	f = task_by_tid((pid_t)former);
	if (f)
		former_vtid = f->vtid;
	if (f && f != t) {
		/* the exec'ing thread's call in progress continues as t */
		t->pending = f->pending;
		t->pending.task = t;
		t->in_exit = f->in_exit;
		f->pending.trace = NULL;
		free(t->exec_gpath);
		t->exec_gpath = f->exec_gpath;
		t->exec_dev = f->exec_dev;
		t->exec_by_loader = f->exec_by_loader;
		t->exec_ino = f->exec_ino;
		t->prog_dev = f->prog_dev;
		t->prog_ino = f->prog_ino;
		t->exec_uid = f->exec_uid;	/* set-id ids: the exec'ing thread's */
		t->exec_gid = f->exec_gid;
		f->exec_gpath = NULL;
		/* and its seccomp filters, which an exec keeps */
		gfilter_put(t->gfilter);
		t->gfilter = gfilter_get(f->gfilter);
		t->seccomp_mode = f->seccomp_mode;
	}
	/* a new image: nothing of the old call's registers to restore */
	t->pending.args_changed = t->pending.nr_changed = false;
	task_exec(t, (pid_t)former);
	if (t->gfilter)
		loader_range(t);
	if (exec_check(t) && !ptrace_exec_stop(t, former_vtid))
		tracee_resume(t, 0);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

static void on_event_stop(struct task *t, int sig)
{
	if (t->gp.ntrace_due) {
		on_notified_trace(t);
	} else if (t->state == TASK_NEW) {
		start_child(t);
	} else if (is_stop_signal(sig)) {
		if (ptrace_group_stop(t, sig))
			return;		/* its guest tracer sees it */
		/* group-stop: stay stopped, but let SIGCONT wake us */
		t->listening = !ptrace(PTRACE_LISTEN, t->tid, 0, 0);
		if (t == task_init())
			job_init_stopped();
	} else if (!ptrace_interrupt_stop(t)) {
		tracee_resume(t, 0);
	}
}

#define ERESTARTSYS	512
#define ERESTARTNOINTR	513

/*
 * Calls Linux may interrupt with EINTR even when the monitor answers them
 * at once: the socket calls it can hand back to run natively (a blocking
 * send, accept or connect).  Every other user notification names a path,
 * an identity or a queue, and Linux never fails it with EINTR.
 */
static bool may_eintr(long nr)
{
	switch (nr) {
	case __NR_sendmsg: case __NR_sendmmsg: case __NR_sendto:
	case __NR_recvfrom: case __NR_accept: case __NR_accept4:
	case __NR_connect:
		return true;
	default:
		return false;
	}
}

/*
 * A signal that reaches a guest waiting in a user notification the
 * monitor has not taken yet withdraws the call (WAIT_KILLABLE_RECV only
 * covers one the monitor took): nothing was done, and the guest would
 * fail a mkdir or a rename with EINTR, which Linux never answers.  At the
 * delivery stop such a call is made to restart whatever SA_RESTART says,
 * unless the monitor answered ERESTARTSYS itself (a worker the signal
 * interrupted), or Linux could interrupt the call too.
 */
static void restart_withdrawn(struct task *t)
{
	struct user_regs_struct regs;
	long nr;

	if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) ||
	    (long)regs.rax != -ERESTARTSYS)
		return;
	nr = (long)regs.orig_rax;
	if (nr < 0 || nr >= NR_SYSCALLS || syscall_table[nr].cls != SC_NOTIFY ||
	    may_eintr(nr) || notify_restart_answered(t->tid))
		return;
	regs.rax = (unsigned long long)-ERESTARTNOINTR;
	ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
}

static void on_signal(struct task *t, int sig)
{
	siginfo_t si;

	if (t->gp.withdrawn)
		unskip_withdrawn(t);
	restart_withdrawn(t);

	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) == 0) {
		siginfo_t before = si;

		if (seccomp_strict_violation(&si)) {
			tracee_resume(t, SIGKILL);
			return;
		}
		if (signal_init_drops(t, &si) || signal_stale_stop(t, &si)) {
			tracee_resume(t, 0);
			return;
		}

		signal_translate_siginfo(&si);
		if (memcmp(&si, &before, sizeof(si)))
			ptrace(PTRACE_SETSIGINFO, t->tid, 0, &si);
		if (ptrace_signal_stop(t, sig, &si))
			return;		/* its guest tracer decides */
		coredump(t, &si);
	}
	tracee_resume(t, sig);
}

/* An event only a guest tracer asked the host for: its, if it wants it. */
static void on_guest_event(struct task *t, int event)
{
	unsigned long msg = 0;

	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg);
	if (event == PTRACE_EVENT_VFORK_DONE)
		msg = (unsigned long)pid_to_guest_recent((pid_t)msg);
	if (!ptrace_guest_event(t, event, msg))
		tracee_resume(t, 0);
}

static void on_stop(struct task *t, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;

	t->listening = false;
	if (t->gp.opts_pending) {
		t->gp.opts_pending = false;
		host_tracee_options(t, t->gp.opts);
	}

	if (sig == (SIGTRAP | 0x80))
		return on_syscall_stop(t);
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		return on_seccomp(t);
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		return on_clone_event(t);
	case PTRACE_EVENT_EXEC:
		return on_exec_event(t);
	case PTRACE_EVENT_STOP:
		return on_event_stop(t, sig);
	case 0:
		return on_signal(t, sig);
	case PTRACE_EVENT_EXIT:
	case PTRACE_EVENT_VFORK_DONE:
		return on_guest_event(t, event);
	default:
		return tracee_resume(t, 0);
	}
}

/*
 * A guest tracer attached to a task in a group-stop: Linux has it trap at
 * once, so that the tracer's next request finds it stopped.  Out of its
 * PTRACE_LISTEN here too, and its stop is taken now (a death is left to
 * the loop, which collects it under the rules above).
 */
void host_tracee_trap(struct task *t)
{
	siginfo_t si = { 0 };
	int status;

	if (!t->listening || ptrace(PTRACE_INTERRUPT, t->tid, 0, 0))
		return;
	if (waitid(P_PID, t->tid, &si, WSTOPPED | WEXITED | __WALL | WNOWAIT) ||
	    si.si_code != CLD_TRAPPED ||
	    waitpid(t->tid, &status, __WALL | WNOHANG) != t->tid)
		return;
	on_stop(t, status);
}

/* When init dies, the guest dies: as when a pid namespace's init exits. */
static void kill_guest(void)
{
	struct task *t;

	for_each_task(t)
		if (t != task_init() && t->state != TASK_ZOMBIE)
			t->pidfd >= 0 ? host_pidfd_signal(t->pidfd, SIGKILL,
							  NULL, false) :
					kill(t->tid, SIGKILL);
	for (int i = 0; i < nheld; i++)
		kill(held[i], SIGKILL);
}

static void on_task_exit(struct task *t, int status)
{
	bool leader = task_is_leader(t);

	ptrace_task_exit(t, status);
	if (t == task_init()) {
		mon.init_exited = true;
		mon.init_status = status;
		kill_guest();
		task_exited(t);
		task_release(t);
		return;
	}
	task_exited(t);
	/*
	 * Gone from the host already: its parent ignores SIGCHLD, or is
	 * reaping it in a wait that will report it at its exit stop.
	 */
	if (leader && !task_reaper_waiting(t) && t->pidfd >= 0 &&
	    !host_pidfd_alive(t->pidfd))
		task_release(t);
	if (leader)
		task_forget_released();
}

/*
 * After init's death nothing resumes: every stop of any task ends in
 * SIGKILL, and so does every child a clone event announces (a fork bomb
 * keeps creating them while the first sweep runs).
 */
static void reap_after_init(pid_t tid, int status)
{
	struct task *t = task_by_tid(tid);
	unsigned long child;
	int event = status >> 16;

	if (!WIFSTOPPED(status)) {
		if (t)
			task_release(t);
		return;
	}
	if ((event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
	     event == PTRACE_EVENT_CLONE) &&
	    ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0)
		kill((pid_t)child, SIGKILL);
	kill(tid, SIGKILL);
	ptrace(PTRACE_CONT, tid, 0, 0);
}

static void on_status(pid_t tid, int status)
{
	struct task *t = task_by_tid(tid);

	if (mon.init_exited) {
		reap_after_init(tid, status);
		return;
	}
	if (debug)
		fprintf(stderr, "umbra: [%d/%d] status %#x\n", tid,
			t ? t->vtid : 0, status);

	if (!t) {
		if (WIFSTOPPED(status) && nheld < MAX_HELD)
			hold(tid);	/* its creator's event comes */
		else if (WIFSTOPPED(status))
			kill(tid, SIGKILL);
		else
			take_held(tid);
		return;
	}
	if (WIFEXITED(status) || WIFSIGNALED(status))
		on_task_exit(t, status);
	else if (WIFSTOPPED(status))
		on_stop(t, status);
}

/*
 * A held task waits for its creator's clone event, which never comes if
 * the creator was killed between creating it and that stop (the host skips
 * a ptrace stop when a fatal signal is pending).  A new thread dies with
 * its group on its own; a new process whose parent is gone is the guest's
 * orphan: init adopts it, as the host would have.  Run before sleeping,
 * so only when the stops have dried up.
 *
 * The host makes such an orphan init's child (init is a subreaper), and
 * init runs: a child whose host parent changed since it was held is an
 * orphan; one that was init's child from the start is an orphan rather
 * than init's own new child once it has waited longer than any creator
 * takes from making a child to its event stop (microseconds; a second
 * allows for a starved CPU).  Before, such an orphan stayed stopped for
 * good.
 */
#define HELD_ORPHAN_NS 1000000000ULL

static void held_resolve(void)
{
	for (int i = 0; i < nheld; i++) {
		pid_t tid = held[i], tgid = 0, ppid = 0;
		struct task *p, *c;

		if (host_task_ids(tid, &tgid, &ppid) || tgid != tid)
			continue;
		p = task_by_tid(ppid);
		if (p && p->state == TASK_RUNNING &&
		    (p != task_init() || (ppid == held_ppid[i] &&
		     now_ns() - held_since[i] < HELD_ORPHAN_NS)))
			continue;	/* its event is on its way */
		unhold(i--);
		c = task_init() ? task_clone(task_init(), tid, SIGCHLD) : NULL;
		if (c)
			start_child(c);
		else
			kill(tid, SIGKILL);
	}
}

/*
 * The next event: its task, and whether it is a death.  A death is only
 * looked at here (WNOWAIT) and collected under the kernel lock, after the
 * kernel has marked the task dead: collecting it is what lets the host
 * release the task and reuse its number, and no handler on the other
 * thread may act on that number meanwhile.
 *
 * Stops come in bursts (a fork: the event, the child's first stop, the
 * exit): a short poll before sleeping avoids paying a cross-CPU wake-up
 * for each of them.
 */
static siginfo_t peeked;	/* what peek_next() saw last */

static pid_t peek_next(bool *death, bool nohang)
{
	siginfo_t *si = &peeked;
	int flags = WEXITED | WSTOPPED | __WALL | WNOWAIT;

	si->si_pid = 0;
	if (waitid(P_ALL, 0, si, flags | (nohang ? WNOHANG : 0)))
		return -1;
	*death = si->si_code == CLD_EXITED || si->si_code == CLD_KILLED ||
		 si->si_code == CLD_DUMPED;
	return si->si_pid;
}

static pid_t wait_next(bool *death)
{
	for (int i = 0; i < spin_iters; i++) {
		pid_t tid = peek_next(death, true);

		if (tid != 0)
			return tid;
	}
	/* a held orphan is adopted only after a while: poll till then */
	while (nheld) {
		pid_t tid = peek_next(death, true);

		if (tid != 0)
			return tid;
		kernel_lock();
		held_resolve();
		kernel_unlock();
		if (nheld)
			usleep(10000);
	}
	return kick_wait(peek_next, death);
}

void ptrace_loop(void)
{
	const char *spin = getenv("UMBRA_SPIN");

	debug = getenv("UMBRA_DEBUG") != NULL;
	pin_resume = !getenv("UMBRA_NO_PIN");
	if (spin)
		spin_iters = atoi(spin);
	kick_setup();
	for (;;) {
		int status = 0;
		bool death;
		pid_t tid, got;

		if (kicks_pending()) {
			kernel_lock();
			kicks_run();
			kernel_unlock();
		}

		/*
		 * Every guest task is gone.  Not ECHILD alone: a monitor that
		 * is a subreaper (an umbra that is another's init) has its
		 * own guard for a child, until the monitor ends.
		 */
		if (mon.init_exited && !task_count() && !nheld)
			break;
		tid = wait_next(&death);

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;	/* ECHILD: every guest task is gone */
		}
		if (!death && waitpid(tid, &status, __WALL | WNOHANG) != tid)
			continue;
		kernel_lock();
		if (death) {
			/* the parent's SIGCHLD in guest terms goes first */
			if (!mon.init_exited)
				signal_child_exit(task_by_tid(tid),
						  peeked.si_code,
						  peeked.si_status);
			/* the kernel forgets the number before the host does */
			got = waitpid(tid, &status, __WALL | WNOHANG);
			if (got == tid)
				on_status(tid, status);
		} else {
			on_status(tid, status);
		}
		kernel_unlock();
	}
}
