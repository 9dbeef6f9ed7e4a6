// SPDX-License-Identifier: MIT
/*
 * The smallest program exec can load, for ubench's forkexec: static, no libc,
 * no dynamic loader, one system call.  What forkexec measures is then fork,
 * exec and exit themselves, not a libc's start-up.
 */
void _start(void)
{
	__asm__ volatile("syscall" : : "a"(231 /* exit_group */), "D"(0));
	__builtin_unreachable();
}
