/*
 * sfdchld — a child's exit read through a signalfd (util-linux's script
 * waits on one): `code=1` (CLD_EXITED), `status=3`, `pid=1` when
 * ssi_pid is the pid fork returned.
 */
#include "prog.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

int main(void)
{
	struct signalfd_siginfo si = { 0 };
	struct pollfd pf;
	sigset_t s;
	pid_t p;
	int fd;

	sigemptyset(&s);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	fd = signalfd(-1, &s, SFD_CLOEXEC);
	if (fd < 0)
		DIE("signalfd");
	p = fork();
	if (p == 0) {
		usleep(100000);
		_exit(3);
	}
	pf.fd = fd;
	pf.events = POLLIN;
	CHECK(poll(&pf, 1, 5000) == 1, "poll");
	CHECK(read(fd, &si, sizeof(si)) == sizeof(si), "read");
	printf("code=%d\nstatus=%d\npid=%d\n", si.ssi_code, si.ssi_status,
	       (pid_t)si.ssi_pid == p);
	waitpid(p, NULL, 0);
	return prog_failures ? 1 : 0;
}
