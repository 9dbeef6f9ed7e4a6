/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FS_PERMISSION_H
#define UMBRA_FS_PERMISSION_H

#include <stdbool.h>
#include <sys/stat.h>
#include "kernel/cred.h"

#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4

/*
 * May credentials c do mask on an object with this owner and mode?  real:
 * with the real ids, as access(2) without AT_EACCESS.  0 or -EACCES.
 */
int guest_permission(const struct cred *c, const struct stat *st, int mask,
		     bool real);

int guest_may_create(const struct cred *c, int dirfd);
int guest_may_delete(const struct cred *c, int dirfd, const char *name);
void guest_own_new(const struct cred *c, int dirfd, const char *name);

int guest_may_chmod(const struct cred *c, const struct stat *st, mode_t *mode);
int guest_may_chown(const struct cred *c, const struct stat *st, uid_t uid,
		    gid_t gid);
int guest_may_utimes(const struct cred *c, const struct stat *st, bool set);

#endif
