// SPDX-License-Identifier: GPL-2.0
/*
 * The mount table (see mount.h).  There are a handful of mounts, so it is
 * an array in mount order, scanned linearly: mount order is what
 * /proc/mounts shows and what decides shadowing, and a scan of ten entries
 * comparing lengths first costs nothing next to the host syscall each path
 * component costs anyway.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kernel/fs/mount.h"
#include "kernel/fs/path.h"
#include "kernel/syscalls.h"

struct mount_table {
	struct mount **v;
	size_t n, cap;
	struct mount **dead;	/* unmounted while a task's root or cwd held it */
	size_t ndead;
	unsigned int seq;
	/* the guest's tmpfs backends live here, which the guard removes */
	int spool_parentfd;
	char *spool_name, *spool_path;
	int guard_fd;		/* the guard's pipe (-1: none yet) */
	char err[PATH_MAX * 4 + 128];
};

struct mount_table *mount_table_new(void)
{
	struct mount_table *mt = calloc(1, sizeof(struct mount_table));

	if (mt) {
		mt->spool_parentfd = -1;
		mt->guard_fd = -1;
	}
	return mt;
}

const char *mount_table_error(const struct mount_table *mt)
{
	return mt->err;
}

/* Host paths may hold anything but NUL: escape what would mangle a terminal. */
static void set_error(struct mount_table *mt, const char *what,
		      const char *host_path, int err)
{
	char buf[sizeof(mt->err) - 128];
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)(host_path ? host_path : "");

	for (; *s && o + 5 < sizeof(buf); s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			o += snprintf(buf + o, sizeof(buf) - o, "\\x%02x", *s);
		else
			buf[o++] = *s;
	}
	buf[o] = '\0';
	snprintf(mt->err, sizeof(mt->err), "%s \"%s\": %s", what, buf,
		 strerror(err));
}

size_t mount_count(const struct mount_table *mt)
{
	return mt->n;
}

const struct mount *mount_at(const struct mount_table *mt, size_t i)
{
	return i < mt->n ? mt->v[i] : NULL;
}

void mount_chmod(const struct mount *m, mode_t mode)
{
	char proc[40];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", m->fd);
	chmod(proc, mode);
}

const struct mount *mount_find_len(const struct mount_table *mt,
				   const char *gpath, size_t len)
{
	size_t i;

	/* at most one visible mount per mount point: see update_hidden() */
	for (i = 0; i < mt->n; i++) {
		const struct mount *m = mt->v[i];

		if (m->gpath_len == len && !m->hidden &&
		    memcmp(m->gpath, gpath, len) == 0)
			return m;
	}
	return NULL;
}

const struct mount *mount_find(const struct mount_table *mt, const char *gpath)
{
	return mount_find_len(mt, gpath, strlen(gpath));
}

const struct mount *mount_lookup_len(const struct mount_table *mt,
				     const char *gpath, size_t len)
{
	const struct mount *best = NULL;
	size_t i;

	for (i = 0; i < mt->n; i++) {
		const struct mount *m = mt->v[i];

		if (m->hidden || (best && m->gpath_len <= best->gpath_len))
			continue;
		if (path_is_prefix(m->gpath, m->gpath_len, gpath, len))
			best = m;
	}
	return best;
}

const struct mount *mount_lookup(const struct mount_table *mt, const char *gpath)
{
	return mount_lookup_len(mt, gpath, strlen(gpath));
}

/*
 * A mount is covered by any later mount at its mount point or above it:
 * mounting on /a stacks over the old /a and everything mounted inside it,
 * exactly as Linux stacks a new mount over a path that already had
 * submounts.
 */
static void update_hidden(struct mount_table *mt)
{
	size_t i, j;

	for (i = 0; i < mt->n; i++) {
		struct mount *m = mt->v[i];

		m->hidden = false;
		for (j = i + 1; j < mt->n && !m->hidden; j++)
			m->hidden = path_is_prefix(mt->v[j]->gpath,
						   mt->v[j]->gpath_len,
						   m->gpath, m->gpath_len);
	}
}

/*
 * Tear down a tmpfs backend without recursion, without long paths and
 * without ever following a symlink: files are unlinked where they are, and
 * subdirectories are first emptied by hoisting their own subdirectories to
 * the top, so at most two directories are open at a time however deep the
 * guest built its tree.  Every call is a *at() on one component.
 */
/*
 * The guest may have chmod'ed a directory 0: it is ours, take our rights
 * back (also needed to move it: that rewrites its "..").  Through an
 * O_PATH|O_NOFOLLOW fd, so a symlink is never what gets chmod'ed.
 */
static void own_dir(int at, const char *name)
{
	char proc[64];
	int fd = openat(at, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	chmod(proc, 0700);
	close(fd);
}

static int open_dir_nofollow(int at, const char *name)
{
	int fd;

	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		own_dir(at, name);
		fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd >= 0)
		fchmod(fd, 0700);	/* so unlinkat() inside cannot EACCES */
	return fd;
}

/* Remove or hoist the entries of dir; returns how many went, -1 if none could. */
static long drain_dir(int top, int dir, unsigned long *hoisted)
{
	char tmp[64];
	struct dirent *e;
	long done = 0, left = 0;
	int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dir, e->d_name, 0) == 0) {
			done++;
			continue;
		}
		if (errno != EISDIR && errno != EPERM) {
			left++;
			continue;
		}
		if (dir == top) {
			left++;		/* a directory at the top: emptied later */
			continue;
		}
		own_dir(dir, e->d_name);
		for (;;) {
			snprintf(tmp, sizeof(tmp), ".umbra-rm.%lu", (*hoisted)++);
			if (renameat2(dir, e->d_name, top, tmp, RENAME_NOREPLACE) == 0) {
				done++;
				break;
			}
			if (errno != EEXIST) {
				left++;
				break;
			}
		}
	}
	closedir(d);
	return done || !left ? done : -1;
}

static void remove_tree(int parent, const char *name)
{
	unsigned long hoisted = 0;
	struct dirent *e;
	bool progress = true;
	int top = open_dir_nofollow(parent, name);

	while (top >= 0 && progress) {
		int fd = openat(top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		bool empty = true;

		if (!d) {
			if (fd >= 0)
				close(fd);
			break;
		}
		progress = drain_dir(top, top, &hoisted) > 0;
		while ((e = readdir(d))) {
			int sub;

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			empty = false;
			sub = open_dir_nofollow(top, e->d_name);
			if (sub < 0)
				continue;
			while (drain_dir(top, sub, &hoisted) > 0)
				progress = true;
			close(sub);
			if (unlinkat(top, e->d_name, AT_REMOVEDIR) == 0)
				progress = true;
		}
		closedir(d);
		if (empty)
			break;
	}
	if (top >= 0)
		close(top);
	unlinkat(parent, name, AT_REMOVEDIR);
}

static void mount_free(struct mount *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	if (m->tmp_parentfd >= 0) {
		remove_tree(m->tmp_parentfd, m->tmp_name);
		close(m->tmp_parentfd);
	}
	free(m->tmp_name);
	free(m->host_path);
	free(m->host_real);
	free(m->source);
	free(m->root);
	free(m->gpath);
	free(m);
}

static void spool_free(struct mount_table *mt)
{
	if (mt->spool_parentfd < 0)
		return;
	remove_tree(mt->spool_parentfd, mt->spool_name);
	close(mt->spool_parentfd);
	free(mt->spool_name);
	free(mt->spool_path);
}

void mount_table_free(struct mount_table *mt)
{
	size_t i;

	if (!mt)
		return;
	/* newest first: a tmpfs may hold the backend of a later bind */
	for (i = mt->n; i-- > 0;)
		mount_free(mt->v[i]);
	for (i = mt->ndead; i-- > 0;)
		mount_free(mt->dead[i]);
	spool_free(mt);
	free(mt->v);
	free(mt->dead);
	free(mt);
}

static int tmpfs_create(struct mount_table *mt, struct mount *m, const char *dir);

/*
 * The guard: the grandchild of the monitor (so that it is never one of the
 * children the monitor waits for), in a session of its own (so that a
 * signal to the user's process group does not take it along), with
 * nothing of the monitor's output open (so that whoever reads it sees EOF
 * when the monitor ends).  It sleeps on a pipe whose only writer is the
 * monitor; EOF means the monitor is gone, by exit or by SIGKILL.  After a
 * normal exit the monitor has removed everything itself and the guard
 * finds nothing left.  Every run has one, forked before the first
 * temporary thing exists: the monitor writes to the pipe the host path of
 * each tmpfs directory it makes ("T/path") and the name of each POSIX
 * message queue ("+name", "-name": mqueue.c), one NUL-ended record each.
 */
#define GUARD_MAX_DIRS	64

static char guard_dirs[GUARD_MAX_DIRS][PATH_MAX];
static int guard_ndirs;

static void guard_record(const char *rec)
{
	size_t len = strlen(rec);

	if (rec[0] == 'T' && rec[1] == '/' && len <= PATH_MAX &&
	    guard_ndirs < GUARD_MAX_DIRS)
		memcpy(guard_dirs[guard_ndirs++], rec + 1, len);
	else if (rec[0] == '+' || rec[0] == '-')
		mqueue_guard_record(rec);
}

static void guard_read(int rd)
{
	static char rec[PATH_MAX + 2];
	char buf[4096];
	size_t rlen = 0;
	ssize_t got;

	while ((got = read(rd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i]) {
				if (rlen < sizeof(rec) - 1)
					rec[rlen++] = buf[i];
				continue;
			}
			rec[rlen] = '\0';
			guard_record(rec);
			rlen = 0;
		}
	}
}

/* Remove one directory by path: whether it is gone. */
static bool guard_remove(const char *path)
{
	char parent_path[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int parent;

	snprintf(parent_path, sizeof(parent_path), "%.*s",
		 slash == path ? 1 : (int)(slash - path), path);
	parent = open(parent_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0)
		return true;
	remove_tree(parent, slash + 1);
	close(parent);
	return access(path, F_OK) && errno == ENOENT;
}

/*
 * Newest first: a later one may lie inside.  The guests die with the
 * monitor, but not at once: one still writing into a directory (an umbra
 * inside, making its own) can outrun a removal, so a few more rounds.
 */
static void guard_remove_dirs(void)
{
	for (int round = 0; round < 20; round++) {
		bool all = true;

		for (int i = guard_ndirs; i-- > 0;)
			all &= guard_remove(guard_dirs[i]);
		if (all)
			return;
		usleep(50000);
	}
}

static void guard_main(int rd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	setsid();
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			signal(sig, SIG_IGN);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	guard_read(rd);		/* until EOF: the monitor's end */
	mqueue_guard_end();
	guard_remove_dirs();
	_exit(0);
}

/*
 * Tell the guard of a directory to remove.  One write of one record: the
 * monitor makes these before it has a thread, so nothing interleaves.
 */
static void guard_note_dir(struct mount_table *mt, const char *path)
{
	char rec[PATH_MAX + 2];
	int n;
	char cwd[PATH_MAX];

	if (mt->guard_fd < 0)
		return;
	/* the guard needs it whole: a relative $TMPDIR is the monitor's */
	if (path[0] == '/')
		n = snprintf(rec, sizeof(rec), "T%s", path);
	else if (getcwd(cwd, sizeof(cwd)))
		n = snprintf(rec, sizeof(rec), "T%s/%s", cwd, path);
	else
		return;
	if (n < (int)sizeof(rec) && write(mt->guard_fd, rec, n + 1) < 0 &&
	    getenv("UMBRA_DEBUG"))
		perror("umbra: guard");
}

/* A private directory for the tmpfs backends of the guest's own mounts. */
static int spool_create(struct mount_table *mt)
{
	struct mount tmp = { .fd = -1, .tmp_parentfd = -1 };
	int err = tmpfs_create(mt, &tmp, NULL);

	if (err)
		return err;
	close(tmp.fd);
	mt->spool_parentfd = tmp.tmp_parentfd;
	mt->spool_name = tmp.tmp_name;
	mt->spool_path = tmp.host_path;
	return 0;
}

/*
 * Fork the guard, then make the spool: called first thing, so that a
 * SIGKILL at any later moment of the set-up leaves nothing behind.
 */
int mount_table_guard(struct mount_table *mt)
{
	int p[2], status;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (fork() == 0)
			guard_main(p[0]);
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -errno;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/*
	 * p[1] stays open until the monitor ends; it carries the names of
	 * the run's message queues, never blocking the monitor.
	 */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	mt->guard_fd = p[1];
	mqueue_set_guard(p[1]);
	return spool_create(mt);
}

static int hostfs_open(struct mount_table *mt, struct mount *m, const char *host_path)
{
	struct stat st;

	if (!host_path || !*host_path) {
		set_error(mt, "mount source", "", ENOENT);
		return -ENOENT;
	}
	m->host_path = strdup(host_path);
	if (!m->host_path)
		return -ENOMEM;
	/* the host path is the user's choice: its symlinks are followed */
	m->fd = open(host_path, O_PATH | O_CLOEXEC);
	if (m->fd < 0 || fstat(m->fd, &st) < 0) {
		int err = errno;

		set_error(mt, "mount source", host_path, err);
		return -err;
	}
	m->is_dir = S_ISDIR(st.st_mode);
	return 0;
}

static int tmpfs_create(struct mount_table *mt, struct mount *m, const char *dir)
{
	char tmpl[PATH_MAX];
	char *name;
	int err;

	if (!dir)
		dir = mt->spool_path;
	if (!dir) {
		/* a $TMPDIR the guest does not see (an umbra inside another
		 * one's private /tmp inherits the user's): the view's /tmp */
		dir = getenv("TMPDIR");
		if (!dir || !*dir || access(dir, W_OK | X_OK))
			dir = "/tmp";
	}
	if (snprintf(tmpl, sizeof(tmpl), "%s/umbra-tmpfs-XXXXXX", dir) >=
	    (int)sizeof(tmpl)) {
		set_error(mt, "tmpfs directory", dir, ENAMETOOLONG);
		return -ENAMETOOLONG;
	}
	if (!mkdtemp(tmpl))
		goto fail;
	guard_note_dir(mt, tmpl);
	name = strrchr(tmpl, '/');
	m->host_path = strdup(tmpl);
	m->tmp_name = strdup(name + 1);
	if (!m->host_path || !m->tmp_name) {
		rmdir(tmpl);
		return -ENOMEM;
	}
	*name = '\0';
	m->tmp_parentfd = open(*tmpl ? tmpl : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->tmp_parentfd < 0) {
		err = errno;
		rmdir(m->host_path);
		set_error(mt, "tmpfs directory", dir, err);
		return -err;
	}
	m->fd = openat(m->tmp_parentfd, m->tmp_name,
		       O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (m->fd < 0)
		goto fail;
	m->is_dir = true;
	return 0;
fail:
	err = errno;
	set_error(mt, "tmpfs directory", dir, err);
	return -err;
}

/* Linux refuses a directory over a file and a file over a directory. */
static int check_mountpoint(struct mount_table *mt, const struct mount *m)
{
	const struct mount *under = mount_lookup_len(mt, m->gpath, m->gpath_len);

	if (!under)
		return 0;
	if (under->gpath_len == m->gpath_len ? under->is_dir != m->is_dir
					     : !under->is_dir) {
		set_error(mt, "mount point", m->gpath, ENOTDIR);
		return -ENOTDIR;
	}
	return 0;
}

static int table_append(struct mount_table *mt, struct mount *m)
{
	if (mt->n + mt->ndead >= MOUNT_MAX) {
		set_error(mt, "mount point", m->gpath, ENOSPC);
		return -ENOSPC;
	}
	if (mt->n == mt->cap) {
		size_t cap = mt->cap ? 2 * mt->cap : 8;
		struct mount **v = realloc(mt->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		mt->v = v;
		mt->cap = cap;
	}
	m->seq = mt->seq++;
	m->id = m->seq + 20;
	mt->v[mt->n++] = m;
	update_hidden(mt);
	return 0;
}

static struct mount *mount_new(const char *gpath, size_t len,
			       unsigned int flags)
{
	struct mount *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->fd = -1;
	m->tmp_parentfd = -1;
	m->flags = flags;
	m->gpath_len = len;
	m->gpath = strdup(gpath);
	if (!m->gpath) {
		free(m);
		return NULL;
	}
	return m;
}

/* Where the backend is on the host, to map host paths back (vfs.c). */
static void set_host_real(struct mount *m)
{
	char proc[40], buf[PATH_MAX];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", m->fd);
	n = readlink(proc, buf, sizeof(buf) - 1);
	if (n > 0 && buf[0] == '/') {
		buf[n] = '\0';
		m->host_real = strdup(buf);
	}
}

/* Check, then append m to the table, or free it. */
static int mount_commit(struct mount_table *mt, struct mount *m, int ret)
{
	if (!ret)
		ret = check_mountpoint(mt, m);
	if (!ret) {
		set_host_real(m);
		ret = table_append(mt, m);
	}
	if (ret < 0) {
		if (ret == -ENOMEM && !mt->err[0])
			set_error(mt, "mount", m->gpath, ENOMEM);
		mount_free(m);
	}
	return ret;
}

int mount_add(struct mount_table *mt, const char *guest_path,
	      const char *host_path, unsigned int flags)
{
	char gpath[PATH_MAX];
	struct mount *m;
	int ret;

	mt->err[0] = '\0';
	ret = path_normalize(guest_path, gpath, sizeof(gpath));
	if (ret < 0) {
		set_error(mt, "mount point", guest_path, -ret);
		return ret;
	}
	if (flags & MOUNT_RDONLY)
		flags |= MOUNT_LOCKED_RO;
	m = mount_new(gpath, ret, flags | MOUNT_KEEP);
	if (!m)
		return -ENOMEM;
	if (flags & MOUNT_TMPFS) {
		ret = tmpfs_create(mt, m, host_path);
		snprintf(m->fstype, sizeof(m->fstype), "tmpfs");
	} else {
		ret = hostfs_open(mt, m, host_path);
	}
	return mount_commit(mt, m, ret);
}

int mount_add_fd(struct mount_table *mt, const char *gpath, int fd,
		 unsigned int flags, struct mount **out)
{
	struct mount *m = mount_new(gpath, strlen(gpath), flags & ~MOUNT_KEEP);
	struct stat st;
	int ret = 0;

	mt->err[0] = '\0';
	if (!m) {
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	if (flags & MOUNT_TMPFS)
		ret = tmpfs_create(mt, m, NULL);
	else if (fstat(fd, &st))
		ret = -errno;
	m->fd = (flags & MOUNT_TMPFS) ? m->fd : fd;
	if (!(flags & MOUNT_TMPFS) && !ret)
		m->is_dir = S_ISDIR(st.st_mode);
	ret = mount_commit(mt, m, ret);
	*out = ret ? NULL : m;
	return ret;
}

struct mount *mount_find_mut(struct mount_table *mt, const char *gpath)
{
	return (struct mount *)mount_find(mt, gpath);
}

/* Does another mount, live or detached, show a part of m's tmpfs? */
static bool backend_shared(const struct mount_table *mt, const struct mount *m)
{
	size_t len = m->host_real ? strlen(m->host_real) : 0;

	if (!(m->flags & MOUNT_TMPFS))
		return false;
	for (size_t i = 0; i < mt->n + mt->ndead; i++) {
		const struct mount *o = i < mt->n ? mt->v[i] : mt->dead[i - mt->n];

		if (o != m && o->host_real && len &&
		    path_is_prefix(m->host_real, len, o->host_real,
				   strlen(o->host_real)))
			return true;
	}
	return false;
}

void mount_remove(struct mount_table *mt, struct mount *m, bool held)
{
	size_t i;

	for (i = 0; i < mt->n && mt->v[i] != m; i++)
		;
	if (i == mt->n)
		return;
	memmove(&mt->v[i], &mt->v[i + 1], (mt->n - i - 1) * sizeof(m));
	mt->n--;
	update_hidden(mt);
	if (!held && !(m->flags & MOUNT_KEEP) && !backend_shared(mt, m)) {
		mount_free(m);
		return;
	}
	/* room was checked when it was added: n + ndead stays the same */
	if (mt->ndead % 8 == 0) {
		struct mount **v = realloc(mt->dead,
					   (mt->ndead + 8) * sizeof(*v));

		if (!v) {
			mt->v[mt->n++] = m;	/* cannot happen but must not lose it */
			update_hidden(mt);
			return;
		}
		mt->dead = v;
	}
	m->hidden = true;
	mt->dead[mt->ndead++] = m;
}

const struct mount *mount_ops_path(const struct mount *m, const char *gpath,
				   char *buf, size_t size, const char **path)
{
	const struct mount *base = m->ops_base;
	const char *rest = gpath + m->gpath_len;

	*path = gpath;
	if (!base)
		return m;	/* the mount they were made for: as it is */
	if (m->gpath_len == 1)
		rest = gpath[1] ? gpath : "";
	if ((size_t)snprintf(buf, size, "%s%s", base->gpath_len == 1 ? "" :
			     base->gpath, rest) >= size)
		return NULL;
	if (!buf[0])
		snprintf(buf, size, "/");
	*path = buf;
	return base;
}

int mount_set_fstype(struct mount_table *mt, const char *gpath,
		     const char *fstype)
{
	struct mount *m = mount_find_mut(mt, gpath);

	if (!m)
		return -ENOENT;
	snprintf(m->fstype, sizeof(m->fstype), "%s", fstype);
	return 0;
}

int mount_set_ops(struct mount_table *mt, const char *gpath,
		  const struct mount_ops *ops)
{
	for (size_t i = 0; i < mt->n; i++) {
		if (!strcmp(mt->v[i]->gpath, gpath)) {
			mt->v[i]->ops = ops;
			return 0;
		}
	}
	return -ENOENT;
}
