/*
 * fuzz — a system call fuzzer that runs inside the guest.
 *
 *   fuzz [-s SEED] [-t SECONDS] [-j CHILDREN] [-n CALLS] [-d DIR]
 *        [-b BATCH [-v]] [-x NAME,...] [-o NAME,...] [-w SECONDS] [-k]
 *
 * The parent forks one child per batch (at most CHILDREN at a time, each
 * killed after 5 s); a child makes CALLS system calls with adversarial
 * arguments and exits.  A child that crashes, is killed by a signal it sent
 * itself or hangs costs one batch, never the run: the monitor is what is
 * under test, the guest may die as it likes.  Batch B uses seed
 * mix(SEED, B), so `fuzz -s SEED -b B -v` replays batch B alone, printing
 * each call before making it, on stderr (the state the earlier batches left
 * in DIR may differ).  -x leaves syscalls out, -o keeps only these.
 * Prints `seed=`, `ready`, then after the run `batches=`, `died_of_N=`
 * (batches a signal N ended, their own doing), `idle` and `done`; with -w
 * it waits SECONDS after `ready` and after `idle`, all children gone.
 * FUZZ_DEBUG=1 in the environment logs each batch's pid, reap and kill.
 *
 * The calls are mostly the ones the monitor emulates (the NOTIFY* and
 * TRACE* classes of src/kernel/syscalls.def, which this file includes, so
 * that the mix follows the monitor's table), with arguments typed by the
 * table's format: paths from a pool (fixtures, .., /proc/self/fd/N, 4096
 * bytes, 10 MB, unterminated, ending at a PROT_NONE page), pids, signals,
 * fds of every kind, sockaddrs of every length and family, msghdrs, clone3
 * and open_how structs; some are buffers a sibling thread rewrites in a
 * tight loop.  A fifth are native calls the monitor watches some commands
 * of (fcntl, ioctl, setsockopt, getsockopt, prctl, close, dup2...) or a
 * random number, x32 and out-of-range ones included.
 *
 * What is never made, because it would end the fuzzer or reach beyond the
 * guest rather than test the monitor: exit and exit_group (but from a
 * clone's child), rt_sigreturn, the memory-map calls, fatal signals to
 * anything but the child itself (kill -1, the parent, its group),
 * process_vm_writev and prlimit's set to another process, realtime
 * scheduling, setpriority/ioprio_set for a whole user (PRIO_USER reaches
 * every host process of the user: finding 1 below), connections beyond
 * the loopback, raw, packet and (as root) netlink sockets.
 *
 * Findings (docs/decisions.md, "A syscall fuzzer"), all fixed since; -k
 * still steers clear of 2-5 to reproduce an old run, the harness no longer
 * passes it:
 *  1. setpriority(PRIO_USER, uid, n) and ioprio_set(IOPRIO_WHO_USER, ..)
 *     run natively (kernel/sys.c, xlate_prio_who and xlate_ioprio_who pass
 *     "which" 2/3 through): a guest renices or re-ioprios every host
 *     process of its user.  Never fuzzed (it would renice the host's).
 *     As uid 65534, a host `sleep` of that user goes from nice 0 to 7:
 *       umbra run -- /usr/bin/renice -n 7 -u 65534
 *  2. wait4(INT_MIN, ...): -INT_MIN, UBSan in kernel/exit.c sys_wait4.
 *  3. kill(INT_MIN, sig != 0): -INT_MIN, UBSan in kernel/signal.c sys_kill.
 *  4. fcntl(fd, F_SETOWN, INT_MIN): -INT_MIN, UBSan in kernel/pidinfo.c
 *     sys_fcntl.  2-4 under build/asan/umbra, e.g.
 *       syscall(SYS_kill, INT_MIN, SIGCONT);
 *       syscall(SYS_wait4, INT_MIN, 0, WNOHANG, 0);
 *       syscall(SYS_fcntl, 0, F_SETOWN, INT_MIN);
 *  5. wait4 or waitid with a bad status/infop/rusage pointer: the host
 *     reaps the child and returns EFAULT, the monitor does not see the
 *     reap (kernel/exit.c acts on a positive result only) and keeps the
 *     task: its fds, its memory and a --pids slot, for good.  With
 *     --pids 20, a loop of fork(); child _exit(0); parent
 *     syscall(SYS_wait4, pid, (void *)1, 0, 0) fails to fork after 19.
 * Fixed:
 *  6. A child whose creator was killed between making it and its clone
 *     event stayed stopped for good (platform/ptrace.c held_resolve()
 *     took the host's reparenting to init for init's own fork);
 *     regression test: fuzz/orphan_of_killed_creator (tests/progs/orphanfork).
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <sys/ipc.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/if_alg.h>

#define PAGE		4096UL
#define NR_MAX		512
#define BIG_PATH	(10UL << 20)
#define KILL_AFTER	5.0	/* seconds a batch may take */

/* ---- the monitor's table ---------------------------------------------- */

enum cls { C_NATIVE, C_NOTIFY, C_TRACE, C_REFUSE };

static struct sc {
	const char *name;
	const char *fmt;
	enum cls cls;
	bool skip;
} sc[NR_MAX];

#define CLS_NATIVE		C_NATIVE
#define CLS_NOTIFY		C_NOTIFY
#define CLS_NOTIFY_IF_ARG1	C_NOTIFY
#define CLS_NOTIFY_IF_ARG4	C_NOTIFY
#define CLS_TRACE		C_TRACE
#define CLS_TRACE_NOTIFY0_ARG1	C_TRACE
#define CLS_TRACE_NOTIFY0_ARG2	C_TRACE
#define CLS_TRACE_NATIVE0_ARG0	C_TRACE
#define CLS_TRACE_NATIVE0_ARG1	C_TRACE
#define CLS_REFUSE_ENOSYS	C_REFUSE
#define CLS_REFUSE_EPERM	C_REFUSE
#define CLS_REFUSE_EOPNOTSUPP	C_REFUSE
static void load_table(void)
{
#define SYSCALL(nr, nm, c, f) sc[nr] = (struct sc){ #nm, f, CLS_##c, false };
#include "../../src/kernel/syscalls.def"
#undef SYSCALL
}

/* Native calls whose commands the monitor watches, or that make fds. */
static const int native_watched[] = {
	__NR_fcntl, __NR_ioctl, __NR_setsockopt, __NR_getsockopt, __NR_prctl,
	__NR_close, __NR_dup2, __NR_dup3, __NR_socket, __NR_socketpair,
	__NR_recvmsg, __NR_getdents64, __NR_pidfd_send_signal,
	__NR_pidfd_getfd, __NR_close_range, __NR_listen, __NR_read,
	__NR_write, __NR_fchmod, __NR_fchown, __NR_fsetxattr,
	__NR_fremovexattr, __NR_fstat, __NR_lseek, __NR_fchdir,
};

/* Never: they end the fuzzer or unmap it (the child's own crash would
 * cost a batch for nothing), or they only test the host kernel. */
static const int never[] = {
	__NR_exit, __NR_exit_group, __NR_rt_sigreturn, __NR_mmap,
	__NR_munmap, __NR_mremap, __NR_mprotect, __NR_brk, __NR_madvise,
	__NR_mlock, __NR_mlock2, __NR_mlockall, __NR_remap_file_pages,
	__NR_pkey_mprotect, __NR_set_robust_list, __NR_rseq,
	__NR_arch_prctl, __NR_rt_sigaction, __NR_rt_sigprocmask,
	__NR_sigaltstack, __NR_setitimer, __NR_alarm, __NR_setrlimit,
	__NR_fallocate, __NR_sendfile, __NR_splice, __NR_copy_file_range,
	__NR_seccomp, __NR_shmdt, __NR_pause, __NR_munlockall,
	/* a guest root may now write its parent's memory, as on Linux: the
	 * fuzzer's children would rewrite the fuzzer (ptrace.sh tests these) */
	__NR_ptrace, __NR_process_vm_writev,
};

/* ---- randomness --------------------------------------------------------- */

static uint64_t rng;

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(void)
{
	rng = mix(rng);
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(int percent)
{
	return below(100) < (uint64_t)percent;
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* ---- raw calls ---------------------------------------------------------- */

/*
 * One system call, no libc in between.  A clone's child (rax 0 after
 * clone, clone3, fork, vfork) exits at once without touching memory: its
 * stack may be any address the fuzzer gave, and vfork's is the parent's.
 */
static long raw(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 asm("r10") = d;
	register long r8 asm("r8") = e;
	register long r9 asm("r9") = f;
	long ret;

	if (nr == __NR_clone || nr == __NR_clone3 || nr == __NR_fork ||
	    nr == __NR_vfork) {
		asm volatile("syscall\n\t"
			     "test %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "mov $60, %%eax\n\t"
			     "xor %%edi, %%edi\n\t"
			     "syscall\n"
			     "1:"
			     : "=a"(ret)
			     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10),
			       "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
		return ret;
	}
	asm volatile("syscall"
		     : "=a"(ret)
		     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
		       "r"(r9)
		     : "rcx", "r11", "memory");
	return ret;
}

/* ---- the batch's world -------------------------------------------------- */

static const char *dir = "/tmp/fuzz";
static char bdir[128];		/* this batch's scratch directory */
static bool verbose;
static int logfd = 2;
static bool am_root;

static int fds[64], nfds;
static int sockfds[32], nsockfds;
static int pidfd_self = -1, pidfd_helper = -1;
static pid_t self, helper, parent;
static volatile pid_t thread_tid;	/* set by the race thread */

static char *edge;		/* the last byte before a PROT_NONE page */
static char *bigpath;		/* 10 MB of path, NUL-terminated */
static char *bigpath_raw;	/* 10 MB without a NUL, then PROT_NONE */
static char *buf;		/* 64 KB of random bytes */
#define BUF_SIZE (64 << 10)

/* Buffers a sibling thread rewrites while the calls read them. */
struct racy {
	char path[512];
	struct sockaddr_un sun;
	char sun_pad[128];
	struct iovec iov[8];
	struct msghdr msg;
	char cmsg[256];
	struct { int type; pid_t pid; } owner;
	siginfo_t si;
	uint64_t clone_args[16];
	uint64_t how[4];
	char *argv[8];
};
static struct racy *race;
static atomic_int race_stop;

static const char *const fixed_paths[] = {
	"f", "d", "d/", "d/../f", "loop", "up", "up/etc/passwd", "fifo",
	"sock", "nonexistent", "link_f", "dangling", "exe.bad", "exe.loop",
	"x", "d/x", "", ".", "..", "/", "/..", "/../../..", "../../../../..",
	"/proc/self/fd/0", "/proc/self/fd/3", "/proc/self/fd/5",
	"/proc/self/fd/1000", "/proc/self/cwd", "/proc/self/root/..",
	"/proc/self/exe", "/proc/1/root", "/proc/self/fd/", "/proc/self",
	"/proc/thread-self", "/proc", "/dev/null", "/dev/shm", "/dev/fd/3",
	"/etc/passwd", "/tmp", "/tmp/fuzz", "/bin/sh", "//tmp//fuzz/./",
	"f/", "f/.", "f/..", "d/.//..//d", "\xff\xfe", "a\nb",
};

static void logf_(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void logf_(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (write(logfd, line, n) < 0)
		return;
}

/* ---- argument pools ----------------------------------------------------- */

static long bad_ptr(void)
{
	static const unsigned long p[] = {
		0, 1, 4095, 4096, 0xffffffffffffffffUL, 0xffffffff81000000UL,
		0xffff888000000000UL, 1UL << 47, (1UL << 47) - 1,
		0x7ffffffff000UL, 0x8000000000000000UL, 0xdeadbeef,
		(unsigned long)"read-only", (unsigned long)&sc[0],
	};
	return PICK(p);
}

static long any_int(void)
{
	static const long v[] = {
		0, 1, -1, 2, 3, 7, 8, 16, 64, 100, 108, 110, 111, 127, 128, 255,
		256, 4095, 4096, 4097, 65535, 65536, INT_MAX, INT_MIN,
		(long)INT_MIN - 1, UINT_MAX, LONG_MAX, LONG_MIN,
		0x80000000L, 0x7fffffffffffL, -4096, -100,
	};
	switch (below(4)) {
	case 0:
		return below(64);
	case 1:
		return rnd();
	default:
		return PICK(v);
	}
}

static long any_size(void)
{
	static const long v[] = {
		0, 1, 2, 15, 16, 24, 64, 108, 110, 112, 128, 200, 256, 4095,
		4096, 4097, 65536, 1 << 20, BIG_PATH, INT_MAX, -1, INT_MIN,
		LONG_MAX, LONG_MIN, (long)UINT_MAX, 1L << 32,
	};
	return chance(70) ? PICK(v) : (long)below(8192);
}

static long any_fd(void)
{
	static const long v[] = {
		-1, -100 /* AT_FDCWD */, INT_MIN, INT_MAX, 0, 1, 2, 1023, 1024,
		65535, 1L << 32, -2,
	};
	if (chance(75) && nfds)
		return fds[below(nfds)];
	if (chance(50))
		return below(200);
	return PICK(v);
}

static long any_sockfd(void)
{
	if (chance(85) && nsockfds)
		return sockfds[below(nsockfds)];
	return any_fd();
}

static long any_dirfd(void)
{
	return chance(50) ? -100 : any_fd();
}

/* A pid the calls may change or signal: the child's own things. */
static long own_pid(void)
{
	long v[] = { 0, self, helper, thread_tid, 99999, 4194304, INT_MAX,
		     INT_MIN, -99999, -(long)INT_MAX, (long)INT_MIN - 1,
		     1L << 32 | self, 0x7fffffff00000000L };
	return PICK(v);
}

static long any_pid(void)
{
	long v[] = { 1, parent, -1, -(long)self, -(long)parent, -1 - self };
	if (chance(70))
		return own_pid();
	if (chance(30))
		return below(400);
	return PICK(v);
}

/* The kernel (and the monitor) read a pid as an int: 1 << 32 is 0. */
static bool is_own_pid(long p)
{
	int v = (int)p;

	return (v > 0 && (v == self || v == helper || v == thread_tid)) ||
	       v > 4194303 || v < -4194303 || (v >= 99999 && v != parent);
}

static long any_sig(void)
{
	static const long v[] = {
		0, 0, SIGCHLD, SIGURG, SIGWINCH, SIGCONT, SIGALRM, SIGUSR1,
		SIGKILL, SIGSTOP, SIGTSTP, SIGSEGV, SIGTERM, 32, 33, 64, 65,
		-1, INT_MIN, 256,
	};
	return PICK(v);
}

static bool harmless_sig(long s)
{
	return s == 0 || s == SIGCHLD || s == SIGURG || s == SIGWINCH ||
	       s == SIGCONT || s == SIGALRM || (int)s != s || s < 0 ||
	       s > 64;
}

/* A string ending in the last byte before a PROT_NONE page: the NUL
 * there, or (unterminated) the last character there. */
static char *at_edge(const char *s, bool terminate)
{
	size_t n = strlen(s) + (terminate ? 1 : 0);
	char *p = edge + 1 - n;

	memcpy(p, s, n);
	return p;
}

static long any_path(void)
{
	static char made[8][4200];
	static int next;
	char *m;

	switch (below(20)) {
	case 0:
		return bad_ptr();
	case 1:
		return (long)at_edge(PICK(fixed_paths), chance(50));
	case 2:
		return (long)(chance(50) ? bigpath : bigpath_raw);
	case 3:
		return (long)(bigpath + BIG_PATH - 1 - below(8192));
	case 4: case 5: case 6:
		return (long)race->path;
	case 7:
		m = made[next++ % 8];
		snprintf(m, 4200, "/proc/self/fd/%ld%s", (long)below(40),
			 chance(50) ? "" : PICK(fixed_paths));
		return (long)m;
	case 8: {
		/* PATH_MAX and one more, and NAME_MAX names */
		size_t n = PICK(((size_t[]){ 255, 256, 4094, 4095, 4096, 4097 }));

		m = made[next++ % 8];
		memset(m, chance(50) ? 'a' : '/', n);
		if (chance(50))
			for (size_t i = 3; i < n; i += 4)
				m[i] = '/';
		m[n] = 0;
		return (long)m;
	}
	case 9:
		m = made[next++ % 8];
		snprintf(m, 4200, "%s/%s", bdir, PICK(fixed_paths));
		return (long)m;
	default:
		return (long)PICK(fixed_paths);
	}
}

/* A sockaddr of any length and family, never leaving the loopback. */
static long any_sockaddr(long *len)
{
	static char sa[4][256];
	static int next;
	char *p = sa[next++ % 4];
	unsigned short fam;

	*len = chance(60) ? (long)below(201) : any_size();
	switch (below(10)) {
	case 0:
		*len = any_size();
		return bad_ptr();
	case 1: case 2: case 3:
		*len = chance(50) ? (long)sizeof(race->sun) : *len;
		return (long)&race->sun;
	case 4:
		/* ending at the PROT_NONE page */
		return (long)(edge + 1 - below(112));
	default:
		break;
	}
	for (int i = 0; i < 256; i++)
		p[i] = rnd();
	fam = PICK(((unsigned short[]){ AF_UNIX, AF_UNIX, AF_UNIX, AF_INET,
		AF_INET6, AF_UNSPEC, AF_NETLINK, AF_PACKET, AF_ALG, AF_VSOCK,
		255, 0xffff }));
	memcpy(p, &fam, 2);
	if (fam == AF_UNIX) {
		const char *s = chance(20) ? "" : PICK(fixed_paths);

		if (chance(30))
			p[2] = 0;	/* abstract */
		else if (chance(60))
			snprintf(p + 2, 254, "%.120s%s%.120s", chance(50) ? bdir : "",
				 chance(50) ? "/" : "", s);
	} else if (fam == AF_INET) {
		struct sockaddr_in *in = (void *)p;

		in->sin_addr.s_addr = htonl(chance(50) ? INADDR_LOOPBACK : 0);
		in->sin_port = htons(40000 + below(64));
	} else if (fam == AF_INET6) {
		struct sockaddr_in6 *in6 = (void *)p;

		in6->sin6_addr = chance(50) ? in6addr_loopback : in6addr_any;
		in6->sin6_port = htons(40000 + below(64));
		in6->sin6_scope_id = chance(80) ? 0 : rnd();
	}
	return (long)p;
}

/* Random bytes whose first two (a sockaddr family) are never an inet one. */
static long any_buf(void)
{
	long p;

	switch (below(12)) {
	case 0: case 1:
		return bad_ptr();
	case 2: case 3:
		return (long)(edge + 1 - PICK(((long[]){ 0, 1, 2, 4, 8, 16, 24,
			64, 108, 128, 4096 })));
	case 4:
		return (long)PICK(((void *[]){ race->path, &race->sun,
			race->iov, &race->msg, &race->owner, &race->si,
			race->clone_args, race->how, race->argv }));
	default:
		p = (long)(buf + below(BUF_SIZE - 4096));
		if (((char *)p)[0] == AF_INET || ((char *)p)[0] == AF_INET6)
			((char *)p)[0] = AF_UNIX;
		((char *)p)[1] = 0;
		return p;
	}
}

static void fill_iov(struct iovec *iov, int n)
{
	for (int i = 0; i < n; i++) {
		iov[i].iov_base = chance(80) ? buf + below(BUF_SIZE / 2) :
					       (void *)bad_ptr();
		iov[i].iov_len = chance(80) ? below(512) : (size_t)any_size();
	}
}

static bool msghdr_ours;	/* any_msghdr() made a msghdr we can read */

static long any_msghdr(void)
{
	static struct msghdr m[4];
	static struct iovec iov[4][8];
	static char ctl[4][256];
	static int next;
	int k = next++ % 4;
	struct msghdr *h = &m[k];
	long len;

	msghdr_ours = true;
	if (chance(30))
		return (long)&race->msg;
	msghdr_ours = false;
	if (chance(10))
		return chance(50) ? bad_ptr() : (long)(edge + 1 - below(56));
	msghdr_ours = true;
	memset(h, 0, sizeof(*h));
	if (chance(60)) {
		h->msg_name = (void *)any_sockaddr(&len);
		h->msg_namelen = len;
	}
	fill_iov(iov[k], 8);
	h->msg_iov = chance(90) ? iov[k] : (void *)bad_ptr();
	h->msg_iovlen = chance(80) ? below(9) : (size_t)any_size();
	if (chance(50)) {
		struct cmsghdr *c = (void *)ctl[k];

		for (int i = 0; i < 256; i++)
			ctl[k][i] = rnd();
		c->cmsg_level = chance(80) ? SOL_SOCKET : (int)rnd();
		c->cmsg_type = PICK(((int[]){ SCM_RIGHTS, SCM_CREDENTIALS,
			SCM_CREDENTIALS, 4 /* SCM_PIDFD */, 77, -1 }));
		c->cmsg_len = chance(70) ? CMSG_LEN(PICK(((int[]){ 0, 4, 8, 12,
			16, 20 }))) : (size_t)any_size();
		if (c->cmsg_type == SCM_RIGHTS)
			for (int i = 0; i < 4; i++)
				((int *)CMSG_DATA(c))[i] = any_fd();
		if (c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred *u = (void *)CMSG_DATA(c);

			u->pid = any_pid();
			u->uid = chance(50) ? getuid() : rnd();
			u->gid = chance(50) ? getgid() : rnd();
		}
		h->msg_control = c;
		h->msg_controllen = chance(80) ? CMSG_SPACE(below(24)) :
						 (size_t)any_size();
	}
	return (long)h;
}

static long any_flags(void)
{
	switch (below(6)) {
	case 0:
		return 0;
	case 1:
		return rnd();
	case 2:
		return -1;
	default:
		return rnd() & (rnd() | rnd()) & 0xffffffff;
	}
}

static long open_flags(void)
{
	static const long f[] = {
		O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND,
		O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_TMPFILE,
		O_CLOEXEC, O_NOCTTY, O_SYNC, O_NOATIME, O_LARGEFILE, 3,
	};
	long v = 0;

	if (chance(10))
		return any_flags();
	for (int n = below(4); n >= 0; n--)
		v |= PICK(f);
	return v;
}

/* ---- the race thread ---------------------------------------------------- */

static void *racer(void *arg)
{
	static const char *const paths[] = {
		"f", "/../../../../../etc/shadow", "/proc/self/fd/3", "up/..",
		"d/../../../../..", "/proc/self/root/../../", "loop",
	};
	uint64_t r = (uint64_t)(uintptr_t)arg;
	unsigned int i = 0;

	thread_tid = syscall(SYS_gettid);
	while (!atomic_load_explicit(&race_stop, memory_order_relaxed)) {
		r = mix(r);
		i++;
		/* the path: another string, or no NUL in 512 bytes */
		if (r & 1)
			strcpy(race->path, paths[(r >> 8) % 7]);
		else if ((r & 0x3e) == 0)
			memset(race->path, 'A', sizeof(race->path));
		/* the sockaddr: another name, abstract, or no NUL at all */
		race->sun.sun_family = r & 0x300 ? AF_UNIX : (r >> 16);
		if (race->sun.sun_family == AF_INET ||
		    race->sun.sun_family == AF_INET6)
			race->sun.sun_family = AF_UNIX;
		switch ((r >> 10) & 3) {
		case 0:
			strcpy(race->sun.sun_path, "sock");
			break;
		case 1:
			race->sun.sun_path[0] = 0;
			break;
		case 2:
			memset(race->sun.sun_path, 'S', sizeof(race->sun.sun_path));
			break;
		default:
			strcpy(race->sun.sun_path, paths[(r >> 20) % 7]);
		}
		/* the iovecs, the msghdr, its control data */
		race->iov[(r >> 24) & 7].iov_len = (r >> 28) & 1 ? 16 : r >> 32;
		race->iov[(r >> 29) & 7].iov_base = (r >> 33) & 1 ?
			race->path : (void *)(r >> 40);
		race->msg.msg_namelen = (r >> 34) & 1 ? sizeof(race->sun) :
					(socklen_t)(r >> 35);
		race->msg.msg_iovlen = (r >> 36) & 1 ? 2 : r >> 56;
		race->msg.msg_controllen = (r >> 37) & 1 ? 32 : r >> 50;
		((struct cmsghdr *)race->cmsg)->cmsg_len = (r >> 38) & 1 ?
			CMSG_LEN(12) : r >> 44;
		((struct cmsghdr *)race->cmsg)->cmsg_type = (r >> 39) & 1 ?
			SCM_RIGHTS : SCM_CREDENTIALS;
		/* f_owner_ex, siginfo, clone_args, open_how, argv */
		race->owner.type = (r >> 41) & 3;
		race->owner.pid = (r >> 43) & 1 ? self : (pid_t)(r >> 32) | 0x400000;
		race->si.si_signo = (r >> 45) & 1 ? 0 : (int)(r >> 20);
		race->si.si_code = (r >> 46) & 1 ? SI_QUEUE : (int)(r >> 8);
		race->si.si_pid = (r >> 47) & 1 ? self : parent;
		race->clone_args[0] = (r >> 48) & 1 ? 0 : (r & ~0xffULL);
		race->clone_args[5] = (r >> 49) & 1 ? 0 : r;	/* stack */
		race->clone_args[8] = (r >> 51) & 1 ? 0 : r;	/* set_tid */
		race->clone_args[9] = (r >> 52) & 1 ? 1 : r >> 60;
		race->how[0] = (r >> 53) & 1 ? O_RDONLY : r;
		race->how[2] = (r >> 54) & 1 ? 0 : r >> 59;
		race->argv[(r >> 55) & 7] = (r >> 58) & 1 ? NULL : race->path;
		if ((i & 1023) == 0)
			sched_yield();
	}
	return NULL;
}

static void race_init(void)
{
	struct cmsghdr *c;

	race = mmap(NULL, sizeof(*race), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (race == MAP_FAILED)
		_exit(98);
	strcpy(race->path, "f");
	race->sun.sun_family = AF_UNIX;
	strcpy(race->sun.sun_path, "sock");
	fill_iov(race->iov, 8);
	race->msg.msg_name = &race->sun;
	race->msg.msg_namelen = sizeof(race->sun);
	race->msg.msg_iov = race->iov;
	race->msg.msg_iovlen = 2;
	race->msg.msg_control = race->cmsg;
	race->msg.msg_controllen = 32;
	c = (void *)race->cmsg;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(12);
	race->argv[0] = race->path;
}

/* ---- fixtures ----------------------------------------------------------- */

static void add_fd(int fd, bool sock)
{
	if (fd < 0 || nfds >= 64)
		return;
	fds[nfds++] = fd;
	if (sock && nsockfds < 32)
		sockfds[nsockfds++] = fd;
}

static void make_fds(void)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int p[2];

	add_fd(open("/dev/null", O_RDWR), false);
	add_fd(open("f", O_RDWR), false);
	add_fd(open(".", O_RDONLY | O_DIRECTORY), false);
	add_fd(open("d", O_PATH), false);
	add_fd(open("/proc/self", O_RDONLY | O_DIRECTORY), false);
	add_fd(open("/", O_RDONLY | O_DIRECTORY), false);
	if (!pipe(p)) {
		add_fd(p[0], false);
		add_fd(p[1], false);
	}
	for (int i = 0; i < 3; i++)
		if (!socketpair(AF_UNIX, types[i], 0, p)) {
			add_fd(p[0], true);
			add_fd(p[1], true);
		}
	for (int i = 0; i < 3; i++)
		add_fd(socket(AF_UNIX, types[i] | SOCK_NONBLOCK, 0), true);
	/* a listener with a name, to connect, sendto and accept */
	p[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	strcpy(sun.sun_path, "sock");
	if (p[0] >= 0 && !bind(p[0], (void *)&sun, sizeof(sun)))
		listen(p[0], 4);
	add_fd(p[0], true);
	p[0] = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(sun.sun_path, "dsock");
	if (p[0] >= 0)
		bind(p[0], (void *)&sun, sizeof(sun));
	add_fd(p[0], true);
	add_fd(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), true);
	add_fd(socket(AF_INET, SOCK_DGRAM, 0), true);
	add_fd(socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0), true);
	add_fd(socket(AF_INET6, SOCK_DGRAM, 0), true);
	add_fd(socket(AF_ALG, SOCK_SEQPACKET, 0), true);
	add_fd(socket(AF_VSOCK, SOCK_STREAM, 0), true);
	if (!am_root)	/* as root, random bytes could reconfigure the host */
		add_fd(socket(AF_NETLINK, SOCK_RAW, 0), true);
	add_fd(eventfd(0, EFD_NONBLOCK), false);
	add_fd(epoll_create1(0), false);
	add_fd(inotify_init1(IN_NONBLOCK), false);
	add_fd(timerfd_create(CLOCK_MONOTONIC, 0), false);
	{
		sigset_t s;

		sigemptyset(&s);
		sigaddset(&s, SIGUSR2);
		add_fd(signalfd(-1, &s, 0), false);
	}
	add_fd(syscall(SYS_memfd_create, "fuzz", 0), false);
	pidfd_self = syscall(SYS_pidfd_open, self, 0);
	add_fd(pidfd_self, false);
	if (helper > 0) {
		pidfd_helper = syscall(SYS_pidfd_open, helper, 0);
		add_fd(pidfd_helper, false);
	}
}

/* The batch's directory: files, links, a FIFO, programs that cannot run. */
static void make_dir(void)
{
	int fd;

	mkdir(bdir, 0755);
	if (chdir(bdir))
		_exit(97);
	fd = open("f", O_CREAT | O_RDWR, 0644);
	if (fd >= 0) {
		if (write(fd, "content\n", 8) < 0)
			_exit(97);
		close(fd);
	}
	mkdir("d", 0755);
	symlink("loop", "loop");
	symlink("../../../../../../..", "up");
	symlink("f", "link_f");
	symlink("/nonexistent/x", "dangling");
	mkfifo("fifo", 0644);
	fd = open("exe.bad", O_CREAT | O_RDWR, 0755);
	if (fd >= 0) {
		/* an ELF header and nothing behind it */
		if (write(fd, "\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0\76\0", 20) < 0)
			_exit(97);
		close(fd);
	}
	fd = open("exe.loop", O_CREAT | O_RDWR, 0755);
	if (fd >= 0) {
		char l[300];

		snprintf(l, sizeof(l), "#!%s/exe.loop\n", bdir);
		if (write(fd, l, strlen(l)) < 0)
			_exit(97);
		close(fd);
	}
}

/* ---- one call ----------------------------------------------------------- */

static void on_alarm(int sig)
{
}

static int pick_nr(void)
{
	static int emulated[NR_MAX], nemu, all[NR_MAX], nall;
	static bool ready;
	int nr;

	if (!ready) {
		for (int i = 0; i < NR_MAX; i++) {
			if (!sc[i].name || sc[i].skip)
				continue;
			all[nall++] = i;
			if (sc[i].cls == C_NOTIFY || sc[i].cls == C_TRACE)
				emulated[nemu++] = i;
		}
		ready = true;
	}
	for (int tries = 0; tries < 100; tries++) {
		int r = below(100);

		if (r < 78 && nemu)
			nr = emulated[below(nemu)];
		else if (r < 92)
			nr = PICK(native_watched);
		else if (r < 98 && nall)
			nr = all[below(nall)];
		else
			nr = PICK(((int[]){ 0x40000000 | __NR_getpid,
				0x40000000 | __NR_openat, 0x40000000 | 512,
				470, 548, 1000, 0xffff, -1, INT_MIN }));
		if (nr < 0 || nr >= NR_MAX || !sc[nr].skip)
			return nr;
	}
	return __NR_getpid;
}

/* Generic arguments from the table's format. */
static void typed_args(int nr, long a[6])
{
	const char *f = nr >= 0 && nr < NR_MAX && sc[nr].fmt ? sc[nr].fmt : "";

	for (int i = 0; i < 6; i++) {
		char c = f[i] ? f[i] : PICK("dpxu");

		if (chance(4)) {	/* anything, anywhere */
			a[i] = any_int();
			continue;
		}
		switch (c) {
		case 's': a[i] = any_path(); break;
		case 'F': a[i] = any_dirfd(); break;
		case 'd': a[i] = i == 0 ? any_fd() : any_int(); break;
		case 'p': a[i] = any_buf(); break;
		case 'u': a[i] = any_size(); break;
		case 'o': a[i] = chance(70) ? (long)below(07777) : any_int(); break;
		case 'P': a[i] = any_pid(); break;
		case 'S': a[i] = any_sig(); break;
		default: a[i] = chance(50) ? any_flags() : any_int(); break;
		}
	}
}

/* Arguments that need a shape, and what is never sent. */
static bool special_args(int nr, long a[6])
{
	long len;

	switch (nr) {
	case __NR_open: case __NR_creat:
		a[1] = open_flags();
		break;
	case __NR_openat:
		a[2] = open_flags();
		break;
	case __NR_openat2:
		race->how[0] = chance(50) ? (uint64_t)open_flags() : race->how[0];
		race->how[1] = below(07777);
		race->how[2] = chance(50) ? below(0x20) : rnd();
		a[2] = chance(80) ? (long)race->how : any_buf();
		a[3] = PICK(((long[]){ 0, 8, 16, 24, 24, 32, 4096, 4097, -1 }));
		break;
	case __NR_connect: case __NR_bind:
		a[0] = any_sockfd();
		a[1] = any_sockaddr(&len);
		a[2] = len;
		break;
	case __NR_sendto:
		a[0] = any_sockfd();
		a[4] = any_sockaddr(&len);
		a[5] = len;
		if (chance(10))
			a[4] = 0;
		a[3] = chance(80) ? MSG_DONTWAIT : a[3];
		break;
	case __NR_recvfrom: case __NR_accept: case __NR_accept4:
	case __NR_getsockname: case __NR_getpeername: {
		static int alen;
		int ai = nr == __NR_recvfrom ? 4 : 1;

		a[0] = any_sockfd();
		alen = any_size();
		a[ai] = chance(80) ? (long)(buf + below(BUF_SIZE / 2)) : any_buf();
		a[ai + 1] = chance(80) ? (long)&alen : any_buf();
		if (nr == __NR_recvfrom)
			a[3] = MSG_DONTWAIT | (chance(20) ? rnd() : 0);
		break;
	}
	case __NR_sendmsg: case __NR_recvmsg:
		a[0] = any_sockfd();
		a[1] = any_msghdr();
		a[2] = chance(80) ? MSG_DONTWAIT : any_flags();
		break;
	case __NR_sendmmsg: {
		static struct mmsghdr mm[4];

		for (int i = 0; i < 4; i++) {
			long h = any_msghdr();

			/* a bad pointer is for the monitor, not for us */
			mm[i].msg_hdr = *(msghdr_ours ? (struct msghdr *)h :
					  &race->msg);
		}
		a[0] = any_sockfd();
		a[1] = chance(85) ? (long)mm : any_buf();
		a[2] = chance(80) ? (long)below(5) : any_size();
		a[3] = chance(80) ? MSG_DONTWAIT : any_flags();
		break;
	}
	case __NR_fcntl: {
		static struct flock fl;

		a[1] = chance(70) ? PICK(((long[]){ F_GETOWN, F_SETOWN,
			F_GETOWN_EX, F_SETOWN_EX, F_GETLK, F_SETLK, F_OFD_GETLK,
			F_SETSIG, F_GETSIG, F_DUPFD, F_SETFL, F_SETPIPE_SZ,
			F_NOTIFY, F_SETLEASE })) : any_int();
		fl.l_type = PICK(((short[]){ F_RDLCK, F_WRLCK, F_UNLCK, -1 }));
		fl.l_pid = any_pid();
		fl.l_start = any_int();
		fl.l_len = any_int();
		if (a[1] == F_SETOWN_EX || a[1] == F_GETOWN_EX)
			a[2] = chance(80) ? (long)&race->owner : any_buf();
		else if (a[1] == F_GETLK || a[1] == F_SETLK ||
			 a[1] == F_OFD_GETLK)
			a[2] = chance(80) ? (long)&fl : any_buf();
		else if (a[1] == F_SETOWN)
			a[2] = any_pid();
		/* SIGIO (or F_SETSIG's signal) goes to the owner: own ones */
		if (a[1] == F_SETOWN && !is_own_pid(a[2]) && (int)a[2] != -self)
			a[2] = self;
		if (a[2] == (long)&race->owner && a[1] == F_SETOWN_EX)
			race->owner.pid = self;
		break;
	}
	case __NR_ioctl:
		a[1] = chance(60) ? PICK(((long[]){ 0x540F /* TIOCGPGRP */,
			0x5410 /* TIOCSPGRP */, 0x5429 /* TIOCGSID */,
			0x40086602 /* FS_IOC_SETFLAGS */,
			0x401c5820 /* FS_IOC_FSSETXATTR */, 0x541B /* FIONREAD */,
			0x5421 /* FIONBIO */, 0x5401 /* TCGETS */,
			0x5412 /* TIOCSTI */, 0x80086601 })) : any_int();
		/* socket ioctls (0x89xx) could reconfigure the host's network */
		if (((a[1] >> 8) & 0xff) == 0x89)
			a[1] = 0x541B;
		break;
	case __NR_getsockopt: case __NR_setsockopt: {
		static int optlen;

		a[0] = any_sockfd();
		a[1] = chance(70) ? SOL_SOCKET : any_int();
		a[2] = chance(60) ? PICK(((long[]){ SO_PEERCRED, 77, 76,
			SO_PASSCRED, SO_RCVBUF, SO_SNDTIMEO, SO_BINDTODEVICE,
			SO_ATTACH_FILTER })) : any_int();
		/* a device binding or a filter is the host's business */
		if (a[1] == SOL_SOCKET && (a[2] == SO_BINDTODEVICE ||
					   a[2] == SO_ATTACH_FILTER) &&
		    nr == __NR_setsockopt)
			a[2] = SO_PASSCRED;
		optlen = any_size();
		if (nr == __NR_getsockopt)
			a[4] = chance(80) ? (long)&optlen : any_buf();
		else
			a[4] = any_size();
		break;
	}
	case __NR_prctl:
		a[0] = chance(80) ? (long)below(80) : any_int();
		if (a[0] == PR_SET_SECCOMP || a[0] == PR_SET_MM)
			a[0] = PR_GET_DUMPABLE;
		break;
	case __NR_clone:
		a[0] = (rnd() & rnd() & ~0xffUL & 0xffffffffUL) |
		       PICK(((long[]){ 0, SIGCHLD, SIGCHLD, SIGKILL, 64, 65 }));
		if (chance(30))
			a[0] &= ~(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID |
				  CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
				  CLONE_NEWCGROUP);
		a[1] = chance(50) ? 0 : any_buf();
		a[2] = any_buf();
		a[3] = any_buf();
		a[4] = any_buf();
		break;
	case __NR_clone3:
		race->clone_args[0] = rnd() & rnd() & ~0xffUL;
		race->clone_args[1] = chance(50) ? (uint64_t)any_buf() : 0;
		race->clone_args[2] = chance(50) ? (uint64_t)any_buf() : 0;
		race->clone_args[3] = chance(50) ? (uint64_t)any_buf() : 0;
		race->clone_args[4] = PICK(((long[]){ 0, SIGCHLD, 9, 65 }));
		a[0] = chance(85) ? (long)race->clone_args : any_buf();
		a[1] = PICK(((long[]){ 64, 80, 88, 88, 96, 128, 0, 8, 4096, -1 }));
		break;
	case __NR_execve: case __NR_execveat: {
		static char p[300];
		int pi = nr == __NR_execveat ? 1 : 0;

		snprintf(p, sizeof(p), "%s/%s", chance(50) ? bdir : ".",
			 PICK(((const char *[]){ "exe.bad", "exe.loop", "f",
			 "d", "nonexistent", "fifo", "dangling", "loop" })));
		a[pi] = chance(70) ? (long)p : chance(50) ? bad_ptr() :
			(long)race->path;
		/* a path the race makes run something is a wasted batch */
		if (a[pi] == (long)race->path)
			a[pi] = (long)p;
		a[pi + 1] = chance(50) ? (long)race->argv : any_buf();
		a[pi + 2] = chance(50) ? 0 : any_buf();
		if (pi)
			a[4] = chance(50) ? 0 : any_flags() & 0x1100;
		break;
	}
	case __NR_kill: case __NR_tkill:
		if (!is_own_pid(a[0]) && !harmless_sig(a[1]))
			a[1] = 0;
		/* kill(0) and kill(-1) reach the group, or everything */
		if (nr == __NR_kill && (int)a[0] <= 0 && !harmless_sig(a[1]))
			a[1] = 0;
		/* a stopped child only waits for its 5 s */
		if (a[1] == SIGSTOP || a[1] == SIGTSTP)
			a[1] = SIGCONT;
		break;
	case __NR_tgkill:
		if (!(is_own_pid(a[0]) && is_own_pid(a[1])) && !harmless_sig(a[2]))
			a[2] = 0;
		if (a[2] == SIGSTOP || a[2] == SIGTSTP)
			a[2] = SIGCONT;
		break;
	case __NR_rt_sigqueueinfo: case __NR_rt_tgsigqueueinfo: {
		int si = nr == __NR_rt_sigqueueinfo ? 1 : 2;

		if (!is_own_pid(a[0]) || (int)a[0] <= 0 ||
		    (si == 2 && !is_own_pid(a[1])))
			if (!harmless_sig(a[si]))
				a[si] = 0;
		if (a[si] == SIGSTOP || a[si] == SIGTSTP)
			a[si] = SIGCONT;
		a[si + 1] = chance(70) ? (long)&race->si : any_buf();
		break;
	}
	case __NR_pidfd_send_signal:
		a[1] = any_sig();
		if (a[0] != pidfd_self && a[0] != pidfd_helper &&
		    !harmless_sig(a[1]))
			a[1] = 0;
		if (a[1] == SIGSTOP || a[1] == SIGTSTP)
			a[1] = SIGCONT;
		a[2] = chance(50) ? 0 : (long)&race->si;
		break;
	case __NR_process_vm_writev: case __NR_process_vm_readv:
		if (nr == __NR_process_vm_writev && !is_own_pid(a[0]))
			a[0] = self;
		a[1] = chance(70) ? (long)race->iov : any_buf();
		a[3] = chance(70) ? (long)(race->iov + 4) : any_buf();
		a[2] = chance(80) ? (long)below(5) : any_size();
		a[4] = chance(80) ? (long)below(5) : any_size();
		break;
	case __NR_prlimit64:
		if (!is_own_pid(a[0]) && a[0] != 0)
			a[2] = 0;	/* only read another's limits */
		/* file size, address space, CPU: the fuzzer's own safety */
		if (a[1] == RLIMIT_FSIZE || a[1] == RLIMIT_AS ||
		    a[1] == RLIMIT_CPU || a[1] == RLIMIT_CORE ||
		    a[1] == RLIMIT_RTPRIO || a[1] == RLIMIT_RTTIME)
			a[2] = 0;
		break;
	case __NR_sched_setscheduler:
		a[1] = PICK(((long[]){ SCHED_OTHER, SCHED_BATCH, SCHED_IDLE,
			-1, 7, INT_MIN }));
		break;
	case __NR_sched_setattr: {
		static uint32_t attr[14];

		for (int i = 0; i < 14; i++)
			attr[i] = rnd();
		attr[0] = PICK(((uint32_t[]){ 0, 48, 56, 4096 }));
		attr[1] = PICK(((uint32_t[]){ SCHED_OTHER, SCHED_BATCH,
			SCHED_IDLE, 99 }));
		attr[3] = chance(50) ? 0 : 19;	/* nice */
		a[1] = chance(80) ? (long)attr : any_buf();
		break;
	}
	case __NR_setpriority: case __NR_ioprio_set:
		/* a whole user's processes are the host's: finding 1 */
		if (a[0] != 1 && a[0] != 2)
			a[0] = 1;
		if (nr == __NR_setpriority && (a[2] < 0 || a[2] > 19))
			a[2] = 10;
		if (nr == __NR_ioprio_set && (a[2] >> 13) == 1)
			a[2] = 0;	/* the realtime class */
		break;
	case __NR_getpriority: case __NR_ioprio_get:
		break;
	case __NR_setpgid:
		/* joining the parent's group makes kill(0) reach it */
		if ((int)a[1] != 0 && !is_own_pid(a[1]))
			a[1] = 0;
		break;
	case __NR_wait4: case __NR_waitid:
		/* __WALL | WNOHANG mostly: waiting is the child's 5 s */
		if (nr == __NR_wait4)
			a[2] = chance(80) ? (long)(WNOHANG | (rnd() & __WALL)) : a[2];
		else
			a[3] = chance(80) ? (long)(WNOHANG | WEXITED | (rnd() & __WALL)) : a[3];
		break;
	case __NR_shmget: case __NR_semget: case __NR_msgget:
		a[0] = chance(50) ? 0 /* IPC_PRIVATE */ : (long)below(4);
		a[1] = chance(80) ? (long)below(8192) : any_size();
		break;
	default:
		return false;
	}
	return true;
}

/*
 * -k: stay clear of the findings still open (the list at the top), so
 * that a run passes while they are; without -k the fuzzer finds them again.
 */
static bool avoid_known;

static void avoid_known_findings(int nr, long a[6])
{
	switch (nr) {
	case __NR_wait4:	/* finding 2: -INT_MIN in kernel/exit.c */
	case __NR_kill:		/* finding 3: -INT_MIN in kernel/signal.c */
		if ((int)a[0] == INT_MIN)
			a[0] = -1;
		if (nr == __NR_wait4) {		/* finding 5 */
			a[1] = chance(50) ? 0 : (long)(buf + below(BUF_SIZE / 2));
			a[3] = chance(50) ? 0 : (long)(buf + below(BUF_SIZE / 2));
		}
		break;
	case __NR_waitid:	/* finding 5: a reaped child the monitor keeps */
		a[2] = chance(50) ? 0 : (long)(buf + below(BUF_SIZE / 2));
		a[4] = chance(50) ? 0 : (long)(buf + below(BUF_SIZE / 2));
		break;
	case __NR_fcntl:	/* finding 4: -INT_MIN in kernel/pidinfo.c */
		if ((int)a[1] == F_SETOWN && (int)a[2] == INT_MIN)
			a[2] = 0;
		break;
	}
}

static void do_call(long i)
{
	long a[6], ret;
	int nr = pick_nr();

	typed_args(nr, a);
	special_args(nr, a);
	if (avoid_known)
		avoid_known_findings(nr, a);
	if (verbose)
		logf_("%ld %s(%d) %#lx %#lx %#lx %#lx %#lx %#lx\n", i,
		      nr >= 0 && nr < NR_MAX && sc[nr].name ? sc[nr].name : "?",
		      nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	ret = raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (verbose)
		logf_("  = %ld\n", ret);
	/* SysV objects outlive the run on the host: remove what was made */
	if (ret >= 0 && nr == __NR_shmget)
		syscall(SYS_shmctl, ret, IPC_RMID, NULL);
	else if (ret >= 0 && nr == __NR_semget)
		syscall(SYS_semctl, ret, 0, IPC_RMID);
	else if (ret >= 0 && nr == __NR_msgget)
		syscall(SYS_msgctl, ret, IPC_RMID, NULL);
}

/* ---- a batch ------------------------------------------------------------ */

static void run_batch(uint64_t seed, long calls)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	struct rlimit rl;
	pthread_t th;
	int null;

	rng = seed;
	self = getpid();
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	setpgid(0, 0);
	/* no core files, no file beyond 16 MB, a blocking call ends by
	 * EINTR within 20 ms (the handler has no SA_RESTART) */
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = rl.rlim_max = 16 << 20;
	setrlimit(RLIMIT_FSIZE, &rl);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGALRM, &sa, NULL);
	if (verbose)
		logfd = fcntl(2, F_DUPFD, 900);
	null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	close(null);

	helper = fork();
	if (helper == 0) {
		/* gone with the batch, or on its own a second after */
		signal(SIGALRM, SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(0);
		alarm(KILL_AFTER + 1);
		for (;;)
			pause();
	}
	make_dir();
	race_init();
	make_fds();
	/* (at the --pids cap there is no thread: then no race either) */
	if (!pthread_create(&th, NULL, racer, (void *)(uintptr_t)rnd()))
		while (!thread_tid)
			sched_yield();
	setitimer(ITIMER_REAL, &it, NULL);
	for (long i = 0; i < calls; i++)
		do_call(i);
	raw(__NR_exit_group, 0, 0, 0, 0, 0, 0);
}

/* ---- the parent --------------------------------------------------------- */

static int rm_one(const char *p, const struct stat *st, int type,
		  struct FTW *ftw)
{
	if (type == FTW_DP || type == FTW_D || type == FTW_DNR)
		rmdir(p);
	else
		unlink(p);
	return 0;	/* what cannot go stays: the next batch has its own */
}

/* Make everything writable first: a batch may have chmod'ed it all 0. */
static int chmod_one(const char *p, const struct stat *st, int type,
		     struct FTW *ftw)
{
	if (type == FTW_D || type == FTW_DNR)
		chmod(p, 0700);
	return 0;
}

static void remove_tree(const char *p)
{
	chmod(p, 0700);
	nftw(p, chmod_one, 16, FTW_PHYS);
	nftw(p, rm_one, 16, FTW_PHYS | FTW_DEPTH);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void skip_names(const char *list, bool keep_only)
{
	char *copy = strdup(list), *save, *n;

	if (keep_only)
		for (int i = 0; i < NR_MAX; i++)
			sc[i].skip = true;
	for (n = strtok_r(copy, ",", &save); n; n = strtok_r(NULL, ",", &save))
		for (int i = 0; i < NR_MAX; i++)
			if (sc[i].name && !strcmp(sc[i].name, n))
				sc[i].skip = !keep_only;
	free(copy);
}

struct child {
	pid_t pid;
	long batch;
	double start;
};

int main(int argc, char **argv)
{
	uint64_t seed = 0;
	bool have_seed = false;
	double seconds = 10, end;
	long calls = 300, only_batch = -1, batch = 0;
	int maxc = 2, opt, n = 0;
	long crashed = 0, killed = 0, done = 0, died_of[64] = { 0 }, stuck = 0;
	double quiet = 0;
	struct child ch[16] = { 0 };

	load_table();
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (never[i] < NR_MAX)
			sc[never[i]].skip = true;
	while ((opt = getopt(argc, argv, "s:t:j:n:d:b:vx:o:w:k")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); have_seed = true; break;
		case 't': seconds = atof(optarg); break;
		case 'j': maxc = atoi(optarg); break;
		case 'n': calls = atol(optarg); break;
		case 'd': dir = optarg; break;
		case 'b': only_batch = atol(optarg); break;
		case 'v': verbose = true; break;
		case 'w': quiet = atof(optarg); break;
		case 'k': avoid_known = true; break;
		case 'x': skip_names(optarg, false); break;
		case 'o': skip_names(optarg, true); break;
		default:
			fprintf(stderr, "usage: fuzz [-s SEED] [-t SECONDS] [-j CHILDREN] [-n CALLS] [-d DIR] [-b BATCH [-v]] [-x NAME,..] [-o NAME,..] [-w SECONDS] [-k]\n");
			return 2;
		}
	}
	if (maxc < 1 || maxc > 16)
		maxc = 2;
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = mix(ts.tv_nsec ^ ts.tv_sec ^ getpid());
	}
	am_root = geteuid() == 0;
	/* What a batch sends its parent by way of the kernel (SIGIO of an
	 * fd it owns, a pdeath signal) is no reason to end the run. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGCHLD && sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_IGN);
	parent = getpid();
	printf("seed=%llu\n", (unsigned long long)seed);
	fflush(stdout);
	mkdir(dir, 0755);

	/* one big path: "aaa/aaa/..." 10 MB, terminated, and unterminated
	 * against a PROT_NONE page; a page ending in PROT_NONE for edges */
	bigpath = mmap(NULL, BIG_PATH, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bigpath_raw = mmap(NULL, BIG_PATH + PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	edge = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	buf = malloc(BUF_SIZE);
	if (bigpath == MAP_FAILED || bigpath_raw == MAP_FAILED ||
	    edge == MAP_FAILED || !buf) {
		printf("FAIL set-up: %s\n", strerror(errno));
		return 99;
	}
	for (size_t i = 0; i < BIG_PATH; i++)
		bigpath[i] = bigpath_raw[i] = i % 4 == 3 ? '/' : 'a';
	bigpath[BIG_PATH - 1] = 0;
	mprotect(bigpath_raw + BIG_PATH, PAGE, PROT_NONE);
	mprotect(edge + PAGE, PAGE, PROT_NONE);
	edge += PAGE - 1;
	rng = seed;
	for (int i = 0; i < BUF_SIZE; i++)
		buf[i] = rnd();

	if (only_batch >= 0) {
		pid_t pid;
		int st;

		snprintf(bdir, sizeof(bdir), "%s/%ld", dir, only_batch);
		remove_tree(bdir);
		pid = fork();
		if (pid == 0)
			run_batch(mix(seed ^ mix(only_batch)), calls);
		for (double t0 = now(); waitpid(pid, &st, WNOHANG) == 0;) {
			if (now() - t0 > KILL_AFTER)
				kill(pid, SIGKILL);
			usleep(10000);
		}
		remove_tree(bdir);
		printf("batch=%ld status=%#x\n", only_batch, st);
		return 0;
	}

	/* a quiet moment at each end, for the harness to measure the monitor */
	printf("ready\n");
	fflush(stdout);
	usleep(quiet * 1e6);
	end = now() + seconds;
	while (now() < end || n > 0) {
		int st;
		pid_t pid;

		while (n < maxc && now() < end) {
			snprintf(bdir, sizeof(bdir), "%s/%ld", dir, batch);
			pid = fork();
			if (pid < 0)
				break;
			if (pid == 0)
				run_batch(mix(seed ^ mix(batch)), calls);
			if (getenv("FUZZ_DEBUG"))
				printf("batch %ld pid %d\n", batch, pid);
			ch[n++] = (struct child){ pid, batch++, now() };
		}
		/* the batches' own children and clones come to init too */
		pid = waitpid(-1, &st, WNOHANG | __WALL);
		if (pid <= 0) {
			usleep(10000);
			for (int i = 0; i < n; i++)
				if (now() - ch[i].start > KILL_AFTER) {
					if (getenv("FUZZ_DEBUG"))
						printf("kill batch %ld pid %d: %d\n", ch[i].batch, ch[i].pid, kill(ch[i].pid, SIGKILL));
					kill(ch[i].pid, SIGKILL);
					ch[i].start = now() + 60;
					killed++;
				}
			continue;
		}
		if (getenv("FUZZ_DEBUG"))
			printf("reaped %d st %#x\n", pid, st);
		for (int i = 0; i < n; i++) {
			char d[256];

			if (ch[i].pid != pid)
				continue;
			if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL) {
				crashed++;
				died_of[WTERMSIG(st) & 63]++;
			}
			done++;
			snprintf(d, sizeof(d), "%s/%ld", dir, ch[i].batch);
			remove_tree(d);
			ch[i] = ch[--n];
			break;
		}
	}
	/*
	 * What is left is not a batch: a helper (gone within a second) or a
	 * clone's child, which exits at once.  One still there 10 s later
	 * is a task the monitor never resumed; SIGKILL frees it.
	 */
	for (double t0 = now(); now() - t0 < 10;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG | __WALL);

		if (pid < 0)
			break;
		if (pid == 0)
			usleep(20000);
	}
	for (pid_t pid; (pid = waitpid(-1, NULL, WNOHANG | __WALL)) >= 0;) {
		if (pid > 0)
			continue;
		if (!stuck++) {
			/* a moment for the harness to look at them */
			printf("stuck\n");
			fflush(stdout);
			sleep(2);
		}
		kill(-1, SIGKILL);	/* init's children: all the guest */
		usleep(100000);
		if (stuck > 50)
			break;
	}
	if (stuck)
		printf("FAIL guest tasks still there 10 s after the run: "
		       "the monitor does not resume them?\n");
	printf("batches=%ld died=%ld killed=%ld\n", done, crashed, killed);
	for (int sig = 1; sig < 64; sig++)
		if (died_of[sig])
			printf("died_of_%d=%ld\n", sig, died_of[sig]);
	printf("idle\n");
	fflush(stdout);
	usleep(quiet * 1e6);
	printf("done\n");
	return stuck ? 1 : 0;
}
