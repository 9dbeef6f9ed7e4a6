/*
 * forkloop — many processes.
 *
 *   forkloop N [LINGER_MS]  fork N short-lived children one after another,
 *                           reaping each (its exit status must be ours);
 *                           print `forked=N` and `done`, then stay LINGER_MS
 *                           so that the host can look for zombies
 *   forkloop cap [MAX]      fork children that stay alive until fork fails
 *                           (or MAX are up); print `forked=K` and
 *                           `errno=NAME` (`errno=0` if MAX was reached),
 *                           then release and reap all K
 *   forkloop threadcap [MAX]  the same with threads: `threads=K`, `errno=`
 *
 * Exits 0 or 1.
 */
#include "prog.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

static int loop(int n, int linger_ms)
{
	for (int i = 0; i < n; i++) {
		int st;
		pid_t pid = fork();

		if (pid < 0)
			DIE("fork #%d", i);
		if (pid == 0)
			_exit(i & 0x7f);
		pid_t r = waitpid(pid, &st, 0);

		if (r != pid || !WIFEXITED(st) || WEXITSTATUS(st) != (i & 0x7f)) {
			OUT("FAIL fork #%d: waitpid %d (child %d) status %#x", i, r, pid, st);
			return 1;
		}
	}
	OUT("forked=%d", n);
	OUT("done");
	usleep(linger_ms * 1000);
	return 0;
}

static int cap(int max)
{
	int p[2], k = 0, err = 0, st;

	if (pipe(p))
		DIE("pipe");
	for (; k < max; k++) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			char c;

			close(p[1]);
			while (read(p[0], &c, 1) > 0)
				;
			_exit(0);
		}
	}
	OUT("forked=%d", k);
	OUT("errno=%s", errname(err));
	close(p[1]);
	int reaped = 0;

	while (wait(&st) > 0)
		reaped++;
	OUT("reaped=%d", reaped);
	CHECK(reaped == k, "reaped %d of %d children", reaped, k);
	CHECK(errno == ECHILD, "wait: %s", errname(errno));
	return prog_exit();
}

static pthread_mutex_t hold = PTHREAD_MUTEX_INITIALIZER;

static void *held(void *arg)
{
	pthread_mutex_lock(&hold);
	pthread_mutex_unlock(&hold);
	return NULL;
}

static int threadcap(int max)
{
	static pthread_t t[4096];
	int k = 0, err = 0;
	pthread_attr_t attr;

	if (max > 4096)
		max = 4096;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_mutex_lock(&hold);
	for (; k < max; k++) {
		err = pthread_create(&t[k], &attr, held, NULL);
		if (err)
			break;
	}
	OUT("threads=%d", k);
	OUT("errno=%s", errname(err));
	pthread_mutex_unlock(&hold);
	for (int i = 0; i < k; i++)
		CHECK(pthread_join(t[i], NULL) == 0, "join %d", i);
	return prog_exit();
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "cap"))
		return cap(argc > 2 ? atoi(argv[2]) : 100000);
	if (!strcmp(m, "threadcap"))
		return threadcap(argc > 2 ? atoi(argv[2]) : 4096);
	if (argc > 1 && atoi(m) > 0)
		return loop(atoi(m), argc > 2 ? atoi(argv[2]) : 0);
	fprintf(stderr, "usage: forkloop N [LINGER_MS] | cap [MAX] | threadcap [MAX]\n");
	return 2;
}
