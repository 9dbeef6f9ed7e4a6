// SPDX-License-Identifier: GPL-2.0
/*
 * ovlx FILE: what a guest can do to the overlay's own marks and, through
 * an fd, to the lower file behind FILE (not copied up yet).  Prints one
 * line per attempt; tests/integration/ovl.sh says what they must be.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include "prog.h"

#define MARK "user.umbra.lower"

static void list_check(const char *path)
{
	char list[4096];
	ssize_t n = listxattr(path, list, sizeof(list));
	bool seen = false;

	for (ssize_t i = 0; i < n; i += strlen(list + i) + 1)
		seen |= !strncmp(list + i, "user.umbra.", 11);
	printf("list: %s\n", n < 0 ? errname(errno) :
	       seen ? "the mark shows" : "no umbra mark");
}

static void fchmod_check(const char *path, int fd)
{
	struct stat st;

	if (fchmod(fd, 0777) && errno == EROFS)
		printf("fchmod of the lower file: not on the lower tree\n");
	else if (!stat(path, &st) && (st.st_mode & 0777) == 0777)
		printf("fchmod of the lower file: not on the lower tree\n");
	else
		printf("fchmod of the lower file: %s\n", errname(errno));
}

/* An O_PATH fd reopened through /proc/self/fd reads the file's data. */
static void reopen_check(const char *path)
{
	char p[64], buf[64] = "";
	int fd = open(path, O_PATH), rfd;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	rfd = open(p, O_RDONLY);
	n = rfd < 0 ? -1 : read(rfd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("reopen: %s", n < 0 ? "failed\n" : buf);
	close(rfd);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *path = argv[1];
	char buf[64];
	ssize_t n;
	int fd;

	if (argc < 2)
		return 2;
	printf("set %s: %s\n", MARK, setxattr(path, MARK, "etc/shadow", 10, 0) ?
	       errname(errno) : "0");
	printf("get %s: %s\n", MARK, getxattr(path, MARK, buf, sizeof(buf)) < 0 ?
	       errname(errno) : "0");
	printf("remove %s: %s\n", MARK, removexattr(path, MARK) ?
	       errname(errno) : "0");
	list_check(path);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		DIE("open %s", path);
	printf("fset %s: %s\n", MARK, fsetxattr(fd, MARK, "x", 1, 0) ?
	       errname(errno) : "0");
	fchmod_check(path, fd);
	close(fd);
	reopen_check(path);
	printf("user.test: %s\n", setxattr(path, "user.test", "1", 1, 0) ?
	       errname(errno) : "set");
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("%s", buf);
	return 0;
}
