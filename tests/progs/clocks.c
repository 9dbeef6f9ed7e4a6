/*
 * clocks MODE [ARG] — the pids inside the time interfaces.
 *
 *   cpu PID    CPU-time clocks: `thread_clock=` (pthread_getcpuclockid of
 *              a busy second thread: `busy` if it counted its work),
 *              `own_clock=` (clock_getcpuclockid(getpid()) against
 *              CLOCK_PROCESS_CPUTIME_ID: `same`), `child_clock=` (of a
 *              busy child: `busy`), `pid_clock=ERRNO` (clock_gettime of
 *              PID's process clock, by the raw call)
 *   timer      a SIGEV_THREAD timer (glibc: SIGEV_THREAD_ID underneath)
 *              and a SIGEV_THREAD_ID one aimed at a second thread:
 *              `timer_thread=1`, `timer_tid=1` when each reached its thread
 */
#include "prog.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static double ts_sec(const struct timespec *ts)
{
	return ts->tv_sec + ts->tv_nsec / 1e9;
}

/* Spin until clock c (a thread's or the process's own) has counted sec:
 * on a loaded machine, wall time says little. */
static void burn(clockid_t c, double sec)
{
	struct timespec ts;

	do
		clock_gettime(c, &ts);
	while (ts_sec(&ts) < sec);
}

static volatile int stop, burnt;

static void *busy(void *arg)
{
	burn(CLOCK_THREAD_CPUTIME_ID, 0.1);
	burnt = 1;
	while (!stop)
		;
	return NULL;
}

static int cpu(pid_t pid)
{
	struct timespec a, b;
	pthread_t th;
	clockid_t c;
	pid_t child;
	int e, ready[2];

	/* a busy thread's clock, read from another thread */
	if (pthread_create(&th, NULL, busy, NULL))
		DIE("pthread_create");
	while (!burnt)
		usleep(1000);
	e = pthread_getcpuclockid(th, &c);
	if (!e && clock_gettime(c, &a))
		e = errno;
	stop = 1;
	pthread_join(th, NULL);
	OUT("thread_clock=%s", e ? errname(e) : ts_sec(&a) > 0.05 ? "busy" : "idle");

	e = clock_getcpuclockid(getpid(), &c);
	if (!e && (clock_gettime(c, &a) ||
		   clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b)))
		e = errno;
	OUT("own_clock=%s", e ? errname(e) :
	    ts_sec(&b) >= ts_sec(&a) && ts_sec(&b) - ts_sec(&a) < 0.05 &&
	    ts_sec(&a) >= 0.1 ? "same" : "differs");

	if (pipe(ready))
		DIE("pipe");
	child = fork();
	if (child == 0) {
		burn(CLOCK_PROCESS_CPUTIME_ID, 0.15);
		close(ready[1]);
		pause();
		_exit(0);
	}
	close(ready[1]);
	read(ready[0], &a, 1);		/* EOF: it has burnt its share */
	e = clock_getcpuclockid(child, &c);
	if (!e && clock_gettime(c, &a))
		e = errno;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	OUT("child_clock=%s", e ? errname(e) : ts_sec(&a) > 0.1 ? "busy" : "idle");

	c = (clockid_t)((~(unsigned int)pid << 3) | 2);	/* CPUCLOCK_SCHED */
	OUT("pid_clock=%s", res(syscall(SYS_clock_gettime, c, &a)));
	return prog_exit();
}

static volatile pid_t fired_in;

static void on_thread(union sigval v)
{
	fired_in = 1;
}

static void on_sig(int sig)
{
	fired_in = gettid();
}

static pid_t second_tid;

static void *waiter(void *arg)
{
	sigset_t set;

	second_tid = gettid();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	while (!stop)
		usleep(1000);
	return NULL;
}

static int timer(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD,
				.sigev_notify_function = on_thread };
	struct itimerspec its = { .it_value = { 0, 10000000 } };
	struct sigaction sa = { .sa_handler = on_sig };
	sigset_t set;
	pthread_t th;
	timer_t tm;

	if (timer_create(CLOCK_MONOTONIC, &sev, &tm))
		OUT("timer_thread=%s", errname(errno));
	else {
		timer_settime(tm, 0, &its, NULL);
		for (int i = 0; i < 200 && !fired_in; i++)
			usleep(5000);
		OUT("timer_thread=%d", fired_in == 1);
	}

	/* SIGUSR1 blocked here, open in the waiter: only it can take it */
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	stop = 0;
	fired_in = 0;
	if (pthread_create(&th, NULL, waiter, NULL))
		DIE("pthread_create");
	while (!second_tid)
		usleep(1000);
	sev = (struct sigevent) { .sigev_notify = SIGEV_THREAD_ID,
				  .sigev_signo = SIGUSR1 };
	sev._sigev_un._tid = second_tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tm)) {
		OUT("timer_tid=%s", errname(errno));
	} else {
		timer_settime(tm, 0, &its, NULL);
		for (int i = 0; i < 200 && !fired_in; i++)
			usleep(5000);
		OUT("timer_tid=%d", fired_in == second_tid);
	}
	stop = 1;
	pthread_join(th, NULL);
	return prog_exit();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "cpu") && argc > 2)
		return cpu(atoi(argv[2]));
	if (!strcmp(mode, "timer"))
		return timer();
	fprintf(stderr, "usage: clocks cpu PID | clocks timer\n");
	return 2;
}
