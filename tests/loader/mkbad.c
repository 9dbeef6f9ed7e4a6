// SPDX-License-Identifier: GPL-2.0
/*
 * mkbad GOOD_ELF OUTDIR: writes malformed copies of a dynamic PIE into
 * OUTDIR, one per way an ELF can lie, and prints for each one line
 * "NAME<TAB>what umbra-loader must say about it".
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *good;
static size_t good_size;
static const char *outdir;

struct copy {
	unsigned char *buf;
	size_t size;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
};

static struct copy fresh(void)
{
	struct copy c = { .buf = malloc(good_size), .size = good_size };

	memcpy(c.buf, good, good_size);
	c.eh = (Elf64_Ehdr *)c.buf;
	c.ph = (Elf64_Phdr *)(c.buf + c.eh->e_phoff);
	return c;
}

/* The n-th program header of @type. */
static Elf64_Phdr *find(struct copy *c, unsigned int type, int n)
{
	for (int i = 0; i < c->eh->e_phnum; i++)
		if (c->ph[i].p_type == type && n-- == 0)
			return &c->ph[i];
	fprintf(stderr, "mkbad: no program header %u #%d\n", type, n);
	exit(1);
}

static void emit(struct copy *c, const char *name, const char *expect)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad-%s", outdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(c->buf, 1, c->size, f) != c->size || fclose(f)) {
		perror(path);
		exit(1);
	}
	printf("%s\t%s\n", name, expect);
	free(c->buf);
}

static void set_interp(struct copy *c, const char *path)
{
	Elf64_Phdr *in = find(c, PT_INTERP, 0);

	if (strlen(path) + 1 > in->p_filesz)
		exit(1);
	strcpy((char *)c->buf + in->p_offset, path);
}

int main(int argc, char **argv)
{
	struct copy c;
	FILE *f;

	if (argc != 3)
		return 2;
	f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	good_size = ftell(f);
	rewind(f);
	good = malloc(good_size);
	if (fread(good, 1, good_size, f) != good_size)
		return 1;
	fclose(f);
	outdir = argv[2];

	c = fresh(); c.size = 0;
	emit(&c, "empty", "not an ELF file");
	c = fresh(); c.size = 40;
	emit(&c, "short-header", "truncated ELF header");
	c = fresh(); c.size = 2000;
	emit(&c, "truncated", "segment beyond end of file");
	c = fresh(); c.eh->e_ident[EI_CLASS] = ELFCLASS32;
	emit(&c, "class32", "not an x86-64 ELF file");
	c = fresh(); c.eh->e_machine = EM_AARCH64;
	emit(&c, "machine", "not an x86-64 ELF file");
	c = fresh(); c.eh->e_type = ET_REL;
	emit(&c, "type", "not an executable ELF file");
	c = fresh(); c.eh->e_phentsize = 32;
	emit(&c, "phentsize", "bad program header size");
	c = fresh(); c.eh->e_phnum = 0xffff;
	emit(&c, "phnum", "bad number of program headers");
	c = fresh(); c.eh->e_phnum = 0;
	emit(&c, "phnum0", "bad number of program headers");
	c = fresh(); c.eh->e_phoff = good_size - 8;
	emit(&c, "phoff", "program headers beyond end of file");
	c = fresh(); c.eh->e_phoff = -16UL;
	emit(&c, "phoff-wrap", "program headers beyond end of file");
	c = fresh(); c.eh->e_entry = 0x7fff00000000UL;
	emit(&c, "entry", "entry point outside the loadable segments");

	c = fresh(); find(&c, PT_LOAD, 1)->p_offset = good_size - 16;
	emit(&c, "seg-offset", "segment beyond end of file");
	c = fresh(); find(&c, PT_LOAD, 1)->p_filesz = 1UL << 62;
	find(&c, PT_LOAD, 1)->p_memsz = 1UL << 62;
	emit(&c, "seg-filesz", "segment beyond end of file");
	c = fresh(); find(&c, PT_LOAD, 0)->p_filesz = find(&c, PT_LOAD, 0)->p_memsz + 1;
	emit(&c, "seg-memsz", "segment larger in the file than in memory");
	c = fresh(); find(&c, PT_LOAD, 3)->p_vaddr = -4096UL;
	find(&c, PT_LOAD, 3)->p_memsz = 0x2000;
	emit(&c, "seg-wrap", "segment outside the address space");
	c = fresh(); find(&c, PT_LOAD, 3)->p_memsz = 1UL << 50;
	emit(&c, "seg-huge", "segment outside the address space");
	c = fresh(); find(&c, PT_LOAD, 1)->p_vaddr = find(&c, PT_LOAD, 1)->p_offset % 4096;
	emit(&c, "seg-overlap", "segments overlap or are out of order");
	c = fresh();
	{
		Elf64_Phdr a = *find(&c, PT_LOAD, 0);

		*find(&c, PT_LOAD, 0) = *find(&c, PT_LOAD, 1);
		*find(&c, PT_LOAD, 1) = a;
	}
	emit(&c, "seg-order", "segments overlap or are out of order");
	c = fresh(); find(&c, PT_LOAD, 0)->p_offset += 1;
	emit(&c, "seg-misaligned", "segment address and file offset disagree");
	c = fresh(); find(&c, PT_LOAD, 0)->p_align = 1UL << 40;
	emit(&c, "seg-align", "segment alignment too large");
	c = fresh();
	for (int i = 0; i < c.eh->e_phnum; i++)
		if (c.ph[i].p_type == PT_LOAD)
			c.ph[i].p_type = PT_NULL;
	emit(&c, "no-load", "no loadable segment");
	c = fresh(); find(&c, PT_PHDR, 0)->p_vaddr = 1UL << 40;
	emit(&c, "phdr", "PT_PHDR outside the loadable segments");

	c = fresh(); find(&c, PT_INTERP, 0)->p_filesz -= 1;
	emit(&c, "interp-nonul", "interpreter path not NUL-terminated");
	c = fresh(); find(&c, PT_INTERP, 0)->p_filesz = 100000;
	emit(&c, "interp-long", "bad interpreter path length");
	c = fresh(); find(&c, PT_INTERP, 0)->p_offset = good_size - 4;
	emit(&c, "interp-offset", "interpreter path beyond end of file");
	c = fresh(); set_interp(&c, "");
	emit(&c, "interp-empty", "empty interpreter path");
	c = fresh(); set_interp(&c, "/nonexistent/ld.so");
	emit(&c, "interp-missing", "interpreter /nonexistent/ld.so: No such file or directory");
	c = fresh(); set_interp(&c, "/");
	emit(&c, "interp-dir", "interpreter /: Is a directory");
	c = fresh(); set_interp(&c, "/etc/passwd");
	emit(&c, "interp-text", "interpreter /etc/passwd: not an ELF file");
	return 0;
}
