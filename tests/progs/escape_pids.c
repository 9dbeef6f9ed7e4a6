/*
 * escape_pids MODE [ARG...] — a guest naming processes, groups and users
 * through every interface that carries one, printing what each call did.
 * HOSTPID is a host process of the same user (the test's canary): no
 * route may reach it.
 *
 *   intmin               pid-taking calls with INT_MIN, INT_MAX and -1:
 *                        `CALL=ERRNO` each (the same on the host)
 *   owner HOSTPID        an fd's signal owner set to HOSTPID by FIOSETOWN,
 *                        SIOCSPGRP, F_SETOWN, F_SETOWN_EX (`NAME=ERRNO`),
 *                        F_SETSIG of SIGKILL/SIGSTOP, then an O_ASYNC
 *                        socket made readable; `self_NAME=1` when the
 *                        owner read back is getpid() (FIOGETOWN,
 *                        SIOCGPGRP, F_GETOWN, F_GETOWN_EX) and
 *                        `pidfd_info=ok` when PIDFD_GET_INFO of
 *                        pidfd_open(getpid()) gives getpid() and getppid()
 *   prio                 setpriority(PRIO_USER) and ioprio_set(WHO_USER)
 *                        to nice 7 and best-effort level 7, for who 0 and
 *                        getuid(): `NAME=ERRNO`, `own_nice=`, `own_ioprio=`
 *   race_owner HOSTPID N N rounds of F_SETOWN_EX(getpid()) on an O_ASYNC
 *                        socket made readable each time, while a sibling
 *                        thread fills the stack below the caller with
 *                        {F_OWNER_PID, HOSTPID}: `rounds=N`
 *   init_sigs            run as the guest's init: what Linux does for a
 *                        namespace init: a SIGTERM it blocks is queued
 *                        (`sigtimedwait=SIGTERM`), SIGUSR1 with the default
 *                        action from a child's kill, pidfd_send_signal,
 *                        an O_ASYNC owner and its own timer, and SIGKILL
 *                        from a child, are dropped: `alive=1` at the end
 *   stale                a subreaper that ignores SIGCHLD inherits a
 *                        zombie grandchild, which the host releases at
 *                        once: every call naming its pid then fails as on
 *                        Linux (`kill0=ESRCH`, `kill=`, `pidfd_open=`,
 *                        `sched_getscheduler=`, `getpgid=`)
 *   ioctls               ioctl commands no allowlist knows, on a socket and
 *                        a pty master (TIOCSIG would signal whatever group
 *                        is in the foreground of its slave; VT_ACTIVATE
 *                        would switch a console): `NAME=ERRNO`, and
 *                        FIONREAD on the socket (`fionread=0`)
 *   tcsetpgrp            in a session of its own on a new pty: tcsetpgrp
 *                        of its own group alone (`tcsetpgrp=0`) and with
 *                        a second thread sharing its memory
 *                        (`tcsetpgrp_threaded=0`)
 *   tcbad                tcsetpgrp on a closed fd (`tc_badfd=EBADF`) and
 *                        on /dev/null (`tc_null=ENOTTY`), before the group
 *                        it names is looked at (a group that is none)
 *   ctty                 on the controlling terminal it was started on
 *                        (fd 0; the session is the host user's): in a new
 *                        group, with SIGTTOU ignored, tcsetpgrp of that
 *                        group (`ctty_set=0`, `ctty_fg=mine`), again from
 *                        a second thread, and back to the first group
 *                        (`ctty_back=0`); without SIGTTOU ignored, from
 *                        the background (`ctty_bg=stopped`: SIGTTOU)
 *   setters              the calls that change another task, on a child:
 *                        what an unprivileged caller gets (`affinity=0`,
 *                        `nice_up=0`, `nice_down=`, `fifo=`, `rlim_up=`,
 *                        `rlim_down=0`, `ioprio=0`, `pidfd=0`); the guest has
 *                        no capabilities even when root runs umbra
 *   clone_parent         as init: clone(CLONE_PARENT) (`init_clone_parent=`,
 *                        EINVAL as for a namespace's init), and from a
 *                        child, where it works (`child_clone_parent=0`)
 *   capget HOSTPID       capget of HOSTPID, of 0 and of getpid():
 *                        `capget_host=`, `capget_self=`, `capget_own=`,
 *                        `capset_own=` (the caps read, set back),
 *                        `capget_probe=`, `capget_probe_prefers=` (version
 *                        0 and no data pointer: 0, the version written)
 */
#include "prog.h"

#include <fcntl.h>
#include <stdlib.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/sockios.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define say(key, r) printf("%s=%s\n", key, (r) < 0 ? errname(errno) : "0")

static long sys(long nr, long a, long b, long c, long d)
{
	return syscall(nr, a, b, c, d);
}

static int mode_intmin(void)
{
	siginfo_t si;
	int fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
		DIE("socketpair");
	say("wait4_min", sys(SYS_wait4, INT_MIN, 0, WNOHANG, 0));
	say("wait4_max", sys(SYS_wait4, INT_MAX, 0, WNOHANG, 0));
	say("kill_min_0", kill(INT_MIN, 0));
	say("kill_min_usr1", kill(INT_MIN, SIGUSR1));
	say("kill_max", kill(INT_MAX, SIGUSR1));
	say("kill_sig_min", kill(getpid(), INT_MIN));
	say("tkill_min", sys(SYS_tkill, INT_MIN, 0, 0, 0));
	say("tgkill_min", sys(SYS_tgkill, INT_MIN, 1, 0, 0));
	say("tgkill_min2", sys(SYS_tgkill, getpid(), INT_MIN, 0, 0));
	say("getpgid_min", getpgid(INT_MIN));
	say("getsid_min", getsid(INT_MIN));
	say("setpgid_min", setpgid(INT_MIN, 0));
	say("setpgid_min2", setpgid(0, INT_MIN));
	say("setown_min", fcntl(fds[0], F_SETOWN, INT_MIN));
	say("setown_max", fcntl(fds[0], F_SETOWN, INT_MAX));
	say("getpriority_min", sys(SYS_getpriority, PRIO_PROCESS, INT_MIN, 0, 0));
	say("getpriority_pgrp_min", sys(SYS_getpriority, PRIO_PGRP, INT_MIN, 0, 0));
	say("sched_getscheduler_min", sys(SYS_sched_getscheduler, INT_MIN, 0, 0, 0));
	say("prlimit_min", sys(SYS_prlimit64, INT_MIN, RLIMIT_NOFILE, 0, 0));
	say("pidfd_open_min", sys(SYS_pidfd_open, INT_MIN, 0, 0, 0));
	say("waitid_pgid_min", sys(SYS_waitid, P_PGID, INT_MIN, (long)&si, WEXITED | WNOHANG));
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	say("sigqueueinfo_min", sys(SYS_rt_sigqueueinfo, INT_MIN, SIGUSR1, (long)&si, 0));
	say("sigqueueinfo_minus1", sys(SYS_rt_sigqueueinfo, -1, SIGUSR1, (long)&si, 0));
	return 0;
}

static void async_on(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
}

/* Make fds[0] readable (a SIGIO to its owner), then drain it. */
static void poke(int fds[2])
{
	char c = 'x';

	if (write(fds[1], &c, 1) != 1 || read(fds[0], &c, 1) != 1)
		DIE("poke");
}

static int mode_owner(pid_t host)
{
	struct f_owner_ex ox = { F_OWNER_PID, host };
	int fds[2], v, neg = -host;
	pid_t me = getpid();
	long pidfd;

	signal(SIGIO, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
		DIE("socketpair");
	say("fiosetown", ioctl(fds[0], FIOSETOWN, &host));
	say("siocspgrp", ioctl(fds[0], SIOCSPGRP, &host));
	say("siocspgrp_group", ioctl(fds[0], SIOCSPGRP, &neg));
	say("f_setown", fcntl(fds[0], F_SETOWN, host));
	say("f_setown_group", fcntl(fds[0], F_SETOWN, -host));
	say("f_setown_ex", fcntl(fds[0], F_SETOWN_EX, &ox));
	ox.type = F_OWNER_TID;
	say("f_setown_ex_tid", fcntl(fds[0], F_SETOWN_EX, &ox));
	say("f_setsig_kill", fcntl(fds[0], F_SETSIG, SIGKILL));
	say("f_setsig_stop", fcntl(fds[0], F_SETSIG, SIGSTOP));
	async_on(fds[0]);
	poke(fds);

	/* our own pid goes in and comes out */
	v = me;
	ioctl(fds[0], FIOSETOWN, &v);
	v = 0;
	ioctl(fds[0], FIOGETOWN, &v);
	printf("self_fiogetown=%d\n", v == me);
	v = 0;
	ioctl(fds[0], SIOCGPGRP, &v);
	printf("self_siocgpgrp=%d\n", v == me);
	printf("self_f_getown=%d\n", fcntl(fds[0], F_GETOWN) == me);
	ox.type = F_OWNER_PID;
	ox.pid = me;
	fcntl(fds[0], F_SETOWN_EX, &ox);
	ox.pid = 0;
	fcntl(fds[0], F_GETOWN_EX, &ox);
	printf("self_f_getown_ex=%d\n", ox.pid == me);
	v = -getpgrp();
	ioctl(fds[0], SIOCSPGRP, &v);
	printf("self_group=%d\n", fcntl(fds[0], F_GETOWN) == -getpgrp());

	pidfd = syscall(SYS_pidfd_open, me, 0);
	if (pidfd < 0) {
		printf("pidfd_info=%s\n", errname(errno));
	} else {
		struct { uint64_t mask, cgroupid; uint32_t pid, tgid, ppid;
			 uint32_t rest[13]; } pi = { .mask = 1 };
		/* PIDFD_GET_INFO = _IOWR(0xFF, 11, struct pidfd_info) */
		unsigned long cmd = _IOWR(0xFF, 11, pi);

		if (ioctl((int)pidfd, cmd, &pi))
			printf("pidfd_info=%s\n", errname(errno));
		else
			printf("pidfd_info=%s\n", pi.pid == (uint32_t)me &&
			       pi.tgid == (uint32_t)me &&
			       pi.ppid == (uint32_t)getppid() ? "ok" : "wrong");
		/* a namespace fd of the host's */
		say("pidfd_ns", ioctl((int)pidfd, _IO(0xFF, 1), 0));
	}
	return 0;
}

static int mode_prio(void)
{
	uid_t me = getuid();
	long r;

	say("setprio_user0", sys(SYS_setpriority, PRIO_USER, 0, 7, 0));
	say("setprio_user", sys(SYS_setpriority, PRIO_USER, me, 7, 0));
	say("setprio_other", sys(SYS_setpriority, PRIO_USER, me + 1, 7, 0));
	errno = 0;
	r = getpriority(PRIO_PROCESS, 0);
	printf("own_nice=%ld\n", r);
	r = sys(SYS_getpriority, PRIO_USER, 0, 0, 0);
	printf("getprio_user=%ld\n", r < 0 ? -1 : 20 - r);
	/* best-effort (class 2), level 7 */
	say("ioprio_user0", sys(SYS_ioprio_set, 3, 0, (2 << 13) | 7, 0));
	say("ioprio_user", sys(SYS_ioprio_set, 3, me, (2 << 13) | 7, 0));
	r = sys(SYS_ioprio_get, 1, 0, 0, 0);
	printf("own_ioprio=%ld\n", r);
	r = sys(SYS_ioprio_get, 3, 0, 0, 0);
	printf("ioprio_get_user=%ld\n", r);
	return 0;
}

static volatile int stop_racer;
static char *race_top;
static pid_t race_host;

/*
 * Fill the stack below the caller's frames, where a monitor that copies a
 * translated argument below the stack pointer would put it (the frames of
 * fcntl() itself, just below `here`, are left alone).
 */
static void *racer(void *arg)
{
	uintptr_t top = ((uintptr_t)race_top - 640) & ~(uintptr_t)15;
	int *p = (int *)(top - 4096);

	while (!stop_racer)
		for (int i = 0; i < 1024; i += 2) {
			p[i] = F_OWNER_PID;
			p[i + 1] = race_host;
		}
	return arg;
}

static void __attribute__((noinline)) touch_stack(void)
{
	volatile char buf[16384];

	buf[0] = buf[sizeof(buf) - 1] = 0;
}

static int mode_race_owner(pid_t host, long rounds)
{
	struct f_owner_ex ox;
	pthread_t th;
	int fds[2];
	char here;
	long i;

	signal(SIGIO, SIG_IGN);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
		DIE("socketpair");
	async_on(fds[0]);
	touch_stack();
	race_top = &here;
	race_host = host;
	if (pthread_create(&th, NULL, racer, NULL))
		DIE("pthread_create");
	for (i = 0; i < rounds; i++) {
		ox.type = F_OWNER_PID;
		ox.pid = getpid();
		fcntl(fds[0], F_SETOWN_EX, &ox);
		poke(fds);
	}
	stop_racer = 1;
	pthread_join(th, NULL);
	printf("rounds=%ld\n", i);
	return 0;
}

static int mode_capget(pid_t host)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, host };
	struct __user_cap_data_struct d[2], e[2];

	say("capget_host", syscall(SYS_capget, &h, d));
	h.pid = 0;
	say("capget_self", syscall(SYS_capget, &h, d));
	h.pid = getpid();
	say("capget_own", syscall(SYS_capget, &h, e));
	printf("capget_same=%d\n", !memcmp(d, e, sizeof(d)));
	printf("capget_hdr_pid=%d\n", h.pid == getpid());
	say("capset_own", syscall(SYS_capset, &h, e));
	printf("capset_hdr_pid=%d\n", h.pid == getpid());
	h.pid = host;
	say("capset_host", syscall(SYS_capset, &h, e));
	h.version = 0x12345678;
	say("capget_badver", syscall(SYS_capget, &h, d));
	printf("capget_prefers=%#x\n", h.version);
	/* libcap-ng's probe: Linux answers 0 and writes its version */
	h.version = 0;
	h.pid = 0;
	say("capget_probe", syscall(SYS_capget, &h, NULL));
	printf("capget_probe_prefers=%#x\n", h.version);
	return 0;
}

/* Run fn in a child and wait for it. */
static void in_child(void (*fn)(void))
{
	pid_t c = fork();

	if (c == 0) {
		fn();
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void kill_term(void) { kill(1, SIGTERM); }
static void kill_usr1(void) { kill(1, SIGUSR1); }
static void kill_kill(void) { kill(1, SIGKILL); }
static void pidfd_usr1(void)
{
	long fd = syscall(SYS_pidfd_open, 1, 0);

	if (fd >= 0)
		syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0);
}

static int mode_init_sigs(void)
{
	struct timespec ts = { 2, 0 };
	sigset_t set;
	int fds[2], sig;

	if (getpid() != 1)
		DIE("not init");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	in_child(kill_term);
	sig = sigtimedwait(&set, NULL, &ts);
	printf("sigtimedwait=%s\n", sig > 0 ? sigabbrev_np(sig) : errname(errno));
	in_child(kill_usr1);
	in_child(pidfd_usr1);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
		DIE("socketpair");
	fcntl(fds[0], F_SETOWN, 1);
	fcntl(fds[0], F_SETSIG, SIGUSR1);
	async_on(fds[0]);
	poke(fds);
	alarm(1);
	usleep(1300000);
	in_child(kill_kill);
	usleep(100000);
	printf("alive=1\n");
	return 0;
}

static int mode_stale(void)
{
	int fds[2];
	pid_t p, c = 0;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(fds))
		DIE("subreaper");
	signal(SIGCHLD, SIG_IGN);
	p = fork();
	if (p == 0) {
		signal(SIGCHLD, SIG_DFL);	/* c stays a zombie for us */
		c = fork();
		if (c == 0)
			_exit(0);
		/* wait until c is a zombie, then hand it to the subreaper */
		for (int i = 0; i < 200; i++) {
			char path[64], st = 0;
			FILE *f;

			snprintf(path, sizeof(path), "/proc/%d/stat", c);
			if (!(f = fopen(path, "r")))
				break;
			if (fscanf(f, "%*d %*s %c", &st) != 1)
				st = 0;
			fclose(f);
			if (st == 'Z')
				break;
			usleep(10000);
		}
		usleep(100000);
		if (write(fds[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		_exit(0);
	}
	if (read(fds[0], &c, sizeof(c)) != sizeof(c))
		DIE("read");
	usleep(300000);		/* p's exit, the host's release of c */
	say("kill0", kill(c, 0));
	say("kill", kill(c, SIGUSR1));
	say("pidfd_open", syscall(SYS_pidfd_open, c, 0));
	say("sched_getscheduler", sched_getscheduler(c));
	say("getpgid", getpgid(c));
	return 0;
}

static int mode_ioctls(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), v = 0;
	int m = open("/dev/ptmx", O_RDWR | O_NOCTTY);

	say("fionread", ioctl(s, FIONREAD, &v));
	say("sock_unknown", ioctl(s, 0x89F0, &v));
	say("sock_siocsifflags", ioctl(s, 0x8914, &v));
	if (m < 0) {
		printf("ptmx=%s\n", errname(errno));
		return 0;
	}
	say("tiocsig", ioctl(m, 0x40045436, SIGTERM));
	say("vt_activate", ioctl(m, 0x5606, 1));
	say("tiocvhangup", ioctl(m, 0x5437, 0));
	return 0;
}

static void *idle_thread(void *arg)
{
	pause();
	return arg;
}

static int mode_tcsetpgrp(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), st = 0;
	pid_t c;

	if (m < 0 || grantpt(m) || unlockpt(m)) {
		printf("ptmx=%s\n", errname(errno));
		return 0;
	}
	c = fork();
	if (c == 0) {
		pthread_t th;
		int s;

		setsid();
		s = open(ptsname(m), O_RDWR);
		if (s < 0)
			_exit(3);
		ioctl(s, TIOCSCTTY, 0);		/* our controlling terminal */
		say("tcsetpgrp", tcsetpgrp(s, getpgrp()));
		pthread_create(&th, NULL, idle_thread, NULL);
		say("tcsetpgrp_threaded", tcsetpgrp(s, getpgrp()));
		_exit(0);
	}
	waitpid(c, &st, 0);
	return WEXITSTATUS(st);
}

static int mode_tcbad(void)
{
	int fd = open("/dev/null", O_RDWR);

	say("tc_badfd", tcsetpgrp(1000, 123456));
	say("tc_null", tcsetpgrp(fd, 123456));
	return 0;
}

static int mode_ctty(void)
{
	pid_t first = getpgrp(), c;
	pthread_t th;
	int st = 0;

	if (tcgetpgrp(0) != first) {
		printf("ctty=%s\n", errname(errno ? errno : EINVAL));
		return 0;
	}
	c = fork();
	if (c == 0) {
		signal(SIGTTOU, SIG_IGN);
		setpgid(0, 0);
		say("ctty_set", tcsetpgrp(0, getpgrp()));
		printf("ctty_fg=%s\n", tcgetpgrp(0) == getpgrp() ? "mine" :
		       "other");
		pthread_create(&th, NULL, idle_thread, NULL);
		say("ctty_threaded", tcsetpgrp(0, getpgrp()));
		say("ctty_back", tcsetpgrp(0, first));
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, &st, 0);
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		tcsetpgrp(0, getpgrp());	/* SIGTTOU stops it here */
		_exit(7);
	}
	waitpid(c, &st, WUNTRACED);
	printf("ctty_bg=%s\n", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTOU ?
	       "stopped" : "went");
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	return 0;
}

static int mode_setters(void)
{
	struct sched_param sp = { .sched_priority = 10 };
	struct rlimit rl;
	cpu_set_t set;
	pid_t c = fork();
	long fd;

	if (c == 0) {
		pause();
		_exit(0);
	}
	sched_getaffinity(0, sizeof(set), &set);
	say("affinity", sched_setaffinity(c, sizeof(set), &set));
	say("nice_up", setpriority(PRIO_PROCESS, c, 5));
	say("nice_down", setpriority(PRIO_PROCESS, c, -5));
	say("fifo", sched_setscheduler(c, SCHED_FIFO, &sp));
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max = rl.rlim_max + 1;
	say("rlim_up", prlimit(c, RLIMIT_NOFILE, &rl, NULL));
	rl.rlim_max -= 2;
	rl.rlim_cur = rl.rlim_cur < rl.rlim_max ? rl.rlim_cur : rl.rlim_max;
	say("rlim_down", prlimit(c, RLIMIT_NOFILE, &rl, NULL));
	say("ioprio", syscall(SYS_ioprio_set, 1, c, (2 << 13) | 6));
	fd = syscall(SYS_pidfd_open, c, 0);
	say("pidfd", fd < 0 ? -1 : 0);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return 0;
}

static int mode_clone_parent(void)
{
	long r = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
	pid_t c;

	if (r == 0)
		_exit(0);
	say("init_clone_parent", r);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		r = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
		if (r == 0)
			_exit(0);
		say("child_clone_parent", r);
		fflush(stdout);
		_exit(0);
	}
	while (wait(NULL) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	pid_t host = argc > 2 ? (pid_t)atol(argv[2]) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "intmin"))
		return mode_intmin();
	if (!strcmp(m, "owner") && host > 0)
		return mode_owner(host);
	if (!strcmp(m, "prio"))
		return mode_prio();
	if (!strcmp(m, "race_owner") && argc > 3)
		return mode_race_owner(host, atol(argv[3]));
	if (!strcmp(m, "clone_parent"))
		return mode_clone_parent();
	if (!strcmp(m, "setters"))
		return mode_setters();
	if (!strcmp(m, "tcsetpgrp"))
		return mode_tcsetpgrp();
	if (!strcmp(m, "ctty"))
		return mode_ctty();
	if (!strcmp(m, "tcbad"))
		return mode_tcbad();
	if (!strcmp(m, "ioctls"))
		return mode_ioctls();
	if (!strcmp(m, "stale"))
		return mode_stale();
	if (!strcmp(m, "init_sigs"))
		return mode_init_sigs();
	if (!strcmp(m, "capget") && host > 0)
		return mode_capget(host);
	fprintf(stderr, "usage: escape_pids intmin|owner PID|prio|"
		"race_owner PID N|capget PID\n");
	return 2;
}
