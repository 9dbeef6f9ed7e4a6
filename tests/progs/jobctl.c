/*
 * jobctl — group stop and continue of a two-threaded child, as a shell's job
 * control sees them.
 *
 * The child's two threads each bump a counter in shared memory; a stopped
 * child's counters must not move (both threads are stopped), a continued
 * one's must.  Checks SIGSTOP and SIGTSTP with waitpid(WUNTRACED) and
 * waitid(WSTOPPED), SIGCONT with WCONTINUED, and that SIGTERM sent to a
 * stopped child stays pending until SIGCONT.
 *
 * Prints `key=value` lines, exits 0 or 1.
 */
#include "prog.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

static volatile long *counters;	/* shared with the child: [0] main, [1] thread */

static void *spin(void *arg)
{
	for (;;) {
		counters[1]++;
		usleep(1000);
	}
	return NULL;
}

static void sleep_ms(int ms)
{
	usleep(ms * 1000);
}

/* Both counters move within 3 s. */
static int running(void)
{
	long a = counters[0], b = counters[1];

	for (int i = 0; i < 300; i++) {
		sleep_ms(10);
		if (counters[0] != a && counters[1] != b)
			return 1;
	}
	return 0;
}

/* Neither counter moves for 300 ms (after 50 ms for the stop to settle). */
static int frozen(void)
{
	sleep_ms(50);
	long a = counters[0], b = counters[1];

	sleep_ms(300);
	return counters[0] == a && counters[1] == b;
}

static const char *status_str(int st)
{
	static char buf[32];

	if (WIFSTOPPED(st))
		snprintf(buf, sizeof(buf), "stopped:%d", WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		snprintf(buf, sizeof(buf), "continued");
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signaled:%d", WTERMSIG(st));
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited:%d", WEXITSTATUS(st));
	else
		snprintf(buf, sizeof(buf), "?%#x", st);
	return buf;
}

int main(void)
{
	siginfo_t si;
	pid_t pid, r;
	int st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	counters = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counters == MAP_FAILED)
		DIE("mmap");

	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, spin, NULL))
			_exit(90);
		for (;;) {
			counters[0]++;
			usleep(1000);
		}
	}
	CHECK(running(), "child's threads never ran");

	/* SIGSTOP: waitpid(WUNTRACED) reports it, both threads stop. */
	CHECK(kill(pid, SIGSTOP) == 0, "kill(SIGSTOP): %s", errname(errno));
	r = waitpid(pid, &st, WUNTRACED);
	OUT("stop=%s", status_str(st));
	CHECK(r == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "waitpid(WUNTRACED): %d (%s, child %d) %s", r, errname(r < 0 ? errno : 0), pid,
	      status_str(st));
	int ok = frozen();

	OUT("stop_frozen=%d", ok);
	CHECK(ok, "a thread of the child ran while it was stopped by SIGSTOP");
	/* Reported once only. */
	r = waitpid(pid, &st, WUNTRACED | WNOHANG);
	OUT("stop_again=%d", r);
	CHECK(r == 0, "second waitpid(WUNTRACED|WNOHANG) returned %d", r);

	/* SIGCONT: WCONTINUED reports it, both threads run again. */
	CHECK(kill(pid, SIGCONT) == 0, "kill(SIGCONT): %s", errname(errno));
	r = waitpid(pid, &st, WCONTINUED);
	OUT("cont=%s", status_str(st));
	CHECK(r == pid && WIFCONTINUED(st), "waitpid(WCONTINUED): %d (%s) %s", r,
	      errname(r < 0 ? errno : 0), status_str(st));
	ok = running();
	OUT("cont_running=%d", ok);
	CHECK(ok, "the child's threads did not run again after SIGCONT");

	/* SIGTSTP through waitid(WSTOPPED): si_pid, si_code, si_status. */
	CHECK(kill(pid, SIGTSTP) == 0, "kill(SIGTSTP): %s", errname(errno));
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, pid, &si, WSTOPPED);
	OUT("tstp_pid=%d", si.si_pid);
	OUT("tstp_code=%s", si.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other");
	OUT("tstp_status=%d", si.si_status);
	CHECK(r == 0 && si.si_pid == pid && si.si_code == CLD_STOPPED && si.si_status == SIGTSTP,
	      "waitid(WSTOPPED): %d (%s) pid %d code %d status %d", r, errname(r ? errno : 0),
	      si.si_pid, si.si_code, si.si_status);
	ok = frozen();
	OUT("tstp_frozen=%d", ok);
	CHECK(ok, "a thread of the child ran while it was stopped by SIGTSTP");

	/* SIGTERM to a stopped child waits for SIGCONT. */
	CHECK(kill(pid, SIGTERM) == 0, "kill(SIGTERM): %s", errname(errno));
	sleep_ms(200);
	r = waitpid(pid, &st, WNOHANG);
	OUT("term_while_stopped=%s", r == 0 ? "pending" : status_str(st));
	CHECK(r == 0, "a stopped child died of SIGTERM before SIGCONT: %s", status_str(st));

	CHECK(kill(pid, SIGCONT) == 0, "kill(SIGCONT): %s", errname(errno));
	memset(&si, 0, sizeof(si));
	r = waitid(P_PID, pid, &si, WEXITED);
	OUT("end_pid=%d", si.si_pid);
	OUT("end_code=%s", si.si_code == CLD_KILLED ? "CLD_KILLED" : "other");
	OUT("end_status=%d", si.si_status);
	CHECK(r == 0 && si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "waitid(WEXITED): %d (%s) pid %d code %d status %d", r, errname(r ? errno : 0),
	      si.si_pid, si.si_code, si.si_status);

	if (prog_failures)
		kill(pid, SIGKILL), waitpid(pid, &st, 0);
	return prog_exit();
}
