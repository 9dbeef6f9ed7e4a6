/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A task's root, cwd and umask: shared between tasks created with
 * CLONE_FS (threads), copied otherwise, as Linux's struct fs_struct.
 */
#ifndef UMBRA_FS_STRUCT_H
#define UMBRA_FS_STRUCT_H

#include <sys/types.h>
#include "kernel/fs/namei.h"

struct fs_struct {
	int users;
	struct path root;
	struct path pwd;
	mode_t umask;
};

struct fs_struct *fs_alloc(const struct path *root, const struct path *pwd,
			   mode_t umask);
struct fs_struct *fs_copy(const struct fs_struct *fs);
void fs_put(struct fs_struct *fs);

static inline struct fs_struct *fs_get(struct fs_struct *fs)
{
	fs->users++;
	return fs;
}

/* chdir/chroot: replace one of the two paths, taking ownership of p. */
void fs_set_path(struct path *slot, struct path *p);

#endif
