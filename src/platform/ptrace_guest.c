// SPDX-License-Identifier: GPL-2.0
/*
 * The stops a guest's own seccomp filters make, for the tracer thread
 * (ptrace.c): a guest's RET_TRACE and USER_NOTIF held at the host's
 * seccomp stop, the trap stop of a notified call its tracer is to see,
 * the end of a listener's call held there, the loader's calls, which are
 * nobody's; and the work other threads hand the tracer thread (only it
 * may make ptrace requests), with the kick that wakes it for that.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include "kernel/kernel.h"
#include "kernel/ptrace.h"
#include "kernel/seccomp_notif.h"
#include "kernel/task.h"
#include "platform/filter.h"
#include "platform/platform.h"
#include "platform/ptrace_int.h"

#define ERESTARTSYS	512
#define ERESTARTNOINTR	513

/*
 * The end of a notified call's PTRACE_EVENT_SECCOMP: the call restarts
 * (as the tracer left it) unless the tracer skipped it (orig_rax -1, its
 * rax the result).  The trap stop ignores a signal, as Linux's seccomp
 * stop does.
 */
void ntrace_resume(struct task *t)
{
	struct user_regs_struct regs;

	t->gp.ntrace_held = false;
	if (!ptrace(PTRACE_GETREGS, t->tid, 0, &regs) &&
	    (long long)regs.orig_rax != -1) {
		regs.rax = (unsigned long long)-ERESTARTNOINTR;
		t->gp.recheck = (int)regs.orig_rax + 1;
		ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	}
	tracee_resume(t, 0);
}

/* The call at a syscall stop, as a seccomp filter sees it. */
static void call_data(const struct user_regs_struct *r, struct seccomp_data *d)
{
	*d = (struct seccomp_data){
		.nr = (int)r->orig_rax, .arch = AUDIT_ARCH_X86_64,
		.instruction_pointer = r->rip,
		.args = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 },
	};
}

/*
 * A stop a guest's own filter asked for (SECCOMP_RET_TRACE with data not
 * umbra's): its tracer's PTRACE_EVENT_SECCOMP if it asked for those, or
 * its listener's notification (seccomp_filter.c says which), else ENOSYS,
 * as Linux answers when nobody traces.  Only a task with filters of its
 * own can get one.
 */
bool guest_seccomp(struct task *t)
{
	struct user_regs_struct regs;
	struct seccomp_data d;
	unsigned long data;

	if (t->seccomp_mode != SECCOMP_MODE_FILTER ||
	    ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &data) ||
	    data == UMBRA_TRACE_DATA)
		return false;
	if (!ptrace(PTRACE_GETREGS, t->tid, 0, &regs)) {
		call_data(&regs, &d);
		switch (gseccomp_stop(t, &d)) {
		case GSECCOMP_TAKEN:
			return true;	/* held: umbra's part when resumed */
		case GSECCOMP_UMBRA:
			return false;
		}
	}
	host_tracee_return(t, -ENOSYS);
	return true;
}

/*
 * After the guest tracer's PTRACE_EVENT_SECCOMP: the host runs the call
 * once the stop ends (its filters' second look lets a traced call pass),
 * so umbra's part is due now for a call umbra's filters stop with a TRACE
 * (the class, or the arguments: an ioctl, a prctl, a seccomp), on the
 * registers as the tracer left them; any other call goes on natively,
 * or to umbra's notification, which the second look still makes.
 */
bool after_guest_seccomp(struct task *t,
				const struct user_regs_struct *regs)
{
	struct seccomp_data d;

	if (!t->gp.seccomp_done)
		return false;
	t->gp.seccomp_done = false;
	call_data(regs, &d);
	if (host_filter_traces(&d))
		return false;
	tracee_resume(t, 0);
	return true;
}

/*
 * The loader's code, for a task with filters of its own: the loader's
 * calls are the exec's, not the program's, and no guest TRACE or
 * USER_NOTIF of them is the guest's business (seccomp_filter.c).
 */
void loader_range(struct task *t)
{
	struct user_regs_struct regs;

	t->loader_running = false;
	if (!t->exec_by_loader || ptrace(PTRACE_GETREGS, t->tid, 0, &regs))
		return;
	t->loader_running = !host_mapping_of(t->tid, regs.rip, &t->loader_lo,
					     &t->loader_hi);
}

/*
 * The trap stop host_notif_trace() asked for (or the syscall-exit stop
 * that stands for it under PTRACE_SYSCALL: any ptrace stop clears a
 * pending INTERRUPT trap, and the call still restarts, as the trap left
 * a signal check due): the guest tracer's
 * PTRACE_EVENT_SECCOMP, which shows the call as Linux's seccomp stop
 * does (rax -ENOSYS); or, if the tracer no longer asks, a restart.
 */
void on_notified_trace(struct task *t)
{
	struct user_regs_struct regs;

	t->gp.ntrace_due = false;
	if (!ptrace_seccomp_notified(t)) {
		ntrace_resume(t);
		return;
	}
	if (!ptrace(PTRACE_GETREGS, t->tid, 0, &regs)) {
		regs.rax = (unsigned long long)-ENOSYS;
		ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	}
}

/* A listener's call withdrawn at its ptrace stop: its number is back. */
void unskip_withdrawn(struct task *t)
{
	struct user_regs_struct regs;

	if (!ptrace(PTRACE_GETREGS, t->tid, 0, &regs) &&
	    (long long)regs.orig_rax == -1 &&
	    (long)regs.rax == -ERESTARTSYS) {
		regs.orig_rax = (unsigned long long)(t->gp.withdrawn - 1);
		ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	}
	t->gp.withdrawn = 0;
}

/*
 * Work for this thread from the others (only the tracer thread may make
 * ptrace requests): a notified task to interrupt, a held call to end.
 * Queued under the kernel lock, then this thread is kicked by SIGKICK.
 * In its wait the kick jumps out of the wait; anywhere else the handler
 * does nothing (SA_RESTART: the call it came in goes on) and the loop
 * finds the work at its top.  No mask changes on the way to a wait: the
 * wait is this thread's hottest call.
 */
#define SIGKICK		(SIGRTMIN + 2)
#define KICK_MAX	64

static struct kick {
	pid_t tid;
	bool trace;	/* host_notif_trace(); else a held call's result */
	uint64_t id;
	long result;
} kicks[KICK_MAX];
static volatile sig_atomic_t nkicks;
static volatile sig_atomic_t kick_armed;
static sigjmp_buf kick_jmp;
static pthread_t tracer_thread;
static sigset_t kick_set;
static bool kick_ready;

static void on_kick(int sig)
{
	if (kick_armed) {
		kick_armed = 0;
		siglongjmp(kick_jmp, 1);
	}
}

void kick_setup(void)
{
	struct sigaction sa = { .sa_handler = on_kick, .sa_flags = SA_RESTART };

	tracer_thread = pthread_self();
	sigemptyset(&kick_set);
	sigaddset(&kick_set, SIGKICK);
	sigaction(SIGKICK, &sa, NULL);
	pthread_sigmask(SIG_UNBLOCK, &kick_set, NULL);
	kick_ready = true;
}

static bool kick(const struct kick *k)
{
	if (!kick_ready || nkicks >= KICK_MAX)
		return false;
	kicks[nkicks] = *k;
	nkicks = nkicks + 1;
	pthread_kill(tracer_thread, SIGKICK);
	return true;
}

bool host_notif_trace(struct task *t, uint64_t id)
{
	return kick(&(struct kick){ .tid = t->tid, .trace = true, .id = id });
}

/*
 * A listener's notification held at a ptrace stop ends (a signal, the
 * listener closed).  With -ERESTARTSYS the call is skipped (orig_rax -1),
 * and its number goes back at the signal's delivery stop (on_signal),
 * where Linux decides between a restart and EINTR.  False if the queue
 * is full: the caller tries again later.
 */
bool host_tracee_return_later(struct task *t, long result)
{
	return kick(&(struct kick){ .tid = t->tid, .result = result });
}

bool kicks_pending(void)
{
	return nkicks != 0;
}

static void kick_return(struct task *t, long result)
{
	struct user_regs_struct regs;

	if (result == -ERESTARTSYS &&
	    !ptrace(PTRACE_GETREGS, t->tid, 0, &regs))
		t->gp.withdrawn = (int)regs.orig_rax + 1;
	host_tracee_return(t, result);
}

/*
 * The interrupt first, then the answer: the trap is pending when the
 * call returns, so ERESTARTNOINTR meets it and restarts (or the tracer
 * skips the call).  A task gone meanwhile takes no answer.
 */
void kicks_run(void)
{
	for (int i = 0; i < nkicks; i++) {
		struct task *t = task_by_tid(kicks[i].tid);

		if (t && !kicks[i].trace)
			kick_return(t, kicks[i].result);
		if (!t || !kicks[i].trace || !t->gp.ntrace_due)
			continue;
		if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0)) {
			t->gp.ntrace_due = false;
			host_notif_result(kicks[i].id, -ENOSYS);
		} else {
			host_notif_result(kicks[i].id, -ERESTARTNOINTR);
		}
	}
	nkicks = 0;
}

/* The blocking wait(death, false), which a kick ends (EINTR). */
pid_t kick_wait(pid_t (*wait)(bool *, bool), bool *death)
{
	pid_t tid;

	if (sigsetjmp(kick_jmp, 0)) {
		/* out of the handler by a jump: SIGKICK is still blocked */
		pthread_sigmask(SIG_UNBLOCK, &kick_set, NULL);
		errno = EINTR;
		return -1;
	}
	kick_armed = 1;
	if (nkicks) {
		kick_armed = 0;
		errno = EINTR;
		return -1;
	}
	tid = wait(death, false);
	kick_armed = 0;
	return tid;
}

