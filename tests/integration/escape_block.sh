#!/usr/bin/env bash
# The monitor never waits under the kernel lock for as long as a guest
# likes: a call it makes with O_NONBLOCK set on a socket the guest shares
# is interrupted if a sibling clears the flag, and a lease's break never
# holds up the monitor's own opens of the file (a worker waits for it).
. "$(dirname "$0")/../lib.sh"

# 2000 accepts the monitor makes while a sibling toggles O_NONBLOCK on the
# listener: each race costs the guest at most a few tens of milliseconds;
# before, the monitor waited in accept4 for good, every guest with it.
test_accept_nonblock_race() {
	# tags: asan timeout=90
	mkdir -p "$T/s"
	UMBRA_TIMEOUT=60 run_umbra run -- "$(prog escape_block)" accept "$T/s" 2000
	assert_status 0
	assert_kv rounds 2000
}

# F_SETLEASE is the guest's; conform/lease_break has an open wait for a
# break while the holder's own emulated calls are served.
test_lease_allowed() {
	# tags: asan
	echo data >"$T/f"
	run_umbra run -- "$(prog escape_block)" lease "$T/f"
	assert_status 0
	assert_kv lease 0
}

# --mem: past the limit the guest's largest process is killed, and umbra
# says so; under it, nothing happens.
test_mem_limit() {
	# tags: asan
	run_umbra run --mem 64M -- "$(prog escape_block)" membomb 1024
	assert_status 137
	grep -q "umbra: out of memory" "$T/err" ||
		fail "no out-of-memory line: $(first_line "$T/err")"
	run_umbra run --mem 256M -- "$(prog escape_block)" membomb 32
	assert_status 0
	assert_kv touched 32
	run_umbra run --mem 12 -- /bin/true
	assert_status 125
}

# A wait whose status pointer faults has reaped the child all the same:
# the kernel forgets it (with --pids 20, the 20th fork used to fail).
test_wait_efault_reaps() {
	# tags: asan
	run_umbra run --pids 20 -- "$(prog escape_block)" waitfault 100
	assert_status 0
	assert_kv forks 100
}

# 64 threads blocked in sendmmsg of 2 MiB each on a full AF_UNIX datagram
# socket: the monitor keeps what each waiting send needs, not all it
# copied (134 MB of monitor before, ~20 MB now).
test_blocked_sends_bounded() {
	# tags: timeout=60
	local rss i
	start_umbra run -- "$(prog escape_block)" sendflood 64
	for ((i = 0; i < 100; i++)); do
		grep -q ready "$T/out" && break
		sleep 0.1
	done
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$UPID/status")
	wait "$UPID"
	STATUS=$?
	assert_status 0
	[ -n "$rss" ] && [ "$rss" -lt 65536 ] ||
		fail "the monitor holds ${rss:-?} kB with 64 blocked sendmmsg"
}

# UMBRA becomes a wrapper that runs the monitor with at most N fds.
low_fd_limit() {
	local real=$UMBRA
	printf '#!/bin/sh\nulimit -n %s || exit 125\nexec "%s" "$@"\n' "$1" "$real" >"$T/umbra-lowfd"
	chmod +x "$T/umbra-lowfd"
	UMBRA=$T/umbra-lowfd
}

# The monitor keeps one pidfd per guest task, and a reserve of fds for
# its own work: with a low fd limit, a guest with many threads still gets
# its files opened, and past the ceiling a thread goes without a pidfd of
# its own (signalled through its process) rather than being killed.
test_many_threads_fd_limit() {
	# tags: asan
	echo data >"$T/f"
	low_fd_limit 600
	run_umbra run -- "$(prog escape_block)" threads 500 "$T/f"
	assert_status 0
	assert_kv threads 500 open 0
}

# Past the ceiling a new process is refused: fork fails with EAGAIN in
# the parent (it used to return 0 there, and the parent ran as the child).
test_many_processes_fd_limit() {
	# tags: asan
	low_fd_limit 600
	run_umbra run -- /bin/sh -c '
		n=0; while [ $n -lt 450 ]; do sleep 3 & n=$((n + 1)); done
		echo parent=$$; cat /etc/hostname >/dev/null && echo open=0'
	case $STATUS in
	0) assert_kv parent 1 open 0 ;;
	2) grep -q "fork" "$T/err" || fail "sh failed, not for fork: $(first_line "$T/err")" ;;
	*) fail "umbra: exit status $STATUS" ;;
	esac
}

run_test "$@"
