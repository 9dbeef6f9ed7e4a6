#!/usr/bin/env bash
# Read-only means read-only on every route: a reopen through
# /proc/self/fd/N, /dev/fd/N or /dev/stdin, an O_TMPFILE through a
# directory's fd, and the fd-based attribute calls while a sibling thread
# swaps the fd under them.  A host file handed in as stdin, outside the
# guest's view, is never reopened with more access than its fd has.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

R=

setup_ro() {
	R=$(umbra_rootfs busybox) ||
		skip "no busybox rootfs (build it with scripts/mkrootfs-busybox.sh)"
	mkdir -p "$T/ro" "$T/rw" || fail "mkdir in $T"
	echo "read-only data" >"$T/ro/f"
	echo "writable" >"$T/rw/f"
	echo "host stdin" >"$T/in"
	chmod 644 "$T/ro/f" "$T/in"
	touch -d 2020-01-01 "$T/ro/f" "$T/in"
}

ro_state() {
	stat -c '%a %s %Y' "$T/ro/f" "$T/in" && cat "$T/ro/f" "$T/in" && ls -A "$T/ro"
}

run_ro() {
	run_umbra run -r "$R" -b "$PROGS:/t:ro" -b "$T/ro:/ro:ro" -b "$T/rw:/rw" "$@" <"$T/in"
}

test_reopen_readonly() {
	# tags: asan
	local before
	setup_ro
	before=$(ro_state)
	run_ro -- /t/escape_ro reopen /ro/f /ro
	assert_status 0
	assert_kv proc_rdonly 0 proc_rdwr EROFS proc_trunc EROFS devfd_wronly EROFS \
		proc_pid_rdwr EROFS tmpfile EROFS stdin_rdonly 0 stdin_wronly EACCES \
		stdin_proc_trunc EACCES
	assert_eq "$(ro_state)" "$before" "the read-only files after the guest"
}

test_fd_attr_race() {
	# tags: asan timeout=90
	local before
	setup_ro
	before=$(ro_state)
	UMBRA_TIMEOUT=60 run_ro -- /t/escape_ro race /ro/f /rw/f 5000
	assert_status 0
	assert_kv rounds 5000
	assert_eq "$(ro_state)" "$before" "the read-only file after 5000 raced fchmod/futimens"
}

run_test "$@"
