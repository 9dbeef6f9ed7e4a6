// SPDX-License-Identifier: GPL-2.0
/*
 * An ELF core file of a task stopped at a signal's delivery, as Linux's
 * binfmt_elf writes one: the notes (prstatus with the registers, psinfo,
 * siginfo, auxv, FPU state), then one PT_LOAD per mapping, as much of it
 * as /proc/PID/coredump_filter asks (vma_dump_size()).  Pages that are
 * all zero are left as holes and, as in Linux, do not count against the
 * limit.  A dump stops at the limit and still counts as dumped, as
 * Linux's (elf_core_dump() has dumped once its notes are made).  The
 * kernel side (kernel/coredump.c) decides whether there is a dump and
 * where.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <unistd.h>
#include "platform/platform.h"

#define PAGE		4096UL
#define MAX_VMAS	65534		/* e_phnum below PN_XNUM, with the note */

/* coredump_filter bits (Linux's MMF_DUMP_*) */
#define DUMP_ANON_PRIVATE	(1U << 0)
#define DUMP_ANON_SHARED	(1U << 1)
#define DUMP_MAPPED_PRIVATE	(1U << 2)
#define DUMP_MAPPED_SHARED	(1U << 3)
#define DUMP_ELF_HEADERS	(1U << 4)

struct vma {
	uint64_t start, end, off;
	uint64_t dump;			/* bytes of it in the file */
	char perms[5];
	bool anon_pages;		/* smaps: Anonymous > 0 (anon_vma) */
	bool dontdump;			/* VmFlags dd or io */
	bool file;			/* backed by a file that has a name */
	bool shmem;			/* shared memory without a name */
	bool vdso;
};

struct core {
	int fd, mem;
	uint64_t limit, written, pos;
	struct vma *v;
	size_t nv;
	unsigned int filter;
};

static void vma_line(struct vma *v, const char *line)
{
	char path[256] = "";
	unsigned long long s, e, off;

	memset(v, 0, sizeof(*v));
	if (sscanf(line, "%llx-%llx %4s %llx %*s %*s %255[^\n]", &s, &e,
		   v->perms, &off, path) < 4)
		return;
	v->start = s;
	v->end = e;
	v->off = off;
	v->vdso = !strcmp(path, "[vdso]");
	v->shmem = v->perms[3] == 's' && (!path[0] || strstr(path, "(deleted)") ||
		   !strncmp(path, "/SYSV", 5) || !strncmp(path, "/dev/zero", 9) ||
		   !strncmp(path, "/memfd:", 7));
	v->file = path[0] == '/' && !v->shmem;
}

/* /proc/TID/smaps: the mappings, with what decides their dump. */
static int read_vmas(pid_t tid, struct core *c)
{
	char path[64], line[512];
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", tid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct vma *v = c->nv ? &c->v[c->nv - 1] : NULL;
		unsigned long kb;

		if (line[0] >= 'A' && line[0] <= 'Z') {
			if (v && sscanf(line, "Anonymous: %lu", &kb) == 1)
				v->anon_pages = kb > 0;
			else if (v && !strncmp(line, "VmFlags:", 8))
				v->dontdump = strstr(line, " dd") ||
					      strstr(line, " io");
			continue;
		}
		if (c->nv == MAX_VMAS)
			break;
		if (c->nv == cap) {
			struct vma *n = realloc(c->v, (cap = cap ? 2 * cap : 64) *
						sizeof(*n));

			if (!n) {
				fclose(f);
				return -ENOMEM;
			}
			c->v = n;
		}
		vma_line(&c->v[c->nv++], line);
	}
	fclose(f);
	return 0;
}

static bool elf_magic_at(const struct core *c, uint64_t addr)
{
	unsigned char m[SELFMAG];

	return pread(c->mem, m, SELFMAG, (off_t)addr) == SELFMAG &&
	       !memcmp(m, ELFMAG, SELFMAG);
}

/* Linux's vma_dump_size(), from what smaps shows of the mapping. */
static uint64_t vma_dump_size(const struct core *c, const struct vma *v)
{
	uint64_t whole = v->end - v->start;

	if (v->vdso)
		return whole;
	if (v->dontdump || v->perms[0] != 'r')
		return 0;
	if (v->shmem)
		return (c->filter & DUMP_ANON_SHARED) ? whole : 0;
	if (v->perms[3] == 's')
		return (c->filter & DUMP_MAPPED_SHARED) ? whole : 0;
	if (v->anon_pages && (c->filter & DUMP_ANON_PRIVATE))
		return whole;
	if (!v->file)
		return 0;
	if (c->filter & DUMP_MAPPED_PRIVATE)
		return whole;
	if ((c->filter & DUMP_ELF_HEADERS) && v->off == 0 &&
	    elf_magic_at(c, v->start))
		return PAGE;
	return 0;
}

static unsigned int read_filter(pid_t tid)
{
	char path[64], buf[32] = "";
	unsigned int filter = 0x33;	/* Linux's default */
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/coredump_filter", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			filter = (unsigned int)strtoul(buf, NULL, 16);
		close(fd);
	}
	return filter;
}

/* Write at the current position; false past the limit: stop there. */
static bool emit(struct core *c, const void *buf, size_t len)
{
	if (c->written + len > c->limit)
		return false;
	if (pwrite(c->fd, buf, len, (off_t)c->pos) != (ssize_t)len)
		return false;
	c->written += len;
	c->pos += len;
	return true;
}

struct note_buf {
	char *p;
	size_t len, cap;
};

static void note_add(struct note_buf *nb, int type, const void *desc,
		     size_t size)
{
	Elf64_Nhdr h = { 5, (Elf64_Word)size, (Elf64_Word)type };
	size_t need = sizeof(h) + 8 + ((size + 3) & ~3UL);
	char *n;

	if (nb->len + need > nb->cap) {
		n = realloc(nb->p, nb->cap = (nb->len + need) * 2);
		if (!n) {
			free(nb->p);
			nb->p = NULL;
			nb->len = nb->cap = 0;
			return;
		}
		nb->p = n;
	}
	memset(nb->p + nb->len, 0, need);
	memcpy(nb->p + nb->len, &h, sizeof(h));
	memcpy(nb->p + nb->len + sizeof(h), "CORE", 5);
	memcpy(nb->p + nb->len + sizeof(h) + 8, desc, size);
	nb->len += need;
}

static size_t read_auxv(pid_t tid, char *buf, size_t size)
{
	char path[64];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, size);
		close(fd);
	}
	return n > 0 ? (size_t)n : 0;
}

/* The notes of the one thread that took the signal (see the header). */
static int build_notes(pid_t tid, const struct core_info *ci,
		       struct note_buf *nb)
{
	struct user_regs_struct regs;
	struct user_fpregs_struct fp;
	struct elf_prstatus st;
	struct elf_prpsinfo ps;
	char auxv[4096];
	bool fpvalid;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs))
		return -errno;
	fpvalid = !ptrace(PTRACE_GETFPREGS, tid, 0, &fp);
	memset(&st, 0, sizeof(st));
	st.pr_info.si_signo = st.pr_cursig = (short)ci->si->si_signo;
	st.pr_info.si_code = ci->si->si_code;
	st.pr_pid = ci->tid;
	st.pr_ppid = ci->ppid;
	st.pr_pgrp = ci->pgrp;
	st.pr_sid = ci->sid;
	_Static_assert(sizeof(st.pr_reg) == sizeof(regs), "elf_gregset_t");
	memcpy(&st.pr_reg, &regs, sizeof(regs));
	st.pr_fpvalid = fpvalid;
	note_add(nb, NT_PRSTATUS, &st, sizeof(st));

	memset(&ps, 0, sizeof(ps));
	ps.pr_state = 0;
	ps.pr_sname = 'R';
	ps.pr_uid = ci->uid;
	ps.pr_gid = ci->gid;
	ps.pr_pid = ci->pid;
	ps.pr_ppid = ci->ppid;
	ps.pr_pgrp = ci->pgrp;
	ps.pr_sid = ci->sid;
	memcpy(ps.pr_fname, ci->comm, sizeof(ps.pr_fname));
	snprintf(ps.pr_psargs, sizeof(ps.pr_psargs), "%s", ci->comm);
	note_add(nb, NT_PRPSINFO, &ps, sizeof(ps));
	note_add(nb, NT_SIGINFO, ci->si, sizeof(*ci->si));
	note_add(nb, NT_AUXV, auxv, read_auxv(tid, auxv, sizeof(auxv)));
	if (fpvalid)
		note_add(nb, NT_FPREGSET, &fp, sizeof(fp));
	return nb->p ? 0 : -ENOMEM;
}

/* One mapping's bytes: all-zero pages stay holes, as Linux's dump_skip. */
static bool dump_vma(struct core *c, const struct vma *v)
{
	static char page[PAGE];
	static const char zero[PAGE];

	for (uint64_t a = v->start; a < v->start + v->dump; a += PAGE) {
		if (pread(c->mem, page, PAGE, (off_t)a) != (ssize_t)PAGE ||
		    !memcmp(page, zero, PAGE)) {
			c->pos += PAGE;		/* unreadable or zero: a hole */
			continue;
		}
		if (!emit(c, page, PAGE))
			return false;
	}
	return true;
}

static int write_core(pid_t tid, struct core *c, const struct core_info *ci)
{
	struct note_buf nb = { 0 };
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph = { 0 };
	uint64_t data;
	int err = build_notes(tid, ci, &nb);

	if (err)
		return err;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = (Elf64_Half)(c->nv + 1);
	err = 0;	/* dumped, however much of it the limit lets through */
	if (!emit(c, &eh, sizeof(eh)))
		goto out;
	ph.p_type = PT_NOTE;
	ph.p_offset = sizeof(eh) + (c->nv + 1) * sizeof(ph);
	ph.p_filesz = nb.len;
	if (!emit(c, &ph, sizeof(ph)))
		goto out;
	data = (ph.p_offset + nb.len + PAGE - 1) & ~(PAGE - 1);
	for (size_t i = 0; i < c->nv; i++) {
		const struct vma *v = &c->v[i];

		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_offset = data;
		ph.p_vaddr = v->start;
		ph.p_memsz = v->end - v->start;
		ph.p_filesz = v->dump;
		ph.p_flags = (v->perms[0] == 'r' ? PF_R : 0) |
			     (v->perms[1] == 'w' ? PF_W : 0) |
			     (v->perms[2] == 'x' ? PF_X : 0);
		ph.p_align = PAGE;
		data += v->dump;
		if (!emit(c, &ph, sizeof(ph)))
			goto out;
	}
	if (!emit(c, nb.p, nb.len))
		goto out;
	c->pos = (c->pos + PAGE - 1) & ~(PAGE - 1);
	for (size_t i = 0; i < c->nv; i++)
		if (!dump_vma(c, &c->v[i]))
			goto out;
	/* as long as the dump, last holes included; dumped either way */
	while (ftruncate(c->fd, (off_t)c->pos) && errno == EINTR)
		;
out:
	free(nb.p);
	return err;
}

int host_core_write(pid_t tid, int fd, const struct core_info *ci)
{
	struct core c = { .fd = fd, .limit = ci->limit };
	char path[64];
	int err;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	c.mem = open(path, O_RDONLY | O_CLOEXEC);
	if (c.mem < 0)
		return -errno;
	c.filter = read_filter(tid);
	err = read_vmas(tid, &c);
	for (size_t i = 0; !err && i < c.nv; i++)
		c.v[i].dump = vma_dump_size(&c, &c.v[i]);
	if (!err)
		err = write_core(tid, &c, ci);
	free(c.v);
	close(c.mem);
	return err;
}
