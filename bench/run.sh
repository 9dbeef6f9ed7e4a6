#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh — umbra's time against the host and proot on the same
# workloads, as one table.  Run by `make bench` (which builds what it needs);
# this script builds nothing.  See bench/README.md.
#
# Environment (all optional):
#   UMBRA=build/umbra         the monitor; its column says n/a if it cannot run
#   UBENCH=build/bench/ubench the microbenchmark (true must sit beside it)
#   PROOT=proot  PROOT_ARGS="-r /"   the proot to compare with, and its options
#   BENCH_QUICK=1             short measurements (for tests, not for figures)
#   BENCH_CPUS=1              taskset CPU list every timing runs on; "all" = no
#                             pinning.  Default: the last CPU (see README: on
#                             this VM a wake-up across CPUs costs 25-100 us and
#                             makes ptrace figures bimodal)
#   BENCH_ROWS="read1 stat"   run only these rows
#   BENCH_RUNNERS="host proot" run only these columns (others print n/a)
#   BENCH_TIMEOUT=300         seconds before one timing is killed (-> fail)
#   BENCH_LOG=build/bench/run.log  stderr of every timing goes here
#   BENCH_TSV=FILE            also write the results as tab-separated values
#
# Adding a row: write a function `row_NAME RUNNER` that prints one number (ns
# per operation) and returns 0, returns 2 for "not applicable" (n/a) or
# anything else for a failure; register it with `add_row NAME row_NAME`.
# Put it in bench/rows.d/NAME.sh (sourced after the built-in rows) or below.
# Run what you time through `under RUNNER cmd...` (host filesystem) or
# `under_root RUNNER ROOTFS cmd...` (a root filesystem): they apply the
# runner, the CPU pinning and the timeout.  Rows run strictly one at a time.

set -u
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

UMBRA=${UMBRA:-build/umbra}
UBENCH=${UBENCH:-build/bench/ubench}
PROOT=${PROOT:-proot}
PROOT_ARGS=${PROOT_ARGS:--r /}
BENCH_QUICK=${BENCH_QUICK:-0}
BENCH_CPUS=${BENCH_CPUS:-$(($(nproc) - 1))}
BENCH_ROWS=${BENCH_ROWS:-}
BENCH_RUNNERS=${BENCH_RUNNERS:-host umbra proot}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-300}
BENCH_LOG=${BENCH_LOG:-build/bench/run.log}
BENCH_TSV=${BENCH_TSV:-}

RUNNERS=(host umbra proot)
read -r -a PROOT_ARGV <<<"$PROOT_ARGS"

abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
UBENCH=$(abspath "$UBENCH")
case $UMBRA in */*) UMBRA=$(abspath "$UMBRA") ;; esac

if [ ! -x "$UBENCH" ] || [ ! -x "$(dirname "$UBENCH")/true" ]; then
	echo "run.sh: $UBENCH or its true is missing: run 'make bench'" >&2
	exit 1
fi
mkdir -p "$(dirname "$BENCH_LOG")" && : >"$BENCH_LOG"

if [ "$BENCH_QUICK" = 1 ]; then
	UB_OPTS=(-t 0.05 -w 0.02 -r 3)
	SHLOOP_N=200 SHLOOP_REPS=1 SHLOOP_WARM=0
else
	UB_OPTS=(-t 0.5 -w 0.1 -r 7)
	SHLOOP_N=2000 SHLOOP_REPS=5 SHLOOP_WARM=1
fi

PIN=()
[ "$BENCH_CPUS" != all ] && PIN=(taskset -c "$BENCH_CPUS")

# ---- runners --------------------------------------------------------------

declare -A RUNNER_OK RUNNER_WHY

# under RUNNER CMD...: run CMD on the host filesystem under RUNNER.  umbra
# writes its root itself (--rw), as it did before the copy-on-write default,
# so that the rows stay what they were; bench/rows.d/ovl.sh times the layer.
under() {
	local r=$1
	shift
	local pre=()
	case $r in
	host) ;;
	umbra) pre=("$UMBRA" run --rw --) ;;
	proot) pre=("$PROOT" "${PROOT_ARGV[@]}") ;;
	*) return 2 ;;
	esac
	timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" "${pre[@]}" "$@" </dev/null
}

# under_root RUNNER ROOTFS CMD...: run CMD inside the root filesystem ROOTFS.
# The host column uses chroot (root only; n/a otherwise).  CMD starts in "/".
under_root() {
	local r=$1 root=$2
	shift 2
	local pre=()
	case $r in
	host)
		[ "$(id -u)" = 0 ] || return 2
		pre=(chroot "$root")
		;;
	umbra) pre=("$UMBRA" run --rw -r "$root" --) ;;
	proot) pre=("$PROOT" -r "$root" -w /) ;;
	*) return 2 ;;
	esac
	timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" "${pre[@]}" "$@" </dev/null
}

# Can RUNNER run a static program at all?  If not, its column is n/a.
probe_runner() {
	local r=$1 st
	case " $BENCH_RUNNERS " in
	*" $r "*) ;;
	*) RUNNER_OK[$r]=0 RUNNER_WHY[$r]="not selected (BENCH_RUNNERS)"; return ;;
	esac
	case $r in
	umbra)
		if [ ! -x "$UMBRA" ]; then
			RUNNER_OK[$r]=0 RUNNER_WHY[$r]="$UMBRA not built"
			return
		fi ;;
	proot)
		if ! command -v "$PROOT" >/dev/null; then
			RUNNER_OK[$r]=0 RUNNER_WHY[$r]="$PROOT not installed"
			return
		fi ;;
	esac
	echo "== probe $r: ubench noop" >>"$BENCH_LOG"
	BENCH_TIMEOUT=60 under "$r" "$UBENCH" noop >>"$BENCH_LOG" 2>&1
	st=$?
	if [ $st = 0 ]; then
		RUNNER_OK[$r]=1 RUNNER_WHY[$r]=""
	else
		RUNNER_OK[$r]=0
		RUNNER_WHY[$r]="cannot run a static program (status $st, see $BENCH_LOG)"
	fi
}

# ---- rows -----------------------------------------------------------------

ROW_NAMES=()
declare -A ROW_FUNC

add_row() {
	ROW_NAMES+=("$1")
	ROW_FUNC[$1]=$2
}

# Say on stderr (the log) how a timed command ended.
why() {
	case $1 in
	124 | 137) echo "   timed out after ${BENCH_TIMEOUT}s (status $1)" >&2 ;;
	*) echo "   exit status $1" >&2 ;;
	esac
}

# One ubench workload: the median ns/op ubench measured inside the guest
# (RUN: how a runner starts it, `under` unless a row says otherwise).
ubench_row() {
	local w=$1 r=$2 run=${3:-under} out ns
	out=$("$run" "$r" "$UBENCH" "${UB_OPTS[@]}" "$w") || { why $?; return 1; }
	echo "$out" >>"$BENCH_LOG"
	ns=$(awk -v w="$w" '$1 == w { print $2 }' <<<"$out")
	[ -n "$ns" ] || return 1
	echo "$ns"
}

row_read1()     { ubench_row read1 "$1"; }
row_getppid()   { ubench_row getppid "$1"; }
row_getpid()    { ubench_row getpid "$1"; }
row_kill0()     { ubench_row kill0 "$1"; }
row_clock()     { ubench_row clock "$1"; }
row_stat()      { ubench_row stat "$1"; }
row_fstat()     { ubench_row fstat "$1"; }
row_openclose() { ubench_row openclose "$1"; }
row_forkwait()  { ubench_row forkwait "$1"; }
row_forkexec()  { ubench_row forkexec "$1"; }
row_pipe()      { ubench_row pipe "$1"; }
row_recvmsg()   { ubench_row recvmsg "$1"; }
row_procstatus() { ubench_row procstatus "$1"; }

for w in read1 getppid getpid kill0 clock stat fstat openclose procstatus forkwait forkexec pipe recvmsg; do
	add_row "$w" "row_$w"
done

# median of the numbers given as arguments
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
	if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# A shell loop of fork+exec of a dynamic /bin/true, timed from outside (the
# runner's start-up is included, spread over the iterations): ns/iteration.
# shellcheck disable=SC2016 # $i is the guest shell's
SHLOOP='i=0; while [ $i -lt '$SHLOOP_N' ]; do /bin/true; i=$((i+1)); done'
row_shloop() {
	local r=$1 i t0 t1 times=()
	for ((i = 0; i < SHLOOP_WARM + SHLOOP_REPS; i++)); do
		t0=$EPOCHREALTIME
		under "$r" /bin/sh -c "$SHLOOP" || { why $?; return 1; }
		t1=$EPOCHREALTIME
		((i < SHLOOP_WARM)) && continue
		times+=("$(awk -v a="$t0" -v b="$t1" -v n="$SHLOOP_N" \
			'BEGIN { printf "%.1f", (b - a) * 1e9 / n }')")
	done
	echo "shloop ${times[*]}" >>"$BENCH_LOG"
	median "${times[@]}"
}
add_row "shloop" row_shloop

# `ps aux` (procps, the host's or the rootfs's), timed from outside as
# shloop: a guest with a few processes against the host with all of its.
PSAUX_N=${PSAUX_N:-20}
row_psaux() {
	local r=$1 t0 t1
	command -v ps >/dev/null || return 1
	t0=$EPOCHREALTIME
	under "$r" /bin/sh -c "i=0; while [ \$i -lt $PSAUX_N ]; do ps aux >/dev/null; i=\$((i+1)); done" ||
		{ why $?; return 1; }
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" -v n="$PSAUX_N" 'BEGIN { printf "%.1f", (b - a) * 1e9 / n }'
}
add_row "psaux" row_psaux

# Extra rows (e.g. a make -j2 build inside a Debian rootfs) live here.
for f in bench/rows.d/*.sh; do
	# shellcheck source=/dev/null
	[ -r "$f" ] && . "$f"
done

# ---- output ---------------------------------------------------------------

isnum() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

# 1234567.8 -> 1,234,568; below 100 one decimal is kept.
fmt_ns() {
	isnum "$1" || { echo "$1"; return; }
	awk -v v="$1" 'BEGIN {
		if (v < 100) { printf "%.1f\n", v; exit }
		s = sprintf("%.0f", v); o = ""
		while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
		print s o }'
}

ratio() {
	if ! isnum "$1" || ! isnum "$2"; then
		echo "-"
		return
	fi
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b <= 0) { print "-"; exit }
		x = a / b; printf (x < 0.1 ? "%.3fx\n" : x < 10 ? "%.2fx\n" : "%.1fx\n"), x }'
}

row_out() { printf '| %-10s | %13s | %13s | %13s | %10s | %11s |\n' "$@"; }

header() {
	local model pv
	model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	pv=$("$PROOT" -V 2>/dev/null | awk '/[0-9]+\.[0-9]+\.[0-9]+/ { print $NF; exit }')
	echo "# umbra benchmark"
	echo
	echo "- date:    $(date '+%Y-%m-%d %H:%M:%S %z')"
	echo "- kernel:  $(uname -r) ($(uname -m))"
	echo "- CPUs:    $(nproc) x ${model:-unknown}; timings pinned to: $BENCH_CPUS"
	echo "- load:    $(cut -d' ' -f1-3 /proc/loadavg) (timings want an idle machine)"
	echo "- mode:    $([ "$BENCH_QUICK" = 1 ] && echo quick || echo full);" \
		"ubench ${UB_OPTS[*]}; shloop ${SHLOOP_N} iterations, median of ${SHLOOP_REPS}"
	echo "- umbra:   $UMBRA ($(git describe --always --dirty 2>/dev/null || echo 'no commit'))"
	echo "- proot:   $PROOT $PROOT_ARGS (${pv:-?};" \
		"$("$PROOT" -V 2>/dev/null | grep -o 'seccomp_filter = [a-z]*' || echo 'seccomp_filter = ?'))"
	for r in "${RUNNERS[@]}"; do
		[ "${RUNNER_OK[$r]}" = 1 ] || echo "- $r column n/a: ${RUNNER_WHY[$r]}"
	done
	echo
}

# ---- main -----------------------------------------------------------------

for r in "${RUNNERS[@]}"; do
	probe_runner "$r"
done
header

row_out workload "host ns/op" "umbra ns/op" "proot ns/op" "umbra/host" "umbra/proot"
printf '|%s|%s|%s|%s|%s|%s|\n' ------------ --------------- --------------- \
	--------------- ------------ -------------
[ -n "$BENCH_TSV" ] && printf 'workload\thost\tumbra\tproot\n' >"$BENCH_TSV"

failed=0 host_failed=0
for name in "${ROW_NAMES[@]}"; do
	if [ -n "$BENCH_ROWS" ]; then
		case " $BENCH_ROWS " in *" $name "*) ;; *) continue ;; esac
	fi
	declare -A cell=()
	for r in "${RUNNERS[@]}"; do
		if [ "${RUNNER_OK[$r]}" != 1 ]; then
			cell[$r]=n/a
			continue
		fi
		echo "== $name $r" >>"$BENCH_LOG"
		v=$("${ROW_FUNC[$name]}" "$r" 2>>"$BENCH_LOG")
		st=$?
		if [ $st = 0 ] && isnum "$v"; then
			cell[$r]=$v
		elif [ $st = 2 ]; then
			cell[$r]=n/a
		else
			cell[$r]=fail
			failed=$((failed + 1))
			[ "$r" = host ] && host_failed=1
			echo "   -> fail (row status $st)" >>"$BENCH_LOG"
		fi
	done
	row_out "$name" "$(fmt_ns "${cell[host]}")" "$(fmt_ns "${cell[umbra]}")" \
		"$(fmt_ns "${cell[proot]}")" "$(ratio "${cell[umbra]}" "${cell[host]}")" \
		"$(ratio "${cell[umbra]}" "${cell[proot]}")"
	[ -n "$BENCH_TSV" ] &&
		printf '%s\t%s\t%s\t%s\n' "$name" "${cell[host]}" "${cell[umbra]}" \
			"${cell[proot]}" >>"$BENCH_TSV"
	unset cell
done

echo
echo "ns per operation (shloop: per loop iteration); ratios: lower is better for umbra."
[ $failed = 0 ] || echo "$failed timing(s) failed: see $BENCH_LOG"
# Exit status: did the host column work (when it was asked for)?  umbra's
# failures are results, not errors of the benchmark.
case " $BENCH_RUNNERS " in
*" host "*) [ "${RUNNER_OK[host]}" = 1 ] && [ $host_failed = 0 ] ;;
esac
