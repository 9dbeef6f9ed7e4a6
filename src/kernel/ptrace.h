/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptrace for guest tracers (ptrace.c, ptrace_stop.c, ptrace_wait.c).
 * The monitor is the only host tracer of every guest task.  A guest's
 * PTRACE_* requests are the guest kernel's business: it keeps each
 * tracee's tracer, options and stop, and when the host stops a traced
 * task for a reason its guest tracer would see, the platform asks the
 * hooks below whether to hold it there (true: it stays in its host stop
 * until the guest tracer resumes it through host_tracee_resume()).
 *
 * Everything here runs on the ptrace thread under the kernel lock: the
 * handlers are SC_TRACE, so only the thread that may issue host ptrace
 * requests touches tracees.
 */
#ifndef UMBRA_KERNEL_PTRACE_H
#define UMBRA_KERNEL_PTRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct task;
struct trap;

/* Anyone traced at all?  The hooks cost nothing while nobody is. */
extern int ptrace_tracees;

/* Stops (ptrace_stop.c): true when the task is held for its tracer. */
bool ptrace_signal_stop(struct task *t, int sig, const siginfo_t *si);
bool ptrace_group_stop(struct task *t, int sig);
bool ptrace_interrupt_stop(struct task *t);
bool ptrace_syscall_entry(struct task *t, int nr, const uint64_t *args);
bool ptrace_exit_due(struct task *t);
bool ptrace_seccomp_stop(struct task *t, unsigned long data);
bool ptrace_wants_seccomp(const struct task *t);
bool ptrace_seccomp_notified(struct task *t);
bool ptrace_guest_event(struct task *t, int event, unsigned long msg);
bool ptrace_syscall_exit(struct task *t);
bool ptrace_exec_stop(struct task *t, pid_t former_vtid);
bool ptrace_clone_stop(struct task *parent, struct task *child,
		       uint64_t flags);
bool ptrace_child_start(struct task *c);
void ptrace_task_exit(struct task *t, int status);
void ptrace_forget(struct task *t);
void ptrace_detach(struct task *t, int sig);
int ptrace_host_request(const struct task *t);
bool ptrace_reports_syscalls(const struct task *t);

/* Waits (ptrace_wait.c): a tracer's wait4/waitid, before the host's. */
bool ptrace_wait4(struct trap *t, long *ret);
bool ptrace_waitid(struct trap *t, long *ret);
bool ptrace_wait_interrupted(struct trap *t, long *result);
void ptrace_drop_zombies(struct task *tracer);
void ptrace_wake_tracer(struct task *tracer);
void ptrace_report(struct task *tracee, int code, int status);

/* May me read and write to's memory, as a tracer could? */
bool ptrace_may_access(const struct task *me, const struct task *to);

/* prctl(PR_SET_PTRACER) */
long ptrace_set_ptracer(struct trap *t);

/* The stop's registers as the guest made the call (ptrace.c). */
void ptrace_fix_regs(const struct task *tracee, void *user_regs);

#endif
