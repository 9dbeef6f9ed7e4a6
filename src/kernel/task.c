// SPDX-License-Identifier: GPL-2.0
/*
 * Task life cycle in guest terms: creation by clone, exec (which may change
 * a thread's host tid), exit, reaping and re-parenting of orphans to the
 * guest's init, as inside a pid namespace.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kcmp.h>
#include <sys/syscall.h>
#include "kernel/fs/fs_struct.h"
#include "kernel/syscalls.h"
#include "kernel/fs/procfs.h"
#include "kernel/ptrace.h"
#include "kernel/seccomp_notif.h"
#include "kernel/task.h"
#include "platform/platform.h"

static int ntasks;
static struct task *init_task;

int task_count(void)
{
	return ntasks;
}

struct task *task_init(void)
{
	return init_task;
}

static struct task *task_alloc(pid_t tid)
{
	struct task *t = calloc(1, sizeof(*t));
	struct task *stale;

	if (!t)
		return NULL;
	/* The host reused a tid we still held: that task is gone for good. */
	stale = task_by_tid(tid);
	if (stale)
		task_release(stale);
	t->vtid = pid_alloc();
	if (t->vtid < 0) {
		free(t);
		return NULL;
	}
	t->tid = tid;
	t->pidfd = -1;
	t->exec_uid = (uid_t)-1;	/* no set-id exec pending */
	t->exec_gid = (gid_t)-1;
	ntasks++;
	return t;
}

/*
 * The task's pidfd, opened while its number certainly names it (it is
 * traced and its exit not yet seen): every later action on the task goes
 * through it.  Without one (no fd left) the task cannot be watched safely
 * and is refused.  A thread has none before Linux 6.9.
 */
static bool task_open_pidfd(struct task *t)
{
	int fd = host_pidfd_open(t->tid, !task_is_leader(t));

	/*
	 * A thread without one (before Linux 6.9, or past the monitor's fd
	 * ceiling) is signalled through its process; refusing it would
	 * mean killing it, and with it its whole process.
	 */
	if ((fd == -EINVAL || fd == -EMFILE) && !task_is_leader(t))
		return true;
	t->pidfd = fd;
	return fd >= 0;
}

/* Undo task_alloc for a task that could not be set up. */
static void task_free(struct task *t)
{
	ntasks--;
	cred_free(&t->cred);
	free(t);
}

struct task *task_create_init(pid_t tid, struct fs_struct *fs)
{
	struct task *t = task_alloc(tid);

	if (!t)
		return NULL;
	t->leader = t;
	if (!task_open_pidfd(t)) {
		task_free(t);
		return NULL;
	}
	t->fs = fs;
	cred_init(&t->cred);
	t->leader = t;
	t->nthreads = 1;
	t->vpgid = t->vtid;	/* init leads its own group ... */
	t->hpgid = tid;
	t->vsid = 0;		/* ... in a session outside the guest */
	t->state = TASK_RUNNING;
	pid_hash_add(t);
	init_task = t;
	return t;
}

struct task *task_clone(struct task *creator, pid_t child_tid,
			uint64_t flags)
{
	struct task *t = task_alloc(child_tid);
	struct task *pl = creator->leader;

	if (!t)
		return NULL;
	t->leader = (flags & CLONE_THREAD) ? pl : t;
	if (!task_open_pidfd(t)) {
		task_free(t);
		return NULL;
	}
	t->state = TASK_NEW;
	if (!cred_copy(&t->cred, &creator->cred)) {
		if (t->pidfd >= 0)
			close(t->pidfd);
		task_free(t);
		return NULL;
	}
	t->seccomp_mode = creator->seccomp_mode;	/* per thread, inherited */
	t->gfilter = gfilter_get(creator->gfilter);
	/* the host copies the creator's comm: so do we */
	memcpy(t->comm, creator->comm, sizeof(t->comm));
	memcpy(t->hcomm, creator->hcomm, sizeof(t->hcomm));
	if (creator->fs)
		t->fs = (flags & CLONE_FS) ? fs_get(creator->fs) :
					     fs_copy(creator->fs);
	if (creator->fs && !t->fs) {	/* no fd left for its root and cwd */
		if (t->pidfd >= 0)
			close(t->pidfd);
		task_free(t);
		return NULL;
	}
	if (flags & CLONE_THREAD) {
		t->leader = pl;
		pl->nthreads++;
	} else {
		t->leader = t;
		t->nthreads = 1;
		/* CLONE_PARENT: the caller's own, as Linux (not the flags') */
		t->exit_signal = (flags & CLONE_PARENT) ? pl->exit_signal :
			(int)(flags & CSIGNAL);
		t->parent_tid = (flags & CLONE_PARENT) ? pl->parent_tid :
				creator->tid;
		t->scm_trap = pl->scm_trap;	/* its filters are the same */
		memcpy(t->sfd_watched, pl->sfd_watched,
		       sizeof(t->sfd_watched));
		/* CLONE_PARENT makes a sibling; init's siblings are init's */
		t->parent = (flags & CLONE_PARENT) && pl->parent ?
			    pl->parent : pl;
		t->vpgid = pl->vpgid;
		t->hpgid = pl->hpgid;
		t->vsid = pl->vsid;
		t->exe = pl->exe ? strdup(pl->exe) : NULL;
		t->exe_dev = pl->exe_dev;
		t->exe_ino = pl->exe_ino;
	}
	pid_hash_add(t);
	return t;
}

/*
 * A non-leader thread that execs takes over the leader's tid (and, inside a
 * pid namespace, its guest tid): the old leader's entry lives on, the
 * exec'ing thread's entry goes away.
 */
void task_exec(struct task *t, pid_t former_tid)
{
	struct task *former;

	if (former_tid != t->tid) {
		former = task_by_tid(former_tid);
		if (former && former != t)
			task_release(former);
		t->nthreads--;	/* the old leader went away silently */
		t->exit_signal = SIGCHLD;	/* as Linux's de_thread() */
	}
	t->state = TASK_RUNNING;
	t->clone_pending = false;
}

/*
 * The host has given the dead process's children a new parent by Linux's
 * rule (a live thread of the process, else the nearest live ancestor that
 * is a child subreaper, else init, which spawn.c made the host's
 * subreaper for the guest): the guest's tree is the host's, so the new
 * parent is the host's.  It is one of the guest's processes; anything
 * else (the child released meanwhile) falls back to init.
 */
static struct task *new_parent(const struct task *c)
{
	pid_t tgid, ppid;
	struct task *p;

	if (host_task_ids(c->tid, &tgid, &ppid))
		return init_task;
	p = task_by_tid(ppid);
	return p && p->leader->state != TASK_ZOMBIE ? p->leader : init_task;
}

static void reparent_children(struct task *dead)
{
	struct task *c;

	for_each_task(c) {
		if (!task_is_leader(c) || c->parent != dead)
			continue;
		c->parent = dead == init_task ? NULL : new_parent(c);
		c->parent_tid = c->parent ? c->parent->tid : 0;
		c->exit_signal = SIGCHLD;	/* as Linux, to a new group */
	}
}

/*
 * A process's death hands its zombie children to a new parent on the
 * host too; one that ignores SIGCHLD (a subreaper, or init) has them
 * released at once, behind the monitor's back.  A guest pid must never
 * name a task the host has let go: forget them now, as Linux would have.
 */
void task_forget_released(void)
{
	struct task *c, *next;

	for (c = task_first(); c; c = next) {
		next = c->next;
		if (task_is_leader(c) && c->state == TASK_ZOMBIE &&
		    c != init_task && c->pidfd >= 0 &&
		    !host_pidfd_alive(c->pidfd))
			task_release(c);
	}
}

/* The host reported this thread's death. */
void task_exited(struct task *t)
{
	signal_parent_death(t);
	if (!task_is_leader(t)) {
		t->leader->nthreads--;
		task_release(t);
		return;
	}
	t->nthreads = 0;
	t->state = TASK_ZOMBIE;
	reparent_children(t);
}

/* Forget a task: the host has reaped it, or it was a thread. */
void task_release(struct task *t)
{
	struct task *c;

	/* threads whose leader goes first point nowhere meanwhile */
	for_each_task(c)
		if (c->leader == t && c != t)
			c->leader = c;
	if (t == init_task)
		init_task = NULL;
	if (task_is_leader(t))
		pid_remember_reaped(t->tid, t->vtid);
	if (t->proc_dirs)
		procfs_forget(t);
	ptrace_forget(t);
	gnotif_task_gone(t);
	pid_hash_del(t);
	ntasks--;
	fs_put(t->fs);
	cred_free(&t->cred);
	free(t->exe);
	free(t->exec_gpath);
	if (t->pidfd >= 0)
		close(t->pidfd);
	free(t);
}

/*
 * May the guest's call run natively on the socket we looked at?  Only if
 * no other task can put another socket under the same fd number between
 * our look and the host's: no task shares the caller's fd table.  A task
 * sharing it can only be made by one that shares it already, so the
 * table of known tasks is complete for this question.
 */
static bool task_private(const struct task *t, int type)
{
	const struct task *w;

	for_each_task(w) {
		long r;

		if (w == t || w->state == TASK_ZOMBIE)
			continue;
		r = syscall(SYS_kcmp, t->tid, w->tid, type, 0, 0);
		if (r == 0 || (r < 0 && errno != ESRCH))
			return false;
	}
	return true;
}

bool task_files_private(const struct task *t)
{
	return task_private(t, KCMP_FILES);
}

/* The same for the address space: no thread or vfork parent shares it. */
bool task_vm_private(const struct task *t)
{
	return task_private(t, KCMP_VM);
}

/*
 * Is this file a live guest process's program?  Linux denies writers
 * while one runs it (ETXTBSY).  A zombie has let its program go.
 */
bool task_exe_busy(dev_t dev, ino_t ino)
{
	struct task *t;

	for_each_task(t)
		if (task_is_leader(t) && t->state != TASK_ZOMBIE &&
		    t->exe_ino == ino && t->exe_dev == dev && ino)
			return true;
	return false;
}
