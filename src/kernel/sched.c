// SPDX-License-Identifier: GPL-2.0
/*
 * Calls that name another task by pid and otherwise mean what the host
 * means: the pid is translated, the host does the work.
 */
#include <errno.h>
#include <linux/capability.h>
#include "kernel/pidarg.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

#define PID_ARG0(name)					\
long sys_##name(struct trap *t)				\
{							\
	return native_with_pid(t, 0);			\
}

PID_ARG0(sched_setparam)
PID_ARG0(sched_getparam)
PID_ARG0(sched_setscheduler)
PID_ARG0(sched_getscheduler)
PID_ARG0(sched_setaffinity)
PID_ARG0(sched_getaffinity)
PID_ARG0(sched_rr_get_interval)
PID_ARG0(sched_setattr)
PID_ARG0(sched_getattr)
PID_ARG0(process_vm_readv)
PID_ARG0(process_vm_writev)
PID_ARG0(migrate_pages)
PID_ARG0(move_pages)
PID_ARG0(get_robust_list)

/* pid 0 is not "myself" here: the host answers EINVAL for it. */
long sys_pidfd_open(struct trap *t)
{
	return native_with_pid(t, 0);
}

long sys_kcmp(struct trap *t)
{
	long err = xlate_pid_arg(t, 0);

	if (!err)
		err = xlate_pid_arg(t, 1);
	return err ? err : trap_native(t);
}

/*
 * capget/capset carry the pid inside a header in guest memory: the host is
 * handed a translated copy of the header, the guest's own stays untouched.
 */
static long cap_call(struct trap *t)
{
	struct __user_cap_header_struct hdr;
	uint64_t copy;
	pid_t h;

	if (!t->args[0] || guest_read(t->task, t->args[0], &hdr, sizeof(hdr)))
		return trap_native(t);	/* the host reports EFAULT */
	if (hdr.pid <= 0)
		return trap_native(t);
	h = pid_to_host(hdr.pid);
	if (!h)
		return -ESRCH;
	hdr.pid = h;
	copy = guest_scratch(t, sizeof(hdr));
	if (!copy || guest_write(t->task, copy, &hdr, sizeof(hdr)))
		return -EFAULT;
	trap_set_arg(t, 0, copy);
	return trap_native(t);
}

long sys_capget(struct trap *t)
{
	return cap_call(t);
}

long sys_capset(struct trap *t)
{
	return cap_call(t);
}
