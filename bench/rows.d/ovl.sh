# shellcheck shell=bash
# Issue 14's copy-on-write rows, timed from outside (start-up included),
# median of OVL_REPS runs.  umbra writes into a fresh layer (--cow) over a
# lower tree; the host and proot -0, which have no such layer, do the same
# work on a plain copy of the tree (the host copies the 100 MB file itself):
#   ovlwrite   append a line to each of 1,000 small files of the lower tree
#              (ns per file: each is a copy-up)
#   copyup100  append a line to a 100 MB file of the lower tree (ns per run)
#   dpkg       dpkg -i of a small package (hello) into the Debian rootfs
#              (ns per run; the host column chroots, so it needs root)
# Sourced by bench/run.sh.

OVL_REPS=${OVL_REPS:-3}
OVL_FILES=1000
OVL_DIR=

# The lower tree (busybox rootfs, /data/w/* small files, /data/big of
# 100 MB) and a plain copy of it, made once per bench run.
ovl_trees() {
	local bb
	[ -n "$OVL_DIR" ] && return 0
	# shellcheck source=/dev/null
	. scripts/rootfs.sh
	bb=$(umbra_rootfs busybox) || return 1
	# on /dev/shm (all three columns): an ext4 that has seen millions of
	# files come and go (this machine's, under the test suite) makes each
	# new inode cost 100-200 us in the allocator's recently-deleted scan,
	# which would time the disk's history, not the layer
	local where=${TMPDIR:-/tmp}
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && where=/dev/shm
	OVL_DIR=$(mktemp -d "$where/umbra-bench-ovl.XXXXXX") || return 1
	cp -a "$bb" "$OVL_DIR/lower" && mkdir -p "$OVL_DIR/lower/data/w" &&
		head -c 100M /dev/zero >"$OVL_DIR/lower/data/big" &&
		(cd "$OVL_DIR/lower/data/w" && seq "$OVL_FILES" |
			xargs -n 100 sh -c 'for i; do head -c 4096 /dev/zero >f$i; done' sh) ||
		return 1
	trap 'rm -rf "$OVL_DIR"' EXIT
}

# ovl_time RUNNER ROOT CMD [UMBRA_OPTION...]: seconds*1e9 of one run of
# CMD in ROOT (the copy for host and proot, the lower tree under a fresh
# layer for umbra, with the options given).
ovl_time() {
	local r=$1 root=$2 cmd=$3 t0 t1 pre=()
	shift 3
	rm -rf "$OVL_DIR/cow"
	case $r in
	host)
		[ "$(id -u)" = 0 ] || return 2
		pre=(chroot "$root") ;;
	umbra) pre=("$UMBRA" run -0 -r "$root" --cow "$OVL_DIR/cow" "$@" --) ;;
	proot) pre=("$PROOT" -0 -r "$root" -w /) ;;
	esac
	t0=$EPOCHREALTIME
	timeout -k 5 "$BENCH_TIMEOUT" "${PIN[@]}" "${pre[@]}" /bin/sh -c "$cmd" \
		</dev/null >>"$BENCH_LOG" 2>&1 || return 1
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1e9 }'
}

# ovl_row RUNNER LOWER COPY CMD DIVISOR: median ns per unit of OVL_REPS runs.
# The copy is restored from the lower tree between runs.
ovl_row() {
	local r=$1 lower=$2 copy=$3 cmd=$4 div=$5 i t root
	local times=()
	root=$lower
	for ((i = 0; i < OVL_REPS; i++)); do
		if [ "$r" != umbra ]; then
			rm -rf "$copy" && cp -a "$lower" "$copy" || return 1
			root=$copy
		fi
		t=$(ovl_time "$r" "$root" "$cmd") || return 1
		times+=("$(awk -v t="$t" -v d="$div" 'BEGIN { printf "%.1f", t / d }')")
	done
	echo "ovl $cmd: ${times[*]}" >>"$BENCH_LOG"
	median "${times[@]}"
}

row_ovlwrite() {
	ovl_trees || return 1
	ovl_row "$1" "$OVL_DIR/lower" "$OVL_DIR/copy" \
		'for f in /data/w/*; do echo x >>"$f"; done' "$OVL_FILES"
}
add_row "ovlwrite" row_ovlwrite

row_copyup100() {
	local cmd='echo x >>/data/big'
	ovl_trees || return 1
	# no layer on the host and in proot: the copy a layer makes is theirs
	[ "$1" != umbra ] && cmd='cp /data/big /data/big2 && echo x >>/data/big2'
	ovl_row "$1" "$OVL_DIR/lower" "$OVL_DIR/copy" "$cmd" 1
}
add_row "copyup100" row_copyup100

row_dpkg() {
	local r=$1 root repo i t times=() opts=()
	# shellcheck source=/dev/null
	. scripts/rootfs.sh
	root=$(umbra_rootfs debian-bookworm) || return 1
	repo=$(umbra_rootfs aptrepo-bookworm) || return 1
	ovl_trees || return 1
	if [ "$r" = umbra ]; then
		# the lower tree is the cached rootfs; the package comes bound in
		opts=(-b "$repo:/repo:ro")
	else
		[ -d "$OVL_DIR/deb" ] || cp -a "$root" "$OVL_DIR/deb" || return 1
		mkdir -p "$OVL_DIR/deb/repo" &&
			cp "$repo"/hello_*.deb "$OVL_DIR/deb/repo/" || return 1
		root=$OVL_DIR/deb
	fi
	for ((i = 0; i < OVL_REPS; i++)); do
		t=$(ovl_time "$r" "$root" 'dpkg -i /repo/hello_*.deb' "${opts[@]}") ||
			return 1
		times+=("$t")
	done
	echo "ovl dpkg $r: ${times[*]}" >>"$BENCH_LOG"
	median "${times[@]}"
}
add_row "dpkg" row_dpkg
