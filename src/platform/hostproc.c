// SPDX-License-Identifier: GPL-2.0
/* Facts about guest tasks that only the host's /proc knows. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "platform/platform.h"

/* Does the task have a handler for sig?  The SigCgt mask says. */
bool host_signal_caught(pid_t tid, int sig)
{
	char path[64], buf[4096], *p;
	unsigned long long mask;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nSigCgt:");
	if (!p)
		return false;
	mask = strtoull(p + 8, NULL, 16);
	return sig > 0 && sig <= 64 && (mask >> (sig - 1)) & 1;
}

/* False once the host has released the task (not merely a zombie). */
bool host_task_alive(pid_t tid)
{
	return kill(tid, 0) == 0 || errno != ESRCH;
}
