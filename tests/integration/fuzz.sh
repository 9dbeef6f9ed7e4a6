#!/usr/bin/env bash
# The syscall fuzzer (tests/fuzz/fuzz.c) as a guest of the ASan+UBSan
# monitor, in a writable copy of the busybox rootfs, for $FUZZ_SECONDS
# (60 in `make check`, `make fuzz FUZZ_SECONDS=600` for longer; FUZZ_SEED
# picks the seed, default a fixed one, `random` a new one each run).
# Whatever the guest does, the monitor reports no sanitizer error, ends
# normally, keeps its fds and memory bounded, and the host does not change:
# a file beside the guest's root keeps its content and mtime, a process of
# the same user stays alive and at its nice value.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SEED=${FUZZ_SEED:-20250601}
FUZZ=$TOP/$B/tests/fuzz/fuzz
QUIET=3			# seconds the fuzzer idles at each end, for a sample
# fds the monitor may hold more at the end than at the start: its directory
# cache keeps up to 64 (kernel/fs/dcache.c); a task it never freed costs 2
FD_SLACK=68
RSS_SLACK_KB=65536	# and memory (the ASan allocator keeps freed memory)

# "fds rss_kb" of a process, empty if it is gone.
usage_of() {
	local fds rss
	fds=$(ls "/proc/$1/fd" 2>/dev/null | wc -l)
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null)
	[ -n "$rss" ] && echo "$fds $rss"
}

host_state() {
	# the host's /dev/null is the guest's too: the fuzzer once chowned it
	stat -c '%s %Y %i %a' "$T/canary" && cat "$T/canary" &&
		stat -c '%u %g %a' /dev/null &&
		ps -o pid=,ni=,stat= -p "$1" | awk '{print $1, $2, substr($3, 1, 1)}'
}

test_fuzz() {
	# tags: asan asan-only slow timeout=200
	local root seed=$FUZZ_SEED limit start=$SECONDS
	canary=
	[ -x "$FUZZ" ] || fail "$FUZZ not built (make tests)"
	[ -n "${UMBRA_ASAN:-}" ] || note "not the ASan monitor: $UMBRA"
	root=$(umbra_rootfs busybox) || skip "no busybox rootfs (make deps)"
	[ "$seed" = random ] && seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
	cp -a "$root" "$T/root" || fail "cp -a $root"
	chmod u+w "$T/root"
	# the guest may chmod its whole tree 0: make it removable again
	trap 'kill "$canary" 2>/dev/null; chmod -R u+rwX "$T/root" 2>/dev/null; lib_cleanup' EXIT

	echo "canary $MARK" >"$T/canary"
	touch -d '2001-02-03 04:05:06' "$T/canary"
	# not marked: it is no guest process left behind
	sleep "1000.$RANDOM" &
	canary=$!
	disown "$canary"
	local before
	before=$(host_state "$canary")

	note "seed $seed, $FUZZ_SECONDS s; to replay batch B: $UMBRA run -r ROOT" \
		"-b $(dirname "$FUZZ"):/t:ro --pids 64 -- /t/fuzz -s $seed -b B -v"
	# leaks at the exit count too (this test runs only under the ASan monitor)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:quarantine_size_mb=16 \
		start_umbra run -r "$T/root" -b "$(dirname "$FUZZ"):/t:ro" --pids 64 \
		-- /t/fuzz -s "$seed" -t "$FUZZ_SECONDS" -w "$QUIET"
	limit=$((FUZZ_SECONDS + 2 * QUIET + 60))

	# Samples of the monitor's fds and memory: at `ready`, every 5 s,
	# at `idle` (all the fuzzer's children gone).
	local first= last= samples=() s next=$((SECONDS + 5)) stuck=
	while kill -0 "$UPID" 2>/dev/null && [ "$(proc_state "$UPID")" != Z ]; do
		if [ $((SECONDS - start)) -gt "$limit" ]; then
			show "$T/out"
			show "$T/err"
			fail "the fuzzer did not end within ${limit}s (the monitor hangs?)"
		fi
		if [ -z "$first" ] && grep -qx ready "$T/out"; then
			sleep 1
			first=$(usage_of "$UPID")
		fi
		if [ -z "$last" ] && grep -qx idle "$T/out"; then
			sleep 1
			last=$(usage_of "$UPID")
		fi
		if [ -z "$stuck" ] && grep -qx stuck "$T/out"; then
			stuck=1
			note "guest tasks left after the run (pid state wchan pending blocked ignored caught):"
			descendants "$UPID" | while read -r p _; do
				note "  $p $(proc_state "$p") $(cat "/proc/$p/wchan" 2>/dev/null)" \
					"$(awk '/^(ShdPnd|SigPnd|SigBlk|SigIgn|SigCgt):/ {printf "%s ", $2}' "/proc/$p/status" 2>/dev/null)"
			done
		fi
		if [ "$SECONDS" -ge "$next" ]; then
			s=$(usage_of "$UPID") && samples+=("$s")
			next=$((SECONDS + 5))
		fi
		sleep 0.2
	done
	UMBRA_TIMEOUT=10 finish_umbra
	note "monitor fds/rss_kb: start $first, every 5 s: ${samples[*]}, end $last"
	note "$(grep -E '^(batches|died_of)' "$T/out" | tr '\n' ' ')"
	assert_status 0 "fuzz -s $seed"
	grep -qx done "$T/out" || { show "$T/out"; fail "the fuzzer did not finish"; }
	[ -n "$first" ] && [ -n "$last" ] || fail "no sample of the monitor at ready and idle"

	set -- $first
	local fd0=$1 rss0=$2
	set -- $last
	[ "$1" -le $((fd0 + FD_SLACK)) ] ||
		fail "the monitor's fds grew from $fd0 to $1 (seed $seed)"
	[ "$2" -le $((rss0 + RSS_SLACK_KB)) ] ||
		fail "the monitor's RSS grew from ${rss0} kB to $2 kB (seed $seed)"

	local after
	after=$(host_state "$canary")
	kill "$canary" 2>/dev/null
	wait "$canary" 2>/dev/null
	[ "$after" = "$before" ] ||
		fail "host canaries changed: '$(echo $before)' -> '$(echo $after)' (seed $seed)"
	note "seed $seed: no finding in $((SECONDS - start)) s"
}

# Found by the fuzzer: a child whose creator was killed before its clone
# event stayed stopped for good (init, the host's subreaper, adopted it on
# the host, so the monitor kept waiting for init's event).
test_orphan_of_killed_creator() {
	# tags: asan
	run_umbra run -- "$(prog orphanfork)" 50
	assert_status 0 "orphanfork 50"
	assert_kv forkers 50 left 0
}

run_test "$@"
