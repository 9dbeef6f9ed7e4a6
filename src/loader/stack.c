// SPDX-License-Identifier: GPL-2.0
/*
 * The program's initial stack.  The kernel built the loader's as
 *
 *	argc | loader | GUEST_PATH | ARGV0 .. ARGVn | 0 | envp | 0 | auxv | AT_NULL | strings
 *
 * and binfmt_elf would have built the program's, per the x86-64 ABI, as
 *
 *	argc-2 | ARGV0 .. ARGVn | 0 | envp | 0 | auxv' | AT_NULL | strings
 *
 * which is the same words two slots higher, with another argc and six auxv
 * values changed.  So the stack is rewritten in place rather than copied: sp+16
 * is 16-byte aligned as sp is, the strings stay where the kernel put them,
 * and every auxv entry the kernel gave (AT_RANDOM, AT_SYSINFO_EHDR, AT_HWCAP*,
 * AT_MINSIGSTKSZ, AT_SECURE, ...) is kept as it was.
 */
#include "loader/loader.h"
#include "loader/sys.h"

static Elf64_auxv_t *auxv_of(uint64_t *sp)
{
	char **p = (char **)(sp + 1) + sp[0] + 1;

	while (*p)
		p++;
	return (Elf64_auxv_t *)(p + 1);
}

static uintptr_t string_end(const char *s)
{
	return (uintptr_t)(s + strlen(s) + 1);
}

/*
 * binfmt_elf gives PT_GNU_STACK's PF_X to the whole stack, whose top is 8
 * bytes above the end of the exec'd file name (the loader's AT_EXECFN).
 * PROT_GROWSDOWN carries the change down to the bottom of the stack, and
 * makes the kernel refuse if that page is not in a stack.
 */
static void make_stack_executable(uintptr_t loader_execfn)
{
	uintptr_t top = string_end((const char *)loader_execfn) + sizeof(void *);
	long ret = sys_mprotect(PAGE_DOWN(top - 1), PAGE_SIZE,
				PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);

	if (ret < 0)
		die("cannot make the stack executable", ret);
}

#define NEEDED	(1u << AT_PHDR | 1u << AT_PHENT | 1u << AT_PHNUM | \
		 1u << AT_BASE | 1u << AT_ENTRY | 1u << AT_EXECFN)

uint64_t *stack_for_program(uint64_t *sp, const struct image *prog, uintptr_t interp_base)
{
	const char *guest_path = (const char *)sp[2];
	uintptr_t loader_execfn = 0;
	Elf64_auxv_t *av;
	unsigned int seen = 0;

	for (av = auxv_of(sp); av->a_type != AT_NULL; av++) {
		uint64_t *val = &av->a_un.a_val;

		switch (av->a_type) {
		case AT_PHDR:	*val = prog->phdr; break;
		case AT_PHENT:	*val = sizeof(Elf64_Phdr); break;
		case AT_PHNUM:	*val = prog->phnum; break;
		case AT_BASE:	*val = interp_base; break;
		case AT_ENTRY:	*val = prog->entry; break;
		case AT_EXECFN:
			loader_execfn = *val;
			*val = (uintptr_t)guest_path;
			break;
		default:
			continue;
		}
		seen |= 1u << av->a_type;
	}
	if (seen != NEEDED)
		die("the kernel gave the loader an incomplete auxiliary vector", 0);
	if (prog->exec_stack)
		make_stack_executable(loader_execfn);

	sp[2] = sp[0] - 2;
	return sp + 2;
}

/*
 * /proc/PID/cmdline, environ, auxv and stat read bounds the kernel recorded
 * at exec: the loader's.  PR_SET_MM_MAP, unprivileged when it leaves
 * /proc/PID/exe alone, moves them to the program's; PR_SET_NAME gives the
 * task the program's name as exec does.  Both are best effort: without
 * CONFIG_CHECKPOINT_RESTORE the host's /proc shows the loader's command line,
 * which changes nothing for the program itself.
 */
void describe_program(uint64_t *sp, const struct image *prog, const char *guest_path)
{
	uint64_t argc = sp[0];
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1, **env_last = envp;
	Elf64_auxv_t *auxv = auxv_of(sp), *auxv_end = auxv;
	const char *name = guest_path, *p;
	uintptr_t brk = sys_brk(0);	/* the loader never moved it */
	struct prctl_mm_map map;

	for (p = guest_path; *p; p++)
		if (*p == '/')
			name = p + 1;
	sys_prctl(PR_SET_NAME, (uintptr_t)name, 0, 0);

	while (*env_last)
		env_last++;
	while (auxv_end->a_type != AT_NULL)
		auxv_end++;
	map = (struct prctl_mm_map) {
		.start_code = prog->start_code,
		.end_code = prog->end_code,
		.start_data = prog->start_data,
		.end_data = prog->end_data,
		.start_brk = brk,
		.brk = brk,
		.start_stack = (uintptr_t)sp,
		.arg_start = argc ? (uintptr_t)argv[0] : string_end(guest_path),
		.arg_end = argc ? string_end(argv[argc - 1]) : string_end(guest_path),
		.auxv = (__u64 *)auxv,
		.auxv_size = (auxv_end + 1 - auxv) * sizeof(*auxv),
		.exe_fd = -1,
	};
	map.env_start = envp[0] ? (uintptr_t)envp[0] : map.arg_end;
	map.env_end = envp[0] ? string_end(env_last[-1]) : map.arg_end;
	sys_prctl(PR_SET_MM, PR_SET_MM_MAP, (uintptr_t)&map, sizeof(map));
}
