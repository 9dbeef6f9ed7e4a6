// SPDX-License-Identifier: GPL-2.0
/*
 * The copy-on-write root (see ovl.h).
 *
 * Why lower entries are made in the upper tree rather than looked up in
 * both layers at every lookup (as Linux's overlayfs does): the walk, its
 * cache and every call after it then see one directory fd, as for any
 * other mount, and a delete, a rename of a whole tree or a directory made
 * anew needs no whiteout, opaque or redirect mark.  An entry is made the
 * first time a lookup misses it (an empty file, or a directory, symlink
 * or node with the lower one's owner, mode and times); a directory is
 * merged whole only before it is listed or its names change, so that
 * walking through /usr/lib to one library makes one entry, not two
 * thousand.  A merged directory keeps the names its lower one had then:
 * a name added to the lower tree later does not show in it (the lower
 * data of a file not yet copied up does).
 *
 * Upper entries are named to the host as /proc/self/fd/N/name because
 * f*xattr() refuses O_PATH fds.  The marks are user xattrs, which the
 * guest may neither see nor set (ovl_xattr_to_host()), so a guest cannot
 * make a placeholder point anywhere.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "kernel/fs/dir_each.h"
#include "kernel/fs/meta.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/ovl.h"

static struct {
	int lower_fd;		/* O_PATH fd of the lower root */
	char *lower_real;	/* its canonical host path */
	size_t lower_len;	/* 0 for "/" */
	struct mount lower_mnt;	/* what ovl_host_to_guest() says */
	struct stat hidden[2];	/* the layer's own directories, if the
				 * lower tree holds them: never merged in */
	int nhidden;
} ovl = { .lower_fd = -1 };

/* Is lower directory stat ls the layer itself (or its --cow DIR)? */
static bool is_hidden(const struct stat *ls)
{
	for (int i = 0; i < ovl.nhidden; i++)
		if (ls->st_dev == ovl.hidden[i].st_dev &&
		    ls->st_ino == ovl.hidden[i].st_ino)
			return true;
	return false;
}

bool ovl_on(void)
{
	return ovl.lower_fd >= 0;
}

/*
 * The guest's own user.umbra.* names (an umbra inside the guest marks its
 * layer with them) live on the host as user.umbra.g.*, apart from the
 * overlay's marks: "name" is the guest's, host gets the host's.  -ERANGE
 * when the longer name would pass Linux's limit.
 */
#define GUEST_PREFIX	OVL_XATTR_PREFIX "g."

int ovl_xattr_to_host(const char *name, char *host, size_t size)
{
	size_t plen = sizeof(OVL_XATTR_PREFIX) - 1;
	int n;

	if (strncmp(name, OVL_XATTR_PREFIX, plen))
		n = snprintf(host, size, "%s", name);
	else
		n = snprintf(host, size, GUEST_PREFIX "%s", name + plen);
	return n < 0 || (size_t)n >= size || n > 255 ? -ERANGE : 0;
}

/* A host name as the guest sees it (in place); false: the overlay's own. */
bool ovl_xattr_to_guest(char *name)
{
	size_t plen = sizeof(OVL_XATTR_PREFIX) - 1;

	if (strncmp(name, OVL_XATTR_PREFIX, plen))
		return true;
	if (strncmp(name, GUEST_PREFIX, sizeof(GUEST_PREFIX) - 1))
		return false;
	memmove(name + plen, name + plen + 2, strlen(name + plen + 2) + 1);
	return true;
}

/* A name the host resolves to (dirfd, name): "" is dirfd itself. */
static int at_path(char *buf, size_t size, int dirfd, const char *name)
{
	int n = name[0] ? snprintf(buf, size, "/proc/self/fd/%d/%s", dirfd, name)
			: snprintf(buf, size, "/proc/self/fd/%d", dirfd);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* The lower path (dirfd, name) stands for: its length, 0 if none. */
static ssize_t lower_of(int dirfd, const char *name, char *buf, size_t size)
{
	char p[32 + NAME_MAX];
	ssize_t n;

	if (at_path(p, sizeof(p), dirfd, name))
		return -ENAMETOOLONG;
	n = name[0] ? lgetxattr(p, OVL_XATTR, buf, size - 1) :
		      getxattr(p, OVL_XATTR, buf, size - 1);
	if (n < 0)	/* ENODATA; a symlink or a filesystem without them */
		return errno == ERANGE ? -EIO : 0;
	buf[n] = '\0';
	return n ? n : -EIO;
}

/* Open rel below the lower root, never through a symlink. */
static int lower_open(const char *rel, int flags)
{
	return host_openat2(ovl.lower_fd, rel, flags | O_NOFOLLOW | O_CLOEXEC,
			    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			    RESOLVE_NO_MAGICLINKS);
}

static int join(char *buf, size_t size, const char *rel, const char *name)
{
	int n = strcmp(rel, ".") ? snprintf(buf, size, "%s/%s", rel, name) :
				   snprintf(buf, size, "%s", name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * Give the upper entry (dirfd, name) the guest's owner, mode and times of
 * the lower stat ls: what the host cannot hold goes to the store.  The
 * monitor keeps its own rights on what it must still write (a directory
 * it will merge, a fifo).
 */
static void take_attrs(int dirfd, const char *name, const struct stat *ls)
{
	struct timespec ts[2] = { ls->st_atim, ls->st_mtim };
	int at = name[0] ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH;
	struct stat shown = *ls;
	char p[32 + NAME_MAX];
	mode_t want, hmode;

	meta_fix(&shown);
	want = shown.st_mode & 07777;
	meta_chown(dirfd, name, at, shown.st_uid, shown.st_gid);
	if (!S_ISLNK(ls->st_mode) && !at_path(p, sizeof(p), dirfd, name)) {
		hmode = meta_host_mode(ls->st_mode, want);
		if (geteuid() && S_ISDIR(ls->st_mode))
			hmode |= S_IRWXU;
		else if (geteuid() && !S_ISREG(ls->st_mode))
			hmode |= S_IRUSR | S_IWUSR;
		if (!chmod(p, hmode))
			meta_chmod_done(dirfd, name, at, want);
	}
	if (name[0])
		utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
	else if (!at_path(p, sizeof(p), dirfd, ""))
		utimensat(AT_FDCWD, p, ts, 0);
}

/* A regular file: an empty upper file of OVL_MODE naming its lower one. */
static int placeholder(int updir, const char *name, const char *rel)
{
	int fd, ret;

	fd = openat(updir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, OVL_MODE);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	ret = fsetxattr(fd, OVL_XATTR, rel, strlen(rel), 0) ? -errno : 0;
	close(fd);
	if (ret)
		unlinkat(updir, name, 0);
	return ret;
}

/* A subdirectory, marked: its entries come as they are looked up. */
static int subdir(int updir, const char *name, const char *rel)
{
	char p[32 + NAME_MAX];

	if (mkdirat(updir, name, 0700))
		return errno == EEXIST ? 1 : -errno;
	if (at_path(p, sizeof(p), updir, name) ||
	    lsetxattr(p, OVL_XATTR, rel, strlen(rel), 0)) {
		unlinkat(updir, name, AT_REMOVEDIR);
		return -EIO;
	}
	return 0;
}

/* Make the upper entry for lower entry name of lowdir (lower path rel). */
static int make_entry(int updir, int lowdir, const char *name,
		      unsigned char type, const char *rel)
{
	char sub[PATH_MAX], body[PATH_MAX];
	struct stat ls;
	ssize_t n;
	int ret;

	if (join(sub, sizeof(sub), rel, name))
		return 0;	/* deeper than a guest path can name */
	if (type == DT_REG)
		return placeholder(updir, name, sub);
	if (fstatat(lowdir, name, &ls, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	switch (ls.st_mode & S_IFMT) {
	case S_IFREG:
		return placeholder(updir, name, sub);
	case S_IFDIR:
		if (is_hidden(&ls))
			return 0;	/* a layer inside its own lower tree */
		ret = subdir(updir, name, sub);
		break;
	case S_IFLNK:
		n = readlinkat(lowdir, name, body, sizeof(body) - 1);
		if (n < 0)
			return errno == ENOENT ? 0 : -errno;
		body[n] = '\0';
		ret = symlinkat(body, updir, name) ? -errno : 0;
		break;
	case S_IFCHR:
	case S_IFBLK:
		ret = meta_mknod(updir, name, ls.st_mode, ls.st_rdev);
		break;
	default:	/* a fifo or a socket */
		ret = mknodat(updir, name, (ls.st_mode & S_IFMT) | 0600, 0) ?
		      -errno : 0;
	}
	if (ret == -EEXIST || ret == 1)
		return 0;	/* made by an earlier, interrupted merge */
	if (!ret)
		take_attrs(updir, name, &ls);
	return ret;
}

/* A merge's place, for make_one() of each lower name. */
struct merge {
	int updir, lowdir;
	const char *rel;
	int err;
};

static bool make_one(const char *name, unsigned char type, void *arg)
{
	struct merge *m = arg;

	m->err = make_entry(m->updir, m->lowdir, name, type, m->rel);
	return m->err != 0;
}

static int merge_entries(int updir, int lowdir, const char *rel)
{
	struct merge m = { .updir = updir, .lowdir = lowdir, .rel = rel };

	if (dir_each(lowdir, make_one, &m))
		return m.err;
	return -errno;	/* 0: every entry seen */
}

/* A lower directory the monitor may search but not list (mode --x)? */
static bool search_only(const char *rel)
{
	int fd = lower_open(rel, O_PATH | O_DIRECTORY);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * Make the entries of upper directory (dirfd, name) from lower directory
 * rel, then drop its mark.  A lower directory that can only be searched
 * keeps its mark: its entries are only ever made as they are looked up
 * (ovl_lookup()).  Interrupted (a killed monitor), it is done
 * again: entries already there are kept.
 */
static int merge_dir(int dirfd, const char *name, const char *rel)
{
	char p[32 + NAME_MAX];
	struct stat ls;
	int updir, lowdir, ret = 0;

	updir = name[0] ? openat(dirfd, name, O_RDONLY | O_DIRECTORY |
				 O_NOFOLLOW | O_CLOEXEC) :
			  openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (updir < 0)	/* a placeholder: nothing to merge */
		return errno == ENOTDIR ? 0 : -errno;
	lowdir = lower_open(rel, O_RDONLY | O_DIRECTORY);
	if (lowdir == -EACCES && search_only(rel)) {
		close(updir);	/* kept marked: entries come one by one */
		return 0;
	}
	if (lowdir >= 0) {
		ret = merge_entries(updir, lowdir, rel);
		if (!ret && !fstat(lowdir, &ls))
			futimens(updir, (struct timespec[2]){ ls.st_atim,
							     ls.st_mtim });
		close(lowdir);
	} else if (lowdir != -ENOENT && lowdir != -ENOTDIR) {
		ret = lowdir;	/* unreadable: the walk says so */
	}
	if (!ret && (at_path(p, sizeof(p), updir, "") ||
		     removexattr(p, OVL_XATTR)))
		ret = -errno ?: -EIO;
	close(updir);
	return ret;
}

int ovl_merge(int dirfd, const char *name)
{
	char rel[PATH_MAX];
	ssize_t n;

	if (!ovl_on())
		return 0;
	n = lower_of(dirfd, name, rel, sizeof(rel));
	return n <= 0 ? (int)n : merge_dir(dirfd, name, rel);
}

int ovl_lookup(int dirfd, const char *name)
{
	char rel[PATH_MAX];
	struct stat ls;
	int lowdir, ret;

	if (!ovl_on() || lower_of(dirfd, "", rel, sizeof(rel)) <= 0)
		return -ENOENT;
	lowdir = lower_open(rel, O_PATH | O_DIRECTORY);
	if (lowdir < 0)
		return -ENOENT;
	ret = fstatat(lowdir, name, &ls, AT_SYMLINK_NOFOLLOW) ? -ENOENT :
	      make_entry(dirfd, lowdir, name,
			 S_ISREG(ls.st_mode) ? DT_REG : DT_UNKNOWN, rel);
	close(lowdir);
	return ret;
}

static bool maybe_placeholder(const struct stat *st)
{
	return ovl_on() && S_ISREG(st->st_mode) &&
	       (st->st_mode & 07777) == OVL_MODE;
}

bool ovl_stat(int dirfd, const char *name, struct stat *st)
{
	char rel[PATH_MAX];
	bool ok;
	int fd;

	if (!maybe_placeholder(st) ||
	    lower_of(dirfd, name, rel, sizeof(rel)) <= 0)
		return false;
	fd = lower_open(rel, O_PATH);
	if (fd < 0)
		return false;
	ok = !fstat(fd, st);
	close(fd);
	return ok;
}

int ovl_open_lower(int dirfd, const char *name, int flags)
{
	char rel[PATH_MAX];
	ssize_t n = lower_of(dirfd, name, rel, sizeof(rel));

	if (n <= 0)
		return n ? (int)n : -ESTALE;
	return lower_open(rel, flags);
}

int ovl_open_placeholder(int dirfd, const char *name, int flags)
{
	int err;

	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_TRUNC))
		return ovl_open_lower(dirfd, name, flags);
	/* O_TRUNC: the data would be thrown away at once */
	err = ovl_copy_up_data(dirfd, name, !(flags & O_TRUNC));
	return err ? err : -ENOENT;
}

static int copy_data(int in, int out)
{
	char buf[65536];
	ssize_t n, w;

	for (;;) {
		n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0 || errno == EINTR)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP)
			return -errno;
		break;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (ssize_t off = 0; off < n; off += w) {
			w = write(out, buf + off, n - off);
			if (w < 0 && errno != EINTR)
				return -errno;
			w = w < 0 ? 0 : w;
		}
	}
	return 0;
}

/*
 * In place, so that every hard link to the placeholder sees the copy.  It
 * keeps its mode and mark until the data is all there: a monitor killed
 * half-way leaves a placeholder, copied again next time.
 */
static int copy_up(int dirfd, const char *name, const char *rel, bool data)
{
	char p[32 + NAME_MAX];
	struct stat ls;
	int lfd, ufd, ret;

	lfd = lower_open(rel, O_RDONLY);
	if (lfd < 0)
		return lfd;
	if (at_path(p, sizeof(p), dirfd, name)) {
		close(lfd);
		return -ENAMETOOLONG;
	}
	ufd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC | (name[0] ? O_NOFOLLOW : 0));
	ret = ufd < 0 ? -errno : 0;
	if (!ret && data)
		ret = copy_data(lfd, ufd);
	if (!ret && fstat(lfd, &ls))
		ret = -errno;
	if (!ret && fremovexattr(ufd, OVL_XATTR))
		ret = -errno;
	if (!ret)
		take_attrs(name[0] ? dirfd : ufd, name, &ls);
	if (ufd >= 0)
		close(ufd);
	close(lfd);
	return ret;
}

int ovl_copy_up(int dirfd, const char *name)
{
	return ovl_copy_up_data(dirfd, name, true);
}

int ovl_copy_up_data(int dirfd, const char *name, bool data)
{
	char rel[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (!ovl_on())
		return 0;
	if (fstatat(dirfd, name, &st, name[0] ? AT_SYMLINK_NOFOLLOW :
					      AT_EMPTY_PATH))
		return -errno;
	if (!maybe_placeholder(&st))
		return 0;
	n = lower_of(dirfd, name, rel, sizeof(rel));
	return n <= 0 ? (int)n : copy_up(dirfd, name, rel, data);
}

const struct mount *ovl_host_to_guest(const char *host, char *gpath,
				      size_t size)
{
	const char *rel = host + ovl.lower_len;

	if (!ovl_on() || strncmp(host, ovl.lower_real, ovl.lower_len) ||
	    (*rel && *rel != '/'))
		return NULL;
	snprintf(gpath, size, "%s", *rel ? rel : "/");
	return &ovl.lower_mnt;
}

int ovl_init(int upper_fd, const char *lower, bool fresh, bool hide_parent)
{
	static char root_gpath[] = "/";
	char real[PATH_MAX], p[32];
	struct stat st;
	int fd;

	if (!realpath(lower, real))
		return -errno;
	fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	at_path(p, sizeof(p), upper_fd, "");
	if ((fresh && setxattr(p, OVL_XATTR, ".", 1, 0)) ||
	    (!fresh && getxattr(p, OVL_XATTR, NULL, 0) < 0 && errno != ENODATA)) {
		close(fd);
		return errno == ENOTSUP ? -EOPNOTSUPP : -errno;
	}
	ovl.lower_real = strdup(real);
	if (!ovl.lower_real) {
		close(fd);
		return -ENOMEM;
	}
	ovl.lower_len = strcmp(real, "/") ? strlen(real) : 0;
	ovl.lower_fd = fd;
	ovl.lower_mnt = (struct mount){
		.gpath = root_gpath, .gpath_len = 1, .host_path = ovl.lower_real,
		.fd = fd, .flags = MOUNT_RDONLY | MOUNT_KEEP, .is_dir = true,
	};
	if (!fstat(upper_fd, &ovl.hidden[0]))
		ovl.nhidden = 1;
	if (hide_parent && !fstatat(upper_fd, "..", &ovl.hidden[ovl.nhidden], 0))
		ovl.nhidden++;
	/* a new root: the lower root's owner and mode, then its entries */
	if (fresh && !fstat(fd, &st))
		take_attrs(upper_fd, "", &st);
	return ovl_merge(upper_fd, "");
}
