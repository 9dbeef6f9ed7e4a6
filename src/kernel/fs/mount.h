/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's mount table: guest paths onto host backends.
 *
 * A mount is created at setup from a host path the user chose (trusted) and
 * keeps an O_PATH fd of that host object; every later host lookup under the
 * mount is relative to that fd (see namei.c), never to a host path string.
 * Mount points are lexical: the walk checks the table before it asks the
 * host, so a mount point need not exist in the backend underneath (its
 * parent directory must, for the walk to get there).
 *
 * Mounts are never removed while the table lives, so a struct mount pointer
 * and its fd stay valid until mount_table_free().  The table has no lock of
 * its own: whoever calls mount_add() while walks run holds the lock.
 */
#ifndef UMBRA_FS_MOUNT_H
#define UMBRA_FS_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* mount_add() flags */
#define MOUNT_RDONLY	0x1	/* writes under it fail with EROFS (callers check) */
#define MOUNT_TMPFS	0x2	/* backend: a private mkdtemp dir, removed at free */
#define MOUNT_DEV	0x4	/* device nodes open (elsewhere: EACCES, nodev) */

/*
 * A filesystem whose entries the kernel makes (procfs): its backend is a
 * private directory holding stand-ins, which the walk asks the mount to
 * bring up to date before each lookup, and whose symlinks' bodies the
 * mount says.  Such a mount is never cached (dcache) nor walked several
 * components at a time.
 */
struct mount;
struct mount_ops {
	/* before entry name of dirfd (guest path gpath) is looked up */
	int (*lookup)(const struct mount *m, int dirfd, const char *gpath,
		      const char *name);
	/* the body of the symlink at gpath: its length, or -errno */
	ssize_t (*readlink)(const struct mount *m, const char *gpath,
			    char *buf, size_t size);
};

struct mount {
	char *gpath;		/* canonical guest mount point, "/" for the root */
	size_t gpath_len;
	char *host_path;	/* backend as given (tmpfs: the dir made), for messages */
	int fd;			/* O_PATH fd of the backend's root object */
	unsigned int flags;	/* MOUNT_* */
	bool is_dir;		/* false for a single-file bind (/dev/null) */
	bool hidden;		/* covered by a later mount at or above gpath */
	unsigned int seq;	/* order of mount_add(), for shadowing */
	int tmp_parentfd;	/* tmpfs: O_PATH fd of the dir holding the backend */
	char *tmp_name;		/* tmpfs: the backend's name in tmp_parentfd */
	const struct mount_ops *ops;	/* NULL: the backend says everything */
};

struct mount_table;

struct mount_table *mount_table_new(void);

/*
 * Close every backend fd and remove tmpfs backends (recursively, never
 * following a symlink).  No walk may run any more.
 */
void mount_table_free(struct mount_table *mt);

/*
 * Make sure the tmpfs backends go even if the monitor cannot remove them
 * itself (SIGKILL, a crash): a detached process removes what is left once
 * the monitor is gone.  Call once, while the monitor has one thread and
 * after the last mount_add().  Returns 0 or -errno.
 */
int mount_table_guard(struct mount_table *mt);

/*
 * Mount host_path (file or directory) on guest_path.  For MOUNT_TMPFS,
 * host_path is the host directory in which to create the private backend
 * (NULL: $TMPDIR or /tmp).  A later mount at the same path, or at one of
 * its ancestors, shadows it, as in Linux.
 * Returns 0 or -errno (-ENOENT, -EACCES, -ENOTDIR... on a bad source,
 * -EINVAL on a relative guest path, -ENOTDIR when mounting a directory on
 * a file mount or a file on a directory mount); mount_table_error() then
 * says why, with the host path made printable.
 */
int mount_add(struct mount_table *mt, const char *guest_path,
	      const char *host_path, unsigned int flags);

/* Give the mount at exactly gpath its operations (setup only). */
int mount_set_ops(struct mount_table *mt, const char *gpath,
		  const struct mount_ops *ops);

/* Why the last mount_add() failed ("" if it did not). */
const char *mount_table_error(const struct mount_table *mt);

/* The visible mount whose mount point is exactly this canonical path. */
const struct mount *mount_find(const struct mount_table *mt, const char *gpath);
const struct mount *mount_find_len(const struct mount_table *mt,
				   const char *gpath, size_t len);

/* The visible mount holding this canonical path (longest mount point prefix). */
const struct mount *mount_lookup(const struct mount_table *mt, const char *gpath);
const struct mount *mount_lookup_len(const struct mount_table *mt,
				     const char *gpath, size_t len);

/* Every mount, hidden ones included, in mount order (for /proc/mounts). */
size_t mount_count(const struct mount_table *mt);
const struct mount *mount_at(const struct mount_table *mt, size_t i);

static inline bool mount_readonly(const struct mount *m)
{
	return m->flags & MOUNT_RDONLY;
}

#endif
