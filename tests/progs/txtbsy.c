/*
 * execve of a program someone holds open for writing fails with ETXTBSY.
 * usage: txtbsy COPY   (COPY: a writable copy of a static program)
 * Prints "txtbsy=ERRNAME" (ETXTBSY expected), then execs it once closed.
 */
#include <fcntl.h>
#include "prog.h"

int main(int argc, char **argv)
{
	char *args[] = { argv[1], NULL };
	int fd;

	if (argc != 2)
		DIE("usage");
	fd = open(argv[1], O_WRONLY);
	if (fd < 0)
		DIE("open %s", argv[1]);
	execve(argv[1], args, NULL);
	OUT("txtbsy=%s", errname(errno));
	close(fd);
	execve(argv[1], args, NULL);
	DIE("execve after close");
}
