// SPDX-License-Identifier: GPL-2.0
/*
 * One run of the monitor: start guest init, serve it until the last guest
 * task is gone, report init's status the way a shell would.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "kernel/exec.h"
#include "kernel/fs/meta.h"
#include "kernel/kernel.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/landlock.h"
#include "platform/monitor.h"

struct monitor mon = { .notify_fd = -1, .tty_fd = -1 };

/* Signals sent to the monitor are meant for the guest. */
static void forward(int sig)
{
	if (mon.init_pid > 0)
		kill(mon.init_pid, sig);
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = forward, .sa_flags = SA_RESTART };
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				   SIGUSR1, SIGUSR2 };

	for (size_t i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		sigaction(fwd[i], &sa, NULL);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

/* Guest init gets our terminal, as a shell gives it to a foreground job. */
static void tty_hand_over(pid_t pgrp)
{
	mon.tty_fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (mon.tty_fd < 0)
		return;
	if (tcgetpgrp(mon.tty_fd) == getpgrp() &&
	    tcsetpgrp(mon.tty_fd, pgrp) == 0)
		mon.tty_handed = true;
}

static void tty_take_back(void)
{
	if (mon.tty_handed)
		tcsetpgrp(mon.tty_fd, getpgrp());
}

/*
 * ^Z stopped guest init: give the terminal back and stop ourselves, so the
 * user's shell sees the job stop; on `fg`, hand it over again and wake the
 * guest's group.
 */
void job_init_stopped(void)
{
	if (!mon.tty_handed)
		return;
	tty_take_back();
	kill(getpid(), SIGTSTP);
	tcsetpgrp(mon.tty_fd, mon.init_pid);
	kill(-mon.init_pid, SIGCONT);
}

static int exit_status(void)
{
	if (!mon.init_exited)
		return 125;
	if (WIFEXITED(mon.init_status))
		return WEXITSTATUS(mon.init_status);
	return 128 + WTERMSIG(mon.init_status);
}

/* The loader sits beside the monitor (build/, or build/ above build/asan/). */
static int find_loader(void)
{
	const char *env = getenv("UMBRA_LOADER");
	char self[PATH_MAX], try[PATH_MAX + 32];
	ssize_t n;
	char *slash;

	if (env)
		return exec_set_loader(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -errno;
	self[n] = '\0';
	for (int up = 0; up < 2; up++) {
		slash = strrchr(self, '/');
		if (!slash)
			break;
		*slash = '\0';
		snprintf(try, sizeof(try), "%s/umbra-loader", self);
		if (exec_set_loader(try) == 0)
			return 0;
	}
	return -ENOENT;
}

static void raise_nofile(void)
{
	struct rlimit rl;

	/* the monitor holds a few fds per guest task */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/*
 * The guest's first credentials: -0 or --user, else the invoking user's
 * ids and groups (the guest kernel keeps them from then on).
 */
static int set_user(const struct run_config *cfg)
{
	struct kuser *u = &kconfig.user;
	int n;

	if (cfg->set_user) {
		u->uid = cfg->uid;
		u->gid = cfg->gid;
		u->groups = malloc(sizeof(gid_t));
		if (!u->groups)
			return -1;
		u->groups[0] = cfg->gid;
		u->ngroups = 1;
		return 0;
	}
	u->uid = getuid();
	u->gid = getgid();
	n = getgroups(0, NULL);
	u->groups = malloc((n > 0 ? n : 1) * sizeof(gid_t));
	if (!u->groups)
		return -1;
	n = n > 0 ? getgroups(n, u->groups) : 0;
	u->ngroups = n > 0 ? n : 0;
	return 0;
}

/*
 * The store of remembered owners for a root directory: one file per root
 * under $XDG_DATA_HOME/umbra/meta (or ~/.local/share), named after the
 * root's last component and a hash of its real path; never in the view.
 */
static int default_meta_path(const char *root, char *buf, size_t size)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *real = realpath(root, NULL), *base;
	uint64_t h = 1469598103934665603ull;
	int n;

	if (!real)
		return -1;
	for (const char *p = real; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	base = strrchr(real, '/');
	base = base && base[1] ? base + 1 : "root";
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/umbra/meta/%.64s-%016llx.meta", xdg,
			     base, (unsigned long long)h);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.local/share/umbra/meta/%.64s-%016llx.meta",
			     home, base, (unsigned long long)h);
	else
		n = -1;
	free(real);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/*
 * PWD names the guest's working directory, which need not be the host's
 * (under -r, or --cwd): a shell trusts an inherited PWD that happens to
 * name a directory, and os.getcwd-free tools print it.  -e PWD=... set
 * explicitly is the user's, but indistinguishable: the guest's cwd wins.
 */
static void fix_pwd(char **envp)
{
	static char pwd[PATH_MAX + 8];
	struct fs_struct *fs = vfs_initial_fs();

	if (!fs)
		return;
	for (; *envp; envp++) {
		if (strncmp(*envp, "PWD=", 4))
			continue;
		snprintf(pwd, sizeof(pwd), "PWD=%s", fs->pwd.gpath);
		*envp = pwd;
		return;
	}
}

/* The id map and the store of remembered owners (kernel/fs/meta.h). */
static int setup_meta(const struct run_config *cfg)
{
	char path[PATH_MAX];
	int err;

	if (kconfig.user.uid == 0 && getuid() != 0)
		meta_map_set(getuid(), getgid());
	if (cfg->meta_path) {
		/* asked for: made now, so that a bad path is said now */
		err = open(cfg->meta_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (err >= 0)
			close(err);
		err = err < 0 ? -errno : meta_open(cfg->meta_path, true);
		if (err)
			fprintf(stderr, "umbra: --meta %s: %s\n", cfg->meta_path,
				strerror(-err));
		return err ? -1 : 0;
	}
	if (cfg->cow_dir) {
		/* beside the upper tree, never in the view */
		snprintf(path, sizeof(path), "%s/meta", cfg->cow_dir);
		err = meta_open(path, false);
		if (err)
			fprintf(stderr, "umbra: --cow %s: %s: %s\n",
				cfg->cow_dir, path, strerror(-err));
		return err ? -1 : 0;
	}
	/* a default store that cannot be had: this run's, in memory */
	if (cfg->vfs.root && !cfg->vfs.overlay && !default_meta_path(cfg->vfs.root, path, sizeof(path)) &&
	    !meta_open(path, false))
		return 0;
	meta_close();
	return meta_open(NULL, false);
}

int monitor_run(const struct run_config *cfg)
{
	int fd, status;

	if (find_loader()) {
		fprintf(stderr, "umbra: umbra-loader not found beside umbra "
			"(set UMBRA_LOADER)\n");
		return 125;
	}
	/* the id map and store first: the overlay's first merges need them */
	if (set_user(cfg) || setup_meta(cfg))
		return 125;
	if (vfs_setup(&cfg->vfs))
		return 125;
	fix_pwd(cfg->envp);

	kconfig.max_tasks = cfg->max_tasks;
	if (cfg->hostname)
		snprintf(kconfig.hostname, sizeof(kconfig.hostname), "%s",
			 cfg->hostname);
	mon.landlock_abi = landlock_abi(cfg->no_landlock);
	/*
	 * A direct exec opens the program and its interpreter by host path,
	 * which the domain allows only for the loader (docs/decisions.md,
	 * "The Landlock wall and direct exec").
	 */
	kconfig.no_direct_exec = mon.landlock_abi > 0;
	kconfig.ptrace_walled = mon.landlock_abi > 0;	/* spawn.c: or no run */
	if (cfg->trace_path) {
		kconfig.trace_fd = open(cfg->trace_path, O_WRONLY | O_CREAT |
					O_TRUNC | O_CLOEXEC | O_APPEND, 0644);
		if (kconfig.trace_fd < 0) {
			fprintf(stderr, "umbra: %s: %s\n", cfg->trace_path,
				strerror(errno));
			return 125;
		}
	}
	/* orphans whose guest init is gone come to us, to be reaped */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_init(0);
	umbra_trace_data_pick();	/* before the filter is made */
	mon.init_pid = spawn_init(cfg, &fd);
	if (mon.init_pid < 0) {
		fprintf(stderr, "umbra: starting the guest: %s\n",
			strerror(errno));
		return 125;
	}
	raise_nofile();		/* after the fork: the guest keeps the user's */
	task_create_init(mon.init_pid, vfs_initial_fs());
	setup_signals();
	tty_hand_over(mon.init_pid);
	if (fd >= 0 && notify_start(fd)) {
		fprintf(stderr, "umbra: notification thread failed\n");
		kill(mon.init_pid, SIGKILL);
	}
	mon.notify_fd = fd;
	if (cfg->mem_limit && oom_start(cfg->mem_limit))
		fprintf(stderr, "umbra: --mem: no OOM thread, no limit\n");
	ptrace_loop();
	tty_take_back();
	status = exit_status();
	mqueue_teardown();
	ipc_teardown();
	vfs_teardown();
	return status;
}
