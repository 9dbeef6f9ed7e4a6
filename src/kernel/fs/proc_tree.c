// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's /proc as a directory tree the kernel keeps: a private
 * directory (a tmpfs mount) holding a stand-in for every entry, empty
 * files, directories and symlinks, so that the host's own getdents,
 * stat and lstat answer for it natively, with the right types.  What
 * changes is brought up to date by the walk itself (mount_ops.lookup):
 * /proc/N exists while guest process N does, /proc/N/task lists its
 * threads, /proc/N/fd and fdinfo its open files, each made or removed
 * when a walk is about to look the entry up, and /proc itself when it is
 * opened as a directory.  Symlinks are answered by procfs_readlink(), and
 * a regular file gets its contents when it is opened (procfs_open()).
 *
 * Differs from Linux: a directory listed through an fd opened earlier
 * shows the entries as they were at the open; files are generated at the
 * open (a read at offset 0 later does not see newer values); owners and
 * modes are the stand-ins' (the invoking user's; directories 0755).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/dir_each.h"
#include "kernel/fs/proc_internal.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/ptrace.h"
#include "kernel/task.h"

/* The task whose walk is running (all walks run under the kernel lock). */
static struct task *proc_caller;
static const struct mount *proc_mnt;

#define PROC_DIR_TOP	1	/* /proc/N */
#define PROC_DIR_THREAD	2	/* /proc/L/task/N */

void procfs_set_caller(struct task *t)
{
	proc_caller = t;
}

/* The path below /proc, split: "12", "task", "13", "stat". */
#define PROC_MAXDEPTH	8
struct proc_where {
	int depth;
	char comp[PROC_MAXDEPTH][NAME_MAX + 1];
	struct task *task;	/* the process or thread directory, if any */
	bool thread;		/* ... under task/ */
	int base;		/* first component below it */
	bool gone;		/* a numeric directory of no task */
};

static long proc_number(const char *s)
{
	char *end;
	long v;

	if (*s < '1' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end || v > (1 << 22) ? -1 : v;
}

static int proc_split(const struct mount *m, const char *gpath,
		      struct proc_where *w)
{
	const char *p = gpath + m->gpath_len;

	memset(w, 0, sizeof(*w));
	while (*p) {
		const char *e;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (e = p; *e && *e != '/'; e++)
			;
		if (w->depth == PROC_MAXDEPTH || e - p > NAME_MAX)
			return -ENOENT;
		memcpy(w->comp[w->depth], p, e - p);
		w->comp[w->depth++][e - p] = '\0';
		p = e;
	}
	return 0;
}

/* Find the task of a /proc/N or /proc/N/task/M directory on the path. */
static void proc_resolve(struct proc_where *w)
{
	struct task *t, *th;
	long n;

	if (!w->depth || (n = proc_number(w->comp[0])) < 0)
		return;
	t = task_by_vtid((pid_t)n);
	if (!t) {
		w->gone = true;
		return;
	}
	w->task = t;
	w->base = 1;
	if (w->depth < 3 || strcmp(w->comp[1], "task"))
		return;
	n = proc_number(w->comp[2]);
	th = n > 0 ? task_by_vtid((pid_t)n) : NULL;
	if (!th || th->leader != t->leader) {
		w->task = NULL;
		w->gone = true;
		return;
	}
	w->task = th;
	w->thread = true;
	w->base = 3;
}

struct rm_walk {
	int fd;
	int depth;
};

static void rm_tree(int dirfd, const char *name, int depth);

static bool rm_entry(const char *name, unsigned char type, void *arg)
{
	const struct rm_walk *w = arg;

	rm_tree(w->fd, name, w->depth + 1);
	return false;
}

/* Remove a stand-in and everything below it, never following a link. */
static void rm_tree(int dirfd, const char *name, int depth)
{
	struct rm_walk w = { .depth = depth };

	if (!unlinkat(dirfd, name, 0) || errno == ENOENT || depth > 6)
		return;
	w.fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		      O_CLOEXEC);
	if (w.fd < 0)
		return;
	/* one pass: each entry is removed or cannot be (then rmdir fails) */
	dir_each(w.fd, rm_entry, &w);
	close(w.fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static int make_entry(int dirfd, const char *name, mode_t mode)
{
	int r;

	if (S_ISDIR(mode))
		r = mkdirat(dirfd, name, 0755);
	else if (S_ISLNK(mode))
		r = symlinkat("umbra", dirfd, name);
	else
		r = mknodat(dirfd, name, S_IFREG | (mode & 0777), 0);
	return r && errno != EEXIST ? -errno : 0;
}

/*
 * /proc/N or /proc/N/task/M: the directory alone.  Its entries are made
 * one by one as they are looked up (a process reading its status makes
 * one stand-in, not fifty) and all at once when it is listed.
 */
static int ensure_task_dir(int dirfd, const char *name, bool thread)
{
	struct task *t = task_by_vtid((pid_t)proc_number(name));

	if (t)
		t->proc_dirs |= thread ? PROC_DIR_THREAD : PROC_DIR_TOP;
	if (mkdirat(dirfd, name, 0755))
		return errno == EEXIST ? 0 : -errno;
	return 0;
}

/* The fixed entry at rel ("status", "ns/pid") of a task directory. */
static const struct proc_entry *pid_entry(const char *rel, bool thread)
{
	for (size_t i = 0; i < proc_pid_nentries; i++) {
		const struct proc_entry *e = &proc_pid_entries[i];

		if (!strcmp(e->name, rel))
			return thread && e->proc_only ? NULL : e;
	}
	return NULL;
}

/* Every fixed entry directly in the task directory's subdirectory dir
 * ("" for the task directory itself), into dfd: for a listing. */
static int fill_dir(int dfd, const char *dir, bool thread)
{
	size_t dlen = strlen(dir);
	int err = 0;

	for (size_t i = 0; !err && i < proc_pid_nentries; i++) {
		const struct proc_entry *e = &proc_pid_entries[i];
		const char *name = e->name;

		if (thread && e->proc_only)
			continue;
		if (dlen) {
			if (strncmp(name, dir, dlen) || name[dlen] != '/')
				continue;
			name += dlen + 1;
		}
		if (!strchr(name, '/'))
			err = make_entry(dfd, name, e->mode);
	}
	return err;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

struct sync_walk {
	int fd;
	const int *want;
	size_t n;
	unsigned char *seen;
};

/* A numeric entry: kept if wanted, else removed (others are the tree's). */
static bool sync_entry(const char *name, unsigned char type, void *arg)
{
	struct sync_walk *w = arg;
	long v = proc_number(name);
	int key = v < 0 ? 0 : (int)v;
	const int *hit;

	if (v < 0 && strcmp(name, "0"))
		return false;
	hit = bsearch(&key, w->want, w->n, sizeof(*w->want), cmp_int);
	if (hit)
		w->seen[hit - w->want] = 1;
	else
		rm_tree(w->fd, name, 0);
	return false;
}

/*
 * Linux lists /proc and N/task in ascending pid order, and ps shows
 * processes in listing order.  The stand-ins are listed natively, in the
 * backend's order: on a tmpfs that is creation order or its reverse, and
 * a rename moves an entry to the end (or front) without touching its
 * inode, so held fds of it stay good.  probe_order() finds which at
 * setup; keep_sorted() then renames what is out of place.  On a backend
 * that lists by hash nothing can be done.
 */
enum { ORDER_NONE, ORDER_BACK, ORDER_FRONT };
static int list_order;

struct order_walk {
	int *v;
	size_t k, cap;
};

static bool collect_number(const char *name, unsigned char type, void *arg)
{
	struct order_walk *o = arg;
	long v = proc_number(name);

	if (v >= 0 && o->k < o->cap)
		o->v[o->k++] = (int)v;
	return false;
}

static bool listed_in_order(int fd, size_t n)
{
	struct order_walk o = { .cap = n };
	bool ok = true;

	o.v = malloc((n ? n : 1) * sizeof(*o.v));
	if (!o.v)
		return true;
	lseek(fd, 0, SEEK_SET);
	dir_each(fd, collect_number, &o);
	for (size_t i = 1; i < o.k && ok; i++)
		ok = o.v[i - 1] < o.v[i];
	free(o.v);
	return ok;
}

static void move_to_edge(int fd, int num)
{
	char name[16];

	snprintf(name, sizeof(name), "%d", num);
	if (renameat2(fd, name, fd, ".umbra-sort", RENAME_NOREPLACE) == 0)
		renameat(fd, ".umbra-sort", fd, name);
}

static void keep_sorted(int fd, const int *want, size_t n)
{
	if (!list_order || n < 2 || listed_in_order(fd, n))
		return;
	for (size_t i = 0; i < n; i++)
		move_to_edge(fd, want[list_order == ORDER_BACK ? i : n - 1 - i]);
}

static void probe_order(int dirfd)
{
	static const char *const names[] = { "p0", "p1", "p2", "p3", "p4",
					     "p5", "p6", "p7" };
	char got[8] = { 0 };
	size_t k = 0;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	for (size_t i = 0; d && i < 8; i++)
		mkdirat(dirfd, names[i], 0700);
	while (d && (e = readdir(d)))
		if (e->d_name[0] == 'p' && e->d_name[1] >= '0' &&
		    e->d_name[1] <= '7' && !e->d_name[2] && k < 8)
			got[k++] = e->d_name[1];
	if (k == 8 && !memcmp(got, "01234567", 8))
		list_order = ORDER_BACK;
	else if (k == 8 && !memcmp(got, "76543210", 8))
		list_order = ORDER_FRONT;
	for (size_t i = 0; i < 8; i++)
		unlinkat(dirfd, names[i], AT_REMOVEDIR);
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
}

/*
 * Make the numeric entries of directory name in dirfd exactly want[]
 * (sorted): remove the others, create the missing ones with make().
 * Entries that are not numbers are the tree's own and stay.
 */
static int sync_numbers(int dirfd, const char *name, int *want, size_t n,
			int (*make)(int dfd, const char *name), bool ordered)
{
	struct sync_walk w = { .want = want, .n = n };
	char num[16];

	w.seen = calloc(n + 1, 1);
	if (!w.seen)
		return -ENOMEM;
	w.fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		      O_CLOEXEC);
	if (w.fd < 0) {
		free(w.seen);
		return -errno;
	}
	dir_each(w.fd, sync_entry, &w);
	for (size_t i = 0; i < n; i++) {
		if (w.seen[i])
			continue;
		snprintf(num, sizeof(num), "%d", want[i]);
		make(w.fd, num);
	}
	if (ordered)
		keep_sorted(w.fd, want, n);
	free(w.seen);
	close(w.fd);
	return 0;
}

static int make_process(int dfd, const char *name)
{
	return ensure_task_dir(dfd, name, false);
}

static int make_thread(int dfd, const char *name)
{
	return ensure_task_dir(dfd, name, true);
}

static int make_fd_link(int dfd, const char *name)
{
	return make_entry(dfd, name, S_IFLNK);
}

static int make_fdinfo(int dfd, const char *name)
{
	return make_entry(dfd, name, S_IFREG | 0444);
}

/* want[]: the guest pids of processes, or the threads of one. */
static int *task_numbers(struct task *leader, size_t *n)
{
	size_t cap = (size_t)task_count() + 1, k = 0;
	int *v = malloc(cap * sizeof(*v));
	struct task *t;

	if (!v)
		return NULL;
	for_each_task(t) {
		if (k == cap)
			break;
		if (leader ? t->leader == leader : task_is_leader(t))
			v[k++] = t->vtid;
	}
	qsort(v, k, sizeof(*v), cmp_int);
	*n = k;
	return v;
}

struct num_list {
	int *v;
	size_t k, cap;
};

static bool add_fd_number(const char *name, unsigned char type, void *arg)
{
	struct num_list *l = arg;
	char *end;
	long x = strtol(name, &end, 10);

	if (end == name || *end)
		return false;
	if (l->k == l->cap) {
		int *nv = realloc(l->v, (l->cap *= 2) * sizeof(*nv));

		if (!nv)
			return true;
		l->v = nv;
	}
	l->v[l->k++] = (int)x;
	return false;
}

/* The fd numbers a guest task holds: its host /proc fd directory. */
static int *fd_numbers(const struct proc_where *w, size_t *n)
{
	struct proc_ctx c = { .task = w->task, .thread = w->thread };
	struct num_list l = { .cap = 64 };
	char path[64];
	int fd;

	proc_host_path(&c, "fd", path, sizeof(path));
	l.v = malloc(l.cap * sizeof(*l.v));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!l.v || fd < 0) {
		free(l.v);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	dir_each(fd, add_fd_number, &l);
	close(fd);
	qsort(l.v, l.k, sizeof(*l.v), cmp_int);
	*n = l.k;
	return l.v;
}

/* A dynamic directory: /proc, N/task, N/fd, N/fdinfo; else nothing. */
static int sync_dir(int dirfd, const char *name, const struct proc_where *w)
{
	const char *last = w->depth ? w->comp[w->depth - 1] : "";
	int (*make)(int, const char *);
	size_t n = 0;
	int *v, err;

	if (!w->depth) {
		v = task_numbers(NULL, &n);
		make = make_process;
	} else if (!w->task || w->depth != w->base + 1) {
		return 0;
	} else if (!w->thread && !strcmp(last, "task")) {
		v = task_numbers(w->task->leader, &n);
		make = make_thread;
	} else if (!strcmp(last, "fd") || !strcmp(last, "fdinfo")) {
		v = fd_numbers(w, &n);
		make = last[2] ? make_fdinfo : make_fd_link;
	} else {
		return 0;
	}
	if (!v)
		return -ENOMEM;
	err = sync_numbers(dirfd, name, v, n, make,
			   make == make_process || make == make_thread);
	free(v);
	return err;
}

/* The path below a task directory ("ns/pid", "fdinfo/3"). */
static void join_from(const struct proc_where *w, int from, char *buf,
		      size_t size)
{
	size_t k = 0;

	buf[0] = '\0';
	for (int i = from; i < w->depth && k < size; i++)
		k += snprintf(buf + k, size - k, "%s%s", i > from ? "/" : "",
			      w->comp[i]);
}

/* A fixed entry of a task directory, made as it is looked up. */
static int make_pid_entry(int dirfd, const char *name,
			  const struct proc_where *w)
{
	const struct proc_entry *e;
	char rel[PATH_MAX];

	join_from(w, w->base, rel, sizeof(rel));
	e = pid_entry(rel, w->thread);
	return e ? make_entry(dirfd, name, e->mode) : 0;
}

static int proc_lookup(const struct mount *m, int dirfd, const char *gpath,
		       const char *name)
{
	struct proc_where w;
	int err = proc_split(m, gpath, &w);

	if (err)
		return err;
	proc_resolve(&w);
	if (w.gone) {
		/* the directory of a task that is no more */
		if (w.depth == 1 || (w.depth == 3 && !strcmp(w.comp[1], "task")))
			rm_tree(dirfd, name, 0);
		return -ENOENT;
	}
	if (!w.task)
		return 0;
	if (w.depth == w.base)
		return ensure_task_dir(dirfd, name, w.thread);
	return make_pid_entry(dirfd, name, &w) ?: sync_dir(dirfd, name, &w);
}

static ssize_t proc_readlink_op(const struct mount *m, const char *gpath,
				char *buf, size_t size)
{
	struct task *t = proc_caller ? proc_caller : task_init();
	int n;

	if (!t)
		return -ENOENT;
	n = procfs_readlink(t, gpath, buf, size);
	return n == -ENOSYS ? -ENOENT : n;
}

static int proc_open_op(struct task *caller, struct nameidata *nd, int flags)
{
	return procfs_rebase(nd) ?: procfs_open(caller, nd, flags);
}

const struct mount_ops procfs_ops = {
	.lookup = proc_lookup,
	.readlink = proc_readlink_op,
	.open = proc_open_op,
};

void procfs_forget(struct task *t)
{
	char name[64];
	int fd;

	if (!proc_mnt)
		return;
	snprintf(name, sizeof(name), "%d", t->vtid);
	if (t->proc_dirs & PROC_DIR_TOP)
		rm_tree(proc_mnt->fd, name, 0);
	if ((t->proc_dirs & PROC_DIR_THREAD) && t->leader != t) {
		char dir[64];

		snprintf(dir, sizeof(dir), "%d/task", t->leader->vtid);
		fd = openat(proc_mnt->fd, dir, O_PATH | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			rm_tree(fd, name, 0);
			close(fd);
		}
	}
	t->proc_dirs = 0;
}

struct task *procfs_dir_task(int hfd, bool *gone)
{
	char host[PATH_MAX], g[PATH_MAX], *end;
	const struct mount *m;
	struct task *t;
	long n;

	*gone = false;
	if (host_fd_path(hfd, host, sizeof(host)) <= 0 || host[0] != '/')
		return NULL;
	m = host_to_guest(host, g, sizeof(g));
	if (!m || m->ops != &procfs_ops || g[m->gpath_len] != '/')
		return NULL;
	/* "N", or "N (deleted)" once N's task went */
	n = strtol(g + m->gpath_len + 1, &end, 10);
	if (n <= 0 || (*end && strcmp(end, " (deleted)")))
		return NULL;
	t = *end ? NULL : task_by_vtid((pid_t)n);
	*gone = !t;
	return t;
}

void proc_host_path(const struct proc_ctx *c, const char *name, char *buf,
		    size_t size)
{
	if (c->thread)
		snprintf(buf, size, "/proc/%d/task/%d/%s", c->task->leader->tid,
			 c->task->tid, name);
	else
		snprintf(buf, size, "/proc/%d/%s", c->task->tid, name);
}

int procfs_rebase(struct nameidata *nd)
{
	char b[PATH_MAX];
	const char *path;
	const struct mount *base = mount_ops_path(nd->mnt, nd->gpath, b,
						  sizeof(b), &path);

	if (!base)
		return -ENAMETOOLONG;
	nd->mnt = base;
	if (path != nd->gpath)
		memcpy(nd->gpath, path, strlen(path) + 1);
	return 0;
}

void procfs_owner(const struct nameidata *nd, uid_t *uid, gid_t *gid)
{
	struct proc_where w;
	char b[PATH_MAX];
	const char *path;
	const struct mount *base = mount_ops_path(nd->mnt, nd->gpath, b,
						  sizeof(b), &path);

	/* a process's entries are its effective ids', the rest root's */
	*uid = 0;
	*gid = 0;
	if (!base || proc_split(base, path, &w))
		return;
	proc_resolve(&w);
	if (w.task) {
		*uid = w.task->cred.euid;
		*gid = w.task->cred.egid;
	}
}

/* The root's fixed tree, made once at setup. */
int procfs_populate(const struct mount *m)
{
	int err = 0;

	char host[PATH_MAX];

	proc_mnt = m;
	probe_order(m->fd);
	for (size_t i = 0; !err && i < proc_root_nentries; i++) {
		const struct proc_entry *e = &proc_root_entries[i];

		/* a host file this kernel does not have: neither do we */
		snprintf(host, sizeof(host), "/proc/%s", e->name);
		if (e->gen == proc_gen_host_copy && access(host, R_OK))
			continue;
		err = make_entry(m->fd, e->name, e->mode);
	}
	return err;
}

static const struct proc_entry *find_entry(const struct proc_entry *v,
					   size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}


static int open_file(struct task *caller, const struct proc_where *w,
		     int flags, const struct nameidata *nd)
{
	struct sbuf sb = { 0 };
	struct proc_ctx c = { .caller = caller, .task = w->task,
			      .thread = w->thread, .sb = &sb };
	const struct proc_entry *e;
	char rel[PATH_MAX], host[PATH_MAX];
	int err, fd;

	join_from(w, w->task ? w->base : 0, rel, sizeof(rel));
	c.name = rel;
	if (w->task && !strncmp(rel, "fdinfo/", 7)) {
		e = NULL;
		err = (flags & O_ACCMODE) != O_RDONLY ? -EACCES :
		      proc_gen_host_copy(&c);
	} else {
		e = w->task ? find_entry(proc_pid_entries, proc_pid_nentries, rel)
			    : find_entry(proc_root_entries, proc_root_nentries, rel);
		if (!e || !S_ISREG(e->mode))
			return -ENOENT;
		/* host_rw with a generator: written to the host, read made */
		if (e->host_rw && (!e->gen || (flags & O_ACCMODE) != O_RDONLY)) {
			/* another's memory: for those who may trace it */
			if (!strcmp(rel, "mem") &&
			    !ptrace_may_access(caller, w->task))
				return -EACCES;
			proc_host_path(&c, rel, host, sizeof(host));
			fd = open(host, (flags & (O_ACCMODE | O_NONBLOCK |
				  O_TRUNC | O_APPEND)) | O_CLOEXEC | O_NOFOLLOW);
			return fd < 0 ? -errno : fd;
		}
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
			return -EACCES;
		err = e->gen(&c);
	}
	fd = err ? err : sb_memfd_as(&sb, flags, &nd->st, nd->gpath);
	sb_free(&sb);
	return fd;
}

/* A task directory (or its ns/) about to be listed: all its entries. */
static int fill_listing(const struct nameidata *nd, const struct proc_where *w)
{
	char rel[PATH_MAX];
	int dfd, err;

	join_from(w, w->base, rel, sizeof(rel));
	dfd = nd->last_type == LAST_NORM ?
	      openat(nd->dirfd, nd->last, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		     O_CLOEXEC) : fcntl(nd->dirfd, F_DUPFD_CLOEXEC, 0);
	if (dfd < 0)
		return -errno;
	err = fill_dir(dfd, rel, w->thread);
	close(dfd);
	return err;
}

int procfs_open(struct task *caller, const struct nameidata *nd, int flags)
{
	struct proc_where w;
	int err = proc_split(nd->mnt, nd->gpath, &w);

	if (err)
		return err;
	if (!nd->exists)
		return (flags & O_CREAT) ? -EACCES : -ENOENT;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	proc_resolve(&w);
	if (w.gone)
		return -ENOENT;
	if (S_ISDIR(nd->st.st_mode)) {
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
			return -EISDIR;
		/* a listing: bring it up to date (the lookup did, but for
		 * "/proc" and "." the walk made none) */
		err = sync_dir(nd->dirfd, nd->last_type == LAST_NORM ?
			       nd->last : ".", &w);
		if (!err && w.task)
			err = fill_listing(nd, &w);
		return err ? err : nd_open(nd, O_RDONLY | O_DIRECTORY |
					   (flags & O_NONBLOCK), 0);
	}
	if (S_ISLNK(nd->st.st_mode))
		return (flags & O_PATH) ? opath_standin(nd->dirfd, nd->last)
					: -ELOOP;
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	return open_file(caller, &w, flags, nd);
}
