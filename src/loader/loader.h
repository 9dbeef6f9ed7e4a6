/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umbra-loader: run inside a guest process by execve, as
 *
 *	umbra-loader GUEST_PATH ARGV0 ARGV1 ... ARGVn	(envp unchanged)
 *
 * it maps GUEST_PATH and its PT_INTERP through plain opens (which umbra
 * resolves in the guest's root), gives the program the initial stack the
 * kernel's binfmt_elf would have, and jumps to it.
 */
#ifndef UMBRA_LOADER_H
#define UMBRA_LOADER_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE	4096UL
#define PAGE_DOWN(x)	((x) & ~(PAGE_SIZE - 1))
#define PAGE_UP(x)	PAGE_DOWN((x) + PAGE_SIZE - 1)
#define INTERP_MAX	4096	/* PATH_MAX, the NUL included */

/* What the new initial stack and the jump need to know about a mapped ELF. */
struct image {
	uintptr_t bias;		/* load address minus link address */
	uintptr_t entry;	/* e_entry + bias */
	uintptr_t phdr;		/* where the program headers are in memory */
	unsigned int phnum;
	int exec_stack;		/* PT_GNU_STACK asks for PF_X */
	/* binfmt_elf's start_code..end_data, for /proc/PID/stat */
	uintptr_t start_code, end_code, start_data, end_data;
};

/*
 * Map the ELF at @path.  With @interp, a PT_INTERP is copied there (empty
 * string when there is none); without, PT_INTERP is ignored.  Dies on error.
 */
void elf_load(const char *path, struct image *img, char interp[INTERP_MAX]);

/* Turn the loader's initial stack into the program's; returns its sp. */
uint64_t *stack_for_program(uint64_t *sp, const struct image *prog, uintptr_t interp_base);

/* Tell the kernel the program's name and where its argv, envp, auxv are. */
void describe_program(uint64_t *sp, const struct image *prog, const char *guest_path);

/* entry.S: set rsp, clear the registers, jump; rdx = 0 (no atexit hook). */
__attribute__((noreturn)) void enter_program(uintptr_t entry, uint64_t *sp);

/* relocate.c */
void relocate_self(void);

/* lib.c */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);
void die_context(const char *prog, const char *interp);
/*
 * Print "umbra-loader: PROG[: interpreter INTERP]: WHAT[: strerror(-err)]"
 * as one line on stderr and exit 127.  @what may be NULL, @err 0.
 */
__attribute__((noreturn)) void die(const char *what, long err);

#endif
