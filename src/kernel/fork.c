// SPDX-License-Identifier: GPL-2.0
/*
 * Process and thread creation.  The host creates the task (and, because
 * the creator is traced, attaches it to the monitor from birth); the kernel
 * gives it a guest tid at the creator's PTRACE_EVENT stop and rewrites every
 * place the host wrote the host tid: the return value, the
 * CLONE_PARENT_SETTID word (at the creator's syscall exit) and the
 * CLONE_CHILD_SETTID word (at the child's first stop, before it runs).
 */
#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

/* Guests may not leave the guest's namespaces or the monitor's sight. */
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |	\
			CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |	\
			CLONE_NEWCGROUP | CLONE_NEWTIME)

static long clone_check(struct trap *t, uint64_t flags)
{
	if (flags & CLONE_NS_FLAGS)
		return -EPERM;
	if (kconfig.max_tasks && task_count() >= kconfig.max_tasks)
		return -EAGAIN;		/* as RLIMIT_NPROC would */
	return 0;
}

static void clone_exit(struct trap *t, long *result)
{
	struct task *self = t->task;
	uint64_t ptid = t->saved[1];
	pid_t v;

	self->clone_pending = false;
	if (*result <= 0)
		return;
	v = pid_to_guest((pid_t)*result);
	if ((t->saved[0] & CLONE_PARENT_SETTID) && ptid)
		guest_write(self, ptid, &v, sizeof(v));
	*result = v;
}

/* Remember what the event stop and the child's first stop will need. */
static long clone_begin(struct trap *t, uint64_t flags, uint64_t ptid,
			uint64_t ctid)
{
	struct task *self = t->task;

	self->clone_flags = flags;
	self->clone_ctid = (flags & CLONE_CHILD_SETTID) ? ctid : 0;
	self->clone_pending = true;
	t->saved[0] = flags;
	t->saved[1] = ptid;
	return trap_native_then(t, clone_exit);
}

long sys_clone(struct trap *t)
{
	uint64_t flags = t->args[0];
	long err = clone_check(t, flags);

	if (err)
		return err;
	/* An untraced child would escape the monitor. */
	if (flags & (CLONE_UNTRACED | CLONE_PTRACE)) {
		flags &= ~(uint64_t)(CLONE_UNTRACED | CLONE_PTRACE);
		trap_set_arg(t, 0, flags);
	}
	return clone_begin(t, flags, t->args[2], t->args[3]);
}

long sys_clone3(struct trap *t)
{
	struct clone_args ca;
	size_t size = t->args[1];
	uint64_t copy;
	long err;

	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (guest_read(t->task, t->args[0], &ca,
		       size < sizeof(ca) ? size : sizeof(ca)))
		return -EFAULT;
	err = clone_check(t, ca.flags);
	if (err)
		return err;
	if (size >= CLONE_ARGS_SIZE_VER1 && ca.set_tid_size)
		return -EPERM;		/* guest pids are the kernel's to pick */
	/* The host reads our checked copy, not the guest's buffer again. */
	ca.flags &= ~(uint64_t)(CLONE_UNTRACED | CLONE_PTRACE);
	if (size > sizeof(ca))
		size = sizeof(ca);
	copy = guest_scratch(t, sizeof(ca));
	if (!copy || guest_write(t->task, copy, &ca, size))
		return -EFAULT;
	trap_set_arg(t, 0, copy);
	trap_set_arg(t, 1, size);
	return clone_begin(t, ca.flags, ca.parent_tid, ca.child_tid);
}

long sys_fork(struct trap *t)
{
	long err = clone_check(t, SIGCHLD);

	return err ? err : clone_begin(t, SIGCHLD, 0, 0);
}

long sys_vfork(struct trap *t)
{
	uint64_t flags = CLONE_VFORK | CLONE_VM | SIGCHLD;
	long err = clone_check(t, flags);

	return err ? err : clone_begin(t, flags, 0, 0);
}

/* The child's first stop: it has run nothing of its own yet. */
void task_first_stop(struct task *t, uint64_t ctid)
{
	if (ctid)
		guest_write(t, ctid, &t->vtid, sizeof(t->vtid));
	t->state = TASK_RUNNING;
}

static void set_tid_address_exit(struct trap *t, long *result)
{
	*result = t->task->vtid;
}

long sys_set_tid_address(struct trap *t)
{
	return trap_native_then(t, set_tid_address_exit);
}
