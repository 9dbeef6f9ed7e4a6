/*
 * escape_race — the TOCTOU class: another thread changes what a path means
 * while the monitor decides on it.  The monitor must copy a path once and
 * act on its copy, and resolve symlinks in guest terms whatever they say
 * at the moment.
 *
 *   escape_race paths INO TOKEN GOOD_DIR EVIL_DIR...
 *
 *	A second thread rewrites one path buffer in a tight loop, cycling
 *	through GOOD_DIR/NAME, EVIL_DIR/NAME, GOOD_DIR/NAME, EVIL_DIR2/NAME...
 *	while this thread calls, on that buffer:
 *	    open + read + fstat   40,000 times  (NAME "secret")
 *	    stat                  30,000 times  (NAME "secret")
 *	    readlink              27,000 times  (NAME "secretlink")
 *	    execve                 3,000 times  (NAME "secret.sh"; a child
 *	                                        with its own rewriting thread)
 *	100,000 calls in all.  GOOD_DIR holds harmless files of those names
 *	(secret.sh a script printing something harmless); the EVIL_DIRs are
 *	spellings of the host directory with the real ones: INO is the host
 *	inode of its "secret", TOKEN its content, which "secretlink" points
 *	to and "secret.sh" prints.
 *
 *   escape_race swap INO TOKEN WORK_DIR EVIL_DIR...
 *
 *	A second thread flips, in WORK_DIR (writable), a symlink "l"
 *	between "good/secret" and EVIL_DIR/secret (symlink + rename over
 *	it), and a directory "d" between a real directory holding a harmless
 *	"secret" and a symlink to EVIL_DIR (renameat2 RENAME_EXCHANGE), while
 *	this thread opens l and d/secret (20,000 times each) and stats them
 *	(10,000 times each).
 *
 * Prints, per call type, `CALL_ok=` (calls that succeeded, on a harmless
 * object), `CALL_err=` (calls that failed) and `CALL_leak=` (calls that
 * reached the secret: its inode, its token); then `flips=` and `leaks=`.
 * Never prints the token.  Exits 1 if anything leaked, 99 if the set-up
 * failed.
 */
#include "prog.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

#define MAXC 16

static ino_t secret_ino;
static const char *token;
static long leaks;

/* The buffer the calls use and the other thread rewrites. */
static char buf[4096] __attribute__((aligned(64)));
static char cand[MAXC][1024];
static int ncand;
static atomic_int stop;
static atomic_long flips;

static void *rewriter(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		for (int i = 0; i < ncand; i++) {
			/* byte by byte too: torn mixtures are paths as well */
			volatile char *b = buf;
			const char *s = cand[i];
			size_t n = strlen(s);

			if (i & 1) {
				memcpy((char *)buf, s, n + 1);
			} else {
				for (size_t k = 0; k <= n; k++)
					b[k] = s[k];
			}
		}
		atomic_fetch_add_explicit(&flips, 1, memory_order_relaxed);
	}
	return NULL;
}

/* Candidates: GOOD/NAME alternating with each EVIL/NAME. */
static void set_candidates(const char *good, char **evil, int nevil,
			   const char *name)
{
	ncand = 0;
	for (int i = 0; i < nevil && ncand + 2 <= MAXC; i++) {
		snprintf(cand[ncand++], sizeof(cand[0]), "%s/%s", good, name);
		snprintf(cand[ncand++], sizeof(cand[0]), "%s/%s", evil[i], name);
	}
	strcpy(buf, cand[0]);
}

static pthread_t start_rewriter(void)
{
	pthread_t th;

	atomic_store(&stop, 0);
	if (pthread_create(&th, NULL, rewriter, NULL))
		DIE("pthread_create");
	return th;
}

static void stop_rewriter(pthread_t th)
{
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
}

struct counts {
	const char *name;
	long ok, err, leak;
};

static void report(const struct counts *c)
{
	OUT("%s_ok=%ld", c->name, c->ok);
	OUT("%s_err=%ld", c->name, c->err);
	OUT("%s_leak=%ld", c->name, c->leak);
	leaks += c->leak;
}

static bool has_token(const char *s, size_t n)
{
	size_t t = strlen(token);

	for (size_t i = 0; i + t <= n; i++)
		if (!memcmp(s + i, token, t))
			return true;
	return false;
}

/* Open what the path names now; did it reach the secret? */
static void try_open(const char *path, struct counts *c)
{
	char data[512];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		c->err++;
		return;
	}
	n = read(fd, data, sizeof(data));
	if ((n > 0 && has_token(data, n)) ||
	    (fstat(fd, &st) == 0 && st.st_ino == secret_ino))
		c->leak++;
	else
		c->ok++;
	close(fd);
}

static void try_stat(const char *path, struct counts *c)
{
	struct stat st;

	if (stat(path, &st)) {
		c->err++;
		return;
	}
	if (st.st_ino == secret_ino)
		c->leak++;
	else
		c->ok++;
}

static void try_readlink(const char *path, struct counts *c)
{
	char data[1024];
	ssize_t n = readlink(path, data, sizeof(data));

	if (n < 0) {
		c->err++;
		return;
	}
	if (has_token(data, n))
		c->leak++;
	else
		c->ok++;
}

/*
 * execve from a child that has its own rewriting thread (a forked child
 * has only the forking thread).  The child tries up to `left` execs;
 * shared counters say how many failed.  What a successful exec printed
 * comes back through a pipe.
 */
static void race_execve(long total, struct counts *c)
{
	long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long done = 0, killed = 0;

	if (shared == MAP_FAILED)
		DIE("mmap");
	while (done < total) {
		int p[2], st;
		char out[512];
		ssize_t n, got = 0;
		pid_t pid;

		if (pipe2(p, O_CLOEXEC))
			DIE("pipe");
		shared[0] = 0;
		pid = fork();
		if (pid < 0)
			DIE("fork");
		if (pid == 0) {
			char *argv[] = { buf, NULL };
			char *envp[] = { "PATH=/bin:/usr/bin", NULL };

			dup2(p[1], 1);
			start_rewriter();
			for (long i = done; i < total; i++) {
				execve(buf, argv, envp);
				__atomic_add_fetch(&shared[0], 1, __ATOMIC_SEQ_CST);
			}
			_exit(0);
		}
		close(p[1]);
		while (got < (ssize_t)sizeof(out) - 1 &&
		       (n = read(p[0], out + got, sizeof(out) - 1 - got)) > 0)
			got += n;
		close(p[0]);
		if (waitpid(pid, &st, 0) != pid)
			DIE("waitpid");
		c->err += shared[0];
		done += shared[0];
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;	/* a raced exec the monitor caught late */
		if (has_token(out, got)) {
			c->leak++;
			done++;
		} else if (got > 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			c->ok++;	/* an exec that worked, or died trying */
			done++;
		} else if (!shared[0]) {
			DIE("an exec child did nothing");
		}
	}
	OUT("execve_killed=%ld", killed);
	munmap(shared, 4096);
}

static int mode_paths(const char *good, char **evil, int nevil)
{
	static const struct {
		const char *name, *file;
		long n;
	} kinds[] = {
		{ "open", "secret", 40000 },
		{ "stat", "secret", 30000 },
		{ "readlink", "secretlink", 27000 },
		{ "execve", "secret.sh", 3000 },
	};
	long before = 0;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct counts c = { kinds[k].name, 0, 0, 0 };
		pthread_t th;

		set_candidates(good, evil, nevil, kinds[k].file);
		if (!strcmp(kinds[k].name, "execve")) {
			race_execve(kinds[k].n, &c);
		} else {
			th = start_rewriter();
			for (long i = 0; i < kinds[k].n; i++) {
				if (k == 0)
					try_open(buf, &c);
				else if (k == 1)
					try_stat(buf, &c);
				else
					try_readlink(buf, &c);
			}
			stop_rewriter(th);
		}
		report(&c);
		OUT("%s_calls=%ld", kinds[k].name, c.ok + c.err + c.leak);
		before += c.ok + c.err + c.leak;
	}
	OUT("calls=%ld", before);
	OUT("flips=%ld", atomic_load(&flips));
	OUT("leaks=%ld", leaks);
	return leaks ? 1 : prog_exit();
}

/* The swap race: the rewriting thread changes the tree, not the buffer. */
static const char *work;
static char evil_link[MAXC][1024], evil_dir[MAXC][1024];
static int nevil_targets;

static void xsymlink(const char *target, const char *path)
{
	if (symlink(target, path))
		DIE("symlink %s -> %s", path, target);
}

static void *swapper(void *arg)
{
	char l[1200], ltmp[1200], d[1200], dalt[1200];
	long i = 0;

	(void)arg;
	snprintf(l, sizeof(l), "%s/l", work);
	snprintf(ltmp, sizeof(ltmp), "%s/l.tmp", work);
	snprintf(d, sizeof(d), "%s/d", work);
	snprintf(dalt, sizeof(dalt), "%s/d.alt", work);
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		const char *target = (i & 1) ? evil_link[(i / 2) % nevil_targets] :
					       "good/secret";

		unlink(ltmp);
		if (symlink(target, ltmp) || rename(ltmp, l)) {
			OUT("FAIL swap of l: %s", errname(errno));
			_exit(99);
		}
		/* d.alt is a symlink to an evil dir: retarget it, swap */
		if ((i & 3) == 1) {
			unlink(ltmp);
			if (symlink(evil_dir[(i / 4) % nevil_targets], ltmp))
				_exit(99);
			/* replace whichever of d, d.alt is the symlink */
			struct stat st;
			const char *which = lstat(d, &st) == 0 && S_ISLNK(st.st_mode) ?
					    d : dalt;
			if (rename(ltmp, which)) {
				OUT("FAIL retarget of %s: %s", which, errname(errno));
				_exit(99);
			}
		}
		if (syscall(SYS_renameat2, AT_FDCWD, d, AT_FDCWD, dalt,
			    RENAME_EXCHANGE)) {
			OUT("FAIL renameat2(RENAME_EXCHANGE) %s %s: %s", d, dalt,
			    errname(errno));
			_exit(99);
		}
		i++;
		atomic_fetch_add_explicit(&flips, 1, memory_order_relaxed);
	}
	return NULL;
}

static int mode_swap(const char *dir, char **evil, int nevil)
{
	char path[1200], l[1200], ds[1200];
	struct counts ol = { "open_link", 0, 0, 0 }, od = { "open_dir", 0, 0, 0 };
	struct counts sl = { "stat_link", 0, 0, 0 }, sd = { "stat_dir", 0, 0, 0 };
	pthread_t th;
	int fd;

	work = dir;
	for (int i = 0; i < nevil && i < MAXC; i++) {
		snprintf(evil_link[i], sizeof(evil_link[0]), "%s/secret", evil[i]);
		snprintf(evil_dir[i], sizeof(evil_dir[0]), "%s", evil[i]);
		nevil_targets++;
	}
	if (!nevil_targets)
		DIE("no EVIL_DIR");
	snprintf(path, sizeof(path), "%s/good", dir);
	if (mkdir(path, 0755))
		DIE("mkdir %s", path);
	snprintf(path, sizeof(path), "%s/good/secret", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "harmless\n", 9) != 9 || close(fd))
		DIE("create %s", path);
	snprintf(path, sizeof(path), "%s/d", dir);
	if (mkdir(path, 0755))
		DIE("mkdir %s", path);
	snprintf(path, sizeof(path), "%s/d/secret", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "harmless\n", 9) != 9 || close(fd))
		DIE("create %s", path);
	snprintf(path, sizeof(path), "%s/d.alt", dir);
	xsymlink(evil_dir[0], path);
	snprintf(l, sizeof(l), "%s/l", dir);
	xsymlink("good/secret", l);
	snprintf(ds, sizeof(ds), "%s/d/secret", dir);

	atomic_store(&stop, 0);
	if (pthread_create(&th, NULL, swapper, NULL))
		DIE("pthread_create");
	for (long i = 0; i < 20000; i++) {
		try_open(l, &ol);
		try_open(ds, &od);
		if (i & 1) {
			try_stat(l, &sl);
			try_stat(ds, &sd);
		}
	}
	atomic_store(&stop, 1);
	pthread_join(th, NULL);
	report(&ol);
	report(&od);
	report(&sl);
	report(&sd);
	OUT("flips=%ld", atomic_load(&flips));
	OUT("leaks=%ld", leaks);
	return leaks ? 1 : prog_exit();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 6 && (!strcmp(argv[1], "paths") || !strcmp(argv[1], "swap"))) {
		secret_ino = (ino_t)strtoull(argv[2], NULL, 10);
		token = argv[3];
		if (!secret_ino || strlen(token) < 8)
			DIE("bad INO or TOKEN");
		if (!strcmp(argv[1], "paths"))
			return mode_paths(argv[4], argv + 5, argc - 5);
		return mode_swap(argv[4], argv + 5, argc - 5);
	}
	fprintf(stderr, "usage: escape_race paths|swap INO TOKEN DIR EVIL_DIR...\n");
	return 2;
}
