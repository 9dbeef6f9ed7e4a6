// SPDX-License-Identifier: GPL-2.0
/*
 * The few /proc links every program may look at, answered in guest terms
 * whatever the guest's root holds at /proc: /proc/self, /proc/thread-self,
 * and exe, cwd, root and fd/N of a guest process.  The host's own answers
 * would name the loader, host paths and host pids.
 *
 * Differs from Linux: only readlink is served (no generated files yet),
 * and only for paths spelled from /proc/ on.
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
	struct task *target = NULL;
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
	return target;
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
	fd = strtol(num, &end, 10);
	if (end == num || *end || fd < 0 || fd > 1 << 20)
		return -ENOENT;
	return (int)fd;
}
