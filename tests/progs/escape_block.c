/*
 * escape_block MODE ARG... — a guest trying to make the monitor wait.
 *
 *   accept DIR N         N accepts (with an address, which the monitor
 *                        makes) on a non-blocking AF_UNIX listener in DIR
 *                        while a sibling thread keeps clearing and setting
 *                        O_NONBLOCK on it and another connects now and
 *                        then: `rounds=N` once done
 *   lease FILE           F_SETLEASE of a read lease on FILE: `lease=ERRNO`
 *   membomb MB           touch MB MiB of fresh memory, 1 MiB at a time:
 *                        `touched=MB` if nothing stopped it
 *   waitfault N          N children reaped by wait4 with a status pointer
 *                        that faults (the host reaps, then says EFAULT):
 *                        `forks=N` when every fork worked
 *   sendflood N          fill an AF_UNIX datagram pair, then N threads each
 *                        block in a sendmmsg of 32 x 64 KiB: `ready` once
 *                        they are all waiting, then, 3 s later, the end
 *   threads N FILE       N threads that wait, then an open of FILE:
 *                        `threads=CREATED`, `open=ERRNO`
 */
#include "prog.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/types.h>

static volatile int stop;
static int lfd;
static struct sockaddr_un addr = { .sun_family = AF_UNIX };

static void *toggler(void *arg)
{
	while (!stop) {
		fcntl(lfd, F_SETFL, 0);
		fcntl(lfd, F_SETFL, O_NONBLOCK);
	}
	return arg;
}

static void *connector(void *arg)
{
	while (!stop) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);

		connect(c, (struct sockaddr *)&addr, sizeof(addr));
		close(c);
		usleep(2000);
	}
	return arg;
}

static int mode_accept(const char *dir, long rounds)
{
	struct sockaddr_un peer;
	pthread_t a, b;
	socklen_t len;
	long i;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/l.sock", dir);
	unlink(addr.sun_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(lfd, 64))
		DIE("listen");
	if (pthread_create(&a, NULL, toggler, NULL) ||
	    pthread_create(&b, NULL, connector, NULL))
		DIE("pthread_create");
	for (i = 0; i < rounds; i++) {
		int fd;

		len = sizeof(peer);
		fd = accept4(lfd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	stop = 1;
	/* a blocking accept of ours may wait for one more connection */
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("rounds=%ld\n", i);
	return 0;
}

static int mode_lease(const char *file)
{
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		DIE("open %s", file);
	printf("lease=%s\n", fcntl(fd, F_SETLEASE, F_RDLCK) ? errname(errno) : "0");
	return 0;
}

static void *waiter(void *arg)
{
	while (!stop)
		usleep(10000);
	return arg;
}

static int mode_threads(long n, const char *file)
{
	pthread_attr_t at;
	pthread_t th;
	long made = 0;
	int fd;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 65536);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < n; i++)
		if (!pthread_create(&th, &at, waiter, NULL))
			made++;
	fd = open(file, O_RDONLY);
	printf("threads=%ld\nopen=%s\n", made, fd < 0 ? errname(errno) : "0");
	stop = 1;
	return 0;
}

static int mode_membomb(long mb)
{
	long i;

	for (i = 0; i < mb; i++) {
		char *p = malloc(1 << 20);

		if (!p)
			break;
		memset(p, (int)i | 1, 1 << 20);
	}
	printf("touched=%ld\n", i);
	return 0;
}

static int mode_waitfault(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		pid_t c = fork();

		if (c < 0)
			break;
		if (c == 0)
			_exit(0);
		syscall(SYS_wait4, c, (void *)1, 0, 0);
	}
	printf("forks=%ld\n", i);
	return 0;
}

static int flood_fd;

static void *flooder(void *arg)
{
	static char buf[32][65536];
	struct mmsghdr v[32];
	struct iovec iov[32];

	memset(v, 0, sizeof(v));
	for (int i = 0; i < 32; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		v[i].msg_hdr.msg_iov = &iov[i];
		v[i].msg_hdr.msg_iovlen = 1;
	}
	sendmmsg(flood_fd, v, 32, 0);
	return arg;
}

static int mode_sendflood(long n)
{
	static char chunk[65536];
	int sv[2];
	pthread_t th;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		DIE("socketpair");
	while (send(sv[0], chunk, sizeof(chunk), MSG_DONTWAIT) > 0)
		;
	flood_fd = sv[0];
	for (long i = 0; i < n; i++)
		if (pthread_create(&th, NULL, flooder, NULL))
			DIE("pthread_create");
	usleep(1500000);
	printf("ready\n");
	usleep(3000000);
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "accept") && argc == 4)
		return mode_accept(argv[2], atol(argv[3]));
	if (!strcmp(m, "membomb") && argc == 3)
		return mode_membomb(atol(argv[2]));
	if (!strcmp(m, "waitfault") && argc == 3)
		return mode_waitfault(atol(argv[2]));
	if (!strcmp(m, "sendflood") && argc == 3)
		return mode_sendflood(atol(argv[2]));
	if (!strcmp(m, "threads") && argc == 4)
		return mode_threads(atol(argv[2]), argv[3]);
	if (!strcmp(m, "lease") && argc == 3)
		return mode_lease(argv[2]);
	fprintf(stderr, "usage: escape_block accept DIR N | lease FILE\n");
	return 2;
}
