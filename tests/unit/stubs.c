// SPDX-License-Identifier: GPL-2.0
/*
 * The platform as unit tests see it: no guest to read or write, every
 * host task alive.  Unit tests exercise kernel/ logic without ptrace.
 */
#include <fcntl.h>
#include <errno.h>
#include "kernel/kernel.h"
#include "platform/platform.h"

int guest_read(const struct task *t, uint64_t addr, void *buf, size_t len)
{
	return -EFAULT;
}

int guest_write(const struct task *t, uint64_t addr, const void *buf,
		size_t len)
{
	return -EFAULT;
}

int guest_write_tid(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	return -EFAULT;
}

long guest_read_str(const struct task *t, uint64_t addr, char *buf,
		    size_t size)
{
	return -EFAULT;
}

uint64_t guest_scratch(const struct trap *t, size_t len)
{
	return 0;
}

bool host_signal_caught(pid_t tid, int sig)
{
	return false;
}

/* A real fd, so that a task's pidfd can be closed like the monitor's. */
int host_pidfd_open(pid_t tid, bool thread)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int host_pidfd_signal(int pidfd, int sig, const siginfo_t *info, bool thread)
{
	return 0;
}

bool host_pidfd_alive(int pidfd)
{
	return true;
}

void host_guard(int ms)
{
}

void host_unguard(void)
{
}

void host_caps_drop(struct host_caps *saved)
{
	saved->dropped = false;
}

void host_caps_restore(const struct host_caps *saved)
{
}

/* No host tree: an orphan goes to init (kernel/task.c's fallback). */
int host_task_ids(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	return -ESRCH;
}

void host_pin_lock(void)
{
}

void host_pin_unlock(void)
{
}

long host_ptrace(int req, pid_t tid, unsigned long addr, void *data)
{
	errno = ESRCH;
	return -1;
}

void host_tracee_resume(struct task *t, int sig)
{
}

void host_tracee_trap(struct task *t)
{
}

void host_tracee_options(struct task *t, unsigned int guest_opts)
{
}

void host_tracee_return(struct task *t, long result)
{
}

void host_notif_answer(const struct seccomp_notif *req, long result,
		       bool cont)
{
}

long host_notif_addfd(struct seccomp_notif_addfd *a)
{
	return -ENOSYS;
}

void host_notif_fail(const struct seccomp_notif *req, long result)
{
}

void host_watch_gnotif(void)
{
}

bool host_notif_trace(struct task *t, uint64_t id)
{
	return false;
}

bool host_tracee_return_later(struct task *t, long result)
{
	return false;
}

bool host_signal_ignored(pid_t tid, int sig)
{
	return false;
}

bool host_pending_ignored(pid_t tid)
{
	return false;
}

long host_pidfd_pid(int fd)
{
	return -EBADF;
}

int host_core_write(pid_t tid, int fd, const struct core_info *ci)
{
	return -ENOSYS;
}

bool host_task_interrupted(pid_t tid)
{
	return false;
}

int host_mapping_of(pid_t tid, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	return -ENOENT;
}
