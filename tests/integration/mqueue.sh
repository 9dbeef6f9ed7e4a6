#!/usr/bin/env bash
# POSIX message queues: they work between guest processes as on Linux, and
# live in a namespace of the run's own, removed when the run ends.
. "$(dirname "$0")/../lib.sh"

# The host name of the queue a guest's `mq hold` has open: its fd's link.
held_host_name() {	# GUEST-NAME
	local p fd
	for p in $(marked_pids "$1"); do
		for fd in /proc/"$p"/fd/*; do
			case $(readlink "$fd") in
			/umbra-*) basename "$(readlink "$fd")"; return 0 ;;
			esac
		done
	done
	return 1
}

# A guest queue held open; its host name in $HOSTQ.
start_holder() {	# GUEST-NAME
	start_umbra run -- "$(prog mq)" hold "$1"
	wait_for "grep -qx ready '$T/out'" 10 ||
		{ kill -KILL "$UPID"; show "$T/err"; fail "the guest never made its queue"; }
	HOSTQ=$(held_host_name "$1") || fail "no queue fd in the guest"
	case $HOSTQ in
	*"${1#/}"*) fail "the guest's name shows in the host's: $HOSTQ" ;;
	esac
}

# Parent and child, by name: priorities, attributes, a notification, unlink.
test_pingpong() {
	# tags: asan
	run_umbra run -- "$(prog mq)" pingpong "/umbra-pp-$MARK"
	assert_status 0
	assert_kv cloexec 1 order high:9,mid:5,low:1 notify 1 reply pong \
		reopen ENOENT done 1
}

# glibc's SIGEV_THREAD notification: a netlink socket of the caller's own,
# which --net none refuses (glibc then says ENOSYS).
test_notify_thread() {
	# tags: asan
	run_umbra run -- "$(prog mq)" notify_thread "/umbra-nt-$MARK"
	assert_status 0
	assert_kv notify_thread 0 notified 1
	run_umbra run --net none -- "$(prog mq)" notify_thread "/umbra-nt-$MARK"
	assert_status 0
	assert_kv notify_thread ENOSYS
}

# The same in a root filesystem, the processes started by its shell.
test_pingpong_rootfs() {
	. "$TOP/scripts/rootfs.sh"
	local busybox
	busybox=$(umbra_rootfs busybox) || skip "no busybox rootfs"
	run_umbra run -r "$busybox" -b "$PROGS:/t:ro" -- sh -c \
		"/t/mq create /q && /t/mq open /q && /t/mq unlink /q && /t/mq open /q"
	assert_status 0
	assert_out "create=0
curmsgs=0
open=0
curmsgs=0
unlink=0
open=ENOENT"
}

# Bad names and attributes get Linux's errnos: the guest's answers are the
# host's, line for line.
test_bad_inputs() {
	# tags: asan
	"$(prog mq)" bad >"$T/host" || { cat "$T/host"; fail "mq bad on the host"; }
	run_umbra run -- "$(prog mq)" bad
	assert_status 0
	diff "$T/host" "$T/out" >"$T/diff" ||
		fail "guest and host differ: $(grep '^[<>]' "$T/diff" | head -n 4 | tr '\n' ' ')"
}

# Two runs at once: the same guest name is two queues.
test_runs_apart() {
	start_holder "/umbra-apart-$MARK"
	# not run_umbra: the holder is still there
	"$UMBRA" run -- "$(prog mq)" open "/umbra-apart-$MARK" >"$T/apart" 2>&1
	kill -TERM "$UPID"
	finish_umbra
	assert_eq "$(cat "$T/apart")" open=ENOENT "the other run's mq_open"
}

# A host queue made under the name the run would use next is not the
# guest's: the guest's new queue gets another name.
test_host_name_taken() {
	# tags: asan
	local mq next
	mq=$(prog mq)
	start_umbra run -- sh -c "'$mq' hold /umbra-first-$MARK & while [ ! -e '$T/go' ]; do sleep 0.05; done; '$mq' create /umbra-second-$MARK; kill %1"
	wait_for "grep -qx ready '$T/out'" 10 ||
		{ kill -KILL "$UPID"; show "$T/err"; fail "the guest never made its queue"; }
	HOSTQ=$(held_host_name "/umbra-first-$MARK") || fail "no queue fd in the guest"
	next=/${HOSTQ%mq0}mq1
	"$mq" host "$next" planted || fail "cannot make $next on the host"
	touch "$T/go"
	finish_umbra
	"$mq" hostcheck "$next" >"$T/host"
	"$mq" hostrm "$next"
	assert_kv create 0 curmsgs 0
	assert_eq "$(cat "$T/host")" "curmsgs=1
data=planted" "the host's $next afterwards"
}

# The guest's queues go with the run: at its end ...
test_removed_at_exit() {
	# tags: asan
	start_holder "/umbra-exit-$MARK"
	pkill -TERM -f "hold /umbra-exit-$MARK"
	finish_umbra
	"$(prog mq)" hostgone "/$HOSTQ" >"$T/host"
	assert_eq "$(cat "$T/host")" "hostopen=ENOENT" "host queue $HOSTQ after the run"
}

# ... and when the monitor is killed (the guard removes them).
test_removed_after_sigkill() {
	# tags: asan
	start_holder "/umbra-kill-$MARK"
	kill -KILL "$UPID"
	wait "$UPID" 2>/dev/null
	wait_for "[ \"\$('$(prog mq)' hostgone '/$HOSTQ')\" = hostopen=ENOENT ]" 5 ||
		fail "host queue $HOSTQ still there 5 s after the monitor was killed"
	assert_no_strays "after the monitor was killed" 2
}

run_test "$@"
