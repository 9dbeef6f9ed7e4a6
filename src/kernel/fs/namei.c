// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's path walk (see namei.h), modelled on Linux's fs/namei.c:
 * one loop over components, symlink bodies spliced in front of what is
 * left of the path, ".." and mount points handled on the canonical guest
 * path we carry along.
 *
 * Why it cannot leave the view: the host is only ever asked
 *  - openat2(dir, "name", RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) for one
 *    component, or for several plain components (fast path: no ".." and no
 *    mount point among them), which yields a descendant of dir;
 *  - openat2(mount_root, "a/b", RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS) to
 *    re-open a parent for "..", which yields a descendant of the backend;
 *  - fstatat/readlinkat(dir, "name") on one component, never following it,
 *    and fstat/faccessat2(dir, "", AT_EMPTY_PATH) on a dir itself;
 * where every dir is a mount's root fd or was obtained that way.  Symlink
 * bodies are interpreted here, in guest terms.  A concurrent rename can
 * therefore only make a lookup fail or find another object of the same
 * backend; the host's own ".." is never used.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/dcache.h"
#include "kernel/fs/meta.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/path.h"

#define NO_LINKS	(RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

/* Who owns the fd the walk currently stands on. */
enum fd_kind {
	FD_OWNED,	/* opened by the walk: closed when left */
	FD_MOUNT,	/* a mount's root fd: lives as long as the table */
	FD_BORROWED,	/* the caller's root/start fd: duplicated if returned */
	FD_CACHED,	/* a pinned dcache entry's: duplicated if returned */
};

/* Step results; negative values are -errno. */
enum {
	WALK_DONE,	/* nd is filled */
	WALK_NEXT,	/* component consumed */
	WALK_MOUNT,	/* component consumed, a mount entered */
	WALK_LINK,	/* symlink body spliced in front of the rest */
	WALK_RETRY,	/* the component changed under us: look again */
};

struct walk {
	const struct mount_table *mt;
	const struct path *root;
	const struct path *start;	/* WALK_BENEATH's bound */
	struct nameidata *nd;	/* the current dir is nd->mnt, dirfd, gpath */
	unsigned int flags;
	enum fd_kind kind;
	struct dentry *dent;	/* FD_CACHED: the entry, pinned */
	size_t glen;		/* strlen(nd->gpath) */
	int nlinks;
	bool xpending;		/* a "." was walked without a search check */
	char *rest;		/* what is left of the path, inside buf */
	char name[NAME_MAX + 1];
	char link[PATH_MAX];
	char buf[2 * PATH_MAX];	/* rest always ends at the end of buf */
};

int host_openat2(int dirfd, const char *name, int flags,
		 unsigned long long resolve)
{
	struct open_how how = { .flags = flags, .resolve = resolve };
	int tries = 8, fd;

	/* EAGAIN: the kernel saw a rename race and could not vouch for it */
	do
		fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && --tries);
	return fd < 0 ? -errno : fd;
}

/*
 * Search permission on the current directory, for the lookups the walk
 * answers without asking the host ("..", ".", mount points): Linux checks
 * it before looking up any component.
 */
int (*namei_may_search)(int dirfd);

static int may_lookup(struct walk *w)
{
	w->xpending = false;
	if ((w->flags & WALK_SEARCH) && namei_may_search &&
	    namei_may_search(w->nd->dirfd))
		return -EACCES;
	if (syscall(SYS_faccessat2, w->nd->dirfd, "", X_OK,
		    AT_EMPTY_PATH | AT_EACCESS) == 0)
		return 0;
	/* before 5.8 only the host's own lookups check (openat2 needs 5.6) */
	return errno == ENOSYS ? 0 : -errno;
}

static void cur_set(struct walk *w, const struct mount *mnt, int fd,
		    enum fd_kind kind)
{
	if (w->kind == FD_OWNED && w->nd->dirfd >= 0)
		close(w->nd->dirfd);
	else if (w->kind == FD_CACHED)
		dcache_put(w->dent);
	w->nd->mnt = mnt;
	w->nd->dirfd = fd;
	w->kind = kind;
	w->xpending = false;
}

static void cur_set_cached(struct walk *w, const struct mount *mnt,
			   struct dentry *d)
{
	cur_set(w, mnt, dcache_fd(d), FD_CACHED);
	w->dent = d;
}

/* Stand on the directory at nd->gpath in mnt if the cache has it. */
static bool cur_cached(struct walk *w, const struct mount *mnt)
{
	struct dentry *d;

	if (dcache_get(mnt, w->nd->gpath, w->glen, &d) < 0)
		return false;
	cur_set_cached(w, mnt, d);
	return true;
}

/* ... else open it as openat2(dirfd, rel, resolve), and cache it. */
static int cur_open(struct walk *w, const struct mount *mnt, int dirfd,
		    const char *rel, unsigned long long resolve)
{
	struct dentry *d;
	int fd;

	fd = host_openat2(dirfd, rel, O_PATH | O_DIRECTORY | O_CLOEXEC,
			  resolve);
	if (fd < 0)
		return fd;
	d = dcache_add(mnt, w->nd->gpath, w->glen, fd);
	if (d)
		cur_set_cached(w, mnt, d);
	else
		cur_set(w, mnt, fd, FD_OWNED);
	return 0;
}

static int cur_open_dir(struct walk *w, const struct mount *mnt, int dirfd,
			const char *rel, unsigned long long resolve)
{
	return cur_cached(w, mnt) ? 0 : cur_open(w, mnt, dirfd, rel, resolve);
}

static void cur_set_path(struct walk *w, const struct path *p)
{
	size_t len = strlen(p->gpath);

	memcpy(w->nd->gpath, p->gpath, len + 1);
	w->glen = len;
	/* a mount root: use the table's fd, which outlives the walk */
	if (len == p->mnt->gpath_len)
		cur_set(w, p->mnt, p->mnt->fd, FD_MOUNT);
	else
		cur_set(w, p->mnt, p->fd, FD_BORROWED);
}

static int gpath_push(struct walk *w, const char *name, size_t len)
{
	char *g = w->nd->gpath;
	size_t n = w->glen;

	if (n + 1 + len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (n > 1)
		g[n++] = '/';
	memcpy(g + n, name, len);
	n += len;
	g[n] = '\0';
	w->glen = n;
	return 0;
}

static void gpath_trunc(struct walk *w, size_t len)
{
	w->glen = len;
	w->nd->gpath[len] = '\0';
}

static int finish(struct walk *w)
{
	struct nameidata *nd = w->nd;
	int fd;

	/* a cached fd is lent, pinned until nd_release(): no dup, no close */
	if (w->kind == FD_CACHED) {
		nd->dent = w->dent;
		w->kind = FD_MOUNT;
	}
	if (w->kind == FD_BORROWED) {
		fd = fcntl(nd->dirfd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		nd->dirfd = fd;
		w->kind = FD_OWNED;
	}
	nd->dirfd_owned = w->kind == FD_OWNED;
	if (nd->exists)
		meta_fix(&nd->st);	/* the guest's owner and mode */
	return WALK_DONE;
}

/* The result is the directory (or mount root) the walk stands on. */
static int finish_self(struct walk *w, enum last_type type)
{
	struct nameidata *nd = w->nd;
	int ret;

	if (w->xpending) {
		ret = may_lookup(w);
		if (ret)
			return ret;
	}
	if (fstat(nd->dirfd, &nd->st) < 0)
		return -errno;
	nd->last_type = type;
	nd->last[0] = '\0';
	nd->exists = true;
	return finish(w);
}

/* The result is w->name in the directory the walk stands on. */
static int finish_norm(struct walk *w, size_t len, bool exists)
{
	struct nameidata *nd = w->nd;

	memcpy(nd->last, w->name, len + 1);
	nd->last_type = LAST_NORM;
	nd->exists = exists;
	if (!exists)
		memset(&nd->st, 0, sizeof(nd->st));
	return finish(w);
}

/* A symlink of a made filesystem: the mount says its body. */
static ssize_t synth_readlink(struct walk *w)
{
	char g[PATH_MAX], b[PATH_MAX];
	const char *path;
	const struct mount *base;

	if (snprintf(g, sizeof(g), "%s/%s", w->glen > 1 ? w->nd->gpath : "",
		     w->name) >= (int)sizeof(g))
		return -ENAMETOOLONG;
	base = mount_ops_path(w->nd->mnt, g, b, sizeof(b), &path);
	if (!base)
		return -ENAMETOOLONG;
	return w->nd->mnt->ops->readlink(base, path, w->link, sizeof(w->link));
}

/* Let a made filesystem bring entry w->name (now at gpath) up to date. */
static int synth_lookup(struct walk *w)
{
	const struct mount *m = w->nd->mnt, *base;
	char b[PATH_MAX];
	const char *path;

	if (!m->ops)
		return 0;
	base = mount_ops_path(m, w->nd->gpath, b, sizeof(b), &path);
	return base ? m->ops->lookup(base, w->nd->dirfd, path, w->name) :
		      -ENAMETOOLONG;
}

/*
 * openat2's scoping.  A made filesystem's symlinks below its root are its
 * magic links (/proc/N/fd/M, exe, cwd, root, ns/...); those at its root
 * (/proc/self, thread-self, mounts) are plain, as Linux's.
 */
static int link_allowed(const struct walk *w)
{
	const struct mount *m = w->nd->mnt;
	bool magic = m->ops && m->ops->readlink && w->glen > m->gpath_len;

	if (w->flags & WALK_NO_SYMLINKS)
		return -ELOOP;
	if (magic && (w->flags & WALK_NO_MAGICLINKS))
		return -ELOOP;
	if (magic && (w->flags & (WALK_BENEATH | WALK_IN_ROOT)))
		return -EXDEV;		/* not safe for a scoped lookup */
	return 0;
}

/* A jump to the root (an absolute path or symlink body). */
static int jump_allowed(const struct walk *w)
{
	if (w->flags & WALK_BENEATH)
		return -EXDEV;
	if ((w->flags & WALK_NO_XDEV) && w->nd->mnt != w->root->mnt)
		return -EXDEV;
	return 0;
}

/*
 * Splice the body of the symlink w->name (in the current directory) in
 * front of after, the rest of the path behind it.  An absolute body
 * restarts at the task's root, never at the host's.  n is the length of
 * the body already read into w->link, or -1.
 */
static int walk_link(struct walk *w, char *after, ssize_t n)
{
	int err = link_allowed(w);

	if (err)
		return err;
	if (w->nlinks++ >= MAXSYMLINKS)
		return -ELOOP;
	if (n < 0 && w->nd->mnt->ops && w->nd->mnt->ops->readlink)
		n = synth_readlink(w);
	else if (n < 0)	/* body not read yet */
		n = readlinkat(w->nd->dirfd, w->name, w->link, sizeof(w->link));
	if (n < 0 && w->nd->mnt->ops && w->nd->mnt->ops->readlink)
		return (int)n;
	if (n < 0)
		return errno == EINVAL ? WALK_RETRY : -errno;
	if (n == 0)
		return -ENOENT;
	if ((size_t)n >= sizeof(w->link) || n > after - w->buf)
		return -ENAMETOOLONG;
	if (w->link[0] == '/' && (err = jump_allowed(w)))
		return err;
	w->rest = after - n;
	memcpy(w->rest, w->link, n);
	if (w->link[0] == '/')
		cur_set_path(w, w->root);
	return WALK_LINK;
}

/* Re-open the directory at nd->gpath lexically from the root of mnt. */
static int walk_reopen(struct walk *w, const struct mount *mnt)
{
	const char *rel = w->nd->gpath + mnt->gpath_len;

	while (*rel == '/')
		rel++;
	if (!*rel) {
		cur_set(w, mnt, mnt->fd, FD_MOUNT);
		return 0;
	}
	return cur_open_dir(w, mnt, mnt->fd, rel, RESOLVE_IN_ROOT | NO_LINKS);
}

/*
 * "..": stays at the task's root (and at "/"); from a mount's root, goes to
 * the directory holding the mount point, in the mount underneath.
 */
static int walk_up(struct walk *w)
{
	const struct mount *mnt = w->nd->mnt;
	size_t plen;
	int ret;

	ret = may_lookup(w);
	if (ret)
		return ret;
	/* BENEATH: ".." may not leave the start (nor stay at "/" above it) */
	if ((w->flags & WALK_BENEATH) &&
	    (!strcmp(w->nd->gpath, w->start->gpath) ||
	     !path_is_prefix(w->start->gpath, strlen(w->start->gpath),
			     w->nd->gpath, w->glen)))
		return -EXDEV;
	if (w->glen == 1 || strcmp(w->nd->gpath, w->root->gpath) == 0)
		return 0;
	plen = path_parent_len(w->nd->gpath, w->glen);
	if (w->glen == mnt->gpath_len && (w->flags & WALK_NO_XDEV))
		return -EXDEV;
	if (w->glen == mnt->gpath_len) {
		mnt = mount_lookup_len(w->mt, w->nd->gpath, plen);
		if (!mnt)
			return -ENOENT;
	}
	gpath_trunc(w, plen);
	return walk_reopen(w, mnt);
}

/* Enter the mount at nd->gpath if there is one: 1 if entered. */
static int walk_mountpoint(struct walk *w, bool must_be_dir)
{
	const struct mount *m = mount_find_len(w->mt, w->nd->gpath, w->glen);
	int ret;

	if (!m)
		return 0;
	ret = may_lookup(w);
	if (ret)
		return ret;
	if (w->flags & WALK_NO_XDEV)
		return -EXDEV;
	if (must_be_dir && !m->is_dir)
		return -ENOTDIR;
	cur_set(w, m, m->fd, FD_MOUNT);
	return 1;
}

/*
 * A component that is not the last: it must lead to a directory.  With
 * probe, the fast path just met a symlink in a run starting here; the
 * first component is the usual suspect (/lib, /bin, /lib64 on a merged
 * /usr), so try to read it as a link before opening it as a directory.
 */
static int walk_down(struct walk *w, size_t len, char *after, bool probe)
{
	size_t saved = w->glen;
	ssize_t n;
	int fd, ret;

	ret = gpath_push(w, w->name, len);
	if (ret)
		return ret;
	ret = walk_mountpoint(w, true);
	if (ret)
		return ret < 0 ? ret : WALK_MOUNT;
	ret = synth_lookup(w);
	if (ret)
		return ret;
	if (cur_cached(w, w->nd->mnt))
		return WALK_NEXT;
	if (probe) {
		n = readlinkat(w->nd->dirfd, w->name, w->link, sizeof(w->link));
		if (n >= 0) {
			gpath_trunc(w, saved);
			return walk_link(w, after, n);
		}
		if (errno != EINVAL)
			return -errno;
	}
	/* no O_NOFOLLOW: a symlink then fails with ELOOP instead of ENOTDIR */
	fd = cur_open(w, w->nd->mnt, w->nd->dirfd, w->name,
		      RESOLVE_BENEATH | NO_LINKS);
	if (fd == -ENOENT && (w->nd->mnt->flags & MOUNT_OVL) &&
	    !ovl_lookup(w->nd->dirfd, w->name))	/* made as looked up */
		fd = cur_open(w, w->nd->mnt, w->nd->dirfd, w->name,
			      RESOLVE_BENEATH | NO_LINKS);
	if (fd == 0)
		return WALK_NEXT;
	if (fd != -ELOOP)
		return fd;
	gpath_trunc(w, saved);
	return walk_link(w, after, -1);
}

static int walk_last(struct walk *w, size_t len, char *after)
{
	unsigned int f = w->flags;
	bool slash = w->nd->trailing_slash;
	bool create = f & WALK_CREATE;
	struct stat *st = &w->nd->st;
	size_t saved = w->glen;
	int ret;

	ret = gpath_push(w, w->name, len);
	if (ret)
		return ret;
	ret = walk_mountpoint(w, slash || (f & WALK_DIRECTORY));
	if (ret)
		return ret < 0 ? ret : finish_self(w, LAST_ROOT);
	ret = synth_lookup(w);
	if (ret)
		return ret;
	if (f & WALK_PARENT) {
		/* Linux checks search permission even on a parent's last */
		ret = may_lookup(w);
		return ret ? ret : finish_norm(w, len, false);
	}
	w->xpending = false;
	if (fstatat(w->nd->dirfd, w->name, st, AT_SYMLINK_NOFOLLOW) < 0) {
		int err = errno;

		/* an overlay directory's entry: made as looked up */
		if (err == ENOENT && (w->nd->mnt->flags & MOUNT_OVL) &&
		    !ovl_lookup(w->nd->dirfd, w->name) &&
		    !fstatat(w->nd->dirfd, w->name, st, AT_SYMLINK_NOFOLLOW))
			err = 0;
		if (err == ENOENT && create)
			return finish_norm(w, len, false);
		if (err)
			return -err;
	}
	if (w->nd->mnt->flags & MOUNT_OVL)
		w->nd->lower = ovl_stat(w->nd->dirfd, w->name, st);
	/* a trailing slash follows, as in Linux's lookup_last() */
	if (S_ISLNK(st->st_mode) && ((f & WALK_FOLLOW) || (slash && !create))) {
		gpath_trunc(w, saved);
		return walk_link(w, after, -1);
	}
	if (!S_ISDIR(st->st_mode) && ((f & WALK_DIRECTORY) || (slash && !create)))
		return -ENOTDIR;
	return finish_norm(w, len, true);
}

/*
 * Fast path: open the leading run of plain directory components (at least
 * two, up to the one before the last) with one openat2.  Stops before "..",
 * before a mount point (lexically) and before an over-long name.  A symlink
 * anywhere in the run makes the host answer ELOOP; the slow walk then takes
 * over from where we were.  Any other error is what the slow walk would
 * have met first, as the host looks components up in the same order.
 * Returns 1 if it advanced, 0 if not, 2 if there is a symlink in the run,
 * or -errno.
 */
static int walk_fast(struct walk *w)
{
	size_t saved = w->glen, good = w->glen;
	char *p = w->rest, *end = NULL, *c, *q, ch;
	int n = 0, fd;
	size_t len;

	if (w->nd->mnt->ops || (w->flags & WALK_SEARCH))
		return 0;	/* each entry is looked up on its own */
	for (;;) {
		while (*p == '/')
			p++;
		for (c = p; *p && *p != '/'; p++)
			;
		len = p - c;
		for (q = p; *q == '/'; q++)
			;
		if (!*q || len > NAME_MAX)
			break;
		if (len == 1 && c[0] == '.')
			continue;
		if (len == 2 && c[0] == '.' && c[1] == '.')
			break;
		if (gpath_push(w, c, len) ||
		    mount_find_len(w->mt, w->nd->gpath, w->glen))
			break;
		n++;
		end = p;
		good = w->glen;
	}
	if (n < 2) {
		gpath_trunc(w, saved);
		return 0;
	}
	gpath_trunc(w, good);
	ch = *end;
	*end = '\0';
	fd = cur_open_dir(w, w->nd->mnt, w->nd->dirfd, w->rest,
			  RESOLVE_BENEATH | NO_LINKS);
	*end = ch;
	/* in an overlay, a directory on the way may not be merged yet */
	if (fd == -ENOENT && (w->nd->mnt->flags & MOUNT_OVL))
		fd = -EAGAIN;
	if (fd == -ELOOP || fd == -EXDEV || fd == -EAGAIN) {
		gpath_trunc(w, saved);
		return fd == -ELOOP ? 2 : 0;
	}
	if (fd < 0)
		return fd;
	w->rest = end;
	return 1;
}

static int walk_loop(struct walk *w)
{
	bool fast = !(w->flags & WALK_NOFAST), probe = false;
	char *name, *after, *next;
	size_t len;
	bool last;
	int ret;

	for (;;) {
		while (*w->rest == '/')
			w->rest++;
		if (!*w->rest)
			return finish_self(w, LAST_ROOT);
		if (fast) {
			fast = false;
			ret = walk_fast(w);
			if (ret < 0)
				return ret;
			if (ret == 1)
				continue;
			probe = ret == 2;
		}
		name = w->rest;
		for (after = name; *after && *after != '/'; after++)
			;
		for (next = after; *next == '/'; next++)
			;
		len = after - name;
		last = !*next;
		if (last)
			w->nd->trailing_slash = next != after;
		if (len > NAME_MAX) {
			/* the host would have checked search permission first */
			ret = may_lookup(w);
			return ret ? ret : -ENAMETOOLONG;
		}
		if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))) {
			if (len == 1) {
				w->xpending = true;
			} else {
				ret = walk_up(w);
				if (ret)
					return ret;
				fast = !(w->flags & WALK_NOFAST);
			}
			if (last)
				return finish_self(w, len == 1 ? LAST_DOT : LAST_DOTDOT);
			w->rest = after;
			continue;
		}
		memcpy(w->name, name, len);
		w->name[len] = '\0';
		/* the guest's own search permission, when it is not the host's */
		if ((w->flags & WALK_SEARCH) && namei_may_search &&
		    namei_may_search(w->nd->dirfd))
			return -EACCES;
		if (last)
			ret = walk_last(w, len, after);
		else
			ret = walk_down(w, len, after, probe);
		probe = false;
		switch (ret) {
		case WALK_NEXT:
			w->rest = after;
			break;
		case WALK_MOUNT:
			w->rest = after;
			fast = !(w->flags & WALK_NOFAST);
			break;
		case WALK_LINK:
			fast = !(w->flags & WALK_NOFAST);
			break;
		case WALK_RETRY:
			break;
		default:
			return ret;
		}
	}
}

/*
 * An overlay directory's entries are made as they are looked up; one whose
 * names are about to change (an entry made, removed or renamed) is merged
 * whole first, so that no name of its lower directory comes back.
 */
static int ovl_before_change(const struct nameidata *nd, unsigned int flags)
{
	if (!(flags & (WALK_PARENT | WALK_CREATE)) ||
	    nd->last_type != LAST_NORM || !(nd->mnt->flags & MOUNT_OVL))
		return 0;
	return ovl_merge(nd->dirfd, "");
}

int path_walk(const struct mount_table *mt, const struct path *root,
	      const struct path *start, const char *guest_path,
	      unsigned int flags, struct nameidata *nd)
{
	struct walk w;
	size_t len = strlen(guest_path);
	int ret;

	nd->mnt = NULL;
	nd->dirfd = -1;
	nd->dirfd_owned = false;
	nd->dent = NULL;
	nd->last_type = LAST_NORM;
	nd->exists = false;
	nd->trailing_slash = false;
	nd->lower = false;
	nd->last[0] = '\0';
	nd->gpath[0] = '\0';
	w.mt = mt;
	w.root = root;
	w.start = start ? start : root;
	w.nd = nd;
	w.flags = flags;
	w.kind = FD_MOUNT;
	w.nlinks = 0;
	w.xpending = false;
	if (!start)
		start = root;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!len) {
		if (!(flags & WALK_EMPTY_PATH))
			return -ENOENT;
		cur_set_path(&w, start);
		ret = finish_self(&w, LAST_EMPTY);
		goto out;
	}
	w.buf[sizeof(w.buf) - 1] = '\0';
	w.rest = w.buf + sizeof(w.buf) - 1 - len;
	memcpy(w.rest, guest_path, len);
	cur_set_path(&w, start);
	ret = guest_path[0] == '/' ? jump_allowed(&w) : 0;
	if (!ret) {
		if (guest_path[0] == '/')
			cur_set_path(&w, root);
		ret = walk_loop(&w);
	}
	if (ret >= 0)
		ret = ovl_before_change(nd, flags);
out:
	if (ret < 0) {
		if (w.kind == FD_OWNED)
			close(nd->dirfd);
		else if (w.kind == FD_CACHED)
			dcache_put(w.dent);
		if (nd->dent)
			dcache_put(nd->dent);
		nd->dent = NULL;
		nd->dirfd = -1;
		nd->dirfd_owned = false;
		return ret;
	}
	return 0;
}

void nd_release(struct nameidata *nd)
{
	if (nd->dirfd >= 0 && nd->dirfd_owned)
		close(nd->dirfd);
	if (nd->dent)
		dcache_put(nd->dent);
	nd->dent = NULL;
	nd->dirfd = -1;
	nd->dirfd_owned = false;
}
