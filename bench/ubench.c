// SPDX-License-Identifier: MIT
/*
 * ubench — system-call microbenchmarks for umbra, timed from inside the
 * guest so that the start-up of the runner (umbra, proot, nothing) is not
 * part of the figure.
 *
 *   ubench [-t SECONDS] [-r ROUNDS] [-w SECONDS] [-x PROGRAM] WORKLOAD [ITERS]
 *   ubench list
 *
 * Prints one line:  WORKLOAD NS_PER_OP min=.. max=.. rounds=.. iters=..
 * where NS_PER_OP is the median over ROUNDS rounds of CLOCK_MONOTONIC time
 * divided by the operations of the round.  Exits non-zero, with a message on
 * stderr, if any call of the workload fails: a wrong answer is not a time.
 *
 * Without ITERS the count is calibrated by a warm-up so that the measurement
 * takes about SECONDS (default 0.5) on whatever runs it: a fixed count that
 * takes 0.5 s on the host would take a minute under a ptrace monitor.  ITERS
 * fixes the total count (split evenly over the rounds).
 *
 * Linked -static so that the dynamic loader is not part of any exec and the
 * binary runs unchanged inside any root filesystem.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STAT_PATH "/etc/passwd"

static const char *prog = "ubench";
static const char *cur = "";		/* workload being run, for messages */
static char true_path[PATH_MAX];	/* forkexec's target */

static int fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s: %s\n", prog, cur, what, strerror(errno));
	return -1;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- workloads: each runs its operation n times, 0 or -1 ---- */

static int zero_fd = -1;

static int read1_setup(void)
{
	zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	return zero_fd < 0 ? fail("open /dev/zero") : 0;
}

static int read1_run(long n)
{
	char c;

	for (long i = 0; i < n; i++)
		if (read(zero_fd, &c, 1) != 1)
			return fail("read");
	return 0;
}

static void read1_teardown(void)
{
	close(zero_fd);
}

/* Through syscall() so that no libc can answer from a cache. */
static int getppid_run(long n)
{
	for (long i = 0; i < n; i++)
		if (syscall(SYS_getppid) < 0)
			return fail("getppid");
	return 0;
}

static int getpid_run(long n)
{
	for (long i = 0; i < n; i++)
		if (syscall(SYS_getpid) <= 0)
			return fail("getpid");
	return 0;
}

/*
 * kill(self, 0): a pid argument the monitor must rewrite, so under umbra
 * a ptrace stop rather than a user notification; next to getpid it gives
 * the price of the two mechanisms.
 */
static int kill0_run(long n)
{
	pid_t self = getpid();

	for (long i = 0; i < n; i++)
		if (kill(self, 0))
			return fail("kill");
	return 0;
}

/* glibc answers CLOCK_MONOTONIC from the vDSO, static binaries included. */
static int clock_run(long n)
{
	struct timespec ts;

	for (long i = 0; i < n; i++)
		if (clock_gettime(CLOCK_MONOTONIC, &ts))
			return fail("clock_gettime");
	return 0;
}

static int stat_run(long n)
{
	struct stat st;

	for (long i = 0; i < n; i++)
		if (stat(STAT_PATH, &st))
			return fail("stat " STAT_PATH);
	return 0;
}

/* stat of the file $UBENCH_FILE names (a file with a remembered owner). */
static const char *statfile_path;

static int statfile_setup(void)
{
	statfile_path = getenv("UBENCH_FILE");
	return statfile_path ? 0 : fail("UBENCH_FILE not set");
}

static int statfile_run(long n)
{
	struct stat st;

	for (long i = 0; i < n; i++)
		if (stat(statfile_path, &st))
			return fail("stat $UBENCH_FILE");
	return 0;
}

/*
 * fstat of an open file: glibc (2.33+) makes it newfstatat(fd, "",
 * AT_EMPTY_PATH), which a seccomp filter cannot tell from a path lookup.
 */
static int fstat_setup(void)
{
	zero_fd = open(STAT_PATH, O_RDONLY | O_CLOEXEC);
	return zero_fd < 0 ? fail("open " STAT_PATH) : 0;
}

static int fstat_run(long n)
{
	struct stat st;

	for (long i = 0; i < n; i++)
		if (fstat(zero_fd, &st))
			return fail("fstat");
	return 0;
}

static int openclose_run(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open(STAT_PATH, O_RDONLY);

		if (fd < 0)
			return fail("open " STAT_PATH);
		if (close(fd))
			return fail("close");
	}
	return 0;
}

/* What `cat /proc/self/status` costs past the exec: open, read, close. */
static int procstatus_run(long n)
{
	char buf[8192];

	for (long i = 0; i < n; i++) {
		int fd = open("/proc/self/status", O_RDONLY);

		if (fd < 0)
			return fail("open /proc/self/status");
		if (read(fd, buf, sizeof(buf)) <= 0)
			return fail("read /proc/self/status");
		if (close(fd))
			return fail("close");
	}
	return 0;
}

static int reap(pid_t pid)
{
	int st;
	pid_t got = waitpid(pid, &st, 0);

	if (got < 0)
		return fail("waitpid");
	if (got != pid) {
		fprintf(stderr, "%s: %s: waitpid(%d) returned %d\n",
			prog, cur, (int)pid, (int)got);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "%s: %s: child ended with status %#x\n",
			prog, cur, st);
		return -1;
	}
	return 0;
}

static int forkwait_run(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return fail("fork");
		if (pid == 0)
			_exit(0);
		if (reap(pid))
			return -1;
	}
	return 0;
}

static int forkexec_setup(void)
{
	if (access(true_path, X_OK))
		return fail(true_path);
	return 0;
}

static int forkexec_run(long n)
{
	char *argv[] = { true_path, NULL };
	char *envp[] = { NULL };

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return fail("fork");
		if (pid == 0) {
			execve(true_path, argv, envp);
			_exit(127);
		}
		if (reap(pid))
			return -1;
	}
	return 0;
}

/* A child echoes every byte back: one round trip = 2 writes + 2 reads. */
static int ping[2] = { -1, -1 }, pong[2] = { -1, -1 };
static pid_t echo_pid = -1;

static int pipe_setup(void)
{
	if (pipe(ping) || pipe(pong))
		return fail("pipe");
	echo_pid = fork();
	if (echo_pid < 0)
		return fail("fork");
	if (echo_pid == 0) {
		char c;
		ssize_t r;

		close(ping[1]);
		close(pong[0]);
		while ((r = read(ping[0], &c, 1)) == 1)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(r == 0 ? 0 : 1);
	}
	close(ping[0]);
	close(pong[1]);
	return 0;
}

static int pipe_run(long n)
{
	char c = 'x';

	for (long i = 0; i < n; i++) {
		if (write(ping[1], &c, 1) != 1)
			return fail("write");
		if (read(pong[0], &c, 1) != 1)
			return fail("read");
	}
	return 0;
}

static void pipe_teardown(void)
{
	close(ping[1]);		/* the echo child sees EOF and exits */
	close(pong[0]);
	if (echo_pid > 0)
		reap(echo_pid);
}

/* A datagram written natively and taken back with recvmsg. */
static int sp[2] = { -1, -1 };

static int recvmsg_setup(void)
{
	return socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) ? fail("socketpair") : 0;
}

static int recvmsg_run(long n)
{
	char c = 'x';
	struct iovec io = { &c, 1 };
	struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1 };

	for (long i = 0; i < n; i++) {
		if (write(sp[0], &c, 1) != 1)
			return fail("write");
		if (recvmsg(sp[1], &mh, 0) != 1)
			return fail("recvmsg");
	}
	return 0;
}

static void recvmsg_teardown(void)
{
	close(sp[0]);
	close(sp[1]);
}

static int noop_run(long n)
{
	return 0;
}

struct workload {
	const char *name;
	const char *what;
	int (*setup)(void);
	int (*run)(long n);
	void (*teardown)(void);
};

static const struct workload workloads[] = {
	{ "read1", "read 1 byte from /dev/zero (native under umbra)",
	  read1_setup, read1_run, read1_teardown },
	{ "getppid", "getppid (emulated: virtual pids)", NULL, getppid_run, NULL },
	{ "kill0", "kill(self, 0) (emulated with a ptrace stop: pid rewritten)",
	  NULL, kill0_run, NULL },
	{ "getpid", "getpid (emulated: virtual pids)", NULL, getpid_run, NULL },
	{ "clock", "clock_gettime(CLOCK_MONOTONIC) (vDSO, no syscall)",
	  NULL, clock_run, NULL },
	{ "stat", "stat " STAT_PATH " (emulated: path)", NULL, stat_run, NULL },
	{ "statfile", "stat $UBENCH_FILE (emulated: path)", statfile_setup,
	  statfile_run, NULL },
	{ "fstat", "fstat of an open " STAT_PATH " (newfstatat AT_EMPTY_PATH)",
	  fstat_setup, fstat_run, read1_teardown },
	{ "openclose", "open+close " STAT_PATH " (emulated open, fd install)",
	  NULL, openclose_run, NULL },
	{ "procstatus", "open, read, close /proc/self/status (generated)",
	  NULL, procstatus_run, NULL },
	{ "forkwait", "fork, child _exit(0), waitpid", NULL, forkwait_run, NULL },
	{ "forkexec", "fork, execve of a static true, waitpid",
	  forkexec_setup, forkexec_run, NULL },
	{ "pipe", "1-byte ping-pong over two pipes, per round trip",
	  pipe_setup, pipe_run, pipe_teardown },
	{ "recvmsg", "write 1 byte to a datagram socketpair, recvmsg it "
	  "(native unless SO_PASSCRED)", recvmsg_setup, recvmsg_run, recvmsg_teardown },
	{ "noop", "nothing: exit 0 at once (smoke test, exec target)",
	  NULL, noop_run, NULL },
};

#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double parse_seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || !(v > 0) || v > 3600) {
		fprintf(stderr, "%s: bad duration '%s'\n", prog, s);
		exit(2);
	}
	return v;
}

static long parse_count(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < 1 || v > max) {
		fprintf(stderr, "%s: bad count '%s'\n", prog, s);
		exit(2);
	}
	return v;
}

/* forkexec's default target: `true` beside this binary. */
static void default_true_path(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	char self[PATH_MAX];

	if (!slash) {
		ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (len <= 0) {
			snprintf(true_path, sizeof(true_path), "./true");
			return;
		}
		self[len] = '\0';
		argv0 = self;
		slash = strrchr(self, '/');
	}
	snprintf(true_path, sizeof(true_path), "%.*s/true",
		 (int)(slash - argv0), argv0);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-t SECONDS] [-r ROUNDS] [-w SECONDS] [-x PROGRAM] WORKLOAD [ITERS]\n"
		"       %s list\n"
		"  -t  target measuring time when ITERS is not given (default 0.5)\n"
		"  -r  rounds; the median round is reported (default 7)\n"
		"  -w  warm-up and calibration time (default 0.1)\n"
		"  -x  program forkexec executes (default: `true` beside ubench)\n"
		"  ITERS  total operations, split over the rounds (default: calibrated)\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	double target_s = 0.5, warm_s = 0.1;
	long rounds = 7, iters = 0, per_round;
	const struct workload *w = NULL;
	double *ns;
	int opt, ret = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	default_true_path(argv[0]);
	while ((opt = getopt(argc, argv, "+t:r:w:x:h")) != -1) {
		switch (opt) {
		case 't': target_s = parse_seconds(optarg); break;
		case 'w': warm_s = parse_seconds(optarg); break;
		case 'r': rounds = parse_count(optarg, 1000); break;
		case 'x': snprintf(true_path, sizeof(true_path), "%s", optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc || argc - optind > 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[optind], "list")) {
		for (size_t i = 0; i < NWORKLOADS; i++)
			printf("%-10s %s\n", workloads[i].name, workloads[i].what);
		return 0;
	}
	for (size_t i = 0; i < NWORKLOADS; i++)
		if (!strcmp(argv[optind], workloads[i].name))
			w = &workloads[i];
	if (!w) {
		fprintf(stderr, "%s: unknown workload '%s' (try: %s list)\n",
			prog, argv[optind], prog);
		return 2;
	}
	if (w->run == noop_run)
		return 0;
	if (optind + 1 < argc)
		iters = parse_count(argv[optind + 1], LONG_MAX / 2);
	cur = w->name;

	ns = calloc(rounds, sizeof(*ns));
	if (!ns || (w->setup && w->setup()))
		return 1;

	/*
	 * Warm-up, which is also the calibration: double the batch until the
	 * warm-up time is spent; the last (largest) batch gives the cost.
	 */
	int64_t spent = 0, t = 0;
	long n = 1;

	for (;;) {
		int64_t t0 = now_ns();

		if (w->run(n))
			goto out;
		t = now_ns() - t0;
		spent += t;
		if (spent >= (int64_t)(warm_s * 1e9) || n >= LONG_MAX / 4)
			break;
		n *= 2;
	}
	if (iters) {
		per_round = iters / rounds;
	} else {
		double est = t > 0 ? (double)t / n : 1.0;

		per_round = (long)(target_s * 1e9 / rounds / est);
	}
	if (per_round < 1)
		per_round = 1;

	for (long r = 0; r < rounds; r++) {
		int64_t t0 = now_ns();

		if (w->run(per_round))
			goto out;
		ns[r] = (double)(now_ns() - t0) / per_round;
	}
	qsort(ns, rounds, sizeof(*ns), cmp_double);
	double med = rounds % 2 ? ns[rounds / 2]
				: (ns[rounds / 2 - 1] + ns[rounds / 2]) / 2;
	printf("%s %.1f min=%.1f max=%.1f rounds=%ld iters=%ld\n",
	       w->name, med, ns[0], ns[rounds - 1], rounds, per_round * rounds);
	ret = 0;
out:
	if (w->teardown)
		w->teardown();
	free(ns);
	return ret;
}
