/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and exit of the loader.
 *
 * Where the loader lives: it is linked as a static PIE (ET_DYN, no
 * PT_INTERP), not as a static executable at a fixed high address.  The
 * kernel then puts it where mmap(NULL) would, at a random address in the
 * mmap area, so it can never sit where an ET_EXEC program (0x400000 and up)
 * or anything else with a fixed address wants to go, and no fixed address
 * has to be proven free on every host (ASLR off, 5-level paging, different
 * mmap_rnd_bits, huge reservations such as ASan's shadow).  The kernel also
 * starts a static PIE's brk at ELF_ET_DYN_BASE, far from every mapping, so
 * the program's brk heap has room to grow; after a fixed high loader it
 * would start right behind the loader.  The price is relocate.c.
 */
	.text

/* The kernel's initial stack pointer, at argc, is the only argument. */
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	loader_main
	ud2
	.size	_start, . - _start

/*
 * enter_program(entry, sp): what binfmt_elf's start_thread leaves is rsp at
 * argc and every other general register zero; rdx = 0 means "no function to
 * register with atexit" to the program's _start.  The loader is built with
 * -mgeneral-regs-only, so the x87/SSE/AVX state is still the kernel's fresh
 * one.  The entry goes below the new stack, in the slot the old argv[0]
 * pointer had, so that every register can be cleared before the jump.
 */
	.globl	enter_program
	.type	enter_program, @function
enter_program:
	movq	%rsi, %rsp
	movq	%rdi, -8(%rsp)
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	jmp	*-8(%rsp)
	.size	enter_program, . - enter_program

	.section .note.GNU-stack, "", @progbits
