/*
 * sigs MODE — signal delivery.
 *
 *   handlers  handlers run with the right signal number and siginfo: raise,
 *             kill, sigqueue, blocked standard signals coalescing, blocked
 *             real-time signals queueing in order, a real SIGSEGV caught
 *             with its fault address, SIGALRM from a timer, an alternate
 *             signal stack, sigtimedwait.
 *   children  the status a parent sees for children that die of SIGTERM,
 *             SIGKILL, abort(), a fault, a default-action SIGUSR1, exit(42).
 *
 * Prints `key=value` lines, exits 0 or 1.
 */
#include "prog.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/wait.h>

#define MAXLOG 16

static struct {
	int sig, code, pid, value;
	uintptr_t addr, stack;
} seen[MAXLOG];
static volatile int nseen;
static sigjmp_buf fault_jmp;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	int n = nseen;
	char local;

	if (n < MAXLOG) {
		seen[n].sig = sig;
		seen[n].code = si->si_code;
		seen[n].pid = si->si_pid;
		seen[n].value = si->si_value.sival_int;
		seen[n].addr = (uintptr_t)si->si_addr;
		seen[n].stack = (uintptr_t)&local;
	}
	nseen = n + 1;
	if (sig == SIGSEGV)
		siglongjmp(fault_jmp, 1);
}

static void handle(int sig, int flags)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL))
		DIE("sigaction(%d)", sig);
}

static void block(int sig, int how)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	if (sigprocmask(how, &s, NULL))
		DIE("sigprocmask");
}

/* Wait up to 2 s for @n handler runs in total. */
static void await(int n)
{
	for (int i = 0; i < 2000 && nseen < n; i++)
		usleep(1000);
}

static int mode_handlers(void)
{
	pid_t me = getpid();
	int n;

	handle(SIGUSR1, SA_RESTART);
	handle(SIGUSR2, SA_RESTART);
	handle(SIGRTMIN + 2, SA_RESTART);
	handle(SIGSEGV, SA_NODEFER);
	handle(SIGALRM, 0);

	/* raise() is tgkill on ourselves */
	nseen = 0;
	raise(SIGUSR1);
	OUT("raise=%d:%d", nseen, seen[0].sig);
	CHECK(nseen == 1 && seen[0].sig == SIGUSR1 && seen[0].code == SI_TKILL &&
	      seen[0].pid == me, "raise: %d runs, sig %d code %d pid %d", nseen, seen[0].sig,
	      seen[0].code, seen[0].pid);

	/* kill(self) */
	nseen = 0;
	kill(me, SIGUSR2);
	await(1);
	OUT("kill=%d:%d", nseen, seen[0].sig);
	CHECK(nseen == 1 && seen[0].sig == SIGUSR2 && seen[0].code == SI_USER &&
	      seen[0].pid == me, "kill: %d runs, sig %d code %d pid %d", nseen, seen[0].sig,
	      seen[0].code, seen[0].pid);

	/* sigqueue with a value */
	nseen = 0;
	sigqueue(me, SIGUSR1, (union sigval){ .sival_int = 77 });
	await(1);
	OUT("sigqueue=%d:%d:%d", nseen, seen[0].sig, seen[0].value);
	CHECK(nseen == 1 && seen[0].sig == SIGUSR1 && seen[0].code == SI_QUEUE &&
	      seen[0].value == 77 && seen[0].pid == me,
	      "sigqueue: %d runs, sig %d code %d value %d pid %d", nseen, seen[0].sig,
	      seen[0].code, seen[0].value, seen[0].pid);

	/* A blocked standard signal sent three times is delivered once. */
	sigset_t pend;

	nseen = 0;
	block(SIGUSR2, SIG_BLOCK);
	for (int i = 0; i < 3; i++)
		kill(me, SIGUSR2);
	sigpending(&pend);
	OUT("pending=%d", sigismember(&pend, SIGUSR2));
	CHECK(nseen == 0 && sigismember(&pend, SIGUSR2), "blocked SIGUSR2 ran or is not pending");
	block(SIGUSR2, SIG_UNBLOCK);
	await(1);
	usleep(20000);
	OUT("coalesced=%d", nseen);
	CHECK(nseen == 1, "blocked SIGUSR2 sent 3 times ran %d times", nseen);

	/* A blocked real-time signal queues, in order. */
	int rt = SIGRTMIN + 2;

	nseen = 0;
	block(rt, SIG_BLOCK);
	for (int i = 1; i <= 3; i++)
		sigqueue(me, rt, (union sigval){ .sival_int = i });
	block(rt, SIG_UNBLOCK);
	await(3);
	OUT("rt_queued=%d", nseen);
	n = nseen;
	CHECK(n == 3, "real-time signal sent 3 times ran %d times", n);
	for (int i = 0; i < n && i < 3; i++)
		CHECK(seen[i].sig == rt && seen[i].value == i + 1,
		      "real-time signal %d: sig %d value %d", i, seen[i].sig, seen[i].value);

	/* A real fault: the handler sees SIGSEGV and the address. */
	volatile int *bad = (volatile int *)(uintptr_t)0x10;

	nseen = 0;
	if (sigsetjmp(fault_jmp, 1) == 0) {
		*bad = 1;
		CHECK(0, "write to %p did not fault", (void *)bad);
	}
	OUT("segv=%d:%d", nseen, seen[0].sig);
	CHECK(nseen == 1 && seen[0].sig == SIGSEGV && seen[0].code == SEGV_MAPERR &&
	      seen[0].addr == (uintptr_t)bad, "SIGSEGV: %d runs, sig %d code %d addr %#lx",
	      nseen, seen[0].sig, seen[0].code, (unsigned long)seen[0].addr);

	/* A timer's SIGALRM, sent by the kernel itself. */
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };

	nseen = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	await(1);
	OUT("alarm=%d:%d", nseen, seen[0].sig);
	CHECK(nseen == 1 && seen[0].sig == SIGALRM, "SIGALRM: %d runs, sig %d", nseen, seen[0].sig);

	/* An alternate signal stack. */
	static char altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	if (sigaltstack(&ss, NULL))
		DIE("sigaltstack");
	handle(SIGUSR1, SA_ONSTACK);
	nseen = 0;
	raise(SIGUSR1);
	int on_alt = nseen == 1 && seen[0].stack >= (uintptr_t)altstack &&
		     seen[0].stack < (uintptr_t)altstack + sizeof(altstack);
	OUT("altstack=%d", on_alt);
	CHECK(on_alt, "SA_ONSTACK handler did not run on the alternate stack");

	/* sigtimedwait takes a blocked signal with its siginfo. */
	siginfo_t si;
	struct timespec ts = { .tv_sec = 2 };

	block(SIGUSR2, SIG_BLOCK);
	kill(me, SIGUSR2);
	sigset_t w;

	sigemptyset(&w);
	sigaddset(&w, SIGUSR2);
	memset(&si, 0, sizeof(si));
	n = sigtimedwait(&w, &si, &ts);
	OUT("sigtimedwait=%d", n);
	CHECK(n == SIGUSR2 && si.si_pid == me && si.si_code == SI_USER,
	      "sigtimedwait: %d pid %d code %d", n, si.si_pid, si.si_code);
	return prog_exit();
}

static int child_status(const char *how)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		if (!strcmp(how, "abort"))
			abort();
		if (!strcmp(how, "segv"))
			*(volatile int *)0 = 1;
		if (!strcmp(how, "exit"))
			_exit(42);
		pause();
		_exit(0);
	}
	if (!strcmp(how, "term"))
		kill(pid, SIGTERM);
	else if (!strcmp(how, "kill"))
		kill(pid, SIGKILL);
	else if (!strcmp(how, "usr1"))
		kill(pid, SIGUSR1);
	if (waitpid(pid, &st, 0) != pid)
		DIE("waitpid");
	return st;
}

static int mode_children(void)
{
	static const struct {
		const char *how;
		int sig, code;
	} cases[] = {
		{ "term", SIGTERM, 0 }, { "kill", SIGKILL, 0 }, { "usr1", SIGUSR1, 0 },
		{ "abort", SIGABRT, 0 }, { "segv", SIGSEGV, 0 }, { "exit", 0, 42 },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = child_status(cases[i].how);

		if (WIFSIGNALED(st))
			OUT("%s=signal:%d", cases[i].how, WTERMSIG(st));
		else
			OUT("%s=exit:%d", cases[i].how, WEXITSTATUS(st));
		if (cases[i].sig)
			CHECK(WIFSIGNALED(st) && WTERMSIG(st) == cases[i].sig,
			      "%s: status %#x, expected signal %d", cases[i].how, st, cases[i].sig);
		else
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == cases[i].code,
			      "%s: status %#x, expected exit %d", cases[i].how, st, cases[i].code);
	}
	return prog_exit();
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "handlers"))
		return mode_handlers();
	if (!strcmp(m, "children"))
		return mode_children();
	fprintf(stderr, "usage: sigs handlers|children\n");
	return 2;
}
