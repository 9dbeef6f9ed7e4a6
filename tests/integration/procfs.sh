#!/usr/bin/env bash
# The guest's /proc: generated for guest processes only, in guest terms
# (pids, paths, mounts), with nothing of a host process or a host path;
# procps and psmisc working on it.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

need_root() {
	ROOT=$(umbra_rootfs "$1") || skip "no $1 rootfs"
}

run_bb() {
	run_umbra run -r "$ROOT" -b "$PROGS:/t:ro" "$@"
}

# /proc lists guest processes by guest pid; their files say guest pids.
test_proc_pids() {
	# tags: asan
	need_root busybox
	run_bb -- /bin/sh -c 'sleep 30 & s=$!
		# until the child has exec'"'"'d sleep and sleeps in it
		for i in $(seq 300); do
			case "$(cut -d" " -f2,3 /proc/$s/stat)" in
			"(sh)"* | *" R") sleep 0.01 ;;
			*) break ;;
			esac
		done
		for e in /proc/[0-9]*; do echo -n "${e#/proc/} "; done | tr " " "\n" |
			sort -n | head -2 | tr "\n" " "; echo
		grep -E "^(Pid|PPid|Tgid|TracerPid):" /proc/$s/status | tr -d "\t" | tr "\n" " "; echo
		cut -d" " -f1-5 /proc/$s/stat
		read -r a b c d e rest </proc/self/stat; echo "$b $d"
		readlink /proc/$$/cwd; readlink /proc/$s/exe
		kill $s; wait $s; [ -e /proc/$s ] || echo gone'
	assert_status 0
	assert_out "1 2 
Tgid:2 Pid:2 PPid:1 TracerPid:0 
2 (exe) S 1 1
(sh) 0
/
/bin/busybox
gone"
}

# A thread's directory lists what Linux's does, and every entry opens
# (LTP's proc01 reads them all): timerslack_ns is the process's only.
test_proc_thread_entries() {
	run_umbra run -- /bin/sh -c '
		ls /proc/$$/task/$$ | grep -c "^timerslack_ns$"
		ls /proc/$$ | grep -c "^timerslack_ns$"
		for f in /proc/$$/task/$$/*; do
			[ -f "$f" ] && [ -r "$f" ] || continue
			case ${f##*/} in pagemap|clear_refs|mem) continue ;; esac
			head -c1 "$f" >/dev/null 2>&1 || echo "cannot read $f"
		done; true'
	assert_status 0
	assert_out "0
1"
}

# The kernel's configuration, which LTP and others read to know what the
# kernel has: the host's, as /proc/version is.
test_proc_config_gz() {
	[ -r /proc/config.gz ] || skip "no /proc/config.gz on the host"
	run_umbra run -- /bin/sh -c 'zcat /proc/config.gz | grep -c "^CONFIG_"'
	assert_status 0
	[ "$(cat "$T/out")" -gt 100 ] || fail "config.gz: $(first_line "$T/out")"
}

# A process's entries are owned by its effective ids, the rest by root
# (not by whoever owns the stand-ins on the host).
test_proc_owner() {
	# tags: asan
	run_umbra run --user 1000:100 -- /bin/sh -c '
		stat -c "%u %g" /proc/1 /proc/1/status /proc/self/ /proc/cpuinfo /proc/self
		stat -L -c "%u %g" /proc/self'
	assert_status 0
	assert_out "1000 100
1000 100
1000 100
0 0
0 0
1000 100"
}

# /proc lists processes (and N/task threads) in ascending order, as Linux,
# whichever were looked up first: ps shows them so.
test_proc_listing_order() {
	# tags: asan
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] ||
		skip "no tmpfs at /dev/shm: the stand-ins list by hash"
	run_umbra run -- /bin/sh -c '
		sleep 5 & a=$!; sleep 5 & b=$!; cat /proc/$b/stat >/dev/null
		cat /proc/self/stat >/dev/null; cat /proc/$a/stat >/dev/null
		l=$(ls -f /proc | grep -E "^[0-9]+$")
		s=$(echo "$l" | sort -n)
		[ "$l" = "$s" ] && echo sorted || echo "unsorted:" $l
		kill $a $b'
	assert_status 0
	assert_out sorted
}

# Nothing of the host: no host pid among the entries, no host path in
# maps, mounts or links.
test_proc_no_host() {
	# tags: asan
	need_root busybox
	run_bb -- /bin/sh -c 'cat /proc/self/maps /proc/self/mounts \
		/proc/self/mountinfo /proc/self/status /proc/self/stat \
		/proc/1/cmdline /proc/loadavg; ls -l /proc/self/ /proc/self/fd/'
	assert_status 0
	grep -q " /t/\| /bin/busybox" "$T/out" || { show "$T/out"; fail "no guest paths in maps"; }
	for bad in "$TOP" "$ROOT" umbra-loader umbra-tmpfs; do
		if grep -q -- "$bad" "$T/out"; then
			show "$T/out"
			fail "the guest's /proc shows '$bad'"
		fi
	done
	for n in $(ls /proc | grep -E '^[0-9]{4,}$' | head -50); do
		run_bb -- /bin/sh -c "[ -e /proc/$n ] && echo seen $n"
		[ ! -s "$T/out" ] || fail "host pid $n is in the guest's /proc"
	done
}

test_proc_sys() {
	# tags: asan
	need_root busybox
	run_bb --hostname box -- /bin/sh -c 'cat /proc/sys/kernel/hostname \
		/proc/sys/kernel/pid_max; grep -q "^[0-9]" /proc/sys/fs/pipe-max-size &&
		echo pipe; grep -q "^processor" /proc/cpuinfo && echo cpuinfo
		grep -c -e "^/dev/root / " -e "^overlay / overlay " /proc/mounts
		grep -c " /proc proc " /proc/mounts
		[ -r /proc/sys/kernel/core_pattern ] && echo core
		echo x > /proc/sys/kernel/hostname || echo refused'
	assert_status 0
	assert_out "box
4194304
pipe
cpuinfo
1
1
core
refused"
}

# The programs' view: glibc's stack bounds (maps), threads, fd links, a
# /proc/N directory fd as a pidfd, and an fd of a dead process's.
test_proc_programs() {
	# tags: asan
	need_root busybox
	for m in stack threads fds stale; do
		run_bb -- /t/procself $m
		assert_status 0 "procself $m"
		cat "$T/out" >>"$T/all"
	done
	cp "$T/all" "$T/out"
	assert_kv stack ok
	assert_kv tasks 3
	assert_kv listed 1
	assert_kv fd7 /dev/null
	assert_kv listed7 1
	assert_kv kill 0
	assert_kv again ESRCH
	assert_kv status ENOENT
}

# procps and psmisc see the guest's processes, and only them.
test_proc_procps() {
	# tags: timeout=90
	need_root debian-bookworm
	[ -x "$ROOT/usr/bin/ps" ] || skip "no procps in the rootfs (rebuild it)"
	run_umbra run -r "$ROOT" -- /bin/bash -c 'sleep 30 & sleep 31 &
		ps -eo pid=,ppid=,comm= | sort -n | tr -s " " | sed "s/^ //"
		echo "pgrep=$(pgrep -x sleep | sort -n | tr "\n" " ")"
		echo "pidof=$(pidof sleep | tr " " "\n" | sort -n | tr "\n" " ")"
		top -bn1 | grep -c "^Tasks:"
		free | grep -c "^Mem:"
		uptime | grep -c "load average"
		pstree -p | grep -c "^bash(1)"
		killall sleep; echo killall=$?; wait
		pgrep sleep || echo none'
	assert_status 0
	assert_out "1 0 bash
2 1 sleep
3 1 sleep
4 1 ps
5 1 sort
6 1 tr
7 1 sed
pgrep=2 3 
pidof=2 3 
1
1
1
1
killall=0
none"
}

# An open /proc file is the file stat named: cp (which checks that) copies
# it, fstat says Linux's size 0 while the data reads to its end, and its
# fd links to its name.
test_proc_cp() {
	# tags: asan
	run_umbra run -- /bin/sh -c "cp /proc/cpuinfo /proc/self/status '$T/' &&
		grep -c '^processor' '$T/cpuinfo' >/dev/null && grep -q '^Pid:' '$T/status' &&
		stat -L -c %s /proc/cpuinfo && exec 3</proc/cpuinfo &&
		readlink /proc/self/fd/3"
	assert_status 0 "cp of /proc files"
	assert_out "0
/proc/cpuinfo"
}

run_test "$@"
