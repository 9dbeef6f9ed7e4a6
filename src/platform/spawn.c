// SPDX-License-Identifier: GPL-2.0
/*
 * Starting guest init: fork, wait until the monitor has seized us (so that
 * nothing runs untraced), install the seccomp filter, hand its listener to
 * the monitor, exec.  From the filter on, every call is classified, so the
 * exec itself is already the guest's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <unistd.h>
#include "kernel/exec.h"
#include "platform/filter.h"
#include "platform/landlock.h"
#include "platform/monitor.h"

/* The child's listener fd, copied out of it; the child then goes on. */
static int take_listener(pid_t pid, int sock)
{
	int cfd, fd = -1, pidfd;

	if (read(sock, &cfd, sizeof(cfd)) != sizeof(cfd))
		return -1;	/* the child failed: it exits with its status */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		fd = syscall(SYS_pidfd_getfd, pidfd, cfd, 0);
		close(pidfd);
	}
	if (fd >= 0 && write(sock, "t", 1) != 1) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		kill(pid, SIGKILL);
	return fd;
}

static void die_child(const char *what, int err, int status)
{
	fprintf(stderr, "umbra: %s: %s\n", what, strerror(err));
	_exit(status);
}

/*
 * Started by root, the guest is still root by name but holds no
 * capability: it must not set the host's clock, open raw sockets or
 * reconfigure the host's network.  SECBIT_NOROOT keeps exec from giving
 * root its capabilities back.  (Its files are opened by the monitor.)
 */
static int drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (!data[0].permitted && !data[1].permitted)
		return 0;	/* an ordinary user: nothing to drop */
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
		  SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED))
		return -1;
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap))
			return -1;
	memset(data, 0, sizeof(data));
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

/*
 * The second wall (platform/landlock.c): before the filter, whose
 * emulated opens nobody would answer yet.  What it allows natively is to
 * execute the loader.  A host without Landlock never gets here
 * (landlock_abi() said 0); one that has it but refuses the domain ends
 * the run, because the kernel counts on the wall (kernel/remote.c).
 */
static void confine(void)
{
	int fd;

	if (!mon.landlock_abi)
		return;
	fd = open(exec_loader_path(), O_PATH | O_CLOEXEC);
	if (fd < 0 || landlock_confine(mon.landlock_abi, &fd, 1)) {
		fprintf(stderr, "umbra: the guest's Landlock domain failed; "
			"--no-landlock runs without that wall\n");
		_exit(125);
	}
	close(fd);
}

static void child(const struct run_config *cfg, int sock, int go)
{
	char c;
	int fd;

	setpgid(0, 0);
	/* orphans of the guest come to guest init, as in a pid namespace */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (read(go, &c, 1) != 1)
		_exit(125);	/* the monitor is gone */
	close(go);
	if (drop_capabilities())
		die_child("dropping capabilities", errno, 125);
	confine();
	fd = filter_install(!cfg->max_tasks && !cfg->trace_path, cfg->net_none);
	if (fd < 0)
		die_child("seccomp filter", -fd, 125);
	/*
	 * The monitor takes the listener with pidfd_getfd: every call from
	 * here on is filtered, and the notification calls (sendmsg among
	 * them) have nobody to answer them yet; write and read are native.
	 */
	if (write(sock, &fd, sizeof(fd)) != sizeof(fd) ||
	    read(sock, &c, 1) != 1)
		die_child("handing over the listener", errno, 125);
	close(fd);
	close(sock);
	execvpe(cfg->argv[0], cfg->argv, cfg->envp);
	die_child(cfg->argv[0], errno, errno == ENOENT ? 127 : 126);
}

pid_t spawn_init(const struct run_config *cfg, int *notify_fd)
{
	int sv[2], go[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(go, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(sv[0]);
		close(go[1]);
		child(cfg, sv[1], go[0]);
	}
	close(sv[1]);
	close(go[0]);
	filter_keep(!cfg->max_tasks && !cfg->trace_path, cfg->net_none);
	setpgid(pid, pid);
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)SEIZE_OPTIONS)) {
		int err = errno;

		kill(pid, SIGKILL);
		errno = err;
		return -1;
	}
	/* a child that failed to set up exits with its own status */
	*notify_fd = -1;
	if (write(go[1], "g", 1) == 1)
		*notify_fd = take_listener(pid, sv[0]);
	close(go[1]);
	close(sv[0]);
	return pid;
}
