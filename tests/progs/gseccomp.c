// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's own seccomp filters, above umbra's, for ptrace.sh: each
 * action a program uses, and SECCOMP_RET_TRACE towards a guest tracer.
 * Prints key=value lines; exits non-zero on a broken promise.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <pthread.h>
#include <ucontext.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIE(...) do { printf(__VA_ARGS__); printf("\n"); exit(1); } while (0)

/* nr -> action, everything else allowed */
static int filter(int nr, unsigned int action)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = 4, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p);
}

static volatile int trapped_nr = -1;

/* Chrome's way: the SIGSYS handler answers the call itself (rax). */
static void on_sys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	trapped_nr = si->si_syscall;
	if (si->si_syscall == SYS_getpgrp && si->si_errno == 5)
		uc->uc_mcontext.gregs[REG_RAX] = 4242;
}

/* A thread made before the filter: getppid once the filter is there. */
static void *thread_getppid(void *arg)
{
	volatile int *go = arg;

	while (!*go)
		usleep(1000);
	return (void *)(long)(syscall(SYS_getppid) == -1 ? errno : 0);
}

/* Run fn in a child; its wait status. */
static int in_child(void (*fn)(void))
{
	int st;
	pid_t c = fork();

	if (c == 0) {
		fn();
		_exit(0);
	}
	waitpid(c, &st, 0);
	return st;
}

static void actions(void)
{
	struct sigaction sa = { .sa_sigaction = on_sys, .sa_flags = SA_SIGINFO };
	long r;

	printf("mode_before=%d\n", prctl(PR_GET_SECCOMP));
	if (filter(SYS_getppid, SECCOMP_RET_ERRNO | 42) ||
	    filter(SYS_getpgrp, SECCOMP_RET_TRAP | 5) ||
	    filter(SYS_sched_yield, SECCOMP_RET_TRACE | 7) ||
	    filter(SYS_getuid, SECCOMP_RET_LOG))
		DIE("filter: %s", strerror(errno));
	printf("mode_after=%d\n", prctl(PR_GET_SECCOMP));
	r = syscall(SYS_getppid);
	printf("errno_action=%s\n", r == -1 && errno == 42 ? "ok" : "wrong");
	sigaction(SIGSYS, &sa, NULL);
	r = syscall(SYS_getpgrp);
	printf("trap_action=%s\n", trapped_nr == SYS_getpgrp && r == 4242 ?
	       "ok" : "wrong");
	r = syscall(SYS_sched_yield);
	printf("trace_untraced=%s\n", r == -1 && errno == ENOSYS ? "ENOSYS" : "wrong");
	printf("log_action=%s\n", syscall(SYS_getuid) >= 0 ? "ok" : "wrong");
	printf("getpid_still=%s\n", syscall(SYS_getpid) == getpid() ? "ok" : "wrong");
}

/* systemd's way: TSYNC puts the filter on every thread at once. */
static void tsync(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 7),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = 4, .filter = f };
	static volatile int go;
	pthread_t th;
	void *ret;

	pthread_create(&th, NULL, thread_getppid, (void *)&go);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &p))
		_exit(2);
	go = 1;
	pthread_join(th, &ret);
	_exit((long)ret == 7 ? 0 : 3);
}

static void killed(void)
{
	filter(SYS_getppid, SECCOMP_RET_KILL_PROCESS);
	syscall(SYS_getppid);
	_exit(0);
}

static void strict(void)
{
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
		_exit(9);
	if (write(1, "strict_write=ok\n", 16) != 16)
		syscall(SYS_exit, 8);
	syscall(SYS_getpid);
	syscall(SYS_exit, 0);
}

/*
 * Traced: RET_TRACE towards the tracer, which sees PTRACE_EVENT_SECCOMP
 * with the filter's data; kill(2) with a signal is one of umbra's own
 * emulated calls, and must still be emulated after the tracer (its guest
 * pid natively names another process).  sched_yield the tracer skips.
 */
static void traced_body(void)
{
	if (ptrace(PTRACE_TRACEME, 0, 0, 0))
		_exit(100);
	raise(SIGSTOP);
	signal(SIGWINCH, SIG_IGN);
	if (filter(SYS_kill, SECCOMP_RET_TRACE | 9) ||
	    filter(SYS_sched_yield, SECCOMP_RET_TRACE | 11))
		_exit(101);
	if (syscall(SYS_kill, getpid(), SIGWINCH))
		_exit(102);		/* the guest pid: emulated still */
	if (syscall(SYS_sched_yield) != 77)
		_exit(103);		/* the tracer skipped it */
	_exit(0);
}

static int traced(void)
{
	struct user_regs_struct r;
	unsigned long msg;
	pid_t c = fork();
	int st, events = 0;

	if (c == 0)
		traced_body();
	waitpid(c, &st, 0);
	ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESECCOMP);
	for (;;) {
		ptrace(PTRACE_CONT, c, 0, 0);
		if (waitpid(c, &st, 0) != c || !WIFSTOPPED(st))
			break;
		if (st >> 8 != (SIGTRAP | PTRACE_EVENT_SECCOMP << 8))
			continue;
		ptrace(PTRACE_GETEVENTMSG, c, 0, &msg);
		ptrace(PTRACE_GETREGS, c, 0, &r);
		events++;
		if (msg == 11 && r.orig_rax == SYS_sched_yield) {
			r.orig_rax = -1;	/* skip it, answer 77 */
			r.rax = 77;
			ptrace(PTRACE_SETREGS, c, 0, &r);
		} else if (msg != 9 || r.orig_rax != SYS_kill) {
			DIE("event data %lu nr %llu", msg, r.orig_rax);
		}
	}
	printf("trace_events=%d\n", events);
	printf("traced_exit=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

/*
 * A listener of the guest's own: getppid (a call umbra answers by user
 * notification) gets the supervisor's value, sched_yield (one the host
 * runs) goes on with CONTINUE; the fd polls readable; a child inherits
 * the filter; an answered id is no longer valid.
 */
static int listener_fd = -1;

static void *supervise(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct pollfd pfd = { .fd = listener_fd, .events = POLLIN };
	long n = (long)arg;

	for (long i = 0; i < n; i++) {
		if (poll(&pfd, 1, 5000) != 1 || !(pfd.revents & POLLIN))
			printf("poll=wrong\n");
		memset(&req, 0, sizeof(req));
		if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_RECV, &req))
			DIE("recv: %s", strerror(errno));
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (req.data.nr == SYS_getppid)
			resp.val = 4242;
		else
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id))
			printf("id_valid=wrong\n");
		if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp))
			DIE("send: %s", strerror(errno));
		if (!ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id))
			printf("id_after=wrong\n");
	}
	return NULL;
}

static int listener(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sched_yield, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = 5, .filter = f };
	pthread_t th;
	pid_t c;
	int st;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	listener_fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, &p);
	printf("listener=%s\n", listener_fd >= 0 ? "ok" : strerror(errno));
	if (listener_fd < 0)
		return 1;
	printf("cloexec=%s\n", fcntl(listener_fd, F_GETFD) & FD_CLOEXEC ?
	       "ok" : "wrong");
	pthread_create(&th, NULL, supervise, (void *)3L);
	printf("getppid=%ld\n", syscall(SYS_getppid));
	printf("sched_yield=%ld\n", syscall(SYS_sched_yield));
	c = fork();
	if (c == 0)
		_exit(syscall(SYS_getppid) == 4242 ? 0 : 1);
	waitpid(c, &st, 0);
	printf("child_inherits=%s\n", WIFEXITED(st) && !WEXITSTATUS(st) ?
	       "ok" : "wrong");
	pthread_join(th, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "traced"))
		return traced();
	if (argc > 1 && !strcmp(argv[1], "listener"))
		return listener();
	{
		unsigned int acts[] = { SECCOMP_RET_KILL_PROCESS,
			SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO,
			SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE,
			SECCOMP_RET_LOG, SECCOMP_RET_ALLOW }, bad = 0x12340000;
		bool all = true;

		for (int i = 0; i < 7; i++)
			all &= !syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL,
					0, &acts[i]);
		all &= syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0,
			       &bad) == -1 && errno == EOPNOTSUPP;
		printf("action_avail=%s\n", all ? "ok" : "wrong");
	}
	st = in_child(killed);
	printf("kill_action=%s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS ?
	       "SIGSYS" : "wrong");
	st = in_child(tsync);
	printf("tsync=%s\n", WIFEXITED(st) && !WEXITSTATUS(st) ? "ok" : "wrong");
	st = in_child(strict);
	printf("strict_end=%s\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ?
	       "SIGKILL" : "wrong");
	actions();
	return 0;
}
