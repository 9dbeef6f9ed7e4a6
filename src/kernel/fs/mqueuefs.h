/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FS_MQUEUEFS_H
#define UMBRA_FS_MQUEUEFS_H

#include "kernel/fs/mount.h"

/* A guest mqueue mount's operations (mqueuefs.c). */
extern const struct mount_ops mqueuefs_ops;

#endif
