#!/bin/sh
# Generate the multi-file C project that the make row builds: N modules of
# real work (a hash table, sorting, string formatting) with headers, a static
# library made with ar, and a program linking them.  Deterministic output.
set -eu
dir=$1 n=${2:-16}
mkdir -p "$dir"
cd "$dir"
: > mods.h
objs=""
for i in $(seq 1 "$n"); do
	echo "unsigned long mod$i(unsigned long seed);" >> mods.h
	cat > "mod$i.c" <<C
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mods.h"

struct ent$i { char key[32]; unsigned long val; struct ent$i *next; };

static unsigned long hash$i(const char *s)
{
	unsigned long h = 1469598103934665603UL ^ $i;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211UL;
	return h;
}

static int cmp$i(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

unsigned long mod$i(unsigned long seed)
{
	struct ent$i *tab[257] = { 0 }, *e, *n;
	unsigned long vals[512], sum = 0;
	char buf[32];
	int k;

	for (k = 0; k < 512; k++) {
		snprintf(buf, sizeof(buf), "k%lu-%d", seed * $i, k);
		e = malloc(sizeof(*e));
		strcpy(e->key, buf);
		e->val = hash$i(buf);
		e->next = tab[e->val % 257];
		tab[e->val % 257] = e;
		vals[k] = e->val;
	}
	qsort(vals, 512, sizeof(vals[0]), cmp$i);
	for (k = 0; k < 257; k++)
		for (e = tab[k]; e; e = n) {
			n = e->next;
			sum += e->val >> (k % 7);
			free(e);
		}
	return sum ^ vals[seed % 512];
}
C
	objs="$objs mod$i.o"
done
cat > main.c <<C
#include <stdio.h>
#include "mods.h"
int main(void)
{
	unsigned long s = 0;
$(for i in $(seq 1 "$n"); do echo "	s += mod$i($i);"; done)
	printf("%lu\n", s % 1000003);
	return 0;
}
C
cat > Makefile <<M
CFLAGS = -O2 -g -Wall
all: prog
libmods.a:$objs
	ar rcs \$@ \$^
prog: main.o libmods.a
	\$(CC) -o \$@ main.o -L. -lmods
%.o: %.c mods.h
	\$(CC) \$(CFLAGS) -c -o \$@ \$<
clean:
	rm -f *.o *.a prog
M
