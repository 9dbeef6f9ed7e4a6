/*
 * orphanfork — children whose creator is killed as it makes them.
 *
 *   orphanfork N
 *
 * N times: a process forks in a loop while its second thread kills it
 * (SIGKILL to the whole process, after 0 to 950 us).  A fork the kill
 * catches between making the child and the creator's ptrace event leaves
 * the monitor a child whose creator's event never comes: the guest's
 * orphan, which init (this program) adopts and must be able to reap.
 * Prints `forkers=N` and `left=` (children still there 5 s later; 0).
 */
#include "prog.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void *killer(void *delay)
{
	usleep((long)delay);
	syscall(SYS_kill, getpid(), SIGKILL);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100, left = 0;
	double t0;
	pid_t p;

	for (int i = 0; i < n; i++) {
		pid_t m = fork();

		if (m < 0)
			DIE("fork");
		if (m == 0) {
			pthread_t t;

			pthread_create(&t, NULL, killer, (void *)(long)(i % 20 * 50));
			/* raw: the child exits before it touches memory */
			for (;;)
				if (syscall(SYS_fork) == 0)
					syscall(SYS_exit, 0);
		}
		waitpid(m, NULL, 0);
	}
	OUT("forkers=%d", n);
	t0 = now();
	while ((p = waitpid(-1, NULL, __WALL | WNOHANG)) >= 0 && now() - t0 < 5)
		if (p == 0)
			usleep(10000);
	while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
		;
	if (p >= 0) {
		/* count them for the report, then free them */
		for (; waitpid(-1, NULL, __WALL | WNOHANG) == 0 && left < 100; left++) {
			kill(-1, SIGKILL);
			usleep(10000);
		}
	}
	OUT("left=%d", left);
	return prog_exit();
}
