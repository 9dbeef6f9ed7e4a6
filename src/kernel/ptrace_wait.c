// SPDX-License-Identifier: GPL-2.0
/*
 * A guest tracer's waits.  Its tracees' stops and, for tracees that are
 * not its children, their deaths exist only in the guest kernel, so a
 * wait4 or waitid that could report one is answered here first.  When
 * there is nothing yet, the tracer waits on the host as before (for its
 * real children) or in a ppoll() that only a signal ends (for tracees
 * alone); a new stop ends either with PTRACE_INTERRUPT from the monitor,
 * and the wait's exit stop finds the report.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kernel/ptrace.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define ERESTARTSYS_ 512

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* A tracee's death for a tracer that is not its parent. */
struct pzombie {
	struct task *tracer;
	pid_t vtid, vpgid;
	uid_t uid;
	int code, status;	/* CLD_*, exit status or signal */
	struct pzombie *next;
};

static struct pzombie *zombies;

struct wspec {
	struct task *caller;
	int idtype;		/* P_ALL, P_PID, P_PGID */
	pid_t id;
	int options;
};

struct wreport {
	pid_t vtid;
	uid_t uid;
	int code, status;	/* CLD_*, as waitid's si_status */
	int wstatus;		/* as wait4's */
	struct task *tracee;	/* a stop; NULL: a death */
	struct pzombie *z;
};

static bool tracer_ok(const struct wspec *w, const struct task *tracer)
{
	return (w->options & __WNOTHREAD) ? tracer == w->caller :
	       tracer->leader == w->caller->leader;
}

static bool id_ok(const struct wspec *w, pid_t vtid, pid_t vpgid)
{
	switch (w->idtype) {
	case P_ALL:
		return true;
	case P_PID:
		return vtid == w->id;
	case P_PGID:
		return vpgid == w->id;
	default:
		return false;
	}
}

static bool find_report(const struct wspec *w, struct wreport *r)
{
	struct task *c;

	for_each_task(c) {
		if (!c->gp.tracer || !c->gp.stop || !c->gp.unreported ||
		    !tracer_ok(w, c->gp.tracer) ||
		    !id_ok(w, c->vtid, c->leader->vpgid))
			continue;
		*r = (struct wreport){ c->vtid, c->cred.uid, CLD_TRAPPED,
				       (c->gp.status >> 8) & 0xffff,
				       c->gp.status, c, NULL };
		if (r->status & ~0xff)
			r->status &= 0x7f;	/* si_status: the signal */
		return true;
	}
	if (!(w->options & WEXITED))
		return false;
	for (struct pzombie *z = zombies; z; z = z->next) {
		if (!tracer_ok(w, z->tracer) || !id_ok(w, z->vtid, z->vpgid))
			continue;
		*r = (struct wreport){ z->vtid, z->uid, z->code, z->status,
			z->code == CLD_EXITED ? (z->status & 0xff) << 8 :
						 z->status & 0x7f, NULL, z };
		return true;
	}
	return false;
}

/* Is there anything in the guest kernel this wait could ever report? */
static bool any_tracee(const struct wspec *w)
{
	struct task *c;

	for (struct pzombie *z = zombies; z; z = z->next)
		if (tracer_ok(w, z->tracer) && id_ok(w, z->vtid, z->vpgid))
			return true;
	for_each_task(c)
		if (c->gp.tracer && tracer_ok(w, c->gp.tracer) &&
		    id_ok(w, c->vtid, c->leader->vpgid))
			return true;
	return false;
}

/* Has the caller a child of its own the host could report? */
static bool any_child(const struct wspec *w)
{
	struct task *c;

	for_each_task(c)
		if (task_is_leader(c) && c->parent == w->caller->leader &&
		    id_ok(w, c->vtid, c->vpgid) &&
		    (!(w->options & __WNOTHREAD) ||
		     c->parent_tid == w->caller->tid))
			return true;
	return false;
}

static void consume(const struct wspec *w, struct wreport *r)
{
	struct pzombie **pp;

	if (w->options & WNOWAIT)
		return;
	if (r->tracee) {
		r->tracee->gp.unreported = false;
		return;
	}
	for (pp = &zombies; *pp; pp = &(*pp)->next)
		if (*pp == r->z) {
			*pp = r->z->next;
			free(r->z);
			return;
		}
}

static long put_wait4(struct trap *t, const struct wreport *r)
{
	struct rusage ru;

	memset(&ru, 0, sizeof(ru));
	if ((t->args[1] && guest_write(t->task, t->args[1], &r->wstatus,
				       sizeof(int))) ||
	    (t->args[3] && guest_write(t->task, t->args[3], &ru, sizeof(ru))))
		return -EFAULT;
	return r->vtid;
}

static long put_waitid(struct trap *t, const struct wreport *r)
{
	struct rusage ru;
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	memset(&ru, 0, sizeof(ru));
	if (r) {
		si.si_signo = SIGCHLD;
		si.si_code = r->code;
		si.si_pid = r->vtid;
		si.si_uid = r->uid;
		si.si_status = r->status;
	}
	if ((t->args[2] && guest_write(t->task, t->args[2], &si, sizeof(si))) ||
	    (t->args[4] && guest_write(t->task, t->args[4], &ru, sizeof(ru))))
		return -EFAULT;
	return 0;
}

static long put_report(struct trap *t, const struct wspec *w,
		       struct wreport *r)
{
	long ret = t->nr == __NR_wait4 ? put_wait4(t, r) : put_waitid(t, r);

	if (ret >= 0)
		consume(w, r);
	return ret;
}

/* The ppoll's exit: a report that came meanwhile, else wait again. */
static void wait_exit(struct trap *t, long *result)
{
	struct wspec *w = (struct wspec *)t->saved;
	struct wreport r;

	t->task->gp.waiting = false;
	w->caller = t->task;
	t->nr = (int)t->saved[3];
	memcpy(t->args, t->orig_args, sizeof(t->args));	/* not the ppoll's */
	if (find_report(w, &r))
		*result = put_report(t, w, &r);
	else if (any_tracee(w))
		t->restart_nr = t->nr;	/* as the guest asked */
	else
		*result = -ECHILD;
}

/*
 * The exit of a wait the host made (wait4_exit, waitid_exit): interrupted
 * for a report that came meanwhile?  Then that is the answer.
 */
bool ptrace_wait_interrupted(struct trap *t, long *result)
{
	struct wspec *w = (struct wspec *)t->saved;
	struct wreport r;

	if (!t->task->gp.waiting)
		return false;
	t->task->gp.waiting = false;
	if (*result != -ERESTARTSYS_ && *result != -EINTR)
		return false;
	w->caller = t->task;
	if (!find_report(w, &r))
		return false;
	*result = put_report(t, w, &r);
	return true;
}

_Static_assert(sizeof(struct wspec) <= 3 * sizeof(uint64_t), "in saved[]");

/*
 * The common part: true when the guest kernel answers (*ret) or waits in
 * a ppoll for it; false when the host's wait goes on as the guest asked.
 */
static bool ptrace_wait(struct trap *t, struct wspec *w, long *ret)
{
	struct wreport r;

	if (!ptrace_tracees && !zombies)
		return false;
	w->caller = t->task;
	if (!any_tracee(w))
		return false;
	if (find_report(w, &r)) {
		*ret = put_report(t, w, &r);
		return true;
	}
	if (w->options & WNOHANG) {
		if (any_child(w))
			return false;
		*ret = t->nr == __NR_wait4 ? 0 : put_waitid(t, NULL);
		return true;
	}
	memcpy(t->saved, w, sizeof(*w));
	t->saved[3] = (uint64_t)t->nr;
	t->task->gp.waiting = true;
	if (any_child(w))
		return false;	/* the host's wait, which a stop interrupts */
	/* nothing for the host to wait for: a ppoll only a signal ends */
	for (int i = 0; i < 6; i++)
		trap_set_arg(t, i, 0);
	t->nr = __NR_ppoll;
	t->nr_changed = true;
	*ret = trap_native_then(t, wait_exit);
	return true;
}

/* wait4's pid as an id type, as Linux reads it. */
bool ptrace_wait4(struct trap *t, long *ret)
{
	pid_t pid = (pid_t)t->args[0];
	struct wspec w = { .options = (int)t->args[2] | WEXITED };

	if (pid < -1) {
		w.idtype = P_PGID;
		w.id = -pid;
	} else if (pid == -1) {
		w.idtype = P_ALL;
	} else if (pid == 0) {
		w.idtype = P_PGID;
		w.id = t->task->leader->vpgid;
	} else {
		w.idtype = P_PID;
		w.id = pid;
	}
	return ptrace_wait(t, &w, ret);
}

bool ptrace_waitid(struct trap *t, long *ret)
{
	struct wspec w = { .idtype = (int)t->args[0], .id = (pid_t)t->args[1],
			   .options = (int)t->args[3] };

	if (w.idtype == P_PIDFD)
		return false;
	if (w.idtype == P_PGID && w.id == 0)
		w.id = t->task->leader->vpgid;
	return ptrace_wait(t, &w, ret);
}

/* End the waits of the tracer's threads that may have something now. */
void ptrace_wake_tracer(struct task *tracer)
{
	struct task *w;

	for_each_task(w)
		if (w->leader == tracer->leader && w->gp.waiting)
			host_ptrace(PTRACE_INTERRUPT, w->tid, 0, NULL);
}

/*
 * Tell the tracer: SIGCHLD, and an end to its wait.  A death (any code
 * but CLD_TRAPPED) is kept for its wait.
 */
void ptrace_report(struct task *t, int code, int status)
{
	struct task *tr = t->gp.tracer;
	struct pzombie *z;

	if (code != CLD_TRAPPED) {
		z = calloc(1, sizeof(*z));
		if (z) {
			*z = (struct pzombie){ tr, t->vtid, t->leader->vpgid,
					       t->cred.uid, code, status,
					       zombies };
			zombies = z;
		}
	}
	signal_chld(tr, t->vtid, code, status);
	ptrace_wake_tracer(tr);
}

/* A tracer's end: the deaths it did not collect go with it. */
void ptrace_drop_zombies(struct task *tracer)
{
	struct pzombie **pp = &zombies;

	while (*pp) {
		struct pzombie *z = *pp;

		if (z->tracer == tracer) {
			*pp = z->next;
			free(z);
		} else {
			pp = &z->next;
		}
	}
}
