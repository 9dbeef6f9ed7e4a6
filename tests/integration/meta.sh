#!/usr/bin/env bash
# Remembered ownership (kernel/fs/meta.c): owners, modes and device nodes
# that the guest sets and the host user cannot hold are kept in a store
# outside the view, seen by stat and the permission checks, and by later
# runs with the same store.  Run as root and as an unprivileged user: as
# root the host holds owners itself, and the guest must see the same.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

unprivileged() { [ "$(id -u)" != 0 ]; }

run_meta() {
	run_umbra run -0 --meta "$T/meta" -b "$T/d:/d" "$@"
}

# chown, chmod (set-id bits, a mode the host would keep its user out by),
# mknod: stat shows what the guest set, in this run and the next.
test_meta_remembered() {
	# tags: asan
	mkdir "$T/d"
	run_meta -- /bin/sh -c '
		touch /d/f /d/g; echo secret >/d/h
		chown 1001:1002 /d/f && chmod 4755 /d/f
		chmod 000 /d/h && cat /d/h
		mknod /d/c c 1 3 && mknod /d/b b 8 0
		stat -c "%n %u %g %a %F %t:%T" /d/f /d/g /d/h /d/c /d/b'
	assert_status 0
	assert_out "secret
/d/f 1001 1002 4755 regular empty file 0:0
/d/g 0 0 644 regular empty file 0:0
/d/h 0 0 0 regular file 0:0
/d/c 0 0 644 character special file 1:3
/d/b 0 0 644 block special file 8:0"
	run_meta -- /bin/sh -c '
		stat -c "%n %u %g %a %F %t:%T" /d/f /d/h /d/c
		ls -ln /d/c | cut -d" " -f1,5,6
		cat /d/c 2>/dev/null || echo "open c: ENXIO"
		setpriv --reuid 1001 --regid 1002 --clear-groups cat /d/h 2>/dev/null ||
			echo "h: denied"'
	assert_status 0
	assert_out "/d/f 1001 1002 4755 regular empty file 0:0
/d/h 0 0 0 regular file 0:0
/d/c 0 0 644 character special file 1:3
crw-r--r-- 1, 3
open c: ENXIO
h: denied"
	if unprivileged; then
		# the host's files stay the invoking user's
		[ "$(stat -c %u "$T/d/f")" = "$(id -u)" ] || fail "host owner of f: $(stat -c %u "$T/d/f")"
		[ -f "$T/d/c" ] || fail "the device record is not an empty file on the host"
	fi
}

# Renames keep a record, the last unlink forgets it (a new file of the
# same inode number must not inherit it), a hard link shares it.
test_meta_rename_link_unlink() {
	mkdir "$T/d"
	run_meta -- /bin/sh -c '
		touch /d/a && chown 7:8 /d/a && mv /d/a /d/b && ln /d/b /d/l
		stat -c "%n %u:%g" /d/b /d/l
		rm /d/b; stat -c "%n %u:%g" /d/l
		rm /d/l; for i in 1 2 3 4 5; do touch /d/n$i; done
		stat -c "%u:%g" /d/n* | sort -u'
	assert_status 0
	assert_out "/d/b 7:8
/d/l 7:8
/d/l 7:8
0:0"
}

# The id map: with -0, the invoking user's files are root's inside, and a
# guest root's new files are the invoking user's on the host.
test_meta_id_map() {
	mkdir "$T/d"
	touch "$T/d/mine"
	run_umbra run -0 -b "$T/d:/d" -- /bin/sh -c '
		stat -c "%u:%g" /d/mine; touch /d/new; stat -c "%u:%g" /d/new'
	assert_status 0
	assert_out "0:0
0:0"
	[ "$(stat -c %u "$T/d/new")" = "$(id -u)" ] || fail "host owner of new: $(stat -c %u "$T/d/new")"
}

# Without --meta or -r the store is the run's: what the guest set lasts
# until the guest ends.  A guest without CAP_MKNOD gets EPERM for a device.
test_meta_run_only_store() {
	mkdir "$T/d"
	run_umbra run --user 1000 -b "$T/d:/d" -- /bin/sh -c '
		mknod /d/c c 1 3 2>/dev/null; echo "mknod=$?"'
	assert_status 0
	assert_out "mknod=1"
	run_umbra run -0 -b "$T/d:/d" -- /bin/sh -c '
		touch /d/f && chown 5:6 /d/f && mknod /d/c c 1 3 &&
		stat -c "%u:%g %F" /d/f /d/c'
	assert_status 0
	assert_out "5:6 regular empty file
0:0 character special file"
	run_umbra run -0 -b "$T/d:/d" -- stat -c "%F" /d/c
	assert_status 0
	assert_out "regular empty file"
}

# A user's own chmod (no -0) is the host's: the mode lands on the host
# file as given, even one that keeps the owner out.
test_meta_plain_chmod() {
	mkdir "$T/d"
	touch "$T/d/k" "$T/d/z"
	run_umbra run -b "$T/d:/d" -- /bin/sh -c 'chmod 400 /d/k; chmod 000 /d/z'
	assert_status 0
	assert_eq "$(stat -c %a "$T/d/k") $(stat -c %a "$T/d/z")" "400 0" \
		"host modes after a plain chmod"
}

# With --rw -r the store is there by default, in $XDG_DATA_HOME, outside
# the view, and found again by the next run over the same root.
test_meta_default_store() {
	local src
	src=$(umbra_rootfs busybox) || skip "no busybox rootfs"
	cp -a "$src" "$T/root"
	mkdir "$T/data"
	XDG_DATA_HOME=$T/data run_umbra run --rw -0 -r "$T/root" -- /bin/sh -c '
		touch /home/x && chown 1234:5678 /home/x && stat -c "%u:%g" /home/x'
	assert_status 0
	assert_out "1234:5678"
	XDG_DATA_HOME=$T/data run_umbra run --rw -0 -r "$T/root" -- stat -c "%u:%g" /home/x
	assert_status 0
	assert_out "1234:5678"
	if unprivileged; then
		ls "$T/data/umbra/meta/"root-*.meta >/dev/null 2>&1 ||
			fail "no store under XDG_DATA_HOME: $(find "$T/data" | head -5)"
	fi
}

# tar xpf of an archive with other owners, a setuid file, a directory of
# another group and device nodes: ls -ln inside agrees with the archive,
# in this run and the next.
test_meta_tar_extract() {
	# tags: asan
	mkdir "$T/d"
	make_owners_tar "$T/a.tar"
	local list='stat -c "%A %u %g %t:%T %n" /d/x /d/x/suid /d/x/bob /d/x/null /d/x/sda'
	run_meta -b "$T/a.tar:/a.tar" -- /bin/sh -c "cd /d && tar xpf /a.tar --numeric-owner && $list"
	assert_status 0
	assert_out "drwxrwsr-x 0 50 0:0 /d/x
-rwsr-xr-x 0 0 0:0 /d/x/suid
-rw-r----- 1001 1001 0:0 /d/x/bob
crw-rw-rw- 0 0 1:3 /d/x/null
brw-rw---- 0 6 8:0 /d/x/sda"
	local first
	first=$(cat "$T/out")
	run_meta -- /bin/sh -c "$list"
	assert_status 0
	assert_out "$first"
}

# dpkg -i as a guest root, as an unprivileged user too: the package's
# files are root's inside, its setuid bit stays, and the owners its
# postinst gives are remembered; dpkg -l knows it, in this run and the next.
test_meta_dpkg() {
	local root
	root=$(umbra_rootfs debian-bookworm) || skip "no debian-bookworm rootfs"
	command -v dpkg-deb >/dev/null || skip "no dpkg-deb on the host"
	mkdir -p "$T/pkg/DEBIAN" "$T/pkg/usr/local/bin" "$T/pkg/usr/local/share/ut" \
		"$T/local" "$T/log"
	printf 'Package: umbratest\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@t>\nDescription: t\n' \
		>"$T/pkg/DEBIAN/control"
	printf '#!/bin/sh\nset -e\nchown 1234:daemon /usr/local/share/ut/data\nmkdir -p /usr/local/share/ut/log\nchown daemon:adm /usr/local/share/ut/log\n' \
		>"$T/pkg/DEBIAN/postinst"
	chmod 755 "$T/pkg/DEBIAN/postinst"
	echo data >"$T/pkg/usr/local/share/ut/data"
	printf '#!/bin/sh\n' >"$T/pkg/usr/local/bin/ut-suid"
	chmod 4755 "$T/pkg/usr/local/bin/ut-suid"
	dpkg-deb --root-owner-group -b "$T/pkg" "$T/ut.deb" >/dev/null || fail "dpkg-deb"
	cp -a "$root/var/lib/dpkg" "$T/dpkg"
	local list='stat -c "%u:%g %a %n" /usr/local/bin/ut-suid /usr/local/share/ut/data /usr/local/share/ut/log
		dpkg -l umbratest | tail -n 1 | cut -c1-13'
	run_umbra run -0 -r "$root" --meta "$T/meta" --tmpfs /tmp -b "$T/ut.deb:/ut.deb" \
		-b "$T/dpkg:/var/lib/dpkg" -b "$T/local:/usr/local" -b "$T/log:/var/log" -- \
		/bin/sh -c "dpkg -i /ut.deb >/dev/null && $list"
	assert_status 0
	assert_out "0:0 4755 /usr/local/bin/ut-suid
1234:1 644 /usr/local/share/ut/data
1:4 755 /usr/local/share/ut/log
ii  umbratest"
	local first
	first=$(cat "$T/out")
	run_umbra run -0 -r "$root" --meta "$T/meta" -b "$T/dpkg:/var/lib/dpkg" \
		-b "$T/local:/usr/local" -- /bin/sh -c "$list"
	assert_status 0
	assert_out "$first"
}

# useradd and su as a guest root (also under an unprivileged user): bob
# exists, owns his home, and cannot read what root keeps to itself.
test_meta_useradd_su() {
	local root
	root=$(umbra_rootfs debian-bookworm) || skip "no debian-bookworm rootfs"
	cp -a "$root/etc" "$T/etc"
	mkdir "$T/home"
	run_umbra run -0 -r "$root" --meta "$T/meta" -b "$T/etc:/etc" \
		-b "$T/home:/home" --tmpfs /root --tmpfs /tmp --tmpfs /var/log -- /bin/sh -c '
		echo secret >/root/secret && chmod 600 /root/secret
		useradd -m bob && stat -c "%U:%G %n" /home/bob
		su bob -c "id; cat /root/secret" 2>&1 | sed "s/.*Permission denied.*/EACCES/"
		grep -c "^bob:" /etc/passwd /etc/shadow'
	assert_status 0
	assert_out "bob:bob /home/bob
uid=1000(bob) gid=1000(bob) groups=1000(bob)
EACCES
/etc/passwd:1
/etc/shadow:1"
}

# A monitor killed while it writes the store leaves a store the next run
# reads: what was said before is there.
test_meta_killed_monitor() {
	mkdir "$T/d"
	start_umbra run -0 --meta "$T/meta" -b "$T/d:/d" -- /bin/sh -c '
		touch /d/first && chown 4:4 /d/first && touch /d/ready
		i=0; while :; do touch /d/f$i; chown $i:$i /d/f$i; i=$((i+1)); done'
	wait_for "[ -e '$T/d/ready' ]" 10 || fail "the guest did not start"
	sleep 0.5
	kill -KILL "$UPID"
	finish_umbra
	run_meta -- /bin/sh -c 'stat -c %u:%g /d/first; ls /d | wc -l >/dev/null'
	assert_status 0
	assert_out "4:4"
}

# A file made in a directory whose owner and mode only the store holds:
# the directory's remembered owner decides, for open(O_CREAT) as for
# mkdir (as an unprivileged host user, the host's owner is the user's).
test_meta_create_in_recorded_dir() {
	mkdir "$T/d" && chmod 777 "$T/d"
	run_meta -- /bin/sh -c '
		mkdir /d/p && chown 42 /d/p && chmod 700 /d/p
		setpriv --euid 42 touch /d/p/f && echo touch ok
		setpriv --euid 42 mkdir /d/p/sub && echo mkdir ok
		setpriv --euid 43 touch /d/p/g 2>/dev/null || echo other denied'
	assert_status 0
	assert_out "touch ok
mkdir ok
other denied"
}

run_test "$@"
