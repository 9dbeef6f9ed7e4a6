/*
 * Routes from a guest to a host process that skip the monitor's pid
 * translation, for the Landlock wall's tests (tests/integration/walls.sh).
 * Each prints `route=RESULT`: RESULT is the errno of the call that should
 * be refused, or 0 when the call went (a signal may still be stopped at
 * delivery: the shell test checks its canary is alive).
 *
 *   sigio PID         O_ASYNC on a pipe (owner PID set by fcntl F_SETOWN
 *                     and F_SETOWN_EX) and on a socket (by ioctl FIOSETOWN
 *                     and SIOCSPGRP), F_SETSIG SIGTERM, then a write
 *   pidfd FD          pidfd_send_signal(FD, SIGKILL): FD a pidfd or a
 *                     /proc/PID directory inherited from the host
 *   getfd FD          pidfd_getfd(FD, 0) and pidfd_getfd(FD, 1)
 *   vmread PID        process_vm_readv and process_vm_writev of PID
 *   fdops FILE        what a guest does natively on fds the monitor opened
 *                     for it: write, ftruncate, mmap, ioctl of a file and
 *                     of /dev/null (ENOTTY is the driver's answer)
 *   abi               (host side) the host's Landlock ABI, 0 for none
 *   withpidfd PID FD PROG ARG...
 *                     (host side) exec PROG with a pidfd of PID as FD
 */
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include "prog.h"

#ifndef F_SETSIG
#define F_SETSIG 10
#endif

/* Arm fd's owner by one route; the next write to peer signals it. */
static long set_owner(const char *route, int fd, pid_t pid)
{
	struct f_owner_ex ex = { F_OWNER_PID, pid };

	if (!strcmp(route, "fcntl_setown"))
		return fcntl(fd, F_SETOWN, pid);
	if (!strcmp(route, "fcntl_setown_ex"))
		return fcntl(fd, F_SETOWN_EX, &ex);
	if (!strcmp(route, "ioctl_fiosetown"))
		return ioctl(fd, FIOSETOWN, &pid);
	return ioctl(fd, SIOCSPGRP, &pid);	/* ioctl_siocspgrp */
}

static void sigio_route(const char *route, bool sock, pid_t pid)
{
	int p[2], flags;
	long ret;

	/* data arriving at p[0] signals its owner */
	if (sock ? socketpair(AF_UNIX, SOCK_STREAM, 0, p) : pipe(p))
		DIE("%s", sock ? "socketpair" : "pipe");
	flags = fcntl(p[0], F_GETFL);
	if (fcntl(p[0], F_SETFL, flags | O_ASYNC) ||
	    fcntl(p[0], F_SETSIG, SIGTERM))
		DIE("O_ASYNC, F_SETSIG");
	ret = set_owner(route, p[0], pid);
	OUT("%s=%s", route, res(ret));
	if (write(p[1], "x", 1) != 1)
		DIE("write");
	usleep(20000);
	close(p[0]);
	close(p[1]);
}

static int mode_sigio(pid_t pid)
{
	sigio_route("fcntl_setown", false, pid);
	sigio_route("fcntl_setown_ex", false, pid);
	sigio_route("ioctl_fiosetown", true, pid);	/* sockets only */
	sigio_route("ioctl_siocspgrp", true, pid);
	return prog_exit();
}

static int mode_pidfd(int fd)
{
	OUT("pidfd_send_signal=%s",
	    res(syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0)));
	return prog_exit();
}

static int mode_getfd(int fd)
{
	long a = syscall(SYS_pidfd_getfd, fd, 0, 0);
	long b = syscall(SYS_pidfd_getfd, fd, 1, 0);

	OUT("pidfd_getfd=%s", res(a >= 0 || b >= 0 ? 0 : -1));
	return prog_exit();
}

static int mode_vmread(pid_t pid)
{
	char buf[64];
	struct iovec l = { buf, sizeof(buf) };
	/* unmapped there: EFAULT would say the call reached the process */
	struct iovec r = { (void *)0x10000, sizeof(buf) };

	OUT("process_vm_readv=%s",
	    res(syscall(SYS_process_vm_readv, pid, &l, 1, &r, 1, 0)));
	OUT("process_vm_writev=%s",
	    res(syscall(SYS_process_vm_writev, pid, &l, 1, &r, 1, 0)));
	return prog_exit();
}

static int mode_fdops(const char *path)
{
	struct termios tio;
	char buf[8] = "";
	int fd, null, n = -1;
	char *m;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		DIE("open %s", path);
	OUT("write=%s", res(write(fd, "abc", 3) == 3 ? 0 : -1));
	OUT("ftruncate=%s", res(ftruncate(fd, 4096)));
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	OUT("mmap=%s", res(m == MAP_FAILED ? -1 : 0));
	if (m != MAP_FAILED) {
		memcpy(m, "xyz", 3);
		munmap(m, 4096);
	}
	CHECK(pread(fd, buf, 3, 0) == 3 && !memcmp(buf, "xyz", 3),
	      "read back '%.3s'", buf);
	OUT("ioctl_fionread=%s", res(ioctl(fd, FIONREAD, &n)));
	null = open("/dev/null", O_RDWR);
	if (null < 0)
		DIE("open /dev/null");
	OUT("ioctl_dev=%s", res(ioctl(null, TCGETS, &tio)));
	close(null);
	close(fd);
	return prog_exit();
}

static int mode_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);

	OUT("%ld", abi > 0 ? abi : 0);
	return 0;
}

static int mode_withpidfd(pid_t pid, int fd, char **argv)
{
	int pfd = syscall(SYS_pidfd_open, pid, 0);

	if (pfd < 0 || dup2(pfd, fd) != fd)
		DIE("pidfd_open(%d)", pid);
	if (pfd != fd)
		close(pfd);
	execvp(argv[0], argv);
	DIE("exec %s", argv[0]);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (!strcmp(m, "sigio") && argc == 3)
		return mode_sigio(atoi(argv[2]));
	if (!strcmp(m, "pidfd") && argc == 3)
		return mode_pidfd(atoi(argv[2]));
	if (!strcmp(m, "getfd") && argc == 3)
		return mode_getfd(atoi(argv[2]));
	if (!strcmp(m, "vmread") && argc == 3)
		return mode_vmread(atoi(argv[2]));
	if (!strcmp(m, "fdops") && argc == 3)
		return mode_fdops(argv[2]);
	if (!strcmp(m, "abi"))
		return mode_abi();
	if (!strcmp(m, "withpidfd") && argc > 4)
		return mode_withpidfd(atoi(argv[2]), atoi(argv[3]), argv + 4);
	fprintf(stderr, "usage: wall sigio|pidfd|getfd|vmread|fdops|abi|withpidfd ...\n");
	return 2;
}
