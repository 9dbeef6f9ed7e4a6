// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues, as in an IPC namespace of the guest's own.  Queue
 * names are host-wide (one mqueue filesystem per IPC namespace), so the
 * guest never names a host queue: the monitor keeps a table from the
 * guest's names to host names of this run ("umbra-TAG-mqN", TAG the run's
 * tag that also prefixes its abstract sockets), makes mq_open and
 * mq_unlink itself on its own copy of the name and the attributes, and
 * installs the queue's fd in the guest.  A name not in the table does not
 * exist for the guest.  The fd-taking calls (mq_timedsend, mq_timedreceive,
 * mq_getsetattr, mq_notify) stay native: an fd names a queue the guest was
 * given, and mq_notify can only name the caller (Linux refuses
 * SIGEV_THREAD_ID there; SIGEV_SIGNAL goes to the registering process,
 * SIGEV_THREAD to a netlink socket of the caller's own).
 *
 * The run's queues are unlinked when the monitor ends, and by the guard
 * (fs/mount.c) when it is killed: every name made or unlinked is written
 * to the guard's pipe.
 *
 * Differs from Linux: at most MQ_MAX_NAMES queues at a time (ENOSPC
 * beyond); /proc/PID/fd/N of a queue shows its host name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/fs_struct.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define MQ_MAX_NAMES	1024
#define MQ_HOST_LEN	32	/* "umbra-xxxxxxxx-mq" and a 32-bit number */

/* struct mq_attr as the x86-64 kernel copies it: 8 longs */
struct kmq_attr {
	long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs, reserved[4];
};

struct mq_name {
	char *guest;			/* as the syscall takes it: no '/' */
	char host[MQ_HOST_LEN];
};

static struct mq_name names[MQ_MAX_NAMES];
static int nnames;
static unsigned int next_id;
static int guard_fd = -1;

void mqueue_set_guard(int fd)
{
	guard_fd = fd;
}

/*
 * One record, "+name" or "-name" and a NUL, in one write (well under
 * PIPE_BUF, so never torn).  The pipe does not block us: if it were ever
 * full, the guard would miss a name, not the guest a reply.
 */
static void guard_note(char op, const char *host)
{
	char rec[MQ_HOST_LEN + 2];
	int n;

	if (guard_fd < 0)
		return;
	n = snprintf(rec, sizeof(rec), "%c%s", op, host);
	if (write(guard_fd, rec, n + 1) < 0 && getenv("UMBRA_DEBUG"))
		perror("umbra: mqueue guard");
}

static struct mq_name *mq_find(const char *guest)
{
	for (int i = 0; i < nnames; i++)
		if (!strcmp(names[i].guest, guest))
			return &names[i];
	return NULL;
}

static struct mq_name *mq_add(const char *guest)
{
	struct mq_name *q;

	if (nnames == MQ_MAX_NAMES)
		return NULL;
	q = &names[nnames];
	q->guest = strdup(guest);
	if (!q->guest)
		return NULL;
	snprintf(q->host, sizeof(q->host), "%smq%u", abstract_prefix(),
		 next_id++);
	nnames++;
	return q;
}

static void mq_del(struct mq_name *q)
{
	free(q->guest);
	*q = names[--nnames];
}

/*
 * The name as Linux takes it: getname() (EFAULT, ENOENT for "",
 * ENAMETOOLONG from PATH_MAX on), then lookup_one_len() in the mqueue
 * root ("/", "." and ".." are EACCES, then more than NAME_MAX bytes is
 * ENAMETOOLONG).  glibc has already checked and removed the leading '/'.
 */
static long mq_get_name(struct trap *t, uint64_t addr, char *buf)
{
	long len = guest_read_str(t->task, addr, buf, PATH_MAX);

	if (len < 0)
		return len;
	if (!len)
		return -ENOENT;
	if (strchr(buf, '/') || !strcmp(buf, ".") || !strcmp(buf, ".."))
		return -EACCES;
	return len > NAME_MAX ? -ENAMETOOLONG : len;
}

/* Differs from Linux: the queue is made by the monitor under a run name. */
long sys_mq_open(struct trap *t)
{
	int oflag = (int)t->args[1];
	mode_t mode = (uint16_t)t->args[2] & ~t->task->fs->umask;
	struct kmq_attr attr, *ap = NULL;
	char name[PATH_MAX];
	struct mq_name *q;
	bool added = false;
	long ret;
	int fd;

	/* Linux copies the attributes first, with or without O_CREAT */
	if (t->args[3]) {
		if (guest_read(t->task, t->args[3], &attr, sizeof(attr)))
			return -EFAULT;
		ap = &attr;
	}
	ret = mq_get_name(t, t->args[0], name);
	if (ret < 0)
		return ret;
	q = mq_find(name);
	if (!q) {
		if (!(oflag & O_CREAT))
			return -ENOENT;
		q = mq_add(name);
		if (!q)
			return -ENOSPC;
		added = true;
	}
	/*
	 * A new name must make a new queue: one already there under the
	 * host name is another's (a run with the same tag, a leftover), and
	 * the guest gets a fresh name instead of it.
	 */
	for (int tries = 0; ; tries++) {
		fd = (int)syscall(SYS_mq_open, q->host, oflag | O_CLOEXEC |
				  (added ? O_EXCL : 0), mode, ap);
		if (fd >= 0 || !added || errno != EEXIST || tries == 8)
			break;
		snprintf(q->host, sizeof(q->host), "%smq%u",
			 abstract_prefix(), next_id++);
	}
	if (fd < 0) {
		ret = -errno;
		if (added)
			mq_del(q);
		return ret;
	}
	if (added)
		guard_note('+', q->host);
	t->action = ACT_INSTALL_FD;
	t->fd = fd;
	t->fd_flags = O_CLOEXEC;	/* as Linux: always close-on-exec */
	return 0;
}

int mqueue_unlink(const char *guest)
{
	struct mq_name *q = mq_find(guest);
	int ret;

	if (!q)
		return -ENOENT;
	ret = syscall(SYS_mq_unlink, q->host) < 0 ? -errno : 0;
	if (ret && ret != -ENOENT)
		return ret;		/* still there: EACCES, ... */
	guard_note('-', q->host);
	mq_del(q);
	return ret;
}

long sys_mq_unlink(struct trap *t)
{
	char name[PATH_MAX];
	long ret = mq_get_name(t, t->args[0], name);

	return ret < 0 ? ret : mqueue_unlink(name);
}

bool mqueue_exists(const char *guest)
{
	return mq_find(guest) != NULL;
}

void mqueue_each(void (*fn)(const char *guest, void *arg), void *arg)
{
	for (int i = 0; i < nnames; i++)
		fn(names[i].guest, arg);
}

/*
 * What reading the queue's file in an mqueue mount says.  The host's
 * mqueue filesystem, where mounted, knows the bytes queued; else the
 * count of messages is all there is, and QSIZE says their most.
 * NOTIFY_PID names a host process: the guest sees 0.
 */
int mqueue_status(const char *guest, char *buf, size_t size)
{
	struct mq_name *q = mq_find(guest);
	struct kmq_attr attr;
	char path[64], line[256];
	long qsize = -1;
	FILE *f;
	int fd;

	if (!q)
		return -ENOENT;
	snprintf(path, sizeof(path), "/dev/mqueue/%s", q->host);
	f = fopen(path, "re");
	if (f && fgets(line, sizeof(line), f))
		sscanf(line, "QSIZE:%ld", &qsize);
	if (f)
		fclose(f);
	if (qsize < 0) {
		fd = (int)syscall(SYS_mq_open, q->host, O_RDONLY | O_CLOEXEC, 0,
				  NULL);
		if (fd < 0)
			return -errno;
		qsize = syscall(SYS_mq_getsetattr, fd, NULL, &attr) ? 0 :
			attr.mq_curmsgs * attr.mq_msgsize;
		close(fd);
	}
	snprintf(buf, size, "QSIZE:%-10ld NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		 qsize, 0, 0, 0);
	return (int)strlen(buf);
}

/* The monitor ends: the run's queues go with it. */
void mqueue_teardown(void)
{
	kernel_lock();
	while (nnames) {
		syscall(SYS_mq_unlink, names[0].host);
		guard_note('-', names[0].host);
		mq_del(&names[0]);
	}
	kernel_unlock();
}

/*
 * In the guard (a process of its own, see fs/mount.c): follow the
 * monitor's records, "+name" or "-name", until the monitor ends, then
 * unlink what is left.  The guard was forked before the monitor had any
 * thread, so it may allocate; what it keeps is bounded as the monitor's
 * table is.
 */
static char guard_left[MQ_MAX_NAMES][MQ_HOST_LEN];
static int guard_nleft;

void mqueue_guard_record(const char *rec)
{
	size_t len = strlen(rec + 1);

	if (len >= MQ_HOST_LEN)
		return;
	if (rec[0] == '+' && len > 0 && guard_nleft < MQ_MAX_NAMES) {
		memcpy(guard_left[guard_nleft++], rec + 1, len + 1);
		return;
	}
	for (int k = 0; rec[0] == '-' && k < guard_nleft; k++)
		if (!strcmp(guard_left[k], rec + 1)) {
			memcpy(guard_left[k], guard_left[--guard_nleft],
			       MQ_HOST_LEN);
			break;
		}
}

void mqueue_guard_end(void)
{
	while (guard_nleft > 0)
		syscall(SYS_mq_unlink, guard_left[--guard_nleft]);
}
