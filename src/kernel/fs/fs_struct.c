// SPDX-License-Identifier: GPL-2.0
/* Root, cwd and umask of tasks; see fs_struct.h. */
#include <stdlib.h>
#include "kernel/fs/fs_struct.h"

struct fs_struct *fs_alloc(const struct path *root, const struct path *pwd,
			   mode_t umask)
{
	struct fs_struct *fs = malloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->users = 1;
	fs->umask = umask;
	if (path_copy(&fs->root, root)) {
		free(fs);
		return NULL;
	}
	if (path_copy(&fs->pwd, pwd)) {
		path_release(&fs->root);
		free(fs);
		return NULL;
	}
	return fs;
}

struct fs_struct *fs_copy(const struct fs_struct *fs)
{
	return fs_alloc(&fs->root, &fs->pwd, fs->umask);
}

void fs_put(struct fs_struct *fs)
{
	if (!fs || --fs->users > 0)
		return;
	path_release(&fs->root);
	path_release(&fs->pwd);
	free(fs);
}

void fs_set_path(struct path *slot, struct path *p)
{
	path_release(slot);
	*slot = *p;
	p->fd = -1;
}
