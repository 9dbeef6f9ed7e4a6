#!/usr/bin/env bash
# ptrace for guest tracers: the guest kernel's requests, stops and waits
# (tests/progs/ptracer.c), and strace and gdb in the Debian rootfs.  A
# guest tracer never reaches a host process: a host pid is ESRCH.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

UMBRA_TIMEOUT=60

# One ptracer mode: its lines, then status 0.
ptracer() {
	run_umbra run -- "$(prog ptracer)" "$@"
	assert_status 0 "ptracer $*"
}

# One ptracer mode inside and on the host: the same lines.
as_on_the_host() {
	"$(prog ptracer)" "$@" >"$T/host" 2>&1 || fail "ptracer $* on the host"
	ptracer "$@"
	diff "$T/host" "$T/out" >&2 || fail "the guest kernel's answers differ from the host's"
}

test_ptrace_syscall_stops() {
	# tags: asan
	ptracer syscalls
	assert_out "child 2
getpid = child
exit 7
balanced yes"
}

test_ptrace_singlestep_peek_poke() {
	ptracer step
	assert_out "peek ok
steps many
exit 3"
}

test_ptrace_fork_events() {
	# tags: asan
	ptracer forks
	assert_out "fork event yes
grandchild stopped yes
grandchild exit 5
child exit 7"
}

# The events the host stops for only when a guest tracer asks.
test_ptrace_exit_vfork_done() {
	ptracer events
	assert_out "vfork_done child
sigchld
exit_event 0x900
exit 9"
}

# Yama's scope 1: a sibling only after PR_SET_PTRACER (a guest root has
# CAP_SYS_PTRACE, and is let in anyway); TracerPid names the tracer.
test_ptrace_yama_sibling() {
	ptracer sibling
	if [ "$(id -u)" = 0 ]; then
		assert_out "before 0
tracer me
after 0
tracer me"
	else
		assert_out "before EPERM
tracer none
after 0
tracer me"
	fi
}

# Another process's memory (process_vm_readv) under the same rules: a
# parent reads its child's; a child its parent's only as a guest root.
test_ptrace_vm_read_rules() {
	ptracer vmread
	if [ "$(id -u)" = 0 ]; then
		assert_out "child_reads_parent read
parent_reads_child read"
	else
		assert_out "child_reads_parent EPERM
parent_reads_child read"
	fi
}

# The rest of the request set on a stopped child: FP registers, the
# three regsets, signal masks, PEEKSIGINFO of a queued signal (its pid in
# guest terms), GET/SETSIGINFO, SYSEMU (the call not made, the tracer's
# result): what the host answers.
test_ptrace_requests() {
	# tags: asan
	as_on_the_host requests
}

# A seized tracee's group-stop: PTRACE_EVENT_STOP, LISTEN, the stop
# SIGCONT ends reported again, PTRACE_KILL.
test_ptrace_listen() {
	ptracer listen
	assert_out "group_stop event_stop
listen ok
after_cont event_stop
kill ok
killed SIGKILL"
}

# Bad pids, requests, pointers and sizes: the host's own answers, and the
# monitor lives on (a regset of 1 GB is bounded, not allocated).
test_ptrace_bad_input() {
	# tags: asan
	as_on_the_host abuse
}

# A tracer that dies while its tracee is held: the tracee runs on (held
# for good before the fix would be a hang), or dies with EXITKILL.
test_ptrace_tracer_dies() {
	# tags: asan
	ptracer orphaned
	assert_out "plain runs
exitkill killed"
}

# Host processes and the monitor are no tracee: their numbers name
# nothing inside (the monitor's own, the host's init, the test's shell).
test_ptrace_host_pid_esrch() {
	# tags: asan
	local pid out
	start_umbra run -- /bin/sleep 30
	for pid in "$UPID" "$$" "$(cut -d' ' -f4 /proc/$$/stat)"; do
		[ "$pid" -gt 10 ] || continue
		out=$("$UMBRA" run -- "$(prog ptracer)" attach "$pid" 2>&1)
		assert_eq "$out" "attach ESRCH
seize ESRCH
interrupt ESRCH" "ptrace of host pid $pid"
	done
	kill -KILL "$UPID"
	finish_umbra
}

# A guest's own filters above umbra's: ERRNO, TRAP (a SIGSYS handler
# answering the call, as Chrome's sandbox does), TRACE without a tracer
# (ENOSYS), LOG, KILL_PROCESS, TSYNC to every thread (as systemd's),
# strict mode (SIGKILL past read, write, _exit), PR_GET_SECCOMP as the
# guest's, SECCOMP_GET_ACTION_AVAIL.
test_guest_seccomp_actions() {
	run_umbra run -- "$(prog gseccomp)"
	assert_status 0 "gseccomp"
	assert_out "action_avail=ok
kill_action=SIGSYS
tsync=ok
strict_write=ok
strict_end=SIGKILL
mode_before=0
mode_after=2
errno_action=ok
trap_action=ok
trace_untraced=ENOSYS
log_action=ok
getpid_still=ok"
}

# SECCOMP_RET_TRACE towards a guest tracer (PTRACE_O_TRACESECCOMP): the
# event with the filter's data, a call the tracer skips, and one of
# umbra's emulated calls that stays emulated after the tracer's stop
# (the host would let it through unchanged: a guest pid, natively).
test_guest_seccomp_trace() {
	# tags: asan
	run_umbra run -- "$(prog gseccomp)" traced
	assert_status 0 "gseccomp traced"
	assert_out "trace_events=2
traced_exit=0"
}

# A listener of the guest's own (SECCOMP_FILTER_FLAG_NEW_LISTENER): the
# supervisor's value for a call umbra answers by user notification, its
# CONTINUE for one the host runs, poll, ID_VALID, a child inheriting it;
# the same as on the host.
test_guest_seccomp_listener() {
	# tags: asan
	run_umbra run -- "$(prog gseccomp)" listener
	assert_status 0 "gseccomp listener"
	assert_out "listener=ok
cloexec=ok
getppid=4242
sched_yield=0
child_inherits=ok"
}

need_debian() {
	ROOT=$(umbra_rootfs debian-bookworm) ||
		skip "no debian-bookworm rootfs (scripts/mkrootfs-debian.sh)"
	[ -x "$ROOT/usr/bin/strace" ] && [ -x "$ROOT/usr/bin/gdb" ] ||
		skip "the debian-bookworm rootfs has no strace or gdb (rebuild it)"
	mkdir -p "$T/w"
}

run_debian() {
	run_umbra run -r "$ROOT" -b "$T/w:/w" -w /w \
		-e PATH=/usr/local/bin:/usr/bin:/bin -e LC_ALL=C -- "$@"
}

# strace -f: execve, openat with guest paths, getpid with the guest's
# pid, the child's exit, and nothing of umbra's loader.
test_strace_f() {
	local pid
	need_debian
	run_debian strace -f -o /w/t sh -c 'ls / >/dev/null; echo $$'
	assert_status 0 "strace -f"
	pid=$(cat "$T/out")
	grep -q "^$pid \+execve(\"/usr/bin/sh\", \[\"sh\", \"-c\", " "$T/w/t" ||
		fail "no execve of sh by $pid: $(head -n 1 "$T/w/t")"
	grep -q '^[0-9]\+ \+execve("/usr/bin/ls", \["ls", "/"\]' "$T/w/t" ||
		fail "no execve of ls"
	grep -q 'openat(AT_FDCWD, "/", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3' "$T/w/t" ||
		fail "no openat of / in the guest's terms"
	grep -q "^$pid \+getpid() \+= $pid\$" "$T/w/t" || fail "no getpid() = $pid"
	grep -q "^$pid .*\[{WIFEXITED(s) && WEXITSTATUS(s) == 0}\], 0, NULL) = [0-9]" "$T/w/t" ||
		fail "no wait4 for ls"
	grep -q "^$pid \++++ exited with 0 +++\$" "$T/w/t" || fail "no exit of sh"
	[ "$(grep -c '+++ exited with 0 +++' "$T/w/t")" = 2 ] || fail "not two exits"
	! grep -q 'umbra\|PR_SET_MM' "$T/w/t" || fail "umbra's loader shows"
}

# strace --seccomp-bpf: strace's own filter (RET_TRACE for the traced
# calls) must be honoured, for the calls umbra answers by notification
# (openat, getppid) as for the others (execve), and strace's start-up
# check of the order of seccomp and syscall stops must pass (else it says
# "seccomp filter is requested but unavailable" and traces every call).
test_strace_seccomp_bpf() {
	# tags: asan
	local pid
	need_debian
	run_debian strace -f --seccomp-bpf -e trace=openat,getppid,execve \
		-o /w/t sh -c 'cat /etc/hostname >/dev/null; ls / >/dev/null; echo $$'
	assert_status 0 "strace --seccomp-bpf"
	[ ! -s "$T/err" ] || fail "strace said: $(head -c 300 "$T/err")"
	pid=$(cat "$T/out")
	grep -q "^$pid \+execve(\"/usr/bin/sh\", .* = 0\$" "$T/w/t" ||
		fail "no execve of sh = 0: $(head -n 1 "$T/w/t")"
	grep -q 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' "$T/w/t" ||
		fail "no openat of /etc/hostname"
	grep -q 'openat(AT_FDCWD, "/", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3' "$T/w/t" ||
		fail "no openat of / in the guest's terms"
	! grep -q 'getpid\|wait4\|umbra\|PR_SET_MM' "$T/w/t" ||
		fail "calls strace's filter does not trace, or umbra's loader, show"
	[ "$(grep -c '+++ exited with 0 +++' "$T/w/t")" = 3 ] || fail "not three exits"
}

# strace -p of a running process, until it ends (strace is its parent
# after the exec: Yama lets it attach without CAP_SYS_PTRACE).
test_strace_attach() {
	need_debian
	run_debian sh -c 'sh -c "for i in \$(seq 20); do cat /proc/version >/dev/null; sleep 0.05; done; exit 3" &
		exec strace -f -p $! -e trace=openat,exit_group -o /w/t'
	assert_status 0 "strace -p"
	grep -q 'Process [0-9]* attached' "$T/err" ||
		fail "strace -p did not attach: $(head -c 300 "$T/err")"
	grep -q 'openat(AT_FDCWD, "/proc/version", O_RDONLY) = 3' "$T/w/t" ||
		fail "no openat in the attached process: $(head -n 3 "$T/w/t")"
	grep -q ' +++ exited with 3 +++$' "$T/w/t" ||
		fail "no exit with 3: $(tail -n 2 "$T/w/t")"
}

build_in_debian() {
	cp "$TOP/tests/guest/gdbprog.c" "$T/w/p.c"
	run_debian gcc -g -O0 -o /w/p /w/p.c
	assert_status 0 "gcc"
}

test_gdb_crash_backtrace() {
	need_debian
	build_in_debian
	run_debian gdb -batch -ex run -ex bt --args /w/p crash
	grep -q 'Program received signal SIGSEGV' "$T/out" ||
		fail "no SIGSEGV: $(head -c 300 "$T/out")"
	grep -q '^#0 .* in depth (p=0x0, n=0) at /w/p.c:' "$T/out" ||
		fail "no frame #0 in depth: $(grep '^#' "$T/out" | head -n 3)"
	grep -q '^#4 .* in main (.*) at /w/p.c:' "$T/out" ||
		fail "no frame #4 in main"
}

# A breakpoint, next, print, a hardware watchpoint, to the end.
test_gdb_break_watch() {
	need_debian
	build_in_debian
	run_debian gdb -batch -ex 'break work' -ex 'run' -ex next -ex next \
		-ex 'print a' -ex 'watch g' -ex continue -ex continue -ex continue \
		--args /w/p watch
	grep -q '^Breakpoint 1, work () at /w/p.c' "$T/out" ||
		fail "no breakpoint: $(head -c 300 "$T/out")"
	grep -qx '\$1 = 3' "$T/out" || fail "print a: $(grep '^\$' "$T/out")"
	grep -q '^Hardware watchpoint 2: g' "$T/out" || fail "no hardware watchpoint"
	grep -A2 '^Old value = 3' "$T/out" | grep -q '^New value = 42' ||
		fail "the watchpoint missed g = 42"
	grep -q 'exited normally' "$T/out" || fail "the program did not end"
	grep -qx 'g=42' "$T/out" || fail "the program's output"
}

test_gdb_attach() {
	need_debian
	build_in_debian
	run_debian sh -c '/w/p loop & exec gdb -batch -p $! -ex "print counter > 0" -ex bt -ex kill'
	grep -qx '\$1 = 1' "$T/out" || fail "print counter: $(head -c 300 "$T/out")"
	grep -q '^#[0-9].* in main (.*) at /w/p.c' "$T/out" ||
		fail "no main in the backtrace: $(grep '^#' "$T/out" | head -n 5)"
}

run_test "$@"
