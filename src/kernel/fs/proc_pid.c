// SPDX-License-Identifier: GPL-2.0
/*
 * The files of /proc/N and /proc/N/task/M.  What the guest kernel owns
 * (pids, parent, process group, session) is its own; the rest is the
 * host's file of the same host task, with every pid put in guest terms
 * and every mapped file under its guest path (or none, when it is outside
 * the view: the host's path is never shown).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kernel/fs/fs_struct.h"
#include "kernel/fs/proc_internal.h"
#include "kernel/fs/vfs.h"
#include "kernel/task.h"

#define HOST_MAX	(32u << 20)

static pid_t guest_ppid(const struct task *t)
{
	const struct task *p = t->leader->parent;

	return p ? task_vpid(p) : 0;
}

/* The host's file of the same name: the task's, or /proc's own. */
static int read_host(struct proc_ctx *c, const char *name, struct sbuf *sb)
{
	char path[PATH_MAX];

	if (c->task)
		proc_host_path(c, name, path, sizeof(path));
	else
		snprintf(path, sizeof(path), "/proc/%s", name);
	return sb_read_host(sb, path, HOST_MAX);
}

int proc_gen_host_copy(struct proc_ctx *c)
{
	return read_host(c, c->name, c->sb);
}

/*
 * The guest's comm: the host's, unless the host's is still the one exec
 * gave the host file (a symlink's target, "busybox" for /bin/cat): then
 * the name the guest ran it by.
 */
static void guest_comm(const struct task *t, const char *host, size_t len,
		       char *out, size_t size)
{
	if (t->hcomm[0] && len == strlen(t->hcomm) &&
	    !memcmp(host, t->hcomm, len))
		snprintf(out, size, "%s", t->comm);
	else
		snprintf(out, size, "%.*s", (int)len, host);
}

static int gen_comm(struct proc_ctx *c)
{
	struct sbuf h = { 0 };
	char name[64];
	int err = read_host(c, "comm", &h);

	if (!err) {
		guest_comm(c->task, h.s, strcspn(h.s, "\n"), name, sizeof(name));
		sb_printf(c->sb, "%s\n", name);
	}
	sb_free(&h);
	return err;
}

/* A traced task's stop is the monitor's business: a stop to the guest. */
static char guest_state(char s)
{
	return s == 't' ? 'T' : s;
}

static int gen_stat(struct proc_ctx *c)
{
	struct sbuf h = { 0 };
	int err = read_host(c, "stat", &h), ppid, pgrp, sid, tty, tpgid;
	int off = 0;
	char state, name[64];
	char *open_, *close_;

	if (err)
		goto out;
	open_ = strchr(h.s, '(');
	close_ = strrchr(h.s, ')');
	err = -EIO;
	if (!open_ || !close_ || close_ < open_ ||
	    sscanf(close_ + 1, " %c %d %d %d %d %d %n", &state, &ppid,
		   &pgrp, &sid, &tty, &tpgid, &off) < 6 || !off)
		goto out;
	tpgid = tpgid > 0 ? pgrp_to_guest(tpgid) : tpgid;
	guest_comm(c->task, open_ + 1, close_ - open_ - 1, name, sizeof(name));
	sb_printf(c->sb, "%d (%s) %c %d %d %d %d %d %s", c->task->vtid,
		  name, guest_state(state),
		  guest_ppid(c->task), c->task->leader->vpgid,
		  c->task->leader->vsid, tty, tpgid ? tpgid : -1,
		  close_ + 1 + off);
	err = 0;
out:
	sb_free(&h);
	return err;
}

static void status_groups(struct proc_ctx *c, const struct cred *cr)
{
	sb_printf(c->sb, "Groups:\t");
	for (int i = 0; i < cr->ngroups; i++)
		sb_printf(c->sb, "%u ", cr->groups[i]);
	sb_printf(c->sb, "\n");
}

/* CapInh, CapPrm, CapEff, CapBnd, CapAmb: the guest's sets. */
static bool status_cap(struct proc_ctx *c, const char *line,
		       const struct cred *cr)
{
	static const char *const names[] = { "CapInh:", "CapPrm:", "CapEff:",
					     "CapBnd:", "CapAmb:" };
	const uint64_t v[] = { cr->cap_inh, cr->cap_prm, cr->cap_eff,
			       cr->cap_bset, cr->cap_amb };

	for (int i = 0; i < 5; i++) {
		if (!strncmp(line, names[i], 7)) {
			sb_printf(c->sb, "%s\t%016llx\n", names[i],
				  (unsigned long long)v[i]);
			return true;
		}
	}
	return false;
}

/* status: the lines that carry a pid or tell of umbra's own tracing. */
static void status_line(struct proc_ctx *c, const char *line, size_t len)
{
	const struct task *t = c->task;

	if (!strncmp(line, "Name:\t", 6)) {
		char name[64];

		guest_comm(t, line + 6, strcspn(line + 6, "\n"), name,
			   sizeof(name));
		sb_printf(c->sb, "Name:\t%s\n", name);
	} else if (!strncmp(line, "Umask:", 6) && t->fs)
		sb_printf(c->sb, "Umask:\t%04o\n", t->fs->umask);
	else if (!strncmp(line, "State:\tt", 8))
		sb_printf(c->sb, t->gp.stop ? "State:\tt (tracing stop)\n" :
			  "State:\tT (stopped)\n");
	else if (!strncmp(line, "Tgid:", 5))
		sb_printf(c->sb, "Tgid:\t%d\n", task_vpid(t));
	else if (!strncmp(line, "Ngid:", 5))
		sb_printf(c->sb, "Ngid:\t0\n");
	else if (!strncmp(line, "Pid:", 4))
		sb_printf(c->sb, "Pid:\t%d\n", t->vtid);
	else if (!strncmp(line, "PPid:", 5))
		sb_printf(c->sb, "PPid:\t%d\n", guest_ppid(t));
	else if (!strncmp(line, "TracerPid:", 10))
		sb_printf(c->sb, "TracerPid:\t%d\n",
			  t->gp.tracer ? task_vpid(t->gp.tracer) : 0);
	else if (!strncmp(line, "NStgid:", 7))
		sb_printf(c->sb, "NStgid:\t%d\n", task_vpid(t));
	else if (!strncmp(line, "NSpid:", 6))
		sb_printf(c->sb, "NSpid:\t%d\n", t->vtid);
	else if (!strncmp(line, "NSpgid:", 7))
		sb_printf(c->sb, "NSpgid:\t%d\n", t->leader->vpgid);
	else if (!strncmp(line, "NSsid:", 6))
		sb_printf(c->sb, "NSsid:\t%d\n", t->leader->vsid);
	else if (!strncmp(line, "Uid:", 4))
		sb_printf(c->sb, "Uid:\t%u\t%u\t%u\t%u\n", t->cred.uid,
			  t->cred.euid, t->cred.suid, t->cred.fsuid);
	else if (!strncmp(line, "Gid:", 4))
		sb_printf(c->sb, "Gid:\t%u\t%u\t%u\t%u\n", t->cred.gid,
			  t->cred.egid, t->cred.sgid, t->cred.fsgid);
	else if (!strncmp(line, "Groups:", 7))
		status_groups(c, &t->cred);
	else if (!strncmp(line, "Cap", 3) && status_cap(c, line, &t->cred))
		;
	else if (!strncmp(line, "NoNewPrivs:", 11))
		sb_printf(c->sb, "NoNewPrivs:\t%d\n", t->cred.no_new_privs);
	else if (!strncmp(line, "Seccomp:", 8))
		sb_printf(c->sb, "Seccomp:\t0\n");
	else if (!strncmp(line, "Seccomp_filters:", 16))
		sb_printf(c->sb, "Seccomp_filters:\t0\n");
	else
		sb_add(c->sb, line, len);
}

static int gen_status(struct proc_ctx *c)
{
	struct sbuf h = { 0 };
	int err = read_host(c, "status", &h);

	if (!err)
		proc_each_line(c, &h, status_line);
	sb_free(&h);
	return err;
}

/* One line of maps or smaps: the path part, in guest terms. */
static void maps_line(struct proc_ctx *c, const char *line, size_t len)
{
	char host[PATH_MAX], g[PATH_MAX];
	unsigned long a, b;
	const char *path, *del;
	int off = 0;
	size_t plen;

	if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &a, &b, &off) < 2 ||
	    !off || line[off] != '/') {
		sb_add(c->sb, line, len);
		return;
	}
	path = line + off;
	plen = len - off - (line[len - 1] == '\n');
	del = plen > 10 && !memcmp(path + plen - 10, " (deleted)", 10) ?
	      path + plen - 10 : NULL;
	snprintf(host, sizeof(host), "%.*s",
		 (int)(del ? del - path : (long)plen), path);
	sb_add(c->sb, line, off);
	if (host_to_guest(host, g, sizeof(g))) {
		const char *vis = vfs_visible(c->caller ? c->caller : c->task, g);

		if (vis)
			sb_printf(c->sb, "%s%s", vis, del ? " (deleted)" : "");
	}
	sb_add(c->sb, "\n", 1);
}

static int gen_maps(struct proc_ctx *c)
{
	struct sbuf h = { 0 };
	int err = read_host(c, c->name, &h);

	if (!err)
		proc_each_line(c, &h, maps_line);
	sb_free(&h);
	return err;
}

static int gen_cgroup(struct proc_ctx *c)
{
	sb_printf(c->sb, "0::/\n");
	return 0;
}

static int gen_loginuid(struct proc_ctx *c)
{
	sb_printf(c->sb, "4294967295");
	return 0;
}

static int gen_sessionid(struct proc_ctx *c)
{
	sb_printf(c->sb, "4294967295");
	return 0;
}

static int gen_idmap(struct proc_ctx *c)
{
	sb_printf(c->sb, "%10u %10u %10u\n", 0, 0, 4294967295u);
	return 0;
}

static int gen_setgroups(struct proc_ctx *c)
{
	sb_printf(c->sb, "allow\n");
	return 0;
}

#define F(n, m, g)	{ n, S_IFREG | (m), g, false, false }
#define HOST(n, m)	{ n, S_IFREG | (m), NULL, true, false }
#define LNK(n)		{ n, S_IFLNK | 0777, NULL, false, false }
#define DIR_(n)		{ n, S_IFDIR | 0555, NULL, false, false }

const struct proc_entry proc_pid_entries[] = {
	F("stat", 0444, gen_stat),
	F("status", 0444, gen_status),
	F("statm", 0444, proc_gen_host_copy),
	F("cmdline", 0444, proc_gen_host_copy),
	F("environ", 0400, proc_gen_host_copy),
	F("auxv", 0400, proc_gen_host_copy),
	F("maps", 0444, gen_maps),
	F("smaps", 0444, gen_maps),
	F("smaps_rollup", 0444, proc_gen_host_copy),
	F("limits", 0444, proc_gen_host_copy),
	F("mounts", 0444, proc_gen_mounts),
	F("mountinfo", 0444, proc_gen_mountinfo),
	F("cgroup", 0444, gen_cgroup),
	F("loginuid", 0644, gen_loginuid),
	F("sessionid", 0444, gen_sessionid),
	F("uid_map", 0644, gen_idmap),
	F("gid_map", 0644, gen_idmap),
	F("setgroups", 0644, gen_setgroups),
	{ "comm", S_IFREG | 0644, gen_comm, true, false },
	HOST("oom_score", 0444),
	HOST("oom_score_adj", 0644),
	HOST("oom_adj", 0644),
	HOST("wchan", 0444),
	HOST("io", 0400),
	HOST("personality", 0400),
	HOST("schedstat", 0444),
	{ "timerslack_ns", S_IFREG | 0666, NULL, true, true },
	HOST("pagemap", 0400),
	HOST("mem", 0600),
	HOST("clear_refs", 0200),
	{ "coredump_filter", S_IFREG | 0644, NULL, true, true },
	LNK("exe"),
	LNK("cwd"),
	LNK("root"),
	DIR_("fd"),
	DIR_("fdinfo"),
	{ "task", S_IFDIR | 0555, NULL, false, true },
	DIR_("ns"),
	LNK("ns/cgroup"),
	LNK("ns/ipc"),
	LNK("ns/mnt"),
	LNK("ns/net"),
	LNK("ns/pid"),
	LNK("ns/pid_for_children"),
	LNK("ns/time"),
	LNK("ns/time_for_children"),
	LNK("ns/user"),
	LNK("ns/uts"),
};
const size_t proc_pid_nentries = sizeof(proc_pid_entries) /
				 sizeof(proc_pid_entries[0]);
