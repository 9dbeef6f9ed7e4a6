// SPDX-License-Identifier: GPL-2.0
/*
 * stat, statx, access, readlink: the walk already looked the last
 * component up, so most of these cost the walk and one write of the result
 * into guest memory.  A stat of an fd (AT_EMPTY_PATH with "", which is how
 * glibc implements fstat) asks the host about the guest's own fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/permission.h"
#include "kernel/fs/meta.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define STAT_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)

static long put_stat(struct trap *t, uint64_t addr, const struct stat *st)
{
	return guest_write(t->task, addr, st, sizeof(*st)) ? -EFAULT : 0;
}

/*
 * The object of the guest's fd itself ("" with AT_EMPTY_PATH), or of its
 * cwd for AT_FDCWD, as a monitor fd: pidfd_getfd on the task's kept pidfd
 * is one syscall, where reopening /proc/TID/fd/N walks /proc (fstat, which
 * glibc makes this way, 16.9 -> 12 us).  Put it back with fd_put().
 */
static int fd_get(struct trap *t, int fd)
{
	return fd == AT_FDCWD ? t->task->fs->pwd.fd :
				opath_resolve(fd_take(t->task, fd));
}

static void fd_put(struct trap *t, int ofd)
{
	if (ofd != t->task->fs->pwd.fd)
		close(ofd);
}

static long stat_fd(struct trap *t, int fd, struct stat *st)
{
	int ofd = fd_get(t, fd);
	long ret;

	if (ofd < 0)
		return ofd;
	ret = meta_fstat(ofd, st) ? -errno : 0;
	/* an open /proc file (unlinked memory file: nlink 0) */
	if (!ret && !st->st_nlink && S_ISREG(st->st_mode))
		procfs_memfd_stat(ofd, st);
	fd_put(t, ofd);
	return ret;
}

/* The guest's view of a statx (meta.h), as of a stat. */
static void meta_fix_statx(struct statx *stx)
{
	struct stat st = {
		.st_dev = makedev(stx->stx_dev_major, stx->stx_dev_minor),
		.st_ino = stx->stx_ino, .st_uid = stx->stx_uid,
		.st_gid = stx->stx_gid, .st_mode = stx->stx_mode,
		.st_rdev = makedev(stx->stx_rdev_major, stx->stx_rdev_minor),
	};

	meta_fix(&st);
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = (stx->stx_mode & ~0xffff) | (st.st_mode & 0xffff);
	stx->stx_rdev_major = major(st.st_rdev);
	stx->stx_rdev_minor = minor(st.st_rdev);
}

/*
 * "/proc/self/fd/N", "/dev/fd/N", "/dev/stdin"... (fs/procfs.c): the fd's
 * object, or with AT_SYMLINK_NOFOLLOW the magic link itself (its mode says
 * the fd's access), as the monitor's own copy of the fd shows them.  The
 * host's /proc would name the monitor's fds; the guest's root has no /proc
 * of its own.  -ENOSYS for any other path.
 */
static long fd_path_stat(struct trap *t, const char *path, int flags,
			 unsigned int mask, struct stat *st, struct statx *stx)
{
	struct task *owner;
	char link[48];
	int n, hfd;
	long ret;

	if ((flags & AT_SYMLINK_NOFOLLOW) && !strncmp(path, "/dev/std", 8))
		return -ENOSYS;		/* the rootfs's own symlink */
	n = procfs_fd_path(t->task, path, &owner);
	if (n < 0)
		return n;
	hfd = fd_take(owner, n);
	if (hfd < 0)
		return hfd == -EBADF ? -ENOENT : hfd;
	hfd = opath_resolve(hfd);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", hfd);
	if (stx)
		ret = statx(AT_FDCWD, link, flags & AT_SYMLINK_NOFOLLOW ?
			    AT_SYMLINK_NOFOLLOW : 0, mask, stx);
	else
		ret = flags & AT_SYMLINK_NOFOLLOW ? lstat(link, st) :
						    meta_fstat(hfd, st);
	ret = ret ? -errno : 0;
	close(hfd);
	return ret;
}

static long do_stat(struct trap *t, int dirfd_arg, int path_arg,
		    uint64_t buf, int flags)
{
	struct vfs_req req;
	struct nameidata nd;
	struct stat st;
	long ret;

	if (flags & ~STAT_FLAGS)
		return -EINVAL;
	ret = guest_read_str(t->task, t->args[path_arg], req.path,
			     sizeof(req.path));
	if (ret < 0)
		return ret;
	if (!req.path[0] && (flags & AT_EMPTY_PATH)) {
		ret = stat_fd(t, dirfd_arg < 0 ? AT_FDCWD :
			      (int)t->args[dirfd_arg], &st);
		return ret ? ret : put_stat(t, buf, &st);
	}
	ret = req.path[0] == '/' ? fd_path_stat(t, req.path, flags, 0, &st,
						 NULL) : -ENOSYS;
	if (ret != -ENOSYS)
		return ret ? ret : put_stat(t, buf, &st);
	ret = vfs_walk_str(t, dirfd_arg < 0 ? AT_FDCWD :
			   (int)t->args[dirfd_arg], req.path,
			   (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW,
			   &req, &nd);
	if (!ret && nd.mnt->ops == &procfs_ops)
		procfs_owner(&nd, &nd.st.st_uid, &nd.st.st_gid);
	if (!ret)
		ret = put_stat(t, buf, &nd.st);
	vfs_done(&req, &nd);
	return ret;
}

long sys_stat(struct trap *t)
{
	return do_stat(t, -1, 0, t->args[1], 0);
}

long sys_lstat(struct trap *t)
{
	return do_stat(t, -1, 0, t->args[1], AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(struct trap *t)
{
	return do_stat(t, 0, 1, t->args[2], (int)t->args[3]);
}

/* statx of an open /proc file: what its stat says (procfs.h). */
static void proc_statx(int ofd, struct statx *stx)
{
	struct stat st;

	if (!procfs_memfd_stat(ofd, &st))
		return;
	stx->stx_dev_major = major(st.st_dev);
	stx->stx_dev_minor = minor(st.st_dev);
	stx->stx_ino = st.st_ino;
	stx->stx_mode = st.st_mode;
	stx->stx_nlink = 1;
	stx->stx_size = 0;
	stx->stx_blocks = 0;
}

/* An overlay file not copied up: its lower file says. */
static long lower_statx(const struct nameidata *nd, int sync,
			unsigned int mask, struct statx *stx)
{
	int fd = ovl_open_lower(nd->dirfd, nd->last, O_PATH);
	long ret;

	if (fd < 0)
		return fd;
	ret = statx(fd, "", AT_EMPTY_PATH | sync, mask, stx) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * access(2) of an overlay file not copied up: the host's verdict on its
 * lower file, write aside (a write copies it up, into the monitor's own).
 */
static long lower_access(const struct nameidata *nd, int mode, int eaccess)
{
	int fd = ovl_open_lower(nd->dirfd, nd->last, O_PATH);
	long ret;

	if (fd < 0)
		return fd;
	ret = syscall(SYS_faccessat2, fd, "", mode & ~W_OK,
		      AT_EMPTY_PATH | eaccess) ? -errno : 0;
	close(fd);
	return ret;
}

long sys_statx(struct trap *t)
{
	int flags = (int)t->args[2], sync = flags & AT_STATX_SYNC_TYPE;
	unsigned int mask = (unsigned int)t->args[3];
	struct vfs_req req;
	struct nameidata nd;
	struct statx stx;
	long ret;
	int ofd;

	if ((flags & ~(STAT_FLAGS | AT_STATX_SYNC_TYPE)) ||
	    sync == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	ret = guest_read_str(t->task, t->args[1], req.path, sizeof(req.path));
	if (ret < 0)
		return ret;
	if (!req.path[0] && (flags & AT_EMPTY_PATH)) {
		ofd = fd_get(t, (int)t->args[0]);
		if (ofd < 0)
			return ofd;
		ret = statx(ofd, "", AT_EMPTY_PATH | sync, mask, &stx) ?
		      -errno : 0;
		if (!ret)
			meta_fix_statx(&stx);
		if (!ret && !stx.stx_nlink && S_ISREG(stx.stx_mode))
			proc_statx(ofd, &stx);
		fd_put(t, ofd);
	} else if (req.path[0] == '/' &&
		   (ret = fd_path_stat(t, req.path, flags, mask, NULL, &stx)) !=
		   -ENOSYS) {
		/* an fd named through /proc or /dev/fd: done */
	} else {
		ret = vfs_walk_str(t, (int)t->args[0], req.path,
				   (flags & AT_SYMLINK_NOFOLLOW) ? 0 :
				   WALK_FOLLOW, &req, &nd);
		if (!ret && nd.lower)
			ret = lower_statx(&nd, sync, mask, &stx);
		else if (!ret && nd.last_type == LAST_NORM)
			ret = statx(nd.dirfd, nd.last, AT_SYMLINK_NOFOLLOW |
				    sync, mask, &stx) ? -errno : 0;
		else if (!ret)
			ret = statx(nd.dirfd, "", AT_EMPTY_PATH | sync, mask,
				    &stx) ? -errno : 0;
		if (!ret)
			meta_fix_statx(&stx);
		if (!ret && nd.mnt->ops == &procfs_ops)
			procfs_owner(&nd, &stx.stx_uid, &stx.stx_gid);
		vfs_done(&req, &nd);
	}
	if (!ret && guest_write(t->task, t->args[4], &stx, sizeof(stx)))
		ret = -EFAULT;
	return ret;
}

/* The guest's ids may do mode to st: 0 or -EACCES (F_OK: it exists). */
static long guest_access(struct trap *t, const struct stat *st, int mode,
			 int flags)
{
	if (!mode || S_ISLNK(st->st_mode))
		return 0;
	return guest_permission(&t->task->cred, st,
				((mode & R_OK) ? MAY_READ : 0) |
				((mode & W_OK) ? MAY_WRITE : 0) |
				((mode & X_OK) ? MAY_EXEC : 0),
				!(flags & AT_EACCESS));
}

/*
 * faccessat2(fd, "", mode, AT_EMPTY_PATH): the fd's object, of any type
 * (the walk starts only from directories).
 */
static long access_fd(struct trap *t, int fd, int mode, int flags)
{
	const struct mount *m;
	struct stat st;
	int ofd = fd_get(t, fd);
	long ret;

	if (ofd < 0)
		return ofd;
	ret = meta_fstat(ofd, &st) ? -errno : 0;
	m = ret ? NULL : host_fd_mount(ofd);
	if (!ret && (mode & W_OK) && (!m || mount_readonly(m)) &&
	    (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
		ret = -EROFS;
	if (!ret && syscall(SYS_faccessat2, ofd, "", mode,
			    AT_EMPTY_PATH | (flags & AT_EACCESS)))
		ret = -errno;
	if (!ret)
		ret = guest_access(t, &st, mode, flags);
	fd_put(t, ofd);
	return ret;
}

static long do_access(struct trap *t, int dirfd_arg, int path_arg, int mode,
		      int flags)
{
	struct vfs_req req;
	struct nameidata nd;
	long ret;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && dirfd_arg >= 0) {
		char c;

		if (guest_read(t->task, t->args[path_arg], &c, 1))
			return -EFAULT;
		if (!c)
			return access_fd(t, (int)t->args[dirfd_arg], mode, flags);
	}
	ret = vfs_walk_at(t, dirfd_arg, path_arg,
			  ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW) |
			  ((flags & AT_EMPTY_PATH) ? WALK_EMPTY_PATH : 0),
			  &req, &nd);
	if (!ret && (mode & W_OK) && mount_readonly(nd.mnt) &&
	    !S_ISCHR(nd.st.st_mode) && !S_ISBLK(nd.st.st_mode) &&
	    !S_ISFIFO(nd.st.st_mode) && !S_ISSOCK(nd.st.st_mode))
		ret = -EROFS;
	if (!ret && nd.lower)
		ret = lower_access(&nd, mode, flags & AT_EACCESS);
	else if (!ret && nd.last_type == LAST_NORM)
		ret = syscall(SYS_faccessat2, nd.dirfd, nd.last, mode,
			      AT_SYMLINK_NOFOLLOW | (flags & AT_EACCESS)) ?
		      -errno : 0;
	else if (!ret)
		ret = syscall(SYS_faccessat2, nd.dirfd, "", mode,
			      AT_EMPTY_PATH | (flags & AT_EACCESS)) ? -errno : 0;
	/* and for the guest's own ids (F_OK: existence only) */
	if (!ret)
		ret = guest_access(t, &nd.st, mode, flags);
	vfs_done(&req, &nd);
	return ret;
}

long sys_access(struct trap *t)
{
	return do_access(t, -1, 0, (int)t->args[1], 0);
}

long sys_faccessat(struct trap *t)
{
	return do_access(t, 0, 1, (int)t->args[2], 0);
}

long sys_faccessat2(struct trap *t)
{
	return do_access(t, 0, 1, (int)t->args[2], (int)t->args[3]);
}

static long do_readlink(struct trap *t, int dirfd_arg, int path_arg,
			uint64_t buf, long size)
{
	struct vfs_req req;
	struct nameidata nd;
	char target[PATH_MAX];
	long ret;

	if (size <= 0)
		return -EINVAL;
	ret = guest_read_str(t->task, t->args[path_arg], req.path,
			     sizeof(req.path));
	if (ret < 0)
		return ret;
	ret = procfs_readlink(t->task, req.path, target, sizeof(target));
	if (ret != -ENOSYS)
		goto out;
	if (!req.path[0] && dirfd_arg >= 0) {
		/* readlinkat(fd, ""): an O_PATH fd of a link names it */
		int ofd = fd_get(t, (int)t->args[dirfd_arg]);

		if (ofd < 0)
			return ofd;
		ret = readlinkat(ofd, "", target, sizeof(target));
		ret = ret < 0 ? -errno : ret;
		fd_put(t, ofd);
		goto out;
	}
	ret = vfs_walk_str(t, dirfd_arg < 0 ? AT_FDCWD :
			   (int)t->args[dirfd_arg], req.path, 0, &req, &nd);
	if (!ret && !S_ISLNK(nd.st.st_mode))
		ret = -EINVAL;
	if (!ret && nd.mnt->ops == &procfs_ops) {
		ret = procfs_rebase(&nd) ?:
		      procfs_readlink(t->task, nd.gpath, target, sizeof(target));
		ret = ret == -ENOSYS ? -ENOENT : ret;
	} else if (!ret) {
		ret = readlinkat(nd.dirfd, nd.last, target, sizeof(target));
		if (ret < 0)
			ret = -errno;
	}
	vfs_done(&req, &nd);
out:
	if (ret < 0)
		return ret;
	if (ret > size)
		ret = size;
	return guest_write(t->task, buf, target, ret) ? -EFAULT : ret;
}

long sys_readlink(struct trap *t)
{
	return do_readlink(t, -1, 0, t->args[1], (long)t->args[2]);
}

long sys_readlinkat(struct trap *t)
{
	return do_readlink(t, 0, 1, t->args[2], (long)t->args[3]);
}

/* Linux's d_path for a cwd outside the root: "(unreachable)/..." */
long sys_getcwd(struct trap *t)
{
	const char *g = t->task->fs->pwd.gpath;
	const char *vis = vfs_visible(t->task, g);
	char buf[PATH_MAX + 16];
	size_t size = t->args[1], len;

	if (vis)
		len = snprintf(buf, sizeof(buf), "%s", vis);
	else
		len = snprintf(buf, sizeof(buf), "(unreachable)%s", g);
	if (len + 1 > size)
		return -ERANGE;
	if (guest_write(t->task, t->args[0], buf, len + 1))
		return -EFAULT;
	return len + 1;
}

long sys_umask(struct trap *t)
{
	mode_t old = t->task->fs->umask;

	t->task->fs->umask = t->args[0] & 0777;
	return old;
}
