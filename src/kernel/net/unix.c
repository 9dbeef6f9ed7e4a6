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
 *    helper_run()): the peer's credentials name it, a process outside the
 *    guest (pid 0 in SO_PEERCRED; SO_PEERPIDFD and SCM_PIDFD give a pidfd
 *    of an exited process), not the calling guest process.
 *  - bind creates the socket file as ".umbra-sock-P-K" in the directory
 *    and renames it: a listing may see that name for an instant.  If the
 *    guest's name appears in between, bind fails with EADDRINUSE but the
 *    socket stays bound (to the removed temporary name).
 *  - sendto with an address sends at most 256 KiB per call on a stream
 *    socket (a short count) and datagrams of at most 8 MiB; recvfrom with
 *    an address reads at most 8 MiB.
 *  - a guest abstract name longer than 92 bytes is EINVAL (the prefix
 *    takes the rest of sun_path).  Names the host reports through native
 *    calls (recvmsg, a blocking accept) keep the prefix; they are accepted
 *    back as the same socket.
 *  - sendmsg/sendmmsg made by the monitor (see above): the sender is the
 *    helper, as for sendto, and SCM_CREDENTIALS naming the caller name
 *    the helper; per message at most 256 KiB on a stream socket (a short
 *    count) and 8 MiB otherwise, 8 MiB per sendmmsg (fewer messages);
 *    a blocking send to a full receiver waits (above), resuming a stream
 *    message sent in part, and a signal then returns what went;
 *    MSG_ZEROCOPY is ignored (the data is copied).  A threaded process
 *    pays this for every sendmsg, a helper process (~100 us) on AF_UNIX.
 *  - recvmsg and recvmmsg stay native: an AF_UNIX sender's name is the
 *    host's (see accept above), and SCM_CREDENTIALS carry host pids.
 */
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
#include "platform/platform.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

#define SUN_OFF		((socklen_t)offsetof(struct sockaddr_un, sun_path))
#define SUN_MAX		((socklen_t)sizeof(struct sockaddr_un))
#define SUN_PATH_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path))

#define STREAM_CHUNK	(256 << 10)	/* sendto on a stream socket, per call */
#define DGRAM_MAX	(8 << 20)	/* sendto of one datagram, recvfrom */

/* --- the guest's socket, as the monitor's own fd --- */

struct usock {
	int fd;			/* the monitor's dup of the guest's socket */
	int domain, type;
	int fl;			/* file status flags of the open socket */
	pid_t caller;		/* the guest process the call is made for */
};

/* SO_TYPE, once: -errno or 0. */
static long sock_type(struct usock *s)
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
static long sock_take(struct trap *t, int gfd, struct usock *s, bool all)
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
static long sock_get(struct trap *t, int gfd, struct usock *s)
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

static void sock_put(struct usock *s)
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

static void nb_on(const struct usock *s)
{
	if (!(s->fl & O_NONBLOCK))
		fcntl(s->fd, F_SETFL, s->fl | O_NONBLOCK);
}

static void nb_off(const struct usock *s)
{
	int fl;

	if (s->fl & O_NONBLOCK)
		return;
	fl = fcntl(s->fd, F_GETFL);
	if (fl >= 0)
		fcntl(s->fd, F_SETFL, fl & ~O_NONBLOCK);
}

static bool sock_blocking(const struct usock *s)
{
	return !(s->fl & O_NONBLOCK);
}

static bool readable(int fd)
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

/*
 * A send a worker waits for, as a blocking send does: a receiver that is
 * full gives no wake-up we can wait on (poll on the sender says nothing of
 * it), so the send is tried again after naps of 1 ms growing to 20 ms,
 * until it goes, SO_SNDTIMEO passes (deadline, 0: none), or a signal
 * interrupts a nap (-EINTR).
 */
struct send_wait {
	uint64_t deadline;
	long nap_ms;
};

/* When a blocking send or connect on fd gives up (SO_SNDTIMEO); 0: never. */
static uint64_t sndtimeo_deadline(int fd)
{
	struct timeval tv = { 0 };
	socklen_t len = sizeof(tv);

	getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, &len);
	return tv.tv_sec || tv.tv_usec ? now_ms() + tv.tv_sec * 1000 +
	       tv.tv_usec / 1000 + 1 : 0;
}

static void send_wait_init(struct send_wait *w, int fd)
{
	w->deadline = sndtimeo_deadline(fd);
	w->nap_ms = 1;
}

/* 0 after a nap, -EINTR, or -EAGAIN once the deadline has passed. */
static long send_wait_nap(struct send_wait *w)
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

/*
 * A connect or send on an AF_UNIX socket records the caller as the peer
 * (SO_PEERCRED, SO_PEERPIDFD, SCM_CREDENTIALS, SCM_PIDFD).  Made by the
 * monitor, that would hand the guest a pidfd of the monitor, and with it
 * the monitor's fds (pidfd_getfd, for a guest with CAP_SYS_PTRACE, or any
 * guest were the monitor dumpable).  So those calls are made by a
 * short-lived helper process instead: a CLONE_VM child on a stack of its
 * own, with a copy of the fd table from which it closes everything but
 * the two fds it needs, that makes the one call and exits.  A pidfd of it
 * reaches nothing but those, and nothing at all once it is gone.  The
 * credentials the host records name the helper: its pid stands for the
 * guest caller when they are read back (pid_stand_in(), kernel/pid.c),
 * so SO_PEERCRED and SCM_CREDENTIALS give the caller's guest pid.  It costs
 * a process creation (some 70 us); the helper never waits (the socket is
 * O_NONBLOCK, see nb_on()), and one that does not finish in a second
 * (stopped by a guest holding its pidfd) is killed.
 */
struct helper_call {
	long nr, a[6];
	pid_t caller;			/* the guest process it stands for */
	const int *keep;		/* fds the helper keeps, ascending */
	int nkeep;
	pid_t *const *self_pid;		/* set to the helper's pid first */
	int nself;
	volatile long ret;		/* written by the helper */
};

#define HELPER_TIMEOUT_MS 1000

static char helper_stack[16384] __attribute__((aligned(64)));

/* No libc in the helper: it shares the monitor's memory and TLS. */
#define HELPER_INLINE static inline __attribute__((always_inline))

HELPER_INLINE long raw_syscall(long nr, long a1, long a2, long a3, long a4,
			       long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a"(ret)
			  : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			    "r"(r8), "r"(r9)
			  : "rcx", "r11", "memory");
	return ret;
}

HELPER_INLINE void raw_close_range(long lo, long hi)
{
	if (lo <= hi)
		raw_syscall(SYS_close_range, lo, hi, 0, 0, 0, 0);
}

__attribute__((no_sanitize_address, noinline))
static int helper_main(void *arg)
{
	struct helper_call *c = arg;
	long lo = 0, pid;

	for (int i = 0; i < c->nkeep; i++) {
		raw_close_range(lo, c->keep[i] - 1);
		if (c->keep[i] + 1 > lo)
			lo = c->keep[i] + 1;
	}
	raw_close_range(lo, ~0U);
	if (c->nself) {
		/* SCM_CREDENTIALS naming the sender: the sender is this */
		pid = raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
		for (int i = 0; i < c->nself; i++)
			*c->self_pid[i] = (pid_t)pid;
	}
	c->ret = raw_syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3],
			     c->a[4], c->a[5]);
	raw_syscall(SYS_exit, 0, 0, 0, 0, 0, 0);
	return 0;
}

/* Sort the fds to keep (insertion: a few, at most SCM_MAX_FD and some). */
static void keep_sort(int *keep, int n)
{
	for (int i = 1; i < n; i++) {
		int v = keep[i], j = i;

		for (; j > 0 && keep[j - 1] > v; j--)
			keep[j] = keep[j - 1];
		keep[j] = v;
	}
}

/* One helper at a time: they share helper_stack (workers run them too). */
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;

static long helper_run_locked(struct helper_call *c)
{
	struct pollfd p = { .events = POLLIN };
	int pidfd = -1;
	siginfo_t si;
	pid_t pid;

	c->ret = -EINTR;
	pid = clone(helper_main, helper_stack + sizeof(helper_stack),
		    CLONE_VM | CLONE_PIDFD, c, &pidfd);
	if (pid < 0)
		return -errno;
	pid_stand_in(pid, c->caller);
	p.fd = pidfd;
	/* a worker's wait can be interrupted: the helper is not */
	for (int waited = 0, n = 0; n != 1; waited += 10) {
		n = poll(&p, 1, 10);
		if (n != 1 && waited >= HELPER_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			c->ret = -ETIMEDOUT;
			while (poll(&p, 1, -1) != 1)
				;	/* its stack is ours again once it is gone */
			break;
		}
	}
	/* the ptrace thread's wait may reap it first: then ECHILD here */
	syscall(SYS_waitid, P_PIDFD, pidfd, &si, WEXITED | __WALL, NULL);
	close(pidfd);
	return c->ret;
}

static long helper_run(struct helper_call *c)
{
	long ret;

	pthread_mutex_lock(&helper_lock);
	ret = helper_run_locked(c);
	pthread_mutex_unlock(&helper_lock);
	return ret;
}

/* The helper keeps the socket and fd (-1: none). */
static void helper_keep2(struct helper_call *c, int keep[2], int sfd, int fd)
{
	keep[0] = sfd;
	keep[1] = fd;
	c->keep = keep;
	c->nkeep = fd < 0 ? 1 : 2;
	keep_sort(keep, c->nkeep);
}

/* connect(2) as the helper, or by the monitor for other families. */
static long host_connect(const struct usock *s, const struct sockaddr *sa,
			 socklen_t len, int keep)
{
	struct helper_call c = {
		.nr = SYS_connect,
		.a = { s->fd, (long)sa, len },
		.caller = s->caller,
	};
	int k[2];

	if (s->domain != AF_UNIX)
		return connect(s->fd, sa, len) ? -errno : 0;
	helper_keep2(&c, k, s->fd, keep);
	return helper_run(&c);
}

static long host_sendto(const struct usock *s, const void *buf, size_t n,
			int flags, const struct sockaddr *sa, socklen_t len,
			int keep)
{
	struct helper_call c = {
		.nr = SYS_sendto,
		.a = { s->fd, (long)buf, (long)n, flags, (long)sa, len },
		.caller = s->caller,
	};
	int k[2];
	long ret;

	if (s->domain == AF_UNIX) {
		helper_keep2(&c, k, s->fd, keep);
		return helper_run(&c);
	}
	ret = sendto(s->fd, buf, n, flags, sa, len);
	return ret < 0 ? -errno : ret;
}

/* --- addresses --- */

struct uaddr {
	union {
		struct sockaddr_storage ss;
		struct sockaddr_un sun;
		struct sockaddr sa;
	};
	socklen_t len;
};

/*
 * The abstract namespace belongs to the host's network namespace, which
 * the guest shares: X11's and D-Bus's sockets live there.  Guest names get
 * a prefix of this run's on the host ("@name" becomes "@umbra-TAG-name"),
 * so guests reach each other and nothing of the host's.
 */
#define ABSTRACT_TAG_LEN 15	/* "umbra-xxxxxxxx-" */
static char abstract_tag[ABSTRACT_TAG_LEN + 1];

/* Also the tag of the run's message queues on the host (mqueue.c). */
const char *abstract_prefix(void)
{
	uint32_t r = 0;

	if (!abstract_tag[0]) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint32_t)getpid() * 2654435761u;
		snprintf(abstract_tag, sizeof(abstract_tag), "umbra-%08x-", r);
	}
	return abstract_tag;
}

static bool addr_abstract(const struct uaddr *a)
{
	return a->len > SUN_OFF && a->sun.sun_family == AF_UNIX &&
	       !a->sun.sun_path[0];
}

static bool abstract_tagged(const struct uaddr *a)
{
	size_t n = a->len - SUN_OFF - 1;	/* the name after the NUL */

	return n >= ABSTRACT_TAG_LEN &&
	       !memcmp(a->sun.sun_path + 1, abstract_prefix(), ABSTRACT_TAG_LEN);
}

/*
 * A name that has the prefix already is one the guest was told by a
 * native call (recvmsg, a blocking accept): it names the same socket.
 */
static long abstract_to_host(struct uaddr *a)
{
	size_t n = a->len - SUN_OFF - 1;	/* the name after the NUL */

	if (abstract_tagged(a))
		return 0;
	if (n + 1 + ABSTRACT_TAG_LEN > SUN_PATH_MAX)
		return -EINVAL;		/* no room for the prefix */
	memmove(a->sun.sun_path + 1 + ABSTRACT_TAG_LEN, a->sun.sun_path + 1, n);
	memcpy(a->sun.sun_path + 1, abstract_prefix(), ABSTRACT_TAG_LEN);
	a->len += ABSTRACT_TAG_LEN;
	return 0;
}

static void abstract_to_guest(struct uaddr *a)
{
	size_t n = a->len - SUN_OFF - 1;

	if (!abstract_tagged(a))
		return;		/* an autobound name: the kernel's own */
	memmove(a->sun.sun_path + 1, a->sun.sun_path + 1 + ABSTRACT_TAG_LEN,
		n - ABSTRACT_TAG_LEN);
	a->len -= ABSTRACT_TAG_LEN;
}

/* move_addr_to_kernel(): the guest's address, copied once. */
static long addr_copy(struct trap *t, uint64_t addr, uint64_t len,
		      struct uaddr *a)
{
	int l = (int)len;

	memset(&a->ss, 0, sizeof(a->ss));
	a->len = 0;
	if (l < 0 || l > (int)sizeof(a->ss))
		return -EINVAL;
	if (l && guest_read(t->task, addr, &a->ss, l))
		return -EFAULT;
	a->len = l;
	return addr_abstract(a) ? abstract_to_host(a) : 0;
}

/*
 * Does a name a filesystem path, by Linux's own test (unix_validate_addr,
 * then a non-NUL first byte)?  Then path gets it, NUL-terminated at the
 * address's end as unix_mkname_bsd() does.
 */
static bool addr_path(const struct uaddr *a, char path[SUN_MAX])
{
	size_t n;

	if (a->len <= SUN_OFF || a->len > SUN_MAX ||
	    a->sun.sun_family != AF_UNIX || !a->sun.sun_path[0])
		return false;
	n = strnlen(a->sun.sun_path, a->len - SUN_OFF);
	memcpy(path, a->sun.sun_path, n);
	path[n] = '\0';
	return true;
}

/* An address as Linux stores a bound name: the path and its NUL. */
static void addr_set_path(struct uaddr *a, const char *path)
{
	size_t n = strlen(path);

	memset(&a->ss, 0, sizeof(a->ss));
	a->sun.sun_family = AF_UNIX;
	memcpy(a->sun.sun_path, path, n);	/* n <= 108: fits the storage */
	a->len = SUN_OFF + n + 1;
}

/* The host's name for fd (name NULL) or for name in directory fd. */
static void addr_proc(struct uaddr *a, int fd, const char *name)
{
	char buf[SUN_PATH_MAX];

	if (name)
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d/%s", fd, name);
	else
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	addr_set_path(a, buf);
}

/* move_addr_to_user(): a result address and its length to the guest. */
static long put_addr(struct trap *t, uint64_t uaddr, uint64_t ulenp,
		     const struct uaddr *a)
{
	int len, klen = (int)a->len;

	if (guest_read(t->task, ulenp, &len, sizeof(len)))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && guest_write(t->task, uaddr, &a->ss, len))
		return -EFAULT;
	if (guest_write(t->task, ulenp, &klen, sizeof(klen)))
		return -EFAULT;
	return 0;
}

/* --- the names the monitor bound --- */

struct uname {
	struct uname *next;
	char host[SUN_PATH_MAX];	/* what the host reports */
	char guest[SUN_MAX];		/* what the guest bound, as it said it */
	char *gpath;			/* canonical guest path of the file */
	dev_t dev;			/* the socket file */
	ino_t ino;
};

static struct uname *names;
static unsigned int nnames, names_gc_at = 64, names_seq;

static struct uname *names_find(const char *host)
{
	struct uname *e;

	for (e = names; e; e = e->next)
		if (!strcmp(e->host, host))
			return e;
	return NULL;
}

static char *read_all(const char *path, size_t *len)
{
	size_t size = 1 << 16, n = 0;
	char *buf = malloc(size), *nb;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf)
		goto fail;
	while ((r = read(fd, buf + n, size - n)) > 0) {
		n += r;
		if (n == size) {
			nb = realloc(buf, size *= 2);
			if (!nb)
				goto fail;
			buf = nb;
		}
	}
	if (r < 0)
		goto fail;
	close(fd);
	*len = n;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/*
 * Forget the names no socket holds any more: a name lives as long as the
 * bound socket or a connection accepted from it, and all of those are
 * listed, with it, in /proc/net/unix.  A line forged with an abstract
 * name can only keep an entry alive, never drop one.
 */
static void names_gc(void)
{
	struct uname **pp = &names, *e;
	char needle[SUN_PATH_MAX + 2];
	size_t len, n;
	char *buf = read_all("/proc/net/unix", &len);

	if (!buf)
		return;
	while ((e = *pp)) {
		n = snprintf(needle, sizeof(needle), " %s\n", e->host);
		if (memmem(buf, len, needle, n)) {
			pp = &e->next;
			continue;
		}
		*pp = e->next;
		free(e->gpath);
		free(e);
		nnames--;
	}
	free(buf);
	names_gc_at = nnames * 2 > 64 ? nnames * 2 : 64;
}

static void names_add(const char *host, const char *guest, const char *gpath,
		      const struct stat *st)
{
	struct uname *e;

	if (nnames >= names_gc_at)
		names_gc();
	e = calloc(1, sizeof(*e));
	if (!e || !(e->gpath = strdup(gpath))) {
		free(e);
		return;		/* then reported unnamed */
	}
	snprintf(e->host, sizeof(e->host), "%s", host);
	snprintf(e->guest, sizeof(e->guest), "%s", guest);
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->next = names;
	names = e;
	nnames++;
}

/*
 * What the guest sees of an address the host reported: a path becomes the
 * name the guest bound, or the guest path of a host path in the view, or
 * else an unnamed address (unnamed_len: 2 as getname reports it, 0 as
 * recvfrom does).  Anything that is no path is already right.
 */
static void addr_to_guest(struct trap *t, const struct uaddr *h,
			  struct uaddr *g, socklen_t unnamed_len)
{
	char path[SUN_MAX], gpath[PATH_MAX];
	const struct uname *e;
	const char *vis;

	*g = *h;
	if (addr_abstract(g)) {
		abstract_to_guest(g);
		return;
	}
	if (h->len < sizeof(sa_family_t) || h->sa.sa_family != AF_UNIX ||
	    !addr_path(h, path))
		return;
	e = names_find(path);
	if (e) {
		addr_set_path(g, e->guest);
		return;
	}
	if (path[0] == '/' && host_to_guest(path, gpath, sizeof(gpath)) &&
	    (vis = vfs_visible(t->task, gpath)) && strlen(vis) <= SUN_PATH_MAX) {
		addr_set_path(g, vis);
		return;
	}
	memset(&g->ss, 0, sizeof(g->ss));
	g->sun.sun_family = AF_UNIX;
	g->len = unnamed_len;
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
static long name_reopen(const struct uname *e)
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
static long target_open(struct trap *t, const char *path)
{
	const struct uname *e = names_find(path);
	struct vfs_req req;
	struct nameidata nd;
	long ret;

	if (e)
		return name_reopen(e);
	ret = vfs_walk_str(t, AT_FDCWD, path, WALK_FOLLOW, &req, &nd);
	if (!ret)
		ret = sock_file_open(&nd);
	vfs_done(&req, &nd);
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
	for (int i = 0; i < 8; i++) {
		snprintf(tmp, sizeof(tmp), ".umbra-sock-%d-%u", (int)getpid(),
			 ++names_seq);
		addr_proc(&h, nd.dirfd, tmp);
		ret = bind(s->fd, &h.sa, h.len) ? -errno : 0;
		if (ret != -EADDRINUSE)
			break;
	}
	if (ret)
		goto out;
	ret = sock_file_chmod(nd.dirfd, tmp, t->task->fs->umask);
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
		ret = bind(s.fd, &a.sa, a.len) ? -errno : 0;
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
static void send_sigpipe(const struct usock *s, int flags, long ret,
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
