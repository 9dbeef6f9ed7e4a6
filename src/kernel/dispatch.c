// SPDX-License-Identifier: GPL-2.0
/*
 * The one dispatcher: every intercepted call, from either platform thread,
 * goes through do_syscall() and, if its handler asked to see the result,
 * through do_syscall_exit().
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "kernel/fs/dcache.h"
#include "kernel/kernel.h"
#include "kernel/syscalls.h"
#include "kernel/trace.h"

uint16_t umbra_trace_data = 0x8000;

/* Outside the guest listeners' marks (seccomp_notif.h): 0x8000 and up. */
void umbra_trace_data_pick(void)
{
	uint16_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint16_t)getpid();
	umbra_trace_data = 0x8000 | (r & 0x7fff);
}

struct kconfig kconfig = {
	.trace_fd = -1,
	.hostname = "umbra",
	.domainname = "(none)",
};

#define CLS(c, err, arg, zn) \
	.cls = c, .refuse_errno = err, .notify_if_arg = arg, .zero_native = zn
#define CLS_NATIVE		CLS(SC_NATIVE, 0, -1, false)
#define CLS_NOTIFY		CLS(SC_NOTIFY, 0, -1, false)
#define CLS_NOTIFY_IF_ARG1	CLS(SC_NOTIFY, 0, 1, false)
#define CLS_NOTIFY_IF_ARG4	CLS(SC_NOTIFY, 0, 4, false)
#define CLS_TRACE		CLS(SC_TRACE, 0, -1, false)
#define CLS_TRACE_NOTIFY0_ARG1	CLS(SC_TRACE, 0, 1, false)
#define CLS_TRACE_NOTIFY0_ARG2	CLS(SC_TRACE, 0, 2, false)
#define CLS_TRACE_NATIVE0_ARG0	CLS(SC_TRACE, 0, 0, true)
#define CLS_TRACE_NATIVE0_ARG1	CLS(SC_TRACE, 0, 1, true)
#define CLS_REFUSE_ENOSYS	CLS(SC_REFUSE, ENOSYS, -1, false)
#define CLS_REFUSE_EPERM	CLS(SC_REFUSE, EPERM, -1, false)
#define CLS_REFUSE_EOPNOTSUPP	CLS(SC_REFUSE, EOPNOTSUPP, -1, false)
#define SYSCALL(nr, nm, cls, fmt) \
	[nr] = { .name = #nm, CLS_##cls, .argfmt = fmt },
const struct syscall_info syscall_table[NR_SYSCALLS] = {
#include "kernel/syscalls.def"
};
#undef SYSCALL

#define HANDLER(name) [__NR_##name] = sys_##name,
static const syscall_fn handlers[NR_SYSCALLS] = {
	SYSCALL_HANDLERS(HANDLER)
};
#undef HANDLER

static pthread_mutex_t klock = PTHREAD_MUTEX_INITIALIZER;

void kernel_lock(void)
{
	pthread_mutex_lock(&klock);
}

void kernel_unlock(void)
{
	pthread_mutex_unlock(&klock);
}

const char *syscall_name(int nr)
{
	if (nr >= 0 && nr < NR_SYSCALLS && syscall_table[nr].name)
		return syscall_table[nr].name;
	return NULL;
}

void do_syscall(struct trap *t)
{
	syscall_fn fn = t->nr >= 0 && t->nr < NR_SYSCALLS ?
			handlers[t->nr] : NULL;

	t->action = ACT_RETURN;
	t->args_changed = false;
	t->nr_changed = false;
	t->keep_regs = false;
	t->at_exit = false;
	t->exit_fn = NULL;
	t->restart_nr = 0;
	t->inject_nr = 0;
	t->inject_fn = NULL;
	t->trace = NULL;
	for (int i = 0; i < 6; i++)
		t->orig_args[i] = t->args[i];
	if (kconfig.trace_fd >= 0)
		trace_enter(t);
	dcache_syscall_begin(t->nr, t->orig_args);
	t->ret = fn ? fn(t) : -ENOSYS;
	dcache_syscall_done(t->nr, t->orig_args);

	/* No worker thread under ptrace: the work is done here. */
	if (t->action == ACT_LATER && t->source != TRAP_NOTIFY) {
		t->action = ACT_RETURN;
		do
			t->ret = t->later_fn(t);
		while (t->ret == -EINTR);
		if (t->later_put)
			t->later_put(t);
	}
	/* A notification cannot rewrite arguments or see the result. */
	if (t->source == TRAP_NOTIFY && t->action == ACT_NATIVE &&
	    (t->args_changed || t->at_exit || t->nr_changed)) {
		t->action = ACT_RETURN;
		t->ret = -ENOSYS;
	}
	if (!t->trace)
		return;
	if (t->action == ACT_NATIVE && t->source == TRAP_PTRACE)
		t->at_exit = true;	/* the trace wants the result */
	else if (t->action != ACT_NATIVE)
		trace_leave(t, t->ret);
	else
		trace_leave_native(t);
}

void do_syscall_exit(struct trap *t, long *result)
{
	if (t->exit_fn)
		t->exit_fn(t, result);
	if (t->trace)
		trace_leave(t, *result);
}
