/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_PROCFS_H
#define UMBRA_PROCFS_H

#include <stddef.h>

struct task;

/* The guest's answer for a /proc link, or -ENOSYS: not ours, walk it. */
int procfs_readlink(struct task *t, const char *path, char *buf, size_t size);

int procfs_fd_path(struct task *t, const char *path, struct task **owner);

#endif
