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
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define FILTER_FLAGS_KNOWN	0x3fUL	/* TSYNC ... WAIT_KILLABLE_RECV */

/* Linux's order: the program's header (EFAULT), its length, then who. */
long seccomp_filter_check(struct trap *t, uint64_t uprog)
{
	struct sock_fprog fp;

	if (guest_read(t->task, uprog, &fp, sizeof(fp)))
		return -EFAULT;
	if (fp.len == 0 || fp.len > BPF_MAXINSNS)
		return -EINVAL;
	if (!t->task->cred.no_new_privs &&
	    !cred_capable(&t->task->cred, CAP_SYS_ADMIN))
		return -EACCES;
	return 0;
}

/* Stops only for SECCOMP_SET_MODE_FILTER (platform/filter.c). */
long sys_seccomp(struct trap *t)
{
	long err;

	if (t->args[0] == SECCOMP_SET_MODE_FILTER &&
	    !(t->args[1] & ~FILTER_FLAGS_KNOWN)) {
		err = seccomp_filter_check(t, t->args[2]);
		if (err)
			return err;
	}
	return trap_native(t);
}
