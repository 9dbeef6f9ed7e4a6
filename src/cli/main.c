// SPDX-License-Identifier: GPL-2.0
/*
 * umbra's command line.  Exit status follows env(1) and `docker run`:
 * 125 for umbra's own errors, 126 for a program that cannot run, 127 for
 * one that is not there, otherwise the guest init's status (128+N when it
 * died of signal N).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "platform/monitor.h"

#define UMBRA_VERSION "0.1.0"
#define EXIT_USAGE 125

extern char **environ;

static const char usage_top[] =
"Usage: umbra COMMAND [OPTIONS]\n"
"\n"
"Run unmodified Linux programs inside a virtual Linux, without privileges.\n"
"\n"
"Commands:\n"
"  run [OPTIONS] [--] PROGRAM [ARG...]   run PROGRAM as the guest's init\n"
"\n"
"  umbra --help | --version\n"
"  umbra run --help                      options of run\n";

static const char usage_run[] =
"Usage: umbra run [OPTIONS] [--] PROGRAM [ARG...]\n"
"\n"
"Run PROGRAM as process 1 of a new guest and exit with its status.\n"
"\n"
"Options:\n"
"  -r, --root DIR         the guest's root filesystem, copy-on-write: the\n"
"                         guest's changes go to a private layer, gone at\n"
"                         exit (default: the host's /, with the working\n"
"                         directory bound read-write and a private /tmp)\n"
"      --cow DIR          keep the changed layer in DIR (DIR/upper, and the\n"
"                         owners it remembers in DIR/meta): a later run\n"
"                         with the same -r and --cow sees the changes\n"
"      --rw               write the root itself (no layer, no private /tmp)\n"
"  -b, --bind HOST[:GUEST][:ro]\n"
"                         make host file or directory HOST appear at GUEST\n"
"                         (default: the same path), read-only with :ro\n"
"      --tmpfs GUEST      a private empty directory at GUEST, removed at exit\n"
"  -w, --cwd GUEST        the guest's working directory (default: the host's\n"
"                         when the guest can see it, else /)\n"
"  -e, --env NAME=VALUE   set a variable in the guest's environment\n"
"      --clear-env        start the guest with an empty environment\n"
"      --pids N           at most N guest tasks (threads count); beyond,\n"
"                         fork and clone fail with EAGAIN\n"
"      --trace FILE       write one line per emulated system call to FILE\n"
"      --mem SIZE         the guest's memory (K, M, G): past it, the largest\n"
"                         guest process is killed (SIGKILL), as by Linux's\n"
"                         OOM killer\n"
"      --no-landlock      no Landlock domain around the guest (the host\n"
"                         kernel's own wall beneath umbra's; also\n"
"                         UMBRA_NO_LANDLOCK=1), for measurement\n"
"  -0, --root-user        the guest's first process is root: uid and gid 0,\n"
"                         every capability (the host process stays yours)\n"
"      --user UID[:GID]   the guest's first process has these ids (GID\n"
"                         defaults to UID); root's capabilities if UID is 0\n"
"      --meta FILE        remember there the owners, modes and device nodes\n"
"                         the guest sets and the host cannot hold (default:\n"
"                         DIR/meta with --cow DIR; with --rw -r DIR a file\n"
"                         under $XDG_DATA_HOME/umbra/meta named after DIR;\n"
"                         else kept for the run)\n"
"      --hostname NAME    the guest's host name (default: umbra), as\n"
"                         uname -n and hostname say (at most 64 bytes)\n"
"      --net MODE         host (default): the host's network, its loopback\n"
"                         services included; none: sockets of any family\n"
"                         but AF_UNIX fail with EACCES (no IP, packet or\n"
"                         netlink sockets)\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: PROGRAM's, 128+N if it died of signal N; 125 for an error\n"
"of umbra itself, 126 if PROGRAM cannot be run, 127 if it is not found.\n";

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "umbra: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try 'umbra run --help')\n");
	exit(EXIT_USAGE);
}

struct env_list {
	char **v;
	size_t n;
};

static void env_set(struct env_list *e, const char *kv)
{
	size_t klen = strcspn(kv, "=");

	if (!kv[klen] || !klen)
		usage_error("-e wants NAME=VALUE, not '%s'", kv);
	for (size_t i = 0; i < e->n; i++) {
		if (!strncmp(e->v[i], kv, klen) && e->v[i][klen] == '=') {
			e->v[i] = (char *)kv;
			return;
		}
	}
	e->v = realloc(e->v, (e->n + 2) * sizeof(*e->v));
	if (!e->v) {
		perror("umbra");
		exit(EXIT_USAGE);
	}
	e->v[e->n++] = (char *)kv;
	e->v[e->n] = NULL;
}

static long parse_count(const char *s, const char *opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 1 << 22)
		usage_error("bad number for %s", opt);
	return v;
}

/*
 * The guest's /etc/passwd, opened inside the root as the guest would see
 * it (RESOLVE_IN_ROOT: a symlink in the rootfs cannot reach the host's).
 */
static FILE *guest_passwd(const char *root)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT };
	int rfd = open(root ? root : "/", O_PATH | O_DIRECTORY | O_CLOEXEC), fd;

	if (rfd < 0)
		return NULL;
	fd = (int)syscall(SYS_openat2, rfd, "etc/passwd", &how, sizeof(how));
	close(rfd);
	return fd < 0 ? NULL : fdopen(fd, "re");
}

/*
 * The name and home of uid in the guest's /etc/passwd, into name and
 * home (left as they are if it has no entry): 1 if found.
 */
static int passwd_entry(const char *root, uid_t uid, char *name,
			size_t nsize, char *home, size_t hsize)
{
	char line[4096], *f[7], *p;
	FILE *pw = guest_passwd(root);
	int n, found = 0;

	while (pw && !found && fgets(line, sizeof(line), pw)) {
		line[strcspn(line, "\n")] = '\0';
		for (n = 0, p = line; n < 7 && p; n++) {
			f[n] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		if (n < 6 || !*f[2] || strtoul(f[2], NULL, 10) != uid)
			continue;
		snprintf(name, nsize, "%.256s", f[0]);
		snprintf(home, hsize, "%s", f[5]);
		found = 1;
	}
	if (pw)
		fclose(pw);
	return found;
}

/*
 * -0 and --user: USER, LOGNAME and HOME of that uid in the guest's
 * /etc/passwd, as login sets them (root without an entry: root, /root);
 * -e still has the last word.
 */
static void user_env(struct env_list *env, const struct run_config *cfg)
{
	static char user[320], logname[320], home[PATH_MAX + 8];
	char name[260] = "", dir[PATH_MAX] = "";

	if (!cfg->set_user)
		return;
	if (cfg->uid == 0) {
		snprintf(name, sizeof(name), "root");
		snprintf(dir, sizeof(dir), "/root");
	}
	passwd_entry(cfg->vfs.root, cfg->uid, name, sizeof(name), dir,
		     sizeof(dir));
	if (name[0]) {
		snprintf(user, sizeof(user), "USER=%s", name);
		snprintf(logname, sizeof(logname), "LOGNAME=%s", name);
		env_set(env, user);
		env_set(env, logname);
	}
	if (dir[0]) {
		snprintf(home, sizeof(home), "HOME=%s", dir);
		env_set(env, home);
	}
}

/* Is guest path p at or under guest path g? */
static bool at_or_under(const char *g, const char *p)
{
	size_t k = strlen(g);

	return !strncmp(g, p, k) && (p[k] == '/' || !p[k]);
}

/* Is guest path p on a bind or tmpfs the user gave (there by that)? */
static bool on_user_mount(const struct run_config *cfg, const char *p)
{
	for (int i = 0; i < cfg->vfs.nbinds; i++)
		if (at_or_under(cfg->vfs.binds[i].guest, p))
			return true;
	for (int i = 0; i < cfg->vfs.ntmpfs; i++)
		if (at_or_under(cfg->vfs.tmpfs[i], p))
			return true;
	return false;
}

/* Does the guest see a directory at p (inside the root, or a -b/--tmpfs)? */
static bool guest_has_dir(const struct run_config *cfg, const char *p)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT };
	int rfd, fd;

	if (p[0] != '/' || on_user_mount(cfg, p))
		return p[0] == '/';
	rfd = open(cfg->vfs.root ? cfg->vfs.root : "/",
		   O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return false;
	fd = (int)syscall(SYS_openat2, rfd, p, &how, sizeof(how));
	close(rfd);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/*
 * A layer belongs to the tree it was made over: DIR/lower names it, and a
 * run over another tree would show that tree through the first one's
 * directories.  Exits with a usage error on a mismatch.
 */
static void same_lower(const char *dir, const char *root)
{
	char path[PATH_MAX], real[PATH_MAX], had[PATH_MAX + 2] = "";
	FILE *f;

	if (!realpath(root, real))
		return;		/* vfs_setup says what is wrong with it */
	snprintf(path, sizeof(path), "%s/lower", dir);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(had, sizeof(had), f))
			had[0] = '\0';
		fclose(f);
		had[strcspn(had, "\n")] = '\0';
		if (had[0] && strcmp(had, real)) {
			fprintf(stderr, "umbra: --cow %s was made over %s, not %s\n",
				dir, had, real);
			exit(EXIT_USAGE);
		}
		if (had[0])
			return;
	}
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", real);
		fclose(f);
	}
}

/*
 * One run at a time writes a layer: two would merge and copy up into the
 * same directories at once.  A POSIX record lock on DIR/lock: the
 * process's own, so neither the guests nor the guard process (forked
 * children) hold it, and it goes with the monitor, even after SIGKILL.
 */
static void lock_layer(const char *dir)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "umbra: --cow %s: %s: %s\n", dir, path,
			strerror(errno));
		exit(EXIT_USAGE);
	}
	if (fcntl(fd, F_SETLK, &fl)) {
		fprintf(stderr, "umbra: --cow %s is in use by another run\n",
			dir);
		exit(EXIT_USAGE);
	}
	/* fd stays open for as long as the monitor runs */
}

/*
 * The root is copy-on-write unless --rw (--cow DIR keeps the upper tree,
 * DIR/upper, and the store, DIR/meta).  Without -r that is the host's /,
 * with the working directory bound read-write and a private /tmp.
 */
static void setup_layers(struct run_config *cfg, bool rw)
{
	static char upper[PATH_MAX], cwd[PATH_MAX];
	struct stat st;

	cfg->vfs.overlay = !rw;
	if (cfg->cow_dir) {
		if (mkdir(cfg->cow_dir, 0700) && errno != EEXIST) {
			fprintf(stderr, "umbra: --cow %s: %s\n", cfg->cow_dir,
				strerror(errno));
			exit(EXIT_USAGE);
		}
		if (stat(cfg->cow_dir, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "umbra: --cow %s: not a directory\n",
				cfg->cow_dir);
			exit(EXIT_USAGE);
		}
		if (snprintf(upper, sizeof(upper), "%s/upper", cfg->cow_dir) >=
		    (int)sizeof(upper))
			usage_error("--cow: path too long: '%s'", cfg->cow_dir);
		cfg->vfs.upper = upper;
		lock_layer(cfg->cow_dir);
		same_lower(cfg->cow_dir, cfg->vfs.root ? cfg->vfs.root : "/");
	}
	if (rw || cfg->vfs.root)
		return;
	cfg->vfs.private_tmp = !on_user_mount(cfg, "/tmp");
	if (getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") &&
	    !on_user_mount(cfg, cwd))
		cfg->vfs.bind_cwd = cwd;
}

/*
 * An inherited HOME the guest cannot see (a host home, under -r): the
 * guest user's from its /etc/passwd, as login would set it (root: /root).
 */
static void home_env(struct env_list *env, const struct run_config *cfg)
{
	static char home[PATH_MAX + 8];
	char name[260], dir[PATH_MAX] = "";
	uid_t uid = cfg->set_user ? cfg->uid : getuid();
	const char *cur = NULL;

	for (size_t i = 0; i < env->n; i++)
		if (!strncmp(env->v[i], "HOME=", 5))
			cur = env->v[i] + 5;
	if (!cur || !cfg->vfs.root || guest_has_dir(cfg, cur))
		return;
	if (uid == 0)
		snprintf(dir, sizeof(dir), "/root");
	passwd_entry(cfg->vfs.root, uid, name, sizeof(name), dir, sizeof(dir));
	if (dir[0]) {
		snprintf(home, sizeof(home), "HOME=%s", dir);
		env_set(env, home);
	}
}

/* An id: 0 to 4294967294 (-1 means "unchanged" to the id calls). */
static unsigned long parse_id(const char *s, char **end)
{
	unsigned long v;

	errno = 0;
	if (*s < '0' || *s > '9')
		usage_error("--user wants UID[:GID] (numbers), not '%s'", s);
	v = strtoul(s, end, 10);
	if (errno || v >= 0xffffffffUL)
		usage_error("--user: id '%s' out of range", s);
	return v;
}

/* --user UID[:GID]: GID defaults to UID. */
static void parse_user(const char *s, struct run_config *cfg)
{
	char *end;

	cfg->uid = (uid_t)parse_id(s, &end);
	cfg->gid = (gid_t)cfg->uid;
	if (*end == ':')
		cfg->gid = (gid_t)parse_id(end + 1, &end);
	if (*end)
		usage_error("--user wants UID[:GID] (numbers), not '%s'", s);
	cfg->set_user = true;
}

/* SIZE with an optional K, M, G or T (powers of 1024); at least 1 MiB. */
static unsigned long long parse_size(const char *s, const char *opt)
{
	unsigned long long v, mul = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	case 't': case 'T': mul = 1ULL << 40; end++; break;
	}
	if (errno || end == s || *end || s[0] == '-' || v > (1ULL << 50) / mul ||
	    v * mul < (1ULL << 20))
		usage_error("bad size for %s (at least 1M, e.g. 512M or 2G)",
			    opt);
	return v * mul;
}

static void add_bind(struct vfs_config *v, char *spec)
{
	struct vfs_bind b = { .host = spec };
	char *c1 = strchr(spec, ':'), *c2;

	if (c1) {
		*c1++ = '\0';
		c2 = strrchr(c1, ':');
		if (c2 && (!strcmp(c2 + 1, "ro") || !strcmp(c2 + 1, "rw"))) {
			*c2 = '\0';
			b.ro = !strcmp(c2 + 1, "ro");
		} else if (!strcmp(c1, "ro") || !strcmp(c1, "rw")) {
			b.ro = !strcmp(c1, "ro");
			c1 = NULL;
		}
		if (c1)
			b.guest = c1;
	}
	if (!b.guest)
		b.guest = b.host;
	if (!*b.host || b.guest[0] != '/')
		usage_error("--bind wants HOST[:/GUEST][:ro], not '%s'", spec);
	v->binds = realloc(v->binds, (v->nbinds + 1) * sizeof(*v->binds));
	if (!v->binds)
		exit(EXIT_USAGE);
	v->binds[v->nbinds++] = b;
}

static void add_tmpfs(struct vfs_config *v, const char *guest)
{
	if (guest[0] != '/')
		usage_error("--tmpfs wants an absolute guest path, not '%s'",
			    guest);
	v->tmpfs = realloc(v->tmpfs, (v->ntmpfs + 1) * sizeof(*v->tmpfs));
	if (!v->tmpfs)
		exit(EXIT_USAGE);
	v->tmpfs[v->ntmpfs++] = guest;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "clear-env", no_argument, NULL, 'C' },
		{ "pids", required_argument, NULL, 'P' },
		{ "trace", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "root", required_argument, NULL, 'r' },
		{ "bind", required_argument, NULL, 'b' },
		{ "tmpfs", required_argument, NULL, 'M' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "no-landlock", no_argument, NULL, 'L' },
		{ "mem", required_argument, NULL, 'm' },
		{ "net", required_argument, NULL, 'N' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "root-user", no_argument, NULL, '0' },
		{ "user", required_argument, NULL, 'U' },
		{ "meta", required_argument, NULL, 'D' },
		{ "cow", required_argument, NULL, 'c' },
		{ "rw", no_argument, NULL, 'W' },
		{ 0 }
	};
	struct run_config cfg = { 0 };
	struct env_list env = { 0 }, extra = { 0 };
	bool clear = false, rw = false;
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+e:hr:b:w:0", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			env_set(&extra, optarg);
			break;
		case 'C':
			clear = true;
			break;
		case 'P':
			cfg.max_tasks = parse_count(optarg, "--pids");
			break;
		case 'T':
			cfg.trace_path = optarg;
			break;
		case 'L':
			cfg.no_landlock = true;
			break;
		case 'm':
			cfg.mem_limit = parse_size(optarg, "--mem");
			break;
		case 'N':
			if (strcmp(optarg, "none") && strcmp(optarg, "host"))
				usage_error("--net wants none or host, not '%s'",
					    optarg);
			cfg.net_none = !strcmp(optarg, "none");
			break;
		case 'H':
			if (!optarg[0] || strlen(optarg) > 64)
				usage_error("--hostname wants 1 to 64 bytes, "
					    "not '%s'", optarg);
			cfg.hostname = optarg;
			break;
		case '0':
			cfg.set_user = true;
			cfg.uid = 0;
			cfg.gid = 0;
			break;
		case 'U':
			parse_user(optarg, &cfg);
			break;
		case 'D':
			if (!optarg[0])
				usage_error("--meta wants a file%s", "");
			cfg.meta_path = optarg;
			break;
		case 'c':
			if (!optarg[0])
				usage_error("--cow wants a directory%s", "");
			cfg.cow_dir = optarg;
			break;
		case 'W':
			rw = true;
			break;
		case 'h':
			fputs(usage_run, stdout);
			return 0;
		case 'r':
			cfg.vfs.root = optarg;
			break;
		case 'b':
			add_bind(&cfg.vfs, optarg);
			break;
		case 'M':
			add_tmpfs(&cfg.vfs, optarg);
			break;
		case 'w':
			if (optarg[0] != '/')
				usage_error("--cwd wants an absolute guest "
					    "path, not '%s'", optarg);
			cfg.vfs.cwd = optarg;
			break;
		default:
			usage_error("unknown or incomplete option '%s'",
				    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		usage_error("%s", "run: no PROGRAM given");
	if (rw && cfg.cow_dir)
		usage_error("%s", "--rw writes the root itself: no --cow with it");
	setup_layers(&cfg, rw);
	if (!clear)
		for (char **e = environ; *e; e++)
			env_set(&env, *e);
	user_env(&env, &cfg);
	home_env(&env, &cfg);
	for (size_t i = 0; i < extra.n; i++)
		env_set(&env, extra.v[i]);
	if (!env.v)
		env.v = calloc(1, sizeof(char *));
	cfg.envp = env.v;
	cfg.argv = argv + optind;
	cfg.vfs.default_devices = true;
	status = monitor_run(&cfg);
	free(env.v);
	free(extra.v);
	free(cfg.vfs.binds);
	free(cfg.vfs.tmpfs);
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_top, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_top, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("umbra %s\n", UMBRA_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	usage_error("unknown command '%s'", argv[1]);
	return EXIT_USAGE;
}
