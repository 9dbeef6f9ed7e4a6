/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the tracer thread's two files: ptrace.c (the loop and the stops
 * every guest makes) and ptrace_guest.c (the stops a guest's own filters
 * make, and the work other threads hand the tracer thread).
 */
#ifndef UMBRA_PTRACE_INT_H
#define UMBRA_PTRACE_INT_H

#include <stdbool.h>
#include <sys/types.h>
#include <sys/user.h>

struct task;

/* ptrace.c: on with t, to its syscall's exit if the monitor wants it */
void tracee_resume(struct task *t, int sig);

/* ptrace_guest.c */
bool guest_seccomp(struct task *t);
bool after_guest_seccomp(struct task *t,
			 const struct user_regs_struct *regs);
void ntrace_resume(struct task *t);
void on_notified_trace(struct task *t);
void loader_range(struct task *t);
void unskip_withdrawn(struct task *t);
void kick_setup(void);
bool kicks_pending(void);
void kicks_run(void);
pid_t kick_wait(pid_t (*wait)(bool *, bool), bool *death);

#endif
