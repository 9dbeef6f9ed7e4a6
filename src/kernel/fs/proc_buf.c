// SPDX-License-Identifier: GPL-2.0
/* The buffer procfs generates a file's contents into. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/proc_internal.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"

/* A guest can make a file big (maps of 60,000 mappings): not unbounded. */
#define SB_MAX	(64u << 20)

static bool sb_room(struct sbuf *sb, size_t n)
{
	size_t cap = sb->cap ? sb->cap : 4096;
	char *s;

	if (sb->err)
		return false;
	if (sb->len + n + 1 <= sb->cap)
		return true;
	while (cap < sb->len + n + 1)
		cap *= 2;
	if (cap > SB_MAX || !(s = realloc(sb->s, cap))) {
		sb->err = true;
		return false;
	}
	sb->s = s;
	sb->cap = cap;
	return true;
}

void sb_add(struct sbuf *sb, const char *s, size_t n)
{
	if (!sb_room(sb, n))
		return;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_room(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

int sb_read_host(struct sbuf *sb, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t start = sb->len;
	ssize_t r;

	if (fd < 0)
		return -errno;
	do {
		if (!sb_room(sb, 4096)) {
			close(fd);
			return -ENOMEM;
		}
		r = read(fd, sb->s + sb->len, 4096);
		if (r > 0)
			sb->len += (size_t)r;
	} while (r > 0 && sb->len - start < max);
	close(fd);
	if (sb->len - start > max)
		sb->len = start + max;
	sb->s[sb->len] = '\0';
	return r < 0 ? -errno : 0;
}

void sb_free(struct sbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void proc_each_line(struct proc_ctx *c, const struct sbuf *in,
		    void (*fn)(struct proc_ctx *c, const char *line,
			       size_t len))
{
	for (const char *p = in->s; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		fn(c, p, len);
		p += len;
	}
}

#define MEMFD_PREFIX "/memfd:proc:"
#define MEMFD_NAME_MAX 250	/* Linux: 249 bytes and the NUL */

/* Contents in a sealed memory file, reopened read-only for the guest. */
int sb_memfd_as(const struct sbuf *sb, int flags, const struct stat *as,
		const char *gpath)
{
	char link[40], name[MEMFD_NAME_MAX] = "proc";
	int fd, ro;
	size_t off = 0;

	if (sb->err)
		return -ENOMEM;
	/* the name says which stand-in it is, for its fstat and fd link */
	if (as)
		snprintf(name, sizeof(name), "proc:%llx:%llx:%o:%s",
			 (unsigned long long)as->st_dev,
			 (unsigned long long)as->st_ino, as->st_mode,
			 gpath ? gpath : "");
	fd = (int)syscall(SYS_memfd_create, name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (off < sb->len) {
		ssize_t w = write(fd, sb->s + off, sb->len - off);

		if (w <= 0) {
			close(fd);
			return -EIO;
		}
		off += (size_t)w;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ro = open(link, O_RDONLY | O_CLOEXEC | (flags & O_NONBLOCK));
	ro = ro < 0 ? -errno : ro;
	close(fd);
	return ro;
}

int sb_memfd(const struct sbuf *sb, int flags)
{
	return sb_memfd_as(sb, flags, NULL, NULL);
}

/*
 * The stand-in an open /proc file's memory file is named after
 * (sb_memfd_as()): its device, inode and mode into st, and the guest path
 * behind them; NULL for any other file.
 */
static const char *memfd_fields(const char *host, struct stat *st)
{
	unsigned long long dev, ino;
	unsigned int mode;
	int off = 0;

	if (strncmp(host, MEMFD_PREFIX, sizeof(MEMFD_PREFIX) - 1) ||
	    sscanf(host + sizeof(MEMFD_PREFIX) - 1, "%llx:%llx:%o:%n", &dev,
		   &ino, &mode, &off) != 3 || !off)
		return NULL;
	st->st_dev = (dev_t)dev;
	st->st_ino = (ino_t)ino;
	st->st_mode = (mode_t)mode;
	return host + sizeof(MEMFD_PREFIX) - 1 + off;
}

bool procfs_memfd_gpath(const char *host, char *buf, size_t size)
{
	struct stat st;
	const char *g = memfd_fields(host, &st);
	size_t len;

	if (!g || g[0] != '/')
		return false;
	len = strlen(g);
	if (len > 10 && !strcmp(g + len - 10, " (deleted)"))
		len -= 10;
	snprintf(buf, size, "%.*s", (int)len, g);
	return true;
}

bool procfs_memfd_stat(int hfd, struct stat *st)
{
	char host[PATH_MAX];
	struct stat id;

	if (host_fd_path(hfd, host, sizeof(host)) <= 0 ||
	    !memfd_fields(host, &id))
		return false;
	/* as Linux's /proc files: size 0, read to the end */
	st->st_dev = id.st_dev;
	st->st_ino = id.st_ino;
	st->st_mode = id.st_mode;
	st->st_nlink = 1;
	st->st_size = 0;
	st->st_blocks = 0;
	return true;
}
