// SPDX-License-Identifier: GPL-2.0
/*
 * seclisten: a guest filter that hands getppid to a listener of its own,
 * which answers SECCOMP_USER_NOTIF_FLAG_CONTINUE: the call would then run
 * on the host, past umbra's emulation, and say the host's parent pid.
 * Prints `listener=` (0 or the errno of the install) and, when there is a
 * listener, `ppid=` as the continued call returned it.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "prog.h"

static int listener = -1;

static void *answer(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req))
		return NULL;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return NULL;
}

int main(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = code };
	pthread_t th;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		DIE("no_new_privs");
	listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	printf("listener=%s\n", listener < 0 ? errname(errno) : "0");
	fflush(stdout);
	if (listener < 0)
		return 0;
	pthread_create(&th, NULL, answer, NULL);
	printf("ppid=%ld\n", (long)syscall(SYS_getppid));
	pthread_join(th, NULL);
	return 0;
}
