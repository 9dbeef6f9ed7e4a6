// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated calls with side effects, made while signals keep arriving.
 *
 *   sigrestart DIR N
 *
 * A child sends SIGUSR1 (caught, SA_RESTART) to the parent as fast as it
 * can while the parent makes N rounds of mkdir+rmdir and of
 * open(O_CREAT|O_EXCL)+unlink in DIR, and reaps short-lived children
 * (SIGCHLD).  On Linux none of these calls fails or happens twice.  Under
 * a monitor whose notification wait a signal interrupts after the monitor
 * has done the work, the call restarts and finds its own result: EEXIST
 * or ENOENT.
 *
 * Prints rounds=N, fails=K (calls that failed), signals=S (handler runs).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "prog.h"

static volatile sig_atomic_t nsig;

static void on_usr1(int sig)
{
	(void)sig;
	nsig++;
}

static void pester(pid_t target)
{
	for (;;) {
		if (kill(target, SIGUSR1))
			_exit(0);
		for (volatile int i = 0; i < 2000; i++)
			;
	}
}

static void round_trip(const char *d, const char *f, int *fails)
{
	int fd;

	if (mkdir(d, 0755)) {
		CHECK(0, "mkdir %s: %s", d, errname(errno));
		++*fails;
	}
	if (rmdir(d)) {
		CHECK(0, "rmdir %s: %s", d, errname(errno));
		++*fails;
	}
	fd = open(f, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		CHECK(0, "open O_EXCL %s: %s", f, errname(errno));
		++*fails;
	} else {
		close(fd);
	}
	if (unlink(f)) {
		CHECK(0, "unlink %s: %s", f, errname(errno));
		++*fails;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	char d[4096], f[4096];
	int n, fails = 0;
	pid_t pest, c;

	if (argc != 3)
		DIE("usage: sigrestart DIR N");
	n = atoi(argv[2]);
	snprintf(d, sizeof(d), "%s/sigrestart.d", argv[1]);
	snprintf(f, sizeof(f), "%s/sigrestart.f", argv[1]);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		DIE("sigaction");
	pest = fork();
	if (pest < 0)
		DIE("fork");
	if (pest == 0)
		pester(getppid());
	for (int i = 0; i < n && fails < 20; i++) {
		if (i % 50 == 0) {		/* a SIGCHLD now and then too */
			c = fork();
			if (c == 0)
				_exit(0);
		}
		round_trip(d, f, &fails);
	}
	kill(pest, SIGKILL);
	while (wait(NULL) > 0)
		;
	printf("rounds=%d\nfails=%d\nsignals=%s\n", n, fails,
	       nsig > 0 ? "some" : "none");
	return prog_exit();
}
