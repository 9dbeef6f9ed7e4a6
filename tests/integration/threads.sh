#!/usr/bin/env bash
# Threads: tests/progs/threads.c, 50 pthreads that signal each other and
# share a mutex and condition variables, once and many times over.
. "$(dirname "$0")/../lib.sh"

# As init: a watchdog thread (tid 2), then workers 3..52 in creation order
# (they all exist before the first nested thread is made).
test_threads_once() {
	# tags: asan
	run_umbra run -- "$(prog threads)"
	assert_no_fail_lines
	assert_status 0 threads
	assert_kv threads 50 tid_min 3 tid_max 52 signals 200
}

# Run threads $1 times in a loop of one guest shell.
threads_loop() {
	local n=$1
	UMBRA_TIMEOUT=$2
	run_umbra run -- sh -c "i=0
		while [ \$i -lt $n ]; do
			o=\$('$(prog threads)') || { echo \"run \$i: status \$?\"; echo \"\$o\"; exit 1; }
			i=\$((i + 1))
		done
		echo ok"
	assert_status 0 "threads, $n times"
	assert_out ok
}

test_threads_20() {
	# tags: asan timeout=150
	threads_loop 20 140
}

test_threads_200() {
	# tags: slow timeout=300
	threads_loop 200 290
}

run_test "$@"
