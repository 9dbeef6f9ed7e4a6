# umbra — shared helpers for the cached test root filesystems.
# shellcheck shell=sh
#
# Sourced, never run:   . scripts/rootfs.sh
#
# Tests use one function:
#     root=$(umbra_rootfs busybox) || skip
# It prints the path of a *complete* rootfs called NAME (busybox,
# debian-bookworm, musl), looking in this order:
#     $UMBRA_ROOTFS_DIR/NAME                              (if the variable is set)
#     ${XDG_CACHE_HOME:-$HOME/.cache}/umbra/rootfs/NAME   (per user)
#     /var/cache/umbra/rootfs/NAME                        (system-wide, built as root)
# A rootfs is complete when it holds the stamp file .umbra-complete, which the
# builders write last.  Returns 1 (printing nothing) when none is complete.
#
# The other umbra_* functions are for the scripts/mkrootfs-*.sh builders.
#
# This file is POSIX sh (it may be sourced from sh or bash) and deliberately
# does not change the caller's shell options.

UMBRA_STAMP=.umbra-complete
UMBRA_SYSTEM_ROOTFS_DIR=/var/cache/umbra/rootfs

# The per-user cache directory, or nothing if neither XDG_CACHE_HOME nor HOME is set.
umbra_user_rootfs_dir() {
    if [ -n "${XDG_CACHE_HOME:-}" ]; then
        printf '%s\n' "$XDG_CACHE_HOME/umbra/rootfs"
    elif [ -n "${HOME:-}" ]; then
        printf '%s\n' "$HOME/.cache/umbra/rootfs"
    fi
}

# umbra_rootfs NAME — print the path of a complete rootfs NAME, or return 1.
umbra_rootfs() {
    if [ $# -ne 1 ] || [ -z "$1" ]; then
        echo "usage: umbra_rootfs NAME" >&2
        return 2
    fi
    _umbra_user=$(umbra_user_rootfs_dir)
    for _umbra_base in "${UMBRA_ROOTFS_DIR:-}" "$_umbra_user" "$UMBRA_SYSTEM_ROOTFS_DIR"; do
        [ -n "$_umbra_base" ] || continue
        if [ -f "$_umbra_base/$1/$UMBRA_STAMP" ]; then
            printf '%s\n' "$_umbra_base/$1"
            unset _umbra_base _umbra_user
            return 0
        fi
    done
    unset _umbra_base _umbra_user
    return 1
}

# ---------------------------------------------------------------------------
# Helpers for the builders.

umbra_die() {
    echo "${0##*/}: error: $*" >&2
    exit 1
}

umbra_log() {
    echo "${0##*/}: $*" >&2
}

# umbra_default_dest NAME — where a builder puts NAME when no DEST is given:
# $UMBRA_ROOTFS_DIR/NAME if set, else the system-wide cache when root, else the
# per-user cache.
umbra_default_dest() {
    if [ -n "${UMBRA_ROOTFS_DIR:-}" ]; then
        printf '%s\n' "$UMBRA_ROOTFS_DIR/$1"
    elif [ "$(id -u)" -eq 0 ]; then
        printf '%s\n' "$UMBRA_SYSTEM_ROOTFS_DIR/$1"
    else
        _umbra_user=$(umbra_user_rootfs_dir)
        [ -n "$_umbra_user" ] || umbra_die "neither XDG_CACHE_HOME nor HOME is set; give DEST explicitly"
        printf '%s\n' "$_umbra_user/$1"
        unset _umbra_user
    fi
}

# umbra_is_current DEST FORMAT — true if DEST is complete and was built by
# the current version (FORMAT) of its builder.  UMBRA_FORCE=1 makes it false.
umbra_is_current() {
    [ "${UMBRA_FORCE:-0}" != 1 ] || return 1
    [ -f "$1/$UMBRA_STAMP" ] || return 1
    grep -qx "format=$2" "$1/$UMBRA_STAMP" 2>/dev/null
}

# umbra_write_stamp DIR NAME FORMAT [KEY=VALUE...] — written last, marks DIR complete.
umbra_write_stamp() {
    _umbra_dir=$1 _umbra_name=$2 _umbra_fmt=$3
    shift 3
    {
        echo "name=$_umbra_name"
        echo "format=$_umbra_fmt"
        echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "builder=${0##*/}"
        for _umbra_kv in "$@"; do echo "$_umbra_kv"; done
    } > "$_umbra_dir/$UMBRA_STAMP.new"
    chmod 0644 "$_umbra_dir/$UMBRA_STAMP.new"
    mv -f "$_umbra_dir/$UMBRA_STAMP.new" "$_umbra_dir/$UMBRA_STAMP"
    unset _umbra_dir _umbra_name _umbra_fmt _umbra_kv
}

# umbra_lock DEST — serialise builders of the same DEST (held until exit).
umbra_lock() {
    _umbra_parent=$(dirname -- "$1")
    mkdir -p -- "$_umbra_parent" || umbra_die "cannot create $_umbra_parent"
    exec 9>"$_umbra_parent/.$(basename -- "$1").lock" || umbra_die "cannot create lock file in $_umbra_parent"
    if command -v flock >/dev/null 2>&1; then
        flock 9 || umbra_die "cannot lock $1"
    fi
    unset _umbra_parent
}

# umbra_umount_under DIR — unmount anything left mounted under DIR (deepest
# first), e.g. /proc or /dev binds of an interrupted debootstrap.
umbra_umount_under() {
    [ -d "$1" ] || return 0
    _umbra_abs=$(cd -- "$1" && pwd -P)
    awk -v d="$_umbra_abs" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts \
        | sort -r | while IFS= read -r _umbra_m; do
            umount "$_umbra_m" 2>/dev/null || umount -l "$_umbra_m" 2>/dev/null || true
        done
    if awk -v d="$_umbra_abs" '$2 == d || index($2, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mounts; then
        unset _umbra_abs
        return 1
    fi
    unset _umbra_abs
    return 0
}

# umbra_remove_tree DIR — remove a (possibly half-built) tree, never crossing
# into a mounted filesystem.
umbra_remove_tree() {
    [ -e "$1" ] || [ -L "$1" ] || return 0
    umbra_umount_under "$1" || umbra_die "something is still mounted under $1; unmount it and retry"
    rm -rf --one-file-system -- "$1"
}

# umbra_publish TMP DEST — put a finished tree in place by rename (the old
# DEST, if any, is moved aside first and removed after).
umbra_publish() {
    if [ -e "$2" ] || [ -L "$2" ]; then
        _umbra_old="$(dirname -- "$2")/.$(basename -- "$2").old.$$"
        mv -T -- "$2" "$_umbra_old" || umbra_die "cannot move old $2 aside"
        mv -T -- "$1" "$2" || umbra_die "cannot rename $1 to $2"
        umbra_remove_tree "$_umbra_old"
        unset _umbra_old
    else
        mv -T -- "$1" "$2" || umbra_die "cannot rename $1 to $2"
    fi
}
