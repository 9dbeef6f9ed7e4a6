// SPDX-License-Identifier: GPL-2.0
/*
 * SCM_CREDENTIALS as a receiver reads them: the host writes the sender's
 * host pid into the control message of a recvmsg or recvmmsg, and the
 * guest must read its guest pid (0 for a sender outside the guest, as
 * for one outside a pid namespace).
 *
 * The host attaches credentials only for a receiving socket with
 * SO_PASSCRED, which a guest sets with setsockopt (the second filter
 * stops that option).  recvmsg and recvmmsg stay native, and cost nothing,
 * in every process but one that has asked for SO_PASSCRED: there, the
 * first such setsockopt is turned into a seccomp(2) call of the guest's
 * own that adds a filter making recvmsg and recvmmsg stop (for all its
 * threads, TSYNC, and its children after, who inherit it), and the
 * setsockopt is then made again as the guest asked.  Each call of such a
 * process runs natively and its control buffers are rewritten at exit,
 * before the caller sees them.
 *
 * Differs from Linux: another thread of the receiver reading the control
 * buffer while the call returns may see the host's number for the moment
 * before the exit stop rewrites it, and a sibling rewriting the filter
 * below the stack before the host copies it keeps its process's
 * credentials untranslated (the numbers name nothing the guest can reach:
 * every pid from the guest is translated).  A process that was given a
 * socket with SO_PASSCRED by another (inherited before the option was
 * set, or by SCM_RIGHTS) and never set it itself reads host pids.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define CONTROL_MAX	(64 << 10)	/* more is read by no one in practice */
#define MMSG_MAX	1024		/* UIO_MAXIOV: the host's cap on vlen */

/* recvmsg and recvmmsg stop (SECCOMP_RET_TRACE); the rest is allowed. */
static const struct sock_filter recv_trap[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_recvmsg, 2, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_recvmmsg, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),	/* umbra's mark added */
};

/*
 * Whatever the filter's install gave, the process is marked: a failure
 * (a thread that cannot take the filter) is not tried again at every
 * setsockopt.  The guest's own call follows (restart_nr).
 */
static void trap_installed(struct trap *t, long *result)
{
	t->task->leader->scm_trap = true;
}

/*
 * setsockopt(SOL_SOCKET, SO_PASSCRED, ...): 1 when the call has become
 * the install of the filter (handled), 0 to let it go on natively.
 */
long scm_passcred_set(struct trap *t)
{
	uint64_t a[3];

	if (t->task->leader->scm_trap || t->source != TRAP_PTRACE ||
	    guest_filter_args(t, recv_trap, sizeof(recv_trap) /
			      sizeof(recv_trap[0]), a))
		return 0;
	t->restart_nr = t->nr;
	t->nr = __NR_seccomp;
	t->nr_changed = true;
	for (int i = 0; i < 3; i++)
		trap_set_arg(t, i, a[i]);
	trap_native_then(t, trap_installed);
	return 1;
}

/* Rewrite the pids of the SCM_CREDENTIALS in one received control buffer. */
static void fix_control(struct task *task, const struct msghdr *mh)
{
	static unsigned char buf[CONTROL_MAX];
	size_t len = mh->msg_controllen < CONTROL_MAX ? mh->msg_controllen :
		     CONTROL_MAX;
	struct msghdr m = { .msg_control = buf, .msg_controllen = len };
	struct cmsghdr *c;

	if (!mh->msg_control || !len ||
	    guest_read(task, (uint64_t)mh->msg_control, buf, len))
		return;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct ucred uc;
		size_t off = (unsigned char *)CMSG_DATA(c) - buf;

		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SCM_CREDENTIALS ||
		    c->cmsg_len < CMSG_LEN(sizeof(uc)) ||
		    off + sizeof(uc) > len)
			continue;
		memcpy(&uc, CMSG_DATA(c), sizeof(uc));
		uc.pid = pid_to_guest_recent(uc.pid);
		guest_write(task, (uint64_t)mh->msg_control + off, &uc.pid,
			    sizeof(uc.pid));
	}
}

static void recvmsg_exit(struct trap *t, long *result)
{
	struct msghdr mh;

	if (*result >= 0 &&
	    !guest_read(t->task, t->orig_args[1], &mh, sizeof(mh)))
		fix_control(t->task, &mh);
}

/* Stops only in a process with the filter: the msghdr is read at exit. */
long sys_recvmsg(struct trap *t)
{
	return trap_native_then(t, recvmsg_exit);
}

static void recvmmsg_exit(struct trap *t, long *result)
{
	struct mmsghdr mm;

	for (long i = 0; i < *result && i < MMSG_MAX; i++) {
		if (guest_read(t->task, t->orig_args[1] + i * sizeof(mm), &mm,
			       sizeof(mm)))
			return;
		fix_control(t->task, &mm.msg_hdr);
	}
}

long sys_recvmmsg(struct trap *t)
{
	return trap_native_then(t, recvmmsg_exit);
}
