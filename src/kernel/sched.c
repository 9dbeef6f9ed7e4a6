// SPDX-License-Identifier: GPL-2.0
/*
 * Calls that name another task by pid and otherwise mean what the host
 * means.  Those that change the target (its scheduling, its limits) are
 * made by the monitor itself, under the kernel lock, on the host tid of a
 * live guest task: were the guest's own call to run natively with a
 * translated number, the target could die and the host give its number
 * to another process between the monitor's decision and the host's call.
 * The monitor makes them without its own capabilities, which the guest
 * does not have.  pid 0, the caller, runs natively (the filter allows it).
 *
 * The getters too: a number the host reused would read a host process's
 * scheduling (and say it exists).  Only the caller's own tid or process
 * id goes to the host in place (self_or_other(), kernel/pidarg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/pidarg.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

/*
 * struct sched_attr grows: its first version is 48 bytes, and Linux takes
 * one of at most a page.
 */
#define SCHED_ATTR_VER0	48
#define SCHED_ATTR_MAX	4096

/* A host call for the guest, as the guest could make it: -errno. */
long as_guest5(long nr, long a, long b, long c, long d, long e)
{
	struct host_caps caps;
	long ret;

	host_caps_drop(&caps);
	ret = syscall(nr, a, b, c, d, e);
	ret = ret < 0 ? -errno : ret;
	host_caps_restore(&caps);
	return ret;
}

/* Argument 0 names the target: the host tid of a live guest task. */
static long target(struct trap *t, pid_t *h)
{
	pid_t v = (pid_t)t->args[0];

	*h = v > 0 ? pid_to_host(v) : 0;
	return *h ? 0 : -ESRCH;
}

/* The result of a getter the monitor made, copied out: 0 or -EFAULT. */
static long put(struct trap *t, uint64_t addr, const void *v, size_t n)
{
	return guest_write(t->task, addr, v, n) ? -EFAULT : 0;
}

long sys_sched_getscheduler(struct trap *t)
{
	long ret;
	pid_t h;

	ret = self_or_other(t, 0, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	return as_guest(SYS_sched_getscheduler, h, 0, 0, 0);
}

long sys_sched_getparam(struct trap *t)
{
	struct sched_param p;
	long ret;
	pid_t h;

	if (!t->args[1])
		return -EINVAL;
	ret = self_or_other(t, 0, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	ret = as_guest(SYS_sched_getparam, h, (long)&p, 0, 0);
	return ret ?: put(t, t->args[1], &p, sizeof(p));
}

long sys_sched_rr_get_interval(struct trap *t)
{
	struct timespec ts;
	long ret;
	pid_t h;

	ret = self_or_other(t, 0, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	ret = as_guest(SYS_sched_rr_get_interval, h, (long)&ts, 0, 0);
	return ret ?: put(t, t->args[1], &ts, sizeof(ts));
}

/* Linux's length checks come before the lookup; the copy is the host's. */
#define AFFINITY_MAX 4096

long sys_sched_getaffinity(struct trap *t)
{
	unsigned char mask[AFFINITY_MAX];
	size_t len = t->args[1];
	long ret;
	pid_t h;

	/*
	 * Its own too, under the pin lock: natively it could read the one
	 * CPU the monitor pins it to while it wakes it (an ADDFD, a resume)
	 * before the monitor has put its own mask back.
	 */
	ret = self_or_other(t, 0, &h);
	if (ret < 0)
		return ret;
	if (ret == 0)
		h = t->task->tid;
	if (len > AFFINITY_MAX)
		len = AFFINITY_MAX | (len & 7);	/* keep a misaligned one so */
	host_pin_lock();
	ret = as_guest(SYS_sched_getaffinity, h, (long)len, (long)mask, 0);
	host_pin_unlock();
	if (ret > 0 && put(t, t->args[2], mask, (size_t)ret))
		return -EFAULT;
	return ret;
}

/* The host writes min(size, its own) bytes and that size into the first. */
long sys_sched_getattr(struct trap *t)
{
	unsigned char attr[SCHED_ATTR_MAX];
	uint32_t size = (uint32_t)t->args[2], wrote;
	long ret;
	pid_t h;

	if (!t->args[1] || size > SCHED_ATTR_MAX || size < SCHED_ATTR_VER0 ||
	    t->args[3])
		return -EINVAL;
	ret = self_or_other(t, 0, &h);
	if (ret <= 0)
		return ret ?: trap_native(t);
	ret = as_guest(SYS_sched_getattr, h, (long)attr, size, 0);
	if (ret)
		return ret;
	memcpy(&wrote, attr, sizeof(wrote));
	return put(t, t->args[1], attr, wrote < size ? wrote : size);
}

/* Negative pids: the host's errno, which differs from call to call. */
#define NATIVE_IF_NOT_POSITIVE(t)			\
	do {						\
		if ((pid_t)(t)->args[0] <= 0)		\
			return trap_native(t);		\
	} while (0)

long sys_sched_setaffinity(struct trap *t)
{
	unsigned char mask[1024] = { 0 };
	size_t n = t->args[1] < sizeof(mask) ? t->args[1] : sizeof(mask);
	long err;
	pid_t h;

	NATIVE_IF_NOT_POSITIVE(t);
	if (n && guest_read(t->task, t->args[2], mask, n))
		return -EFAULT;
	err = target(t, &h);
	if (err)
		return err;
	host_pin_lock();
	err = as_guest(SYS_sched_setaffinity, h, (long)n, (long)mask, 0);
	host_pin_unlock();
	return err;
}

long sys_sched_setparam(struct trap *t)
{
	struct sched_param p;
	long err;
	pid_t h;

	NATIVE_IF_NOT_POSITIVE(t);
	if (!t->args[1])
		return -EINVAL;
	if (guest_read(t->task, t->args[1], &p, sizeof(p)))
		return -EFAULT;
	err = target(t, &h);
	return err ? err : as_guest(SYS_sched_setparam, h, (long)&p, 0, 0);
}

long sys_sched_setscheduler(struct trap *t)
{
	struct sched_param p;
	long err;
	pid_t h;

	NATIVE_IF_NOT_POSITIVE(t);
	if (!t->args[2] || (int)t->args[1] < 0)
		return -EINVAL;
	if (guest_read(t->task, t->args[2], &p, sizeof(p)))
		return -EFAULT;
	err = target(t, &h);
	return err ? err : as_guest(SYS_sched_setscheduler, h,
				    (long)(int)t->args[1], (long)&p, 0);
}

/*
 * struct sched_attr grows: the host checks its size and trailing zeros
 * on our copy, and on E2BIG writes the size it knows, which goes back.
 */
long sys_sched_setattr(struct trap *t)
{
	unsigned char attr[SCHED_ATTR_MAX];
	uint32_t size;
	long err;
	pid_t h;

	NATIVE_IF_NOT_POSITIVE(t);
	if (!t->args[1])
		return -EINVAL;
	if (guest_read(t->task, t->args[1], &size, sizeof(size)))
		return -EFAULT;
	size = !size ? SCHED_ATTR_VER0 : size > SCHED_ATTR_MAX ?
	       SCHED_ATTR_MAX : size;
	memset(attr, 0, sizeof(attr));
	if (size >= sizeof(uint32_t) &&
	    guest_read(t->task, t->args[1], attr, size))
		return -EFAULT;
	err = target(t, &h);
	if (err)
		return err;
	err = as_guest(SYS_sched_setattr, h, (long)attr, (long)t->args[2], 0);
	if (err == -E2BIG)
		guest_write(t->task, t->args[1], attr, sizeof(uint32_t));
	return err;
}

long sys_prlimit64(struct trap *t)
{
	struct rlimit64 { uint64_t cur, max; } nl, ol;
	long err;
	pid_t h;

	NATIVE_IF_NOT_POSITIVE(t);
	if (t->args[2] && guest_read(t->task, t->args[2], &nl, sizeof(nl)))
		return -EFAULT;
	err = target(t, &h);
	if (err)
		return err;
	err = as_guest(SYS_prlimit64, h, (long)(int)t->args[1],
		       t->args[2] ? (long)&nl : 0, t->args[3] ? (long)&ol : 0);
	if (!err && t->args[3] &&
	    guest_write(t->task, t->args[3], &ol, sizeof(ol)))
		return -EFAULT;
	return err;
}

/*
 * pidfd_open: the monitor opens it on the live task's host tid and
 * installs it (pid 0 is not "myself" here: EINVAL, as the host says).
 */
long sys_pidfd_open(struct trap *t)
{
	unsigned int flags = (unsigned int)t->args[1];
	long fd;
	pid_t h;

	if ((pid_t)t->args[0] <= 0 || (flags & ~(O_NONBLOCK | O_EXCL)))
		return -EINVAL;
	if (target(t, &h))
		return -ESRCH;
	fd = syscall(SYS_pidfd_open, h, flags);
	if (fd < 0)
		return -errno;
	t->action = ACT_INSTALL_FD;
	t->fd = (int)fd;
	t->fd_flags = O_CLOEXEC;	/* a pidfd always is */
	return 0;
}

