// SPDX-License-Identifier: GPL-2.0
/*
 * umbra-loader GUEST_PATH ARGV0 .. ARGVn: map the program and its
 * interpreter, hand the program the stack binfmt_elf would have, jump.
 * Every failure is one line on stderr and exit status 127.
 */
#include "loader/loader.h"
#include "loader/sys.h"

__attribute__((noreturn)) void loader_main(uint64_t *sp);

void loader_main(uint64_t *sp)
{
	const char *path;
	char interp[INTERP_MAX];
	struct image prog, ld;
	uintptr_t interp_base = 0, entry;

	relocate_self();
	if (sp[0] < 2)
		die("usage: umbra-loader GUEST_PATH [ARGV0 [ARGV1 ...]]", 0);
	path = (const char *)sp[2];

	die_context(path, NULL);
	elf_load(path, &prog, interp);
	entry = prog.entry;
	if (interp[0]) {
		die_context(path, interp);
		elf_load(interp, &ld, NULL);
		die_context(path, NULL);
		interp_base = ld.bias;
		entry = ld.entry;
	}

	sp = stack_for_program(sp, &prog, interp_base);
	describe_program(sp, &prog, path);
	enter_program(entry, sp);
}
