// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX sockets named by filesystem paths, in guest terms.
 *
 * A guest's sockets are real host sockets: socket, listen, read, write,
 * send and recv stay native.  What the monitor takes over is every call
 * that carries an address, because a path in a sockaddr_un is a lookup the
 * host would make outside the guest's view.  The monitor copies the
 * address once, takes its own copy of the guest's socket with
 * pidfd_getfd, decides on its copies and makes the call itself:
 *
 *  - a path is walked in the guest view, and the host is handed a name
 *    that cannot lead anywhere else: "/proc/self/fd/N" of an O_PATH fd of
 *    the socket file itself (connect, sendto), or "/proc/self/fd/D/NAME"
 *    in the parent directory's fd for bind, NAME being a fresh name of the
 *    monitor's that is then renamed, never replacing anything, to the
 *    guest's.  The host resolves no guest string, so a guest path is
 *    limited by sun_path only, not the host path it stands for.
 *  - the host reports, as Linux does, the string given at bind: here the
 *    monitor's.  A table maps each such string to what the guest bound,
 *    exactly as it said it (Linux reports the bound string, relative or
 *    not); a host path under a mount maps through the mount table; any
 *    other name is reported unnamed, so no host path or monitor name
 *    leaks where the monitor does the call.
 *  - the abstract namespace belongs to the host's network namespace, which
 *    the guest shares (X11's and D-Bus's sockets live there).  A guest's
 *    abstract name is bound and reached on the host with a prefix of this
 *    run's, "@umbra-TAG-name", and reported without it: guests reach each
 *    other and no host abstract socket.
 *  - any other address (autobind, AF_UNSPEC, another family) is passed on
 *    unchanged, still from the monitor's copy: a native call would let
 *    another thread swap the address, or the fd, between the check and
 *    the host's own read.
 *  - sendmsg and sendmmsg stop too (their msghdr may name an address):
 *    the monitor sends on an AF_UNIX datagram socket, or on any socket
 *    whose fd table another task shares; otherwise the call runs natively,
 *    which no later change of the msghdr can make reach a path.  Why
 *    that is race-free: "sendmsg and sendmmsg" below.
 *
 * The notification thread must not block (it serves every notification),
 * so a call that would is either run natively where that is safe, or
 * handed to a worker (ACT_LATER) that waits as Linux does and that the
 * guest's signals interrupt; each handler says which.
 *
 * Differs from Linux:
 *  - blocking accept, or recvfrom on an AF_UNIX socket, with nothing
 *    pending runs natively: the peer address the guest gets is then the
 *    host's.  That is right for an unnamed peer (the usual client), but
 *    for a peer bound in the guest it is the monitor's name for it
 *    ("/proc/self/fd/N/.umbra-sock-P-K"), which connect and sendto accept
 *    back as that socket (a datagram reply works); a peer bound by a host
 *    process shows its host path.
 *  - connect on a blocking AF_UNIX stream socket whose listener's backlog
 *    is full, and sendto or sendmsg on a blocking socket whose receiver
 *    is full, are tried again by a worker after naps of 1 ms growing to
 *    20 ms, until they go (Linux wakes the caller at once), SO_SNDTIMEO
 *    passes (EAGAIN) or a signal comes.
 *  - a blocking connect that does not complete at once (TCP) finishes in
 *    the guest when no other task shares its fd table; otherwise a worker
 *    of the monitor waits for it (ACT_LATER; signals interrupt it as
 *    they would the guest's own call).
 *  - for those calls the socket is O_NONBLOCK for an instant: another task
 *    starting a call on the same open socket then can see EAGAIN.
 *  - connect and sendto are made by a short-lived helper process (see
 *    helper_run()): the peer's credentials name it, whose pid stands for
 *    the calling guest process when SO_PEERCRED or SCM_CREDENTIALS give
 *    it back (SO_PEERPIDFD and SCM_PIDFD would give a pidfd of an exited
 *    process; they are refused).
 *  - bind creates the socket file as ".umbra-sock-P-K" in the directory
 *    and renames it: a listing may see that name for an instant.  If the
 *    guest's name appears in between, bind fails with EADDRINUSE but the
 *    socket stays bound (to the removed temporary name).
 *  - sendto with an address sends at most 256 KiB per call on a stream
 *    socket (a short count) and datagrams of at most 8 MiB; recvfrom with
 *    an address reads at most 8 MiB.
 *  - a guest abstract name longer than 92 bytes is a hash of it on the
 *    host (the prefix takes the rest of sun_path), reported back as the
 *    guest's for the last 256 such names (net/unix_addr.c).  Names the
 *    host reports through native calls (recvmsg, a blocking accept) keep
 *    the prefix; they are accepted back as the same socket.
 *  - sendmsg/sendmmsg made by the monitor (see above): the sender is the
 *    helper, as for sendto, and SCM_CREDENTIALS naming the caller name
 *    the helper (read back as the caller); per message at most 256 KiB
 *    on a stream socket (a short count) and 8 MiB otherwise, 8 MiB per
 *    sendmmsg (fewer messages);
 *    a blocking send to a full receiver waits (above), resuming a stream
 *    message sent in part, and a signal then returns what went;
 *    MSG_ZEROCOPY is ignored (the data is copied).  A threaded process
 *    pays this for every sendmsg, a helper process (~100 us) on AF_UNIX.
 *  - recvmsg and recvmmsg stay native: an AF_UNIX sender's name is the
 *    host's (see accept above); SCM_CREDENTIALS are made the guest's in
 *    a process that asked for them (net/scm.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <netinet/in.h>
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
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "kernel/net/unix.h"
#include "platform/platform.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* --- the guest's socket, as the monitor's own fd --- */

/* SO_TYPE, once: -errno or 0. */
long sock_type(struct usock *s)
{
	socklen_t l = sizeof(int);

	if (s->type >= 0)
		return 0;
	return getsockopt(s->fd, SOL_SOCKET, SO_TYPE, &s->type, &l) ? -errno : 0;
}

/*
 * The guest's socket gfd: the monitor's fd of it, its domain, and its
 * type if it is AF_UNIX or if all (else -1 until sock_type()).
 */
long sock_take(struct trap *t, int gfd, struct usock *s, bool all)
{
	socklen_t l = sizeof(int);
	long fd, ret = 0;

	s->fd = -1;
	s->fl = -1;
	s->type = -1;
	s->caller = task_vpid(t->task);
	if (gfd < 0)
		return -EBADF;
	fd = fd_take(t->task, gfd);
	if (fd < 0)
		return fd;
	s->fd = (int)fd;
	if (getsockopt(s->fd, SOL_SOCKET, SO_DOMAIN, &s->domain, &l))
		ret = -errno;
	else if (all || s->domain == AF_UNIX)
		ret = sock_type(s);
	if (ret) {
		close(s->fd);
		s->fd = -1;
	}
	return ret;
}

/* ... and its file status flags. */
long sock_get(struct trap *t, int gfd, struct usock *s)
{
	long ret = sock_take(t, gfd, s, true);

	if (ret)
		return ret;
	s->fl = fcntl(s->fd, F_GETFL);
	if (s->fl < 0) {
		ret = -errno;
		close(s->fd);
		s->fd = -1;
	}
	return ret;
}

void sock_put(struct usock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/*
 * The open socket is shared with the guest, so a call that must not block
 * the monitor runs with O_NONBLOCK set on it for its duration.  Clearing
 * it again keeps any other flag the guest changed meanwhile.
 */
/* What a call with O_NONBLOCK set may take before it is interrupted. */
#define GUARD_MS 20

void nb_on(const struct usock *s)
{
	if (!(s->fl & O_NONBLOCK))
		fcntl(s->fd, F_SETFL, s->fl | O_NONBLOCK);
}

void nb_off(const struct usock *s)
{
	int fl;

	if (s->fl & O_NONBLOCK)
		return;
	fl = fcntl(s->fd, F_GETFL);
	if (fl >= 0)
		fcntl(s->fd, F_SETFL, fl & ~O_NONBLOCK);
}

bool sock_blocking(const struct usock *s)
{
	return !(s->fl & O_NONBLOCK);
}

bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* When a blocking send or connect on fd gives up (SO_SNDTIMEO); 0: never. */
static uint64_t sndtimeo_deadline(int fd)
{
	struct timeval tv = { 0 };
	socklen_t len = sizeof(tv);

	getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, &len);
	return tv.tv_sec || tv.tv_usec ? now_ms() + tv.tv_sec * 1000 +
	       tv.tv_usec / 1000 + 1 : 0;
}

void send_wait_init(struct send_wait *w, int fd)
{
	w->deadline = sndtimeo_deadline(fd);
	w->nap_ms = 1;
}

/* 0 after a nap, -EINTR, or -EAGAIN once the deadline has passed. */
long send_wait_nap(struct send_wait *w)
{
	struct timespec ts = { 0, w->nap_ms * 1000000L };

	if (w->deadline && now_ms() >= w->deadline)
		return -EAGAIN;
	if (nanosleep(&ts, NULL))
		return -EINTR;
	if (w->nap_ms < 20)
		w->nap_ms *= 2;
	return 0;
}

/* --- paths --- */

/* The socket file a walk found, as an O_PATH fd: ECONNREFUSED if none. */
static long sock_file_open(const struct nameidata *nd)
{
	struct stat st;
	long fd = nd_open(nd, O_PATH, 0);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode)) {
		close(fd);
		return -ECONNREFUSED;
	}
	return fd;
}

/*
 * A name the monitor bound, handed back by a guest that got it from a
 * native accept or recvfrom: the socket file, if the bound path still
 * names it.
 */
long name_reopen(const struct uname *e)
{
	struct path root;
	struct nameidata nd;
	struct stat st;
	long ret = path_root(vfs_mounts, &root);

	if (ret)
		return ret;
	ret = path_walk(vfs_mounts, &root, NULL, e->gpath, 0, &nd);
	if (!ret)
		ret = sock_file_open(&nd);
	if (ret >= 0 && (fstat((int)ret, &st) || st.st_dev != e->dev ||
			 st.st_ino != e->ino)) {
		close((int)ret);
		ret = -ECONNREFUSED;
	}
	nd_release(&nd);
	path_release(&root);
	return ret;
}

/* connect's and sendto's target, as Linux's unix_find_bsd(): an fd. */
long target_open(struct trap *t, const char *path)
{
	const struct uname *e = names_find(path);
	struct vfs_req req;
	struct nameidata nd;
	struct stat st;
	long ret, err;

	if (e) {
		ret = name_reopen(e);
	} else {
		ret = vfs_walk_str(t, AT_FDCWD, path, WALK_FOLLOW, &req, &nd);
		if (!ret)
			ret = sock_file_open(&nd);
		vfs_done(&req, &nd);
	}
	if (ret < 0)
		return ret;
	/* Linux asks write permission on the socket file, for the caller */
	err = fstat((int)ret, &st) ? -errno :
	      guest_permission(&t->task->cred, &st, MAY_WRITE, false);
	if (err) {
		close((int)ret);
		return err;
	}
	return ret;
}

/* The bound file's mode, from the guest's umask (not the monitor's 0). */
static long sock_file_chmod(int dirfd, const char *name, mode_t umask)
{
	char proc[32];
	struct stat st;
	long ret = 0;
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode)) {
		ret = -ENOENT;		/* taken away under us */
	} else if (st.st_mode & umask & 07777) {
		/* the inode itself, never what a name would lead to */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (chmod(proc, st.st_mode & 07777 & ~umask))
			ret = -errno;
	}
	close(fd);
	return ret;
}

/* Give the bound file the guest's name, replacing nothing. */
static long sock_file_publish(int dirfd, const char *tmp, const char *name)
{
	if (!renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE))
		return 0;
	if (errno == EEXIST)
		return -EADDRINUSE;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* a filesystem without RENAME_NOREPLACE: link(2) never replaces */
	if (linkat(dirfd, tmp, dirfd, name, 0))
		return errno == EEXIST ? -EADDRINUSE : -errno;
	unlinkat(dirfd, tmp, 0);
	return 0;
}

static long bind_path(struct trap *t, const struct usock *s, const char *path)
{
	struct vfs_req req;
	struct nameidata nd;
	struct uaddr h;
	struct stat st;
	char tmp[48];
	long ret;

	ret = vfs_walk_str(t, AT_FDCWD, path, WALK_PARENT, &req, &nd);
	if (ret)
		goto out;
	/* Linux's mknod: EEXIST (EADDRINUSE) first, then ENOENT, EROFS */
	ret = -EADDRINUSE;
	if (nd.last_type != LAST_NORM ||
	    !fstatat(nd.dirfd, nd.last, &st, AT_SYMLINK_NOFOLLOW))
		goto out;
	ret = -errno;
	if (ret != -ENOENT)
		goto out;
	if (nd.trailing_slash)
		goto out;
	ret = -EROFS;
	if (mount_readonly(nd.mnt))
		goto out;
	/* the guest's credentials: may it create there? */
	ret = guest_may_create(&t->task->cred, nd.dirfd);
	if (ret)
		goto out;
	for (int i = 0; i < 8; i++) {
		snprintf(tmp, sizeof(tmp), ".umbra-sock-%d-%u", (int)getpid(),
			 names_next_seq());
		addr_proc(&h, nd.dirfd, tmp);
		ret = bind(s->fd, &h.sa, h.len) ? -errno : 0;
		if (ret != -EADDRINUSE)
			break;
	}
	if (ret)
		goto out;
	ret = sock_file_chmod(nd.dirfd, tmp, t->task->fs->umask);
	if (!ret)
		guest_own_new(&t->task->cred, nd.dirfd, tmp);
	if (!ret)
		ret = sock_file_publish(nd.dirfd, tmp, nd.last);
	if (ret) {
		unlinkat(nd.dirfd, tmp, 0);
		goto out;
	}
	if (!fstatat(nd.dirfd, nd.last, &st, AT_SYMLINK_NOFOLLOW))
		names_add(h.sun.sun_path, path, nd.gpath, &st);
out:
	vfs_done(&req, &nd);
	return ret;
}

/* --- the calls --- */

/* bind(fd, addr, len): a path is created in the guest view. */
/* The host's sysctl: the first port an unprivileged process may bind. */
static unsigned int unprivileged_port_start(void)
{
	char buf[16] = "";
	int fd = open("/proc/sys/net/ipv4/ip_unprivileged_port_start",
		      O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		close(fd);
	}
	return buf[0] ? (unsigned int)strtoul(buf, NULL, 10) : 1024;
}

/*
 * A port below ip_unprivileged_port_start needs CAP_NET_BIND_SERVICE,
 * the guest's: the monitor makes the call, with its own.
 */
static long inet_bind_check(struct trap *t, int domain, const struct uaddr *a)
{
	unsigned int port;

	if (domain != a->sa.sa_family)
		return 0;	/* the host's answer: EINVAL or EAFNOSUPPORT */
	if (a->sa.sa_family == AF_INET && a->len >= sizeof(struct sockaddr_in))
		port = ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	else if (a->sa.sa_family == AF_INET6 &&
		 a->len >= offsetof(struct sockaddr_in6, sin6_scope_id))
		port = ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	else
		return 0;
	if (!port || cred_capable(&t->task->cred, CAP_NET_BIND_SERVICE))
		return 0;
	return port < unprivileged_port_start() ? -EACCES : 0;
}

long sys_bind(struct trap *t)
{
	char path[SUN_MAX];
	struct usock s;
	struct uaddr a;
	long ret = sock_get(t, (int)t->args[0], &s);

	if (ret)
		return ret;
	ret = addr_copy(t, t->args[1], t->args[2], &a);
	if (ret)
		goto out;
	if (s.domain == AF_UNIX && addr_path(&a, path))
		ret = bind_path(t, &s, path);
	else
		ret = inet_bind_check(t, s.domain, &a) ?:
		      (bind(s.fd, &a.sa, a.len) ? -errno : 0);
out:
	sock_put(&s);
	return ret;
}

static long connect_nb(const struct usock *s, const struct uaddr *h, int keep)
{
	long ret;

	nb_on(s);
	host_guard(GUARD_MS);	/* should a sibling clear O_NONBLOCK */
	ret = host_connect(s, &h->sa, h->len, keep);
	host_unguard();
	nb_off(s);
	return ret == -EINTR ? -EINPROGRESS : ret;
}

/*
 * Waiting for a connect in progress, as a blocking connect does: until the
 * host's TCP gives up, or for SO_SNDTIMEO (then EINPROGRESS, as Linux).
 * saved[0] is our fd of the socket, saved[1] the deadline (0: none).
 */
static long connect_wait(struct trap *t)
{
	struct pollfd p = { .fd = (int)t->saved[0], .events = POLLOUT };
	int64_t left = -1;
	socklen_t len = sizeof(int);
	int err, n;

	if (t->saved[1]) {
		left = (int64_t)t->saved[1] - now_ms();
		if (left < 0)
			left = 0;
	}
	n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EINPROGRESS;
	if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -errno;
	return -err;
}

static void connect_wait_put(struct trap *t)
{
	close((int)t->saved[0]);
}

static long connect_later(struct trap *t, const struct usock *s)
{
	int fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	t->saved[0] = fd;
	t->saved[1] = sndtimeo_deadline(fd);
	return trap_later(t, connect_wait, connect_wait_put);
}

/*
 * The monitor's connect never blocks.  A stream AF_UNIX connect fails at
 * once with EAGAIN when the backlog is full: a worker tries it again.  A connect
 * in progress (TCP) is left to the host: a blocking connect on a socket
 * already connecting waits for the result, whatever address it is given,
 * so the guest's own call can do the waiting, unless another task could
 * swap the socket under the fd meanwhile: then a worker waits.
 */
/* A stream connect to a full backlog, made again by a worker until it goes. */
struct connect_job {
	struct usock s;		/* its fd is the job's */
	struct uaddr h;
	int ofd;		/* the job's; h may name it */
	struct send_wait w;	/* SO_SNDTIMEO bounds it, as Linux */
};

static long connect_retry(struct trap *t)
{
	struct connect_job *j = (struct connect_job *)t->saved[0];
	long ret;

	do {
		ret = send_wait_nap(&j->w);
		if (ret)
			return ret;
		ret = connect_nb(&j->s, &j->h, j->ofd);
	} while (ret == -EAGAIN);
	return ret;
}

static void connect_job_put(struct trap *t)
{
	struct connect_job *j = (struct connect_job *)t->saved[0];

	if (j->ofd >= 0)
		close(j->ofd);
	sock_put(&j->s);
	free(j);
}

/* The job takes the socket and ofd from the caller. */
static long connect_again_later(struct trap *t, struct usock *s,
				const struct uaddr *h, int *ofd)
{
	struct connect_job *j = malloc(sizeof(*j));

	if (!j)
		return -EAGAIN;
	j->s = *s;
	j->h = *h;
	j->ofd = *ofd;
	s->fd = -1;
	*ofd = -1;
	send_wait_init(&j->w, j->s.fd);
	t->saved[0] = (uint64_t)j;
	return trap_later(t, connect_retry, connect_job_put);
}

static long do_connect(struct trap *t, struct usock *s,
		       const struct uaddr *h, int *ofd)
{
	long ret;

	ret = connect_nb(s, h, *ofd);
	if (!sock_blocking(s))
		return ret;
	if (ret == -EAGAIN && s->domain == AF_UNIX)	/* a full backlog */
		return connect_again_later(t, s, h, ofd);
	if ((ret != -EINPROGRESS && ret != -EALREADY) || s->domain == AF_UNIX)
		return ret;
	if (task_files_private(t->task))
		return trap_native(t);
	return connect_later(t, s);
}

/* connect(fd, addr, len) */
long sys_connect(struct trap *t)
{
	char path[SUN_MAX];
	struct usock s;
	struct uaddr a, h;
	long ret = sock_get(t, (int)t->args[0], &s);
	int ofd = -1;

	if (ret)
		return ret;
	ret = addr_copy(t, t->args[1], t->args[2], &a);
	if (ret)
		goto out;
	if (s.domain == AF_UNIX && addr_path(&a, path)) {
		ret = ofd = (int)target_open(t, path);
		if (ofd < 0)
			goto out;
		addr_proc(&h, ofd, NULL);
	} else {
		h = a;
	}
	ret = do_connect(t, &s, &h, &ofd);
out:
	if (ofd >= 0)
		close(ofd);
	sock_put(&s);
	return ret;
}

/*
 * accept4 with an address: the monitor accepts a pending connection and
 * installs it; with none pending on a blocking socket the guest's call
 * runs natively (see the top of the file).
 */
static long do_accept(struct trap *t, int flags)
{
	struct usock s;
	struct uaddr h, g;
	bool block;
	long ret;
	int nfd, err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	ret = sock_get(t, (int)t->args[0], &s);
	if (ret)
		return ret;
	block = sock_blocking(&s);
	if (s.domain != AF_UNIX || (block && !readable(s.fd))) {
		ret = trap_native(t);
		goto out;
	}
	memset(&h.ss, 0, sizeof(h.ss));
	h.len = sizeof(h.ss);
	nb_on(&s);
	host_guard(GUARD_MS);	/* should a sibling clear O_NONBLOCK */
	nfd = accept4(s.fd, &h.sa, &h.len, (flags & SOCK_NONBLOCK) | SOCK_CLOEXEC);
	err = errno;
	host_unguard();
	nb_off(&s);
	if (nfd < 0 && err == EINTR)
		err = EAGAIN;	/* the guard, or a signal: nothing was taken */
	if (nfd < 0) {
		ret = err == EAGAIN && block ? trap_native(t) : -err;
		goto out;
	}
	addr_to_guest(t, &h, &g, SUN_OFF);
	ret = put_addr(t, t->args[1], t->args[2], &g);
	if (ret) {
		close(nfd);		/* as Linux: the connection is lost */
		goto out;
	}
	t->action = ACT_INSTALL_FD;
	t->fd = nfd;
	t->fd_flags = (flags & SOCK_CLOEXEC) ? O_CLOEXEC : 0;
out:
	sock_put(&s);
	return ret;
}

long sys_accept(struct trap *t)
{
	return do_accept(t, 0);
}

long sys_accept4(struct trap *t)
{
	return do_accept(t, (int)t->args[3]);
}

static long do_getname(struct trap *t, bool peer)
{
	struct usock s;
	struct uaddr h, g;
	long ret = sock_get(t, (int)t->args[0], &s);

	if (ret)
		return ret;
	memset(&h.ss, 0, sizeof(h.ss));
	h.len = sizeof(h.ss);
	if ((peer ? getpeername(s.fd, &h.sa, &h.len) :
		    getsockname(s.fd, &h.sa, &h.len))) {
		ret = -errno;
	} else {
		addr_to_guest(t, &h, &g, SUN_OFF);
		ret = put_addr(t, t->args[1], t->args[2], &g);
	}
	sock_put(&s);
	return ret;
}

long sys_getsockname(struct trap *t)
{
	return do_getname(t, false);
}

long sys_getpeername(struct trap *t)
{
	return do_getname(t, true);
}

