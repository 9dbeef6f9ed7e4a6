#!/usr/bin/env bash
# apt-get install as a guest root, from a local apt repository, offline,
# as root and as an unprivileged user: apt-get update and install, dpkg's
# unpacking, and maintainer scripts that add system groups (addgroup, that
# is groupadd) and give files to them, setuid bit included.  What is
# installed is root's inside, runs, and is still installed in the next run.
#
# The repository is scripts/mkaptrepo.sh's (hello, tree, resolvconf-admin,
# cron-daemon-common from bookworm), cached beside the test root
# filesystems, else built in $T from the host's apt (skip without one).
# The cached rootfs is never written: run_apt gives the guest a
# copy-on-write layer over it (--cow).
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

UMBRA_TIMEOUT=60
PKGS="hello tree resolvconf-admin cron-daemon-common"

unprivileged() { [ "$(id -u)" != 0 ]; }

need_apt() {
	ROOT=$(umbra_rootfs debian-bookworm) ||
		skip "no debian-bookworm rootfs (build it with scripts/mkrootfs-debian.sh)"
	REPO=$(umbra_rootfs aptrepo-bookworm) ||
		REPO=$("$TOP/scripts/mkaptrepo.sh" "$T/repo" >"$T/mkaptrepo.log" 2>&1 &&
			echo "$T/repo") ||
		skip "no apt repository: $(tail -n 1 "$T/mkaptrepo.log")"
}

# run_apt ARG...: PROGRAM ARG... as the guest's root over the Debian
# rootfs, copy-on-write into $T/cow (kept for the next run, owners the
# guest sets remembered there), the repository at /repo (read-only).
run_apt() {
	run_umbra run -0 -r "$ROOT" --cow "$T/cow" -b "$REPO:/repo:ro" \
		-e PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		-e HOME=/root -e LC_ALL=C.UTF-8 -e DEBIAN_FRONTEND=noninteractive -- "$@"
}

# What the packages leave: dpkg knows them installed and their files
# unchanged, the programs run, the files are root's, the groups the
# postinsts added own what the postinsts gave them.
APT_CHECK='
	dpkg -l '"$PKGS"' | awk "/^[a-z][a-z] /{print \$1, \$2}"
	dpkg -V '"$PKGS"' && echo verified
	hello
	tree --charset=ascii --noreport /var/spool/cron
	stat -c "%u:%g %a %n" /usr/bin/hello /usr/bin/tree \
		/usr/share/locale/de/LC_MESSAGES/hello.mo /etc/crontab
	stat -c "%U:%G %a %n" /usr/bin/resolvconf-admin /var/spool/cron/crontabs
	getent group resolvconf-admins crontab | cut -d: -f1'
APT_CHECK_OUT='ii cron-daemon-common
ii hello
ii resolvconf-admin
ii tree
verified
Hello, world!
/var/spool/cron
`-- crontabs
0:0 755 /usr/bin/hello
0:0 755 /usr/bin/tree
0:0 644 /usr/share/locale/de/LC_MESSAGES/hello.mo
0:0 644 /etc/crontab
root:resolvconf-admins 4754 /usr/bin/resolvconf-admin
root:crontab 1730 /var/spool/cron/crontabs
resolvconf-admins
crontab'

# apt-get update and install from the repository, then the packages as
# installed, in this run and the next one over the same state.
test_apt_install() {
	need_apt
	run_apt /bin/sh -c '
		echo "deb [trusted=yes] file:/repo ./" >/etc/apt/sources.list &&
		apt-get update -q >/tmp/log 2>&1 &&
		apt-get install -y -q '"$PKGS"' >>/tmp/log 2>&1 ||
		{ st=$?; grep -v "Reading database" /tmp/log >&2; exit $st; }
		'"$APT_CHECK"
	assert_status 0 "apt-get update && apt-get install"
	assert_out "$APT_CHECK_OUT"
	run_apt /bin/sh -c "$APT_CHECK"' && apt-get install -y hello 2>&1 |
		grep -o "hello is already the newest version"'
	assert_status 0 "the next run"
	assert_out "$APT_CHECK_OUT
hello is already the newest version"
	if unprivileged; then
		# the host's files stay the invoking user's
		assert_eq "$(stat -c %u "$T/cow/upper/usr/bin/hello")" "$(id -u)" "host owner of hello"
	fi
	if [ -e "$ROOT/usr/bin/hello" ] || grep -qx "Package: hello" "$ROOT/var/lib/dpkg/status"; then
		fail "the cached rootfs was written"
	fi
}

# apt's fetchers run as _apt, in directories apt gave to _apt
# (lists/partial, archives/partial: 0700): Linux lets _apt create its
# files there, so apt does not fall back to fetching as root.
test_apt_sandbox_user() {
	need_apt
	run_apt /bin/sh -c '
		echo "deb [trusted=yes] file:/repo ./" >/etc/apt/sources.list &&
		apt-get update -q 2>&1 >/dev/null &&
		apt-get install -y -q --download-only hello 2>&1 >/dev/null &&
		stat -c "%U %a %n" /var/lib/apt/lists/partial /var/cache/apt/archives/partial'
	assert_status 0 "apt-get update && apt-get install --download-only"
	assert_out "_apt 700 /var/lib/apt/lists/partial
_apt 700 /var/cache/apt/archives/partial"
}

# The rest of issue 14's acceptance over one layer: useradd and su (bob
# cannot read root's secret), tar xpf of an archive with other owners, a
# setuid file and device nodes (make_owners_tar); ls -ln agrees with the
# archive in this run and the next; the host's files of the layer are the
# user's; the cached rootfs knows nothing of it.
test_cow_useradd_tar() {
	ROOT=$(umbra_rootfs debian-bookworm) ||
		skip "no debian-bookworm rootfs (build it with scripts/mkrootfs-debian.sh)"
	make_owners_tar "$T/a.tar"
	local list='ls -ln /srv/x | awk "NR > 1 { print \$1, \$3, \$4, \$5, \$NF }"'
	run_umbra run -0 -r "$ROOT" --cow "$T/cow" -b "$T/a.tar:/a.tar" -- /bin/sh -c '
		echo secret >/root/secret && chmod 600 /root/secret
		useradd -m bob && stat -c "%U:%G %n" /home/bob
		su bob -c "id; cat /root/secret" 2>&1 | sed "s/.*Permission denied.*/EACCES/"
		cd /srv && tar xpf /a.tar --numeric-owner && '"$list"
	assert_status 0
	assert_out "bob:bob /home/bob
uid=1000(bob) gid=1000(bob) groups=1000(bob)
EACCES
-rw-r----- 1001 1001 6 bob
crw-rw-rw- 0 0 1, null
brw-rw---- 0 6 8, sda
-rwsr-xr-x 0 0 10 suid"
	run_umbra run -0 -r "$ROOT" --cow "$T/cow" -- /bin/sh -c \
		"$list"'; su bob -c "id -un; cat /root/secret" 2>&1 | sed "s/.*Permission denied.*/EACCES/"'
	assert_status 0
	assert_out "-rw-r----- 1001 1001 6 bob
crw-rw-rw- 0 0 1, null
brw-rw---- 0 6 8, sda
-rwsr-xr-x 0 0 10 suid
bob
EACCES"
	if unprivileged; then
		assert_eq "$(stat -c %u "$T/cow/upper/srv/x/bob")" "$(id -u)" "host owner of bob's file"
	fi
	! grep -q '^bob:' "$ROOT/etc/passwd" && [ ! -e "$ROOT/home/bob" ] ||
		fail "the cached rootfs was written"
}

run_test "$@"
