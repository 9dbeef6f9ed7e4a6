/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_PROCFS_H
#define UMBRA_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct task;

/* The guest's answer for a /proc link, or -ENOSYS: not ours, walk it. */
int procfs_readlink(struct task *t, const char *path, char *buf, size_t size);

int procfs_fd_path(struct task *t, const char *path, struct task **owner);

/* proc_tree.c: the guest's /proc mount */
struct mount;
struct nameidata;
extern const struct mount_ops procfs_ops;
int procfs_populate(const struct mount *m);
/* The task whose walk runs next (/proc/self and the links). */
void procfs_set_caller(struct task *t);
/* A task goes: its /proc directories go with it (a new task of the same
 * number gets new ones, so an fd of the old names nothing). */
void procfs_forget(struct task *t);
/* The guest process a /proc/N directory fd (a monitor copy) names. */
struct task *procfs_dir_task(int hfd, bool *gone);
/* A walk's result on a proc mounted elsewhere, as the first /proc's. */
int procfs_rebase(struct nameidata *nd);
/* The owner a /proc entry shows (stat): not the stand-in's. */
void procfs_owner(const struct nameidata *nd, uid_t *uid, gid_t *gid);

/*
 * hfd is an open /proc file (a memory file of its contents): st, its
 * fstat, becomes the stat of the file as the guest's stat shows it.
 * False for any other fd.
 */
bool procfs_memfd_stat(int hfd, struct stat *st);

/* host, what an fd of an open /proc file links to: its guest path. */
bool procfs_memfd_gpath(const char *host, char *buf, size_t size);
/* Open what a walk found on the /proc mount: a host fd or -errno. */
int procfs_open(struct task *caller, const struct nameidata *nd, int flags);

#endif
