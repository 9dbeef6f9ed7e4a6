// SPDX-License-Identifier: GPL-2.0
/*
 * Core dumps.  The host writes a core in the dying task's own Landlock
 * domain, which makes no file anywhere: every dump failed and no parent
 * ever saw WCOREDUMP.  So the kernel writes it, at the fatal signal's
 * delivery stop (the image still whole, the registers the fault's): named
 * by core_pattern in the dying process's view, made as its fsuid (0600,
 * an existing file replaced, as vfs_coredump()), within its RLIMIT_CORE,
 * by platform/core.c.  The host's own attempt is then turned off
 * (RLIMIT_CORE 0 for a process that is about to die), and the parent's
 * wait status, waitid and SIGCHLD say the core was dumped, as Linux's.
 *
 * Differs from Linux: the other threads run on while the dump is written
 * and only the dumping thread's registers are in it; a core_pattern that
 * pipes to a program or a socket ("|", "@": the host's) dumps nothing;
 * the dump is made by the ptrace thread under the kernel lock, so the
 * guest's other emulated calls wait for it (RLIMIT_CORE bounds it; the
 * usual soft limit is 0: no dump at all).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define MIN_COREDUMP	4096	/* binfmt_elf's min_coredump: a page */

/* The signals whose default action dumps core (SIG_KERNEL_COREDUMP_MASK). */
static bool sig_dumps(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return true;
	default:
		return false;
	}
}

static void read_host_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)size, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* One %-specifier of core_pattern, in guest terms (format_corename). */
static void expand(char c, const struct core_info *ci, char *out, size_t size)
{
	switch (c) {
	case '%': snprintf(out, size, "%%"); break;
	case 'p': case 'P': snprintf(out, size, "%d", ci->pid); break;
	case 'i': case 'I': snprintf(out, size, "%d", ci->tid); break;
	case 'u': snprintf(out, size, "%u", ci->uid); break;
	case 'g': snprintf(out, size, "%u", ci->gid); break;
	case 's': snprintf(out, size, "%d", ci->si->si_signo); break;
	case 't': snprintf(out, size, "%lld", (long long)time(NULL)); break;
	case 'h': snprintf(out, size, "%s", kconfig.hostname); break;
	case 'e': snprintf(out, size, "%s", ci->comm); break;
	case 'c': snprintf(out, size, "%llu", (unsigned long long)ci->limit);
		  break;
	default: out[0] = '\0'; break;
	}
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '!';	/* no specifier makes a directory */
}

/* The core's path from core_pattern; -ENOENT: this pattern dumps nothing. */
static int core_name(const struct core_info *ci, char *buf, size_t size)
{
	char pat[256], uses_pid[16], piece[80];
	size_t n = 0;
	bool has_pid = false;

	read_host_line("/proc/sys/kernel/core_pattern", pat, sizeof(pat));
	read_host_line("/proc/sys/kernel/core_uses_pid", uses_pid,
		       sizeof(uses_pid));
	if (!pat[0] || pat[0] == '|' || pat[0] == '@')
		return -ENOENT;
	buf[0] = '\0';
	for (const char *p = pat; *p && n < size - 1; p++) {
		if (*p != '%' || !p[1]) {
			buf[n++] = *p;
			buf[n] = '\0';
			continue;
		}
		has_pid |= p[1] == 'p';
		expand(*++p, ci, piece, sizeof(piece));
		n += (size_t)snprintf(buf + n, size - n, "%s", piece);
	}
	if (n >= size - 1)
		return -ENAMETOOLONG;
	if (!has_pid && uses_pid[0] == '1')
		snprintf(buf + n, size - n, ".%d", ci->pid);
	return 0;
}

/* Made anew as the task's fsuid, 0600, in the task's view. */
static int core_create(struct task *t, const char *name)
{
	struct trap tr = { .task = t };
	struct vfs_req req;
	struct nameidata nd;
	struct stat dir;
	int fd = vfs_walk_str(&tr, AT_FDCWD, name, WALK_CREATE, &req, &nd);

	if (!fd && (nd.last_type != LAST_NORM || mount_readonly(nd.mnt)))
		fd = -EACCES;
	if (!fd)
		fd = fstat(nd.dirfd, &dir) ? -errno :
		     guest_permission(&t->cred, &dir, MAY_WRITE | MAY_EXEC,
				      false);
	if (!fd && nd.exists && !S_ISDIR(nd.st.st_mode))
		unlinkat(nd.dirfd, nd.last, 0);
	if (!fd) {
		fd = openat(nd.dirfd, nd.last, O_CREAT | O_EXCL | O_WRONLY |
			    O_NOFOLLOW | O_CLOEXEC, 0600);
		fd = fd < 0 ? -errno : fd;
	}
	if (fd >= 0)
		guest_own_new(&t->cred, nd.dirfd, nd.last);
	vfs_done(&req, &nd);
	return fd;
}

static void core_ids(struct task *t, const siginfo_t *si, uint64_t limit,
		     struct core_info *ci)
{
	struct task *l = t->leader;

	memset(ci, 0, sizeof(*ci));
	ci->si = si;
	ci->limit = limit;
	ci->pid = l->vtid;
	ci->tid = t->vtid;
	ci->ppid = l->parent ? l->parent->vtid : 0;
	ci->pgrp = l->vpgid;
	ci->sid = l->vsid;
	ci->uid = t->cred.uid;
	ci->gid = t->cred.gid;
	memcpy(ci->comm, t->comm, sizeof(ci->comm));
	ci->comm[sizeof(ci->comm) - 1] = '\0';
}

/*
 * At the delivery stop of sig, which the task takes next: if its action
 * is the default and that dumps core, write the core (si: guest terms).
 */
void coredump(struct task *t, const void *siginfo)
{
	const siginfo_t *si = siginfo;
	struct rlimit rl, off;
	struct core_info ci;
	char name[PATH_MAX];
	int fd, sig = si->si_signo;

	/* the limit first: usually 0, and one call, where the rest read /proc */
	if (!sig_dumps(sig) || prlimit(t->tid, RLIMIT_CORE, NULL, &rl) ||
	    rl.rlim_cur < MIN_COREDUMP || host_signal_caught(t->tid, sig) ||
	    host_signal_ignored(t->tid, sig))
		return;
	off = (struct rlimit){ 0, rl.rlim_max };
	prlimit(t->tid, RLIMIT_CORE, &off, NULL);	/* not the host's too */
	core_ids(t, si, rl.rlim_cur, &ci);
	if (core_name(&ci, name, sizeof(name)))
		return;
	fd = core_create(t, name);
	if (fd < 0)
		return;
	if (!host_core_write(t->tid, fd, &ci))
		t->leader->core_dumped = true;
	close(fd);
}
