// SPDX-License-Identifier: GPL-2.0
/*
 * Making and removing names: mkdir, mknod, rmdir, unlink, rename, link,
 * symlink (Linux keeps them in fs/namei.c).  The walk stops at the parent
 * (WALK_PARENT) and the monitor makes the change itself with the *at()
 * call on (parent fd, one component), which can neither follow a symlink
 * nor leave the parent.  What the host cannot know is decided here first,
 * in Linux's order: names that are not plain ("/", ".", "..", a mount
 * point), the guest's mounts (EXDEV, EBUSY, EROFS) and trailing slashes,
 * which never reach the host.
 *
 * Differs from Linux, for all of these: the host checks permissions with
 * the monitor's credentials; a created object is owned by them, and the
 * guest's umask is applied even under a default POSIX ACL.  Mount points
 * are lexical (see namei.h): rename of a directory holding a mount point
 * fails with EBUSY, rmdir of one with ENOTEMPTY.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "kernel/fs/meta.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/path.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)
#endif

/*
 * vfs_walk_at(), but a path "" is ENOENT before the dirfd is looked at, as
 * Linux's getname() makes it.
 */
static long walk_at(struct trap *t, int dir_arg, int path_arg,
		    unsigned int flags, struct vfs_req *req,
		    struct nameidata *nd)
{
	long n;

	nd->dirfd = -1;
	nd->dirfd_owned = false;
	nd->dent = NULL;
	req->have_start = false;
	n = guest_read_str(t->task, t->args[path_arg], req->path,
			   sizeof(req->path));
	if (n <= 0)
		return n ? n : -ENOENT;
	return vfs_walk_str(t, dir_arg < 0 ? AT_FDCWD : (int)t->args[dir_arg],
			    req->path, flags, req, nd);
}

/* Linux's LAST_ROOT: the path named "/" or the task's root itself. */
static bool nd_is_root(const struct trap *t, const struct nameidata *nd)
{
	return nd->last_type == LAST_ROOT &&
	       (!strcmp(nd->gpath, "/") ||
		!strcmp(nd->gpath, t->task->fs->root.gpath));
}

/*
 * The mount of the directory a path ending in ".." met it in: walk the
 * path without its "..".  Only rename needs it, to fail as Linux does.
 */
static const struct mount *dotdot_mount(struct trap *t, int dir_arg,
					const struct vfs_req *req,
					const struct nameidata *nd)
{
	size_t len = strlen(req->path);
	const struct mount *m;
	struct vfs_req r;
	struct nameidata d;

	while (len > 1 && req->path[len - 1] == '/')
		len--;
	if (len < 2)
		return nd->mnt;
	len -= 2;
	memcpy(r.path, req->path, len);
	strcpy(r.path + len, len ? "" : ".");
	m = vfs_walk_str(t, dir_arg < 0 ? AT_FDCWD : (int)t->args[dir_arg],
			 r.path, WALK_FOLLOW, &r, &d) ? nd->mnt : d.mnt;
	vfs_done(&r, &d);
	return m;
}

/*
 * The mount of the directory holding the name, which is what Linux
 * compares for EXDEV: a mount point (LAST_ROOT here, a plain name of the
 * mount underneath for Linux) lives in its parent's mount, ".." in the
 * directory it was met in.
 */
static const struct mount *parent_mount(struct trap *t, int dir_arg,
					const struct vfs_req *req,
					const struct nameidata *nd)
{
	size_t len = strlen(nd->gpath);

	if (nd->last_type == LAST_DOTDOT)
		return dotdot_mount(t, dir_arg, req, nd);
	if (nd->last_type != LAST_ROOT || nd_is_root(t, nd) ||
	    len != nd->mnt->gpath_len)
		return nd->mnt;
	return mount_lookup_len(vfs_mounts, nd->gpath,
				path_parent_len(nd->gpath, len));
}

/* Is a visible mount point strictly below the canonical guest path? */
static bool mounts_below(const char *gpath)
{
	size_t len = strlen(gpath);

	for (size_t i = 0; i < mount_count(vfs_mounts); i++) {
		const struct mount *m = mount_at(vfs_mounts, i);

		if (!m->hidden && m->gpath_len > len &&
		    path_is_prefix(gpath, len, m->gpath, m->gpath_len))
			return true;
	}
	return false;
}

/*
 * An entry about to go: its host stat, for meta_unlinked() once it went
 * (the store forgets an inode with its last link).  Costs nothing while
 * the store holds no record.
 */
static bool going(int dirfd, const char *name, struct stat *st)
{
	return meta_has_records() &&
	       !fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW);
}

/* Is nd->last in its parent?  1 (st filled), 0, or -errno. */
static int last_lookup(const struct nameidata *nd, struct stat *st)
{
	if (!fstatat(nd->dirfd, nd->last, st, AT_SYMLINK_NOFOLLOW))
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

/*
 * Linux's filename_create(), the checks made before a name is created, in
 * its order: EEXIST for what is not a plain name or exists, ENOENT for a
 * missing "name/" unless a directory is made, then EROFS.  The host only
 * needs asking when the answer is not plain from the walk.
 */
static int may_create_name(const struct nameidata *nd, bool want_dir)
{
	bool slash = nd->trailing_slash && !want_dir;
	struct stat st;
	int ret;

	if (nd->last_type != LAST_NORM)
		return -EEXIST;
	if (!slash && !mount_readonly(nd->mnt))
		return 0;
	ret = last_lookup(nd, &st);
	if (ret)
		return ret < 0 ? ret : -EEXIST;
	return slash ? -ENOENT : -EROFS;
}

static long do_mkdirat(struct trap *t, int dirfd_arg, int path_arg,
		       mode_t mode)
{
	struct vfs_req req;
	struct nameidata nd;
	long ret = walk_at(t, dirfd_arg, path_arg, WALK_PARENT, &req, &nd);

	if (!ret)
		ret = may_create_name(&nd, true);
	if (!ret)
		ret = guest_may_create(&t->task->cred, nd.dirfd);
	if (!ret && mkdirat(nd.dirfd, nd.last, mode & ~t->task->fs->umask))
		ret = -errno;
	if (!ret)
		guest_own_new(&t->task->cred, nd.dirfd, nd.last);
	vfs_done(&req, &nd);
	return ret;
}

long sys_mkdir(struct trap *t)
{
	return do_mkdirat(t, -1, 0, (uint16_t)t->args[1]);
}

long sys_mkdirat(struct trap *t)
{
	return do_mkdirat(t, 0, 1, (uint16_t)t->args[2]);
}

/*
 * A guest never makes a host device, even when the monitor is root: a
 * character or block device of a guest with CAP_MKNOD is an empty file
 * and a record in the store (meta.c), which stat shows as the device and
 * open refuses with ENXIO, as for an absent driver; without CAP_MKNOD,
 * EPERM.  The whiteout (character device 0:0), which
 * any Linux user may make, is made.
 */
static long do_mknodat(struct trap *t, int dirfd_arg, int path_arg,
		       mode_t mode, unsigned int dev)
{
	struct vfs_req req;
	struct nameidata nd;
	struct stat st;
	bool device = false;
	long ret;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		dev = 0;
		break;
	case S_IFCHR:
		device = dev != 0;
		break;
	case S_IFBLK:
		device = true;
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	ret = walk_at(t, dirfd_arg, path_arg, WALK_PARENT, &req, &nd);
	if (!ret)
		ret = may_create_name(&nd, false);
	if (!ret && device) {
		/* what vfs_mknod() checks before CAP_MKNOD */
		ret = last_lookup(&nd, &st);
		if (ret > 0)
			ret = -EEXIST;
		else if (!ret && syscall(SYS_faccessat2, nd.dirfd, "", W_OK | X_OK,
					 AT_EMPTY_PATH | AT_EACCESS))
			ret = -errno;
		else if (!ret && !cred_capable(&t->task->cred, CAP_MKNOD))
			ret = -EPERM;
	}
	if (!ret)
		ret = guest_may_create(&t->task->cred, nd.dirfd);
	if (!ret && device)
		ret = meta_mknod(nd.dirfd, nd.last,
				 (mode & S_IFMT) | (mode & 07777 & ~t->task->fs->umask),
				 makedev((dev & 0xfff00) >> 8,
					 (dev & 0xff) | ((dev >> 12) & 0xfff00)));
	else if (!ret && mknodat(nd.dirfd, nd.last,
				 mode & ~t->task->fs->umask, dev))
		ret = -errno;
	if (!ret)
		guest_own_new(&t->task->cred, nd.dirfd, nd.last);
	vfs_done(&req, &nd);
	return ret;
}

long sys_mknod(struct trap *t)
{
	return do_mknodat(t, -1, 0, (uint16_t)t->args[1],
			  (unsigned int)t->args[2]);
}

long sys_mknodat(struct trap *t)
{
	return do_mknodat(t, 0, 1, (uint16_t)t->args[2],
			  (unsigned int)t->args[3]);
}

/* Differs from Linux: ENOTEMPTY for a directory holding only a mount point. */
/* The overlay's directory at nd->last, if any, merged before it goes. */
static long ovl_merge_at(const struct nameidata *nd)
{
	if (!(nd->mnt->flags & MOUNT_OVL) || nd->last_type != LAST_NORM)
		return 0;
	return ovl_merge(nd->dirfd, nd->last);
}

static long do_rmdir(struct trap *t, int dirfd_arg, int path_arg)
{
	struct vfs_req req;
	struct nameidata nd;
	struct stat st;
	bool gone;
	long ret = walk_at(t, dirfd_arg, path_arg, WALK_PARENT, &req, &nd);

	if (ret)
		goto out;
	switch (nd.last_type) {
	case LAST_DOTDOT:
		ret = -ENOTEMPTY;
		break;
	case LAST_DOT:
	case LAST_EMPTY:
		ret = -EINVAL;
		break;
	case LAST_ROOT:
		/* "/", or a mount point: busy unless not a directory */
		ret = nd_is_root(t, &nd) || S_ISDIR(nd.st.st_mode) ?
		      -EBUSY : -ENOTDIR;
		break;
	case LAST_NORM:
		if (mount_readonly(nd.mnt))
			ret = -EROFS;
		else if (mounts_below(nd.gpath))
			ret = -ENOTEMPTY;
		else if ((ret = guest_may_delete(&t->task->cred, nd.dirfd,
						 nd.last)))
			break;
		else if ((ret = ovl_merge_at(&nd)))	/* empty in both layers? */
			break;
		else if ((gone = going(nd.dirfd, nd.last, &st)),
			 unlinkat(nd.dirfd, nd.last, AT_REMOVEDIR))
			ret = -errno;
		else if (gone)
			meta_unlinked(&st);
		break;
	}
out:
	vfs_done(&req, &nd);
	return ret;
}

static long do_unlink(struct trap *t, int dirfd_arg, int path_arg)
{
	struct vfs_req req;
	struct nameidata nd;
	struct stat st;
	long ret = walk_at(t, dirfd_arg, path_arg, WALK_PARENT, &req, &nd);

	if (ret)
		goto out;
	if (nd.last_type != LAST_NORM) {
		/* a single-file mount point is busy; the rest are directories */
		ret = nd.last_type == LAST_ROOT && !nd_is_root(t, &nd) &&
		      !S_ISDIR(nd.st.st_mode) ? -EBUSY : -EISDIR;
	} else if (nd.mnt->ops && nd.mnt->ops->unlink) {
		/* a made filesystem's entry: the mount removes what it names */
		ret = guest_may_delete(&t->task->cred, nd.dirfd, nd.last) ?:
		      nd.mnt->ops->unlink(&nd);
	} else if (mount_readonly(nd.mnt)) {
		ret = -EROFS;
	} else if (nd.trailing_slash) {
		/* "name/" never names a non-directory */
		ret = last_lookup(&nd, &st);
		if (ret >= 0)
			ret = !ret ? -ENOENT : S_ISDIR(st.st_mode) ? -EISDIR :
			      -ENOTDIR;
	} else if ((ret = guest_may_delete(&t->task->cred, nd.dirfd,
					   nd.last))) {
		/* the guest's credentials may not */
	} else {
		bool gone = going(nd.dirfd, nd.last, &st);

		if (unlinkat(nd.dirfd, nd.last, 0))
			ret = -errno;
		else if (gone)
			meta_unlinked(&st);
	}
out:
	vfs_done(&req, &nd);
	return ret;
}

long sys_rmdir(struct trap *t)
{
	return do_rmdir(t, -1, 0);
}

long sys_unlink(struct trap *t)
{
	return do_unlink(t, -1, 0);
}

long sys_unlinkat(struct trap *t)
{
	int flags = (int)t->args[2];

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return flags ? do_rmdir(t, 0, 1) : do_unlink(t, 0, 1);
}

/* do_renameat2()'s checks on trailing slashes, which need both lookups. */
static int rename_slashes(const struct nameidata *o, const struct nameidata *n,
			  unsigned int flags)
{
	struct stat ost, nst;
	int ret, nexists;

	ret = last_lookup(o, &ost);
	if (ret <= 0)
		return ret < 0 ? ret : -ENOENT;
	nexists = last_lookup(n, &nst);
	if (nexists < 0)
		return nexists;
	if ((flags & RENAME_NOREPLACE) && nexists)
		return -EEXIST;
	if (flags & RENAME_EXCHANGE) {
		if (!nexists)
			return -ENOENT;
		if (!S_ISDIR(nst.st_mode) && n->trailing_slash)
			return -ENOTDIR;
	}
	if (!S_ISDIR(ost.st_mode) && (o->trailing_slash ||
	    (!(flags & RENAME_EXCHANGE) && n->trailing_slash)))
		return -ENOTDIR;
	return 0;
}

static int rename_check(struct trap *t, int odir_arg, const struct vfs_req *oreq,
			const struct nameidata *o, int ndir_arg,
			const struct vfs_req *nreq, const struct nameidata *n,
			unsigned int flags)
{
	int ret;

	if (parent_mount(t, odir_arg, oreq, o) !=
	    parent_mount(t, ndir_arg, nreq, n))
		return -EXDEV;
	if (o->last_type != LAST_NORM)
		return -EBUSY;
	if (n->last_type != LAST_NORM)
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (mount_readonly(o->mnt))
		return -EROFS;
	if (o->trailing_slash || n->trailing_slash) {
		ret = rename_slashes(o, n, flags);
		if (ret)
			return ret;
	}
	/* a lexical mount point would not move with its directory */
	if (mounts_below(o->gpath) || mounts_below(n->gpath))
		return -EBUSY;
	return 0;
}

/*
 * RENAME_WHITEOUT is the host's to refuse or do: it makes a character
 * device 0:0, which Linux (since 5.8) lets anyone make.
 * Differs from Linux: EBUSY when either name holds a mount point below it.
 */
static long do_renameat2(struct trap *t, int odir_arg, int opath_arg,
			 int ndir_arg, int npath_arg, unsigned int flags)
{
	struct vfs_req oreq, nreq;
	struct nameidata o, n;
	struct stat st;
	bool gone;
	long ret;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) &&
	    (flags & RENAME_EXCHANGE))
		return -EINVAL;
	ret = walk_at(t, odir_arg, opath_arg, WALK_PARENT, &oreq, &o);
	if (ret)
		goto out_old;
	ret = walk_at(t, ndir_arg, npath_arg, WALK_PARENT, &nreq, &n);
	if (!ret)
		ret = rename_check(t, odir_arg, &oreq, &o, ndir_arg, &nreq, &n,
				   flags);
	if (!ret)
		ret = guest_may_delete(&t->task->cred, o.dirfd, o.last) ?:
		      guest_may_delete(&t->task->cred, n.dirfd, n.last);
	if (!ret)	/* a directory replaced must be empty in both layers */
		ret = ovl_merge_at(&n);
	gone = !ret && !(flags & RENAME_EXCHANGE) && going(n.dirfd, n.last, &st);
	if (!ret && syscall(SYS_renameat2, o.dirfd, o.last, n.dirfd, n.last,
			    flags))
		ret = -errno;
	else if (gone)
		meta_unlinked(&st);	/* the replaced entry */
	vfs_done(&nreq, &n);
out_old:
	vfs_done(&oreq, &o);
	return ret;
}

long sys_rename(struct trap *t)
{
	return do_renameat2(t, -1, 0, -1, 1, 0);
}

long sys_renameat(struct trap *t)
{
	return do_renameat2(t, 0, 1, 2, 3, 0);
}

long sys_renameat2(struct trap *t)
{
	return do_renameat2(t, 0, 1, 2, 3, (unsigned int)t->args[4]);
}

/* linkat's source: what the walk found, or the guest's fd itself. */
struct link_src {
	struct vfs_req req;
	struct nameidata nd;
	int fd;				/* the object, with name "" */
	const struct mount *mnt;
	mode_t mode;
};

/*
 * A followed /proc/N/fd/M (or /dev/fd/M) is a magic link to the open file
 * itself, not to the name its body shows: "linkat(AT_FDCWD,
 * "/proc/self/fd/3", ..., AT_SYMLINK_FOLLOW)" is how an O_TMPFILE file
 * gets a name.  -ENOSYS: not such a path.
 */
static long link_src_magic(struct trap *t, struct link_src *s)
{
	struct task *owner;
	int n = procfs_fd_path(t->task, s->req.path, &owner);
	struct stat st;

	if (n < 0)
		return n;
	s->fd = fd_take(owner, n);
	if (s->fd < 0)
		return s->fd == -EBADF ? -ENOENT : s->fd;
	s->nd.dirfd = s->fd;		/* closed by vfs_done() */
	s->nd.dirfd_owned = true;
	s->mnt = host_fd_mount(s->fd);
	if (fstat(s->fd, &st))
		return -errno;
	s->mode = st.st_mode;
	return 0;
}

static long link_src_get(struct trap *t, int dir_arg, int path_arg, int flags,
			 struct link_src *s)
{
	int dirfd = dir_arg < 0 ? AT_FDCWD : (int)t->args[dir_arg];
	struct stat st;
	long ret;

	s->fd = -1;
	s->nd.dirfd = -1;
	s->nd.dirfd_owned = false;
	s->nd.dent = NULL;
	s->req.have_start = false;
	ret = guest_read_str(t->task, t->args[path_arg], s->req.path,
			     sizeof(s->req.path));
	if (ret < 0)
		return ret;
	if (!s->req.path[0] && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (s->req.path[0] && (flags & AT_SYMLINK_FOLLOW))
		ret = link_src_magic(t, s);
	else
		ret = -ENOSYS;
	if (ret != -ENOSYS)
		return ret;
	if (s->req.path[0]) {
		ret = vfs_walk_str(t, dirfd, s->req.path,
				   (flags & AT_SYMLINK_FOLLOW) ? WALK_FOLLOW : 0,
				   &s->req, &s->nd);
		s->mnt = s->nd.mnt;
		s->mode = s->nd.st.st_mode;
		if (!ret && s->nd.last_type != LAST_NORM)
			s->fd = s->nd.dirfd;
		return ret;
	}
	if (dirfd == AT_FDCWD) {
		s->fd = dup(t->task->fs->pwd.fd);
		if (s->fd < 0)
			return -errno;
		s->mnt = t->task->fs->pwd.mnt;
	} else {
		s->fd = fd_host_object(t->task, dirfd, O_PATH);
		if (s->fd < 0)
			return s->fd;
		s->mnt = host_fd_mount(s->fd);
	}
	s->nd.dirfd = s->fd;		/* closed by vfs_done() */
	s->nd.dirfd_owned = true;
	if (fstat(s->fd, &st))
		return -errno;
	s->mode = st.st_mode;
	return 0;
}

/*
 * Differs from Linux: AT_EMPTY_PATH links any fd the guest holds.  Linux
 * asks for CAP_DAC_READ_SEARCH or (6.10 on) an fd opened under the
 * caller's very credentials, which a guest's never is: the monitor opens
 * every guest file.  (The host's own check sees the monitor's fd.)
 */
static long do_linkat(struct trap *t, int odir_arg, int opath_arg,
		      int ndir_arg, int npath_arg, int flags)
{
	struct link_src s;
	struct vfs_req nreq;
	struct nameidata n;
	long ret;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	ret = link_src_get(t, odir_arg, opath_arg, flags, &s);
	if (ret)
		goto out_src;
	ret = walk_at(t, ndir_arg, npath_arg, WALK_PARENT, &nreq, &n);
	if (!ret)
		ret = may_create_name(&n, false);
	if (!ret && s.mnt != n.mnt)
		ret = -EXDEV;
	if (!ret && S_ISDIR(s.mode))
		ret = -EPERM;
	if (!ret)
		ret = guest_may_create(&t->task->cred, n.dirfd);
	if (!ret && s.fd < 0 && linkat(s.nd.dirfd, s.nd.last, n.dirfd, n.last, 0))
		ret = -errno;
	else if (!ret && s.fd >= 0 &&
		 linkat(s.fd, "", n.dirfd, n.last, AT_EMPTY_PATH))
		ret = -errno;
	vfs_done(&nreq, &n);
out_src:
	vfs_done(&s.req, &s.nd);
	return ret;
}

long sys_link(struct trap *t)
{
	return do_linkat(t, -1, 0, -1, 1, 0);
}

long sys_linkat(struct trap *t)
{
	return do_linkat(t, 0, 1, 2, 3, (int)t->args[4]);
}

/* The body is stored verbatim: the walk reads it in guest terms. */
static long do_symlinkat(struct trap *t, int target_arg, int ndir_arg,
			 int npath_arg)
{
	char target[PATH_MAX + 1];	/* PATH_MAX - 1 bytes and the NUL fit */
	struct vfs_req req;
	struct nameidata nd;
	long ret;

	ret = guest_read_str(t->task, t->args[target_arg], target,
			     sizeof(target));
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	ret = walk_at(t, ndir_arg, npath_arg, WALK_PARENT, &req, &nd);
	if (!ret)
		ret = may_create_name(&nd, false);
	if (!ret)
		ret = guest_may_create(&t->task->cred, nd.dirfd);
	if (!ret && symlinkat(target, nd.dirfd, nd.last))
		ret = -errno;
	if (!ret)
		guest_own_new(&t->task->cred, nd.dirfd, nd.last);
	vfs_done(&req, &nd);
	return ret;
}

long sys_symlink(struct trap *t)
{
	return do_symlinkat(t, 0, -1, 1);
}

long sys_symlinkat(struct trap *t)
{
	return do_symlinkat(t, 0, 1, 2);
}
