#!/usr/bin/env bash
# stress-ng in the Debian guest, as a test of the monitor's robustness:
# thirteen stressors (processes, signals, paths, memory, IPC), each for 3 s
# with one or two workers, in four umbra runs.  Every run must end (no
# hang), exit as stress-ng does on the host for the same command (0 where
# the host has no stress-ng), print no "umbra:" line, no sanitizer report
# and no stress-ng "fail:" line, and leave no process behind.  The bogo
# ops/s of each stressor, inside and on the host, go to the log as a ratio.
#
# The cached rootfs is used read-only: /tmp is a tmpfs, stress-ng's
# --temp-path and the working directory.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

UMBRA_TIMEOUT=40

STRESS=(stress-ng --timeout 3s --metrics-brief --temp-path /tmp)

# The groups, each one umbra run (the stressors of a group run side by side).
# exec: stress-ng refuses it as root, and the guest's root holds no
# capability to become another user (docs/walls.md), so this group runs
# as uid 65534 (see as_user); --exec-max 16 keeps each batch of children
# small (4096 by default: one batch outlasts the 3 s by 10 s in umbra).
PROCS="--fork 2 --exec 1 --exec-max 16 --clone 1 --signal 1"
# --rename and --hdd failed one run in three or so before path calls
# restarted instead of failing with EINTR (docs/decisions.md, "A withdrawn
# user notification restarts").
FS="--dir 1 --dentry 1 --rename 1 --hdd 1 --hdd-bytes 4M"
MEM="--vm 1 --vm-bytes 32M --mmap 1 --mmap-bytes 8M"
# --mq: POSIX queues are the monitor's own (kernel/mqueue.c).
IPC="--pipe 1 --futex 1 --poll 1 --epoll 1 --sem 1 --msg 1 --mq 1"
# The subset for the ASan monitor: the fastest to start and to stop.
QUICK="--fork 1 --signal 1 --pipe 1 --futex 1 --poll 1"

# stress-ng lines that are no failure of the monitor:
#   "no CPUs found in /sys/devices/system/cpu": the guest has no /sys.
# (An rmdir answered EINTR made the dir stressor print "rmdir ... failed,
# errno=39" one run in five, until withdrawn notifications restarted.)

need_stress() {
	ROOT=$(umbra_rootfs debian-bookworm) ||
		skip "no debian-bookworm rootfs (build it with scripts/mkrootfs-debian.sh)"
	[ -x "$ROOT/usr/bin/stress-ng" ] ||
		skip "$ROOT has no stress-ng (rebuild it: sudo scripts/mkrootfs-debian.sh)"
}

# as_user: a command prefix that runs as uid 65534 when we are root, for
# the exec stressor; nothing otherwise (already not root).
AS=()
as_user() {
	AS=()
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || return 1
		AS=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --)
		# the monitor, as uid 65534, is started in $T and passes through it
		chmod 711 "$T"
	fi
}

# stress_guest WHO STRESSOR-OPTIONS: stress-ng in the Debian guest, as the
# caller or (WHO=user) as uid 65534.
stress_guest() {
	local who=$1 opts=$2 saved=$UMBRA
	if [ "$who" = user ] && [ ${#AS[@]} -gt 0 ]; then
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${AS[*]}" "$UMBRA" >"$T/umbra-as-user"
		chmod 755 "$T/umbra-as-user"
		UMBRA=$T/umbra-as-user
	fi
	# shellcheck disable=SC2086
	run_umbra run -r "$ROOT" --tmpfs /tmp -w /tmp \
		-e PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		-e LC_ALL=C.UTF-8 -e STRESS_MARK="$MARK" -- "${STRESS[@]}" $opts
	UMBRA=$saved
	cp "$T/err" "$T/guest.err"
}

# stress_host WHO STRESSOR-OPTIONS: the same command on the host, if it has
# stress-ng; its status in HOST_STATUS (empty without stress-ng).
stress_host() {
	local who=$1 opts=$2 h=$T/h prefix=()
	HOST_STATUS=
	command -v stress-ng >/dev/null || return 0
	rm -rf "$h"
	mkdir -m 777 "$h"
	[ "$who" = user ] && prefix=("${AS[@]}")
	# shellcheck disable=SC2086
	(cd "$h" && timeout -k 5 30 "${prefix[@]}" stress-ng --timeout 3s --metrics-brief \
		--temp-path "$h" $opts) >"$T/host.out" 2>"$T/host.err"
	HOST_STATUS=$?
	rm -rf "$h"
}

# bogo ops/s (real time) of each stressor in a stress-ng log: `name rate`.
rates() {
	awk '$2 == "metrc:" && NF == 10 && $4 ~ /^[a-z]/ && $5 ~ /^[0-9]+$/ { print $4, $9 }' "$1"
}

# The last guest run against the host's: status, stderr, and the ratios.
check_run() {
	local what=$1 want=${HOST_STATUS:-0} line
	if [ "$STATUS" != "$want" ]; then
		show "$T/guest.err"
		[ -n "$HOST_STATUS" ] && show "$T/host.err"
		fail "stress-ng $what: exit status $STATUS, expected $want" \
			"$([ -n "$HOST_STATUS" ] && echo "(the host's)")" \
			"($(grep -m1 -aE 'fail:|error:.*terminated' "$T/guest.err" | cut -c1-100))"
	fi
	line=$(grep -m1 -a 'umbra: ' "$T/guest.err")
	[ -z "$line" ] || { show "$T/guest.err"; fail "stress-ng $what: umbra said: $(echo "$line" | cut -c1-120)"; }
	line=$(grep -m1 -a 'fail: ' "$T/guest.err")
	[ -z "$line" ] || { show "$T/guest.err"; fail "stress-ng $what: $(echo "$line" | cut -c1-140)"; }
	# the ratios, for the log
	local name rate hrate
	while read -r name rate; do
		hrate=
		[ -n "$HOST_STATUS" ] && hrate=$(rates "$T/host.err" | awk -v n="$name" '$1 == n {print $2; exit}')
		if [ -n "$hrate" ]; then
			note "$(awk -v n="$name" -v g="$rate" -v h="$hrate" \
				'BEGIN { printf("%-8s umbra %10.2f/s  host %10.2f/s  ratio %.3f", n, g, h, (h > 0 ? g / h : 0)) }')"
		else
			note "$(printf '%-8s umbra %10.2f/s' "$name" "$rate")"
		fi
	done < <(rates "$T/guest.err")
}

# stress WHO NAME OPTIONS: one group, in the guest and on the host.
stress() {
	local start=$SECONDS
	stress_guest "$1" "$3"
	note "$2 in umbra: $((SECONDS - start)) s, status $STATUS"
	stress_host "$1" "$3"
	check_run "$2 ($3)"
}

test_stressors() {
	# tags: slow timeout=200
	need_stress
	as_user || skip "setpriv not found (needed as root, for the exec stressor)"
	stress user procs "$PROCS"
	stress self fs "$FS"
	stress self mem "$MEM"
	stress self ipc "$IPC"
}

# The ASan monitor (tests/run.sh's asan pass) through a few fast stressors.
test_asan_quick() {
	# tags: slow asan asan-only timeout=90
	[ -n "${UMBRA_ASAN:-}" ] || skip "needs the ASan monitor (tests/run.sh runs it so)"
	need_stress
	stress self quick "$QUICK"
}

run_test "$@"
