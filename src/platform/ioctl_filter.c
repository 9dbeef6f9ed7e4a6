// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl commands the guest may make natively, whatever the fd: the
 * terminal settings programs read and write at every start, fd flags,
 * socket and file queries.  Every other command stops (a ptrace stop) so
 * that the kernel can look at the fd first: on a socket, a terminal or a
 * pidfd an unknown command is refused (kernel/pidinfo.c), since it may
 * name a process (TIOCSIG signals a pty's foreground group), switch the
 * host's console (VT_ACTIVATE, KDSETMODE) or change a host interface.
 *
 * libseccomp cannot say "allow these values, stop the rest" for one
 * syscall, so this is a small filter of its own, in plain BPF: one
 * comparison per command, and a constant ALLOW for every other syscall,
 * which the kernel's action cache answers without running it.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "platform/filter.h"

static const unsigned int harmless[] = {
	/* fd flags and queue sizes */
	0x5451 /* FIOCLEX */, 0x5450 /* FIONCLEX */, 0x5421 /* FIONBIO */,
	0x5452 /* FIOASYNC */, 0x541B /* FIONREAD, TIOCINQ, SIOCINQ */,
	0x5460 /* FIOQSIZE */, 0x5411 /* TIOCOUTQ, SIOCOUTQ */,
	/* termios and window size */
	0x5401 /* TCGETS */, 0x5402 /* TCSETS */, 0x5403 /* TCSETSW */,
	0x5404 /* TCSETSF */, 0x5405 /* TCGETA */, 0x5406 /* TCSETA */,
	0x5407 /* TCSETAW */, 0x5408 /* TCSETAF */, 0x5409 /* TCSBRK */,
	0x540A /* TCXONC */, 0x540B /* TCFLSH */, 0x5425 /* TCSBRKP */,
	0x802c542a /* TCGETS2 */, 0x402c542b /* TCSETS2 */,
	0x402c542c /* TCSETSW2 */, 0x402c542d /* TCSETSF2 */,
	0x5413 /* TIOCGWINSZ */, 0x5414 /* TIOCSWINSZ */,
	0x5415 /* TIOCMGET */, 0x5424 /* TIOCGETD */, 0x5420 /* TIOCPKT */,
	0x80045438 /* TIOCGPKT */, 0x540C /* TIOCEXCL */, 0x540D /* TIOCNXCL */,
	0x80045440 /* TIOCGEXCL */, 0x540E /* TIOCSCTTY */,
	0x5422 /* TIOCNOTTY */, 0x5427 /* TIOCSBRK */, 0x5428 /* TIOCCBRK */,
	/* pseudo-terminals of the guest's own */
	0x80045430 /* TIOCGPTN */, 0x40045431 /* TIOCSPTLCK */,
	0x80045439 /* TIOCGPTLCK */, 0x5441 /* TIOCGPTPEER */,
	0x80045432 /* TIOCGDEV */,
	/* sockets: queries */
	0x8905 /* SIOCATMARK */, 0x8906 /* SIOCGSTAMP */,
	0x8907 /* SIOCGSTAMPNS */, 0x894B /* SIOCOUTQNSD */,
	0x8910 /* SIOCGIFNAME */, 0x8912 /* SIOCGIFCONF */,
	0x8913 /* SIOCGIFFLAGS */, 0x8915 /* SIOCGIFADDR */,
	0x8917 /* SIOCGIFDSTADDR */, 0x8919 /* SIOCGIFBRDADDR */,
	0x891b /* SIOCGIFNETMASK */, 0x891d /* SIOCGIFMETRIC */,
	0x8921 /* SIOCGIFMTU */, 0x8927 /* SIOCGIFHWADDR */,
	0x8933 /* SIOCGIFINDEX */, 0x8942 /* SIOCGIFTXQLEN */,
	/* files */
	0x80086601 /* FS_IOC_GETFLAGS */, 0x80087601 /* FS_IOC_GETVERSION */,
	0x801c581f /* FS_IOC_FSGETXATTR */, 0x2 /* FIGETBSZ */,
	0x40049409 /* FICLONE */, 0x4020940d /* FICLONERANGE */,
	0xc0189436 /* FIDEDUPERANGE */, 0xc020660b /* FS_IOC_FIEMAP */,
	0x80081272 /* BLKGETSIZE64 */, 0x1268 /* BLKSSZGET */,
	0x80045200 /* RNDGETENTCNT */,
};

#define NHARMLESS (sizeof(harmless) / sizeof(harmless[0]))

/* arch, nr, arg1, the comparisons, TRACE, ALLOW */
#define PROG_LEN	(7 + NHARMLESS)

static void build(struct sock_filter *f)
{
	unsigned int n = 0, allow = 6 + NHARMLESS;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch));
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			AUDIT_ARCH_X86_64, 0, allow - n - 1);
	n++;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
	f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			__NR_ioctl, 0, allow - n - 1);
	n++;
	/* the command is an int: its low 32 bits (little-endian) */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, args[1]));
	for (unsigned int i = 0; i < NHARMLESS; i++, n++)
		f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
				harmless[i], allow - n - 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_TRACE | UMBRA_TRACE_DATA);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_ALLOW);
}

int install_ioctl_filter(void)
{
	struct sock_filter f[PROG_LEN];
	struct sock_fprog prog = { .len = PROG_LEN, .filter = f };

	build(f);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return -errno;
	return 0;
}

/* The same program, for the monitor's copy (filter.c). */
struct sock_filter *ioctl_filter_prog(unsigned short *len)
{
	struct sock_filter *f = malloc(PROG_LEN * sizeof(*f));

	*len = 0;
	if (!f)
		return NULL;
	build(f);
	*len = PROG_LEN;
	return f;
}
