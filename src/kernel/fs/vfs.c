// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's filesystem: the mount table built from the command line,
 * and the first step of every path call, turning (dirfd, guest pointer)
 * into a walk.  The path is copied out of the guest exactly once, into
 * struct vfs_req; everything after acts on that copy.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/devfs.h"
#include "kernel/fs/meta.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/path.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/sysfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/task.h"
#include "platform/platform.h"

struct mount_table *vfs_mounts;
const struct mount *vfs_proc_base, *vfs_sys_base, *vfs_devpts_base;
static struct fs_struct *initial_fs;

/*
 * The host's device nodes the guest's /dev holds (devfs.c), as guest name
 * and host node: the terminal the guest was started on is its /dev/tty
 * and its console; /dev/ptmx makes ptys in the host's devpts, of which
 * the guest sees its own (/dev/pts, filtered).
 */
static const char *const dev_nodes[][2] = {
	{ "/dev/null", "/dev/null" }, { "/dev/zero", "/dev/zero" },
	{ "/dev/full", "/dev/full" }, { "/dev/random", "/dev/random" },
	{ "/dev/urandom", "/dev/urandom" }, { "/dev/tty", "/dev/tty" },
	{ "/dev/console", "/dev/tty" }, { "/dev/ptmx", "/dev/ptmx" },
};
#define NDEV (sizeof(dev_nodes) / sizeof(dev_nodes[0]))

static int add(const char *guest, const char *host, unsigned int flags)
{
	int err = mount_add(vfs_mounts, guest, host, flags);

	if (err)
		fprintf(stderr, "umbra: %s\n", mount_table_error(vfs_mounts));
	return err;
}

/*
 * A tree the kernel keeps (/proc, /sys, /dev): a private read-only
 * directory, searchable by any guest uid as Linux's are (mkdtemp made it
 * 0700; it shows a host user nothing but stand-ins and CPU lists).
 * NULL with *err set on error, which add() has said.
 */
static const struct mount *add_tree(const char *guest, const char *dir,
				    int *err)
{
	const struct mount *m;

	*err = add(guest, dir, MOUNT_TMPFS | MOUNT_RDONLY);
	if (*err)
		return NULL;
	m = mount_at(vfs_mounts, mount_count(vfs_mounts) - 1);
	mount_chmod(m, 0755);
	return m;
}

static int tree_filled(const char *guest, int err)
{
	if (err)
		fprintf(stderr, "umbra: %s: %s\n", guest, strerror(-err));
	return err;
}

/*
 * The guest never sees the host's /proc: it names host processes (the
 * monitor's own /proc/PID/mem among them, which the monitor would open on
 * a guest's behalf).  Its /proc is the kernel's own (proc_tree.c): a
 * private directory of stand-ins whose contents are made in guest terms.
 */
static const char *memory_dir(void)
{
	struct statfs sf;

	if (statfs("/dev/shm", &sf) || sf.f_type != TMPFS_MAGIC ||
	    access("/dev/shm", W_OK | X_OK))
		return NULL;
	return "/dev/shm";
}

static int add_proc(void)
{
	int err;
	/* a tmpfs lists in an order that can be kept (proc_tree.c) */
	const struct mount *m = add_tree("/proc", memory_dir(), &err);

	if (!m)
		return err;
	vfs_proc_base = m;
	return tree_filled("/proc", procfs_populate(m)) ?:
	       mount_set_ops(vfs_mounts, "/proc", &procfs_ops) ?:
	       mount_set_fstype(vfs_mounts, "/proc", "proc");
}

/* /dev: the devices a process needs, nothing else of the host's. */
static int add_dev(void)
{
	const char *names[NDEV];
	int err;
	const struct mount *m = add_tree("/dev", NULL, &err);

	if (!m)
		return err;
	for (size_t i = 0; i < NDEV; i++)
		names[i] = dev_nodes[i][0];
	err = tree_filled("/dev", devfs_populate(m->fd, names, NDEV));
	for (size_t i = 0; !err && i < NDEV; i++)
		if (access(dev_nodes[i][1], F_OK) == 0)
			/* the host's nodes: usable, not changeable */
			err = add(dev_nodes[i][0], dev_nodes[i][1],
				  MOUNT_RDONLY | MOUNT_DEV);
	if (!err && access("/dev/pts", X_OK) == 0) {
		err = add("/dev/pts", "/dev/pts", MOUNT_RDONLY | MOUNT_DEV);
		if (!err)
			err = mount_set_ops(vfs_mounts, "/dev/pts", &devpts_ops) ?:
			      mount_set_fstype(vfs_mounts, "/dev/pts", "devpts");
		vfs_devpts_base = mount_find(vfs_mounts, "/dev/pts");
	}
	return err;
}

/* /sys: the CPUs and nothing else of the host's (sysfs.c). */
static int add_sys(void)
{
	int err;
	const struct mount *m = add_tree("/sys", NULL, &err);

	vfs_sys_base = m;
	return m ? tree_filled("/sys", sysfs_populate(m->fd)) ?:
		   mount_set_fstype(vfs_mounts, "/sys", "sysfs") : err;
}

/*
 * An empty read-only directory that leaves nothing behind even if the
 * monitor is killed: a private temporary directory, mounted, then removed
 * (the mount keeps it open; a removed directory can hold no entry).
 */
static char empty_dir[PATH_MAX];

static int add_empty(const char *guest)
{
	if (!empty_dir[0]) {
		const char *tmp = getenv("TMPDIR");

		/* (a $TMPDIR the guest does not see: as mount.c's) */
		snprintf(empty_dir, sizeof(empty_dir), "%s/umbra-empty-XXXXXX",
			 tmp && *tmp && !access(tmp, W_OK | X_OK) ? tmp : "/tmp");
		if (!mkdtemp(empty_dir)) {
			fprintf(stderr, "umbra: %s: %s\n", empty_dir,
				strerror(errno));
			empty_dir[0] = '\0';
			return -errno;
		}
	}
	return add(guest, empty_dir, MOUNT_RDONLY);
}

/* Make name in dirfd: a directory, or an empty file for a file's mount. */
static int make_point(int dirfd, const char *name, bool dir)
{
	int fd;

	if (dir)
		return mkdirat(dirfd, name, 0755) ? -errno : 0;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * A missing ancestor of a mount point, or the point itself (last): made
 * in the mount above it when that is a private tmpfs (the working
 * directory /tmp/a/b under the zero-setup default's private /tmp: /tmp/a
 * stays the guest's to write, and lists b), else an empty read-only
 * directory (an ancestor) or nothing (the point: the table alone has it).
 */
static int add_ancestor(const struct path *root, const char *anc, bool last,
			bool dir)
{
	struct nameidata nd = { .dirfd = -1 };
	int err = path_walk(vfs_mounts, root, root, anc, WALK_CREATE, &nd);

	if (!err && !nd.exists && nd.last_type == LAST_NORM &&
	    (nd.mnt->flags & MOUNT_TMPFS) && !mount_readonly(nd.mnt))
		err = make_point(nd.dirfd, nd.last, dir || !last);
	else
		err = last ? 0 : add_empty(anc);
	nd_release(&nd);
	return err;
}

/*
 * A bind whose guest path does not exist in the root (-b /a/b/c with no
 * /a in the root filesystem) gets directories for its missing ancestors
 * first, so that it can be reached.  They must come before it: a later
 * mount on an ancestor would hide it, as in Linux.
 */
static int add_parents(const char *g, bool dir)
{
	struct path root;
	int err = path_root(vfs_mounts, &root);

	for (const char *p = strchr(g + 1, '/'); !err; p = strchr(p + 1, '/')) {
		struct nameidata nd = { .dirfd = -1 };
		char anc[PATH_MAX];
		int len = p ? (int)(p - g) : (int)strlen(g);

		snprintf(anc, sizeof(anc), "%.*s", len, g);
		if (path_walk(vfs_mounts, &root, &root, anc,
			      WALK_FOLLOW | WALK_DIRECTORY, &nd) == -ENOENT)
			err = add_ancestor(&root, anc, !p, dir);
		nd_release(&nd);
		if (!p)
			break;
	}
	path_release(&root);
	return err;
}

static int add_reachable(const char *guest, const char *host,
			 unsigned int flags)
{
	struct stat st;
	bool dir = !host || (!stat(host, &st) && S_ISDIR(st.st_mode));
	int err = guest[0] == '/' ? add_parents(guest, dir) : 0;

	if (!err)
		err = add(guest, host, flags);
	/* a tmpfs's root is 1777, as Linux's: open to every guest uid (the
	 * spool around it keeps it from the host's other users) */
	if (!err && (flags & MOUNT_TMPFS))
		mount_chmod(mount_at(vfs_mounts, mount_count(vfs_mounts) - 1),
			    01777);
	return err;
}

/* Is the directory at path empty (or missing: made now)? */
static bool empty_or_made(const char *path)
{
	DIR *d;
	struct dirent *e;
	bool empty = true;

	if (!mkdir(path, 0755))
		return true;
	d = opendir(path);
	if (!d)
		return false;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

/*
 * Where a temporary upper tree goes: /dev/shm when it is a tmpfs that
 * keeps user xattrs (Linux 6.6), as making thousands of empty files there
 * costs a tenth of what it does on ext4 (0.03 s against 0.38 s for
 * `umbra run -- true`: the merge of /usr/bin and the libraries); else
 * $TMPDIR.  The price: what the guest writes outside its binds is memory.
 */
static const char *upper_parent(void)
{
	char probe[] = "/dev/shm/.umbra-xattr-XXXXXX";
	struct statfs sfs;
	bool ok;
	int fd;

	if (statfs("/dev/shm", &sfs) || sfs.f_type != TMPFS_MAGIC)
		return NULL;
	fd = mkstemp(probe);
	if (fd < 0)
		return NULL;
	ok = !fsetxattr(fd, OVL_XATTR, ".", 1, 0);
	close(fd);
	unlink(probe);
	return ok ? "/dev/shm" : NULL;
}

/*
 * The root copy-on-write: the lower tree is cfg->root (or the host's /),
 * the upper one the user's (--cow) or a private directory the guard
 * removes at exit.  An empty upper tree is a new one.
 */
static int add_overlay(const struct vfs_config *cfg)
{
	const char *lower = cfg->root ? cfg->root : "/";
	bool fresh = !cfg->upper || empty_or_made(cfg->upper);
	int err;

	err = cfg->upper ? add("/", cfg->upper, MOUNT_OVL) :
			   add("/", upper_parent(), MOUNT_TMPFS | MOUNT_OVL);
	if (err)
		return err;
	err = ovl_init(mount_find(vfs_mounts, "/")->fd, lower, fresh,
		       cfg->upper != NULL);
	if (err == -EOPNOTSUPP)
		fprintf(stderr, "umbra: copy-on-write root: %s keeps no user "
			"extended attributes (choose --cow DIR elsewhere)\n",
			cfg->upper ? cfg->upper : "the temporary directory");
	else if (err)
		fprintf(stderr, "umbra: copy-on-write root over %s: %s\n",
			lower, strerror(-err));
	return err;
}

static int check_root(const char *root)
{
	struct stat st;

	if (stat(root, &st)) {
		fprintf(stderr, "umbra: root %s: %s\n", root, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "umbra: root %s: Not a directory\n", root);
		return -ENOTDIR;
	}
	if (access(root, R_OK | X_OK)) {
		fprintf(stderr, "umbra: root %s: %s\n", root, strerror(errno));
		return -errno;
	}
	return 0;
}

/*
 * Map a host path back to the guest: the mount whose backend is the
 * longest prefix of it.  Returns the mount, or NULL when the object is
 * outside every backend (then the guest cannot name it).
 */
const struct mount *host_to_guest(const char *host, char *gpath, size_t size)
{
	const struct mount *best = NULL;
	size_t best_len = 0, hlen = strlen(host);

	for (size_t i = 0; i < mount_count(vfs_mounts); i++) {
		const struct mount *m = mount_at(vfs_mounts, i);
		const char *r = m->host_real;
		size_t rlen = r ? strlen(r) : 0;

		if (!r || m->hidden || (best && rlen <= best_len))
			continue;
		/* a file mount has no children */
		if (!m->is_dir && rlen < hlen)
			continue;
		if (rlen == 1 || (!strncmp(host, r, rlen) &&
				  (host[rlen] == '/' || !host[rlen]))) {
			best = m;
			best_len = rlen == 1 ? 0 : rlen;
		}
	}
	if (!best)	/* a file of the overlay's lower tree? */
		return ovl_host_to_guest(host, gpath, size);
	if (hlen == best_len)
		snprintf(gpath, size, "%s", best->gpath);
	else if (best->gpath_len == 1)
		snprintf(gpath, size, "%s", host + best_len);
	else
		snprintf(gpath, size, "%s%s", best->gpath, host + best_len);
	return best;
}

static int setup_cwd(const struct vfs_config *cfg, struct path *root,
		     struct path *pwd)
{
	char host_cwd[PATH_MAX], guess[PATH_MAX];
	const char *want = cfg->cwd;
	struct nameidata nd = { .dirfd = -1 };
	int err;

	if (!want && getcwd(host_cwd, sizeof(host_cwd)) &&
	    host_to_guest(host_cwd, guess, sizeof(guess)))
		want = guess;
	err = want ? path_walk(vfs_mounts, root, root, want,
			       WALK_FOLLOW | WALK_DIRECTORY, &nd) : -ENOENT;
	if (!err)
		err = path_from_nd(&nd, pwd);
	nd_release(&nd);
	if (err && cfg->cwd) {
		fprintf(stderr, "umbra: working directory %s: %s\n", cfg->cwd,
			strerror(-err));
		return err;
	}
	return err ? path_copy(pwd, root) : 0;
}

int vfs_setup(const struct vfs_config *cfg)
{
	struct path root, pwd;
	mode_t mask;
	int err;

	vfs_mounts = mount_table_new();
	if (!vfs_mounts)
		return -ENOMEM;
	if (cfg->root && (err = check_root(cfg->root)))
		return err;
	err = mount_table_guard(vfs_mounts);
	if (err) {
		fprintf(stderr, "umbra: %s\n", mount_table_error(vfs_mounts));
		vfs_teardown();
		return err;
	}
	err = cfg->overlay ? add_overlay(cfg) :
			     add("/", cfg->root ? cfg->root : "/", 0);
	if (!err)
		err = add_proc();
	if (!err)
		err = add_sys();
	if (!err && cfg->default_devices) {
		err = add_dev();
		/*
		 * POSIX shared memory and named semaphores (shm_open,
		 * sem_open: Python's multiprocessing) need a /dev/shm the
		 * guest can write, which a root filesystem made by root is
		 * not for an unprivileged user: a private one, as a tmpfs.
		 */
		if (!err)
			err = add_reachable("/dev/shm", NULL, MOUNT_TMPFS);
	}
	if (!err && cfg->private_tmp)
		err = add_reachable("/tmp", NULL, MOUNT_TMPFS);
	/* a device node the user binds in is given (-b /dev/kvm:/dev/kvm) */
	for (int i = 0; !err && i < cfg->nbinds; i++)
		err = add_reachable(cfg->binds[i].guest, cfg->binds[i].host,
				    MOUNT_DEV | (cfg->binds[i].ro ? MOUNT_RDONLY : 0));
	for (int i = 0; !err && i < cfg->ntmpfs; i++)
		err = add_reachable(cfg->tmpfs[i], NULL, MOUNT_TMPFS);
	if (!err && cfg->bind_cwd)
		err = add_reachable(cfg->bind_cwd, cfg->bind_cwd, 0);
	if (empty_dir[0])
		rmdir(empty_dir);
	if (err) {
		vfs_teardown();
		return err;
	}
	err = path_root(vfs_mounts, &root);
	if (err) {
		vfs_teardown();
		return err;
	}
	err = setup_cwd(cfg, &root, &pwd);
	if (err) {
		path_release(&root);
		vfs_teardown();
		return err;
	}
	/* the monitor creates files for the guest: the guest's umask rules */
	mask = umask(0);
	initial_fs = fs_alloc(&root, &pwd, mask);
	path_release(&root);
	path_release(&pwd);
	return initial_fs ? 0 : -ENOMEM;
}

void vfs_teardown(void)
{
	if (vfs_mounts)
		mount_table_free(vfs_mounts);
	vfs_mounts = NULL;
}

struct fs_struct *vfs_initial_fs(void)
{
	return initial_fs;
}

static void fd_link(const struct task *task, int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/%d/fd/%d", task->tid, fd);
}

int fd_host_object(struct task *task, int fd, int flags)
{
	char link[64];
	int ofd;

	if (fd < 0)
		return -EBADF;
	fd_link(task, fd, link, sizeof(link));
	/* the monitor's own lookup of an object the guest already holds */
	ofd = open(link, flags | O_CLOEXEC);
	if (ofd < 0)
		return errno == ENOENT ? -EBADF : -errno;
	return ofd;
}

/*
 * The guest's open file itself, as a monitor fd (pidfd_getfd): unlike a
 * reopen through /proc, it works for every kind of file (O_PATH, inotify,
 * sockets) and shares the offset and flags.  The task's pidfd is kept.
 */
int fd_take(struct task *task, int fd)
{
	int hfd;

	if (fd < 0)
		return -EBADF;
	/* a thread without a pidfd of its own shares its process's fds */
	if (task->pidfd < 0)
		task = task->leader;
	if (task->pidfd < 0)
		return -ESRCH;
	hfd = syscall(SYS_pidfd_getfd, task->pidfd, fd, 0);
	return hfd < 0 ? -errno : hfd;
}

/*
 * What one of the monitor's own fds names on the host, NUL-terminated
 * ("/a/path", "pipe:[..]", "socket:[..]"): its length, or -1.
 */
ssize_t host_fd_path(int hfd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", hfd);
	n = readlink(link, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/*
 * The mount the object of one of the monitor's own fds lives on (NULL:
 * outside the view, or no path at all).  Asked of a copy the monitor took
 * once (fd_take), never of the guest's fd table again: a sibling could
 * dup2() another file over the number between two looks.
 */
const struct mount *host_fd_mount(int hfd)
{
	char host[PATH_MAX], g[PATH_MAX];

	if (host_fd_path(hfd, host, sizeof(host)) <= 0 || host[0] != '/')
		return NULL;
	return host_to_guest(host, g, sizeof(g));
}

/*
 * May what the object's inode says about itself (owner, mode, times,
 * xattrs) not change?  On a read-only mount; and for a host file no path
 * of the guest's view reaches (its stdin from the user, /dev/null after
 * the guest unmounted its own), whose fd may be used as it was opened
 * but whose inode is the host's.  *mnt: its mount, NULL for none (a
 * pipe, a socket: changeable, as on Linux).  One look at the fd.
 */
bool host_fd_readonly(int hfd, const struct mount **mnt)
{
	char host[PATH_MAX], g[PATH_MAX];

	*mnt = NULL;
	if (host_fd_path(hfd, host, sizeof(host)) <= 0 || host[0] != '/')
		return false;
	*mnt = host_to_guest(host, g, sizeof(g));
	return !*mnt || mount_readonly(*mnt);
}

int fd_gpath(struct task *task, int fd, char *buf, size_t size)
{
	char link[64], host[PATH_MAX];
	ssize_t n;

	fd_link(task, fd, link, sizeof(link));
	n = readlink(link, host, sizeof(host) - 1);
	if (n < 0)
		return errno == ENOENT ? -EBADF : -errno;
	host[n] = '\0';
	if (host[0] != '/') {		/* pipe:[..], socket:[..], anon_inode */
		snprintf(buf, size, "%s", host);
		return 0;
	}
	if (procfs_memfd_gpath(host, buf, size))
		return 0;		/* an open /proc file: its own name */
	if (!host_to_guest(host, buf, size))
		return -ENOENT;
	return 0;
}

int fd_to_path(struct task *task, int fd, struct path *out)
{
	char host[PATH_MAX];
	const struct mount *m;
	struct stat st;
	/* the guest's own open file: one syscall, no walk through /proc */
	int ofd = fd_take(task, fd);

	out->fd = -1;
	if (ofd < 0)
		return ofd;
	if (fstat(ofd, &st) || !S_ISDIR(st.st_mode)) {
		close(ofd);
		return -ENOTDIR;
	}
	/* the object we took, not the guest's fd number again */
	m = host_fd_path(ofd, host, sizeof(host)) > 0 ?
	    host_to_guest(host, out->gpath, sizeof(out->gpath)) : NULL;
	if (!m) {
		close(ofd);
		return -ENOENT;	/* a directory outside the view */
	}
	out->mnt = m;
	out->fd = ofd;
	return 0;
}

const char *vfs_visible(const struct task *task, const char *gpath)
{
	return path_from_root(task->fs->root.gpath, gpath);
}

/* The task whose walk runs (walks run under the kernel lock). */
static const struct cred *walk_cred;

static int may_search(int dirfd)
{
	struct stat st;

	if (!walk_cred || meta_fstat(dirfd, &st))
		return 0;	/* the host's lookup answers */
	return guest_permission(walk_cred, &st, MAY_EXEC, false);
}

/*
 * Does the guest's search permission differ from the monitor's?  Only
 * when its ids are not the monitor's and it has no capability that
 * searches anything: then every directory of a walk is checked for it
 * (an fstat each), else the host's own lookups say the same.
 */
static bool foreign_search(const struct cred *c)
{
	static gid_t host_groups[256];
	static int nhost = -1;

	if (c->cap_eff & ((1ULL << 1) | (1ULL << 2)))	/* DAC_OVERRIDE,
							 * DAC_READ_SEARCH */
		return false;
	if (nhost < 0)
		nhost = getgroups(256, host_groups);
	if (c->fsuid != geteuid() || c->fsgid != getegid() ||
	    c->ngroups != nhost)
		return true;
	for (int i = 0; i < nhost; i++)
		if (!cred_in_group(c, host_groups[i]))
			return true;
	return false;
}

int vfs_walk_str(struct trap *t, int dirfd, const char *path,
		 unsigned int flags, struct vfs_req *req, struct nameidata *nd)
{
	struct fs_struct *fs = t->task->fs;
	const struct path *start;
	int err;

	nd->dirfd = -1;
	nd->dirfd_owned = false;
	nd->dent = NULL;
	req->have_start = false;
	if (!fs)
		return -ENOMEM;	/* its copy failed at fork (no fd left) */
	start = &fs->pwd;
	procfs_set_caller(t->task);
	walk_cred = &t->task->cred;
	namei_may_search = may_search;
	if (foreign_search(walk_cred))
		flags |= WALK_SEARCH;
	if (!path[0] && !(flags & WALK_EMPTY_PATH))
		return -ENOENT;		/* before the dirfd, as Linux */
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		err = fd_to_path(t->task, dirfd, &req->start);
		if (err)
			return err;
		req->have_start = true;
		start = &req->start;
	}
	/* openat2's RESOLVE_IN_ROOT: the dirfd is the root of this walk */
	return path_walk(vfs_mounts, (flags & WALK_IN_ROOT) ? start : &fs->root,
			 start, path, flags, nd);
}

int vfs_walk_at(struct trap *t, int dirfd_arg, int path_arg,
		unsigned int flags, struct vfs_req *req, struct nameidata *nd)
{
	long n = guest_read_str(t->task, t->args[path_arg], req->path,
				sizeof(req->path));

	nd->dirfd = -1;
	nd->dirfd_owned = false;
	nd->dent = NULL;
	req->have_start = false;
	if (n < 0)
		return (int)n;
	return vfs_walk_str(t, dirfd_arg < 0 ? AT_FDCWD :
			    (int)t->args[dirfd_arg], req->path, flags, req, nd);
}

void vfs_done(struct vfs_req *req, struct nameidata *nd)
{
	nd_release(nd);
	if (req->have_start)
		path_release(&req->start);
	req->have_start = false;
}
