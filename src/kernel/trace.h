/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_TRACE_H
#define UMBRA_TRACE_H

#include "kernel/kernel.h"

void trace_enter(struct trap *t);
void trace_leave(struct trap *t, long result);
void trace_leave_native(struct trap *t);
void trace_event(int vpid, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
