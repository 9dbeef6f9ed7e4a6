/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smallest static ET_EXEC, linked (by loader.mk) inside the top of the
 * stack as it is without ASLR: the loader must refuse to map over the stack.
 */
	.globl	_start
_start:
	movl	$60, %eax
	xorl	%edi, %edi
	syscall
	.section .note.GNU-stack, "", @progbits
