// SPDX-License-Identifier: GPL-2.0
/*
 * A seccomp filter the monitor has a guest process add to its own, to
 * make a few calls stop that the monitor's filter lets run natively
 * everywhere else (net/scm.c: recvmsg after SO_PASSCRED; signalfd.c:
 * reads of a signalfd).  Filters only add restrictions, so whatever a
 * sibling thread writes over the program before the host copies it can
 * at most leave the calls native, as they were.  TSYNC gives it to every
 * thread of the process; its later children inherit it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "kernel/syscalls.h"
#include "platform/platform.h"

#define FILTER_MAX 32		/* instructions: ours are a handful */

struct guest_prog {
	struct sock_fprog fprog;
	struct sock_filter insns[FILTER_MAX];
};

/*
 * Write the program below the caller's stack and fill a[] with the
 * arguments of seccomp(2) that adds it: 0, or -EFAULT.
 */
long guest_filter_args(struct trap *t, const struct sock_filter *f,
		       unsigned short n, uint64_t a[3])
{
	struct guest_prog p = { .fprog.len = n };
	size_t size = offsetof(struct guest_prog, insns) + n * sizeof(*f);
	uint64_t at;

	if (n > FILTER_MAX)
		return -EFAULT;
	at = guest_scratch(t, sizeof(p));
	if (!at)
		return -EFAULT;
	memcpy(p.insns, f, n * sizeof(*f));
	/* umbra's stops carry the run's mark (kernel.h) */
	for (unsigned short i = 0; i < n; i++)
		if (p.insns[i].code == (BPF_RET | BPF_K) &&
		    p.insns[i].k == SECCOMP_RET_TRACE)
			p.insns[i].k |= UMBRA_TRACE_DATA;
	p.fprog.filter = (struct sock_filter *)(at +
					offsetof(struct guest_prog, insns));
	if (guest_write(t->task, at, &p, size))
		return -EFAULT;
	a[0] = SECCOMP_SET_MODE_FILTER;
	a[1] = SECCOMP_FILTER_FLAG_TSYNC;
	a[2] = at;
	return 0;
}
