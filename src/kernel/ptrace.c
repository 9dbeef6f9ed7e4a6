// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace(2) for guest tracers: the requests.  A tracee is named by its
 * guest tid; a number outside the guest names nothing (ESRCH), so no
 * request ever reaches a host process or the monitor.  Requests on a
 * stopped tracee act on it through the monitor, its host tracer, which
 * holds it in a host stop meanwhile (ptrace_stop.c).
 */
#include <errno.h>
#include <elf.h>
#include <linux/audit.h>
#include <linux/ptrace.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/user.h>
#include "kernel/ptrace.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define PTRACE_PEEKUSER	PTRACE_PEEKUSR
#define PTRACE_POKEUSER	PTRACE_POKEUSR
#define PTRACE_O_MASK_	0x003000ffU	/* every PTRACE_O_* Linux knows */
#define REGSET_MAX	16384		/* more than any x86-64 regset */

/* Linux's __ptrace_may_access for an attach: the real ids, or the cap. */
static bool may_access(const struct task *me, const struct task *to)
{
	const struct cred *c = &me->cred, *tc = &to->cred;

	if (cred_capable(c, CAP_SYS_PTRACE))
		return true;
	return c->uid == tc->uid && c->uid == tc->euid && c->uid == tc->suid &&
	       c->gid == tc->gid && c->gid == tc->egid && c->gid == tc->sgid;
}

/*
 * Yama's scope 1, as Debian and Ubuntu ship it: an attach reaches only
 * descendants, unless the target named the tracer with PR_SET_PTRACER.
 */
static bool yama_allows(const struct task *me, const struct task *to)
{
	const struct task *p;
	pid_t allowed = to->leader->gp.ptracer_allowed;

	if (cred_capable(&me->cred, CAP_SYS_PTRACE))
		return true;
	for (p = to->leader; p; p = p->parent)
		if (p == me->leader)
			return true;
	if (allowed == -1)
		return true;
	for (p = me->leader; allowed > 0 && p; p = p->parent)
		if (p->vtid == allowed)
			return true;
	return false;
}

/* /proc/PID/mem, process_vm_*: the caller itself, or a tracer's access. */
bool ptrace_may_access(const struct task *me, const struct task *to)
{
	return me->leader == to->leader ||
	       (may_access(me, to) && yama_allows(me, to));
}

static void trace(struct task *t, struct task *tracer, bool seize,
		  unsigned int opts)
{
	t->gp.tracer = tracer;
	t->gp.seized = seize;
	t->gp.opts = opts;
	t->gp.mode = PTM_CONT;
	t->gp.stop = GSTOP_NONE;
	ptrace_tracees++;
}

static long ptrace_traceme(struct trap *t)
{
	struct task *me = t->task, *p = me->leader->parent, *pt;

	if (me->gp.tracer || !p || p->state != TASK_RUNNING)
		return -EPERM;
	pt = task_by_tid(me->leader->parent_tid);
	if (!pt || pt->leader != p || pt->state != TASK_RUNNING)
		pt = p;
	trace(me, pt, false, 0);
	return 0;
}

static long ptrace_attach(struct trap *t, struct task *c, bool seize)
{
	unsigned int opts = (unsigned int)t->args[3];

	if (seize && (t->args[2] || (opts & ~PTRACE_O_MASK_)))
		return t->args[2] ? -EIO : -EINVAL;
	if (c->leader == t->task->leader || c->state == TASK_ZOMBIE)
		return -EPERM;
	if (c->gp.tracer || !may_access(t->task, c) ||
	    !yama_allows(t->task, c))
		return -EPERM;
	trace(c, t->task, seize, seize ? opts : 0);
	/* the host's options change at its next stop: it runs */
	c->gp.opts_pending = seize &&
		(opts & (PTRACE_O_TRACEEXIT | PTRACE_O_TRACEVFORKDONE));
	if (!seize)
		signal_thread(c, SIGSTOP, 0);
	host_tracee_trap(c);	/* already stopped: a tracee's stop now */
	return 0;
}

/* The tracer's view of an orig_rax the monitor set to skip a call. */
void ptrace_fix_regs(const struct task *c, void *user_regs)
{
	struct user_regs_struct *r = user_regs;

	if (c->gp.stop == GSTOP_SYSCALL)
		r->orig_rax = (unsigned long long)c->gp.sys_nr;
}

static long get_regs(struct trap *t, struct task *c)
{
	struct user_regs_struct r;

	if (host_ptrace(PTRACE_GETREGS, c->tid, 0, &r))
		return -errno;
	ptrace_fix_regs(c, &r);
	return guest_write(t->task, t->args[3], &r, sizeof(r)) ? -EFAULT : 0;
}

static long set_regs(struct trap *t, struct task *c)
{
	struct user_regs_struct r;

	if (guest_read(t->task, t->args[3], &r, sizeof(r)))
		return -EFAULT;
	return host_ptrace(PTRACE_SETREGS, c->tid, 0, &r) ? -errno : 0;
}

/* A buffer of the tracer's, through the monitor's copy. */
static long copy_req(struct trap *t, struct task *c, int req, size_t len,
		     bool in)
{
	char buf[sizeof(struct user_fpregs_struct)];

	if (len > sizeof(buf))
		return -EIO;
	if (in && guest_read(t->task, t->args[3], buf, len))
		return -EFAULT;
	if (host_ptrace(req, c->tid, t->args[2], buf))
		return -errno;
	if (!in && guest_write(t->task, t->args[3], buf, len))
		return -EFAULT;
	return 0;
}

static long regset(struct trap *t, struct task *c, bool set)
{
	static char buf[REGSET_MAX];
	struct iovec iov, mine;

	if (guest_read(t->task, t->args[3], &iov, sizeof(iov)))
		return -EFAULT;
	mine.iov_base = buf;
	mine.iov_len = iov.iov_len < sizeof(buf) ? iov.iov_len : sizeof(buf);
	if (set && guest_read(t->task, (uint64_t)iov.iov_base, buf,
			      mine.iov_len))
		return -EFAULT;
	if (host_ptrace(set ? PTRACE_SETREGSET : PTRACE_GETREGSET, c->tid,
			t->args[2], &mine))
		return -errno;
	if (set)
		return 0;
	if (t->args[2] == NT_PRSTATUS &&
	    mine.iov_len >= sizeof(struct user_regs_struct))
		ptrace_fix_regs(c, buf);
	iov.iov_len = mine.iov_len;
	if (guest_write(t->task, (uint64_t)iov.iov_base, buf, mine.iov_len) ||
	    guest_write(t->task, t->args[3], &iov, sizeof(iov)))
		return -EFAULT;
	return 0;
}

/* PEEKTEXT, PEEKDATA, PEEKUSER: the word goes to *data, as the syscall. */
static long peek(struct trap *t, struct task *c, int req)
{
	long word;

	errno = 0;
	word = host_ptrace(req, c->tid, t->args[2], NULL);
	if (errno)
		return -errno;
	if (req == PTRACE_PEEKUSER &&
	    t->args[2] == offsetof(struct user_regs_struct, orig_rax) &&
	    c->gp.stop == GSTOP_SYSCALL)
		word = c->gp.sys_nr;
	return guest_write(t->task, t->args[3], &word, sizeof(word)) ?
	       -EFAULT : 0;
}

/* POKEUSER: the registers and the debug registers, nothing else. */
static long poke_user(struct task *c, uint64_t off, uint64_t val)
{
	size_t dr = offsetof(struct user, u_debugreg);

	if (off & 7)
		return -EIO;
	if (off >= sizeof(struct user_regs_struct) &&
	    (off < dr || off >= dr + 8 * sizeof(long)))
		return -EIO;
	return host_ptrace(PTRACE_POKEUSER, c->tid, off, (void *)val) ?
	       -errno : 0;
}

static long sig_info(struct trap *t, struct task *c, bool set)
{
	siginfo_t si;

	if (!set)
		return guest_write(t->task, t->args[3], &c->gp.si,
				   sizeof(si)) ? -EFAULT : 0;
	if (guest_read(t->task, t->args[3], &si, sizeof(si)))
		return -EFAULT;
	c->gp.si = si;
	c->gp.si_set = true;
	return 0;
}

static long peek_siginfo(struct trap *t, struct task *c)
{
	struct ptrace_peeksiginfo_args a;
	siginfo_t si[16];
	long n, done = 0;

	if (guest_read(t->task, t->args[2], &a, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~PTRACE_PEEKSIGINFO_SHARED || (int)a.nr < 0)
		return -EINVAL;
	while (done < (long)a.nr) {
		struct ptrace_peeksiginfo_args one = a;

		one.off = a.off + (uint64_t)done;
		one.nr = a.nr - done < 16 ? a.nr - (uint32_t)done : 16;
		n = host_ptrace(PTRACE_PEEKSIGINFO, c->tid,
				(unsigned long)&one, si);
		if (n < 0)
			return done ? done : -errno;
		for (long i = 0; i < n; i++)
			signal_translate_siginfo(&si[i]);
		if (guest_write(t->task, t->args[3] + done * sizeof(si[0]),
				si, n * sizeof(si[0])))
			return done ? done : -EFAULT;
		done += n;
		if (n < (long)one.nr)
			break;
	}
	return done;
}

/*
 * A PTRACE_EVENT_SECCOMP of the guest's: the host's stop may be another
 * kind (a notified call's is a trap or a syscall-exit stop), so the
 * information is made as Linux's seccomp stop gives it.
 */
static long seccomp_info(struct task *c, struct ptrace_syscall_info *i)
{
	struct user_regs_struct r;

	if (host_ptrace(PTRACE_GETREGS, c->tid, 0, &r))
		return -errno;
	memset(i, 0, sizeof(*i));
	i->op = PTRACE_SYSCALL_INFO_SECCOMP;
	i->arch = AUDIT_ARCH_X86_64;
	i->instruction_pointer = r.rip;
	i->stack_pointer = r.rsp;
	i->seccomp.nr = r.orig_rax;
	i->seccomp.args[0] = r.rdi;
	i->seccomp.args[1] = r.rsi;
	i->seccomp.args[2] = r.rdx;
	i->seccomp.args[3] = r.r10;
	i->seccomp.args[4] = r.r8;
	i->seccomp.args[5] = r.r9;
	i->seccomp.ret_data = (uint32_t)c->gp.msg;
	return (long)(offsetof(struct ptrace_syscall_info, seccomp.ret_data) +
		      sizeof(i->seccomp.ret_data));
}

static long syscall_info(struct trap *t, struct task *c)
{
	char buf[sizeof(struct ptrace_syscall_info)];
	size_t len = t->args[2] < sizeof(buf) ? t->args[2] : sizeof(buf);
	long n;

	if (c->gp.stop == GSTOP_EVENT &&
	    ((c->gp.status >> 16) & 0xff) == PTRACE_EVENT_SECCOMP)
		n = seccomp_info(c, (struct ptrace_syscall_info *)buf);
	else if ((n = host_ptrace(PTRACE_GET_SYSCALL_INFO, c->tid,
				  sizeof(buf), buf)) < 0)
		n = -errno;
	if (n < 0)
		return n;
	if (len > (size_t)n)
		len = (size_t)n;
	return guest_write(t->task, t->args[3], buf, len) ? -EFAULT : n;
}

/*
 * PTRACE_SYSCALL from an event stop inside a call (a fork's, an exec's,
 * a seccomp stop): Linux's next stop is that call's exit-stop, though no
 * enter-stop was reported.  (An umbra inside translates a fork's result
 * there.)
 */
static void syscall_event_exit(struct task *c)
{
	struct user_regs_struct r;
	int event = (c->gp.status >> 16) & 0xff;

	if (c->gp.stop != GSTOP_EVENT || c->gp.sys_entered ||
	    (event != PTRACE_EVENT_FORK && event != PTRACE_EVENT_VFORK &&
	     event != PTRACE_EVENT_CLONE && event != PTRACE_EVENT_EXEC &&
	     event != PTRACE_EVENT_SECCOMP && event != PTRACE_EVENT_VFORK_DONE) ||
	    host_ptrace(PTRACE_GETREGS, c->tid, 0, &r))
		return;
	c->gp.sys_nr = (int)r.orig_rax;
	c->gp.sys_entered = true;
}

/* CONT, SYSCALL, SINGLESTEP, SYSEMU*, DETACH: end the stop. */
static long resume_req(struct task *c, long req, uint64_t sig)
{
	if (sig > 64)
		return -EIO;
	switch (req) {
	case PTRACE_SYSCALL: c->gp.mode = PTM_SYSCALL; break;
	case PTRACE_SINGLESTEP: c->gp.mode = PTM_STEP; break;
	case PTRACE_SYSEMU: c->gp.mode = PTM_SYSEMU; break;
	case PTRACE_SYSEMU_SINGLESTEP: c->gp.mode = PTM_SYSEMU_STEP; break;
	default: c->gp.mode = PTM_CONT; break;
	}
	/* a signal is delivered only from a signal-delivery-stop */
	if (c->gp.stop != GSTOP_SIGNAL)
		sig = 0;
	else if (sig && c->gp.si_set)
		host_ptrace(PTRACE_SETSIGINFO, c->tid, 0, &c->gp.si);
	if (req == PTRACE_DETACH) {
		ptrace_detach(c, (int)sig);
		return 0;
	}
	if (req == PTRACE_SYSCALL)
		syscall_event_exit(c);
	c->gp.stop = GSTOP_NONE;
	c->gp.unreported = false;
	if (!ptrace_exit_due(c))	/* the execve's exit-stop comes first */
		host_tracee_resume(c, (int)sig);
	return 0;
}

static long listen_req(struct task *c)
{
	if (!c->gp.seized || c->gp.stop != GSTOP_GROUP)
		return -EIO;
	c->gp.stop = GSTOP_NONE;
	c->gp.unreported = false;
	c->gp.listening = true;
	return host_ptrace(PTRACE_LISTEN, c->tid, 0, NULL) ? -errno : 0;
}

static long interrupt_req(struct task *c)
{
	if (!c->gp.seized)
		return -EIO;
	if (c->gp.stop != GSTOP_NONE)
		return 0;
	c->gp.interrupt = true;
	return host_ptrace(PTRACE_INTERRUPT, c->tid, 0, NULL) ? -errno : 0;
}

static long stopped_request(struct trap *t, struct task *c, long req)
{
	switch (req) {
	case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA: case PTRACE_PEEKUSER:
		return peek(t, c, (int)req);
	case PTRACE_POKETEXT: case PTRACE_POKEDATA:
		return host_ptrace((int)req, c->tid, t->args[2],
				   (void *)t->args[3]) ? -errno : 0;
	case PTRACE_POKEUSER:
		return poke_user(c, t->args[2], t->args[3]);
	case PTRACE_GETREGS:
		return get_regs(t, c);
	case PTRACE_SETREGS:
		return set_regs(t, c);
	case PTRACE_GETFPREGS: case PTRACE_SETFPREGS:
		return copy_req(t, c, (int)req, sizeof(struct user_fpregs_struct),
				req == PTRACE_SETFPREGS);
	case PTRACE_GETREGSET: case PTRACE_SETREGSET:
		return regset(t, c, req == PTRACE_SETREGSET);
	case PTRACE_GETSIGINFO: case PTRACE_SETSIGINFO:
		return sig_info(t, c, req == PTRACE_SETSIGINFO);
	case PTRACE_PEEKSIGINFO:
		return peek_siginfo(t, c);
	case PTRACE_GETSIGMASK: case PTRACE_SETSIGMASK:
		if (t->args[2] != sizeof(uint64_t))
			return -EINVAL;
		return copy_req(t, c, (int)req, sizeof(uint64_t),
				req == PTRACE_SETSIGMASK);
	case PTRACE_GETEVENTMSG:
		return guest_write(t->task, t->args[3], &c->gp.msg,
				   sizeof(c->gp.msg)) ? -EFAULT : 0;
	case PTRACE_SETOPTIONS:
		if (t->args[3] & ~(uint64_t)PTRACE_O_MASK_)
			return -EINVAL;
		c->gp.opts = (unsigned int)t->args[3];
		host_tracee_options(c, c->gp.opts);
		return 0;
	case PTRACE_GET_SYSCALL_INFO:
		return syscall_info(t, c);
	case PTRACE_CONT: case PTRACE_SYSCALL: case PTRACE_SINGLESTEP:
	case PTRACE_SYSEMU: case PTRACE_SYSEMU_SINGLESTEP: case PTRACE_DETACH:
		return resume_req(c, req, t->args[3]);
	case PTRACE_LISTEN:
		return listen_req(c);
	default:
		return -EIO;
	}
}

long sys_ptrace(struct trap *t)
{
	long req = (long)t->args[0];
	pid_t pid = (pid_t)t->args[1];
	struct task *c;

	if (req == PTRACE_TRACEME)
		return ptrace_traceme(t);
	c = pid > 0 ? task_by_vtid(pid) : NULL;
	if (!c)
		return -ESRCH;
	if (req == PTRACE_ATTACH || req == PTRACE_SEIZE)
		return ptrace_attach(t, c, req == PTRACE_SEIZE);
	if (c->gp.tracer != t->task)
		return -ESRCH;
	if (req == PTRACE_KILL) {
		signal_thread(c, SIGKILL, 0);
		return 0;
	}
	if (req == PTRACE_INTERRUPT)
		return interrupt_req(c);
	/* everything else needs the tracee stopped for its tracer */
	if (c->gp.stop == GSTOP_NONE || c->state != TASK_RUNNING)
		return -ESRCH;
	return stopped_request(t, c, req);
}

/* PR_SET_PTRACER: who besides its ancestors may attach (Yama). */
long ptrace_set_ptracer(struct trap *t)
{
	long who = (long)t->args[1];

	if (who != -1 && who != 0 && !task_by_vtid((pid_t)who))
		return -EINVAL;
	t->task->leader->gp.ptracer_allowed = (pid_t)who;
	return 0;
}
