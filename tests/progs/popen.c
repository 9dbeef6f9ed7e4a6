// SPDX-License-Identifier: GPL-2.0
/*
 * popen(3): glibc's posix_spawn runs the child on a small stack of its
 * own (CLONE_VM|CLONE_VFORK) and execs /bin/sh from there, with the
 * path in libc's read-only data.  Prints `popen=` what the command said.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>

int main(void)
{
	char buf[64] = "";
	FILE *f = popen("echo spawned", "r");

	if (!f) {
		printf("popen=%s\n", strerror(errno));
		return 1;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("popen=%s\n", buf);
	return pclose(f) ? 1 : 0;
}
