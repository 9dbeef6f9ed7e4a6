// SPDX-License-Identifier: GPL-2.0
/*
 * sendto and recvfrom with an address, on AF_UNIX sockets named by paths
 * and on the run's abstract names (see unix.c for the rules): the data
 * goes through the monitor, which never waits for a full receiver under
 * the kernel lock (a worker makes the call again) and never takes the
 * guest's SIGPIPE itself.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "kernel/net/unix.h"
#include "platform/platform.h"

/*
 * sendto(fd, buf, len, flags, addr, alen) with an address.  The data is
 * copied through the monitor; the monitor's send never waits and never
 * raises SIGPIPE in the monitor: the guest gets it as from its own send.
 */
/* A sendto to a full receiver, made again by a worker until it goes. */
struct sendto_job {
	struct usock s;		/* its fd is the job's */
	char *data;
	size_t len;
	int flags, ofd;		/* ofd: the job's; h may name it */
	struct uaddr h;
	pid_t tgid, tid;	/* the caller, for SIGPIPE */
	struct send_wait w;
};

static long sendto_once(struct sendto_job *j)
{
	return host_sendto(&j->s, j->data, j->len,
			   j->flags | MSG_DONTWAIT | MSG_NOSIGNAL, &j->h.sa,
			   j->h.len, j->ofd);
}

/* A send that met a closed stream raises SIGPIPE in the caller, as Linux. */
void send_sigpipe(const struct usock *s, int flags, long ret,
		  pid_t tgid, pid_t tid)
{
	if (ret == -EPIPE && s->type == SOCK_STREAM && !(flags & MSG_NOSIGNAL))
		syscall(SYS_tgkill, tgid, tid, SIGPIPE);
}

static long sendto_done(struct sendto_job *j, long ret)
{
	send_sigpipe(&j->s, j->flags, ret, j->tgid, j->tid);
	return ret;
}

static long sendto_retry(struct trap *t)
{
	struct sendto_job *j = (struct sendto_job *)t->saved[0];
	long ret;

	do {
		ret = send_wait_nap(&j->w);
		if (ret)
			return ret;
		ret = sendto_once(j);
	} while (ret == -EAGAIN);
	return sendto_done(j, ret);
}

static void sendto_job_put(struct trap *t)
{
	struct sendto_job *j = (struct sendto_job *)t->saved[0];

	free(j->data);
	if (j->ofd >= 0)
		close(j->ofd);
	sock_put(&j->s);
	free(j);
}

/* Hand the send over to a worker: the job takes what it needs. */
static long sendto_later(struct trap *t, struct sendto_job *local)
{
	struct sendto_job *j = malloc(sizeof(*j));

	if (!j)
		return -EAGAIN;
	*j = *local;
	local->s.fd = -1;
	local->data = NULL;
	local->ofd = -1;
	send_wait_init(&j->w, j->s.fd);
	t->saved[0] = (uint64_t)j;
	return trap_later(t, sendto_retry, sendto_job_put);
}

long sys_sendto(struct trap *t)
{
	struct sendto_job j = { .flags = (int)t->args[3], .ofd = -1 };
	size_t len = t->args[2];
	char path[SUN_MAX];
	struct uaddr a;
	long ret;

	if ((int)t->args[5] == 0)
		return trap_native(t);	/* no address after all: a send */
	ret = sock_get(t, (int)t->args[0], &j.s);
	if (ret)
		return ret;
	ret = addr_copy(t, t->args[4], t->args[5], &a);
	if (ret)
		goto out;
	j.h = a;
	if (j.s.domain == AF_UNIX && addr_path(&a, path)) {
		if (j.s.type == SOCK_DGRAM) {
			ret = j.ofd = (int)target_open(t, path);
			if (j.ofd < 0)
				goto out;
			addr_proc(&j.h, j.ofd, NULL);
		} else {
			/* stream refuses, seqpacket ignores it: look nothing up */
			memset(j.h.sun.sun_path, 0, sizeof(j.h.sun.sun_path));
		}
	}
	if (len > INT_MAX)
		len = INT_MAX;
	if (j.s.type == SOCK_STREAM && len > STREAM_CHUNK)
		len = STREAM_CHUNK;
	ret = -EMSGSIZE;
	if (len > DGRAM_MAX)
		goto out;
	ret = -ENOMEM;
	j.len = len;
	j.data = malloc(len ? len : 1);
	if (!j.data)
		goto out;
	ret = -EFAULT;
	if (guest_read(t->task, t->args[1], j.data, len))
		goto out;
	j.tgid = t->task->leader->tid;
	j.tid = t->task->tid;
	ret = sendto_once(&j);
	if (ret == -EAGAIN && sock_blocking(&j.s) && !(j.flags & MSG_DONTWAIT)) {
		if (j.s.domain != AF_UNIX && task_files_private(t->task))
			ret = trap_native(t);	/* the host waits, in the guest */
		else
			ret = sendto_later(t, &j);
		goto out;
	}
	ret = sendto_done(&j, ret);
out:
	free(j.data);
	if (j.ofd >= 0)
		close(j.ofd);
	sock_put(&j.s);
	return ret;
}

/*
 * recvfrom(fd, buf, len, flags, addr, alenp) with an address.  Only an
 * AF_UNIX sender's name needs translating; the monitor receives when
 * something is there to receive, else the guest's call runs natively.
 */
long sys_recvfrom(struct trap *t)
{
	int flags = (int)t->args[3];
	size_t len = t->args[2];
	struct usock s;
	struct uaddr h, g;
	char *data = NULL;
	bool block;
	long ret = sock_get(t, (int)t->args[0], &s);

	if (ret)
		return ret;
	if (s.domain != AF_UNIX) {
		ret = trap_native(t);
		goto out;
	}
	block = sock_blocking(&s) && !(flags & MSG_DONTWAIT);
	if (block && ((s.type == SOCK_STREAM && (flags & MSG_WAITALL)) ||
		      !readable(s.fd))) {
		ret = trap_native(t);
		goto out;
	}
	if (len > INT_MAX)
		len = INT_MAX;
	if (len > DGRAM_MAX)
		len = DGRAM_MAX;
	ret = -ENOMEM;
	data = malloc(len ? len : 1);
	if (!data)
		goto out;
	memset(&h.ss, 0, sizeof(h.ss));
	h.len = sizeof(h.ss);
	ret = recvfrom(s.fd, data, len, flags | MSG_DONTWAIT, &h.sa, &h.len);
	if (ret < 0) {
		ret = -errno;
		if (ret == -EAGAIN && block)
			ret = trap_native(t);	/* another reader was first */
		goto out;
	}
	if (guest_write(t->task, t->args[1], data,
			(size_t)ret < len ? (size_t)ret : len)) {
		ret = -EFAULT;
		goto out;
	}
	addr_to_guest(t, &h, &g, 0);
	{
		long err = put_addr(t, t->args[4], t->args[5], &g);

		if (err)
			ret = err;
	}
out:
	free(data);
	sock_put(&s);
	return ret;
}

