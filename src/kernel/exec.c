// SPDX-License-Identifier: GPL-2.0
/*
 * execve in guest terms.  The host would look the program and its ELF
 * interpreter up in the host's filesystem, so the kernel resolves the
 * program in the guest view, handles "#!" itself, and has the host exec
 * the loader instead:
 *
 *     umbra-loader GUEST_PATH ARGV0 ... ARGVn
 *
 * which maps GUEST_PATH and its PT_INTERP through ordinary (emulated)
 * opens.  The new argv is written below the caller's stack; the exec event
 * then checks that what the host ran is the loader, so a thread racing to
 * rewrite those words only gets its process killed.
 *
 * Differs from Linux: a program needs read permission as well as execute
 * (the loader reads it); ETXTBSY is detected only for files the guest's
 * user owns (a read lease is how the host tells).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kernel/exec.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define BINPRM_BUF_SIZE		256
#define MAX_INTERP_DEPTH	4	/* Linux's BINPRM_MAX_RECURSION */
#define MAX_ARGS		(1 << 20)

static char loader_path[PATH_MAX];
static struct stat loader_st;

int exec_set_loader(const char *path)
{
	if (!realpath(path, loader_path) || stat(loader_path, &loader_st))
		return -errno;
	if (access(loader_path, X_OK))
		return -errno;
	return 0;
}

const char *exec_loader_path(void)
{
	return loader_path;
}

/* The new argv, built in the monitor then written to the guest at once. */
struct binprm {
	char gpath[PATH_MAX];		/* program, as the guest names it */
	char *pre[2 * MAX_INTERP_DEPTH];/* strings put before the old argv */
	int npre;
	uint64_t argv;			/* guest's argv array */
	uint64_t skip;			/* old argv entries dropped (#!: 1) */
	char buf[BINPRM_BUF_SIZE + 1];
	int fd;				/* the program, open for reading */
	struct stat st;			/* what the exec event must find */
	char host[PATH_MAX];		/* a host path naming it */
	bool direct;			/* the host can exec it itself */
	bool nosuid;			/* on a nosuid mount: no set-id */
};

/* ETXTBSY: a read lease cannot be had while anyone has it open to write. */
static int check_txtbsy(int fd)
{
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		fcntl(fd, F_SETLEASE, F_UNLCK);
		return 0;
	}
	return errno == EAGAIN ? -ETXTBSY : 0;
}

/* A host path for what the walk found ("" if none can be had). */
static void host_name(const struct nameidata *nd, char *buf, size_t size)
{
	char link[32], dir[PATH_MAX];
	ssize_t n;

	buf[0] = '\0';
	snprintf(link, sizeof(link), "/proc/self/fd/%d", nd->dirfd);
	n = readlink(link, dir, sizeof(dir) - 1);
	if (n <= 0 || dir[0] != '/' || nd->last_type != LAST_NORM)
		return;
	dir[n] = '\0';
	if ((size_t)snprintf(buf, size, "%s/%s", strcmp(dir, "/") ? dir : "",
			     nd->last) >= size)
		buf[0] = '\0';
}

/* Resolve, check and read the head of one program in the chain. */
static long open_program(struct trap *t, int dirfd, const char *path,
			 int flags, struct binprm *bp)
{
	struct vfs_req req;
	struct nameidata nd;
	long ret;
	int fd = -1;

	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		ret = fd_gpath(t->task, dirfd, bp->gpath, sizeof(bp->gpath));
		if (ret)
			return ret;
		path = bp->gpath;
		dirfd = AT_FDCWD;
	}
	ret = vfs_walk_str(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ?
			   0 : WALK_FOLLOW, &req, &nd);
	if (!ret && !S_ISREG(nd.st.st_mode))
		ret = S_ISLNK(nd.st.st_mode) ? -ELOOP : -EACCES;
	/* (an overlay file not copied up: the upper one is an empty stand-in) */
	if (!ret && !nd.lower && syscall(SYS_faccessat2, nd.dirfd, nd.last, X_OK,
					 AT_SYMLINK_NOFOLLOW))
		ret = -errno;
	if (!ret)
		ret = guest_permission(&t->task->cred, &nd.st, MAY_EXEC, false);
	if (!ret && (nd.mnt->flags & MOUNT_NOEXEC))
		ret = -EACCES;
	if (!ret) {
		/*
		 * A guest's write lease would have the monitor wait for its
		 * break under the kernel lock.  Differs from Linux: the exec
		 * fails with ETXTBSY (the break has begun) instead of waiting.
		 */
		fd = nd_open(&nd, O_RDONLY | O_NONBLOCK, 0);
		ret = fd == -EWOULDBLOCK ? -ETXTBSY : fd < 0 ? fd : 0;
	}
	if (!ret) {
		const char *vis = vfs_visible(t->task, nd.gpath);

		snprintf(bp->gpath, sizeof(bp->gpath), "%s",
			 vis ? vis : nd.gpath);
		ret = check_txtbsy(fd);
		bp->st = nd.st;
		bp->nosuid = nd.mnt->flags & MOUNT_NOSUID;
		if (nd.lower)	/* the lower file it opened */
			host_fd_path(fd, bp->host, sizeof(bp->host));
		else
			host_name(&nd, bp->host, sizeof(bp->host));
	}
	if (!ret) {
		ssize_t n = pread(fd, bp->buf, BINPRM_BUF_SIZE, 0);

		ret = n < 0 ? -errno : 0;
		bp->buf[n > 0 ? n : 0] = '\0';
		if (n >= 0 && n < 4)
			ret = -ENOEXEC;
	}
	if (bp->fd >= 0)
		close(bp->fd);
	bp->fd = fd;
	vfs_done(&req, &nd);
	return ret;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * "#!interp [arg]\n": as Linux, the interpreter runs with the script's
 * name (as the caller gave it) after its own name and optional argument.
 */
static long parse_shebang(struct binprm *bp, const char *script,
			  char *interp, size_t size)
{
	char *p = bp->buf + 2, *end = strchr(p, '\n'), *name, *arg = NULL;

	if (!end)
		return -ENOEXEC;	/* a line longer than Linux reads */
	*end = '\0';
	while (end > p && is_blank(end[-1]))
		*--end = '\0';
	while (is_blank(*p))
		p++;
	if (!*p)
		return -ENOEXEC;
	name = p;
	while (*p && !is_blank(*p))
		p++;
	if (*p) {
		*p++ = '\0';
		while (is_blank(*p))
			p++;
		if (*p)
			arg = p;
	}
	if (strlen(name) >= size || bp->npre + 3 > 2 * MAX_INTERP_DEPTH)
		return -ENAMETOOLONG;
	snprintf(interp, size, "%s", name);
	/*
	 * Pushed in reverse, the interpreter's entries come first.  A nested
	 * interpreter's script is the previous interpreter, already there.
	 */
	if (script)
		bp->pre[bp->npre++] = strdup(script);
	if (arg)
		bp->pre[bp->npre++] = strdup(arg);
	bp->pre[bp->npre++] = strdup(name);
	return 0;
}

static long check_elf(const struct binprm *bp)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)bp->buf;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN))
		return -ENOEXEC;
	return 0;
}

/* The ELF's PT_INTERP, or "" for a static program. */
static long elf_interp(const struct binprm *bp, char *interp, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)bp->buf;
	Elf64_Phdr ph[64];
	size_t n = eh->e_phnum;

	interp[0] = '\0';
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || n > 64)
		return -ENOEXEC;
	if (pread(bp->fd, ph, n * sizeof(ph[0]), eh->e_phoff) !=
	    (ssize_t)(n * sizeof(ph[0])))
		return -ENOEXEC;
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type != PT_INTERP)
			continue;
		if (ph[i].p_filesz < 2 || ph[i].p_filesz > size ||
		    pread(bp->fd, interp, ph[i].p_filesz, ph[i].p_offset) !=
		    (ssize_t)ph[i].p_filesz ||
		    interp[ph[i].p_filesz - 1] != '\0')
			return -ENOEXEC;
		return 0;
	}
	return 0;
}

/*
 * Can the host exec the program itself?  Only when the host would load
 * the same thing the guest means: the program is named by a host path,
 * and it has no interpreter, or the interpreter's path names the same
 * file on the host as in the guest view (always so when the guest's root
 * is the host's).  The exec event checks the identity either way.
 */
static bool exec_direct(struct trap *t, struct binprm *bp)
{
	char interp[PATH_MAX];
	struct vfs_req req;
	struct nameidata nd;
	struct stat hst;
	bool same;

	if (!bp->host[0] || elf_interp(bp, interp, sizeof(interp)))
		return false;
	if (!interp[0])
		return true;
	if (interp[0] != '/' || stat(interp, &hst))
		return false;
	same = vfs_walk_str(t, AT_FDCWD, interp, WALK_FOLLOW, &req, &nd) == 0 &&
	       nd.exists && nd.st.st_dev == hst.st_dev &&
	       nd.st.st_ino == hst.st_ino;
	vfs_done(&req, &nd);
	return same;
}

static long count_argv(struct trap *t, uint64_t argv, uint64_t *n)
{
	uint64_t p;

	*n = 0;
	if (!argv)
		return 0;
	for (;;) {
		if (guest_read(t->task, argv + *n * 8, &p, 8))
			return -EFAULT;
		if (!p)
			return 0;
		if (++*n >= MAX_ARGS)
			return -E2BIG;
	}
}

/* Write the loader's argv below the guest's stack; point the call at it. */
static long build_argv(struct trap *t, struct binprm *bp, int path_arg,
		       int argv_arg)
{
	uint64_t nold, keep, n, base, strp, ptrp, *ptrs, exe_addr, empty;
	int lead = bp->direct ? 0 : 2;	/* "umbra-loader GUEST_PATH" */
	const char *exe = bp->direct ? bp->host : loader_path;
	size_t slen = strlen(exe) + 1 + strlen(bp->gpath) + 1;
	long ret;

	if (bp->direct && !bp->npre) {
		/* the guest's own argv: only the path changes */
		base = guest_scratch(t, strlen(exe) + 1);
		if (!base || guest_write(t->task, base, exe, strlen(exe) + 1))
			return -EFAULT;
		trap_set_arg(t, path_arg, base);
		return 0;
	}
	ret = count_argv(t, bp->argv, &nold);
	if (ret)
		return ret;
	for (int i = 0; i < bp->npre; i++)
		slen += strlen(bp->pre[i]) + 1;
	keep = nold > bp->skip ? nold - bp->skip : 0;
	/*
	 * An empty argv: Linux (5.18 on) gives the program argv[0] = "" (a
	 * script's interpreter drops it again, as bp->pre does here).
	 */
	empty = !nold && !bp->npre;
	n = lead + bp->npre + keep + empty;
	slen += empty;
	base = guest_scratch(t, slen + (n + 1) * 8 + 16);
	ptrs = calloc(n + 1, 8);
	if (!base || !ptrs) {
		free(ptrs);
		return -E2BIG;
	}
	ptrp = base;
	strp = base + (n + 1) * 8;
#define PUT_STR(i, s) do {						\
		size_t l = strlen(s) + 1;				\
		if (guest_write(t->task, strp, (s), l)) goto fault;	\
		ptrs[i] = strp;						\
		strp += l;						\
	} while (0)
	PUT_STR(n, exe);		/* the path to exec */
	exe_addr = ptrs[n];
	ptrs[n] = 0;			/* argv's NULL */
	if (lead) {
		ptrs[0] = exe_addr;	/* the loader's argv[0] */
		PUT_STR(1, bp->gpath);
	}
	for (int i = 0; i < bp->npre; i++)
		PUT_STR(lead + i, bp->pre[bp->npre - 1 - i]);
	if (keep && guest_read(t->task, bp->argv + bp->skip * 8,
			       ptrs + lead + bp->npre, keep * 8))
		goto fault;
	if (empty)
		PUT_STR(lead, "");
#undef PUT_STR
	trap_set_arg(t, path_arg, exe_addr);
	if (guest_write(t->task, ptrp, ptrs, (n + 1) * 8))
		goto fault;
	free(ptrs);
	trap_set_arg(t, argv_arg, ptrp);
	return 0;
fault:
	free(ptrs);
	return -EFAULT;
}

/*
 * The task's new comm: the last component of the path as the caller
 * passed it (a symlink's name, not its target's: /bin/cat, not busybox),
 * or the fd number for an execveat of an fd, as Linux's bprm->filename.
 * Only the task itself may set its host comm; the host gives it the host
 * file's name (or the loader the program's), so the guest's /proc shows
 * the guest's name for as long as the host's is that one.
 */
static void exec_comm(struct task *t, const char *path, int dirfd,
		      const struct binprm *bp)
{
	const char *name = strrchr(path, '/');
	const char *h = bp->direct ? bp->host : bp->gpath;
	const char *hn = strrchr(h, '/');

	if (!path[0])
		snprintf(t->exec_comm, sizeof(t->exec_comm), "%d", dirfd);
	else
		snprintf(t->exec_comm, sizeof(t->exec_comm), "%.15s",
			 name ? name + 1 : path);
	snprintf(t->exec_hcomm, sizeof(t->exec_hcomm), "%.15s",
		 hn ? hn + 1 : h);
}

/*
 * A setuid or setgid program raises the guest's effective ids (and, for
 * root, its capabilities: cred_exec() after this), as Linux's
 * bprm_fill_uid: not on a nosuid mount, not under no_new_privs, and the
 * setgid bit only with group execute (without it, it marks mandatory
 * locking).  Glibc's secure mode (AT_SECURE) is not given.
 */
static void exec_setid(struct task *t)
{
	if (t->exec_uid != (uid_t)-1)
		t->cred.euid = t->exec_uid;
	if (t->exec_gid != (gid_t)-1)
		t->cred.egid = t->exec_gid;
	/* used: a later exec (of another thread, say) must set its own */
	t->exec_uid = (uid_t)-1;
	t->exec_gid = (gid_t)-1;
}

static void note_setid(struct task *t, const struct binprm *bp)
{
	mode_t m = bp->st.st_mode;
	bool may = !bp->nosuid && !t->cred.no_new_privs;

	t->exec_uid = may && (m & S_ISUID) ? bp->st.st_uid : (uid_t)-1;
	t->exec_gid = may && (m & S_ISGID) && (m & S_IXGRP) ?
		      bp->st.st_gid : (gid_t)-1;
}

static long do_execve(struct trap *t, int dirfd, int path_arg, int argv_arg,
		      int flags)
{
	struct binprm *bp = calloc(1, sizeof(*bp));
	char path[PATH_MAX], interp[PATH_MAX];
	long ret;
	int depth;

	if (!bp)
		return -ENOMEM;
	bp->fd = -1;
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		ret = -EINVAL;
		goto out;
	}
	ret = guest_read_str(t->task, t->args[path_arg], path, sizeof(path));
	if (ret < 0)
		goto out;
	bp->argv = t->args[argv_arg];
	ret = open_program(t, dirfd, path, flags, bp);
	for (depth = 0; !ret && bp->buf[0] == '#' && bp->buf[1] == '!';
	     depth++) {
		if (depth >= MAX_INTERP_DEPTH) {
			ret = -ELOOP;
			break;
		}
		/* the script is named as the caller named it */
		ret = parse_shebang(bp, depth ? NULL : path, interp,
				    sizeof(interp));
		bp->skip = 1;
		if (!ret)
			ret = open_program(t, AT_FDCWD, interp, 0, bp);
	}
	if (!ret)
		ret = check_elf(bp);
	if (!ret && !kconfig.no_direct_exec)
		bp->direct = exec_direct(t, bp);
	/*
	 * umbra's own loader (an umbra inside execs it for its guest): run
	 * as it is, which the Landlock wall allows.  Through our loader, its
	 * opens of it would be the inner umbra's, in the inner view.
	 */
	if (!ret && !bp->direct && !bp->npre &&
	    bp->st.st_dev == loader_st.st_dev && bp->st.st_ino == loader_st.st_ino) {
		snprintf(bp->host, sizeof(bp->host), "%s", loader_path);
		bp->direct = true;
	}
	if (!ret)
		ret = build_argv(t, bp, path_arg, argv_arg);
	if (!ret)
		note_setid(t->task, bp);
	if (!ret) {
		exec_comm(t->task, path, dirfd, bp);
		free(t->task->exec_gpath);
		t->task->exec_gpath = strdup(bp->gpath);
		t->task->exec_by_loader = !bp->direct;
		t->task->exec_dev = bp->direct ? bp->st.st_dev :
						 loader_st.st_dev;
		t->task->exec_ino = bp->direct ? bp->st.st_ino :
						 loader_st.st_ino;
		t->task->prog_dev = bp->st.st_dev;
		t->task->prog_ino = bp->st.st_ino;
		if (t->nr == __NR_execveat) {
			/* the loader is named by path: make it a plain execve */
			t->nr = __NR_execve;
			t->nr_changed = true;
			trap_set_arg(t, 0, t->args[1]);
			trap_set_arg(t, 1, t->args[2]);
			trap_set_arg(t, 2, t->args[3]);
		}
		/*
		 * No exit stop: a successful exec is seen at its event, and
		 * the rare failure of the host's exec of the loader (E2BIG,
		 * ENOMEM) leaves the rewritten argument registers behind.
		 */
		t->keep_regs = true;
		ret = trap_native(t);
	}
out:
	for (int i = 0; i < bp->npre; i++)
		free(bp->pre[i]);
	if (bp->fd >= 0)
		close(bp->fd);
	free(bp);
	return ret;
}

long sys_execve(struct trap *t)
{
	return do_execve(t, AT_FDCWD, 0, 1, 0);
}

long sys_execveat(struct trap *t)
{
	return do_execve(t, (int)t->args[0], 1, 2, (int)t->args[4]);
}

/*
 * The exec event: the new image has not run an instruction yet.  It must
 * be what the monitor chose (the loader, or the program itself); anything
 * else means the exec was raced, and dies.
 */
bool exec_via_loader(const struct task *t)
{
	return t->exec_by_loader;
}

bool exec_check(struct task *t)
{
	char link[64];
	struct stat st;

	snprintf(link, sizeof(link), "/proc/%d/exe", t->tid);
	if (stat(link, &st) || st.st_dev != t->exec_dev ||
	    st.st_ino != t->exec_ino) {
		kill(t->tid, SIGKILL);
		return false;
	}
	exec_setid(t);
	free(t->leader->exe);
	t->leader->exe = t->exec_gpath;
	t->exec_gpath = NULL;
	t->leader->exe_dev = t->prog_dev;
	t->leader->exe_ino = t->prog_ino;
	cred_exec(&t->cred);
	memcpy(t->comm, t->exec_comm, sizeof(t->comm));
	memcpy(t->hcomm, t->exec_hcomm, sizeof(t->hcomm));
	return true;
}
