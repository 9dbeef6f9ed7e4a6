/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest kernel's view of one intercepted system call, and the handler
 * signature every sys_xxx shares.  The platform builds a struct trap from a
 * host event (a seccomp user notification or a ptrace stop), the kernel
 * decides through one table what the call means, and the platform applies
 * the outcome.  Nothing here knows how the guest was stopped.
 */
#ifndef UMBRA_KERNEL_H
#define UMBRA_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct task;

/* How a call reached the kernel; decided by its class in syscalls.def. */
enum trap_source {
	TRAP_NOTIFY,		/* seccomp user notification: no registers */
	TRAP_PTRACE,		/* ptrace seccomp stop: registers writable */
};

/* What the platform should do with the call once the handler returns. */
enum trap_action {
	ACT_RETURN,		/* complete the call with trap->ret */
	ACT_NATIVE,		/* let the host run it, with trap->args */
	ACT_INSTALL_FD,		/* install trap->fd in the guest, return it */
	ACT_LATER,		/* may block: trap->later_fn, off the
				 * notification thread (see below) */
};

struct trap {
	struct task *task;
	int nr;
	enum trap_source source;
	uint64_t args[6];
	uint64_t orig_args[6];	/* as the guest passed them */
	uint64_t sp;		/* guest stack pointer (TRAP_PTRACE only) */
	uint64_t ip;		/* guest instruction pointer, likewise */
	/* outcome */
	enum trap_action action;
	bool args_changed;	/* ACT_NATIVE with rewritten arguments */
	bool nr_changed;	/* ACT_NATIVE as another syscall (t->nr) */
	bool keep_regs;		/* no need to restore rewritten registers */
	bool at_exit;		/* call exit_fn at the syscall's exit */
	int restart_nr;		/* >0: at the exit, make the guest enter this
				 * call again with its own arguments (the one
				 * made was the monitor's, in its place) */
	int inject_nr;		/* >0 (set by exit_fn): after the call, the
				 * guest makes this one, with inject_args,
				 * and then sees the first call's result */
	uint64_t inject_args[3];
	/* after an injected call: its result (injected) may become *result */
	void (*inject_fn)(struct trap *t, long *result, long injected);
	long ret;
	int fd;			/* ACT_INSTALL_FD: monitor-side fd */
	unsigned int fd_flags;	/* O_CLOEXEC for the guest's copy */
	/*
	 * ACT_LATER: later_fn makes one attempt, on a thread of its own and
	 * without the kernel lock, so it may touch only what the trap holds
	 * (fds in saved[], name); it returns the call's result, or -EINTR
	 * when a signal interrupted it: it is then called again, unless the
	 * guest has a signal pending.  later_put releases what it holds.
	 */
	long (*later_fn)(struct trap *t);
	void (*later_put)(struct trap *t);
	char *name;		/* an open's name in directory saved[0] */
	int open_flags;
	unsigned int open_mode;
	void (*exit_fn)(struct trap *t, long *result);
	uint64_t saved[4];	/* handler state carried to exit_fn */
	char *trace;		/* --trace: the call, decoded at entry */
};

typedef long (*syscall_fn)(struct trap *t);

/*
 * The data of every SECCOMP_RET_TRACE of umbra's filters, so that a stop
 * a guest's own filter asked for (any other data) is told from them.
 * Chosen at random for each run (0x8000-0xffff, dispatch.c): an umbra
 * inside umbra marks its own stops, and they are its guest's to the
 * outer one.
 */
extern uint16_t umbra_trace_data;
#define UMBRA_TRACE_DATA	umbra_trace_data
void umbra_trace_data_pick(void);

/* Handler helpers: the outcome is set through these. */
static inline long trap_native(struct trap *t)
{
	t->action = ACT_NATIVE;
	return 0;
}

/* Hand the call to a worker (ACT_LATER); its state is already in t. */
static inline long trap_later(struct trap *t, long (*fn)(struct trap *t),
			      void (*put)(struct trap *t))
{
	t->action = ACT_LATER;
	t->later_fn = fn;
	t->later_put = put;
	return 0;
}

static inline void trap_set_arg(struct trap *t, int i, uint64_t v)
{
	if (t->args[i] != v) {
		t->args[i] = v;
		t->args_changed = true;
	}
}

/* Run natively, then call fn with the host's result, which fn may rewrite. */
static inline long trap_native_then(struct trap *t,
				    void (*fn)(struct trap *, long *))
{
	t->action = ACT_NATIVE;
	t->at_exit = true;
	t->exit_fn = fn;
	return 0;
}

/* syscall dispatch (dispatch.c) */
enum syscall_class { SC_NATIVE, SC_NOTIFY, SC_TRACE, SC_REFUSE };

struct syscall_info {
	const char *name;
	enum syscall_class cls;
	int refuse_errno;
	/*
	 * SC_NOTIFY: stop only if this arg != 0 (-1: always).  SC_TRACE:
	 * a user notification instead when this arg is 0 (a signal 0 probe
	 * needs no registers), or no stop at all with zero_native (a pid
	 * argument of 0 names the caller, the same task on the host); -1:
	 * always a ptrace stop.
	 */
	int notify_if_arg;
	bool zero_native;
	const char *argfmt;	/* for --trace */
};

#define NR_SYSCALLS 512
extern const struct syscall_info syscall_table[NR_SYSCALLS];
const char *syscall_name(int nr);
void do_syscall(struct trap *t);
void do_syscall_exit(struct trap *t, long *result);

/* The global kernel lock: both platform threads take it around a call. */
void kernel_lock(void);
void kernel_unlock(void);

/* Configuration the kernel needs at run time. */
/* Who the guest's first process is (--user, -0; else the invoking user). */
struct kuser {
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t *groups;
};

struct kconfig {
	struct kuser user;
	int max_tasks;		/* --pids, 0 = unlimited */
	int trace_fd;		/* --trace, -1 = off */
	bool no_direct_exec;	/* always exec through the loader */
	bool ptrace_walled;	/* guests in a Landlock domain (ptrace scope) */
	char hostname[65];	/* the guest's (--hostname), utsname.c */
	char domainname[65];
};
extern struct kconfig kconfig;

#endif
