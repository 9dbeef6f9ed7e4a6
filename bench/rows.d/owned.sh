# shellcheck shell=bash
# Issue 14's stat row: stat of a file whose metadata only the store
# remembers, against the host's stat of a plain file and proot -0's.  The
# guest root makes it with mknod (a device is always a record, even when
# the monitor is root and the host would hold a chown) and chown.  Run by
# bench/run.sh (sourced).
row_statowned() {
	local r=$1 dir out ns
	dir=$(mktemp -d "${TMPDIR:-/tmp}/umbra-bench-owned.XXXXXX") || return 1
	: >"$dir/f"
	case $r in
	host)
		out=$(UBENCH_FILE=$dir/f timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" \
			"$UBENCH" "${UB_OPTS[@]}" statfile </dev/null) ;;
	umbra)
		rm -f "$dir/f"
		"$UMBRA" run --rw -0 --meta "$dir/meta" -- /bin/sh -c \
			"mknod '$dir/f' c 1 3 && chown 1234:1234 '$dir/f'" &&
		out=$(UBENCH_FILE=$dir/f timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" \
			"$UMBRA" run --rw -0 --meta "$dir/meta" -- \
			"$UBENCH" "${UB_OPTS[@]}" statfile </dev/null) ;;
	proot)
		out=$(UBENCH_FILE=$dir/f timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" \
			"$PROOT" -0 "${PROOT_ARGV[@]}" \
			"$UBENCH" "${UB_OPTS[@]}" statfile </dev/null) ;;
	esac
	rm -rf "$dir"
	echo "$out" >>"$BENCH_LOG"
	ns=$(awk '$1 == "statfile" { print $2 }' <<<"$out")
	[ -n "$ns" ] || return 1
	echo "$ns"
}
add_row "statowned" row_statowned
