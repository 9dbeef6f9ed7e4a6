/*
 * Calls that name another process and have no pidfd form, made by a
 * parent on its child (tests/integration/pids.sh, test_remote_calls):
 * the sched_* getters, getpriority and ioprio_get of the child and of its
 * group, get_robust_list, kcmp, process_vm_readv, and the child's CPU
 * clock.  Each prints `name=RESULT`, the value read or the errno.
 */
#include <linux/kcmp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "prog.h"

static volatile uint64_t secret;

/* A value, or the errno of a call that failed. */
static const char *val(long r)
{
	static char buf[32];

	if (r < 0)
		return errname(errno);
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

static void child(int ready)
{
	double end = now() + 0.05;

	setpgid(0, 0);
	setpriority(PRIO_PROCESS, 0, 5);
	secret = 0x5eC2e7;
	while (now() < end)	/* some CPU time for its clock */
		;
	if (write(ready, "x", 1) != 1)
		_exit(1);
	pause();
	_exit(0);
}

static void vmread(pid_t c)
{
	uint64_t v = 0;
	struct iovec l = { &v, sizeof(v) }, r = { (void *)&secret, sizeof(v) };
	long n = process_vm_readv(c, &l, 1, &r, 1, 0);

	OUT("vmread=%s", n < 0 ? errname(errno) : v == 0x5eC2e7 ? "secret" :
	    "wrong");
}

static void sched_calls(pid_t c)
{
	struct sched_param sp = { 1 };
	struct timespec ts;
	cpu_set_t mine, its;
	uint32_t attr[32] = { 0 };

	OUT("getscheduler=%s", val(sched_getscheduler(c)));
	OUT("getparam=%s", sched_getparam(c, &sp) ? errname(errno) :
	    val(sp.sched_priority));
	OUT("rr_interval=%s", val(sched_rr_get_interval(c, &ts)));
	sched_getaffinity(0, sizeof(mine), &mine);
	OUT("getaffinity=%s", sched_getaffinity(c, sizeof(its), &its) ?
	    errname(errno) : CPU_EQUAL(&mine, &its) ? "same" : "differs");
	/* struct sched_attr: size, policy, flags, nice (an s32) ... */
	OUT("getattr_nice=%s", syscall(SYS_sched_getattr, c, attr, 48, 0) ?
	    errname(errno) : val((int32_t)attr[4]));
	OUT("getattr_size=%s", val(attr[0]));
}

static void prio_calls(pid_t c)
{
	errno = 0;
	OUT("nice=%s", val(getpriority(PRIO_PROCESS, c)));
	OUT("pgrp_nice=%s", val(getpriority(PRIO_PGRP, c)));
	OUT("ioprio=%s", syscall(SYS_ioprio_get, 1, c) < 0 ? errname(errno) :
	    "ok");
}

static void robust_and_kcmp(pid_t c)
{
	void *head = NULL;
	size_t len = 0;

	OUT("robust=%s", syscall(SYS_get_robust_list, c, &head, &len) ?
	    errname(errno) : val((long)len));
	OUT("robust_head=%s", head ? "set" : "null");
	OUT("kcmp_vm_self=%s", val(syscall(SYS_kcmp, c, c, KCMP_VM, 0, 0)));
	OUT("kcmp_vm_other=%s",
	    syscall(SYS_kcmp, getpid(), c, KCMP_VM, 0, 0) > 0 ? "differs" :
	    errname(errno));
	OUT("kcmp_file=%s", val(syscall(SYS_kcmp, getpid(), c, KCMP_FILE,
					1, 1)));
}

static void clock_calls(pid_t c)
{
	struct timespec ts = { 0, 0 }, past = { 0, 1 };
	clockid_t clk;

	if (clock_getcpuclockid(c, &clk))
		DIE("clock_getcpuclockid");
	OUT("clock_gettime=%s", clock_gettime(clk, &ts) ? errname(errno) :
	    ts.tv_sec || ts.tv_nsec > 1000000 ? "busy" : "idle");
	OUT("clock_getres=%s", val(clock_getres(clk, &ts)));
	OUT("clock_settime=%s", val(clock_settime(clk, &ts)));
	/* an absolute time already past: no wait for the paused child */
	OUT("clock_nanosleep=%s", errname(clock_nanosleep(clk, TIMER_ABSTIME,
							   &past, NULL)));
}

int main(void)
{
	int p[2];
	char x;
	pid_t c;

	if (pipe(p))
		DIE("pipe");
	c = fork();
	if (c < 0)
		DIE("fork");
	if (!c)
		child(p[1]);
	if (read(p[0], &x, 1) != 1)
		DIE("child");
	sched_calls(c);
	prio_calls(c);
	robust_and_kcmp(c);
	vmread(c);
	clock_calls(c);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return prog_failures != 0;
}
