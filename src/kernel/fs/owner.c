// SPDX-License-Identifier: GPL-2.0
/*
 * Setting owners, modes and device nodes for the guest: the host holds
 * what it can, the store (meta.c) the rest.  The guest kernel has checked
 * the guest's right to the change before any of these is called.
 *
 * The host object is (dirfd, name, at_flags) as for fchownat: name ""
 * with AT_EMPTY_PATH for an fd's object.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/meta.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/vfs.h"

/* Linux's chown drops setuid, and setgid with group exec, on non-dirs. */
static mode_t chown_clears(mode_t mode)
{
	if (S_ISDIR(mode))
		return mode;
	mode &= ~S_ISUID;
	if (mode & S_IXGRP)
		mode &= ~S_ISGID;
	return mode;
}

int meta_chown(int dirfd, const char *name, int at_flags, uid_t uid,
	       gid_t gid)
{
	struct stat host, shown;
	struct meta m = { .have = META_OWNER };
	bool mappable;
	uid_t hu;
	gid_t hg;

	if (fstatat(dirfd, name, &host, at_flags))
		return -errno;
	shown = host;
	meta_fix(&shown);
	m.uid = uid == (uid_t)-1 ? shown.st_uid : uid;
	m.gid = gid == (gid_t)-1 ? shown.st_gid : gid;
	hu = meta_host_uid(m.uid);
	hg = meta_host_gid(m.gid);
	mappable = hu != (uid_t)-2 && hg != (gid_t)-2;
	if (mappable && fchownat(dirfd, name, hu, hg, at_flags) == 0) {
		if (!meta_store_on())
			return 0;
		fstatat(dirfd, name, &host, at_flags);	/* chown's new mode */
	} else {
		int err = mappable ? -errno : -EPERM;

		/* what the host user may not give, the store remembers */
		if (err != -EPERM || !meta_store_on())
			return err;
	}
	/* a remembered mode loses its set-id bits as the host's would */
	if (S_ISLNK(host.st_mode) || (uid == (uid_t)-1 && gid == (gid_t)-1))
		return meta_set(&host, &m, dirfd);
	m.mode = chown_clears(shown.st_mode);
	if ((m.mode & 07777) != (shown.st_mode & 07777))
		m.have |= META_MODE;
	return meta_set(&host, &m, dirfd);
}

mode_t meta_host_mode(mode_t type, mode_t mode)
{
	/*
	 * A guest root reads a file mode 000; the monitor, unprivileged, can
	 * only if the host file lets its owner: keep the owner's bits on the
	 * host and the guest's mode in the store.  Only for a guest root
	 * under the id map: a user's own chmod is the host's to keep.
	 */
	if (!meta_store_on() || geteuid() == 0 || !meta_root_mapped())
		return mode;
	return mode | (S_ISDIR(type) ? S_IRWXU : S_IRUSR | S_IWUSR);
}

int meta_chmod_done(int dirfd, const char *name, int at_flags, mode_t mode)
{
	struct stat host;
	struct meta m = { .mode = mode & 07777, .have = META_MODE };

	if (!meta_store_on() || fstatat(dirfd, name, &host, at_flags))
		return 0;
	return meta_set(&host, &m, dirfd);
}

int meta_mknod(int dirfd, const char *name, mode_t mode, dev_t dev)
{
	struct meta m = { .mode = mode, .rdev = dev, .have = META_DEV | META_MODE };
	struct stat host;
	int fd, err;

	if (!meta_store_on())
		return -EPERM;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = fstat(fd, &host) ? -errno : meta_set(&host, &m, dirfd);
	close(fd);
	if (err)
		unlinkat(dirfd, name, 0);
	return err;
}

bool meta_is_device(const struct stat *guest)
{
	struct meta m;

	return (S_ISCHR(guest->st_mode) || S_ISBLK(guest->st_mode)) &&
	       meta_get(guest->st_dev, guest->st_ino, &m) &&
	       (m.have & META_DEV);
}

void meta_unlinked(const struct stat *host)
{
	if (S_ISDIR(host->st_mode) || host->st_nlink <= 1)
		meta_forget(host);
}

void meta_own_new(int dirfd, const char *name, uid_t uid, gid_t gid)
{
	struct stat host;
	struct meta m = { .uid = uid, .gid = gid, .have = META_OWNER };

	if (meta_store_on() && !fstatat(dirfd, name, &host, AT_SYMLINK_NOFOLLOW))
		meta_set(&host, &m, dirfd);
}

/* The root mount's own tree, not a bind's or a tmpfs's (meta_durable). */
static bool in_root_tree(int fd)
{
	const struct mount *m = host_fd_mount(fd);

	return m && m->gpath_len == 1 && !(m->flags & MOUNT_TMPFS);
}

bool (*meta_durable)(int fd) = in_root_tree;
