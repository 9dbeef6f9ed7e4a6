/*
 * net MODE [ARG...] — what of the network a guest reaches.
 *
 *   families         socket() of each family a network-less guest must not
 *                    have, and of AF_UNIX: `inet=ERRNO` (0 if it worked),
 *                    `inet6=`, `packet=`, `netlink_route=`, `netlink_audit=`,
 *                    `udp=`, `netlink_uevent=`, `vsock=`, `unix=`,
 *                    `unix_pair=`, `inet_pair=` (socketpair),
 *                    `inet_garbage=` (AF_INET with a bit set above the int)
 *   serve FILE TEXT  (host side) listen on 127.0.0.1, an ephemeral port,
 *                    write the port to FILE, answer one connection with
 *                    TEXT, then exit
 *   connect PORT     TCP to 127.0.0.1:PORT: `connect=ERRNO`, `data=`
 */
#include "prog.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static const char *try_socket(long family, int type, int protocol)
{
	long fd = syscall(SYS_socket, family, type, protocol);

	if (fd < 0)
		return errname(errno);
	close((int)fd);
	return "0";
}

static const char *try_pair(int family, int type)
{
	int sv[2];

	if (socketpair(family, type, 0, sv))
		return errname(errno);
	close(sv[0]);
	close(sv[1]);
	return "0";
}

static int families(void)
{
	OUT("inet=%s", try_socket(AF_INET, SOCK_STREAM, 0));
	OUT("inet6=%s", try_socket(AF_INET6, SOCK_STREAM, 0));
	OUT("udp=%s", try_socket(AF_INET, SOCK_DGRAM, 0));
	OUT("packet=%s", try_socket(AF_PACKET, SOCK_DGRAM, 0));
	OUT("netlink_route=%s", try_socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	OUT("netlink_audit=%s", try_socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT));
	OUT("netlink_uevent=%s", try_socket(AF_NETLINK, SOCK_DGRAM,
					    NETLINK_KOBJECT_UEVENT));
	OUT("vsock=%s", try_socket(AF_VSOCK, SOCK_STREAM, 0));
	OUT("unix=%s", try_socket(AF_UNIX, SOCK_STREAM, 0));
	OUT("unix_pair=%s", try_pair(AF_UNIX, SOCK_STREAM));
	OUT("inet_pair=%s", try_pair(AF_INET, SOCK_STREAM));
	/* the kernel reads an int: this is AF_INET to it */
	OUT("inet_garbage=%s", try_socket(0x100000000L | AF_INET, SOCK_STREAM, 0));
	return prog_exit();
}

static int serve(const char *file, const char *text)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), c;
	FILE *f;

	if (s < 0 || bind(s, (void *)&a, sizeof(a)) || listen(s, 1) ||
	    getsockname(s, (void *)&a, &len))
		DIE("listen");
	f = fopen(file, "w");
	if (!f || fprintf(f, "%d\n", ntohs(a.sin_port)) < 0 || fclose(f))
		DIE("%s", file);
	c = accept(s, NULL, NULL);
	if (c < 0)
		DIE("accept");
	if (write(c, text, strlen(text)) < 0)
		DIE("write");
	close(c);
	return 0;
}

static int connect_to(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char buf[256];
	int s = socket(AF_INET, SOCK_STREAM, 0);
	ssize_t n;

	if (s < 0) {
		OUT("connect=%s", errname(errno));
		return prog_exit();
	}
	if (connect(s, (void *)&a, sizeof(a))) {
		OUT("connect=%s", errname(errno));
		return prog_exit();
	}
	OUT("connect=0");
	n = read(s, buf, sizeof(buf) - 1);
	OUT("data=%.*s", n > 0 ? (int)n : 0, buf);
	return prog_exit();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "families"))
		return families();
	if (!strcmp(mode, "serve") && argc > 3)
		return serve(argv[2], argv[3]);
	if (!strcmp(mode, "connect") && argc > 2)
		return connect_to(atoi(argv[2]));
	fprintf(stderr, "usage: net families | serve FILE TEXT | connect PORT\n");
	return 2;
}
