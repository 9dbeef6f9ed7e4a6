// SPDX-License-Identifier: GPL-2.0
/*
 * The second wall beneath the monitor: guest init enters a Landlock domain
 * before its first exec, and every guest process inherits it.  In it:
 *
 *  - signals and abstract AF_UNIX sockets are scoped to the domain
 *    (ABI 6): no kill, pidfd_send_signal or SIGIO/SIGURG of an owner set
 *    by a guest reaches a process outside it, the monitor included, and
 *    no guest connects natively to a host abstract socket;
 *  - every filesystem right the ABI knows is handled, and allowed only
 *    for executing the loader: the guest's files are opened by the
 *    monitor, whose fds carry the rights of their opener (Landlock checks
 *    at open time), so reads, writes, ftruncate, ioctl and mmap of them
 *    are unaffected;
 *  - Landlock itself denies ptrace-class access (process_vm_*,
 *    pidfd_getfd, /proc/PID/mem, ptrace) to any process outside the
 *    domain, while the monitor, outside it, keeps tracing the guests.
 *
 * The network is not handled: --net host must keep working.
 *
 * Raw syscalls and constants of our own: the installed headers may be
 * older than the running kernel.  The rights asked for are those the
 * running ABI knows (an unknown bit is EINVAL), so an older kernel gets
 * the part of the wall it has, and one without Landlock none; neither
 * fails a run.  Which escapes this wall stops alone: docs/walls.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/landlock.h>
#include "platform/landlock.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_add_rule		445
#define __NR_landlock_restrict_self	446
#endif
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION	(1U << 0)
#endif

/* Filesystem rights by the ABI that introduced them. */
#define LL_FS_ABI1	((1ULL << 13) - 1)	/* EXECUTE .. MAKE_SYM */
#define LL_FS_REFER	(1ULL << 13)		/* ABI 2 */
#define LL_FS_TRUNCATE	(1ULL << 14)		/* ABI 3 */
#define LL_FS_IOCTL_DEV	(1ULL << 15)		/* ABI 5 */
#define LL_FS_EXECUTE	(1ULL << 0)
#define LL_FS_READ_FILE	(1ULL << 2)

/* Scopes, ABI 6 */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LL_SCOPE_SIGNAL			(1ULL << 1)

/*
 * struct landlock_ruleset_attr as of ABI 6.  The kernel takes a longer
 * struct than it knows as long as the extra fields are zero, so one
 * layout serves every ABI.
 */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

static bool debug;

/* Once per run, and only when asked: the wall is silent otherwise. */
__attribute__((format(printf, 1, 2)))
static void note(const char *fmt, ...)
{
	va_list ap;

	if (!debug)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "umbra: landlock: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int landlock_abi(bool disabled)
{
	const char *cap = getenv("UMBRA_LANDLOCK_ABI");
	const char *off = getenv("UMBRA_NO_LANDLOCK");
	long abi;

	debug = getenv("UMBRA_DEBUG") != NULL;
	if (disabled || (off && *off && strcmp(off, "0"))) {
		note("off by request: the monitor is the only wall");
		return 0;
	}
	abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi <= 0) {
		note("not available (%s): the monitor is the only wall",
		     strerror(errno));
		return 0;
	}
	/* a smaller ABI, for tests and measurement: 0 is a host without */
	if (cap && *cap && atoi(cap) < abi)
		abi = atoi(cap) > 0 ? atoi(cap) : 0;
	if (!abi)
		note("UMBRA_LANDLOCK_ABI=0: as on a host without it");
	else if (abi < 6)
		note("ABI %ld: no scoped signals or abstract sockets", abi);
	else
		note("ABI %ld", abi);
	return (int)abi;
}

static uint64_t fs_rights(int abi)
{
	uint64_t r = LL_FS_ABI1;

	if (abi >= 2)
		r |= LL_FS_REFER;
	if (abi >= 3)
		r |= LL_FS_TRUNCATE;
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV;
	/* a right newer than this file stays unhandled, i.e. allowed */
	return r;
}

int landlock_confine(int abi, const int *exec_fds, int n)
{
	struct ll_ruleset_attr attr = { .handled_access_fs = fs_rights(abi) };
	struct ll_path_beneath_attr rule = {
		/* exec opens the file for reading too */
		.allowed_access = LL_FS_EXECUTE | LL_FS_READ_FILE,
	};
	int rfd, err = 0;

	if (abi <= 0)
		return 0;
	if (abi >= 6)
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
	rfd = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rfd < 0) {
		err = -errno;
		goto out;
	}
	for (int i = 0; !err && i < n; i++) {
		rule.parent_fd = exec_fds[i];
		if (syscall(__NR_landlock_add_rule, rfd,
			    LANDLOCK_RULE_PATH_BENEATH, &rule, 0))
			err = -errno;
	}
	/* without no_new_privs only CAP_SYS_ADMIN may restrict itself */
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = -errno;
	if (!err && syscall(__NR_landlock_restrict_self, rfd, 0))
		err = -errno;
	close(rfd);
out:
	if (err)
		note("no domain (%s): the monitor is the only wall",
		     strerror(-err));
	return err;
}
