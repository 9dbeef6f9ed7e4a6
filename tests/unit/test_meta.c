// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the store of remembered owners (kernel/fs/meta.c): the
 * id map, records and what stat shows, the journal across a reopen, a
 * torn last record, forgetting, compaction and the bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "check.h"
#include "kernel/fs/meta.h"

static char base[256], store[300];

static struct stat host(dev_t dev, ino_t ino, uid_t uid, mode_t mode)
{
	struct stat st = { .st_dev = dev, .st_ino = ino, .st_uid = uid,
			   .st_gid = uid, .st_mode = mode, .st_nlink = 1 };

	return st;
}

static struct stat shown(struct stat st)
{
	meta_fix(&st);
	return st;
}

static void test_map(void)
{
	struct stat st = host(1, 10, 1000, S_IFREG | 0644);

	meta_map_set(1000, 1000);
	CHECK_EQ(shown(st).st_uid, 0);
	CHECK_EQ(shown(st).st_gid, 0);
	st.st_uid = 0;		/* a host root's file stays root's */
	CHECK_EQ(shown(st).st_uid, 0);
	st.st_uid = 42;
	CHECK_EQ(shown(st).st_uid, 42);
	CHECK_EQ(meta_host_uid(0), 1000);
	CHECK_EQ(meta_host_uid(42), 42);
	CHECK_EQ(meta_host_uid(1000), (uid_t)-2);	/* the host cannot say it */
	CHECK_EQ(meta_host_uid((uid_t)-1), (uid_t)-1);
	meta_map_set(0, 0);	/* a root monitor: no map */
	CHECK_EQ(meta_host_uid(0), 0);
	st.st_uid = 1000;
	CHECK_EQ(shown(st).st_uid, 1000);
}

static void test_records_persist(void)
{
	struct stat a = host(1, 11, 1000, S_IFREG | 0644);
	struct stat b = host(1, 12, 1000, S_IFREG | 0600);
	struct meta own = { .uid = 1001, .gid = 1002, .have = META_OWNER };
	struct meta dev = { .mode = S_IFCHR | 0620, .rdev = makedev(4, 1),
			    .have = META_DEV | META_MODE };

	unlink(store);
	meta_map_set(0, 0);
	CHECK_EQ(meta_open(store, true), 0);
	CHECK(meta_store_on());
	CHECK_EQ(meta_set(&a, &own, -1), 0);
	CHECK_EQ(meta_set(&b, &dev, -1), 0);
	CHECK_EQ(shown(a).st_uid, 1001);
	CHECK_EQ(shown(a).st_gid, 1002);
	CHECK_EQ(shown(a).st_mode, S_IFREG | 0644);
	CHECK(S_ISCHR(shown(b).st_mode));
	CHECK_EQ(shown(b).st_mode & 07777, 0620);
	CHECK_EQ(shown(b).st_rdev, makedev(4, 1));
	meta_close();
	CHECK(!meta_store_on());
	CHECK_EQ(shown(a).st_uid, 1000);	/* closed: the host's */
	CHECK_EQ(meta_open(store, true), 0);		/* a later run */
	CHECK_EQ(shown(a).st_uid, 1001);
	CHECK_EQ(shown(b).st_rdev, makedev(4, 1));
	meta_close();
}

/* What the host shows by itself is not recorded, and a record goes. */
static void test_no_needless_records(void)
{
	struct stat a = host(1, 13, 1000, S_IFREG | 0644);
	struct meta same = { .uid = 1000, .gid = 1000, .have = META_OWNER };
	struct meta m;
	struct stat st;

	unlink(store);
	CHECK_EQ(meta_open(store, true), 0);
	CHECK_EQ(meta_set(&a, &same, -1), 0);
	CHECK(!meta_get(1, 13, &m));
	CHECK(stat(store, &st) != 0);		/* no file for nothing */
	same.uid = 5;
	CHECK_EQ(meta_set(&a, &same, -1), 0);
	CHECK(meta_get(1, 13, &m));
	same.uid = 1000;			/* chown'ed back */
	CHECK_EQ(meta_set(&a, &same, -1), 0);
	CHECK(!meta_get(1, 13, &m));
	meta_close();
	CHECK_EQ(meta_open(store, true), 0);
	CHECK(!meta_get(1, 13, &m));
	meta_close();
}

static void test_forget(void)
{
	struct stat a = host(1, 14, 1000, S_IFREG | 0644);
	struct meta own = { .uid = 7, .gid = 7, .have = META_OWNER };
	struct meta m;

	unlink(store);
	CHECK_EQ(meta_open(store, true), 0);
	CHECK_EQ(meta_set(&a, &own, -1), 0);
	a.st_nlink = 2;
	meta_unlinked(&a);			/* another link is left */
	CHECK(meta_get(1, 14, &m));
	a.st_nlink = 1;
	meta_unlinked(&a);
	CHECK(!meta_get(1, 14, &m));
	meta_close();
	CHECK_EQ(meta_open(store, true), 0);
	CHECK(!meta_get(1, 14, &m));		/* the forgetting was kept */
	meta_close();
}

/* A monitor killed mid-write: the torn record is cut off, not the rest. */
static void test_torn_tail(void)
{
	struct meta own = { .uid = 9, .gid = 9, .have = META_OWNER };
	struct meta m;
	struct stat st;
	int fd;

	unlink(store);
	CHECK_EQ(meta_open(store, true), 0);
	for (ino_t i = 100; i < 103; i++) {
		struct stat a = host(2, i, 1000, S_IFREG | 0644);

		CHECK_EQ(meta_set(&a, &own, -1), 0);
	}
	meta_close();
	CHECK_EQ(stat(store, &st), 0);
	CHECK_EQ(truncate(store, st.st_size - 10), 0);
	CHECK_EQ(meta_open(store, true), 0);
	CHECK(meta_get(2, 100, &m));
	CHECK(meta_get(2, 101, &m));
	CHECK(!meta_get(2, 102, &m));
	/* a new record after the cut is read back */
	{
		struct stat a = host(2, 104, 1000, S_IFREG | 0644);

		CHECK_EQ(meta_set(&a, &own, -1), 0);
	}
	meta_close();
	CHECK_EQ(meta_open(store, true), 0);
	CHECK(meta_get(2, 104, &m));
	CHECK(meta_get(2, 101, &m));
	meta_close();
	/* garbage in place of the header: not a store, said so */
	fd = open(store, O_WRONLY | O_TRUNC);
	CHECK(write(fd, "garbage garbage garbage", 23) == 23);
	close(fd);
	CHECK_EQ(meta_open(store, true), -EINVAL);
	meta_close();
}

/* Many changes of few inodes: the journal is rewritten, smaller. */
static void test_compaction(void)
{
	struct stat a = host(3, 5, 1000, S_IFREG | 0644), st;
	struct meta own = { .gid = 1, .have = META_OWNER }, m;

	unlink(store);
	CHECK_EQ(meta_open(store, true), 0);
	for (int i = 0; i < 20000; i++) {
		own.uid = 2000 + (i % 50);
		CHECK_EQ(meta_set(&a, &own, -1), 0);
	}
	CHECK_EQ(stat(store, &st), 0);
	CHECK(st.st_size < 20000 * 56 / 2);
	meta_close();
	CHECK_EQ(meta_open(store, true), 0);
	CHECK(meta_get(3, 5, &m));
	CHECK_EQ(m.uid, 2000 + 19999 % 50);
	meta_close();
}

static bool never(int fd)
{
	return false;
}

/* A default store keeps only the root tree's records past the run. */
static void test_not_durable(void)
{
	struct stat a = host(4, 20, 1000, S_IFREG | 0644);
	struct meta own = { .uid = 7, .gid = 7, .have = META_OWNER }, m;
	struct stat st;

	unlink(store);
	meta_durable = never;
	CHECK_EQ(meta_open(store, false), 0);
	CHECK_EQ(meta_set(&a, &own, 3), 0);
	CHECK_EQ(shown(a).st_uid, 7);		/* this run sees it */
	meta_forget(&a);
	CHECK_EQ(meta_set(&a, &own, 3), 0);
	CHECK(stat(store, &st) != 0);		/* nothing written */
	meta_close();
	CHECK_EQ(meta_open(store, false), 0);
	CHECK(!meta_get(4, 20, &m));		/* the next does not */
	meta_close();
}

/* No store: nothing is kept, the caller says EPERM. */
static void test_no_store(void)
{
	struct stat a = host(1, 15, 1000, S_IFREG | 0644);
	struct meta own = { .uid = 7, .gid = 7, .have = META_OWNER };

	CHECK(!meta_store_on());
	CHECK_EQ(meta_set(&a, &own, -1), -ENOSPC);
	CHECK_EQ(shown(a).st_uid, 1000);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(base, sizeof(base), "%s/umbra-test-meta-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(store, sizeof(store), "%s/store", base);
	TEST(test_map);
	TEST(test_records_persist);
	TEST(test_no_needless_records);
	TEST(test_forget);
	TEST(test_torn_tail);
	TEST(test_compaction);
	TEST(test_not_durable);
	TEST(test_no_store);
	unlink(store);
	{
		char n[320];

		snprintf(n, sizeof(n), "%s.new", store);
		unlink(n);
	}
	rmdir(base);
	return check_done();
}
