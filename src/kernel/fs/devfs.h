/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FS_DEVFS_H
#define UMBRA_FS_DEVFS_H

#include <stddef.h>
#include "kernel/fs/mount.h"

/* Fill the guest's /dev backend; nodes are the guest paths bound over it. */
int devfs_populate(int rootfd, const char *const *nodes, size_t n);

/* /dev/pts: the host's devpts, looked up through the guest's terminals. */
extern const struct mount_ops devpts_ops;

#endif
