// SPDX-License-Identifier: GPL-2.0
/*
 * The stops a guest tracer sees.  The host stops a traced task for the
 * monitor; when Linux would stop it for its tracer too, the task is held
 * in that host stop, its wait status and siginfo are kept for the
 * tracer's wait and PTRACE_GETSIGINFO, and the tracer gets its SIGCHLD.
 * The guest tracer's PTRACE_CONT and friends end the host stop
 * (host_tracee_resume), with the request its mode asks for.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kernel/exec.h"
#include "kernel/ptrace.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

int ptrace_tracees;

#define STOPPED(sig)	(((sig) << 8) | 0x7f)
#define EVENT_SIG(ev)	(SIGTRAP | (ev) << 8)

/* Hold t for its tracer: the stop waits for the tracer's wait. */
static bool hold(struct task *t, int kind, int status)
{
	t->gp.stop = (uint8_t)kind;
	t->gp.status = status;
	t->gp.unreported = true;
	t->gp.si_set = false;
	ptrace_report(t, CLD_TRAPPED, (status >> 8) & 0x7f);
	return true;
}

static void si_plain(siginfo_t *si, int sig, const struct task *t)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_USER;
	si->si_pid = task_vpid(t);
	si->si_uid = t->cred.uid;
}

bool ptrace_signal_stop(struct task *t, int sig, const siginfo_t *si)
{
	if (!t->gp.tracer || sig == SIGKILL)
		return false;
	t->gp.si = *si;
	return hold(t, GSTOP_SIGNAL, STOPPED(sig));
}

static bool event_stop(struct task *t, int event, unsigned long msg)
{
	t->gp.msg = msg;
	si_plain(&t->gp.si, SIGTRAP, t);
	t->gp.si.si_code = EVENT_SIG(event);
	return hold(t, GSTOP_EVENT, STOPPED(EVENT_SIG(event)));
}

/* A group-stop; a seized tracee reports it as PTRACE_EVENT_STOP. */
bool ptrace_group_stop(struct task *t, int sig)
{
	if (!t->gp.tracer)
		return false;
	t->gp.listening = false;
	si_plain(&t->gp.si, sig, t);
	return hold(t, GSTOP_GROUP, STOPPED(t->gp.seized ?
		    sig | PTRACE_EVENT_STOP << 8 : sig));
}

/* The host trap of a PTRACE_INTERRUPT, or of a SIGCONT while listening. */
bool ptrace_interrupt_stop(struct task *t)
{
	if (!t->gp.tracer || (!t->gp.interrupt && !t->gp.listening))
		return false;
	t->gp.interrupt = false;
	t->gp.listening = false;
	return event_stop(t, PTRACE_EVENT_STOP, 0);
}

bool ptrace_reports_syscalls(const struct task *t)
{
	return t->gp.tracer && (t->gp.mode == PTM_SYSCALL ||
				t->gp.mode == PTM_SYSEMU ||
				t->gp.mode == PTM_SYSEMU_STEP);
}

static int syscall_sig(const struct task *t)
{
	return t->gp.opts & PTRACE_O_TRACESYSGOOD ? SIGTRAP | 0x80 : SIGTRAP;
}

/*
 * umbra's loader maps the program after the host's exec: its calls are
 * none of the tracer's business, and the exec's stops wait for its last
 * call, prctl(PR_SET_MM, PR_SET_MM_MAP), after which the program's image
 * is whole, as Linux's is at its exec stops.
 */
static bool loader_entry(struct task *t, int nr, const uint64_t *args)
{
	if (nr == __NR_prctl && args[0] == PR_SET_MM &&
	    args[1] == PR_SET_MM_MAP)
		t->gp.loader_done = true;
	return false;
}

static bool exec_report(struct task *t)
{
	if (t->gp.opts & PTRACE_O_TRACEEXEC) {
		/* Linux: the EXEC event, then the execve's exit-stop */
		t->gp.exit_due = t->gp.sys_entered;
		t->gp.sys_entered = false;
		return event_stop(t, PTRACE_EVENT_EXEC,
				  (unsigned long)t->gp.exec_former);
	}
	if (!t->gp.seized)
		signal_thread(t, SIGTRAP, task_vpid(t));
	return false;
}

/* A syscall-enter- or -exit-stop: the same report either way. */
static bool syscall_stop(struct task *t)
{
	si_plain(&t->gp.si, SIGTRAP, t);
	t->gp.si.si_code = syscall_sig(t);
	return hold(t, GSTOP_SYSCALL, STOPPED(syscall_sig(t)));
}

bool ptrace_syscall_entry(struct task *t, int nr, const uint64_t *args)
{
	if (t->gp.in_loader)
		return loader_entry(t, nr, args);
	if (!ptrace_reports_syscalls(t) || t->gp.sys_entered)
		return false;	/* (entered: the monitor restarted the call) */
	t->gp.sys_nr = nr;
	/* under PTRACE_SYSEMU the call is skipped: no exit-stop */
	t->gp.sys_entered = t->gp.mode == PTM_SYSCALL;
	return syscall_stop(t);
}

static bool exit_stop(struct task *t)
{
	t->gp.sys_entered = false;
	if (t->gp.mode != PTM_SYSCALL)
		return false;
	return syscall_stop(t);
}

bool ptrace_syscall_exit(struct task *t)
{
	if (!t->gp.tracer)
		return false;
	if (t->gp.in_loader) {
		if (!t->gp.loader_done)
			return false;
		t->gp.in_loader = t->gp.loader_done = false;
		if (exec_report(t))
			return true;
	}
	return t->gp.sys_entered && exit_stop(t);
}

/* The guest tracer resumed an EXEC event: the exit-stop comes now. */
bool ptrace_exit_due(struct task *t)
{
	if (!t->gp.exit_due)
		return false;
	t->gp.exit_due = false;
	return exit_stop(t);
}

/*
 * After a successful exec: PTRACE_EVENT_EXEC if asked for, else (not
 * seized) the SIGTRAP Linux sends, which comes back as a signal stop;
 * both once the loader is done, if the exec went through it.
 */
bool ptrace_exec_stop(struct task *t, pid_t former_vtid)
{
	if (!t->gp.tracer)
		return false;
	t->gp.exec_former = former_vtid;
	if (exec_via_loader(t)) {
		t->gp.in_loader = true;
		t->gp.loader_done = false;
		return false;
	}
	return exec_report(t);
}

static int clone_event(uint64_t flags)
{
	if (flags & CLONE_VFORK)
		return PTRACE_EVENT_VFORK;
	if ((flags & CSIGNAL) != SIGCHLD)
		return PTRACE_EVENT_CLONE;
	return PTRACE_EVENT_FORK;
}

static unsigned int event_opt(int event)
{
	return 1U << event;	/* PTRACE_O_TRACEFORK is 1 << EVENT_FORK */
}

/*
 * A traced task made a child: the child is traced too if its tracer asked
 * for that kind of child (or the clone said CLONE_PTRACE), and the parent
 * then stops in PTRACE_EVENT_FORK/VFORK/CLONE with the child's pid.
 */
bool ptrace_clone_stop(struct task *p, struct task *c, uint64_t flags)
{
	int event = clone_event(flags);
	bool asked = p->gp.opts & event_opt(event);

	if (!p->gp.tracer || (flags & CLONE_UNTRACED) ||
	    (!asked && !(flags & CLONE_PTRACE)))
		return false;
	c->gp.tracer = p->gp.tracer;
	c->gp.opts = p->gp.opts;
	c->gp.seized = p->gp.seized;
	c->gp.mode = PTM_CONT;
	c->gp.auto_attached = true;
	ptrace_tracees++;
	if (!asked)
		return false;
	return event_stop(p, event, (unsigned long)c->vtid);
}

/* A new tracee's first stop: SIGSTOP, or PTRACE_EVENT_STOP if seized. */
bool ptrace_child_start(struct task *c)
{
	if (!c->gp.tracer || !c->gp.auto_attached)
		return false;	/* (attached before it ran: its SIGSTOP comes) */
	c->gp.auto_attached = false;
	if (c->gp.seized)
		return event_stop(c, PTRACE_EVENT_STOP, 0);
	si_plain(&c->gp.si, SIGSTOP, c);
	return hold(c, GSTOP_EVENT, STOPPED(SIGSTOP));
}

/* PTRACE_EVENT_EXIT, PTRACE_EVENT_VFORK_DONE: the tracer's if it asked. */
bool ptrace_guest_event(struct task *t, int event, unsigned long msg)
{
	if (!t->gp.tracer || !(t->gp.opts & event_opt(event)))
		return false;
	return event_stop(t, event, msg);
}

/* A guest's own filter said SECCOMP_RET_TRACE: its tracer's, if it asked. */
bool ptrace_seccomp_stop(struct task *t, unsigned long data)
{
	if (!ptrace_wants_seccomp(t))
		return false;
	t->gp.seccomp_held = true;
	return event_stop(t, PTRACE_EVENT_SECCOMP, data & 0xffff);
}

bool ptrace_wants_seccomp(const struct task *t)
{
	return t->gp.tracer && (t->gp.opts & PTRACE_O_TRACESECCOMP);
}

/*
 * A guest TRACE of a call umbra answers by notification reached its trap
 * stop (seccomp_filter.c): the tracer's PTRACE_EVENT_SECCOMP, if it
 * still asks for those.
 */
bool ptrace_seccomp_notified(struct task *t)
{
	if (!ptrace_wants_seccomp(t))
		return false;
	t->gp.ntrace_held = true;
	return event_stop(t, PTRACE_EVENT_SECCOMP, t->gp.ntrace_data);
}

/* The host request that resumes t as its guest tracer asked. */
int ptrace_host_request(const struct task *t)
{
	if (t->gp.in_loader)
		return PTRACE_SYSCALL;	/* to see its last call */
	switch (t->gp.tracer ? t->gp.mode : PTM_CONT) {
	case PTM_SYSCALL:
		return PTRACE_SYSCALL;
	case PTM_STEP:
		return PTRACE_SINGLESTEP;
	case PTM_SYSEMU:
		return PTRACE_SYSEMU;
	case PTM_SYSEMU_STEP:
		return PTRACE_SYSEMU_SINGLESTEP;
	default:
		return PTRACE_CONT;
	}
}

static void untrace(struct task *t)
{
	if (!t->gp.tracer)
		return;
	t->gp.tracer = NULL;
	t->gp.opts = 0;
	t->gp.mode = PTM_CONT;
	t->gp.stop = GSTOP_NONE;
	t->gp.sys_entered = t->gp.interrupt = t->gp.listening = false;
	t->gp.in_loader = t->gp.loader_done = t->gp.exit_due = false;
	t->gp.auto_attached = false;
	ptrace_tracees--;
}

/* Let go of t, resuming it if it is held (PTRACE_DETACH, a tracer's end). */
void ptrace_detach(struct task *t, int sig)
{
	bool held = t->gp.stop != GSTOP_NONE;

	untrace(t);
	if (held)
		host_tracee_resume(t, sig);
}

/*
 * A task died (status: the host's wait status).  A tracee's death goes to
 * its tracer's wait, unless the tracer is its parent, whose own wait sees
 * it on the host.  A tracer's tracees go free, or die with PTRACE_O_EXITKILL.
 */
void ptrace_task_exit(struct task *t, int status)
{
	struct task *c;

	ptrace_drop_zombies(t);
	if (!ptrace_tracees)
		return;
	if (t->gp.tracer) {
		struct task *tr = t->gp.tracer;

		if (!task_is_leader(t) || t->parent != tr->leader)
			ptrace_report(t, WIFEXITED(status) ? CLD_EXITED :
				      CLD_KILLED, WIFEXITED(status) ?
				      WEXITSTATUS(status) : WTERMSIG(status));
		untrace(t);
	}
	for_each_task(c) {
		if (c->gp.tracer != t)
			continue;
		if (c->gp.opts & PTRACE_O_EXITKILL)
			signal_thread(c, SIGKILL, 0);
		ptrace_detach(c, 0);
	}
}

/* t is being freed: nothing may point at it. */
void ptrace_forget(struct task *t)
{
	struct task *c;

	ptrace_drop_zombies(t);
	if (!ptrace_tracees)
		return;
	untrace(t);
	for_each_task(c)
		if (c->gp.tracer == t)
			untrace(c);
}
