// SPDX-License-Identifier: GPL-2.0
/* The names of a host directory, read with getdents64 (no DIR allocation). */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/fs/dir_each.h"

bool dir_each(int fd, bool (*fn)(const char *name, unsigned char type,
				 void *arg), void *arg)
{
	char buf[8192];
	long n;

	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
			    fn(d->d_name, d->d_type, arg))
				return true;
		}
	}
	if (!n)
		errno = 0;
	return false;
}
