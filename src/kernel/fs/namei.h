/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's path walk: Linux's namei rules, applied in the guest view.
 *
 * The walk turns a guest path into a host (directory fd, one component)
 * pair on which the caller then acts with a *at() call and NOFOLLOW
 * semantics.  Every host lookup it makes is relative to a backend fd with
 * RESOLVE_BENEATH or RESOLVE_IN_ROOT and RESOLVE_NO_SYMLINKS, and symlinks
 * are read and resolved here in guest terms, so no path, symlink or
 * concurrent rename a guest can produce makes the host resolve outside the
 * view.
 *
 * Known differences from Linux, all on the safe side:
 *  - ".." is lexical on the canonical guest path we track (re-opened from
 *    the mount root), not the host's physical parent: after the guest
 *    renames an ancestor of its cwd, "..", like getcwd, still means the old
 *    name (then typically ENOENT).
 *  - canonical guest paths are limited to PATH_MAX - 1 bytes, and a path
 *    with its pending symlink bodies to 2 * PATH_MAX (ENAMETOOLONG).
 *  - a walk racing with renames may fail with ENOENT or ELOOP where Linux
 *    would have found the object under its old or new name.
 *  - permissions are the host's verdict for the monitor's credentials
 *    (search permission: the host lookups themselves, and faccessat2 for
 *    what the walk decides alone: ".", "..", mount points).
 *  - a mount point is found lexically, so it need not exist in the mount
 *    underneath; its parent directory must (or the walk stops at ENOENT).
 */
#ifndef UMBRA_FS_NAMEI_H
#define UMBRA_FS_NAMEI_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "kernel/fs/mount.h"

struct dentry;

#define MAXSYMLINKS	40

/*
 * A directory in the guest view: a task's root or cwd, or the directory a
 * dirfd names.  The fd is owned by the struct (path_release()).
 */
struct path {
	const struct mount *mnt;	/* mount holding it */
	int fd;				/* host O_PATH fd of the directory */
	char gpath[PATH_MAX];		/* canonical guest path, from the global "/" */
};

/* path_walk() flags */
#define WALK_FOLLOW	0x01	/* follow a symlink in the last component */
#define WALK_DIRECTORY	0x02	/* the result must be a directory (O_DIRECTORY) */
#define WALK_CREATE	0x04	/* the last may be missing (O_CREAT): parent + name */
#define WALK_PARENT	0x08	/* parent + name only, last not looked up (unlink,
				 * rmdir, rename, link, symlink, mkdir, mknod) */
#define WALK_EMPTY_PATH	0x10	/* AT_EMPTY_PATH: "" names start itself */
#define WALK_NOFAST	0x100	/* no single-openat2 fast path (tests, benchmarks) */
#define WALK_SEARCH	0x200	/* ask namei_may_search() of every directory */
/* openat2's RESOLVE_*, as Linux applies them (EXDEV, ELOOP) */
#define WALK_NO_XDEV	0x400	/* never cross a mount */
#define WALK_NO_MAGICLINKS 0x800 /* no /proc/N/{fd/M,exe,cwd,root,ns/...} */
#define WALK_NO_SYMLINKS 0x1000	/* no symlink at all (the last one: O_NOFOLLOW) */
#define WALK_BENEATH	0x2000	/* never leave the start directory */
#define WALK_IN_ROOT	0x4000	/* the start is the root (the caller passes
				 * it as root; no magic link here) */

/* Set by the caller of a WALK_SEARCH walk: search permission on dirfd. */
extern int (*namei_may_search)(int dirfd);

/* What the result is, as Linux's nd->last_type. */
enum last_type {
	LAST_NORM,	/* last names an entry of dirfd */
	LAST_ROOT,	/* "/", the task's root, or a mount's root: dirfd is it */
	LAST_DOT,	/* the path ended in "."; dirfd is the directory */
	LAST_DOTDOT,	/* the path ended in ".."; dirfd is the directory */
	LAST_EMPTY,	/* "" with WALK_EMPTY_PATH; dirfd is start */
};

struct nameidata {
	const struct mount *mnt;	/* mount holding the result */
	int dirfd;			/* LAST_NORM: the parent; else the object */
	bool dirfd_owned;		/* private: nd_release() closes it */
	struct dentry *dent;		/* private: a cached dirfd, unpinned
					 * by nd_release() */
	enum last_type last_type;
	bool exists;			/* last was found: st is valid */
	bool trailing_slash;		/* the path ended in "/" after last */
	bool lower;			/* last is an overlay placeholder: st
					 * and reads are its lower file's */
	struct stat st;			/* fstatat(dirfd, last, NOFOLLOW) / fstat(dirfd) */
	char last[NAME_MAX + 1];	/* "" unless LAST_NORM */
	char gpath[PATH_MAX];		/* canonical guest path of the result */
};

/*
 * Walk guest_path in the view of mt, for a task whose root and cwd (or
 * dirfd) are root and start (start may be NULL for absolute paths; it must
 * be a directory unless WALK_EMPTY_PATH names it).  Returns 0 with *nd
 * filled, or -errno with nd->dirfd == -1.  In both cases nd_release() is
 * safe.  The result never borrows root's or start's fd: they may change as
 * soon as the walk returns.
 *
 * Without WALK_PARENT the last component is looked up (one fstatat):
 * exists and st say what it is.  A symlink there is followed with
 * WALK_FOLLOW, or when a trailing slash asks for a directory (not with
 * WALK_CREATE: open(O_CREAT) of "x/" is EISDIR, mkdir("link/") EEXIST,
 * which the caller decides from trailing_slash).  A missing last is ENOENT
 * unless WALK_CREATE.  With WALK_PARENT, exists is false and st unset for
 * LAST_NORM; only mount roots, "/", "." and ".." are reported as such.
 */
int path_walk(const struct mount_table *mt, const struct path *root,
	      const struct path *start, const char *guest_path,
	      unsigned int flags, struct nameidata *nd);

void nd_release(struct nameidata *nd);

/*
 * openat2(dirfd, name, flags, resolve), tried again while the host says
 * EAGAIN (a rename raced with it).  The fd or -errno.
 */
int host_openat2(int dirfd, const char *name, int flags,
		 unsigned long long resolve);

/*
 * Open what the walk named, never following a symlink: openat(dirfd, last,
 * flags | O_NOFOLLOW | O_CLOEXEC, mode) for LAST_NORM; otherwise a reopen
 * of the object itself.  Returns the host fd or -errno.
 */
int nd_open(const struct nameidata *nd, int flags, mode_t mode);

/* rename(2), link(2): EXDEV unless both results are on one mount. */
static inline bool nd_same_mount(const struct nameidata *a,
				 const struct nameidata *b)
{
	return a->mnt == b->mnt;
}

/* The guest "/" of mt, for the first task's root and cwd. */
int path_root(const struct mount_table *mt, struct path *out);

/* The directory a walk found, for chdir/chroot/fchdir: -ENOTDIR otherwise. */
int path_from_nd(const struct nameidata *nd, struct path *out);

int path_copy(struct path *dst, const struct path *src);
void path_release(struct path *p);

#endif
