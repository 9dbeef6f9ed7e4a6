/*
 * mount(2) and umount2(2) inside the guest, at the syscall level: what
 * works for a guest with CAP_SYS_ADMIN, and the errno Linux gives for the
 * rest.  Works in the directory given as argv[1] (a private tmpfs), and
 * prints key=value lines.
 *
 *   mountsys DIR          everything, as root
 *   mountsys DIR nocap    only what a guest without CAP_SYS_ADMIN gets
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[256];

static const char *P(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, name);
	return buf[i];
}

static const char *err(long r)
{
	static char buf[32];

	if (r >= 0)
		return "0";
	switch (errno) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case EROFS: return "EROFS";
	case ENOTDIR: return "ENOTDIR";
	case ENODEV: return "ENODEV";
	case EAGAIN: return "EAGAIN";
	case ENOSPC: return "ENOSPC";
	case EFAULT: return "EFAULT";
	case EACCES: return "EACCES";
	}
	snprintf(buf, sizeof(buf), "errno%d", errno);
	return buf;
}

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, s, strlen(s)) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static const char *get(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return "none";
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Does /proc/self/mountinfo have a line with both strings? */
static int in_mountinfo(const char *a, const char *b)
{
	char line[1024];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int hit = 0;

	while (f && fgets(line, sizeof(line), f))
		hit |= strstr(line, a) && strstr(line, b);
	if (f)
		fclose(f);
	return hit;
}

static void basics(void)
{
	struct stat st;

	mkdir(P("a"), 0755);
	mkdir(P("b"), 0755);
	mkdir(P("p"), 0755);
	put(P("file"), "f");
	printf("tmpfs=%s\n", err(mount("none", P("a"), "tmpfs", 0, "size=1m,mode=710")));
	printf("tmode=%o\n", stat(P("a"), &st) ? 0 : st.st_mode & 07777);
	put(P("a/x"), "in tmpfs");
	printf("bind=%s\n", err(mount(P("a"), P("b"), NULL, MS_BIND, NULL)));
	printf("through_bind=%s\n", get(P("b/x")));
	printf("remount_ro=%s\n", err(mount(NULL, P("b"), NULL,
			MS_REMOUNT | MS_BIND | MS_RDONLY, NULL)));
	printf("write_ro=%s\n", err(put(P("b/y"), "y")));
	printf("write_rw=%s\n", err(put(P("a/y"), "y")));
	printf("dir_on_file=%s\n", err(mount(P("a"), P("file"), NULL, MS_BIND, NULL)));
	printf("ext4=%s\n", err(mount("/dev/sda1", P("a"), "ext4", 0, NULL)));
	printf("bogus=%s\n", err(mount("x", P("a"), "nosuchfs", 0, NULL)));
	printf("notype=%s\n", err(mount("x", P("a"), NULL, 0, NULL)));
	printf("badopt=%s\n", err(mount("x", P("p"), "tmpfs", 0, "frobnicate")));
	printf("missing=%s\n", err(mount("x", P("nonexist"), "tmpfs", 0, NULL)));
	printf("badptr=%s\n", err(mount("x", (char *)8, "tmpfs", 0, NULL)));
	printf("bind_nosrc=%s\n", err(mount(P("gone"), P("p"), NULL, MS_BIND, NULL)));
	{
		char magic[64];
		int fd = open(P("file"), O_RDONLY);

		snprintf(magic, sizeof(magic), "/proc/self/fd/%d", fd);
		printf("on_magic=%s\n", err(mount(P("a"), magic, NULL, MS_BIND, NULL)));
		close(fd);
	}
}

static void proc_and_info(void)
{
	char self[64], want[32];
	ssize_t n;

	printf("proc=%s\n", err(mount("proc", P("p"), "proc", 0, NULL)));
	n = readlink(P("p/self"), self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	printf("proc_self=%s\n", strcmp(self, want) ? self : "ok");
	printf("proc_status=%s\n", strncmp(get(P("p/self/status")), "Name:", 5) ? "bad" : "ok");
	printf("info_proc=%d info_tmpfs=%d info_ro=%d\n",
	       in_mountinfo(P("p"), " - proc "), in_mountinfo(P("a"), " - tmpfs none "),
	       in_mountinfo(P("b"), " ro,"));
	printf("private=%s\n", err(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)));
	printf("two_types=%s\n", err(mount(NULL, P("a"), NULL, MS_PRIVATE | MS_SHARED, NULL)));
	printf("type_notroot=%s\n", err(mount(NULL, P("a/x"), NULL, MS_PRIVATE, NULL)));
	printf("umount_proc=%s\n", err(umount2(P("p"), 0)));
}

static void umounts(void)
{
	char cwd[512];

	printf("umount_notmnt=%s\n", err(umount2(P("file"), 0)));
	printf("umount_badflag=%s\n", err(umount2(P("a"), 0x80)));
	printf("umount_expire_detach=%s\n", err(umount2(P("a"), MNT_EXPIRE | MNT_DETACH)));
	printf("expire=%s", err(umount2(P("a"), MNT_EXPIRE)));
	printf(",%s\n", err(umount2(P("a"), MNT_EXPIRE)));
	printf("gone_a=%s\n", get(P("a/x")));
	printf("bind_lives=%s\n", get(P("b/x")));
	if (chdir(P("b")))
		return;
	printf("cwd_busy=%s\n", err(umount2(P("b"), 0)));
	printf("lazy=%s\n", err(umount2(P("b"), MNT_DETACH)));
	printf("lazy_cwd=%s getcwd=%s\n", get("x"),
	       getcwd(cwd, sizeof(cwd)) ? "ok" : err(-1));
	printf("after_lazy=%s\n", get(P("b/x")));
	if (chdir("/"))
		return;
	printf("umount_root=%s\n", err(umount2("/", 0)));
}

/* Mount and unmount many times: nothing is kept; stacked, a limit. */
static void bounds(void)
{
	int i, n = 0;
	long r = 0;

	for (i = 0; i < 1000 && !r; i++) {
		r = mount("x", P("a"), "tmpfs", 0, NULL);
		if (!r)
			r = umount2(P("a"), 0);
	}
	printf("loop=%d %s\n", i, err(r));
	for (r = 0; !r && n < 5000; n++)
		r = mount("x", P("a"), "tmpfs", 0, NULL);
	printf("stack=%s\n", err(r));
	while (umount2(P("a"), 0) == 0)
		;
}

static void nocap(void)
{
	if (getuid() == 0 && setuid(65534))
		return;
	printf("nocap_mount=%s\n", err(mount("x", "/", "tmpfs", 0, NULL)));
	printf("nocap_umount=%s\n", err(umount2("/proc", 0)));
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3)
		return 2;
	snprintf(base, sizeof(base), "%s", argv[1]);
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3) {
		nocap();
		return 0;
	}
	basics();
	proc_and_info();
	umounts();
	bounds();
	nocap();
	return 0;
}
