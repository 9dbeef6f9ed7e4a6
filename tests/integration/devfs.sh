#!/usr/bin/env bash
# The guest's /dev and /sys: the devices a process needs and nothing else
# of the host's, ptys made inside, device nodes elsewhere refused (nodev),
# and the CPUs in /sys.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

DEV_NAMES="console fd full null ptmx pts random shm stderr stdin stdout tty urandom zero "

need_root() {
	ROOT=$(umbra_rootfs "$1") || skip "no $1 rootfs"
}

# The same /dev with a root filesystem and with the host's /.
test_dev_listing() {
	# tags: asan
	need_root busybox
	run_umbra run -r "$ROOT" -- /bin/sh -c 'ls /dev | tr "\n" " "; echo
		ls -l /dev/null | cut -c1; readlink /dev/stdout; echo x >/dev/null && echo ok'
	assert_status 0
	assert_out "$DEV_NAMES
c
/proc/self/fd/1
ok"
	run_umbra run -- /bin/sh -c 'ls /dev | tr "\n" " "'
	assert_status 0
	assert_out "$DEV_NAMES"
}

# A device node outside the guest's /dev opens as on a nodev mount; one
# the user binds in with -b is given.
test_dev_nodev() {
	# tags: asan
	local node
	node=$(find /var/cache/umbra/rootfs/*/dev "$HOME/.cache/umbra/rootfs"/*/dev \
		-maxdepth 1 -type c -name null 2>/dev/null | head -1)
	[ -n "$node" ] || skip "no device node in a cached rootfs (built without root)"
	run_umbra run -- /bin/sh -c "cat '$node' && echo opened"
	assert_status 1
	grep -q "Permission denied" "$T/err" || { show "$T/err"; fail "no EACCES for $node"; }
	run_umbra run -b "$node:/mnt/given" -- /bin/sh -c 'cat /mnt/given && echo opened'
	assert_status 0
	assert_out opened
}

# /dev/tty without a controlling terminal: open is ENXIO, as Linux, but
# an O_PATH fd of it is given (an umbra inside binds it so) and fstats
# as the device.
test_dev_tty_opath() {
	command -v python3 >/dev/null || skip "no python3"
	run_umbra run -- setsid -w python3 -c '
import os, stat
try:
    os.open("/dev/tty", os.O_RDONLY)
    print("open: opened")
except OSError as e:
    print("open:", e.errno == 6 and "ENXIO" or e.errno)
fd = os.open("/dev/tty", os.O_PATH)
st = os.fstat(fd)
print("opath:", stat.S_ISCHR(st.st_mode) and "chr" or oct(st.st_mode),
      os.major(st.st_rdev), os.minor(st.st_rdev))' </dev/null
	assert_status 0
	assert_out "open: ENXIO
opath: chr 5 0"
}

# A pty made inside: Python's pty.fork, os.ttyname, script(1).
test_dev_pty() {
	# tags: timeout=60
	need_root debian-bookworm
	run_umbra run -r "$ROOT" -- /bin/bash -c 'python3 -c "
import os, pty
pid, fd = pty.fork()
if pid == 0:
    os.execvp(\"tty\", [\"tty\"])
out = b\"\"
while True:
    try:
        b = os.read(fd, 100)
    except OSError:
        break
    if not b:
        break
    out += b
print(\"fork_tty=\" + (\"pts\" if out.decode().strip().startswith(\"/dev/pts/\") else out.decode()))
print(\"child=%d\" % (os.waitpid(pid, 0)[1] >> 8))
m, s = os.openpty()
print(\"ttyname=\" + (\"pts\" if os.ttyname(s).startswith(\"/dev/pts/\") else os.ttyname(s)))
"
		script -qc "tty" /dev/null </dev/null | tr -d "\r" | sed "s|^/dev/pts/[0-9]*$|script_tty=pts|"
		echo script=${PIPESTATUS[0]}'
	assert_status 0
	assert_kv fork_tty pts child 0 ttyname pts script_tty pts script 0
}

# The host user's other terminals cannot be opened by number.
test_dev_pts_filter() {
	# tags: asan
	local n
	need_root busybox
	python3 -c '
import os, sys, time
m, s = os.openpty()
print(os.ttyname(s).rsplit("/", 1)[1], flush=True)
time.sleep(30)' >"$T/pty" &
	local py=$!
	wait_for "[ -s '$T/pty' ]" 10 || { kill $py; fail "no host pty"; }
	n=$(cat "$T/pty")
	run_umbra run -r "$ROOT" -- /bin/sh -c "cat /dev/pts/$n; echo rc=\$?"
	kill $py
	assert_status 0
	assert_kv rc 1
	grep -q "No such file" "$T/err" || { show "$T/err"; fail "host pty $n reachable"; }
}

# /sys: the CPUs, as the host has them; the rest empty.
test_sys_cpus() {
	# tags: asan
	need_root busybox
	run_umbra run -r "$ROOT" -- /bin/sh -c 'cat /sys/devices/system/cpu/online
		nproc --all; ls /sys/class | wc -l; [ -d /sys/kernel/mm/ksm ] && echo ksm'
	assert_status 0
	# KSM is there when the host has it (LTP madvise02 asks)
	assert_out "$(cat /sys/devices/system/cpu/online)
$(nproc --all)
0$([ -d /sys/kernel/mm/ksm ] && printf '\nksm')"
}

test_sys_lscpu() {
	need_root debian-bookworm
	run_umbra run -r "$ROOT" -- /bin/sh -c 'lscpu | grep "^CPU(s):" | tr -s " "
		python3 -c "import os; print(os.cpu_count())"'
	assert_status 0
	assert_out "CPU(s): $(nproc --all)
$(nproc --all)"
}

run_test "$@"
