#!/usr/bin/env bash
# The monitor never waits under the kernel lock for as long as a guest
# likes: a call it makes with O_NONBLOCK set on a socket the guest shares
# is interrupted if a sibling clears the flag, and a lease, whose break
# would hold up the monitor's own opens of the file, is refused.
. "$(dirname "$0")/../lib.sh"

# 2000 accepts the monitor makes while a sibling toggles O_NONBLOCK on the
# listener: each race costs the guest at most a few tens of milliseconds;
# before, the monitor waited in accept4 for good, every guest with it.
test_accept_nonblock_race() {
	# tags: asan timeout=90
	mkdir -p "$T/s"
	UMBRA_TIMEOUT=60 run_umbra run -- "$(prog escape_block)" accept "$T/s" 2000
	assert_status 0
	assert_kv rounds 2000
}

test_lease_refused() {
	# tags: asan
	echo data >"$T/f"
	run_umbra run -- "$(prog escape_block)" lease "$T/f"
	assert_status 0
	assert_kv lease EINVAL
}

run_test "$@"
