# shellcheck shell=bash
# Helpers for the integration tests (tests/integration/*.sh).
#
# A test script is a set of functions named test_*, sourced helpers from this
# file, and a last line `run_test "$@"`.  A test function may carry a tag
# line that tests/run.sh reads:
#
#	test_fork() {
#		# tags: asan slow timeout=120
#		...
#	}
#
#   asan       also run with UMBRA=build/asan/umbra
#   asan-only  run only with UMBRA=build/asan/umbra (with `asan`)
#   slow       left out of `make check-quick`
#   timeout=N  seconds before the runner kills the test (default 60)
#
# `tests/integration/pids.sh test_fork` runs one test (its log on the
# terminal), `tests/integration/pids.sh` all of pids.sh through the runner;
# tests/run.sh runs everything.  A test ends with status 0 (pass), 77 (skip:
# `skip "why"`) or 1 (`fail "why"`, whose last line is the reason the runner
# prints).
#
# Each test gets:
#   $UMBRA  absolute path of the monitor (default build/umbra)
#   $PROGS  absolute path of the built tests/progs
#   $T      a fresh temporary directory, removed at the end
#   $MARK   a unique string of digits, for finding the test's processes
#           among the host's (`sleep 1000.$MARK` is a valid sleep)
# and runs in the repository's top directory with stdin from /dev/null.

set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$TOP" || exit 1
B=${B:-build}
UMBRA=${UMBRA:-$B/umbra}
case $UMBRA in /*) ;; *) UMBRA=$TOP/$UMBRA ;; esac
PROGS=$TOP/$B/tests/progs
UMBRA_TIMEOUT=${UMBRA_TIMEOUT:-20}	# one umbra invocation, seconds
T=
MARK=$$$(date +%N)$RANDOM
STATUS=
UPID=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

note() {
	echo "# $*" >&2
}

# Show a file in the log, indented, at most 40 lines.
show() {
	local f=$1
	[ -s "$f" ] || { echo "  ($f: empty)" >&2; return; }
	echo "  --- $f" >&2
	head -n 40 "$f" | cut -c1-200 | sed 's/^/  | /' >&2
}

# The first line of a file, for a reason.
first_line() {
	head -n 1 "$1" 2>/dev/null | cut -c1-120
}

# A command line on one short line, for a reason.
oneline() {
	printf %s "$1" | tr -s '\n\t ' ' ' | cut -c1-70
}

# The path of a test program (run_test checked that all are built).
prog() {
	echo "$PROGS/$1"
}

need_umbra() {
	[ -x "$UMBRA" ] || fail "$UMBRA not built"
}

# The tests were written for a root the guest writes: without -r, the
# host's /, where their files in $T are checked from outside.  There "run"
# gets --rw unless the test asks for the copy-on-write default
# (COW_DEFAULT=1) or gives --cow itself.  With -r the default stays: a
# cached root filesystem is never written by a test that forgot a bind.
# The arguments to use are in UARGS.
with_rw() {
	UARGS=("$@")
	if [ "${1:-}" = run ] && [ -z "${COW_DEFAULT:-}" ] &&
		! printf '%s\n' "$@" | grep -qx -e --cow -e --rw -e -r -e --root; then
		UARGS=(run --rw "${@:2}")
	fi
}

# run_umbra ARG...: run "$UMBRA ARG..." with stdout in $T/out, stderr in
# $T/err, its exit status in $STATUS; fail if it runs longer than
# $UMBRA_TIMEOUT seconds or leaves a process behind.  stdin is the caller's.
run_umbra() {
	need_umbra
	local start=$SECONDS
	with_rw "$@"
	timeout -k 5 "$UMBRA_TIMEOUT" "$UMBRA" "${UARGS[@]}" >"$T/out" 2>"$T/err"
	STATUS=$?
	if [ "$STATUS" = 124 ] || { [ "$STATUS" = 137 ] &&
		[ $((SECONDS - start)) -ge "$UMBRA_TIMEOUT" ]; }; then
		show "$T/out"
		show "$T/err"
		fail "umbra $(oneline "$*") did not end within ${UMBRA_TIMEOUT}s"
	fi
	check_sanitizer
	assert_no_strays "after umbra $(oneline "$*")"
}

# make_owners_tar FILE: an archive of what a host user cannot make: x/ of
# group 50 with setgid, a setuid root file x/suid, bob's (1001) x/bob, the
# devices x/null (char 1:3) and x/sda (block 8:0, group 6).
make_owners_tar() {
	python3 - "$1" <<'PY' || fail "making the archive $1"
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    def add(name, kind, mode, uid, gid, data=b"", major=0, minor=0):
        i = tarfile.TarInfo(name)
        i.type, i.mode, i.uid, i.gid = kind, mode, uid, gid
        i.uname = i.gname = ""
        i.devmajor, i.devminor, i.size = major, minor, len(data)
        t.addfile(i, io.BytesIO(data) if data else None)
    add("x", tarfile.DIRTYPE, 0o2775, 0, 50)
    add("x/suid", tarfile.REGTYPE, 0o4755, 0, 0, b"#!/bin/sh\n")
    add("x/bob", tarfile.REGTYPE, 0o640, 1001, 1001, b"bob's\n")
    add("x/null", tarfile.CHRTYPE, 0o666, 0, 0, major=1, minor=3)
    add("x/sda", tarfile.BLKTYPE, 0o660, 0, 6, major=8, minor=0)
PY
}

# The monitor built with sanitizers (build/asan/umbra) reported nothing.
check_sanitizer() {
	local line
	line=$(grep -m1 -aE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T/err")
	if [ -n "$line" ]; then
		show "$T/err"
		fail "sanitizer: $(echo "$line" | cut -c1-140)"
	fi
}

# start_umbra ARG...: start "$UMBRA ARG..." in the background (stdout in
# $T/out, stderr in $T/err, stdin /dev/null); its pid in $UPID.
start_umbra() {
	need_umbra
	with_rw "$@"
	"$UMBRA" "${UARGS[@]}" >"$T/out" 2>"$T/err" </dev/null &
	UPID=$!
}

# finish_umbra: wait for the umbra of start_umbra, at most $UMBRA_TIMEOUT
# seconds; its status in $STATUS; fail if it hangs or leaves a process.
finish_umbra() {
	if ! wait_for "! kill -0 $UPID 2>/dev/null || [ \"\$(proc_state $UPID)\" = Z ]" \
		"$UMBRA_TIMEOUT"; then
		# For the log: where umbra and its guests hang.
		echo "  --- umbra $UPID and its descendants (pid state wchan)" >&2
		{ echo "$UPID"; descendants "$UPID" | awk '{print $1}'; } | head -n 40 |
			while read -r p; do
				echo "  | $p $(proc_state "$p") $(cat "/proc/$p/wchan" 2>/dev/null)" \
					"$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60)"
			done >&2
		kill -KILL "$UPID" 2>/dev/null
		wait "$UPID" 2>/dev/null
		show "$T/out"
		show "$T/err"
		fail "umbra did not end within ${UMBRA_TIMEOUT}s"
	fi
	wait "$UPID"
	STATUS=$?
	check_sanitizer
	assert_no_strays "after umbra"
}

# The state letter of a host process (R, S, Z, ...), empty if it is gone.
proc_state() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# Host pids of all descendants of $1, zombies included (`pid state` lines).
descendants() {
	ps -eo pid=,ppid=,stat= | awk -v root="$1" '
		{ parent[$1] = $2; state[$1] = substr($3, 1, 1) }
		END {
			for (p in parent) {
				for (q = parent[p]; q > 1 && q != root; q = parent[q])
					if (!(q in parent)) break
				if (q == root) print p, state[p]
			}
		}'
}

# Run a shell command line as the guest's init.
umbra_sh() {
	run_umbra run -- sh -c "$1"
}

# Host pids (not zombies) of processes whose command line or environment
# contains $1 (default $MARK), or which hold $T/out*, $T/err* or $T/mark*
# open (umbra's stdout and stderr in run_umbra, inherited by every guest
# process that keeps them); never this shell.
marked_pids() {
	local pat=$T/.pattern p st
	printf '%s\n' "${1:-$MARK}" >"$pat"
	{
		grep -l -a -F -f "$pat" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null |
			cut -d/ -f3
		find /proc/[0-9]*/fd -maxdepth 1 \( -lname "$T/out*" -o -lname "$T/err*" \
			-o -lname "$T/mark*" \) 2>/dev/null | cut -d/ -f3
	} | sort -un | while read -r p; do
		[ "$p" = $$ ] && continue
		st=$(proc_state "$p")
		case $st in "" | Z | X) continue ;; esac
		echo "$p"
	done
	rm -f "$pat"
}

# A one-line description of processes, for a failure.
describe_pids() {
	local p out=
	for p in "$@"; do
		out="$out $p:$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-40)"
	done
	echo "${out# }"
}

# Wait up to $2 seconds (default 2) for no marked process to be left; else
# kill them and fail with $1.
assert_no_strays() {
	local what=$1 limit=${2:-2} left i
	for ((i = 0; i <= limit * 20; i++)); do
		left=$(marked_pids | tr '\n' ' ')
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	local desc
	desc=$(describe_pids $left)
	kill -KILL $left 2>/dev/null
	fail "processes left $what: $desc"
}

# Poll until $1 (a command) succeeds, at most $2 seconds.
wait_for() {
	local cond=$1 limit=${2:-5} i
	for ((i = 0; i < limit * 20; i++)); do
		eval "$cond" && return 0
		sleep 0.05
	done
	return 1
}

assert_eq() {
	local actual=$1 expected=$2 what=${3:-value}
	[ "$actual" = "$expected" ] ||
		fail "$what: got '$(printf %s "$actual" | head -c 200)', expected '$expected'"
}

# assert_status N [what]: the last run_umbra ended with status N.
assert_status() {
	local expected=$1 what=${2:-umbra} why
	if [ "$STATUS" != "$expected" ]; then
		show "$T/out"
		show "$T/err"
		# A test program's own FAIL line says most, else umbra's error.
		why=$(grep -m1 -a '^FAIL' "$T/out" | cut -c1-120)
		[ -n "$why" ] || why=$(first_line "$T/err")
		fail "$what: exit status $STATUS, expected $expected${why:+ ($why)}"
	fi
}

# assert_out TEXT: stdout of the last run was TEXT (trailing newlines aside).
assert_out() {
	local expected=$1
	if [ "$(cat "$T/out")" != "$expected" ]; then
		show "$T/out"
		show "$T/err"
		fail "stdout '$(head -c 100 "$T/out" | tr '\n' '|')', expected '$(printf %s "$expected" | tr '\n' '|')'"
	fi
}

# The value of `key=value` in the last run's stdout (the first such line).
kv() {
	sed -n "s/^$1=//p" "$T/out" | head -n 1
}

# assert_kv KEY VALUE...: each `KEY=VALUE` line is in the last run's stdout.
assert_kv() {
	while [ $# -ge 2 ]; do
		if ! grep -qxF -- "$1=$2" "$T/out"; then
			show "$T/out"
			show "$T/err"
			if grep -q "^$1=" "$T/out"; then
				fail "$1=$(kv "$1"), expected $1=$2"
			fi
			fail "no line $1=... in the output, expected $1=$2"
		fi
		shift 2
	done
}

# The program in the last run reported no failed check of its own.
assert_no_fail_lines() {
	if grep -q '^FAIL' "$T/out"; then
		show "$T/out"
		fail "$(grep -m1 '^FAIL' "$T/out" | cut -c1-160)"
	fi
}

# assert_one_line_error: stderr holds exactly one non-empty line.
assert_one_line_error() {
	local n
	n=$(wc -l <"$T/err")
	if [ "$n" != 1 ] || [ -z "$(tr -d '[:space:]' <"$T/err")" ]; then
		show "$T/err"
		fail "expected exactly one line on stderr, got $n"
	fi
}

lib_cleanup() {
	local left
	[ -n "$UPID" ] && kill -KILL "$UPID" 2>/dev/null
	if [ -n "$T" ] && [ -d "$T" ]; then
		left=$(marked_pids | tr '\n' ' ')
		[ -n "$left" ] && kill -KILL $left 2>/dev/null
		rm -rf "$T"
	fi
}

# The last line of a test script: run the test function named in $1; without
# one, run all of the script's tests through the runner.
run_test() {
	if [ $# -eq 0 ]; then
		exec "$TOP/tests/run.sh" --no-asan --no-nobody "$(basename "$0" .sh)/*"
	fi
	declare -F "$1" >/dev/null || { echo "no test $1 in $0" >&2; exit 2; }
	local src
	for src in "$TOP"/tests/progs/*.c; do
		src=$(basename "$src" .c)
		[ -x "$PROGS/$src" ] || fail "$PROGS/$src not built (make tests)"
	done
	T=$(mktemp -d "${TMPDIR:-/tmp}/umbra-test.XXXXXX") || exit 1
	# a -r run's default store of remembered owners: the test's own
	export XDG_DATA_HOME=$T/xdg-data
	trap lib_cleanup EXIT
	trap 'exit 143' TERM
	trap 'exit 130' INT
	"$1"
	exit 0
}
