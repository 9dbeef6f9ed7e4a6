#!/usr/bin/env bash
# umbra inside umbra: the inner monitor is a guest of the outer one (its
# ptrace requests and its seccomp listener are the outer guest kernel's),
# so the inner guest's pids, view and limits nest in the outer's.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

UMBRA_TIMEOUT=60
# umbra's own directory, bound in at every level that starts the next
# (it may lie under the host's /tmp, which each level's default hides)
UDIR=$(dirname "$UMBRA")
SEE=(-b "$UDIR:$UDIR:ro")

# Three levels; each guest's first process is its pid 1, its first
# child pid 2.
test_nest_three_levels() {
	# tags: asan
	run_umbra run "${SEE[@]}" -- "$UMBRA" run "${SEE[@]}" -- "$UMBRA" run -- \
		/bin/sh -c 'echo $$; /bin/true & echo $!; wait'
	assert_status 0 "umbra in umbra in umbra"
	assert_out "1
2"
}

# A build inside the innermost guest of three: make, the compiler, the
# program, written where the outer bound the directory.
test_nest_build() {
	mkdir "$T/src"
	printf '#include <stdio.h>\nint main(void) { puts("built"); return 0; }\n' >"$T/src/h.c"
	printf 'h: h.c\n\tcc -O2 -o h h.c\n' >"$T/src/Makefile"
	command -v cc >/dev/null || skip "no cc on the host"
	run_umbra run "${SEE[@]}" -b "$T/src:/src" -w /src -- \
		"$UMBRA" run "${SEE[@]}" -b /src:/src -w /src -- \
		"$UMBRA" run -b /src:/src -w /src -- /bin/sh -c 'make -s && ./h'
	assert_status 0 "make in umbra in umbra in umbra"
	assert_out "built"
	[ -x "$T/src/h" ] || fail "the program is not in the bound directory"
}

# The inner view nests in the outer's: the inner root is a tree the
# outer guest sees (the busybox rootfs bound in), and what the inner
# guest writes there lands where the outer put it.  (The inner umbra's
# loader, outside that root, is run by the outer as it is.)
test_nest_views() {
	local bb
	bb=$(umbra_rootfs busybox) || skip "no busybox rootfs"
	mkdir "$T/out_dir"
	run_umbra run "${SEE[@]}" -b "$bb:/bb:ro" -b "$T/out_dir:/x" -- "$UMBRA" run \
		-r /bb -b /x:/x -- /bin/sh -c \
		'ls /bin/busybox && echo inner >/x/f && echo $$'
	assert_status 0 "a view in a view"
	assert_out "/bin/busybox
1"
	[ "$(cat "$T/out_dir/f")" = inner ] || fail "the inner guest's file"
}

# SIGKILL of the outer monitor ends every level, and its guard removes
# what the levels made.  (The inner umbra's guard is a guest of the outer
# and dies with it: its directories are the outer's to remove, in the
# outer's private /tmp, hence the copy-on-write default here.)
test_nest_outer_killed() {
	local COW_DEFAULT=1
	start_umbra run "${SEE[@]}" -- "$UMBRA" run -- /bin/sh -c 'sleep 30 & echo $! >/dev/null; wait'
	sleep 1
	kill -KILL "$UPID"
	finish_umbra
	assert_no_strays "after SIGKILL of the outer monitor"
	# the guard removes the outer's directories once its guests are gone
	wait_for "! ls -d '${TMPDIR:-/tmp}'/umbra-tmpfs-* >/dev/null 2>&1" 10 ||
		fail "left: $(ls -d "${TMPDIR:-/tmp}"/umbra-tmpfs-* | head -n 3)"
}

run_test "$@"
