#!/usr/bin/env bash
# umbra — build the local apt repository of the apt test (tests/integration/apt.sh).
#
# usage: scripts/mkaptrepo.sh [DIR]
#
# DIR defaults to $UMBRA_ROOTFS_DIR/aptrepo-bookworm, else
# /var/cache/umbra/rootfs/aptrepo-bookworm when root, else
# ${XDG_CACHE_HOME:-$HOME/.cache}/umbra/rootfs/aptrepo-bookworm: beside the
# test root filesystems, so that `umbra_rootfs aptrepo-bookworm`
# (scripts/rootfs.sh) finds it, and an unprivileged test run finds the one
# root built.
#
# A flat repository (`deb [trusted=yes] file:DIR ./`) of a few small Debian
# bookworm packages whose dependencies the debian-bookworm test rootfs holds:
#   hello, tree           plain files in /usr, no maintainer scripts
#   resolvconf-admin      postinst: addgroup --system, chown root:GROUP and
#                         chmod 4754 of its program
#   cron-daemon-common    conffiles in /etc; postinst: addgroup --system,
#                         chown and chmod 1730 of /var/spool/cron/crontabs
# The .debs come from the host's own apt (`apt-get download`), so the host
# must be Debian bookworm with its package lists (apt-get update) and reach
# its mirror; the index (Packages, Packages.gz, Release) is made here from
# `dpkg-deb -f` and checksums, no dpkg-dev needed.  Works without root.
# Does nothing if DIR is already complete and current: same FORMAT and the
# same package list (UMBRA_FORCE=1 always rebuilds).
set -euo pipefail

FORMAT=1
PACKAGES="hello tree resolvconf-admin cron-daemon-common"
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/rootfs.sh
. "$here/rootfs.sh"

[ $# -le 1 ] || { echo "usage: ${0##*/} [DIR]" >&2; exit 2; }
dest=${1:-$(umbra_default_dest aptrepo-bookworm)}
case $dest in /*) ;; *) dest="$PWD/$dest" ;; esac
dest=${dest%/}
umask 022

is_current() {
    umbra_is_current "$dest" "$FORMAT" &&
        grep -qxF "packages=$PACKAGES" "$dest/$UMBRA_STAMP" 2>/dev/null
}
is_current && { umbra_log "up to date: $dest"; exit 0; }

for c in apt-get dpkg-deb gzip md5sum sha256sum; do
    command -v "$c" >/dev/null 2>&1 || umbra_die "$c not found (Debian hosts only)"
done
# The packages must fit the bookworm rootfs (their libc6, their adduser).
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ "$codename" = bookworm ] ||
    umbra_die "the host is '${codename:-not Debian}', not Debian bookworm: its apt-get download would not give bookworm packages"
[ "$(dpkg --print-architecture)" = amd64 ] || umbra_die "the host is not amd64"

umbra_lock "$dest"
is_current && { umbra_log "up to date: $dest"; exit 0; }

parent=$(dirname -- "$dest")
tmp=$(mktemp -d "$parent/.aptrepo.tmp.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
chmod 0755 "$tmp"

download() {
    # shellcheck disable=SC2086
    (cd "$tmp" && apt-get download -q $PACKAGES </dev/null >"$tmp/.log" 2>&1)
}
umbra_log "apt-get download $PACKAGES (into $dest)"
# A host without package lists (a fresh machine) gets them first, as root.
if ! download && { [ "$(id -u)" -ne 0 ] || ! apt-get update -q </dev/null >"$tmp/.log" 2>&1 ||
                   ! download; }; then
    tail -n 20 "$tmp/.log" >&2
    umbra_die "apt-get download failed (is the host's package list current? apt-get update)"
fi
rm -f -- "$tmp/.log"

# Packages: each .deb's control paragraph and where it is, as
# dpkg-scanpackages writes it (the fields apt reads).
for p in $PACKAGES; do
    set -- "$tmp/${p}"_*.deb
    if [ $# != 1 ] || [ ! -f "$1" ]; then
        umbra_die "no single ${p}_*.deb downloaded"
    fi
    deb=$1 name=${1##*/}
    [ "$(dpkg-deb -f "$deb" Package)" = "$p" ] || umbra_die "$name is not package $p"
    dpkg-deb -f "$deb" | grep -v '^$'
    echo "Filename: ./$name"
    echo "Size: $(stat -c %s "$deb")"
    echo "MD5sum: $(md5sum <"$deb" | cut -d' ' -f1)"
    echo "SHA256: $(sha256sum <"$deb" | cut -d' ' -f1)"
    echo
done >"$tmp/Packages"
gzip -9n <"$tmp/Packages" >"$tmp/Packages.gz"

# An unsigned Release (the source is [trusted=yes]) whose checksums apt
# verifies the index against.
{
    echo "Origin: umbra-test"
    echo "Label: umbra-test"
    echo "Architectures: amd64 all"
    echo "Date: $(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
    echo "SHA256:"
    for f in Packages Packages.gz; do
        echo " $(sha256sum <"$tmp/$f" | cut -d' ' -f1) $(stat -c %s "$tmp/$f") $f"
    done
} >"$tmp/Release"
chmod 0644 "$tmp"/*

versions=$(for d in "$tmp"/*.deb; do dpkg-deb -W --showformat='${Package}=${Version} ' "$d"; done)
umbra_write_stamp "$tmp" aptrepo-bookworm "$FORMAT" "packages=$PACKAGES" "versions=${versions% }"
umbra_publish "$tmp" "$dest"
trap - EXIT
umbra_log "built $dest"
