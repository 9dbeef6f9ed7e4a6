/* SPDX-License-Identifier: GPL-2.0 */
/*
 * procfs inside: the table of files the guest's /proc holds, and the
 * buffer their contents are generated into.  Contents are made when a
 * file is opened, from the guest kernel's own state and, for what only
 * the host knows (memory, CPU times, mappings), from the host's file of
 * the matching host task, translated.
 */
#ifndef UMBRA_FS_PROC_INTERNAL_H
#define UMBRA_FS_PROC_INTERNAL_H

#include <sys/stat.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct task;

/* A growing buffer; after a failed allocation it only records the error. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool err;
};

void sb_add(struct sbuf *sb, const char *s, size_t n);
void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a host file's contents (at most max bytes): 0 or -errno. */
int sb_read_host(struct sbuf *sb, const char *path, size_t max);
void sb_free(struct sbuf *sb);
/* The contents in a memory file, reopened read-only (O_NONBLOCK of flags
 * kept): an fd for the guest, or -errno. */
int sb_memfd(const struct sbuf *sb, int flags);
/* The same for the file of stand-in stat as at guest path gpath, which
 * fstat of the fd and its fd link then show (procfs_memfd_stat(),
 * procfs_memfd_gpath()): cp checks that the file it opened is the one it
 * stat'ed. */
int sb_memfd_as(const struct sbuf *sb, int flags, const struct stat *as,
		const char *gpath);

/* What a generator is asked for. */
struct proc_ctx {
	struct task *caller;	/* the task opening the file */
	struct task *task;	/* per-process files: the thread or leader */
	bool thread;		/* under /proc/N/task/M */
	const char *name;	/* the entry's name */
	struct sbuf *sb;
};

typedef int (*proc_gen_fn)(struct proc_ctx *c);

/* Each line of in (its newline kept) through fn, into c's buffer. */
void proc_each_line(struct proc_ctx *c, const struct sbuf *in,
		    void (*fn)(struct proc_ctx *c, const char *line,
			       size_t len));

/* An entry of a /proc directory the tree makes (proc_tree.c). */
struct proc_entry {
	const char *name;
	mode_t mode;		/* S_IFREG/S_IFDIR/S_IFLNK | permissions */
	proc_gen_fn gen;	/* regular files: the contents */
	bool host_rw;		/* per-task: the host's own file, opened as asked */
	bool proc_only;		/* not in a thread's directory (task/) */
};

/* The host's /proc path of a task's file: process or thread level. */
void proc_host_path(const struct proc_ctx *c, const char *name, char *buf,
		    size_t size);

/* proc_pid.c */
extern const struct proc_entry proc_pid_entries[];
extern const size_t proc_pid_nentries;
/* proc_misc.c */
extern const struct proc_entry proc_root_entries[];
extern const size_t proc_root_nentries;
int proc_gen_host_copy(struct proc_ctx *c);
int proc_gen_mounts(struct proc_ctx *c);
int proc_gen_mountinfo(struct proc_ctx *c);
/* A generator for a file below /proc/sys etc. named by its path. */
proc_gen_fn proc_misc_gen(const char *rel);

#endif
