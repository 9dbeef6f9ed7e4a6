// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of a guest path walk (kernel/fs/namei.c), with and without the
 * single-openat2 fast path, against the host's own lookups of the same
 * files.  Not a test: prints median ns per operation.
 *
 *   cc -D_GNU_SOURCE -Isrc -O2 tests/unit/bench_namei.c src/kernel/fs/[a-z]*.c \
 *      -o build/bench_namei && build/bench_namei
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "kernel/fs/mount.h"
#include "kernel/fs/namei.h"

#define ITERS	20000
#define ROUNDS	11

static char base[256];
static int rfd;
static struct mount_table *mt;
static struct path root, libdir;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

typedef int (*op_fn)(const void *arg);

static double round_ns(op_fn op, const void *arg)
{
	double t = now_ns();
	int j;

	for (j = 0; j < ITERS; j++)
		op(arg);
	return (now_ns() - t) / ITERS;
}

/*
 * Median ns of n operations measured in interleaved rounds, so that drift
 * of the machine (frequency, the other tenant of the VM) hits all alike.
 */
static void median_ns(int n, const op_fn *op, const void *const *arg, double *out)
{
	double r[4][ROUNDS];
	int i, k, j;

	for (k = 0; k < n; k++)
		for (j = 0; j < 2000; j++)	/* warm the dcache */
			op[k](arg[k]);
	for (i = 0; i < ROUNDS; i++)
		for (k = 0; k < n; k++)
			r[k][i] = round_ns(op[k], arg[k]);
	for (k = 0; k < n; k++) {
		qsort(r[k], ROUNDS, sizeof(r[k][0]), cmp_double);
		out[k] = r[k][ROUNDS / 2];
	}
}

struct walk_arg {
	const struct path *start;
	const char *path;
	unsigned int flags;
};

static int op_walk(const void *a)
{
	const struct walk_arg *w = a;
	struct nameidata nd;
	int ret = path_walk(mt, &root, w->start, w->path, w->flags, &nd);

	nd_release(&nd);
	return ret;
}

static int op_host_stat(const void *a)
{
	struct stat st;

	return stat(a, &st);
}

static int op_host_openat2(const void *a)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	struct stat st;
	int fd = syscall(SYS_openat2, rfd, a, &how, sizeof(how));

	if (fd < 0)
		return -1;
	fstat(fd, &st);
	close(fd);
	return 0;
}

static void mk(const char *rel, int dir)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	if (dir)
		mkdir(p, 0755);
	else
		close(open(p, O_CREAT | O_WRONLY, 0644));
}

static void setup(void)
{
	char p[PATH_MAX];
	struct nameidata nd;

	snprintf(base, sizeof(base), "/tmp/umbra-bench-namei-XXXXXX");
	if (!mkdtemp(base))
		exit(1);
	mk("root", 1);
	mk("root/usr", 1);
	mk("root/usr/lib", 1);
	mk("root/usr/lib/x86_64-linux-gnu", 1);
	mk("root/usr/lib/x86_64-linux-gnu/libc.so.6", 0);
	mk("root/usr/bin", 1);
	mk("root/usr/bin/sh", 0);
	mk("root/etc", 1);
	mk("root/dev", 1);
	mk("root/proc", 1);
	mk("root/home", 1);
	mk("null", 0);
	mk("home", 1);
	snprintf(p, sizeof(p), "%s/root/lib", base);
	symlink("usr/lib", p);
	snprintf(p, sizeof(p), "%s/root/bin", base);
	symlink("usr/bin", p);

	/* a typical view: rootfs, /dev/null, /proc, /tmp, a home bind */
	mt = mount_table_new();
	snprintf(p, sizeof(p), "%s/root", base);
	rfd = open(p, O_PATH | O_DIRECTORY);
	mount_add(mt, "/", p, 0);
	snprintf(p, sizeof(p), "%s/null", base);
	mount_add(mt, "/dev/null", p, 0);
	snprintf(p, sizeof(p), "%s/home", base);
	mount_add(mt, "/home/user", p, 0);
	mount_add(mt, "/proc", p, 0);
	mount_add(mt, "/tmp", base, MOUNT_TMPFS);
	path_root(mt, &root);
	path_walk(mt, &root, NULL, "/usr/lib/x86_64-linux-gnu", 0, &nd);
	path_from_nd(&nd, &libdir);
	nd_release(&nd);
}

static void row(const char *what, op_fn op, const void *arg)
{
	double ns;

	median_ns(1, &op, &arg, &ns);
	printf("  %-52s %7.0f\n", what, ns);
}

static void walk_rows(const char *p, const struct path *start, unsigned int flags)
{
	struct walk_arg fast = { start, p, flags };
	struct walk_arg slow = { start, p, flags | WALK_NOFAST };
	const op_fn ops[2] = { op_walk, op_walk };
	const void *args[2] = { &fast, &slow };
	double ns[2];

	median_ns(2, ops, args, ns);
	printf("  path_walk %-42s %7.0f %7.0f\n", p, ns[0], ns[1]);
}

int main(void)
{
	char hostlibc[PATH_MAX], cmd[PATH_MAX + 32];

	setup();
	snprintf(hostlibc, sizeof(hostlibc),
		 "%s/root/usr/lib/x86_64-linux-gnu/libc.so.6", base);
	printf("median ns per operation (%d interleaved rounds of %d)\n",
	       ROUNDS, ITERS);
	row("host stat(\"<root>/usr/lib/x86_64-linux-gnu/libc.so.6\")",
	    op_host_stat, hostlibc);
	row("host openat2(IN_ROOT)+fstat+close, same file",
	    op_host_openat2, "usr/lib/x86_64-linux-gnu/libc.so.6");
	printf("\n  %-52s %7s %7s\n", "guest path (FOLLOW; CREATE for the last two)", "fast", "slow");
	walk_rows("/usr/lib/x86_64-linux-gnu/libc.so.6", NULL, WALK_FOLLOW);
	walk_rows("/lib/x86_64-linux-gnu/libc.so.6", NULL, WALK_FOLLOW);
	walk_rows("/usr/bin/sh", NULL, WALK_FOLLOW);
	walk_rows("/bin/sh", NULL, WALK_FOLLOW);
	walk_rows("/dev/null", NULL, WALK_FOLLOW);
	walk_rows("/usr/lib/x86_64-linux-gnu/nothere", NULL, WALK_FOLLOW | WALK_CREATE);
	walk_rows("/tmp/x", NULL, WALK_FOLLOW | WALK_CREATE);
	printf("  from cwd /usr/lib/x86_64-linux-gnu:\n");
	walk_rows("libc.so.6", &libdir, WALK_FOLLOW);
	walk_rows("../../bin/sh", &libdir, WALK_FOLLOW);

	path_release(&libdir);
	path_release(&root);
	mount_table_free(mt);
	close(rfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) != 0;
}
