/*
 * check.h — the assertions of the unit tests (tests/unit/test_*.c).
 *
 *	#include "check.h"
 *
 *	static void test_alloc(void)
 *	{
 *		CHECK(pid_alloc() == 1);
 *		CHECK_EQ(task->tgid, 1);
 *		CHECK_STR(name, "init");
 *	}
 *
 *	int main(void)
 *	{
 *		RUN(test_alloc);
 *		return check_done();
 *	}
 *
 * A failed check prints `file:line: ...` to stderr and the test goes on;
 * check_done() returns 1 if any check failed (the runner's FAIL), 0 if all
 * passed.  SKIP_TEST("why") ends the program with 77, which the runner
 * reports as SKIP.  The binaries print nothing when all is well, except
 * with CHECK_VERBOSE=1 in the environment.
 */
#ifndef UMBRA_TEST_CHECK_H
#define UMBRA_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed;
static int check_count;
static const char *check_current = "";

#define CHECK_FAIL_(...) do {						\
	fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, check_current); \
	fprintf(stderr, __VA_ARGS__);					\
	fputc('\n', stderr);						\
	check_failed++;							\
} while (0)

/* A boolean condition. */
#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond))							\
		CHECK_FAIL_("CHECK(%s) failed", #cond);			\
} while (0)

/* Two integers (pointers compare with CHECK). */
#define CHECK_EQ(a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	check_count++;							\
	if (a_ != b_)							\
		CHECK_FAIL_("%s == %s failed: %lld != %lld", #a, #b, a_, b_); \
} while (0)

/* Two strings; NULL is a value of its own. */
#define CHECK_STR(a, b) do {						\
	const char *a_ = (a), *b_ = (b);				\
	check_count++;							\
	if (!a_ || !b_ ? a_ != b_ : strcmp(a_, b_) != 0)		\
		CHECK_FAIL_("%s == %s failed: \"%s\" != \"%s\"", #a, #b, \
			    a_ ? a_ : "(null)", b_ ? b_ : "(null)");	\
} while (0)

/* A negative errno result, e.g. CHECK_ERR(kill(99999), -ESRCH). */
#define CHECK_ERR(expr, err) CHECK_EQ(expr, err)

/* Run one test function, naming it in failures. */
#define RUN(fn) do {							\
	int before_ = check_failed;					\
	check_current = #fn;						\
	fn();								\
	if (getenv("CHECK_VERBOSE"))					\
		fprintf(stderr, "%s %s\n",				\
			check_failed == before_ ? "ok" : "FAILED", #fn); \
	check_current = "";						\
} while (0)

/* RUN, and one PASS/FAIL line on stdout for the runner. */
#define TEST(fn) do {							\
	int failed_before_ = check_failed;				\
	RUN(fn);							\
	printf("%s %s\n", check_failed == failed_before_ ? "PASS" : "FAIL", #fn); \
	fflush(stdout);							\
} while (0)

#define SKIP_TEST(why) do {						\
	fprintf(stderr, "SKIP: %s\n", why);				\
	exit(77);							\
} while (0)

static inline int check_done(void)
{
	if (check_failed)
		fprintf(stderr, "FAIL: %d of %d checks failed\n", check_failed, check_count);
	return check_failed ? 1 : 0;
}

#endif
