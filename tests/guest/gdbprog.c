// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled inside the guest by tests/integration/ptrace.sh, with -g, for
 * gdb to debug there: "crash" dies in depth(), "watch" changes g twice in
 * work(), "loop" runs until it is killed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int g;
volatile int counter;

int depth(int *p, int n)
{
	if (n == 0)
		return *p;
	return depth(p, n - 1) + 1;
}

void work(void)
{
	int a = 1;
	a += 2;
	g = a;
	g = 42;
	printf("g=%d\n", g);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "crash"))
		return depth(NULL, 3);
	if (argc > 1 && !strcmp(argv[1], "watch")) {
		work();
		return 0;
	}
	for (;;) {
		counter++;
		usleep(10000);
	}
}
