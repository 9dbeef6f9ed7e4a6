/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest tasks.  Every guest thread is a host thread; the kernel keeps its
 * own table of them keyed by host tid and by guest tid, as a pid namespace
 * would, so that guest pids appear in every result and are translated in
 * every argument.
 */
#ifndef UMBRA_TASK_H
#define UMBRA_TASK_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "kernel/cred.h"
#include "kernel/kernel.h"

struct fs_struct;

/*
 * A guest tracer's view of its tracee (kernel/ptrace.c): the tracer, the
 * options it set, and the stop the tracee is held in for it.  The host
 * tracer stays the monitor; a held tracee sits in a host ptrace stop that
 * the monitor does not end until the guest tracer resumes it.
 */
enum gstop_kind {
	GSTOP_NONE,
	GSTOP_SIGNAL,		/* signal-delivery-stop */
	GSTOP_SYSCALL,		/* syscall-enter- or -exit-stop */
	GSTOP_EVENT,		/* PTRACE_EVENT_* and a new tracee's first */
	GSTOP_GROUP,		/* group-stop */
};

enum ptrace_mode {
	PTM_CONT, PTM_SYSCALL, PTM_STEP, PTM_SYSEMU, PTM_SYSEMU_STEP,
};

struct gptrace {
	struct task *tracer;	/* the tracer thread; NULL: not traced */
	unsigned int opts;	/* PTRACE_O_* */
	bool seized;
	uint8_t mode;		/* enum ptrace_mode: how it was resumed */
	uint8_t stop;		/* enum gstop_kind: held for the tracer */
	bool unreported;	/* no wait has reported the stop yet */
	bool sys_entered;	/* an enter-stop was reported: exit-stop due */
	bool interrupt;		/* PTRACE_INTERRUPT: the next host trap */
	bool listening;		/* PTRACE_LISTEN */
	bool waiting;		/* (a tracer thread) in a wait we may end */
	bool si_set;		/* PTRACE_SETSIGINFO since the stop */
	bool in_loader;		/* umbra's loader runs: no stop of its own */
	bool loader_done;	/* ... and made its last call */
	bool exit_due;		/* an exit-stop follows the EXEC event */
	bool seccomp_held;	/* in PTRACE_EVENT_SECCOMP: umbra's part due */
	bool seccomp_done;	/* ... and now being done */
	bool ntrace_due;	/* a guest TRACE of a notified call: its trap
				 * stop is on its way (seccomp_filter.c) */
	bool ntrace_held;	/* ... and held there as EVENT_SECCOMP */
	uint16_t ntrace_data;	/* ... the filter's data */
	int recheck;		/* 1 + the call restarted after that stop,
				 * whose TRACE is not asked again (0: none) */
	int withdrawn;		/* 1 + a listener's call withdrawn by a
				 * signal at its ptrace stop (0: none) */
	bool auto_attached;	/* a child traced from birth: its first stop */
	bool opts_pending;	/* host options to set at its next stop */
	pid_t exec_former;	/* the exec's PTRACE_GETEVENTMSG */
	int status;		/* the wait status of the stop */
	int sys_nr;		/* the call of the enter-stop */
	unsigned long msg;	/* PTRACE_GETEVENTMSG */
	siginfo_t si;		/* PTRACE_GETSIGINFO, in guest terms */
	pid_t ptracer_allowed;	/* leaders: PR_SET_PTRACER (-1: any) */
};

enum task_state {
	TASK_NEW,		/* created, first ptrace stop not seen yet */
	TASK_RUNNING,
	TASK_ZOMBIE,		/* exited; its guest parent has not reaped it */
};

struct task {
	pid_t tid;		/* host tid */
	pid_t vtid;		/* guest tid */
	struct task *leader;	/* thread-group leader (itself for one) */
	struct task *parent;	/* leaders: parent process; NULL for init */
	pid_t vpgid, vsid;	/* leaders: guest process group and session */
	pid_t hpgid;		/* leaders: the same group's host id */
	enum task_state state;
	int nthreads;		/* leaders: live threads in the group */
	bool held;		/* first stop seen before its creator's event */
	struct fs_struct *fs;	/* root, cwd, umask (shared with CLONE_FS) */
	struct cred cred;	/* ids and capabilities (cred.c) */
	uid_t exec_uid;		/* an exec in progress: set-id ids, or -1 */
	gid_t exec_gid;
	char *exe;		/* leaders: guest path of the running program */
	char *exec_gpath;	/* the program an exec in progress will run */
	char exec_comm[16];	/* ... its name, as exec gives comm */
	char exec_hcomm[16];	/* ... and the comm the host will give it */
	char comm[16];		/* the guest's comm while the host's is */
	char hcomm[16];		/* still this one (proc_pid.c) */
	bool exec_by_loader;	/* ... through umbra's loader (kernel/exec.c) */
	bool loader_running;	/* (tasks with guest filters) the loader's
				 * code, until a call comes from elsewhere */
	uint64_t loader_lo, loader_hi;
	dev_t exec_dev;		/* ... and the host file it must exec */
	ino_t exec_ino;
	dev_t prog_dev;		/* ... and the program's own file */
	ino_t prog_ino;
	dev_t exe_dev;		/* leaders: the running program's file, */
	ino_t exe_ino;		/* busy for writers (ETXTBSY) */
	int pidfd;		/* host pidfd, opened at creation (-1: none) */
	uint32_t cont_gen;	/* leaders: SIGCONTs the monitor sent it */
	int exit_signal;	/* leaders: sent to the parent at death */
	pid_t parent_tid;	/* leaders: host tid of the parent thread */
	int pdeath;		/* PR_SET_PDEATHSIG of this thread (signal.c) */
	bool core_dumped;	/* leaders: dying, its core written (coredump.c) */
	bool scm_trap;		/* leaders: recvmsg stops (net/scm.c) */
	uint8_t proc_dirs;	/* its /proc stand-in directories (proc_tree.c) */
	uint64_t sfd_watched[16];	/* leaders: fds < 1024 whose reads stop
					 * (signalfd.c) */

	/* ptrace-side state of a call in progress (platform thread only) */
	struct trap pending;	/* handler waiting for the syscall's exit */
	bool in_exit;		/* pending.exit_fn is due at the next stop */
	uint8_t inject_phase;	/* an injected call: 1 entry, 2 exit due */
	long inject_result;	/* what the guest's own call returned */
	uint64_t inject_mask;	/* its signal mask, all blocked meanwhile */
	bool sigtw_again;	/* rt_sigtimedwait made again (signal.c) */
	uint64_t sigtw_deadline;	/* ... by then, CLOCK_MONOTONIC ns */
	uint64_t clone_flags;	/* flags of the clone this task is making */
	uint64_t clone_ctid;	/* its CLONE_CHILD_SETTID word, if any */
	uint64_t child_ctid;	/* a new task's own CHILD_SETTID word */
	bool restore_regs;	/* a new task: put back orig_regs at first stop */
	uint64_t orig_regs[6];	/* its creator's syscall arguments, as passed */
	bool clone_pending;
	bool listening;		/* in a group-stop, PTRACE_LISTEN'ed */
	uint8_t seccomp_mode;	/* the guest's: 0, STRICT or FILTER */
	struct gfilter *gfilter;	/* its filter with a listener, if any */
	struct gptrace gp;	/* guest ptrace (kernel/ptrace.c) */

	struct task *hnext;	/* pid.c hash chains */
	struct task *vnext;
	struct task *next, *prev;	/* all tasks */
};

/* pid.c: the two maps, and the guest pid allocator */
void pid_init(int max);
pid_t pid_alloc(void);
void pid_hash_add(struct task *t);
void pid_hash_del(struct task *t);
struct task *task_by_tid(pid_t tid);
struct task *task_by_vtid(pid_t vtid);
struct task *task_first(void);
#define for_each_task(t) for (t = task_first(); t; t = t->next)

/* Translation, as a pid namespace would: 0 for what the guest cannot see. */
pid_t pid_to_guest(pid_t host);
pid_t pid_to_host(pid_t guest);
pid_t pgrp_to_host(pid_t vpgid);
pid_t pgrp_to_guest(pid_t hpgid);
pid_t pid_last(void);
pid_t pid_max(void);
void pid_remember_reaped(pid_t host, pid_t guest);
void pid_stand_in(pid_t host, pid_t guest);
pid_t pid_to_guest_recent(pid_t host);

/* task.c: life cycle */
struct task *task_create_init(pid_t tid, struct fs_struct *fs);
struct task *task_clone(struct task *parent_thread, pid_t child_tid,
			uint64_t flags);
void task_exec(struct task *t, pid_t former_tid);
void task_exited(struct task *t);
void task_release(struct task *t);
void task_forget_released(void);
bool task_files_private(const struct task *t);
bool task_vm_private(const struct task *t);
bool task_reaper_waiting(const struct task *t);
bool task_exe_busy(dev_t dev, ino_t ino);
int task_count(void);
struct task *task_init(void);

static inline bool task_is_leader(const struct task *t)
{
	return t->leader == t;
}

static inline pid_t task_vpid(const struct task *t)
{
	return t->leader->vtid;
}

#endif
