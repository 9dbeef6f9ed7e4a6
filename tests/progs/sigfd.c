/*
 * Who sent it, as a signalfd reader sees it (tests/integration/signals.sh,
 * test_signalfd_pids): a child signals its parent by kill, sigqueue and
 * pidfd_send_signal, then exits 7; the parent, with those signals and
 * SIGCHLD blocked, reads them all from a signalfd.  Each prints
 * `NAME_pid=child` when ssi_pid is the child's pid as fork returned it
 * (else the number), rt_int= the sigqueue payload.
 *
 * `sigfd stop`: the host's own SIGCHLD for a child that stops and is
 * continued, read from a signalfd: `stop_pid=child`, `stop_code=5`
 * (CLD_STOPPED), `cont_pid=child`, `cont_code=6` (CLD_CONTINUED), then
 * `status=9` (killed); the reads go through a dup of the signalfd.
 *
 * `sigfd outside`: prints `ready`, then the sender of the first SIGUSR1
 * a signalfd gives: `outside_pid=N` (0 inside umbra for a host process).
 *
 * `sigfd pdeath`: a grandchild with PR_SET_PDEATHSIG(SIGUSR1) reads the
 * signal its parent's death sends from a signalfd: `pdeath_get=10`
 * (PR_GET_PDEATHSIG), `pdeath_pid=parent` (else the number).
 */
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "prog.h"

static void child(void)
{
	pid_t pp = getppid();
	int pfd = (int)syscall(SYS_pidfd_open, pp, 0);

	kill(pp, SIGUSR1);
	sigqueue(pp, SIGRTMIN, (union sigval){ .sival_int = 42 });
	if (pfd < 0 || syscall(SYS_pidfd_send_signal, pfd, SIGUSR2, NULL, 0))
		_exit(1);
	_exit(7);
}

static const char *name(int sig)
{
	if (sig == SIGUSR1)
		return "kill";
	if (sig == SIGUSR2)
		return "pidfd";
	if (sig == SIGCHLD)
		return "chld";
	return "rt";
}

static void one_record(int fd, struct signalfd_siginfo *si)
{
	struct pollfd p = { fd, POLLIN, 0 };

	if (poll(&p, 1, 10000) != 1 || read(fd, si, sizeof(*si)) !=
	    sizeof(*si))
		DIE("no signal");
}

static int stop_cont(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd, st;
	pid_t c;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		DIE("sigprocmask");
	fd = signalfd(-1, &set, 0);
	fd = fd < 0 ? fd : dup(fd);	/* the copy is watched too */
	if (fd < 0)
		DIE("signalfd");
	c = fork();
	if (c < 0)
		DIE("fork");
	if (c == 0) {
		raise(SIGSTOP);
		pause();
		_exit(0);
	}
	one_record(fd, &si);
	OUT("stop_pid=%s", (pid_t)si.ssi_pid == c ? "child" : "other");
	OUT("stop_code=%d", si.ssi_code);
	if (waitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st))
		DIE("not stopped");
	kill(c, SIGCONT);
	one_record(fd, &si);
	OUT("cont_pid=%s", (pid_t)si.ssi_pid == c ? "child" : "other");
	OUT("cont_code=%d", si.ssi_code);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	OUT("status=%d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	return prog_failures != 0;
}

static int outside(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		DIE("sigprocmask");
	fd = signalfd(-1, &set, 0);
	if (fd < 0)
		DIE("signalfd");
	OUT("ready");
	one_record(fd, &si);
	OUT("outside_pid=%u", si.ssi_pid);
	return 0;
}

/* The grandchild's part: its lines go to the pipe out, read by the top. */
static void orphan(int ready, int out)
{
	struct signalfd_siginfo si;
	pid_t parent = getppid();
	struct pollfd p;
	sigset_t set;
	int fd, got = 0;
	char c = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	fd = signalfd(-1, &set, 0);
	if (fd < 0 || prctl(PR_SET_PDEATHSIG, SIGUSR1) ||
	    prctl(PR_GET_PDEATHSIG, &got))
		_exit(1);
	dprintf(out, "pdeath_get=%d\n", got);
	if (write(ready, &c, 1) != 1)
		_exit(1);
	p = (struct pollfd){ fd, POLLIN, 0 };
	if (poll(&p, 1, 5000) != 1 || read(fd, &si, sizeof(si)) != sizeof(si))
		_exit(2);
	if ((pid_t)si.ssi_pid == parent)
		dprintf(out, "pdeath_pid=parent\n");
	else
		dprintf(out, "pdeath_pid=%u\n", si.ssi_pid);
	_exit(0);
}

static int pdeath(void)
{
	int ready[2], out[2], st;
	char buf[256], c;
	ssize_t n;
	sigset_t set;
	pid_t q;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) || pipe(ready) || pipe(out))
		DIE("sigprocmask");
	q = fork();
	if (q < 0)
		DIE("fork");
	if (q == 0) {
		if (fork() == 0)
			orphan(ready[1], out[1]);
		if (read(ready[0], &c, 1) != 1)
			_exit(1);
		_exit(0);	/* the grandchild's signal */
	}
	close(out[1]);
	waitpid(q, &st, 0);
	while ((n = read(out[0], buf, sizeof(buf))) > 0)	/* to its exit */
		fwrite(buf, 1, (size_t)n, stdout);
	return prog_failures != 0;
}

int main(int argc, char **argv)
{
	struct signalfd_siginfo si;
	sigset_t set;
	pid_t c;
	int fd, got = 0;

	if (argc > 1 && !strcmp(argv[1], "pdeath"))
		return pdeath();
	if (argc > 1 && !strcmp(argv[1], "stop"))
		return stop_cont();
	if (argc > 1 && !strcmp(argv[1], "outside"))
		return outside();

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		DIE("sigprocmask");
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		DIE("signalfd");
	c = fork();
	if (c < 0)
		DIE("fork");
	if (!c)
		child();
	while (got < 4) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 5000) != 1)
			DIE("only %d signals came", got);
		if (read(fd, &si, sizeof(si)) != sizeof(si))
			DIE("read");
		if ((pid_t)si.ssi_pid == c)
			OUT("%s_pid=child", name((int)si.ssi_signo));
		else
			OUT("%s_pid=%u", name((int)si.ssi_signo), si.ssi_pid);
		if ((int)si.ssi_signo == SIGRTMIN)
			OUT("rt_int=%d", si.ssi_int);
		got++;
	}
	waitpid(c, &got, 0);
	OUT("status=%d", WEXITSTATUS(got));
	return prog_failures != 0;
}
