/*
 * pids MODE [ARG...] — the process-id side of the process model.
 *
 * Prints `key=value` lines; a guest run as init must see guest pids in them
 * (pid=1, the first child 2, ...), which tests/integration/pids.sh asserts.
 * The program itself checks only what holds anywhere (fork's result is the
 * child's getpid(), wait returns the pid fork returned, ...).
 *
 * HOSTPID arguments are pids of host processes: inside umbra each must be
 * unreachable (ESRCH); natively they are ordinary processes.
 */
#include "prog.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define BOGUS_PID 99999

struct clone_args_v0 {		/* struct clone_args of clone3(2), version 0 */
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

static pid_t xfork(void)
{
	pid_t p = fork();

	if (p < 0)
		DIE("fork");
	return p;
}

static int xpipe_read_int(int fd)
{
	int v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		DIE("read from pipe");
	return v;
}

static void pipe_write_ints(int fd, const int *v, int n)
{
	if (write(fd, v, n * sizeof(*v)) != (ssize_t)(n * sizeof(*v)))
		_exit(98);
}

/* Wait for exactly @pid and return its status; fail on anything else. */
static int reap(pid_t pid)
{
	int st;
	pid_t r = waitpid(pid, &st, 0);

	CHECK(r == pid, "waitpid(%d) returned %d (%s)", pid, r, errname(errno));
	return st;
}

static void report_child(const char *what, pid_t ret, const int *v)
{
	OUT("%s=%d", what, ret);
	OUT("%s_child_pid=%d", what, v[0]);
	OUT("%s_child_ppid=%d", what, v[1]);
	OUT("%s_child_tid=%d", what, v[2]);
	CHECK(ret == v[0], "%s returned %d, child's getpid() is %d", what, ret, v[0]);
	CHECK(v[1] == getpid(), "%s child's getppid() %d != parent %d", what, v[1], getpid());
	CHECK(v[2] == v[0], "%s child's gettid() %d != getpid() %d", what, v[2], v[0]);
}

static void child_ids(int *v)
{
	v[0] = getpid();
	v[1] = getppid();
	v[2] = gettid();
}

/* The current pid, parent, tid and set_tid_address() result. */
static int mode_self(int argc, char **argv)
{
	int word;
	long settid = syscall(SYS_set_tid_address, &word);

	OUT("pid=%d", getpid());
	OUT("ppid=%d", getppid());
	OUT("tid=%d", gettid());
	OUT("settid=%ld", settid);
	OUT("pgid=%d", getpgrp());
	OUT("sid=%d", getsid(0));
	CHECK(gettid() == getpid(), "tid %d != pid %d", gettid(), getpid());
	CHECK(settid == gettid(), "set_tid_address returned %ld, tid %d", settid, gettid());
	if (argc > 2)
		CHECK(getpid() == atoi(argv[2]), "pid %d, expected %s", getpid(), argv[2]);
	return prog_exit();
}

/* fork, vfork, clone, clone3 and the SETTID words, in this order. */
static int mode_fork(void)
{
	int p[2], v[3], st;
	pid_t pid;
	static volatile int vv[3];

	if (pipe(p))
		DIE("pipe");

	pid = xfork();
	if (pid == 0) {
		child_ids(v);
		pipe_write_ints(p[1], v, 3);
		_exit(3);
	}
	for (int i = 0; i < 3; i++)
		v[i] = xpipe_read_int(p[0]);
	report_child("fork", pid, v);
	st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "fork child status %#x", st);

	/* vfork: the child shares our memory until it exits. */
	pid = vfork();
	if (pid == 0) {
		vv[0] = getpid();
		vv[1] = getppid();
		vv[2] = gettid();
		_exit(4);
	}
	if (pid < 0)
		DIE("vfork");
	for (int i = 0; i < 3; i++)
		v[i] = vv[i];
	report_child("vfork", pid, v);
	st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4, "vfork child status %#x", st);

	/* clone(2) used as fork, raw. */
	pid = syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0) {
		child_ids(v);
		pipe_write_ints(p[1], v, 3);
		_exit(5);
	}
	if (pid < 0)
		DIE("clone");
	for (int i = 0; i < 3; i++)
		v[i] = xpipe_read_int(p[0]);
	report_child("clone", pid, v);
	st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5, "clone child status %#x", st);

	/* clone3(2) used as fork. */
	struct clone_args_v0 ca = { .exit_signal = SIGCHLD };

	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0) {
		child_ids(v);
		pipe_write_ints(p[1], v, 3);
		_exit(6);
	}
	if (pid < 0)
		DIE("clone3");
	for (int i = 0; i < 3; i++)
		v[i] = xpipe_read_int(p[0]);
	report_child("clone3", pid, v);
	st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 6, "clone3 child status %#x", st);

	/* its size, as Linux checks it: nothing is created */
	struct { struct clone_args_v0 a; uint64_t more[64]; } big = {
		.a = { .exit_signal = SIGCHLD }, .more = { [63] = 1 } };

	errno = 0;
	CHECK(syscall(SYS_clone3, &big, sizeof(big)) < 0 && errno == E2BIG,
	      "clone3 with a non-zero tail: errno %d", errno);
	CHECK(syscall(SYS_clone3, &big, 8192) < 0 && errno == E2BIG,
	      "clone3 bigger than a page: errno %d", errno);
	CHECK(syscall(SYS_clone3, &big, 32) < 0 && errno == EINVAL,
	      "clone3 too small: errno %d", errno);

	/*
	 * CLONE_PARENT_SETTID writes the child's tid into the parent's memory,
	 * CLONE_CHILD_SETTID into the child's (the child reports its word).
	 */
	pid_t ptid = -1, ctid = -1;

	pid = syscall(SYS_clone, CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | SIGCHLD,
		      NULL, &ptid, &ctid, 0);
	if (pid == 0) {
		v[0] = gettid();
		v[1] = ctid;
		pipe_write_ints(p[1], v, 2);
		_exit(7);
	}
	if (pid < 0)
		DIE("clone SETTID");
	v[0] = xpipe_read_int(p[0]);
	v[1] = xpipe_read_int(p[0]);
	OUT("settid=%d", pid);
	OUT("settid_parent_word=%d", ptid);
	OUT("settid_child_word=%d", v[1]);
	CHECK(ptid == pid, "CLONE_PARENT_SETTID word %d, clone returned %d", ptid, pid);
	CHECK(v[1] == v[0], "CLONE_CHILD_SETTID word %d, child's tid %d", v[1], v[0]);
	st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "settid child status %#x", st);

	/* The same through clone3. */
	ptid = ctid = -1;
	struct clone_args_v0 cb = {
		.flags = CLONE_PARENT_SETTID | CLONE_CHILD_SETTID,
		.parent_tid = (uintptr_t)&ptid,
		.child_tid = (uintptr_t)&ctid,
		.exit_signal = SIGCHLD,
	};
	pid = syscall(SYS_clone3, &cb, sizeof(cb));
	if (pid == 0) {
		v[0] = gettid();
		v[1] = ctid;
		pipe_write_ints(p[1], v, 2);
		_exit(8);
	}
	if (pid < 0)
		DIE("clone3 SETTID");
	v[0] = xpipe_read_int(p[0]);
	v[1] = xpipe_read_int(p[0]);
	OUT("settid3=%d", pid);
	OUT("settid3_parent_word=%d", ptid);
	OUT("settid3_child_word=%d", v[1]);
	CHECK(ptid == pid, "clone3 parent_tid word %d, clone3 returned %d", ptid, pid);
	CHECK(v[1] == v[0], "clone3 child_tid word %d, child's tid %d", v[1], v[0]);
	st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 8, "settid3 child status %#x", st);
	return prog_exit();
}

/* A child execs `pids self`: its pid survives the exec. */
static int mode_forkexec(char *self)
{
	pid_t pid = xfork();

	if (pid == 0) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", getpid());
		execl(self, self, "self", buf, (char *)NULL);
		_exit(97);
	}
	OUT("forkexec=%d", pid);
	int st = reap(pid);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec'd child status %#x", st);
	return prog_exit();
}

static char *exec_self_path;
static char exec_self_pid[16];

static void *exec_thread(void *arg)
{
	execl(exec_self_path, exec_self_path, "self", exec_self_pid, (char *)NULL);
	DIE("execl from a thread");
	return NULL;
}

/*
 * A non-leader thread execs: the new image takes over the thread group's pid,
 * gettid() == getpid() (`pids self` checks it against the pid we pass).
 */
static int mode_execthread(char *self)
{
	pthread_t t;

	exec_self_path = self;
	snprintf(exec_self_pid, sizeof(exec_self_pid), "%d", getpid());
	OUT("execthread_pid=%d", getpid());
	if (pthread_create(&t, NULL, exec_thread, NULL))
		DIE("pthread_create");
	pthread_join(t, NULL);	/* never returns: the exec kills us */
	DIE("still alive after a thread's exec");
}

static volatile sig_atomic_t chld_count, chld_pid, chld_code, chld_status;

static void on_sigchld(int sig, siginfo_t *si, void *uc)
{
	chld_count++;
	chld_pid = si->si_pid;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

/* wait4, waitid and SIGCHLD all name the child by its pid. */
static int mode_wait(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigchld, .sa_flags = SA_SIGINFO | SA_RESTART };
	siginfo_t si;
	int st;
	pid_t pid, r;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL))
		DIE("sigaction");

	/* waitpid(pid) */
	pid = xfork();
	if (pid == 0)
		_exit(3);
	r = waitpid(pid, &st, 0);
	OUT("waitpid=%d", r);
	OUT("waitpid_status=%d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	CHECK(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 3, "waitpid %d/%d st %#x", r, pid, st);
	/* SIGCHLD for that child has been delivered by now (before the reap). */
	OUT("sigchld_pid=%d", chld_pid);
	OUT("sigchld_code=%d", chld_code);
	CHECK(chld_count == 1, "%d SIGCHLD, expected 1", chld_count);
	CHECK(chld_pid == pid, "SIGCHLD si_pid %d, child %d", chld_pid, pid);
	CHECK(chld_code == CLD_EXITED && chld_status == 3, "SIGCHLD code %d status %d",
	      chld_code, chld_status);

	/* waitid(P_PID) with WNOWAIT, then waitid again for real */
	pid = xfork();
	if (pid == 0)
		_exit(4);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	CHECK(r == 0 && si.si_pid == pid, "waitid WNOWAIT: %d si_pid %d child %d", r, si.si_pid, pid);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, pid, &si, WEXITED);
	OUT("waitid_pid=%d", si.si_pid);
	OUT("waitid_status=%d", si.si_status);
	CHECK(r == 0 && si.si_pid == pid, "waitid: %d si_pid %d child %d", r, si.si_pid, pid);
	CHECK(si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_status == 4,
	      "waitid signo %d code %d status %d", si.si_signo, si.si_code, si.si_status);

	/* wait4(-1) with rusage */
	struct rusage ru;

	pid = xfork();
	if (pid == 0)
		_exit(5);
	r = wait4(-1, &st, 0, &ru);
	OUT("wait4_any=%d", r);
	CHECK(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 5, "wait4(-1) %d/%d st %#x", r, pid, st);

	/* waitid(P_ALL) on a child killed by a signal */
	pid = xfork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(kill(pid, SIGTERM) == 0, "kill(%d, SIGTERM): %s", pid, errname(errno));
	memset(&si, 0, sizeof(si));
	r = waitid(P_ALL, 0, &si, WEXITED);
	OUT("waitid_killed_pid=%d", si.si_pid);
	OUT("waitid_killed_sig=%d", si.si_status);
	CHECK(r == 0 && si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "waitid(P_ALL): %d pid %d/%d code %d status %d", r, si.si_pid, pid, si.si_code,
	      si.si_status);

	/* waitpid(pgid): the child is in our process group */
	pid = xfork();
	if (pid == 0)
		_exit(6);
	r = waitpid(-getpgrp(), &st, 0);
	OUT("waitpid_pgrp=%d", r);
	CHECK(r == pid, "waitpid(-pgrp) %d, child %d (%s)", r, pid, errname(errno));

	/* Nothing left: ECHILD, also for a pid that is not ours */
	r = waitpid(-1, &st, WNOHANG);
	OUT("wait_none=%s", res(r));
	CHECK(r == -1 && errno == ECHILD, "waitpid(-1) with no child: %d %s", r, errname(errno));
	r = waitpid(BOGUS_PID, &st, 0);
	OUT("wait_bogus=%s", res(r));
	CHECK(r == -1 && errno == ECHILD, "waitpid(%d): %d %s", BOGUS_PID, r, errname(errno));
	return prog_exit();
}

static volatile sig_atomic_t usr_count, usr_pid, usr_code, usr_value;

static void on_usr(int sig, siginfo_t *si, void *uc)
{
	usr_count++;
	usr_pid = si->si_pid;
	usr_code = si->si_code;
	usr_value = si->si_value.sival_int;
}

/* Sleep until @n signals have arrived, at most 5 s. */
static void await_signals(int n)
{
	for (int i = 0; i < 5000 && usr_count < n; i++)
		usleep(1000);
}

/*
 * kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo with our own pids,
 * a child's, a bogus pid and the host pids given on the command line.
 */
static int mode_kill(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_usr, .sa_flags = SA_SIGINFO | SA_RESTART };
	siginfo_t si;
	int p[2], st, visible = 0;
	pid_t pid, me = getpid();

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL))
		DIE("sigaction");

	OUT("kill_self=%s", res(kill(me, 0)));
	OUT("kill_group=%s", res(kill(0, 0)));
	OUT("kill_bogus=%s", res(kill(BOGUS_PID, 0)));
	OUT("tkill_self=%s", res(syscall(SYS_tkill, gettid(), 0)));
	OUT("tkill_bogus=%s", res(syscall(SYS_tkill, BOGUS_PID, 0)));
	OUT("tgkill_self=%s", res(syscall(SYS_tgkill, me, gettid(), 0)));
	OUT("tgkill_bogus=%s", res(syscall(SYS_tgkill, me, BOGUS_PID, 0)));
	OUT("tgkill_bogus_tgid=%s", res(syscall(SYS_tgkill, BOGUS_PID, BOGUS_PID, 0)));
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = me;
	si.si_uid = getuid();
	OUT("sigqueue_bogus=%s", res(syscall(SYS_rt_sigqueueinfo, BOGUS_PID, SIGUSR1, &si)));
	OUT("tgsigqueue_bogus=%s",
	    res(syscall(SYS_rt_tgsigqueueinfo, me, BOGUS_PID, SIGUSR1, &si)));

	/* kill(self, SIGUSR1): the handler sees our own pid */
	usr_count = 0;
	CHECK(kill(me, SIGUSR1) == 0, "kill(self): %s", errname(errno));
	await_signals(1);
	OUT("self_signal_pid=%d", usr_pid);
	CHECK(usr_count == 1 && usr_pid == me && usr_code == SI_USER,
	      "kill(self, SIGUSR1): count %d si_pid %d code %d", usr_count, usr_pid, usr_code);

	/* A child receives SIGUSR1 from us, then queues SIGUSR2 with a value back */
	if (pipe(p))
		DIE("pipe");
	pid = xfork();
	if (pid == 0) {
		usr_count = 0;
		if (write(p[1], "r", 1) != 1)
			_exit(98);
		await_signals(1);
		int v[3] = { usr_count, usr_pid, usr_code };

		pipe_write_ints(p[1], v, 3);
		/* Tell the parent through a queued signal who we are */
		union sigval val = { .sival_int = 42 };

		if (sigqueue(getppid(), SIGUSR2, val))
			_exit(97);
		pause();	/* until SIGTERM */
		_exit(0);
	}
	char c;

	if (read(p[0], &c, 1) != 1)
		DIE("child sync");
	usr_count = 0;
	OUT("kill_child=%s", res(kill(pid, 0)));
	CHECK(kill(pid, SIGUSR1) == 0, "kill(child, SIGUSR1): %s", errname(errno));
	int v[3];

	for (int i = 0; i < 3; i++)
		v[i] = xpipe_read_int(p[0]);
	OUT("child_signal_pid=%d", v[1]);
	CHECK(v[0] == 1 && v[1] == me && v[2] == SI_USER,
	      "child's SIGUSR1: count %d si_pid %d (parent %d) code %d", v[0], v[1], me, v[2]);
	await_signals(1);
	OUT("queued_signal_pid=%d", usr_pid);
	OUT("queued_signal_value=%d", usr_value);
	CHECK(usr_count == 1 && usr_pid == pid && usr_code == SI_QUEUE && usr_value == 42,
	      "SIGUSR2 from child: count %d si_pid %d (child %d) code %d value %d",
	      usr_count, usr_pid, pid, usr_code, usr_value);

	/* rt_sigqueueinfo and rt_tgsigqueueinfo to the child (signal 0 probes) */
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = me;
	si.si_uid = getuid();
	OUT("sigqueue_child=%s", res(syscall(SYS_rt_sigqueueinfo, pid, 0, &si)));
	OUT("tgsigqueue_child=%s", res(syscall(SYS_rt_tgsigqueueinfo, pid, pid, 0, &si)));
	OUT("tgkill_child=%s", res(syscall(SYS_tgkill, pid, pid, 0)));
	OUT("tgkill_child_wrong_tgid=%s", res(syscall(SYS_tgkill, me, pid, 0)));

	CHECK(kill(pid, SIGTERM) == 0, "kill(child, SIGTERM): %s", errname(errno));
	/* a zombie still exists for kill(pid, 0) */
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0, "waitid: %s",
	      errname(errno));
	OUT("kill_zombie=%s", res(kill(pid, 0)));
	OUT("tgkill_zombie=%s", res(syscall(SYS_tgkill, pid, pid, 0)));
	st = reap(pid);
	OUT("kill_reaped=%s", res(kill(pid, 0)));
	OUT("child_termsig=%d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "child status %#x", st);

	/* Host pids: none may be reachable from inside */
	for (int i = 2; i < argc; i++) {
		pid_t h = atoi(argv[i]);

		if (h == me || h <= 0)
			continue;
		if (kill(h, 0) == 0 || errno != ESRCH)
			visible++;
	}
	if (argc > 2) {
		pid_t h = atoi(argv[2]);

		OUT("kill_host=%s", res(kill(h, 0)));
		OUT("tkill_host=%s", res(syscall(SYS_tkill, h, 0)));
		OUT("tgkill_host=%s", res(syscall(SYS_tgkill, h, h, 0)));
		OUT("kill_host_group=%s", res(kill(-h, 0)));
		memset(&si, 0, sizeof(si));
		si.si_code = SI_QUEUE;
		si.si_pid = me;
		si.si_uid = getuid();
		OUT("sigqueue_host=%s", res(syscall(SYS_rt_sigqueueinfo, h, 0, &si)));
		OUT("host_visible=%d", visible);
	}
	return prog_exit();
}

/* Block the child until the parent closes @fd's other end. */
static void hold(int fd)
{
	char c;

	while (read(fd, &c, 1) > 0)
		;
}

/* setpgid/getpgid/getpgrp/getsid/setsid, in guest pids. */
static int mode_pgrp(int argc, char **argv)
{
	int up[2], down[2], v[4], st;
	pid_t a, b, me = getpid();

	OUT("init_pgid=%d", getpgrp());
	OUT("init_sid=%d", getsid(0));
	CHECK(getpgid(0) == getpgrp(), "getpgid(0) %d != getpgrp() %d", getpgid(0), getpgrp());
	CHECK(getpgid(me) == getpgrp(), "getpgid(self) %d != getpgrp() %d", getpgid(me), getpgrp());
	CHECK(getsid(me) == getsid(0), "getsid(self) %d != getsid(0) %d", getsid(me), getsid(0));

	if (pipe(up) || pipe(down))
		DIE("pipe");

	/* Child a: its own process group */
	a = xfork();
	if (a == 0) {
		close(down[1]);
		v[0] = getpgrp();
		v[1] = setpgid(0, 0) ? -errno : 0;
		v[2] = getpgrp();
		v[3] = setsid() < 0 ? errno : 0;	/* EPERM: it leads a group */
		pipe_write_ints(up[1], v, 4);
		hold(down[0]);
		_exit(0);
	}
	for (int i = 0; i < 4; i++)
		v[i] = xpipe_read_int(up[0]);
	OUT("a=%d", a);
	OUT("a_pgid_before=%d", v[0]);
	OUT("a_setpgid=%d", v[1]);
	OUT("a_pgid=%d", v[2]);
	OUT("a_setsid=%s", errname(v[3]));
	CHECK(v[0] == getpgrp(), "child a inherited pgid %d, parent's %d", v[0], getpgrp());
	CHECK(v[1] == 0 && v[2] == a, "setpgid(0,0) in a: %d, pgid %d, pid %d", v[1], v[2], a);
	CHECK(v[3] == EPERM, "setsid in a group leader: %s", errname(v[3]));
	OUT("getpgid_a=%d", getpgid(a));
	CHECK(getpgid(a) == a, "getpgid(a) %d != a %d", getpgid(a), a);
	CHECK(getsid(a) == getsid(0), "getsid(a) %d != our sid %d", getsid(a), getsid(0));
	OUT("setpgid_a_same=%s", res(setpgid(a, a)));

	/* Child b: a new session */
	b = xfork();
	if (b == 0) {
		close(down[1]);
		pid_t s = setsid();

		v[0] = s;
		v[1] = getsid(0);
		v[2] = getpgrp();
		v[3] = getpid();
		pipe_write_ints(up[1], v, 4);
		hold(down[0]);
		_exit(0);
	}
	for (int i = 0; i < 4; i++)
		v[i] = xpipe_read_int(up[0]);
	OUT("b=%d", b);
	OUT("b_setsid=%d", v[0]);
	OUT("b_sid=%d", v[1]);
	OUT("b_pgid=%d", v[2]);
	CHECK(v[0] == b && v[1] == b && v[2] == b && v[3] == b,
	      "setsid in b (%d): returned %d, sid %d, pgid %d, pid %d", b, v[0], v[1], v[2], v[3]);
	OUT("getsid_b=%d", getsid(b));
	OUT("getpgid_b=%d", getpgid(b));
	CHECK(getsid(b) == b && getpgid(b) == b, "getsid(b) %d getpgid(b) %d", getsid(b), getpgid(b));
	/* b is in another session: we may not move it into our group */
	OUT("setpgid_b=%s", res(setpgid(b, getpgrp())));

	OUT("getpgid_bogus=%s", res(getpgid(BOGUS_PID)));
	OUT("getsid_bogus=%s", res(getsid(BOGUS_PID)));
	OUT("setpgid_bogus=%s", res(setpgid(BOGUS_PID, 0)));
	if (argc > 2) {
		pid_t h = atoi(argv[2]);

		OUT("getpgid_host=%s", res(getpgid(h)));
		OUT("getsid_host=%s", res(getsid(h)));
		OUT("setpgid_host=%s", res(setpgid(h, h)));
	}

	close(down[1]);
	st = reap(a);
	CHECK(WIFEXITED(st), "a status %#x", st);
	st = reap(b);
	CHECK(WIFEXITED(st), "b status %#x", st);

	/* Finally a new session for ourselves, if we do not lead a group. */
	if (getpgrp() != me) {
		pid_t s = setsid();

		OUT("self_setsid=%d", s);
		CHECK(s == me && getsid(0) == me && getpgrp() == me,
		      "setsid: %d sid %d pgid %d pid %d", s, getsid(0), getpgrp(), me);
	}
	return prog_exit();
}

/* pidfd_open, pidfd_send_signal, poll and waitid(P_PIDFD). */
static int mode_pidfd(int argc, char **argv)
{
	siginfo_t si;
	pid_t pid = xfork();
	int fd, r;

	if (pid == 0) {
		pause();
		_exit(0);
	}
	fd = syscall(SYS_pidfd_open, pid, 0);
	OUT("pidfd_child=%s", fd < 0 ? errname(errno) : "0");
	if (fd < 0) {
		kill(pid, SIGKILL);
		reap(pid);
		DIE("pidfd_open(child %d)", pid);
	}
	r = syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0);
	OUT("pidfd_send_signal=%s", res(r));
	if (r)
		kill(pid, SIGTERM);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	r = poll(&pfd, 1, 5000);
	OUT("pidfd_poll=%d", r);
	CHECK(r == 1 && (pfd.revents & POLLIN), "poll(pidfd): %d revents %#x", r, pfd.revents);
	memset(&si, 0, sizeof(si));
	r = waitid(P_PIDFD, fd, &si, WEXITED);
	OUT("pidfd_waitid_pid=%d", si.si_pid);
	OUT("pidfd_waitid_sig=%d", si.si_status);
	CHECK(r == 0 && si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "waitid(P_PIDFD): %d si_pid %d/%d code %d status %d", r, si.si_pid, pid,
	      si.si_code, si.si_status);
	close(fd);

	fd = syscall(SYS_pidfd_open, getpid(), 0);
	OUT("pidfd_self=%s", fd < 0 ? errname(errno) : "0");
	if (fd >= 0) {
		r = syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0);
		OUT("pidfd_self_signal=%s", res(r));
		close(fd);
	}
	fd = syscall(SYS_pidfd_open, BOGUS_PID, 0);
	OUT("pidfd_bogus=%s", fd < 0 ? errname(errno) : "0");
	if (fd >= 0)
		close(fd);
	if (argc > 2) {
		fd = syscall(SYS_pidfd_open, atoi(argv[2]), 0);
		OUT("pidfd_host=%s", fd < 0 ? errname(errno) : "0");
		if (fd >= 0)
			close(fd);
	}
	return prog_exit();
}

static void sched_probe(const char *name, pid_t pid, int may_write)
{
	cpu_set_t set;
	struct sched_param sp;
	struct timespec ts;
	struct rlimit rl;

	OUT("getaffinity_%s=%s", name, res(sched_getaffinity(pid, sizeof(set), &set)));
	OUT("getscheduler_%s=%s", name, res(sched_getscheduler(pid) < 0 ? -1 : 0));
	OUT("getparam_%s=%s", name, res(sched_getparam(pid, &sp)));
	OUT("rr_interval_%s=%s", name, res(sched_rr_get_interval(pid, &ts)));
	errno = 0;
	int prio = getpriority(PRIO_PROCESS, pid);

	OUT("getpriority_%s=%s", name, res(prio == -1 && errno ? -1 : 0));
	OUT("prlimit_get_%s=%s", name, res(prlimit(pid, RLIMIT_NOFILE, NULL, &rl)));
	if (!may_write)
		return;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		OUT("setaffinity_%s=%s", name, res(sched_setaffinity(pid, sizeof(set), &set)));
	OUT("setpriority_%s=%s", name, res(setpriority(PRIO_PROCESS, pid, 5)));
	rl.rlim_cur = rl.rlim_max = 0;
	OUT("prlimit_set_%s=%s", name, res(prlimit(pid, RLIMIT_CORE, &rl, NULL)));
}

/*
 * sched_*affinity, sched_getscheduler/param, sched_rr_get_interval,
 * get/setpriority and prlimit64 on ourselves, a child, a bogus pid; on a host
 * pid only the calls that read.
 */
static int mode_sched(int argc, char **argv)
{
	int p[2], st;
	pid_t pid;
	struct rlimit rl;

	if (pipe(p))
		DIE("pipe");
	pid = xfork();
	if (pid == 0) {
		close(p[1]);
		hold(p[0]);
		_exit(0);
	}
	close(p[0]);
	sched_probe("self", getpid(), 0);
	sched_probe("zero", 0, 0);
	sched_probe("child", pid, 1);
	sched_probe("bogus", BOGUS_PID, 1);
	if (argc > 2)
		sched_probe("host", atoi(argv[2]), 0);

	/* What was written to the child reads back from it. */
	errno = 0;
	int prio = getpriority(PRIO_PROCESS, pid);

	OUT("child_nice=%d", prio);
	CHECK(prio == 5, "getpriority(child) %d (%s) after setpriority 5", prio, errname(errno));
	CHECK(prlimit(pid, RLIMIT_CORE, NULL, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == 0,
	      "prlimit(child, RLIMIT_CORE) did not read back 0: %s", errname(errno));
	CHECK(sched_getscheduler(pid) == SCHED_OTHER, "sched_getscheduler(child) %d",
	      sched_getscheduler(pid));
	close(p[1]);
	st = reap(pid);
	CHECK(WIFEXITED(st), "child status %#x", st);
	return prog_exit();
}

/*
 * An orphan is re-parented to init (or, natively, to us as a subreaper), and
 * init's wait() reaps it under its pid.
 */
static int mode_orphan(void)
{
	int p[2], st, v[2];
	pid_t mid, me = getpid(), r;

	if (me != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(p))
		DIE("pipe");
	mid = xfork();
	if (mid == 0) {
		pid_t gc = xfork();

		if (gc == 0) {
			pid_t parent = getppid();
			int i;

			for (i = 0; i < 5000 && getppid() == parent; i++)
				usleep(1000);
			v[0] = getpid();
			v[1] = getppid();
			pipe_write_ints(p[1], v, 2);
			_exit(9);
		}
		_exit(0);
	}
	st = reap(mid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "middle child status %#x", st);
	v[0] = xpipe_read_int(p[0]);
	v[1] = xpipe_read_int(p[0]);
	OUT("orphan_pid=%d", v[0]);
	OUT("orphan_ppid=%d", v[1]);
	CHECK(v[1] == me, "orphan's new parent %d, expected %d", v[1], me);
	r = wait(&st);
	OUT("reaped=%d", r);
	CHECK(r == v[0] && WIFEXITED(st) && WEXITSTATUS(st) == 9,
	      "wait() reaped %d (%s) st %#x, orphan %d", r, errname(errno), st, v[0]);
	return prog_exit();
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "self"))
		return mode_self(argc, argv);
	if (!strcmp(m, "fork"))
		return mode_fork();
	if (!strcmp(m, "forkexec"))
		return mode_forkexec(argv[0]);
	if (!strcmp(m, "execthread"))
		return mode_execthread(argv[0]);
	if (!strcmp(m, "wait"))
		return mode_wait();
	if (!strcmp(m, "kill"))
		return mode_kill(argc, argv);
	if (!strcmp(m, "pgrp"))
		return mode_pgrp(argc, argv);
	if (!strcmp(m, "pidfd"))
		return mode_pidfd(argc, argv);
	if (!strcmp(m, "sched"))
		return mode_sched(argc, argv);
	if (!strcmp(m, "orphan"))
		return mode_orphan();
	fprintf(stderr, "usage: pids self [PID]|fork|forkexec|execthread|wait|orphan\n"
		"       pids kill|pgrp|pidfd|sched [HOSTPID...]\n");
	return 2;
}
