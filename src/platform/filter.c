// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp filter, built with libseccomp from the kernel's syscall
 * table: native calls are allowed (no stop), emulated calls stop for the
 * monitor through a user notification or a ptrace stop, refused calls fail
 * with an errno.  Anything the table does not know — a syscall newer than
 * the table, a 32-bit int 0x80 entry, an x32 call — fails with ENOSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "kernel/seccomp_notif.h"
#include "platform/filter.h"

/* umbra's own stops carry its mark (kernel.h) */
#define ACT_TRACE	SCMP_ACT_TRACE(UMBRA_TRACE_DATA)

static uint32_t class_action(const struct syscall_info *si)
{
	switch (si->cls) {
	case SC_NATIVE:
		return SCMP_ACT_ALLOW;
	case SC_NOTIFY:
		return SCMP_ACT_NOTIFY;
	case SC_TRACE:
		return ACT_TRACE;
	default:
		return SCMP_ACT_ERRNO(si->refuse_errno);
	}
}

#define CLONE_WATCHED (CLONE_UNTRACED | CLONE_PTRACE | CLONE_PARENT |	\
		       CLONE_NEWNS |					\
		       CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |	\
		       CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP |	\
		       CLONE_NEWTIME)

/*
 * fork, vfork and a plain clone need no entry stop: the ptrace event that
 * follows them is where the kernel takes over.  They stop at entry only
 * when the kernel must refuse or check them first (--pids counts before
 * creating; --trace wants the call; dangerous clone flags).
 */
static int add_creation_rules(scmp_filter_ctx ctx, bool fast)
{
	int err;

	if (!fast)
		return seccomp_rule_add(ctx, ACT_TRACE, __NR_fork, 0) ?:
		       seccomp_rule_add(ctx, ACT_TRACE, __NR_vfork, 0) ?:
		       seccomp_rule_add(ctx, ACT_TRACE, __NR_clone, 0);
	err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, __NR_fork, 0);
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, __NR_vfork, 0);
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, __NR_clone, 1,
			SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_WATCHED, 0));
	if (!err)
		err = seccomp_rule_add(ctx, ACT_TRACE, __NR_clone, 1,
			SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_WATCHED,
				CLONE_WATCHED));
	/* libseccomp wants one comparison per rule: any watched bit stops */
	for (unsigned long bit = 1; !err && bit; bit <<= 1)
		if ((CLONE_WATCHED & bit) && bit != CLONE_WATCHED)
			err = seccomp_rule_add(ctx, ACT_TRACE,
					       __NR_clone, 1,
					       SCMP_A0(SCMP_CMP_MASKED_EQ,
						       bit, bit));
	return err;
}

/*
 * Native calls that carry a pid for a few commands only: those commands
 * stop (kernel/pidinfo.c), every other use of the call stays native.
 */
static const struct {
	int nr;
	unsigned int arg;
	unsigned long vals[10];
} pid_commands[] = {
	{ __NR_ioctl, 1, { TIOCGPGRP, TIOCSPGRP, TIOCGSID, FS_IOC_SETFLAGS,
			    FS_IOC_FSSETXATTR, FIOSETOWN, SIOCSPGRP, FIOGETOWN,
			    SIOCGPGRP } },
	{ __NR_fcntl, 1, { F_GETOWN, F_SETOWN, F_GETLK, F_GETOWN_EX,
			    F_SETOWN_EX, F_SETSIG } },
	{ __NR_getsockopt, 2, { SO_PEERCRED, 77 /* SO_PEERPIDFD */ } },
	{ __NR_setsockopt, 2, { SO_PASSCRED, 76 /* SO_PASSPIDFD */,
				SO_SNDBUFFORCE, SO_RCVBUFFORCE } },
	/* the parent-death signal is the guest kernel's (kernel/signal.c) */
	{ __NR_prctl, 0, { PR_SET_PDEATHSIG, PR_GET_PDEATHSIG,
	/* and the capability sets are the guest's (kernel/cred.c) */
			   PR_GET_KEEPCAPS, PR_SET_KEEPCAPS, PR_CAPBSET_READ,
			   PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_GET_SECUREBITS,
			   PR_SET_SECUREBITS, PR_SET_PTRACER } },
	/* every process of a uid, the host's too (kernel/sys.c) */
	{ __NR_setpriority, 0, { PRIO_USER } },
	{ __NR_getpriority, 0, { PRIO_USER } },
	{ __NR_ioprio_set, 0, { 3 /* IOPRIO_WHO_USER */ } },
	{ __NR_ioprio_get, 0, { 3 /* IOPRIO_WHO_USER */ } },
};

static const int clock_calls[] = {
	__NR_clock_gettime, __NR_clock_settime, __NR_clock_getres,
	__NR_clock_nanosleep, __NR_clock_adjtime,
};

/* A built context, or NULL (released) if a rule failed. */
static scmp_filter_ctx done(scmp_filter_ctx ctx, int err)
{
	if (!err)
		return ctx;
	seccomp_release(ctx);
	return NULL;
}

/*
 * A guest's no_new_privs is its own, and so is the right to add a filter
 * (kernel/seccomp.c): a filter of its own, installed last, since loading
 * a filter and libseccomp's own no_new_privs would stop at it.  Every
 * other syscall is a constant ALLOW here, which the kernel's action cache
 * answers without running it.
 */
static scmp_filter_ctx guest_seccomp_filter(void)
{
	static const int opts[] = { PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS,
				    PR_SET_SECCOMP, PR_GET_SECCOMP };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int err;

	if (!ctx)
		return NULL;
	err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) ?:
	      seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	for (size_t i = 0; !err && i < sizeof(opts) / sizeof(opts[0]); i++)
		err = seccomp_rule_add(ctx, ACT_TRACE, __NR_prctl, 1,
			SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffUL,
				(unsigned long)opts[i]));
	if (!err)
		err = seccomp_rule_add(ctx, ACT_TRACE, __NR_seccomp, 1,
			SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffUL,
				SECCOMP_SET_MODE_FILTER));
	/* strict mode, which a filter of the guest's own stands for */
	if (!err)
		err = seccomp_rule_add(ctx, ACT_TRACE, __NR_seccomp, 1,
			SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffUL,
				SECCOMP_SET_MODE_STRICT));
	return done(ctx, err);
}

/*
 * libseccomp cannot say "stop for these values, allow the rest" in one
 * filter (an unconditional rule swallows the conditional ones), so these
 * commands get a second, tiny filter: allow everything, trace them.  The
 * kernel runs both and takes the stronger action.
 */
static scmp_filter_ctx pid_command_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int err = 0;

	if (!ctx)
		return NULL;
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS));
	for (size_t i = 0; !err && i < sizeof(pid_commands) /
	     sizeof(pid_commands[0]); i++) {
		unsigned int a = pid_commands[i].arg;
		int nr = pid_commands[i].nr;
		const unsigned long *v = pid_commands[i].vals;

		/* the command is an int: compare its low 32 bits only */
		for (int k = 0; !err && k < 10 && v[k]; k++)
			err = seccomp_rule_add(ctx, ACT_TRACE, nr, 1,
				SCMP_CMP(a, SCMP_CMP_MASKED_EQ, 0xffffffffUL,
					 v[k]));
	}
	/* pidfs ioctls (type 0xFF, any number and size) give host pids */
	if (!err)
		err = seccomp_rule_add(ctx, ACT_TRACE, __NR_ioctl, 1,
			SCMP_A1(SCMP_CMP_MASKED_EQ, 0xff00UL, 0xff00UL));
	/*
	 * A negative clock id may be a CPU-time clock naming a pid
	 * (kernel/time.c); the clock id is an int: its sign bit only.
	 */
	for (size_t i = 0; !err && i < sizeof(clock_calls) /
	     sizeof(clock_calls[0]); i++)
		err = seccomp_rule_add(ctx, ACT_TRACE, clock_calls[i],
				       1, SCMP_A0(SCMP_CMP_MASKED_EQ,
						  0x80000000UL, 0x80000000UL));
	/*
	 * F_SETLEASE is native: a lease makes other openers of the file
	 * wait for its break, and the monitor's own opens of guest files
	 * never wait for one (kernel/fs/open.c, attr.c).
	 */
	/* pushing input into the terminal reaches whoever reads it next */
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), __NR_ioctl, 1,
			SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, TIOCSTI));
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), __NR_ioctl, 1,
			SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, TIOCLINUX));
	return done(ctx, err);
}

/* The program libseccomp built, in memory (prog->filter malloc'ed). */
static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	struct sock_filter *insns;
	off_t size;
	int mfd, err;

	mfd = memfd_create("umbra-filter", MFD_CLOEXEC);
	if (mfd < 0)
		return -errno;
	err = seccomp_export_bpf(ctx, mfd);
	if (err)
		goto out;
	size = lseek(mfd, 0, SEEK_END);
	err = -EINVAL;
	if (size <= 0 || size % sizeof(*insns) ||
	    size / sizeof(*insns) > USHRT_MAX)
		goto out;
	err = -ENOMEM;
	insns = malloc(size);
	if (!insns)
		goto out;
	err = -EIO;
	if (pread(mfd, insns, size, 0) != size) {
		free(insns);
		goto out;
	}
	prog->len = size / sizeof(*insns);
	prog->filter = insns;
	err = 0;
out:
	close(mfd);
	return err;
}

/*
 * Load the filter and return its listener.  A guest waiting for the
 * monitor's answer must not be interrupted by an ordinary signal once the
 * monitor has taken its call: the call would restart and its side effect
 * (a datagram sent, a directory made, a file created O_EXCL) happen twice.
 * A traced task wakes even for signals it ignores (a SIGCHLD), so this
 * was common.  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19) makes
 * that wait killable only; libseccomp 2.5 has no attribute for it, so the
 * program it built is loaded here.  Older kernels get the plain listener.
 */
static int load_with_listener(scmp_filter_ctx ctx)
{
	struct sock_fprog prog;
	int fd = export_bpf(ctx, &prog);

	if (fd)
		return fd;
	fd = -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		goto out;
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER |
			  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
	if (fd < 0 && errno == EINVAL)
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				  SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		fd = -errno;
out:
	free(prog.filter);
	return fd;
}

/*
 * The "which" value that makes a pid-0-is-native call uid-wide: who 0 is
 * then the caller's uid, every host process of the user.  -1: none.
 */
static int user_which(int nr)
{
	switch (nr) {
	case __NR_getpriority:
	case __NR_setpriority:
		return PRIO_USER;
	case __NR_ioprio_get:
	case __NR_ioprio_set:
		return 3;	/* IOPRIO_WHO_USER */
	default:
		return -1;
	}
}

/*
 * --net none: a socket of any family but AF_UNIX fails with EACCES, as in
 * a container without a network.  The family is a register, so this is a
 * filter rule and costs no stop.  The kernel reads it as an int, but the
 * rules compare all 64 bits: AF_UNIX with garbage above it is refused,
 * which errs on the safe side.  AF_NETLINK goes too (the host's
 * interfaces, routes, sockets and uevents are the host's), and with it
 * glibc's mq_notify(SIGEV_THREAD), which needs a netlink socket.
 */
static int add_net_none_rules(scmp_filter_ctx ctx, int nr, uint32_t act)
{
	uint32_t deny = SCMP_ACT_ERRNO(EACCES);
	int err;

	/*
	 * One rule per family, so that no two rules overlap: the audit
	 * socket says what a kernel without audit says (EPROTONOSUPPORT),
	 * as shadow's useradd and groupadd go on only then.
	 */
	err = seccomp_rule_add(ctx, act, nr, 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX)) ?:
	      seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPROTONOSUPPORT), nr, 2,
			       SCMP_A0(SCMP_CMP_EQ, AF_NETLINK),
			       SCMP_A2(SCMP_CMP_EQ, NETLINK_AUDIT)) ?:
	      seccomp_rule_add(ctx, deny, nr, 2,
			       SCMP_A0(SCMP_CMP_EQ, AF_NETLINK),
			       SCMP_A2(SCMP_CMP_NE, NETLINK_AUDIT)) ?:
	      seccomp_rule_add(ctx, deny, nr, 1, SCMP_A0(SCMP_CMP_GE, AF_MAX));
	for (int fam = 0; !err && fam < AF_MAX; fam++)
		if (fam != AF_UNIX && fam != AF_NETLINK)
			err = seccomp_rule_add(ctx, deny, nr, 1,
					       SCMP_A0(SCMP_CMP_EQ, fam));
	return err;
}

/* The main filter, from the kernel's syscall table. */
static scmp_filter_ctx main_filter(bool fast_clone, bool net_none)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
	int err;

	if (!ctx)
		return NULL;
	/* a binary tree: the native path costs log(n) comparisons, not n */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				       SCMP_ACT_ERRNO(ENOSYS));
	for (int nr = 0; !err && nr < NR_SYSCALLS; nr++) {
		const struct syscall_info *si = &syscall_table[nr];
		uint32_t act;

		if (!si->name || nr == __NR_fork || nr == __NR_vfork ||
		    nr == __NR_clone)
			continue;
		act = class_action(si);
		if (net_none && (nr == __NR_socket || nr == __NR_socketpair) &&
		    si->notify_if_arg < 0) {
			err = add_net_none_rules(ctx, nr, act);
			continue;
		}
		if (act == SCMP_ACT_ERRNO(ENOSYS))
			continue;	/* the default already */
		if (si->notify_if_arg >= 0) {
			/*
			 * Argument 0: a notification with no address has
			 * nothing to emulate; a signal 0 probe needs no
			 * registers, so no ptrace stop; pid 0 is the caller
			 * on the host too, so no stop at all.
			 */
			unsigned int a = si->notify_if_arg;
			uint32_t zero = si->cls == SC_NOTIFY || si->zero_native ?
					SCMP_ACT_ALLOW : SCMP_ACT_NOTIFY;

			int uw = user_which(nr);

			if (uw >= 0 && zero == SCMP_ACT_ALLOW) {
				/* who 0 is the caller, but not as a uid */
				err = seccomp_rule_add(ctx, zero, nr, 2,
					SCMP_CMP(a, SCMP_CMP_EQ, 0),
					SCMP_A0(SCMP_CMP_NE, uw));
				if (!err)
					err = seccomp_rule_add(ctx, act, nr, 1,
						SCMP_A0(SCMP_CMP_EQ, uw));
			} else {
				err = seccomp_rule_add(ctx, zero, nr, 1,
					SCMP_CMP(a, SCMP_CMP_EQ, 0));
			}
			if (!err)
				err = seccomp_rule_add(ctx, act, nr, 1,
					SCMP_CMP(a, SCMP_CMP_NE, 0));
			continue;
		}
		err = seccomp_rule_add(ctx, act, nr, 0);
	}
	if (!err)
		err = add_creation_rules(ctx, fast_clone);
	return done(ctx, err);
}

static int load(scmp_filter_ctx ctx)
{
	int err = ctx ? seccomp_load(ctx) : -ENOMEM;

	seccomp_release(ctx);
	return err;
}

/* Returns the listener fd, or -errno.  Runs in the first guest process. */
int filter_install(bool fast_clone, bool net_none)
{
	scmp_filter_ctx ctx = main_filter(fast_clone, net_none);
	int err = ctx ? load_with_listener(ctx) : -ENOMEM;

	seccomp_release(ctx);
	if (err >= 0) {
		int e = load(pid_command_filter());

		if (!e)
			e = install_ioctl_filter();
		if (!e)
			e = load(guest_seccomp_filter());
		if (e)
			return e;
	}
	return err;
}

/*
 * The monitor's copy of the programs filter_install() loads, for the
 * question no stop answers: after a guest's own SECCOMP_RET_TRACE, would
 * umbra's filters have stopped the call too (ptrace.c)?  The host's
 * stop carries the newest filter's data only.
 */
static struct sock_fprog kept[4];

/* (left empty if it fails: host_filter_traces() then says "stops") */
static void keep_bpf(int i, scmp_filter_ctx ctx)
{
	if (ctx)
		export_bpf(ctx, &kept[i]);
	seccomp_release(ctx);
}

static bool keep_fast_clone, keep_net_none, kept_made;

/* The run's settings; the copy is made at its first use (~2 ms). */
void filter_keep(bool fast_clone, bool net_none)
{
	keep_fast_clone = fast_clone;
	keep_net_none = net_none;
}

bool host_filter_traces(const struct seccomp_data *d)
{
	if (!kept_made) {
		kept_made = true;
		keep_bpf(0, main_filter(keep_fast_clone, keep_net_none));
		keep_bpf(1, pid_command_filter());
		keep_bpf(2, guest_seccomp_filter());
		kept[3].filter = ioctl_filter_prog(&kept[3].len);
	}
	for (int i = 0; i < 4; i++) {
		uint32_t r;

		if (!kept[i].len)
			return true;	/* not known: stop, as safe */
		r = seccomp_bpf_run(kept[i].filter, kept[i].len, d);
		if ((r & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRACE)
			return true;
	}
	return false;
}
