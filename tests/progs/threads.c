/*
 * threads [N] — N (default 50) pthreads that meet at condition-variable
 * barriers, signal each other with pthread_kill and tgkill (a handler counts
 * the hits per thread and signal), each create and join a thread of their
 * own, and share a mutex-protected counter.  Every gettid() must be distinct and every
 * thread must see the process's pid.
 *
 * Prints `threads=N`, `tid_min=`, `tid_max=`, `signals=` and exits 0, or a
 * FAIL line and 1.  A watchdog ends a hung run with exit 3.
 */
#include "prog.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

#define MAX_THREADS 256
#define INCREMENTS 1000

static int nthreads = 50;
static pthread_t th[MAX_THREADS], self_th[MAX_THREADS];
static pid_t tid[MAX_THREADS];
static pid_t pid;
static volatile int hits[MAX_THREADS][3];
static const int expect_hits[3] = { 1, 1, 2 };	/* USR1, USR2, RTMIN+1 */
static __thread int self_index = -1;
static volatile int stray_signals, bad_siginfo;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int arrived, generation;
static long counter;

/* Which signal a thread got is counted apart: standard ones do not queue. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
	int k = sig == SIGUSR1 ? 0 : sig == SIGUSR2 ? 1 : sig == SIGRTMIN + 1 ? 2 : -1;

	if (self_index < 0 || k < 0) {
		__atomic_add_fetch(&stray_signals, 1, __ATOMIC_SEQ_CST);
		return;
	}
	/* pthread_kill and tgkill both queue SI_TKILL from our own process */
	if (si->si_code != SI_TKILL || si->si_pid != pid)
		__atomic_add_fetch(&bad_siginfo, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&hits[self_index][k], 1, __ATOMIC_SEQ_CST);
}

/* All nthreads workers wait here for each other. */
static void barrier(void)
{
	pthread_mutex_lock(&lock);
	int gen = generation;

	if (++arrived == nthreads) {
		arrived = 0;
		generation++;
		pthread_cond_broadcast(&cond);
	} else {
		while (gen == generation)
			pthread_cond_wait(&cond, &lock);
	}
	pthread_mutex_unlock(&lock);
}

static void *adder(void *arg)
{
	for (int i = 0; i < INCREMENTS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(long)gettid();
}

static void *worker(void *arg)
{
	int i = (int)(long)arg;

	self_index = i;
	tid[i] = gettid();
	self_th[i] = pthread_self();
	CHECK(getpid() == pid, "thread %d: getpid() %d, main's %d", i, getpid(), pid);
	barrier();		/* all tids are known */

	/*
	 * Signal three other threads: SIGUSR1 with pthread_kill, SIGUSR2 with
	 * tgkill, and twice the queued SIGRTMIN+1.
	 */
	int a = (i + 1) % nthreads, b = (i + 2) % nthreads, c = (i + 3) % nthreads;
	int r = pthread_kill(self_th[a], SIGUSR1);

	CHECK(r == 0, "pthread_kill(thread %d): %s", a, errname(r));
	CHECK(syscall(SYS_tgkill, pid, tid[b], SIGUSR2) == 0, "tgkill(%d, %d): %s",
	      pid, tid[b], errname(errno));
	for (int n = 0; n < 2; n++)
		CHECK(syscall(SYS_tgkill, pid, tid[c], SIGRTMIN + 1) == 0, "tgkill(%d, %d, RT): %s",
		      pid, tid[c], errname(errno));

	/* Wait for our own four. */
	for (int n = 0; n < 10000; n++) {
		if (hits[i][0] >= expect_hits[0] && hits[i][1] >= expect_hits[1] &&
		    hits[i][2] >= expect_hits[2])
			break;
		usleep(1000);
	}
	for (int k = 0; k < 3; k++)
		CHECK(hits[i][k] == expect_hits[k], "thread %d got signal #%d %d times, not %d",
		      i, k, hits[i][k], expect_hits[k]);
	barrier();		/* no signal is in flight any more */

	/* A thread of our own, then the shared counter. */
	pthread_t t;
	void *ret;

	r = pthread_create(&t, NULL, adder, NULL);
	CHECK(r == 0, "nested pthread_create: %s", errname(r));
	if (r == 0) {
		CHECK(pthread_join(t, &ret) == 0, "nested join");
		CHECK((pid_t)(long)ret != tid[i] && (long)ret > 0,
		      "nested thread's tid %ld (ours %d)", (long)ret, tid[i]);
	}
	adder(NULL);
	return NULL;
}

static void *watchdog(void *arg)
{
	sleep(30);
	OUT("FAIL watchdog: still running after 30 s");
	_exit(3);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART };
	pthread_t wd;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1)
		nthreads = atoi(argv[1]);
	if (nthreads < 3 || nthreads > MAX_THREADS) {
		fprintf(stderr, "usage: threads [3..%d]\n", MAX_THREADS);
		return 2;
	}
	pid = getpid();
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL) ||
	    sigaction(SIGRTMIN + 1, &sa, NULL))
		DIE("sigaction");
	if (pthread_create(&wd, NULL, watchdog, NULL))
		DIE("watchdog thread");
	CHECK(gettid() == pid, "main thread's tid %d != pid %d", gettid(), pid);

	for (int i = 0; i < nthreads; i++) {
		r = pthread_create(&th[i], NULL, worker, (void *)(long)i);
		if (r) {
			errno = r;
			DIE("pthread_create %d", i);
		}
	}
	for (int i = 0; i < nthreads; i++) {
		r = pthread_join(th[i], NULL);
		CHECK(r == 0, "join %d: %s", i, errname(r));
	}

	pid_t lo = tid[0], hi = tid[0];
	int total = 0;

	for (int i = 0; i < nthreads; i++) {
		CHECK(tid[i] > 0 && tid[i] != pid, "thread %d: tid %d (pid %d)", i, tid[i], pid);
		for (int j = 0; j < i; j++)
			CHECK(tid[i] != tid[j], "threads %d and %d share tid %d", i, j, tid[i]);
		lo = tid[i] < lo ? tid[i] : lo;
		hi = tid[i] > hi ? tid[i] : hi;
		total += hits[i][0] + hits[i][1] + hits[i][2];
	}
	CHECK(counter == 2L * nthreads * INCREMENTS, "counter %ld, expected %ld", counter,
	      2L * nthreads * INCREMENTS);
	CHECK(stray_signals == 0, "%d signals hit a thread other than a worker", stray_signals);
	CHECK(bad_siginfo == 0, "%d signals with wrong si_code/si_pid", bad_siginfo);
	OUT("threads=%d", nthreads);
	OUT("tid_min=%d", lo);
	OUT("tid_max=%d", hi);
	OUT("signals=%d", total);
	return prog_exit();
}
