// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp filter, built with libseccomp from the kernel's syscall
 * table: native calls are allowed (no stop), emulated calls stop for the
 * monitor through a user notification or a ptrace stop, refused calls fail
 * with an errno.  Anything the table does not know — a syscall newer than
 * the table, a 32-bit int 0x80 entry, an x32 call — fails with ENOSYS.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include "kernel/kernel.h"
#include "platform/filter.h"

static uint32_t class_action(const struct syscall_info *si)
{
	switch (si->cls) {
	case SC_NATIVE:
		return SCMP_ACT_ALLOW;
	case SC_NOTIFY:
		return SCMP_ACT_NOTIFY;
	case SC_TRACE:
		return SCMP_ACT_TRACE(0);
	default:
		return SCMP_ACT_ERRNO(si->refuse_errno);
	}
}

/* Returns the listener fd, or -errno.  Runs in the first guest process. */
int filter_install(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(ENOSYS));
	int err = -ENOMEM;

	if (!ctx)
		return err;
	/* a binary tree: the native path costs log(n) comparisons, not n */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				       SCMP_ACT_ERRNO(ENOSYS));
	for (int nr = 0; !err && nr < NR_SYSCALLS; nr++) {
		const struct syscall_info *si = &syscall_table[nr];
		uint32_t act;

		if (!si->name)
			continue;
		act = class_action(si);
		if (act == SCMP_ACT_ERRNO(ENOSYS))
			continue;	/* the default already */
		if (si->cls == SC_NOTIFY && si->notify_if_arg >= 0) {
			/* no address to translate: nothing to emulate */
			unsigned int a = si->notify_if_arg;

			err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					       SCMP_CMP(a, SCMP_CMP_EQ, 0));
			if (!err)
				err = seccomp_rule_add(ctx, act, nr, 1,
					SCMP_CMP(a, SCMP_CMP_NE, 0));
			continue;
		}
		err = seccomp_rule_add(ctx, act, nr, 0);
	}
	if (!err)
		err = seccomp_load(ctx);
	if (!err)
		err = seccomp_notify_fd(ctx);
	seccomp_release(ctx);
	return err;
}
