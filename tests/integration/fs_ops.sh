#!/usr/bin/env bash
# Making, removing and changing names and attributes in the guest's view:
# mkdir, mknod, rmdir, unlink, rename, link, symlink, chmod, chown,
# truncate, utimes, statfs, xattrs, inotify_add_watch.  Real programs of a
# busybox root (mkdir -p, mv, ln, tar, cp -a...) and tests/progs/fsops,
# which checks Linux's errno for each call one by one, run in the guest and,
# for comparison, on the host.  The busybox root is shared and read-only to
# an unprivileged user: the guest writes only into --tmpfs and binds of $T.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

ROOT=

need_root() {
	ROOT=$(umbra_rootfs busybox) || skip "no busybox rootfs (make deps)"
}

# The ok lines of the last run, at least $1 of them, and no FAIL line.
assert_checks() {
	local n
	assert_no_fail_lines
	n=$(grep -c '^ok ' "$T/out")
	[ "$n" -ge "$1" ] || { show "$T/out"; show "$T/err"; fail "only $n checks passed, expected at least $1"; }
}

# Every name under $1 with its type, mode, size, times, link and content.
tree_state() {
	(cd "$1" && find . -printf '%p %y %m %s %T@ %C@ %n %l\n' | sort &&
		find . -type f -exec cat {} +)
}

# The checks themselves hold on the host's Linux.
test_fsops_host() {
	local fsops
	fsops=$(prog fsops)
	mkdir "$T/h"
	"$fsops" basic "$T/h" >"$T/out" 2>"$T/err"
	STATUS=$?
	assert_status 0 "fsops basic on the host"
	assert_checks 300
}

test_fsops_guest_tmpfs() {
	# tags: asan
	need_root
	run_umbra run -r "$ROOT" -b "$PROGS:/progs" --tmpfs /work -w /work -- \
		/progs/fsops basic /work guest
	assert_status 0 "fsops basic in a --tmpfs"
	assert_checks 300
}

test_fsops_guest_bind() {
	need_root
	mkdir "$T/w" "$T/w/sub"
	run_umbra run -r "$ROOT" -b "$PROGS:/progs" -b "$T/w:/work" -w /work -- \
		/progs/fsops basic sub guest
	assert_status 0 "fsops basic in a --bind"
	assert_checks 300
	[ -p "$T/w/sub/fifo" ] && [ -d "$T/w/sub/d" ] ||
		fail "the guest's changes did not reach the bound host directory"
}

# A read-only bind refuses every modifying call with EROFS, in Linux's
# order with the other errors; the host directory is left as it was.
test_fsops_readonly() {
	# tags: asan
	need_root
	mkdir -p "$T/ro/d"
	echo data >"$T/ro/f"
	ln -s f "$T/ro/sl"
	local before
	before=$(tree_state "$T/ro")
	run_umbra run -r "$ROOT" -b "$PROGS:/progs" -b "$T/ro:/ro:ro" -w / -- \
		/progs/fsops ro /ro
	assert_status 0 "fsops ro"
	assert_checks 50
	assert_eq "$(tree_state "$T/ro")" "$before" \
		"the read-only directory after the guest ran"
	# and what the tools make of it
	run_umbra run -r "$ROOT" -b "$T/ro:/ro:ro" -w / -- sh -c '
		for c in "mkdir /ro/x" "rm /ro/f" "rmdir /ro/d" "mv /ro/f /ro/g" \
		    "ln /ro/f /ro/h" "ln -s f /ro/s" "chmod 600 /ro/f" \
		    "touch /ro/f" "truncate -s 0 /ro/f" "mkfifo /ro/p"; do
			$c 2>/dev/null && echo "$c: allowed"
		done; echo done'
	assert_status 0
	assert_out "done"
}

# rename and link across mounts fail with EXDEV; a mount point cannot be
# removed or renamed.  The second mount point is inside the first, so that
# nothing is ever made in the shared root.
test_fsops_mounts() {
	need_root
	mkdir "$T/o"
	run_umbra run -r "$ROOT" -b "$PROGS:/progs" --tmpfs /work -w /work \
		--tmpfs /work/mnt -b "$T/o:/other" -- sh -c '
		/progs/fsops xdev /work /other && /progs/fsops mount /work/mnt &&
		/progs/fsops xdev /work/mnt /work'
	assert_status 0 "fsops xdev, mount"
	assert_checks 20
}

# Real programs: the output is what they print on Linux.
test_busybox_tools() {
	# tags: asan
	need_root
	mkdir "$T/o"
	run_umbra run -r "$ROOT" --tmpfs /work -b "$T/o:/other" -w /work \
		-e TZ=UTC0 -- sh -c '
		set -e
		umask 022
		mkdir -p a/b/c
		rmdir a/b/c
		[ -d a/b ] && [ ! -e a/b/c ] && echo mkdir-rmdir
		echo hello >a/f
		mv a/f a/g
		[ ! -e a/f ] && cat a/g
		mv a/g /other/g
		[ ! -e a/g ] && cat /other/g
		mkdir a/dir; echo in >a/dir/x
		mv a/dir /other/
		[ ! -e a/dir ] && cat /other/dir/x
		mv /other/g a/h
		ln a/h a/hl
		stat -c "links %h" a/h
		ln -s h a/sl
		readlink a/sl
		cat a/sl
		chmod 751 a/h
		stat -c "mode %a" a/h
		truncate -s 3 a/h
		cat a/h; echo
		touch -d "2001-02-03 04:05:06" a/h
		stat -c "mtime %Y" a/h
		mkfifo a/p
		stat -c "%F" a/p
		find a | sort
		tar cf t.tar a
		mkdir x
		tar xf t.tar -C x
		stat -c "tar %a %Y" x/a/h
		[ -p x/a/p ] && readlink x/a/sl
		cp -a a y
		stat -c "cp %a %Y %h" y/h
		[ -p y/p ] && readlink y/sl
		rm -r a x y t.tar
		ls -A
		echo end'
	assert_status 0 "busybox tools"
	assert_out "mkdir-rmdir
hello
hello
in
links 2
h
hello
mode 751
hel
mtime 981173106
fifo
a
a/b
a/h
a/hl
a/p
a/sl
tar 751 981173106
h
cp 751 981173106 2
h
end"
	[ -f "$T/o/dir/x" ] && [ ! -e "$T/o/g" ] ||
		fail "mv across the bind left the host side wrong"
}

# A symlink planted in the guest to an absolute path resolves in the
# guest's view for every call, never on the host.  The guest runs on the
# host's own root, except that it sees its own directory at the very host
# path $T/host names: a call that resolved the link on the host would
# change the host's $T/host.  (The scratch mount has a name no host has,
# which shadows nothing the guest needs.)
test_symlink_stays_in_guest() {
	# tags: asan
	need_umbra
	local side fsops
	fsops=$(prog fsops)
	for side in host guest/host; do
		mkdir -p "$T/$side/dir" "$T/$side/empty"
		echo "data of $side" >"$T/$side/probe"
		echo victim >"$T/$side/victim"
		chmod 644 "$T/$side/probe"
		touch -d "2010-01-01 00:00:00" "$T/$side/probe"
	done
	local before
	before=$(tree_state "$T/host")
	run_umbra run -b "$T/guest/host:$T/host" --tmpfs /umbra-scratch -e TZ=UTC0 -- sh -c '
		set -e
		ln -s "$0/host/probe" /umbra-scratch/x
		ln -s "$0/host" /umbra-scratch/hd
		chmod 640 /umbra-scratch/x
		chown "$(id -u):$(id -g)" /umbra-scratch/x
		touch -d "2002-01-01 00:00:00" /umbra-scratch/x
		truncate -s 5 /umbra-scratch/x
		"$1" via /umbra-scratch/x
		rm /umbra-scratch/hd/victim
		rmdir /umbra-scratch/hd/empty
		mkdir /umbra-scratch/hd/newdir
		mkfifo /umbra-scratch/hd/fifo
		ln /umbra-scratch/hd/probe /umbra-scratch/hd/hardlink
		ln -s target /umbra-scratch/hd/newlink
		mv /umbra-scratch/hd/dir /umbra-scratch/hd/dir2
		touch -d "2003-01-01 00:00:00" /umbra-scratch/hd/dir2
		stat -c "%a %s %Y %h" "$0/host/probe"
		ls "$0/host"' "$T" "$fsops"
	assert_status 0 "calls through symlinks"
	assert_no_fail_lines
	assert_eq "$(tree_state "$T/host")" "$before" \
		"the host's $T/host after the guest ran"
	assert_eq "$(tail -n 7 "$T/out" | tr '\n' ' ')" \
		"600 3 1000000 2 dir2 fifo hardlink newdir newlink probe " \
		"the guest's view"
	assert_eq "$(stat -c '%a %s %Y' "$T/guest/host/probe")" "600 3 1000000" \
		"the guest's probe, from the host"
	"$fsops" getx "$T/host/probe" user.via >"$T/host.x"
	assert_eq "$(cat "$T/host.x")" "xattr=ENODATA" "xattr of the host's file"
	if grep -q '^xattr=yes' "$T/out"; then
		"$fsops" getx "$T/guest/host/probe" user.via >"$T/guest.x"
		assert_eq "$(cat "$T/guest.x")" "xattr=yes" "xattr of the guest's file"
	fi
}

# The same in the busybox root with the guest's /etc (a bind of a copy in
# $T): links to /etc/passwd and to a file only the guest's /etc has reach
# the guest's files.  Resolved on the host, they would fail or touch the
# host's /etc/passwd, whose mode and times are checked.
test_symlink_to_etc() {
	need_root
	local host_before
	cp -a "$ROOT/etc" "$T/etc"
	chmod 600 "$T/etc/passwd"
	echo probe >"$T/etc/umbra-probe"
	host_before=$(stat -c '%a %Y %Z %s' /etc/passwd)
	run_umbra run -r "$ROOT" -b "$PROGS:/progs" -b "$T/etc:/etc" \
		--tmpfs /work -w /work -- sh -c '
		ln -s /etc/passwd /work/pw
		ln -s /etc/umbra-probe /work/pr
		ln -s /etc /work/e
		chmod 644 /work/pw && stat -c %a /etc/passwd
		/progs/fsops via /work/pr
		mv /work/e/umbra-probe /work/e/umbra-probe2
		stat -c "%a %s %Y" /etc/umbra-probe2'
	assert_status 0
	assert_no_fail_lines
	assert_eq "$(head -n 1 "$T/out")" 644 "the guest's view of /etc/passwd"
	assert_eq "$(tail -n 1 "$T/out")" "600 3 1000000" "the guest's probe"
	assert_eq "$(stat -c %a "$T/etc/passwd")" 644 "the guest's /etc/passwd"
	assert_eq "$(stat -c '%a %s %Y' "$T/etc/umbra-probe2")" "600 3 1000000" \
		"the guest's probe, from the host"
	assert_eq "$(stat -c '%a %Y %Z %s' /etc/passwd)" "$host_before" \
		"the host's /etc/passwd"
}

# --trace decodes the new calls' arguments.
test_trace_decoding() {
	need_root
	run_umbra run -r "$ROOT" --trace "$T/trace" --tmpfs /work -w /work -- sh -c '
		umask 022; mkdir -m 750 /work/d && mv /work/d /work/e &&
		ln -s e /work/l && chmod 700 /work/l && rmdir /work/e'
	assert_status 0
	local want
	for want in 'mkdir("/work/d", 0777) = 0' 'chmod("/work/d", 0750) = 0' \
	    'rename("/work/d", "/work/e") = 0' \
	    'symlink("e", "/work/l") = 0' 'chmod("/work/l", 0700) = 0' \
	    'rmdir("/work/e") = 0'; do
		grep -qF "$want" "$T/trace" || { show "$T/trace"; fail "no '$want' in the trace"; }
	done
}

# openat2 checks struct open_how as Linux does (size, a non-zero tail,
# unknown flags and resolve bits, mode without O_CREAT, O_PATH and
# O_TMPFILE combinations): the same answers inside as on the host.
test_openat2_checks() {
	# tags: asan
	mkdir "$T/h" "$T/g"
	(cd "$T/h" && "$(prog openat2)") >"$T/host" || fail "openat2 on the host"
	run_umbra run -b "$T/g:/w" -w /w -- "$(prog openat2)"
	assert_status 0
	diff "$T/host" "$T/out" >&2 || fail "openat2 answers differ from the host's"
	assert_kv big_tail E2BIG huge E2BIG unknown_flag_low EINVAL
}

# An fd named through /dev/fd/N, /dev/stdin or /proc/self/fd/N can be
# stat'ed (bash's process substitution: `diff <(a) <(b)` stats its
# arguments): the object, or the magic link itself without following;
# a closed fd is ENOENT.
test_stat_fd_paths() {
	# tags: asan
	need_root
	run_umbra run -r "$ROOT" -- sh -c 'stat -L -c %F /dev/fd/0; \
		stat -c %F /proc/self/fd/0; stat -L -c %F /dev/stdin; \
		stat -L /dev/fd/9 2>/dev/null || echo closed' </dev/null
	assert_status 0
	assert_out "character special file
symbolic link
character special file
closed"
}

run_test "$@"
