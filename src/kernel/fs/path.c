// SPDX-License-Identifier: GPL-2.0
/*
 * Pure string helpers on guest paths (see path.h).
 */
#include <errno.h>
#include <string.h>
#include "kernel/fs/path.h"

int path_normalize(const char *in, char *out, size_t size)
{
	size_t len = 0;
	const char *p = in;

	if (*p != '/')
		return -EINVAL;
	if (size < 2)
		return -ENAMETOOLONG;
	for (;;) {
		const char *c;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		c = p;
		while (*p && *p != '/')
			p++;
		n = p - c;
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			continue;
		}
		if (len + 1 + n >= size)
			return -ENAMETOOLONG;
		out[len++] = '/';
		memcpy(out + len, c, n);
		len += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return (int)len;
}

const char *path_from_root(const char *root_gpath, const char *gpath)
{
	size_t rlen = strlen(root_gpath);

	if (rlen == 1)
		return gpath;
	if (!path_is_prefix(root_gpath, rlen, gpath, strlen(gpath)))
		return NULL;
	return gpath[rlen] ? gpath + rlen : "/";
}
