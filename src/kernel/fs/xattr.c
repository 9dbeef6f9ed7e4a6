// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes by path (Linux: fs/xattr.c); the f*xattr calls run
 * natively on the guest's fd.  The name and the value are copied out of
 * the guest once, before the walk, as Linux 6.13 on does; the host is
 * then asked through the magic link /proc/self/fd/N of our own O_PATH fd
 * of the object the walk found, which follows nothing further, so the
 * l*xattr calls are the others with a walk that does not follow.
 *
 * Differs from Linux: the host decides permissions with the monitor's
 * credentials.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "kernel/fs/ovl.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

/* The object of the walk, as a name the host may follow. */
struct xobj {
	struct vfs_req req;
	struct nameidata nd;
	int fd;				/* our own O_PATH fd, if opened */
	char proc[32];
};

/*
 * changes: the call sets or removes, so a file of the overlay is copied
 * up first; else a file not copied up is asked through its lower file.
 */
static long xobj_get(struct trap *t, bool follow, bool changes,
		     struct xobj *x)
{
	long ret;

	x->fd = -1;
	ret = vfs_walk_at(t, -1, 0, follow ? WALK_FOLLOW : 0, &x->req, &x->nd);
	if (ret)
		return ret;
	if (x->nd.lower && changes && !mount_readonly(x->nd.mnt)) {
		ret = ovl_copy_up(x->nd.dirfd, x->nd.last);
		if (ret)
			return ret;
	} else if (x->nd.lower) {
		x->fd = ovl_open_lower(x->nd.dirfd, x->nd.last, O_PATH);
		if (x->fd < 0)
			return x->fd;
	}
	if (x->nd.last_type == LAST_NORM && x->fd < 0) {
		x->fd = nd_open(&x->nd, O_PATH, 0);
		if (x->fd < 0)
			return x->fd;
	}
	snprintf(x->proc, sizeof(x->proc), "/proc/self/fd/%d",
		 x->fd >= 0 ? x->fd : x->nd.dirfd);
	return 0;
}

static void xobj_put(struct xobj *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	vfs_done(&x->req, &x->nd);
}

/*
 * Linux's import_xattr_name(): ERANGE for "" and for 256 bytes or more;
 * then the name the host keeps it by (ovl_xattr_to_host()).
 */
static long get_name(struct trap *t, uint64_t addr, char name[XATTR_NAME_MAX + 2])
{
	char guest[XATTR_NAME_MAX + 2];
	long n = guest_read_str(t->task, addr, guest, sizeof(guest));

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? n : ovl_xattr_to_host(guest, name, XATTR_NAME_MAX + 2);
}

static long do_setxattr(struct trap *t, bool follow)
{
	char name[XATTR_NAME_MAX + 2];
	size_t size = t->args[3];
	int flags = (int)t->args[4];
	void *value = NULL;
	struct xobj x;
	long ret;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	ret = get_name(t, t->args[1], name);
	if (ret)
		return ret;
	if (size) {
		if (size > XATTR_SIZE_MAX)
			return -E2BIG;
		value = malloc(size);
		if (!value)
			return -ENOMEM;
		if (guest_read(t->task, t->args[2], value, size)) {
			free(value);
			return -EFAULT;
		}
	}
	ret = xobj_get(t, follow, true, &x);
	if (!ret && mount_readonly(x.nd.mnt))
		ret = -EROFS;
	if (!ret && setxattr(x.proc, name, value, size, flags))
		ret = -errno;
	xobj_put(&x);
	free(value);
	return ret;
}

long sys_setxattr(struct trap *t)
{
	return do_setxattr(t, true);
}

long sys_lsetxattr(struct trap *t)
{
	return do_setxattr(t, false);
}

static long do_getxattr(struct trap *t, bool follow)
{
	char name[XATTR_NAME_MAX + 2];
	size_t size = t->args[3];
	void *value = NULL;
	struct xobj x;
	long ret;

	ret = get_name(t, t->args[1], name);
	if (ret)
		return ret;
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	if (size && !(value = malloc(size)))
		return -ENOMEM;
	ret = xobj_get(t, follow, false, &x);
	if (!ret) {
		ret = getxattr(x.proc, name, value, size);
		if (ret < 0)
			ret = -errno;
	}
	xobj_put(&x);
	if (ret > 0 && size && guest_write(t->task, t->args[2], value, ret))
		ret = -EFAULT;
	else if (ret == -ERANGE && size >= XATTR_SIZE_MAX)
		ret = -E2BIG;	/* a value the guest could never fetch */
	free(value);
	return ret;
}

long sys_getxattr(struct trap *t)
{
	return do_getxattr(t, true);
}

long sys_lgetxattr(struct trap *t)
{
	return do_getxattr(t, false);
}

/*
 * The list (n bytes) as the guest sees it: the overlay's marks dropped,
 * its own user.umbra.* names under their names.  Its new size.
 */
static long list_visible(char *list, long n)
{
	long in = 0, out = 0, len;

	while (in < n) {
		len = (long)strnlen(list + in, n - in) + 1;
		if (in + len > n)
			break;		/* no NUL at the end: not a name */
		if (ovl_xattr_to_guest(list + in)) {
			size_t glen = strlen(list + in) + 1;

			memmove(list + out, list + in, glen);
			out += (long)glen;
		}
		in += len;
	}
	return out;
}

static long do_listxattr(struct trap *t, bool follow)
{
	size_t size = t->args[2];
	char *list = NULL;
	struct xobj x;
	long ret;

	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	/* the whole list, for the overlay's marks to be left out */
	if (!(list = malloc(XATTR_LIST_MAX)))
		return -ENOMEM;
	ret = xobj_get(t, follow, false, &x);
	if (!ret) {
		ret = listxattr(x.proc, list, XATTR_LIST_MAX);
		ret = ret < 0 ? -errno : list_visible(list, ret);
	}
	xobj_put(&x);
	if (ret > (long)size && size)
		ret = -ERANGE;
	else if (ret > 0 && size && guest_write(t->task, t->args[1], list, ret))
		ret = -EFAULT;
	else if (ret == -ERANGE)
		ret = -E2BIG;
	free(list);
	return ret;
}

long sys_listxattr(struct trap *t)
{
	return do_listxattr(t, true);
}

long sys_llistxattr(struct trap *t)
{
	return do_listxattr(t, false);
}

static long do_removexattr(struct trap *t, bool follow)
{
	char name[XATTR_NAME_MAX + 2];
	struct xobj x;
	long ret;

	ret = get_name(t, t->args[1], name);
	if (ret)
		return ret;
	ret = xobj_get(t, follow, true, &x);
	if (!ret && mount_readonly(x.nd.mnt))
		ret = -EROFS;
	if (!ret && removexattr(x.proc, name))
		ret = -errno;
	xobj_put(&x);
	return ret;
}

long sys_removexattr(struct trap *t)
{
	return do_removexattr(t, true);
}

long sys_lremovexattr(struct trap *t)
{
	return do_removexattr(t, false);
}
