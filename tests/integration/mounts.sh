#!/usr/bin/env bash
# mount(2) and umount2(2) inside the guest: binds (recursive, read-only
# remounts), tmpfs, proc, sysfs, devpts and mqueue for a guest with
# CAP_SYS_ADMIN; EPERM/ENODEV for other types; the guest's alone.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

# The syscalls and their errors (tests/progs/mountsys.c).
test_mount_syscalls() {
	# tags: asan
	local before
	before=$(wc -l </proc/self/mountinfo)
	run_umbra run -0 --tmpfs /m -- "$(prog mountsys)" /m
	assert_status 0
	assert_kv tmpfs 0 tmode 710 bind 0 through_bind "in tmpfs" \
		remount_ro 0 write_ro EROFS write_rw 0 dir_on_file ENOTDIR \
		ext4 EPERM bogus ENODEV notype EINVAL badopt EINVAL \
		missing ENOENT badptr EFAULT bind_nosrc ENOENT on_magic ENOENT \
		proc 0 proc_self ok proc_status ok private 0 two_types EINVAL \
		type_notroot EINVAL umount_proc 0 umount_notmnt EINVAL \
		umount_badflag EINVAL umount_expire_detach EINVAL \
		expire EAGAIN,0 gone_a none bind_lives "in tmpfs" \
		cwd_busy EBUSY lazy 0 after_lazy none umount_root EBUSY \
		loop "1000 0" stack ENOSPC nocap_mount EPERM nocap_umount EPERM
	grep -q "^info_proc=1 info_tmpfs=1 info_ro=1$" "$T/out" ||
		fail "mountinfo lines: $(grep ^info "$T/out")"
	grep -q "^lazy_cwd=in tmpfs getcwd=ok$" "$T/out" ||
		fail "the cwd under a lazily unmounted tmpfs: $(grep ^lazy_cwd "$T/out")"
	assert_eq "$(wc -l </proc/self/mountinfo)" "$before" "the host's mount count"
}

# Without CAP_SYS_ADMIN (no -0), mount and umount2 are EPERM.
test_mount_needs_cap() {
	run_umbra run --user 1000 -- "$(prog mountsys)" / nocap
	assert_status 0
	assert_kv nocap_mount EPERM nocap_umount EPERM
}

# util-linux's mount, umount and findmnt on the Debian rootfs.
test_mount_tools() {
	ROOT=$(umbra_rootfs debian-bookworm) || skip "no debian-bookworm rootfs"
	run_umbra run -0 -r "$ROOT" --tmpfs /tmp -- /bin/sh -c '
		mkdir -p /tmp/a /tmp/b /tmp/p /tmp/s /tmp/d /tmp/q
		mount -t tmpfs -o size=1m none /tmp/a && mkdir /tmp/a/sub &&
			mount -t tmpfs inner /tmp/a/sub && echo deep >/tmp/a/sub/x
		mount --rbind /tmp/a /tmp/b && cat /tmp/b/sub/x
		findmnt -rn -R /tmp -o TARGET,SOURCE,FSTYPE
		mount -t proc proc /tmp/p && cat /tmp/p/1/comm
		mount -t sysfs sysfs /tmp/s && cat /tmp/s/devices/system/cpu/online >/dev/null && echo sysfs
		mount -t devpts devpts /tmp/d && echo devpts
		mount -t mqueue mqueue /tmp/q && echo mqueue
		for m in p s d q; do findmnt -n -o FSTYPE /tmp/$m; done | tr "\n" " "; echo
		umount /tmp/a 2>/dev/null || echo busy
		umount -R /tmp/b && umount /tmp/a/sub && umount /tmp/a && echo unmounted
		grep -c " /tmp/" /proc/mounts'
	assert_status 0
	assert_out "deep
/tmp tmpfs tmpfs
/tmp/a none tmpfs
/tmp/a/sub inner tmpfs
/tmp/b none tmpfs
/tmp/b/sub inner tmpfs
sh
sysfs
devpts
mqueue
proc sysfs devpts mqueue 
busy
unmounted
4"
}

# A chroot made as debootstrap and schroot make one: rbind of /, a proc
# of its own inside; umount -R finds every mount (covered ones too).
test_mount_rbind_chroot() {
	ROOT=$(umbra_rootfs debian-bookworm) || skip "no debian-bookworm rootfs"
	run_umbra run -0 -r "$ROOT" --tmpfs /tmp -- /bin/sh -c '
		mount -t proc proc /proc && ps -e -o pid= | sort -n | head -1 | tr -d " "
		mkdir /tmp/j && mount --rbind / /tmp/j && mount -t proc proc /tmp/j/proc &&
		chroot /tmp/j /bin/sh -c "readlink /proc/self/exe; grep -c \" /proc \" /proc/mounts"
		umount -R /tmp/j && echo unmounted; grep -c " /tmp/j" /proc/mounts; true'
	assert_status 0
	assert_out "1
/usr/bin/readlink
2
unmounted
0"
}

# An mqueue mount lists the guest's queues by name; reading one gives
# Linux's status line; rm is mq_unlink.
test_mount_mqueue() {
	ROOT=$(umbra_rootfs debian-bookworm) || skip "no debian-bookworm rootfs"
	run_umbra run -0 -r "$ROOT" --tmpfs /tmp -- /bin/sh -c '
		mkdir /tmp/mq && mount -t mqueue none /tmp/mq
		python3 -c "
import ctypes, os
rt = ctypes.CDLL(\"librt.so.1\", use_errno=True)
q = rt.mq_open(b\"/jobs\", os.O_CREAT | os.O_RDWR, 0o644, None)
rt.mq_send(q, b\"hello\", 5, 0)
rt.mq_open(b\"/other\", os.O_CREAT | os.O_RDWR, 0o600, None)
"
		ls /tmp/mq | tr "\n" " "; echo
		cut -c1-6,18- /tmp/mq/jobs
		rm /tmp/mq/other && ls /tmp/mq
		python3 -c "
import ctypes, os
rt = ctypes.CDLL(\"librt.so.1\", use_errno=True)
print(rt.mq_open(b\"/other\", os.O_RDWR, 0, None), ctypes.get_errno() == 2)
"'
	assert_status 0
	assert_out "jobs other 
QSIZE:NOTIFY:0     SIGNO:0     NOTIFY_PID:0     
jobs
-1 True"
}

# What the user lent read-only stays so: no remount makes it writable,
# neither where it was put nor through a bind of it.
test_mount_locked_readonly() {
	# tags: asan
	mkdir -p "$T/ro"
	echo orig >"$T/ro/f"
	run_umbra run -0 -b "$T/ro:/ro:ro" --tmpfs /m -- /bin/sh -c '
		mkdir /m/r
		mount -o remount,rw,bind /ro 2>/dev/null; echo "remount=$?"
		mount --bind /ro /m/r && echo bound
		mount -o remount,rw,bind /m/r 2>/dev/null; echo "bind_remount=$?"
		echo bad 2>/dev/null >/ro/f; echo bad 2>/dev/null >/m/r/f
		cat /m/r/f'
	assert_status 0
	assert_out "remount=32
bound
bind_remount=32
orig"
	assert_eq "$(cat "$T/ro/f")" orig "the host file lent read-only"
}

# noexec is kept; nosuid and nodev are shown.
test_mount_noexec() {
	run_umbra run -0 --tmpfs /m -- /bin/sh -c '
		mkdir /m/x && mount -t tmpfs -o noexec,nosuid,nodev x /m/x &&
		cp /bin/true /m/x/t && /m/x/t; echo "exec=$?"
		grep " /m/x " /proc/mounts | cut -d" " -f4'
	assert_status 0
	assert_out "exec=126
rw,nosuid,nodev,noexec,relatime"
}

# A guest tmpfs is a directory under TMPDIR while the guest runs, and goes
# with the monitor even when the monitor is killed.
test_mount_tmpfs_after_sigkill() {
	mkdir "$T/tmp" "$T/x"
	TMPDIR=$T/tmp start_umbra run -0 --tmpfs /m -b "$T/x:/x" -- /bin/sh -c "
		mkdir /m/t && mount -t tmpfs x /m/t && echo data >/m/t/f-$MARK &&
		mkdir -p /m/t/a/b && chmod 0 /m/t/a && echo ready
		i=0; while [ \$i -lt 400 ]; do sleep 0.05; i=\$((i+1)); done"
	wait_for "ls -d '$T'/tmp/umbra-tmpfs-*/umbra-tmpfs-*/f-$MARK >/dev/null 2>&1" 10 ||
		{ kill -KILL "$UPID"; finish_umbra; show "$T/err"
		  fail "no f-$MARK in a tmpfs directory under TMPDIR=$T/tmp"; }
	kill -KILL "$UPID"
	finish_umbra
	wait_for "[ -z \"\$(ls -A '$T/tmp')\" ]" 10 ||
		fail "left in TMPDIR after SIGKILL: $(ls -A "$T/tmp" | tr '\n' ' ')"
}

# Nor when it is killed while it sets up the guest's mounts: the guard
# that removes them is there before the first one is made.
test_mount_tmpfs_killed_in_setup() {
	local d shm_before shm_after
	mkdir "$T/tmp"
	shm_before=$(ls -d /dev/shm/umbra-tmpfs-* 2>/dev/null)
	for d in 0 0.002 0.005 0.01 0.015 0.02 0.03 0.04 0.06 0.08 0.1 0.15; do
		TMPDIR=$T/tmp start_umbra run --tmpfs /m -- /bin/sleep 30
		sleep "$d"
		kill -KILL "$UPID"
		finish_umbra
	done
	wait_for "[ -z \"\$(ls -A '$T/tmp')\" ]" 10 ||
		fail "left in TMPDIR: $(ls -A "$T/tmp" | tr '\n' ' ')"
	shm_after=$(ls -d /dev/shm/umbra-tmpfs-* 2>/dev/null)
	[ "$shm_after" = "$shm_before" ] ||
		fail "left in /dev/shm: $(comm -13 <(echo "$shm_before") <(echo "$shm_after") | tr '\n' ' ')"
}

run_test "$@"
