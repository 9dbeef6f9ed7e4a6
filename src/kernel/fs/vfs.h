/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's filesystem as the syscall handlers see it: the one mount
 * table, and the walk of a (dirfd, path) pair taken from a trapped call.
 */
#ifndef UMBRA_VFS_H
#define UMBRA_VFS_H

#include <stdbool.h>
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/namei.h"
#include "kernel/kernel.h"

struct vfs_bind {
	const char *host;
	const char *guest;
	bool ro;
};

struct vfs_config {
	const char *root;		/* host dir for the guest's "/", NULL: "/" */
	struct vfs_bind *binds;
	int nbinds;
	const char **tmpfs;		/* guest paths */
	int ntmpfs;
	const char *cwd;		/* guest path, NULL: host cwd if visible */
	bool default_devices;		/* the guest's own /dev (devfs.c) */
	bool overlay;			/* root copy-on-write (ovl.h) */
	const char *upper;		/* its upper directory (--cow DIR/upper),
					 * NULL: a private one, removed at exit */
	bool private_tmp;		/* a private /tmp (the zero-setup default) */
	const char *bind_cwd;		/* host dir bound read-write at its own
					 * path (the zero-setup default) */
};

extern struct mount_table *vfs_mounts;

/* Build the table; on error print one line and return -errno. */
int vfs_setup(const struct vfs_config *cfg);
void vfs_teardown(void);

/* The first task's fs_struct. */
struct fs_struct *vfs_initial_fs(void);

/* Resolved once per call: the guest's path string, copied out once. */
/* The kernel's own trees as made at setup, for the guest's mount(2). */
extern const struct mount *vfs_proc_base, *vfs_sys_base, *vfs_devpts_base;

struct vfs_req {
	char path[PATH_MAX];
	struct path start;		/* the dirfd's directory, if one was used */
	bool have_start;
};

/*
 * Walk the path in argument path_arg relative to the dirfd in dirfd_arg
 * (-1: relative to cwd, as the non-*at calls).  Errors as Linux: EFAULT,
 * ENAMETOOLONG, EBADF, ENOTDIR for the dirfd, then the walk's own.
 * Call vfs_done() afterwards in every case.
 */
int vfs_walk_at(struct trap *t, int dirfd_arg, int path_arg,
		unsigned int flags, struct vfs_req *req, struct nameidata *nd);
void vfs_done(struct vfs_req *req, struct nameidata *nd);

/* The same with an already copied path string. */
int vfs_walk_str(struct trap *t, int dirfd, const char *path,
		 unsigned int flags, struct vfs_req *req, struct nameidata *nd);

/* A guest fd's directory in guest terms (fchdir, *at dirfds). */
int fd_to_path(struct task *task, int fd, struct path *out);

/* A guest fd's guest path, for readlink of /proc/PID/fd/N and friends. */
int fd_gpath(struct task *task, int fd, char *buf, size_t size);

/*
 * A host path in guest terms: the mount whose backend is the longest
 * prefix of it, or NULL when it is outside every backend.
 */
const struct mount *host_to_guest(const char *host, char *gpath, size_t size);

/* The guest's open file itself, as a monitor fd (pidfd_getfd). */
int fd_take(struct task *task, int fd);

/* opath.c: O_PATH|O_NOFOLLOW of a symlink, a stand-in and its link */
int opath_standin(int dirfd, const char *name);
int opath_resolve(int hfd);

/* The mount a guest fd's object lives on (NULL: outside the view). */
ssize_t host_fd_path(int hfd, char *buf, size_t size);
const struct mount *host_fd_mount(int hfd);
bool host_fd_readonly(int hfd, const struct mount **mnt);

/* A host object fd of a guest fd (AT_EMPTY_PATH calls). */
int fd_host_object(struct task *task, int fd, int flags);

/* A guest path as seen from the task's root ("/x" in a chroot at "/j"). */
const char *vfs_visible(const struct task *task, const char *gpath);

#endif
