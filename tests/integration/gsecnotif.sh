#!/usr/bin/env bash
# A guest's own SECCOMP_RET_TRACE and SECCOMP_RET_USER_NOTIF where Linux
# defines the corners (tests/progs/gsecnotif.c): the tracer's event and
# what it changes, RET_TRACE with no one to tell, the action in the A
# register, a signal withdrawing a notification, the listener's last
# close, SECCOMP_IOCTL_NOTIF_ADDFD.  Each mode runs on the host first: its
# lines there are Linux's answer, and the guest must give the same.
. "$(dirname "$0")/../lib.sh"

# gsecnotif_differs MODE HOST GUEST: the mode prints HOST and ends with
# status 0 on the host, GUEST and status 0 inside umbra (the same text
# but where umbra knowingly differs).
gsecnotif_differs() {
	local mode=$1 st
	timeout -k 5 "$UMBRA_TIMEOUT" "$(prog gsecnotif)" "$mode" \
		>"$T/host" 2>"$T/host.err"
	st=$?
	if [ "$st" != 0 ] || [ "$(cat "$T/host")" != "$2" ]; then
		show "$T/host"
		show "$T/host.err"
		fail "gsecnotif $mode on the host (status $st): the test expects what Linux does not say"
	fi
	run_umbra run -- "$(prog gsecnotif)" "$mode"
	assert_status 0 "gsecnotif $mode"
	assert_out "$3"
}

# gsecnotif MODE TEXT: the same lines on the host and inside umbra.
gsecnotif() {
	gsecnotif_differs "$1" "$2" "$2"
}

# RET_TRACE|data with a tracer that set PTRACE_O_TRACESECCOMP: one
# PTRACE_EVENT_SECCOMP stop per call, GETEVENTMSG the filter's data, rax
# -ENOSYS at the stop; orig_rax -1 skips the call (rax its result), an
# unchanged call runs, a changed orig_rax runs the other call (newfstatat
# as getpid, which the filter lets through when it looks again); a call
# umbra stops for its arguments (fcntl F_SETOWN with a pid) is still
# umbra's after the stop: the guest's pid, not the host's process.
test_seccomp_trace_notified() {
	# tags: asan
	gsecnotif trace_notified "getppid=4242
openat=ok
stat_as_getpid=ok
fsetown=ok
events_5=1
events_6=1
events_7=1
rax_at_stop=-ENOSYS
exit=0"
}

# RET_TRACE with no tracer: the call fails with ENOSYS and does not run;
# the calls the filter allows still do.
test_seccomp_trace_untraced() {
	gsecnotif trace_untraced "getppid=ENOSYS
openat=ENOSYS
getpid=ok
exit=0"
}

# Filters outlive an exec, which is the kernel's own work: with RET_TRACE
# on openat and prctl (no tracer), a static program still starts (umbra's
# loader opens and maps it with such calls), and the program's own openat
# fails with ENOSYS.
test_seccomp_exec_traced() {
	file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
		skip "no static /bin/busybox"
	gsecnotif exec_traced "started
cat=failed
exit=0"
}

# RET_TRACE in a traced task whose tracer did not ask for seccomp events:
# ENOSYS as with no tracer, and the tracer sees no stop.
test_seccomp_trace_no_option() {
	gsecnotif trace_no_option "getppid=ENOSYS
openat=ENOSYS
events=0
exit=0"
}

# SECCOMP_RET_USER_NOTIF as the value of A (ld imm; ret A), not of a
# constant: the call goes to the listener all the same (a value, and
# CONTINUE for a call the host runs).
test_seccomp_notif_a_reg() {
	gsecnotif notif_a_reg "getppid=4242
sched_yield=0
notifications=2"
}

# What notif_signal and notif_close print, for the call umbra answers by
# notification (getppid) and for one the host runs (sched_yield) alike.
SIGNAL_LINES="id_valid_after_signal=ENOENT
send_after_signal=ENOENT
no_restart=EINTR
restart_new_id=yes
restarted=4242
signal_before_recv=4242
exit=0"
CLOSE_LINES="pending_then_close=ENOSYS
after_close=ENOSYS
received_then_close=ENOSYS
exit=0"

# A signal to a task waiting on its notification (the supervisor in
# another process) withdraws it: ID_VALID and SEND of its id fail with
# ENOENT; without SA_RESTART the call fails with EINTR, with SA_RESTART it
# comes again as a new notification (a new id), received or not before
# the signal.
test_seccomp_notif_signal() {
	# tags: asan
	gsecnotif notif_signal "$SIGNAL_LINES"
}

# The last close of the listener while a call waits on it, pending or
# already received: the call fails with ENOSYS, and so does every later
# call the filter hands to the gone listener.
test_seccomp_notif_close() {
	gsecnotif notif_close "$CLOSE_LINES"
}

# The same two with a call the host runs (sched_yield), which umbra holds
# at a ptrace stop while the supervisor has it.
test_seccomp_notif_signal_native() {
	gsecnotif notif_signal_native "$SIGNAL_LINES"
}

test_seccomp_notif_close_native() {
	gsecnotif notif_close_native "$CLOSE_LINES"
}

# SECCOMP_IOCTL_NOTIF_ADDFD: the supervisor's pipe in the notified task's
# table; with FLAG_SEND the call returns the new fd; without it a SEND of
# the number; FLAG_SETFD at 77 with O_CLOEXEC.  The fd is the FIFO and
# reads what the supervisor wrote.  The one deviation (docs/decisions.md):
# a call the host runs (sched_yield) is held at a ptrace stop, where the
# monitor has no way to put an fd into the task: EOPNOTSUPP there.
test_seccomp_addfd() {
	gsecnotif_differs addfd "yield_addfd_send=ok
getppid_addfd_send=ok
getppid_addfd_then_send=ok
setfd77=ok" "yield_addfd_send=ioctl_EOPNOTSUPP
getppid_addfd_send=ok
getppid_addfd_then_send=ok
setfd77=ok"
}

run_test "$@"
