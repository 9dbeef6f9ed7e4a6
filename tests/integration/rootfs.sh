#!/usr/bin/env bash
# The guest's filesystem view from the command line: -r ROOT, -b binds
# (directories, single files, read-only), --tmpfs, -w and the default
# working directory, set-up errors, and exec in guest terms ("#!" scripts,
# PT_INTERP found in the guest root, /proc/self/exe).
#
# The cached root filesystems are read-only for an unprivileged user: the
# guest writes only to binds of $T and to tmpfs mounts.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

# need_rootfs NAME: its path in $ROOT, or skip.
need_rootfs() {
	ROOT=$(umbra_rootfs "$1") ||
		skip "no $1 rootfs (build it with scripts/mkrootfs-$1.sh)"
}

# run_in ARG...: umbra run -r $ROOT ARG... (ARG holds the options, --, the
# program and its arguments).
run_in() {
	run_umbra run -r "$ROOT" "$@"
}

test_pid1() {
	# tags: asan
	need_rootfs busybox
	run_in -- /bin/sh -c 'echo $$ $PPID'
	assert_status 0
	assert_out "1 0"
}

# ls / lists the rootfs's entries, and none of the host's own.
test_root_listing() {
	# tags: asan
	need_rootfs busybox
	run_in -- /bin/ls -1 /
	assert_status 0
	local want got
	want=$(ls -1 "$ROOT" | LC_ALL=C sort)
	got=$(LC_ALL=C sort "$T/out")
	assert_eq "$got" "$want" "ls / in the guest (against ls $ROOT)"

	# Top-level names the host has and the rootfs has not (/work, /opt,
	# /lib64 ...): the guest sees none of them.
	local only name script=
	only=$(comm -23 <(ls -1 / | LC_ALL=C sort) <(ls -1A "$ROOT" | LC_ALL=C sort))
	[ -n "$only" ] || skip "the host has no top-level name the rootfs lacks"
	for name in $only; do
		script="$script [ -e '/$name' ] || [ -L '/$name' ] && echo 'visible: /$name';"
	done
	run_in -- /bin/sh -c "$script true"
	assert_status 0
	assert_out ""
}

# Set-up errors: 125, exactly one line on stderr, nothing run, nothing
# left behind (the private directories of tmpfs mounts made before the
# error included).
test_setup_errors() {
	# tags: asan
	need_rootfs busybox
	mkdir "$T/x" "$T/tmp"
	echo data >"$T/file"
	local args what
	while IFS= read -r args; do
		what="umbra run ${args//$T/\$T}"
		what=${what//$ROOT/ROOT}
		eval "TMPDIR=\$T/tmp run_umbra run $args -- /bin/touch /x/ran"
		assert_status 125 "$what"
		assert_one_line_error
		assert_out ""
		[ ! -e "$T/x/ran" ] || fail "$what ran the program"
		[ -z "$(ls -A "$T/tmp")" ] ||
			fail "$what left $(ls -A "$T/tmp" | tr '\n' ' ')in TMPDIR"
	done <<EOF
-r "$T/no-such-root" -b "$T/x:/x"
-r "$T/file" -b "$T/x:/x"
-r "$ROOT" -b "$T/x:/x" -b "$T/no-such-source:/y"
-r "$ROOT" -b "$T/x:/x" -b "$T/no-such-source"
-r "$ROOT" -b "$T/x:/x" -w /no/such/dir
-r "$ROOT" -b "$T/x:/x" -w /etc/passwd
-r "$ROOT" --tmpfs /scratch -b "$T/x:/x" -w /no/such/dir
EOF
	# A root the user cannot read (root reads everything: not as root).
	if [ "$(id -u)" != 0 ]; then
		mkdir "$T/closed"
		cp -a "$ROOT/." "$T/closed/" 2>/dev/null
		chmod 000 "$T/closed"
		run_umbra run -r "$T/closed" -b "$T/x:/x" -- /bin/touch /x/ran
		chmod 755 "$T/closed"
		assert_status 125 "an unreadable root"
		assert_one_line_error
		[ ! -e "$T/x/ran" ] || fail "umbra ran the program in an unreadable root"
	else
		note "as root every directory is readable: the unreadable root is checked in the [nobody] pass"
	fi
}

test_cwd_option() {
	# tags: asan
	need_rootfs busybox
	run_in -w /etc -- /bin/sh -c 'pwd; cat passwd >/dev/null && echo relative-ok'
	assert_status 0
	assert_out "/etc
relative-ok"
	run_in -w /usr/bin -- /bin/pwd
	assert_status 0
	assert_out /usr/bin
	# in a bind
	mkdir "$T/d"
	run_in -b "$T/d:/home/d" -w /home/d -- /bin/sh -c 'pwd; echo x >here'
	assert_status 0
	assert_out /home/d
	[ -f "$T/d/here" ] || fail "a relative write in -w /home/d did not land in the bound $T/d"
}

# Without -w: the host's cwd when the guest sees it (under the root or a
# bind), else /.
test_cwd_default() {
	# tags: asan
	need_rootfs busybox
	run_in -- /bin/pwd	# from the repository, which the guest cannot see
	assert_status 0
	assert_out /

	cd "$ROOT/usr/bin" || fail "cd $ROOT/usr/bin"
	run_in -- /bin/pwd
	cd "$TOP" || exit 1
	assert_status 0
	assert_out /usr/bin

	mkdir -p "$T/d/sub"
	cd "$T/d/sub" || fail "cd $T/d/sub"
	run_in -b "$T/d:/home/d" -- /bin/pwd
	cd "$TOP" || exit 1
	assert_status 0
	assert_out /home/d/sub
}

# --tmpfs: an empty writable directory, a private host directory under
# $TMPDIR while the guest runs, gone after it, however the guest left it.
test_tmpfs() {
	# tags: asan
	need_rootfs busybox
	mkdir "$T/tmp" "$T/x"
	local host
	TMPDIR=$T/tmp start_umbra run -r "$ROOT" --tmpfs /scratch -b "$T/x:/x" -- /bin/sh -c "
		echo entries=\$(ls -A /scratch | wc -l)
		echo data >/scratch/f-$MARK && cat /scratch/f-$MARK
		mkdir -p /scratch/a/b/c && echo deep >/scratch/a/b/c/file
		ln -s /etc/passwd /scratch/link
		chmod 000 /scratch/a/b; chmod 0 /scratch/a
		echo ready
		i=0; while [ ! -e /x/go ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i+1)); done"
	# the run's directory, and in it the mount's
	wait_for "ls -d '$T'/tmp/umbra-tmpfs-*/umbra-tmpfs-*/f-$MARK >/dev/null 2>&1" 10 ||
		{ touch "$T/x/go"; finish_umbra; show "$T/out"; show "$T/err"
		  fail "no f-$MARK in a tmpfs directory under TMPDIR=$T/tmp: $(ls -A "$T/tmp" | head -n 3)"; }
	host=$(dirname "$(ls -d "$T"/tmp/umbra-tmpfs-*/umbra-tmpfs-*/f-$MARK)")
	[ "$(cat "$host/f-$MARK")" = data ] || fail "the host copy of /scratch/f-$MARK holds '$(cat "$host/f-$MARK")'"
	touch "$T/x/go"
	finish_umbra
	assert_status 0
	assert_out "entries=0
data
ready"
	[ -z "$(ls -A "$T/tmp")" ] || fail "left in TMPDIR after exit: $(ls -A "$T/tmp" | tr '\n' ' ')"

	# Two tmpfs mounts are two different directories.
	TMPDIR=$T/tmp run_in --tmpfs /s1 --tmpfs /s2 -- /bin/sh -c 'echo 1 >/s1/f; ls /s2; cat /s1/f'
	assert_status 0
	assert_out 1
	[ -z "$(ls -A "$T/tmp")" ] || fail "left in TMPDIR after the second run: $(ls -A "$T/tmp" | tr '\n' ' ')"
}

# -b HOST:GUEST of a directory and of a single file, and -b HOST alone.
test_bind() {
	# tags: asan
	need_rootfs busybox
	mkdir -p "$T/d/sub"
	echo from-host >"$T/d/sub/in"
	echo motd-line >"$T/motd"
	run_in -b "$T/d:/home/d" -b "$T/motd:/etc/motd" -- /bin/sh -c '
		cat /home/d/sub/in
		echo from-guest >/home/d/out
		mkdir /home/d/newdir && echo x >/home/d/newdir/f
		cat /etc/motd
		echo appended >>/etc/motd
		ls /home/d | tr "\n" " "; echo'
	assert_status 0
	assert_out "from-host
motd-line
newdir out sub "
	[ "$(cat "$T/d/out" 2>/dev/null)" = from-guest ] || fail "the guest's /home/d/out is not in $T/d"
	[ -f "$T/d/newdir/f" ] || fail "the guest's /home/d/newdir/f is not in $T/d"
	assert_eq "$(cat "$T/motd")" "motd-line
appended" "the host file bound at /etc/motd"

}

# -b HOST: at the same path in the guest, even where the guest root has no
# such directories (here /tmp/umbra-check.../umbra-test...): the bind is
# reachable, or umbra refuses it up front.
test_bind_same_path() {
	# tags: asan
	need_rootfs busybox
	mkdir -p "$T/d/sub"
	echo from-host >"$T/d/sub/in"
	[ -e "$ROOT$(dirname "$T")" ] && note "the rootfs has $(dirname "$T"): this proves less"
	run_in -b "$T/d" -- /bin/cat "$T/d/sub/in"
	if [ "$STATUS" = 125 ]; then
		assert_one_line_error
		note "refused up front: $(first_line "$T/err")"
		return 0
	fi
	assert_status 0 "cat of a file in -b $T/d, at its host path"
	assert_out from-host
}

# Names, modes, sizes, times and contents under $T/ro and of $T/single.
host_state() {
	stat -c '%n %F %a %s %y' "$T/ro" "$T/ro"/* "$T/single"
	cat "$T/ro/f" "$T/single"
}

# :ro refuses every write with EROFS and leaves the host files alone.
test_bind_readonly() {
	# tags: asan
	need_rootfs busybox
	mkdir "$T/ro"
	echo original >"$T/ro/f"
	echo original >"$T/single"
	local before
	before=$(host_state)
	run_in -b "$T/ro:/ro:ro" -b "$T/single:/etc/single:ro" -- /bin/sh -c '
		echo x >/ro/f; echo redirect=$?
		echo x >>/ro/f; echo append=$?
		touch /ro/f; echo touch=$?
		touch /ro/new; echo create=$?
		mkdir /ro/d; echo mkdir=$?
		rm /ro/f; echo rm=$?
		mv /ro/f /ro/g; echo mv=$?
		ln -s f /ro/l; echo symlink=$?
		chmod 777 /ro/f; echo chmod=$?
		echo x >/etc/single; echo single=$?
		cat /ro/f /etc/single'
	assert_status 0
	assert_out "redirect=1
append=1
touch=1
create=1
mkdir=1
rm=1
mv=1
symlink=1
chmod=1
single=1
original
original"
	local n
	n=$(grep -c 'Read-only file system' "$T/err")
	[ "$n" -ge 10 ] || { show "$T/err"; fail "only $n of 10 refusals say 'Read-only file system' (EROFS)"; }
	assert_eq "$(host_state)" "$before" "the read-only host files after the guest's attempts"
}

# Through an fd opened read-only on a :ro bind, no attribute changes either:
# fchmod, fchown, fsetxattr, fremovexattr, FS_IOC_SETFLAGS.
test_bind_readonly_fd_calls() {
	# tags: asan
	need_rootfs busybox
	mkdir "$T/ro"
	echo original >"$T/ro/f"
	chmod 644 "$T/ro/f"
	local before
	before=$(stat -c '%a %u %g %Y' "$T/ro/f"; lsattr "$T/ro/f" 2>/dev/null | cut -d' ' -f1;
		 getfattr -d "$T/ro/f" 2>/dev/null)
	run_in -b "$T/ro:/ro:ro" -b "$PROGS:/t:ro" -- /t/escape_misc fdattr /ro/f
	assert_status 0
	local after
	after=$(stat -c '%a %u %g %Y' "$T/ro/f"; lsattr "$T/ro/f" 2>/dev/null | cut -d' ' -f1;
		getfattr -d "$T/ro/f" 2>/dev/null)
	chmod 644 "$T/ro/f"
	assert_eq "$after" "$before" "the host file behind :ro /ro/f after calls on a read-only fd (mode uid gid mtime, flags, xattrs)"
	assert_kv fchmod EROFS fchown EROFS fsetxattr EROFS fremovexattr EROFS
	case $(kv setflags) in
	EROFS | ENOTTY | EOPNOTSUPP | ENOTSUP) ;;
	*) fail "FS_IOC_SETFLAGS on a read-only fd of a :ro bind: $(kv setflags), expected EROFS" ;;
	esac
}

# A FIFO in the guest's tree: opening one end waits for the other, in the
# guest only; the monitor goes on serving everyone else meanwhile (the
# writer's open included).
test_fifo() {
	# tags: asan
	need_rootfs busybox
	mkdir "$T/w"
	mkfifo "$T/w/host-fifo"
	run_in -b "$T/w:/w" -- /bin/sh -c '
		mkfifo /w/f && echo made
		(sleep 0.2; echo through-fifo >/w/f) &
		cat /w/f
		(echo through-host-fifo >/w/host-fifo) &
		sleep 0.2
		cat /w/host-fifo
		wait'
	assert_status 0
	assert_out "made
through-fifo
through-host-fifo"
	[ -p "$T/w/f" ] || fail "the guest's mkfifo /w/f made no FIFO on the host"
}

# "#!" scripts run in the guest with the guest's interpreter.
write_scripts() {
	mkdir -p "$T/w/dir"
	printf '#!/bin/sh -e\n[ -e /bin/busybox ] && echo inside\necho "0=$0 1=$1"\nfalse\necho not-reached\n' >"$T/w/e.sh"
	printf '#!/bin/sh\necho "interp 0=$0 1=$1 2=$2"\n' >"$T/w/interp.sh"
	printf '#!/w/interp.sh\necho never\n' >"$T/w/nested.sh"
	printf '#!/no/such/interpreter\necho never\n' >"$T/w/missing.sh"
	printf '#!/bin/sh\necho never\n' >"$T/w/noexec.sh"
	# neither "#!" nor ELF: ENOEXEC (sh then runs it as a script: not here)
	printf 'GARBAGE\001\002\003\377\376 not a program\n' >"$T/w/garbage"
	chmod 755 "$T/w/e.sh" "$T/w/interp.sh" "$T/w/nested.sh" "$T/w/missing.sh" "$T/w/garbage"
	chmod 644 "$T/w/noexec.sh"
}

test_shebang() {
	# tags: asan
	need_rootfs busybox
	write_scripts
	run_in -b "$T/w:/w" -- /w/e.sh arg
	assert_status 1 "a '#!/bin/sh -e' script whose 'false' ends it"
	assert_out "inside
0=/w/e.sh 1=arg"

	run_in -b "$T/w:/w" -- /bin/sh -c '/w/e.sh a; echo status=$?; /w/nested.sh x y'
	assert_status 0
	assert_out "inside
0=/w/e.sh 1=a
status=1
interp 0=/w/interp.sh 1=/w/nested.sh 2=x"
}

# What sh reports, and what execve itself returns (sh would run a file
# without a "#!" as a script: a static program calls execve directly).
test_exec_errors() {
	# tags: asan
	need_rootfs busybox
	write_scripts
	run_in -b "$T/w:/w" -- /bin/sh -c '
		/w/missing.sh; echo missing=$?
		/w/noexec.sh; echo noexec=$?
		/w/dir; echo dir=$?
		/w/nonexistent; echo nonexistent=$?'
	assert_status 0
	assert_out "missing=127
noexec=126
dir=126
nonexistent=127"
	local p want
	for p in missing.sh:ENOENT noexec.sh:EACCES dir:EACCES garbage:ENOEXEC nonexistent:ENOENT; do
		want=${p#*:}
		p=/w/${p%%:*}
		run_in -b "$T/w:/w" -b "$PROGS:/t:ro" -- /t/escape_misc exec "$p"
		assert_status 0 "escape_misc exec $p"
		assert_kv exec "$want"
	done
}

# PT_INTERP is looked up in the guest root: the program's interpreter
# (/lib/ld-umbra-musl.so.1) exists only there.
test_musl_guest_interp() {
	# tags: asan
	need_rootfs musl
	[ -e /lib/ld-umbra-musl.so.1 ] && note "the host has /lib/ld-umbra-musl.so.1 too: this proves less"
	run_in -- /bin/hello-musl-guestonly
	assert_status 0 "hello-musl-guestonly"
	grep -q 'hello from musl' "$T/out" || { show "$T/out"; fail "hello-musl-guestonly did not say hello"; }
	grep -q 'interp=/lib/ld-umbra-musl.so.1' "$T/out" ||
		{ show "$T/out"; fail "hello-musl-guestonly does not report its guest-only interpreter"; }
}

# /proc/self/exe names the program as the guest knows it.
test_proc_self_exe() {
	# tags: asan
	need_rootfs busybox
	run_in -- /bin/readlink /proc/self/exe
	assert_status 0
	assert_out /bin/busybox
	run_in -b "$PROGS:/t:ro" -- /bin/sh -c 'readlink /proc/$$/exe; exec /bin/readlink /proc/self/exe'
	assert_status 0
	assert_out "/bin/busybox
/bin/busybox"
}

run_test "$@"
