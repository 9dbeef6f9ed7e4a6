// SPDX-License-Identifier: GPL-2.0
/*
 * The files of /proc itself and of /proc/sys: the machine's, from the
 * host where they describe the hardware or the kernel (cpuinfo, meminfo,
 * version, limits in sys/), the guest's where they count processes or
 * name the machine (stat, loadavg, sys/kernel/hostname, pid_max), and the
 * mount table in guest terms (mounts, mountinfo).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include "kernel/fs/path.h"
#include "kernel/fs/proc_internal.h"
#include "kernel/fs/vfs.h"
#include "kernel/kernel.h"
#include "kernel/task.h"

static int count_running(void)
{
	struct task *t;
	int n = 0;

	for_each_task(t)
		n += t->state == TASK_RUNNING;
	return n;
}

static void stat_line(struct proc_ctx *c, const char *line, size_t len)
{
	if (!strncmp(line, "processes ", 10))
		sb_printf(c->sb, "processes %d\n", pid_last());
	else if (!strncmp(line, "procs_running ", 14))
		sb_printf(c->sb, "procs_running %d\n", 1);
	else if (!strncmp(line, "procs_blocked ", 14))
		sb_printf(c->sb, "procs_blocked 0\n");
	else
		sb_add(c->sb, line, len);
}

/* The host's, but the process counts are the guest's. */
static int gen_stat(struct proc_ctx *c)
{
	struct sbuf h = { 0 };
	int err = sb_read_host(&h, "/proc/stat", 1 << 20);

	if (!err)
		proc_each_line(c, &h, stat_line);
	sb_free(&h);
	return err;
}

static int gen_loadavg(struct proc_ctx *c)
{
	struct sbuf h = { 0 };
	double a = 0, b = 0, d = 0;
	int err = sb_read_host(&h, "/proc/loadavg", 4096);

	if (!err && sscanf(h.s, "%lf %lf %lf", &a, &b, &d) != 3)
		err = -EIO;
	if (!err)
		sb_printf(c->sb, "%.2f %.2f %.2f %d/%d %d\n", a, b, d,
			  count_running() ? 1 : 0, task_count(), pid_last());
	sb_free(&h);
	return err;
}

static int gen_swaps(struct proc_ctx *c)
{
	sb_printf(c->sb, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}

static int gen_hostname(struct proc_ctx *c)
{
	sb_printf(c->sb, "%s\n", kconfig.hostname);
	return 0;
}

static int gen_domainname(struct proc_ctx *c)
{
	sb_printf(c->sb, "%s\n", kconfig.domainname);
	return 0;
}

static int gen_pid_max(struct proc_ctx *c)
{
	sb_printf(c->sb, "%d\n", pid_max());
	return 0;
}

static int gen_ptrace_scope(struct proc_ctx *c)
{
	sb_printf(c->sb, "1\n");
	return 0;
}

static int gen_empty(struct proc_ctx *c)
{
	return 0;
}

/* The type a mount shows: what its backend is on the host. */
static const char *fs_type(const struct mount *m)
{
	static const struct { long magic; const char *name; } types[] = {
		{ 0xEF53, "ext4" }, { 0x01021994, "tmpfs" },
		{ 0x9123683E, "btrfs" }, { 0x58465342, "xfs" },
		{ 0x794c7630, "overlay" }, { 0x1CD1, "devpts" },
		{ 0x9fa0, "proc" }, { 0x62656572, "sysfs" },
		{ 0x65735546, "fuse" }, { 0x6969, "nfs" },
		{ 0x2fc12fc1, "zfs" }, { 0xf2f52010, "f2fs" },
	};
	struct statfs sf;

	if (m->flags & MOUNT_OVL)
		return "overlay";	/* as Linux shows a container's root */
	if (m->fstype[0])
		return m->fstype;
	if (m->flags & MOUNT_TMPFS)
		return "tmpfs";
	if (fstatfs(m->fd, &sf))
		return "none";
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].magic == (long)sf.f_type)
			return types[i].name;
	return "none";
}

static const char *fs_source(const struct mount *m, const char *type)
{
	if (m->flags & MOUNT_OVL)
		return type;
	if (m->source)
		return m->source;
	if (m->ops || (m->flags & MOUNT_TMPFS))
		return type;
	return m->gpath_len == 1 ? "/dev/root" : "umbra";
}

/* The per-mount options, as Linux shows them */
static const char *mnt_opts(const struct mount *m)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s%s%s,relatime",
		 mount_readonly(m) ? "ro" : "rw",
		 m->flags & MOUNT_NOSUID ? ",nosuid" : "",
		 m->flags & MOUNT_NODEV ? ",nodev" : "",
		 m->flags & MOUNT_NOEXEC ? ",noexec" : "");
	return buf;
}

/* The mounts the viewer can see, from its root; NULL when none is left. */
static const char *mount_seen(const struct proc_ctx *c, size_t i,
			      const struct mount **mp)
{
	const struct mount *m = mount_at(vfs_mounts, i);
	const struct task *who = c->task ? c->task : c->caller;

	*mp = m;
	/* covered mounts too, as Linux: umount -R finds them there */
	if (!who || !who->fs)
		return NULL;
	return vfs_visible(who, m->gpath);
}

int proc_gen_mounts(struct proc_ctx *c)
{
	for (size_t i = 0; i < mount_count(vfs_mounts); i++) {
		const struct mount *m;
		const char *at = mount_seen(c, i, &m), *type;

		if (!at)
			continue;
		type = fs_type(m);
		sb_printf(c->sb, "%s %s %s %s 0 0\n", fs_source(m, type),
			  at, type, mnt_opts(m));
	}
	return 0;
}

/* The id of the mount holding the mount point of mount i: its parent. */
static unsigned int mount_parent(size_t i)
{
	const struct mount *m = mount_at(vfs_mounts, i), *best = NULL;

	for (size_t j = 0; j < i; j++) {
		const struct mount *p = mount_at(vfs_mounts, j);

		if (p->gpath_len <= m->gpath_len && p->is_dir &&
		    path_is_prefix(p->gpath, p->gpath_len, m->gpath,
				   m->gpath_len) &&
		    (!best || p->gpath_len >= best->gpath_len))
			best = p;
	}
	return best ? best->id : 1;
}

int proc_gen_mountinfo(struct proc_ctx *c)
{
	for (size_t i = 0; i < mount_count(vfs_mounts); i++) {
		const struct mount *m;
		const char *at = mount_seen(c, i, &m), *type;
		struct stat st;

		if (!at)
			continue;
		if (fstat(m->fd, &st))
			st.st_dev = 0;
		type = fs_type(m);
		sb_printf(c->sb, "%u %u %u:%u %s %s %s - %s %s %s\n",
			  m->id, mount_parent(i),
			  major(st.st_dev), minor(st.st_dev),
			  m->root ? m->root : "/", at, mnt_opts(m), type,
			  fs_source(m, type), mount_readonly(m) ? "ro" : "rw");
	}
	return 0;
}

#define COPY(n)		{ n, S_IFREG | 0444, proc_gen_host_copy, false, false }
#define F(n, g)		{ n, S_IFREG | 0444, g, false, false }
#define LNK(n)		{ n, S_IFLNK | 0777, NULL, false, false }
#define DIR_(n)		{ n, S_IFDIR | 0555, NULL, false, false }

/* In creation order: a directory before what it holds. */
const struct proc_entry proc_root_entries[] = {
	LNK("self"), LNK("thread-self"), LNK("mounts"),
	COPY("cpuinfo"), COPY("meminfo"), COPY("version"), COPY("uptime"),
	COPY("filesystems"), COPY("cmdline"), COPY("vmstat"),
	COPY("devices"), COPY("crypto"), COPY("config.gz"),
	F("stat", gen_stat), F("loadavg", gen_loadavg), F("swaps", gen_swaps),
	F("modules", gen_empty),
	DIR_("sys"), DIR_("sys/kernel"), DIR_("sys/fs"), DIR_("sys/vm"),
	DIR_("sys/kernel/random"), DIR_("sys/kernel/yama"),
	DIR_("sys/fs/mqueue"), DIR_("sys/fs/inotify"),
	F("sys/kernel/hostname", gen_hostname),
	F("sys/kernel/domainname", gen_domainname),
	F("sys/kernel/pid_max", gen_pid_max),
	F("sys/kernel/yama/ptrace_scope", gen_ptrace_scope),
	COPY("sys/kernel/osrelease"), COPY("sys/kernel/ostype"),
	COPY("sys/kernel/version"), COPY("sys/kernel/ngroups_max"),
	COPY("sys/kernel/threads-max"), COPY("sys/kernel/cap_last_cap"),
	COPY("sys/kernel/overflowuid"), COPY("sys/kernel/overflowgid"),
	COPY("sys/kernel/shmmax"), COPY("sys/kernel/shmall"),
	COPY("sys/kernel/shmmni"), COPY("sys/kernel/msgmax"),
	COPY("sys/kernel/msgmnb"), COPY("sys/kernel/msgmni"),
	COPY("sys/kernel/sem"), COPY("sys/kernel/tainted"),
	COPY("sys/kernel/core_pattern"), COPY("sys/kernel/core_uses_pid"),
	COPY("sys/kernel/random/boot_id"), COPY("sys/kernel/random/uuid"),
	COPY("sys/kernel/random/entropy_avail"),
	COPY("sys/kernel/random/poolsize"),
	COPY("sys/fs/pipe-max-size"), COPY("sys/fs/pipe-user-pages-soft"),
	COPY("sys/fs/pipe-user-pages-hard"),
	COPY("sys/fs/file-max"), COPY("sys/fs/file-nr"), COPY("sys/fs/nr_open"),
	COPY("sys/fs/aio-max-nr"), COPY("sys/fs/aio-nr"),
	COPY("sys/fs/mqueue/msg_max"), COPY("sys/fs/mqueue/msgsize_max"),
	COPY("sys/fs/mqueue/queues_max"), COPY("sys/fs/mqueue/msg_default"),
	COPY("sys/fs/mqueue/msgsize_default"),
	COPY("sys/fs/inotify/max_user_watches"),
	COPY("sys/fs/inotify/max_user_instances"),
	COPY("sys/fs/inotify/max_queued_events"),
	COPY("sys/vm/overcommit_memory"), COPY("sys/vm/overcommit_ratio"),
	COPY("sys/vm/max_map_count"), COPY("sys/vm/mmap_min_addr"),
};
const size_t proc_root_nentries = sizeof(proc_root_entries) /
				  sizeof(proc_root_entries[0]);
