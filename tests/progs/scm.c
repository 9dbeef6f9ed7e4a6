/*
 * SCM_CREDENTIALS as a receiver with SO_PASSCRED reads them
 * (tests/integration/pidinfo.sh, test_scm_credentials): a child sends
 * on a socketpair (`stream` or `dgram`), once plainly (the host attaches
 * its credentials) and once with its own SCM_CREDENTIALS; the parent
 * reads the first with recvmsg and the second with recvmmsg, a byte at
 * a time (`stream thread`, `dgram thread`: in a thread made before the
 * option was set).  Prints `recvmsg_pid=child`, `recvmmsg_pid=child`
 * (else the number) and `recvmsg_uid=same`.
 *
 * `peercred DIR`: a child connects to a socket bound at DIR/s; the
 * server's SO_PEERCRED of the accepted connection: `peercred_pid=child`.
 */
#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "prog.h"

static void send_creds(int fd, bool explicit)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} u;
	struct ucred uc = { getpid(), getuid(), getgid() };
	struct iovec io = { "x", 1 };
	struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1 };

	if (explicit) {
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_CREDENTIALS;
		u.h.cmsg_len = CMSG_LEN(sizeof(uc));
		memcpy(CMSG_DATA(&u.h), &uc, sizeof(uc));
	}
	if (sendmsg(fd, &mh, 0) != 1)
		DIE("sendmsg");
}

static void show(const char *how, struct msghdr *mh, pid_t c)
{
	struct cmsghdr *h = CMSG_FIRSTHDR(mh);
	struct ucred uc;

	if (!h || h->cmsg_type != SCM_CREDENTIALS)
		DIE("%s: no credentials", how);
	memcpy(&uc, CMSG_DATA(h), sizeof(uc));
	if (uc.pid == c)
		OUT("%s_pid=child", how);
	else
		OUT("%s_pid=%d", how, (int)uc.pid);
	OUT("%s_uid=%s", how, uc.uid == getuid() ? "same" : "other");
}

static int peercred(const char *dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int ls, s, st;
	pid_t c;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", dir);
	ls = socket(AF_UNIX, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(ls, 1))
		DIE("listen");
	c = fork();
	if (c < 0)
		DIE("fork");
	if (!c) {
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		_exit(connect(s, (struct sockaddr *)&sa, sizeof(sa)) ? 1 : 0);
	}
	s = accept(ls, NULL, NULL);
	if (s < 0 || getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &len))
		DIE("accept");
	if (uc.pid == c)
		OUT("peercred_pid=child");
	else
		OUT("peercred_pid=%d", (int)uc.pid);
	waitpid(c, &st, 0);
	return !WIFEXITED(st) || WEXITSTATUS(st);
}

static int sv[2], go[2];
static pid_t child;

/* The receiving side: the main thread, or one made before SO_PASSCRED. */
static void *receive(void *arg)
{
	char data[1], cbuf[CMSG_SPACE(sizeof(struct ucred))], c;
	struct iovec io = { data, sizeof(data) };
	struct mmsghdr mm = { .msg_hdr = { .msg_iov = &io, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf) } };

	if (read(go[0], &c, 1) != 1)
		DIE("go");
	if (recvmsg(sv[0], &mm.msg_hdr, 0) != 1)
		DIE("recvmsg");
	show("recvmsg", &mm.msg_hdr, child);
	mm.msg_hdr.msg_controllen = sizeof(cbuf);
	if (recvmmsg(sv[0], &mm, 1, 0, NULL) != 1)
		DIE("recvmmsg");
	show("recvmmsg", &mm.msg_hdr, child);
	return arg;
}

int main(int argc, char **argv)
{
	bool stream = argc > 1 && !strcmp(argv[1], "stream");
	bool thread = argc > 2 && !strcmp(argv[2], "thread");
	int on = 1, st;
	pthread_t th;

	if (argc > 2 && !strcmp(argv[1], "peercred"))
		return peercred(argv[2]);
	if (pipe(go) || (thread && pthread_create(&th, NULL, receive, NULL)))
		DIE("pipe");
	if (socketpair(AF_UNIX, stream ? SOCK_STREAM : SOCK_DGRAM, 0, sv) ||
	    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)))
		DIE("socketpair");
	child = fork();
	if (child < 0)
		DIE("fork");
	if (!child) {
		send_creds(sv[1], false);
		send_creds(sv[1], true);
		_exit(0);
	}
	if (write(go[1], "g", 1) != 1)
		DIE("go");
	if (thread)
		pthread_join(th, NULL);
	else
		receive(NULL);
	waitpid(child, &st, 0);
	return prog_failures || !WIFEXITED(st) || WEXITSTATUS(st);
}
