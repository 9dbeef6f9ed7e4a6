/*
 * die HOW — end the process in a chosen way, to check the exit status a
 * parent (or umbra, for init) reports:
 *
 *   segv   write through a null pointer (SIGSEGV, 11)
 *   fpe    integer division by zero (SIGFPE, 8)
 *   ill    ud2 (SIGILL, 4)
 *   abort  abort() (SIGABRT, 6)
 *   exit N exit(N)
 *
 * segv, fpe and ill are faults the kernel forces: they kill even a pid
 * namespace's init, which ignores signals it has no handler for.
 */
#include "prog.h"

#include <signal.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";

	if (!strcmp(how, "segv")) {
		*(volatile int *)0 = 1;
	} else if (!strcmp(how, "fpe")) {
		/* In assembly: gcc turns 1 / x into a comparison. */
		__asm__ volatile("xor %%ecx, %%ecx; mov $1, %%eax; cltd; idiv %%ecx"
				 ::: "eax", "ecx", "edx");
	} else if (!strcmp(how, "ill")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(how, "abort")) {
		abort();
	} else if (!strcmp(how, "exit") && argc > 2) {
		exit(atoi(argv[2]));
	} else {
		fprintf(stderr, "usage: die segv|fpe|ill|abort|exit N\n");
		return 2;
	}
	fprintf(stderr, "die: still alive after %s\n", how);
	return 99;
}
