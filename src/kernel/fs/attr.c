// SPDX-License-Identifier: GPL-2.0
/*
 * Changing what an inode says about itself: chmod, chown, truncate and
 * the utimes family (Linux: fs/open.c, fs/utimes.c).  The walk finds the
 * object in guest terms; the host is then asked with a form that cannot
 * follow a symlink: the *at() call on (parent fd, name) with
 * AT_SYMLINK_NOFOLLOW, or, for the object itself (a directory the walk
 * ended in, the guest's fd with AT_EMPTY_PATH), the magic link
 * /proc/self/fd/N of our own O_PATH fd, which lands on exactly that inode
 * and follows nothing further.
 *
 * Differs from Linux, for all of these: the host decides permissions with
 * the monitor's credentials.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "kernel/fs/meta.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

/*
 * What an attribute call acts on.  The host reaches it as (fd, name) with
 * AT_SYMLINK_NOFOLLOW, or as fd itself when name is "".
 */
struct target {
	struct vfs_req req;
	struct nameidata nd;		/* nd.dirfd owns whatever fd is open */
	int fd;
	const char *name;
	const struct mount *mnt;	/* NULL: on no mount (a pipe...) */
	bool outside;			/* a host file outside the view */
	mode_t mode;			/* the object's type and mode */
	char proc[32];			/* /proc/self/fd/N for target_proc() */
	int pfd;			/* its O_PATH fd if opened for it */
};

/* The guest's dirfd itself, for AT_EMPTY_PATH with "". */
static long target_fd(struct trap *t, int dirfd, struct target *tg)
{
	struct stat st;

	if (dirfd == AT_FDCWD) {
		tg->fd = dup(t->task->fs->pwd.fd);
		if (tg->fd < 0)
			return -errno;
		tg->mnt = t->task->fs->pwd.mnt;
	} else {
		/* an O_PATH stand-in of a symlink acts on the link */
		tg->fd = opath_resolve(fd_host_object(t->task, dirfd, O_PATH));
		if (tg->fd < 0)
			return tg->fd;
		tg->outside = host_fd_readonly(tg->fd, &tg->mnt) && !tg->mnt;
	}
	tg->nd.dirfd = tg->fd;		/* closed by target_put() */
	tg->nd.dirfd_owned = true;
	tg->name = "";
	if (fstat(tg->fd, &st))
		return -errno;
	tg->mode = st.st_mode;
	return 0;
}

/* Nothing held yet: target_put() is safe. */
static void target_init(struct target *tg)
{
	tg->fd = -1;
	tg->pfd = -1;
	tg->outside = false;
	tg->nd.dirfd = -1;
	tg->nd.dirfd_owned = false;
	tg->nd.dent = NULL;
	tg->req.have_start = false;
}

/*
 * Find the object of a (dirfd, path, AT_ flags) call: the path is copied
 * once; AT_EMPTY_PATH with "" names the dirfd itself.  Call target_put()
 * afterwards in every case.
 */
static long target_get(struct trap *t, int dir_arg, int path_arg, int flags,
		       struct target *tg)
{
	int dirfd = dir_arg < 0 ? AT_FDCWD : (int)t->args[dir_arg];
	long ret;

	target_init(tg);
	ret = guest_read_str(t->task, t->args[path_arg], tg->req.path,
			     sizeof(tg->req.path));
	if (ret < 0)
		return ret;
	if (!tg->req.path[0])	/* before the dirfd is looked at, as Linux */
		return (flags & AT_EMPTY_PATH) ? target_fd(t, dirfd, tg) : -ENOENT;
	ret = vfs_walk_str(t, dirfd, tg->req.path,
			   (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW,
			   &tg->req, &tg->nd);
	if (ret)
		return ret;
	tg->fd = tg->nd.dirfd;
	tg->name = tg->nd.last_type == LAST_NORM ? tg->nd.last : "";
	tg->mnt = tg->nd.mnt;
	tg->mode = tg->nd.st.st_mode;
	return 0;
}

static void target_put(struct target *tg)
{
	if (tg->pfd >= 0)
		close(tg->pfd);
	tg->pfd = -1;
	vfs_done(&tg->req, &tg->nd);
}

static int target_at_flags(const struct target *tg)
{
	return tg->name[0] ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH;
}

/* The object as a path the host may follow: /proc/self/fd/N. */
static long target_proc(struct target *tg)
{
	int fd = tg->fd;

	if (tg->name[0]) {
		tg->pfd = openat(tg->fd, tg->name,
				 O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (tg->pfd < 0)
			return -errno;
		fd = tg->pfd;
	}
	snprintf(tg->proc, sizeof(tg->proc), "/proc/self/fd/%d", fd);
	return 0;
}

static bool target_readonly(const struct target *tg)
{
	return tg->mnt ? mount_readonly(tg->mnt) : tg->outside;
}

/* An overlay file not copied up yet: its attributes change on the copy. */
static long target_copy_up(const struct target *tg)
{
	if (!tg->mnt || !(tg->mnt->flags & MOUNT_OVL))
		return 0;
	return ovl_copy_up(tg->fd, tg->name);
}

/*
 * The object of a call that changes it, checked in Linux's order: the
 * flags (EINVAL), the lookup, a read-only mount (EROFS).  Call
 * target_put() afterwards in every case.
 */
static long target_get_rw(struct trap *t, int dir_arg, int path_arg,
			  int flags, struct target *tg)
{
	long ret;

	target_init(tg);
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	ret = target_get(t, dir_arg, path_arg, flags, tg);
	if (!ret && target_readonly(tg))
		ret = -EROFS;
	return ret ?: target_copy_up(tg);
}

/* The object's owner and mode, for the guest's checks. */
static long target_stat(const struct target *tg, struct stat *st)
{
	return meta_fstatat(tg->fd, tg->name, st, target_at_flags(tg)) ? -errno : 0;
}

/* fchmodat2 (Linux 6.6) changes no symlink: EOPNOTSUPP, as Linux. */
static long do_fchmodat(struct trap *t, int dir_arg, int path_arg,
			mode_t mode, int flags)
{
	struct target tg;
	struct stat st;
	mode_t hmode;
	long ret = target_get_rw(t, dir_arg, path_arg, flags, &tg);

	if (!ret && !(ret = target_stat(&tg, &st)) && !S_ISLNK(st.st_mode))
		ret = guest_may_chmod(&t->task->cred, &st, &mode);
	hmode = ret ? mode : meta_host_mode(tg.mode, mode);
	if (!ret && syscall(SYS_fchmodat2, tg.fd, tg.name, hmode,
			    target_at_flags(&tg))) {
		ret = -errno;
		/* a host before 6.6: through our O_PATH fd */
		if (ret == -ENOSYS && S_ISLNK(tg.mode))
			ret = -EOPNOTSUPP;
		else if (ret == -ENOSYS && !(ret = target_proc(&tg)) &&
			 chmod(tg.proc, hmode))
			ret = -errno;
	}
	if (!ret)
		ret = meta_chmod_done(tg.fd, tg.name, target_at_flags(&tg), mode);
	target_put(&tg);
	return ret;
}

long sys_chmod(struct trap *t)
{
	return do_fchmodat(t, -1, 0, (uint16_t)t->args[1], 0);
}

long sys_fchmodat(struct trap *t)
{
	return do_fchmodat(t, 0, 1, (uint16_t)t->args[2], 0);
}

long sys_fchmodat2(struct trap *t)
{
	return do_fchmodat(t, 0, 1, (uint16_t)t->args[2], (int)t->args[3]);
}

static long do_fchownat(struct trap *t, int dir_arg, int path_arg,
			uid_t user, gid_t group, int flags)
{
	struct target tg;
	struct stat st;
	long ret = target_get_rw(t, dir_arg, path_arg, flags, &tg);

	if (!ret && !(ret = target_stat(&tg, &st)))
		ret = guest_may_chown(&t->task->cred, &st, user, group);
	if (!ret)
		ret = meta_chown(tg.fd, tg.name, target_at_flags(&tg), user, group);
	target_put(&tg);
	return ret;
}

long sys_chown(struct trap *t)
{
	return do_fchownat(t, -1, 0, (uid_t)t->args[1], (gid_t)t->args[2], 0);
}

long sys_lchown(struct trap *t)
{
	return do_fchownat(t, -1, 0, (uid_t)t->args[1], (gid_t)t->args[2],
			   AT_SYMLINK_NOFOLLOW);
}

long sys_fchownat(struct trap *t)
{
	return do_fchownat(t, 0, 1, (uid_t)t->args[2], (gid_t)t->args[3],
			   (int)t->args[4]);
}

/*
 * The guest's RLIMIT_FSIZE, which the monitor's own truncate would not
 * meet: past it, SIGXFSZ and EFBIG, as Linux's inode_newsize_ok.
 */
static long fsize_ok(struct trap *t, long length)
{
	struct rlimit rl;

	if (prlimit(t->task->tid, RLIMIT_FSIZE, NULL, &rl) ||
	    rl.rlim_cur == RLIM_INFINITY || (unsigned long)length <= rl.rlim_cur)
		return 0;
	syscall(SYS_tgkill, t->task->leader->tid, t->task->tid, SIGXFSZ);
	return -EFBIG;
}

/* Is a lease (a guest's, F_SETLEASE) on this inode?  /proc/locks says. */
static bool has_lease(const struct stat *st)
{
	char line[256], *p;
	unsigned int maj, min;
	unsigned long ino;
	bool found = false;
	FILE *f = fopen("/proc/locks", "re");

	while (f && !found && fgets(line, sizeof(line), f)) {
		if (!strstr(line, " LEASE "))
			continue;
		for (p = strtok(line, " "); p && !found; p = strtok(NULL, " "))
			found = sscanf(p, "%x:%x:%lu", &maj, &min, &ino) == 3 &&
				ino == st->st_ino && maj == major(st->st_dev) &&
				min == minor(st->st_dev);
	}
	if (f)
		fclose(f);
	return found;
}

/* A worker's truncate, which may wait for a lease's break as Linux's. */
static long truncate_attempt(struct trap *t)
{
	char proc[32];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", (int)t->saved[0]);
	return truncate(proc, (off_t)t->saved[1]) ? -errno : 0;
}

static void truncate_attempt_put(struct trap *t)
{
	close((int)t->saved[0]);
}

/*
 * truncate(2) on our O_PATH fd: no open, so no open or close events.  A
 * lease on the file makes the host wait for its break: then a worker
 * makes the call, never the monitor under the kernel lock.
 */
static long do_truncate(struct trap *t, struct target *tg,
			const struct stat *st, long length)
{
	int fd;

	if (!has_lease(st))
		return truncate(tg->proc, length) ? -errno : 0;
	fd = open(tg->proc, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	t->saved[0] = (uint64_t)fd;
	t->saved[1] = (uint64_t)length;
	return trap_later(t, truncate_attempt, truncate_attempt_put);
}

long sys_truncate(struct trap *t)
{
	long length = (long)t->args[1];
	struct stat st;
	struct target tg;
	long ret;

	if (length < 0)
		return -EINVAL;
	ret = target_get(t, -1, 0, 0, &tg);
	if (!ret && S_ISDIR(tg.mode))
		ret = -EISDIR;
	else if (!ret && !S_ISREG(tg.mode))
		ret = -EINVAL;
	else if (!ret && target_readonly(&tg))
		ret = -EROFS;
	if (!ret)
		ret = target_stat(&tg, &st) ?:
		      guest_permission(&t->task->cred, &st, MAY_WRITE, false);
	if (!ret)
		ret = fsize_ok(t, length) ?: target_copy_up(&tg);
	if (!ret)
		ret = target_proc(&tg);
	if (!ret)
		ret = do_truncate(t, &tg, &st, length);
	target_put(&tg);
	return ret;
}

static bool nsec_valid(long nsec)
{
	if (nsec == UTIME_OMIT || nsec == UTIME_NOW)
		return true;
	return nsec >= 0 && nsec <= 999999999;
}

static long times_check(const struct timespec *ts)
{
	return ts && (!nsec_valid(ts[0].tv_nsec) || !nsec_valid(ts[1].tv_nsec)) ?
	       -EINVAL : 0;
}

/* utimensat(fd, NULL, ...): the guest's open file itself (not O_PATH). */
/* An explicit time (not now, not omitted): the owner's to set. */
static bool times_set(const struct timespec *ts)
{
	return ts && ((ts[0].tv_nsec != UTIME_NOW && ts[0].tv_nsec != UTIME_OMIT) ||
		      (ts[1].tv_nsec != UTIME_NOW && ts[1].tv_nsec != UTIME_OMIT));
}

static long utimes_fd(struct trap *t, int fd, const struct timespec *ts,
		      int flags)
{
	const struct mount *m;
	struct stat st;
	long ret;
	int hfd;

	if (flags)
		return -EINVAL;
	hfd = fd_take(t->task, fd);
	if (hfd < 0)
		return hfd;
	ret = (fcntl(hfd, F_GETFL) & O_PATH) ? -EBADF : times_check(ts);
	if (!ret && host_fd_readonly(hfd, &m))
		ret = -EROFS;
	if (!ret)
		ret = meta_fstat(hfd, &st) ? -errno :
		      guest_may_utimes(&t->task->cred, &st, times_set(ts));
	if (!ret && syscall(SYS_utimensat, hfd, NULL, ts, 0))
		ret = -errno;
	close(hfd);
	return ret;
}

/* Linux's do_utimes(): ts NULL means now. */
static long do_utimes(struct trap *t, int dir_arg, int path_arg,
		      const struct timespec *ts, int flags)
{
	int dirfd = dir_arg < 0 ? AT_FDCWD : (int)t->args[dir_arg];
	struct target tg;
	struct stat st;
	long ret;

	if (!t->args[path_arg] && dirfd != AT_FDCWD)
		return utimes_fd(t, dirfd, ts, flags);
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	ret = target_get(t, dir_arg, path_arg, flags, &tg);
	if (!ret)
		ret = times_check(ts);
	if (!ret && target_readonly(&tg))
		ret = -EROFS;
	if (!ret)
		ret = target_stat(&tg, &st) ?:
		      guest_may_utimes(&t->task->cred, &st, times_set(ts));
	if (!ret)
		ret = target_copy_up(&tg);
	if (!ret && tg.name[0]) {
		if (utimensat(tg.fd, tg.name, ts, AT_SYMLINK_NOFOLLOW))
			ret = -errno;
	} else if (!ret && !(ret = target_proc(&tg)) &&
		   utimensat(AT_FDCWD, tg.proc, ts, 0)) {
		ret = -errno;
	}
	target_put(&tg);
	return ret;
}

long sys_utimensat(struct trap *t)
{
	struct timespec ts[2];

	if (t->args[2]) {
		if (guest_read(t->task, t->args[2], ts, sizeof(ts)))
			return -EFAULT;
		/* nothing to do: not even the path is looked at */
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	return do_utimes(t, 0, 1, t->args[2] ? ts : NULL, (int)t->args[3]);
}

/* utimes, futimesat: microseconds, checked before they are multiplied. */
static long do_futimesat(struct trap *t, int dir_arg, int path_arg,
			 uint64_t tv_addr)
{
	struct timeval tv[2];
	struct timespec ts[2];

	if (tv_addr) {
		if (guest_read(t->task, tv_addr, tv, sizeof(tv)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			ts[i].tv_sec = tv[i].tv_sec;
			ts[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	}
	return do_utimes(t, dir_arg, path_arg, tv_addr ? ts : NULL, 0);
}

long sys_utimes(struct trap *t)
{
	return do_futimesat(t, -1, 0, t->args[1]);
}

long sys_futimesat(struct trap *t)
{
	return do_futimesat(t, 0, 1, t->args[2]);
}

long sys_utime(struct trap *t)
{
	struct utimbuf_k {
		long actime, modtime;
	} ub;
	struct timespec ts[2];

	if (t->args[1]) {
		if (guest_read(t->task, t->args[1], &ub, sizeof(ub)))
			return -EFAULT;
		ts[0] = (struct timespec){ .tv_sec = ub.actime };
		ts[1] = (struct timespec){ .tv_sec = ub.modtime };
	}
	return do_utimes(t, -1, 0, t->args[1] ? ts : NULL, 0);
}
