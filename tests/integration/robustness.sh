#!/usr/bin/env bash
# Many processes, a dying monitor, a task cap and a fork bomb: the guest
# never leaves anything behind on the host.
. "$(dirname "$0")/../lib.sh"

# Guest processes on the host: marked ones other than umbra itself.
guest_pids() {
	marked_pids | grep -vx "$UPID"
}

# 10,000 short-lived children one after another; while init lingers at the
# end no zombie is left under umbra, and nothing at all after it.
test_fork_10000() {
	# tags: slow timeout=150
	UMBRA_TIMEOUT=140
	start_umbra run -- "$(prog forkloop)" 10000 1500
	wait_for "grep -qx done '$T/out'" 120 ||
		{ kill -KILL "$UPID"; show "$T/out"; show "$T/err"; fail "forkloop did not finish"; }
	local zombies
	zombies=$(descendants "$UPID" | awk '$2 == "Z" {print $1}' | tr '\n' ' ')
	[ -z "$zombies" ] || fail "zombies under umbra after the children were reaped: $zombies"
	finish_umbra
	assert_status 0 "forkloop 10000"
	assert_kv forked 10000
}

# Zombies of a guest that never reaps them are reaped when umbra ends.
test_no_zombies_after_exit() {
	# tags: asan
	start_umbra run -- sh -c "true & true & true & exec sleep 1.$MARK"
	local all
	sleep 0.5
	all=$(descendants "$UPID")
	[ "$(echo "$all" | awk '$2 == "Z"' | wc -l)" -ge 3 ] ||
		note "expected 3 guest zombies under umbra, saw: $(echo $all)"
	finish_umbra
	assert_status 0
	local p left=
	sleep 0.5
	for p in $(echo "$all" | awk '{print $1}'); do
		[ -e "/proc/$p" ] && left="$left $p:$(proc_state "$p")"
	done
	[ -z "$left" ] || fail "guest processes still on the host after umbra ended:$left"
}

# SIGKILL of the monitor: every guest process is gone within a second.
test_kill_monitor() {
	# tags: asan
	start_umbra run -e "UMBRA_MARK=$MARK" -- sh -c "sleep 1000.$MARK & sleep 1000.$MARK"
	wait_for '[ "$(guest_pids | wc -l)" -ge 2 ]' 10 ||
		{ show "$T/err"; fail "the guest's two sleeps never showed up on the host"; }
	sleep 0.3
	local guests t0 p left
	guests=$(guest_pids | tr '\n' ' ')
	t0=$(date +%s%N)
	kill -KILL "$UPID"
	while :; do
		left=
		for p in $guests; do
			case $(proc_state "$p") in "" | Z | X) ;; *) left="$left $p" ;; esac
		done
		[ -z "$left" ] && break
		[ $(($(date +%s%N) - t0)) -lt 1000000000 ] ||
			fail "guest processes alive 1 s after the monitor was killed: $(describe_pids $left)"
		sleep 0.02
	done
	wait "$UPID" 2>/dev/null
	assert_no_strays "after the monitor was killed" 1
}

# SIGKILL of the monitor: a --tmpfs backend still goes, with all the guest
# left in it (a directory it made unreadable included).
test_kill_monitor_tmpfs() {
	# tags: asan
	mkdir -p "$T/tmp"
	TMPDIR=$T/tmp start_umbra run --tmpfs /scratch -- sh -c \
		"mkdir -p /scratch/d/e && echo x >/scratch/d/e/f && chmod 0 /scratch/d && echo ready && exec sleep 1000.$MARK"
	wait_for "grep -qx ready '$T/out'" 10 ||
		{ kill -KILL "$UPID"; show "$T/err"; fail "the guest never filled its tmpfs"; }
	[ -n "$(ls -A "$T/tmp")" ] || fail "no tmpfs backend under TMPDIR"
	kill -KILL "$UPID"
	wait "$UPID" 2>/dev/null
	wait_for '[ -z "$(ls -A "$T/tmp")" ]' 5 ||
		fail "left under TMPDIR 5 s after the monitor was killed: $(ls -A "$T/tmp")"
	assert_no_strays "after the monitor was killed" 1
}

# --pids N: at most N guest tasks (init included), fork fails with EAGAIN
# beyond; the count goes down again as tasks exit.
test_pids_cap_fork() {
	# tags: asan
	run_umbra run --pids 10 -- "$(prog forkloop)" cap 100
	assert_status 0 "forkloop cap with --pids 10"
	assert_kv forked 9 errno EAGAIN reaped 9
	# sh + forkloop, twice in a row: the first one's tasks were released.
	run_umbra run --pids 10 -- sh -c "'$(prog forkloop)' cap 100; '$(prog forkloop)' cap 100; true"
	assert_status 0
	assert_eq "$(grep -c '^forked=8$' "$T/out")" 2 "runs with forked=8 (sh, forkloop and 8 children)"
}

test_pids_cap_threads() {
	run_umbra run --pids 10 -- "$(prog forkloop)" threadcap 100
	assert_status 0 "forkloop threadcap with --pids 10"
	assert_kv threads 9 errno EAGAIN
}

# A fork bomb under --pids 64: the host keeps well, init gets on with its
# life, umbra ends cleanly.  Only run when --pids works, with a watchdog that
# kills umbra if the guest grows past the cap anyway.
# A process SIGKILLed while it forks never reaches its clone event stop, so
# its new child's first stop waits for an event that does not come: the
# child is the guest's orphan (init adopts it) and must not stay stopped,
# nor keep the monitor from ending when init exits.
test_killed_mid_fork() {
	# tags: asan
	UMBRA_TIMEOUT=40
	run_umbra run -- sh -c 'for i in $(seq 1 150); do
			sh -c "while :; do /bin/true; done" & p=$!
			sleep 0.02
			kill -9 $p
		done
		echo done'
	assert_status 0 "init after killing forking children"
	assert_out done
}

test_fork_bomb() {
	# tags: slow timeout=90
	run_umbra run --pids 10 -- "$(prog forkloop)" cap 100
	[ "$(kv forked)" = 9 ] || fail "--pids 10 does not cap forks (forked=$(kv forked)): not running the fork bomb"

	UMBRA_TIMEOUT=40
	start_umbra run --pids 64 -- sh -c "sleep 3 & s=\$!
		f() { f | f & }
		f
		wait \$s
		echo survived $MARK"
	local n max=0 i
	for ((i = 0; i < 40; i++)); do
		kill -0 "$UPID" 2>/dev/null || break
		n=$(guest_pids | wc -l)
		[ "$n" -gt "$max" ] && max=$n
		if [ "$n" -gt 80 ]; then
			kill -KILL "$UPID"
			fail "$n guest processes on the host under --pids 64"
		fi
		sh -c true || fail "the host cannot fork during the bomb"
		sleep 0.1
	done
	finish_umbra
	assert_status 0 "init under the fork bomb"
	assert_out "survived $MARK"
	grep -qi fork "$T/err" || { show "$T/err"; fail "the bomb never hit the cap: no failed fork"; }
	note "at most $max guest processes seen"
}

run_test "$@"
