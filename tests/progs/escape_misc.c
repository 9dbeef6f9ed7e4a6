/*
 * escape_misc MODE [ARG...] — a guest trying to reach what is not in its
 * view, one call at a time, printing what each call returned.
 *
 *   exec PATH [ARG...]   execve(PATH) directly (no shell to interpret the
 *                        error): prints `exec=ERRNO` if it returns
 *   open PATH...         open + read each: `open=ERRNO`, or `open=0` and
 *                        `data=FIRST-LINE`
 *   openat [-p] DIR REL...  open DIR (O_DIRECTORY, with -p O_PATH too), then
 *                        openat(dirfd, REL) as `open` (`dirfd=ERRNO` if DIR
 *                        cannot be opened)
 *   chroot DIR PATH...   chroot(DIR), chdir("/"), then `open` of each PATH
 *                        and `cwd=` after chdir("..") three times
 *   chroot_escape DIR PATH...  chroot(DIR) leaving the cwd outside it,
 *                        chdir("..") 64 times, chroot("."): `cwd=`,
 *                        `busybox=` (stat of /bin/busybox), then `open` of
 *                        each PATH
 *   fds                  every open fd above 2: `fd=N mode=OCTAL`
 *   refused              the calls a guest must never reach the host with:
 *                        `NAME=ERRNO` each (0 if the call worked)
 *   pids PID...          every pid-taking call on each (host) pid, signal
 *                        0 only: `reached=N` calls that did not fail with
 *                        ESRCH, a `reached_CALL=PID:ERRNO` line for each;
 *                        then `kill_all=` for kill(-1, 0)
 *   unix PATH            AF_UNIX to a path: `stream_connect=`,
 *                        `dgram_connect=`, `dgram_sendto=`,
 *                        `dgram_sendmsg=`, and `seqpacket_connect=`
 *   abstract NAME        the same to the abstract name "\0NAME"
 *   serve PATH FILE SEC  (host side) listen on PATH.stream, PATH.dgram,
 *                        PATH.seqpacket and the abstract names of the
 *                        same, append whatever arrives to FILE, for SEC
 *                        seconds; prints `ready` once bound
 *   selfmem              is /proc/self/mem this process's memory?
 *                        `selfmem=own`, `selfmem=ERRNO` or `selfmem=other`,
 *                        and `selfmem_rdwr=` for an O_RDWR open
 *   fdattr PATH          through a read-only fd of PATH: fchmod to 0600,
 *                        fchown to the same owner, fsetxattr of
 *                        user.umbra_escape, fremovexattr of user.umbra_none,
 *                        FS_IOC_SETFLAGS adding FS_NODUMP_FL: `fchmod=ERRNO`
 *                        `fchown=` `fsetxattr=` `fremovexattr=` `setflags=`
 *   listener             seccomp(SET_MODE_FILTER, NEW_LISTENER): must not
 *                        give the guest a listener of its own (`listener=`)
 *   tiocsti              TIOCSTI (push a NUL byte into the terminal's
 *                        input) on the fds 0-2 that are terminals and on
 *                        /dev/tty: `tiocsti_FD=ERRNO`, `tiocsti_tty=ERRNO`
 *   hostpriv             settimeofday(NULL, NULL) and socket(AF_PACKET):
 *                        `settimeofday=ERRNO`, `packet_socket=ERRNO`
 *   shm KEY              shmget(KEY, 0, 0) and shmat: `shmget=`, `data=`
 *   shmhost KEY TEXT     (host side) create the SysV segment KEY with TEXT
 *   shmrm KEY            (host side) remove it
 *   shmstat ID           shmctl(ID, IPC_STAT): `shmstat=ERRNO`
 *   ipcpids              shm_cpid/shm_lpid, msg_lspid and semctl(GETPID)
 *                        name the caller and its child: `ipc_pids=1`
 *   prio_user            setpriority(PRIO_USER, 0, 7), then -5, and
 *                        ioprio_set(IOPRIO_WHO_USER, 0, idle): `prio_user=`
 *                        `nice=` `prio_user_get=` `prio_user_raise=`
 *                        `ioprio_user=` `ioprio=` `ioprio_user_get=`
 *   hello                print `hello=PID`
 *
 * Exits 0 unless the program itself could not do what it was asked (a
 * setup call failed): the verdicts are for the shell tests.
 */
#include "prog.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>

extern char **environ;

/* Print one line of data, unprintable bytes as '.', at most 200 bytes. */
static void print_data(const char *buf, ssize_t n)
{
	char line[201];
	ssize_t i;

	for (i = 0; i < n && i < 200 && buf[i] != '\n'; i++)
		line[i] = (buf[i] >= 0x20 && buf[i] < 0x7f) ? buf[i] : '.';
	line[i] = '\0';
	OUT("data=%s", line);
}

static void report_fd(int fd)
{
	char buf[4096];
	ssize_t n;

	if (fd < 0) {
		OUT("open=%s", errname(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf));
	OUT("open=0");
	if (n < 0)
		OUT("read=%s", errname(errno));
	else
		print_data(buf, n);
	close(fd);
}

static int mode_exec(int argc, char **argv)
{
	if (argc < 1)
		DIE("exec PATH");
	execve(argv[0], argv, environ);
	OUT("exec=%s", errname(errno));
	return 0;
}

static int mode_open(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		report_fd(open(argv[i], O_RDONLY | O_CLOEXEC));
	return 0;
}

static int mode_openat(int argc, char **argv)
{
	bool opath = argc > 0 && !strcmp(argv[0], "-p");
	int dfd;

	if (opath) {
		argc--;
		argv++;
	}
	if (argc < 1)
		DIE("openat [-p] DIR REL...");
	dfd = open(argv[0], (opath ? O_PATH : O_RDONLY) | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		OUT("dirfd=%s", errname(errno));
		return 0;
	}
	for (int i = 1; i < argc; i++)
		report_fd(openat(dfd, argv[i], O_RDONLY | O_CLOEXEC));
	return 0;
}

static int mode_chroot(int argc, char **argv)
{
	char cwd[4096];

	if (argc < 1)
		DIE("chroot DIR PATH...");
	if (chroot(argv[0]))
		DIE("chroot %s", argv[0]);
	if (chdir("/"))
		DIE("chdir /");
	for (int i = 1; i < argc; i++)
		report_fd(open(argv[i], O_RDONLY | O_CLOEXEC));
	for (int i = 0; i < 3; i++)
		if (chdir(".."))
			DIE("chdir ..");
	OUT("cwd=%s", getcwd(cwd, sizeof(cwd)) ? cwd : errname(errno));
	return 0;
}

/*
 * The classic way out of a chroot for its root: chroot somewhere below the
 * cwd, climb from the cwd (now outside the root), chroot there.  In a
 * guest it may lead back to the guest's own "/", never further.
 */
static int mode_chroot_escape(int argc, char **argv)
{
	char cwd[4096];
	struct stat st;

	if (argc < 1)
		DIE("chroot_escape DIR PATH...");
	if (chdir("/"))
		DIE("chdir /");
	if (chroot(argv[0]))
		DIE("chroot %s", argv[0]);
	for (int i = 0; i < 64; i++)
		if (chdir(".."))
			DIE("chdir ..");
	if (chroot("."))
		DIE("chroot .");
	if (chdir("/"))
		DIE("chdir /");
	OUT("cwd=%s", getcwd(cwd, sizeof(cwd)) ? cwd : errname(errno));
	OUT("busybox=%s", res(stat("/bin/busybox", &st)));
	for (int i = 1; i < argc; i++)
		report_fd(open(argv[i], O_RDONLY | O_CLOEXEC));
	return 0;
}

static int mode_fds(void)
{
	struct stat st;

	for (int fd = 3; fd < 4096; fd++) {
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		if (fstat(fd, &st))
			OUT("fd=%d mode=%s", fd, errname(errno));
		else
			OUT("fd=%d mode=%o", fd, st.st_mode);
	}
	OUT("done");
	return 0;
}

struct call {
	const char *name;
	long r;
};

#define CALL(name, expr) do {						\
		errno = 0;						\
		long r_ = (expr);					\
		OUT("%s=%s", (name), r_ < 0 ? errname(errno) : "0");	\
	} while (0)

static int mode_refused(void)
{
	char buf[256] = { 0 };
	struct {
		unsigned int handle_bytes;
		int handle_type;
		unsigned char f_handle[128];
	} fh = { .handle_bytes = 128 };
	int mount_id;

	CALL("io_uring_setup", syscall(SYS_io_uring_setup, 1, buf));
	CALL("bpf", syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, buf, 64));
	CALL("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY));
	CALL("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &fh, &mount_id, 0));
	CALL("perf_event_open", syscall(SYS_perf_event_open, buf, 0, -1, -1, 0));
	CALL("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC));
	CALL("unshare", syscall(SYS_unshare, CLONE_NEWNS));
	CALL("unshare_user", syscall(SYS_unshare, CLONE_NEWUSER));
	CALL("setns", syscall(SYS_setns, 0, 0));
	CALL("mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
	CALL("umount2", syscall(SYS_umount2, "/", 2 /* MNT_DETACH */));
	CALL("pivot_root", syscall(SYS_pivot_root, "/", "/"));
	CALL("ptrace", syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, 1, 0, 0));
	CALL("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
	CALL("init_module", syscall(SYS_init_module, buf, 0, ""));
	CALL("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0));
	CALL("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */));
	CALL("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
	CALL("fanotify_init", syscall(SYS_fanotify_init, 0, 0));
	CALL("iopl", syscall(SYS_iopl, 3));
	CALL("ioperm", syscall(SYS_ioperm, 0x80, 1, 1));
	CALL("syslog", syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
	return 0;
}

/* Signal 0 and lookups only: nothing here may disturb a host process. */
static int mode_pids(int argc, char **argv)
{
	int reached = 0;
	struct rlimit rl;
	cpu_set_t set;
	struct sched_param sp;
	char byte;
	struct iovec local = { &byte, 1 }, remote = { &byte, 1 };

	for (int i = 0; i < argc; i++) {
		pid_t p = atoi(argv[i]);
		struct call calls[16];
		int n = 0;

#define TRY(what, expr) do {					\
		errno = 0;					\
		calls[n].name = (what);				\
		calls[n].r = (expr) < 0 ? errno : 0;		\
		n++;						\
	} while (0)
		TRY("kill", kill(p, 0));
		TRY("kill_group", kill(-p, 0));
		TRY("tkill", syscall(SYS_tkill, p, 0));
		TRY("tgkill", syscall(SYS_tgkill, p, p, 0));
		TRY("getpgid", getpgid(p));
		TRY("getsid", getsid(p));
		TRY("getpriority", (errno = 0, getpriority(PRIO_PROCESS, p) == -1 && errno ? -1 : 0));
		TRY("sched_getaffinity", sched_getaffinity(p, sizeof(set), &set));
		TRY("sched_getparam", sched_getparam(p, &sp));
		TRY("prlimit", prlimit(p, RLIMIT_NOFILE, NULL, &rl));
		TRY("pidfd_open", syscall(SYS_pidfd_open, p, 0));
		TRY("process_vm_readv", process_vm_readv(p, &local, 1, &remote, 1, 0));
		TRY("ioprio_get", syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, p));
#undef TRY
		for (int k = 0; k < n; k++) {
			if (calls[k].r == ESRCH)
				continue;
			reached++;
			OUT("reached_%s=%d:%s", calls[k].name, p, errname((int)calls[k].r));
		}
	}
	OUT("reached=%d", reached);
	/* all processes but init and myself: none in a guest of two */
	OUT("kill_all=%s", res(kill(-1, 0)));
	return 0;
}

static socklen_t unix_addr(struct sockaddr_un *a, const char *path, bool abstract)
{
	size_t len = strlen(path);

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (len + 2 > sizeof(a->sun_path))
		DIE("path too long: %s", path);
	if (abstract) {
		memcpy(a->sun_path + 1, path, len);
		return offsetof(struct sockaddr_un, sun_path) + 1 + len;
	}
	memcpy(a->sun_path, path, len + 1);
	return offsetof(struct sockaddr_un, sun_path) + len + 1;
}

static void say(const char *key, int s, const char *msg)
{
	if (s < 0)
		DIE("socket");
	OUT("%s=0", key);
	if (msg && write(s, msg, strlen(msg)) < 0)
		OUT("%s_write=%s", key, errname(errno));
}

static int mode_unix(const char *base, bool abstract)
{
	struct sockaddr_un a;
	char path[200];
	socklen_t len;
	int s;

	snprintf(path, sizeof(path), "%s.stream", base);
	len = unix_addr(&a, path, abstract);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (connect(s, (struct sockaddr *)&a, len) == 0)
		say("stream_connect", s, "ESCAPE stream\n");
	else
		OUT("stream_connect=%s", errname(errno));
	close(s);

	snprintf(path, sizeof(path), "%s.seqpacket", base);
	len = unix_addr(&a, path, abstract);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (connect(s, (struct sockaddr *)&a, len) == 0)
		say("seqpacket_connect", s, "ESCAPE seqpacket\n");
	else
		OUT("seqpacket_connect=%s", errname(errno));
	close(s);

	snprintf(path, sizeof(path), "%s.dgram", base);
	len = unix_addr(&a, path, abstract);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (connect(s, (struct sockaddr *)&a, len) == 0)
		say("dgram_connect", s, "ESCAPE dgram connect\n");
	else
		OUT("dgram_connect=%s", errname(errno));
	close(s);

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	const char *m1 = "ESCAPE dgram sendto\n";
	OUT("dgram_sendto=%s", res(sendto(s, m1, strlen(m1), 0,
					  (struct sockaddr *)&a, len) < 0 ? -1 : 0));

	const char *m2 = "ESCAPE dgram sendmsg\n";
	struct iovec iov = { (void *)m2, strlen(m2) };
	struct msghdr mh = { .msg_name = &a, .msg_namelen = len,
			     .msg_iov = &iov, .msg_iovlen = 1 };
	OUT("dgram_sendmsg=%s", res(sendmsg(s, &mh, 0) < 0 ? -1 : 0));

	struct mmsghdr mm = { .msg_hdr = mh };
	iov.iov_base = (void *)"ESCAPE dgram sendmmsg\n";
	iov.iov_len = strlen(iov.iov_base);
	OUT("dgram_sendmmsg=%s", res(sendmmsg(s, &mm, 1, 0) < 0 ? -1 : 0));
	close(s);
	return 0;
}

/* Host side of `unix`: what arrives on the sockets goes to FILE. */
static int mode_serve(const char *base, const char *file, int secs)
{
	static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
	static const char *const names[] = { "stream", "seqpacket", "dgram" };
	struct pollfd pf[6];
	struct sockaddr_un a;
	char path[200], buf[512];
	int out = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	int n = 0;

	if (out < 0)
		DIE("open %s", file);
	for (int abs = 0; abs < 2; abs++) {
		for (int i = 0; i < 3; i++) {
			int s = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
			socklen_t len;

			snprintf(path, sizeof(path), "%s.%s", base, names[i]);
			len = unix_addr(&a, path, abs);
			if (s < 0 || bind(s, (struct sockaddr *)&a, len))
				DIE("bind %s%s", abs ? "@" : "", path);
			if (types[i] != SOCK_DGRAM && listen(s, 8))
				DIE("listen");
			pf[n].fd = s;
			pf[n].events = POLLIN;
			n++;
		}
	}
	OUT("ready");
	for (time_t end = time(NULL) + secs; time(NULL) < end;) {
		if (poll(pf, n, 200) <= 0)
			continue;
		for (int i = 0; i < n; i++) {
			ssize_t r;
			int c;

			if (!(pf[i].revents & POLLIN))
				continue;
			if (i % 3 == 2) {
				r = recv(pf[i].fd, buf, sizeof(buf), 0);
			} else {
				c = accept4(pf[i].fd, NULL, NULL, SOCK_CLOEXEC);
				if (c < 0)
					continue;
				dprintf(out, "accepted %s%s\n", i >= 3 ? "@" : "", names[i % 3]);
				struct pollfd one = { c, POLLIN, 0 };

				r = poll(&one, 1, 1000) > 0 ? read(c, buf, sizeof(buf)) : 0;
				close(c);
			}
			if (r > 0 && write(out, buf, r) < 0)
				DIE("write");
		}
	}
	return 0;
}

static int mode_selfmem(void)
{
	static volatile uint64_t probe = 0x5eb1f00dcafe1234ULL;
	uint64_t v = 0;
	int fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		OUT("selfmem=%s", errname(errno));
	} else {
		ssize_t n = pread(fd, &v, sizeof(v), (off_t)(uintptr_t)&probe);

		OUT("selfmem=%s", n == sizeof(v) && v == probe ? "own" : "other");
		close(fd);
	}
	fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	OUT("selfmem_rdwr=%s", fd < 0 ? errname(errno) : "0");
	if (fd >= 0)
		close(fd);
	/* what the guest calls its own command line */
	fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		OUT("cmdline=%s", errname(errno));
	} else {
		char buf[256];
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		OUT("cmdline=%s", buf);
		close(fd);
	}
	return 0;
}

static int mode_fdattr(const char *path)
{
	struct stat st;
	int flags = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st))
		DIE("open %s", path);
	OUT("fchmod=%s", res(fchmod(fd, 0600)));
	OUT("fchown=%s", res(fchown(fd, st.st_uid, st.st_gid)));
	OUT("fsetxattr=%s", res(fsetxattr(fd, "user.umbra_escape", "x", 1, 0)));
	OUT("fremovexattr=%s", res(fremovexattr(fd, "user.umbra_none")));
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
		OUT("setflags=%s", errname(errno));	/* no flags on this fs */
	} else {
		flags |= FS_NODUMP_FL;
		OUT("setflags=%s", res(ioctl(fd, FS_IOC_SETFLAGS, &flags)));
	}
	close(fd);
	return 0;
}

static int mode_listener(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };
	long fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		DIE("PR_SET_NO_NEW_PRIVS");
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	OUT("listener=%s", fd < 0 ? errname(errno) : "0");
	return 0;
}

/*
 * Host privileges a guest must not wield even when umbra runs as root:
 * settimeofday(NULL, NULL) changes nothing but still asks for CAP_SYS_TIME
 * in the host's user namespace; a packet socket sees the host's traffic.
 */
static int mode_hostpriv(void)
{
	int s;

	OUT("settimeofday=%s", res(syscall(SYS_settimeofday, NULL, NULL)));
	s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	OUT("packet_socket=%s", res(s));
	if (s >= 0)
		close(s);
	return 0;
}

static int mode_tiocsti(void)
{
	char c = '\0';
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);

	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			OUT("tiocsti_%d=%s", fd, res(ioctl(fd, TIOCSTI, &c)));
	if (tty < 0)
		OUT("tiocsti_tty=%s", errname(errno));
	else
		OUT("tiocsti_tty=%s", res(ioctl(tty, TIOCSTI, &c)));
	return 0;
}

static int mode_shm(long key)
{
	int id = shmget((key_t)key, 0, 0);
	char *p;

	if (id < 0) {
		OUT("shmget=%s", errname(errno));
		return 0;
	}
	OUT("shmget=0");
	p = shmat(id, NULL, SHM_RDONLY);
	if (p == (void *)-1) {
		OUT("shmat=%s", errname(errno));
		return 0;
	}
	OUT("shmat=0");
	print_data(p, strnlen(p, 200));
	return 0;
}

static int mode_shmhost(long key, const char *text)
{
	int id = shmget((key_t)key, 4096, IPC_CREAT | IPC_EXCL | 0600);
	char *p;

	if (id < 0)
		DIE("shmget");
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		DIE("shmat");
	snprintf(p, 4096, "%s", text);
	shmdt(p);
	OUT("shmid=%d", id);
	return 0;
}

static int mode_shmrm(long key)
{
	int id = shmget((key_t)key, 0, 0);

	return id >= 0 && shmctl(id, IPC_RMID, NULL) == 0 ? 0 : 1;
}

/* setpriority and ioprio_set for "every process of my uid". */
static int mode_prio_user(void)
{
	errno = 0;
	OUT("prio_user=%s", res(setpriority(PRIO_USER, 0, 7)));
	OUT("nice=%d", getpriority(PRIO_PROCESS, 0));
	OUT("prio_user_get=%d", getpriority(PRIO_USER, 0));
	OUT("prio_user_raise=%s", res(setpriority(PRIO_USER, 0, -5)));
	/* IOPRIO_WHO_USER, the idle class */
	OUT("ioprio_user=%s", res(syscall(SYS_ioprio_set, 3, 0, 3 << 13)));
	OUT("ioprio=%ld", syscall(SYS_ioprio_get, 1, 0));
	OUT("ioprio_user_get=%ld", syscall(SYS_ioprio_get, 3, 0));
	return 0;
}

/* The pids SysV IPC reports are the caller's and its child's. */
static int mode_ipcpids(void)
{
	int s = shmget(IPC_PRIVATE, 4096, 0600 | IPC_CREAT);
	int m = msgget(IPC_PRIVATE, 0600 | IPC_CREAT);
	int se = semget(IPC_PRIVATE, 1, 0600 | IPC_CREAT);
	struct { long type; char text[4]; } msg = { 1, "abc" };
	struct sembuf op = { 0, 1, 0 };
	struct shmid_ds sd;
	struct msqid_ds md;
	pid_t c;
	int sp;

	if (s < 0 || m < 0 || se < 0)
		DIE("*get");
	c = fork();
	if (c == 0) {
		void *p = shmat(s, NULL, 0);

		if (p == (void *)-1 || shmdt(p) || msgsnd(m, &msg, 4, 0) ||
		    semop(se, &op, 1))
			_exit(1);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	if (shmctl(s, IPC_STAT, &sd) || msgctl(m, IPC_STAT, &md))
		DIE("IPC_STAT");
	sp = semctl(se, 0, GETPID);
	shmctl(s, IPC_RMID, NULL);
	msgctl(m, IPC_RMID, NULL);
	semctl(se, 0, IPC_RMID);
	OUT("ipc_pids=%d", sd.shm_cpid == getpid() && sd.shm_lpid == c &&
	    md.msg_lspid == c && sp == c);
	if (sd.shm_cpid != getpid() || sd.shm_lpid != c || md.msg_lspid != c ||
	    sp != c)
		OUT("ipc_pids_got=%d:%d:%d:%d me=%d child=%d", sd.shm_cpid,
		    sd.shm_lpid, md.msg_lspid, sp, getpid(), c);
	return 0;
}

static int mode_shmstat(int id)
{
	struct shmid_ds ds;

	OUT("shmstat=%s", res(shmctl(id, IPC_STAT, &ds)));
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	int n = argc - 2;
	char **a = argv + 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "exec"))
		return mode_exec(n, a);
	if (!strcmp(m, "open"))
		return mode_open(n, a);
	if (!strcmp(m, "openat"))
		return mode_openat(n, a);
	if (!strcmp(m, "chroot"))
		return mode_chroot(n, a);
	if (!strcmp(m, "chroot_escape"))
		return mode_chroot_escape(n, a);
	if (!strcmp(m, "fds"))
		return mode_fds();
	if (!strcmp(m, "refused"))
		return mode_refused();
	if (!strcmp(m, "pids"))
		return mode_pids(n, a);
	if (!strcmp(m, "unix") && n == 1)
		return mode_unix(a[0], false);
	if (!strcmp(m, "abstract") && n == 1)
		return mode_unix(a[0], true);
	if (!strcmp(m, "serve") && n == 3)
		return mode_serve(a[0], a[1], atoi(a[2]));
	if (!strcmp(m, "selfmem"))
		return mode_selfmem();
	if (!strcmp(m, "fdattr") && n == 1)
		return mode_fdattr(a[0]);
	if (!strcmp(m, "listener"))
		return mode_listener();
	if (!strcmp(m, "hostpriv"))
		return mode_hostpriv();
	if (!strcmp(m, "tiocsti"))
		return mode_tiocsti();
	if (!strcmp(m, "shm") && n == 1)
		return mode_shm(strtol(a[0], NULL, 0));
	if (!strcmp(m, "shmhost") && n == 2)
		return mode_shmhost(strtol(a[0], NULL, 0), a[1]);
	if (!strcmp(m, "ipcpids"))
		return mode_ipcpids();
	if (!strcmp(m, "prio_user"))
		return mode_prio_user();
	if (!strcmp(m, "shmstat") && n == 1)
		return mode_shmstat(atoi(a[0]));
	if (!strcmp(m, "shmrm") && n == 1)
		return mode_shmrm(strtol(a[0], NULL, 0));
	if (!strcmp(m, "hello")) {
		OUT("hello=%d", getpid());
		return 0;
	}
	fprintf(stderr, "usage: escape_misc exec|open|openat|chroot|chroot_escape|fds|refused|pids|"
		"unix|abstract|serve|selfmem|fdattr|listener|hostpriv|tiocsti|shm|"
		"shmhost|"
		"shmrm|hello ...\n");
	return 2;
}
