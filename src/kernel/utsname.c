// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's own host and domain names, as a UTS namespace gives them:
 * uname reports the host's system, release, version and machine with the
 * guest's nodename ("umbra", or --hostname) and domainname ("(none)", as
 * a new namespace starts).  The monitor makes the call and writes the
 * whole struct once: a native uname rewritten at its exit would show the
 * host's name to a sibling reading the buffer meanwhile.
 *
 * sethostname and setdomainname need the guest's CAP_SYS_ADMIN (EPERM,
 * as Linux checks first) and change the guest's names only; natively a
 * guest of root's umbra would rename the host.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <linux/capability.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"

_Static_assert(sizeof(((struct utsname *)0)->nodename) ==
	       sizeof(kconfig.hostname), "a utsname field");
#include "platform/platform.h"

long sys_uname(struct trap *t)
{
	struct utsname u;

	if (uname(&u))
		return -errno;
	/* both are 65 bytes, NUL-terminated, as the kernel's fields */
	memcpy(u.nodename, kconfig.hostname, sizeof(u.nodename));
	memcpy(u.domainname, kconfig.domainname, sizeof(u.domainname));
	return guest_write(t->task, t->args[0], &u, sizeof(u)) ? -EFAULT : 0;
}

/* Linux's order: the capability, the length, then the copy. */
static long set_name(struct trap *t, char *dst)
{
	size_t len = t->args[1];
	char buf[65];

	if (!cred_capable(&t->task->cred, CAP_SYS_ADMIN))
		return -EPERM;
	if (len > 64)
		return -EINVAL;
	if (guest_read(t->task, t->args[0], buf, len))
		return -EFAULT;
	buf[len] = '\0';
	memcpy(dst, buf, len + 1);
	return 0;
}

long sys_sethostname(struct trap *t)
{
	return set_name(t, kconfig.hostname);
}

long sys_setdomainname(struct trap *t)
{
	return set_name(t, kconfig.domainname);
}
