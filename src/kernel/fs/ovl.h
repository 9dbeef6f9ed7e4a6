/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The copy-on-write root (issue 14, point 4): a read-only lower tree seen
 * through a writable upper directory, which is the root mount's backend.
 *
 * An upper directory that still says which lower directory it stands for
 * (an xattr, its mark) gets the entries the walk looks up in it, one by
 * one; before it is listed or one of its names changes, all the others
 * are made (a merge, see ovl.c) and the mark goes.  From then on the
 * upper directory is the truth: a deleted name is simply gone and a
 * directory made anew is empty, so no whiteout or opaque mark is needed.
 * A regular file is made as a placeholder: an empty upper file of mode
 * OVL_MODE that names its lower file; its stat and its reads are the lower
 * file's until the first change of its data or attributes copies it up,
 * in place, so that hard links made to the placeholder stay one inode.
 */
#ifndef UMBRA_FS_OVL_H
#define UMBRA_FS_OVL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

struct mount;

/* The xattr that marks an upper entry as standing for a lower one. */
#define OVL_XATTR	"user.umbra.lower"
/*
 * A placeholder's mode: the sticky bit, meaningless on a regular file and
 * so rare there that only such a file's xattr need be read, and the
 * owner's read and write, which the host asks of an xattr's reader and
 * writer.
 */
#define OVL_MODE	(S_ISVTX | S_IRUSR | S_IWUSR)

/* The prefix of names the guest may neither see nor set. */
#define OVL_XATTR_PREFIX "user.umbra."

/*
 * Set up the overlay of the host directory lower under the upper
 * directory upper_fd (an O_PATH fd; the monitor keeps its own).  fresh:
 * the upper tree is new, so its root stands for lower's.  The upper
 * directory, and with hide_parent the one holding it (--cow DIR, with
 * the store), never show in the lower tree if it holds them.  Returns 0
 * or -errno (-EOPNOTSUPP: the upper filesystem keeps no user xattrs).
 */
int ovl_init(int upper_fd, const char *lower, bool fresh, bool hide_parent);

/* Is there an overlay in this run? */
bool ovl_on(void);

/*
 * Make all the entries of the upper directory (dirfd, name) ("": dirfd
 * itself) if it still stands for a lower one: before it is listed or its
 * names change.  0 or -errno.
 */
int ovl_merge(int dirfd, const char *name);

/*
 * name was not found in the upper directory dirfd: if that still stands
 * for a lower directory, make its entry name now.  0 (then look again) or
 * -ENOENT.
 */
int ovl_lookup(int dirfd, const char *name);

/*
 * st is the host stat of (dirfd, name): if that is a placeholder, replace
 * it with its lower file's and say true.
 */
bool ovl_stat(int dirfd, const char *name, struct stat *st);

/* Open the lower file of placeholder (dirfd, name): an fd or -errno. */
int ovl_open_lower(int dirfd, const char *name, int flags);

/*
 * open(2) of placeholder (dirfd, name): for reading, its lower file (an
 * fd); for writing or O_TRUNC it is copied up first, then -ENOENT says to
 * open the upper entry as it is.  Or -errno.
 */
int ovl_open_placeholder(int dirfd, const char *name, int flags);

/*
 * Copy the lower file of placeholder (dirfd, name) into it: data, mode,
 * owner, times.  0 (also when it is no placeholder) or -errno.
 */
int ovl_copy_up(int dirfd, const char *name);
/* The same without the data when data is false: an open with O_TRUNC. */
int ovl_copy_up_data(int dirfd, const char *name, bool data);

/*
 * A host path in the lower tree (an fd the guest was given of a file not
 * yet copied up): its guest path, and a read-only stand-in mount, or NULL.
 */
const struct mount *ovl_host_to_guest(const char *host, char *gpath,
				      size_t size);

/* Is this xattr name one the guest may not see or set? */
int ovl_xattr_to_host(const char *name, char *host, size_t size);
bool ovl_xattr_to_guest(char *name);

#endif
