#!/usr/bin/env bash
# The command line: exit status, stdio, environment, options and errors.
. "$(dirname "$0")/../lib.sh"

test_smoke() {
	# tags: asan
	run_umbra run -- true
	assert_status 0
	assert_out ""
}

test_pid1_shell() {
	# tags: asan
	umbra_sh 'echo $$ $PPID'
	assert_status 0
	assert_out "1 0"
}

test_exit_status() {
	# tags: asan
	local n
	for n in 0 1 7 42 255; do
		umbra_sh "exit $n"
		assert_status "$n" "sh -c 'exit $n'"
	done
	run_umbra run -- false
	assert_status 1 false
}

# init dies of a signal: umbra exits with 128+N.  The faults are forced by
# the kernel, so they kill even a pid namespace's init.
test_exit_signal() {
	# tags: asan
	local die
	die=$(prog die)
	run_umbra run -- "$die" segv
	assert_status 139 "init dying of SIGSEGV"
	run_umbra run -- sh -c "exec '$die' fpe"
	assert_status 136 "init exec'ing a program dying of SIGFPE"
	run_umbra run -- "$die" ill
	assert_status 132 "init dying of SIGILL"
	run_umbra run -- "$die" exit 3
	assert_status 3 "die exit 3"
}

# The guest's shell sees its children's signals as 128+N.
test_child_signal_status() {
	local die
	die=$(prog die)
	umbra_sh "'$die' abort; echo abort=\$?; sleep 100 & kill -TERM \$!; wait \$!; echo term=\$?"
	assert_status 0
	assert_out "abort=134
term=143"
}

test_args_verbatim() {
	run_umbra run -- printf '[%s]' 'a b' '' "c'd" '$HOME' '*' 'é'
	assert_status 0
	assert_out "[a b][][c'd][\$HOME][*][é]"
}

test_dashdash_optional() {
	run_umbra run sh -c 'exit 3'
	assert_status 3 "umbra run sh -c 'exit 3'"
	run_umbra run -e A=5 sh -c 'echo $A'
	assert_status 0
	assert_out 5
}

test_stdio_passthrough() {
	printf 'line one\nline two' >"$T/in"
	run_umbra run -- cat <"$T/in"
	assert_status 0
	cmp -s "$T/in" "$T/out" || fail "stdin did not reach stdout unchanged"

	umbra_sh 'echo to-out; echo to-err >&2; exit 4'
	assert_status 4
	assert_out "to-out"
	[ "$(cat "$T/err")" = "to-err" ] || { show "$T/err"; fail "stderr was not exactly 'to-err'"; }

	run_umbra run -- cat </dev/null
	assert_status 0
	assert_out ""
}

# 10 MB of random bytes through cat: from a file to a file, and from a pipe
# to a pipe.
test_stdio_binary_10mb() {
	# tags: asan
	head -c 10485760 /dev/urandom >"$T/in"
	run_umbra run -- cat <"$T/in"
	assert_status 0
	cmp -s "$T/in" "$T/out" || fail "file -> cat -> file: $(wc -c <"$T/out") bytes, not identical"

	need_umbra
	local st
	cat "$T/in" | timeout -k 5 "$UMBRA_TIMEOUT" "$UMBRA" run -- cat 2>"$T/err" | cat >"$T/out2"
	st=${PIPESTATUS[1]}
	[ "$st" = 0 ] || { show "$T/err"; fail "pipe -> cat -> pipe: exit status $st"; }
	cmp -s "$T/in" "$T/out2" || fail "pipe -> cat -> pipe: $(wc -c <"$T/out2") bytes, not identical"
	assert_no_strays "after the pipe run"
}

test_env_passthrough() {
	# tags: asan
	UMBRA_T1='a b  c' UMBRA_T2='x=y' run_umbra run -- sh -c 'printf "%s|%s|%s" "$UMBRA_T1" "$UMBRA_T2" "$PATH"'
	assert_status 0
	assert_out "a b  c|x=y|$PATH"
}

test_env_set() {
	UMBRA_T1=host run_umbra run -e UMBRA_T1=guest -e 'UMBRA_T2=a=b c' -e UMBRA_T3= -- \
		sh -c 'printf "%s|%s|%s|%s" "$UMBRA_T1" "$UMBRA_T2" "${UMBRA_T3-unset}" "$PATH"'
	assert_status 0
	assert_out "guest|a=b c||$PATH"
}

# The guest starts with the user's resource limits (the monitor raises its
# own fd limit only after starting it); prlimit of the caller (pid 0, no
# stop), of a guest pid, and of a pid the guest cannot see.
test_rlimits_inherited() {
	# tags: asan
	( ulimit -Sn 512 && run_umbra run -- sh -c \
		'ulimit -n; prlimit --pid 1 --nofile -o SOFT --noheadings; ulimit -Sn 300;
		 prlimit --pid $$ --nofile -o SOFT --noheadings; prlimit --pid 99999 --nofile 2>/dev/null; echo rc=$?' &&
	  assert_status 0 && assert_out "512
 512
 300
rc=1" ) || exit 1
}

test_env_clear() {
	run_umbra run --clear-env -- /usr/bin/env
	assert_status 0
	assert_out ""
	run_umbra run --clear-env -e A=1 -e 'B=x y' -- /usr/bin/env
	assert_status 0
	assert_eq "$(sort "$T/out")" "A=1
B=x y" "the environment after --clear-env -e A=1 -e 'B=x y'"
}

test_help_version() {
	# tags: asan
	run_umbra --help
	assert_status 0 "umbra --help"
	grep -q 'run' "$T/out" || fail "umbra --help does not mention run"

	run_umbra run --help
	assert_status 0 "umbra run --help"
	local opt
	for opt in -e --clear-env --trace --pids; do
		grep -q -- "$opt" "$T/out" || fail "umbra run --help does not mention $opt"
	done

	run_umbra --version
	assert_status 0 "umbra --version"
	grep -q '[0-9]' "$T/out" || fail "umbra --version prints no version number"
	[ "$(wc -l <"$T/out")" = 1 ] || fail "umbra --version prints $(wc -l <"$T/out") lines, not 1"
}

# Usage errors: 125, one line on stderr, nothing on stdout, nothing run.
test_usage_errors() {
	# tags: asan
	local args
	while IFS= read -r args; do
		eval "run_umbra $args"
		assert_status 125 "umbra $args"
		assert_one_line_error
		assert_out ""
		[ ! -e "$T/ran" ] || fail "umbra $args ran the program"
	done <<EOF
run
run --
run --no-such-option -- touch $T/ran
--no-such-option
no-such-command
run --pids -- touch $T/ran
run --pids abc -- touch $T/ran
run --pids -3 -- touch $T/ran
run --trace
run -e
run --net foo -- touch $T/ran
run --net '' -- touch $T/ran
run --net NONE -- touch $T/ran
run --net
run --hostname '' -- touch $T/ran
run --hostname $(printf 'h%.0s' $(seq 65)) -- touch $T/ran
run --hostname
EOF
	# No arguments at all: a usage error too, which may show the usage.
	run_umbra
	assert_status 125 "umbra without arguments"
	assert_out ""
	[ -s "$T/err" ] || fail "umbra without arguments says nothing on stderr"
}

# The guest's own host name, as a UTS namespace gives it: "umbra" unless
# --hostname says; the rest of uname is the host's.  A guest without
# CAP_SYS_ADMIN may not set it (EPERM); a guest root renames the guest,
# never the host (natively a guest of root's umbra would).
test_hostname() {
	# tags: asan
	local host
	host=$(uname -n)
	run_umbra run -- uname -n
	assert_status 0
	assert_out umbra
	run_umbra run --user 1000 --hostname box-1.example -- sh -c 'uname -n; uname -s; hostname; \
		hostname other 2>/dev/null; echo set=$?; hostname'
	assert_status 0
	assert_out "box-1.example
Linux
box-1.example
set=1
box-1.example"
	run_umbra run -0 -- sh -c 'hostname other; echo set=$?; uname -n; \
		cat /proc/sys/kernel/hostname; domainname dom 2>/dev/null; \
		sh -c "uname -n"'
	assert_status 0
	assert_out "set=0
other
other
other"
	[ "$(uname -n)" = "$host" ] || fail "the host's name changed"
}

test_program_not_found() {
	# tags: asan
	run_umbra run -- "$T/no-such-program"
	assert_status 127 "a missing program"
	assert_one_line_error
	run_umbra run -- "umbra-no-such-command-$MARK"
	assert_status 127 "a command not on PATH"
	assert_one_line_error
}

test_program_not_executable() {
	printf '#!/bin/sh\necho ran\n' >"$T/script"
	chmod 644 "$T/script"
	run_umbra run -- "$T/script"
	assert_status 126 "a file without x permission"
	assert_one_line_error
	assert_out ""
	run_umbra run -- "$T"
	assert_status 126 "a directory"
	assert_one_line_error
}

# The ASan monitor (its pass sets UMBRA_ASAN=1) leaks nothing by its exit.
test_no_leaks() {
	# tags: asan asan-only
	[ -n "${UMBRA_ASAN:-}" ] || skip "needs the ASan monitor (tests/run.sh runs it so)"
	ASAN_OPTIONS=detect_leaks=1:exitcode=86 \
		run_umbra run -- sh -c "true & wait; '$(prog pids)' fork >/dev/null; echo ok"
	assert_status 0
	assert_out ok
}

run_test "$@"
