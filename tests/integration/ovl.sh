#!/usr/bin/env bash
# The copy-on-write root (kernel/fs/ovl.c): -r R without --rw writes into
# a layer of its own, kept with --cow DIR, private and removed at exit
# without; the zero-setup default (no -r) is the host's / so, with the
# working directory bound read-write and a private /tmp.  The lower tree
# is never written.  Run as root and as an unprivileged user.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

unprivileged() { [ "$(id -u)" != 0 ]; }

COW_DEFAULT=1	# run_umbra: no --rw unless a test gives it

# A small lower tree: the busybox rootfs and a /data of every file type.
make_lower() {
	local bb
	bb=$(umbra_rootfs busybox) || skip "no busybox rootfs"
	cp -a "$bb" "$T/lower" || fail "copying the busybox rootfs"
	cp "$(prog ovlx)" "$T/lower/bin/ovlx" || fail "copying ovlx"
	(
		set -e
		cd "$T/lower" && mkdir -p data && cd data
		echo alpha >a && echo bee >b && : >e
		head -c 100000 /dev/urandom >big
		mkdir -p sub sub2/inner deep/x/y repl
		echo 1 >sub/f1 && echo 2 >sub/f2 && echo 3 >sub/f3 && echo 4 >sub/f4
		echo inner >sub2/inner/f && echo z >deep/x/y/z && echo r >repl/old
		echo h >h1 && ln -s a ln && ln -s sub dirlink && mkfifo p
		chmod 600 b && chmod 700 sub2 && chmod 1777 deep
	) || fail "making the lower tree"
}

# What a later listing must show of the lower tree, to prove it unchanged.
lower_listing() {
	(cd "$T/lower" && find . -printf '%p %y %m %s %l %T@\n' | sort &&
		find . -type f -exec md5sum {} + | sort)
}

# Every kind of change, on both layers (copy-up by write, append,
# truncate, chmod, chown, utimes, link; deletes; renames of files and of
# directories; a directory replaced; new entries of every type).
OPS='
	cd /data || exit 1
	echo more >>a
	echo new >b
	truncate -s 10 big
	chmod 751 sub/f1
	chown 12:34 sub/f2
	touch -d "2001-02-03 04:05:06" e
	rm sub/f3
	rm -r deep/x
	mv sub2 moved
	mv moved/inner/f moved/f
	mkdir newdir && echo n >newdir/n
	rm -r repl && mkdir repl && echo r >repl/only
	ln a a_hard
	ln h1 h3 && echo x >>h1
	ln -s a sym2 && rm ln && ln -s sub ln
	mkfifo p2
	chmod 4755 sub/f4
	rm p
'

# Names, types, modes, owners, sizes, contents, link targets, link counts.
LIST='
	cd /data || exit 1
	find . | sort | while read -r f; do
		if [ -L "$f" ]; then
			echo "$f L $(readlink "$f") $(stat -c %u:%g "$f")"
		elif [ -d "$f" ]; then
			echo "$f D $(stat -c "%a %u:%g" "$f")"
		elif [ -p "$f" ]; then
			echo "$f P $(stat -c "%a %u:%g" "$f")"
		else
			echo "$f F $(stat -c "%a %u:%g %s %h" "$f") $(md5sum <"$f" | cut -c1-12)"
		fi
	done
	stat -c "%Y %n" e
	ls -a / | tr "\n" " "; echo
	ls -a . | tr "\n" " "; echo
'

# The same script on a plain copy and on an overlay of the same tree
# leaves the same tree; the overlay's is still there in a later run over
# the same --cow, and the lower tree did not change.
test_ovl_same_as_copy() {
	# tags: asan
	make_lower
	cp -a "$T/lower" "$T/plain" || fail "copying the lower tree"
	lower_listing >"$T/before"
	run_umbra run -0 --rw -r "$T/plain" --meta "$T/plain.meta" -- /bin/sh -c "$OPS$LIST"
	assert_status 0 "the script on a plain copy"
	cp "$T/out" "$T/want"
	grep -q '^./a F' "$T/want" || fail "no listing: $(head -c 300 "$T/want")"
	run_umbra run -0 -r "$T/lower" --cow "$T/cow" -- /bin/sh -c "$OPS$LIST"
	assert_status 0 "the script on an overlay"
	if ! diff -u "$T/want" "$T/out" >"$T/diff"; then
		show "$T/diff"
		fail "the overlay differs from the plain copy"
	fi
	run_umbra run -0 -r "$T/lower" --cow "$T/cow" -- /bin/sh -c "$LIST"
	assert_status 0 "a later run"
	diff -u "$T/want" "$T/out" >"$T/diff" ||
		{ show "$T/diff"; fail "a later run with the same --cow differs"; }
	lower_listing >"$T/after"
	diff -u "$T/before" "$T/after" >"$T/diff" ||
		{ show "$T/diff"; fail "the lower tree was written"; }
	if unprivileged; then
		# the host's files of the layer are the invoking user's
		[ "$(stat -c %u "$T/cow/upper/data/sub/f2")" = "$(id -u)" ] ||
			fail "host owner of the copied-up f2"
	fi
}

# Is there a private layer with this test's /data/mark in it?
layer_marked() {
	grep -qs -- "$MARK" /dev/shm/umbra-*/data/mark "${TMPDIR:-/tmp}"/umbra-*/data/mark
}

# Without --cow the layer is private and goes at exit, also when the
# monitor is killed; a second run starts from the lower tree again.
test_ovl_private_layer() {
	make_lower
	lower_listing >"$T/before"
	run_umbra run -r "$T/lower" -- /bin/sh -c \
		'echo changed >/data/a && rm /data/b && cat /data/a && ls /data/b 2>&1'
	assert_status 1
	assert_out "changed
ls: /data/b: No such file or directory"
	run_umbra run -r "$T/lower" -- /bin/sh -c 'cat /data/a /data/b'
	assert_status 0
	assert_out "alpha
bee"
	lower_listing >"$T/after"
	diff -q "$T/before" "$T/after" >/dev/null || fail "the lower tree was written"
	# SIGKILL of the monitor: the guard removes the layer
	start_umbra run -r "$T/lower" -- /bin/sh -c 'echo '$MARK' >/data/mark; sleep 60'
	wait_for layer_marked 10 || fail "no private layer with the guest's write"
	kill -KILL "$UPID"
	wait "$UPID" 2>/dev/null
	wait_for '! layer_marked' 10 || fail "the private layer outlived the monitor"
	assert_no_strays "after SIGKILL"
}

# A guest can neither see nor set the layer's own marks, nor change the
# lower file behind an fd it was given.  Its own user.umbra.* names (an
# umbra inside marks its layer so) are kept apart: they point nowhere.
test_ovl_marks_hidden() {
	# tags: asan
	make_lower
	run_umbra run -0 -r "$T/lower" --cow "$T/cow" -- /bin/ovlx /data/a
	assert_status 0
	assert_out "set user.umbra.lower: 0
get user.umbra.lower: 0
remove user.umbra.lower: 0
list: no umbra mark
fset user.umbra.lower: 0
fchmod of the lower file: not on the lower tree
reopen: alpha
user.test: set
alpha"
	[ "$(stat -c %a "$T/lower/data/a")" = 644 ] || fail "the lower file's mode changed"
	unprivileged || [ "$(stat -c %u "$T/lower/data/a")" = 0 ] || fail "the lower file's owner changed"
}

# The zero-setup default: the host's / copy-on-write, the working
# directory bound read-write, a private /tmp.
test_ovl_zero_setup() {
	local first=nothing
	mkdir "$T/work" && cd "$T/work" || fail "cd"
	# the private /tmp holds the test's file and, when the working
	# directory is under /tmp, the way to it
	case $T in /tmp/*) first=${T#/tmp/} first=${first%%/*} ;; esac
	run_umbra run -0 -- /bin/sh -c '
		echo kept >here && echo gone >/tmp/t'"$MARK"' && cat /tmp/t'"$MARK"' &&
		mkdir -p /opt/umbra-zero-'"$MARK"' && ls -d /opt/umbra-zero-'"$MARK"' &&
		pwd && ls -A /tmp | grep -vx '"$first"' | wc -l'
	assert_status 0
	assert_out "gone
/opt/umbra-zero-$MARK
$T/work
1"
	[ "$(cat "$T/work/here")" = kept ] || fail "the working directory was not written"
	[ ! -e "/opt/umbra-zero-$MARK" ] || fail "the host's / was written"
	[ ! -e "/tmp/t$MARK" ] || fail "the host's /tmp was written"
}

# The working directory deep in the host's /tmp: its ancestors are
# directories of the private /tmp, which the guest may write (LTP's
# TMPDIR is the parent of its cwd) and which show nothing else of the
# host's; /tmp and /dev/shm are 1777, so that another guest uid may write
# them too.
test_ovl_zero_setup_under_tmp() {
	local top
	top=$(mktemp -d /tmp/umbra-zt.XXXXXX) || fail "mktemp"
	# shellcheck disable=SC2064 # top is known now
	trap "rm -rf '$top'; lib_cleanup" EXIT
	mkdir -p "$top/a/work" && echo host >"$top/a/other" &&
		chmod 777 "$top" "$top/a" && cd "$top/a/work" || fail "set-up"
	run_umbra run -0 -- /bin/sh -c '
		echo up >../up && cat ../up && ls .. && stat -c %a /tmp /dev/shm &&
		setpriv --reuid 4242 --regid 4242 --clear-groups \
			sh -c "echo u >/tmp/u && echo s >/dev/shm/s" && cat /tmp/u &&
		echo kept >here'
	assert_status 0
	assert_out "up
up
work
1777
1777
u"
	[ "$(cat here)" = kept ] || fail "the working directory was not written"
	[ ! -e "$top/a/up" ] || fail "the host's /tmp was written"
}

# A file not copied up yet, bound elsewhere by a guest root: the bind
# shows its data, and a write through it is the file's.
test_ovl_bind_file() {
	make_lower
	run_umbra run -0 -r "$T/lower" --cow "$T/cow" -- /bin/sh -c '
		mount -o bind /data/a /data/b && cat /data/b &&
		echo more >>/data/b && cat /data/a'
	assert_status 0
	assert_out "alpha
alpha
more"
	[ "$(cat "$T/lower/data/a")" = alpha ] || fail "the lower file was written"
}

# A lower directory the monitor may search but not list (mode 711 of
# another user's): its entries are made as they are looked up, so a path
# through it works as on Linux.  Needs root, to start umbra as another
# user than the tree's owner.
test_ovl_search_only_dir() {
	[ "$(id -u)" = 0 ] || skip "needs root (a tree of another user's)"
	command -v setpriv >/dev/null || skip "no setpriv"
	make_lower
	mkdir "$T/lower/data/xo" && echo secret-name >"$T/lower/data/xo/f" &&
		chmod 711 "$T/lower/data/xo" && chmod 755 "$T/lower" "$T" ||
		fail "making the search-only directory"
	mkdir -m 777 "$T/c"
	run_umbra_as 54321 run -r "$T/lower" --cow "$T/c/l" -- /bin/sh -c \
		'cat /data/xo/f; ls /data/xo >/dev/null 2>&1 || echo "ls: denied"'
	assert_status 0
	assert_out "secret-name
ls: denied"
}

# run_umbra as host uid UID (root only).
run_umbra_as() {
	local uid=$1
	shift
	with_rw "$@"
	timeout -k 5 "$UMBRA_TIMEOUT" setpriv --reuid "$uid" --regid "$uid" \
		--clear-groups -- "$UMBRA" "${UARGS[@]}" >"$T/out" 2>"$T/err"
	STATUS=$?
}

# A layer kept inside its own lower tree (--cow R/layer over R, or the
# host's / over a home directory) does not show in the guest: neither the
# store, nor an endless upper/upper/... for find to walk.
test_ovl_layer_inside_lower() {
	make_lower
	run_umbra run -0 -r "$T/lower" --cow "$T/lower/layer" -- /bin/sh -c '
		echo x >/data/new; ls /; find / -xdev -name upper | wc -l'
	assert_status 0
	grep -qx layer "$T/out" && fail "the layer shows: $(tr '\n' ' ' <"$T/out")"
	[ "$(tail -n 1 "$T/out")" = 0 ] || fail "the upper tree shows: $(tail -n 1 "$T/out")"
	[ -f "$T/lower/layer/upper/data/new" ] || fail "the layer was not written"
}

# --rw and --cow together, a --cow that is not a directory, a layer used
# over another tree or by another run: a clear error before anything runs.
test_ovl_bad_options() {
	run_umbra run --rw --cow "$T/c" -- /bin/true
	assert_status 125
	grep -q -- '--rw' "$T/err" || fail "no word of --rw: $(first_line "$T/err")"
	: >"$T/file"
	run_umbra run --cow "$T/file" -- /bin/true
	assert_status 125
	grep -q 'not a directory' "$T/err" || fail "bad --cow: $(first_line "$T/err")"
	# a layer belongs to the tree it was made over
	mkdir "$T/r1" "$T/r2"
	run_umbra run --cow "$T/c1" -r "$T/r1" -w / -- /bin/true
	[ "$STATUS" != 125 ] || fail "a new layer: $(first_line "$T/err")"
	run_umbra run --cow "$T/c1" -r "$T/r2" -w / -- /bin/true
	assert_status 125
	grep -q 'was made over' "$T/err" || fail "another lower: $(first_line "$T/err")"
	# one run at a time writes a layer; the next may go at once
	make_lower
	start_umbra run -r "$T/lower" --cow "$T/c2" -- /bin/sleep 30
	wait_for "[ -e '$T/c2/upper/bin' ]" 10 || fail "the first run did not start"
	"$UMBRA" run -r "$T/lower" --cow "$T/c2" -- /bin/true 2>"$T/err2"
	[ $? = 125 ] && grep -q 'in use' "$T/err2" ||
		fail "a second run over a layer in use: $(first_line "$T/err2")"
	kill -KILL "$UPID"
	wait "$UPID" 2>/dev/null
	run_umbra run -r "$T/lower" --cow "$T/c2" -- /bin/true
	assert_status 0 "a run after the first was killed"
}

run_test "$@"
