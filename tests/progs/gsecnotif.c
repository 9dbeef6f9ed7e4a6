// SPDX-License-Identifier: GPL-2.0
/*
 * gsecnotif: a guest's own SECCOMP_RET_TRACE and SECCOMP_RET_USER_NOTIF
 * in the corners Linux defines (tests/integration/gsecnotif.sh).  One
 * mode per run; each prints `key=value` lines, the same on the host as
 * inside umbra, and exits 0:
 *
 *   trace_notified   RET_TRACE|data towards a tracer with
 *                    PTRACE_O_TRACESECCOMP: the event's message is the
 *                    data, rax is -ENOSYS at the stop, the tracer skips
 *                    getppid (answer 4242), lets openat run and turns
 *                    newfstatat into getpid
 *   trace_untraced   RET_TRACE with no tracer: ENOSYS
 *   trace_no_option  RET_TRACE with a tracer that did not ask for
 *                    seccomp events: ENOSYS, and no event
 *   notif_a_reg      SECCOMP_RET_USER_NOTIF returned from the A register
 *                    (ld imm; ret A), not from a constant
 *   notif_signal     a signal withdraws a pending notification: the id
 *                    is gone (ENOENT), the call fails with EINTR, or is
 *                    restarted as a new notification with SA_RESTART
 *   notif_close      the last close of the listener fails the waiting
 *                    call and every later one with ENOSYS
 *   addfd            SECCOMP_IOCTL_NOTIF_ADDFD: with FLAG_SEND (the
 *                    call returns the new fd), then a SEND of its
 *                    number, and FLAG_SETFD at fd 77
 *
 * A failed step that leaves nothing to check ends the run with a FAIL
 * line (prog.h's DIE) and a message on stderr; every wait is bounded
 * (poll timeouts, and alarm() as the last net), and children die with
 * their parent (PR_SET_PDEATHSIG) or are killed by it on a failure.
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include "prog.h"

#define WAIT_MS		3000	/* the longest any one step may take */
#define ALARM_S		10	/* the whole run's safety net */

/* The child to kill when the parent gives up, so that nothing is left. */
static pid_t kid;

#define FATAL(...) do {							\
	int e_ = errno;							\
	fprintf(stderr, "gsecnotif: ");					\
	fprintf(stderr, __VA_ARGS__);					\
	fprintf(stderr, " (errno %s)\n", errname(e_));			\
	if (kid > 0)							\
		kill(kid, SIGKILL);					\
	errno = e_;							\
	DIE(__VA_ARGS__);						\
} while (0)

static void on_alarm(int sig)
{
	static const char msg[] = "FAIL gsecnotif: timed out\n";

	ssize_t n;

	if (kid > 0)
		kill(kid, SIGKILL);
	n = write(1, msg, sizeof(msg) - 1);
	n = write(2, msg, sizeof(msg) - 1);
	(void)n;
	_exit(98);
}

/* The net under every wait; a child calls it again (fork clears it). */
static void arm(void)
{
	signal(SIGALRM, on_alarm);
	alarm(ALARM_S);
}

static pid_t fork_child(void)
{
	pid_t c = fork();

	if (c < 0)
		FATAL("fork");
	if (c == 0) {
		/* orphaned by a failed parent: die rather than hang */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		arm();
	}
	return c;
}

/* The result of a raw call as a line's value: the number, or the errno. */
static const char *outcome(long r, int err)
{
	static char buf[32];

	if (r == -1)
		return errname(err);
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

/*
 * Install a filter: each nrs[i] gets acts[i], everything else is allowed.
 * NO_NEW_PRIVS first, so that an unprivileged user may install it too.
 */
static int filter(int n, const int *nrs, const unsigned int *acts,
		  unsigned int flags)
{
	struct sock_filter f[2 * 4 + 2];
	struct sock_fprog p = { .filter = f };
	int len = 0;

	if (n > 4)
		FATAL("filter of %d calls", n);
	f[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
	for (int i = 0; i < n; i++) {
		f[len++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				(unsigned int)nrs[i], 0, 1);
		f[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, acts[i]);
	}
	f[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						SECCOMP_RET_ALLOW);
	p.len = (unsigned short)len;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		FATAL("PR_SET_NO_NEW_PRIVS");
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &p);
}

/*
 * The call the notif_* modes notify: getppid, which umbra answers by
 * notification, or (the _native modes) sched_yield, which the host runs
 * and umbra holds at a ptrace stop.
 */
static int notif_nr = SYS_getppid;

/* A filter with a listener that gets notif_nr; the listener's fd. */
static int getppid_listener(void)
{
	int nr = notif_nr;
	unsigned int act = SECCOMP_RET_USER_NOTIF;
	int lfd = filter(1, &nr, &act, SECCOMP_FILTER_FLAG_NEW_LISTENER);

	if (lfd < 0)
		FATAL("listener filter");
	return lfd;
}

/* Whether fd polls readable within ms milliseconds. */
static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	return r == 1 && (p.revents & POLLIN);
}

/*
 * What a child and its parent tell each other on a stream socketpair,
 * one fixed-size note at a time: 'g' (go, with the round's sa_flags),
 * 'h' (the child's signal handler ran), 'r' (a call's result).
 */
struct note {
	int kind;
	int err;
	long val;
};

static void tell(int s, int kind, long val, int err)
{
	struct note n = { .kind = kind, .err = err, .val = val };

	if (write(s, &n, sizeof(n)) != sizeof(n))
		FATAL("write note '%c'", kind);
}

static struct note hear(int s, int kind, const char *what)
{
	struct note n;
	size_t got = 0;
	ssize_t r;

	while (got < sizeof(n)) {
		if (!readable(s, WAIT_MS))
			FATAL("%s: no note '%c' within %d ms", what, kind,
			      WAIT_MS);
		r = read(s, (char *)&n + got, sizeof(n) - got);
		if (r <= 0)
			FATAL("%s: read note '%c'", what, kind);
		got += (size_t)r;
	}
	if (n.kind != kind)
		FATAL("%s: note '%c', expected '%c'", what, n.kind, kind);
	return n;
}

/* Hand an fd to the other process (SCM_RIGHTS with one byte). */
static void send_fd(int s, int fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec io = { "f", 1 };
	struct msghdr mh = {
		.msg_iov = &io, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};

	memset(&u, 0, sizeof(u));
	u.h.cmsg_level = SOL_SOCKET;
	u.h.cmsg_type = SCM_RIGHTS;
	u.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&u.h), &fd, sizeof(int));
	if (sendmsg(s, &mh, 0) != 1)
		FATAL("sendmsg SCM_RIGHTS");
}

static int recv_fd(int s)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	char byte;
	struct iovec io = { &byte, 1 };
	struct msghdr mh = {
		.msg_iov = &io, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (!readable(s, WAIT_MS))
		FATAL("no fd within %d ms", WAIT_MS);
	if (recvmsg(s, &mh, 0) != 1)
		FATAL("recvmsg SCM_RIGHTS");
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		FATAL("no SCM_RIGHTS");
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The next notification on a listener, waiting at most WAIT_MS for it. */
static struct seccomp_notif next_notif(int lfd, const char *what)
{
	struct seccomp_notif req;

	if (!readable(lfd, WAIT_MS))
		FATAL("%s: no notification within %d ms", what, WAIT_MS);
	memset(&req, 0, sizeof(req));	/* the kernel insists */
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req))
		FATAL("%s: SECCOMP_IOCTL_NOTIF_RECV", what);
	return req;
}

/* Answer a notification with a value: the ioctl's result. */
static int answer(int lfd, __u64 id, long val)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.val = val;
	return ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* Wait for the child (the alarm bounds it); its wait status. */
static int reap(pid_t c)
{
	int st;

	if (waitpid(c, &st, 0) != c)
		FATAL("waitpid");
	kid = 0;
	return st;
}

static const char *status(int st)
{
	static char buf[32];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "%d", WEXITSTATUS(st));
	else
		snprintf(buf, sizeof(buf), "signal %d", WTERMSIG(st));
	return buf;
}

/*
 * The tracee of trace_notified and trace_no_option: traced from before
 * its filter, which sends getppid, openat and newfstatat to the tracer
 * with the data 5, 6 and 7.  Its lines go out in one write at the end:
 * nothing in between may make a filtered call of its own (stdio's first
 * use may fstat, which would be one more event).
 */
static void tracee(bool notified)
{
	int nrs[] = { SYS_getppid, SYS_openat, SYS_newfstatat, SYS_fcntl };
	unsigned int acts[] = { SECCOMP_RET_TRACE | 5, SECCOMP_RET_TRACE | 6,
				SECCOMP_RET_TRACE | 7, SECCOMP_RET_TRACE | 4 };
	char out[256];
	struct stat st;
	int len, e_ppid, e_open, e_stat, p[2];
	long ppid, fd, as_pid, owner = 0;

	if (ptrace(PTRACE_TRACEME, 0, 0, 0) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, p))
		_exit(100);
	raise(SIGSTOP);		/* the tracer sets its options meanwhile */
	if (filter(4, nrs, acts, 0))
		_exit(101);
	/*
	 * A pid in a call that umbra's filters stop for its arguments only
	 * (F_SETOWN): after the tracer's stop it is still the guest's pid,
	 * never the host process with that number.
	 */
	if (notified && !syscall(SYS_fcntl, p[0], F_SETOWN, getpid())) {
		int o = 0;

		/* read back by a call the filter leaves alone (sockets) */
		owner = ioctl(p[0], FIOGETOWN, &o) ? -1 : o;
	}
	ppid = syscall(SYS_getppid);
	e_ppid = errno;
	fd = syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY);
	e_open = errno;
	as_pid = syscall(SYS_newfstatat, AT_FDCWD, "/", &st, 0);
	e_stat = errno;
	if (fd >= 0)
		close((int)fd);
	len = snprintf(out, sizeof(out), "getppid=%s\n", outcome(ppid, e_ppid));
	len += snprintf(out + len, sizeof(out) - len, "openat=%s\n",
			fd >= 0 ? "ok" : errname(e_open));
	if (notified)
		len += snprintf(out + len, sizeof(out) - len,
				"stat_as_getpid=%s\nfsetown=%s\n",
				as_pid == getpid() ? "ok" :
				outcome(as_pid, e_stat),
				owner == getpid() ? "ok" : "wrong");
	if (write(1, out, (size_t)len) != len)
		_exit(102);
	_exit(0);
}

/*
 * The tracer: with PTRACE_O_TRACESECCOMP (notified) each RET_TRACE is a
 * PTRACE_EVENT_SECCOMP stop whose message is the filter's data; at the
 * stop the call has not run, and rax holds -ENOSYS as at any syscall
 * entry.  Without the option there is no stop at all.
 */
static int trace(bool notified)
{
	struct user_regs_struct r;
	unsigned long msg;
	int st, events[8] = { 0 }, total = 0;
	long long bad_rax = 0;
	bool rax_ok = true;

	kid = fork_child();
	if (kid == 0)
		tracee(notified);
	if (waitpid(kid, &st, 0) != kid || !WIFSTOPPED(st) ||
	    WSTOPSIG(st) != SIGSTOP)
		FATAL("tracee did not stop (status %#x)", st);
	/* EXITKILL either way: a failed tracer leaves no tracee behind */
	if (ptrace(PTRACE_SETOPTIONS, kid, 0, PTRACE_O_EXITKILL |
		   (notified ? PTRACE_O_TRACESECCOMP : 0)))
		FATAL("PTRACE_SETOPTIONS");
	for (int sig = 0;;) {
		if (ptrace(PTRACE_CONT, kid, 0, sig))
			FATAL("PTRACE_CONT");
		sig = 0;
		if (waitpid(kid, &st, 0) != kid)
			FATAL("waitpid tracee");
		if (!WIFSTOPPED(st))
			break;
		if (st >> 8 != (SIGTRAP | PTRACE_EVENT_SECCOMP << 8)) {
			sig = WSTOPSIG(st);	/* a signal of its own: pass it */
			continue;
		}
		if (ptrace(PTRACE_GETEVENTMSG, kid, 0, &msg) ||
		    ptrace(PTRACE_GETREGS, kid, 0, &r))
			FATAL("GETEVENTMSG/GETREGS");
		total++;
		if ((long long)r.rax != -ENOSYS) {
			rax_ok = false;
			bad_rax = (long long)r.rax;
		}
		if (msg == 5 && r.orig_rax == SYS_getppid) {
			r.orig_rax = -1;	/* skipped: rax is the result */
			r.rax = 4242;
		} else if (msg == 7 && r.orig_rax == SYS_newfstatat) {
			r.orig_rax = SYS_getpid; /* another call, filtered again */
		} else if (msg == 4 && r.orig_rax == SYS_fcntl) {
			/* runs as it is */
		} else if (msg != 6 || r.orig_rax != SYS_openat) {
			FATAL("event data %lu with call %llu", msg, r.orig_rax);
		}
		events[msg]++;
		/* openat (6) and fcntl (4) run as they are */
		if (msg != 6 && msg != 4 && ptrace(PTRACE_SETREGS, kid, 0, &r))
			FATAL("PTRACE_SETREGS");
	}
	if (notified) {
		OUT("events_5=%d", events[5]);
		OUT("events_6=%d", events[6]);
		OUT("events_7=%d", events[7]);
		if (rax_ok)
			OUT("rax_at_stop=-ENOSYS");
		else
			OUT("rax_at_stop=%lld", bad_rax);
	} else {
		OUT("events=%d", total);
	}
	OUT("exit=%s", status(st));
	kid = 0;
	return 0;
}

/* RET_TRACE with nobody tracing: the call fails with ENOSYS. */
static int trace_untraced(void)
{
	int nrs[] = { SYS_getppid, SYS_openat };
	unsigned int acts[] = { SECCOMP_RET_TRACE | 1, SECCOMP_RET_TRACE | 2 };
	long r;

	kid = fork_child();
	if (kid == 0) {
		if (filter(2, nrs, acts, 0))
			FATAL("filter");
		r = syscall(SYS_getppid);
		OUT("getppid=%s", outcome(r, errno));
		r = syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY);
		OUT("openat=%s", r >= 0 ? "ok" : errname(errno));
		OUT("getpid=%s", syscall(SYS_getpid) == getpid() ? "ok" : "wrong");
		_exit(0);
	}
	OUT("exit=%s", status(reap(kid)));
	return 0;
}

/*
 * exec_traced: filters live on across execve, and an exec is the
 * kernel's work, which no filter sees: with RET_TRACE (and no tracer) on
 * openat and prctl, a static program still starts, and its own openat
 * still fails with ENOSYS.  (umbra's loader opens and maps the program
 * with such calls: they must not count as the guest's.)
 */
static int exec_traced(void)
{
	int nrs[] = { SYS_openat, SYS_prctl };
	unsigned int acts[] = { SECCOMP_RET_TRACE | 1, SECCOMP_RET_TRACE | 2 };

	kid = fork_child();
	if (kid == 0) {
		if (filter(2, nrs, acts, 0))
			FATAL("filter");
		execl("/bin/busybox", "busybox", "sh", "-c",
		      "echo started; cat /dev/null || echo cat=failed", NULL);
		FATAL("execl /bin/busybox: %s", errname(errno));
	}
	OUT("exit=%s", status(reap(kid)));
	return 0;
}

/*
 * notif_a_reg: the action comes from the A register (ld imm; ret A), as
 * a filter compiled from a table might do; a supervisor thread answers
 * getppid with 4242 and lets sched_yield run (CONTINUE).
 */
static int a_reg_fd = -1;

static void *a_reg_supervise(void *arg)
{
	struct seccomp_notif_resp resp;
	long n = 0;

	for (int i = 0; i < 2; i++) {
		struct seccomp_notif req = next_notif(a_reg_fd, "supervisor");

		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (req.data.nr == SYS_getppid)
			resp.val = 4242;
		else
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(a_reg_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp))
			FATAL("SECCOMP_IOCTL_NOTIF_SEND");
		n++;
	}
	return (void *)n;
}

static int notif_a_reg(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sched_yield, 0, 2),
		BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_A, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = 6, .filter = f };
	pthread_t th;
	void *n;
	long r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		FATAL("PR_SET_NO_NEW_PRIVS");
	a_reg_fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_NEW_LISTENER, &p);
	if (a_reg_fd < 0)
		FATAL("listener filter with ret A");
	if (pthread_create(&th, NULL, a_reg_supervise, NULL))
		FATAL("pthread_create");
	r = syscall(SYS_getppid);
	OUT("getppid=%s", outcome(r, errno));
	r = syscall(SYS_sched_yield);
	OUT("sched_yield=%s", outcome(r, errno));
	pthread_join(th, &n);
	OUT("notifications=%ld", (long)n);
	return 0;
}

/*
 * notif_signal: C's getppid goes to a listener held by its parent P.
 * Three rounds, each begun by P's 'g' note carrying C's sa_flags for
 * SIGUSR1; C's handler tells P it ran ('h'), by which time the kernel
 * has withdrawn the notification the signal interrupted.
 */
static int sig_sock = -1;

static void on_usr1(int sig)
{
	struct note n = { .kind = 'h' };
	int e = errno;

	if (write(sig_sock, &n, sizeof(n)) != sizeof(n))
		_exit(97);
	errno = e;
}

static void signal_child(void)
{
	int lfd = getppid_listener();
	struct sigaction sa = { .sa_handler = on_usr1 };
	long r;

	send_fd(sig_sock, lfd);
	close(lfd);		/* C is no supervisor of its own */
	for (int round = 0; round < 3; round++) {
		sa.sa_flags = (int)hear(sig_sock, 'g', "child").val;
		if (sigaction(SIGUSR1, &sa, NULL))
			FATAL("sigaction");
		errno = 0;
		r = syscall(notif_nr);
		tell(sig_sock, 'r', r, r == -1 ? errno : 0);
	}
	_exit(0);
}

static int notif_signal(void)
{
	struct seccomp_notif req, again;
	struct note got;
	int sv[2], lfd, s;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		FATAL("socketpair");
	kid = fork_child();
	if (kid == 0) {
		close(sv[0]);
		sig_sock = sv[1];
		signal_child();
	}
	close(sv[1]);
	s = sv[0];
	lfd = recv_fd(s);

	/* 1: received, then signalled, no SA_RESTART: withdrawn, EINTR */
	tell(s, 'g', 0, 0);
	req = next_notif(lfd, "round 1");
	if (req.data.nr != notif_nr)
		FATAL("notification of call %d", req.data.nr);
	if (kill(kid, SIGUSR1))
		FATAL("kill");
	hear(s, 'h', "round 1, signal after NOTIF_RECV");
	OUT("id_valid_after_signal=%s",
	    res(ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id)));
	OUT("send_after_signal=%s", res(answer(lfd, req.id, 4242)));
	got = hear(s, 'r', "round 1");
	OUT("no_restart=%s", outcome(got.val, got.err));

	/* 2: the same with SA_RESTART: the call comes again, a new id */
	tell(s, 'g', SA_RESTART, 0);
	req = next_notif(lfd, "round 2");
	if (kill(kid, SIGUSR1))
		FATAL("kill");
	hear(s, 'h', "round 2, signal after NOTIF_RECV");
	again = next_notif(lfd, "round 2, the restarted call");
	OUT("restart_new_id=%s", again.id != req.id &&
	    again.data.nr == notif_nr ? "yes" : "no");
	if (answer(lfd, again.id, 4242))
		FATAL("SECCOMP_IOCTL_NOTIF_SEND");
	got = hear(s, 'r', "round 2");
	OUT("restarted=%s", outcome(got.val, got.err));

	/* 3: signalled while the notification is still unreceived */
	tell(s, 'g', SA_RESTART, 0);
	if (!readable(lfd, WAIT_MS))
		FATAL("no notification pending");
	if (kill(kid, SIGUSR1))
		FATAL("kill");
	hear(s, 'h', "round 3, signal before NOTIF_RECV");
	req = next_notif(lfd, "round 3, the restarted call");
	if (answer(lfd, req.id, 4242))
		FATAL("SECCOMP_IOCTL_NOTIF_SEND");
	got = hear(s, 'r', "round 3");
	OUT("signal_before_recv=%s", outcome(got.val, got.err));

	OUT("exit=%s", status(reap(kid)));
	close(lfd);
	close(s);
	return 0;
}

/*
 * notif_close: C blocks in getppid on a listener only its parent holds;
 * the parent's close is the last, and detaches the filter's notifier:
 * the waiting call fails with ENOSYS, and so does every later one.
 * received: the parent has taken the notification with NOTIF_RECV first.
 */
static int close_round(bool received, const char *key, bool after)
{
	struct note got;
	int sv[2], lfd, s;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		FATAL("socketpair");
	kid = fork_child();
	if (kid == 0) {
		long r;

		close(sv[0]);
		lfd = getppid_listener();
		send_fd(sv[1], lfd);
		close(lfd);	/* the parent's copy is the only one left */
		for (int i = 0; i < 2; i++) {
			errno = 0;
			r = syscall(notif_nr);
			tell(sv[1], 'r', r, r == -1 ? errno : 0);
		}
		_exit(0);
	}
	close(sv[1]);
	s = sv[0];
	lfd = recv_fd(s);
	if (received)
		next_notif(lfd, key);
	else if (!readable(lfd, WAIT_MS))
		FATAL("no notification pending");
	close(lfd);
	got = hear(s, 'r', key);
	OUT("%s=%s", key, outcome(got.val, got.err));
	got = hear(s, 'r', "the call after the close");
	if (after)
		OUT("after_close=%s", outcome(got.val, got.err));
	close(s);
	return reap(kid);
}

static int notif_close(void)
{
	int st = close_round(false, "pending_then_close", true);
	int st2 = close_round(true, "received_then_close", false);

	/* one exit line: the first child's status unless it was 0 */
	OUT("exit=%s", status(st ? st : st2));
	return 0;
}

/*
 * addfd: a supervisor thread answers with the read end of a pipe put
 * into the notified task's table (here its own process: the same table,
 * which ADDFD must still fill as the target's).  Each case writes its own
 * byte into the pipe first, which the new fd must read; the thread tells
 * the ioctl's result on a second pipe for comparison with the call's.
 */
enum { SEND_YIELD, SEND_GETPPID, THEN_SEND, SETFD77, NCASES };

static const int addfd_nr[NCASES] = {
	SYS_sched_yield, SYS_getppid, SYS_getppid, SYS_getppid,
};
static const char *const addfd_key[NCASES] = {
	"yield_addfd_send", "getppid_addfd_send",
	"getppid_addfd_then_send", "setfd77",
};
static int data_pipe[2], report_pipe[2], go_pipe[2];

static void *addfd_supervise(void *arg)
{
	struct seccomp_notif_addfd add;
	int lfd, ret;

	if (!readable(go_pipe[0], WAIT_MS) ||
	    read(go_pipe[0], &lfd, sizeof(lfd)) != sizeof(lfd))
		FATAL("no listener for the supervisor");
	for (int c = 0; c < NCASES; c++) {
		struct seccomp_notif req = next_notif(lfd, addfd_key[c]);
		char byte = (char)('a' + c);

		if (req.data.nr != addfd_nr[c])
			FATAL("case %d: call %d", c, req.data.nr);
		if (write(data_pipe[1], &byte, 1) != 1)
			FATAL("write pipe");
		memset(&add, 0, sizeof(add));
		add.id = req.id;
		add.srcfd = (__u32)data_pipe[0];
		add.flags = c == THEN_SEND ? 0 : SECCOMP_ADDFD_FLAG_SEND;
		if (c == SETFD77) {
			add.flags |= SECCOMP_ADDFD_FLAG_SETFD;
			add.newfd = 77;
			add.newfd_flags = O_CLOEXEC;
		}
		ret = ioctl(lfd, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
		if (ret < 0) {
			struct seccomp_notif_resp resp = {
				.id = req.id, .error = -errno,
			};

			/*
			 * Linux leaves the call waiting after a failed
			 * ADDFD: end it with the errno, so that the line
			 * says so, and take the case's byte back, so that
			 * the next case reads its own.
			 */
			ret = -errno;
			ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			if (read(data_pipe[0], &byte, 1) != 1)
				FATAL("drain pipe");
		} else if (c == THEN_SEND && answer(lfd, req.id, ret))
			FATAL("SECCOMP_IOCTL_NOTIF_SEND of fd %d", ret);
		if (write(report_pipe[1], &ret, sizeof(ret)) != sizeof(ret))
			FATAL("write report");
	}
	return NULL;
}

/* The call's result: an fd of the FIFO, reading the case's byte. */
static const char *addfd_check(int c, long r, int err)
{
	static char why[64];
	struct stat st;
	char byte;
	int ret;

	if (!readable(report_pipe[0], WAIT_MS) ||
	    read(report_pipe[0], &ret, sizeof(ret)) != sizeof(ret))
		FATAL("no report from the supervisor");
	if (ret < 0) {
		snprintf(why, sizeof(why), "ioctl_%s", errname(-ret));
		return why;
	}
	if (r < 0) {
		snprintf(why, sizeof(why), "call_%s", errname(err));
		return why;
	}
	if (r != ret)
		return "not_the_ioctls_fd";
	if (fstat((int)r, &st) || !S_ISFIFO(st.st_mode))
		return "not_a_fifo";
	if (!readable((int)r, WAIT_MS) || read((int)r, &byte, 1) != 1 ||
	    byte != 'a' + c)
		return "not_the_pipe";
	if (c == SETFD77 && (r != 77 || fcntl(77, F_GETFD) != FD_CLOEXEC))
		return "not_77_cloexec";
	close((int)r);
	return "ok";
}

static int addfd(void)
{
	int nrs[] = { SYS_sched_yield, SYS_getppid };
	unsigned int acts[] = { SECCOMP_RET_USER_NOTIF, SECCOMP_RET_USER_NOTIF };
	pthread_t th;
	int lfd;

	if (pipe(data_pipe) || pipe(report_pipe) || pipe(go_pipe))
		FATAL("pipe");
	/* made before the filter, so the supervisor is outside it */
	if (pthread_create(&th, NULL, addfd_supervise, NULL))
		FATAL("pthread_create");
	lfd = filter(2, nrs, acts, SECCOMP_FILTER_FLAG_NEW_LISTENER);
	if (lfd < 0)
		FATAL("listener filter");
	if (write(go_pipe[1], &lfd, sizeof(lfd)) != sizeof(lfd))
		FATAL("write go");
	for (int c = 0; c < NCASES; c++) {
		long r;

		errno = 0;
		r = syscall(addfd_nr[c]);
		OUT("%s=%s", addfd_key[c], addfd_check(c, r, errno));
	}
	pthread_join(th, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} modes[] = {
		{ "trace_untraced", trace_untraced },
		{ "exec_traced", exec_traced },
		{ "notif_a_reg", notif_a_reg },
		{ "notif_signal", notif_signal },
		{ "notif_close", notif_close },
		{ "addfd", addfd },
	};

	setvbuf(stdout, NULL, _IONBF, 0);
	arm();
	if (argc != 2)
		FATAL("usage: gsecnotif MODE");
	if (!strcmp(argv[1], "trace_notified"))
		return trace(true);
	if (!strcmp(argv[1], "trace_no_option"))
		return trace(false);
	if (!strcmp(argv[1], "notif_signal_native") ||
	    !strcmp(argv[1], "notif_close_native")) {
		notif_nr = SYS_sched_yield;
		argv[1][strlen(argv[1]) - strlen("_native")] = '\0';
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name))
			return modes[i].fn();
	FATAL("unknown mode %s", argv[1]);
}
