// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's seccomp filter programs.  The host runs every guest filter,
 * stacked above umbra's own, and acts on what it can: ERRNO, TRAP, KILL,
 * LOG and ALLOW need nothing more.  What it cannot tell is kept here, per
 * task, as Linux keeps a chain of filters (newest first, shared by
 * reference with the children and threads that inherit it):
 *
 *  - umbra's own SECCOMP_RET_USER_NOTIF outranks a guest's TRACE and a
 *    guest's USER_NOTIF, so for the calls umbra answers by notification
 *    the monitor runs the guest's programs itself (seccomp_bpf.c) to learn
 *    whether its tracer or its listener should have had the call;
 *  - a guest's USER_NOTIF goes to the host as a marked TRACE (its
 *    listener is the guest kernel's, seccomp_notif.c), also when it is
 *    returned from the A register: each RET A jumps to a tail that turns
 *    a USER_NOTIF in A into that TRACE.
 *
 * Only programs that can say TRACE or USER_NOTIF are kept (any other
 * verdict acts on the host alone).  The host gets the monitor's copy of
 * the program, never the guest's memory again: a sibling thread cannot
 * change what was checked.  What the monitor keeps is bounded by the
 * host's own limit on a chain's instructions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "kernel/ptrace.h"
#include "kernel/seccomp_notif.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define FILTER_FLAGS_HOST_NOT	(SECCOMP_FILTER_FLAG_NEW_LISTENER | \
				 SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
#define TAIL_LEN		6

struct gfilter *gfilter_get(struct gfilter *f)
{
	if (f)
		f->refs++;
	return f;
}

void gfilter_put(struct gfilter *f)
{
	while (f && --f->refs == 0) {
		struct gfilter *prev = f->prev;

		if (f->listener >= 0)
			gnotif_listener_free(f->listener);
		free(f->insns);
		free(f);
		f = prev;
	}
}

static bool chain_has_listener(const struct gfilter *f)
{
	for (; f; f = f->prev)
		if (f->listener >= 0)
			return true;
	return false;
}

static bool ret_k(const struct sock_filter *i, uint32_t action)
{
	return i->code == (BPF_RET | BPF_K) &&
	       (i->k & SECCOMP_RET_ACTION_FULL) == action;
}

static bool ret_a(const struct sock_filter *i)
{
	return i->code == (BPF_RET | BPF_A);
}

/* Can the program say TRACE or USER_NOTIF?  Only then is it kept. */
static bool worth_keeping(const struct sock_filter *f, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++)
		if (ret_a(&f[i]) || ret_k(&f[i], SECCOMP_RET_TRACE) ||
		    ret_k(&f[i], SECCOMP_RET_USER_NOTIF))
			return true;
	return false;
}

/*
 * The host's copy of a listener's program: USER_NOTIF constants become
 * the listener's marked TRACE, and every RET A jumps to a tail that does
 * the same for a USER_NOTIF in A (a jump in place: no offset moves).
 * Returns the host program's length (len + TAIL_LEN at most).
 */
static unsigned int for_host(struct sock_filter *h, const struct sock_filter *f,
			     unsigned int len, int listener)
{
	uint32_t mark = SECCOMP_RET_TRACE | (GNOTIF_MARK + (uint32_t)listener);
	bool tail = false;

	memcpy(h, f, len * sizeof(*f));
	if (listener < 0)
		return len;
	for (unsigned int i = 0; i < len; i++) {
		if (ret_k(&h[i], SECCOMP_RET_USER_NOTIF)) {
			h[i].k = mark;
		} else if (ret_a(&h[i]) && len + TAIL_LEN <= BPF_MAXINSNS) {
			h[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA,
							    len - i - 1, 0, 0);
			tail = true;
		}
	}
	if (!tail)
		return len;
	h[len] = (struct sock_filter)BPF_STMT(BPF_ST, 0);
	h[len + 1] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K,
						  SECCOMP_RET_ACTION_FULL);
	h[len + 2] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						  SECCOMP_RET_USER_NOTIF, 0, 1);
	h[len + 3] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, mark);
	h[len + 4] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_MEM, 0);
	h[len + 5] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_A, 0);
	return len + TAIL_LEN;
}

/* The filter is in on the host: the chains of the tasks it reaches. */
static void installed(struct trap *t, long *result)
{
	struct gfilter *f = (struct gfilter *)t->saved[1];
	struct gfilter *chain = f ? f : t->task->gfilter;
	struct task *w;

	if (*result < 0) {
		gfilter_put(f);
		return;
	}
	for_each_task(w) {
		if (!seccomp_filter_reaches(t->task, w, t->saved[0]))
			continue;
		w->seccomp_mode = SECCOMP_MODE_FILTER;
		if (w->gfilter == chain)
			continue;
		gfilter_get(chain);
		gfilter_put(w->gfilter);
		w->gfilter = chain;
	}
	gfilter_put(f);		/* the install's own reference */
	if (f && f->listener >= 0)
		gnotif_listener_made(t, f->listener, t->saved[0] &
				     SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
}

static struct gfilter *keep(struct task *task, struct sock_filter *insns,
			    unsigned int len, bool listener)
{
	struct gfilter *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	*f = (struct gfilter){ .insns = insns, .len = len, .refs = 1,
			       .listener = -1 };
	if (listener && (f->listener = gnotif_listener_alloc()) < 0) {
		free(f);
		return NULL;
	}
	f->prev = gfilter_get(task->gfilter);
	return f;
}

/* Write the host's program below the caller's stack: its address, or 0. */
static uint64_t write_host(struct trap *t, const struct sock_filter *h,
			   unsigned int len)
{
	size_t size = len * sizeof(*h);
	struct sock_fprog fp = { .len = (unsigned short)len };
	uint64_t at = guest_scratch(t, size + sizeof(fp) + 16);

	if (!at)
		return 0;
	fp.filter = (struct sock_filter *)((at + sizeof(fp) + 15) & ~15ULL);
	if (guest_write(t->task, (uint64_t)fp.filter, h, size) ||
	    guest_write(t->task, at, &fp, sizeof(fp)))
		return 0;
	return at;
}

/*
 * SECCOMP_SET_MODE_FILTER, allowed (seccomp.c, which read fp, the
 * program's header): the program is copied once, kept if it matters, and
 * the host installs the monitor's copy.
 */
long gfilter_install(struct trap *t, uint64_t flags,
		     const struct sock_fprog *fp)
{
	bool listener = flags & SECCOMP_FILTER_FLAG_NEW_LISTENER;
	struct sock_filter *insns, *host;
	struct gfilter *f = NULL;
	unsigned int hlen;
	uint64_t at;

	if (listener && chain_has_listener(t->task->gfilter))
		return -EBUSY;		/* one listener in a chain, as Linux */
	insns = malloc(fp->len * sizeof(*insns));
	host = malloc((fp->len + TAIL_LEN) * sizeof(*host));
	if (!insns || !host ||
	    guest_read(t->task, (uint64_t)fp->filter, insns,
		       fp->len * sizeof(*insns))) {
		free(insns);
		free(host);
		return insns && host ? -EFAULT : -ENOMEM;
	}
	if (listener || worth_keeping(insns, fp->len)) {
		f = keep(t->task, insns, fp->len, listener);
		if (!f) {
			free(insns);
			free(host);
			return listener ? -EBUSY : -ENOMEM;
		}
	}
	hlen = for_host(host, insns, fp->len, f ? f->listener : -1);
	if (!f)
		free(insns);
	at = write_host(t, host, hlen);
	free(host);
	if (!at) {
		gfilter_put(f);
		return -EFAULT;
	}
	/* (prctl's PR_SET_SECCOMP becomes the seccomp(2) it stands for) */
	trap_set_arg(t, 0, SECCOMP_SET_MODE_FILTER);
	trap_set_arg(t, 1, flags & ~(uint64_t)FILTER_FLAGS_HOST_NOT);
	trap_set_arg(t, 2, at);
	if (t->nr != __NR_seccomp) {
		t->nr = __NR_seccomp;
		t->nr_changed = true;
	}
	t->saved[0] = flags;
	t->saved[1] = (uint64_t)f;
	return trap_native_then(t, installed);
}

/*
 * What t's kept programs say of d that the host could not act on: the
 * verdict of highest precedence (Linux's order: USER_NOTIF before TRACE;
 * the newest filter's data among equals), SECCOMP_RET_ALLOW if none.
 * *listener is the USER_NOTIF's listener.
 */
uint32_t gfilter_verdict(const struct task *t, const struct seccomp_data *d,
			 int *listener)
{
	uint32_t best = SECCOMP_RET_ALLOW;

	*listener = -1;
	for (const struct gfilter *f = t->gfilter; f; f = f->prev) {
		uint32_t r = seccomp_bpf_run(f->insns, f->len, d);
		uint32_t act = r & SECCOMP_RET_ACTION_FULL;

		if (act == SECCOMP_RET_USER_NOTIF && f->listener < 0)
			continue;	/* the host said ENOSYS already */
		if (act != SECCOMP_RET_USER_NOTIF && act != SECCOMP_RET_TRACE)
			continue;	/* the host acted on it */
		if ((int32_t)act < (int32_t)(best & SECCOMP_RET_ACTION_FULL)) {
			best = r;
			*listener = f->listener;
		}
	}
	return best;
}

/*
 * A call of umbra's loader, which runs between an exec and the program
 * (a task with filters keeps them): the exec's own work, as Linux's
 * kernel does it, which no guest filter sees.  The first call from
 * elsewhere ends the loader's time.
 */
static bool loader_call(struct task *t, uint64_t ip)
{
	if (!t->loader_running)
		return false;
	if (ip >= t->loader_lo && ip < t->loader_hi)
		return true;
	t->loader_running = false;
	return false;
}

/*
 * A host seccomp stop whose TRACE data is not umbra's: a guest filter's
 * TRACE, or a listener's USER_NOTIF in disguise.  The guest's programs
 * say which (a guest may use any data, the listeners' marks too).
 * TAKEN: the call is held; ANSWER: ENOSYS, as Linux answers when nobody
 * traces or a listener is gone; UMBRA: the loader's call, umbra's.
 */
int gseccomp_stop(struct task *t, const struct seccomp_data *d)
{
	uint32_t r;
	bool held;
	int l;

	if (loader_call(t, d->instruction_pointer))
		return GSECCOMP_UMBRA;
	r = gfilter_verdict(t, d, &l);
	switch (r & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_USER_NOTIF:
		held = gnotif_ptrace_stop(t, l, d);
		break;
	case SECCOMP_RET_TRACE:
		held = ptrace_seccomp_stop(t, r & SECCOMP_RET_DATA);
		break;
	default:
		held = false;
	}
	return held ? GSECCOMP_TAKEN : GSECCOMP_ANSWER;
}

/*
 * A call umbra answers by user notification, from a task with filters of
 * its own: the guest's listener's (TAKEN), or its tracer's.  A tracer's
 * PTRACE_EVENT_SECCOMP needs a ptrace stop, and the task sits in the
 * host's notification: the monitor interrupts it and fails the call with
 * ERESTARTNOINTR (host_notif_trace), the interrupt's trap stop is the
 * event (ptrace_seccomp_notified), and the call restarts unless the
 * tracer skipped it.  The restarted call's TRACE is not asked again, as
 * Linux does not ask after a tracer (its "recheck").  UMBRA: umbra's to
 * answer; ANSWER: *ret.
 */
int gseccomp_notified(struct task *t, const struct seccomp_notif *req,
		      long *ret)
{
	int recheck = t->gp.recheck, l;
	uint32_t r;

	t->gp.recheck = 0;
	if (!t->gfilter || loader_call(t, req->data.instruction_pointer))
		return GSECCOMP_UMBRA;
	r = gfilter_verdict(t, &req->data, &l);
	switch (r & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_USER_NOTIF:
		if (gnotif_notify(t, req, l))
			return GSECCOMP_TAKEN;
		*ret = -ENOSYS;
		return GSECCOMP_ANSWER;
	case SECCOMP_RET_TRACE:
		if (recheck == req->data.nr + 1)
			return GSECCOMP_UMBRA;
		t->gp.ntrace_data = (uint16_t)(r & SECCOMP_RET_DATA);
		t->gp.ntrace_due = ptrace_wants_seccomp(t) &&
				   host_notif_trace(t, req->id);
		if (t->gp.ntrace_due)
			return GSECCOMP_TAKEN;
		*ret = -ENOSYS;
		return GSECCOMP_ANSWER;
	default:
		return GSECCOMP_UMBRA;
	}
}
