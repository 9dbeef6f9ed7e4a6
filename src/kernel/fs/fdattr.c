// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute changes through an fd: fchmod, fchown, fsetxattr,
 * fremovexattr and the chattr ioctls.  They would be harmless natively but
 * for read-only mounts, whose files an fd reaches as well as a path: so
 * the monitor checks the mount and does the change itself, on its own copy
 * of the guest's open file (the object it checked, whatever the guest's fd
 * table holds by then).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "kernel/fs/meta.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define XATTR_SIZE_MAX 65536

/* The guest's file, if its mount may be changed; -EROFS if read-only. */
static int writable_file(struct trap *t, int fd)
{
	int hfd = fd_take(t->task, fd);
	const struct mount *m;

	if (hfd >= 0 && host_fd_readonly(hfd, &m)) {
		close(hfd);
		return -EROFS;
	}
	return hfd;
}

static long done(int hfd, int ret)
{
	ret = ret < 0 ? -errno : ret;
	close(hfd);
	return ret;
}

long sys_fchmod(struct trap *t)
{
	int hfd = writable_file(t, (int)t->args[0]);
	mode_t mode = (mode_t)t->args[1];
	struct stat st;
	long err;

	if (hfd < 0)
		return hfd;
	err = meta_fstat(hfd, &st) ? -errno :
	      guest_may_chmod(&t->task->cred, &st, &mode);
	if (!err && fchmod(hfd, meta_host_mode(st.st_mode, mode)))
		err = -errno;
	if (!err)
		err = meta_chmod_done(hfd, "", AT_EMPTY_PATH, mode);
	close(hfd);
	return err;
}

long sys_fchown(struct trap *t)
{
	int hfd = writable_file(t, (int)t->args[0]);
	struct stat st;
	long err;

	if (hfd < 0)
		return hfd;
	err = meta_fstat(hfd, &st) ? -errno :
	      guest_may_chown(&t->task->cred, &st, (uid_t)t->args[1],
			      (gid_t)t->args[2]);
	if (!err)
		err = meta_chown(hfd, "", AT_EMPTY_PATH, (uid_t)t->args[1],
				 (gid_t)t->args[2]);
	close(hfd);
	return err;
}

long sys_fremovexattr(struct trap *t)
{
	char guest[XATTR_NAME_MAX + 1], name[XATTR_NAME_MAX + 1];
	long n = guest_read_str(t->task, t->args[1], guest, sizeof(guest));
	int hfd;

	if (n < 0)
		return n == -ENAMETOOLONG ? -ERANGE : n;
	if (ovl_xattr_to_host(guest, name, sizeof(name)))
		return -ERANGE;
	hfd = writable_file(t, (int)t->args[0]);
	return hfd < 0 ? hfd : done(hfd, fremovexattr(hfd, name));
}

long sys_fsetxattr(struct trap *t)
{
	char guest[XATTR_NAME_MAX + 1], name[XATTR_NAME_MAX + 1];
	size_t size = t->args[3];
	long n = guest_read_str(t->task, t->args[1], guest, sizeof(guest));
	void *value = NULL;
	int hfd;

	if (n < 0)
		return n == -ENAMETOOLONG ? -ERANGE : n;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	if (ovl_xattr_to_host(guest, name, sizeof(name)))
		return -ERANGE;
	if (size && !(value = malloc(size)))
		return -ENOMEM;
	if (size && guest_read(t->task, t->args[2], value, size)) {
		free(value);
		return -EFAULT;
	}
	hfd = writable_file(t, (int)t->args[0]);
	n = hfd < 0 ? hfd : done(hfd, fsetxattr(hfd, name, value, size,
						 (int)t->args[4]));
	free(value);
	return n;
}

/* chattr: FS_IOC_SETFLAGS and FS_IOC_FSSETXATTR (the second filter). */
long fd_setflags_ioctl(struct trap *t)
{
	unsigned long cmd = (unsigned int)t->args[1];
	struct fsxattr fsx;
	int flags, hfd;
	void *arg = cmd == FS_IOC_SETFLAGS ? (void *)&flags : (void *)&fsx;
	size_t len = cmd == FS_IOC_SETFLAGS ? sizeof(flags) : sizeof(fsx);

	if (guest_read(t->task, t->args[2], arg, len))
		return -EFAULT;
	hfd = writable_file(t, (int)t->args[0]);
	return hfd < 0 ? hfd : done(hfd, ioctl(hfd, cmd, arg));
}
