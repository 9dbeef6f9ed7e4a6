// SPDX-License-Identifier: GPL-2.0
/*
 * The ptrace-class calls: those that reach another process's memory or
 * kernel objects by its pid, and for which the host has no pidfd form
 * (kcmp, get_robust_list, process_vm_readv/writev, move_pages,
 * migrate_pages).  The host checks ptrace access for each.
 *
 * The caller naming itself goes to the host in place (self_or_other(),
 * kernel/pidarg.h).  For another task:
 *  - kcmp and get_robust_list only read, and never block: the monitor
 *    makes them itself under the kernel lock, on the host tid of a live
 *    guest task, as the tracer of both (which passes the host's ptrace
 *    check; the guest's processes share one uid and one domain anyway).
 *  - process_vm_readv/writev, move_pages and migrate_pages touch memory
 *    and can wait on it (a userfaultfd page never served), so the monitor
 *    may not make them under the lock.  They go to the host with the
 *    translated number only when the guest runs in its Landlock domain
 *    (platform/landlock.c): the host then refuses any process outside
 *    the domain, so a number reused between the decision and the host's
 *    lookup reaches at most another guest process.  Without the domain
 *    (--no-landlock, an older host) another process is EPERM, the answer
 *    Linux gives a caller that may not trace it.
 */
#include <errno.h>
#include <linux/kcmp.h>
#include <sys/syscall.h>
#include "kernel/pidarg.h"
#include "kernel/ptrace.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

long sys_kcmp(struct trap *t)
{
	struct kcmp_epoll_slot slot;
	long r0, r1, idx2 = (long)t->args[4];
	pid_t h0 = 0, h1 = 0;

	r0 = self_or_other(t, 0, &h0);
	if (r0 < 0)
		return r0;
	r1 = self_or_other(t, 1, &h1);
	if (r1 < 0)
		return r1;
	if (!r0 && !r1)
		return trap_native(t);
	if ((pid_t)t->args[0] <= 0 || (pid_t)t->args[1] <= 0)
		return -ESRCH;	/* the host's answer for pid 0 or less */
	if ((int)t->args[2] == KCMP_EPOLL_TFD) {
		if (guest_read(t->task, t->args[4], &slot, sizeof(slot)))
			return -EFAULT;
		idx2 = (long)&slot;
	}
	return as_guest5(SYS_kcmp, h0, h1, (long)(int)t->args[2],
			 (long)t->args[3], idx2);
}

long sys_get_robust_list(struct trap *t)
{
	unsigned long head;
	size_t len;
	long ret;
	pid_t h;

	ret = self_or_other(t, 0, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	ret = as_guest(SYS_get_robust_list, h, (long)&head, (long)&len, 0);
	if (ret)
		return ret;
	if (guest_write(t->task, t->args[2], &len, sizeof(len)) ||
	    guest_write(t->task, t->args[1], &head, sizeof(head)))
		return -EFAULT;
	return 0;
}

/*
 * Another process's memory: natively only inside the domain (above), and
 * only for a caller the guest kernel lets trace it (the host cannot tell
 * guest users apart: they are one host user).
 */
static long memory_call(struct trap *t)
{
	struct task *target;
	long ret;
	pid_t h;

	ret = self_or_other(t, 0, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	if (!kconfig.ptrace_walled)
		return -EPERM;
	target = task_by_vtid((pid_t)t->args[0]);
	if (!target || !ptrace_may_access(t->task, target))
		return -EPERM;
	trap_set_arg(t, 0, (uint64_t)h);
	return trap_native(t);
}

long sys_process_vm_readv(struct trap *t) { return memory_call(t); }
long sys_process_vm_writev(struct trap *t) { return memory_call(t); }
long sys_move_pages(struct trap *t) { return memory_call(t); }
long sys_migrate_pages(struct trap *t) { return memory_call(t); }
