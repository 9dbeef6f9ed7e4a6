/*
 * Two of Linux's answers a traced guest could get wrong
 * (tests/integration/signals.sh, pids.sh):
 *
 *   sigtw_ignored   sigtimedwait for SIGUSR1 with a 300 ms timeout while a
 *                   child sends SIGUSR2 (ignored) every 50 ms: the ignored
 *                   signals never end the wait (`sigtw=EAGAIN`,
 *                   `sigtw_time=ok`: between 0.3 and 3 s)
 *   setpgid_exec    setpgid on a child that has exec'd: EACCES, whatever
 *                   the group (`setpgid_own=EACCES`, `setpgid_none=EACCES`)
 *   idle            (the exec'd child) wait to be killed
 *   emptyargv       a child execs this program with an empty argv: it
 *                   gets argv[0] = "", as from Linux 5.18 (`argc=1`,
 *                   `argv0=empty`)
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include "prog.h"

static int sigtw_ignored(void)
{
	struct timespec to = { 0, 300000000 };
	pid_t pp = getpid(), c;
	sigset_t set;
	double t0;
	int r;

	signal(SIGUSR2, SIG_IGN);
	c = fork();
	if (c < 0)
		DIE("fork");
	if (c == 0) {
		for (int i = 0; i < 100 && !kill(pp, SIGUSR2); i++)
			usleep(50000);
		_exit(0);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	t0 = now();
	r = sigtimedwait(&set, NULL, &to);
	t0 = now() - t0;
	OUT("sigtw=%s", r < 0 ? errname(errno) : "signal");
	OUT("sigtw_time=%s", t0 >= 0.3 && t0 < 3 ? "ok" : "wrong");
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return 0;
}

static int setpgid_exec(const char *self)
{
	int p[2];
	char x;
	pid_t c;

	if (pipe2(p, O_CLOEXEC))
		DIE("pipe");
	c = fork();
	if (c < 0)
		DIE("fork");
	if (c == 0) {
		execl(self, self, "idle", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &x, 1) != 0)	/* EOF: the exec closed it */
		DIE("exec");
	OUT("setpgid_own=%s", setpgid(c, c) ? errname(errno) : "0");
	OUT("setpgid_none=%s", setpgid(c, 999999) ? errname(errno) : "0");
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return 0;
}

static int emptyargv(const char *self)
{
	char *none[] = { NULL };
	pid_t c = fork();

	if (c == 0) {
		execve(self, none, none);
		_exit(127);
	}
	waitpid(c, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc <= 1) {	/* as emptyargv's child */
		OUT("argc=%d", argc);
		OUT("argv0=%s", !argc ? "none" : argv[0][0] ? "set" : "empty");
		return 0;
	}
	if (!strcmp(argv[1], "emptyargv"))
		return emptyargv(argv[0]);
	if (argc > 1 && !strcmp(argv[1], "sigtw_ignored"))
		return sigtw_ignored();
	if (argc > 1 && !strcmp(argv[1], "setpgid_exec"))
		return setpgid_exec(argv[0]);
	if (argc > 1 && !strcmp(argv[1], "idle"))
		pause();
	return 2;
}
