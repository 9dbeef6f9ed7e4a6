// SPDX-License-Identifier: GPL-2.0
/*
 * The few calls that carry pids inside otherwise native interfaces: the
 * terminal's process group and session (ioctl), an fd's signal owner and a
 * lock holder (fcntl), a unix socket peer's credentials (getsockopt).  The
 * filter stops only these commands; every other ioctl, fcntl and
 * getsockopt stays native.
 *
 * Differs from Linux: SCM_CREDENTIALS and signalfd's ssi_pid are not
 * translated (recvmsg and read are native).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "kernel/pidarg.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

/* A host process group id in guest terms (0: outside the guest). */
static pid_t pgrp_to_guest(pid_t h)
{
	struct task *t;

	if (h <= 0)
		return 0;
	for_each_task(t)
		if (task_is_leader(t) && t->hpgid == h)
			return t->vpgid;
	return pid_to_guest(h);
}

static void rewrite_int(struct trap *t, uint64_t addr, pid_t (*fn)(pid_t))
{
	int v;

	if (addr && !guest_read(t->task, addr, &v, sizeof(v))) {
		v = fn(v);
		guest_write(t->task, addr, &v, sizeof(v));
	}
}

static void tiocgpgrp_exit(struct trap *t, long *result)
{
	if (*result == 0)
		rewrite_int(t, t->orig_args[2], pgrp_to_guest);
}

static void tiocgsid_exit(struct trap *t, long *result)
{
	if (*result == 0)
		rewrite_int(t, t->orig_args[2], pid_to_guest);
}

long sys_ioctl(struct trap *t)
{
	unsigned int cmd = (unsigned int)t->args[1];
	uint64_t copy;
	int v;

	switch (cmd) {
	case FS_IOC_SETFLAGS:
	case FS_IOC_FSSETXATTR:
		return fd_setflags_ioctl(t);	/* read-only mounts */
	case TIOCGPGRP:
		return trap_native_then(t, tiocgpgrp_exit);
	case TIOCGSID:
		return trap_native_then(t, tiocgsid_exit);
	case TIOCSPGRP:
		if (guest_read(t->task, t->args[2], &v, sizeof(v)))
			return -EFAULT;
		v = v > 0 ? pgrp_to_host(v) : v;
		if (!v)
			return -EPERM;	/* no such group in our session */
		copy = guest_scratch(t, sizeof(v));
		if (!copy || guest_write(t->task, copy, &v, sizeof(v)))
			return -EFAULT;
		trap_set_arg(t, 2, copy);
		return trap_native(t);
	}
	return trap_native(t);
}

static void getown_exit(struct trap *t, long *result)
{
	/* F_GETOWN cannot fail on a valid fd: negative is a group */
	if (*result > 0)
		*result = pid_to_guest((pid_t)*result);
	else if (*result < -4095)
		*result = -pgrp_to_guest((pid_t)-*result);
}

static void getlk_exit(struct trap *t, long *result)
{
	struct flock fl;

	if (*result == 0 && !guest_read(t->task, t->args[2], &fl, sizeof(fl)) &&
	    fl.l_type != F_UNLCK && fl.l_pid > 0) {
		fl.l_pid = pid_to_guest(fl.l_pid);
		guest_write(t->task, t->args[2], &fl, sizeof(fl));
	}
}

static pid_t owner_to_guest(int type, pid_t h)
{
	return type == F_OWNER_PGRP ? pgrp_to_guest(h) : pid_to_guest(h);
}

static void getown_ex_exit(struct trap *t, long *result)
{
	struct f_owner_ex o;

	if (*result == 0 && !guest_read(t->task, t->args[2], &o, sizeof(o))) {
		o.pid = owner_to_guest(o.type, o.pid);
		guest_write(t->task, t->args[2], &o, sizeof(o));
	}
}

static long setown_ex(struct trap *t)
{
	struct f_owner_ex o;
	uint64_t copy;

	if (guest_read(t->task, t->args[2], &o, sizeof(o)))
		return -EFAULT;
	if (o.pid) {
		pid_t h = o.type == F_OWNER_PGRP ? pgrp_to_host(o.pid) :
						   pid_to_host(o.pid);
		if (!h)
			return -ESRCH;
		o.pid = h;
	}
	copy = guest_scratch(t, sizeof(o));
	if (!copy || guest_write(t->task, copy, &o, sizeof(o)))
		return -EFAULT;
	trap_set_arg(t, 2, copy);
	return trap_native(t);
}

long sys_fcntl(struct trap *t)
{
	pid_t v = (pid_t)t->args[2], h;

	switch ((int)t->args[1]) {
	case F_GETOWN:
		return trap_native_then(t, getown_exit);
	case F_SETOWN:
		if (v > 0)
			h = pid_to_host(v);
		else
			h = v < 0 ? -pgrp_to_host(-v) : 0;
		if (v && !h)
			return -ESRCH;
		trap_set_arg(t, 2, (uint64_t)(long)h);
		return trap_native(t);
	case F_GETLK:
		return trap_native_then(t, getlk_exit);
	case F_GETOWN_EX:
		return trap_native_then(t, getown_ex_exit);
	case F_SETOWN_EX:
		return setown_ex(t);
	}
	return trap_native(t);
}

static void peercred_exit(struct trap *t, long *result)
{
	struct ucred uc;

	if (*result == 0 && !guest_read(t->task, t->args[3], &uc, sizeof(uc))) {
		uc.pid = pid_to_guest(uc.pid);
		guest_write(t->task, t->args[3], &uc, sizeof(uc));
	}
}

#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD	76
#define SO_PEERPIDFD	77
#endif

/*
 * A pidfd of a socket's peer would be a pidfd of whatever process is at
 * the other end, host processes included, and pidfd_getfd on it takes
 * that process's fds: these options do not exist inside, as before 6.5.
 */
long sys_getsockopt(struct trap *t)
{
	if ((int)t->args[1] != SOL_SOCKET)
		return trap_native(t);
	if ((int)t->args[2] == SO_PEERCRED)
		return trap_native_then(t, peercred_exit);
	if ((int)t->args[2] == SO_PEERPIDFD)
		return -ENOPROTOOPT;
	return trap_native(t);
}

long sys_setsockopt(struct trap *t)
{
	if ((int)t->args[1] == SOL_SOCKET && (int)t->args[2] == SO_PASSPIDFD)
		return -ENOPROTOOPT;
	return trap_native(t);
}
