/*
 * conform MODE [ARG] — Linux's answers where LTP found the guest's
 * different (issue 15); each mode checks one of them.
 *
 *   killperm     (as root) a process of uid 1002 signals one of uid 1001:
 *                `kill=EPERM`, `kill0=EPERM`, `sigqueue=EPERM`; SIGCONT
 *                within the session goes: `cont=0`; root's kill: `root=0`
 *   bindlow      (as root) become uid 65534, bind TCP port 80 on
 *                loopback: `bind=EACCES`
 *   clone3       clone3 with CLONE_FS|CLONE_NEWNS: `fsnewns=EINVAL`; a
 *                stack of size 0: `zerostack=EINVAL`; a size without a
 *                stack: `nostack=EINVAL`
 *   securebits   (as root) `bits=0`; with SECBIT_NO_CAP_AMBIENT_RAISE,
 *                raising an ambient capability: `raise_denied=EPERM`,
 *                without: `raise=0`; SECBIT_KEEP_CAPS is PR_GET_KEEPCAPS:
 *                `keepcaps=1`; a locked bit stays: `locked=EPERM`
 *   sndbufforce  (as root) SO_SNDBUFFORCE: `force=0`, `size_ok=1`; as
 *                uid 1000 without capabilities: `force_user=EPERM`
 *   textbusy COPY   (COPY: a writable copy of this program) while a child
 *                runs COPY, opening it to write: `busy=ETXTBSY`; once the
 *                child is gone: `after=0`
 *   linktmp DIR  an O_TMPFILE file in DIR, named with linkat of
 *                /proc/self/fd/N, AT_SYMLINK_FOLLOW: `link=0`, `size=5`
 *   lease FILE   a read lease on FILE (`lease=F_RDLCK`); a child's
 *                O_NONBLOCK write open: `nb=EAGAIN`; its blocking one
 *                waits for the holder, who gets SIGIO (`broken=1`), makes
 *                an emulated call and lets go: `open=0`, `quick=1`
 *   core DIR     in DIR, with RLIMIT_CORE 1 MiB: a child's abort() is
 *                WCOREDUMP (`abort_core=1`), a SIGQUIT'd child's waitid
 *                CLD_DUMPED (`quit_code=CLD_DUMPED`), with a core file of
 *                ELF type ET_CORE (`file=ET_CORE`); with RLIMIT_CORE 0,
 *                no core: `nolimit_core=0`
 *   nnp          (as root, CAP_SYS_ADMIN dropped) the guest's own
 *                no_new_privs: `nnp=0`; a seccomp filter needs it:
 *                `prctl_filter=EACCES`, `seccomp_filter=EACCES`; a bad
 *                program pointer first: `bad_prog=EFAULT`; once set
 *                (`nnp_set=1`, inherited: `child_nnp=1`) the filter goes:
 *                `filter=0`
 */
#include "prog.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void do_killperm(void)
{
	int go[2], done[2];
	pid_t a, b;
	char c;

	if (pipe(go) || pipe(done))
		DIE("pipe");
	a = fork();
	if (a == 0) {
		if (setresuid(1001, 1001, 1001))
			DIE("setresuid");
		close(go[1]);
		read(go[0], &c, 1);	/* until root kills it */
		_exit(0);
	}
	b = fork();
	if (b == 0) {
		union sigval v = { 0 };

		if (setresuid(1002, 1002, 1002))
			DIE("setresuid");
		usleep(100000);
		OUT("kill=%s", res(kill(a, SIGKILL)));
		OUT("kill0=%s", res(kill(a, 0)));
		OUT("sigqueue=%s", res(sigqueue(a, SIGUSR1, v)));
		OUT("cont=%s", res(kill(a, SIGCONT)));
		_exit(0);
	}
	waitpid(b, NULL, 0);
	OUT("root=%s", res(kill(a, SIGKILL)));
	waitpid(a, NULL, 0);
}

static void do_bindlow(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(80),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s;

	if (setresuid(65534, 65534, 65534))
		DIE("setresuid");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		DIE("socket");
	OUT("bind=%s", res(bind(s, (struct sockaddr *)&sin, sizeof(sin))));
}

static long clone3_call(uint64_t flags, uint64_t stack, uint64_t size)
{
	struct clone_args ca = { .flags = flags, .exit_signal = SIGCHLD,
				 .stack = stack, .stack_size = size };
	long r = syscall(SYS_clone3, &ca, sizeof(ca));

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r > 0 ? 0 : r;
}

static void do_clone3(void)
{
	static char stack[4096];

	OUT("fsnewns=%s", res(clone3_call(CLONE_FS | CLONE_NEWNS, 0, 0)));
	OUT("zerostack=%s", res(clone3_call(0, (uintptr_t)stack, 0)));
	OUT("nostack=%s", res(clone3_call(0, 0, sizeof(stack))));
}

static void set_caps(uint64_t prm_inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)prm_inh;
	d[0].effective |= 1u << CAP_SETPCAP;
	d[0].permitted |= 1u << CAP_SETPCAP;
	if (syscall(SYS_capset, &h, d))
		DIE("capset");
}

static void do_securebits(void)
{
	OUT("bits=%d", prctl(PR_GET_SECUREBITS));
	set_caps(1u << CAP_NET_BIND_SERVICE);
	if (prctl(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE))
		DIE("PR_SET_SECUREBITS");
	OUT("raise_denied=%s", res(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
					 CAP_NET_BIND_SERVICE, 0, 0)));
	if (prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS | SECBIT_NOROOT_LOCKED))
		DIE("PR_SET_SECUREBITS");
	OUT("raise=%s", res(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
				  CAP_NET_BIND_SERVICE, 0, 0)));
	OUT("keepcaps=%d", prctl(PR_GET_KEEPCAPS));
	OUT("locked=%s", res(prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS |
				   SECBIT_NOROOT | SECBIT_NOROOT_LOCKED)));
}

static void do_sndbufforce(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), v = 65536, got = 0;
	socklen_t len = sizeof(got);

	if (s < 0)
		DIE("socket");
	OUT("force=%s", res(setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &v,
				       sizeof(v))));
	getsockopt(s, SOL_SOCKET, SO_SNDBUF, &got, &len);
	OUT("size_ok=%d", got > 0);
	if (setresuid(1000, 1000, 1000))
		DIE("setresuid");
	OUT("force_user=%s", res(setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE,
					    &v, sizeof(v))));
}

static void do_textbusy(const char *copy)
{
	char *args[] = { (char *)copy, "sleep", NULL };
	pid_t c = fork();
	int fd;

	if (c == 0) {
		execv(copy, args);
		_exit(99);
	}
	usleep(300000);
	fd = open(copy, O_WRONLY);
	OUT("busy=%s", res(fd));
	if (fd >= 0)
		close(fd);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	fd = open(copy, O_WRONLY);
	OUT("after=%s", res(fd));
}

static void do_linktmp(const char *dir)
{
	char proc[64], name[4096];
	struct stat st;
	int fd = open(dir, O_TMPFILE | O_RDWR, 0600);

	if (fd < 0)
		DIE("O_TMPFILE");
	if (write(fd, "hello", 5) != 5)
		DIE("write");
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(name, sizeof(name), "%s/named", dir);
	OUT("link=%s", res(linkat(AT_FDCWD, proc, AT_FDCWD, name,
				  AT_SYMLINK_FOLLOW)));
	OUT("size=%ld", stat(name, &st) ? -1L : (long)st.st_size);
}

static volatile sig_atomic_t broken;

static void on_sigio(int sig)
{
	broken = 1;
}

static void do_lease(const char *file)
{
	int fd = open(file, O_RDONLY | O_CREAT, 0644), dir;
	double t0;
	pid_t c;
	int st;

	if (fd < 0)
		DIE("open");
	signal(SIGIO, on_sigio);
	if (fcntl(fd, F_SETLEASE, F_RDLCK))
		DIE("F_SETLEASE");
	OUT("lease=%s", fcntl(fd, F_GETLEASE) == F_RDLCK ? "F_RDLCK" : "?");
	c = fork();
	if (c == 0) {
		int w = open(file, O_WRONLY | O_NONBLOCK);

		OUT("nb=%s", res(w));
		t0 = now();
		w = open(file, O_WRONLY);
		OUT("open=%s", res(w));
		OUT("quick=%d", now() - t0 < 10);
		_exit(0);
	}
	while (!broken)
		usleep(1000);
	OUT("broken=1");
	/* an emulated call while the child's open waits for the break */
	dir = open("/", O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		DIE("open /");
	close(dir);
	fcntl(fd, F_SETLEASE, F_UNLCK);
	waitpid(c, &st, 0);
}

static pid_t dying_child(int sig, rlim_t limit)
{
	struct rlimit rl = { limit, limit };
	pid_t c = fork();

	if (c == 0) {
		if (setrlimit(RLIMIT_CORE, &rl))
			DIE("setrlimit");
		if (sig == SIGABRT)
			abort();
		kill(getpid(), sig);
		_exit(0);
	}
	return c;
}

/* The ELF type of the first file named core* here, or "none". */
static const char *core_file_type(void)
{
	DIR *d = opendir(".");
	struct dirent *e;
	Elf64_Ehdr eh;
	const char *type = "none";
	int fd;

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "core", 4) &&
		    (fd = open(e->d_name, O_RDONLY)) >= 0) {
			if (read(fd, &eh, sizeof(eh)) == sizeof(eh) &&
			    !memcmp(eh.e_ident, ELFMAG, SELFMAG))
				type = eh.e_type == ET_CORE ? "ET_CORE" : "other";
			close(fd);
		}
	if (d)
		closedir(d);
	return type;
}

static void do_core(const char *dir)
{
	siginfo_t si;
	int st;

	if (chdir(dir))
		DIE("chdir");
	waitpid(dying_child(SIGABRT, 1 << 20), &st, 0);
	OUT("abort_core=%d", WIFSIGNALED(st) && WCOREDUMP(st));
	waitid(P_PID, (id_t)dying_child(SIGQUIT, 1 << 20), &si, WEXITED);
	OUT("quit_code=%s", si.si_code == CLD_DUMPED ? "CLD_DUMPED" :
	    si.si_code == CLD_KILLED ? "CLD_KILLED" : "?");
	OUT("file=%s", core_file_type());
	waitpid(dying_child(SIGABRT, 0), &st, 0);
	OUT("nolimit_core=%d", WIFSIGNALED(st) && WCOREDUMP(st));
}

static void do_nnp(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	pid_t c;
	int st;

	if (syscall(SYS_capget, &h, d))
		DIE("capget");
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &h, d))
		DIE("capset");
	OUT("nnp=%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	OUT("prctl_filter=%s", res(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER,
					 &prog, 0, 0)));
	OUT("seccomp_filter=%s", res(syscall(SYS_seccomp,
					     SECCOMP_SET_MODE_FILTER, 0, &prog)));
	OUT("bad_prog=%s", res(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				       (void *)8)));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		DIE("PR_SET_NO_NEW_PRIVS");
	OUT("nnp_set=%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	c = fork();
	if (c == 0) {
		OUT("child_nnp=%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
		_exit(0);
	}
	waitpid(c, &st, 0);
	OUT("filter=%s", res(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
				     &prog)));
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (!strcmp(m, "killperm"))
		do_killperm();
	else if (!strcmp(m, "bindlow"))
		do_bindlow();
	else if (!strcmp(m, "clone3"))
		do_clone3();
	else if (!strcmp(m, "securebits"))
		do_securebits();
	else if (!strcmp(m, "sndbufforce"))
		do_sndbufforce();
	else if (!strcmp(m, "textbusy") && argc == 3)
		do_textbusy(argv[2]);
	else if (!strcmp(m, "sleep"))
		sleep(30);
	else if (!strcmp(m, "linktmp") && argc == 3)
		do_linktmp(argv[2]);
	else if (!strcmp(m, "lease") && argc == 3)
		do_lease(argv[2]);
	else if (!strcmp(m, "nnp"))
		do_nnp();
	else if (!strcmp(m, "core") && argc == 3)
		do_core(argv[2]);
	else
		DIE("usage: conform MODE [ARG]");
	return prog_exit();
}
