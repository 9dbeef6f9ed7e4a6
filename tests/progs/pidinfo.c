/*
 * Pids carried inside otherwise native calls: the peer of a unix socket
 * (SO_PEERCRED), an fd's signal owner (F_SETOWN/F_GETOWN and the _EX
 * forms), a lock holder (F_GETLK), the terminal's group (TIOCGPGRP, only
 * when there is a terminal).  Prints key=value lines; each must equal the
 * caller's own getpid()/getpgrp() on the host and inside umbra alike.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "prog.h"

int main(void)
{
	struct f_owner_ex ox = { F_OWNER_PID, 0 };
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[] = "/tmp/pidinfo.XXXXXX";
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int sv[2], fd, p[2];
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(p))
		DIE("socketpair");
	if (getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &len))
		DIE("SO_PEERCRED");
	OUT("peercred_is_self=%d", uc.pid == getpid());
	CHECK(uc.pid == getpid(), "SO_PEERCRED pid %d, me %d", uc.pid, getpid());

	if (fcntl(sv[0], F_SETOWN, getpid()))
		DIE("F_SETOWN");
	OUT("getown_is_self=%d", fcntl(sv[0], F_GETOWN) == getpid());
	CHECK(fcntl(sv[0], F_GETOWN) == getpid(), "F_GETOWN");
	if (fcntl(sv[0], F_GETOWN_EX, &ox))
		DIE("F_GETOWN_EX");
	CHECK(ox.pid == getpid(), "F_GETOWN_EX pid %d", ox.pid);
	ox.type = F_OWNER_PGRP;
	ox.pid = getpgrp();
	if (fcntl(sv[1], F_SETOWN_EX, &ox))
		DIE("F_SETOWN_EX");
	CHECK(fcntl(sv[1], F_GETOWN) == -getpgrp(), "F_GETOWN of a group: %d",
	      fcntl(sv[1], F_GETOWN));

	/* a lock held by a child: F_GETLK names the child */
	fd = mkstemp(path);
	if (fd < 0)
		DIE("mkstemp");
	unlink(path);
	child = fork();
	if (child == 0) {
		fcntl(fd, F_SETLK, &fl);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(p[0], path, 1) != 1)
		DIE("child");
	fl.l_type = F_WRLCK;
	if (fcntl(fd, F_GETLK, &fl))
		DIE("F_GETLK");
	OUT("getlk_is_child=%d", fl.l_pid == child);
	CHECK(fl.l_pid == child, "F_GETLK l_pid %d, child %d", fl.l_pid, child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return prog_failures ? 1 : 0;
}
