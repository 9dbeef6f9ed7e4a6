// SPDX-License-Identifier: GPL-2.0
/*
 * exec.  Until the guest has a filesystem of its own, the host runs the
 * program it names; the kernel only follows the task through it (a
 * non-leader thread that execs takes over the leader's tid).
 */
#include "kernel/syscalls.h"
#include "kernel/task.h"

long sys_execve(struct trap *t)
{
	return trap_native(t);
}

long sys_execveat(struct trap *t)
{
	return trap_native(t);
}
