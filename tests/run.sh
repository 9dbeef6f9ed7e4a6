#!/usr/bin/env bash
# The test runner of `make check`.
#
#   tests/run.sh [--quick] [--no-asan] [--no-nobody] [-v] [--list] [PATTERN...]
#
# Runs every unit test binary (build/tests/unit/test_*), every integration
# test (the test_* functions of tests/integration/*.sh, see tests/lib.sh),
# then, if tests/loader/run.sh exists, the loader tests (`make loader-test`).
# The integration tests tagged `asan` run a second time with
# UMBRA=build/asan/umbra (leak detection off but in the tests tagged
# `asan-only`, which run only there);
# as root, all integration tests run again as the unprivileged uid 65534
# ("[nobody]", with HOME and TMPDIR in a fresh world-writable directory and
# a system PATH).
#
#   --quick       unit tests and the integration tests not tagged `slow`,
#                 no asan and no unprivileged pass (make check-quick)
#   --no-asan     leave out the pass under the ASan monitor
#   --no-nobody   leave out the unprivileged pass
#   -v            print the log of every failed test
#   --list        print the names of the tests that would run, run nothing
#   PATTERN       run only the tests whose name matches one of these shell
#                 patterns, e.g. 'pids/*' or 'unit/*' or '*kill*'
#
# UMBRA=path runs the integration tests against another monitor.
#
# Prints one line per test: `PASS name`, `FAIL name (reason)` or
# `SKIP name (reason)`, and at the end `N passed, N failed[, N skipped]`;
# exits 1 if a test failed.  A test that runs longer than its timeout
# (TEST_TIMEOUT, default 60 s, or its `timeout=N` tag) fails and its
# processes are killed; so are processes a test leaves behind, which is a
# failure too.  Logs are in build/tests/logs/latest/ (the last 10 runs are
# kept in build/tests/logs/).

set -u
set +m		# background jobs stay in our process group: setsid makes a session

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
B=${B:-build}
TEST_TIMEOUT=${TEST_TIMEOUT:-60}
LOADER_TIMEOUT=${LOADER_TIMEOUT:-600}
NOBODY_UID=65534
MAIN_UMBRA=${UMBRA:-$B/umbra}	# the monitor under test (the asan pass: build/asan/umbra)

quick=0 asan=1 nobody=1 verbose=0 list=0
patterns=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 asan=0 nobody=0 ;;
	--no-asan) asan=0 ;;
	--no-nobody) nobody=0 ;;
	-v) verbose=1 ;;
	--list) list=1 ;;
	-h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "tests/run.sh: unknown option $1" >&2; exit 2 ;;
	*) patterns+=("$1") ;;
	esac
	shift
done

# Logs of this run; runs at the same time do not share them.
LOGROOT=$B/tests/logs
LOGDIR=$LOGROOT/$(date +%Y%m%d-%H%M%S)-$$
RUNTMP=
npass=0 nfail=0 nskip=0 ntest=0
CUR_PID=

cleanup() {
	[ -n "$CUR_PID" ] && kill -KILL "$CUR_PID" 2>/dev/null
	[ -n "$RUNTMP" ] && rm -rf "$RUNTMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

selected() {
	local p
	[ ${#patterns[@]} -eq 0 ] && return 0
	for p in "${patterns[@]}"; do
		# shellcheck disable=SC2053
		[[ $1 == $p ]] && return 0
	done
	return 1
}

report() {	# RESULT NAME [REASON]
	case $1 in
	PASS) npass=$((npass + 1)); echo "PASS $2" ;;
	FAIL) nfail=$((nfail + 1)); echo "FAIL $2 (${3:-failed})" ;;
	SKIP) nskip=$((nskip + 1)); echo "SKIP $2 (${3:-skipped})" ;;
	esac
}

proc_state() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# Live processes of a test: in its session, or carrying its tag in their
# environment.
leftovers() {	# SID TAG
	local p
	{
		ps -eo pid=,sid= | awk -v s="$1" '$2 == s {print $1}'
		grep -l -a -F "UMBRA_TEST_TAG=$2" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
	} | sort -un | while read -r p; do
		case $(proc_state "$p") in "" | Z | X) ;; *) echo "$p" ;; esac
	done
}

kill_leftovers() {	# SID TAG [PID-TO-SPARE]
	local i pids
	for i in 1 2 3 4 5 6 7 8 9 10; do
		pids=$(leftovers "$1" "$2" | grep -vx "${3:-0}")
		[ -z "$pids" ] && return 0
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null
		sleep 0.1
	done
}

describe() {
	local p out=
	for p in "$@"; do
		out="$out $p:$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-40)"
	done
	echo "${out# }"
}

# The reason a test gives in its log: the last `FAIL: ...` / `SKIP: ...`.
reason_in() {	# LOG WORD
	grep -a "^$2:\{0,1\} " "$1" | tail -n 1 | sed "s/^$2:\{0,1\} //" | cut -c1-160
}

# run_one NAME TIMEOUT ENV-ASSIGNMENT... -- COMMAND...: run one test in a
# session of its own, with a fresh TMPDIR; report it.
run_one() {
	local name=$1 to=$2 envs=()
	shift 2
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	ntest=$((ntest + 1))
	local log=$LOGDIR/$(echo "$name" | tr -c 'A-Za-z0-9_.\n-' '_').log
	local tmp=$RUNTMP/$ntest tag
	tag=$(printf 'umbra-test-%d-%05d' $$ "$ntest")
	mkdir -m 1777 "$tmp"
	local t0=$SECONDS
	setsid env TMPDIR="$tmp" UMBRA_TEST_TAG="$tag" "${envs[@]}" "$@" </dev/null >"$log" 2>&1 &
	local pid=$! sp fin rc result reason=
	CUR_PID=$pid
	sleep "$to" &
	sp=$!
	wait -n -p fin "$pid" "$sp"
	rc=$?
	if [ "$fin" = "$sp" ]; then
		# Kill what the test runs, then let the test's shell clean up.
		kill_leftovers "$pid" "$tag" "$pid"
		kill -TERM "$pid" 2>/dev/null
		local i
		for ((i = 0; i < 30; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		result=FAIL reason="timeout after ${to}s"
	else
		kill "$sp" 2>/dev/null
		wait "$sp" 2>/dev/null
		case $rc in
		0) result=PASS ;;
		77) result=SKIP reason=$(reason_in "$log" SKIP) ;;
		*) result=FAIL reason=$(reason_in "$log" FAIL)
		   [ -n "$reason" ] || reason="exit status $rc" ;;
		esac
	fi
	CUR_PID=

	# Nothing may be left running ...
	local left i
	for ((i = 0; i < 40; i++)); do
		left=$(leftovers "$pid" "$tag")
		[ -z "$left" ] && break
		sleep 0.05
	done
	if [ -n "$left" ]; then
		# shellcheck disable=SC2086
		local desc
		desc=$(describe $left)
		kill_leftovers "$pid" "$tag"
		if [ "$result" != FAIL ]; then
			result=FAIL reason="left processes behind: $desc"
		fi
		echo "runner: killed left-over processes: $desc" >>"$log"
	fi
	# ... nor in the temporary directory.
	if [ -n "$(ls -A "$tmp" 2>/dev/null)" ]; then
		if [ "$result" = PASS ]; then
			result=FAIL reason="left temporary files: $(ls -A "$tmp" | head -n 3 | tr '\n' ' ')"
		fi
		rm -rf "$tmp"
	fi
	rmdir "$tmp" 2>/dev/null
	echo "runner: $result in $((SECONDS - t0))s" >>"$log"
	report "$result" "$name" "$reason"
	if [ "$result" = FAIL ] && [ "$verbose" = 1 ]; then
		tail -n 30 "$log" | sed 's/^/    /'
	fi
	LAST_RESULT=$result
}

# `NAME TAGS...` for each test function of an integration script.
list_tests() {
	awk '
		/^test_[A-Za-z0-9_]*[ \t]*\(\)/ {
			name = $1; sub(/\(.*/, "", name); tags = ""; next
		}
		name != "" && /^[ \t]+# tags:/ {
			t = $0; sub(/.*# tags:/, "", t); tags = tags " " t; next
		}
		/^}/ { if (name != "") print name, tags; name = "" }
	' "$1"
}

has_tag() {	# TAGS TAG
	case " $1 " in *" $2 "*) return 0 ;; esac
	return 1
}

tag_value() {	# TAGS KEY DEFAULT
	local t
	for t in $1; do
		case $t in "$2="*) echo "${t#*=}"; return ;; esac
	done
	echo "$3"
}

# Integration scripts, most basic first.
scripts() {
	local s first="cli pids signals threads trace robustness"
	for s in $first; do
		[ -f "tests/integration/$s.sh" ] && echo "tests/integration/$s.sh"
	done
	for s in tests/integration/*.sh; do
		[ -f "$s" ] || continue
		case " $first " in *" $(basename "$s" .sh) "*) continue ;; esac
		echo "$s"
	done
}

# run_pass SUFFIX FILTER-TAG ENV... -- PREFIX...: all selected integration
# tests, named "script/test SUFFIX".
run_pass() {
	local suffix=$1 filter=$2 envs=() prefix=()
	shift 2
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	prefix=("$@")
	local script test tags name to smoke_failed=
	for script in $(scripts); do
		while read -r test tags; do
			name="$(basename "$script" .sh)/${test#test_}${suffix:+ $suffix}"
			selected "$name" || continue
			[ -n "$filter" ] && ! has_tag "$tags" "$filter" && continue
			[ "$filter" != asan ] && has_tag "$tags" asan-only && continue
			[ "$quick" = 1 ] && has_tag "$tags" slow && continue
			if [ "$list" = 1 ]; then
				echo "$name"
				continue
			fi
			if [ -n "$smoke_failed" ]; then
				report SKIP "$name" "the smoke test failed in this pass"
				continue
			fi
			to=$(tag_value "$tags" timeout "$TEST_TIMEOUT")
			run_one "$name" "$to" "${envs[@]}" -- "${prefix[@]}" bash "$script" "$test"
			if [ -n "$suffix" ] && [ "$test" = test_smoke ] && [ "$LAST_RESULT" = FAIL ]; then
				smoke_failed=1
			fi
		done < <(list_tests "$script")
	done
}

# As root: can uid 65534 read the tree and run what it needs?
nobody_ready() {
	chmod -R a+rX "$B" tests 2>/dev/null
	setpriv --reuid=$NOBODY_UID --regid=$NOBODY_UID --clear-groups -- \
		sh -c "cd '$TOP' && test -x '$MAIN_UMBRA' && test -r tests/lib.sh && test -x '$B/tests/progs/pids'" \
		2>/dev/null
}

main() {
	if [ "$list" = 0 ]; then
		mkdir -p "$LOGDIR" || exit 2
		ln -sfn "$(basename "$LOGDIR")" "$LOGROOT/latest"
		# keep the last 10 runs
		ls -1d "$LOGROOT"/[0-9]*-* 2>/dev/null | sort | head -n -10 | xargs -r rm -rf
	fi
	RUNTMP=$(mktemp -d "${TMPDIR:-/tmp}/umbra-check.XXXXXX") || exit 2
	chmod 755 "$RUNTMP"

	# Unit tests
	local src name bin
	for src in tests/unit/test_*.c; do
		[ -f "$src" ] || continue
		name=unit/$(basename "$src" .c)
		bin=$B/tests/unit/$(basename "$src" .c)
		selected "$name" || continue
		if [ "$list" = 1 ]; then
			echo "$name"
		elif [ -x "$bin" ]; then
			run_one "$name" "$TEST_TIMEOUT" -- "$bin"
		else
			report FAIL "$name" "$bin not built"
		fi
	done

	# Integration tests, then under the ASan monitor, then unprivileged
	run_pass "" "" UMBRA="$MAIN_UMBRA" --
	if [ "$asan" = 1 ]; then
		if [ -x "$B/asan/umbra" ] || [ "$list" = 1 ]; then
			run_pass "[asan]" asan UMBRA="$B/asan/umbra" \
				ASAN_OPTIONS=detect_leaks=0:exitcode=86 UMBRA_ASAN=1 \
				UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 --
		else
			report SKIP "[asan] pass" "$B/asan/umbra not built (make asan)"
		fi
	fi
	if [ "$nobody" = 1 ] && [ "$(id -u)" = 0 ]; then
		if ! command -v setpriv >/dev/null; then
			report SKIP "[nobody] pass" "setpriv not found"
		elif [ "$list" = 1 ] || nobody_ready; then
			mkdir -m 1777 "$RUNTMP/home"
			run_pass "[nobody]" "" UMBRA="$MAIN_UMBRA" HOME="$RUNTMP/home" \
				PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin -- \
				setpriv --reuid=$NOBODY_UID --regid=$NOBODY_UID --clear-groups \
				--inh-caps=-all --
		else
			report SKIP "[nobody] pass" "uid $NOBODY_UID cannot read $TOP/$B"
		fi
	fi

	# Loader tests (someone else's), counted line by line
	if [ -f tests/loader/run.sh ] && { selected loader || selected loader/; }; then
		if [ "$list" = 1 ]; then
			echo loader
		else
			run_loader
		fi
	fi

	[ "$list" = 1 ] && return 0
	echo "logs: $LOGDIR/"
	if [ "$nskip" -gt 0 ]; then
		echo "$npass passed, $nfail failed, $nskip skipped"
	else
		echo "$npass passed, $nfail failed"
	fi
	[ "$nfail" = 0 ]
}

run_loader() {
	local cmd=(make -s --no-print-directory loader-test) log=$LOGDIR/loader.log n=0 st
	timeout -k 5 "$LOADER_TIMEOUT" "${cmd[@]}" </dev/null >"$log" 2>&1
	st=$?
	# "PASS name", "FAIL name: why" -> "PASS loader/name", "FAIL loader/name (why)"
	local result rest name reason
	while read -r result rest; do
		case $result in PASS | FAIL | SKIP) ;; *) continue ;; esac
		name=${rest%%: *}
		reason=
		[ "$name" != "$rest" ] && reason=${rest#*: }
		report "$result" "loader/$name" "$reason"
		n=$((n + 1))
	done <"$log"
	if [ "$st" = 124 ]; then
		report FAIL loader "timeout after ${LOADER_TIMEOUT}s"
	elif [ "$st" != 0 ] && ! grep -q '^FAIL ' "$log"; then
		report FAIL loader "${cmd[*]}: exit status $st"
	elif [ "$n" = 0 ]; then
		report "$([ "$st" = 0 ] && echo PASS || echo FAIL)" loader
	fi
}

main; exit $?	# on one line: bash has read the whole file before it runs
