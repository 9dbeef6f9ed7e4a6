#!/usr/bin/env bash
# No guest call that names a process, a group or a user reaches a host
# process: pids, groups and uids go in as the guest's and come out as the
# guest's, through ioctls, fcntls, headers and sibling-thread races too.
# A host canary (a `sleep` of the same user, in a session of its own) must
# be running, not stopped, not reniced, when the guest is done with it.
. "$(dirname "$0")/../lib.sh"

CANARY=

# A canary outside the test's marks (it is killed by canary_check), which
# ends by itself should a failed test leave it behind.
start_canary() {
	env -i setsid sleep 59 </dev/null >/dev/null 2>&1 &
	CANARY=$!
	wait_for "[ \"\$(tr '\\0' ' ' </proc/$CANARY/cmdline 2>/dev/null)\" = 'sleep 59 ' ]" 5 ||
		fail "the canary did not start"
}

canary_state() {
	awk '{print $3}' "/proc/$CANARY/stat" 2>/dev/null
}

# The canary is still sleeping, at nice 0 and with its I/O priority.
canary_check() {
	local st ni io
	st=$(canary_state)
	ni=$(ps -o ni= -p "$CANARY" 2>/dev/null | tr -d ' ')
	io=$(ionice -p "$CANARY" 2>/dev/null)
	kill -KILL "$CANARY" 2>/dev/null
	wait "$CANARY" 2>/dev/null
	case $st in
	S | R) ;;
	"") fail "the host canary was killed from inside the guest" ;;
	*) fail "the host canary is in state $st after the guest" ;;
	esac
	[ "$ni" = 0 ] || fail "the host canary was reniced to $ni from inside"
	[ -z "${1:-}" ] || [ "$io" = "$1" ] ||
		fail "the host canary's I/O priority became '$io' (was '$1')"
}

# INT_MIN and friends get Linux's errno, and the UBSan monitor stays up
# (negating INT_MIN used to abort it).
test_intmin() {
	# tags: asan
	"$(prog escape_pids)" intmin >"$T/host" || fail "escape_pids intmin on the host"
	run_umbra run -- "$(prog escape_pids)" intmin
	assert_status 0
	if ! cmp -s "$T/host" "$T/out"; then
		show "$T/out"
		fail "errnos differ from the host's: $(diff "$T/host" "$T/out" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
	fi
	# a guest process that is not init, too
	run_umbra run -- /bin/sh -c "'$(prog escape_pids)' intmin; true"
	assert_status 0
	cmp -s "$T/host" "$T/out" ||
		fail "errnos differ from the host's in a child: $(diff "$T/host" "$T/out" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
}

# Every way to make an fd's signal owner a host process is refused, and
# an owner that is the guest's own comes back in guest terms.
test_owner_routes() {
	# tags: asan
	start_canary
	run_umbra run -- /bin/sh -c "'$(prog escape_pids)' owner $CANARY"
	assert_status 0
	assert_kv fiosetown ESRCH siocspgrp ESRCH siocspgrp_group ESRCH \
		f_setown ESRCH f_setown_group ESRCH f_setown_ex ESRCH \
		f_setown_ex_tid ESRCH f_setsig_kill EINVAL f_setsig_stop EINVAL \
		self_fiogetown 1 self_siocgpgrp 1 self_f_getown 1 \
		self_f_getown_ex 1 self_group 1 pidfd_ns EPERM
	case $(kv pidfd_info) in
	ok | EINVAL | ENOTTY) ;;	# the two errors: a host before Linux 6.13
	*) fail "PIDFD_GET_INFO inside: $(kv pidfd_info), expected the guest's pids" ;;
	esac
	canary_check
}

# A sibling thread rewriting the stack below a caller of F_SETOWN_EX, where
# a translated copy of the argument used to be put for the host to read.
test_owner_race() {
	# tags: asan timeout=90
	start_canary
	UMBRA_TIMEOUT=60 run_umbra run -- "$(prog escape_pids)" race_owner "$CANARY" 20000
	assert_status 0
	assert_kv rounds 20000
	canary_check
}

# setpriority(PRIO_USER) and ioprio_set(IOPRIO_WHO_USER) change the guest's
# tasks, never the host's other processes of the user.
test_prio_user() {
	# tags: asan
	local io
	start_canary
	io=$(ionice -p "$CANARY")
	run_umbra run -- /bin/sh -c "'$(prog escape_pids)' prio"
	assert_status 0
	assert_kv setprio_user0 0 setprio_user 0 setprio_other ESRCH own_nice 7 \
		getprio_user 7 ioprio_user0 0 ioprio_user 0 own_ioprio 16391 \
		ioprio_get_user 16391
	canary_check "$io"
}

# Guest init is a pid namespace's init: signals from inside with the
# default action are dropped, whatever route they take, but one it blocks
# is queued for sigtimedwait.
test_init_signals() {
	# tags: asan
	run_umbra run -- "$(prog escape_pids)" init_sigs
	assert_status 0
	assert_kv sigtimedwait TERM alive 1
}

# A zombie the host releases behind the monitor's back (handed to a
# subreaper that ignores SIGCHLD) is gone for the guest too: its pid names
# nothing, never a host process that may get the number next.
test_stale_pid() {
	# tags: asan
	"$(prog escape_pids)" stale >"$T/host" 2>&1 || fail "escape_pids stale on the host"
	run_umbra run -- /bin/sh -c "'$(prog escape_pids)' stale"
	assert_status 0
	assert_kv kill0 ESRCH kill ESRCH pidfd_open ESRCH sched_getscheduler ESRCH \
		getpgid ESRCH
	cmp -s "$T/host" "$T/out" ||
		fail "not as on the host: $(diff "$T/host" "$T/out" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
}

# An ioctl command no allowlist knows is refused on sockets and terminals,
# where it may name a process group (TIOCSIG) or drive a console.
test_unknown_ioctls() {
	# tags: asan
	run_umbra run -- "$(prog escape_pids)" ioctls
	assert_status 0
	assert_kv fionread 0 sock_unknown ENOTTY sock_siocsifflags ENOTTY
	grep -q '^ptmx=' "$T/out" ||
		assert_kv tiocsig ENOTTY vt_activate ENOTTY tiocvhangup ENOTTY
}

# TIOCSPGRP in a session the guest made (on a pty of its own): the group
# is read from below the caller's stack, and whatever a racing task
# writes there names a guest group of that session at most, so a threaded
# caller is served too.
test_tcsetpgrp_threads() {
	# tags: asan
	run_umbra run -- "$(prog escape_pids)" tcsetpgrp
	assert_status 0
	grep -q '^ptmx=' "$T/out" && skip "no pty: $(kv ptmx)"
	assert_kv tcsetpgrp 0 tcsetpgrp_threaded 0
}

# tcsetpgrp's fd is checked first, as Linux: a closed fd is EBADF and a
# file that is no terminal ENOTTY, whatever group it names.
test_tcsetpgrp_bad_fd() {
	# tags: asan
	run_umbra run -- "$(prog escape_pids)" tcbad
	assert_status 0
	assert_kv tc_badfd EBADF tc_null ENOTTY
}

# TIOCSPGRP on the terminal umbra was started on (the host user's session,
# where host groups live): the monitor makes the call on its own copy of
# the fd, so no guest task can rewrite the group the host reads; a
# threaded caller is served; a background caller still meets SIGTTOU.
test_tcsetpgrp_host_session() {
	# tags: asan
	command -v script >/dev/null || skip "no script(1) for a terminal"
	need_umbra
	timeout -k 5 "$UMBRA_TIMEOUT" script -qec \
		"'$UMBRA' run -- '$(prog escape_pids)' ctty" /dev/null \
		>"$T/out" 2>"$T/err"
	STATUS=$?
	tr -d '\r' <"$T/out" >"$T/out2" && mv "$T/out2" "$T/out"
	grep -qaE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T/out" &&
		{ show "$T/out"; fail "a sanitizer report"; }
	assert_no_strays "after umbra under script"
	assert_status 0
	assert_kv ctty_set 0 ctty_fg mine ctty_threaded 0 ctty_back 0 \
		ctty_bg stopped
}

# The calls that change another task are the monitor's own (on a live
# task's host tid, under the lock) and made without the monitor's
# capabilities: a guest of root's umbra may not raise a hard limit, pick a
# real-time policy or lower a nice value, as an unprivileged user may not.
test_setters_as_guest() {
	# tags: asan
	run_umbra run -- "$(prog escape_pids)" setters
	assert_status 0
	assert_kv affinity 0 nice_up 0 nice_down EACCES fifo EPERM rlim_up EPERM \
		rlim_down 0 ioprio 0 pidfd 0
}

# clone(CLONE_PARENT) from guest init would make a child of the monitor,
# outside the guest: EINVAL, as Linux answers a namespace's init.
test_init_clone_parent() {
	# tags: asan
	run_umbra run -- "$(prog escape_pids)" clone_parent
	assert_status 0
	assert_kv init_clone_parent EINVAL child_clone_parent 0
}

# capget is the monitor's own, capset only ever names the caller.
test_capget() {
	# tags: asan
	start_canary
	run_umbra run -- /bin/sh -c "'$(prog escape_pids)' capget $CANARY"
	assert_status 0
	assert_kv capget_host ESRCH capget_self 0 capget_own 0 capget_same 1 \
		capget_hdr_pid 1 capset_own 0 capset_hdr_pid 1 capset_host EPERM \
		capget_badver EINVAL capget_prefers 0x20080522 \
		capget_probe 0 capget_probe_prefers 0x20080522
	canary_check
}

# Calls naming another process that have no pidfd form: the monitor makes
# the getters itself (a number the host reused meanwhile is never asked),
# and the memory calls go to the host only inside the Landlock domain,
# which refuses every process outside the guest; without it they are
# EPERM.  A child's values read from its parent as on the host.
test_remote_calls() {
	# tags: asan
	run_umbra run -- "$(prog remote)"
	assert_status 0
	assert_kv getscheduler 0 getparam 0 rr_interval 0 getaffinity same \
		getattr_nice 5 getattr_size 48 nice 5 pgrp_nice 5 ioprio ok \
		robust 24 robust_head set kcmp_vm_self 0 kcmp_vm_other differs \
		kcmp_file 0 clock_gettime busy clock_getres 0 \
		clock_settime EPERM clock_nanosleep EINVAL
	if [ "$("$(prog wall)" abi)" -gt 0 ]; then
		assert_kv vmread secret
	fi
	run_umbra run --no-landlock -- "$(prog remote)"
	assert_status 0
	assert_kv vmread EPERM kcmp_vm_other differs nice 5
}

run_test "$@"
