/*
 * creds MODE — the id and capability calls, with Linux's rules.
 *
 *   root   (run as uid 0 with every capability) setgroups, then
 *          setresuid(1, 2, 3): `groups=3,5`, `res=1,2,3`, `eff=0`
 *          (capabilities gone with uid 0), `setuid0=EPERM`
 *   keep   (as root) PR_SET_KEEPCAPS, then setresuid to 1000:
 *          `prm=1` (permitted kept), `eff=0`; PR_CAPBSET_READ of
 *          CAP_CHOWN: `bset=1`
 *   files DIR  (as root) makes DIR/secret (0600) and a sticky DIR/s with
 *          a file of root's, then becomes uid 4242: `open=EACCES`,
 *          `access=EACCES`, `unlink=EPERM` (sticky), `chmod=EPERM`,
 *          `chown=EPERM`, `mkdir=EACCES` (in DIR, 0755 root's),
 *          `own=4242` (the owner of a file it made in DIR/s),
 *          `search=EACCES` (a file in root's 0700 DIR/locked),
 *          `chdir=EACCES` (into it), `fchdir=EACCES` (through an fd of
 *          it opened before), `noatime=EPERM` (O_NOATIME on root's file),
 *          `sgid=1` (a setgid file it makes keeps the bit), `efbig=EFBIG`
 *          (truncate of a 0666 file past RLIMIT_FSIZE), `sconnect=EACCES`
 *          (connect to root's 0500 AF_UNIX socket file), `sbind=EACCES`
 *          (bind one in DIR)
 *   user   (as a uid other than 0, no capabilities): `setuid0=EPERM`,
 *          `setgroups=EPERM`, `fsuid=UID` (setfsuid(0) returns the old
 *          one and changes nothing), `reuid=0` (setreuid(-1, own uid))
 */
#include <pthread.h>
#include "prog.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static void caps(uint64_t *eff, uint64_t *prm)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		DIE("capget");
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
}

static void do_root(void)
{
	gid_t g[] = { 5, 3 }, got[8];
	uid_t r, e, s;
	uint64_t eff, prm;
	int n;

	if (setgroups(2, g))
		DIE("setgroups");
	n = getgroups(8, got);
	printf("groups=%u,%u\n", n > 0 ? got[0] : 99, n > 1 ? got[1] : 99);
	if (setresuid(1, 2, 3))
		DIE("setresuid");
	getresuid(&r, &e, &s);
	printf("res=%u,%u,%u\n", r, e, s);
	caps(&eff, &prm);
	printf("eff=%d\n", eff != 0);
	printf("setuid0=%s\n", res(setuid(0)));
}

static void do_keep(void)
{
	uint64_t eff, prm;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		DIE("keepcaps");
	if (setresuid(1000, 1000, 1000))
		DIE("setresuid");
	caps(&eff, &prm);
	printf("prm=%d\neff=%d\n", prm != 0, eff != 0);
	printf("bset=%d\n", prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0));
}

static void do_files(const char *dir)
{
	char secret[512], sticky[512], inside[512], mine[512], sub[512];
	char locked[512], hidden[512], sgid[512], big[512];
	struct sockaddr_un sa;
	int srv, cl;
	struct rlimit rl = { 1000, 1000 };
	int lfd;
	struct stat st;
	int fd;

	snprintf(secret, sizeof(secret), "%s/secret", dir);
	snprintf(sticky, sizeof(sticky), "%s/s", dir);
	snprintf(inside, sizeof(inside), "%s/s/roots", dir);
	snprintf(mine, sizeof(mine), "%s/s/mine", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(locked, sizeof(locked), "%s/locked", dir);
	snprintf(hidden, sizeof(hidden), "%s/locked/f", dir);
	umask(0);
	if (chmod(dir, 0755) || (fd = open(secret, O_CREAT | O_WRONLY, 0600)) < 0)
		DIE("secret");
	close(fd);
	if (mkdir(sticky, 01777) || chmod(sticky, 01777) ||
	    (fd = open(inside, O_CREAT | O_WRONLY, 0644)) < 0)
		DIE("sticky");
	close(fd);
	if (mkdir(locked, 0700) ||
	    (fd = open(hidden, O_CREAT | O_WRONLY, 0644)) < 0)
		DIE("locked");
	close(fd);
	snprintf(big, sizeof(big), "%s/big", dir);
	fd = open(big, O_CREAT | O_WRONLY, 0666);
	if (fd < 0)
		DIE("big");
	close(fd);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", dir);
	if (srv < 0 || bind(srv, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(srv, 1) || chmod(sa.sun_path, 0500))
		DIE("socket");
	lfd = open(locked, O_RDONLY | O_DIRECTORY);
	if (lfd < 0)
		DIE("locked fd");
	if (setresgid(4242, 4242, 4242) || setresuid(4242, 4242, 4242))
		DIE("drop");
	printf("open=%s\n", res(open(secret, O_RDONLY) < 0 ? -1 : 0));
	printf("access=%s\n", res(access(secret, R_OK)));
	printf("unlink=%s\n", res(unlink(inside)));
	printf("chmod=%s\n", res(chmod(secret, 0644)));
	printf("chown=%s\n", res(chown(secret, 4242, 4242)));
	printf("mkdir=%s\n", res(mkdir(sub, 0755)));
	fd = open(mine, O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || fstat(fd, &st))
		DIE("mine");
	printf("own=%u\n", st.st_uid);
	printf("search=%s\n", res(open(hidden, O_RDONLY) < 0 ? -1 : 0));
	printf("chdir=%s\n", res(chdir(locked)));
	printf("fchdir=%s\n", res(fchdir(lfd)));
	printf("noatime=%s\n", res(open(inside, O_RDONLY | O_NOATIME) < 0 ? -1 : 0));
	snprintf(sgid, sizeof(sgid), "%s/s/sgid", dir);
	fd = open(sgid, O_CREAT | O_WRONLY, 02755);
	if (fd < 0 || fstat(fd, &st))
		DIE("sgid");
	printf("sgid=%d\n", !!(st.st_mode & S_ISGID));
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &rl);
	printf("efbig=%s\n", res(truncate(big, 5000)));
	cl = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("sconnect=%s\n", res(connect(cl, (struct sockaddr *)&sa, sizeof(sa))));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock2", dir);
	printf("sbind=%s\n", res(bind(cl, (struct sockaddr *)&sa, sizeof(sa))));
}

static void do_user(void)
{
	gid_t g = 0;
	uid_t me = getuid();

	printf("setuid0=%s\n", res(setuid(0)));
	printf("setgroups=%s\n", res(setgroups(1, &g)));
	printf("fsuid=%d\n", setfsuid(0));
	printf("fsuid_after=%d\n", setfsuid(-1));
	printf("reuid=%s\n", res(setreuid(-1, me)));
	printf("uid=%u\n", me);
}

/*
 * A set-id program that drops its ids, then execs from a thread that is
 * not the leader: the new image must not get the old exec's ids back.
 */
static void *exec_from_thread(void *arg)
{
	char **argv = arg;

	execv(argv[0], argv);
	_exit(127);
}

static void do_thread_exec(char **argv)
{
	pthread_t th;
	uid_t me = getuid();

	if (setresuid(me, me, me))
		DIE("setresuid");
	if (pthread_create(&th, NULL, exec_from_thread, argv))
		DIE("pthread_create");
	pthread_join(th, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "root"))
		do_root();
	else if (!strcmp(mode, "keep"))
		do_keep();
	else if (!strcmp(mode, "user"))
		do_user();
	else if (!strcmp(mode, "files") && argc > 2)
		do_files(argv[2]);
	else if (!strcmp(mode, "thread_exec") && argc > 2)
		do_thread_exec(argv + 2);
	else
		DIE("usage: creds root|keep|user");
	return prog_failures ? 1 : 0;
}
