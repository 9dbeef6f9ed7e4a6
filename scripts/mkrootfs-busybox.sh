#!/usr/bin/env bash
# umbra — build the tiny busybox test rootfs.
#
# usage: scripts/mkrootfs-busybox.sh [DEST]
#
# DEST defaults to $UMBRA_ROOTFS_DIR/busybox, else /var/cache/umbra/rootfs/busybox
# when root, else ${XDG_CACHE_HOME:-$HOME/.cache}/umbra/rootfs/busybox.
# Needs only /bin/busybox from busybox-static; works without root (no device
# nodes are made: dev/ and proc/ are empty directories).  Does nothing if DEST
# is already complete and current (UMBRA_FORCE=1 rebuilds).
set -euo pipefail

FORMAT=1
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/rootfs.sh
. "$here/rootfs.sh"

[ $# -le 1 ] || { echo "usage: ${0##*/} [DEST]" >&2; exit 2; }
dest=${1:-$(umbra_default_dest busybox)}
case $dest in /*) ;; *) dest="$PWD/$dest" ;; esac
umask 022

busybox=${UMBRA_BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || umbra_die "$busybox not found (install busybox-static)"
# A dynamically linked busybox would need the host's libc inside the rootfs.
if command -v file >/dev/null 2>&1 && ! file -L "$busybox" | grep -q 'statically linked'; then
    umbra_die "$busybox is not statically linked (install busybox-static, not busybox)"
fi

umbra_is_current "$dest" "$FORMAT" && { umbra_log "up to date: $dest"; exit 0; }
umbra_lock "$dest"
umbra_is_current "$dest" "$FORMAT" && { umbra_log "up to date: $dest"; exit 0; }

parent=$(dirname -- "$dest")
tmp=$(mktemp -d "$parent/.busybox.tmp.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
chmod 0755 "$tmp"

mkdir -p "$tmp"/{bin,sbin,usr/bin,usr/sbin,etc,root,home/user,dev,proc,sys,var}
install -m 0755 "$busybox" "$tmp/bin/busybox"
install -d -m 1777 "$tmp/tmp" "$tmp/var/tmp"

# bin/APPLET -> busybox for every applet, plus the links at the full paths
# (sbin/, usr/bin/, usr/sbin/) that `busybox --install` would make, all
# relative so that they also resolve when the tree is inspected from the host.
applets=$("$tmp/bin/busybox" --list)
[ -n "$applets" ] || umbra_die "busybox --list printed nothing"
(
    cd "$tmp/bin"
    for a in $applets; do
        [ "$a" = busybox ] || ln -s busybox "$a"
    done
)
"$tmp/bin/busybox" --list-full | while IFS= read -r path; do
    case $path in
        bin/*|'') continue ;;      # already made above
        */*) ;;
        *) continue ;;             # linuxrc: not wanted at /
    esac
    dir=${path%/*}
    case $dir in
        sbin) rel=../bin/busybox ;;
        usr/bin|usr/sbin) rel=../../bin/busybox ;;
        *) umbra_die "unexpected applet location: $path" ;;
    esac
    [ -e "$tmp/$path" ] || [ -L "$tmp/$path" ] || ln -s "$rel" "$tmp/$path"
done

cat > "$tmp/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$tmp/etc/group" <<'EOF'
root:x:0:
user:x:1000:
nogroup:x:65534:
EOF
echo umbra > "$tmp/etc/hostname"
cat > "$tmp/etc/hosts" <<'EOF'
127.0.0.1	localhost umbra
::1	localhost
EOF
chmod 0644 "$tmp"/etc/*

umbra_write_stamp "$tmp" busybox "$FORMAT" \
    "busybox=$("$tmp/bin/busybox" 2>&1 | head -n1 || true)" \
    "applets=$(wc -w <<<"$applets")"
umbra_publish "$tmp" "$dest"
trap - EXIT
umbra_log "built $dest"
