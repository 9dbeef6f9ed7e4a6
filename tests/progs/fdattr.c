// SPDX-License-Identifier: GPL-2.0
/*
 * fdattr: change what fd 0's inode says about itself by every fd route:
 * fchmod, fchown, futimens, fchownat and utimensat with AT_EMPTY_PATH,
 * fsetxattr.  Prints `NAME=` 0 or the errno name for each.  Given a host
 * file outside the view as stdin, each must be refused (EROFS).
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include "prog.h"

static const char *res0(int r)
{
	return r ? errname(errno) : "0";
}

int main(void)
{
	struct timespec ts[2] = { { 1000, 0 }, { 1000, 0 } };

	OUT("fchmod=%s", res0(fchmod(0, 0600)));
	OUT("fchown=%s", res0(fchown(0, 123, 456)));
	OUT("futimens=%s", res0(futimens(0, ts)));
	OUT("fchownat=%s", res0(fchownat(0, "", 123, 456, AT_EMPTY_PATH)));
	OUT("utimensat=%s", res0(utimensat(0, "", ts, AT_EMPTY_PATH)));
	OUT("fsetxattr=%s", res0(fsetxattr(0, "user.x", "1", 1, 0)));
	return prog_exit();
}
