/* SPDX-License-Identifier: GPL-2.0 */
/* Translating pid arguments from guest to host numbers in place. */
#ifndef UMBRA_PIDARG_H
#define UMBRA_PIDARG_H

#include <errno.h>
#include "kernel/task.h"

/*
 * Argument i names a process or thread: 0 ("myself") and negative values
 * (errors the host will report) pass unchanged; a number the guest cannot
 * see is ESRCH, as in a pid namespace.
 */
static inline long xlate_pid_arg(struct trap *t, int i)
{
	pid_t v = (pid_t)t->args[i], h;

	if (v <= 0)
		return 0;
	h = pid_to_host(v);
	if (!h)
		return -ESRCH;
	trap_set_arg(t, i, (uint64_t)h);
	return 0;
}

static inline long xlate_pgrp_arg(struct trap *t, int i)
{
	pid_t v = (pid_t)t->args[i], h;

	if (v <= 0)
		return 0;
	h = pgrp_to_host(v);
	if (!h)
		return -ESRCH;
	trap_set_arg(t, i, (uint64_t)h);
	return 0;
}

/* sched.c: a host call the monitor makes for the guest, without its caps */
long as_guest(long nr, long a, long b, long c, long d);

/* The common case: translate argument i, then let the host do the work. */
static inline long native_with_pid(struct trap *t, int i)
{
	long err = xlate_pid_arg(t, i);

	return err ? err : trap_native(t);
}

#endif
