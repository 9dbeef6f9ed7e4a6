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

#define STATUS_SIZE 4096

/* /proc/TID/status into buf (NUL-terminated): false if it is gone. */
static bool status_read(pid_t tid, char buf[STATUS_SIZE])
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, STATUS_SIZE - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* The text after "\nName:" (name given with its colon), or NULL. */
static const char *status_field(const char *buf, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), "\n%s", name);
	p = strstr(buf, key);
	return p ? p + strlen(key) : NULL;
}

/* Does the task have a handler for sig?  The SigCgt mask says. */
bool host_signal_caught(pid_t tid, int sig)
{
	char buf[STATUS_SIZE];
	unsigned long long mask;
	const char *p;

	if (!status_read(tid, buf) || !(p = status_field(buf, "SigCgt:")))
		return false;
	mask = strtoull(p, NULL, 16);
	return sig > 0 && sig <= 64 && (mask >> (sig - 1)) & 1;
}

/* Would the task take sig without effect: it blocks or ignores it. */
bool host_signal_ignored(pid_t tid, int sig)
{
	char buf[STATUS_SIZE];
	const char *blk, *ign;
	unsigned long long m;

	if (sig <= 0 || sig > 64 || !status_read(tid, buf) ||
	    !(blk = status_field(buf, "SigBlk:")) ||
	    !(ign = status_field(buf, "SigIgn:")))
		return false;
	m = strtoull(blk, NULL, 16) | strtoull(ign, NULL, 16);
	return (m >> (sig - 1)) & 1;
}

/*
 * Are the signals pending for the task that it does not block all ones
 * it ignores (SIG_IGN, or a default action of nothing)?  Under ptrace the
 * host queues those instead of discarding them, and they interrupt a
 * wait that Linux would not have woken.  False when none is pending.
 */
bool host_pending_ignored(pid_t tid)
{
	const unsigned long long dfl_ign = (1ULL << (SIGCHLD - 1)) |
		(1ULL << (SIGURG - 1)) | (1ULL << (SIGWINCH - 1)) |
		(1ULL << (SIGCONT - 1));
	unsigned long long pnd, ign;
	char buf[STATUS_SIZE];
	const char *f[5];
	static const char *const names[5] = {
		"SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:"
	};

	if (!status_read(tid, buf))
		return false;
	for (int i = 0; i < 5; i++)
		if (!(f[i] = status_field(buf, names[i])))
			return false;
	pnd = (strtoull(f[0], NULL, 16) | strtoull(f[1], NULL, 16)) &
	      ~strtoull(f[2], NULL, 16);
	ign = strtoull(f[3], NULL, 16) | (dfl_ign & ~strtoull(f[4], NULL, 16));
	return pnd && !(pnd & ~ign);
}

/*
 * Should a call the task waits in end: has it a signal pending that it
 * does not block, or is it gone?
 */
bool host_task_interrupted(pid_t tid)
{
	char buf[STATUS_SIZE];
	const char *pnd, *shd, *blk;

	if (!status_read(tid, buf))
		return true;
	if (!(pnd = status_field(buf, "SigPnd:")) ||
	    !(shd = status_field(buf, "ShdPnd:")) ||
	    !(blk = status_field(buf, "SigBlk:")))
		return false;
	return (strtoull(pnd, NULL, 16) | strtoull(shd, NULL, 16)) &
	       ~strtoull(blk, NULL, 16);
}

/* The task's thread group and its parent process, as the host sees them. */
int host_task_ids(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	char buf[STATUS_SIZE];
	const char *g, *p;

	if (!status_read(tid, buf) || !(g = status_field(buf, "Tgid:")) ||
	    !(p = status_field(buf, "PPid:")))
		return -1;
	*tgid = (pid_t)strtol(g, NULL, 10);
	*ppid = (pid_t)strtol(p, NULL, 10);
	return 0;
}

int host_mapping_of(pid_t tid, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	char path[40], line[512];
	unsigned long long a, b;
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx", &a, &b) != 2 ||
		    addr < a || addr >= b)
			continue;
		*lo = a;
		*hi = b;
		ret = 0;
	}
	fclose(f);
	return ret;
}
