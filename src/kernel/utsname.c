// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's own host and domain names, as a UTS namespace gives them:
 * uname reports the host's system, release, version and machine with the
 * guest's nodename ("umbra", or --hostname) and domainname ("(none)", as
 * a new namespace starts).  The monitor makes the call and writes the
 * whole struct once: a native uname rewritten at its exit would show the
 * host's name to a sibling reading the buffer meanwhile.
 *
 * sethostname and setdomainname need CAP_SYS_ADMIN over the namespace,
 * which no guest task holds (EPERM, as Linux checks first); natively a
 * guest of root's umbra that had it would rename the host.
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include "kernel/syscalls.h"

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

long sys_sethostname(struct trap *t)
{
	return -EPERM;
}

long sys_setdomainname(struct trap *t)
{
	return -EPERM;
}
