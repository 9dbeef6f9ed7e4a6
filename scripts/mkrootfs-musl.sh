#!/usr/bin/env bash
# umbra — build the tiny musl test rootfs.
#
# usage: scripts/mkrootfs-musl.sh [DEST]
#
# Proves that the dynamic loader named by PT_INTERP is taken from the *guest*
# root, not the host.  Contents:
#   lib/ld-musl-x86_64.so.1      musl's loader+libc (a copy of Debian's musl libc.so)
#   lib/ld-umbra-musl.so.1       -> ld-musl-x86_64.so.1 (symlink)
#   bin/hello-musl               dynamic, PT_INTERP /lib/ld-musl-x86_64.so.1
#   bin/hello-musl-guestonly     same program, PT_INTERP /lib/ld-umbra-musl.so.1,
#                                a path that exists on no host (Debian's musl
#                                package installs /lib/ld-musl-x86_64.so.1 on the
#                                host too, so only this one is a strict proof)
#   bin/sh                       busybox-static
#   etc/hostname, tmp/
# Both programs print "hello from musl" and then "interp=<their PT_INTERP>".
#
# DEST defaults to $UMBRA_ROOTFS_DIR/musl, else /var/cache/umbra/rootfs/musl
# when root, else ${XDG_CACHE_HOME:-$HOME/.cache}/umbra/rootfs/musl.
# Needs musl-tools and busybox-static; works without root.  Does nothing if
# DEST is already complete and current (UMBRA_FORCE=1 rebuilds).
set -euo pipefail

FORMAT=1
LOADER=/lib/ld-musl-x86_64.so.1
GUESTONLY_LOADER=/lib/ld-umbra-musl.so.1
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/rootfs.sh
. "$here/rootfs.sh"

[ $# -le 1 ] || { echo "usage: ${0##*/} [DEST]" >&2; exit 2; }
dest=${1:-$(umbra_default_dest musl)}
case $dest in /*) ;; *) dest="$PWD/$dest" ;; esac
umask 022

command -v musl-gcc >/dev/null 2>&1 || umbra_die "musl-gcc not found (install musl-tools)"
command -v readelf >/dev/null 2>&1 || umbra_die "readelf not found (install binutils)"
busybox=${UMBRA_BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || umbra_die "$busybox not found (install busybox-static)"

# musl's loader is its libc.so; Debian's musl package ships it as
# /lib/x86_64-linux-musl/libc.so (with /lib/ld-musl-x86_64.so.1 linking to it).
musl_libc=
for f in /lib/x86_64-linux-musl/libc.so /usr/lib/x86_64-linux-musl/libc.so /usr/lib/musl/lib/libc.so "$LOADER"; do
    if [ -f "$f" ] && readelf -h "$f" 2>/dev/null | grep -q 'DYN'; then
        musl_libc=$(readlink -f -- "$f")
        break
    fi
done
[ -n "$musl_libc" ] || umbra_die "musl's libc.so (the loader) not found (install musl)"

umbra_is_current "$dest" "$FORMAT" && { umbra_log "up to date: $dest"; exit 0; }
umbra_lock "$dest"
umbra_is_current "$dest" "$FORMAT" && { umbra_log "up to date: $dest"; exit 0; }

parent=$(dirname -- "$dest")
tmp=$(mktemp -d "$parent/.musl.tmp.XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/umbra-musl.XXXXXX")
trap 'rm -rf -- "$tmp" "$work"' EXIT
chmod 0755 "$tmp"
mkdir -p "$tmp"/{bin,lib,etc,dev,proc}
install -d -m 1777 "$tmp/tmp"

cat > "$work/hello.c" <<'EOF'
/* hello-musl: dynamically linked against musl.  Prints its own PT_INTERP,
 * found through AT_PHDR, so a test sees which loader path it was built for. */
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <sys/auxv.h>

int main(void)
{
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    unsigned long n = getauxval(AT_PHNUM), i;
    ElfW(Addr) bias = 0;
    const char *interp = "(none)";

    for (i = 0; ph && i < n; i++)
        if (ph[i].p_type == PT_PHDR)
            bias = (ElfW(Addr))ph - ph[i].p_vaddr;
    for (i = 0; ph && i < n; i++)
        if (ph[i].p_type == PT_INTERP)
            interp = (const char *)(bias + ph[i].p_vaddr);
    printf("hello from musl\ninterp=%s\n", interp);
    return 0;
}
EOF

musl-gcc -O2 -Wall -Werror -o "$work/hello-musl" "$work/hello.c" \
    || umbra_die "musl-gcc failed to build hello-musl"
musl-gcc -O2 -Wall -Werror -Wl,--dynamic-linker="$GUESTONLY_LOADER" \
    -o "$work/hello-musl-guestonly" "$work/hello.c" \
    || umbra_die "musl-gcc failed to build hello-musl-guestonly"

check_interp() {    # FILE EXPECTED
    local got
    got=$(readelf -l "$1" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]/\1/p')
    [ "$got" = "$2" ] || umbra_die "${1##*/}: PT_INTERP is '${got:-none}', expected '$2'"
}
check_interp "$work/hello-musl" "$LOADER"
check_interp "$work/hello-musl-guestonly" "$GUESTONLY_LOADER"
[ ! -e "$GUESTONLY_LOADER" ] || umbra_die "$GUESTONLY_LOADER exists on this host; the guest-only test would prove nothing"

install -m 0755 "$work/hello-musl" "$work/hello-musl-guestonly" "$tmp/bin/"
install -m 0755 "$musl_libc" "$tmp$LOADER"
ln -s "${LOADER##*/}" "$tmp$GUESTONLY_LOADER"
install -m 0755 "$busybox" "$tmp/bin/sh"
echo umbra-musl > "$tmp/etc/hostname"

umbra_write_stamp "$tmp" musl "$FORMAT" \
    "loader=$LOADER" "loader_source=$musl_libc" \
    "musl=$(dpkg-query -W -f='${Version}' musl 2>/dev/null || echo unknown)"
umbra_publish "$tmp" "$dest"
umbra_log "built $dest"
