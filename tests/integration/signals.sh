#!/usr/bin/env bash
# Signals and job control inside the guest; what a guest may not do.
. "$(dirname "$0")/../lib.sh"

# Group stop and continue of a two-threaded child (tests/progs/jobctl.c).
test_group_stop() {
	# tags: asan
	run_umbra run -- "$(prog jobctl)"
	assert_no_fail_lines
	assert_status 0 jobctl
	assert_kv stop stopped:19 stop_frozen 1 stop_again 0 cont continued cont_running 1
	assert_kv tstp_pid 2 tstp_code CLD_STOPPED tstp_status 20 tstp_frozen 1
	assert_kv term_while_stopped pending end_pid 2 end_code CLD_KILLED end_status 15
}

# The same from a shell, as an interactive user would do it.
test_group_stop_shell() {
	umbra_sh 'sleep 100 & p=$!
		kill -STOP $p && echo stopped
		kill -CONT $p && echo continued
		kill $p; wait $p; echo status=$?'
	assert_status 0
	assert_out "stopped
continued
status=143"
}

test_signal_handlers() {
	# tags: asan
	run_umbra run -- "$(prog sigs)" handlers
	assert_no_fail_lines
	assert_status 0 "sigs handlers"
	assert_kv raise 1:10 kill 1:12 sigqueue 1:10:77 pending 1 coalesced 1 rt_queued 3
	assert_kv segv 1:11 alarm 1:14 altstack 1 sigtimedwait 12
}

# A guest parent sees how its children died, with the right signal numbers.
test_child_death_status() {
	# tags: asan
	run_umbra run -- "$(prog sigs)" children
	assert_no_fail_lines
	assert_status 0 "sigs children"
	assert_kv term signal:15 kill signal:9 usr1 signal:10 abort signal:6 segv signal:11
	assert_kv exit exit:42
}

# A shell as init runs its trap for a signal it sends itself.
test_shell_trap() {
	umbra_sh 'trap "echo got-usr1" USR1; kill -USR1 $$; echo after'
	assert_status 0
	assert_out "got-usr1
after"
}

test_ptrace_of_children() {
	# tags: asan
	# the guest kernel's ptrace (ptrace.sh has the rest): as on Linux
	run_umbra run -- "$(prog refuse)" ptrace
	assert_status 0 "ptrace of children"
	assert_kv traceme 0 attach 0 seize 0
}

# A 64-bit guest making 32-bit system calls with int $0x80: refused with an
# error, never run (i386 getpid must not give the host pid, i386 write must
# not write).
test_int80_refused() {
	# tags: asan
	local refuse st
	refuse=$(prog refuse)
	"$refuse" int80 >"$T/native" 2>&1
	st=$?
	[ "$st" = 0 ] || skip "the host kernel does not run int \$0x80 (native status $st)"
	run_umbra run -- "$refuse" int80
	assert_status 0 "refuse int80"
	assert_kv pid 1
	local r
	for r in int80_getpid int80_write; do
		r=$(kv "$r")
		[ -n "$r" ] && [ "$r" -lt 0 ] && [ "$r" -ge -4095 ] ||
			{ show "$T/out"; fail "int \$0x80 returned '$r', expected a negative errno"; }
	done
	! grep -q INT80-LEAK "$T/out" "$T/err" || fail "int \$0x80 write(1, ...) was executed"
}

# The x32 ABI (nr | 0x40000000): refused too.
test_x32_refused() {
	# tags: asan
	run_umbra run -- "$(prog refuse)" x32
	assert_status 0 "refuse x32"
	assert_kv pid 1
	local r
	for r in x32_getpid x32_write; do
		r=$(kv "$r")
		[ -n "$r" ] && [ "$r" -lt 0 ] && [ "$r" -ge -4095 ] ||
			{ show "$T/out"; fail "x32 system call returned '$r', expected a negative errno"; }
	done
	! grep -q X32-LEAK "$T/out" "$T/err" || fail "x32 write(1, ...) was executed"
}

# Signals that arrive while the monitor makes a call (mkdir, rmdir, an
# O_EXCL create, unlink) must not make it happen twice: a restarted call
# would find its own result (EEXIST, ENOENT).  Needs the notification
# wait to be killable only (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV).
test_signal_no_double_call() {
	mkdir -p "$T/d"
	run_umbra run -- "$(prog sigrestart)" "$T/d" 3000
	assert_no_fail_lines
	assert_status 0 "sigrestart"
	assert_kv rounds 3000 fails 0 signals some
}

# A FIFO open waiting for a partner (made by the monitor for the guest)
# yields to signals as on Linux: alarm() without SA_RESTART gives EINTR,
# with SA_RESTART the open is restarted and completes, and a reopen
# through /proc/self/fd/N waits on a worker too (it used to block the
# notification thread itself, and with it every guest); SIGTERM to umbra
# (forwarded to the guest, whose wait for the monitor only SIGKILL ends)
# still ends the run.
test_fifo_open_signals() {
	# tags: asan
	mkfifo "$T/f"
	run_umbra run -- "$(prog fifosig)" "$T/f"
	assert_no_fail_lines
	assert_status 0 "fifosig"
	assert_kv eintr EINTR restarted 1 handler 1 read hello reopen EINTR
	start_umbra run -- cat "$T/f"
	sleep 0.5
	kill -TERM "$UPID"
	UMBRA_TIMEOUT=5 finish_umbra
	assert_status 143 "cat of a FIFO without writer, then SIGTERM"
}

# A signal that lands while a path call waits for the monitor, before the
# monitor took it, must not fail the call with EINTR (Linux never does for
# mkdir, rmdir or open of a directory): it restarts, SA_RESTART or not.
test_path_calls_no_eintr() {
	# tags: asan
	mkdir -p "$T/d"
	run_umbra run -- "$(prog noeintr)" "$T/d" 10000
	assert_status 0
	assert_kv eintr 0 other 0
}

# A signalfd reader sees the sender's guest pid for kill, sigqueue (with
# its payload), pidfd_send_signal and a child's SIGCHLD: never a host pid
# (the monitor sends them all, SIGCHLD before the host's own, which
# merges into it).
test_signalfd_pids() {
	# tags: asan
	run_umbra run -- "$(prog sigfd)"
	assert_status 0
	assert_kv kill_pid child rt_pid child rt_int 42 pidfd_pid child \
		chld_pid child status 7
}

# The host's own SIGCHLD for a child's stop and continue, read from (a
# dup of) a signalfd: the child's guest pid (each signalfd and each dup
# gets a filter that makes reads of it stop, and the records are
# rewritten at their exit).
test_signalfd_stop_continue() {
	# tags: asan
	run_umbra run -- sh -c "'$(prog sigfd)' stop; true"
	assert_status 0
	assert_kv stop_pid child stop_code 5 cont_pid child cont_code 6 \
		status 9
}

# A signal from a host process, read from a signalfd: sender 0, as for a
# sender outside a pid namespace, not the host's pid.
test_signalfd_outside_sender() {
	# tags: asan
	local p
	start_umbra run -- "$(prog sigfd)" outside
	wait_for "grep -q ready '$T/out'" 10 || fail "the guest did not start"
	for p in $(descendants "$UPID" | awk '$2 != "Z" {print $1}'); do
		[ "$(tr '\0' ' ' <"/proc/$p/cmdline")" = "$(prog sigfd) outside " ] &&
			break
		p=
	done
	[ -n "$p" ] || fail "no guest process"
	kill -USR1 "$p"
	finish_umbra
	assert_status 0
	assert_kv outside_pid 0
}

# A child's exit read from a signalfd: the monitor sends the exit signal
# (marked, in guest terms); the record says CLD_EXITED and the status, as
# Linux's does (util-linux's script waited forever on SI_QUEUE and 0).
test_signalfd_child_exit() {
	# tags: asan
	run_umbra run -- sh -c "'$(prog sfdchld)'; true"
	assert_status 0
	assert_kv code 1 status 3 pid 1
}

# A signal the waiter ignores never ends a sigtimedwait (the host queues
# it for a traced task and wakes the wait with EINTR: the monitor makes
# the call again for what is left of its timeout).  LTP rt_sigtimedwait01.
test_sigtimedwait_ignored() {
	# tags: asan
	run_umbra run -- sh -c "'$(prog waits)' sigtw_ignored; true"
	assert_status 0
	assert_kv sigtw EAGAIN sigtw_time ok
}

# PR_SET_PDEATHSIG is the guest kernel's: the signal a parent's death
# sends names the parent's guest pid, by signalfd too, and
# PR_GET_PDEATHSIG reads back what was set.
test_pdeath_signal() {
	# tags: asan
	run_umbra run -- sh -c "'$(prog sigfd)' pdeath; true"
	assert_status 0
	assert_kv pdeath_get 10 pdeath_pid parent
}

run_test "$@"
