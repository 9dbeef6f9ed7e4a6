/*
 * openat2's checks of struct open_how (tests/integration/fs_ops.sh,
 * test_openat2_checks): each case prints `NAME=RESULT` (ok or the errno),
 * the same on the host and inside umbra.  Run in a writable directory.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "prog.h"

struct big_how {
	struct open_how how;
	uint64_t extra[2];
};

static void try(const char *name, const char *path, uint64_t flags,
		uint64_t mode, uint64_t resolve, size_t size, uint64_t extra)
{
	struct big_how b = { { flags, mode, resolve }, { 0, extra } };
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &b, size);

	OUT("%s=%s", name, fd < 0 ? errname(errno) : "ok");
	if (fd >= 0)
		close((int)fd);
}

int main(void)
{
	size_t s = sizeof(struct open_how);

	close(open("f", O_CREAT | O_WRONLY, 0644));
	try("plain", "f", O_RDONLY, 0, 0, s, 0);
	try("small", "f", O_RDONLY, 0, 0, s - 8, 0);
	try("big_zero", "f", O_RDONLY, 0, 0, s + 16, 0);
	try("big_tail", "f", O_RDONLY, 0, 0, s + 16, 1);
	try("huge", "f", O_RDONLY, 0, 0, 8192, 0);
	try("unknown_flag", "f", O_RDONLY | (1ULL << 40), 0, 0, s, 0);
	try("unknown_flag_low", "f", O_RDONLY | 04000000000, 0, 0, s, 0);
	try("mode_no_creat", "f", O_RDONLY, 0644, 0, s, 0);
	try("mode_bad", "g", O_CREAT | O_WRONLY, 010000, 0, s, 0);
	try("creat", "g", O_CREAT | O_WRONLY, 0600, 0, s, 0);
	try("resolve_unknown", "f", O_RDONLY, 0, 1ULL << 20, s, 0);
	try("beneath_in_root", "f", O_RDONLY, 0,
	    RESOLVE_BENEATH | RESOLVE_IN_ROOT, s, 0);
	try("path_bad_flag", "f", O_PATH | O_WRONLY, 0, 0, s, 0);
	try("path_ok", "f", O_PATH | O_CLOEXEC, 0, 0, s, 0);
	/* glibc's __O_TMPFILE holds O_DIRECTORY: a directory is no tmpfile */
	try("directory", ".", O_RDONLY | O_DIRECTORY, 0, 0, s, 0);
	try("directory_beneath", ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0,
	    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, s, 0);
	try("directory_of_file", "f", O_RDONLY | O_DIRECTORY, 0, 0, s, 0);
	try("tmpfile_rdonly", ".", O_TMPFILE | O_RDONLY, 0600, 0, s, 0);
	try("tmpfile_creat", ".", O_TMPFILE | O_CREAT | O_RDWR, 0600, 0, s, 0);
	try("cached_creat", "h", O_CREAT | O_WRONLY, 0600, RESOLVE_CACHED, s,
	    0);
	/* the scoping flags (LTP's openat202) */
	mkdir("sub", 0755);
	symlink("f", "rel_link");
	symlink("/proc/version", "abs_link");
	symlink("../f", "sub/up_link");
	try("noxdev_proc", "/proc/version", O_RDONLY, 0, RESOLVE_NO_XDEV, s, 0);
	try("noxdev_here", "sub/../f", O_RDONLY, 0, RESOLVE_NO_XDEV, s, 0);
	try("nomagic_exe", "/proc/self/exe", O_RDONLY, 0,
	    RESOLVE_NO_MAGICLINKS, s, 0);
	try("nomagic_fd", "/proc/self/fd/0", O_RDONLY, 0,
	    RESOLVE_NO_MAGICLINKS, s, 0);
	try("nomagic_self", "/proc/self/status", O_RDONLY, 0,
	    RESOLVE_NO_MAGICLINKS, s, 0);
	try("nosym_link", "rel_link", O_RDONLY, 0, RESOLVE_NO_SYMLINKS, s, 0);
	try("nosym_mid", "sub/up_link", O_RDONLY, 0, RESOLVE_NO_SYMLINKS, s, 0);
	try("nosym_path", "rel_link", O_PATH | O_NOFOLLOW, 0,
	    RESOLVE_NO_SYMLINKS, s, 0);
	try("nosym_none", "sub/../f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS, s, 0);
	try("beneath_abs", "/proc/version", O_RDONLY, 0, RESOLVE_BENEATH, s, 0);
	try("beneath_up", "../f", O_RDONLY, 0, RESOLVE_BENEATH, s, 0);
	try("beneath_inside", "sub/../f", O_RDONLY, 0, RESOLVE_BENEATH, s, 0);
	try("beneath_rel_link", "rel_link", O_RDONLY, 0, RESOLVE_BENEATH, s, 0);
	try("beneath_abs_link", "abs_link", O_RDONLY, 0, RESOLVE_BENEATH, s, 0);
	try("beneath_up_link", "sub/up_link", O_RDONLY, 0, RESOLVE_BENEATH, s, 0);
	try("inroot_abs", "/proc/version", O_RDONLY, 0, RESOLVE_IN_ROOT, s, 0);
	try("inroot_up", "../../f", O_RDONLY, 0, RESOLVE_IN_ROOT, s, 0);
	try("inroot_absf", "/f", O_RDONLY, 0, RESOLVE_IN_ROOT, s, 0);
	try("inroot_abs_link", "abs_link", O_RDONLY, 0, RESOLVE_IN_ROOT, s, 0);
	return 0;
}
