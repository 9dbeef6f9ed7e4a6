// SPDX-License-Identifier: GPL-2.0
/*
 * --mem SIZE: the guest's memory, as UML's mem=.  When the resident memory
 * of all guest processes together passes SIZE, the guest kernel's OOM
 * killer kills the largest guest process with SIGKILL and says so, as
 * Linux does when a memory cgroup runs out; a memory bomb dies and the
 * host stays responsive.  The host gives an unprivileged monitor no
 * memory cgroup of its own, so a thread samples each process's resident
 * set (/proc/PID/statm) ten times a second, and only when --mem is given.
 * Shared pages count in every process that maps them, as in Linux's own
 * OOM score: the sum errs on the side of the host.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kernel/kernel.h"
#include "kernel/task.h"
#include "platform/monitor.h"
#include "platform/platform.h"

#define OOM_TICK_MS	100
#define OOM_GRACE_MS	1000	/* for a victim's memory to be freed */

static unsigned long long mem_limit;
static long page_size;

/* Resident bytes of a host task's process; 0 if it is gone. */
static unsigned long long rss_of(pid_t tid)
{
	char path[64];
	unsigned long size, resident = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/statm", tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (unsigned long long)resident * page_size;
}

/* One look, under the kernel lock; true if a process was killed. */
static bool oom_check(void)
{
	unsigned long long total = 0, worst_rss = 0, r;
	struct task *t, *worst = NULL;

	for_each_task(t) {
		if (!task_is_leader(t) || t->state == TASK_ZOMBIE)
			continue;
		r = rss_of(t->tid);
		total += r;
		if (r > worst_rss) {
			worst_rss = r;
			worst = t;
		}
	}
	if (total <= mem_limit || !worst || worst->pidfd < 0)
		return false;
	host_pidfd_signal(worst->pidfd, SIGKILL, NULL, false);
	fprintf(stderr, "umbra: out of memory: guest resident %llu MiB over "
		"--mem %llu MiB: killed process %d (%s), %llu MiB\n",
		total >> 20, mem_limit >> 20, worst->vtid,
		worst->exe ? worst->exe : "?", worst_rss >> 20);
	return true;
}

static void *oom_thread(void *arg)
{
	struct timespec tick = { 0, OOM_TICK_MS * 1000000L };
	struct timespec grace = { OOM_GRACE_MS / 1000,
				  (OOM_GRACE_MS % 1000) * 1000000L };
	bool killed;

	for (;;) {
		nanosleep(&tick, NULL);
		kernel_lock();
		killed = oom_check();
		kernel_unlock();
		if (killed)
			nanosleep(&grace, NULL);
	}
	return arg;
}

int oom_start(unsigned long long limit)
{
	sigset_t all, old;
	pthread_t th;
	int err;

	mem_limit = limit;
	page_size = sysconf(_SC_PAGESIZE);
	/* signals for the monitor go to the ptrace thread */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&th, NULL, oom_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		pthread_detach(th);
	return -err;
}
