// SPDX-License-Identifier: GPL-2.0
/*
 * inotify_add_watch (Linux: fs/notify/inotify/inotify_user.c); the rest of
 * inotify runs natively on the guest's own inotify fd.  The monitor takes
 * the same open file out of the guest (pidfd_getfd: an anonymous inode
 * cannot be re-opened through /proc), so the watch lands in the guest's
 * own group, and names the object the walk found through the magic link
 * /proc/self/fd/N of its own O_PATH fd.
 *
 * Differs from Linux: a mask of IN_DONT_FOLLOW alone (no event, no other
 * flag) reaches the host as IN_EXCL_UNLINK, which has no event either.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE 0x10000000
#endif

/* Every bit inotify_add_watch() knows (the kernel's ALL_INOTIFY_BITS). */
#define ALL_INOTIFY_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW |	\
			  IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW |	\
			  IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD |	\
			  IN_ISDIR | IN_ONESHOT)

static bool is_inotify(int fd)
{
	char link[32], target[32];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, "anon_inode:inotify");
}

long sys_inotify_add_watch(struct trap *t)
{
	uint32_t mask = (uint32_t)t->args[2];
	struct vfs_req req;
	struct nameidata nd;
	char proc[32];
	int ifd, ofd = -1;
	long ret;

	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & ALL_INOTIFY_BITS))
		return -EINVAL;
	ifd = fd_take(t->task, (int)t->args[0]);
	if (ifd < 0)
		return ifd;
	if (!is_inotify(ifd)) {
		close(ifd);
		return -EINVAL;
	}
	ret = vfs_walk_at(t, -1, 1,
			  ((mask & IN_DONT_FOLLOW) ? 0 : WALK_FOLLOW) |
			  ((mask & IN_ONLYDIR) ? WALK_DIRECTORY : 0), &req, &nd);
	if (!ret && nd.last_type == LAST_NORM) {
		ofd = nd_open(&nd, O_PATH, 0);
		ret = ofd < 0 ? ofd : 0;
	}
	if (!ret) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d",
			 ofd >= 0 ? ofd : nd.dirfd);
		/* the host must follow our magic link: the walk did the rest */
		mask &= ~IN_DONT_FOLLOW;
		if (!(mask & ALL_INOTIFY_BITS))
			mask |= IN_EXCL_UNLINK;
		ret = inotify_add_watch(ifd, proc, mask);
		if (ret < 0)
			ret = -errno;
	}
	if (ofd >= 0)
		close(ofd);
	vfs_done(&req, &nd);
	close(ifd);
	return ret;
}
