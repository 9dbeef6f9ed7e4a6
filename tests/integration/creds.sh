#!/usr/bin/env bash
# Guest credentials: kept by the guest kernel with Linux's rules, never
# applied to the host process; -0 and --user choose the first ones.
. "$(dirname "$0")/../lib.sh"

test_root_user_option() {
	# tags: asan
	run_umbra run -0 -- /bin/sh -c 'id -u; id -g; grep ^CapEff /proc/self/status | tr -d "\t"'
	assert_status 0
	assert_out "0
0
CapEff:$(printf %016x $(( $(grep ^CapBnd /proc/self/status | cut -f2 | sed 's/^/0x/') )))"
	run_umbra run --user 1000:100 -- /bin/sh -c 'id -u; id -g; id -G'
	assert_status 0
	assert_out "1000
100
100"
}

test_user_option_errors() {
	for bad in "" x 1:x 4294967295 1:2:3 -1; do
		run_umbra run --user "$bad" -- /bin/true
		assert_status 125 "--user '$bad'"
		assert_one_line_error
	done
}

# The rules, as the host applies them (tests/progs/creds checks them
# natively too): root dropping its uid, keepcaps, a user without caps.
test_id_rules() {
	# tags: asan
	run_umbra run -0 -- "$(prog creds)" root
	assert_status 0
	assert_kv groups 3,5 res 1,2,3 eff 0 setuid0 EPERM
	run_umbra run -0 -- "$(prog creds)" keep
	assert_status 0
	assert_kv prm 1 eff 0 bset 1
	run_umbra run --user 1000 -- "$(prog creds)" user
	assert_status 0
	assert_kv setuid0 EPERM setgroups EPERM fsuid 1000 fsuid_after 1000 \
		reuid 0 uid 1000
}

# Files against the guest's credentials: a root that became uid 4242
# cannot read root's 0600 file, remove root's file from a sticky
# directory, chmod or chown what is not its own, create where it may not
# write, or search a directory it may not; what it creates is its own (when the host lets the monitor
# say so: as root).
test_file_permissions() {
	# tags: asan
	mkdir "$T/w"
	run_umbra run -0 -b "$T/w:/w" -- "$(prog creds)" files /w
	assert_status 0
	assert_kv open EACCES access EACCES unlink EPERM chmod EPERM \
		chown EPERM mkdir EACCES search EACCES chdir EACCES \
		fchdir EACCES noatime EPERM sgid 1 efbig EFBIG sconnect EACCES \
		sbind EACCES
	if [ "$(id -u)" = 0 ]; then
		assert_kv own 4242
	fi
}

# A guest dropping to another uid leaves the host process's ids alone.
test_host_ids_unchanged() {
	local p
	start_umbra run -0 -- /bin/sh -c "'$(prog creds)' root >/dev/null; exec sleep 2.$MARK"
	wait_for "pgrep -f 'sleep 2.$MARK' >/dev/null" 10 || fail "no guest"
	p=$(pgrep -f "sleep 2.$MARK" | head -1)
	assert_eq "$(awk '/^Uid:/ {print $2, $3, $4, $5}' /proc/$p/status)" \
		"$(id -u) $(id -u) $(id -u) $(id -u)" "host ids of the guest"
	finish_umbra
	assert_status 0
}

# -0 and --user: USER, LOGNAME and HOME from the guest's /etc/passwd
# (opened inside the root: RESOLVE_IN_ROOT), -e has the last word.
test_user_env() {
	# tags: asan
	local root
	root=$(TOP=$TOP bash -c '. "$TOP/scripts/rootfs.sh"; umbra_rootfs busybox') ||
		skip "no busybox rootfs"
	run_umbra run -r "$root" -0 -- /bin/sh -c 'echo $USER $LOGNAME $HOME'
	assert_status 0
	assert_out "root root /root"
	run_umbra run -r "$root" --user 1000 -e HOME=/elsewhere -- \
		/bin/sh -c 'echo $USER $LOGNAME $HOME'
	assert_status 0
	assert_out "user user /elsewhere"
}

# utimes: the owner may set any time; others only "now", and only with
# write permission (EACCES), never an explicit time (EPERM).
test_utimes_rules() {
	# tags: asan
	mkdir "$T/d"
	run_umbra run -0 -b "$T/d:/d" -- /bin/sh -c '
		touch /d/ro /d/rw && chmod 644 /d/ro && chmod 666 /d/rw
		as() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@" 2>&1 |
			sed "s/.*Permission denied.*/EACCES/; s/.*not permitted.*/EPERM/"; }
		as touch /d/ro; as touch -d 2001-01-01 /d/rw; as touch /d/rw; echo rw-now
		touch -d 2001-01-01 /d/ro && stat -c %y /d/ro | cut -c1-10'
	assert_status 0
	assert_out "EACCES
EPERM
rw-now
2001-01-01"
}

# setuid and setgid programs raise the effective ids at exec, as Linux's:
# not on a nosuid mount, not under no_new_privs; root's capabilities come
# with euid 0.
test_setid_exec() {
	# tags: asan
	mkdir "$T/d"
	run_umbra run -0 -b "$T/d:/d" -b "$PROGS:/t:ro" -- /bin/sh -c '
		as() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
		cp /usr/bin/id /d/id && chmod 4755 /d/id
		cp /usr/bin/id /d/gid && chgrp 50 /d/gid && chmod 2755 /d/gid
		as /d/id -u; as /d/id -ru; as /d/gid -g
		cp /bin/cat /d/cat && chmod 4755 /d/cat && as /d/cat /proc/self/status | grep ^CapEff | tr -d "\t"
		as setpriv --no-new-privs /d/id -u
		grep NoNewPrivs /proc/self/status | tr -d "\t"
		setpriv --no-new-privs grep NoNewPrivs /proc/self/status | tr -d "\t"
		mkdir /d/ns && mount -t tmpfs -o nosuid x /d/ns && cp -p /d/id /d/ns/id && as /d/ns/id -u
		cp /t/creds /d/creds && chmod 4755 /d/creds
		as /d/creds thread_exec /usr/bin/id -u'
	assert_status 0
	assert_out "0
1000
50
CapEff:$(printf %016x $(( $(grep ^CapBnd /proc/self/status | cut -f2 | sed 's/^/0x/') )))
1000
NoNewPrivs:0
NoNewPrivs:1
1000
1000"
}

# chroot needs the guest's CAP_SYS_CHROOT (after the lookup: ENOENT first).
test_chroot_cap() {
	run_umbra run --user 1000 -- /bin/sh -c '
		chroot / /bin/true 2>/dev/null; echo "user=$?"
		chroot /nonexistent /bin/true 2>&1 | grep -c "No such file"'
	assert_status 0
	assert_out "user=125
1"
	run_umbra run -0 -- /bin/sh -c 'chroot / /bin/true; echo "root=$?"'
	assert_status 0
	assert_out "root=0"
}

# PWD names the guest's working directory; an inherited HOME the guest
# cannot see becomes the guest user's home from its /etc/passwd; one it
# can see (in the root or bound) stays.
test_env_pwd_home() {
	# tags: asan
	local root
	root=$(TOP=$TOP bash -c '. "$TOP/scripts/rootfs.sh"; umbra_rootfs busybox') ||
		skip "no busybox rootfs"
	mkdir "$T/h"
	HOME=$T/no-such-home PWD=/somewhere run_umbra run -r "$root" --user 1000 -w /etc -- \
		/bin/sh -c 'echo "$PWD $HOME"'
	assert_status 0
	assert_out "/etc /home/user"
	HOME=/tmp run_umbra run -r "$root" -- /bin/sh -c 'echo "$HOME"'
	assert_status 0
	assert_out "/tmp"
	HOME=$T/h run_umbra run -r "$root" -b "$T/h" -- /bin/sh -c 'echo "$HOME"'
	assert_status 0
	assert_out "$T/h"
}

run_test "$@"
