#!/usr/bin/env bash
# AF_UNIX sockets named by paths, in guest terms: bind, connect, sendto in
# the guest view, the names getsockname, getpeername, accept and recvfrom
# report, paths longer on the host than sun_path allows, and no way to a
# socket outside the view.  The program is tests/progs/unixsock.c.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

ROOT=

need_busybox() {
	ROOT=$(umbra_rootfs busybox) || skip "no busybox rootfs (make deps)"
}

# in_guest CMD...: run CMD in the busybox guest, /work a private writable
# directory and the cwd, the test programs at /progs.
in_guest() {
	run_umbra run -r "$ROOT" --tmpfs /work -b "$PROGS:/progs:ro" -w /work \
		-- "$@"
}

# The program checks itself natively first: what the guest must match.
test_unixsock_native() {
	local p m
	p=$(prog unixsock)
	mkdir -p "$T/n"
	for m in stream dgram long errors nonblock threads many backlog msg; do
		"$p" "$m" "$T/n" >"$T/out" 2>&1 || { show "$T/out"; fail "$m on the host"; }
	done
	"$p" abstract >"$T/out" 2>&1 || { show "$T/out"; fail "abstract on the host"; }
}

test_stream() {
	# tags: asan
	need_busybox
	in_guest /progs/unixsock stream /work
	assert_no_fail_lines
	assert_status 0 "unixsock stream"
	assert_kv sock_type socket sock_mode 0750 listener_name /work/srv.sock \
		client_name /work/cli.sock client_peer /work/srv.sock \
		accept_addr /work/cli.sock accepted_name /work/srv.sock \
		accepted_peer /work/cli.sock accept2_len 2 stream ok
}

test_dgram() {
	# tags: asan
	need_busybox
	in_guest /progs/unixsock dgram /work
	assert_no_fail_lines
	assert_status 0 "unixsock dgram"
	assert_kv dgram_from /work/dc.sock reply_from /work/d.sock \
		anon_from_len 0 blocking_reply ok dgram_peer /work/d.sock dgram ok
}

# The socket's directory is deeper than sun_path: relative names, as Linux.
test_long_guest_path() {
	need_busybox
	in_guest /progs/unixsock long /work
	assert_no_fail_lines
	assert_status 0 "unixsock long"
	assert_kv long_name s long_peer s long_dotdot_connect 0 \
		long_sub_connect 0 long ok
	[ "$(kv deep_len)" -gt 108 ] || fail "deep_len $(kv deep_len)"
}

# A short guest path whose host path is far longer than sun_path.
test_long_host_path() {
	# tags: asan
	need_busybox
	local d=$T/h i
	for i in 1 2 3 4; do
		d=$d/host-directory-with-a-long-name-to-pass-sun-path-$i
	done
	mkdir -p "$d"
	[ "${#d}" -gt 120 ] || fail "host path too short: ${#d}"
	run_umbra run -r "$ROOT" -b "$d:/s" -b "$PROGS:/progs:ro" -w / \
		-- /progs/unixsock stream /s
	assert_no_fail_lines
	assert_status 0 "unixsock stream in a deep host directory"
	assert_kv listener_name /s/srv.sock client_peer /s/srv.sock \
		accept_addr /s/cli.sock stream ok
	run_umbra run -r "$ROOT" -b "$d:/s" -b "$PROGS:/progs:ro" -w / \
		-- /progs/unixsock dgram /s
	assert_no_fail_lines
	assert_status 0 "unixsock dgram in a deep host directory"
	assert_kv dgram_from /s/dc.sock reply_from /s/d.sock dgram ok
}

test_errors() {
	# tags: asan
	need_busybox
	in_guest /progs/unixsock errors /work
	assert_no_fail_lines
	assert_status 0 "unixsock errors"
	assert_kv bind_file EADDRINUSE bind_ok 0 bind_again EADDRINUSE \
		bind_existing_sock EADDRINUSE bind_nodir ENOENT \
		bind_root EADDRINUSE bind_len_1 EINVAL bind_len_111 EINVAL \
		bind_len_200 EINVAL bind_efault EFAULT bind_family EINVAL \
		connect_missing ENOENT connect_file ECONNREFUSED \
		connect_dir ECONNREFUSED connect_unlistened ECONNREFUSED \
		connect_prototype EPROTOTYPE sendto_missing ENOENT \
		sendto_file ECONNREFUSED getsockname_badfd EBADF \
		getsockname_notsock ENOTSOCK getpeername_unconnected ENOTCONN \
		short_len full
}

test_readonly_dir() {
	need_busybox
	mkdir -p "$T/ro"
	run_umbra run -r "$ROOT" -b "$T/ro:/ro:ro" -b "$PROGS:/progs:ro" \
		-- /progs/unixsock bind /ro/x.sock
	assert_status 0
	assert_kv bind EROFS
	[ ! -e "$T/ro/x.sock" ] || fail "socket file created in a read-only mount"
}

test_abstract() {
	# tags: asan
	need_busybox
	in_guest /progs/unixsock abstract
	assert_no_fail_lines
	assert_status 0 "unixsock abstract"
	assert_kv abstract_name same abstract_connect 0 autobind 0 autobind_len 8 \
		abstract_full 0 abstract_full_name same abstract_full_connect 0 \
		abstract_full_peer same
}

test_nonblock() {
	need_busybox
	in_guest /progs/unixsock nonblock /work
	assert_no_fail_lines
	assert_status 0 "unixsock nonblock"
	assert_kv accept_empty EAGAIN accept4_badflags EINVAL \
		accept4_nonblock yes accept4_cloexec no listener_still_nonblock yes
}

# The same calls from a second thread: the fd table is shared.
test_threads() {
	need_busybox
	in_guest /progs/unixsock threads /work
	assert_no_fail_lines
	assert_status 0 "unixsock threads"
	assert_kv listener_name /work/srv.sock accept_addr /work/cli.sock \
		dgram_from /work/dc.sock threads ok
}

# A server learns nothing of the monitor from a guest client: connect is
# made by a helper process that holds no fd of the monitor's and is gone.
test_peer_pidfd() {
	# tags: asan
	need_busybox
	in_guest /progs/unixsock peerpidfd /work
	assert_no_fail_lines
	assert_status 0 "unixsock peerpidfd"
	assert_kv peercred_uid_is_mine yes
	case $(kv peerpidfd_taken) in
	0) ;;
	"") [ -n "$(kv peerpidfd)" ] || fail "no SO_PEERPIDFD result" ;;
	*) fail "pidfd_getfd took $(kv peerpidfd_taken) fds through SO_PEERPIDFD" ;;
	esac
}

# sendmsg and sendmmsg: the same results from the main thread (the fd
# table private: native unless an AF_UNIX datagram socket or credentials)
# and from a second thread (the table shared: the monitor sends all).
test_sendmsg() {
	# tags: asan
	need_busybox
	in_guest /progs/unixsock msg /work
	assert_no_fail_lines
	assert_status 0 "unixsock msg"
	local w
	for w in main thread; do
		assert_kv ${w}_path 0 ${w}_path_from /work/me-$w.sock \
			${w}_path_missing ENOENT ${w}_abstract 0 ${w}_sendmmsg 3 \
			${w}_sendmmsg_lens 3,3,5 ${w}_dgram_fd ok ${w}_dgram_creds ok \
			${w}_stream_fd ok ${w}_stream_creds ok ${w}_stream_name EISCONN \
			${w}_seqpacket_fd ok ${w}_seqpacket_creds ok ${w}_pair_fd ok \
			${w}_udp 0 ${w}_udp_unix_name EAFNOSUPPORT \
			${w}_err_badfd EBADF ${w}_err_notsock ENOTSOCK \
			${w}_err_name EFAULT ${w}_err_ctl EFAULT ${w}_err_passfd EBADF \
			${w}_err_iovlen EMSGSIZE ${w}_full EAGAIN ${w}_big_stream ok
	done
}

# sendmsg to a host socket's path while a thread dup2()s an AF_UNIX
# datagram socket over the fd (natively some get through), and while
# another process rewrites the msghdr's name.
test_sendmsg_race() {
	# tags: asan timeout=120
	need_busybox
	local hd=$T/umbra-host spid
	mkdir -p "$hd"
	"$(prog unixsock)" serve "$hd/sock" 60 >"$T/server" 2>&1 &
	spid=$!
	wait_for "[ -S '$hd/sock.dgram' ]" 5 || { kill "$spid"; fail "host server did not start"; }
	UMBRA_TIMEOUT=90 run_umbra run -r "$ROOT" -b "$PROGS:/progs:ro" -w / \
		-- /progs/unixsock msgrace "$hd/sock.dgram"
	sleep 0.3
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	assert_no_fail_lines
	assert_status 0 "unixsock msgrace"
	assert_kv race_fd_sent 0
	if grep -q host_dgram "$T/server"; then
		show "$T/server"
		fail "a datagram reached the host socket"
	fi
	[ "$(kv race_mem_sent)" -gt 0 ] || fail "no datagram reached the guest's peer"
}

# Names the monitor forgets (sockets closed) do not take those in use along.
test_many_names() {
	need_busybox
	in_guest /progs/unixsock many /work
	assert_no_fail_lines
	assert_status 0 "unixsock many"
	assert_kv many ok
}

# listen(fd, 0): blocking connects meet a full backlog and wait, as on
# Linux, until the server accepts 0.3 s later (before: EAGAIN after 100 ms).
test_backlog() {
	need_busybox
	in_guest /progs/unixsock backlog /work
	assert_no_fail_lines
	assert_status 0 "unixsock backlog"
	assert_kv backlog_accepted 3 backlog_connected 3
}

# Blocking TCP connects go through the monitor too (an address is copied).
test_tcp_connect() {
	need_busybox
	in_guest /progs/unixsock tcp
	assert_no_fail_lines
	assert_status 0 "unixsock tcp"
	assert_kv tcp_connect 0 tcp_threaded_connect 0
}

# A server on the host, outside the guest's root, by its host path, by
# ".." beyond the guest's root, and through symlinks the guest plants.
test_escape() {
	# tags: asan
	need_busybox
	local hd=$T/umbra-host hs spid
	mkdir -p "$hd"
	hs=$hd/sock
	"$(prog unixsock)" serve "$hs" 25 >"$T/server" 2>&1 &
	spid=$!
	wait_for "[ -S '$hs' ] && [ -S '$hs.dgram' ]" 5 || { kill "$spid"; fail "host server did not start"; }
	in_guest sh -c "
		u=/progs/unixsock
		\$u connect '$hs' | sed s/^/abs_/
		\$u send '$hs.dgram' | sed s/^/abs_/
		\$u connect ../../../../../../../../../..'$hs' | sed s/^/dotdot_/
		\$u send ../../../../../../../../../..'$hs.dgram' | sed s/^/dotdot_/
		ln -s '$hs' /work/link
		\$u connect /work/link | sed s/^/link_/
		ln -s ../../../../../../../../../..'$hs' /work/rellink
		\$u connect /work/rellink | sed s/^/rellink_/
		ln -s '$hd' /work/dirlink
		\$u connect /work/dirlink/sock | sed s/^/dirlink_/
		\$u send /work/dirlink/sock.dgram | sed s/^/dirlink_/
		\$u bind /work/dirlink/planted.sock | sed s/^/dirlink_/
		ln -s / /work/rootlink
		\$u connect /work/rootlink/../../..'$hs' | sed s/^/rootlink_/
		\$u connect /proc/self/root'$hs' | sed s/^/procroot_/
		\$u connect /proc/1/cwd/../../../..'$hs' | sed s/^/proccwd_/
	"
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	assert_status 0 "the guest's shell"
	local k v
	for k in abs_connect abs_send dotdot_connect dotdot_send link_connect \
		rellink_connect dirlink_connect dirlink_send dirlink_bind \
		rootlink_connect procroot_connect proccwd_connect; do
		v=$(kv "$k")
		case $v in
		"" | 0) show "$T/out"; fail "$k=$v: the host's socket was reached" ;;
		esac
	done
	assert_kv abs_connect ENOENT abs_send ENOENT dotdot_connect ENOENT \
		link_connect ENOENT rellink_connect ENOENT dirlink_connect ENOENT \
		dirlink_bind ENOENT
	if grep -q 'host_accepted\|host_dgram' "$T/server"; then
		show "$T/server"
		fail "the host server heard from the guest"
	fi
	[ ! -e "$hd/planted.sock" ] || fail "bind created a file in the host directory"
	[ "$(ls "$hd" | wc -l)" = 2 ] || fail "files appeared in the host directory: $(ls "$hd")"
}

# A host directory bound into the view: a host process's socket there is
# the guest's to reach, and its name shows as the guest path.
test_host_socket_in_view() {
	need_busybox
	local hd=$T/shared spid
	mkdir -p "$hd"
	"$(prog unixsock)" serve "$hd/sock" 25 >"$T/server" 2>&1 &
	spid=$!
	wait_for "[ -S '$hd/sock' ]" 5 || { kill "$spid"; fail "host server did not start"; }
	run_umbra run -r "$ROOT" -b "$hd:/shared" -b "$PROGS:/progs:ro" \
		-- sh -c '/progs/unixsock connect /shared/sock'
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	assert_status 0
	assert_kv connect 0 peer /shared/sock
}

# The monitor's sockets are its own business: bound files carry the
# guest's name only, and no temporary name is left behind.
test_no_leftovers() {
	need_busybox
	in_guest sh -c '/progs/unixsock stream /work >/dev/null &&
		/progs/unixsock dgram /work >/dev/null && ls -a /work'
	assert_status 0
	if grep -q umbra "$T/out"; then
		show "$T/out"
		fail "temporary socket names left in the directory"
	fi
}

# Real programs: python3's socket module in the Debian root.
test_python_unix_socket() {
	# tags: slow timeout=120
	local root
	root=$(umbra_rootfs debian-bookworm) || skip "no debian-bookworm rootfs"
	UMBRA_TIMEOUT=90 run_umbra run -r "$root" --tmpfs /work -w /work -- \
		python3 -c '
import os, socket, threading
path = "/work/py.sock"
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path); srv.listen(4)
def serve():
    c, a = srv.accept()
    c.sendall(c.recv(100).upper()); c.close()
t = threading.Thread(target=serve); t.start()
cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
cli.bind("/work/pycli.sock"); cli.connect(path)
cli.sendall(b"hello"); print("reply=" + cli.recv(100).decode())
print("peer=" + cli.getpeername()); print("name=" + srv.getsockname())
t.join()
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind("/work/py.dgram")
e = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); e.bind("/work/pye.dgram")
e.sendto(b"x", "/work/py.dgram"); data, frm = d.recvfrom(10)
print("from=" + frm)
'
	[ "$STATUS" = 127 ] && skip "no python3"
	assert_status 0 python3
	assert_kv reply HELLO peer /work/py.sock name /work/py.sock from /work/pye.dgram
}

# busybox nc has no -U; a netcat that has it is used if the root has one.
test_nc_unix() {
	need_busybox
	run_umbra run -r "$ROOT" -- sh -c 'nc --help 2>&1 | grep -q -- "-U"'
	[ "$STATUS" = 0 ] || skip "busybox nc without -U"
	in_guest sh -c 'nc -lU /work/nc.sock >/work/got & sleep 0.5
		echo via-nc | nc -U /work/nc.sock; sleep 0.5; cat /work/got'
	assert_status 0
	assert_out via-nc
}

# A blocking TCP connect that cannot complete, in a two-threaded process:
# the monitor waits for it on a worker, so other processes' calls go on,
# and alarm() interrupts it (before: every call stalled, 10 s, ETIMEDOUT).
test_tcp_connect_wait() {
	# tags: asan
	run_umbra run -- "$(prog tcpwait)"
	assert_no_fail_lines
	assert_status 0 "tcpwait"
	assert_kv connect EINTR
	local n
	n=$(kv stats)
	[ "${n:-0}" -ge 1000 ] || fail "stats=$n: a child's calls were held up by the connect"
}

# Blocking sendto and sendmsg to a full AF_UNIX datagram receiver wait
# until there is room, or until a signal (before: EAGAIN after 100 ms).
test_send_waits() {
	# tags: asan
	mkdir -p "$T/d"
	run_umbra run -- "$(prog sendwait)" "$T/d"
	assert_no_fail_lines
	assert_status 0 "sendwait"
	assert_kv sendto 0 sendto_alarm EINTR sendmsg 0 sendmsg_alarm EINTR
}

run_test "$@"
