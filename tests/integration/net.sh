#!/usr/bin/env bash
# --net host (the default) leaves the guest the host's network, loopback
# services included; --net none leaves it AF_UNIX sockets only, and every
# other family fails with EACCES, as in a container without a network
# (the audit socket: EPROTONOSUPPORT, a kernel without audit).
. "$(dirname "$0")/../lib.sh"

test_net_none_families() {
	# tags: asan
	run_umbra run --net none -- "$(prog net)" families
	assert_status 0
	assert_kv inet EACCES inet6 EACCES udp EACCES packet EACCES \
		netlink_route EACCES netlink_uevent EACCES vsock EACCES \
		netlink_audit EPROTONOSUPPORT \
		inet_pair EACCES inet_garbage EACCES unix 0 unix_pair 0
}

# shadow's groupadd and useradd open an audit socket and go on only if
# the kernel has no audit (EPROTONOSUPPORT): so they work under --net none.
test_net_none_groupadd() {
	local root
	. "$TOP/scripts/rootfs.sh"
	root=$(umbra_rootfs debian-bookworm) || skip "no debian-bookworm rootfs"
	run_umbra run -0 --net none -r "$root" --cow "$T/c" -- /bin/sh -c \
		'groupadd -g 150 umbratest && getent group umbratest'
	assert_status 0
	assert_out "umbratest:x:150:"
}

# Without --net none, a guest has IP and netlink sockets as on the host.
test_net_host_families() {
	run_umbra run --net host -- "$(prog net)" families
	assert_status 0
	assert_kv inet 0 udp 0 netlink_route 0 unix 0 unix_pair 0
}

# A TCP service on the host's loopback: reached by default and with --net
# host, not with --net none.
# (Its text is not $MARK: the listener is not the guest's, not a stray.)
HELLO=hello-$RANDOM$RANDOM
host_service() {
	rm -f "$T/port"
	"$(prog net)" serve "$T/port" "$HELLO" &
	SERVER=$!
	wait_for "[ -s '$T/port' ]" 5 || fail "the host listener did not start"
	PORT=$(cat "$T/port")
}

test_net_host_loopback_tcp() {
	# tags: asan
	local mode
	for mode in "" "--net host"; do
		host_service
		run_umbra run $mode -- "$(prog net)" connect "$PORT"
		wait "$SERVER"
		assert_status 0
		assert_kv connect 0 data "$HELLO"
	done
}

test_net_none_loopback_tcp() {
	host_service
	run_umbra run --net none -- "$(prog net)" connect "$PORT"
	kill "$SERVER" 2>/dev/null
	wait "$SERVER" 2>/dev/null
	assert_status 0
	assert_kv connect EACCES
}

# AF_UNIX still works: paths and abstract names, between guest processes.
test_net_none_unix() {
	mkdir -p "$T/d"
	run_umbra run --net none -- sh -c "'$(prog unixsock)' stream '$T/d' && '$(prog unixsock)' abstract"
	assert_status 0
	assert_no_fail_lines
}

run_test "$@"
