/*
 * escape_ro MODE ARG... — a guest writing through routes that must honour
 * a read-only mount and the access an fd was opened with.
 *
 *   reopen RO_FILE RO_DIR  reopens of an fd of RO_FILE (on a read-only
 *                        mount) through /proc/self/fd/N and /dev/fd/N for
 *                        writing or truncation, an O_TMPFILE in RO_DIR
 *                        through its fd, and reopens of stdin (a host file
 *                        handed in read-only): `NAME=ERRNO` each
 *   race RO_FILE RW_FILE N  N rounds of fchmod/futimens/fsetxattr on one
 *                        fd number that a sibling thread keeps pointing at
 *                        RO_FILE and RW_FILE in turn (dup2): `rounds=N`
 */
#include "prog.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#define say(key, r) printf("%s=%s\n", key, (r) < 0 ? errname(errno) : "0")

static int reopen(const char *fmt, int fd, int flags)
{
	char p[64];
	int r;

	snprintf(p, sizeof(p), fmt, fd);
	r = open(p, flags, 0600);
	if (r >= 0)
		close(r);
	return r < 0 ? -1 : 0;
}

static int mode_reopen(const char *file, const char *dir)
{
	int fd = open(file, O_RDONLY), dfd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0 || dfd < 0)
		DIE("open %s %s", file, dir);
	say("proc_rdonly", reopen("/proc/self/fd/%d", fd, O_RDONLY));
	say("proc_rdwr", reopen("/proc/self/fd/%d", fd, O_RDWR));
	say("proc_trunc", reopen("/proc/self/fd/%d", fd, O_WRONLY | O_TRUNC));
	say("devfd_wronly", reopen("/dev/fd/%d", fd, O_WRONLY));
	say("proc_pid_rdwr", reopen("/proc/1/fd/%d", fd, O_RDWR));
	say("tmpfile", reopen("/proc/self/fd/%d", dfd, O_TMPFILE | O_RDWR));
	say("stdin_rdonly", reopen("/dev/stdin%.0d", 0, O_RDONLY));
	say("stdin_wronly", reopen("/dev/stdin%.0d", 0, O_WRONLY));
	say("stdin_proc_trunc", reopen("/proc/self/fd/%d", 0, O_RDWR | O_TRUNC));
	return 0;
}

static volatile int stop;
static int num = 100, ro_fd, rw_fd;

static void *flipper(void *arg)
{
	while (!stop) {
		dup2(ro_fd, num);
		dup2(rw_fd, num);
	}
	return arg;
}

static int mode_race(const char *ro, const char *rw, long rounds)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	pthread_t th;
	long i;

	ro_fd = open(ro, O_RDONLY);
	rw_fd = open(rw, O_RDWR);
	if (ro_fd < 0 || rw_fd < 0)
		DIE("open");
	dup2(rw_fd, num);
	if (pthread_create(&th, NULL, flipper, NULL))
		DIE("pthread_create");
	for (i = 0; i < rounds; i++) {
		fchmod(num, 0600 | (i & 1 ? 0 : 0044));
		futimens(num, ts);
		fsetxattr(num, "user.umbra", "x", 1, 0);
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("rounds=%ld\n", i);
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "reopen") && argc == 4)
		return mode_reopen(argv[2], argv[3]);
	if (!strcmp(m, "race") && argc == 5)
		return mode_race(argv[2], argv[3], atol(argv[4]));
	fprintf(stderr, "usage: escape_ro reopen FILE DIR | race RO RW N\n");
	return 2;
}
