// SPDX-License-Identifier: GPL-2.0
/* sendmsg and sendmmsg on a guest socket (net/unix.c: why they stop). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/random.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "kernel/net/unix.h"
#include "platform/platform.h"

/* --- sendmsg and sendmmsg --- */

/*
 * Seccomp cannot see inside a msghdr, so both calls stop here, and the
 * question is when the host may then run the guest's own call: after our
 * look it reads the fd number and the msghdr again.  Only an AF_UNIX
 * datagram socket looks msg_name up (a path, or a name in the host's
 * abstract namespace); a stream socket refuses a name, a seqpacket one
 * ignores it, and no other family resolves a path.  So the escape needs
 * the host to see an AF_UNIX datagram socket under the fd number and a
 * name in the msghdr, at its own read, and either can be raced:
 *
 *  - The msghdr is guest memory: another thread, or another process
 *    sharing the pages (MAP_SHARED, CLONE_VM), can point msg_name
 *    anywhere after our copy, and can make a NULL one non-NULL.  So a
 *    call on an AF_UNIX datagram socket never runs natively: the monitor
 *    sends, from its own copies, whatever the name.
 *  - The fd number: a task sharing the caller's fd table could dup2() an
 *    AF_UNIX datagram socket onto it (or close it and open one) after
 *    our look.  So a call on any other socket runs natively only if no
 *    task shares the table (task_files_private()).  That verdict cannot go
 *    stale before the host's read: the caller waits here; only a task
 *    sharing the table can make another that shares it, and a new task
 *    is known (stopped by ptrace before its first instruction) by the
 *    time its creator runs on; nothing else writes a process's fd table.
 *    A signal handler of the caller's runs only after the wait is broken,
 *    and the call then stops here again.  With the table shared, the
 *    monitor sends.
 *
 * What the host then reads of the msghdr no longer matters: the socket
 * under the number is the one we saw, and it resolves no name.  The
 * common case (TCP, UDP, a stream, by a process that is not threaded)
 * costs the stop, a pidfd_getfd, a getsockopt and a kcmp per other guest
 * task, then runs natively (see docs/decisions.md for the figures).  An AF_UNIX stream or seqpacket
 * message carrying SCM_CREDENTIALS is sent by the monitor too, to make
 * the guest's pid the host's (see msgs_have_creds()).
 *
 * The monitor's send is sendmmsg(2) on its dup of the socket (by the
 * helper on AF_UNIX, see helper_run()) with copies of everything: the
 * name translated as sendto's, each message's data gathered into one
 * buffer, the control data copied, with SCM_RIGHTS fds taken from the
 * caller by pidfd_getfd and an SCM_CREDENTIALS pid made the host's (the
 * caller's own: the helper's, which sends).
 */
#define MSG_IOV_MAX	1024		/* UIO_MAXIOV */
#define MMSG_MAX	1024		/* messages per sendmmsg, as Linux */
#define MMSG_TOTAL	(8 << 20)	/* data per sendmmsg */
#define MSG_CTL_MAX	(64 << 10)	/* control data per message */
#define SCM_FDS_MAX	253		/* SCM_MAX_FD */

struct kmsg {
	struct uaddr name;
	char *data;
	size_t len;		/* of data */
	size_t sent;		/* of it, so far */
	struct iovec iov;
	char *ctl;
};

struct ksend {
	struct mmsghdr *vec;	/* the host's messages, into msgs[] */
	struct kmsg *msgs;
	unsigned int n;		/* messages copied */
	size_t total;		/* their data */
	int *fds;		/* the monitor's fds the messages name */
	int nfds, fds_max;
	pid_t **self;		/* SCM_CREDENTIALS pids naming the sender */
	int nself, self_max;
	unsigned int done;	/* messages sent whole */
};

static long grow(void **a, int *max, size_t size)
{
	int m = *max ? 2 * *max : 8;
	void *n = realloc(*a, (size_t)m * size);

	if (!n)
		return -ENOMEM;
	*a = n;
	*max = m;
	return 0;
}

/* An fd of the monitor's that the send needs: ks_free() closes it. */
static long ks_add_fd(struct ksend *k, int fd)
{
	if (k->nfds == k->fds_max && grow((void **)&k->fds, &k->fds_max,
					  sizeof(int))) {
		close(fd);
		return -ENOMEM;
	}
	k->fds[k->nfds++] = fd;
	return 0;
}

static long ks_add_self(struct ksend *k, pid_t *pid)
{
	if (k->nself == k->self_max &&
	    grow((void **)&k->self, &k->self_max, sizeof(pid_t *)))
		return -ENOMEM;
	k->self[k->nself++] = pid;
	return 0;
}

static void ks_free(struct ksend *k)
{
	for (unsigned int i = 0; i < k->n; i++) {
		free(k->msgs[i].data);
		free(k->msgs[i].ctl);
	}
	for (int i = 0; i < k->nfds; i++)
		close(k->fds[i]);
	free(k->fds);
	free(k->self);
	free(k->vec);
	free(k->msgs);
}

/* copy_msghdr_from_user(): the name, as it is (translated later). */
static long msg_name_copy(struct trap *t, const struct msghdr *m,
			  struct kmsg *km)
{
	int len = (int)m->msg_namelen;

	if (!m->msg_name)
		return 0;
	if (len < 0)
		return -EINVAL;
	if (len > (int)sizeof(struct sockaddr_storage))
		len = sizeof(struct sockaddr_storage);
	return len ? addr_copy(t, (uint64_t)m->msg_name, len, &km->name) : 0;
}

/* The name as the host must see it: a path becomes the socket file. */
static long msg_name_xlate(struct trap *t, const struct usock *s,
			   struct ksend *k, struct kmsg *km)
{
	char path[SUN_MAX];
	long ofd, ret;

	if (s->domain != AF_UNIX || !addr_path(&km->name, path))
		return 0;
	if (s->type != SOCK_DGRAM) {
		/* stream refuses, seqpacket ignores it: look nothing up */
		memset(km->name.sun.sun_path, 0, sizeof(km->name.sun.sun_path));
		return 0;
	}
	ofd = target_open(t, path);
	if (ofd < 0)
		return ofd;
	ret = ks_add_fd(k, (int)ofd);
	if (!ret)
		addr_proc(&km->name, (int)ofd, NULL);
	return ret;
}

/*
 * The data, gathered: a stream sends at most STREAM_CHUNK per message (a
 * short count), anything else fails beyond DGRAM_MAX.  1: this message
 * would pass MMSG_TOTAL, send those before it.
 */
static long msg_data_copy(struct trap *t, const struct usock *s,
			  const struct ksend *k, const struct msghdr *m,
			  struct kmsg *km)
{
	bool stream = s->type == SOCK_STREAM;
	struct iovec *iov;
	size_t total = 0, o = 0, n;
	long ret = 0;

	if (m->msg_iovlen > MSG_IOV_MAX)
		return -EMSGSIZE;
	iov = calloc(m->msg_iovlen ? m->msg_iovlen : 1, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (m->msg_iovlen && guest_read(t->task, (uint64_t)m->msg_iov, iov,
					m->msg_iovlen * sizeof(*iov))) {
		ret = -EFAULT;
		goto out;
	}
	for (size_t i = 0; i < m->msg_iovlen; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			ret = -EINVAL;
			goto out;
		}
		total += iov[i].iov_len < DGRAM_MAX ? iov[i].iov_len : DGRAM_MAX + 1;
		if (total > DGRAM_MAX)
			total = DGRAM_MAX + 1;
	}
	if (stream && total > STREAM_CHUNK)
		total = STREAM_CHUNK;
	ret = -EMSGSIZE;
	if (total > DGRAM_MAX)
		goto out;
	ret = 1;
	if (k->n && k->total + total > MMSG_TOTAL)
		goto out;
	ret = -ENOMEM;
	km->data = malloc(total ? total : 1);
	if (!km->data)
		goto out;
	ret = 0;
	for (size_t i = 0; o < total && i < m->msg_iovlen; i++) {
		n = iov[i].iov_len < total - o ? iov[i].iov_len : total - o;
		if (n && guest_read(t->task, (uint64_t)iov[i].iov_base,
				    km->data + o, n)) {
			ret = -EFAULT;
			goto out;
		}
		o += n;
	}
	km->len = total;
out:
	free(iov);
	return ret;
}

/* SCM_RIGHTS: the caller's fds, as the monitor's (EBADF as Linux). */
static long scm_rights(struct trap *t, struct ksend *k, struct cmsghdr *c,
		       int *nfds)
{
	int *fds = (int *)CMSG_DATA(c);
	long n = (long)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)), fd, ret;

	if (n <= 0)
		return 0;
	if (*nfds + n > SCM_FDS_MAX)
		return -EINVAL;
	*nfds += (int)n;
	for (long i = 0; i < n; i++) {
		fd = fds[i] < 0 ? -EBADF : fd_take(t->task, fds[i]);
		if (fd < 0)
			return fd == -EBADF || fd == -ESRCH ? fd : -EBADF;
		ret = ks_add_fd(k, (int)fd);
		if (ret)
			return ret;
		fds[i] = (int)fd;
	}
	return 0;
}

/*
 * SCM_CREDENTIALS: the guest's pid is the host's; the caller's own is
 * the sender's, filled in by the helper; one the guest cannot see is 0,
 * which the host refuses as it would the pid (EPERM, or ESRCH for root).
 * uid and gid are the host's already.
 */
static long scm_creds(struct trap *t, struct ksend *k, struct cmsghdr *c)
{
	struct ucred *uc = (struct ucred *)CMSG_DATA(c);

	if (c->cmsg_len != CMSG_LEN(sizeof(*uc)))
		return 0;		/* the host says EINVAL */
	if (uc->pid == task_vpid(t->task))
		return ks_add_self(k, &uc->pid);
	uc->pid = pid_to_host(uc->pid);
	return 0;
}

/* The control data, walked as __scm_send() does. */
static long msg_ctl_copy(struct trap *t, const struct usock *s,
			 struct ksend *k, const struct msghdr *m,
			 struct kmsg *km)
{
	size_t len = m->msg_controllen, off = 0;
	int nfds = 0;
	long ret = 0;

	if (!len)
		return 0;
	if (len > MSG_CTL_MAX)
		return -ENOBUFS;
	km->ctl = malloc(len);
	if (!km->ctl)
		return -ENOMEM;
	if (guest_read(t->task, (uint64_t)m->msg_control, km->ctl, len))
		return -EFAULT;
	if (s->domain != AF_UNIX)
		return 0;	/* names no fd and no pid: SCM_* are EINVAL */
	while (!ret && off + sizeof(struct cmsghdr) <= len) {
		struct cmsghdr *c = (struct cmsghdr *)(km->ctl + off);

		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > len - off)
			return -EINVAL;
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			ret = scm_rights(t, k, c, &nfds);
		else if (c->cmsg_level == SOL_SOCKET &&
			 c->cmsg_type == SCM_CREDENTIALS)
			ret = scm_creds(t, k, c);
		off += CMSG_ALIGN(c->cmsg_len);
	}
	return ret;
}

/* One guest msghdr into k's next message; 1: no room left for it. */
static long msg_copy(struct trap *t, const struct usock *s, struct ksend *k,
		     uint64_t umsg)
{
	struct kmsg *km = &k->msgs[k->n];
	struct msghdr *hm = &k->vec[k->n].msg_hdr;
	int nfds = k->nfds, nself = k->nself;
	struct msghdr m;
	long ret;

	memset(km, 0, sizeof(*km));
	memset(&k->vec[k->n], 0, sizeof(k->vec[k->n]));
	if (guest_read(t->task, umsg, &m, sizeof(m)))
		return -EFAULT;
	/* in Linux's order: name, data, control, then the name's lookup */
	ret = msg_name_copy(t, &m, km);
	if (!ret)
		ret = msg_data_copy(t, s, k, &m, km);
	if (!ret)
		ret = msg_ctl_copy(t, s, k, &m, km);
	if (!ret)
		ret = msg_name_xlate(t, s, k, km);
	if (ret) {
		free(km->data);
		free(km->ctl);
		while (k->nfds > nfds)
			close(k->fds[--k->nfds]);
		k->nself = nself;	/* they point into km->ctl */
		return ret;
	}
	km->iov.iov_base = km->data;
	km->iov.iov_len = km->len;
	hm->msg_name = km->name.len ? &km->name.sa : NULL;
	hm->msg_namelen = km->name.len;
	hm->msg_iov = &km->iov;
	hm->msg_iovlen = 1;
	hm->msg_control = km->ctl;
	hm->msg_controllen = km->ctl ? m.msg_controllen : 0;
	k->total += km->len;
	k->n++;
	return 0;
}

/* sendmmsg(2) of messages [i, i + n): the helper's call on AF_UNIX. */
static long host_sendmmsg(const struct usock *s, struct ksend *k,
			  const int *keep, unsigned int i, unsigned int n,
			  int flags)
{
	struct helper_call c = {
		.nr = SYS_sendmmsg,
		.a = { s->fd, (long)(k->vec + i), n, flags },
		.keep = keep,
		.nkeep = k->nfds + 1,
		.self_pid = k->self,
		.nself = k->nself,
		.caller = s->caller,
	};
	long ret;

	if (s->domain == AF_UNIX)
		return helper_run(&c);
	ret = syscall(SYS_sendmmsg, s->fd, k->vec + i, n, flags);
	return ret < 0 ? -errno : ret;
}

/* A stream message sent in part: the rest, without its control data. */
static void msg_advance(struct ksend *k, unsigned int i, size_t n)
{
	struct msghdr *hm = &k->vec[i].msg_hdr;

	k->msgs[i].iov.iov_base = (char *)k->msgs[i].iov.iov_base + n;
	k->msgs[i].iov.iov_len -= n;
	hm->msg_control = NULL;
	hm->msg_controllen = 0;
}

/*
 * Send what the socket takes now of k's messages, without waiting; a
 * stream message sent in part is continued, k->done counts the messages
 * gone whole.  Returns 0 when all went, else the error that stopped it
 * (-EAGAIN: full).
 */
static long send_now(const struct usock *s, struct ksend *k, int flags)
{
	bool stream = s->type == SOCK_STREAM;
	unsigned int i;
	long ret = 0;
	int *keep;

	/* zero-copy would pin the monitor's buffers past their free() */
	flags = (flags & ~MSG_ZEROCOPY) | MSG_DONTWAIT | MSG_NOSIGNAL;
	keep = malloc((k->nfds + 1) * sizeof(int));
	if (!keep)
		return -ENOMEM;
	for (int f = 0; f < k->nfds; f++)
		keep[f] = k->fds[f];
	keep[k->nfds] = s->fd;
	keep_sort(keep, k->nfds + 1);
	while ((i = k->done) < k->n) {
		ret = host_sendmmsg(s, k, keep, i, stream ? 1 : k->n - i, flags);
		if (ret <= 0)
			break;
		for (long m = 0; m < ret; m++)
			k->msgs[i + m].sent += k->vec[i + m].msg_len;
		if (!stream || k->msgs[i].sent == k->msgs[i].len)
			k->done += (unsigned int)ret;
		else			/* a stream message, in part */
			msg_advance(k, i, k->vec[i].msg_len);
	}
	free(keep);
	return k->done < k->n ? (ret < 0 ? ret : -EAGAIN) : 0;
}

/* What the call returns: as Linux, a partial count before an error. */
static long send_count(const struct ksend *k, long err)
{
	unsigned int done = k->done;

	if (done < k->n && k->msgs[done].sent)
		done++;
	return done ? (long)done : err;
}

static bool unix_dgram(const struct usock *s)
{
	return s->domain == AF_UNIX && s->type == SOCK_DGRAM;
}

/*
 * Does one of the messages carry SCM_CREDENTIALS?  The guest's pid in
 * them is not the host's (GDBus sends its own pid on connecting), so the
 * monitor sends those.  A guest that adds credentials after this look
 * gets what Linux says of them: they are checked against the sender.
 */
static bool msgs_have_creds(struct trap *t, uint64_t uvec, unsigned int vlen,
			    bool mmsg)
{
	char buf[1024], *ctl;
	struct msghdr m;
	bool found = false;

	for (unsigned int i = 0; !found && i < vlen; i++) {
		size_t len, off = 0;

		if (guest_read(t->task, mmsg ? uvec + i * sizeof(struct mmsghdr) :
					       uvec, &m, sizeof(m)))
			return false;
		len = m.msg_controllen;
		if (len < sizeof(struct cmsghdr) || len > MSG_CTL_MAX)
			continue;
		ctl = len <= sizeof(buf) ? buf : malloc(len);
		if (!ctl || guest_read(t->task, (uint64_t)m.msg_control, ctl, len))
			len = 0;
		while (off + sizeof(struct cmsghdr) <= len) {
			struct cmsghdr c;

			memcpy(&c, ctl + off, sizeof(c));
			if (c.cmsg_len < sizeof(c) || c.cmsg_len > len - off)
				break;
			if (c.cmsg_level == SOL_SOCKET &&
			    c.cmsg_type == SCM_CREDENTIALS) {
				found = true;
				break;
			}
			off += CMSG_ALIGN(c.cmsg_len);
		}
		if (ctl != buf)
			free(ctl);
	}
	return found;
}

/* A sendmsg or sendmmsg; when its receiver is full, a worker's. */
struct sendmsg_job {
	struct usock s;		/* its fd is the job's */
	struct ksend k;
	int flags;
	uint64_t uvec;
	bool mmsg;
	pid_t tgid, tid;	/* the caller: SIGPIPE, msg_len */
	struct send_wait w;
};

/* The result, as the guest gets it: counts written back for sendmmsg. */
static long sendmsg_done(struct sendmsg_job *j, long err)
{
	long ret = send_count(&j->k, err);

	send_sigpipe(&j->s, j->flags, ret, j->tgid, j->tid);
	if (ret <= 0)
		return ret;
	if (!j->mmsg)
		return (long)j->k.msgs[0].sent;
	for (long i = 0; i < ret; i++) {
		unsigned int len = (unsigned int)j->k.msgs[i].sent;

		if (guest_write_tid(j->tid, j->uvec + i * sizeof(struct mmsghdr) +
				    offsetof(struct mmsghdr, msg_len), &len,
				    sizeof(len)))
			return i ? i : -EFAULT;
	}
	return ret;
}

/* A signal ends the wait; what went by then is the result, as Linux. */
static long sendmsg_retry(struct trap *t)
{
	struct sendmsg_job *j = (struct sendmsg_job *)t->saved[0];
	long ret;

	do {
		ret = send_wait_nap(&j->w);
		if (ret == -EINTR && !j->k.done && !j->k.msgs[0].sent)
			return ret;
		if (ret)
			break;
		ret = send_now(&j->s, &j->k, j->flags);
	} while (ret == -EAGAIN);
	return sendmsg_done(j, ret);
}

static void sendmsg_job_put(struct trap *t)
{
	struct sendmsg_job *j = (struct sendmsg_job *)t->saved[0];

	ks_free(&j->k);
	sock_put(&j->s);
	free(j);
}

/*
 * What a send that must wait may keep of the messages it copied: at most
 * WAIT_KEEP bytes beyond the first message not sent yet.  The rest is let
 * go, and sendmmsg then reports fewer messages sent, as Linux may: a
 * guest's blocked threads cost the monitor ~256 KiB each, not the 8 MiB a
 * sendmmsg may carry (64 threads made it 535 MB).
 */
#define WAIT_KEEP	(256 << 10)

static void ks_trim(struct ksend *k)
{
	size_t kept = 0;
	unsigned int i;

	if (k->nself)
		return;		/* its pointers reach into every message */
	for (i = k->done; i < k->n; i++) {
		kept += k->msgs[i].len - k->msgs[i].sent;
		if (i > k->done && kept > WAIT_KEEP)
			break;
	}
	for (unsigned int j = i; j < k->n; j++) {
		k->total -= k->msgs[j].len;
		free(k->msgs[j].data);
		free(k->msgs[j].ctl);
		k->msgs[j].data = k->msgs[j].ctl = NULL;
	}
	k->n = i;
}

static long sendmsg_later(struct trap *t, struct sendmsg_job *local)
{
	struct sendmsg_job *j;

	ks_trim(&local->k);
	j = malloc(sizeof(*j));

	if (!j)
		return sendmsg_done(local, -EAGAIN);
	*j = *local;
	local->s.fd = -1;
	memset(&local->k, 0, sizeof(local->k));
	send_wait_init(&j->w, j->s.fd);
	t->saved[0] = (uint64_t)j;
	return trap_later(t, sendmsg_retry, sendmsg_job_put);
}

/* sendmsg (mmsg false: one msghdr at uvec) or sendmmsg. */
static long do_sendmsg(struct trap *t, uint64_t uvec, unsigned int vlen,
		       int flags, bool mmsg)
{
	struct sendmsg_job j = {
		.flags = flags, .uvec = uvec, .mmsg = mmsg,
		.tgid = t->task->leader->tid, .tid = t->task->tid,
	};
	long ret = sock_take(t, (int)t->args[0], &j.s, false);

	if (ret)
		return ret;
	if (!unix_dgram(&j.s) && task_files_private(t->task) &&
	    (j.s.domain != AF_UNIX || !msgs_have_creds(t, uvec, vlen, mmsg))) {
		ret = trap_native(t);
		goto out;
	}
	if (!vlen)
		goto out;		/* sendmmsg: 0 */
	ret = sock_type(&j.s);
	if (ret)
		goto out;
	j.s.fl = fcntl(j.s.fd, F_GETFL);
	if (j.s.fl < 0) {
		ret = -errno;
		goto out;
	}
	ret = -ENOMEM;
	j.k.vec = calloc(vlen, sizeof(*j.k.vec));
	j.k.msgs = calloc(vlen, sizeof(*j.k.msgs));
	if (!j.k.vec || !j.k.msgs)
		goto out;
	for (unsigned int i = 0; i < vlen; i++) {
		ret = msg_copy(t, &j.s, &j.k, mmsg ?
			       uvec + i * sizeof(struct mmsghdr) : uvec);
		if (ret)
			break;
	}
	if (ret && !j.k.n)
		goto out;		/* else send those before the error */
	ret = send_now(&j.s, &j.k, flags);
	if (ret == -EAGAIN && sock_blocking(&j.s) && !(flags & MSG_DONTWAIT))
		ret = sendmsg_later(t, &j);
	else
		ret = sendmsg_done(&j, ret);
out:
	ks_free(&j.k);
	sock_put(&j.s);
	return ret;
}

/* sendmsg(fd, msg, flags) */
long sys_sendmsg(struct trap *t)
{
	return do_sendmsg(t, t->args[1], 1, (int)t->args[2], false);
}

/* sendmmsg(fd, vec, vlen, flags): at most UIO_MAXIOV messages, as Linux */
long sys_sendmmsg(struct trap *t)
{
	unsigned int vlen = (unsigned int)t->args[2];

	return do_sendmsg(t, t->args[1], vlen < MMSG_MAX ? vlen : MMSG_MAX,
			  (int)t->args[3], true);
}

