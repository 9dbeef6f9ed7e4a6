#!/usr/bin/env bash
# umbra — install what the build and the tests need, then build the cached
# test root filesystems (run by `make deps`).
#
# As root: installs the missing Debian packages (apt-get update once, then
# install) and builds busybox, musl and debian-bookworm under
# /var/cache/umbra/rootfs/, readable by everybody so unprivileged test runs can
# use them.  As another user: checks the packages, prints what is missing and
# the command to install it (exit 1), and builds busybox and musl under
# ${XDG_CACHE_HOME:-$HOME/.cache}/umbra/rootfs/ unless a complete one exists
# already; the Debian rootfs needs root.  A second run does nothing and is fast.
set -euo pipefail

PACKAGES=(build-essential libseccomp-dev pkg-config proot busybox-static
          debootstrap musl-tools hyperfine util-linux file)

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/rootfs.sh
. "$here/rootfs.sh"

missing_packages() {
    local p status
    for p in "${PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || echo "$p"
    done
}

command -v dpkg-query >/dev/null 2>&1 || umbra_die "dpkg-query not found: this script supports Debian/Ubuntu only"

mapfile -t missing < <(missing_packages)
if [ "$(id -u)" -eq 0 ]; then
    if [ ${#missing[@]} -gt 0 ]; then
        umbra_log "installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q </dev/null || umbra_die "apt-get update failed"
        apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}" </dev/null \
            || umbra_die "apt-get install failed: ${missing[*]}"
        mapfile -t missing < <(missing_packages)
        [ ${#missing[@]} -eq 0 ] || umbra_die "still missing after install: ${missing[*]}"
    else
        umbra_log "packages: all present"
    fi
else
    if [ ${#missing[@]} -gt 0 ]; then
        echo "${0##*/}: error: missing packages: ${missing[*]}" >&2
        echo "${0##*/}: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        echo "${0##*/}: (or run 'sudo make deps', which also builds the Debian test rootfs)" >&2
        exit 1
    fi
    umbra_log "packages: all present"
fi

# Test root filesystems.
if [ "$(id -u)" -eq 0 ]; then
    # Always the system-wide location (unless UMBRA_ROOTFS_DIR says otherwise),
    # whatever root's own ~/.cache holds.
    "$here/mkrootfs-busybox.sh"
    "$here/mkrootfs-musl.sh"
    "$here/mkrootfs-debian.sh"
    # the apt test's local repository; without it the test fetches its own
    "$here/mkaptrepo.sh" || umbra_log "warning: no local apt repository (apt tests fetch their own)"
else
    for name in busybox musl; do
        if found=$(umbra_rootfs "$name"); then
            umbra_log "up to date: $found"
        else
            "$here/mkrootfs-$name.sh"
        fi
    done
    if ! umbra_rootfs debian-bookworm >/dev/null; then
        umbra_log "warning: no Debian test rootfs; tests that need it will be skipped."
        umbra_log "warning: build it once with:  sudo $here/mkrootfs-debian.sh"
    fi
fi

for name in busybox musl debian-bookworm aptrepo-bookworm; do
    printf '  %-16s %s\n' "$name" "$(umbra_rootfs "$name" || echo '(missing)')" >&2
done
