/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest sees of an inode's owner, mode and device number when the
 * host cannot hold it (issue 14): the host user cannot chown a file to
 * bob, keep a file mode 000 and still read it for root, or make a device
 * node.  Two layers turn the host's stat into the guest's:
 *
 *  - the id map: a guest that started as root (-0) under a host user U
 *    sees U's files as root's (as proot -0); a guest root's files are
 *    U's on the host.  Nothing is kept for that.
 *  - the store: a record per host inode (device and inode number) of what
 *    the guest set and the host could not.  Kept in a journal file (see
 *    meta.c), so a later run over the same tree sees the same owners.
 *
 * The kernel asks meta_fix() of every stat it reports or checks access
 * against, and meta_set()/meta_forget() as inodes change or go.
 */
#ifndef UMBRA_FS_META_H
#define UMBRA_FS_META_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

/* meta.have */
#define META_OWNER	0x1	/* uid and gid */
#define META_MODE	0x2	/* the permission bits (07777) */
#define META_DEV	0x4	/* a device node: mode's type and rdev */

struct meta {
	uid_t uid;
	gid_t gid;
	mode_t mode;
	dev_t rdev;
	unsigned int have;
};

/*
 * The id map: host uid/gid U <-> guest 0, when the monitor is not root
 * and the guest's first process is.  Call once at setup.
 */
void meta_map_set(uid_t host_uid, gid_t host_gid);

/*
 * Open the store at path (a journal file, made at the first record) and
 * load it; NULL: a store of this run only, in memory.  keep_all: journal every record; else only those meta_durable
 * says lie in the root tree (the others last this run).  Returns 0 or
 * -errno (a file that exists but cannot be read).
 */
int meta_open(const char *path, bool keep_all);

/* Is the object of fd (a directory, or the object itself) in the root tree? */
extern bool (*meta_durable)(int fd);
void meta_close(void);

/* Is there a store (records can be kept)? */
bool meta_store_on(void);

/* The guest's view of a host stat, in place. */
void meta_fix(struct stat *st);

/* Is the invoking user's id shown as root's (the id map is on)? */
bool meta_root_mapped(void);

/* Does the store hold any record (else no inode need be forgotten)? */
bool meta_has_records(void);

/*
 * Are these the ids a new file of the monitor shows anyway (its own, or
 * root's under the map)?  Then a guest's new entry needs no record.
 */
bool meta_shown_as_own(uid_t uid, gid_t gid);

/* The host id a guest id is, or -1 when the host has no such id here. */
uid_t meta_host_uid(uid_t guest);
gid_t meta_host_gid(gid_t guest);

/*
 * Say what the guest set on the inode of host stat st and the host could
 * not hold: the fields of m in m->have replace the record's.  A field
 * equal to what the host shows is dropped from the record.  where: an fd
 * of the object or its directory, for meta_durable (-1: none).  Returns 0
 * or -errno (-ENOSPC: no store, or too many records).
 */
int meta_set(const struct stat *host, const struct meta *m, int where);

/* The inode of host stat st went (its last link): forget it. */
void meta_forget(const struct stat *host);

/* The record of an inode, if any. */
bool meta_get(dev_t dev, ino_t ino, struct meta *out);

/*
 * owner.c: changes for the guest on the host object (dirfd, name,
 * at_flags), the guest's right to them already checked.
 */
/* chown to guest ids (-1: unchanged): 0 or -errno. */
int meta_chown(int dirfd, const char *name, int at_flags, uid_t uid,
	       gid_t gid);
/* The mode to give the host for a guest chmod to mode. */
mode_t meta_host_mode(mode_t type, mode_t mode);
/* After the host chmod: remember mode if the host does not show it. */
int meta_chmod_done(int dirfd, const char *name, int at_flags, mode_t mode);
/* A char or block device: an empty file and a record.  0 or -errno. */
int meta_mknod(int dirfd, const char *name, mode_t mode, dev_t dev);
/* Is the guest-stat'ed object a remembered device node? */
bool meta_is_device(const struct stat *guest);
/* Host stat of an entry about to be unlinked: forget its last link. */
void meta_unlinked(const struct stat *host);
/* A new entry of the guest: its owner, if the host could not say it. */
void meta_own_new(int dirfd, const char *name, uid_t uid, gid_t gid);

/* fstatat()/fstat() with meta_fix(): 0 or -1 with errno. */
int meta_fstatat(int dirfd, const char *name, struct stat *st, int flags);
int meta_fstat(int fd, struct stat *st);

#endif
