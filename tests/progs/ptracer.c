// SPDX-License-Identifier: GPL-2.0
/*
 * A guest tracer, for tests/integration/ptrace.sh.  Each mode prints
 * what it saw, one fact a line, and exits non-zero on a broken promise.
 *   syscalls    TRACEME child; PTRACE_SYSCALL loop over getpid and exit
 *   step        PTRACE_SINGLESTEP through a child's loop, PEEK/POKE
 *   forks       PTRACE_O_TRACEFORK: the grandchild, its stop and death
 *   events      PTRACE_O_TRACEVFORKDONE and PTRACE_O_TRACEEXIT
 *   attach PID  PTRACE_ATTACH and PTRACE_SEIZE of PID: the errno
 *   sibling     Yama: attach to a sibling, before and after PR_SET_PTRACER
 *   vmread      process_vm_readv of a child's memory, and of the parent's
 *   requests    the rest of the request set on a stopped child (regsets,
 *               FP registers, signal masks and infos, SYSEMU, LISTEN,
 *               KILL): what each gave, to compare with the host's
 *   abuse       bad requests, pids and pointers: errnos, never a crash
 *   orphaned    the tracer dies with its tracee held: it runs on, or
 *               dies with PTRACE_O_EXITKILL
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIE(...) do { printf(__VA_ARGS__); printf("\n"); exit(1); } while (0)

static volatile long word = 0x1234;

static pid_t traced_child(void (*body)(void))
{
	pid_t c = fork();

	if (c < 0)
		DIE("fork: %s", strerror(errno));
	if (c == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(100);
		raise(SIGSTOP);
		body();
		_exit(7);
	}
	return c;
}

static void wait_stop(pid_t c, int sig)
{
	int st;

	if (waitpid(c, &st, __WALL) != c || !WIFSTOPPED(st) ||
	    WSTOPSIG(st) != sig)
		DIE("expected a stop %d, status %#x", sig, st);
}

static void getpid_body(void)
{
	syscall(SYS_getpid);
}

static int mode_syscalls(void)
{
	pid_t c = traced_child(getpid_body);
	struct __ptrace_syscall_info info;
	struct user_regs_struct r;
	int st, entries = 0, exits = 0;
	long got = -1;

	wait_stop(c, SIGSTOP);
	printf("child %d\n", c);
	if (ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESYSGOOD))
		DIE("setoptions: %s", strerror(errno));
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, c, 0, 0))
			DIE("PTRACE_SYSCALL: %s", strerror(errno));
		if (waitpid(c, &st, 0) != c)
			DIE("waitpid: %s", strerror(errno));
		if (WIFEXITED(st))
			break;
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80))
			DIE("not a syscall stop: %#x", st);
		if (ptrace(PTRACE_GET_SYSCALL_INFO, c, sizeof(info), &info) <= 0 ||
		    ptrace(PTRACE_GETREGS, c, 0, &r))
			DIE("syscall info: %s", strerror(errno));
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			if (entries++ != exits)
				DIE("two entries in a row");
		} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
			if (++exits != entries)
				DIE("an exit without an entry");
			if (r.orig_rax == SYS_getpid)
				got = (long)r.rax;
		}
	}
	printf("getpid %s\n", got == c ? "= child" : "wrong");
	printf("exit %d\n", WEXITSTATUS(st));
	printf("balanced %s\n", entries == exits + 1 ? "yes" : "no");
	return 0;
}

static void loop_body(void)
{
	for (volatile int i = 0; i < 50; i++)
		word += i;
	_exit(word == 0x1234 + 1225 + 1 ? 3 : 4);
}

static int mode_step(void)
{
	pid_t c = traced_child(loop_body);
	long steps = 0, w;
	int st;

	wait_stop(c, SIGSTOP);
	errno = 0;
	w = ptrace(PTRACE_PEEKDATA, c, (void *)&word, 0);
	printf("peek %s\n", !errno && w == 0x1234 ? "ok" : "wrong");
	if (ptrace(PTRACE_POKEDATA, c, (void *)&word, (void *)(0x1234L + 1)))
		DIE("poke: %s", strerror(errno));
	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, c, 0, 0))
			DIE("PTRACE_SINGLESTEP: %s", strerror(errno));
		if (waitpid(c, &st, 0) != c)
			DIE("waitpid: %s", strerror(errno));
		if (WIFEXITED(st))
			break;
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP)
			DIE("not a step: %#x", st);
		steps++;
	}
	printf("steps %s\n", steps > 300 ? "many" : "few");
	printf("exit %d\n", WEXITSTATUS(st));
	return 0;
}

static void fork_body(void)
{
	pid_t g = fork();

	if (g == 0)
		_exit(5);
	waitpid(g, NULL, 0);
}

static int mode_forks(void)
{
	pid_t c = traced_child(fork_body), g = 0, w;
	unsigned long msg = 0;
	int st, gstopped = 0, gexit = -1, cexit = -1, event = 0;

	wait_stop(c, SIGSTOP);
	ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACEFORK);
	ptrace(PTRACE_CONT, c, 0, 0);
	while (cexit < 0 || gexit < 0) {
		w = waitpid(-1, &st, __WALL);
		if (w < 0)
			DIE("waitpid: %s", strerror(errno));
		if (w == c && st >> 8 == (SIGTRAP | PTRACE_EVENT_FORK << 8)) {
			ptrace(PTRACE_GETEVENTMSG, c, 0, &msg);
			g = (pid_t)msg;
			event = 1;
		} else if (w == c && WIFEXITED(st)) {
			cexit = WEXITSTATUS(st);
			continue;
		} else if (w != c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP) {
			gstopped = w;	/* maybe before the event: Linux too */
		} else if (w == g && WIFEXITED(st)) {
			gexit = WEXITSTATUS(st);
			continue;
		} else if (!WIFSTOPPED(st)) {
			DIE("unexpected %d status %#x", w, st);
		}
		ptrace(PTRACE_CONT, w, 0, 0);
	}
	printf("fork event %s\n", event && g > c ? "yes" : "no");
	printf("grandchild stopped %s\n", gstopped == g ? "yes" : "no");
	printf("grandchild exit %d\n", gexit);
	printf("child exit %d\n", cexit);
	return 0;
}

static void vfork_body(void)
{
	pid_t v = vfork();

	if (v == 0)
		_exit(4);
	_exit(v > 0 ? 9 : 8);
}

static int mode_events(void)
{
	pid_t c = traced_child(vfork_body);
	unsigned long msg;
	int st;

	wait_stop(c, SIGSTOP);
	if (ptrace(PTRACE_SETOPTIONS, c, 0,
		   PTRACE_O_TRACEEXIT | PTRACE_O_TRACEVFORKDONE))
		DIE("setoptions: %s", strerror(errno));
	for (;;) {
		ptrace(PTRACE_CONT, c, 0, 0);
		if (waitpid(c, &st, 0) != c)
			DIE("waitpid: %s", strerror(errno));
		if (WIFEXITED(st))
			break;
		ptrace(PTRACE_GETEVENTMSG, c, 0, &msg);
		if (st >> 16 == PTRACE_EVENT_VFORK_DONE)
			printf("vfork_done %s\n", (pid_t)msg > c ? "child" : "wrong");
		else if (st >> 16 == PTRACE_EVENT_EXIT)
			printf("exit_event %#lx\n", msg);
		else if (WSTOPSIG(st) == SIGCHLD)
			printf("sigchld\n");
	}
	printf("exit %d\n", WEXITSTATUS(st));
	return 0;
}

static const char *err_name(int e)
{
	return e == ESRCH ? "ESRCH" : e == EPERM ? "EPERM" : e ? "other" : "0";
}

static int mode_attach(pid_t pid)
{
	long r = ptrace(PTRACE_ATTACH, pid, 0, 0);

	printf("attach %s\n", err_name(r ? errno : 0));
	r = ptrace(PTRACE_SEIZE, pid, 0, 0);
	printf("seize %s\n", err_name(r ? errno : 0));
	r = ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	printf("interrupt %s\n", err_name(r ? errno : 0));
	return 0;
}

static const char *read_of(pid_t pid)
{
	long mine = 0;
	struct iovec l = { &mine, sizeof(mine) };
	struct iovec r = { (void *)&word, sizeof(word) };

	if (process_vm_readv(pid, &l, 1, &r, 1, 0) != sizeof(mine))
		return errno == EPERM ? "EPERM" : strerror(errno);
	return mine == 0x1234 ? "read" : "wrong";
}

/* The same ptrace rules for another's memory: Yama lets a parent in. */
static int mode_vmread(void)
{
	int p[2];
	pid_t c;
	char ch;

	if (pipe(p))
		DIE("pipe");
	c = fork();
	if (c == 0) {
		printf("child_reads_parent %s\n", read_of(getppid()));
		write(p[1], "k", 1);
		pause();
		_exit(0);
	}
	read(p[0], &ch, 1);
	printf("parent_reads_child %s\n", read_of(c));
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return 0;
}

static void sysemu_body(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);		/* queued, blocked: for PEEKSIGINFO */
	raise(SIGSTOP);
	/* under PTRACE_SYSEMU this getpid is the tracer's to answer */
	_exit(syscall(SYS_getpid) == 777 ? 5 : 6);
}

static int mode_requests(void)
{
	pid_t c = traced_child(sysemu_body);
	struct user_fpregs_struct fp;
	struct user_regs_struct r;
	char xs[4096];
	struct iovec iov;
	struct __ptrace_peeksiginfo_args pa = { 0, 0, 4 };
	siginfo_t si[4], one;
	uint64_t mask, newmask;
	int st;

	wait_stop(c, SIGSTOP);	/* TRACEME's SIGSTOP */
	ptrace(PTRACE_CONT, c, 0, 0);
	wait_stop(c, SIGSTOP);	/* the body's own, after SIGUSR1 is queued */
	printf("fpregs %s\n", ptrace(PTRACE_GETFPREGS, c, 0, &fp) ? "fail" :
	       fp.mxcsr ? "ok" : "zero");
	printf("setfpregs %s\n", ptrace(PTRACE_SETFPREGS, c, 0, &fp) ? "fail" : "ok");
	iov = (struct iovec){ &r, sizeof(r) };
	printf("regset_prstatus %s\n", ptrace(PTRACE_GETREGSET, c,
	       (void *)1 /* NT_PRSTATUS */, &iov) || iov.iov_len != sizeof(r) ?
	       "fail" : "ok");
	iov = (struct iovec){ &fp, sizeof(fp) };
	printf("regset_prfpreg %s\n", ptrace(PTRACE_GETREGSET, c,
	       (void *)2 /* NT_PRFPREG */, &iov) ? "fail" : "ok");
	iov = (struct iovec){ xs, sizeof(xs) };
	printf("regset_xstate %s\n", ptrace(PTRACE_GETREGSET, c,
	       (void *)0x202 /* NT_X86_XSTATE */, &iov) || iov.iov_len < 576 ?
	       "fail" : "ok");
	printf("setregset %s\n", ptrace(PTRACE_SETREGSET, c, (void *)0x202,
	       &iov) ? "fail" : "ok");
	printf("getsigmask %s\n", ptrace(PTRACE_GETSIGMASK, c, 8, &mask) ? "fail" :
	       mask & (1ULL << (SIGUSR1 - 1)) ? "usr1" : "none");
	newmask = mask | (1ULL << (SIGUSR2 - 1));
	ptrace(PTRACE_SETSIGMASK, c, 8, &newmask);
	ptrace(PTRACE_GETSIGMASK, c, 8, &mask);
	printf("setsigmask %s\n", mask & (1ULL << (SIGUSR2 - 1)) ? "ok" : "fail");
	printf("peeksiginfo %ld", ptrace(PTRACE_PEEKSIGINFO, c, &pa, si));
	printf(" %s\n", si[0].si_signo == SIGUSR1 && si[0].si_pid == c ?
	       "usr1" : "wrong");
	ptrace(PTRACE_GETSIGINFO, c, 0, &one);
	printf("getsiginfo %s\n", one.si_signo == SIGSTOP ? "stop" : "wrong");
	one.si_code = SI_QUEUE;
	printf("setsiginfo %s\n", ptrace(PTRACE_SETSIGINFO, c, 0, &one) ? "fail" : "ok");
	/* SYSEMU: the getpid stops at its entry and is not made */
	ptrace(PTRACE_SYSEMU, c, 0, 0);
	waitpid(c, &st, 0);
	ptrace(PTRACE_GETREGS, c, 0, &r);
	printf("sysemu %s\n", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP &&
	       r.orig_rax == SYS_getpid ? "entry" : "wrong");
	r.rax = 777;
	ptrace(PTRACE_SETREGS, c, 0, &r);
	ptrace(PTRACE_CONT, c, 0, 0);
	waitpid(c, &st, 0);
	printf("sysemu_result %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

/* A seized child in a group-stop: LISTEN, then SIGCONT, then KILL. */
static int mode_listen(void)
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		for (;;)
			pause();
	}
	if (ptrace(PTRACE_SEIZE, c, 0, 0))
		DIE("seize: %s", strerror(errno));
	kill(c, SIGSTOP);
	waitpid(c, &st, 0);	/* the signal-delivery-stop */
	ptrace(PTRACE_CONT, c, 0, (void *)SIGSTOP);
	waitpid(c, &st, 0);	/* the group-stop */
	printf("group_stop %s\n", st >> 16 == PTRACE_EVENT_STOP &&
	       WSTOPSIG(st) == SIGSTOP ? "event_stop" : "wrong");
	printf("listen %s\n", ptrace(PTRACE_LISTEN, c, 0, 0) ? strerror(errno) : "ok");
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	printf("after_cont %s\n", st >> 16 == PTRACE_EVENT_STOP ? "event_stop" :
	       "wrong");
	printf("kill %s\n", ptrace(PTRACE_KILL, c, 0, 0) ? "fail" : "ok");
	waitpid(c, &st, 0);
	while (WIFSTOPPED(st)) {	/* a stop queued before the kill */
		ptrace(PTRACE_CONT, c, 0, 0);
		waitpid(c, &st, 0);
	}
	printf("killed %s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ?
	       "SIGKILL" : "wrong");
	return 0;
}

static const char *req_err(long r)
{
	static char buf[32];

	if (r != -1)
		return "0";
	snprintf(buf, sizeof(buf), "%s", errno == ESRCH ? "ESRCH" :
		 errno == EPERM ? "EPERM" : errno == EIO ? "EIO" :
		 errno == EFAULT ? "EFAULT" : errno == EINVAL ? "EINVAL" :
		 strerror(errno));
	return buf;
}

static void sleeper(void)
{
	pause();
}

static int mode_abuse(void)
{
	pid_t c = traced_child(sleeper);
	struct __ptrace_peeksiginfo_args psa = { 0, 0, 1000000 };
	struct iovec big = { NULL, 1UL << 30 };
	siginfo_t si[4];

	wait_stop(c, SIGSTOP);
	printf("pid0 %s\n", req_err(ptrace(PTRACE_GETREGS, 0, 0, 0)));
	printf("pid_min %s\n", req_err(ptrace(PTRACE_ATTACH, -2147483647 - 1, 0, 0)));
	printf("self %s\n", req_err(ptrace(PTRACE_ATTACH, getpid(), 0, 0)));
	printf("again %s\n", req_err(ptrace(PTRACE_ATTACH, c, 0, 0)));
	printf("bad_request %s\n", req_err(ptrace(0x7777, c, 0, 0)));
	printf("regs_null %s\n", req_err(ptrace(PTRACE_GETREGS, c, 0, 0)));
	printf("regs_bad %s\n", req_err(ptrace(PTRACE_GETREGS, c, 0, (void *)8)));
	printf("regset_bad %s\n", req_err(ptrace(PTRACE_GETREGSET, c,
		(void *)1, &big)));
	printf("peek_bad %s\n", req_err(ptrace(PTRACE_PEEKDATA, c, (void *)8, 0)));
	printf("pokeuser_far %s\n", req_err(ptrace(PTRACE_POKEUSER, c,
		(void *)4096, 0)));
	printf("options_bad %s\n", req_err(ptrace(PTRACE_SETOPTIONS, c, 0,
		(void *)0x80000000UL)));
	errno = 0;
	printf("peeksiginfo_many %ld\n", ptrace(PTRACE_PEEKSIGINFO, c, &psa, si));
	printf("cont_badsig %s\n", req_err(ptrace(PTRACE_CONT, c, 0, (void *)1000)));
	printf("interrupt_unseized %s\n", req_err(ptrace(PTRACE_INTERRUPT, c, 0, 0)));
	printf("listen_unseized %s\n", req_err(ptrace(PTRACE_LISTEN, c, 0, 0)));
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	printf("after_death %s\n", req_err(ptrace(PTRACE_CONT, c, 0, 0)));
	return 0;
}

/*
 * A tracer that dies with its tracee held in a stop: the tracee goes on
 * (its pipe keeps filling), or dies with it under PTRACE_O_EXITKILL.
 * The tracer is the tracee's parent (Yama), and we its reaper: init.
 */
static int orphaned(unsigned long opts)
{
	int p[2], q[2], st;
	pid_t tracee = 0, tracer;
	char buf[8];

	if (pipe(p) || pipe(q))
		DIE("pipe");
	tracer = fork();
	if (tracer == 0) {
		pid_t c = fork();

		if (c == 0) {
			for (;;) {
				write(p[1], "x", 1);
				usleep(20000);
			}
		}
		read(p[0], buf, 1);
		write(q[1], &c, sizeof(c));
		if (ptrace(PTRACE_SEIZE, c, 0, (void *)opts) ||
		    ptrace(PTRACE_INTERRUPT, c, 0, 0) ||
		    waitpid(c, &st, __WALL) != c)
			_exit(1);
		_exit(0);	/* with the tracee held */
	}
	if (read(q[0], &tracee, sizeof(tracee)) != sizeof(tracee))
		DIE("no tracee");
	waitpid(tracer, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		DIE("the tracer failed");
	usleep(100000);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	while (read(p[0], buf, sizeof(buf)) > 0)
		;
	usleep(200000);
	if (read(p[0], buf, 1) == 1) {
		kill(tracee, SIGKILL);
		waitpid(tracee, NULL, 0);
		return 1;	/* runs */
	}
	if (waitpid(tracee, &st, WNOHANG) == tracee)
		return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 2 : 3;
	kill(tracee, SIGKILL);
	waitpid(tracee, &st, 0);
	return 0;		/* stuck */
}

static int mode_orphaned(void)
{
	static const char *what[] = { "stuck", "runs", "killed", "exited" };

	printf("plain %s\n", what[orphaned(0)]);
	printf("exitkill %s\n", what[orphaned(PTRACE_O_EXITKILL)]);
	return 0;
}

/* Two children: the second attaches to the first. */
static int mode_sibling(void)
{
	int p[2], q[2];
	pid_t a, b;
	char ch;

	if (pipe(p) || pipe(q))
		DIE("pipe");
	a = fork();
	if (a == 0) {
		read(p[0], &ch, 1);
		if (ch == 'y')
			prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
		write(q[1], "k", 1);
		pause();
		_exit(0);
	}
	for (int round = 0; round < 2; round++) {
		write(p[1], round ? "y" : "n", 1);
		read(q[0], &ch, 1);
		b = fork();
		if (b == 0) {
			long r = ptrace(PTRACE_SEIZE, a, 0, 0);
			char path[64], line[128];
			FILE *f;

			printf("%s %s\n", round ? "after" : "before",
			       err_name(r ? errno : 0));
			snprintf(path, sizeof(path), "/proc/%d/status", a);
			f = fopen(path, "r");
			while (f && fgets(line, sizeof(line), f))
				if (!strncmp(line, "TracerPid:", 10))
					printf("tracer %s\n",
					       atoi(line + 10) == getpid() ?
					       "me" : "none");
			fflush(stdout);
			_exit(0);
		}
		waitpid(b, NULL, 0);
		if (round == 0) {
			/* a new round: a waits for the next byte again */
			kill(a, SIGKILL);
			waitpid(a, NULL, 0);
			a = fork();
			if (a == 0) {
				read(p[0], &ch, 1);
				prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
				write(q[1], "k", 1);
				pause();
				_exit(0);
			}
		}
	}
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "syscalls"))
		return mode_syscalls();
	if (argc >= 2 && !strcmp(argv[1], "step"))
		return mode_step();
	if (argc >= 2 && !strcmp(argv[1], "forks"))
		return mode_forks();
	if (argc >= 2 && !strcmp(argv[1], "events"))
		return mode_events();
	if (argc >= 3 && !strcmp(argv[1], "attach"))
		return mode_attach(atoi(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "sibling"))
		return mode_sibling();
	if (argc >= 2 && !strcmp(argv[1], "vmread"))
		return mode_vmread();
	if (argc >= 2 && !strcmp(argv[1], "abuse"))
		return mode_abuse();
	if (argc >= 2 && !strcmp(argv[1], "requests"))
		return mode_requests();
	if (argc >= 2 && !strcmp(argv[1], "listen"))
		return mode_listen();
	if (argc >= 2 && !strcmp(argv[1], "orphaned"))
		return mode_orphaned();
	fprintf(stderr, "usage: ptracer syscalls|step|forks|attach PID|sibling\n");
	return 2;
}
