/* SPDX-License-Identifier: GPL-2.0 */
/* Pid arguments of calls without a pidfd form: in place or by the monitor. */
#ifndef UMBRA_PIDARG_H
#define UMBRA_PIDARG_H

#include <errno.h>
#include "kernel/task.h"

/* sched.c: a host call the monitor makes for the guest, without its caps */
long as_guest5(long nr, long a, long b, long c, long d, long e);
#define as_guest(nr, a, b, c, d) as_guest5(nr, a, b, c, d, 0)

/*
 * Argument i names a task for a call that has no pidfd form.  The
 * caller's own tid and process id may go to the host in place: neither
 * can be released while the caller is in the call.  Any other task's
 * number could be, between the monitor's decision and the host's lookup
 * (the loop collects deaths while the caller runs on): such a call is
 * made by the monitor itself under the kernel lock, where no death is
 * collected.  Returns 0 (translated in place, or 0 / a negative value
 * for the host to answer), 1 with the other task's host tid in *h, or
 * -ESRCH.
 */
static inline long self_or_other(struct trap *t, int i, pid_t *h)
{
	pid_t v = (pid_t)t->args[i];

	if (v <= 0)
		return 0;
	*h = pid_to_host(v);
	if (!*h)
		return -ESRCH;
	if (v != t->task->vtid && v != task_vpid(t->task))
		return 1;
	trap_set_arg(t, i, (uint64_t)*h);
	return 0;
}

#endif
