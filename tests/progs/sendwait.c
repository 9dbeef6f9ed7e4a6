// SPDX-License-Identifier: GPL-2.0
/*
 * Blocking sends to a full AF_UNIX datagram receiver wait, as on Linux.
 *
 *   sendwait DIR
 *
 * A receiver bound at DIR/r is filled (MSG_DONTWAIT until EAGAIN).  Then,
 * for sendto and for sendmsg with an address:
 *  - with a child draining the receiver after 0.3 s, a blocking send
 *    succeeds once there is room (prints sendto=0, sendmsg=0, and fails
 *    if it returned before the drain);
 *  - with nobody draining, alarm(1) and a handler without SA_RESTART end
 *    the wait with EINTR (prints sendto_alarm=EINTR, sendmsg_alarm=EINTR).
 * A monitor that makes these sends must wait as long as Linux does, not
 * give up with EAGAIN.
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "prog.h"

static struct sockaddr_un addr = { .sun_family = AF_UNIX };

static void on_alrm(int sig)
{
	(void)sig;
}

static long send_one(int s, bool msg, int flags)
{
	struct iovec iov = { "x", 1 };
	struct msghdr m = {
		.msg_name = &addr, .msg_namelen = sizeof(addr),
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	if (msg)
		return sendmsg(s, &m, flags);
	return sendto(s, "x", 1, flags, (struct sockaddr *)&addr, sizeof(addr));
}

static void fill(int s)
{
	for (int i = 0; i < 100000; i++)
		if (send_one(s, false, MSG_DONTWAIT) < 0) {
			if (errno != EAGAIN)
				DIE("fill");
			return;
		}
	DIE("the receiver never filled");
}

static void drain_later(int r)
{
	char c;

	usleep(300 * 1000);
	while (recv(r, &c, 1, MSG_DONTWAIT) == 1)
		;
	_exit(0);
}

static void waits(int s, int r, bool msg)
{
	const char *what = msg ? "sendmsg" : "sendto";
	double t0;
	pid_t pid;
	long n;
	int st;

	fill(s);
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0)
		drain_later(r);
	t0 = now();
	n = send_one(s, msg, 0);
	printf("%s=%s\n", what, n < 0 ? errname(errno) : "0");
	CHECK(now() - t0 > 0.25, "%s returned after %.2f s, before the drain",
	      what, now() - t0);
	waitpid(pid, &st, 0);
	fill(s);
	t0 = now();
	alarm(1);
	n = send_one(s, msg, 0);
	printf("%s_alarm=%s\n", what, n < 0 ? errname(errno) : "sent");
	CHECK(now() - t0 < 5, "%s took %.1f s", what, now() - t0);
	while (recv(r, &st, sizeof(st), MSG_DONTWAIT) > 0)
		;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alrm };
	int r, s;

	if (argc != 2) {
		fprintf(stderr, "usage: sendwait DIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/r", argv[1]);
	unlink(addr.sun_path);
	r = socket(AF_UNIX, SOCK_DGRAM, 0);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (r < 0 || s < 0 || bind(r, (struct sockaddr *)&addr, sizeof(addr)))
		DIE("sockets");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	waits(s, r, false);
	waits(s, r, true);
	unlink(addr.sun_path);
	return prog_failures ? 1 : 0;
}
