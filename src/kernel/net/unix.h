/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_UNIX sockets in guest terms, across net/unix.c (the guest's socket,
 * paths and the calls with an address), net/unix_addr.c (addresses and the
 * names the monitor bound), net/unix_helper.c (the helper process that
 * connects and sends) and net/unix_sendmsg.c (sendmsg and sendmmsg).  Why
 * they work as they do: net/unix.c's header.
 */
#ifndef UMBRA_NET_UNIX_H
#define UMBRA_NET_UNIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include "kernel/syscalls.h"

#define SUN_OFF		((socklen_t)offsetof(struct sockaddr_un, sun_path))
#define SUN_MAX		((socklen_t)sizeof(struct sockaddr_un))
#define SUN_PATH_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path))

#define STREAM_CHUNK	(256 << 10)	/* sendto on a stream socket, per call */
#define DGRAM_MAX	(8 << 20)	/* sendto of one datagram, recvfrom */

/* The guest's socket, as the monitor's own fd (net/unix.c). */
struct usock {
	int fd;			/* the monitor's dup of the guest's socket */
	int domain, type;
	int fl;			/* file status flags of the open socket */
	pid_t caller;		/* the guest process the call is made for */
};

/*
 * A send a worker waits for, as a blocking send does: a receiver that is
 * full gives no wake-up we can wait on (poll on the sender says nothing of
 * it), so the send is tried again after naps of 1 ms growing to 20 ms,
 * until it goes, SO_SNDTIMEO passes (deadline, 0: none), or a signal
 * interrupts a nap (-EINTR).
 */
struct send_wait {
	uint64_t deadline;
	long nap_ms;
};

/* One call the helper process makes (net/unix_helper.c). */
struct helper_call {
	long nr, a[6];
	pid_t caller;			/* the guest process it stands for */
	const int *keep;		/* fds the helper keeps, ascending */
	int nkeep;
	pid_t *const *self_pid;		/* set to the helper's pid first */
	int nself;
	volatile long ret;		/* written by the helper */
};

/* A socket address, the guest's or the host's, with its length. */
struct uaddr {
	union {
		struct sockaddr_storage ss;
		struct sockaddr_un sun;
		struct sockaddr sa;
	};
	socklen_t len;
};

/* A name the monitor bound for the guest (net/unix_addr.c). */
struct uname {
	struct uname *next;
	char host[SUN_PATH_MAX];	/* what the host reports */
	char guest[SUN_MAX];		/* what the guest bound, as it said it */
	char *gpath;			/* canonical guest path of the file */
	dev_t dev;			/* the socket file */
	ino_t ino;
};

/* net/unix.c */
long sock_type(struct usock *s);
long sock_take(struct trap *t, int gfd, struct usock *s, bool all);
long sock_get(struct trap *t, int gfd, struct usock *s);
void sock_put(struct usock *s);
void nb_on(const struct usock *s);
void nb_off(const struct usock *s);
bool sock_blocking(const struct usock *s);
bool readable(int fd);
void send_wait_init(struct send_wait *w, int fd);
long send_wait_nap(struct send_wait *w);
long name_reopen(const struct uname *e);
long target_open(struct trap *t, const char *path);
void send_sigpipe(const struct usock *s, int flags, long ret,
		  pid_t tgid, pid_t tid);

/* net/unix_addr.c */
bool addr_abstract(const struct uaddr *a);
long abstract_to_host(struct uaddr *a);
void abstract_to_guest(struct uaddr *a);
long addr_copy(struct trap *t, uint64_t addr, uint64_t len,
	       struct uaddr *a);
bool addr_path(const struct uaddr *a, char path[SUN_MAX]);
void addr_set_path(struct uaddr *a, const char *path);
void addr_proc(struct uaddr *a, int fd, const char *name);
long put_addr(struct trap *t, uint64_t uaddr, uint64_t ulenp,
	      const struct uaddr *a);
struct uname *names_find(const char *host);
void names_add(const char *host, const char *guest, const char *gpath,
	       const struct stat *st);
void addr_to_guest(struct trap *t, const struct uaddr *h,
		   struct uaddr *g, socklen_t unnamed_len);
unsigned int names_next_seq(void);

/* net/unix_helper.c */
void keep_sort(int *keep, int n);
long helper_run(struct helper_call *c);
void helper_keep2(struct helper_call *c, int keep[2], int sfd, int fd);
long host_connect(const struct usock *s, const struct sockaddr *sa,
		  socklen_t len, int keep);
long host_sendto(const struct usock *s, const void *buf, size_t n,
		 int flags, const struct sockaddr *sa, socklen_t len,
		 int keep);

#endif
