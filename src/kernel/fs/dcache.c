// SPDX-License-Identifier: GPL-2.0
/*
 * The directory cache (see dcache.h).  A small table scanned linearly:
 * 64 entries cost less to compare by hash than one host call, and a walk
 * touches a few directories over and over (/usr/lib/..., /usr/include).
 * Entries are pinned while a walk stands on them, so that an entry the
 * walk uses is never closed under it; a flush closes the unpinned ones
 * and lets the pinned ones go when they are put.  The kernel lock
 * serializes every use.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/dcache.h"

#define DC_SLOTS 64

struct dentry {
	const struct mount *mnt;
	char *gpath;
	size_t len;
	uint32_t hash;
	int fd;			/* -1: a free slot */
	int refs;
	bool dead;		/* flushed while pinned: closed at the last put */
	uint64_t used;
};

static struct dentry slots[DC_SLOTS];
static uint64_t clock_;
static int enabled = -1;
static bool in_use;		/* the call being served may use the cache */

static bool dcache_on(void)
{
	if (enabled < 0) {
		enabled = !getenv("UMBRA_NO_DCACHE");
		for (int i = 0; i < DC_SLOTS; i++)
			slots[i].fd = -1;
	}
	return enabled && in_use;
}

static uint32_t hash_of(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

int dcache_get(const struct mount *mnt, const char *gpath, size_t len,
	       struct dentry **dp)
{
	uint32_t h;

	*dp = NULL;
	if (!dcache_on() || mnt->ops)
		return -1;
	h = hash_of(gpath, len);
	for (int i = 0; i < DC_SLOTS; i++) {
		struct dentry *d = &slots[i];

		if (d->fd >= 0 && !d->dead && d->hash == h && d->mnt == mnt &&
		    d->len == len && !memcmp(d->gpath, gpath, len)) {
			d->refs++;
			d->used = ++clock_;
			*dp = d;
			return d->fd;
		}
	}
	return -1;
}

static void slot_free(struct dentry *d)
{
	close(d->fd);
	free(d->gpath);
	d->gpath = NULL;
	d->fd = -1;
	d->dead = false;
	d->refs = 0;
}

/* A free slot, or the least recently used unpinned one, emptied. */
static struct dentry *slot_take(void)
{
	struct dentry *victim = NULL;

	for (int i = 0; i < DC_SLOTS; i++) {
		struct dentry *d = &slots[i];

		if (d->fd < 0)
			return d;
		if (!d->refs && (!victim || d->used < victim->used))
			victim = d;
	}
	if (victim)
		slot_free(victim);
	return victim;
}

struct dentry *dcache_add(const struct mount *mnt, const char *gpath,
			  size_t len, int fd)
{
	struct dentry *d;
	char *copy;

	if (!dcache_on() || mnt->ops)
		return NULL;
	copy = malloc(len + 1);
	if (!copy)
		return NULL;
	d = slot_take();
	if (!d) {
		free(copy);
		return NULL;	/* every entry pinned */
	}
	memcpy(copy, gpath, len);
	copy[len] = '\0';
	d->mnt = mnt;
	d->gpath = copy;
	d->len = len;
	d->hash = hash_of(gpath, len);
	d->fd = fd;
	d->refs = 1;
	d->dead = false;
	d->used = ++clock_;
	return d;
}

int dcache_fd(const struct dentry *d)
{
	return d->fd;
}

void dcache_put(struct dentry *d)
{
	if (--d->refs == 0 && d->dead)
		slot_free(d);
}

void dcache_flush(void)
{
	for (int i = 0; i < DC_SLOTS; i++) {
		struct dentry *d = &slots[i];

		if (d->fd < 0)
			continue;
		if (d->refs)
			d->dead = true;
		else
			slot_free(d);
	}
}

/*
 * Only calls that change nothing walk through the cache (stat, access,
 * readlink, exec, a read-only open...): a directory moved by a host
 * process behind the cache's back can then only make them see the moved
 * directory, never make a write, an unlink or a create land in it.
 */
static bool call_reads_only(int nr, const uint64_t *args)
{
	uint64_t fl;

	switch (nr) {
	case SYS_open:
		fl = args[1];
		break;
	case SYS_openat:
		fl = args[2];
		break;
	case SYS_stat: case SYS_lstat: case SYS_newfstatat: case SYS_statx:
	case SYS_access: case SYS_faccessat: case SYS_faccessat2:
	case SYS_readlink: case SYS_readlinkat:
	case SYS_execve: case SYS_execveat:
	case SYS_getxattr: case SYS_lgetxattr:
	case SYS_listxattr: case SYS_llistxattr:
	case SYS_statfs: case SYS_chdir:
		return true;
	default:
		return false;
	}
	return (fl & O_ACCMODE) == O_RDONLY &&
	       !(fl & (O_CREAT | O_TRUNC | TMPFILE_BIT));
}

void dcache_syscall_begin(int nr, const uint64_t *args)
{
	in_use = call_reads_only(nr, args);
}

/*
 * After a call that may move or remove a directory or change who may
 * search it: what the cache holds may be wrong now.  Unlinking a file,
 * creating anything, or replacing a symlink changes no canonical
 * directory path, so those keep the cache.
 */
void dcache_syscall_done(int nr, const uint64_t *args)
{
	in_use = false;
	switch (nr) {
	case SYS_unlinkat:
		if (!(args[2] & AT_REMOVEDIR))
			return;
		/* fall through */
	case SYS_rename: case SYS_renameat: case SYS_renameat2:
	case SYS_rmdir:
	case SYS_chmod: case SYS_fchmodat: case 452 /* fchmodat2 */:
	case SYS_fchmod:
	case SYS_chown: case SYS_lchown: case SYS_fchownat: case SYS_fchown:
	case SYS_setxattr: case SYS_lsetxattr: case SYS_fsetxattr:
	case SYS_removexattr: case SYS_lremovexattr: case SYS_fremovexattr:
		dcache_flush();
	}
}
