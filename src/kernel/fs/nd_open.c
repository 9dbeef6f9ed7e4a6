// SPDX-License-Identifier: GPL-2.0
/*
 * What a walk found (namei.h), used: opened, or made a struct path of a
 * directory (a root, a cwd); and the struct path's own life cycle.  Kept
 * apart from the walk itself, which namei.c is.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kernel/fs/namei.h"
#include "kernel/fs/ovl.h"

#define NO_LINKS	(RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

/*
 * An entry of the overlay: a directory is merged before it is opened, a
 * placeholder's lower file is opened for reading, and copied up before
 * it is opened for writing.  -ENOENT: open the upper entry as it is.
 */
static int ovl_nd_open(const struct nameidata *nd, int flags)
{
	int err;

	if (!nd->exists || (flags & O_PATH))
		return -ENOENT;	/* a dirfd's entries come as looked up */
	if (S_ISDIR(nd->st.st_mode)) {
		err = ovl_merge(nd->dirfd, nd->last);	/* to be listed */
		return err ? err : -ENOENT;
	}
	return nd->lower ? ovl_open_placeholder(nd->dirfd, nd->last, flags) :
			   -ENOENT;
}

int nd_open(const struct nameidata *nd, int flags, mode_t mode)
{
	char proc[32];
	int fd;

	if (nd->dirfd < 0)
		return -EBADF;
	if (nd->last_type == LAST_NORM && (nd->mnt->flags & MOUNT_OVL)) {
		fd = ovl_nd_open(nd, flags);
		if (fd != -ENOENT)
			return fd;
	}
	if (nd->last_type == LAST_NORM) {
		/* one component, never "." or "..": cannot leave dirfd */
		fd = openat(nd->dirfd, nd->last, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	} else if (S_ISDIR(nd->st.st_mode)) {
		fd = openat(nd->dirfd, ".", flags | O_CLOEXEC, mode);
	} else {
		/* a single-file mount: reopen our own O_PATH fd */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", nd->dirfd);
		fd = open(proc, (flags & ~O_NOFOLLOW) | O_CLOEXEC, mode);
	}
	return fd < 0 ? -errno : fd;
}

int path_root(const struct mount_table *mt, struct path *out)
{
	const struct mount *m = mount_find_len(mt, "/", 1);

	out->fd = -1;
	if (!m || !m->is_dir)
		return -ENOENT;
	out->fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 0);
	if (out->fd < 0)
		return -errno;
	out->mnt = m;
	strcpy(out->gpath, "/");
	return 0;
}

int path_from_nd(const struct nameidata *nd, struct path *out)
{
	int fd;

	out->fd = -1;
	if (nd->dirfd < 0)
		return -EBADF;
	if (!nd->exists)
		return -ENOENT;
	if (!S_ISDIR(nd->st.st_mode))
		return -ENOTDIR;
	if (nd->last_type == LAST_NORM)
		fd = host_openat2(nd->dirfd, nd->last, O_PATH | O_DIRECTORY | O_CLOEXEC,
				  RESOLVE_BENEATH | NO_LINKS);
	else if ((fd = fcntl(nd->dirfd, F_DUPFD_CLOEXEC, 0)) < 0)
		fd = -errno;
	if (fd < 0)
		return fd;
	out->mnt = nd->mnt;
	out->fd = fd;
	memcpy(out->gpath, nd->gpath, strlen(nd->gpath) + 1);
	return 0;
}

int path_copy(struct path *dst, const struct path *src)
{
	dst->fd = fcntl(src->fd, F_DUPFD_CLOEXEC, 0);
	if (dst->fd < 0)
		return -errno;
	dst->mnt = src->mnt;
	memcpy(dst->gpath, src->gpath, strlen(src->gpath) + 1);
	return 0;
}

void path_release(struct path *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}
