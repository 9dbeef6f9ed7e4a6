/*
 * procself MODE — the guest's own /proc, as programs use it.
 *
 *   stack    pthread_getattr_np of the main thread (glibc reads
 *            /proc/self/maps for it): `stack=ok`
 *   threads  two more threads, then /proc/self/task: `tasks=3`, and
 *            `listed=1` when every thread's gettid() is an entry
 *   fds      dup2 of /dev/null to fd 7: `fd7=/dev/null` (readlink of
 *            /proc/self/fd/7), `listed7=1` when /proc/self/fd lists it
 *   stale    a child's /proc/N directory fd: pidfd_send_signal through it
 *            kills it (`kill=0`); once reaped, `again=ESRCH` and
 *            `status=ENOENT` for /proc/N/status
 */
#include "prog.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int listed(const char *dir, long want)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int hit = 0;

	if (!d)
		DIE("opendir %s", dir);
	while ((e = readdir(d)))
		hit |= atol(e->d_name) == want;
	closedir(d);
	return hit;
}

static int count(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		DIE("opendir %s", dir);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void do_stack(void)
{
	pthread_attr_t a;
	size_t size = 0;
	void *addr = NULL;
	int err = pthread_getattr_np(pthread_self(), &a);

	if (!err)
		err = pthread_attr_getstack(&a, &addr, &size);
	CHECK(!err && size > 0 && addr, "pthread_getattr_np: %s", strerror(err));
	printf("stack=%s\n", !err && size ? "ok" : "failed");
}

static pthread_barrier_t bar;
static pid_t tids[2];

static void *worker(void *arg)
{
	tids[(long)arg] = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&bar);	/* tid published */
	pthread_barrier_wait(&bar);	/* listing done */
	return NULL;
}

static void do_threads(void)
{
	pthread_t th[2];

	pthread_barrier_init(&bar, NULL, 3);
	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	pthread_barrier_wait(&bar);
	printf("tasks=%d\n", count("/proc/self/task"));
	printf("listed=%d\n", listed("/proc/self/task", getpid()) &&
	       listed("/proc/self/task", tids[0]) &&
	       listed("/proc/self/task", tids[1]));
	pthread_barrier_wait(&bar);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
}

static void do_fds(void)
{
	char buf[256];
	int fd = open("/dev/null", O_RDONLY);
	ssize_t n;

	if (fd < 0 || dup2(fd, 7) != 7)
		DIE("dup2");
	n = readlink("/proc/self/fd/7", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("fd7=%s\n", buf);
	printf("listed7=%d\n", listed("/proc/self/fd", 7));
}

static void do_stale(void)
{
	char path[64];
	pid_t pid = fork();
	int dfd, r;

	if (pid == 0) {
		pause();
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		DIE("open %s", path);
	r = (int)syscall(SYS_pidfd_send_signal, dfd, SIGKILL, NULL, 0);
	printf("kill=%s\n", r ? errname(errno) : "0");
	waitpid(pid, NULL, 0);
	r = (int)syscall(SYS_pidfd_send_signal, dfd, 0, NULL, 0);
	printf("again=%s\n", r ? errname(errno) : "0");
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	r = open(path, O_RDONLY);
	printf("status=%s\n", r < 0 ? errname(errno) : "opened");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "stack"))
		do_stack();
	else if (!strcmp(mode, "threads"))
		do_threads();
	else if (!strcmp(mode, "fds"))
		do_fds();
	else if (!strcmp(mode, "stale"))
		do_stale();
	else
		DIE("usage: procself stack|threads|fds|stale");
	return prog_failures ? 1 : 0;
}
