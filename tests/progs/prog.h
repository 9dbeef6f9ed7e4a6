/*
 * Helpers shared by the test programs in tests/progs/.
 *
 * The programs print machine-checkable `key=value` lines on stdout and exit
 * nonzero on any failed check.  A check only asserts what is true both on the
 * host and inside umbra (e.g. "fork's result equals the child's getpid()"), so
 * that every program can be verified natively; the absolute values a guest
 * must see (pid=1, ESRCH for a host pid, ...) are asserted by the shell tests
 * in tests/integration/.
 */
#ifndef UMBRA_TEST_PROG_H
#define UMBRA_TEST_PROG_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int prog_failures;

/* Print a failed check on stdout (in order with the key=value lines). */
#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);	\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		fflush(stdout);						\
		prog_failures++;					\
	}								\
} while (0)

/* Abort the program at once: the rest of it makes no sense. */
#define DIE(...) do {							\
	printf("FAIL %s:%d: ", __FILE__, __LINE__);			\
	printf(__VA_ARGS__);						\
	printf(" (errno %s)\n", errname(errno));			\
	fflush(stdout);							\
	_exit(99);							\
} while (0)

/* Seconds on the monotonic clock, for checks on how long a call waited. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "ESRCH" for ESRCH, "0" for 0. */
static inline const char *errname(int e)
{
	static __thread char buf[16];
	const char *s = e ? strerrorname_np(e) : NULL;

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

/* The outcome of a libc call returning -1/errno, as "0" or "ESRCH". */
static inline const char *res(long r)
{
	return r == -1 ? errname(errno) : "0";
}

/* Print a line and flush: children and parents share stdout. */
#define OUT(...) do { printf(__VA_ARGS__); printf("\n"); fflush(stdout); } while (0)

static inline int prog_exit(void)
{
	fflush(stdout);
	return prog_failures ? 1 : 0;
}

#endif
