/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The directory cache: host fds of directories the walk opened, by mount
 * and canonical guest path, so that the next walk through the same
 * directory costs no openat2 and no close (2.3 us of a 15 us stat).
 *
 * An entry names the directory found at that canonical path when it was
 * opened (safely, as the walk opens everything).  Canonical paths contain
 * no symlink, so only two things change what one names: the directory
 * being moved or removed (rename, rmdir), and its search permission
 * (chmod, chown, ACLs); the handlers of those calls flush the cache.
 * Changes made by host processes outside the guest are not seen: a
 * directory a host process renames keeps its old guest path in the cache
 * until the next flush.  So only calls that change nothing use the cache
 * (dcache_syscall_begin): a stale entry can show a moved directory's
 * files, never make a write or an unlink land there.
 */
#ifndef UMBRA_FS_DCACHE_H
#define UMBRA_FS_DCACHE_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/fs/mount.h"

struct dentry;

/* A pinned entry's fd for (mnt, gpath[0..len)), or -1. */
int dcache_get(const struct mount *mnt, const char *gpath, size_t len,
	       struct dentry **dp);
/*
 * Hand fd (a directory) to the cache; returns the pinned entry, or NULL
 * when the cache cannot take it (the caller keeps the fd).
 */
struct dentry *dcache_add(const struct mount *mnt, const char *gpath,
			  size_t len, int fd);
int dcache_fd(const struct dentry *d);
void dcache_put(struct dentry *d);
/* Forget everything: a directory moved, went away or changed mode. */
void dcache_flush(void);
/* Serving syscall nr: may its walks use the cache? */
void dcache_syscall_begin(int nr, const uint64_t *args);
/* Flush if syscall nr with these arguments may have made the cache wrong. */
void dcache_syscall_done(int nr, const uint64_t *args);

/*
 * O_TMPFILE's own bit: glibc's __O_TMPFILE includes O_DIRECTORY, so a
 * test of it would take every O_DIRECTORY open for a temporary file.
 */
#define TMPFILE_BIT	(O_TMPFILE & ~O_DIRECTORY)

#endif
