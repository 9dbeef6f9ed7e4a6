#!/usr/bin/env bash
# A real distribution in the guest: the Debian bookworm rootfs (minbase with
# build-essential and python3) compiling, building with make -j2, running
# python with sqlite, json and subprocess, and querying dpkg and apt.
#
# The work happens in $T/w, bound at /work; /tmp is a tmpfs, so that the
# cached rootfs is never written.  These runs need most of the path system
# calls (unlink, rename, utimensat, ...): a failure names the first thing
# that went wrong.
. "$(dirname "$0")/../lib.sh"
. "$TOP/scripts/rootfs.sh"

UMBRA_TIMEOUT=120

need_debian() {
	ROOT=$(umbra_rootfs debian-bookworm) ||
		skip "no debian-bookworm rootfs (build it with scripts/mkrootfs-debian.sh)"
	mkdir -p "$T/w"
}

# run_deb ARG...: PROGRAM ARG... in the Debian guest, in /work.
run_deb() {
	run_umbra run -r "$ROOT" -b "$T/w:/work" --tmpfs /tmp -w /work \
		-e PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		-e HOME=/work -e LC_ALL=C.UTF-8 -- "$@"
}

test_gcc_hello() {
	# tags: slow timeout=150
	need_debian
	cat >"$T/w/hello.c" <<'EOF'
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
EOF
	run_deb /bin/sh -c 'gcc -O2 -Wall hello.c -o hello && ./hello'
	assert_status 0 "gcc hello.c -o hello && ./hello"
	assert_out hello
	[ -x "$T/w/hello" ] || fail "no executable hello in the bound work directory"
	# the guest's binary runs on the host too: it is a real build
	assert_eq "$("$T/w/hello")" hello "the guest-built hello run on the host"
}

# A project: two headers, a static library of four objects made with ar,
# four program sources, a Makefile with dependencies on the headers.
write_project() {
	local d=$T/w/proj
	mkdir -p "$d/include" "$d/lib" "$d/src"
	cat >"$d/include/util.h" <<'EOF'
#ifndef UTIL_H
#define UTIL_H
long vec_sum(const long *v, int n);
long vec_max(const long *v, int n);
void str_reverse(char *s);
int str_words(const char *s);
long fact(int n);
long fib(int n);
unsigned long fnv1a(const char *s);
#endif
EOF
	cat >"$d/include/app.h" <<'EOF'
#ifndef APP_H
#define APP_H
#include "util.h"
#define APP_N 10
int parse_list(const char *s, long *out, int max);
void report(const char *key, long value);
void report_str(const char *key, const char *value);
long calc_all(const long *v, int n);
#endif
EOF
	cat >"$d/lib/vec.c" <<'EOF'
#include "util.h"
long vec_sum(const long *v, int n) { long s = 0; for (int i = 0; i < n; i++) s += v[i]; return s; }
long vec_max(const long *v, int n) { long m = v[0]; for (int i = 1; i < n; i++) if (v[i] > m) m = v[i]; return m; }
EOF
	cat >"$d/lib/str.c" <<'EOF'
#include <ctype.h>
#include <string.h>
#include "util.h"
void str_reverse(char *s)
{
	for (size_t i = 0, j = strlen(s); i + 1 < j; i++, j--) {
		char c = s[i]; s[i] = s[j - 1]; s[j - 1] = c;
	}
}
int str_words(const char *s)
{
	int n = 0, in = 0;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) in = 0;
		else if (!in) { in = 1; n++; }
	}
	return n;
}
EOF
	cat >"$d/lib/math.c" <<'EOF'
#include "util.h"
long fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
long fib(int n) { long a = 0, b = 1; while (n--) { long t = a + b; a = b; b = t; } return a; }
EOF
	cat >"$d/lib/hash.c" <<'EOF'
#include "util.h"
unsigned long fnv1a(const char *s)
{
	unsigned long h = 14695981039346656037UL;
	for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211UL; }
	return h;
}
EOF
	cat >"$d/src/parse.c" <<'EOF'
#include <stdlib.h>
#include "app.h"
int parse_list(const char *s, long *out, int max)
{
	int n = 0;
	char *end;
	while (n < max) {
		long v = strtol(s, &end, 10);
		if (end == s) break;
		out[n++] = v;
		s = end;
		while (*s == ',') s++;
	}
	return n;
}
EOF
	cat >"$d/src/report.c" <<'EOF'
#include <stdio.h>
#include "app.h"
void report(const char *key, long value) { printf("%s=%ld\n", key, value); }
void report_str(const char *key, const char *value) { printf("%s=%s\n", key, value); }
EOF
	cat >"$d/src/calc.c" <<'EOF'
#include "app.h"
long calc_all(const long *v, int n) { return vec_sum(v, n) * 1000 + vec_max(v, n); }
EOF
	cat >"$d/src/main.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include "app.h"
int main(int argc, char **argv)
{
	long v[APP_N];
	char word[] = "umbra";
	char hex[32];
	int n = parse_list("1,2,3,4,5,6,7,8,9,10", v, APP_N);

	report("n", n);
	report("sum", vec_sum(v, n));
	report("calc", calc_all(v, n));
	report("fact10", fact(10));
	report("fib50", fib(50));
	report("words", str_words("  the quick  brown fox "));
	str_reverse(word);
	report_str("reverse", word);
	snprintf(hex, sizeof(hex), "%016lx", fnv1a("umbra"));
	report_str("fnv", hex);
	return argc > 1 ? 3 : 0;
}
EOF
	cat >"$d/Makefile" <<'EOF'
CC = gcc
CFLAGS = -O2 -Wall -Werror -Iinclude
LIBOBJ = lib/vec.o lib/str.o lib/math.o lib/hash.o
OBJ = src/main.o src/parse.o src/report.o src/calc.o

app: $(OBJ) lib/libutil.a
	$(CC) -o $@ $(OBJ) -Llib -lutil

lib/libutil.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

lib/%.o: lib/%.c include/util.h
	$(CC) $(CFLAGS) -c -o $@ $<

src/%.o: src/%.c include/app.h include/util.h
	$(CC) $(CFLAGS) -c -o $@ $<

clean:
	rm -f app lib/libutil.a $(LIBOBJ) $(OBJ)

.PHONY: clean
EOF
}

# What app prints; fnv is FNV-1a of "umbra", computed here on the host.
project_expected() {
	local h=14695981039346656037 c i s=umbra
	h=$((h))	# 64-bit wrap-around, as unsigned long in C
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(((h ^ c) * 1099511628211))
	done
	printf 'n=10\nsum=55\ncalc=55010\nfact10=3628800\nfib50=12586269025\nwords=4\nreverse=arbmu\nfnv=%016x\n' "$h"
}

# GNU tar extracts a symlink and then sets its mode with
# fchmodat(AT_SYMLINK_NOFOLLOW), which glibc makes with an O_PATH fd of
# the link and an fstat of it, answering EOPNOTSUPP for a link (tar
# expects that); the O_PATH open of a link gives a stand-in whose stat is
# the link's (src/kernel/fs/opath.c).  Before, tar exited 2 ("Too many
# levels of symbolic links").
test_tar_symlink() {
	# tags: asan
	need_debian
	mkdir -p "$T/w/src"
	ln -s target "$T/w/src/link"
	echo x >"$T/w/src/f"
	tar cf "$T/w/a.tar" -C "$T/w" src
	rm -rf "$T/w/src"
	run_deb /bin/sh -c 'tar xf a.tar && readlink src/link && cat src/f'
	assert_status 0 "tar xf"
	assert_out "target
x"
}

test_make_project() {
	# tags: slow timeout=240
	UMBRA_TIMEOUT=200
	need_debian
	write_project
	run_deb /bin/sh -c 'cd proj && make -j2 && ./app'
	assert_status 0 "make -j2 && ./app"
	local want
	want=$(project_expected)
	[ "$(grep -v -e '^gcc ' -e '^ar ' -e '^rm ' -e '^make' "$T/out")" = "$want" ] || {
		show "$T/out"
		show "$T/err"
		fail "./app printed '$(grep '=' "$T/out" | tr '\n' ' ' | cut -c1-120)'"
	}
	grep -q '^ar rcs lib/libutil.a' "$T/out" || fail "make did not build the library with ar"
	[ -f "$T/w/proj/lib/libutil.a" ] || fail "no lib/libutil.a on the host"
	local members
	members=$(ar t "$T/w/proj/lib/libutil.a" 2>/dev/null | LC_ALL=C sort | tr '\n' ' ')
	[ -z "$members" ] || assert_eq "$members" "hash.o math.o str.o vec.o " "members of libutil.a"

	# Nothing to do the second time (timestamps), everything after a touch
	# of a header, and clean removes what was built.
	run_deb /bin/sh -c 'cd proj && make -j2'
	assert_status 0 "a second make -j2"
	grep -q "up to date" "$T/out" || { show "$T/out"; fail "the second make rebuilt something"; }
	run_deb /bin/sh -c 'cd proj && sleep 1 && touch include/util.h && make -j2 && ./app x'
	assert_status 3 "make after touching util.h, then ./app x"
	[ "$(grep -c '^gcc .* -c ' "$T/out")" = 8 ] ||
		{ show "$T/out"; fail "touching util.h did not rebuild all 8 objects"; }
	run_deb /bin/sh -c 'cd proj && make clean'
	assert_status 0 "make clean"
	local left
	left=$(cd "$T/w/proj" && ls -d app lib/*.o lib/*.a src/*.o 2>/dev/null | tr '\n' ' ')
	[ -z "$left" ] || fail "make clean left $left"
}

test_python_stdlib() {
	# tags: slow timeout=150
	need_debian
	cat >"$T/w/t.py" <<'EOF'
import json, os, sqlite3, subprocess, tempfile

with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, "t.db")
    c = sqlite3.connect(db)
    c.execute("create table t (k text primary key, v integer)")
    c.executemany("insert into t values (?, ?)", [("a", 1), ("b", 2), ("c", 3)])
    c.commit()
    c.close()
    c = sqlite3.connect(db)
    c.execute("update t set v = v * 10 where k = 'b'")
    c.commit()
    rows = c.execute("select k, v from t order by k").fetchall()
    c.close()
    print("rows", rows)
    print("sum", sum(v for _, v in rows))
    with tempfile.NamedTemporaryFile("w", dir=d, delete=False) as f:
        f.write("x" * 1000)
    os.rename(f.name, os.path.join(d, "renamed"))
    print("size", os.path.getsize(os.path.join(d, "renamed")))
print("tmp gone", not os.path.exists(d))
data = {"rows": rows, "nested": {"x": [1, 2.5, None, True], "s": "\u00e9\u4e2d"}}
text = json.dumps(data, ensure_ascii=False, sort_keys=True)
back = json.loads(text)
print("json", back["nested"] == data["nested"], back["rows"] == [list(r) for r in rows])
r = subprocess.run(["echo", "x"], capture_output=True, text=True)
print("subprocess", repr(r.stdout), r.returncode)
r = subprocess.run("exit 7", shell=True)
print("shell", r.returncode)
EOF
	run_deb python3 t.py
	assert_status 0 "python3 t.py"
	assert_out "rows [('a', 1), ('b', 20), ('c', 3)]
sum 24
size 1000
tmp gone True
json True True
subprocess 'x\n' 0
shell 7"
}

# multiprocessing: a Pool (named semaphores) and shared_memory (shm_open)
# need a writable /dev/shm; the guest gets a private one, so even an
# unprivileged user can, and the cached rootfs's /dev/shm is never written.
test_python_multiprocessing() {
	# tags: slow timeout=120
	need_debian
	cat >"$T/w/mp.py" <<'EOF'
import multiprocessing as mp, os
from multiprocessing import shared_memory

def sq(x):
    return x * x

if __name__ == "__main__":
    with mp.Pool(2) as p:
        print("pool", sum(p.map(sq, range(100))))
    s = shared_memory.SharedMemory(create=True, size=4096)
    s.buf[:5] = b"hello"
    t = shared_memory.SharedMemory(name=s.name)
    print("shm", bytes(t.buf[:5]).decode())
    t.close()
    open("/dev/shm/marker-" + os.environ["MARK"], "w").close()
    s.close()
    s.unlink()
EOF
	run_deb /usr/bin/env MARK="$MARK" python3 mp.py
	assert_status 0 "python3 mp.py"
	assert_out "pool 328350
shm hello"
	[ ! -e "$ROOT/dev/shm/marker-$MARK" ] || { rm -f "$ROOT/dev/shm/marker-$MARK";
		fail "the guest's /dev/shm wrote into the cached rootfs"; }
}

test_dpkg_apt() {
	# tags: slow timeout=120
	need_debian
	run_deb dpkg -L coreutils
	assert_status 0 "dpkg -L coreutils"
	# bookworm's coreutils lists /bin/ls (merged /usr through symlinks)
	grep -qx -e /usr/bin/ls -e /bin/ls "$T/out" ||
		{ show "$T/out"; fail "dpkg -L coreutils does not list ls"; }
	run_deb dpkg -s bash
	assert_status 0 "dpkg -s bash"
	grep -qx 'Status: install ok installed' "$T/out" || { show "$T/out"; fail "dpkg -s bash: not installed?"; }
	run_deb apt-cache policy bash
	assert_status 0 "apt-cache policy bash"
	grep -q 'Installed: [0-9]' "$T/out" || { show "$T/out"; show "$T/err"; fail "apt-cache policy bash prints no 'Installed:' version"; }
}

run_test "$@"
