// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the mount table (kernel/fs/mount.c) and of the guest path
 * string helpers (kernel/fs/path.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/path.h"

static char base[256];	/* scratch dir of this test run */

static void mkpath(char *out, const char *rel)
{
	snprintf(out, PATH_MAX, "%s/%s", base, rel);
}

static void test_normalize(void)
{
	static const char *const cases[][2] = {
		{ "/", "/" }, { "//", "/" }, { "/a", "/a" }, { "/a/", "/a" },
		{ "//a//b//", "/a/b" }, { "/a/./b/.", "/a/b" },
		{ "/a/../b", "/b" }, { "/../..", "/" }, { "/a/b/../../..", "/" },
		{ "/a/b/c/..", "/a/b" }, { "/.hidden/..x", "/.hidden/..x" },
	};
	char out[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = path_normalize(cases[i][0], out, sizeof(out));

		CHECK_EQ(n, strlen(cases[i][1]));
		CHECK_STR(out, cases[i][1]);
	}
	CHECK_ERR(path_normalize("a/b", out, sizeof(out)), -EINVAL);
	CHECK_ERR(path_normalize("", out, sizeof(out)), -EINVAL);
	CHECK_ERR(path_normalize("/abcdef", out, 5), -ENAMETOOLONG);
}

static void test_prefix_helpers(void)
{
	CHECK(path_is_prefix("/", 1, "/anything", 9));
	CHECK(path_is_prefix("/mnt", 4, "/mnt", 4));
	CHECK(path_is_prefix("/mnt", 4, "/mnt/x", 6));
	CHECK(!path_is_prefix("/mnt", 4, "/mntx", 5));
	CHECK(!path_is_prefix("/mnt/x", 6, "/mnt", 4));
	CHECK_EQ(path_parent_len("/a/b", 4), 2);
	CHECK_EQ(path_parent_len("/a", 2), 1);
	CHECK_EQ(path_parent_len("/", 1), 1);
	CHECK_STR(path_from_root("/", "/x/y"), "/x/y");
	CHECK_STR(path_from_root("/jail", "/jail/x"), "/x");
	CHECK_STR(path_from_root("/jail", "/jail"), "/");
	CHECK(path_from_root("/jail", "/jailx") == NULL);
	CHECK(path_from_root("/jail", "/etc") == NULL);
}

static void test_add_and_find(void)
{
	struct mount_table *mt = mount_table_new();
	char dir[PATH_MAX], file[PATH_MAX];
	const struct mount *m;
	struct stat a, b;

	mkpath(dir, "root");
	mkpath(file, "file");
	CHECK_EQ(mount_add(mt, "/", dir, 0), 0);
	CHECK_EQ(mount_add(mt, "//mnt/./data/", dir, MOUNT_RDONLY), 0);
	CHECK_EQ(mount_add(mt, "/dev/null", file, 0), 0);
	CHECK_EQ(mount_count(mt), 3);

	m = mount_find(mt, "/mnt/data");
	CHECK(m != NULL);
	if (m) {
		CHECK_STR(m->gpath, "/mnt/data");
		CHECK(m->is_dir);
		CHECK(mount_readonly(m));
		CHECK_EQ(fstat(m->fd, &a), 0);
		CHECK_EQ(stat(dir, &b), 0);
		CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
		CHECK_EQ(fcntl(m->fd, F_GETFL) & O_PATH, O_PATH);
		CHECK(fcntl(m->fd, F_GETFD) & FD_CLOEXEC);
	}
	m = mount_find(mt, "/dev/null");
	CHECK(m && !m->is_dir && !mount_readonly(m));
	CHECK(mount_find(mt, "/mnt") == NULL);
	CHECK(mount_find(mt, "/mnt/data/x") == NULL);
	CHECK(mount_find(mt, "/") == mount_at(mt, 0));

	CHECK(mount_lookup(mt, "/mnt/data/x/y") == mount_find(mt, "/mnt/data"));
	CHECK(mount_lookup(mt, "/mnt/data") == mount_find(mt, "/mnt/data"));
	CHECK(mount_lookup(mt, "/mnt/datax") == mount_find(mt, "/"));
	CHECK(mount_lookup(mt, "/mnt") == mount_find(mt, "/"));
	CHECK(mount_lookup(mt, "/") == mount_find(mt, "/"));
	CHECK(mount_lookup_len(mt, "/mnt/data/zz", 4) == mount_find(mt, "/"));
	CHECK(mount_at(mt, 3) == NULL);
	mount_table_free(mt);
}

static void test_bad_sources(void)
{
	struct mount_table *mt = mount_table_new();
	char dir[PATH_MAX], file[PATH_MAX], p[PATH_MAX];

	mkpath(dir, "root");
	mkpath(file, "file");
	mkpath(p, "no-such-dir");
	CHECK_ERR(mount_add(mt, "/", p, 0), -ENOENT);
	CHECK(strstr(mount_table_error(mt), p) != NULL);
	CHECK(strstr(mount_table_error(mt), strerror(ENOENT)) != NULL);
	mkpath(p, "file/sub");
	CHECK_ERR(mount_add(mt, "/", p, 0), -ENOTDIR);
	CHECK_ERR(mount_add(mt, "relative", dir, 0), -EINVAL);
	CHECK_ERR(mount_add(mt, "/", NULL, 0), -ENOENT);

	/* control characters in a host path are escaped in the message */
	mkpath(p, "bad\nname\033");
	CHECK_ERR(mount_add(mt, "/", p, 0), -ENOENT);
	CHECK(strchr(mount_table_error(mt), '\n') == NULL);
	CHECK(strchr(mount_table_error(mt), '\033') == NULL);
	CHECK(strstr(mount_table_error(mt), "bad\\x0aname\\x1b") != NULL);
	CHECK_EQ(mount_count(mt), 0);

	/* a directory on a file mount, a file on a directory mount */
	CHECK_EQ(mount_add(mt, "/", dir, 0), 0);
	CHECK_STR(mount_table_error(mt), "");
	CHECK_EQ(mount_add(mt, "/f", file, 0), 0);
	CHECK_ERR(mount_add(mt, "/f", dir, 0), -ENOTDIR);
	CHECK_ERR(mount_add(mt, "/f/x", dir, 0), -ENOTDIR);
	CHECK_ERR(mount_add(mt, "/", file, 0), -ENOTDIR);
	CHECK_EQ(mount_add(mt, "/f", file, 0), 0);
	CHECK_EQ(mount_count(mt), 3);
	mount_table_free(mt);
}

static void test_unreadable_source(void)
{
	struct mount_table *mt;
	char p[PATH_MAX], q[PATH_MAX];
	int ret;

	if (geteuid() == 0)
		return;		/* root reads everything: covered when run as a user */
	mt = mount_table_new();
	mkpath(p, "locked");
	mkpath(q, "locked/inner");
	mkdir(p, 0700);
	mkdir(q, 0700);
	chmod(p, 0);
	ret = mount_add(mt, "/", q, 0);
	chmod(p, 0700);
	CHECK_ERR(ret, -EACCES);
	mount_table_free(mt);
}

static void test_shadowing(void)
{
	struct mount_table *mt = mount_table_new();
	char d1[PATH_MAX], d2[PATH_MAX];
	const struct mount *first, *inner, *second;

	mkpath(d1, "root");
	mkpath(d2, "other");
	CHECK_EQ(mount_add(mt, "/", d1, 0), 0);
	CHECK_EQ(mount_add(mt, "/a", d1, 0), 0);
	first = mount_find(mt, "/a");
	CHECK_EQ(mount_add(mt, "/a/b", d1, 0), 0);
	inner = mount_find(mt, "/a/b");
	CHECK(inner != NULL && inner != first);
	CHECK(mount_lookup(mt, "/a/b/c") == inner);

	/* same mount point: the later one wins */
	CHECK_EQ(mount_add(mt, "/a", d2, MOUNT_RDONLY), 0);
	second = mount_find(mt, "/a");
	CHECK(second != NULL && second != first && mount_readonly(second));
	/* and it covers what was mounted inside the old /a */
	CHECK(mount_find(mt, "/a/b") == NULL);
	CHECK(mount_lookup(mt, "/a/b/c") == second);
	CHECK(first->hidden && inner->hidden && !second->hidden);

	/* a new mount inside the new /a is visible again */
	CHECK_EQ(mount_add(mt, "/a/b", d1, 0), 0);
	CHECK(mount_find(mt, "/a/b") != NULL && mount_find(mt, "/a/b") != inner);

	/* mounting over "/" hides everything before it */
	CHECK_EQ(mount_add(mt, "/", d2, 0), 0);
	CHECK(mount_find(mt, "/a") == NULL);
	CHECK(mount_lookup(mt, "/a/b/c") == mount_at(mt, 5));
	CHECK_EQ(mount_count(mt), 6);
	CHECK_STR(mount_at(mt, 3)->gpath, "/a");	/* mount order kept */
	mount_table_free(mt);
}

static int count_fds(void)
{
	int n = 0, fd;

	for (fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* A guest's worst: deep (> PATH_MAX), unwritable, unreadable, symlinks out. */
static void fill_nasty(int top, const char *canary)
{
	char name[64];
	int fd, next, i;

	CHECK_EQ(symlinkat(canary, top, "link-out"), 0);
	CHECK_EQ(mkdirat(top, "linkdir", 0755), 0);
	CHECK_EQ(symlinkat(canary, top, "linkdir/c"), 0);
	fd = openat(top, ".", O_RDONLY | O_DIRECTORY);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "level-%03d-abcdefghijkl", i);
		CHECK_EQ(mkdirat(fd, name, 0755), 0);
		next = openat(fd, name, O_RDONLY | O_DIRECTORY);
		close(fd);
		fd = next;
		if (i % 50 == 0) {
			close(openat(fd, "f", O_CREAT | O_WRONLY, 0));
			symlinkat("/", fd, "root");
		}
	}
	close(openat(fd, ".umbra-rm.0", O_CREAT | O_WRONLY, 0600));
	close(fd);
	CHECK_EQ(mkdirat(top, ".umbra-rm.1", 0755), 0);
	CHECK_EQ(mkdirat(top, "locked", 0755), 0);
	CHECK_EQ(mkdirat(top, "locked/d", 0755), 0);
	close(openat(top, "locked/d/f", O_CREAT | O_WRONLY, 0));
	CHECK_EQ(fchmodat(top, "locked/d", 0, 0), 0);
	CHECK_EQ(fchmodat(top, "locked", 0, 0), 0);
}

static void test_tmpfs(void)
{
	struct mount_table *mt = mount_table_new();
	char canary_dir[PATH_MAX], canary[PATH_MAX], host[PATH_MAX];
	const struct mount *m;
	struct stat st;
	int fds = count_fds();

	mkpath(canary_dir, "canary");
	mkpath(canary, "canary/keep");
	mkdir(canary_dir, 0755);
	close(open(canary, O_CREAT | O_WRONLY, 0644));
	CHECK_EQ(mount_add(mt, "/tmp", base, MOUNT_TMPFS), 0);
	m = mount_find(mt, "/tmp");
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(m->is_dir);
	CHECK_EQ(strncmp(m->host_path, base, strlen(base)), 0);
	snprintf(host, sizeof(host), "%s", m->host_path);
	CHECK_EQ(lstat(host, &st), 0);
	CHECK(S_ISDIR(st.st_mode));

	/* a second tmpfs gets its own directory */
	CHECK_EQ(mount_add(mt, "/run", NULL, MOUNT_TMPFS), 0);
	CHECK(strcmp(mount_find(mt, "/run")->host_path, host) != 0);

	fill_nasty(m->fd, canary);
	mount_table_free(mt);
	CHECK_ERR(lstat(host, &st), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(stat(canary, &st), 0);		/* nothing followed out */
	CHECK_EQ(stat(canary_dir, &st), 0);
	CHECK_EQ(count_fds(), fds);
}

static void test_tmpfs_bad_dir(void)
{
	struct mount_table *mt = mount_table_new();
	char p[PATH_MAX];

	mkpath(p, "no-such-dir");
	CHECK_ERR(mount_add(mt, "/tmp", p, MOUNT_TMPFS), -ENOENT);
	CHECK(strstr(mount_table_error(mt), p) != NULL);
	CHECK_EQ(mount_count(mt), 0);
	mount_table_free(mt);
}

static void rm_base(void)
{
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", base);
}

int main(void)
{
	char p[PATH_MAX];
	const char *tmp = getenv("TMPDIR");

	snprintf(base, sizeof(base), "%s/umbra-test-mount-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	mkpath(p, "root");
	mkdir(p, 0755);
	mkpath(p, "other");
	mkdir(p, 0755);
	mkpath(p, "file");
	close(open(p, O_CREAT | O_WRONLY, 0644));

	TEST(test_normalize);
	TEST(test_prefix_helpers);
	TEST(test_add_and_find);
	TEST(test_bad_sources);
	TEST(test_unreadable_source);
	TEST(test_shadowing);
	TEST(test_tmpfs);
	TEST(test_tmpfs_bad_dir);
	rm_base();
	return check_done();
}
