#!/usr/bin/env bash
# Pids inside native interfaces: SO_PEERCRED, F_GETOWN/F_SETOWN(_EX),
# F_GETLK name guest processes (the host pid never shows).
. "$(dirname "$0")/../lib.sh"

test_pidinfo_native() {
	"$(prog pidinfo)" >"$T/out" 2>&1 || { show "$T/out"; fail "on the host"; }
}

test_pidinfo_guest() {
	# tags: asan
	run_umbra run -- "$(prog pidinfo)"
	assert_no_fail_lines
	assert_status 0 pidinfo
	assert_kv peercred_is_self 1 getown_is_self 1 getlk_is_child 1
}

test_pidinfo_guest_values() {
	# inside, the peer of init's own socketpair is pid 1
	run_umbra run -- python3 -c 'import socket,struct
a,b=socket.socketpair(); print(struct.unpack("3i",a.getsockopt(socket.SOL_SOCKET,socket.SO_PEERCRED,12))[0])' 
	[ "$STATUS" = 127 ] && skip "no python3"
	assert_status 0 python3
	assert_out 1
}

# SysV IPC reports who made and last used an object: guest pids, even
# for a process that has exited since.
test_sysv_pids() {
	# tags: asan
	run_umbra run -- "$(prog escape_misc)" ipcpids
	assert_status 0
	assert_kv ipc_pids 1
}

# CPU-time clocks name a pid or tid in the clock id: the guest's own, its
# threads' and its children's count their work; a host process's clock is
# out of reach (EINVAL, as for a pid that does not exist).
test_cpu_clocks() {
	# tags: asan
	run_umbra run -- "$(prog clocks)" cpu $$
	assert_status 0
	assert_kv thread_clock busy own_clock same child_clock busy pid_clock EINVAL
}

# A timer's SIGEV_THREAD_ID names a guest tid (glibc's SIGEV_THREAD timers
# use one): the signal reaches that thread.
test_timer_thread_id() {
	# tags: asan
	run_umbra run -- "$(prog clocks)" timer
	assert_status 0
	assert_kv timer_thread 1 timer_tid 1
}

# SCM_CREDENTIALS read with recvmsg and recvmmsg name the sender's guest
# pid (in a thread that existed before the option was set too: the
# filter that makes recvmsg stop is the whole process's), whether the host attached them (native stream send) or the monitor's
# helper sent them (a datagram, explicit credentials): the helper's pid
# stands for its guest caller.  SO_PEERCRED of a connection the helper
# made names the guest client.
test_scm_credentials() {
	# tags: asan
	local how
	for how in stream dgram "stream thread"; do
		# shellcheck disable=SC2086 # two words for one
		run_umbra run -- "$(prog scm)" $how
		assert_status 0 "$how"
		assert_kv recvmsg_pid child recvmmsg_pid child recvmsg_uid same
	done
	run_umbra run -b "$T:/w" -- "$(prog scm)" peercred /w
	assert_status 0 peercred
	assert_kv peercred_pid child
}

run_test "$@"
