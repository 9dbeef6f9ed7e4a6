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
#include <sys/syscall.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

/* Guests may not leave the guest's namespaces or the monitor's sight. */
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |	\
			CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |	\
			CLONE_NEWCGROUP | CLONE_NEWTIME)

/* copy_process()'s checks of the flags alone, which come first in Linux. */
static long clone_flags_valid(uint64_t flags)
{
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
	    (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && (flags & (CLONE_NEWUSER | CLONE_NEWPID)))
		return -EINVAL;
	return 0;
}

static long clone_check(struct trap *t, uint64_t flags)
{
	long err = clone_flags_valid(flags);

	if (err)
		return err;
	if (flags & CLONE_NS_FLAGS)
		return -EPERM;
	/*
	 * As for a pid namespace's init: its sibling would be a child of
	 * the monitor, outside the guest (Linux: EINVAL).
	 */
	if ((flags & CLONE_PARENT) && !(flags & CLONE_THREAD) &&
	    t->task->leader == task_init())
		return -EINVAL;
	if (kconfig.max_tasks && task_count() >= kconfig.max_tasks)
		return -EAGAIN;		/* as RLIMIT_NPROC would */
	return 0;
}

/* The child may be dead and gone by now: use the tid the event gave it. */
static void clone_exit(struct trap *t, long *result)
{
	t->task->clone_pending = false;
	/*
	 * A child the kernel could not take (no guest pid, no pidfd) was
	 * killed at its creation event: the parent's fork failed, as with
	 * EAGAIN, never 0, which would make the parent run as the child.
	 */
	if (*result > 0)
		*result = t->saved[2] ? (long)t->saved[2] :
			  pid_to_guest((pid_t)*result) ?: -EAGAIN;
}

/*
 * The creator's clone event: the child exists but cannot run yet.  This
 * is the moment to rewrite the CLONE_PARENT_SETTID word: at the creator's
 * syscall exit the child may already have exited and the host cleared the
 * word (CLONE_CHILD_CLEARTID) for a pthread_join that would then wait on
 * our stale tid forever.
 */
void task_clone_event(struct task *creator, struct task *child)
{
	struct trap *t = &creator->pending;
	uint64_t ptid = t->saved[1];

	t->saved[2] = child->vtid;
	child->child_ctid = creator->clone_ctid;
	/* the child inherits the registers we rewrote: it gets them back */
	if (t->args_changed || t->nr_changed) {
		child->restore_regs = true;
		for (int i = 0; i < 6; i++)
			child->orig_regs[i] = t->orig_args[i];
	}
	if (creator->clone_pending && (t->saved[0] & CLONE_PARENT_SETTID) &&
	    ptid)
		guest_write(creator, ptid, &child->vtid, sizeof(child->vtid));
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
	t->saved[2] = 0;
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

/*
 * clone3 reads its arguments from guest memory, where another thread could
 * rewrite them (CLONE_UNTRACED!) after our check.  So the call is turned
 * into the equivalent clone(), whose arguments live in registers; what
 * clone() cannot say is ENOSYS, and glibc falls back to clone() itself.
 */
static long clone3_tail_zero(struct trap *t, size_t size)
{
	unsigned char tail[4096];
	size_t n = size > sizeof(struct clone_args) ?
		   size - sizeof(struct clone_args) : 0;

	if (!n)
		return 0;
	if (guest_read(t->task, t->args[0] + sizeof(struct clone_args), tail,
		       n))
		return -EFAULT;
	for (size_t i = 0; i < n; i++)
		if (tail[i])
			return -E2BIG;
	return 0;
}

long sys_clone3(struct trap *t)
{
	struct clone_args ca;
	size_t size = t->args[1];
	uint64_t flags;
	long err;

	/* as Linux's copy_struct_from_user(): a bigger struct's rest is 0 */
	if (size > 4096)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (guest_read(t->task, t->args[0], &ca,
		       size < sizeof(ca) ? size : sizeof(ca)))
		return -EFAULT;
	err = clone3_tail_zero(t, size);
	if (err)
		return err;
	if (ca.exit_signal & ~(uint64_t)CSIGNAL)
		return -EINVAL;
	/* clone3_stack_valid(): a stack has a size, and no size no stack */
	if (!ca.stack != !ca.stack_size)
		return -EINVAL;
	err = clone_check(t, ca.flags);
	if (err)
		return err;
	if (ca.set_tid_size || ca.set_tid)
		return -EPERM;		/* guest pids are the kernel's to pick */
	if ((ca.flags >> 32) || ca.cgroup ||
	    ((ca.flags & CLONE_PIDFD) && (ca.flags & CLONE_PARENT_SETTID)))
		return -ENOSYS;
	flags = (ca.flags & ~(uint64_t)(CLONE_UNTRACED | CLONE_PTRACE)) |
		ca.exit_signal;
	t->nr = __NR_clone;
	t->nr_changed = true;
	trap_set_arg(t, 0, flags);
	trap_set_arg(t, 1, ca.stack ? ca.stack + ca.stack_size : 0);
	trap_set_arg(t, 2, (ca.flags & CLONE_PIDFD) ? ca.pidfd : ca.parent_tid);
	trap_set_arg(t, 3, ca.child_tid);
	trap_set_arg(t, 4, ca.tls);
	return clone_begin(t, flags, ca.parent_tid, ca.child_tid);
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

/*
 * A creation the filter let run without an entry stop (no --pids, no
 * --trace, nothing dangerous in the flags): the event stop is the first
 * the kernel hears of it, with the creator's registers still holding the
 * arguments.  From here on it is handled as if it had stopped at entry.
 */
void task_clone_unseen(struct task *t, int nr, const uint64_t *args)
{
	struct trap *tr = &t->pending;
	uint64_t flags = SIGCHLD, ptid = 0, ctid = 0;

	if (nr == __NR_vfork) {
		flags = CLONE_VFORK | CLONE_VM | SIGCHLD;
	} else if (nr == __NR_clone) {
		flags = args[0];
		ptid = args[2];
		ctid = args[3];
	}
	memset(tr, 0, sizeof(*tr));
	tr->task = t;
	tr->nr = nr;
	tr->source = TRAP_PTRACE;
	for (int i = 0; i < 6; i++)
		tr->args[i] = tr->orig_args[i] = args[i];
	tr->action = ACT_NATIVE;
	clone_begin(tr, flags, ptid, ctid);
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
