// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc links, answered in guest terms: /proc/self, /proc/thread-self,
 * /proc/mounts, and exe, cwd, root, fd/N and ns/X of a guest process or
 * thread.  The host's own answers would name the loader, host paths and
 * host pids.  readlink(2) asks here first for a path spelled from /proc/
 * on; the walk asks for every link it meets on the /proc mount.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "kernel/task.h"

/* "self", "thread-self" or a guest pid: the task, and the rest of path. */
static struct task *proc_task(struct task *t, const char *p, const char **rest)
{
	struct task *target = NULL, *th;
	char *end;
	long v;

	if (!strncmp(p, "self", 4) && (p[4] == '/' || !p[4])) {
		*rest = p + 4;
		return t->leader;
	}
	if (!strncmp(p, "thread-self", 11) && (p[11] == '/' || !p[11])) {
		*rest = p + 11;
		return t;
	}
	v = strtol(p, &end, 10);
	if (end != p && (*end == '/' || !*end) && v > 0 && v < 1 << 22) {
		target = task_by_vtid((pid_t)v);
		*rest = end;
	}
	/* /proc/N/task/M: thread M of process N */
	if (target && !strncmp(*rest, "/task/", 6)) {
		p = *rest + 6;
		v = strtol(p, &end, 10);
		if (end == p || (*end != '/' && *end) || v <= 0 || v >= 1 << 22)
			return NULL;
		th = task_by_vtid((pid_t)v);
		if (!th || th->leader != target->leader)
			return NULL;
		*rest = end;
		return th;
	}
	return target;
}

/* ns/X: a fixed number per kind, the same for every guest process. */
static int ns_link(const char *kind, char *buf, size_t size)
{
	static const char *const kinds[] = {
		"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
		"time", "time_for_children", "user", "uts",
	};

	for (unsigned int i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kind, kinds[i]))
			continue;
		/* the _for_children links name the namespace itself */
		return snprintf(buf, size, "%.*s:[%u]",
				(int)strcspn(kinds[i], "_"), kinds[i],
				4026532200u + i - (strchr(kinds[i], '_') ? 1 : 0));
	}
	return -ENOENT;
}

static int copy_out(char *buf, size_t size, const char *s)
{
	int n = snprintf(buf, size, "%s", s);

	return n < (int)size ? n : -ENAMETOOLONG;
}

static int visible(struct task *t, const char *gpath, char *buf, size_t size)
{
	const char *vis = vfs_visible(t, gpath);

	return vis ? copy_out(buf, size, vis) : -ENOENT;
}

int procfs_readlink(struct task *t, const char *path, char *buf, size_t size)
{
	struct task *target;
	const char *rest;
	char num[16];

	if (strncmp(path, "/proc/", 6))
		return -ENOSYS;
	if (!strcmp(path + 6, "mounts"))
		return copy_out(buf, size, "self/mounts");
	target = proc_task(t, path + 6, &rest);
	if (!target)
		return -ENOSYS;
	if (!*rest) {
		/* the links themselves: self -> "N", thread-self -> "N/task/M" */
		if (!strncmp(path + 6, "self", 4))
			snprintf(num, sizeof(num), "%d", task_vpid(target));
		else if (!strncmp(path + 6, "thread-self", 11))
			return snprintf(buf, size, "%d/task/%d", task_vpid(t),
					t->vtid) < (int)size ? (int)strlen(buf) :
					-ENAMETOOLONG;
		else
			return -EINVAL;	/* /proc/N is a directory */
		return copy_out(buf, size, num);
	}
	if (!strcmp(rest, "/exe"))
		return target->leader->exe ?
		       copy_out(buf, size, target->leader->exe) : -ENOENT;
	if (!strcmp(rest, "/cwd") && target->fs)
		return visible(t, target->fs->pwd.gpath, buf, size);
	if (!strcmp(rest, "/root") && target->fs)
		return visible(t, target->fs->root.gpath, buf, size);
	if (!strncmp(rest, "/fd/", 4)) {
		char *end;
		long fd = strtol(rest + 4, &end, 10);
		char g[PATH_MAX];
		int err;

		if (end == rest + 4 || *end || fd < 0 || fd > 1 << 20)
			return -ENOENT;
		err = fd_gpath(target, (int)fd, g, sizeof(g));
		if (err)
			return err == -EBADF ? -ENOENT : err;
		return g[0] == '/' ? visible(t, g, buf, size) :
				     copy_out(buf, size, g);
	}
	if (!strncmp(rest, "/ns/", 4))
		return ns_link(rest + 4, buf, size);
	return -ENOSYS;
}

/*
 * "/proc/self/fd/N", "/proc/PID/fd/N", "/dev/fd/N", "/dev/stdin" and
 * friends name an fd a guest process holds: opening one reopens that
 * object (bash's process substitution lives on this).  Returns the fd
 * number and sets *owner, or -ENOSYS for any other path.
 */
int procfs_fd_path(struct task *t, const char *path, struct task **owner)
{
	static const char *const std[] = { "/dev/stdin", "/dev/stdout",
					   "/dev/stderr" };
	const char *rest = NULL, *num;
	char *end;
	long fd;

	for (int i = 0; i < 3; i++) {
		if (!strcmp(path, std[i])) {
			*owner = t;
			return i;
		}
	}
	if (!strncmp(path, "/dev/fd/", 8)) {
		*owner = t;
		num = path + 8;
	} else if (!strncmp(path, "/proc/", 6) &&
		   (*owner = proc_task(t, path + 6, &rest)) &&
		   !strncmp(rest, "/fd/", 4)) {
		num = rest + 4;
	} else {
		return -ENOSYS;
	}
	if (!*num)
		return -ENOSYS;		/* the directory itself: walk it */
	fd = strtol(num, &end, 10);
	if (end == num || *end || fd < 0 || fd > 1 << 20)
		return -ENOENT;
	return (int)fd;
}
