/* SPDX-License-Identifier: GPL-2.0 */
/* Every emulated system call, one signature: long sys_xxx(struct trap *). */
#ifndef UMBRA_SYSCALLS_H
#define UMBRA_SYSCALLS_H

#include "kernel/kernel.h"

/* Newer than some build hosts' headers (NEWER in scripts/gen-syscalls.py). */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

#define SYSCALL_HANDLERS(X)						\
	X(getpid) X(getppid) X(gettid) X(getpgrp) X(getpgid) X(getsid)	\
	X(getuid) X(geteuid) X(getgid) X(getegid) X(getresuid)		\
	X(getresgid) X(getgroups) X(setuid) X(setgid) X(setreuid)	\
	X(setregid) X(setresuid) X(setresgid) X(setfsuid) X(setfsgid)	\
	X(setgroups)							\
	X(setpgid) X(setsid)						\
	X(clone) X(clone3) X(fork) X(vfork) X(set_tid_address)		\
	X(wait4) X(waitid)						\
	X(kill) X(tkill) X(tgkill) X(rt_sigqueueinfo) X(rt_tgsigqueueinfo) \
	X(rt_sigtimedwait) X(ioctl) X(fcntl) X(getsockopt) X(setsockopt)	\
	X(fchmod) X(fchown) X(fsetxattr) X(fremovexattr)		\
	X(shmget) X(shmat) X(shmctl) X(msgget) X(msgsnd) X(msgrcv)	\
	X(msgctl) X(semget) X(semop) X(semtimedop) X(semctl)		\
	X(mq_open) X(mq_unlink)						\
	X(clock_gettime) X(clock_settime) X(clock_getres) X(clock_nanosleep) \
	X(clock_adjtime) X(timer_create)				\
	X(pidfd_open) X(pidfd_send_signal)				\
	X(sched_setparam) X(sched_getparam) X(sched_setscheduler)	\
	X(sched_getscheduler) X(sched_setaffinity) X(sched_getaffinity)	\
	X(sched_rr_get_interval) X(sched_setattr) X(sched_getattr)	\
	X(getpriority) X(setpriority) X(prlimit64) X(ioprio_get)	\
	X(ioprio_set) X(process_vm_readv) X(process_vm_writev) X(kcmp)	\
	X(migrate_pages) X(move_pages) X(get_robust_list) X(capget)	\
	X(capset) X(execve) X(execveat)					\
	X(open) X(openat) X(openat2) X(creat) X(chdir) X(fchdir) X(chroot) \
	X(stat) X(lstat) X(newfstatat) X(statx) X(access) X(faccessat)	\
	X(mkdir) X(mkdirat) X(mknod) X(mknodat) X(rmdir) X(unlink) X(unlinkat) \
	X(rename) X(renameat) X(renameat2) X(link) X(linkat) X(symlink)	\
	X(symlinkat) X(chmod) X(fchmodat) X(fchmodat2) X(chown) X(lchown)	\
	X(fchownat) X(truncate) X(utime) X(utimes) X(utimensat) X(futimesat) \
	X(statfs) X(setxattr) X(lsetxattr) X(getxattr) X(lgetxattr)	\
	X(listxattr) X(llistxattr) X(removexattr) X(lremovexattr)	\
	X(inotify_add_watch)						\
	X(bind) X(connect) X(accept) X(accept4) X(getsockname) X(getpeername) \
	X(sendto) X(recvfrom) X(sendmsg) X(sendmmsg) X(recvmsg) X(recvmmsg) \
	X(faccessat2) X(readlink) X(readlinkat) X(getcwd) X(umask) X(prctl) X(seccomp) \
	X(ptrace) \
	X(signalfd) X(signalfd4) X(read) X(readv) X(pread64) X(preadv)	\
	X(preadv2) X(dup) X(dup2) X(dup3) X(uname) X(sethostname)	\
	X(setdomainname) X(mount) X(umount2)

#define DECLARE_SYS(name) long sys_##name(struct trap *t);
SYSCALL_HANDLERS(DECLARE_SYS)
#undef DECLARE_SYS

long fd_setflags_ioctl(struct trap *t);

/* guest_filter.c: seccomp(2)'s arguments adding a filter in the guest */
struct sock_filter;
long guest_filter_args(struct trap *t, const struct sock_filter *f,
		       unsigned short n, uint64_t a[3]);

/* signalfd.c: fcntl F_DUPFD* of a watched fd */
long signalfd_dup(struct trap *t);

/* net/scm.c: a guest socket asks for SO_PASSCRED: 1 if handled */
long scm_passcred_set(struct trap *t);

/* net/unix.c: this run's tag, "umbra-xxxxxxxx-", for host-wide names */
const char *abstract_prefix(void);

/* mqueue.c: the run's message queues, and the guard that removes them */
void mqueue_set_guard(int fd);
/* The guest's queues by guest name, for an mqueue mount (fs/mqueuefs.c). */
bool mqueue_exists(const char *guest);
void mqueue_each(void (*fn)(const char *guest, void *arg), void *arg);
int mqueue_status(const char *guest, char *buf, size_t size);
int mqueue_unlink(const char *guest);
void mqueue_guard_record(const char *rec);
void mqueue_guard_end(void);
void mqueue_teardown(void);

/* ipc.c: the run's SysV objects go with it */
void ipc_teardown(void);

/* signal.c: guest view of a siginfo the host is about to deliver */
struct siginfo_xlate;
void signal_translate_siginfo(void *siginfo);
/* seccomp.c: prctl's PR_GET_SECCOMP and PR_SET_SECCOMP */
long seccomp_prctl(struct trap *t);
bool seccomp_strict_violation(const void *siginfo);
/* cred.c: prctl's capability commands (1: answered in *ret) */
int cred_prctl(struct trap *t, long *ret);
/* A signalfd record's value that is a marked SIGCHLD's code and status. */
bool signal_chld_value(uint64_t value, int *code, int *status);
void signal_child_exit(struct task *c, int code, int status);
void signal_chld(struct task *to, pid_t from, int code, int status);
int signal_thread(struct task *to, int sig, pid_t from);
void signal_parent_death(struct task *dead);
bool signal_init_drops(struct task *t, const void *siginfo);
bool signal_stale_stop(struct task *t, const void *siginfo);
/* coredump.c: at a signal's delivery stop (siginfo in guest terms) */
void coredump(struct task *t, const void *siginfo);

/* fork.c: a new task's first stop */
void task_first_stop(struct task *t, uint64_t child_tid_addr);
void task_clone_event(struct task *creator, struct task *child);
void task_clone_unseen(struct task *t, int nr, const uint64_t *args);

#endif
