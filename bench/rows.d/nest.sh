# shellcheck shell=bash
# Issue 13's nested rows: ubench's getpid and stat inside an umbra that
# runs inside an umbra.  In these two rows the columns mean otherwise:
# "host" is a single umbra, "umbra" the nested one, so umbra/host is the
# price of the second level; proot is not timed (n/a).  Each emulated call
# of the inner guest is the inner monitor's, whose own calls are the
# outer's guests': a notification and a few ptrace stops become many.
# Sourced by bench/run.sh.

nest_row() {
	local w=$1 r=$2 out ns pre=()
	case $r in
	host) pre=("$UMBRA" run --rw --) ;;
	umbra) pre=("$UMBRA" run --rw -- "$UMBRA" run --rw --) ;;
	*) return 2 ;;
	esac
	out=$(timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" "${pre[@]}" \
		"$UBENCH" "${UB_OPTS[@]}" "$w" </dev/null) || { why $?; return 1; }
	echo "nest $r: $out" >>"$BENCH_LOG"
	ns=$(awk -v w="$w" '$1 == w { print $2 }' <<<"$out")
	[ -n "$ns" ] || return 1
	echo "$ns"
}

row_nest_getpid() { nest_row getpid "$1"; }
row_nest_stat() { nest_row stat "$1"; }
add_row "nest_getpid" row_nest_getpid
add_row "nest_stat" row_nest_stat
