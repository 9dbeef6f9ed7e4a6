/*
 * PR_SET_CHILD_SUBREAPER (tests/integration/pids.sh, test_subreaper): the
 * process A (not the first: that one is init inside) marks itself a
 * subreaper, its child B forks C and exits; C,
 * orphaned, must see A as its parent, and A reaps it.  Prints
 * `orphan_ppid=subreaper` (else the number), `reaped=grandchild` and
 * `status=5`.
 */
#include <sys/prctl.h>
#include <sys/wait.h>
#include "prog.h"

static void grandchild(pid_t a, pid_t b)
{
	double end = now() + 5;
	pid_t pp;

	while ((pp = getppid()) == b && now() < end)
		usleep(1000);
	if (pp == a)
		OUT("orphan_ppid=subreaper");
	else
		OUT("orphan_ppid=%d", (int)pp);
	_exit(5);
}

static int subreaper(void)
{
	pid_t a = getpid(), b, c = 0, w;
	int st, fds[2];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(fds))
		DIE("prctl");
	b = fork();
	if (b < 0)
		DIE("fork");
	if (!b) {
		c = fork();
		if (c == 0)
			grandchild(a, getppid());
		if (write(fds[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		_exit(0);
	}
	if (read(fds[0], &c, sizeof(c)) != sizeof(c))
		DIE("read");
	if (waitpid(b, &st, 0) != b)
		DIE("waitpid child");
	w = waitpid(-1, &st, 0);
	OUT("reaped=%s", w == c ? "grandchild" : "other");
	OUT("status=%d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

int main(void)
{
	pid_t a = fork();
	int st;

	if (a < 0)
		DIE("fork");
	if (!a)
		_exit(subreaper());
	waitpid(a, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
