/*
 * noeintr DIR N — N rounds of mkdir, rmdir and open in DIR while an
 * interval timer (every 300 us) interrupts the process with a handler
 * installed without SA_RESTART.  Linux never fails these calls with EINTR;
 * prints `eintr=COUNT` and `other=COUNT` (other: any other failure).
 */
#include "prog.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>

static void on_alarm(int sig)
{
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 300 }, { 0, 300 } };
	struct sigaction sa;
	int eintr = 0, other = 0;
	char p[4096];
	long n;

	if (argc != 3)
		return 2;
	n = atol(argv[2]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	snprintf(p, sizeof(p), "%s/d", argv[1]);
	setitimer(ITIMER_REAL, &it, NULL);
	for (long i = 0; i < n; i++) {
		int fd;

		if (mkdir(p, 0700))
			errno == EINTR ? eintr++ : other++;
		if (rmdir(p))
			errno == EINTR ? eintr++ : other++;
		fd = open(argv[1], O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			errno == EINTR ? eintr++ : other++;
		else
			close(fd);
	}
	printf("eintr=%d\nother=%d\n", eintr, other);
	return 0;
}
