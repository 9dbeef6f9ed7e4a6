#!/usr/bin/env bash
# The second wall (docs/walls.md): every guest process is in a Landlock
# domain, which refuses, by the host kernel's own checks, what the
# monitor's pid translation and path walk would be the only guard of.
#
# A canary is a host process of the same user (`sleep 1000`) whose host
# pid, or an fd naming it, is handed to the guest; the guest tries routes
# to it that skip the monitor.  The canary must be alive afterwards.
# Without the wall (--no-landlock) the SIGIO route through
# ioctl(FIOSETOWN) kills it: the monitor does not see that call.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

CANARY=

need_scopes() {
	local abi
	abi=$("$(prog wall)" abi)
	[ "$abi" -ge 6 ] || skip "host Landlock ABI $abi: no signal or socket scopes"
}

start_canary() {
	sleep 1000 </dev/null >/dev/null 2>&1 &
	CANARY=$!
	trap 'kill -KILL $CANARY 2>/dev/null; lib_cleanup' EXIT
}

# assert_canary_alive ROUTE: the canary survived; it is then ended.
assert_canary_alive() {
	sleep 0.1
	if ! kill -0 "$CANARY" 2>/dev/null; then
		show "$T/out"
		fail "the guest killed a host process through $1"
	fi
	kill -KILL "$CANARY" 2>/dev/null
	wait "$CANARY" 2>/dev/null
}

# SIGIO/F_SETSIG to an owner the monitor never saw (ioctl FIOSETOWN and
# SIOCSPGRP are native), and to one it translates (fcntl F_SETOWN).
test_sigio_to_host() {
	# tags: asan
	need_scopes
	start_canary
	run_umbra run -- "$(prog wall)" sigio "$CANARY"
	assert_status 0
	assert_kv fcntl_setown ESRCH fcntl_setown_ex ESRCH
	assert_canary_alive "an O_ASYNC owner (SIGIO)"
}

# An fd naming a host process, inherited from the host (a /proc/PID
# directory or a pidfd): pidfd_send_signal on it is refused by the
# monitor (EINVAL: a process outside the guest's pid namespace), and the
# signal scope refuses any native route to it (sigio above).
test_pidfd_signal_to_host() {
	# tags: asan
	need_scopes
	local real=$UMBRA
	start_canary
	run_umbra run -- "$(prog wall)" pidfd 5 5<"/proc/$CANARY"
	assert_status 0
	assert_kv pidfd_send_signal EINVAL
	assert_canary_alive "pidfd_send_signal of /proc/PID"
	start_canary
	UMBRA=$(prog wall) run_umbra withpidfd "$CANARY" 6 "$real" run -- \
		"$(prog wall)" pidfd 6
	assert_status 0
	assert_kv pidfd_send_signal EINVAL
	assert_canary_alive "pidfd_send_signal of a pidfd"
}

# The same without the wall: the monitor's refusal holds alone.
test_pidfd_signal_no_wall() {
	# tags: asan
	start_canary
	run_umbra run --no-landlock -- "$(prog wall)" pidfd 5 5<"/proc/$CANARY"
	assert_status 0
	assert_kv pidfd_send_signal EINVAL
	assert_canary_alive "pidfd_send_signal of /proc/PID, no wall"
}

# ptrace-class access to a host process: pidfd_getfd is native and
# refused by Landlock (and by the capability check when the host user is
# root); process_vm_* translate the pid first.
test_ptrace_class_to_host() {
	# tags: asan
	need_scopes
	local real=$UMBRA
	start_canary
	UMBRA=$(prog wall) run_umbra withpidfd "$CANARY" 6 "$real" run -- \
		sh -c "'$(prog wall)' getfd 6; '$(prog wall)' vmread $CANARY"
	assert_status 0
	assert_kv pidfd_getfd EPERM
	case $(kv process_vm_readv)/$(kv process_vm_writev) in
	0/* | */0 | EFAULT/* | */EFAULT)
		show "$T/out"
		fail "process_vm_* reached the host process" ;;
	esac
	assert_canary_alive "ptrace-class calls"
}

# A host abstract socket by its raw name stays out of reach; guests reach
# each other's (unix_sockets/abstract).
test_host_abstract_socket() {
	# tags: asan
	need_scopes
	local srv base=$T/s
	"$(prog escape_misc)" serve "$base" "$T/received" 30 >"$T/serve.out" 2>&1 &
	srv=$!
	wait_for "grep -q ready '$T/serve.out'" 10 || { kill $srv; fail "the host socket server did not start"; }
	run_umbra run -- "$(prog escape_misc)" abstract "$base"
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	assert_status 0
	if [ -s "$T/received" ] || grep -q '=0$' "$T/out"; then
		show "$T/out"
		fail "the guest reached a host abstract socket"
	fi
}

# Fds the monitor opened for the guest carry the monitor's rights:
# writes, ftruncate, mmap and ioctl are native and unaffected.
test_monitor_fds_work() {
	# tags: asan
	run_umbra run -b "$T:/x" -- "$(prog wall)" fdops /x/f
	assert_status 0
	assert_no_fail_lines
	assert_kv write 0 ftruncate 0 mmap 0 ioctl_fionread 0 ioctl_dev ENOTTY
	[ "$(head -c 3 "$T/f")" = xyz ] || fail "the mapped write did not reach the file"
}

# Without the wall (asked for, or a host without Landlock, or an older
# ABI) a guest runs as before, and says nothing about it.
test_without_landlock() {
	local busybox how
	busybox=$(umbra_rootfs busybox 2>/dev/null) || busybox=
	for how in --no-landlock UMBRA_NO_LANDLOCK=1 UMBRA_LANDLOCK_ABI=0 \
		UMBRA_LANDLOCK_ABI=1 UMBRA_LANDLOCK_ABI=5 default; do
		local opt=() envs=()
		case $how in
		--*) opt=("$how") ;;
		default) ;;
		*) envs=("$how") ;;
		esac
		timeout -k 5 "$UMBRA_TIMEOUT" env "${envs[@]}" "$UMBRA" run "${opt[@]}" -b "$T:/x" -- sh -c \
			'echo $$ >/x/pid; cat /x/pid; ls /x >/dev/null && /bin/true && echo ok' \
			>"$T/out" 2>"$T/err"
		STATUS=$?
		assert_status 0 "$how"
		assert_out "1
ok"
		[ -s "$T/err" ] && { show "$T/err"; fail "$how: umbra wrote to stderr"; }
		if [ -n "$busybox" ]; then
			timeout -k 5 "$UMBRA_TIMEOUT" env "${envs[@]}" "$UMBRA" run "${opt[@]}" -r "$busybox" -- \
				/bin/sh -c 'echo hi | cat' >"$T/out" 2>"$T/err"
			STATUS=$?
			assert_status 0 "$how, busybox rootfs"
			assert_out hi
		fi
	done
	assert_no_strays "after the runs"
}

run_test "$@"
