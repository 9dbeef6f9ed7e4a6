// SPDX-License-Identifier: GPL-2.0
/*
 * statfs (Linux: fs/statfs.c); fstatfs runs natively on the guest's fd.
 *
 * Differs from Linux: the numbers are those of the host filesystem under
 * the guest's mount (a --tmpfs mount reports the host filesystem holding
 * its directory, not TMPFS_MAGIC); a read-only guest mount adds ST_RDONLY.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "kernel/fs/vfs.h"
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

long sys_statfs(struct trap *t)
{
	struct vfs_req req;
	struct nameidata nd;
	struct statfs sf;
	long ret;
	int fd = -1;

	ret = vfs_walk_at(t, -1, 0, WALK_FOLLOW, &req, &nd);
	if (!ret && nd.last_type == LAST_NORM) {
		fd = nd_open(&nd, O_PATH, 0);
		ret = fd < 0 ? fd : 0;
	}
	if (!ret && fstatfs(fd >= 0 ? fd : nd.dirfd, &sf))
		ret = -errno;
	if (!ret && mount_readonly(nd.mnt))
		sf.f_flags |= ST_RDONLY;
	if (fd >= 0)
		close(fd);
	vfs_done(&req, &nd);
	if (!ret && guest_write(t->task, t->args[1], &sf, sizeof(sf)))
		ret = -EFAULT;
	return ret;
}
