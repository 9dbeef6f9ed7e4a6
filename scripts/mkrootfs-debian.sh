#!/usr/bin/env bash
# umbra — build the Debian bookworm test rootfs (minbase + build-essential,
# python3, stress-ng, procps, psmisc).
#
# usage: scripts/mkrootfs-debian.sh [DEST]
#
# DEST defaults to $UMBRA_ROOTFS_DIR/debian-bookworm, else
# /var/cache/umbra/rootfs/debian-bookworm.  Needs root (debootstrap).  The
# mirror is the one apt already uses for bookworm (from
# /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list), else
# http://deb.debian.org/debian; UMBRA_DEBIAN_MIRROR overrides it.  The tree is
# built in DEST.tmp, made readable by everybody, stamped and renamed to DEST.
# Does nothing if DEST is already complete and current: same FORMAT and the
# same package list (the stamp's include= line), so adding a package to
# INCLUDE rebuilds a cached tree by itself (UMBRA_FORCE=1 always rebuilds).
set -euo pipefail

FORMAT=1
SUITE=bookworm
INCLUDE=build-essential,python3,stress-ng,procps,psmisc,strace,gdb,libboost-regex1.74.0
DEFAULT_MIRROR=http://deb.debian.org/debian
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/rootfs.sh
. "$here/rootfs.sh"

[ $# -le 1 ] || { echo "usage: ${0##*/} [DEST]" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ]; then
    umbra_die "needs root (debootstrap); run: sudo $0${1:+ $1}"
fi
if [ -n "${1:-}" ]; then
    dest=$1
elif [ -n "${UMBRA_ROOTFS_DIR:-}" ]; then
    dest=$UMBRA_ROOTFS_DIR/debian-$SUITE
else
    dest=$UMBRA_SYSTEM_ROOTFS_DIR/debian-$SUITE
fi
case $dest in /*) ;; *) dest="$PWD/$dest" ;; esac
dest=${dest%/}
umask 022

command -v debootstrap >/dev/null 2>&1 || umbra_die "debootstrap not found (install debootstrap)"

# The URI apt uses for $SUITE: deb822 stanzas first (Types has deb, Suites has
# the exact word $SUITE, not Enabled: no), then one-line sources.list entries.
find_mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri=$(awk -v suite="$SUITE" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && enabled != "no" && uri != "")
                    { print uri; found = 1; exit }
                types = suites = uri = enabled = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]*#/ { next }
            {
                line = $0; sub(/^[ \t]+/, "", line)
                key = tolower(line); sub(/:.*/, "", key)
                val = line; sub(/^[^:]*:[ \t]*/, "", val); gsub(/[ \t]+/, " ", val)
                if (key == "types") types = val
                else if (key == "suites") suites = val
                else if (key == "uris") { split(val, u, " "); uri = u[1] }
                else if (key == "enabled") enabled = tolower(val)
            }
            END { if (!found) flush() }' "$f")
        [ -n "$uri" ] && { echo "$uri"; return; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [opts] URI SUITE COMPONENTS...
        uri=$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" \
              | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }')
        [ -n "$uri" ] && { echo "$uri"; return; }
    done
    echo "$DEFAULT_MIRROR"
}
mirror=${UMBRA_DEBIAN_MIRROR:-$(find_mirror)}
case $mirror in
    http://*|https://*|ftp://*|file:/*) ;;
    *) umbra_log "mirror '$mirror' is not usable by debootstrap, using $DEFAULT_MIRROR"; mirror=$DEFAULT_MIRROR ;;
esac
mirror=${mirror%/}

# debootstrap downloads with wget, which does not read apt's proxy setting.
if [ -z "${http_proxy:-}" ] && command -v apt-config >/dev/null 2>&1; then
    proxy=
    eval "$(apt-config shell proxy Acquire::http::Proxy 2>/dev/null || true)"
    case $proxy in http://*) export http_proxy=$proxy ;; esac
fi

# Current: complete, same builder format, same package list.
is_current() {
    umbra_is_current "$dest" "$FORMAT" && grep -qxF "include=$INCLUDE" "$dest/$UMBRA_STAMP" 2>/dev/null
}
is_current && { umbra_log "up to date: $dest"; exit 0; }
umbra_lock "$dest"
is_current && { umbra_log "up to date: $dest"; exit 0; }

tmp=$dest.tmp
log=$(dirname -- "$dest")/.$(basename -- "$dest").debootstrap.log
umbra_remove_tree "$tmp"      # left over from an interrupted run
cleanup() { umbra_remove_tree "$tmp" || true; }
trap cleanup EXIT

umbra_log "debootstrap --variant=minbase --include=$INCLUDE $SUITE $tmp $mirror (log: $log)"
start=$(date +%s)
if ! debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$tmp" "$mirror" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    [ -f "$tmp/debootstrap/debootstrap.log" ] && tail -n 20 "$tmp/debootstrap/debootstrap.log" >&2
    umbra_die "debootstrap failed (full log: $log)"
fi
umbra_umount_under "$tmp" || umbra_die "debootstrap left filesystems mounted under $tmp"

chroot "$tmp" apt-get clean || umbra_die "apt-get clean inside $tmp failed"
chmod -R a+rX -- "$tmp"
chmod 0755 "$tmp"

for f in bin/sh usr/bin/gcc usr/bin/make usr/bin/python3 usr/bin/stress-ng lib64/ld-linux-x86-64.so.2; do
    [ -e "$tmp/$f" ] || umbra_die "$tmp/$f missing after debootstrap"
done
secs=$(( $(date +%s) - start ))

umbra_write_stamp "$tmp" "debian-$SUITE" "$FORMAT" \
    "suite=$SUITE" "variant=minbase" "include=$INCLUDE" "mirror=$mirror" \
    "build_seconds=$secs" "size=$(du -sh --one-file-system "$tmp" | cut -f1)"
umbra_publish "$tmp" "$dest"
trap - EXIT
rm -f -- "$log"
umbra_log "built $dest in ${secs}s"
