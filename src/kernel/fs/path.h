/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure string helpers on guest paths: no syscall, no state.  A "canonical"
 * guest path is absolute, has no empty, "." or ".." component and no
 * trailing slash ("/" is the only path ending in a slash).
 */
#ifndef UMBRA_FS_PATH_H
#define UMBRA_FS_PATH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Lexically canonicalize an absolute path into out (size bytes).  ".." is
 * resolved on the string and stops at "/"; this is for trusted
 * configuration (mount points), never for guest paths, whose ".." has to
 * follow symlinks resolved earlier in the walk.
 * Returns the length, -EINVAL if in is not absolute, -ENAMETOOLONG.
 */
int path_normalize(const char *in, char *out, size_t size);

/* Is prefix (canonical) equal to path, or one of its ancestors? */
static inline bool path_is_prefix(const char *prefix, size_t plen,
				  const char *path, size_t len)
{
	if (plen == 1)
		return len >= 1 && path[0] == '/';
	if (len < plen || __builtin_memcmp(prefix, path, plen) != 0)
		return false;
	return len == plen || path[plen] == '/';
}

/* Length of the parent of a canonical path: "/a/b" -> 2, "/a" -> 1, "/" -> 1. */
static inline size_t path_parent_len(const char *path, size_t len)
{
	while (len > 1 && path[len - 1] != '/')
		len--;
	return len > 1 ? len - 1 : 1;
}

/*
 * The name a guest whose root is the canonical root_gpath gives to the
 * canonical gpath: "/jail/x" seen from root "/jail" is "/x".  NULL when
 * gpath is not under the root (Linux getcwd then says "(unreachable)").
 */
const char *path_from_root(const char *root_gpath, const char *gpath);

#endif
