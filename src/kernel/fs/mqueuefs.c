// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's mqueue filesystem (mount -t mqueue): its message queues by
 * their guest names (mqueue.c keeps them), one file each, which reads as
 * Linux's status line and whose unlink is mq_unlink.  The backend is a
 * private directory of stand-ins, brought up to date as entries are looked
 * up and as the directory is opened for a listing, as /proc's are.
 *
 * Differs from Linux: a queue is not made by creating a file here (EACCES:
 * mq_open makes queues); the stand-ins' owner and mode are the mount's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel/fs/dir_each.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/proc_internal.h"
#include "kernel/fs/mqueuefs.h"
#include "kernel/syscalls.h"

/* Only the mount's root holds entries. */
static bool at_root(const struct mount *m, const char *gpath)
{
	return !strcmp(gpath, m->gpath);
}

static int stand_in(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_NOFOLLOW |
			O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

static int mqfs_lookup(const struct mount *m, int dirfd, const char *gpath,
		       const char *name)
{
	if (!at_root(m, gpath))
		return 0;
	if (mqueue_exists(name))
		return stand_in(dirfd, name);
	unlinkat(dirfd, name, 0);	/* a queue gone by mq_unlink */
	return 0;
}

struct sync {
	int fd;
};

static bool drop_gone(const char *name, unsigned char type, void *arg)
{
	struct sync *s = arg;

	if (!mqueue_exists(name))
		unlinkat(s->fd, name, 0);
	return false;
}

static void add_one(const char *guest, void *arg)
{
	struct sync *s = arg;

	stand_in(s->fd, guest);
}

/* A listing: exactly the queues there are. */
static int mqfs_sync(int dirfd)
{
	struct sync s = { openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) };

	if (s.fd < 0)
		return -errno;
	dir_each(s.fd, drop_gone, &s);
	mqueue_each(add_one, &s);
	close(s.fd);
	return 0;
}

/* The status line, as a read-only memory file. */
static int status_fd(const char *name, int flags)
{
	char buf[128];
	int n = mqueue_status(name, buf, sizeof(buf));
	struct sbuf sb = { 0 };
	int fd;

	if (n < 0)
		return n;
	sb_add(&sb, buf, (size_t)n);
	fd = sb_memfd(&sb, flags);
	sb_free(&sb);
	return fd;
}

static int mqfs_open(struct task *caller, struct nameidata *nd, int flags)
{
	if (nd->last_type != LAST_NORM) {	/* the root: a listing */
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
			return -EISDIR;
		return mqfs_sync(nd->dirfd) ?:
		       nd_open(nd, O_RDONLY | O_DIRECTORY | (flags & O_NONBLOCK), 0);
	}
	if (!nd->exists)
		return (flags & O_CREAT) ? -EACCES : -ENOENT;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (flags & O_PATH)
		return nd_open(nd, O_PATH, 0);
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return -EACCES;		/* the status line is not written */
	return status_fd(nd->last, flags);
}

static int mqfs_unlink(struct nameidata *nd)
{
	int err = mqueue_unlink(nd->last);

	unlinkat(nd->dirfd, nd->last, 0);
	return err;
}

const struct mount_ops mqueuefs_ops = {
	.lookup = mqfs_lookup,
	.open = mqfs_open,
	.unlink = mqfs_unlink,
};
