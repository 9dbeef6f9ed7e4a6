// SPDX-License-Identifier: GPL-2.0
/*
 * Mapping an ELF file as binfmt_elf does, trusting nothing in it: every
 * offset is checked against the file's size and every address against the
 * user address space before anything is mapped, so that a malformed file ends
 * in a message, never in a fault of the loader or a half-built image.
 */
#include "loader/loader.h"
#include "loader/sys.h"

#define MAX_PHNUM	256		/* real programs have about a dozen */
#define MAX_ALIGN	(1UL << 30)
#define USER_TOP	(1UL << 47)	/* x86-64 without 5-level mmap hints */

struct elf_file {
	int fd;
	uint64_t size;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHNUM];
};

/* The page-rounded link-time range of the PT_LOAD segments. */
struct span {
	uintptr_t lo, hi, align;
};

static int in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static void read_at(const struct elf_file *f, void *buf, size_t len, uint64_t off)
{
	long n = sys_pread(f->fd, buf, len, off);

	if (n < 0)
		die("cannot read", n);
	if ((size_t)n != len)
		die("file shrank while loading", 0);
}

static void read_header(struct elf_file *f)
{
	Elf64_Ehdr *eh = &f->eh;
	const unsigned char *id = eh->e_ident;
	uint64_t phsize;

	memset(eh, 0, sizeof(*eh));
	read_at(f, eh, f->size < sizeof(*eh) ? f->size : sizeof(*eh), 0);
	if (id[EI_MAG0] != ELFMAG0 || id[EI_MAG1] != ELFMAG1 ||
	    id[EI_MAG2] != ELFMAG2 || id[EI_MAG3] != ELFMAG3)
		die("not an ELF file", 0);
	if (f->size < sizeof(*eh))
		die("truncated ELF header", 0);
	if (id[EI_CLASS] != ELFCLASS64 || id[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		die("not an x86-64 ELF file", 0);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		die("not an executable ELF file", 0);
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		die("bad program header size", 0);
	if (eh->e_phnum == 0 || eh->e_phnum > MAX_PHNUM)
		die("bad number of program headers", 0);
	phsize = eh->e_phnum * sizeof(Elf64_Phdr);
	if (!in_file(eh->e_phoff, phsize, f->size))
		die("program headers beyond end of file", 0);
	read_at(f, f->ph, phsize, eh->e_phoff);
}

static void open_elf(const char *path, struct elf_file *f)
{
	struct stat st;
	long ret = sys_open(path);

	if (ret < 0)
		die(NULL, ret);
	f->fd = ret;
	ret = sys_fstat(f->fd, &st);
	if (ret < 0)
		die("cannot stat", ret);
	if (S_ISDIR(st.st_mode))
		die(NULL, -EISDIR);
	if (!S_ISREG(st.st_mode))
		die("not a regular file", 0);
	f->size = st.st_size;
	read_header(f);
}

/* PT_LOADs must be in bounds, in order and disjoint (ELF requires the order). */
static void check_loads(const struct elf_file *f, struct span *s)
{
	uint64_t end = 0;
	unsigned int i, n = 0;

	s->lo = 0;
	s->align = PAGE_SIZE;
	for (i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz)
			die("segment larger in the file than in memory", 0);
		if (!in_file(ph->p_offset, ph->p_filesz, f->size))
			die("segment beyond end of file", 0);
		if (ph->p_memsz > USER_TOP || ph->p_vaddr > USER_TOP - ph->p_memsz)
			die("segment outside the address space", 0);
		if ((ph->p_vaddr - ph->p_offset) % PAGE_SIZE)
			die("segment address and file offset disagree modulo the page size", 0);
		if (n && ph->p_vaddr < end)
			die("segments overlap or are out of order", 0);
		/* Like binfmt_elf, honour power-of-two alignments (huge pages). */
		if (ph->p_align > s->align && !(ph->p_align & (ph->p_align - 1))) {
			if (ph->p_align > MAX_ALIGN)
				die("segment alignment too large", 0);
			s->align = ph->p_align;
		}
		if (!n++)
			s->lo = PAGE_DOWN(ph->p_vaddr);
		end = ph->p_vaddr + ph->p_memsz;
	}
	if (!n)
		die("no loadable segment", 0);
	s->hi = PAGE_UP(end);
	if (f->eh.e_entry < s->lo || f->eh.e_entry >= end)
		die("entry point outside the loadable segments", 0);
}

/* Is [vaddr, vaddr + len) inside the memory of one PT_LOAD? */
static int in_load(const struct elf_file *f, uint64_t vaddr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];

		if (ph->p_type == PT_LOAD && vaddr >= ph->p_vaddr &&
		    len <= ph->p_memsz && vaddr - ph->p_vaddr <= ph->p_memsz - len)
			return 1;
	}
	return 0;
}

/* AT_PHDR: PT_PHDR says where; else the PT_LOAD whose file range holds them. */
static uint64_t phdr_vaddr(const struct elf_file *f)
{
	uint64_t off = f->eh.e_phoff, len = f->eh.e_phnum * sizeof(Elf64_Phdr);
	unsigned int i;

	for (i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];

		if (ph->p_type != PT_PHDR)
			continue;
		if (!in_load(f, ph->p_vaddr, len))
			die("PT_PHDR outside the loadable segments", 0);
		return ph->p_vaddr;
	}
	for (i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];

		if (ph->p_type == PT_LOAD && off >= ph->p_offset &&
		    len <= ph->p_filesz && off - ph->p_offset <= ph->p_filesz - len)
			return ph->p_vaddr + (off - ph->p_offset);
	}
	die("program headers not in a loadable segment", 0);
}

static void read_interp(const struct elf_file *f, char interp[INTERP_MAX])
{
	unsigned int i;

	interp[0] = '\0';
	for (i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];

		if (ph->p_type != PT_INTERP)
			continue;
		if (ph->p_filesz < 2 || ph->p_filesz > INTERP_MAX)
			die("bad interpreter path length", 0);
		if (!in_file(ph->p_offset, ph->p_filesz, f->size))
			die("interpreter path beyond end of file", 0);
		read_at(f, interp, ph->p_filesz, ph->p_offset);
		if (interp[ph->p_filesz - 1] != '\0')
			die("interpreter path not NUL-terminated", 0);
		if (interp[0] == '\0')
			die("empty interpreter path", 0);
		return;
	}
}

/*
 * Claim the whole span at once, PROT_NONE, so that the segments (mapped
 * MAP_FIXED inside it) can clobber nothing else and the holes between them
 * stay ours.  ET_EXEC wants its link addresses: MAP_FIXED_NOREPLACE refuses
 * if anything (the loader, the stack) is there.  ET_DYN goes where mmap
 * chooses, aligned to the largest p_align.  Returns the load bias.
 */
static uintptr_t reserve(const struct elf_file *f, const struct span *s)
{
	const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	size_t len = s->hi - s->lo, extra = s->align - PAGE_SIZE;
	uintptr_t base;
	long addr;

	if (f->eh.e_type == ET_EXEC) {
		addr = sys_mmap(s->lo, len, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
		if (!is_err(addr) && (uintptr_t)addr != s->lo) {
			/* A kernel before 4.17 took the flag for a hint. */
			sys_munmap(addr, len);
			addr = -EEXIST;
		}
		if (addr == -EEXIST)
			die("its link addresses are already in use", 0);
		if (is_err(addr))
			die("cannot map", addr);
		return 0;
	}
	addr = sys_mmap(0, len + extra, PROT_NONE, flags, -1, 0);
	if (is_err(addr))
		die("cannot map", addr);
	base = (addr + s->align - 1) & ~(s->align - 1);
	if (base > (uintptr_t)addr)
		sys_munmap(addr, base - addr);
	if (addr + extra > base)
		sys_munmap(base + len, addr + extra - base);
	return base - s->lo;
}

static void map_segment(const struct elf_file *f, const Elf64_Phdr *ph, uintptr_t bias)
{
	int prot = (ph->p_flags & PF_R ? PROT_READ : 0) |
		   (ph->p_flags & PF_W ? PROT_WRITE : 0) |
		   (ph->p_flags & PF_X ? PROT_EXEC : 0);
	uintptr_t start = PAGE_DOWN(bias + ph->p_vaddr);
	uintptr_t file_end = bias + ph->p_vaddr + ph->p_filesz;
	uintptr_t mem_end = PAGE_UP(bias + ph->p_vaddr + ph->p_memsz);
	uintptr_t anon = start;
	long ret;

	if (ph->p_filesz) {
		anon = PAGE_UP(file_end);
		ret = sys_mmap(start, anon - start, prot, MAP_PRIVATE | MAP_FIXED,
			       f->fd, PAGE_DOWN(ph->p_offset));
		if (is_err(ret))
			die("cannot map segment", ret);
		/*
		 * .bss starts inside the last file page: clear the rest of that
		 * page.  binfmt_elf does so only for writable segments; so do we.
		 */
		if (ph->p_memsz > ph->p_filesz && (prot & PROT_WRITE))
			memset((void *)file_end, 0, anon - file_end);
	}
	if (mem_end > anon) {
		ret = sys_mmap(anon, mem_end - anon, prot,
			       MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
		if (is_err(ret))
			die("cannot map .bss", ret);
	}
}

/* binfmt_elf's start_code..end_data, for /proc/PID/stat. */
static void code_and_data(const struct elf_file *f, struct image *img)
{
	uintptr_t start_code = ~0UL, end_code = 0, start_data = 0, end_data = 0;
	unsigned int i;

	for (i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &f->ph[i];
		uintptr_t end = ph->p_vaddr + ph->p_filesz;

		if (ph->p_type != PT_LOAD)
			continue;
		if ((ph->p_flags & PF_X) && ph->p_vaddr < start_code)
			start_code = ph->p_vaddr;
		if ((ph->p_flags & PF_X) && end > end_code)
			end_code = end;
		if (ph->p_vaddr > start_data)
			start_data = ph->p_vaddr;
		if (end > end_data)
			end_data = end;
	}
	img->start_code = start_code + img->bias;
	img->end_code = end_code + img->bias;
	img->start_data = start_data + img->bias;
	img->end_data = end_data + img->bias;
}

void elf_load(const char *path, struct image *img, char interp[INTERP_MAX])
{
	struct elf_file f;
	struct span s;
	uint64_t phdr;
	unsigned int i;

	open_elf(path, &f);
	check_loads(&f, &s);
	phdr = phdr_vaddr(&f);
	if (interp)
		read_interp(&f, interp);

	img->bias = reserve(&f, &s);
	for (i = 0; i < f.eh.e_phnum; i++)
		if (f.ph[i].p_type == PT_LOAD && f.ph[i].p_memsz)
			map_segment(&f, &f.ph[i], img->bias);
	sys_close(f.fd);

	img->entry = f.eh.e_entry + img->bias;
	img->phdr = phdr + img->bias;
	img->phnum = f.eh.e_phnum;
	img->exec_stack = 0;
	for (i = 0; i < f.eh.e_phnum; i++) {
		if (f.ph[i].p_type == PT_GNU_STACK) {
			img->exec_stack = !!(f.ph[i].p_flags & PF_X);
			break;
		}
	}
	code_and_data(&f, img);
}
