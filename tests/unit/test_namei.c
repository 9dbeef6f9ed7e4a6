// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the guest path walk (kernel/fs/namei.c) on a fake root
 * filesystem built in a temporary directory.
 *
 * Results are checked by host identity (st_dev, st_ino of what the walk
 * returned, through its fds), never by trusting strings.  Where the view
 * has no mounts, the host kernel itself is the oracle: openat2() with
 * RESOLVE_IN_ROOT from the fake root resolves exactly as Linux would in a
 * chroot, so the walk must give the same object or the same errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "kernel/fs/dcache.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"
#include "kernel/fs/path.h"

#define FAILF(line, ...) do {						\
	fprintf(stderr, "%s:%d: %s: ", __FILE__, line, check_current);	\
	fprintf(stderr, __VA_ARGS__);					\
	fputc('\n', stderr);						\
	check_failed++;							\
} while (0)

static char base[256];		/* everything of this run lives under it */
static int basefd;		/* O_PATH of base */
static int rfd;			/* O_PATH of base/root, the fake root */
static struct mount_table *mt;
static struct path root;	/* the guest "/" */
static struct path home;	/* /home/user, a cwd */
static struct path usrlib;	/* /usr/lib */
static struct path jail;	/* /jail, a directory to chroot to */

/* ---- fixture ---------------------------------------------------------- */

static void mkd(const char *rel)
{
	if (mkdirat(basefd, rel, 0755) < 0)
		FAILF(__LINE__, "mkdir %s: %s", rel, strerror(errno));
}

static void mkf(const char *rel, const char *content)
{
	int fd = openat(basefd, rel, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0 || write(fd, content, strlen(content)) < 0)
		FAILF(__LINE__, "create %s: %s", rel, strerror(errno));
	close(fd);
}

static void mkl(const char *target, const char *rel)
{
	if (symlinkat(target, basefd, rel) < 0)
		FAILF(__LINE__, "symlink %s: %s", rel, strerror(errno));
}

static void build_tree(void)
{
	char a[64], b[64];
	int i;

	mkd("root");
	mkd("root/etc");
	mkf("root/etc/passwd", "fake passwd\n");
	mkf("root/etc/hostname", "guest\n");
	mkd("root/usr");
	mkd("root/usr/lib");
	mkd("root/usr/lib/x86_64-linux-gnu");
	mkf("root/usr/lib/x86_64-linux-gnu/libc.so.6", "ELF");
	mkd("root/usr/bin");
	mkf("root/usr/bin/sh", "sh");
	mkl("usr/lib", "root/lib");
	mkl("usr/bin", "root/bin");
	mkl("/usr/lib", "root/lib64");
	mkd("root/home");
	mkd("root/home/user");
	mkf("root/home/user/file", "file");
	mkl("../../etc/passwd", "root/home/user/rel");
	mkl("/etc/passwd", "root/home/user/abs");
	mkl("/etc", "root/home/user/etclink");
	mkl("../../../../etc/passwd", "root/home/user/escape");
	mkl("../../../../../../../../../../../..", "root/home/user/escdir");
	mkl("..", "root/home/user/dotdot");
	mkl("../../etc/passwd/", "root/home/user/tofile_slash");
	mkl("../../etc/", "root/home/user/todir_slash");
	mkl("/", "root/home/user/rootlink");
	mkl("/nox/f", "root/home/user/noxlink");
	mkl("loop2", "root/loop1");
	mkl("loop1", "root/loop2");
	mkl("self", "root/self");
	mkl("/nonexistent/x", "root/dangling");
	mkl("nothere", "root/dangling2");
	/* c00 -> c01 -> ... -> c39 -> file: 40 links; x00 -> c00: 41 */
	mkd("root/chain");
	mkf("root/chain/file", "end of chain");
	mkd("root/chain/realdir");
	mkf("root/chain/realdir/f", "f");
	for (i = 0; i < 40; i++) {
		snprintf(a, sizeof(a), "root/chain/c%02d", i);
		snprintf(b, sizeof(b), i == 39 ? "file" : "c%02d", i + 1);
		mkl(b, a);
		snprintf(a, sizeof(a), "root/chain/d%02d", i);
		snprintf(b, sizeof(b), i == 39 ? "realdir" : "d%02d", i + 1);
		mkl(b, a);
	}
	mkl("c00", "root/chain/x00");
	mkl("d00", "root/chain/y00");
	mkd("root/nox");
	mkf("root/nox/f", "secret");
	mkd("root/mnt");
	mkd("root/mnt/data");
	mkf("root/mnt/data/hidden", "covered by the mount");
	mkd("root/mnt/ro");
	mkd("root/dev");
	mkd("root/jail");
	mkd("root/jail/etc");
	mkf("root/jail/etc/passwd", "jail passwd\n");
	mkl("/etc/passwd", "root/jail/link");
	mkl("../../../etc/passwd", "root/jail/up");
	mkd("root/race");
	mkd("root/virt");

	mkd("data");
	mkd("data/sub");
	mkf("data/sub/x", "x");
	mkd("data/sub/deeper");
	mkl("../../../..", "data/up");
	mkl("/etc", "data/abs");
	mkd("inner");
	mkf("inner/i", "i");
	mkd("virt");
	mkf("virt/v", "v");
	mkd("ro");
	mkf("ro/file", "ro");
	mkf("nullfile", "");
	/* decoys outside the fake root, where a host-resolved escape lands */
	mkd("etc");
	mkf("etc/passwd", "outside!\n");

	/* the tree must be walkable by an unprivileged uid (EACCES test) */
	fchmodat(basefd, ".", 0755, 0);
	chmod(base, 0755);
	fchmodat(basefd, "root/nox", 0666, 0);
}

static void host(char *out, const char *rel)
{
	snprintf(out, PATH_MAX, "%s/%s", base, rel);
}

static void setup_mounts(void)
{
	static const struct { const char *g, *h; unsigned int f; } tab[] = {
		{ "/", "root", 0 },
		{ "/mnt/data", "data", 0 },
		{ "/mnt/data/inner", "inner", 0 },
		{ "/mnt/ro", "ro", MOUNT_RDONLY },
		{ "/dev/null", "nullfile", 0 },
		{ "/virt/deep", "virt", 0 },
		{ "/ghost/deep", "virt", 0 },
		{ "/nox/m", "virt", 0 },
		{ "/tmp", NULL, MOUNT_TMPFS },
	};
	char h[PATH_MAX];
	size_t i;

	mt = mount_table_new();
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		host(h, tab[i].h ? tab[i].h : "");
		if (mount_add(mt, tab[i].g, tab[i].h ? h : base, tab[i].f) < 0)
			FAILF(__LINE__, "mount %s: %s", tab[i].g, mount_table_error(mt));
	}
}

/* ---- helpers ---------------------------------------------------------- */

static int walk(const struct path *r, const struct path *start, const char *p,
		unsigned int flags, struct nameidata *nd)
{
	return path_walk(mt, r ? r : &root, start, p, flags, nd);
}

/* What the walk's fds designate, asked of the host again. */
static int nd_object(const struct nameidata *nd, struct stat *st)
{
	if (nd->last_type == LAST_NORM)
		return fstatat(nd->dirfd, nd->last, st, AT_SYMLINK_NOFOLLOW);
	return fstat(nd->dirfd, st);
}

static bool same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static void expect_obj(int line, const struct path *r, const struct path *start,
		       const char *p, unsigned int flags, const char *hrel,
		       const char *gpath, int type)
{
	struct nameidata nd;
	struct stat want, got;
	char h[PATH_MAX];
	int ret;

	check_count++;
	host(h, hrel);
	if (lstat(h, &want) < 0) {
		FAILF(line, "fixture %s: %s", h, strerror(errno));
		return;
	}
	ret = walk(r, start, p, flags, &nd);
	if (ret < 0) {
		FAILF(line, "walk \"%s\" %#x: %s, want %s", p, flags,
		      strerror(-ret), hrel);
		return;
	}
	if (nd_object(&nd, &got) < 0 || !same(&got, &want) || !same(&nd.st, &want))
		FAILF(line, "walk \"%s\" %#x: wrong object, want %s", p, flags, hrel);
	if (gpath && strcmp(nd.gpath, gpath))
		FAILF(line, "walk \"%s\": gpath \"%s\", want \"%s\"", p, nd.gpath, gpath);
	if (type >= 0 && (int)nd.last_type != type)
		FAILF(line, "walk \"%s\": last_type %d, want %d", p, nd.last_type, type);
	if (!nd.exists)
		FAILF(line, "walk \"%s\": exists not set", p);
	nd_release(&nd);
}

static void expect_err(int line, const struct path *r, const struct path *start,
		       const char *p, unsigned int flags, int err)
{
	struct nameidata nd;
	int ret;

	check_count++;
	ret = walk(r, start, p, flags, &nd);
	if (ret != -err)
		FAILF(line, "walk \"%.60s\" %#x: got %s, want %s", p, flags,
		      ret ? strerror(-ret) : "success", strerror(err));
	if (ret < 0 && nd.dirfd != -1)
		FAILF(line, "walk \"%.60s\": dirfd %d after an error", p, nd.dirfd);
	nd_release(&nd);
}

#define OBJ(p, f, hrel, g)		expect_obj(__LINE__, NULL, NULL, p, f, hrel, g, -1)
#define OBJ_T(p, f, hrel, g, t)		expect_obj(__LINE__, NULL, NULL, p, f, hrel, g, t)
#define OBJ_AT(s, p, f, hrel, g)	expect_obj(__LINE__, NULL, s, p, f, hrel, g, -1)
#define OBJ_IN(r, s, p, f, hrel, g)	expect_obj(__LINE__, r, s, p, f, hrel, g, -1)
#define ERR(p, f, e)			expect_err(__LINE__, NULL, NULL, p, f, e)
#define ERR_AT(s, p, f, e)		expect_err(__LINE__, NULL, s, p, f, e)

static int get_path(const char *p, struct path *out)
{
	struct nameidata nd;
	int ret = walk(NULL, NULL, p, WALK_FOLLOW, &nd);

	if (ret == 0)
		ret = path_from_nd(&nd, out);
	nd_release(&nd);
	return ret;
}

static int count_fds(void)
{
	int n = 0, fd;

	for (fd = 0; fd < 4096; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* ---- rules ------------------------------------------------------------ */

static void test_basic(void)
{
	struct nameidata nd;
	struct stat st, etc;
	char h[PATH_MAX];

	OBJ_T("/etc/passwd", 0, "root/etc/passwd", "/etc/passwd", LAST_NORM);
	CHECK_EQ(walk(NULL, NULL, "/etc/passwd", 0, &nd), 0);
	CHECK_STR(nd.last, "passwd");
	CHECK(nd.exists && S_ISREG(nd.st.st_mode) && !nd.trailing_slash);
	CHECK(nd.mnt == mount_find(mt, "/"));
	host(h, "root/etc");
	CHECK(stat(h, &etc) == 0 && fstat(nd.dirfd, &st) == 0 && same(&st, &etc));
	CHECK(fcntl(nd.dirfd, F_GETFD) & FD_CLOEXEC);
	nd_release(&nd);
	CHECK_EQ(nd.dirfd, -1);

	OBJ_T("/", 0, "root", "/", LAST_ROOT);
	OBJ_T("///", 0, "root", "/", LAST_ROOT);
	OBJ("///etc///passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ_T("/.", 0, "root", "/", LAST_DOT);
	OBJ_T("/..", 0, "root", "/", LAST_DOTDOT);
	OBJ("/../../../etc/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ("/usr//lib/./x86_64-linux-gnu/../x86_64-linux-gnu/libc.so.6", 0,
	    "root/usr/lib/x86_64-linux-gnu/libc.so.6",
	    "/usr/lib/x86_64-linux-gnu/libc.so.6");
	OBJ_T("/etc/", 0, "root/etc", "/etc", LAST_NORM);
	OBJ_T("/etc/.", 0, "root/etc", "/etc", LAST_DOT);
	OBJ_T("/etc/./", 0, "root/etc", "/etc", LAST_DOT);
	OBJ_T("/etc/..", 0, "root", "/", LAST_DOTDOT);
	CHECK_EQ(walk(NULL, NULL, "/etc//", 0, &nd), 0);
	CHECK(nd.trailing_slash);
	nd_release(&nd);
	nd_release(&nd);	/* twice is harmless */
}

static void test_empty_path(void)
{
	struct nameidata nd;

	ERR("", 0, ENOENT);
	ERR_AT(&home, "", WALK_FOLLOW, ENOENT);
	expect_obj(__LINE__, NULL, &home, "", WALK_EMPTY_PATH, "root/home/user",
		   "/home/user", LAST_EMPTY);
	OBJ_T("", WALK_EMPTY_PATH, "root", "/", LAST_EMPTY);
	/* the result owns its fd: the caller's cwd may go away */
	CHECK_EQ(walk(NULL, &home, "", WALK_EMPTY_PATH, &nd), 0);
	CHECK(nd.dirfd != home.fd);
	nd_release(&nd);
}

static void test_relative(void)
{
	struct nameidata nd;

	OBJ_AT(&home, "file", 0, "root/home/user/file", "/home/user/file");
	OBJ_AT(&home, "./file", 0, "root/home/user/file", "/home/user/file");
	OBJ_AT(&home, "../user/file", 0, "root/home/user/file", "/home/user/file");
	OBJ_AT(&home, "../../../../etc/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ_AT(&home, "..", 0, "root/home", "/home");
	OBJ_AT(&home, ".", 0, "root/home/user", "/home/user");
	OBJ_AT(&home, "/etc", 0, "root/etc", "/etc");
	OBJ_AT(&usrlib, "x86_64-linux-gnu/libc.so.6", 0,
	       "root/usr/lib/x86_64-linux-gnu/libc.so.6",
	       "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK_EQ(walk(NULL, &home, "file", 0, &nd), 0);
	CHECK(nd.dirfd != home.fd);	/* a dup, not the caller's fd */
	nd_release(&nd);
}

static void test_symlinks(void)
{
	struct nameidata nd;

	OBJ("/home/user/rel", WALK_FOLLOW, "root/etc/passwd", "/etc/passwd");
	OBJ("/home/user/rel", 0, "root/home/user/rel", "/home/user/rel");
	CHECK_EQ(walk(NULL, NULL, "/home/user/rel", 0, &nd), 0);
	CHECK(nd.exists && S_ISLNK(nd.st.st_mode));
	nd_release(&nd);
	OBJ("/home/user/abs", WALK_FOLLOW, "root/etc/passwd", "/etc/passwd");
	/* "/etc" is the fake root's etc, never the host's */
	OBJ("/home/user/etclink", WALK_FOLLOW, "root/etc", "/etc");
	OBJ("/home/user/etclink/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ("/home/user/etclink/", 0, "root/etc", "/etc");	/* slash follows */
	OBJ("/home/user/escape", WALK_FOLLOW, "root/etc/passwd", "/etc/passwd");
	OBJ("/home/user/escdir/etc/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ_T("/home/user/rootlink", WALK_FOLLOW, "root", "/", LAST_ROOT);
	OBJ("/home/user/rootlink/etc/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ("/home/user/dotdot/user/file", 0, "root/home/user/file", "/home/user/file");
	OBJ_T("/home/user/dotdot", WALK_FOLLOW, "root/home", "/home", LAST_DOTDOT);
	OBJ("/lib/x86_64-linux-gnu/libc.so.6", WALK_FOLLOW,
	    "root/usr/lib/x86_64-linux-gnu/libc.so.6",
	    "/usr/lib/x86_64-linux-gnu/libc.so.6");
	OBJ("/lib64/x86_64-linux-gnu/libc.so.6", 0,
	    "root/usr/lib/x86_64-linux-gnu/libc.so.6",
	    "/usr/lib/x86_64-linux-gnu/libc.so.6");
	OBJ("/bin/sh", WALK_FOLLOW, "root/usr/bin/sh", "/usr/bin/sh");
	OBJ_AT(&home, "rel", WALK_FOLLOW, "root/etc/passwd", "/etc/passwd");
	OBJ("/home/user/todir_slash", WALK_FOLLOW, "root/etc", "/etc");
	OBJ("/home/user/todir_slash/passwd", 0, "root/etc/passwd", "/etc/passwd");
}

static void test_loops(void)
{
	ERR("/loop1", WALK_FOLLOW, ELOOP);
	OBJ("/loop1", 0, "root/loop1", "/loop1");
	ERR("/loop1/", 0, ELOOP);
	ERR("/loop1/x", 0, ELOOP);
	ERR("/self", WALK_FOLLOW, ELOOP);
	ERR("/self/x", WALK_CREATE, ELOOP);
	/* at most 40 links per walk, as MAXSYMLINKS */
	OBJ("/chain/c00", WALK_FOLLOW, "root/chain/file", "/chain/file");
	ERR("/chain/x00", WALK_FOLLOW, ELOOP);
	OBJ("/chain/d00/f", 0, "root/chain/realdir/f", "/chain/realdir/f");
	ERR("/chain/y00/f", 0, ELOOP);
	OBJ("/chain/x00", 0, "root/chain/x00", "/chain/x00");
}

static void test_dangling(void)
{
	struct nameidata nd;

	ERR("/dangling", WALK_FOLLOW, ENOENT);
	ERR("/dangling2", WALK_FOLLOW, ENOENT);
	OBJ("/dangling2", 0, "root/dangling2", "/dangling2");
	/* O_CREAT through a dangling link creates its target */
	CHECK_EQ(walk(NULL, NULL, "/dangling2", WALK_FOLLOW | WALK_CREATE, &nd), 0);
	CHECK_STR(nd.last, "nothere");
	CHECK_STR(nd.gpath, "/nothere");
	CHECK(!nd.exists && nd.last_type == LAST_NORM);
	nd_release(&nd);
	ERR("/dangling", WALK_FOLLOW | WALK_CREATE, ENOENT);
	/* without FOLLOW (O_EXCL) the link itself is what exists */
	CHECK_EQ(walk(NULL, NULL, "/dangling2", WALK_CREATE, &nd), 0);
	CHECK(nd.exists && S_ISLNK(nd.st.st_mode));
	nd_release(&nd);
}

static void test_errors(void)
{
	struct nameidata nd;

	ERR("/etc/passwd/x", 0, ENOTDIR);
	ERR("/etc/passwd/", 0, ENOTDIR);
	ERR("/etc/passwd/", WALK_FOLLOW, ENOTDIR);
	ERR("/etc/passwd/.", 0, ENOTDIR);
	ERR("/etc/passwd/..", 0, ENOTDIR);
	ERR("/etc/passwd", WALK_DIRECTORY, ENOTDIR);
	OBJ("/etc", WALK_DIRECTORY, "root/etc", "/etc");
	ERR("/home/user/tofile_slash", WALK_FOLLOW, ENOTDIR);
	ERR("/home/user/abs/", 0, ENOTDIR);
	ERR("/nothere/x", 0, ENOENT);
	ERR("/nothere", 0, ENOENT);
	ERR("/nothere/x", WALK_CREATE, ENOENT);
	ERR("/usr/nothere/x86_64-linux-gnu/libc.so.6", 0, ENOENT);
	ERR("/usr/lib/x86_64-linux-gnu/libc.so.6/x/y", 0, ENOTDIR);

	CHECK_EQ(walk(NULL, NULL, "/etc/newfile", WALK_CREATE, &nd), 0);
	CHECK(!nd.exists && !strcmp(nd.last, "newfile") && !nd.trailing_slash);
	nd_release(&nd);
	/* trailing slash with CREATE: the caller decides (EISDIR, EEXIST) */
	CHECK_EQ(walk(NULL, NULL, "/etc/newdir/", WALK_CREATE, &nd), 0);
	CHECK(!nd.exists && nd.trailing_slash && !strcmp(nd.last, "newdir"));
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/etc/passwd/", WALK_CREATE, &nd), 0);
	CHECK(nd.exists && nd.trailing_slash);
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/home/user/etclink/", WALK_CREATE, &nd), 0);
	CHECK(nd.exists && S_ISLNK(nd.st.st_mode));	/* mkdir("link/"): EEXIST */
	nd_release(&nd);
}

static void test_name_too_long(void)
{
	char p[PATH_MAX + 16];
	size_t n;

	memset(p, 0, sizeof(p));
	p[0] = '/';
	memset(p + 1, 'a', NAME_MAX);
	ERR(p, 0, ENOENT);
	ERR(p, WALK_CREATE | WALK_PARENT, 0);
	memset(p + 1, 'a', NAME_MAX + 1);
	ERR(p, 0, ENAMETOOLONG);
	ERR(p, WALK_CREATE, ENAMETOOLONG);
	memcpy(p, "/etc/passwd/", 12);
	memset(p + 12, 'a', NAME_MAX + 1);
	ERR(p, 0, ENOTDIR);
	memcpy(p, "/nothere/", 9);
	memset(p + 9, 'a', NAME_MAX + 1);
	ERR(p, 0, ENOENT);

	/* PATH_MAX counts the NUL: 4095 bytes pass, 4096 do not */
	memset(p, 0, sizeof(p));
	for (n = 0; n + 2 <= PATH_MAX - 1 - strlen("/etc/passwd"); n += 2)
		memcpy(p + n, "/.", 2);
	while (n < PATH_MAX - 1 - strlen("etc/passwd"))
		p[n++] = '/';
	strcpy(p + n, "etc/passwd");
	CHECK_EQ(strlen(p), PATH_MAX - 1);
	OBJ(p, 0, "root/etc/passwd", "/etc/passwd");
	memmove(p + 1, p, strlen(p) + 1);
	CHECK_EQ(strlen(p), PATH_MAX);
	ERR(p, 0, ENAMETOOLONG);
}

static void test_long_symlink_body(void)
{
	char body[PATH_MAX];
	size_t n = 0;

	while (n < 4000) {
		memcpy(body + n, "./", 2);
		n += 2;
	}
	strcpy(body + n, "etc/passwd");
	CHECK_EQ(symlinkat(body, rfd, "longlink"), 0);
	OBJ("/longlink", WALK_FOLLOW, "root/etc/passwd", "/etc/passwd");
	OBJ_AT(&home, "../../longlink", WALK_FOLLOW, "root/etc/passwd", "/etc/passwd");
	unlinkat(rfd, "longlink", 0);
}

static void test_mounts(void)
{
	const struct mount *data = mount_find(mt, "/mnt/data");
	struct nameidata nd;

	OBJ("/mnt/data/sub/x", 0, "data/sub/x", "/mnt/data/sub/x");
	CHECK_EQ(walk(NULL, NULL, "/mnt/data/sub/x", 0, &nd), 0);
	CHECK(nd.mnt == data);
	CHECK(!mount_readonly(nd.mnt));
	nd_release(&nd);
	OBJ_T("/mnt/data", 0, "data", "/mnt/data", LAST_ROOT);
	OBJ_T("/mnt/data/", WALK_DIRECTORY, "data", "/mnt/data", LAST_ROOT);
	CHECK_EQ(walk(NULL, NULL, "/mnt/data", 0, &nd), 0);
	CHECK(nd.mnt == data && nd.last[0] == '\0' && nd.exists && S_ISDIR(nd.st.st_mode));
	nd_release(&nd);
	OBJ_T("/mnt/data/.", 0, "data", "/mnt/data", LAST_DOT);
	ERR("/mnt/data/hidden", 0, ENOENT);		/* covered by the mount */
	OBJ_T("/mnt/data/..", 0, "root/mnt", "/mnt", LAST_DOTDOT);
	CHECK_EQ(walk(NULL, NULL, "/mnt/data/..", 0, &nd), 0);
	CHECK(nd.mnt == mount_find(mt, "/"));
	nd_release(&nd);
	OBJ("/mnt/data/sub/../../data/sub/x", 0, "data/sub/x", "/mnt/data/sub/x");
	OBJ("/mnt/data/sub/deeper/../../../../etc/passwd", 0, "root/etc/passwd",
	    "/etc/passwd");
	OBJ_T("/mnt/data/up", WALK_FOLLOW, "root", "/", LAST_DOTDOT);
	OBJ("/mnt/data/up/etc/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ("/mnt/data/abs/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ("/mnt/data/inner/i", 0, "inner/i", "/mnt/data/inner/i");
	OBJ_T("/mnt/data/inner/..", 0, "data", "/mnt/data", LAST_DOTDOT);
	OBJ("/mnt/data/inner/../../..", 0, "root", "/");
	OBJ("/mnt/data/inner/../sub/x", 0, "data/sub/x", "/mnt/data/sub/x");

	/* a single-file bind */
	OBJ_T("/dev/null", 0, "nullfile", "/dev/null", LAST_ROOT);
	OBJ_T("/dev/null", WALK_FOLLOW | WALK_CREATE, "nullfile", "/dev/null", LAST_ROOT);
	CHECK_EQ(walk(NULL, NULL, "/dev/null", 0, &nd), 0);
	CHECK(!nd.mnt->is_dir && S_ISREG(nd.st.st_mode));
	nd_release(&nd);
	ERR("/dev/null/", 0, ENOTDIR);
	ERR("/dev/null/x", 0, ENOTDIR);
	ERR("/dev/null/.", 0, ENOTDIR);
	ERR("/dev/null/..", 0, ENOTDIR);
	ERR("/dev/null", WALK_DIRECTORY, ENOTDIR);
}

static void test_mounts_more(void)
{
	const struct mount *data = mount_find(mt, "/mnt/data");
	struct nameidata nd, nd2;
	struct path sub, dataroot;

	OBJ("/dev", 0, "root/dev", "/dev");
	OBJ("/mnt/ro/file", 0, "ro/file", "/mnt/ro/file");
	CHECK_EQ(walk(NULL, NULL, "/mnt/ro/file", 0, &nd), 0);
	CHECK(mount_readonly(nd.mnt));
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/mnt/ro", 0, &nd), 0);
	CHECK(mount_readonly(nd.mnt) && nd.last_type == LAST_ROOT);
	nd_release(&nd);

	/* a mount point need not exist underneath, but its parent must */
	OBJ("/virt/deep/v", 0, "virt/v", "/virt/deep/v");
	OBJ_T("/virt/deep", 0, "virt", "/virt/deep", LAST_ROOT);
	OBJ_T("/virt/deep/..", 0, "root/virt", "/virt", LAST_DOTDOT);
	ERR("/ghost/deep", 0, ENOENT);
	ERR("/ghost/deep/v", 0, ENOENT);

	/* same mount or not (rename, link: EXDEV) */
	CHECK_EQ(walk(NULL, NULL, "/mnt/data/sub/x", 0, &nd), 0);
	CHECK_EQ(walk(NULL, NULL, "/mnt/data/newname", WALK_PARENT, &nd2), 0);
	CHECK(nd_same_mount(&nd, &nd2));
	nd_release(&nd2);
	CHECK_EQ(walk(NULL, NULL, "/mnt/data/inner/i", 0, &nd2), 0);
	CHECK(!nd_same_mount(&nd, &nd2));
	nd_release(&nd2);
	CHECK_EQ(walk(NULL, NULL, "/mnt/x", WALK_PARENT, &nd2), 0);
	CHECK(!nd_same_mount(&nd, &nd2));
	nd_release(&nd2);
	nd_release(&nd);

	/* relative walks from inside a mount */
	CHECK_EQ(get_path("/mnt/data/sub", &sub), 0);
	CHECK(sub.mnt == data);
	OBJ_AT(&sub, "x", 0, "data/sub/x", "/mnt/data/sub/x");
	OBJ_AT(&sub, "..", 0, "data", "/mnt/data");
	OBJ_AT(&sub, "../..", 0, "root/mnt", "/mnt");
	OBJ_AT(&sub, "../../../etc/passwd", 0, "root/etc/passwd", "/etc/passwd");
	OBJ_AT(&sub, "../inner/i", 0, "inner/i", "/mnt/data/inner/i");
	OBJ_AT(&sub, "../up/etc/hostname", 0, "root/etc/hostname", "/etc/hostname");
	path_release(&sub);
	CHECK_EQ(get_path("/mnt/data", &dataroot), 0);
	OBJ_AT(&dataroot, "..", 0, "root/mnt", "/mnt");
	OBJ_AT(&dataroot, "sub/x", 0, "data/sub/x", "/mnt/data/sub/x");
	OBJ_AT(&dataroot, "", WALK_EMPTY_PATH, "data", "/mnt/data");
	path_release(&dataroot);
	CHECK_EQ(sub.fd, -1);
}

static void test_chroot(void)
{
	struct nameidata nd;

	OBJ_IN(&jail, NULL, "/", 0, "root/jail", "/jail");
	OBJ_IN(&jail, NULL, "/..", 0, "root/jail", "/jail");
	OBJ_IN(&jail, NULL, "/../../etc/passwd", 0, "root/jail/etc/passwd",
	       "/jail/etc/passwd");
	OBJ_IN(&jail, NULL, "/link", WALK_FOLLOW, "root/jail/etc/passwd",
	       "/jail/etc/passwd");
	OBJ_IN(&jail, NULL, "/up", WALK_FOLLOW, "root/jail/etc/passwd",
	       "/jail/etc/passwd");
	OBJ_IN(&jail, &jail, "up", WALK_FOLLOW, "root/jail/etc/passwd", NULL);
	OBJ_IN(&jail, &jail, "..", 0, "root/jail", "/jail");
	CHECK_EQ(path_walk(mt, &jail, NULL, "/etc/passwd", 0, &nd), 0);
	CHECK_STR(path_from_root(jail.gpath, nd.gpath), "/etc/passwd");
	nd_release(&nd);
	CHECK_EQ(path_walk(mt, &jail, NULL, "/", 0, &nd), 0);
	CHECK(nd.last_type == LAST_ROOT && nd.dirfd != jail.fd);
	CHECK_STR(path_from_root(jail.gpath, nd.gpath), "/");
	nd_release(&nd);
	ERR("/jail/link", WALK_FOLLOW | WALK_DIRECTORY, ENOTDIR);
	/* a cwd left outside the new root climbs to the real root, as in Linux */
	OBJ_IN(&jail, &home, "../../../../etc/passwd", 0, "root/etc/passwd",
	       "/etc/passwd");
}

static void test_parent(void)
{
	struct nameidata nd;

	CHECK_EQ(walk(NULL, NULL, "/etc/passwd", WALK_PARENT, &nd), 0);
	CHECK(nd.last_type == LAST_NORM && !nd.exists && !strcmp(nd.last, "passwd"));
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/etc/nothere", WALK_PARENT, &nd), 0);
	nd_release(&nd);
	OBJ_T("/mnt/data", WALK_PARENT, "data", "/mnt/data", LAST_ROOT);
	OBJ_T("/dev/null", WALK_PARENT, "nullfile", "/dev/null", LAST_ROOT);
	OBJ_T("/", WALK_PARENT, "root", "/", LAST_ROOT);
	OBJ_T("/etc/.", WALK_PARENT, "root/etc", "/etc", LAST_DOT);
	OBJ_T("/etc/..", WALK_PARENT, "root", "/", LAST_DOTDOT);
	/* the last component is never followed, even with a slash */
	CHECK_EQ(walk(NULL, NULL, "/home/user/etclink/", WALK_PARENT, &nd), 0);
	CHECK(nd.last_type == LAST_NORM && nd.trailing_slash);
	CHECK_STR(nd.last, "etclink");
	CHECK_STR(nd.gpath, "/home/user/etclink");
	nd_release(&nd);
	ERR("/nothere/x", WALK_PARENT, ENOENT);
	ERR("/etc/passwd/x", WALK_PARENT, ENOTDIR);
	ERR("/dev/null/", WALK_PARENT, ENOTDIR);
}

static void read_all(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
}

static void test_nd_open(void)
{
	const struct mount *tmp = mount_find(mt, "/tmp");
	struct nameidata nd;
	struct stat st, want;
	char buf[64], h[PATH_MAX];
	int fd;

	CHECK_EQ(walk(NULL, NULL, "/home/user/rel", WALK_FOLLOW, &nd), 0);
	fd = nd_open(&nd, O_RDONLY, 0);
	CHECK(fd >= 0);
	read_all(fd, buf, sizeof(buf));
	CHECK_STR(buf, "fake passwd\n");
	close(fd);
	nd_release(&nd);

	/* a symlink as last is never followed by the host */
	CHECK_EQ(walk(NULL, NULL, "/home/user/abs", 0, &nd), 0);
	CHECK_ERR(nd_open(&nd, O_RDONLY, 0), -ELOOP);
	fd = nd_open(&nd, O_PATH, 0);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode));
	close(fd);
	nd_release(&nd);

	/* a file mount is reopened as itself */
	CHECK_EQ(walk(NULL, NULL, "/dev/null", WALK_FOLLOW, &nd), 0);
	fd = nd_open(&nd, O_WRONLY | O_APPEND, 0);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1);
	host(h, "nullfile");
	CHECK(stat(h, &want) == 0 && want.st_size >= 1 && fstat(fd, &st) == 0 &&
	      same(&st, &want));
	close(fd);
	nd_release(&nd);

	/* a directory itself */
	CHECK_EQ(walk(NULL, NULL, "/", 0, &nd), 0);
	fd = nd_open(&nd, O_RDONLY | O_DIRECTORY, 0);
	host(h, "root");
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && stat(h, &want) == 0 && same(&st, &want));
	close(fd);
	CHECK_ERR(nd_open(&nd, O_CREAT | O_WRONLY, 0644), -EISDIR);
	nd_release(&nd);
	CHECK_ERR(nd_open(&nd, O_RDONLY, 0), -EBADF);

	/* create in the tmpfs, and find it in its private host directory */
	CHECK_EQ(walk(NULL, NULL, "/tmp/new", WALK_CREATE | WALK_FOLLOW, &nd), 0);
	CHECK(!nd.exists && nd.mnt == tmp);
	fd = nd_open(&nd, O_CREAT | O_EXCL | O_WRONLY, 0600);
	CHECK(fd >= 0);
	CHECK(fstatat(tmp->fd, "new", &want, 0) == 0 && fstat(fd, &st) == 0 &&
	      same(&st, &want));
	close(fd);
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/tmp/new", 0, &nd), 0);
	CHECK(nd.exists && nd.mnt == tmp && same(&nd.st, &want));
	nd_release(&nd);
}

static void test_path_objects(void)
{
	struct nameidata nd;
	struct path p, q;

	CHECK_EQ(walk(NULL, NULL, "/etc/passwd", 0, &nd), 0);
	CHECK_ERR(path_from_nd(&nd, &p), -ENOTDIR);
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/etc/nothere", WALK_CREATE, &nd), 0);
	CHECK_ERR(path_from_nd(&nd, &p), -ENOENT);
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/dev/null", 0, &nd), 0);
	CHECK_ERR(path_from_nd(&nd, &p), -ENOTDIR);
	nd_release(&nd);
	CHECK_EQ(walk(NULL, NULL, "/etc/.", 0, &nd), 0);
	CHECK_EQ(path_from_nd(&nd, &p), 0);
	nd_release(&nd);
	CHECK_STR(p.gpath, "/etc");
	CHECK_EQ(path_copy(&q, &p), 0);
	path_release(&p);
	OBJ_AT(&q, "passwd", 0, "root/etc/passwd", "/etc/passwd");
	path_release(&q);
}

/*
 * The guest moves its cwd's directory higher up: the host's ".." of it
 * would now climb one level too many, out of the root.  Ours is lexical.
 */
static void test_moved_cwd(void)
{
	struct path cwd;

	mkd("root/moved");
	mkd("root/moved/a");
	mkd("root/moved/a/b");
	mkf("root/moved/a/b/x", "x");
	CHECK_EQ(get_path("/moved/a/b", &cwd), 0);
	CHECK_EQ(renameat(basefd, "root/moved/a/b", basefd, "root/b"), 0);
	OBJ_AT(&cwd, "../../../etc/passwd", 0, "root/etc/passwd", "/etc/passwd");
	/* host: root/b/../.. is base, where the decoy etc/passwd waits */
	ERR_AT(&cwd, "../../etc/passwd", 0, ENOENT);
	OBJ_AT(&cwd, "x", 0, "root/b/x", "/moved/a/b/x");	/* the fd moved */
	OBJ_AT(&cwd, "..", 0, "root/moved/a", "/moved/a");	/* Linux: "/" */
	CHECK_EQ(renameat(basefd, "root/moved/a", basefd, "root/a2"), 0);
	ERR_AT(&cwd, "..", 0, ENOENT);				/* Linux: "/" */
	ERR_AT(&cwd, "../../../etc/passwd", 0, ENOENT);
	path_release(&cwd);
}

/*
 * The directory cache: read-only calls walk through it, a guest's rename
 * flushes it, and a call that changes something never uses it (so a
 * directory moved behind its back cannot take a write or an unlink).
 */
static void test_dcache(void)
{
	uint64_t args[6] = { 0 };

	mkd("root/dc");
	mkd("root/dc/a");
	mkd("root/dc/a/b");
	mkf("root/dc/a/b/f", "f");
	dcache_syscall_begin(SYS_stat, args);
	OBJ("/dc/a/b/f", 0, "root/dc/a/b/f", "/dc/a/b/f");
	OBJ("/dc/a/b/f", 0, "root/dc/a/b/f", "/dc/a/b/f");
	OBJ("/dc/a/b/../b/f", 0, "root/dc/a/b/f", "/dc/a/b/f");
	dcache_syscall_done(SYS_stat, args);

	CHECK_EQ(renameat(basefd, "root/dc/a", basefd, "root/dc/z"), 0);
	dcache_syscall_begin(SYS_rename, args);
	dcache_syscall_done(SYS_rename, args);
	dcache_syscall_begin(SYS_stat, args);
	ERR("/dc/a/b/f", 0, ENOENT);
	OBJ("/dc/z/b/f", 0, "root/dc/z/b/f", "/dc/z/b/f");
	dcache_syscall_done(SYS_stat, args);

	/* moved by the host, no flush: an unlink's walk still sees it gone */
	CHECK_EQ(renameat(basefd, "root/dc/z", basefd, "root/dc/y"), 0);
	args[2] = 0;
	dcache_syscall_begin(SYS_unlinkat, args);
	ERR("/dc/z/b/f", WALK_PARENT, ENOENT);
	dcache_syscall_done(SYS_unlinkat, args);
	dcache_flush();
}

/* ---- search permission: needs an unprivileged uid --------------------- */

static int oracle(const struct path *start, const char *p, unsigned int flags,
		  struct stat *st);

static void eacces_checks(void)
{
	struct nameidata nd;
	char p[300];
	struct stat st;

	OBJ("/nox", 0, "root/nox", "/nox");
	OBJ("/nox/", 0, "root/nox", "/nox");
	ERR("/nox/f", 0, EACCES);
	ERR("/nox/f", WALK_CREATE, EACCES);
	ERR("/nox/nothere", WALK_CREATE, EACCES);
	ERR("/nox/f", WALK_PARENT, EACCES);
	ERR("/nox/.", 0, EACCES);
	ERR("/nox/./", 0, EACCES);
	ERR("/nox/./f", 0, EACCES);
	ERR("/nox/..", 0, EACCES);
	ERR("/nox/../etc", 0, EACCES);
	ERR("/nox/m", 0, EACCES);		/* a mount point is a lookup too */
	ERR("/nox/m", WALK_PARENT, EACCES);
	ERR("/nox/m/v", 0, EACCES);
	ERR("/home/user/noxlink", WALK_FOLLOW, EACCES);
	snprintf(p, sizeof(p), "/nox/%0256d", 0);
	ERR(p, 0, EACCES);
	/* the same answers as the host's own walk */
	CHECK_ERR(oracle(NULL, "/nox/f", 0, &st), -EACCES);
	CHECK_ERR(oracle(NULL, "/nox/.", 0, &st), -EACCES);
	CHECK_ERR(oracle(NULL, "/nox/..", 0, &st), -EACCES);
	CHECK_ERR(oracle(NULL, p, 0, &st), -EACCES);
	CHECK_EQ(oracle(NULL, "/nox/", 0, &st), 0);
	CHECK_EQ(walk(NULL, NULL, "/nox", WALK_FOLLOW, &nd), 0);
	nd_release(&nd);
}

static void test_eacces(void)
{
	pid_t pid;
	int status;

	if (geteuid() != 0) {
		eacces_checks();
		return;
	}
	/* root searches everything: check as nobody in a child */
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int before = check_failed;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(77);
		eacces_checks();
		_exit(check_failed != before);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		fprintf(stderr, "test_eacces: cannot drop privileges, skipped\n");
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- the host kernel as oracle ----------------------------------------- */

static int oracle(const struct path *start, const char *p, unsigned int flags,
		  struct stat *st)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT,
	};
	char full[2 * PATH_MAX + 2];
	int fd;

	if (!*p)
		return -ENOENT;
	if (p[0] != '/' && start && strcmp(start->gpath, "/")) {
		/* start's gpath is canonical: prefixing it is the same walk */
		snprintf(full, sizeof(full), "%s/%s", start->gpath, p);
		p = full;
	}
	if (!(flags & WALK_FOLLOW))
		how.flags |= O_NOFOLLOW;
	if (flags & WALK_DIRECTORY)
		how.flags |= O_DIRECTORY;
	fd = syscall(SYS_openat2, rfd, p, &how, sizeof(how));
	if (fd < 0)
		return -errno;
	fstat(fd, st);
	close(fd);
	return 0;
}

static const char *const vocab[] = {
	".", "..", "", "etc", "passwd", "hostname", "home", "user", "file",
	"rel", "abs", "etclink", "escape", "escdir", "dotdot", "rootlink",
	"tofile_slash", "todir_slash", "usr", "lib", "lib64", "bin", "sh",
	"x86_64-linux-gnu", "libc.so.6", "loop1", "self", "dangling",
	"dangling2", "nothere", "chain", "c00", "c20", "d00", "d39", "y00",
	"realdir", "f", "jail", "link", "up",
};

/* Valid beginnings, so that many random walks get somewhere. */
static const char *const prefixes[] = {
	"/usr/lib/x86_64-linux-gnu", "/home/user", "/etc", "/chain", "/jail",
	"home/user/etclink", "/lib", "/home/user/escdir", "/home/user/dotdot",
	"..", "/home/user/rootlink/usr", "user",
};

static void random_path(unsigned int *seed, char *p, size_t size)
{
	int n = rand_r(seed) % 5, i;
	size_t len = 0;

	p[0] = '\0';
	if (rand_r(seed) % 2) {
		len = snprintf(p, size, "%s/", prefixes[rand_r(seed) %
			       (sizeof(prefixes) / sizeof(prefixes[0]))]);
	} else {
		if (rand_r(seed) % 2)
			p[len++] = '/';
		n++;
	}
	for (i = 0; i < n; i++) {
		const char *c = vocab[rand_r(seed) % (sizeof(vocab) / sizeof(vocab[0]))];

		len += snprintf(p + len, size - len, "%s%s", i ? "/" : "", c);
	}
	if (rand_r(seed) % 5 == 0)
		snprintf(p + len, size - len, "/");
}

static void test_oracle_fuzz(void)
{
	static const unsigned int flagset[] = {
		0, WALK_FOLLOW, WALK_DIRECTORY, WALK_FOLLOW | WALK_DIRECTORY,
	};
	const struct path *starts[] = { &root, &home, &usrlib, &jail };
	unsigned int seed = 12345, flags;
	int i, fast, ours, theirs, shown = 0, agreed = 0, errs[ELOOP + 1] = { 0 };
	struct nameidata nd, again;
	struct stat o, t;
	char p[512];

	for (i = 0; i < 50000; i++) {
		const struct path *start = starts[rand_r(&seed) % 4];

		random_path(&seed, p, sizeof(p));
		flags = flagset[rand_r(&seed) % 4];
		/*
		 * openat2 answers EAGAIN for a ".." walk when any rename or
		 * mount happened on the host meanwhile (its seqlocks): the
		 * oracle asks again, as a caller of openat2 must.
		 */
		for (int tries = 0; tries < 100; tries++) {
			theirs = oracle(start, p, flags, &t);
			if (theirs != -EAGAIN)
				break;
		}
		if (-theirs >= 0 && -theirs <= ELOOP)
			errs[-theirs]++;
		for (fast = 0; fast < 2; fast++) {
			unsigned int f = flags | (fast ? 0 : WALK_NOFAST);

			check_count++;
			ours = walk(NULL, start, p, f, &nd);
			if (ours == 0 && nd_object(&nd, &o) < 0)
				ours = -errno;
			if (ours != theirs || (ours == 0 && !same(&o, &t))) {
				if (shown++ < 10)
					FAILF(__LINE__, "\"%s\" from %s flags %#x: "
					      "ours %d, host %d%s", p, start->gpath, f,
					      ours, theirs,
					      ours == theirs ? " (other object)" : "");
				else
					check_failed++;
			} else if (ours == 0) {
				/* the canonical path names the same object */
				int ret = walk(NULL, NULL, nd.gpath,
					       flags & WALK_DIRECTORY, &again);

				if (ret || nd_object(&again, &t) < 0 || !same(&o, &t))
					FAILF(__LINE__, "\"%s\": gpath \"%s\" is "
					      "another object", p, nd.gpath);
				nd_release(&again);
				agreed += fast;
			}
			nd_release(&nd);
		}
	}
	if (getenv("CHECK_VERBOSE"))
		fprintf(stderr, "oracle: agreed on %d objects; host errors: "
			"ENOENT %d, ENOTDIR %d, ELOOP %d\n", agreed,
			errs[ENOENT], errs[ENOTDIR], errs[ELOOP]);
	CHECK(agreed > 5000);
}

/* ---- escapes under concurrent renames ---------------------------------- */

struct ident {
	dev_t dev;
	ino_t ino;
};

static struct ident *view;
static size_t nview, capview;

static int add_ident(const char *p, const struct stat *st, int type, struct FTW *f)
{
	if (nview == capview) {
		capview = capview ? 2 * capview : 256;
		view = realloc(view, capview * sizeof(*view));
	}
	view[nview].dev = st->st_dev;
	view[nview].ino = st->st_ino;
	nview++;
	return 0;
}

static int cmp_ident(const void *a, const void *b)
{
	const struct ident *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static bool in_view(const struct stat *st)
{
	struct ident k = { st->st_dev, st->st_ino };

	return bsearch(&k, view, nview, sizeof(k), cmp_ident) != NULL;
}

/* Every object the guest can see: the backends of all mounts. */
static void collect_view(void)
{
	size_t i;

	nview = 0;
	for (i = 0; i < mount_count(mt); i++)
		nftw(mount_at(mt, i)->host_path, add_ident, 16, FTW_PHYS);
	qsort(view, nview, sizeof(*view), cmp_ident);
}

static atomic_int stop_racer;

static void *racer(void *arg)
{
	int dfd = *(int *)arg;

	while (!atomic_load(&stop_racer)) {
		renameat2(dfd, "a", dfd, "b", RENAME_EXCHANGE);
		renameat2(dfd, "c", dfd, "d", RENAME_EXCHANGE);
		renameat(dfd, "m1/m2", dfd, "m2x");
		renameat2(dfd, "e", dfd, "f", RENAME_EXCHANGE);
		renameat(dfd, "m2x", dfd, "m1/m2");
	}
	return NULL;
}

static void test_race(void)
{
	static const char *const paths[] = {
		"/race/a/x", "/race/a/passwd", "/race/a/../a/x", "/race/a",
		"/race/a/", "/race/a/y/../x", "/race/a/y/../../../etc/passwd",
		"/race/c/etc/passwd", "/race/c", "/race/c/", "/race/c/..",
		"/race/m1/m2/../../../etc/passwd", "/race/m1/m2/z", "/race/m2x/z",
		"/race/e/x", "/race/e/passwd", "/race/e/..", "race/a/y/x",
	};
	struct stat hostpw, hostroot, o, d;
	struct nameidata nd;
	pthread_t th;
	int dfd, i, ret, ok = 0, fails = 0, escapes = 0, fd;
	char h[PATH_MAX];

	host(h, "root/race");
	dfd = open(h, O_PATH | O_DIRECTORY);
	/* a: a dir; b: a link that, followed by the host, leaves the root */
	mkdirat(dfd, "a", 0755);
	mkdirat(dfd, "a/y", 0755);
	close(openat(dfd, "a/x", O_CREAT | O_WRONLY, 0644));
	close(openat(dfd, "a/passwd", O_CREAT | O_WRONLY, 0644));
	symlinkat("../../../../../../../../../../../../etc", dfd, "b");
	mkdirat(dfd, "c", 0755);
	symlinkat("/", dfd, "d");
	mkdirat(dfd, "m1", 0755);
	mkdirat(dfd, "m1/m2", 0755);
	close(openat(dfd, "m1/m2/z", O_CREAT | O_WRONLY, 0644));
	mkdirat(dfd, "e", 0755);
	close(openat(dfd, "e/x", O_CREAT | O_WRONLY, 0644));
	snprintf(h, sizeof(h), "%s/etc", base);	/* the decoy outside */
	symlinkat(h, dfd, "f");
	collect_view();
	CHECK(stat("/etc/passwd", &hostpw) == 0 && !in_view(&hostpw));
	CHECK(stat("/", &hostroot) == 0 && !in_view(&hostroot));
	CHECK(stat(h, &o) == 0 && !in_view(&o));

	atomic_store(&stop_racer, 0);
	CHECK_EQ(pthread_create(&th, NULL, racer, &dfd), 0);
	for (i = 0; i < 100000; i++) {
		const char *p = paths[i % (sizeof(paths) / sizeof(paths[0]))];
		unsigned int f = (i & 1 ? WALK_FOLLOW : 0) | (i & 2 ? WALK_NOFAST : 0);

		ret = walk(NULL, &root, p, f, &nd);
		if (ret < 0) {
			fails++;
			continue;
		}
		ok++;
		if (fstat(nd.dirfd, &d) < 0 || !in_view(&d) ||
		    (nd_object(&nd, &o) == 0 && !in_view(&o))) {
			if (escapes++ < 5)
				FAILF(__LINE__, "\"%s\" landed outside the view", p);
		}
		if (i % 7 == 0 && nd.exists) {
			fd = nd_open(&nd, O_RDONLY | O_NONBLOCK, 0);
			if (fd >= 0 && (fstat(fd, &o) < 0 || !in_view(&o)))
				if (escapes++ < 5)
					FAILF(__LINE__, "\"%s\" opened outside", p);
			if (fd >= 0)
				close(fd);
		}
		nd_release(&nd);
	}
	atomic_store(&stop_racer, 1);
	pthread_join(th, NULL);
	close(dfd);
	CHECK_EQ(escapes, 0);
	CHECK(ok > 0);
	if (getenv("CHECK_VERBOSE"))
		fprintf(stderr, "race: %d walks found something, %d failed, "
			"%d escaped\n", ok, fails, escapes);
}

/* ---- main ------------------------------------------------------------- */

static void rm_base(void)
{
	char cmd[PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", base, base);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", base);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char h[PATH_MAX];
	int fds;

	umask(022);
	snprintf(base, sizeof(base), "%s/umbra-test-namei-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	basefd = open(base, O_PATH | O_DIRECTORY);
	build_tree();
	host(h, "root");
	rfd = open(h, O_PATH | O_DIRECTORY);
	setup_mounts();
	if (check_failed || path_root(mt, &root) < 0 ||
	    get_path("/home/user", &home) || get_path("/usr/lib", &usrlib) ||
	    get_path("/jail", &jail)) {
		fprintf(stderr, "fixture failed\n");
		rm_base();
		return 1;
	}
	fds = count_fds();

	TEST(test_basic);
	TEST(test_empty_path);
	TEST(test_relative);
	TEST(test_symlinks);
	TEST(test_loops);
	TEST(test_dangling);
	TEST(test_errors);
	TEST(test_name_too_long);
	TEST(test_long_symlink_body);
	TEST(test_mounts);
	TEST(test_mounts_more);
	TEST(test_chroot);
	TEST(test_parent);
	TEST(test_nd_open);
	TEST(test_path_objects);
	TEST(test_moved_cwd);
	TEST(test_dcache);
	TEST(test_eacces);
	TEST(test_oracle_fuzz);
	TEST(test_race);
	check_current = "fd leaks";
	CHECK_EQ(count_fds(), fds);

	path_release(&jail);
	path_release(&usrlib);
	path_release(&home);
	path_release(&root);
	mount_table_free(mt);
	close(rfd);
	close(basefd);
	free(view);
	rm_base();
	return check_done();
}
