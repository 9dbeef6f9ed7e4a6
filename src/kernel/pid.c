// SPDX-License-Identifier: GPL-2.0
/*
 * Guest pids.  Two hash maps (host tid -> task, guest tid -> task) and an
 * allocator that hands out guest pids like Linux's alloc_pid(): counting up
 * from 1, wrapping at pid_max, skipping numbers still in use as a pid, a
 * process group id or a session id.
 */
#include <pthread.h>
#include <stddef.h>
#include "kernel/task.h"

#define PID_HASH_BITS	12
#define PID_HASH_SIZE	(1 << PID_HASH_BITS)

static struct task *by_tid[PID_HASH_SIZE];
static struct task *by_vtid[PID_HASH_SIZE];
static struct task *all_tasks;
static pid_t last_vpid;
static pid_t vpid_max = 4194304;

static unsigned int pid_hashfn(pid_t pid)
{
	return ((unsigned int)pid * 2654435761u) >> (32 - PID_HASH_BITS);
}

void pid_init(int max)
{
	for (int i = 0; i < PID_HASH_SIZE; i++)
		by_tid[i] = by_vtid[i] = NULL;
	all_tasks = NULL;
	last_vpid = 0;
	if (max > 1)
		vpid_max = max;
}

struct task *task_first(void)
{
	return all_tasks;
}

struct task *task_by_tid(pid_t tid)
{
	struct task *t;

	for (t = by_tid[pid_hashfn(tid)]; t; t = t->hnext)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct task *task_by_vtid(pid_t vtid)
{
	struct task *t;

	for (t = by_vtid[pid_hashfn(vtid)]; t; t = t->vnext)
		if (t->vtid == vtid)
			return t;
	return NULL;
}

/* A number is busy while a task, a process group or a session holds it. */
static bool vpid_busy(pid_t v)
{
	struct task *t;

	if (task_by_vtid(v))
		return true;
	for_each_task(t)
		if (task_is_leader(t) && (t->vpgid == v || t->vsid == v))
			return true;
	return false;
}

pid_t pid_alloc(void)
{
	for (pid_t tries = 0; tries < vpid_max; tries++) {
		pid_t v = last_vpid + 1;

		if (v >= vpid_max)
			v = 2;	/* like Linux, wrap above init's number */
		last_vpid = v;
		if (!vpid_busy(v))
			return v;
	}
	return -1;
}

static void stand_in_forget(pid_t host);

void pid_hash_add(struct task *t)
{
	unsigned int h = pid_hashfn(t->tid), v = pid_hashfn(t->vtid);

	stand_in_forget(t->tid);
	t->hnext = by_tid[h];
	by_tid[h] = t;
	t->vnext = by_vtid[v];
	by_vtid[v] = t;
	t->prev = NULL;
	t->next = all_tasks;
	if (all_tasks)
		all_tasks->prev = t;
	all_tasks = t;
}

static void unlink_chain(struct task **head, struct task *t, bool host)
{
	struct task **pp;

	for (pp = head; *pp; pp = host ? &(*pp)->hnext : &(*pp)->vnext) {
		if (*pp == t) {
			*pp = host ? t->hnext : t->vnext;
			return;
		}
	}
}

void pid_hash_del(struct task *t)
{
	unlink_chain(&by_tid[pid_hashfn(t->tid)], t, true);
	unlink_chain(&by_vtid[pid_hashfn(t->vtid)], t, false);
	if (t->prev)
		t->prev->next = t->next;
	else
		all_tasks = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
}

pid_t pid_to_guest(pid_t host)
{
	struct task *t;

	if (host <= 0)
		return 0;
	t = task_by_tid(host);
	return t ? t->vtid : 0;
}

pid_t pid_to_host(pid_t guest)
{
	struct task *t;

	if (guest <= 0)
		return 0;
	t = task_by_vtid(guest);
	return t ? t->tid : 0;
}

/* A process group outlives its leader: any member knows its host id. */
pid_t pgrp_to_host(pid_t vpgid)
{
	struct task *t;

	if (vpgid <= 0)
		return 0;
	for_each_task(t)
		if (task_is_leader(t) && t->vpgid == vpgid &&
		    t->state != TASK_ZOMBIE)
			return t->hpgid;
	return 0;
}

/* A host process group id in guest terms (0: outside the guest). */
pid_t pgrp_to_guest(pid_t h)
{
	struct task *t;

	if (h <= 0)
		return 0;
	for_each_task(t)
		if (task_is_leader(t) && t->hpgid == h)
			return t->vpgid;
	return pid_to_guest(h);
}

/* The last guest pid handed out, and the bound (/proc/loadavg, sys). */
pid_t pid_last(void)
{
	return last_vpid;
}

pid_t pid_max(void)
{
	return vpid_max;
}

/*
 * Recently reaped processes.  A SIGCHLD is delivered after the parent's
 * wait has already reaped the child (the wait returns first, the signal is
 * taken on the way back to user space), so its sender must still be
 * nameable for a moment after the task is gone.
 */
#define REAPED_RING 64
static struct { pid_t host, guest; } reaped[REAPED_RING];
static unsigned int reaped_next;

void pid_remember_reaped(pid_t host, pid_t guest)
{
	reaped[reaped_next % REAPED_RING].host = host;
	reaped[reaped_next % REAPED_RING].guest = guest;
	reaped_next++;
}

/*
 * Helpers that made a connect or a send for a guest process
 * (net/unix.c): the credentials the host recorded name the helper, whose
 * pid stands for that process when they are read back, as long as no
 * guest task has the number since (a socket's peer can be asked about
 * long after the connect: the table is larger than the ring above).
 */
#define STAND_INS 1024
static struct { pid_t host, guest; } stand_in[STAND_INS];
static unsigned int stand_in_next;
/* workers run helpers without the kernel lock */
static pthread_mutex_t stand_in_lock = PTHREAD_MUTEX_INITIALIZER;

void pid_stand_in(pid_t host, pid_t guest)
{
	pthread_mutex_lock(&stand_in_lock);
	stand_in[stand_in_next % STAND_INS].host = host;
	stand_in[stand_in_next % STAND_INS].guest = guest;
	stand_in_next++;
	pthread_mutex_unlock(&stand_in_lock);
}

/* A guest task has the number now: it names that task from here on. */
static void stand_in_forget(pid_t host)
{
	unsigned int n;

	pthread_mutex_lock(&stand_in_lock);
	n = stand_in_next < STAND_INS ? stand_in_next : STAND_INS;
	for (unsigned int i = 0; i < n; i++)
		if (stand_in[i].host == host)
			stand_in[i].host = 0;
	pthread_mutex_unlock(&stand_in_lock);
}

static pid_t stand_in_guest(pid_t host)
{
	pid_t v = 0;

	pthread_mutex_lock(&stand_in_lock);
	for (unsigned int i = 0; !v && i < STAND_INS && i < stand_in_next;
	     i++) {
		unsigned int k = (stand_in_next - 1 - i) % STAND_INS;

		if (stand_in[k].host == host)
			v = stand_in[k].guest;
	}
	pthread_mutex_unlock(&stand_in_lock);
	return v;
}

pid_t pid_to_guest_recent(pid_t host)
{
	pid_t v = pid_to_guest(host);

	for (unsigned int i = 0; !v && i < REAPED_RING; i++) {
		unsigned int k = (reaped_next - 1 - i) % REAPED_RING;

		if (reaped[k].host == host)
			v = reaped[k].guest;
	}
	return v ? v : host > 0 ? stand_in_guest(host) : 0;
}
