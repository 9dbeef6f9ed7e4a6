/*
 * unixsock MODE [ARG...] — AF_UNIX sockets named by paths.
 *
 *   stream DIR      server and client over DIR/srv.sock: names seen by
 *                   getsockname, getpeername and accept, data both ways,
 *                   the socket file's type and mode (umask 027)
 *   dgram DIR       datagrams to a path, recvfrom's sender, replies
 *   long DIR        a directory deeper than sun_path: relative names
 *   errors DIR      EADDRINUSE, ENOENT, ECONNREFUSED, EINVAL, EPROTOTYPE
 *   abstract        abstract names and autobind
 *   nonblock DIR    non-blocking accept, accept4 flags
 *   threads DIR     the same calls from a second thread (shared fd table)
 *   many DIR        200 binds, every tenth socket kept: their names stay
 *   backlog DIR     blocking connects to a full backlog (listen(fd, 0))
 *                   that the server drains soon
 *   tcp             blocking TCP connect on loopback, single and threaded
 *   peerpidfd DIR   what a server learns of a client: SO_PEERCRED's pid,
 *                   and how many fds pidfd_getfd takes through SO_PEERPIDFD
 *   connect PATH    connect a stream socket to PATH: connect=ERRNO, and
 *                   the peer's name: peer=NAME
 *   send PATH       sendto PATH from a datagram socket: send=ERRNO
 *   bind PATH       bind a stream socket to PATH: bind=ERRNO
 *   msg DIR         sendmsg and sendmmsg: datagrams to paths and abstract
 *                   names, SCM_RIGHTS and SCM_CREDENTIALS on every
 *                   AF_UNIX type, UDP, errors, a stream of 1 MiB; from
 *                   the main thread (main_*), then from a second one
 *                   (thread_*, the fd table shared)
 *   msgrace PATH    sendmsg to the path PATH (a host socket) while a
 *                   thread dup2()s an AF_UNIX datagram socket and a UDP one
 *                   in turn onto the fd, and while another process
 *                   rewrites the shared msghdr's name: race_*=N counts
 *   serve PATH SECS a stream and datagram server at PATH, PATH.dgram
 *                   (runs natively on the host for the escape tests);
 *                   prints host_accepted=1 and host_dgram=DATA lines
 *
 * Each check holds both natively and inside umbra; key=value lines are for
 * tests/integration/unix_sockets.sh.
 */
#include "prog.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#define SUN_OFF offsetof(struct sockaddr_un, sun_path)

static socklen_t mkaddr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		DIE("path too long for sun_path: %s", path);
	strcpy(a->sun_path, path);
	return SUN_OFF + strlen(path) + 1;
}

static int xsocket(int type)
{
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0)
		DIE("socket");
	return fd;
}

static int bind_path(int fd, const char *path)
{
	struct sockaddr_un a;
	socklen_t len = mkaddr(&a, path);

	return bind(fd, (struct sockaddr *)&a, len);
}

static int connect_path(int fd, const char *path)
{
	struct sockaddr_un a;
	socklen_t len = mkaddr(&a, path);

	return connect(fd, (struct sockaddr *)&a, len);
}

/* A result address as a string: the path, "@name" (abstract), "" (unnamed). */
static const char *addr_str(const struct sockaddr_un *a, socklen_t len)
{
	static __thread char buf[256];

	if (len <= SUN_OFF)
		return "";
	if (a->sun_family != AF_UNIX)
		return "?family";
	if (!a->sun_path[0]) {
		buf[0] = '@';
		memcpy(buf + 1, a->sun_path + 1, len - SUN_OFF - 1);
		buf[len - SUN_OFF] = '\0';
		return buf;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)(len - SUN_OFF), a->sun_path);
	return buf;
}

/* The name getsockname/getpeername report, checking its length too. */
static const char *name_of(int fd, bool peer)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) :
		       getsockname(fd, (struct sockaddr *)&a, &len);

	if (r)
		return errname(errno);
	if (len > SUN_OFF && a.sun_path[0])
		CHECK(len == SUN_OFF + strlen(a.sun_path) + 1,
		      "length %u for \"%s\"", len, a.sun_path);
	return addr_str(&a, len);
}

static void wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 10000) != 1)
		DIE("poll");
}

static void xwrite(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		DIE("write");
}

static void expect_read(int fd, const char *s)
{
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	if (n < 0)
		DIE("read");
	buf[n] = '\0';
	CHECK(!strcmp(buf, s), "read \"%s\", expected \"%s\"", buf, s);
}

static int wait_child(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		DIE("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void path_in(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	unlink(buf);
}

static int mode_stream(const char *dir)
{
	char srv[256], cli[256];
	int ls, c, s;
	struct sockaddr_un a;
	socklen_t len;
	struct stat st;
	pid_t pid;

	path_in(srv, sizeof(srv), dir, "srv.sock");
	path_in(cli, sizeof(cli), dir, "cli.sock");
	umask(027);
	ls = xsocket(SOCK_STREAM);
	if (bind_path(ls, srv) || listen(ls, 8))
		DIE("bind/listen %s", srv);
	if (stat(srv, &st))
		DIE("stat %s", srv);
	OUT("sock_type=%s", S_ISSOCK(st.st_mode) ? "socket" : "other");
	OUT("sock_mode=%04o", st.st_mode & 07777);
	CHECK((st.st_mode & 07777) == 0750, "mode %o", st.st_mode & 07777);
	OUT("listener_name=%s", name_of(ls, false));
	CHECK(!strcmp(name_of(ls, false), srv), "listener name");

	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		c = xsocket(SOCK_STREAM);
		if (bind_path(c, cli))
			DIE("bind %s", cli);
		if (connect_path(c, srv))
			DIE("connect %s", srv);
		OUT("client_name=%s", name_of(c, false));
		OUT("client_peer=%s", name_of(c, true));
		CHECK(!strcmp(name_of(c, true), srv), "client's peer");
		CHECK(!strcmp(name_of(c, false), cli), "client's name");
		xwrite(c, "ping");
		expect_read(c, "pong");
		close(c);
		/* an unnamed client, accepted by a blocking accept */
		usleep(100000);
		c = xsocket(SOCK_STREAM);
		if (connect_path(c, srv))
			DIE("connect 2");
		OUT("unnamed_client_name=%s", name_of(c, false));
		xwrite(c, "two");
		close(c);
		_exit(prog_exit());
	}
	wait_readable(ls);
	len = sizeof(a);
	memset(&a, 0x55, sizeof(a));
	s = accept(ls, (struct sockaddr *)&a, &len);
	if (s < 0)
		DIE("accept");
	OUT("accept_addr=%s", addr_str(&a, len));
	CHECK(!strcmp(addr_str(&a, len), cli), "accepted peer %s", addr_str(&a, len));
	OUT("accepted_name=%s", name_of(s, false));
	OUT("accepted_peer=%s", name_of(s, true));
	CHECK(!strcmp(name_of(s, false), srv), "accepted socket's name");
	CHECK(!strcmp(name_of(s, true), cli), "accepted socket's peer");
	expect_read(s, "ping");
	xwrite(s, "pong");
	close(s);

	/* blocking accept, possibly before the client connects */
	len = sizeof(a);
	s = accept4(ls, (struct sockaddr *)&a, &len, SOCK_CLOEXEC);
	if (s < 0)
		DIE("accept 2");
	OUT("accept2_len=%u", len);
	CHECK(len == SUN_OFF, "unnamed peer's length %u", len);
	CHECK(fcntl(s, F_GETFD) == FD_CLOEXEC, "SOCK_CLOEXEC");
	expect_read(s, "two");
	close(s);
	close(ls);
	CHECK(wait_child(pid) == 0, "client failed");
	unlink(srv);
	unlink(cli);
	OUT("stream=ok");
	return prog_exit();
}

static ssize_t recv_from(int fd, char *buf, size_t size, struct sockaddr_un *a,
			 socklen_t *len)
{
	ssize_t n;

	*len = sizeof(*a);
	memset(a, 0, sizeof(*a));
	n = recvfrom(fd, buf, size - 1, 0, (struct sockaddr *)a, len);
	if (n < 0)
		DIE("recvfrom");
	buf[n] = '\0';
	return n;
}

static int mode_dgram(const char *dir)
{
	char srv[256], cli[256], buf[64];
	struct sockaddr_un a, from;
	socklen_t len, flen;
	int s, c, go[2];
	pid_t pid;

	path_in(srv, sizeof(srv), dir, "d.sock");
	path_in(cli, sizeof(cli), dir, "dc.sock");
	s = xsocket(SOCK_DGRAM);
	if (bind_path(s, srv))
		DIE("bind %s", srv);
	c = xsocket(SOCK_DGRAM);
	if (bind_path(c, cli))
		DIE("bind %s", cli);
	len = mkaddr(&a, srv);
	if (sendto(c, "hello", 5, 0, (struct sockaddr *)&a, len) != 5)
		DIE("sendto %s", srv);
	wait_readable(s);
	recv_from(s, buf, sizeof(buf), &from, &flen);
	OUT("dgram_from=%s", addr_str(&from, flen));
	CHECK(!strcmp(buf, "hello"), "got %s", buf);
	CHECK(!strcmp(addr_str(&from, flen), cli), "sender %s", addr_str(&from, flen));
	/* reply to what recvfrom said */
	if (sendto(s, "back", 4, 0, (struct sockaddr *)&from, flen) != 4)
		DIE("sendto reply");
	wait_readable(c);
	recv_from(c, buf, sizeof(buf), &from, &flen);
	OUT("reply_from=%s", addr_str(&from, flen));
	CHECK(!strcmp(buf, "back") && !strcmp(addr_str(&from, flen), srv),
	      "reply %s from %s", buf, addr_str(&from, flen));

	/* an unnamed sender: recvfrom says so with length 0 */
	close(c);
	c = xsocket(SOCK_DGRAM);
	if (sendto(c, "anon", 4, 0, (struct sockaddr *)&a, len) != 4)
		DIE("sendto anon");
	wait_readable(s);
	recv_from(s, buf, sizeof(buf), &from, &flen);
	OUT("anon_from_len=%u", flen);
	CHECK(flen == 0, "unnamed sender's length %u", flen);
	close(c);

	/*
	 * A blocking recvfrom that waits for the datagram: a reply to the
	 * reported sender still arrives, whatever name it shows.
	 */
	if (pipe(go))
		DIE("pipe");
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		c = xsocket(SOCK_DGRAM);
		unlink(cli);
		if (bind_path(c, cli))
			DIE("bind %s", cli);
		close(go[0]);
		usleep(100000);		/* let the parent block first */
		if (sendto(c, "late", 4, 0, (struct sockaddr *)&a, len) != 4)
			DIE("sendto late");
		recv_from(c, buf, sizeof(buf), &from, &flen);
		CHECK(!strcmp(buf, "late reply"), "got %s", buf);
		_exit(prog_exit());
	}
	recv_from(s, buf, sizeof(buf), &from, &flen);
	CHECK(!strcmp(buf, "late"), "got %s", buf);
	if (sendto(s, "late reply", 10, 0, (struct sockaddr *)&from, flen) != 10)
		DIE("sendto late reply");
	CHECK(wait_child(pid) == 0, "late sender failed");
	OUT("blocking_reply=ok");

	/* connect a datagram socket to the path, then plain send */
	c = xsocket(SOCK_DGRAM);
	if (connect_path(c, srv))
		DIE("connect dgram");
	OUT("dgram_peer=%s", name_of(c, true));
	if (send(c, "conn", 4, 0) != 4)
		DIE("send");
	wait_readable(s);
	recv_from(s, buf, sizeof(buf), &from, &flen);
	CHECK(!strcmp(buf, "conn"), "got %s", buf);
	close(c);
	close(s);
	unlink(srv);
	unlink(cli);
	OUT("dgram=ok");
	return prog_exit();
}

static int mode_long(const char *dir)
{
	static const char comp[] = "a-rather-long-directory-name-for-sun-path";
	char deep[1024];
	int ls, c, s;
	size_t n;

	snprintf(deep, sizeof(deep), "%s", dir);
	for (int i = 0; i < 4; i++) {
		n = strlen(deep);
		snprintf(deep + n, sizeof(deep) - n, "/%s%d", comp, i);
		if (mkdir(deep, 0755) && errno != EEXIST)
			DIE("mkdir %s", deep);
	}
	OUT("deep_len=%zu", strlen(deep));
	CHECK(strlen(deep) > sizeof(((struct sockaddr_un *)0)->sun_path),
	      "not deep enough");
	if (chdir(deep))
		DIE("chdir");
	unlink("s");
	ls = xsocket(SOCK_STREAM);
	if (bind_path(ls, "s") || listen(ls, 4))
		DIE("bind relative");
	OUT("long_name=%s", name_of(ls, false));
	CHECK(!strcmp(name_of(ls, false), "s"), "bound name");
	c = xsocket(SOCK_STREAM);
	if (connect_path(c, "s"))
		DIE("connect relative");
	OUT("long_peer=%s", name_of(c, true));
	s = accept(ls, NULL, NULL);
	if (s < 0)
		DIE("accept");
	xwrite(c, "deep");
	expect_read(s, "deep");
	close(c);
	close(s);
	/* from a directory above, through a relative path with ".." */
	if (chdir(".."))
		DIE("chdir ..");
	c = xsocket(SOCK_STREAM);
	snprintf(deep, sizeof(deep), "../%s2/%s3/s", comp, comp);
	OUT("long_dotdot_connect=%s", res(connect_path(c, deep)));
	close(c);
	c = xsocket(SOCK_STREAM);
	snprintf(deep, sizeof(deep), "%s3/s", comp);
	OUT("long_sub_connect=%s", res(connect_path(c, deep)));
	close(c);
	close(ls);
	snprintf(deep, sizeof(deep), "%s3/s", comp);
	unlink(deep);
	OUT("long=ok");
	return prog_exit();
}

static int mode_errors(const char *dir)
{
	char p[256], file[256], dg[256];
	struct sockaddr_un a;
	int s, fd;

	path_in(p, sizeof(p), dir, "e.sock");
	path_in(file, sizeof(file), dir, "regular");
	path_in(dg, sizeof(dg), dir, "dg.sock");
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		DIE("creat");
	close(fd);

	s = xsocket(SOCK_STREAM);
	OUT("bind_file=%s", res(bind_path(s, file)));
	OUT("bind_ok=%s", res(bind_path(s, p)));
	OUT("bind_again=%s", res(bind_path(s, p)));
	close(s);
	s = xsocket(SOCK_STREAM);
	OUT("bind_existing_sock=%s", res(bind_path(s, p)));
	snprintf(p, sizeof(p), "%s/no/such/dir/x.sock", dir);
	OUT("bind_nodir=%s", res(bind_path(s, p)));
	OUT("bind_root=%s", res(bind_path(s, "/")));
	mkaddr(&a, "x");
	OUT("bind_len_1=%s", res(bind(s, (struct sockaddr *)&a, 1)));
	OUT("bind_len_111=%s", res(bind(s, (struct sockaddr *)&a, 111)));
	OUT("bind_len_200=%s", res(bind(s, (struct sockaddr *)&a, 200)));
	OUT("bind_efault=%s", res(bind(s, (struct sockaddr *)8, 20)));
	a.sun_family = AF_INET;
	OUT("bind_family=%s", res(bind(s, (struct sockaddr *)&a, 4)));
	close(s);

	s = xsocket(SOCK_STREAM);
	snprintf(p, sizeof(p), "%s/missing.sock", dir);
	OUT("connect_missing=%s", res(connect_path(s, p)));
	OUT("connect_file=%s", res(connect_path(s, file)));
	OUT("connect_dir=%s", res(connect_path(s, dir)));
	snprintf(p, sizeof(p), "%s/e.sock", dir);
	OUT("connect_unlistened=%s", res(connect_path(s, p)));
	close(s);
	fd = xsocket(SOCK_DGRAM);
	if (bind_path(fd, dg))
		DIE("bind %s", dg);
	s = xsocket(SOCK_STREAM);
	OUT("connect_prototype=%s", res(connect_path(s, dg)));
	close(s);
	s = xsocket(SOCK_DGRAM);
	snprintf(p, sizeof(p), "%s/missing.sock", dir);
	mkaddr(&a, p);
	OUT("sendto_missing=%s", res(sendto(s, "x", 1, 0, (struct sockaddr *)&a,
					   sizeof(a)) < 0 ? -1 : 0));
	mkaddr(&a, file);
	OUT("sendto_file=%s", res(sendto(s, "x", 1, 0, (struct sockaddr *)&a,
					sizeof(a)) < 0 ? -1 : 0));
	close(s);
	close(fd);
	OUT("getsockname_badfd=%s", res(getsockname(999, (struct sockaddr *)&a,
				&(socklen_t){ sizeof(a) })));
	OUT("getsockname_notsock=%s", res(getsockname(1, (struct sockaddr *)&a,
				&(socklen_t){ sizeof(a) })));
	s = xsocket(SOCK_STREAM);
	OUT("getpeername_unconnected=%s", res(getpeername(s,
				(struct sockaddr *)&a, &(socklen_t){ sizeof(a) })));
	/* a short buffer: truncated, the full length reported */
	{
		char small[8];
		socklen_t len = sizeof(small);

		snprintf(p, sizeof(p), "%s/short-buffer.sock", dir);
		unlink(p);
		if (bind_path(s, p))
			DIE("bind %s", p);
		if (getsockname(s, (struct sockaddr *)small, &len))
			DIE("getsockname");
		OUT("short_len=%s", len == SUN_OFF + strlen(p) + 1 ? "full" : "wrong");
		CHECK(!memcmp(small + 2, p, 6), "truncated name");
		unlink(p);
	}
	close(s);
	unlink(file);
	unlink(dg);
	snprintf(p, sizeof(p), "%s/e.sock", dir);
	unlink(p);
	return prog_exit();
}

static int mode_abstract(void)
{
	struct sockaddr_un a, b;
	socklen_t len, blen;
	int ls, c, s;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	len = SUN_OFF + 1 + snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1,
				     "umbra-test-%d", (int)getpid());
	ls = xsocket(SOCK_STREAM);
	if (bind(ls, (struct sockaddr *)&a, len) || listen(ls, 4))
		DIE("bind abstract");
	blen = sizeof(b);
	if (getsockname(ls, (struct sockaddr *)&b, &blen))
		DIE("getsockname");
	CHECK(blen == len && !memcmp(&a, &b, len), "abstract name");
	OUT("abstract_name=%s", blen == len && !memcmp(&a, &b, len) ? "same" : "different");
	c = xsocket(SOCK_STREAM);
	OUT("abstract_connect=%s", res(connect(c, (struct sockaddr *)&a, len)));
	s = accept(ls, NULL, NULL);
	if (s < 0)
		DIE("accept");
	xwrite(c, "abs");
	expect_read(s, "abs");
	blen = sizeof(b);
	if (getpeername(c, (struct sockaddr *)&b, &blen))
		DIE("getpeername");
	CHECK(blen == len && !memcmp(&a, &b, len), "abstract peer");
	close(s);
	close(c);
	close(ls);
	/* the whole sun_path, trailing zeros included, as LTP's bind04 */
	a.sun_path[100] = 'z';
	len = sizeof(a);
	ls = xsocket(SOCK_STREAM);
	OUT("abstract_full=%s", res(bind(ls, (struct sockaddr *)&a, len)));
	listen(ls, 4);
	blen = sizeof(b);
	getsockname(ls, (struct sockaddr *)&b, &blen);
	OUT("abstract_full_name=%s", blen == len && !memcmp(&a, &b, len) ?
	    "same" : "different");
	c = xsocket(SOCK_STREAM);
	OUT("abstract_full_connect=%s",
	    res(connect(c, (struct sockaddr *)&a, len)));
	blen = sizeof(b);
	getpeername(c, (struct sockaddr *)&b, &blen);
	OUT("abstract_full_peer=%s", blen == len && !memcmp(&a, &b, len) ?
	    "same" : "different");
	close(c);
	close(ls);
	/* autobind: an address of the family alone */
	s = xsocket(SOCK_DGRAM);
	OUT("autobind=%s", res(bind(s, (struct sockaddr *)&a, SUN_OFF)));
	blen = sizeof(b);
	if (getsockname(s, (struct sockaddr *)&b, &blen))
		DIE("getsockname");
	OUT("autobind_len=%u", blen);
	CHECK(blen == SUN_OFF + 6 && !b.sun_path[0], "autobind name");
	close(s);
	return prog_exit();
}

static int mode_nonblock(const char *dir)
{
	char p[256];
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	int ls, c, s;

	path_in(p, sizeof(p), dir, "nb.sock");
	ls = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (ls < 0 || bind_path(ls, p) || listen(ls, 4))
		DIE("listen");
	OUT("accept_empty=%s", res(accept(ls, (struct sockaddr *)&a, &len)));
	OUT("accept4_badflags=%s", res(accept4(ls, (struct sockaddr *)&a, &len, 1)));
	c = xsocket(SOCK_STREAM);
	if (connect_path(c, p))
		DIE("connect");
	len = sizeof(a);
	s = accept4(ls, (struct sockaddr *)&a, &len, SOCK_NONBLOCK);
	if (s < 0)
		DIE("accept4");
	OUT("accept4_nonblock=%s", fcntl(s, F_GETFL) & O_NONBLOCK ? "yes" : "no");
	OUT("accept4_cloexec=%s", fcntl(s, F_GETFD) & FD_CLOEXEC ? "yes" : "no");
	CHECK(len == SUN_OFF, "unnamed peer");
	OUT("listener_still_nonblock=%s", fcntl(ls, F_GETFL) & O_NONBLOCK ? "yes" : "no");
	close(s);
	close(c);
	close(ls);
	unlink(p);
	return prog_exit();
}

static int mode_many(const char *dir)
{
	char p[256];
	int kept[20], n = 0, bad = 0;

	for (int i = 0; i < 200; i++) {
		int s = xsocket(i % 2 ? SOCK_STREAM : SOCK_DGRAM);

		snprintf(p, sizeof(p), "%s/many-%d.sock", dir, i);
		unlink(p);
		if (bind_path(s, p))
			DIE("bind %s", p);
		if (i % 10 == 0) {
			kept[n++] = s;
		} else {
			close(s);
			unlink(p);
		}
	}
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/many-%d.sock", dir, i * 10);
		if (strcmp(name_of(kept[i], false), p)) {
			CHECK(0, "name %s, expected %s", name_of(kept[i], false), p);
			bad++;
		}
		close(kept[i]);
		unlink(p);
	}
	OUT("many=%s", bad ? "wrong" : "ok");
	return prog_exit();
}

static int mode_backlog(const char *dir)
{
	char p[256];
	int ls, s, n = 0;
	pid_t pid;

	path_in(p, sizeof(p), dir, "bl.sock");
	ls = xsocket(SOCK_STREAM);
	if (bind_path(ls, p) || listen(ls, 0))
		DIE("listen");
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		int ok = 0;

		for (int i = 0; i < 3; i++) {
			int c = xsocket(SOCK_STREAM);

			if (!connect_path(c, p))
				ok++;
			else
				OUT("backlog_connect_error=%s", errname(errno));
		}
		OUT("backlog_connected=%d", ok);
		_exit(0);
	}
	usleep(300000);		/* the clients' connects wait meanwhile */
	for (int i = 0; i < 3; i++) {
		wait_readable(ls);
		s = accept(ls, NULL, NULL);
		if (s >= 0) {
			n++;
			close(s);
		}
	}
	OUT("backlog_accepted=%d", n);
	CHECK(wait_child(pid) == 0, "client");
	close(ls);
	unlink(p);
	return prog_exit();
}

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

static int mode_peerpidfd(const char *dir)
{
	char p[256];
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int ls, s, pidfd, taken = 0, go[2];
	pid_t pid;

	path_in(p, sizeof(p), dir, "pp.sock");
	ls = xsocket(SOCK_STREAM);
	if (bind_path(ls, p) || listen(ls, 4) || pipe(go))
		DIE("listen");
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		int c = xsocket(SOCK_STREAM);
		char b;

		if (connect_path(c, p))
			DIE("connect");
		close(go[1]);
		if (read(go[0], &b, 1) < 0)	/* stay until the server is done */
			DIE("read");
		_exit(0);
	}
	close(go[0]);
	s = accept(ls, NULL, NULL);
	if (s < 0)
		DIE("accept");
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &len))
		DIE("SO_PEERCRED");
	OUT("peercred_pid_is_client=%s", uc.pid == pid ? "yes" : "no");
	OUT("peercred_uid_is_mine=%s", uc.uid == getuid() ? "yes" : "no");
	len = sizeof(pidfd);
	if (getsockopt(s, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len)) {
		OUT("peerpidfd=%s", errname(errno));
	} else {
		for (int fd = 0; fd < 1024; fd++) {
			int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);

			if (got >= 0) {
				taken++;
				close(got);
			}
		}
		OUT("peerpidfd_taken=%d", taken);
	}
	close(go[1]);
	CHECK(wait_child(pid) == 0, "client");
	close(s);
	close(ls);
	unlink(p);
	return prog_exit();
}

static const char *thread_dir;
static void *thread_main(void *arg)
{
	(void)arg;
	mode_stream(thread_dir);
	mode_dgram(thread_dir);
	return NULL;
}

static int mode_threads(const char *dir)
{
	pthread_t th;

	thread_dir = dir;
	if (pthread_create(&th, NULL, thread_main, NULL))
		DIE("pthread_create");
	pthread_join(th, NULL);
	OUT("threads=ok");
	return prog_exit();
}

static void tcp_once(const char *what)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int ls, c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(ls, 4) || getsockname(ls, (struct sockaddr *)&a, &len))
		DIE("tcp listen");
	c = socket(AF_INET, SOCK_STREAM, 0);
	OUT("%s_connect=%s", what, res(connect(c, (struct sockaddr *)&a, sizeof(a))));
	len = sizeof(a);
	s = accept(ls, (struct sockaddr *)&a, &len);
	if (s < 0)
		DIE("tcp accept");
	CHECK(a.sin_family == AF_INET && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "tcp peer");
	xwrite(c, "tcp");
	expect_read(s, "tcp");
	close(s);
	close(c);
	close(ls);
}

static void *tcp_thread(void *arg)
{
	tcp_once(arg);
	return NULL;
}

static int mode_tcp(void)
{
	pthread_t th;

	tcp_once("tcp");
	if (pthread_create(&th, NULL, tcp_thread, "tcp_threaded"))
		DIE("pthread_create");
	pthread_join(th, NULL);
	return prog_exit();
}

/* --- sendmsg and sendmmsg --- */

union cbuf {
	struct cmsghdr align;
	char buf[CMSG_SPACE(4 * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
};

/* sendmsg of data (2 chars at least) in two iovecs. */
static ssize_t send_msg(int s, const void *name, socklen_t nlen,
			const char *data, const union cbuf *c, size_t clen,
			int flags)
{
	struct iovec iov[2] = {
		{ (void *)data, 2 },
		{ (void *)(data + 2), strlen(data) - 2 },
	};
	struct msghdr m = {
		.msg_name = (void *)name, .msg_namelen = nlen,
		.msg_iov = iov, .msg_iovlen = 2,
		.msg_control = (void *)c, .msg_controllen = clen,
	};

	return sendmsg(s, &m, flags);
}

static size_t ctl_fds(union cbuf *c, const int *fds, int n)
{
	memset(c, 0, sizeof(*c));
	c->align.cmsg_level = SOL_SOCKET;
	c->align.cmsg_type = SCM_RIGHTS;
	c->align.cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(&c->align), fds, n * sizeof(int));
	return CMSG_SPACE(n * sizeof(int));
}

static size_t ctl_creds(union cbuf *c)
{
	struct ucred uc = { getpid(), getuid(), getgid() };

	memset(c, 0, sizeof(*c));
	c->align.cmsg_level = SOL_SOCKET;
	c->align.cmsg_type = SCM_CREDENTIALS;
	c->align.cmsg_len = CMSG_LEN(sizeof(uc));
	memcpy(CMSG_DATA(&c->align), &uc, sizeof(uc));
	return CMSG_SPACE(sizeof(uc));
}

/* recvmsg: the data, the first fd passed (or -1), the credentials. */
static ssize_t recv_msg(int s, char *buf, size_t size, int *fd,
			struct ucred *uc)
{
	union cbuf c;
	struct iovec iov = { buf, size - 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &c, .msg_controllen = sizeof(c),
	};
	struct cmsghdr *h;
	ssize_t n;

	wait_readable(s);
	n = recvmsg(s, &m, MSG_CMSG_CLOEXEC);
	if (n < 0)
		DIE("recvmsg");
	buf[n] = '\0';
	if (fd)
		*fd = -1;
	if (uc)
		uc->pid = -1;
	for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS && fd)
			memcpy(fd, CMSG_DATA(h), sizeof(int));
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS &&
		    uc)
			memcpy(uc, CMSG_DATA(h), sizeof(*uc));
	}
	return n;
}

static const char *sent(ssize_t r, const char *data)
{
	if (r < 0)
		return errname(errno);
	return r == (ssize_t)strlen(data) ? "0" : "short";
}

/* An fd passed with data on s, then used by the receiver r: "ok". */
static const char *pass_fd(int s, const void *name, socklen_t nlen, int r)
{
	union cbuf c;
	char buf[64];
	int p[2], fd;
	size_t clen;
	ssize_t n;

	if (pipe(p))
		DIE("pipe");
	clen = ctl_fds(&c, &p[1], 1);
	n = send_msg(s, name, nlen, "fd!", &c, clen, 0);
	close(p[1]);
	if (n < 0) {
		close(p[0]);
		return errname(errno);
	}
	recv_msg(r, buf, sizeof(buf), &fd, NULL);
	CHECK(!strcmp(buf, "fd!"), "got %s", buf);
	if (fd < 0) {
		close(p[0]);
		return "nofd";
	}
	xwrite(fd, "via");
	close(fd);
	expect_read(p[0], "via");
	close(p[0]);
	return "ok";
}

/* Credentials of one's own, received on r with SO_PASSCRED: "ok". */
static const char *pass_creds(int s, const void *name, socklen_t nlen, int r)
{
	union cbuf c;
	struct ucred uc;
	char buf[64];
	int one = 1;
	size_t clen = ctl_creds(&c);

	if (setsockopt(r, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)))
		DIE("SO_PASSCRED");
	if (send_msg(s, name, nlen, "cred", &c, clen, 0) < 0)
		return errname(errno);
	recv_msg(r, buf, sizeof(buf), NULL, &uc);
	CHECK(!strcmp(buf, "cred"), "got %s", buf);
	if (uc.pid == -1)
		return "nocreds";
	CHECK(uc.uid == getuid() && uc.gid == getgid(), "uid %d gid %d",
	      (int)uc.uid, (int)uc.gid);
	return "ok";
}

static void pair(int type, int sv[2])
{
	if (socketpair(AF_UNIX, type, 0, sv))
		DIE("socketpair");
}

struct big {
	int fd;
	size_t got;
	unsigned long sum;
};

static void *big_reader(void *arg)
{
	struct big *b = arg;
	unsigned char buf[65536];
	ssize_t n;

	while ((n = read(b->fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			b->sum = b->sum * 31 + buf[i];
		b->got += n;
	}
	return NULL;
}

/*
 * 1 MiB through sendmsg on a blocking stream, short counts resumed.  The
 * monitor's send gives up with EAGAIN after 100 ms of a full socket (a
 * reader not scheduled meanwhile): tried again.
 */
static const char *big_stream(void)
{
	static unsigned char data[1 << 20];
	static char res[64];
	struct big b = { 0 };
	unsigned long sum = 0;
	pthread_t th;
	size_t off = 0;
	int sv[2], again = 0, err = 0;

	for (size_t i = 0; i < sizeof(data); i++) {
		data[i] = (unsigned char)(i * 7 + i / 4096);
		sum = sum * 31 + data[i];
	}
	pair(SOCK_STREAM, sv);
	b.fd = sv[1];
	if (pthread_create(&th, NULL, big_reader, &b))
		DIE("pthread_create");
	while (off < sizeof(data)) {
		struct iovec iov = { data + off, sizeof(data) - off };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = sendmsg(sv[0], &m, 0);

		if (n < 0 && errno == EAGAIN && ++again < 100)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : 0;
			break;
		}
		off += n;
	}
	close(sv[0]);
	pthread_join(th, NULL);
	close(sv[1]);
	if (b.got == sizeof(data) && b.sum == sum)
		return "ok";
	snprintf(res, sizeof(res), "sent %zu got %zu sum %s err %s", off,
		 b.got, b.sum == sum ? "ok" : "bad", errname(err));
	return res;
}

static void msg_checks(const char *dir, const char *tag)
{
	char m_path[256], e_path[256], buf[64];
	struct sockaddr_un ma, aa, from;
	struct sockaddr_in ua = { .sin_family = AF_INET };
	socklen_t mlen, alen, flen;
	struct iovec iov[3];
	struct mmsghdr mm[3];
	int d, e, ab, sv[2], p[2], u, v;
	union cbuf c;
	size_t clen;

	snprintf(buf, sizeof(buf), "m-%s.sock", tag);
	path_in(m_path, sizeof(m_path), dir, buf);
	snprintf(buf, sizeof(buf), "me-%s.sock", tag);
	path_in(e_path, sizeof(e_path), dir, buf);
	d = xsocket(SOCK_DGRAM);
	e = xsocket(SOCK_DGRAM);
	if (bind_path(d, m_path) || bind_path(e, e_path))
		DIE("bind");
	mlen = mkaddr(&ma, m_path);

	/* datagrams to a path: the sender's name as recvfrom reports it */
	OUT("%s_path=%s", tag, sent(send_msg(e, &ma, mlen, "hello", NULL, 0, 0),
				    "hello"));
	recv_from(d, buf, sizeof(buf), &from, &flen);
	CHECK(!strcmp(buf, "hello"), "got %s", buf);
	OUT("%s_path_from=%s", tag, addr_str(&from, flen));
	snprintf(buf, sizeof(buf), "%s/missing.sock", dir);
	mlen = mkaddr(&from, buf);
	OUT("%s_path_missing=%s", tag,
	    res(send_msg(e, &from, mlen, "lost", NULL, 0, 0)));
	mlen = mkaddr(&ma, m_path);

	/* an abstract name */
	memset(&aa, 0, sizeof(aa));
	aa.sun_family = AF_UNIX;
	alen = SUN_OFF + 1 + snprintf(aa.sun_path + 1, sizeof(aa.sun_path) - 1,
				      "unixsock-msg-%d-%s", (int)getpid(), tag);
	ab = xsocket(SOCK_DGRAM);
	if (bind(ab, (struct sockaddr *)&aa, alen))
		DIE("bind abstract");
	OUT("%s_abstract=%s", tag,
	    sent(send_msg(e, &aa, alen, "abs", NULL, 0, 0), "abs"));
	recv_from(ab, buf, sizeof(buf), &from, &flen);
	CHECK(!strcmp(buf, "abs") && !strcmp(addr_str(&from, flen), e_path),
	      "got %s from %s", buf, addr_str(&from, flen));

	/* sendmmsg: three messages, two destinations */
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 3; i++) {
		static const char *const w[] = { "one", "two", "three" };

		iov[i].iov_base = (void *)w[i];
		iov[i].iov_len = strlen(w[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = i == 1 ? (void *)&aa : (void *)&ma;
		mm[i].msg_hdr.msg_namelen = i == 1 ? alen : mlen;
	}
	OUT("%s_sendmmsg=%d", tag, sendmmsg(e, mm, 3, 0));
	OUT("%s_sendmmsg_lens=%u,%u,%u", tag, mm[0].msg_len, mm[1].msg_len,
	    mm[2].msg_len);
	recv_from(d, buf, sizeof(buf), &from, &flen);
	CHECK(!strcmp(buf, "one"), "got %s", buf);
	recv_from(ab, buf, sizeof(buf), &from, &flen);
	CHECK(!strcmp(buf, "two"), "got %s", buf);
	recv_from(d, buf, sizeof(buf), &from, &flen);
	CHECK(!strcmp(buf, "three"), "got %s", buf);

	/* control data: fds and credentials, on every AF_UNIX type */
	OUT("%s_dgram_fd=%s", tag, pass_fd(e, &ma, mlen, d));
	OUT("%s_dgram_creds=%s", tag, pass_creds(e, &ma, mlen, d));
	pair(SOCK_STREAM, sv);
	OUT("%s_stream_fd=%s", tag, pass_fd(sv[0], NULL, 0, sv[1]));
	OUT("%s_stream_creds=%s", tag, pass_creds(sv[0], NULL, 0, sv[1]));
	OUT("%s_stream_name=%s", tag, res(send_msg(sv[0], &ma, mlen, "no",
						   NULL, 0, 0)));
	close(sv[0]);
	close(sv[1]);
	pair(SOCK_SEQPACKET, sv);
	OUT("%s_seqpacket_fd=%s", tag, pass_fd(sv[0], NULL, 0, sv[1]));
	OUT("%s_seqpacket_creds=%s", tag, pass_creds(sv[0], NULL, 0, sv[1]));
	close(sv[0]);
	close(sv[1]);
	pair(SOCK_DGRAM, sv);
	OUT("%s_pair_fd=%s", tag, pass_fd(sv[0], NULL, 0, sv[1]));
	close(sv[0]);
	close(sv[1]);

	/* UDP, with an address of its family and of AF_UNIX's */
	ua.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	flen = sizeof(ua);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	v = socket(AF_INET, SOCK_DGRAM, 0);
	if (u < 0 || v < 0 || bind(u, (struct sockaddr *)&ua, sizeof(ua)) ||
	    getsockname(u, (struct sockaddr *)&ua, &flen))
		DIE("udp");
	OUT("%s_udp=%s", tag, sent(send_msg(v, &ua, sizeof(ua), "udp!", NULL, 0, 0),
				   "udp!"));
	wait_readable(u);
	if (recv(u, buf, sizeof(buf), 0) != 4 || memcmp(buf, "udp!", 4))
		CHECK(0, "udp datagram");
	OUT("%s_udp_unix_name=%s", tag, res(send_msg(v, &ma, mlen, "no", NULL, 0, 0)));
	close(u);
	close(v);

	/* errors, as Linux orders them */
	if (pipe(p))
		DIE("pipe");
	OUT("%s_err_badfd=%s", tag, res(send_msg(999, &ma, mlen, "no", NULL, 0, 0)));
	OUT("%s_err_notsock=%s", tag, res(send_msg(p[0], &ma, mlen, "no", NULL, 0, 0)));
	OUT("%s_err_name=%s", tag, res(send_msg(e, (void *)8, mlen, "no", NULL, 0, 0)));
	OUT("%s_err_ctl=%s", tag, res(send_msg(e, &ma, mlen, "no", (void *)8, 32, 0)));
	clen = ctl_fds(&c, (int[]){ 999 }, 1);
	OUT("%s_err_passfd=%s", tag, res(send_msg(e, &ma, mlen, "no", &c, clen, 0)));
	{
		static struct iovec many[2000];
		struct msghdr m = {
			.msg_name = &ma, .msg_namelen = mlen,
			.msg_iov = many, .msg_iovlen = 2000,
		};

		OUT("%s_err_iovlen=%s", tag, res(sendmsg(e, &m, 0)));
	}
	close(p[0]);
	close(p[1]);

	/* a full receiver, without waiting */
	{
		int n = 0, one = 1;
		ssize_t r;

		pair(SOCK_DGRAM, sv);
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &one, sizeof(one));
		while ((r = send_msg(sv[0], NULL, 0, "full", NULL, 0,
				     MSG_DONTWAIT)) > 0 && n < 100000)
			n++;
		OUT("%s_full=%s", tag, r < 0 ? errname(errno) : "never");
		close(sv[0]);
		close(sv[1]);
	}
	OUT("%s_big_stream=%s", tag, big_stream());

	close(ab);
	close(d);
	close(e);
	unlink(m_path);
	unlink(e_path);
}

static const char *msg_dir;

static void *msg_thread(void *arg)
{
	msg_checks(msg_dir, "thread");
	return NULL;
}

static int mode_msg(const char *dir)
{
	pthread_t th;

	msg_checks(dir, "main");
	msg_dir = dir;
	if (pthread_create(&th, NULL, msg_thread, NULL))
		DIE("pthread_create");
	pthread_join(th, NULL);
	return prog_exit();
}

#define RACE_FD 50
#define RACE_ROUNDS 20000

static volatile int race_stop;
static int race_socks[2];

static void *race_flipper(void *arg)
{
	(void)arg;
	while (!race_stop) {
		dup2(race_socks[0], RACE_FD);
		dup2(race_socks[1], RACE_FD);
	}
	return NULL;
}

/* sendmsg to a host path while the fd and the msghdr change under it. */
static int mode_msgrace(const char *path)
{
	struct shared {
		struct msghdr m;
		struct iovec iov;
		struct sockaddr_un a;
		char data[16];
	} *sh;
	struct sockaddr_un a, g;
	socklen_t len = mkaddr(&a, path), glen;
	int reached = 0, gs, x;
	pthread_t th;
	pid_t pid;

	/* 1. the fd number: a UDP socket and an AF_UNIX datagram one */
	race_socks[0] = socket(AF_INET, SOCK_DGRAM, 0);
	race_socks[1] = xsocket(SOCK_DGRAM);
	if (race_socks[0] < 0 || dup2(race_socks[0], RACE_FD) != RACE_FD)
		DIE("race sockets");
	if (pthread_create(&th, NULL, race_flipper, NULL))
		DIE("pthread_create");
	for (int i = 0; i < RACE_ROUNDS; i++)
		if (send_msg(RACE_FD, &a, len, "ESCAPE-fd", NULL, 0,
			     MSG_DONTWAIT) >= 0)
			reached++;
	race_stop = 1;
	pthread_join(th, NULL);
	OUT("race_fd_sent=%d", reached);

	/*
	 * 2. the msghdr: another process flips its name between none (the
	 * socket's peer, a guest socket) and the host path.
	 */
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		DIE("mmap");
	sh->a = a;
	strcpy(sh->data, "ESCAPE-mem");
	sh->iov.iov_base = sh->data;
	sh->iov.iov_len = strlen(sh->data);
	sh->m.msg_iov = &sh->iov;
	sh->m.msg_iovlen = 1;
	memset(&g, 0, sizeof(g));
	g.sun_family = AF_UNIX;
	glen = SUN_OFF + 1 + snprintf(g.sun_path + 1, sizeof(g.sun_path) - 1,
				      "unixsock-race-%d", (int)getpid());
	gs = xsocket(SOCK_DGRAM);
	x = xsocket(SOCK_DGRAM);
	if (bind(gs, (struct sockaddr *)&g, glen) ||
	    connect(x, (struct sockaddr *)&g, glen))
		DIE("race peer");
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		struct msghdr *volatile_m = &sh->m;

		for (;;) {
			*(void *volatile *)&volatile_m->msg_name = &sh->a;
			*(volatile socklen_t *)&volatile_m->msg_namelen = len;
			*(void *volatile *)&volatile_m->msg_name = NULL;
			*(volatile socklen_t *)&volatile_m->msg_namelen = 0;
		}
	}
	reached = 0;
	for (int i = 0; i < RACE_ROUNDS / 10; i++) {
		char buf[16];

		if (sendmsg(x, &sh->m, MSG_DONTWAIT) >= 0)
			reached++;
		while (recv(gs, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	kill(pid, SIGKILL);
	wait_child(pid);
	OUT("race_mem_sent=%d", reached);
	return prog_exit();
}

static int mode_serve(const char *path, int secs)
{
	char dpath[256];
	int ls, ds;

	snprintf(dpath, sizeof(dpath), "%s.dgram", path);
	unlink(path);
	unlink(dpath);
	ls = xsocket(SOCK_STREAM | SOCK_NONBLOCK);
	ds = xsocket(SOCK_DGRAM);
	if (bind_path(ls, path) || listen(ls, 16) || bind_path(ds, dpath))
		DIE("serve %s", path);
	OUT("serving=%s", path);
	for (int i = 0; i < secs * 10; i++) {
		int s = accept(ls, NULL, NULL);

		char buf[64];
		ssize_t n;

		if (s >= 0) {
			xwrite(s, "HOST-SECRET\n");
			close(s);
			OUT("host_accepted=1");
		}
		while ((n = recv(ds, buf, sizeof(buf) - 1, MSG_DONTWAIT)) >= 0) {
			buf[n] = '\0';
			OUT("host_dgram=%s", buf);
		}
		usleep(100000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(mode, "abstract"))
		return mode_abstract();
	if (!strcmp(mode, "tcp"))
		return mode_tcp();
	if (!arg) {
		fprintf(stderr, "usage: unixsock MODE ARG\n");
		return 2;
	}
	if (!strcmp(mode, "stream"))
		return mode_stream(arg);
	if (!strcmp(mode, "dgram"))
		return mode_dgram(arg);
	if (!strcmp(mode, "long"))
		return mode_long(arg);
	if (!strcmp(mode, "errors"))
		return mode_errors(arg);
	if (!strcmp(mode, "nonblock"))
		return mode_nonblock(arg);
	if (!strcmp(mode, "threads"))
		return mode_threads(arg);
	if (!strcmp(mode, "many"))
		return mode_many(arg);
	if (!strcmp(mode, "backlog"))
		return mode_backlog(arg);
	if (!strcmp(mode, "peerpidfd"))
		return mode_peerpidfd(arg);
	if (!strcmp(mode, "msg"))
		return mode_msg(arg);
	if (!strcmp(mode, "msgrace"))
		return mode_msgrace(arg);
	if (!strcmp(mode, "connect")) {
		int s = xsocket(SOCK_STREAM);

		OUT("connect=%s", res(connect_path(s, arg)));
		OUT("peer=%s", name_of(s, true));
		return 0;
	}
	if (!strcmp(mode, "send")) {
		struct sockaddr_un a;
		socklen_t len = mkaddr(&a, arg);
		int s = xsocket(SOCK_DGRAM);

		OUT("send=%s", res(sendto(s, "x", 1, 0, (struct sockaddr *)&a, len) < 0 ?
				   -1 : 0));
		return 0;
	}
	if (!strcmp(mode, "bind")) {
		int s = xsocket(SOCK_STREAM);

		OUT("bind=%s", res(bind_path(s, arg)));
		return 0;
	}
	if (!strcmp(mode, "serve"))
		return mode_serve(arg, argc > 3 ? atoi(argv[3]) : 10);
	fprintf(stderr, "unixsock: unknown mode %s\n", mode);
	return 2;
}
