// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's /dev: a private read-only directory holding the names a
 * Linux /dev has for a process (null, zero, full, random, urandom, tty,
 * console, ptmx, pts/, shm/, fd, stdin, stdout, stderr), the devices
 * themselves being the host's nodes bound over their names (vfs.c), and
 * nothing else of the host's /dev.  A device node anywhere else in the
 * guest's view (a rootfs made by root has /dev/console, the host's /
 * has all of them) opens as on a nodev mount: EACCES; only what the user
 * binds in with -b is given as it is.
 *
 * /dev/pts is the host's devpts, through a filter: a guest can look up
 * only the terminals guest processes hold, a master's (its tty-index) or
 * a slave's, so TIOCGPTN, ptsname and /dev/pts/N agree and a host user's
 * other terminals cannot be opened.  Differs from Linux: the numbers are
 * the host's, and a listing of /dev/pts shows the host's numbers (names
 * only: each lookup is filtered).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/devfs.h"
#include "kernel/fs/dir_each.h"
#include "kernel/task.h"

static const char *const links[][2] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

int devfs_populate(int rootfd, const char *const *nodes, size_t n)
{
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], rootfd, links[i][0]) &&
		    errno != EEXIST)
			return -errno;
	if ((mkdirat(rootfd, "pts", 0755) && errno != EEXIST) ||
	    (mkdirat(rootfd, "shm", 01777) && errno != EEXIST))
		return -errno;
	/* stand-ins under the binds, for getdents: "/dev/null" -> "null" */
	for (size_t i = 0; i < n; i++)
		if (mknodat(rootfd, strrchr(nodes[i], '/') + 1, S_IFREG | 0666,
			    0) && errno != EEXIST)
			return -errno;
	return 0;
}

/* Does this fd of a guest process hold pty N (master or slave)? */
static bool holds_pty(pid_t hpid, const char *fd, long n)
{
	char path[384], buf[512], *p;
	ssize_t len;
	int in;

	snprintf(path, sizeof(path), "/proc/%d/fd/%s", hpid, fd);
	len = readlink(path, buf, sizeof(buf) - 1);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	if (!strncmp(buf, "/dev/pts/", 9) && buf[9] >= '0' && buf[9] <= '9')
		return strtol(buf + 9, NULL, 10) == n;
	if (strcmp(buf, "/dev/ptmx") && strcmp(buf, "/dev/pts/ptmx"))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", hpid, fd);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return false;
	len = read(in, buf, sizeof(buf) - 1);
	close(in);
	buf[len > 0 ? len : 0] = '\0';
	p = strstr(buf, "tty-index:");
	return p && strtol(p + 10, NULL, 10) == n;
}

struct pty_query {
	pid_t hpid;
	long n;
};

static bool fd_holds(const char *name, unsigned char type, void *arg)
{
	const struct pty_query *q = arg;

	return holds_pty(q->hpid, name, q->n);
}

static bool task_holds(const struct task *t, long n)
{
	struct pty_query q = { t->tid, n };
	char path[64];
	bool hit;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/fd", t->tid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	hit = dir_each(fd, fd_holds, &q);
	close(fd);
	return hit;
}

/* A terminal some guest process holds; never another of the host's. */
static int devpts_lookup(const struct mount *m, int dirfd, const char *gpath,
			 const char *name)
{
	struct task *t;
	char *end;
	long n = strtol(name, &end, 10);

	if (end == name || *end || n < 0 || name[0] == '+' || name[0] == '-' ||
	    (name[0] == '0' && name[1]))
		return -ENOENT;
	for_each_task(t)
		if (task_is_leader(t) && t->state != TASK_ZOMBIE &&
		    task_holds(t, n))
			return 0;
	return -ENOENT;
}

const struct mount_ops devpts_ops = {
	.lookup = devpts_lookup,
};
