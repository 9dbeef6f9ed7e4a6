// SPDX-License-Identifier: GPL-2.0
/*
 * mount(2) and umount2(2) of the guest: its mount table is its own, as in
 * a fresh mount namespace.  What a guest may mount is what needs no host
 * device and no host privilege: binds of what it can already see, tmpfs
 * (a private directory beside the monitor's), the kernel's own trees
 * (proc, sysfs, devpts) again, and mqueue (the guest's queues, mqueuefs.c).
 * Any other filesystem type is EPERM (ENODEV for a type the host does not
 * know), as for a container without the device.
 *
 * A mount made read-only at setup (the user's ro binds, the kernel trees,
 * the host's device nodes) stays read-only whatever the guest remounts:
 * the monitor, which acts on the backend with the host user's rights,
 * must never be talked into writing what the user lent read-only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel/cred.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/mqueuefs.h"
#include "kernel/fs/ovl.h"
#include "kernel/fs/path.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/kernel.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define MS_MGC_MASK	0xffff0000UL
#define MS_MGC_MAGIC	0xc0ed0000UL
#define MS_PROPAGATION	(MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define MOUNT_USER_FLAGS (MOUNT_RDONLY | MOUNT_NOSUID | MOUNT_NODEV | MOUNT_NOEXEC)
#define MOUNT_INHERITED	(MOUNT_USER_FLAGS | MOUNT_DEV | MOUNT_LOCKED_RO | MOUNT_OVL)

struct mount_req {
	unsigned long flags;
	char source[PATH_MAX];
	char type[64];
	char data[4096];
	bool has_source, has_type;
};

/* NULL pointers are "none"; otherwise EFAULT, or too long as Linux. */
static int copy_arg(struct trap *t, uint64_t addr, char *buf, size_t size,
		    bool *has)
{
	long n;

	*has = addr != 0;
	buf[0] = '\0';
	if (!addr)
		return 0;
	n = guest_read_str(t->task, addr, buf, size);
	return n < 0 ? (int)n : 0;
}

static int copy_mount_args(struct trap *t, struct mount_req *r)
{
	bool has_data;
	long n;
	int err;

	r->flags = t->args[3];
	if ((r->flags & MS_MGC_MASK) == MS_MGC_MAGIC)
		r->flags &= ~MS_MGC_MASK;
	err = copy_arg(t, t->args[2], r->type, sizeof(r->type), &r->has_type);
	if (err == -ENAMETOOLONG)
		err = -ENODEV;		/* no type has such a name */
	if (!err)
		err = copy_arg(t, t->args[0], r->source, sizeof(r->source),
			       &r->has_source);
	if (err)
		return err;
	/* options are a page at most; a longer string is cut, as Linux */
	r->data[0] = '\0';
	has_data = t->args[4] != 0;
	if (has_data) {
		n = guest_read_str(t->task, t->args[4], r->data, sizeof(r->data));
		if (n == -EFAULT)
			return -EFAULT;
		r->data[sizeof(r->data) - 1] = '\0';
	}
	return 0;
}

static bool is_mount_root(const struct nameidata *nd)
{
	return strcmp(nd->mnt->gpath, nd->gpath) == 0;
}

/* Does some task's root or cwd lie on m? */
static bool mount_held(const struct mount *m)
{
	struct task *t;

	for_each_task(t)
		if (t->fs && (t->fs->root.mnt == m || t->fs->pwd.mnt == m))
			return true;
	return false;
}

/* Mounts made on top of m, inside it: its children and theirs. */
static bool is_child(const struct mount *m, const struct mount *c)
{
	return c != m && c->seq > m->seq &&
	       path_is_prefix(m->gpath, m->gpath_len, c->gpath, c->gpath_len);
}

static bool has_children(const struct mount *m)
{
	for (size_t i = 0; i < mount_count(vfs_mounts); i++)
		if (is_child(m, mount_at(vfs_mounts, i)))
			return true;
	return false;
}

/* Options a tmpfs takes; mode= is kept, the sizes mean nothing here. */
static int tmpfs_options(char *data, mode_t *mode)
{
	static const char *const known[] = {
		"size", "nr_blocks", "nr_inodes", "uid", "gid", "huge",
		"mpol", "inode32", "inode64", "noswap", "quota", "usrquota",
		"grpquota", "usrquota_block_hardlimit",
		"usrquota_inode_hardlimit", "grpquota_block_hardlimit",
		"grpquota_inode_hardlimit",
	};
	char *save = NULL, *o;

	for (o = strtok_r(data, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '='), *end;
		bool ok = false;

		if (eq)
			*eq = '\0';
		if (!strcmp(o, "mode") && eq) {
			unsigned long v = strtoul(eq + 1, &end, 8);

			if (*end || end == eq + 1)
				return -EINVAL;
			*mode = v & 07777;
			continue;
		}
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			ok |= !strcmp(o, known[i]);
		if (!ok)
			return -EINVAL;
	}
	return 0;
}

static unsigned int user_flags(unsigned long ms)
{
	return (ms & MS_RDONLY ? MOUNT_RDONLY : 0) |
	       (ms & MS_NOSUID ? MOUNT_NOSUID : 0) |
	       (ms & MS_NODEV ? MOUNT_NODEV : 0) |
	       (ms & MS_NOEXEC ? MOUNT_NOEXEC : 0);
}

static int set_names(struct mount *m, const char *fstype, const char *source,
		     const char *root)
{
	if (fstype)
		snprintf(m->fstype, sizeof(m->fstype), "%.15s", fstype);
	m->source = source ? strdup(source) : NULL;
	m->root = root ? strdup(root) : NULL;
	return (source && !m->source) || (root && !m->root) ? -ENOMEM : 0;
}

/*
 * A mount of s's backend object fd (taken) at gpath, with s's flags and
 * operations (a made filesystem keeps answering as the mount it was made
 * for) and these flags besides.
 */
static int mount_like(const struct mount *s, int fd, const char *gpath,
		      unsigned int flags, struct mount **out)
{
	int err = mount_add_fd(vfs_mounts, gpath, fd,
			       flags | (s->flags & MOUNT_INHERITED), out);

	if (err)
		return err;
	(*out)->ops = s->ops;
	(*out)->ops_base = s->ops ? (s->ops_base ? s->ops_base : s) : NULL;
	return 0;
}

/* A mount of the same backend as base (a kernel tree) at gpath. */
static int mount_again(const struct mount *base, const char *gpath,
		       unsigned int flags, const char *fstype,
		       const char *source)
{
	struct mount *m;
	int fd;

	if (!base)
		return -ENODEV;
	fd = fcntl(base->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	return mount_like(base, fd, gpath, flags, &m) ?:
	       set_names(m, fstype, source, NULL);
}

static int new_tmpfs(struct mount_req *r, const char *gpath,
		     unsigned int flags, const char *fstype)
{
	mode_t mode = 01777;
	struct mount *m;
	int err = 0;

	if (!strcmp(fstype, "tmpfs"))
		err = tmpfs_options(r->data, &mode);
	else
		flags |= MOUNT_RDONLY | MOUNT_LOCKED_RO;
	if (!err)
		err = mount_add_fd(vfs_mounts, gpath, -1, flags | MOUNT_TMPFS, &m);
	if (err)
		return err;
	mount_chmod(m, mode);
	if (!strcmp(fstype, "mqueue"))
		m->ops = &mqueuefs_ops;
	return set_names(m, fstype, r->has_source ? r->source : fstype, NULL);
}

/* A type the host knows but the guest may not mount: EPERM, else ENODEV. */
static int unknown_type(const char *type)
{
	char line[128], *name;
	FILE *f = fopen("/proc/filesystems", "re");
	int err = -ENODEV;

	if (!f)
		return -ENODEV;
	while (err == -ENODEV && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		name = strchr(line, '\t');
		if (name && !strcmp(name + 1, type))
			err = -EPERM;
	}
	fclose(f);
	return err;
}

static int do_new_mount(struct mount_req *r, const struct nameidata *nd)
{
	unsigned int flags = user_flags(r->flags);
	const char *src = r->has_source ? r->source : r->type;

	if (!r->has_type || !r->type[0])
		return -EINVAL;
	if (!strcmp(r->type, "tmpfs") || !strcmp(r->type, "mqueue") ||
	    !strcmp(r->type, "proc") || !strcmp(r->type, "sysfs") ||
	    !strcmp(r->type, "devpts")) {
		if (!S_ISDIR(nd->st.st_mode))
			return -ENOTDIR;
	} else {
		return unknown_type(r->type);
	}
	if (!strcmp(r->type, "tmpfs") || !strcmp(r->type, "mqueue"))
		return new_tmpfs(r, nd->gpath, flags, r->type);
	if (!strcmp(r->type, "proc"))
		return mount_again(vfs_proc_base, nd->gpath, flags, "proc", src);
	if (!strcmp(r->type, "sysfs"))
		return mount_again(vfs_sys_base, nd->gpath, flags, "sysfs", src);
	return mount_again(vfs_devpts_base, nd->gpath, flags, "devpts", src);
}

/* A copy of mount s (on the source tree) at the same place under dst. */
static int bind_one(const struct mount *s, int fd, const char *gpath,
		    const char *root)
{
	struct mount *m;

	return mount_like(s, fd, gpath, 0, &m) ?:
	       set_names(m, s->fstype[0] ? s->fstype : NULL, s->source, root);
}

/* MS_REC: the mounts under the source come along, in their order. */
static int bind_children(const char *src, size_t slen, const char *dst,
			 size_t nold)
{
	char g[PATH_MAX];
	int err = 0;

	for (size_t i = 0; !err && i < nold; i++) {
		const struct mount *s = mount_at(vfs_mounts, i);
		int fd;

		if (s->hidden || s->gpath_len <= slen ||
		    !path_is_prefix(src, slen, s->gpath, s->gpath_len))
			continue;
		if ((size_t)snprintf(g, sizeof(g), "%s%s", strcmp(dst, "/") ? dst : "",
				     s->gpath + (slen > 1 ? slen : 0)) >= sizeof(g))
			return -ENAMETOOLONG;
		fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
		err = fd < 0 ? -errno : bind_one(s, fd, g, s->root);
	}
	return err;
}

/* Where gpath (on mount s) is in its filesystem: mountinfo's root. */
static void bind_root(const struct mount *s, const char *gpath, char *out,
		      size_t size)
{
	const char *base = s->root && strcmp(s->root, "/") ? s->root : "";
	const char *rel = s->gpath_len > 1 ? gpath + s->gpath_len :
			  (strcmp(gpath, "/") ? gpath : "");

	snprintf(out, size, "%s%s", base, rel);
	if (!out[0])
		snprintf(out, size, "/");
}

static int do_loopback(struct trap *t, struct mount_req *r,
		       const struct nameidata *nd)
{
	struct vfs_req sreq;
	struct nameidata snd;
	char root[PATH_MAX];
	const struct mount *s;
	size_t nold = mount_count(vfs_mounts);
	int err, fd;

	if (!r->has_source || !r->source[0])
		return -EINVAL;
	err = vfs_walk_str(t, AT_FDCWD, r->source, WALK_FOLLOW, &sreq, &snd);
	s = snd.mnt;
	if (!err && S_ISDIR(snd.st.st_mode) != S_ISDIR(nd->st.st_mode))
		err = -ENOTDIR;
	/* a made tree's entries are known by path from its root only */
	if (!err && s->ops && !is_mount_root(&snd))
		err = -EINVAL;
	/* a file bound elsewhere is read and written there: its own data */
	if (!err && snd.lower && !mount_readonly(s))
		err = ovl_copy_up(snd.dirfd, snd.last);
	if (!err) {
		bind_root(s, snd.gpath, root, sizeof(root));
		fd = nd_open(&snd, O_PATH, 0);
		err = fd < 0 ? fd : bind_one(s, fd, nd->gpath, root);
	}
	if (!err && (r->flags & MS_REC))
		err = bind_children(snd.gpath, strlen(snd.gpath), nd->gpath, nold);
	vfs_done(&sreq, &snd);
	return err;
}

static int do_remount(struct mount_req *r, const struct nameidata *nd)
{
	struct mount *m = mount_find_mut(vfs_mounts, nd->gpath);
	unsigned int flags = user_flags(r->flags);

	if (!m || !is_mount_root(nd))
		return -EINVAL;
	if (!(flags & MOUNT_RDONLY) && (m->flags & MOUNT_LOCKED_RO))
		return -EPERM;
	if (!(r->flags & MS_BIND) && !strcmp(m->fstype, "tmpfs")) {
		mode_t mode = 0;
		int err = tmpfs_options(r->data, &mode);

		if (err)
			return err;
	}
	m->flags = (m->flags & ~MOUNT_USER_FLAGS) | flags;
	return 0;
}

static int do_change_type(struct mount_req *r, const struct nameidata *nd)
{
	unsigned long type = r->flags & ~(MS_REC | MS_SILENT);

	if (!is_mount_root(nd))
		return -EINVAL;
	/* exactly one propagation type; none of them matters to one namespace */
	if (!type || (type & ~MS_PROPAGATION) || (type & (type - 1)))
		return -EINVAL;
	return 0;
}

static int path_mount(struct trap *t, struct mount_req *r,
		      const struct nameidata *nd)
{
	if (!cred_capable(&t->task->cred, CAP_SYS_ADMIN))
		return -EPERM;
	if (r->flags & MS_REMOUNT)
		return do_remount(r, nd);
	if (r->flags & MS_BIND)
		return do_loopback(t, r, nd);
	if (r->flags & MS_PROPAGATION)
		return do_change_type(r, nd);
	if (r->flags & MS_MOVE)
		return -EINVAL;		/* not kept: see docs/decisions.md */
	return do_new_mount(r, nd);
}

/*
 * Nothing is mounted on /proc/N/fd/M, a magic link to an open file, as
 * Linux refuses (ENOENT): the link names the file, not a place.
 */
static bool on_magic_link(struct trap *t, const char *path)
{
	struct task *owner;

	return procfs_fd_path(t->task, path, &owner) >= 0;
}

long sys_mount(struct trap *t)
{
	struct mount_req *r = malloc(sizeof(*r));
	struct vfs_req req;
	struct nameidata nd;
	long ret;

	if (!r)
		return -ENOMEM;
	nd.dirfd = -1;
	nd.dirfd_owned = false;
	nd.dent = NULL;
	req.have_start = false;
	ret = copy_mount_args(t, r);
	if (!ret)
		ret = vfs_walk_at(t, -1, 1, WALK_FOLLOW, &req, &nd);
	if (!ret && on_magic_link(t, req.path))
		ret = -ENOENT;
	if (!ret)
		ret = path_mount(t, r, &nd);
	vfs_done(&req, &nd);
	free(r);
	if (!ret)
		dcache_flush();
	return ret;
}

/* Take m and what was mounted on it out, children first. */
static void umount_tree(struct mount *m)
{
	for (size_t i = mount_count(vfs_mounts); i-- > 0;) {
		struct mount *c = (struct mount *)mount_at(vfs_mounts, i);

		if (is_child(m, c))
			mount_remove(vfs_mounts, c, mount_held(c));
	}
	mount_remove(vfs_mounts, m, mount_held(m));
}

static int do_umount(struct trap *t, const struct nameidata *nd, int flags)
{
	struct mount *m = mount_find_mut(vfs_mounts, nd->gpath);
	bool busy;

	if (!cred_capable(&t->task->cred, CAP_SYS_ADMIN))
		return -EPERM;
	if (!m || !is_mount_root(nd))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (m->gpath_len == 1)
		return -EBUSY;		/* the root stays */
	busy = has_children(m) || mount_held(m);
	if (flags & MNT_EXPIRE) {
		if (busy)
			return -EBUSY;
		if (!(m->flags & MOUNT_EXPIRING)) {
			m->flags |= MOUNT_EXPIRING;
			return -EAGAIN;
		}
	}
	if (busy && !(flags & MNT_DETACH))
		return -EBUSY;
	umount_tree(m);
	dcache_flush();
	return 0;
}

long sys_umount2(struct trap *t)
{
	int flags = (int)t->args[1];
	struct vfs_req req;
	struct nameidata nd;
	long ret;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	ret = vfs_walk_at(t, -1, 0, flags & UMOUNT_NOFOLLOW ? 0 : WALK_FOLLOW,
			  &req, &nd);
	if (!ret)
		ret = do_umount(t, &nd, flags);
	vfs_done(&req, &nd);
	return ret;
}
