// SPDX-License-Identifier: GPL-2.0
/*
 * A FIFO open that waits for a partner yields to signals, as on Linux.
 *
 *   fifosig FIFO
 *
 * 1. alarm(1) with a handler without SA_RESTART: open(O_RDONLY) fails with
 *    EINTR after about a second (prints eintr=EINTR).
 * 2. alarm(1) with an SA_RESTART handler, and a child that opens the FIFO
 *    for writing after 1.5 s: the handler runs, the open is restarted and
 *    succeeds when the writer comes, and reads what it wrote (prints
 *    restarted=1, handler=1, read=hello).
 * 3. The same FIFO reopened through /proc/self/fd/N of an O_NONBLOCK
 *    reader (O_RDONLY, so it waits for a writer): alarm(1) gives EINTR
 *    (prints reopen=EINTR).
 *
 * Under a monitor that makes such opens for the guest, the guest waits
 * killably: without an interruption of its own, 1. never ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "prog.h"

static volatile sig_atomic_t nalrm;

static void on_alrm(int sig)
{
	(void)sig;
	nalrm++;
}

static void with_handler(int flags)
{
	struct sigaction sa = { .sa_handler = on_alrm, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		DIE("sigaction");
}

static void interrupted(const char *fifo)
{
	double t0 = now();
	int fd;

	with_handler(0);
	alarm(1);
	fd = open(fifo, O_RDONLY);
	printf("eintr=%s\n", fd < 0 ? errname(errno) : "opened");
	CHECK(now() - t0 > 0.8 && now() - t0 < 10, "waited %.2f s", now() - t0);
	if (fd >= 0)
		close(fd);
}

static void restarted(const char *fifo)
{
	char buf[16] = "";
	pid_t pid;
	int fd, st;

	nalrm = 0;
	with_handler(SA_RESTART);
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		usleep(1500 * 1000);
		fd = open(fifo, O_WRONLY);
		if (fd < 0 || write(fd, "hello", 5) != 5)
			_exit(1);
		_exit(0);
	}
	alarm(1);
	fd = open(fifo, O_RDONLY);
	printf("restarted=%d\nhandler=%d\n", fd >= 0, (int)nalrm);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	printf("read=%s\n", buf);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		CHECK(0, "the writer failed");
}

static void reopened(const char *fifo)
{
	double t0 = now();
	char proc[64];
	int nb, fd;

	nb = open(fifo, O_RDONLY | O_NONBLOCK);
	if (nb < 0)
		DIE("open O_NONBLOCK");
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", nb);
	with_handler(0);
	alarm(1);
	fd = open(proc, O_RDONLY);
	printf("reopen=%s\n", fd < 0 ? errname(errno) : "opened");
	CHECK(now() - t0 > 0.8 && now() - t0 < 10, "waited %.2f s", now() - t0);
	if (fd >= 0)
		close(fd);
	close(nb);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fifosig FIFO\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	interrupted(argv[1]);
	restarted(argv[1]);
	reopened(argv[1]);
	return prog_failures ? 1 : 0;
}
