// SPDX-License-Identifier: GPL-2.0
/*
 * open and friends, chdir, fchdir, chroot.  The monitor walks the guest's
 * path, opens the object itself (never following a symlink it did not
 * resolve in guest terms) and installs the host fd in the guest in one
 * step, so no other guest thread can slip anything in between.
 *
 * Differs from Linux: openat2's RESOLVE_NO_SYMLINKS and RESOLVE_NO_XDEV
 * apply to the last component only; chroot needs no privilege (the guest's
 * root is the monitor's to move); O_PATH gives a read-only fd (EACCES for
 * an unreadable file, ENXIO for a socket; a stand-in for a symlink,
 * fs/opath.c), because the host cannot install an O_PATH file in another
 * process.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel/fs/meta.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/fs/dcache.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

static bool open_writes(int flags, bool exists)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) ||
	       ((flags & O_CREAT) && !exists) ||
	       (flags & O_TMPFILE) == O_TMPFILE;
}

static unsigned int open_walk_flags(int flags)
{
	unsigned int w = 0;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return WALK_FOLLOW | WALK_DIRECTORY;
	if (!(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL)))
		w |= WALK_FOLLOW;
	if (flags & O_CREAT)
		w |= WALK_CREATE;
	if (flags & O_DIRECTORY)
		w |= WALK_DIRECTORY;
	return w;
}

/* Linux's checks on the last component, in Linux's order. */
static int open_check(const struct nameidata *nd, int flags)
{
	bool creat = flags & O_CREAT;

	if (creat && nd->trailing_slash)
		return -EISDIR;
	if (nd->exists) {
		if (creat && (flags & O_EXCL))
			return -EEXIST;
		if (S_ISLNK(nd->st.st_mode) && !(flags & O_PATH))
			return -ELOOP;	/* O_NOFOLLOW met a symlink */
		if (S_ISDIR(nd->st.st_mode) && (creat ||
		    (flags & O_ACCMODE) != O_RDONLY) &&
		    (flags & O_TMPFILE) != O_TMPFILE)
			return -EISDIR;
		/* a device node outside the guest's /dev: as on nodev */
		if ((S_ISCHR(nd->st.st_mode) || S_ISBLK(nd->st.st_mode)) &&
		    !(nd->mnt->flags & MOUNT_DEV) && !(flags & O_PATH))
			return -EACCES;
	} else if (!creat) {
		return -ENOENT;
	}
	/* devices, FIFOs and sockets are written, not their filesystem */
	if (mount_readonly(nd->mnt) && open_writes(flags, nd->exists) &&
	    !(nd->exists && !S_ISREG(nd->st.st_mode) &&
	      !S_ISDIR(nd->st.st_mode)))
		return -EROFS;
	return 0;
}

/*
 * seccomp's ADDFD refuses O_PATH files, so an O_PATH open becomes the
 * plainest real open of the same object (see the header).
 */
static int open_flags(const struct nameidata *nd, int flags)
{
	int keep = O_DIRECTORY | O_NOFOLLOW;

	flags &= ~O_CLOEXEC;
	if (!(flags & O_PATH))
		return flags;
	if (S_ISLNK(nd->st.st_mode))
		return -ELOOP;
	if (S_ISFIFO(nd->st.st_mode))
		keep |= O_NONBLOCK;	/* no waiting for a writer */
	return O_RDONLY | (flags & keep);
}

/*
 * A FIFO opened without O_NONBLOCK waits for its other end: by its name,
 * or reopened through /proc/self/fd/N.
 */
static bool open_blocks(const struct nameidata *nd, int flags)
{
	return nd->exists && S_ISFIFO(nd->st.st_mode) &&
	       !(flags & O_NONBLOCK) && (flags & O_ACCMODE) != O_RDWR;
}

/*
 * The monitor must never wait for a guest (the other end's open is a call
 * it has to serve), so such an open is made by a worker, which answers
 * the notification when the host's open returns.
 */
static long open_attempt(struct trap *t)
{
	char proc[32];
	int fd;

	if (t->name[0]) {
		fd = openat((int)t->saved[0], t->name, t->open_flags |
			    O_NOFOLLOW | O_CLOEXEC, t->open_mode);
	} else {
		/* the object itself (nd_open's reopen of our fd) */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", (int)t->saved[0]);
		fd = open(proc, (t->open_flags & ~O_NOFOLLOW) | O_CLOEXEC,
			  t->open_mode);
	}
	if (fd < 0)
		return -errno;
	t->action = ACT_INSTALL_FD;
	t->fd = fd;
	return 0;
}

static void open_attempt_put(struct trap *t)
{
	close((int)t->saved[0]);
	free(t->name);
	t->name = NULL;
}

/* Open name in dfd (which it takes), or dfd's object for "", on a worker. */
static long open_later_fd(struct trap *t, int dfd, const char *name,
			  int flags, mode_t mode)
{
	t->name = strdup(name);
	if (!t->name) {
		close(dfd);
		return -ENOMEM;
	}
	t->saved[0] = dfd;
	t->open_flags = flags;
	t->open_mode = mode;
	return trap_later(t, open_attempt, open_attempt_put);
}

static long open_later(struct trap *t, const struct nameidata *nd, int flags,
		       mode_t mode)
{
	int dfd = fcntl(nd->dirfd, F_DUPFD_CLOEXEC, 0);

	if (dfd < 0)
		return -errno;
	return open_later_fd(t, dfd, nd->last, flags, mode);
}

/*
 * A guest's lease (F_SETLEASE) makes an open that breaks it wait for the
 * holder, up to lease-break-time: the monitor must not wait so under the
 * kernel lock.  A regular file is opened with O_NONBLOCK first, with
 * which the host only starts the break (EWOULDBLOCK); then a worker
 * opens it again and waits, as Linux's caller does.
 */
static long open_unleased(struct trap *t, const struct nameidata *nd,
			  int flags, mode_t mode)
{
	int fd, dfd;

	if ((flags & O_NONBLOCK) || !nd->exists || !S_ISREG(nd->st.st_mode))
		return nd_open(nd, flags, mode);
	fd = nd_open(nd, flags | O_NONBLOCK, mode);
	if (fd >= 0) {
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
			close(fd);
			return -errno;
		}
		return fd;
	}
	if (fd != -EWOULDBLOCK)
		return fd;
	if (nd->last_type == LAST_NORM)
		return open_later(t, nd, flags, mode);
	dfd = fcntl(nd->dirfd, F_DUPFD_CLOEXEC, 0);	/* a one-file mount */
	return dfd < 0 ? -errno : open_later_fd(t, dfd, "", flags, mode);
}

static long install(struct trap *t, int fd, int flags)
{
	t->action = ACT_INSTALL_FD;
	t->fd = fd;
	t->fd_flags = flags & O_CLOEXEC;
	return 0;
}

/*
 * What a reopen may ask for.  Linux reopens the object behind the magic
 * link with the inode's permissions; inside umbra a read-only mount stays
 * read-only on this route too (a write, a truncation, or an O_TMPFILE in
 * a directory: EROFS), and a file outside the guest's view (a host file
 * handed in as stdin) can be reopened with the access its fd has, never
 * more: the guest's view does not reach it by any path.
 */
static long reopen_allowed(int taken, int flags)
{
	int have = fcntl(taken, F_GETFL), want = flags & O_ACCMODE;
	bool tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
	bool writes = want != O_RDONLY || (flags & O_TRUNC) || tmpfile;
	char host[PATH_MAX], g[PATH_MAX];
	const struct mount *m;

	if (have < 0)
		return -errno;
	if (host_fd_path(taken, host, sizeof(host)) <= 0 || host[0] != '/')
		return 0;		/* a pipe, a socket: as Linux */
	m = host_to_guest(host, g, sizeof(g));
	if (m) {
		struct stat st;

		/* a device, FIFO or socket is written, not its filesystem */
		if (!fstat(taken, &st) && !S_ISREG(st.st_mode) &&
		    !S_ISDIR(st.st_mode))
			return 0;
		return writes && mount_readonly(m) ? -EROFS : 0;
	}
	if (flags & O_PATH)
		return 0;
	if (have & O_PATH)
		return -EACCES;
	have &= O_ACCMODE;
	if ((writes && have == O_RDONLY) || tmpfile ||
	    (want != O_WRONLY && have == O_WRONLY))
		return -EACCES;
	return 0;
}

/*
 * An O_PATH fd of an overlay file not copied up names its empty upper
 * stand-in: a reopen for reading opens the lower file, one for writing
 * copies it up first (then -ENOENT: open the object as it is).
 */
static int reopen_lower(int obj, const struct stat *st, int hflags)
{
	struct stat low = *st;

	return ovl_stat(obj, "", &low) ? ovl_open_placeholder(obj, "", hflags) :
					 -ENOENT;
}

/*
 * An fd a guest process holds, named through /proc or /dev/fd.  The
 * guest's open file is taken once (pidfd_getfd); the checks and the
 * reopen are made on that copy, whatever the guest's fd table holds by
 * then.
 */
static long reopen_fd(struct trap *t, const char *path, int flags)
{
	struct task *owner;
	int n = procfs_fd_path(t->task, path, &owner), taken, obj, fd, hflags;
	char proc[32];
	struct stat st = { 0 };
	bool lease;
	long err;

	if (n < 0)
		return n;
	if (flags & O_CREAT && flags & O_EXCL)
		return -EEXIST;
	t->fd_flags = flags & O_CLOEXEC;
	hflags = (flags & ~(O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_PATH)) |
		 ((flags & O_PATH) ? O_RDONLY : 0);
	taken = fd_take(owner, n);
	if (taken == -EBADF)
		return -ENOENT;
	if (taken < 0)
		return taken;
	err = reopen_allowed(taken, flags);
	/* the object first, which never waits: a FIFO's reopen may */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", taken);
	obj = err ? -1 : open(proc, O_PATH | O_CLOEXEC);
	if (!err && obj < 0)
		err = -errno;
	close(taken);
	if (err)
		return err;
	if (!fstat(obj, &st) && S_ISFIFO(st.st_mode) &&
	    !(hflags & O_NONBLOCK) && (hflags & O_ACCMODE) != O_RDWR)
		return open_later_fd(t, obj, "", hflags, 0);
	if (ovl_on() && (fd = reopen_lower(obj, &st, hflags)) != -ENOENT) {
		close(obj);
		return fd < 0 ? fd : install(t, fd, flags);
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", obj);
	/* a lease to break: as open_unleased() */
	lease = S_ISREG(st.st_mode) && !(hflags & O_NONBLOCK);
	fd = open(proc, hflags | O_CLOEXEC | (lease ? O_NONBLOCK : 0));
	fd = fd < 0 ? -errno : fd;
	if (fd == -EWOULDBLOCK && lease)
		return open_later_fd(t, obj, "", hflags, 0);
	if (fd >= 0 && lease &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		close(fd);
		fd = -errno;
	}
	close(obj);
	return fd < 0 ? fd : install(t, fd, flags);
}

/*
 * The guest's credentials against the object (or, to create one, its
 * directory): what the host checks for the monitor, checked for the
 * guest (kernel/fs/permission.c).
 */
static long open_permission(struct trap *t, const struct nameidata *nd,
			    int flags)
{
	const struct cred *c = &t->task->cred;
	struct stat dir;
	int mask = 0;

	if (flags & O_PATH)
		return 0;
	if (!nd->exists) {
		/* the directory's guest owner and mode, as mkdir's check */
		if (meta_fstat(nd->dirfd, &dir))
			return -errno;
		return guest_permission(c, &dir, MAY_WRITE | MAY_EXEC, false);
	}
	if ((flags & O_ACCMODE) != O_WRONLY)
		mask |= MAY_READ;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	if (S_ISLNK(nd->st.st_mode))
		return 0;
	/* O_NOATIME: the owner's, or CAP_FOWNER's (Linux: EPERM) */
	if ((flags & O_NOATIME) && c->fsuid != nd->st.st_uid &&
	    !(c->cap_eff & (1ULL << 3 /* CAP_FOWNER */)))
		return -EPERM;
	return guest_permission(c, &nd->st, mask, false);
}

static long do_openat_walk(struct trap *t, int dirfd_arg, int path_arg,
			   int flags, mode_t mode, unsigned int wflags);

static long do_openat(struct trap *t, int dirfd_arg, int path_arg, int flags,
		      mode_t mode)
{
	return do_openat_walk(t, dirfd_arg, path_arg, flags, mode, 0);
}

/* wflags: openat2's scoping (WALK_BENEATH...), added to open's own */
static long do_openat_walk(struct trap *t, int dirfd_arg, int path_arg,
			   int flags, mode_t mode, unsigned int wflags)
{
	struct vfs_req req;
	struct nameidata nd;
	long ret;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		mode = (mode & 07777) & ~t->task->fs->umask;
	else
		mode = 0;
	ret = guest_read_str(t->task, t->args[path_arg], req.path,
			     sizeof(req.path));
	if (ret < 0)
		return ret;
	/* a scoped lookup meets /proc/self/fd/N's magic link in the walk */
	ret = wflags ? -ENOSYS : reopen_fd(t, req.path, flags);
	if (ret != -ENOSYS)
		return ret;
	t->fd_flags = flags & O_CLOEXEC;
	ret = vfs_walk_str(t, dirfd_arg < 0 ? AT_FDCWD :
			   (int)t->args[dirfd_arg], req.path,
			   open_walk_flags(flags) | wflags, &req, &nd);
	if (!ret && nd.mnt->ops && nd.mnt->ops->open) {
		/* a made filesystem's file: the mount makes what is opened */
		ret = nd.mnt->ops->open(t->task, &nd, flags);
		vfs_done(&req, &nd);
		return ret < 0 ? ret : install(t, (int)ret, flags);
	}
	if (!ret && nd.exists && !(flags & O_PATH) && meta_is_device(&nd.st))
		ret = -ENXIO;	/* a remembered device node: no driver */
	if (!ret)
		ret = open_check(&nd, flags);
	if (!ret)
		ret = open_permission(t, &nd, flags);
	if (!ret && nd.exists && S_ISREG(nd.st.st_mode) && !(flags & O_PATH) &&
	    open_writes(flags, true) && task_exe_busy(nd.st.st_dev, nd.st.st_ino))
		ret = -ETXTBSY;		/* a guest process runs it */
	if (!ret && (flags & O_PATH) && nd.exists && S_ISLNK(nd.st.st_mode)) {
		ret = opath_standin(nd.dirfd, nd.last);
		vfs_done(&req, &nd);
		return ret < 0 ? ret : install(t, (int)ret, flags);
	}
	if (!ret)
		ret = open_flags(&nd, flags);
	if (ret >= 0 && open_blocks(&nd, (int)ret))
		ret = open_later(t, &nd, (int)ret, mode);
	else if (ret >= 0)
		ret = open_unleased(t, &nd, (int)ret, mode);
	/* O_PATH of a device whose driver refuses a real open (/dev/tty
	 * without a terminal): a stand-in too, as for a symlink */
	if (ret == -ENXIO && (flags & O_PATH) && nd.exists &&
	    (S_ISCHR(nd.st.st_mode) || S_ISBLK(nd.st.st_mode)))
		ret = opath_standin(nd.dirfd, nd.last);
	if (ret >= 0 && !nd.exists && nd.last_type == LAST_NORM &&
	    t->action != ACT_LATER)
		guest_own_new(&t->task->cred, nd.dirfd, nd.last);
	vfs_done(&req, &nd);
	if (ret < 0 || t->action == ACT_LATER)
		return ret < 0 ? ret : 0;
	return install(t, (int)ret, flags);
}

long sys_open(struct trap *t)
{
	return do_openat(t, -1, 0, (int)t->args[1], (mode_t)t->args[2]);
}

long sys_openat(struct trap *t)
{
	return do_openat(t, 0, 1, (int)t->args[2], (mode_t)t->args[3]);
}

long sys_creat(struct trap *t)
{
	return do_openat(t, -1, 0, O_CREAT | O_WRONLY | O_TRUNC,
			 (mode_t)t->args[1]);
}

#define RESOLVE_KNOWN (RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |	\
		       RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |		\
		       RESOLVE_IN_ROOT | RESOLVE_CACHED)

/* What openat2 accepts of open's flags (Linux's VALID_OPEN_FLAGS). */
#define OPEN_KNOWN (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |	\
		    O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_ASYNC |	\
		    O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW |	\
		    O_NOATIME | O_CLOEXEC | O_PATH | TMPFILE_BIT)
#define OPEN_PATH_KNOWN (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* A struct bigger than ours is fine if the rest is zero (else E2BIG). */
static long how_tail_zero(struct trap *t, size_t size)
{
	unsigned char tail[4096 - sizeof(struct open_how)];
	size_t n = size - sizeof(struct open_how);

	if (!n)
		return 0;
	if (guest_read(t->task, t->args[2] + sizeof(struct open_how), tail, n))
		return -EFAULT;
	for (size_t i = 0; i < n; i++)
		if (tail[i])
			return -E2BIG;
	return 0;
}

/* Linux's build_open_flags() checks, in its order. */
static long how_check(const struct open_how *how)
{
	unsigned long long f = how->flags;
	bool creates = (f & O_CREAT) || (f & TMPFILE_BIT);

	if (f & ~(unsigned long long)OPEN_KNOWN)
		return -EINVAL;
	if (how->resolve & ~(unsigned long long)RESOLVE_KNOWN)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (creates ? (how->mode & ~07777ULL) : how->mode)
		return -EINVAL;
	if ((f & TMPFILE_BIT) && ((f & (O_TMPFILE | O_CREAT)) != O_TMPFILE ||
				  (f & O_ACCMODE) == O_RDONLY))
		return -EINVAL;
	if ((f & O_PATH) && (f & ~(unsigned long long)OPEN_PATH_KNOWN))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) &&
	    (f & (O_TRUNC | O_CREAT | TMPFILE_BIT)))
		return -EAGAIN;
	return 0;
}

/*
 * openat2's RESOLVE_* as walk flags.  NO_SYMLINKS implies NO_MAGICLINKS;
 * the trailing symlink is open's to refuse (O_NOFOLLOW's ELOOP), or an
 * O_PATH|O_NOFOLLOW fd of it, as Linux.
 */
static unsigned int resolve_walk_flags(uint64_t resolve)
{
	return (resolve & RESOLVE_NO_XDEV ? WALK_NO_XDEV : 0) |
	       (resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS) ?
		WALK_NO_MAGICLINKS : 0) |
	       (resolve & RESOLVE_NO_SYMLINKS ? WALK_NO_SYMLINKS : 0) |
	       (resolve & RESOLVE_BENEATH ? WALK_BENEATH : 0) |
	       (resolve & RESOLVE_IN_ROOT ? WALK_IN_ROOT : 0);
}

long sys_openat2(struct trap *t)
{
	struct open_how how = { 0 };
	size_t size = t->args[3];
	long err;
	int flags;

	if (size > 4096)
		return -E2BIG;
	if (size < sizeof(how))
		return -EINVAL;
	if (guest_read(t->task, t->args[2], &how, sizeof(how)))
		return -EFAULT;
	err = how_tail_zero(t, size);
	if (!err)
		err = how_check(&how);
	if (err)
		return err;
	if (how.resolve & RESOLVE_CACHED)
		return -EAGAIN;		/* nothing is cached: try the slow way */
	flags = (int)how.flags;
	return do_openat_walk(t, 0, 1, flags, (mode_t)how.mode,
			      resolve_walk_flags(how.resolve));
}

/* Make p the task's cwd or root: search permission, as Linux checks. */
static long set_dir(struct path *slot, struct path *p)
{
	long ret = 0;

	if (faccessat(p->fd, ".", X_OK, 0)) {
		ret = -errno;
		path_release(p);
		return ret;
	}
	fs_set_path(slot, p);
	return 0;
}

/* chdir, and chroot with cap: CAP_SYS_CHROOT after the lookup, as Linux */
static long walk_set_dir(struct trap *t, struct path *slot, int cap)
{
	struct vfs_req req;
	struct nameidata nd;
	struct path p;
	long ret = vfs_walk_at(t, -1, 0, WALK_FOLLOW | WALK_DIRECTORY, &req,
			       &nd);

	if (!ret)	/* the guest's search permission on the directory */
		ret = guest_permission(&t->task->cred, &nd.st, MAY_EXEC, false);
	if (!ret && cap >= 0 && !cred_capable(&t->task->cred, cap))
		ret = -EPERM;
	if (!ret)
		ret = path_from_nd(&nd, &p);
	vfs_done(&req, &nd);
	return ret ? ret : set_dir(slot, &p);
}

long sys_chdir(struct trap *t)
{
	return walk_set_dir(t, &t->task->fs->pwd, -1);
}

long sys_chroot(struct trap *t)
{
	return walk_set_dir(t, &t->task->fs->root, CAP_SYS_CHROOT);
}

long sys_fchdir(struct trap *t)
{
	struct path p;
	struct stat st;
	long ret = fd_to_path(t->task, (int)t->args[0], &p);

	if (ret)
		return ret;
	/* the guest's search permission on it, as for chdir */
	ret = fstat(p.fd, &st) ? -errno :
	      guest_permission(&t->task->cred, &st, MAY_EXEC, false);
	if (ret) {
		path_release(&p);
		return ret;
	}
	return set_dir(&t->task->fs->pwd, &p);
}
