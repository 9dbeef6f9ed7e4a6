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
 * The guest mounts and unmounts too (namespace.c).  A struct mount pointer
 * stays valid until mount_remove() of it: that is only done when no task's
 * root or cwd holds it, and never to a mount made at setup (MOUNT_KEEP), to
 * which the kernel keeps pointers of its own; a mount removed while held
 * lives on detached until mount_table_free().  The table has no lock of
 * its own: whoever changes it while walks run holds the kernel lock.
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
#define MOUNT_KEEP	0x8	/* made at setup: never freed before the table */
#define MOUNT_NOSUID	0x10	/* shown, and exec ignores setuid bits */
#define MOUNT_NOEXEC	0x20	/* exec under it: EACCES */
#define MOUNT_NODEV	0x40	/* the guest asked for nodev (shown) */
#define MOUNT_LOCKED_RO	0x80	/* read-only by setup: no guest remount
				 * makes it (or a bind of it) writable */
#define MOUNT_EXPIRING	0x100	/* umount2(MNT_EXPIRE) marked it */
#define MOUNT_OVL	0x200	/* the upper tree of the overlay (ovl.h): a
				 * directory gets its lower entries as looked
				 * up, all of them before a listing or change */

/* At most this many mounts, detached ones included (Linux: mount-max). */
#define MOUNT_MAX	512

/*
 * A filesystem whose entries the kernel makes (procfs): its backend is a
 * private directory holding stand-ins, which the walk asks the mount to
 * bring up to date before each lookup, and whose symlinks' bodies the
 * mount says.  Such a mount is never cached (dcache) nor walked several
 * components at a time.
 */
struct mount;
struct nameidata;
struct task;
struct mount_ops {
	/* before entry name of dirfd (guest path gpath) is looked up */
	int (*lookup)(const struct mount *m, int dirfd, const char *gpath,
		      const char *name);
	/* the body of the symlink at gpath: its length, or -errno */
	ssize_t (*readlink)(const struct mount *m, const char *gpath,
			    char *buf, size_t size);
	/* open(2) of what a walk found here: a host fd or -errno (NULL: the
	 * backend's own file is opened) */
	int (*open)(struct task *caller, struct nameidata *nd, int flags);
	/* unlink(2) of nd->last (NULL: the backend's entry is removed) */
	int (*unlink)(struct nameidata *nd);
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
	const struct mount *ops_base;	/* ops: the mount they were made for */
	char *host_real;	/* canonical host path of the backend, or NULL */
	char *source;		/* guest mounts: the source shown, or NULL */
	char *root;		/* binds: the path of gpath in its filesystem */
	char fstype[16];	/* "" at setup: what the backend is on the host */
	unsigned int id;	/* mountinfo's mount id */
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

/* Say what the mount at exactly gpath shows as its type (setup only). */
int mount_set_fstype(struct mount_table *mt, const char *gpath,
		     const char *fstype);

/*
 * The guest's mount(2): mount the host object fd (taken, closed on error)
 * or, with MOUNT_TMPFS and fd -1, a new private directory, on the
 * canonical gpath.  *out is the new mount, for the caller to finish.
 * -ENOSPC past MOUNT_MAX, -ENOTDIR as mount_add().
 */
int mount_add_fd(struct mount_table *mt, const char *gpath, int fd,
		 unsigned int flags, struct mount **out);

/* The visible mount at exactly gpath, to change (remount, umount). */
struct mount *mount_find_mut(struct mount_table *mt, const char *gpath);

/*
 * Take m out of the table.  held: some task's root or cwd is on it, so it
 * lives on detached; otherwise (and unless MOUNT_KEEP) it is freed and a
 * tmpfs backend removed.
 */
void mount_remove(struct mount_table *mt, struct mount *m, bool held);

/*
 * The mount and path a made filesystem's operations know for gpath on m:
 * a proc mounted again elsewhere is asked as the first one.  *path is
 * gpath itself, or the path rewritten into buf (size bytes); returns the
 * mount, or NULL if the path is too long.
 */
const struct mount *mount_ops_path(const struct mount *m, const char *gpath,
				   char *buf, size_t size, const char **path);

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

/* The mode of a mount's own directory (a tmpfs's, a kept tree's root). */
void mount_chmod(const struct mount *m, mode_t mode);

static inline bool mount_readonly(const struct mount *m)
{
	return m->flags & (MOUNT_RDONLY | MOUNT_LOCKED_RO);
}

#endif
