// SPDX-License-Identifier: GPL-2.0
/*
 * Host tasks by pidfd.  A pid number names whatever process the host gave
 * it last, and a guest task's number is free for reuse the moment the
 * host releases it; a pidfd names one task for as long as it is open.
 * Every guest task's pidfd is opened at its first event, while the task
 * is certainly the one the number names (a traced task cannot be
 * released before its tracer has seen its exit), and every later action
 * the monitor makes on the task goes through it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "platform/platform.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL			/* Linux 6.9 */
#endif

/*
 * Fds the monitor keeps for its own work whatever the guest's task count:
 * a guest with many threads must not leave the monitor unable to open a
 * file for anyone (every guest open would fail with EMFILE).
 */
#define FD_RESERVE 256

static int pidfd_ceiling(void)
{
	static int ceiling;
	struct rlimit rl;

	if (!ceiling)
		ceiling = getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur > INT_MAX ?
			  INT_MAX : (int)rl.rlim_cur - FD_RESERVE;
	return ceiling;
}

/*
 * A thread's own pidfd (PIDFD_THREAD, Linux 6.9) for a thread, the
 * process's for a leader.  Before 6.9 a thread has none: -EINVAL.  Past
 * the ceiling, -EMFILE: the task is refused like one over --pids.
 */
int host_pidfd_open(pid_t tid, bool thread)
{
	int fd = (int)syscall(SYS_pidfd_open, tid, thread ? PIDFD_THREAD : 0);

	if (fd >= pidfd_ceiling()) {
		close(fd);
		return -EMFILE;
	}
	return fd >= 0 ? fd : -errno;
}

/*
 * Send sig through a pidfd, with info (a siginfo the monitor wrote, or
 * NULL), to the one thread (thread) or to its process.
 */
int host_pidfd_signal(int pidfd, int sig, const siginfo_t *info, bool thread)
{
	unsigned int flags = thread ? PIDFD_SIGNAL_THREAD_ : PIDFD_SIGNAL_TGID_;

	if (syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags) == 0)
		return 0;
	if (errno == EINVAL && flags)	/* before 6.9: no scope flags */
		return syscall(SYS_pidfd_send_signal, pidfd, sig, info, 0) ?
		       -errno : 0;
	return -errno;
}

/*
 * The host tid a pidfd of the monitor's names (fdinfo "Pid:"), -1 once
 * the task is released; a /proc/PID directory fd, which Linux takes as a
 * pidfd, names PID.  -EBADF for anything else.
 */
long host_pidfd_pid(int fd)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int in, pid, end;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -EBADF;
	n = read(in, buf, sizeof(buf) - 1);
	close(in);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "\nPid:\t");
	if (p)
		return strtol(p + 6, NULL, 10);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (sscanf(buf, "/proc/%d%n", &pid, &end) == 1 && !buf[end] && pid > 0)
		return pid;
	return -EBADF;
}

/* False once the host has released the task (a zombie is still there). */
bool host_pidfd_alive(int pidfd)
{
	return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0 ||
	       errno != ESRCH;
}

/*
 * The monitor acting on a guest task for the guest must not lend it the
 * monitor's own capabilities (when root starts umbra, the monitor has
 * them all; the guest has none): the calling thread's effective set is
 * emptied for the call and put back after.  Capabilities are per thread,
 * so the monitor's other thread keeps its own.
 */
void host_caps_drop(struct host_caps *saved)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	saved->dropped = false;
	if (syscall(SYS_capget, &h, saved->data))
		return;
	if (!saved->data[0].effective && !saved->data[1].effective)
		return;		/* an unprivileged monitor: nothing to lend */
	memcpy(d, saved->data, sizeof(d));
	d[0].effective = d[1].effective = 0;
	saved->dropped = !syscall(SYS_capset, &h, d);
}

void host_caps_restore(const struct host_caps *saved)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	if (saved->dropped)
		syscall(SYS_capset, &h, saved->data);
}
