# shellcheck shell=bash
# Issue 13's nested rows: ubench's getpid and stat inside an umbra that
# runs inside an umbra.  In these two rows the columns mean otherwise:
# "host" is a single umbra, "umbra" the nested one, so umbra/host is the
# price of the second level; proot is not timed (n/a).  Each emulated call
# of the inner guest is the inner monitor's, whose own calls are the
# outer's guests': a notification and a few ptrace stops become many.
# Sourced by bench/run.sh.

# nest_under RUNNER CMD...: CMD in one umbra ("host") or in umbra in
# umbra ("umbra"), as `under` runs the other rows.
nest_under() {
	local r=$1 pre=()
	shift
	case $r in
	host) pre=("$UMBRA" run --rw --) ;;
	*) pre=("$UMBRA" run --rw -- "$UMBRA" run --rw --) ;;
	esac
	timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" "${pre[@]}" "$@" </dev/null
}

# (no proot column: n/a)
row_nest_getpid() { [ "$1" != proot ] || return 2; ubench_row getpid "$1" nest_under; }
row_nest_stat() { [ "$1" != proot ] || return 2; ubench_row stat "$1" nest_under; }
add_row "nest_getpid" row_nest_getpid
add_row "nest_stat" row_nest_stat
