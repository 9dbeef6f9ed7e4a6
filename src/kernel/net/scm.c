// SPDX-License-Identifier: GPL-2.0
/*
 * SCM_CREDENTIALS as a receiver reads them: the host writes the sender's
 * host pid into the control message of a recvmsg or recvmmsg, and the
 * guest must read its guest pid (0 for a sender outside the guest, as
 * for one outside a pid namespace).
 *
 * The host attaches credentials only for a receiving socket with
 * SO_PASSCRED, which a guest sets with setsockopt (the second filter
 * stops that option): until some guest socket has it, recvmsg and
 * recvmmsg go on natively at once from their stop.  After, each runs
 * natively and the credentials in its control buffers are rewritten at
 * its exit, before the caller sees them.
 *
 * Differs from Linux: another thread of the receiver reading the control
 * buffer while the call returns may see the host's number for the moment
 * before the exit stop rewrites it (the number names nothing the guest
 * can reach: every pid from the guest is translated).  A socket given
 * SO_PASSCRED by a host process before the guest got it is not seen.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define CONTROL_MAX	(64 << 10)	/* more is read by no one in practice */
#define MMSG_MAX	1024		/* UIO_MAXIOV: the host's cap on vlen */

static bool passcred_seen;

/* setsockopt(SOL_SOCKET, SO_PASSCRED, ...): from now on, look. */
void scm_passcred_set(void)
{
	passcred_seen = true;
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

long sys_recvmsg(struct trap *t)
{
	/* the msghdr is read at the exit only: a sibling may change it */
	return passcred_seen ? trap_native_then(t, recvmsg_exit) :
			       trap_native(t);
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
	return passcred_seen ? trap_native_then(t, recvmmsg_exit) :
			       trap_native(t);
}
