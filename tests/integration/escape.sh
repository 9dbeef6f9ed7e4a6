#!/usr/bin/env bash
# The guest never reaches a host object outside its view.
#
# Layout on the host, in $E:
#   root/        the guest's root: a writable copy of the busybox rootfs
#   secret       a file with a random token; secretlink, a symlink whose
#                body holds the token; secret.sh, a script printing it
#   bind/        an empty directory, bound at /b: bind/../secret is secret
#   tmp/         TMPDIR of umbra: the host directory of the tmpfs mount
#                /scratch is tmp/umbra-tmpfs-*, whose ../.. is $E
# The guest runs in /work (root/work, whose ../.. is $E too), with the test
# programs at /t.  Whatever the guest tries, the token never shows in its
# output and the host files outside root/ never change.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

E=
TOKEN=
SECRET_INO=
HOST_BEFORE=

host_state() {
	(cd "$E" && stat -c '%n %F %a %s %Y %i' . secret secretlink secret.sh bind &&
		cat secret secret.sh && readlink secretlink && ls -A bind)
}

setup_escape() {
	local busybox
	busybox=$(umbra_rootfs busybox) ||
		skip "no busybox rootfs (build it with scripts/mkrootfs-busybox.sh)"
	E=$T/e
	mkdir -p "$E/bind" "$E/tmp" "$T/x" || fail "mkdir in $T"
	TOKEN=UMBRA-SECRET-$MARK-$RANDOM$RANDOM
	echo "$TOKEN" >"$E/secret"
	ln -s "$TOKEN-in-a-symlink" "$E/secretlink"
	printf '#!/bin/sh\necho %s\n' "$TOKEN" >"$E/secret.sh"
	chmod 755 "$E/secret.sh"
	cp -a "$busybox" "$E/root" || fail "cp -a $busybox $E/root"
	chmod u+w "$E/root"
	# harmless look-alikes inside the guest
	mkdir -p "$E/root/work/h"
	echo harmless >"$E/root/work/h/secret"
	ln -s harmless-target "$E/root/work/h/secretlink"
	printf '#!/bin/sh\necho harmless\n' >"$E/root/work/h/secret.sh"
	chmod 755 "$E/root/work/h/secret.sh"
	SECRET_INO=$(stat -c %i "$E/secret")
	HOST_BEFORE=$(host_state)
}

# The token in no output, the host files as they were.
assert_no_leak() {
	if grep -qF "$TOKEN" "$T/out" "$T/err" 2>/dev/null; then
		show "$T/out"
		show "$T/err"
		fail "the secret reached the guest: $(grep -hF "$TOKEN" "$T/out" "$T/err" | head -n 1 | cut -c1-100)"
	fi
	local now
	now=$(host_state)
	[ "$now" = "$HOST_BEFORE" ] ||
		fail "host files outside the guest's root changed: $(diff <(echo "$HOST_BEFORE") <(echo "$now") | grep '^[<>]' | head -n 2 | tr '\n' ' ')"
}

# run_guest ARG...: umbra run in the layout above, then assert_no_leak.
run_guest() {
	TMPDIR=$E/tmp run_umbra run -r "$E/root" -b "$E/bind:/b" -b "$PROGS:/t:ro" \
		-b "$T/x:/x" --tmpfs /scratch -w /work "$@"
	assert_no_leak
}

# Spellings of $E (the secret's directory) a careless monitor would let
# through, from the guest's /work.
evil_dirs() {
	local deep=../../../../../../../../../../../../../../../..
	printf '%s\n' "$E" /.. /../.. ../.. "/$deep$E" "$deep$E" "/proc/self/root$E" \
		/b/.. /scratch/../.. "/./.././../$E" "//..//..$E"
}

test_dotdot() {
	# tags: asan
	setup_escape
	run_guest -- /bin/sh -c '
		for d in / /bin /usr/bin /work /work/h /b /scratch /t /dev; do
			cd "$d" || { echo "no cd $d"; continue; }
			for p in ../secret ../../secret ../../../secret ../../../../secret \
				 ../../../../../../../../../../../../../../secret; do
				cat "$p" 2>/dev/null && echo "READ $d $p"
			done
		done
		for p in /../secret /../../secret /./../secret //../secret /b/../secret \
			 /b/../../secret /scratch/../secret /scratch/../../secret \
			 /t/../secret /t/../../secret '"$E"'/secret; do
			cat "$p" 2>/dev/null && echo "READ $p"
		done
		cd /; cd ..; cd ..; pwd
		cd /b; cd ..; pwd
		cd /scratch/../..; pwd
		cd /t/../../..; pwd
		[ "$(ls -a /..)" = "$(ls -a /)" ] && echo "/.. is /"
		[ "$(ls -a /b/..)" = "$(ls -a /)" ] && echo "/b/.. is /"'
	assert_status 0
	assert_out "/
/
/
/
/.. is /
/b/.. is /"
}

# Symlinks planted in the guest's tree (by the host and by the guest)
# pointing out of it: resolved in the guest's view, never the host's.
test_symlinks() {
	# tags: asan
	setup_escape
	local w=$E/root/work deep=../../../../../../../../../../../../../..
	ln -s /../../secret "$w/l1"
	ln -s ../../secret "$w/l2"
	ln -s "$deep$E/secret" "$w/l3"
	ln -s "$E/secret" "$w/l4"
	ln -s /etc/passwd "$w/l5"		# the guest's, not the host's
	ln -s /etc/shadow "$w/l6"		# the host has one, the rootfs not
	ln -s /.. "$w/d1"
	ln -s ../.. "$w/d2"
	ln -s "$E" "$w/d3"
	ln -s c2 "$w/c1"			# a chain ending in d2/secret
	ln -s /work/c3 "$w/c2"
	ln -s ../work/c4 "$w/c3"
	ln -s d2/secret "$w/c4"
	ln -s ../secret "$E/bind/b1"		# inside a bind: bind/../secret
	HOST_BEFORE=$(host_state)
	run_guest -- /bin/sh -c '
		ln -s /../../secret /work/g1
		ln -s ../../../secret /work/g2
		ln -s ../../secret /scratch/s1
		for p in l1 l2 l3 l4 l6 d1/secret d2/secret d3/secret c1 g1 g2 \
			 /b/b1 /scratch/s1 d2/../secret d1/../../secret; do
			cat "$p" 2>/dev/null && echo "READ $p"
		done
		cat l5
		cd -P d2 && pwd -P && cat secret 2>/dev/null && echo "READ secret in d2"
		cd -P /work/d1/.. && pwd -P
		[ "$(ls -a /work/d1/)" = "$(ls -a /)" ] && echo "d1 is /"
		ls /work/d3/ 2>/dev/null && echo "LISTED d3"
		readlink /work/l4'
	rm -f "$E/bind/b1"
	assert_status 0
	local passwd
	passwd=$(cat "$E/root/etc/passwd")
	assert_out "$passwd
/
/
d1 is /
$E/secret"
}

# openat() on a directory fd with "..": the dirfd is no way out.
dirfd_script() {
	local p=$1
	echo "
		/t/escape_misc openat $p / ../secret ../../secret ../../../../../../../../../../secret
		/t/escape_misc openat $p /b ../secret ../../secret
		/t/escape_misc openat $p /scratch ../../secret ../../../secret
		/t/escape_misc openat $p /work ../../secret up/secret ../h/../../secret
		/t/escape_misc openat $p /bin ../../secret"
}

assert_all_enoent() {	# N
	local n
	n=$(grep -cvx 'open=ENOENT' "$T/out")
	[ "$n" = 0 ] || { show "$T/out"; fail "$n openat results other than ENOENT: $(grep -vx 'open=ENOENT' "$T/out" | head -n 2 | tr '\n' ' ')"; }
	assert_eq "$(wc -l <"$T/out")" "$1" "openat results"
}

test_dirfd() {
	# tags: asan
	setup_escape
	ln -s ../.. "$E/root/work/up"
	HOST_BEFORE=$(host_state)
	run_guest -- /bin/sh -c "$(dirfd_script "")"
	assert_status 0
	assert_all_enoent 11
}

# The same from O_PATH directory fds.
test_dirfd_opath() {
	# tags: asan
	setup_escape
	ln -s ../.. "$E/root/work/up"
	HOST_BEFORE=$(host_state)
	run_guest -- /bin/sh -c "$(dirfd_script -p)"
	assert_status 0
	if grep -q '^dirfd=' "$T/out"; then
		show "$T/out"
		fail "open(DIR, O_PATH | O_DIRECTORY) in the guest: $(grep -m1 '^dirfd=' "$T/out")"
	fi
	assert_all_enoent 11
}

# chroot inside the guest, then "..", and the classic way out of a chroot:
# at most back to the guest's own "/".
test_chroot() {
	# tags: asan
	setup_escape
	# chroot needs CAP_SYS_CHROOT: a guest root (also under nobody)
	run_guest -0 -- /t/escape_misc chroot /work ../secret ../../secret /../../secret "$E/secret" h/secret
	assert_status 0
	assert_out "open=ENOENT
open=ENOENT
open=ENOENT
open=ENOENT
open=0
data=harmless
cwd=/"
	run_guest -0 -- /t/escape_misc chroot_escape /work/h ../secret /../secret "$E/secret" /etc/passwd
	assert_status 0
	assert_out "cwd=/
busybox=0
open=ENOENT
open=ENOENT
open=ENOENT
open=0
data=$(head -n 1 "$E/root/etc/passwd")"
}

# AF_UNIX sockets bound on the host outside the view: connect, sendto,
# sendmsg and sendmmsg with their path never reach them.
test_unix_socket_path() {
	# tags: asan
	setup_escape
	local srv
	"$(prog escape_misc)" serve "$E/sock" "$T/received" 30 >"$T/serve.out" 2>&1 &
	srv=$!
	wait_for "grep -q ready '$T/serve.out'" 10 || { kill $srv; fail "the host socket server did not start"; }
	HOST_BEFORE=$(host_state)
	run_guest -- /bin/sh -c "
		/t/escape_misc unix '$E/sock'
		/t/escape_misc unix /../sock
		/t/escape_misc unix ../../sock
		/t/escape_misc unix /b/../sock"
	sleep 0.3
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	assert_status 0
	local reached
	reached=$(grep '=0$' "$T/out" | sort | uniq -c | tr -s ' \n' ' ')
	if [ -s "$T/received" ] || [ -n "$reached" ]; then
		show "$T/out"
		show "$T/received"
		fail "the guest reached a host socket outside its view:$reached"
	fi
	assert_eq "$(grep -c '^[a-z_]*=E' "$T/out")" 24 "refused socket calls (6 kinds, 4 paths)"
}

# The abstract AF_UNIX namespace is the host's network namespace's: a
# guest must not reach the host's abstract sockets (X11, D-Bus, systemd).
test_unix_socket_abstract() {
	# tags: asan
	setup_escape
	local srv
	"$(prog escape_misc)" serve "$E/sock" "$T/received" 30 >"$T/serve.out" 2>&1 &
	srv=$!
	wait_for "grep -q ready '$T/serve.out'" 10 || { kill $srv; fail "the host socket server did not start"; }
	HOST_BEFORE=$(host_state)
	run_guest -- /t/escape_misc abstract "$E/sock"
	sleep 0.3
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	assert_status 0
	local reached
	reached=$(grep '=0$' "$T/out" | tr '\n' ' ')
	if [ -s "$T/received" ] || [ -n "$reached" ]; then
		show "$T/out"
		show "$T/received"
		fail "the guest reached host abstract sockets: $reached"
	fi
}

# A host program outside the view cannot be exec'd by its host path.
test_exec_host_path() {
	# tags: asan
	setup_escape
	run_guest -- /bin/sh -c "
		for p in '$(prog escape_misc)' '$E/secret.sh' /../secret.sh ../../secret.sh \
			 /b/../secret.sh /scratch/../../secret.sh; do
			/t/escape_misc exec \"\$p\" hello
		done
		'$(prog escape_misc)' hello; echo sh=\$?"
	assert_status 0
	assert_out "exec=ENOENT
exec=ENOENT
exec=ENOENT
exec=ENOENT
exec=ENOENT
exec=ENOENT
sh=127"
}

# /proc in a guest with its own root: no way to the host through
# /proc/self/root, /proc/PID/cwd, nor the monitor's /proc/PID entries.
test_proc_links() {
	# tags: asan
	setup_escape
	TMPDIR=$E/tmp start_umbra run -r "$E/root" -b "$E/bind:/b" -b "$PROGS:/t:ro" \
		-b "$T/x:/x" -w /work -- /bin/sh -c '
		i=0; while [ ! -s /x/pids ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
		read upid shell </x/pids
		for p in /proc/self/root'"$E"'/secret /proc/self/root/../secret \
			 /proc/self/cwd/../../secret /proc/1/root/../secret /proc/1/cwd/../../secret \
			 /proc/$upid/root'"$E"'/secret /proc/$upid/cwd/'"$E"'/secret \
			 /proc/$upid/mem /proc/$upid/environ /proc/$upid/cmdline \
			 /proc/$shell/environ /proc/$shell/root'"$E"'/secret; do
			cat "$p" >/dev/null 2>&1 && echo "READ $p"
		done
		n=0; while [ $n -lt 32 ]; do
			cat /proc/$upid/fd/$n/../secret /proc/$upid/fd/$n/'"$E"'/secret >/dev/null 2>&1 &&
				echo "READ through fd $n"
			ls /proc/$upid/fd/$n/ >/dev/null 2>&1 && echo "LISTED fd $n"
			n=$((n+1))
		done
		ls /proc/$upid/ >/dev/null 2>&1 && echo "LISTED /proc/$upid"
		readlink /proc/self/root; readlink /proc/self/cwd
		/t/escape_misc selfmem'
	echo "$UPID $$" >"$T/x/pids"
	finish_umbra
	assert_no_leak
	assert_status 0
	grep -q '^READ\|^LISTED' "$T/out" && { show "$T/out"; fail "$(grep -m1 '^READ\|^LISTED' "$T/out")"; }
	[ "$(sed -n 1,2p "$T/out")" = "/
/work" ] || { show "$T/out"; fail "readlink /proc/self/root and cwd: $(sed -n 1,2p "$T/out" | tr '\n' ' ')"; }
	[ "$(kv selfmem)" != other ] || fail "/proc/self/mem in the guest is another process's memory"
}

# With the host's / as the guest's root, /proc/self is still the guest
# process, never the monitor: its memory, command line and fds stay out of
# reach (the monitor opens /proc/self/... for the guest in its own name).
test_proc_self_not_monitor() {
	# tags: asan
	run_umbra run -- "$(prog escape_misc)" selfmem
	assert_status 0
	case $(kv selfmem) in
	other) fail "the guest's /proc/self/mem is the monitor's memory (selfmem_rdwr=$(kv selfmem_rdwr))" ;;
	esac
	case $(kv cmdline) in
	*umbra*) fail "the guest's /proc/self/cmdline is the monitor's: $(kv cmdline)" ;;
	esac
}

# Nor does /proc show host processes when the guest's root is the host's /.
test_proc_hides_host_pids() {
	# tags: asan
	start_umbra run -b "$T:/x" -- sh -c '
		i=0; while [ ! -s /x/upid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
		upid=$(cat /x/upid)
		for p in '"$$"' $upid; do
			[ -e /proc/$p ] && echo "host pid $p visible"
		done
		true'
	echo "$UPID" >"$T/upid.new"
	mv "$T/upid.new" "$T/upid"
	finish_umbra
	assert_status 0
	assert_out ""
}

# Host pids, the monitor's and the test shell's among them, are beyond any
# pid-taking call (signal 0 and lookups only).
test_kill_host_pids() {
	# tags: asan
	setup_escape
	local pids d
	TMPDIR=$E/tmp start_umbra run -r "$E/root" -b "$PROGS:/t:ro" -b "$T/x:/x" -- /bin/sh -c '
		i=0; while [ ! -s /x/pids ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
		/t/escape_misc pids $(cat /x/pids)'
	pids="$UPID $$ $PPID"
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" -ge 100 ] && pids="$pids ${d#/proc/}"
	done
	echo "$pids" >"$T/x/pids.new"
	mv "$T/x/pids.new" "$T/x/pids"
	finish_umbra
	assert_status 0
	assert_kv reached 0 kill_all ESRCH
}

test_refused_syscalls() {
	# tags: asan
	setup_escape
	run_guest -- /t/escape_misc refused
	assert_status 0
	# (mount and umount2 are the guest's own table now: mounts.sh)
	assert_kv io_uring_setup ENOSYS bpf EPERM open_by_handle_at EPERM \
		name_to_handle_at EOPNOTSUPP perf_event_open EPERM userfaultfd EPERM \
		unshare EPERM unshare_user EPERM setns EPERM \
		pivot_root EPERM ptrace EPERM kexec_load EPERM init_module EPERM \
		keyctl EPERM open_tree EPERM fsopen EPERM fanotify_init EPERM \
		iopl EPERM ioperm EPERM syslog EPERM
	# A seccomp listener of its own is the guest kernel's: its CONTINUE
	# goes on to umbra's handling, never to the host (guest_seccomp_listener)
	run_guest -- /t/escape_misc listener
	assert_status 0
	assert_kv listener 0
}

# The guest inherits the fds umbra was given, and none of the monitor's
# own (mount roots, the seccomp listener, sockets to the monitor).
test_no_monitor_fds() {
	# tags: asan
	setup_escape
	"$(prog escape_misc)" fds >"$T/native" </dev/null ||
		fail "escape_misc fds on the host"
	run_guest -- /t/escape_misc fds
	assert_status 0
	if ! cmp -s "$T/native" "$T/out"; then
		show "$T/native"
		show "$T/out"
		fail "fds in the guest beyond those umbra inherited: $(diff "$T/native" "$T/out" | grep '^>' | head -n 3 | tr '\n' ' ')"
	fi
}

# 100,000 open/stat/readlink/execve calls on a path another thread keeps
# rewriting between a harmless guest path and spellings of the secret.
test_race_paths() {
	# tags: timeout=120
	UMBRA_TIMEOUT=100
	setup_escape
	local evil
	mapfile -t evil < <(evil_dirs)
	run_guest -- /t/escape_race paths "$SECRET_INO" "$TOKEN" /work/h "${evil[@]}"
	assert_no_fail_lines
	assert_status 0 "escape_race paths"
	assert_kv calls 100000 leaks 0 open_leak 0 stat_leak 0 readlink_leak 0 execve_leak 0
	local k
	for k in open stat readlink execve; do
		[ "$(kv ${k}_ok)" -gt 0 ] ||
			fail "no $k call ever worked on the harmless path: the race did not run"
		[ "$(kv ${k}_err)" -gt 0 ] ||
			fail "no $k call ever failed: the rewriting thread never got in"
	done
	note "$(grep -E '_(ok|err)=|flips|killed' "$T/out" | tr '\n' ' ')"
}

# A guest symlink flipped between a harmless target and the secret, and a
# directory swapped with a symlink out (renameat2 RENAME_EXCHANGE), while
# another thread opens and stats through them.
test_race_symlink_swap() {
	# tags: timeout=120
	UMBRA_TIMEOUT=100
	setup_escape
	mkdir "$E/root/work/sw"
	local deep=../../../../../../../../../../../../../.. evil
	# relative to /work/sw
	evil=("$E" /.. /../.. ../../.. "/$deep$E" "$deep$E" "/proc/self/root$E" /b/..)
	run_guest -- /t/escape_race swap "$SECRET_INO" "$TOKEN" /work/sw "${evil[@]}"
	assert_no_fail_lines
	assert_status 0 "escape_race swap"
	assert_kv leaks 0
	local k
	for k in open_link open_dir; do
		[ "$(kv ${k}_ok)" -gt 0 ] || fail "no $k ever reached the harmless file: the race did not run"
	done
	[ "$(kv flips)" -gt 100 ] || fail "only $(kv flips) swaps during the race"
	note "$(grep -E '_(ok|err)=|flips' "$T/out" | tr '\n' ' ')"
}

# TIOCSTI pushes input into the terminal umbra runs on: the guest could
# type commands into the host shell that started it (CVE-2017-5226 for
# bubblewrap).  Run on a pseudo-terminal made by script(1).
test_no_tiocsti() {
	# tags: asan
	command -v script >/dev/null || skip "no script(1) for a pseudo-terminal"
	setup_escape
	need_umbra
	timeout -k 5 "$UMBRA_TIMEOUT" script -qec \
		"'$UMBRA' run -r '$E/root' -b '$PROGS:/t:ro' -- /t/escape_misc tiocsti" /dev/null \
		</dev/null 2>"$T/err" | tr -d '\r\000' | sed 's/^\^@//g' >"$T/out"
	assert_no_strays "after script + umbra"
	grep -q '^tiocsti_' "$T/out" || { show "$T/out"; show "$T/err"; fail "escape_misc tiocsti did not run on a terminal"; }
	local pushed
	pushed=$(grep '^tiocsti_.*=0$' "$T/out" | tr '\n' ' ')
	[ -z "$pushed" ] || fail "the guest pushed input into the host's terminal: $pushed"
}

# The host's pseudo-terminals are not the guest's: a terminal of another
# host session is neither visible nor writable in the guest's /dev/pts.
test_host_pty_invisible() {
	# tags: asan
	command -v script >/dev/null || skip "no script(1) for a pseudo-terminal"
	setup_escape
	# a host session on a terminal of its own, not the test's child
	script -qfc "tty >'$T/tty.new'; echo \$\$ >'$T/sleep.pid'; mv '$T/tty.new' '$T/tty'; exec sleep 30" \
		/dev/null </dev/null >/dev/null 2>&1 &
	local sp=$! pts
	wait_for "[ -s '$T/tty' ]" 10 || { kill $sp; fail "script(1) made no terminal"; }
	pts=$(cat "$T/tty")
	case $pts in /dev/pts/*) ;; *) kill $sp; skip "script(1) runs on $pts" ;; esac
	run_guest -- /bin/sh -c "
		[ -e '$pts' ] && echo 'visible $pts'
		echo UMBRA-WROTE-$MARK 2>/dev/null >'$pts' && echo 'wrote $pts'
		true"
	kill "$(cat "$T/sleep.pid")" $sp 2>/dev/null
	wait $sp 2>/dev/null
	assert_status 0
	assert_out ""
}

# Run by root, umbra must not hand the guest root's power over the host:
# its clock (settimeofday(NULL, NULL) changes nothing, but is refused without
# CAP_SYS_TIME) and its network traffic (a packet socket).
test_no_host_privileges() {
	# tags: asan
	setup_escape
	run_guest -- /t/escape_misc hostpriv
	assert_status 0
	assert_kv settimeofday EPERM
	case $(kv packet_socket) in
	EPERM | EACCES | EAFNOSUPPORT) ;;
	*) fail "socket(AF_PACKET, SOCK_RAW) in the guest: $(kv packet_socket)" ;;
	esac
}

# SysV IPC keys are host-global: a segment the host made is not the guest's.
test_host_sysv_ipc() {
	# tags: asan
	setup_escape
	local key
	key=$(printf '0x5eb1%04x' $((RANDOM % 65536)))
	"$(prog escape_misc)" shmhost "$key" "$TOKEN" >/dev/null || skip "cannot make a SysV segment $key on the host"
	run_guest -- /t/escape_misc shm "$key"
	"$(prog escape_misc)" shmrm "$key"
	assert_status 0
	assert_kv shmget ENOENT
}

# setpriority(PRIO_USER) and ioprio_set(IOPRIO_WHO_USER) name every process
# of a uid: the guest's reach its own tasks, not the user's host processes.
test_prio_user() {
	# tags: asan
	local sp nice io
	sleep 60 &	# not marked: a host process of the same user
	sp=$!
	run_umbra run -- "$(prog escape_misc)" prio_user
	nice=$(ps -o ni= -p "$sp" | tr -d ' ')
	io=$(ionice -p "$sp" 2>/dev/null)
	kill "$sp"
	wait "$sp" 2>/dev/null
	assert_status 0
	assert_kv prio_user 0 nice 7 prio_user_get 7 ioprio_user 0 ioprio 24576 \
		ioprio_user_get 24576
	assert_eq "$nice" 0 "nice of a host process of the same user"
	case $io in
	idle*) fail "the guest put a host process in the idle I/O class" ;;
	esac
}

# The run's SysV objects go with it, as with an IPC namespace.
test_sysv_removed_at_exit() {
	# tags: asan
	local id
	run_umbra run -- "$(prog escape_misc)" shmhost 0x5eb2 umbra
	assert_status 0
	id=$(kv shmid)
	[ -n "$id" ] || fail "no segment made"
	"$(prog escape_misc)" shmstat "$id" >"$T/host"
	case $(cat "$T/host") in
	shmstat=EINVAL | shmstat=EIDRM) ;;
	*) fail "segment $id after the run: $(cat "$T/host")" ;;
	esac
}

# POSIX message queue names are host-wide: a queue the host made is not
# the guest's to open, fill, empty or unlink, and the guest's own queues
# are not host queues of the names it gave them.
test_host_posix_mq() {
	# tags: asan
	setup_escape
	local q=/umbra-canary-$$-$MARK mine=/umbra-guest-$MARK
	"$(prog mq)" host "$q" "$TOKEN" || skip "cannot make a message queue $q on the host"
	run_guest -- sh -c "/t/mq open $q; /t/mq unlink $q; /t/mq create $q; /t/mq unlink $q; /t/mq open $q; /t/mq create $mine"
	"$(prog mq)" hostcheck "$q" >"$T/host"
	"$(prog mq)" hostgone "$mine" >"$T/mine"
	"$(prog mq)" hostrm "$q"
	assert_status 0
	assert_out "open=ENOENT
unlink=ENOENT
create=0
curmsgs=0
unlink=0
open=ENOENT
create=0
curmsgs=0"
	assert_eq "$(cat "$T/host")" "curmsgs=1
data=$TOKEN" "the host queue afterwards"
	assert_eq "$(cat "$T/mine")" "hostopen=ENOENT" "the guest's $mine on the host"
	if mountpoint -q /dev/mqueue 2>/dev/null && [ -e "/dev/mqueue${mine}" ]; then
		fail "/dev/mqueue${mine} exists on the host"
	fi
}

# A guest filter with a listener of its own answers CONTINUE: the call
# must go on to umbra's emulation, never run on the host (getppid would
# say the monitor's pid; the guest's init has parent 0).
test_guest_seccomp_listener() {
	# tags: asan
	run_umbra run -- "$(prog seclisten)"
	assert_status 0
	assert_out "listener=0
ppid=0"
}

# A host file the guest has only as an fd (its stdin here; /dev/null once
# the guest unmounted its own): a guest root used it as it was opened,
# and also changed its owner, mode, times and xattrs on the host (the
# fuzzer did so to the host's /dev/null).  Now every such route is EROFS.
test_outside_fd_attrs() {
	# tags: asan
	ROOT=$(umbra_rootfs busybox) || skip "no busybox rootfs"
	echo data >"$T/hostfile"
	chmod 644 "$T/hostfile"
	touch -d '2001-02-03 04:05:06' "$T/hostfile"
	local before
	before=$(stat -c '%u %g %a %Y' "$T/hostfile")
	run_umbra run -0 -r "$ROOT" -b "$(dirname "$(prog fdattr)"):/t:ro" -- \
		/t/fdattr <"$T/hostfile"
	assert_status 0
	assert_kv fchmod EROFS fchown EROFS futimens EROFS fchownat EROFS \
		utimensat EROFS fsetxattr EROFS
	assert_eq "$(stat -c '%u %g %a %Y' "$T/hostfile")" "$before" "the host file"
}

run_test "$@"
