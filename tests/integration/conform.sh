#!/usr/bin/env bash
# Linux's answers where the LTP syscall subset found the guest's different
# (issue 15): each test is one fix, checked by tests/progs/conform.
. "$(dirname "$0")/../lib.sh"

# kill and its relatives check the guest's ids, as Linux's
# check_kill_permission: every guest process has the same host uid, so
# the host never refuses one guest process's signal to another.
test_kill_permission() {
	# tags: asan
	run_umbra run -0 -- "$(prog conform)" killperm
	assert_status 0
	assert_kv kill EPERM kill0 EPERM sigqueue EPERM cont 0 root 0
}

# The monitor binds for the guest, with its own capabilities: a port
# below ip_unprivileged_port_start needs the guest's
# CAP_NET_BIND_SERVICE.
test_bind_privileged_port() {
	run_umbra run -0 -- "$(prog conform)" bindlow
	assert_status 0
	assert_kv bind EACCES
}

# clone3: copy_process's flag checks come before the namespace refusal,
# and a stack must have a size (clone3_stack_valid).
test_clone3_invalid() {
	run_umbra run -- "$(prog conform)" clone3
	assert_status 0
	assert_kv fsnewns EINVAL zerostack EINVAL nostack EINVAL
}

# The securebits are the guest's: NO_CAP_AMBIENT_RAISE refuses a raise,
# KEEP_CAPS is keepcaps, a locked bit stays; the host's (NOROOT, locked,
# when umbra runs as root) do not show.
test_securebits() {
	# tags: asan
	run_umbra run -0 -- "$(prog conform)" securebits
	assert_status 0
	assert_kv bits 0 raise_denied EPERM raise 0 keepcaps 1 locked EPERM
}

# SO_SNDBUFFORCE with the guest's CAP_NET_ADMIN, refused without it.
test_sndbufforce() {
	run_umbra run -0 -- "$(prog conform)" sndbufforce
	assert_status 0
	assert_kv force 0 size_ok 1 force_user EPERM
}

# A running program cannot be opened to write (ETXTBSY), as on Linux:
# the host never sees the guest exec it (the loader maps it).
test_write_running_program() {
	# tags: asan
	cp "$(prog conform)" "$T/copy"
	chmod 755 "$T/copy"
	run_umbra run -- "$(prog conform)" textbusy "$T/copy"
	assert_status 0
	assert_kv busy ETXTBSY after 0
}

# linkat(AT_SYMLINK_FOLLOW) of /proc/self/fd/N links the open file
# itself, which is how an O_TMPFILE file gets a name.
test_link_tmpfile() {
	mkdir "$T/d"
	run_umbra run -- "$(prog conform)" linktmp "$T/d"
	assert_status 0
	assert_kv link 0 size 5
	[ -f "$T/d/named" ] || fail "no $T/d/named on the host"
}

# F_SETLEASE works; an open that breaks a lease waits for the holder,
# but on a worker: the holder's own emulated calls (an open) are served
# meanwhile, or this would wait for lease-break-time (45 s).
test_lease_break() {
	# tags: asan
	run_umbra run -- "$(prog conform)" lease "$T/leased"
	assert_status 0
	assert_kv lease F_RDLCK nb EAGAIN broken 1 open 0 quick 1
}

# no_new_privs is the guest's (the host's is umbra's own, always set),
# and a seccomp filter needs it or CAP_SYS_ADMIN, by prctl or seccomp.
test_no_new_privs() {
	# tags: asan
	run_umbra run -0 -- "$(prog conform)" nnp
	assert_status 0
	assert_kv nnp 0 prctl_filter EACCES seccomp_filter EACCES \
		bad_prog EFAULT nnp_set 1 child_nnp 1 filter 0
}

# A core dump is written where Linux would put it (the host could not:
# the guest's Landlock domain makes no file), and the parent hears
# WCOREDUMP and CLD_DUMPED.
test_core_dump() {
	# tags: asan
	case $(cat /proc/sys/kernel/core_pattern) in
	'|'*|'@'*|'') skip "core_pattern pipes to the host's program" ;;
	/*) skip "core_pattern names an absolute directory" ;;
	esac
	mkdir "$T/c"
	run_umbra run -- "$(prog conform)" core "$T/c"
	assert_status 0
	assert_kv abort_core 1 quit_code CLD_DUMPED file ET_CORE nolimit_core 0
}

run_test "$@"
