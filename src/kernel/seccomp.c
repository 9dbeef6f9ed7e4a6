// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's own seccomp filters, as far as who may install one: Linux
 * asks for no_new_privs or CAP_SYS_ADMIN (seccomp_prepare_filter()), the
 * guest's.  Every guest process has the host's no_new_privs set (umbra's
 * own filter and Landlock domain need it), so the guest's flag is the
 * guest kernel's (cred.c, PR_SET_NO_NEW_PRIVS), and the host would
 * install any filter.  An allowed filter is then the guest's own call.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "kernel/seccomp_notif.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define FILTER_FLAGS_KNOWN	0x3fUL	/* TSYNC ... WAIT_KILLABLE_RECV */
#define SECCOMP_STRICT_MARK	0x5354	/* "ST": a strict-mode SIGSYS */

/*
 * Linux's order: the program's header (EFAULT), its length, then who.
 * The header is read here once; the install uses this copy.
 */
static long seccomp_filter_check(struct trap *t, uint64_t uprog,
				 struct sock_fprog *fp)
{
	if (guest_read(t->task, uprog, fp, sizeof(*fp)))
		return -EFAULT;
	if (fp->len == 0 || fp->len > BPF_MAXINSNS)
		return -EINVAL;
	if (!t->task->cred.no_new_privs &&
	    !cred_capable(&t->task->cred, CAP_SYS_ADMIN))
		return -EACCES;
	return 0;
}

/* Does t's new filter (seccomp(2)'s flags) reach w?  t, and its threads
 * with TSYNC. */
bool seccomp_filter_reaches(const struct task *t, const struct task *w,
			    uint64_t flags)
{
	return w == t || ((flags & SECCOMP_FILTER_FLAG_TSYNC) &&
			  w->leader == t->leader);
}

/* Strict mode, once the host installed the filter that stands for it. */
static void installed(struct trap *t, long *result)
{
	if (*result < 0)
		return;
	t->task->seccomp_mode = SECCOMP_MODE_STRICT;
	*result = 0;
}

/*
 * Strict mode: the host has umbra's filter, so a process can never enter
 * it there; a filter of the guest's own stands for it, allowing read,
 * write, _exit and rt_sigreturn and trapping every other call with a
 * mark that the signal's delivery stop turns into SIGKILL.
 */
static long set_strict(struct trap *t)
{
	static const struct sock_filter strict[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_read, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_write, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rt_sigreturn, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | SECCOMP_STRICT_MARK),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	uint64_t a[3];
	long err;

	if (t->task->seccomp_mode == SECCOMP_MODE_FILTER)
		return -EINVAL;		/* as Linux: no way back to strict */
	if (t->task->seccomp_mode == SECCOMP_MODE_STRICT)
		return 0;
	err = guest_filter_args(t, strict, sizeof(strict) / sizeof(strict[0]),
				a);
	if (err)
		return err;
	a[1] = 0;		/* the calling thread alone */
	for (int i = 0; i < 3; i++)
		trap_set_arg(t, i, a[i]);
	t->nr = __NR_seccomp;
	t->nr_changed = true;
	return trap_native_then(t, installed);
}

static long set_filter(struct trap *t, uint64_t flags, uint64_t uprog)
{
	struct sock_fprog fp;
	long err;

	if (flags & ~FILTER_FLAGS_KNOWN)
		return trap_native(t);	/* the host's EINVAL */
	err = seccomp_filter_check(t, uprog, &fp);
	return err ? err : gfilter_install(t, flags, &fp);
}

/* Stops for SECCOMP_SET_MODE_FILTER and _STRICT (platform/filter.c). */
long sys_seccomp(struct trap *t)
{
	if (t->args[0] == SECCOMP_SET_MODE_STRICT)
		return t->args[1] || t->args[2] ? -EINVAL : set_strict(t);
	if (t->args[0] == SECCOMP_SET_MODE_FILTER)
		return set_filter(t, t->args[1], t->args[2]);
	return trap_native(t);
}

/* prctl's PR_SET_SECCOMP and PR_GET_SECCOMP. */
long seccomp_prctl(struct trap *t)
{
	if (t->args[0] == PR_GET_SECCOMP)
		return t->task->seccomp_mode;
	switch (t->args[1]) {
	case SECCOMP_MODE_STRICT:
		return set_strict(t);
	case SECCOMP_MODE_FILTER:
		return set_filter(t, 0, t->args[2]);
	default:
		return -EINVAL;
	}
}

/* A call strict mode forbids: Linux kills the thread with SIGKILL. */
bool seccomp_strict_violation(const void *siginfo)
{
	const siginfo_t *si = siginfo;

	return si->si_signo == SIGSYS && si->si_code == 1 /* SYS_SECCOMP */ &&
	       si->si_errno == SECCOMP_STRICT_MARK;
}
