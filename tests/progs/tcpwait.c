// SPDX-License-Identifier: GPL-2.0
/*
 * A blocking TCP connect that cannot complete, made by a process with two
 * threads (so that a monitor cannot let the guest wait in the call itself
 * and must wait for it).
 *
 *   tcpwait
 *
 * A listener on 127.0.0.1 with backlog 0 never accepts; connections fill
 * its queue until one stays in progress (its SYNs are dropped).  Then:
 *  - a child stat()s "/" for 1.5 s: prints stats=N (the shell wants many:
 *    the connect must not hold up other processes' calls);
 *  - alarm(1), with a handler without SA_RESTART, interrupts the blocking
 *    connect: prints connect=EINTR, and fails if that took over 5 s.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "prog.h"

static void on_alrm(int sig)
{
	(void)sig;
}

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* A listener whose queue is full: the next connect to it stays pending. */
static int full_listener(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	a->sin_family = AF_INET;
	a->sin_port = 0;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)a, sizeof(*a)) || listen(l, 0) ||
	    getsockname(l, (struct sockaddr *)a, &len))
		DIE("listener");
	for (int i = 0; i < 16; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (c < 0)
			DIE("socket");
		if (connect(c, (struct sockaddr *)a, sizeof(*a)) && errno != EINPROGRESS)
			DIE("connect %d", i);
		usleep(50 * 1000);
		/* still in progress after 50 ms: the queue is full */
		if (connect(c, (struct sockaddr *)a, sizeof(*a)) && errno == EALREADY)
			return l;
	}
	DIE("the listener's queue never filled");
}

static void stat_for(double secs)
{
	double end = now() + secs;
	struct stat st;
	long n = 0;

	while (now() < end) {
		if (stat("/", &st))
			_exit(1);
		n++;
	}
	printf("stats=%ld\n", n);
	_exit(0);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alrm };
	struct sockaddr_in a;
	pthread_t th;
	double t0;
	pid_t pid;
	int s, st, r;

	setvbuf(stdout, NULL, _IONBF, 0);
	full_listener(&a);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0)
		stat_for(1.5);
	if (pthread_create(&th, NULL, idle, NULL))
		DIE("pthread_create");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		DIE("socket");
	t0 = now();
	alarm(1);
	r = connect(s, (struct sockaddr *)&a, sizeof(a));
	printf("connect=%s\n", r ? errname(errno) : "0");
	CHECK(now() - t0 < 5, "the connect took %.1f s", now() - t0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		CHECK(0, "the stat child failed");
	return prog_failures ? 1 : 0;
}
