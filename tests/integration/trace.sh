#!/usr/bin/env bash
# --trace FILE: one line per emulated system call, with the guest pid, the
# call's name, its decoded arguments and its result or errno name, e.g.
#	1 kill(99999, 0) = -1 ESRCH
. "$(dirname "$0")/../lib.sh"

# Lines of the trace that name system call $1 (as a word followed by "(").
trace_lines() {
	grep -E "(^|[^a-z0-9_])$1\(" "$T/trace"
}

# The guest pid a trace line starts with ("1 ...", "[1] ...", "pid 1 ...").
trace_pid() {
	sed -E 's/^[^0-9]*([0-9]+).*/\1/'
}

# The last number in a line, sign included: its result.
trace_result() {
	grep -oE -- '-?[0-9]+' | tail -n 1
}

test_trace_kill_esrch() {
	# tags: asan
	run_umbra run --trace "$T/trace" -- sh -c 'kill -0 99999'
	assert_status 1 "sh -c 'kill -0 99999'"
	[ -s "$T/trace" ] || fail "no trace written"
	local line
	line=$(trace_lines kill | grep -m1 99999)
	[ -n "$line" ] || { show "$T/trace"; fail "no kill(99999, ...) line in the trace"; }
	case $line in *ESRCH*) ;; *) fail "kill line without ESRCH: $line" ;; esac
	assert_eq "$(echo "$line" | trace_pid)" 1 "guest pid of the kill line"
}

# getpid lines: pid 1 returns 1, the child pid 2 returns 2; no host pid.
test_trace_getpid() {
	# tags: asan
	run_umbra run --trace "$T/trace" -- "$(prog pids)" fork
	assert_status 0 "pids fork"
	local lines
	lines=$(trace_lines getpid)
	[ -n "$lines" ] || { show "$T/trace"; fail "no getpid line in the trace"; }
	local line pid result seen1= seen2=
	while IFS= read -r line; do
		pid=$(echo "$line" | trace_pid)
		result=$(echo "$line" | trace_result)
		assert_eq "$result" "$pid" "result of getpid in: $line"
		[ "$pid" = 1 ] && seen1=y
		[ "$pid" = 2 ] && seen2=y
	done <<<"$lines"
	[ -n "$seen1" ] && [ -n "$seen2" ] ||
		{ show "$T/trace"; fail "getpid lines of pid 1 and pid 2 expected"; }
	# The guest's own output is the same as without --trace.
	assert_kv fork 2 fork_child_pid 2
}

# Every line of a multi-threaded guest's trace is whole: it starts with a
# guest pid and names a call.
test_trace_threads() {
	# tags: asan
	run_umbra run --trace "$T/trace" -- "$(prog threads)" 10
	assert_no_fail_lines
	assert_status 0 "threads 10"
	trace_lines tgkill >/dev/null || { show "$T/trace"; fail "no tgkill line in the trace"; }
	local bad
	bad=$(grep -cvE '^[^0-9]*[0-9]+[^a-z]*[a-z_0-9]+\(' "$T/trace")
	[ "$bad" = 0 ] ||
		fail "$bad malformed trace lines, e.g. '$(grep -m1 -vE '^[^0-9]*[0-9]+[^a-z]*[a-z_0-9]+\(' "$T/trace")'"
}

run_test "$@"
