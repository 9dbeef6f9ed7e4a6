// SPDX-License-Identifier: GPL-2.0
/*
 * Guest pid logic without ptrace: allocation, translation both ways,
 * thread groups, process groups, re-parenting of orphans to init, and
 * the handlers that answer from the task table alone.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include "check.h"
#include "kernel/kernel.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"

static long call(struct task *t, int nr, long a0, long a1)
{
	struct trap tr = { .task = t, .nr = nr, .source = TRAP_NOTIFY };

	tr.args[0] = a0;
	tr.args[1] = a1;
	do_syscall(&tr);
	return tr.action == ACT_RETURN ? tr.ret : -1000;
}

static void test_alloc_and_translate(void)
{
	struct task *init, *a, *th;
	int before = task_count();

	pid_init(0);
	init = task_create_init(5000, NULL);
	CHECK_EQ(init->vtid, 1);
	a = task_clone(init, 5001, SIGCHLD);
	CHECK_EQ(a->vtid, 2);
	th = task_clone(a, 5002, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND);
	CHECK_EQ(th->vtid, 3);
	CHECK(th->leader == a);
	CHECK_EQ(pid_to_guest(5002), 3);
	CHECK_EQ(pid_to_host(2), 5001);
	CHECK_EQ(pid_to_guest(4242), 0);	/* host pids never show */
	CHECK_EQ(pid_to_host(77), 0);
	CHECK_EQ(call(th, __NR_getpid, 0, 0), 2);
	CHECK_EQ(call(th, __NR_gettid, 0, 0), 3);
	CHECK_EQ(call(th, __NR_getppid, 0, 0), 1);
	CHECK_EQ(call(init, __NR_getppid, 0, 0), 0);
	CHECK_EQ(call(a, __NR_getpgid, 77, 0), -ESRCH);
	CHECK_EQ(call(a, __NR_getpgid, 0, 0), 1);
	CHECK_EQ(call(a, __NR_getsid, 3, 0), 0);
	task_exited(th);
	CHECK(task_by_vtid(3) == NULL);
	CHECK_EQ(task_count() - before, 2);
}

static void test_reparent_and_zombie(void)
{
	struct task *init, *p, *c;

	pid_init(0);
	init = task_create_init(6000, NULL);
	p = task_clone(init, 6001, SIGCHLD);
	c = task_clone(p, 6002, SIGCHLD);
	CHECK(c->parent == p);
	task_exited(p);
	CHECK(p->state == TASK_ZOMBIE);
	CHECK(c->parent == init);	/* as with a child subreaper */
	CHECK_EQ(call(c, __NR_getppid, 0, 0), 1);
	/* a zombie keeps its number until its parent reaps it */
	CHECK_EQ(pid_to_guest(6001), 2);
	task_release(p);
	CHECK_EQ(pid_to_guest(6001), 0);
}

static void test_clone_parent_and_pgrp(void)
{
	struct task *init, *a, *b;

	pid_init(0);
	init = task_create_init(7000, NULL);
	a = task_clone(init, 7001, SIGCHLD);
	a->vpgid = a->vtid;
	a->hpgid = a->tid;
	b = task_clone(a, 7002, SIGCHLD | CLONE_PARENT);
	CHECK(b->parent == init);
	CHECK_EQ(b->vpgid, 2);
	CHECK_EQ(pgrp_to_host(2), 7001);
	/* the group outlives its leader */
	task_exited(a);
	task_release(a);
	CHECK_EQ(pgrp_to_host(2), 7001);
	/* and its number is not handed out again while the group lives */
	for (int i = 0; i < 10; i++)
		CHECK(pid_alloc() != 2);
}

static void test_host_tid_reuse(void)
{
	struct task *init, *a, *b;
	int before = task_count();

	pid_init(0);
	init = task_create_init(8000, NULL);
	a = task_clone(init, 8001, SIGCHLD);
	task_exited(a);		/* zombie, never reaped through the guest */
	b = task_clone(init, 8001, SIGCHLD);	/* the host reused the tid */
	CHECK(task_by_tid(8001) == b);
	CHECK_EQ(pid_to_guest(8001), b->vtid);
	CHECK_EQ(task_count() - before, 2);
}

static void test_refusals(void)
{
	struct task *init;
	struct trap tr = { .nr = __NR_clone, .source = TRAP_PTRACE };

	pid_init(0);
	init = task_create_init(9000, NULL);
	tr.task = init;
	tr.args[0] = CLONE_NEWUSER | SIGCHLD;
	do_syscall(&tr);
	CHECK_EQ(tr.ret, -EPERM);
	kconfig.max_tasks = 1;
	tr.args[0] = SIGCHLD;
	do_syscall(&tr);
	CHECK_EQ(tr.ret, -EAGAIN);
	kconfig.max_tasks = 0;
	tr.nr = __NR_kill;
	tr.args[0] = 4242;
	tr.args[1] = SIGTERM;
	do_syscall(&tr);
	CHECK_EQ(tr.ret, -ESRCH);
	CHECK(syscall_table[__NR_io_uring_setup].cls == SC_REFUSE);
	CHECK(syscall_table[__NR_bpf].cls == SC_REFUSE);
	CHECK(syscall_table[__NR_ptrace].cls == SC_TRACE);
	CHECK(syscall_table[__NR_open_by_handle_at].cls == SC_REFUSE);
	CHECK(syscall_table[__NR_read].cls == SC_NATIVE);
	CHECK(syscall_table[__NR_unlink].cls != SC_NATIVE);
}

int main(void)
{
	RUN(test_alloc_and_translate);
	RUN(test_reparent_and_zombie);
	RUN(test_clone_parent_and_pgrp);
	RUN(test_host_tid_reuse);
	RUN(test_refusals);
	return check_done();
}
