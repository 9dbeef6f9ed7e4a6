// SPDX-License-Identifier: GPL-2.0
/*
 * O_PATH|O_NOFOLLOW on a symlink (and O_PATH on a device no real open
 * reaches, /dev/tty without a terminal).  Linux gives an fd of the link itself,
 * which glibc's fchmodat(AT_SYMLINK_NOFOLLOW) (and so lchmod, and tar
 * extracting a symlink) opens and fstats to answer EOPNOTSUPP for a link.
 * The monitor cannot install an O_PATH file in a guest (seccomp's ADDFD
 * refuses them), so the guest gets a stand-in: an empty memfd of the
 * monitor's, remembered with the monitor's own O_PATH fd of the link.
 * A stat of the guest's fd ("" with AT_EMPTY_PATH, kernel/fs/stat.c) and
 * readlinkat(fd, "") look through a stand-in to the link.
 *
 * Differs from Linux: reading the stand-in gives end of file, not EBADF,
 * and anything else done with it acts on the empty memfd; the monitor
 * remembers the last OPATH_MAX stand-ins (one fd each), after which the
 * oldest is an empty file again.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel/fs/vfs.h"

#define OPATH_MAX 128

static struct {
	dev_t dev;
	ino_t ino;
	int linkfd;		/* the monitor's O_PATH fd of the link */
} standin[OPATH_MAX];
static unsigned int next, used;

/* A stand-in for the link (or device) name in dirfd: a monitor fd to install. */
int opath_standin(int dirfd, const char *name)
{
	unsigned int k = next % OPATH_MAX;
	struct stat st;
	int link, mfd;

	/* "": dirfd is the object (a file bound in, as /dev/tty) */
	link = name[0] ? openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC) :
			 fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (link < 0)
		return -errno;
	mfd = memfd_create("umbra-opath", MFD_CLOEXEC);
	if (mfd < 0 || fstat(mfd, &st)) {
		int err = -errno;

		close(link);
		if (mfd >= 0)
			close(mfd);
		return err;
	}
	if (next >= OPATH_MAX)
		close(standin[k].linkfd);
	standin[k].dev = st.st_dev;
	standin[k].ino = st.st_ino;
	standin[k].linkfd = link;
	next++;
	used = next < OPATH_MAX ? next : OPATH_MAX;
	return mfd;
}

/*
 * One of the monitor's copies of a guest fd: if it is a stand-in, a
 * monitor fd of the link in its place (the copy is closed); else itself.
 */
int opath_resolve(int hfd)
{
	struct stat st;
	int fd;

	if (!used || hfd < 0 || fstat(hfd, &st) || !S_ISREG(st.st_mode))
		return hfd;
	for (unsigned int i = 0; i < used; i++) {
		if (standin[i].ino != st.st_ino || standin[i].dev != st.st_dev)
			continue;
		fd = fcntl(standin[i].linkfd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return hfd;
		close(hfd);
		return fd;
	}
	return hfd;
}
