/* SPDX-License-Identifier: GPL-2.0 */
/* The monitor process: its two threads and how a run starts and ends. */
#ifndef UMBRA_MONITOR_H
#define UMBRA_MONITOR_H

#include <stdbool.h>
#include <sys/types.h>
#include "kernel/fs/vfs.h"

struct run_config {
	char *const *argv;	/* guest init's program and arguments */
	char **envp;		/* its environment */
	int max_tasks;
	const char *trace_path;
	bool no_landlock;	/* --no-landlock */
	bool net_none;		/* --net none: no socket but AF_UNIX */
	unsigned long long mem_limit;	/* --mem, bytes; 0: none */
	const char *hostname;	/* --hostname; NULL: "umbra" */
	bool set_user;		/* -0 or --user: uid, gid below */
	uid_t uid;
	gid_t gid;
	const char *meta_path;	/* --meta; NULL: the default for -r */
	const char *cow_dir;	/* --cow: upper tree and store live there */
	struct vfs_config vfs;
};

struct monitor {
	pid_t init_pid;		/* host pid of guest init */
	int notify_fd;		/* seccomp user notification listener */
	bool init_exited;
	int init_status;	/* wait status of init */
	bool tty_handed;	/* init's group owns our terminal */
	int tty_fd;
	int landlock_abi;	/* of the guests' domain, 0: none */
};

extern struct monitor mon;

/* The host ptrace options of every guest task (a guest tracer adds some). */
#define SEIZE_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |	\
		       PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |	\
		       PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |	\
		       PTRACE_O_EXITKILL)

/* oom.c: --mem */
int oom_start(unsigned long long limit);

int monitor_run(const struct run_config *cfg);
pid_t spawn_init(const struct run_config *cfg, int *notify_fd);
void ptrace_loop(void);
int notify_start(int fd);
bool notify_restart_answered(pid_t tid);
void job_init_stopped(void);

#endif
