// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the copy-on-write layer (kernel/fs/ovl.c) on real
 * directories: a merge makes each entry of the lower directory once
 * (placeholders for files, marked directories, copies of symlinks and
 * fifos), a placeholder stats and reads as its lower file, a copy-up
 * fills it in place and drops its mark, an interrupted merge completes,
 * and the lower tree is never written.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "check.h"
#include "kernel/fs/meta.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/ovl.h"

static char base[256], lower[300], upper[300];
static int ufd = -1;

static void put(const char *dir, const char *name, const char *text)
{
	char p[600];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int stat_at(const char *dir, const char *name, struct stat *st)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, st);
}

static bool marked(const char *dir, const char *name)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lgetxattr(p, OVL_XATTR, NULL, 0) >= 0;
}

static void make_lower(void)
{
	char p[600];

	snprintf(lower, sizeof(lower), "%s/lower", base);
	snprintf(upper, sizeof(upper), "%s/upper", base);
	mkdir(lower, 0755);
	mkdir(upper, 0700);
	put(lower, "a", "alpha\n");
	chmod(strcat(strcpy(p, lower), "/a"), 0640);
	snprintf(p, sizeof(p), "%s/d", lower);
	mkdir(p, 0750);
	put(lower, "d/f", "eff\n");
	put(lower, "d/g", "gee\n");
	snprintf(p, sizeof(p), "%s/l", lower);
	if (symlink("a", p))
		perror("symlink");
	snprintf(p, sizeof(p), "%s/p", lower);
	mkfifo(p, 0620);
}

static void test_root_merge(void)
{
	struct stat st;
	char body[16] = "";

	CHECK_EQ(ovl_init(ufd, lower, true, false), 0);
	CHECK(ovl_on());
	CHECK(!marked(upper, ""));	/* the root is merged */
	CHECK_EQ(stat_at(upper, "a", &st), 0);
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == OVL_MODE && !st.st_size);
	CHECK(marked(upper, "a"));
	CHECK_EQ(stat_at(upper, "d", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0750 | (geteuid() ? 0700 : 0));
	CHECK(marked(upper, "d"));
	CHECK_EQ(stat_at(upper, "l", &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(readlinkat(ufd, "l", body, sizeof(body) - 1), 1);
	CHECK_STR(body, "a");
	CHECK_EQ(stat_at(upper, "p", &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
}

static void test_placeholder(void)
{
	struct stat st, low;
	char buf[16] = "";
	int fd;

	CHECK_EQ(fstatat(ufd, "a", &st, AT_SYMLINK_NOFOLLOW), 0);
	CHECK(ovl_stat(ufd, "a", &st));
	CHECK_EQ(stat_at(lower, "a", &low), 0);
	CHECK_EQ(st.st_ino, low.st_ino);
	CHECK_EQ(st.st_size, 6);
	CHECK_EQ(st.st_mode & 07777, 0640);
	fd = ovl_open_lower(ufd, "a", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, sizeof(buf) - 1), 6);
	CHECK_STR(buf, "alpha\n");
	close(fd);
	/* a directory is no placeholder, nor is a plain file of that mode */
	CHECK_EQ(fstatat(ufd, "d", &st, 0), 0);
	CHECK(!ovl_stat(ufd, "d", &st));
	put(upper, "zero", "");
	CHECK_EQ(fchmodat(ufd, "zero", OVL_MODE, 0), 0);
	CHECK_EQ(fstatat(ufd, "zero", &st, 0), 0);
	CHECK(!ovl_stat(ufd, "zero", &st));
}

static void test_merge_and_copy_up(void)
{
	struct stat st, low;
	char buf[16] = "";
	int dfd, fd;

	CHECK_EQ(ovl_merge(ufd, "d"), 0);
	CHECK(!marked(upper, "d"));
	CHECK(marked(upper, "d/f"));
	CHECK_EQ(ovl_merge(ufd, "d"), 0);	/* merged: nothing more */
	CHECK_EQ(ovl_copy_up(ufd, "a"), 0);
	CHECK(!marked(upper, "a"));
	CHECK_EQ(stat_at(upper, "a", &st), 0);
	CHECK_EQ(stat_at(lower, "a", &low), 0);
	CHECK_EQ(st.st_size, 6);
	CHECK_EQ(st.st_mode & 0777, 0640);
	CHECK_EQ(st.st_mtim.tv_sec, low.st_mtim.tv_sec);
	fd = openat(ufd, "a", O_RDONLY);
	CHECK_EQ(read(fd, buf, sizeof(buf) - 1), 6);
	close(fd);
	CHECK_STR(buf, "alpha\n");
	CHECK_EQ(ovl_copy_up(ufd, "a"), 0);	/* no placeholder now: no-op */
	/* O_TRUNC's copy-up: no data */
	dfd = openat(ufd, "d", O_PATH | O_DIRECTORY);
	CHECK_EQ(ovl_copy_up_data(dfd, "g", false), 0);
	CHECK_EQ(fstatat(dfd, "g", &st, 0), 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_mode & 0777, 0644 & ~0);
	close(dfd);
	/* the lower tree is as it was */
	CHECK_EQ(stat_at(lower, "d/g", &low), 0);
	CHECK_EQ(low.st_size, 4);
	CHECK(!marked(lower, "a"));
}

static void test_interrupted_merge(void)
{
	char p[600];

	/* a directory marked, half made: what is there stays, the rest comes */
	snprintf(p, sizeof(p), "%s/e", upper);
	mkdir(p, 0700);
	CHECK_EQ(lsetxattr(p, OVL_XATTR, "d", 1, 0), 0);
	put(upper, "e/f", "kept\n");
	CHECK_EQ(ovl_merge(ufd, "e"), 0);
	CHECK(!marked(upper, "e"));
	CHECK(!marked(upper, "e/f"));
	CHECK(marked(upper, "e/g"));
}

static void test_names(void)
{
	char host[700], g[PATH_MAX];
	const struct mount *m;

	char x[300], n[300];

	/* the guest's own user.umbra.* names are kept apart from the marks */
	CHECK_EQ(ovl_xattr_to_host("user.umbra.lower", x, sizeof(x)), 0);
	CHECK_STR(x, "user.umbra.g.lower");
	CHECK_EQ(ovl_xattr_to_host("user.umbrella", x, sizeof(x)), 0);
	CHECK_STR(x, "user.umbrella");
	CHECK_EQ(ovl_xattr_to_host("security.capability", x, sizeof(x)), 0);
	CHECK_STR(x, "security.capability");
	memset(n, 'a', 250);
	memcpy(n, "user.umbra.", 11);
	n[250] = '\0';		/* 250 bytes: 252 on the host, still legal */
	CHECK_EQ(ovl_xattr_to_host(n, x, sizeof(x)), 0);
	n[254] = '\0';
	memset(n + 250, 'a', 4);	/* 254: 256 on the host, too long */
	CHECK_EQ(ovl_xattr_to_host(n, x, sizeof(x)), -ERANGE);
	strcpy(x, "user.umbra.lower");
	CHECK(!ovl_xattr_to_guest(x));		/* the overlay's mark */
	strcpy(x, "user.umbra.g.lower");
	CHECK(ovl_xattr_to_guest(x));
	CHECK_STR(x, "user.umbra.lower");
	strcpy(x, "user.umbra.g.umbra.g.x");	/* nested twice */
	CHECK(ovl_xattr_to_guest(x));
	CHECK_STR(x, "user.umbra.umbra.g.x");
	strcpy(x, "trusted.overlay.opaque");
	CHECK(ovl_xattr_to_guest(x));
	CHECK_STR(x, "trusted.overlay.opaque");
	snprintf(host, sizeof(host), "%s/d/f", lower);
	m = ovl_host_to_guest(host, g, sizeof(g));
	CHECK(m != NULL);
	CHECK_STR(g, "/d/f");
	CHECK(m && mount_readonly(m));
	snprintf(host, sizeof(host), "%s-other/x", lower);
	CHECK(ovl_host_to_guest(host, g, sizeof(g)) == NULL);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[400];

	snprintf(base, sizeof(base), "%s/umbra-test-ovl-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	make_lower();
	ufd = open(upper, O_PATH | O_DIRECTORY);
	if (lsetxattr(upper, "user.probe", "1", 1, 0)) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
		if (system(cmd)) {}
		SKIP_TEST("no user xattrs in $TMPDIR");
	}
	lremovexattr(upper, "user.probe");
	meta_open(NULL, false);
	TEST(test_root_merge);
	TEST(test_placeholder);
	TEST(test_merge_and_copy_up);
	TEST(test_interrupted_merge);
	TEST(test_names);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd)) {}
	return check_done();
}
