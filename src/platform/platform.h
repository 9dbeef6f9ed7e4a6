/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest kernel may ask of the host mechanism.  Guest memory is
 * read once into the kernel's own buffers and decided upon there; nothing
 * the kernel acts on is read from the guest twice.
 */
#ifndef UMBRA_PLATFORM_H
#define UMBRA_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

struct task;
struct trap;

int guest_read(const struct task *t, uint64_t addr, void *buf, size_t len);
int guest_write(const struct task *t, uint64_t addr, const void *buf,
		size_t len);
/* The same, by host tid: for a worker, which may not look at tasks. */
int guest_write_tid(pid_t tid, uint64_t addr, const void *buf, size_t len);
long guest_read_str(const struct task *t, uint64_t addr, char *buf,
		    size_t size);

/* Room below the guest's stack (and red zone) for rewritten arguments. */
uint64_t guest_scratch(const struct trap *t, size_t len);

/* notify.c: the monitor's pins of a task's CPUs, against its affinity */
void host_pin_lock(void);
void host_pin_unlock(void);

bool host_signal_caught(pid_t tid, int sig);
bool host_signal_ignored(pid_t tid, int sig);
bool host_pending_ignored(pid_t tid);

/* pidfd.c: acting on a host task through its pidfd, never its number */
#define PIDFD_SIGNAL_TGID_	(1U << 1)	/* PIDFD_SIGNAL_THREAD_GROUP */
#define PIDFD_SIGNAL_THREAD_	(1U << 0)	/* PIDFD_SIGNAL_THREAD */
int host_pidfd_open(pid_t tid, bool thread);
int host_pidfd_signal(int pidfd, int sig, const siginfo_t *info, bool thread);
bool host_pidfd_alive(int pidfd);
long host_pidfd_pid(int fd);

/* The monitor acting for a guest, without the monitor's capabilities. */
#include <linux/capability.h>
struct host_caps {
	struct __user_cap_data_struct data[2];
	bool dropped;
};
void host_caps_drop(struct host_caps *saved);
void host_caps_restore(const struct host_caps *saved);

/* core.c: an ELF core of a task in a signal-delivery stop, into fd */
struct core_info {
	const siginfo_t *si;		/* the signal, in guest terms */
	uint64_t limit;			/* RLIMIT_CORE: bytes written at most */
	pid_t pid, tid, ppid, pgrp, sid;	/* guest ids */
	uid_t uid;
	gid_t gid;
	char comm[16];
};
int host_core_write(pid_t tid, int fd, const struct core_info *ci);

/* guard.c: a host call that should not block is interrupted (EINTR) */
void host_guard(int ms);
void host_unguard(void);
bool host_task_interrupted(pid_t tid);
int host_task_ids(pid_t tid, pid_t *tgid, pid_t *ppid);

/*
 * ptrace.c: the host side of guest tracing (kernel/ptrace.h), for the
 * ptrace thread alone: a request on a task the monitor holds in a host
 * stop, and the end of that stop.
 */
long host_ptrace(int req, pid_t tid, unsigned long addr, void *data);
void host_tracee_resume(struct task *t, int sig);
void host_tracee_trap(struct task *t);
void host_tracee_options(struct task *t, unsigned int guest_opts);
/* end t's held call with this result, the call not made */
void host_tracee_return(struct task *t, long result);
/* notify.c: answer a host notification a guest's supervisor answered */
struct seccomp_notif;
struct seccomp_notif_addfd;
void host_notif_answer(const struct seccomp_notif *req, long result,
		       bool cont);
long host_notif_addfd(struct seccomp_notif_addfd *a);
/* notify.c: fail a host notification a guest's listener held (result
 * -ERESTARTSYS: withdrawn by a signal); have the watcher call
 * gnotif_watch() every tick while it says something waits */
void host_notif_fail(const struct seccomp_notif *req, long result);
/* ... and any host notification's value or error, by its id */
void host_notif_result(uint64_t id, long result);
void host_watch_gnotif(void);
/* ptrace.c, under the kernel lock: bring t, waiting in host notification
 * id, to a trap stop (false if that cannot be asked now); end t's held
 * call with result, on the tracer thread */
bool host_notif_trace(struct task *t, uint64_t id);
bool host_tracee_return_later(struct task *t, long result);
/* hostproc.c: the mapping of task tid holding addr: 0, or -errno */
int host_mapping_of(pid_t tid, uint64_t addr, uint64_t *lo, uint64_t *hi);

#endif
