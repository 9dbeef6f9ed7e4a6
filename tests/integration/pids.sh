#!/usr/bin/env bash
# Guest pids: init is 1, children count up from 2, every call that takes or
# returns a pid speaks guest pids, and host pids are out of reach.
#
# The guest's pids are predictable because a pid namespace allocates them in
# order: tests/progs/pids runs as init (pid 1), and its children are 2, 3, ...
# in the order it creates them (see the comments of each mode in pids.c).
. "$(dirname "$0")/../lib.sh"

# Host pids of all host processes, except those low enough to be guest pids.
host_pids() {
	local d
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" -ge 100 ] && echo "${d#/proc/}"
	done
}

# Run tests/progs/pids MODE ARG... as init; it must pass its own checks.
run_pids() {
	run_umbra run -- "$(prog pids)" "$@"
	assert_no_fail_lines
	assert_status 0 "pids $1"
}

test_getpid_init() {
	# tags: asan
	run_pids self
	assert_kv pid 1 ppid 0 tid 1 settid 1
}

test_fork_family() {
	# tags: asan
	run_pids fork
	assert_kv fork 2 fork_child_pid 2 fork_child_ppid 1 fork_child_tid 2
	assert_kv vfork 3 vfork_child_pid 3 vfork_child_ppid 1
	assert_kv clone 4 clone_child_pid 4 clone_child_ppid 1
	assert_kv clone3 5 clone3_child_pid 5 clone3_child_ppid 1
	assert_kv settid 6 settid_parent_word 6 settid_child_word 6
	assert_kv settid3 7 settid3_parent_word 7 settid3_child_word 7
}

test_exec_keeps_pid() {
	run_pids forkexec
	assert_kv forkexec 2 pid 2 ppid 1 tid 2
}

# A non-leader thread's exec: the new image is the thread group, pid 1.
test_exec_from_thread() {
	run_pids execthread
	assert_kv execthread_pid 1 pid 1 ppid 0 tid 1
}

test_wait_family() {
	# tags: asan
	run_pids wait
	assert_kv waitpid 2 waitpid_status 3 sigchld_pid 2
	assert_kv waitid_pid 3 waitid_status 4
	assert_kv wait4_any 4
	assert_kv waitid_killed_pid 5 waitid_killed_sig 15
	assert_kv waitpid_pgrp 6
	assert_kv wait_none ECHILD wait_bogus ECHILD
}

test_kill_family() {
	# tags: asan
	run_pids kill $$ $(host_pids)
	assert_kv kill_self 0 kill_group 0 tkill_self 0 tgkill_self 0
	assert_kv self_signal_pid 1
	assert_kv kill_child 0 child_signal_pid 1 queued_signal_pid 2 queued_signal_value 42
	assert_kv sigqueue_child 0 tgsigqueue_child 0 tgkill_child 0 tgkill_child_wrong_tgid ESRCH
	assert_kv child_termsig 15 kill_zombie 0 kill_reaped ESRCH
	assert_kv kill_bogus ESRCH tkill_bogus ESRCH tgkill_bogus ESRCH tgkill_bogus_tgid ESRCH
	assert_kv sigqueue_bogus ESRCH tgsigqueue_bogus ESRCH
	assert_kv kill_host ESRCH tkill_host ESRCH tgkill_host ESRCH kill_host_group ESRCH
	assert_kv sigqueue_host ESRCH
	assert_kv host_visible 0
}

# The same through a guest shell: the runner's shell is not there.
test_host_pid_invisible_from_shell() {
	umbra_sh "kill -0 $$ 2>/dev/null && echo visible || echo invisible; kill -0 1 && echo init"
	assert_status 0
	assert_out "invisible
init"
}

test_pgrp_session() {
	run_pids pgrp $$
	assert_kv a 2 a_setpgid 0 a_pgid 2 a_setsid EPERM getpgid_a 2 setpgid_a_same 0
	assert_kv b 3 b_setsid 3 b_sid 3 b_pgid 3 getsid_b 3 getpgid_b 3 setpgid_b EPERM
	assert_kv getpgid_bogus ESRCH getsid_bogus ESRCH setpgid_bogus ESRCH
	assert_kv getpgid_host ESRCH getsid_host ESRCH setpgid_host ESRCH
}

test_pidfd() {
	run_pids pidfd $$
	assert_kv pidfd_child 0 pidfd_send_signal 0 pidfd_poll 1
	assert_kv pidfd_waitid_pid 2 pidfd_waitid_sig 15
	assert_kv pidfd_self 0 pidfd_self_signal 0
	assert_kv pidfd_bogus ESRCH pidfd_host ESRCH
}

test_sched_prio_rlimit() {
	run_pids sched $$
	local who call
	for who in self zero child; do
		for call in getaffinity getscheduler getparam rr_interval getpriority prlimit_get; do
			assert_kv "${call}_$who" 0
		done
	done
	assert_kv setaffinity_child 0 setpriority_child 0 prlimit_set_child 0 child_nice 5
	for call in getaffinity getscheduler getparam rr_interval getpriority prlimit_get \
		setaffinity setpriority prlimit_set; do
		assert_kv "${call}_bogus" ESRCH
	done
	for call in getaffinity getscheduler getparam rr_interval getpriority prlimit_get; do
		assert_kv "${call}_host" ESRCH
	done
}

# The grandchild (pid 3) outlives its parent (2): init adopts and reaps it.
test_orphan_reparent() {
	# tags: asan
	run_pids orphan
	assert_kv orphan_pid 3 orphan_ppid 1 reaped 3
}

# When init exits, every other guest process dies with it, also one in its
# own session with its stdio on /dev/null; umbra does not wait for them.
test_init_exit_kills_all() {
	# tags: asan
	UMBRA_TIMEOUT=10
	run_umbra run -e "UMBRA_MARK=$MARK" -- sh -c "
		sleep 1000.$MARK &
		(setsid sleep 1000.$MARK </dev/null >/dev/null 2>&1 &)
		sh -c 'trap \"\" TERM HUP; exec sleep 1000.$MARK' &
		sleep 0.2
		echo started"
	assert_status 0
	assert_out started	# run_umbra failed if a sleep outlived umbra
}

# setpgid on a child that has exec'd is EACCES, before the group it names
# is looked at (one that does not exist too), as Linux orders it.  LTP
# setpgid03.
test_setpgid_after_exec() {
	# tags: asan
	run_umbra run -- sh -c "'$(prog waits)' setpgid_exec; true"
	assert_status 0
	assert_kv setpgid_own EACCES setpgid_none EACCES
}

# exec with an empty argv gives the program argv[0] = "" (Linux 5.18 on;
# the loader had passed it none).  LTP execve06.
test_exec_empty_argv() {
	# tags: asan
	run_umbra run -- "$(prog waits)" emptyargv
	assert_status 0
	assert_kv argc 1 argv0 empty
}

# An orphan under a guest child subreaper (PR_SET_CHILD_SUBREAPER) has
# the subreaper for its parent, as the host's tree says, not init.
test_subreaper() {
	# tags: asan
	run_umbra run -- "$(prog subreaper)"
	assert_status 0
	assert_kv orphan_ppid subreaper reaped grandchild status 5
}

run_test "$@"
