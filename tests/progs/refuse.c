/*
 * refuse MODE — what a guest must not be able to do.
 *
 *   ptrace  PTRACE_TRACEME, PTRACE_ATTACH and PTRACE_SEIZE of a child:
 *           prints `traceme=`, `attach=`, `seize=` with 0 or the errno name
 *           (the guest kernel's own ptrace now: 0, as natively)
 *   int80   32-bit system calls through int $0x80 from this 64-bit process:
 *           i386 getpid (20) and write(1, "INT80-LEAK\n") (4); prints the raw
 *           results `int80_getpid=`, `int80_write=` (a negative errno when
 *           refused; natively the pid and 11) and `pid=`
 *   x32     the same through the x32 ABI (nr | 0x40000000): getpid and write
 *           of "X32-LEAK\n"; prints `x32_getpid=`, `x32_write=`
 *
 * Natively every call of int80 runs (where the kernel has IA32 emulation);
 * x32 depends on CONFIG_X86_X32_ABI.  Exits 0 unless a call misbehaves in a
 * way no kernel would (e.g. a traced child that never stops).
 */
#include "prog.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#define X32_BIT 0x40000000L

static int mode_ptrace(void)
{
	int p[2], st;
	pid_t pid;

	if (pipe(p))
		DIE("pipe");

	/* TRACEME in a child (natively the parent becomes its tracer). */
	pid = fork();
	if (pid < 0)
		DIE("fork");
	if (pid == 0) {
		int e = ptrace(PTRACE_TRACEME, 0, NULL, NULL) ? errno : 0;

		if (write(p[1], &e, sizeof(e)) != sizeof(e))
			_exit(98);
		_exit(0);
	}
	int e;

	if (read(p[0], &e, sizeof(e)) != sizeof(e))
		DIE("read");
	OUT("traceme=%s", errname(e));
	waitpid(pid, &st, 0);

	/* ATTACH and SEIZE a child that waits in pause(). */
	const struct {
		const char *name;
		enum __ptrace_request req;
	} reqs[] = { { "attach", PTRACE_ATTACH }, { "seize", PTRACE_SEIZE } };

	for (unsigned i = 0; i < 2; i++) {
		pid = fork();
		if (pid < 0)
			DIE("fork");
		if (pid == 0) {
			pause();
			_exit(0);
		}
		long r = ptrace(reqs[i].req, pid, NULL, NULL);

		OUT("%s=%s", reqs[i].name, res(r));
		kill(pid, SIGKILL);
		CHECK(waitpid(pid, &st, 0) == pid, "waitpid(%d): %s", pid, errname(errno));
	}
	return prog_exit();
}

/* A buffer below 4 GiB, reachable with 32-bit pointers. */
static char *low_buffer(const char *text)
{
	char *b = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (b == MAP_FAILED)
		DIE("mmap(MAP_32BIT)");
	strcpy(b, text);
	return b;
}

static long int80(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

static long syscall3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "memory", "rcx", "r11");
	return r;
}

static int mode_int80(void)
{
	char *msg = low_buffer("INT80-LEAK\n");

	OUT("pid=%d", getpid());
	OUT("int80_getpid=%ld", int80(20, 0, 0, 0));
	OUT("int80_write=%ld", int80(4, 1, (long)msg, strlen(msg)));
	return prog_exit();
}

static int mode_x32(void)
{
	char *msg = low_buffer("X32-LEAK\n");

	OUT("pid=%d", getpid());
	OUT("x32_getpid=%ld", syscall3(X32_BIT | 39, 0, 0, 0));
	OUT("x32_write=%ld", syscall3(X32_BIT | 1, 1, (long)msg, strlen(msg)));
	return prog_exit();
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "ptrace"))
		return mode_ptrace();
	if (!strcmp(m, "int80"))
		return mode_int80();
	if (!strcmp(m, "x32"))
		return mode_x32();
	fprintf(stderr, "usage: refuse ptrace|int80|x32\n");
	return 2;
}
