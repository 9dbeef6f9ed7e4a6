#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/loader/run.sh LOADER DIR: runs umbra-loader standalone on the host
# (its opens then name host paths) against real programs and broken ELFs.
# DIR holds the probe programs and mkbad built by `make loader-test`.
# Prints "PASS name" / "FAIL name: why" per test, then a count; exits 1 if
# anything failed.
set -u

L=$1
D=$2
T=$D/tmp
mkdir -p "$T"
pass=0
fail=0

ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
skip() { echo "SKIP $1: $2"; }

# A fixed, small environment, the same for both runs of a comparison.
ENV=(env -i PATH=/usr/bin:/bin LC_ALL=C HOME=/ 'WITH_SPACE=a b' EMPTY=)

# same NAME PROG ARGS...: PROG run directly and through the loader must print
# the same thing and exit the same way; the probes must report nothing BAD.
same() {
	local name=$1 prog=$2
	shift 2
	"${ENV[@]}" "$prog" "$@" > "$T/$name.direct" 2>&1
	local rd=$?
	"${ENV[@]}" "$L" "$prog" "$prog" "$@" > "$T/$name.loader" 2>&1
	local rl=$?
	if [ $rd -ne $rl ]; then
		ko "$name" "exit status $rl through the loader, $rd directly"
	elif ! cmp -s "$T/$name.direct" "$T/$name.loader"; then
		ko "$name" "output differs: diff $T/$name.direct $T/$name.loader"
	elif grep -q '=BAD' "$T/$name.loader"; then
		ko "$name" "$(grep '=BAD' "$T/$name.loader" | head -1)"
	else
		ok "$name"
	fi
}

# expect NAME WANTED_OUTPUT COMMAND...: stdout and exit status 0.
expect() {
	local name=$1 want=$2 out
	shift 2
	out=$("$@" 2>&1)
	local rc=$?
	if [ $rc -ne 0 ]; then
		ko "$name" "exit status $rc: $out"
	elif [ "$out" != "$want" ]; then
		ko "$name" "printed '$out', wanted '$want'"
	else
		ok "$name"
	fi
}

# refuse NAME PATH REASON [ARGS]: the loader must exit 127 with exactly the
# line "umbra-loader: PATH: REASON..." on stderr, and nothing on stdout.
refuse() {
	local name=$1 path=$2 reason=$3
	"$L" "$path" x > "$T/$name.out" 2> "$T/$name.err"
	local rc=$?
	local err
	err=$(cat "$T/$name.err")
	if [ $rc -ne 127 ]; then
		ko "$name" "exit status $rc, wanted 127 ($err)"
	elif [ -s "$T/$name.out" ] || [ "$(wc -l < "$T/$name.err")" -ne 1 ]; then
		ko "$name" "wanted one line on stderr and nothing else, got: $err"
	elif [[ "$err" != "umbra-loader: $path: $reason"* ]]; then
		ko "$name" "said '$err', wanted 'umbra-loader: $path: $reason'"
	else
		ok "$name"
	fi
}

# Real programs.  Not / itself: the link counts of /proc and /tmp follow
# the processes and the test runs' directories, and a count that grows a
# digit between the two runs widens the whole column.
ls -l /usr 2>&1 > "$T/ls.direct"
"$L" /bin/ls ls -l /usr 2>&1 > "$T/ls.loader"
if cmp -s "$T/ls.direct" "$T/ls.loader"; then ok ls; else ko ls "diff $T/ls.direct $T/ls.loader"; fi

for p in pie nopie static static-pie execstack align2m musl musl-static; do
	if [ ! -x "$D/probe-$p" ]; then
		skip "probe-$p" "not built (no musl-gcc?)"
		continue
	fi
	same "probe-$p" "$D/probe-$p" one 'two words' '' last
done
if grep -q '^stack=rwx' "$T/probe-execstack.loader"; then
	ok execstack-stack
else
	ko execstack-stack "PT_GNU_STACK PF_X did not make the stack executable"
fi
if grep -q '^stack=rw-' "$T/probe-pie.loader"; then
	ok noexec-stack
else
	ko noexec-stack "the stack of an ordinary program is executable"
fi

# Without ASLR everything lands at the same addresses: nothing may collide.
if setarch -R true 2>/dev/null; then
	for p in pie nopie static static-pie; do
		out=$(setarch -R "$L" "$D/probe-$p" probe 2>&1)
		if [ $? -eq 0 ] && ! grep -q =BAD <<< "$out"; then
			ok "no-aslr-$p"
		else
			ko "no-aslr-$p" "$(grep -v =ok <<< "$out" | head -3)"
		fi
	done
	# high is linked where the stack then is: refused, not mapped over it.
	out=$(setarch -R "$L" "$D/high" high 2>&1)
	rc=$?
	if [ $rc -eq 127 ] && [ "$out" = "umbra-loader: $D/high: its link addresses are already in use" ]; then
		ok no-aslr-collision
	else
		ko no-aslr-collision "exit $rc: $out"
	fi
else
	skip no-aslr "setarch -R not permitted"
fi

out=$("${ENV[@]}" "$L" "$D/probe-pie" renamed x 2>&1)
if grep -qx 'argv\[0\]=renamed' <<< "$out" && grep -qx "execfn=$D/probe-pie" <<< "$out" &&
   grep -qx 'comm=ok' <<< "$out" && ! grep -q =BAD <<< "$out"; then
	ok argv0
else
	ko argv0 "ARGV0 or AT_EXECFN wrong: $out"
fi

out=$("${ENV[@]}" "$L" "$D/probe-static-pie" 2>&1)
if grep -qx 'argc=0' <<< "$out" && ! grep -q =BAD <<< "$out"; then
	ok argc0
else
	ko argc0 "an empty argv went wrong: $out"
fi

out=$(env -i "$L" "$D/probe-pie" probe 2>&1)
if grep -qx 'envc=0' <<< "$out" && ! grep -q =BAD <<< "$out"; then
	ok env-empty
else
	ko env-empty "$out"
fi

big=()
for i in $(seq 2000); do big+=("VAR$i=value-$i"); done
out=$(env -i "${big[@]}" "$L" "$D/probe-nopie" probe 2>&1)
if grep -qx 'envc=2000' <<< "$out" && ! grep -q =BAD <<< "$out"; then
	ok env-big
else
	ko env-big "$(grep -v =ok <<< "$out" | head -5)"
fi

(cd "$D" && "${ENV[@]}" ./probe-pie a > tmp/relative.direct 2>&1 &&
	"${ENV[@]}" "../../../$L" ./probe-pie ./probe-pie a > tmp/relative.loader 2>&1)
if cmp -s "$T/relative.direct" "$T/relative.loader"; then
	ok relative-path
else
	ko relative-path "diff $T/relative.direct $T/relative.loader"
fi

if [ -x /usr/bin/python3 ]; then
	expect python3 2 "$L" /usr/bin/python3 python3 -c 'print(1+1)'
else
	skip python3 "no /usr/bin/python3"
fi
expect stdin hello sh -c "echo hello | '$L' /bin/cat cat"
"$L" /bin/sh sh -c 'exit 3'
rc=$?
if [ $rc -eq 3 ]; then ok exit-status; else ko exit-status "got $rc, wanted 3"; fi
ldso=$(readelf -l /bin/true 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
expect ldso-as-program hi "$L" "$ldso" ld.so /bin/echo hi
expect nested hi "$L" "$L" "$L" /bin/echo echo hi

# Failures: one line, exit 127, never a crash.
refuse nonexistent /nonexistent/prog "No such file or directory"
printf 'just some text\n' > "$T/text"
refuse text-file "$T/text" "not an ELF file"
refuse directory /tmp "Is a directory"
refuse not-regular /dev/null "not a regular file"
"$L" > "$T/usage.out" 2>&1
rc=$?
if [ $rc -eq 127 ] && grep -q '^umbra-loader: usage:' "$T/usage.out"; then
	ok usage
else
	ko usage "exit $rc: $(cat "$T/usage.out")"
fi

if "$D/mkbad" "$D/probe-pie" "$T" > "$T/bad.list"; then
	while IFS=$'\t' read -r name reason; do
		refuse "bad-$name" "$T/bad-$name" "$reason"
	done < "$T/bad.list"
else
	ko mkbad "could not write the malformed ELFs"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
