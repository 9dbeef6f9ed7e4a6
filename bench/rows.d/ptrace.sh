# shellcheck shell=bash
# Issue 13's row: strace -f of the shell loop (shloop's fork+exec of
# /bin/true), the host's strace in each column, writing its trace to
# /dev/null; ns per iteration, timed from outside as shloop, median of
# STRACE_REPS runs.  Inside umbra every stop the tracer sees is one the
# guest kernel holds and reports (kernel/ptrace*.c), against the host's
# own ptrace in the host column.  Sourced by bench/run.sh.

STRACE_REPS=${STRACE_REPS:-3}
STRACE_N=${STRACE_N:-200}

row_straceloop() {
	local r=$1 i t0 t1 times=() loop
	command -v strace >/dev/null || { why 2; return 1; }
	# shellcheck disable=SC2016 # $i is the guest shell's
	loop='i=0; while [ $i -lt '$STRACE_N' ]; do /bin/true; i=$((i+1)); done'
	for ((i = 0; i < STRACE_REPS; i++)); do
		t0=$EPOCHREALTIME
		under "$r" strace -f -o /dev/null /bin/sh -c "$loop" ||
			{ why $?; return 1; }
		t1=$EPOCHREALTIME
		times+=("$(awk -v a="$t0" -v b="$t1" -v n="$STRACE_N" \
			'BEGIN { printf "%.1f", (b - a) * 1e9 / n }')")
	done
	echo "straceloop $r: ${times[*]}" >>"$BENCH_LOG"
	median "${times[@]}"
}
add_row "straceloop" row_straceloop
