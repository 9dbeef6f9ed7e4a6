/*
 * mq MODE [ARG...] — POSIX message queues, as a guest uses them and as a
 * guest might try to reach the host's.
 *
 *   pingpong NAME        a parent and a forked child talk through the queue
 *                        NAME and a second one NAME-reply: send and
 *                        receive in priority order, getattr, a
 *                        SIGEV_SIGNAL notification, unlink; prints
 *                        `cloexec=`, `order=`, `reply=`, `notify=`,
 *                        `reopen=` (after the unlink) and `done=1`
 *   open NAME            mq_open(NAME, O_RDWR): `open=ERRNO`, and if it
 *                        opened, `curmsgs=`
 *   create NAME          mq_open(NAME, O_RDWR | O_CREAT | O_EXCL):
 *                        `create=ERRNO`, then `curmsgs=` of the new queue
 *   unlink NAME          `unlink=ERRNO`
 *   hold NAME            create NAME, print `fd=N` and `ready`, sleep
 *   bad                  bad inputs at the system call: `KEY=ERRNO` each
 *   notify_thread NAME   glibc's SIGEV_THREAD notification (a netlink
 *                        socket underneath): `notify_thread=ERRNO` of
 *                        mq_notify, then `notified=1` if the thread ran
 *   host NAME TEXT       (host side) create NAME and send TEXT
 *   hostcheck NAME       (host side) `curmsgs=` and `data=` of NAME
 *   hostgone NAME        (host side) `hostopen=ERRNO` of NAME, no create
 *   hostrm NAME          (host side) unlink it
 */
#include "prog.h"

#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static struct mq_attr small = { .mq_maxmsg = 4, .mq_msgsize = 64 };

static int pingpong(const char *name)
{
	char reply_name[256], buf[64];
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1 };
	struct mq_attr a;
	unsigned int prio;
	siginfo_t si;
	sigset_t set;
	mqd_t q, r;
	pid_t child;
	int status, hold[2];

	snprintf(reply_name, sizeof(reply_name), "%s-reply", name);
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &small);
	r = mq_open(reply_name, O_RDWR | O_CREAT | O_EXCL, 0600, &small);
	if (q < 0 || r < 0)
		DIE("mq_open O_CREAT");
	OUT("cloexec=%d", !!(fcntl(q, F_GETFD) & FD_CLOEXEC));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (mq_notify(r, &sev))
		DIE("mq_notify");

	if (pipe(hold))
		DIE("pipe");
	child = fork();
	if (child == 0) {
		/* by name, as an unrelated process would */
		mqd_t cq = mq_open(name, O_WRONLY), cr = mq_open(reply_name, O_RDWR);

		if (cq < 0 || cr < 0)
			DIE("child mq_open");
		if (mq_send(cq, "low", 3, 1) || mq_send(cq, "high", 4, 9) ||
		    mq_send(cq, "mid", 3, 5))
			DIE("mq_send");
		if (mq_send(cr, "pong", 4, 0))
			DIE("mq_send reply");
		/* alive until the parent saw its pid in the notification */
		close(hold[1]);
		read(hold[0], buf, 1);
		_exit(0);
	}
	if (child < 0)
		DIE("fork");
	close(hold[0]);
	/* the child's send to the reply queue raised the notification */
	if (sigwaitinfo(&set, &si) != SIGUSR1)
		DIE("sigwaitinfo");
	OUT("notify=%d", si.si_code == SI_MESGQ && si.si_pid == child);
	if (si.si_code != SI_MESGQ || si.si_pid != child)
		OUT("notify_info=%d:%d:%d", si.si_code, (int)si.si_pid,
		    (int)child);
	close(hold[1]);
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status) && !WEXITSTATUS(status), "child %#x", status);

	if (mq_getattr(q, &a))
		DIE("mq_getattr");
	CHECK(a.mq_curmsgs == 3 && a.mq_maxmsg == 4 && a.mq_msgsize == 64,
	      "attr %ld %ld %ld", a.mq_curmsgs, a.mq_maxmsg, a.mq_msgsize);
	printf("order=");
	for (int i = 0; i < 3; i++) {
		ssize_t n = mq_receive(q, buf, sizeof(buf), &prio);

		if (n < 0)
			DIE("mq_receive");
		printf("%s%.*s:%u", i ? "," : "", (int)n, buf, prio);
	}
	printf("\n");
	ssize_t n = mq_receive(r, buf, sizeof(buf), NULL);
	OUT("reply=%.*s", n > 0 ? (int)n : 0, buf);

	mq_close(q);
	mq_close(r);
	CHECK(!mq_unlink(name), "mq_unlink %s", errname(errno));
	CHECK(!mq_unlink(reply_name), "mq_unlink reply %s", errname(errno));
	OUT("reopen=%s", res(mq_open(name, O_RDWR)));
	OUT("done=1");
	return prog_exit();
}

static volatile int notified;

static void on_notify(union sigval v)
{
	notified = 1;
}

static int notify_thread(const char *name)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD,
				.sigev_notify_function = on_notify };
	mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &small);

	if (q < 0)
		DIE("mq_open");
	mq_unlink(name);
	if (mq_notify(q, &sev)) {
		OUT("notify_thread=%s", errname(errno));
		return prog_exit();
	}
	OUT("notify_thread=0");
	if (mq_send(q, "x", 1, 0))
		DIE("mq_send");
	for (int i = 0; i < 500 && !notified; i++)
		usleep(10000);
	OUT("notified=%d", notified);
	return prog_exit();
}

static void show_curmsgs(mqd_t q)
{
	struct mq_attr a;

	if (!mq_getattr(q, &a))
		OUT("curmsgs=%ld", a.mq_curmsgs);
}

static long raw_open(const void *name, int oflag, void *attr)
{
	return syscall(SYS_mq_open, name, oflag, 0600, attr) < 0 ? errno : 0;
}

/* The same checks give the same answers on the host and in a guest. */
static int bad(void)
{
	size_t big = 10 << 20;
	char *huge = malloc(big + 1), *page, name300[301];
	struct mq_attr a = { .mq_maxmsg = INT32_MIN, .mq_msgsize = 64 };
	long pg = sysconf(_SC_PAGESIZE);

	if (!huge)
		DIE("malloc");
	memset(huge, 'a', big);
	huge[big] = '\0';
	memset(name300, 'b', 300);
	name300[300] = '\0';
	/* a name running into an unmapped page, with no NUL */
	page = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || munmap(page + pg, pg))
		DIE("mmap");
	memset(page, 'c', pg);

	OUT("null=%s", errname(raw_open(NULL, O_RDWR, NULL)));
	OUT("null_creat=%s", errname(raw_open(NULL, O_RDWR | O_CREAT, NULL)));
	OUT("unterminated=%s", errname(raw_open(page + pg - 100,
						O_RDWR | O_CREAT, NULL)));
	OUT("unterminated_page=%s", errname(raw_open(page, O_RDWR | O_CREAT,
						     NULL)));
	OUT("huge=%s", errname(raw_open(huge, O_RDWR | O_CREAT, NULL)));
	OUT("name300=%s", errname(raw_open(name300, O_RDWR | O_CREAT, NULL)));
	OUT("empty=%s", errname(raw_open("", O_RDWR | O_CREAT, NULL)));
	OUT("dot=%s", errname(raw_open(".", O_RDWR | O_CREAT, NULL)));
	OUT("dotdot=%s", errname(raw_open("..", O_RDWR, NULL)));
	OUT("slash=%s", errname(raw_open("a/b", O_RDWR | O_CREAT, NULL)));
	OUT("badattr=%s", errname(raw_open("umbra-bad", O_RDWR | O_CREAT,
					   (void *)8)));
	OUT("badattr_nocreat=%s", errname(raw_open("umbra-bad", O_RDWR,
						   (void *)8)));
	OUT("maxmsg_intmin=%s", errname(raw_open("umbra-bad", O_RDWR | O_CREAT,
						 &a)));
	a.mq_maxmsg = 1;
	a.mq_msgsize = -1;
	OUT("msgsize_neg=%s", errname(raw_open("umbra-bad", O_RDWR | O_CREAT,
					       &a)));
	OUT("absent=%s", errname(raw_open("umbra-bad", O_RDWR, NULL)));
	OUT("glibc_noslash=%s", res(mq_open("noslash", O_RDWR | O_CREAT,
					    0600, NULL)));
	OUT("unlink_null=%s", errname(syscall(SYS_mq_unlink, NULL) ? errno : 0));
	OUT("unlink_huge=%s", errname(syscall(SYS_mq_unlink, huge) ? errno : 0));
	OUT("unlink_empty=%s", errname(syscall(SYS_mq_unlink, "") ? errno : 0));
	OUT("unlink_slash=%s", errname(syscall(SYS_mq_unlink, "a/b") ? errno : 0));
	OUT("unlink_absent=%s", res(mq_unlink("/umbra-bad")));
	return prog_exit();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	char buf[8192];
	mqd_t q;

	if (!strcmp(mode, "pingpong") && argc > 2)
		return pingpong(argv[2]);
	if (!strcmp(mode, "bad"))
		return bad();
	if (!strcmp(mode, "notify_thread") && argc > 2)
		return notify_thread(argv[2]);
	if (!strcmp(mode, "open") && argc > 2) {
		q = mq_open(argv[2], O_RDWR);
		OUT("open=%s", res(q));
		if (q >= 0)
			show_curmsgs(q);
		return prog_exit();
	}
	if (!strcmp(mode, "create") && argc > 2) {
		q = mq_open(argv[2], O_RDWR | O_CREAT | O_EXCL, 0600, &small);
		OUT("create=%s", res(q));
		if (q >= 0)
			show_curmsgs(q);
		return prog_exit();
	}
	if (!strcmp(mode, "unlink") && argc > 2) {
		OUT("unlink=%s", res(mq_unlink(argv[2])));
		return prog_exit();
	}
	if (!strcmp(mode, "hold") && argc > 2) {
		q = mq_open(argv[2], O_RDWR | O_CREAT, 0600, &small);
		if (q < 0)
			DIE("mq_open %s", argv[2]);
		OUT("fd=%d", q);
		OUT("ready");
		for (;;)
			pause();
	}
	if (!strcmp(mode, "host") && argc > 3) {
		q = mq_open(argv[2], O_RDWR | O_CREAT | O_EXCL, 0600, &small);
		if (q < 0 || mq_send(q, argv[3], strlen(argv[3]), 0))
			DIE("host queue %s", argv[2]);
		return 0;
	}
	if (!strcmp(mode, "hostcheck") && argc > 2) {
		q = mq_open(argv[2], O_RDWR | O_NONBLOCK);
		if (q < 0)
			DIE("mq_open %s", argv[2]);
		show_curmsgs(q);
		ssize_t n = mq_receive(q, buf, sizeof(buf), NULL);
		OUT("data=%.*s", n > 0 ? (int)n : 0, buf);
		return 0;
	}
	if (!strcmp(mode, "hostgone") && argc > 2) {
		OUT("hostopen=%s", res(mq_open(argv[2], O_RDONLY)));
		return 0;
	}
	if (!strcmp(mode, "hostrm") && argc > 2) {
		mq_unlink(argv[2]);
		return 0;
	}
	fprintf(stderr, "usage: mq MODE [ARG...] (see the source)\n");
	return 2;
}
