// SPDX-License-Identifier: GPL-2.0
/*
 * signalfd reads in guest terms.  A signal the monitor sends carries the
 * guest sender already (kernel/signal.c), but the host's own signals do
 * not: the SIGCHLD of a child's stop or continue, and any signal from a
 * process outside the guest, carry host pids (Linux: 0 for a sender
 * outside the pid namespace).  A reader of a signalfd takes them with a
 * plain read(2), which stays native for every other fd.
 *
 * So each signalfd the guest creates, and each dup of one, gets a filter
 * of its process's own: the creating call's exit has the guest make a
 * seccomp(2) call (trap.inject_nr), with TSYNC, adding a filter that makes
 * read, readv, pread64, preadv, preadv2 and the dups of that fd number
 * stop.  A read that stops on a signalfd runs natively and its records are
 * rewritten at exit: a child's pid for SIGCHLD, and the sender of SI_USER
 * and SI_TKILL (which the monitor never sends: it sends SI_QUEUE), become
 * the guest's, 0 for a process outside the guest.
 *
 * Differs from Linux: an SI_QUEUE record from a host process keeps its
 * host sender (the monitor's own are the guest's already); a signalfd
 * passed to another process (SCM_RIGHTS) or inherited by a process that
 * existed before it was made reads untranslated there; a sibling reading
 * the buffer before the exit rewrite, or rewriting the filter before the
 * host copies it, sees host numbers (which name nothing the guest can
 * reach); after a watched number is closed and reused, reads of the new
 * file stop for nothing (the check finds no signalfd).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define READ_MAX	(64 << 10)	/* records rewritten per read */
#define IOV_MAX_	1024

static const int watched_calls[] = {
	__NR_read, __NR_readv, __NR_pread64, __NR_preadv, __NR_preadv2,
	__NR_dup, __NR_dup2, __NR_dup3, __NR_fcntl,
};
#define NCALLS	(int)(sizeof(watched_calls) / sizeof(watched_calls[0]))
#define NINSNS	(NCALLS + 6)	/* ld, the jumps, allow, ld, jeq, trace, allow */

/* One of those calls naming fd: SECCOMP_RET_TRACE; anything else passes. */
static void watch_prog_fill(struct sock_filter *f, int fd)
{
	int k = 0;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				offsetof(struct seccomp_data, nr));
	for (int i = 0; i < NCALLS; i++, k++)
		f[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				watched_calls[i], (uint8_t)(NCALLS - i), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
				offsetof(struct seccomp_data, args[0]));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					      (uint32_t)fd, 0, 1);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_TRACE);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ALLOW);
}

/* At a call's exit: have the guest add the filter watching fd. */
static void watch_fd(struct trap *t, int fd)
{
	struct sock_filter f[NINSNS];

	watch_prog_fill(f, fd);
	if (!guest_filter_args(t, f, NINSNS, t->inject_args))
		t->inject_nr = __NR_seccomp;
}

/* Is the guest's fd a signalfd?  Asked of the monitor's copy of it. */
static bool is_signalfd(struct trap *t, int fd)
{
	char what[64];
	int hfd = fd_take(t->task, fd);
	bool yes;

	if (hfd < 0)
		return false;
	yes = host_fd_path(hfd, what, sizeof(what)) > 0 &&
	      !strcmp(what, "anon_inode:[signalfd]");
	close(hfd);
	return yes;
}

/*
 * A number watched already needs no second filter (each filter costs
 * every later call of the process a few instructions): a closed signalfd
 * and its successor usually share the number.
 */
static void created(struct trap *t, long *result)
{
	uint64_t *w = t->task->leader->sfd_watched;
	long fd = *result;

	if (fd < 0 || t->source != TRAP_PTRACE)
		return;
	if (fd < 1024 && (w[fd / 64] >> (fd % 64)) & 1)
		return;
	watch_fd(t, (int)fd);
	if (fd < 1024 && t->inject_nr)
		w[fd / 64] |= 1ULL << (fd % 64);
}

/* A new signalfd (fd -1) is watched; a new mask for one changes nothing. */
long sys_signalfd4(struct trap *t)
{
	return (int)t->args[0] == -1 ? trap_native_then(t, created) :
				       trap_native(t);
}

long sys_signalfd(struct trap *t)
{
	return sys_signalfd4(t);
}

static void duped(struct trap *t, long *result)
{
	if (*result >= 0 && *result != (long)(int)t->args[0])
		created(t, result);
}

/* dup, dup2, dup3, fcntl F_DUPFD*: the copy of a signalfd is watched too. */
long signalfd_dup(struct trap *t)
{
	return is_signalfd(t, (int)t->args[0]) ? trap_native_then(t, duped) :
						 trap_native(t);
}

long sys_dup(struct trap *t) { return signalfd_dup(t); }
long sys_dup2(struct trap *t) { return signalfd_dup(t); }
long sys_dup3(struct trap *t) { return signalfd_dup(t); }

/* Host terms to guest terms, record by record (see the header). */
static void fix_records(unsigned char *buf, size_t n)
{
	for (size_t off = 0; off + sizeof(struct signalfd_siginfo) <= n;
	     off += sizeof(struct signalfd_siginfo)) {
		struct signalfd_siginfo *r = (void *)(buf + off);
		int code, status;

		if (r->ssi_signo == SIGCHLD && r->ssi_code == SI_QUEUE &&
		    signal_chld_value(r->ssi_ptr, &code, &status)) {
			/* the monitor's: pid in guest terms already */
			r->ssi_code = code;
			r->ssi_status = status;
			r->ssi_ptr = 0;
			r->ssi_int = 0;
			continue;
		}
		if ((r->ssi_signo == SIGCHLD && r->ssi_code > 0) ||
		    r->ssi_code == SI_USER || r->ssi_code == SI_TKILL)
			r->ssi_pid = (uint32_t)pid_to_guest_recent(
						(pid_t)r->ssi_pid);
	}
}

static void read_exit(struct trap *t, long *result)
{
	static unsigned char buf[READ_MAX];
	size_t n = *result < READ_MAX ? (size_t)*result : READ_MAX;

	if (*result <= 0 || guest_read(t->task, t->orig_args[1], buf, n))
		return;
	fix_records(buf, n);
	guest_write(t->task, t->orig_args[1], buf, n);
}

/* The iovecs of readv and friends, gathered, fixed and put back. */
static void readv_exit(struct trap *t, long *result)
{
	static unsigned char buf[READ_MAX];
	static struct iovec iov[IOV_MAX_];
	size_t cnt = t->orig_args[2] < IOV_MAX_ ? t->orig_args[2] : IOV_MAX_;
	size_t want = *result < READ_MAX ? (size_t)*result : READ_MAX, got = 0;

	if (*result <= 0 || guest_read(t->task, t->orig_args[1], iov,
				       cnt * sizeof(iov[0])))
		return;
	for (size_t i = 0; i < cnt && got < want; i++) {
		size_t l = iov[i].iov_len < want - got ? iov[i].iov_len :
							 want - got;

		if (guest_read(t->task, (uint64_t)iov[i].iov_base, buf + got, l))
			return;
		got += l;
	}
	fix_records(buf, got);
	got = 0;
	for (size_t i = 0; i < cnt && got < want; i++) {
		size_t l = iov[i].iov_len < want - got ? iov[i].iov_len :
							 want - got;

		guest_write(t->task, (uint64_t)iov[i].iov_base, buf + got, l);
		got += l;
	}
}

static long read_call(struct trap *t, void (*fn)(struct trap *, long *))
{
	return is_signalfd(t, (int)t->args[0]) ? trap_native_then(t, fn) :
						 trap_native(t);
}

long sys_read(struct trap *t) { return read_call(t, read_exit); }
long sys_pread64(struct trap *t) { return read_call(t, read_exit); }
long sys_readv(struct trap *t) { return read_call(t, readv_exit); }
long sys_preadv(struct trap *t) { return read_call(t, readv_exit); }
long sys_preadv2(struct trap *t) { return read_call(t, readv_exit); }
