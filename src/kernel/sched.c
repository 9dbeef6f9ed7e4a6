// SPDX-License-Identifier: GPL-2.0
/*
 * Calls that name another task by pid and otherwise mean what the host
 * means: the pid is translated, the host does the work.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>
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
 * capget/capset carry the pid inside a header in guest memory, which a
 * sibling thread can rewrite at any time: nothing translated is put back
 * there for the host to read.
 *
 * capget is made by the monitor itself on its own copy of the header,
 * naming a live guest task's host tid under the kernel lock, and the
 * results are copied out as the host would write them.
 */
static long cap_target(struct trap *t, pid_t v)
{
	pid_t h;

	if (v == 0)
		return t->task->tid;
	if (v < 0)
		return -EINVAL;
	h = pid_to_host(v);
	return h ? h : -ESRCH;
}

long sys_capget(struct trap *t)
{
	struct __user_cap_header_struct hdr, mine;
	struct __user_cap_data_struct data[2];
	size_t n;
	long h, ret;

	if (guest_read(t->task, t->args[0], &hdr, sizeof(hdr)))
		return -EFAULT;
	mine = hdr;
	h = cap_target(t, hdr.pid);
	if (h < 0 && (hdr.version == _LINUX_CAPABILITY_VERSION_1 ||
		      hdr.version == _LINUX_CAPABILITY_VERSION_2 ||
		      hdr.version == _LINUX_CAPABILITY_VERSION_3))
		return h;
	mine.pid = h < 0 ? 0 : (int)h;
	ret = syscall(SYS_capget, &mine, t->args[1] ? data : NULL);
	if (ret < 0)
		ret = -errno;
	/*
	 * An unknown version: the host wrote the one it prefers, with EINVAL,
	 * or with 0 when there is no data pointer (how libcap-ng asks).
	 */
	if (mine.version != hdr.version) {
		hdr.version = mine.version;
		if (guest_write(t->task, t->args[0], &hdr, sizeof(hdr)))
			return -EFAULT;
	}
	if (ret < 0 || !t->args[1])
		return ret;
	n = hdr.version == _LINUX_CAPABILITY_VERSION_1 ? 1 : 2;
	return guest_write(t->task, t->args[1], data, n * sizeof(data[0])) ?
	       -EFAULT : 0;
}

/*
 * capset changes only the caller (Linux: EPERM for any other pid), so the
 * host may read the guest's own header: whatever a sibling writes there,
 * the host applies it to the caller or refuses it.  The guest's own pid is
 * the one value to translate; it becomes 0 in place and is put back at
 * the call's exit.
 */
static void capset_exit(struct trap *t, long *result)
{
	struct __user_cap_header_struct hdr;

	if (!guest_read(t->task, t->args[0], &hdr, sizeof(hdr)) &&
	    hdr.pid == 0) {
		hdr.pid = (int)t->saved[0];
		guest_write(t->task, t->args[0], &hdr, sizeof(hdr));
	}
}

long sys_capset(struct trap *t)
{
	struct __user_cap_header_struct hdr;

	if (guest_read(t->task, t->args[0], &hdr, sizeof(hdr)))
		return -EFAULT;
	if (hdr.pid == 0)
		return trap_native(t);
	if (hdr.version != _LINUX_CAPABILITY_VERSION_1 &&
	    hdr.version != _LINUX_CAPABILITY_VERSION_2 &&
	    hdr.version != _LINUX_CAPABILITY_VERSION_3)
		return trap_native(t);	/* EINVAL, and the version written */
	if (hdr.pid != t->task->vtid)
		return -EPERM;		/* as Linux: only the caller */
	t->saved[0] = (uint64_t)hdr.pid;
	hdr.pid = 0;
	if (guest_write(t->task, t->args[0], &hdr, sizeof(hdr)))
		return -EFAULT;
	return trap_native_then(t, capset_exit);
}
