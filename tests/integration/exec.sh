#!/usr/bin/env bash
# exec details: ETXTBSY, and the controlling terminal passing through.
. "$(dirname "$0")/../lib.sh"

# A program open for writing cannot be executed (ETXTBSY), as on Linux.
test_etxtbsy() {
	# tags: asan
	cp "$(prog die)" "$T/victim"
	chmod 755 "$T/victim"
	run_umbra run -- "$(prog txtbsy)" "$T/victim"
	assert_kv txtbsy ETXTBSY
}

# The guest gets the terminal umbra was started on: it is a tty inside,
# init's group is the terminal's foreground group, and the terminal
# belongs to umbra's group again afterwards.
test_controlling_terminal() {
	command -v script >/dev/null || skip "no script(1)"
	script -qec "$UMBRA run -- sh -c '[ -t 0 ] && [ -t 1 ] && echo tty-in; \
		ps -o tpgid= -p \$\$ >/dev/null 2>&1; echo pgrp=\$(ps -o pgid= -p \$\$ 2>/dev/null)'; \
		[ -t 0 ] && echo tty-after" /dev/null >"$T/out" 2>"$T/err" </dev/null
	tr -d '\r' <"$T/out" >"$T/out2"
	mv "$T/out2" "$T/out"
	grep -q '^tty-in$' "$T/out" || { show "$T/out"; fail "no terminal inside the guest"; }
	grep -q '^tty-after$' "$T/out" || { show "$T/out"; fail "terminal lost after umbra"; }
}

# popen(3) execs from posix_spawn's own small stack: the exec's
# rewritten arguments stay on that stack (they once went below what the
# call's arguments pointed to, into libc: ENOMEM).
test_exec_popen() {
	# tags: asan
	run_umbra run -- "$(prog popen)"
	assert_status 0 "popen"
	assert_out "popen=spawned"
}

run_test "$@"
