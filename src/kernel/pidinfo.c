// SPDX-License-Identifier: GPL-2.0
/*
 * The few calls that carry pids inside otherwise native interfaces: the
 * terminal's process group and session (ioctl), an fd's signal owner and a
 * lock holder (fcntl), a unix socket peer's credentials (getsockopt).  The
 * filter stops only these commands; every other ioctl, fcntl and
 * getsockopt stays native.
 *
 * SCM_CREDENTIALS: net/scm.c; signalfd's ssi_pid: kernel/signal.c.
 */
#include <errno.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <termios.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdio.h>
#include <string.h>
#include <linux/sockios.h>
#include <signal.h>
#include <unistd.h>
#include "kernel/fs/vfs.h"
#include "kernel/pidarg.h"
#include "kernel/seccomp_notif.h"
#include "kernel/syscalls.h"
#include "platform/platform.h"

#ifndef PIDFS_IOCTL_MAGIC
#define PIDFS_IOCTL_MAGIC 0xFF
#endif
#define PIDFD_GET_INFO_NR 11

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

static long owner_ioctl(struct trap *t, unsigned int cmd);

/* Terminals: the tty, console, pty and serial majors. */
static bool is_tty(const struct stat *st)
{
	unsigned int m = major(st->st_rdev);

	return S_ISCHR(st->st_mode) &&
	       (m == 4 || m == 5 || (m >= 136 && m <= 143) || m == 204 ||
		m == 229 || m == 7 /* vcs */);
}

/*
 * An ioctl command the allowlist filter (platform/ioctl_filter.c) does
 * not know.  On a socket, a terminal or a pidfd it is refused (ENOTTY, as
 * for a command the driver lacks): it may name a process (TIOCSIG), drive
 * the host's console (VT_ACTIVATE, KDSETMODE) or its interfaces.  Other
 * files run it natively, but only when no other task shares the caller's
 * fd table: a sibling could otherwise put a terminal under the number
 * between our look and the host's.
 */
static long ioctl_unlisted(struct trap *t)
{
	int hfd = fd_take(t->task, (int)t->args[0]), err;
	char target[32];
	struct stat st;

	if (hfd < 0)
		return hfd;
	host_fd_path(hfd, target, sizeof(target));
	err = fstat(hfd, &st);
	close(hfd);
	if (err)
		return -EBADF;
	if (S_ISSOCK(st.st_mode) || is_tty(&st) || strstr(target, "pidfd"))
		return -ENOTTY;
	if (!task_files_private(t->task))
		return -ENOTTY;
	return trap_native(t);
}

/* Is the guest's fd an open terminal?  Else *err: -EBADF or -ENOTTY. */
static bool is_open_tty(struct trap *t, int fd, int *err)
{
	int hfd = fd_take(t->task, fd);
	struct stat st;
	bool tty;

	if (hfd < 0) {
		*err = hfd;
		return false;
	}
	tty = !fstat(hfd, &st) && is_tty(&st);
	close(hfd);
	*err = -ENOTTY;
	return tty;
}

static long pidfs_ioctl(struct trap *t, unsigned int cmd);
static long tiocspgrp(struct trap *t, pid_t v);

long sys_ioctl(struct trap *t)
{
	unsigned int cmd = (unsigned int)t->args[1];
	bool mine;
	long ret;
	int v;

	if (_IOC_TYPE(cmd) == PIDFS_IOCTL_MAGIC)
		return pidfs_ioctl(t, cmd);
	ret = gnotif_ioctl(t, &mine);	/* a guest's seccomp listener */
	if (mine)
		return ret;
	switch (cmd) {
	case FS_IOC_SETFLAGS:
	case FS_IOC_FSSETXATTR:
		return fd_setflags_ioctl(t);	/* read-only mounts */
	case FIOSETOWN:
	case SIOCSPGRP:
	case FIOGETOWN:
	case SIOCGPGRP:
		return owner_ioctl(t, cmd);
	case TIOCGPGRP:
		return trap_native_then(t, tiocgpgrp_exit);
	case TIOCGSID:
		return trap_native_then(t, tiocgsid_exit);
	case TIOCSPGRP:
		if (!is_open_tty(t, (int)t->args[0], &v))
			return v;	/* EBADF or ENOTTY first, as Linux */
		if (guest_read(t->task, t->args[2], &v, sizeof(v)))
			return -EFAULT;
		v = v > 0 ? pgrp_to_host(v) : v;
		if (!v)
			return -EPERM;	/* no such group in our session */
		return tiocspgrp(t, v);
	}
	return ioctl_unlisted(t);
}

/*
 * TIOCSPGRP with the group in host terms.  Only the caller can make it
 * (the terminal must be its session's), and the host reads the group
 * from memory, where another guest task could rewrite a translated copy
 * (a sibling thread, or another process by process_vm_writev) between
 * the monitor's write and the host's read.
 *
 * In the session the guest was started in, which is the host user's and
 * holds host process groups, the monitor makes the call itself on its
 * copy of the fd (its own controlling terminal is the same one), with
 * SIGTTOU blocked for its thread.  A caller in the background that does
 * not block or ignore SIGTTOU gets Linux's answer from the host: its
 * own call, with no group to read (NULL), is stopped before the read by
 * SIGTTOU and restarted with the guest's arguments.
 *
 * In a session the guest made (setsid), only guest groups exist: the
 * translated copy lies below the caller's stack, and whatever a racing
 * task writes there names at most another guest group of the session.
 */
static long tiocspgrp_monitor(struct trap *t, pid_t v)
{
	sigset_t ttou, old;
	int fd = fd_take(t->task, (int)t->args[0]);
	pid_t fg;
	long ret;

	if (fd < 0)
		return fd;
	fg = tcgetpgrp(fd);
	if (fg < 0) {
		ret = errno == ENOTTY ? -ENOTTY : -errno;
	} else if (fg != t->task->leader->hpgid &&
		   !host_signal_ignored(t->task->tid, SIGTTOU)) {
		trap_set_arg(t, 2, 0);	/* SIGTTOU, before any read */
		ret = 1;
	} else {
		sigemptyset(&ttou);
		sigaddset(&ttou, SIGTTOU);
		pthread_sigmask(SIG_BLOCK, &ttou, &old);
		ret = tcsetpgrp(fd, v) ? -errno : 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	close(fd);
	return ret == 1 ? trap_native(t) : ret;
}

static long tiocspgrp(struct trap *t, pid_t v)
{
	uint64_t copy;

	if (getsid(t->task->tid) == getsid(0))
		return tiocspgrp_monitor(t, v);
	copy = guest_scratch(t, sizeof(v));
	if (!copy || guest_write(t->task, copy, &v, sizeof(v)))
		return -EFAULT;
	trap_set_arg(t, 2, copy);
	return trap_native(t);
}

static void getown_exit(struct trap *t, long *result)
{
	/*
	 * F_GETOWN fails only for a bad fd: any other negative value is a
	 * group, however small its host id.
	 */
	if (*result > 0)
		*result = pid_to_guest((pid_t)*result);
	else if (*result < 0 && *result != -EBADF && *result >= INT_MIN + 1)
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

/*
 * A guest owner (pid > 0, or -pgrp) as the host's, in *h: 0 stays 0 (no
 * owner).  -ESRCH for what the guest cannot see; Linux refuses INT_MIN.
 */
static long owner_to_host(pid_t v, bool pgrp, pid_t *h)
{
	*h = 0;
	if (v == 0)
		return 0;
	if (v == INT_MIN)
		return -EINVAL;
	if (pgrp || v < 0) {
		*h = pgrp_to_host(v < 0 ? -v : v);
		if (!pgrp)
			*h = -*h;
	} else {
		*h = pid_to_host(v);
	}
	return *h ? 0 : -ESRCH;
}

/*
 * Setting an fd's signal owner is done by the monitor itself, on its own
 * copy of the guest's open file (the owner belongs to the open file, not
 * to the fd): what the host reads is the monitor's translated value, never
 * a copy in guest memory that a sibling thread could rewrite into a host
 * pid between our check and the host's read.  The owner then holds the
 * host's reference to that task, so a reused number can never receive it.
 */
static long setown_on_copy(struct trap *t, int how, void *arg, long val)
{
	int hfd = fd_take(t->task, (int)t->args[0]);
	long ret;

	if (hfd < 0)
		return hfd;
	if (how == F_SETOWN || how == F_SETOWN_EX)
		ret = arg ? fcntl(hfd, how, arg) : fcntl(hfd, how, (int)val);
	else
		ret = ioctl(hfd, (unsigned long)how, arg);
	ret = ret < 0 ? -errno : ret;
	close(hfd);
	return ret;
}

static long setown_ex(struct trap *t)
{
	struct f_owner_ex o;
	long err;
	pid_t h;

	if (guest_read(t->task, t->args[2], &o, sizeof(o)))
		return -EFAULT;
	if (o.type != F_OWNER_TID && o.type != F_OWNER_PID &&
	    o.type != F_OWNER_PGRP)
		return -EINVAL;
	if (o.pid < 0)
		return -EINVAL;
	err = owner_to_host(o.pid, o.type == F_OWNER_PGRP, &h);
	if (err)
		return err;
	o.pid = h;
	return setown_on_copy(t, F_SETOWN_EX, &o, 0);
}

/* FIOSETOWN/SIOCSPGRP: a socket's F_SETOWN; FIOGETOWN/SIOCGPGRP: F_GETOWN. */
static void getown_ioctl_exit(struct trap *t, long *result)
{
	int v;

	if (*result || guest_read(t->task, t->orig_args[2], &v, sizeof(v)))
		return;
	v = v < 0 ? -pgrp_to_guest(-v) : pid_to_guest(v);
	guest_write(t->task, t->orig_args[2], &v, sizeof(v));
}

static long owner_ioctl(struct trap *t, unsigned int cmd)
{
	long err;
	pid_t h;
	int v;

	if (cmd == FIOGETOWN || cmd == SIOCGPGRP)
		return trap_native_then(t, getown_ioctl_exit);
	if (guest_read(t->task, t->args[2], &v, sizeof(v)))
		return -EFAULT;
	err = owner_to_host(v, false, &h);
	if (err)
		return err;
	v = h;
	return setown_on_copy(t, (int)cmd, &v, 0);
}

/*
 * pidfs ioctls: PIDFD_GET_INFO gives pids, which become the guest's; the
 * others hand out namespace fds of the host's, which a guest has no use
 * for (setns is refused) and are refused with them.
 */

struct pidfd_info_head {	/* the start of struct pidfd_info (6.13) */
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid;
};

static void pidfd_info_exit(struct trap *t, long *result)
{
	struct pidfd_info_head pi;
	const struct task *self;

	if (*result || guest_read(t->task, t->orig_args[2], &pi, sizeof(pi)))
		return;
	self = task_by_tid((pid_t)pi.pid);
	pi.pid = pid_to_guest((pid_t)pi.pid);
	pi.tgid = pid_to_guest((pid_t)pi.tgid);
	/* init's parent is outside the guest: 0, as in a pid namespace */
	pi.ppid = self && self->leader->parent ?
		  (uint32_t)self->leader->parent->vtid : 0;
	guest_write(t->task, t->orig_args[2], &pi, sizeof(pi));
}

static long pidfs_ioctl(struct trap *t, unsigned int cmd)
{
	if (_IOC_NR(cmd) != PIDFD_GET_INFO_NR)
		return -EPERM;
	if (_IOC_SIZE(cmd) < sizeof(struct pidfd_info_head))
		return trap_native(t);	/* the host says EINVAL */
	return trap_native_then(t, pidfd_info_exit);
}

long sys_fcntl(struct trap *t)
{
	pid_t v = (pid_t)t->args[2], h;
	long err;

	switch ((int)t->args[1]) {
	case F_GETOWN:
		return trap_native_then(t, getown_exit);
	case F_SETOWN:
		err = owner_to_host(v, false, &h);
		return err ? err : setown_on_copy(t, F_SETOWN, NULL, h);
	case F_SETSIG:
		/*
		 * Differs from Linux: an owner may not be sent SIGKILL or
		 * SIGSTOP by I/O, which would reach a namespace init that
		 * Linux protects and that no ptrace stop can hold back.
		 */
		if (v == SIGKILL || v == SIGSTOP)
			return -EINVAL;
		return trap_native(t);
	case F_GETLK:
		return trap_native_then(t, getlk_exit);
	case F_GETOWN_EX:
		return trap_native_then(t, getown_ex_exit);
	case F_SETOWN_EX:
		return setown_ex(t);
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* only a watched signalfd's stops: kernel/signalfd.c */
		return signalfd_dup(t);
	}
	return trap_native(t);
}

static void peercred_exit(struct trap *t, long *result)
{
	struct ucred uc;

	if (*result == 0 && !guest_read(t->task, t->args[3], &uc, sizeof(uc))) {
		uc.pid = pid_to_guest_recent(uc.pid);
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

/*
 * The FORCE buffer sizes need CAP_NET_ADMIN, the guest's; the guest's
 * process has no capability on the host, so the size is set as by
 * SO_SNDBUF/SO_RCVBUF.  Differs from Linux: capped at wmem_max/rmem_max.
 */
static long setsockopt_force(struct trap *t, int opt)
{
	if (!cred_capable(&t->task->cred, CAP_NET_ADMIN))
		return -EPERM;
	trap_set_arg(t, 2, opt == SO_SNDBUFFORCE ? SO_SNDBUF : SO_RCVBUF);
	return trap_native(t);
}

long sys_setsockopt(struct trap *t)
{
	int opt = (int)t->args[2];

	if ((int)t->args[1] == SOL_SOCKET &&
	    (opt == SO_SNDBUFFORCE || opt == SO_RCVBUFFORCE))
		return setsockopt_force(t, opt);
	if ((int)t->args[1] == SOL_SOCKET && (int)t->args[2] == SO_PASSPIDFD)
		return -ENOPROTOOPT;
	if ((int)t->args[1] == SOL_SOCKET && (int)t->args[2] == SO_PASSCRED &&
	    scm_passcred_set(t))
		return 0;	/* net/scm.c: first the filter, then this */
	return trap_native(t);
}
