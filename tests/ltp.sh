#!/usr/bin/env bash
# The LTP syscall subset inside umbra (`make ltp`): every test of
# ../shared/conformance/ltp/tests.txt and of tests/ltp-extra.txt runs as
#
#	umbra run --rw -- /bin/sh -c '"$0" "$@"; exit $?' TEST ARGS...
#
# (the sh keeps the test from being the guest's pid 1, which LTP's library
# does not expect; --rw: the runner's TMPDIR is a directory of the host's
# /tmp, which the copy-on-write default would hide behind a private one).  Ends with "N passed, N failed".  Environment:
#
#   B            the build directory (umbra and the loader), default build
#   LTP_SRC      a clone of linux-test-project/ltp: build it into
#                LTPROOT (default $B/ltp) first, with the runner's
#                build.sh, plus the pty and /proc tests of the extra list
#   LTPROOT      an installed LTP (default /opt/ltp, else $B/ltp)
#   LTP_DIR      the runner, default ../shared/conformance/ltp
#   LTP_FILTER   run only the tags matching this extended regex
#   LTP_TIMEOUT  seconds per test (default 30)
#   LTP_OUT      results and logs (default $B/ltp-out)
#   LTP_AS       run as this unprivileged host user (when started as root),
#                every test as the guest's root: umbra run -0 with the
#                zero-setup default (`make ltp-root`: the setuid family)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
UMBRA=${UMBRA:-$B/umbra}
LTP_DIR=${LTP_DIR:-$top/../shared/conformance/ltp}
out=${LTP_OUT:-$B/ltp-out}

[ -x "$UMBRA" ] || { echo "ltp: $UMBRA not built" >&2; exit 2; }
[ -x "$LTP_DIR/run.sh" ] || { echo "ltp: no runner in $LTP_DIR" >&2; exit 2; }

if [ -n "${LTP_SRC:-}" ]; then
	LTPROOT=${LTPROOT:-$B/ltp}
	"$LTP_DIR/build.sh" "$LTP_SRC" "$LTPROOT" || exit 2
	for d in testcases/kernel/pty testcases/kernel/fs/proc; do
		make -C "$LTP_SRC/$d" -j"$(nproc)" >/dev/null &&
			make -C "$LTP_SRC/$d" install >/dev/null ||
			echo "ltp: $d did not build" >&2
	done
elif [ -z "${LTPROOT:-}" ]; then
	for c in /opt/ltp "$B/ltp"; do
		[ -d "$c/testcases/bin" ] && { LTPROOT=$c; break; }
	done
fi
if [ -z "${LTPROOT:-}" ] || [ ! -d "$LTPROOT/testcases/bin" ]; then
	echo "ltp: no LTP build: give LTP_SRC=<clone of linux-test-project/ltp>" \
	     "or LTPROOT=<installed LTP>" >&2
	exit 2
fi

mkdir -p "$B"
list=$B/ltp-list.txt
cat "$LTP_DIR/tests.txt" "$top/tests/ltp-extra.txt" > "$list" || exit 2
echo "ltp: $LTPROOT, $(grep -cv '^#\|^$' "$list") tests, logs in $out/logs"
as=() mode=(--rw)
if [ -n "${LTP_AS:-}" ]; then
	mode=(-0)
	[ "$(id -u)" = 0 ] && as=(runuser -u "$LTP_AS" -- env TMPDIR=/tmp)
	rm -rf "$out" && mkdir -p "$out" && chmod 777 "$out" || exit 2
fi
"${as[@]}" env LTPROOT="$LTPROOT" "$LTP_DIR/run.sh" -q \
	-t "${LTP_TIMEOUT:-30}" -f "$list" -o "$out" \
	${LTP_FILTER:+-k "$LTP_FILTER"} \
	-- "$UMBRA" run "${mode[@]}" -- /bin/sh -c '"$0" "$@"; exit $?' \
	> "$out.summary" 2>&1
rc=$?
[ -s "$out/results.txt" ] || { cat "$out.summary"; exit 2; }

# The failures, then each list's figures, then the total.
awk '$2 != "PASS" && $2 != "CONF" { print "  " $1, $2 }' "$out/results.txt"
for l in "$LTP_DIR/tests.txt" "$top/tests/ltp-extra.txt"; do
	awk -v name="$(basename "$l")" '
		FNR == NR { if ($0 !~ /^#/ && NF) want[$1] = 1; next }
		$1 in want { n++; if ($2 == "PASS") p++; else if ($2 == "CONF") s++ }
		END { if (n) printf "%s: %d of %d passed, %d skipped\n", name, p, n, s }
	' "$l" "$out/results.txt"
done
awk '$2 == "PASS" { p++ } $2 != "PASS" && $2 != "CONF" { f++ }
     END { printf "%d passed, %d failed\n", p, f }' "$out/results.txt"
exit $rc
