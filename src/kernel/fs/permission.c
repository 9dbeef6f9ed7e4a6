// SPDX-License-Identifier: GPL-2.0
/*
 * Access checks for the guest's credentials, as Linux's
 * generic_permission: the owner's, the group's or the others' bits, then
 * CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH.  The host still makes its own
 * check for the monitor's credentials when the call is made; this one is
 * what a guest that changed its ids (a root dropping to nobody) meets.
 *
 * The owner and mode are the guest's view (meta.h: the id map and the
 * store of remembered owners).  Differs from Linux: no ACLs.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include "kernel/fs/meta.h"
#include "kernel/fs/permission.h"

int guest_permission(const struct cred *c, const struct stat *st, int mask,
		     bool real)
{
	uid_t uid = real ? c->uid : c->fsuid;
	gid_t gid = real ? c->gid : c->fsgid;
	/* access(2) without AT_EACCESS: root's permitted set, else none */
	uint64_t caps = real ? (c->uid == 0 ? c->cap_prm : 0) : c->cap_eff;
	mode_t m = st->st_mode;
	int bits;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (uid == st->st_uid)
		bits = (m >> 6) & 7;
	else if (gid == st->st_gid || cred_in_group(c, st->st_gid))
		bits = (m >> 3) & 7;
	else
		bits = m & 7;
	if (!(mask & ~bits))
		return 0;
	if (S_ISDIR(m)) {
		if (!(mask & MAY_WRITE) &&
		    (caps & (1ULL << CAP_DAC_READ_SEARCH)))
			return 0;
		return caps & (1ULL << CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if ((!(mask & MAY_EXEC) || (m & (S_IXUSR | S_IXGRP | S_IXOTH))) &&
	    (caps & (1ULL << CAP_DAC_OVERRIDE)))
		return 0;
	if (mask == MAY_READ && (caps & (1ULL << CAP_DAC_READ_SEARCH)))
		return 0;
	return -EACCES;
}

/* Creating an entry: write and search on the directory. */
int guest_may_create(const struct cred *c, int dirfd)
{
	struct stat dir;

	if (meta_fstat(dirfd, &dir))
		return -errno;
	return guest_permission(c, &dir, MAY_WRITE | MAY_EXEC, false);
}

/*
 * Removing or replacing an entry: the same, and in a sticky directory
 * only the entry's or the directory's owner (or CAP_FOWNER) may.
 */
int guest_may_delete(const struct cred *c, int dirfd, const char *name)
{
	struct stat dir, st;
	int err;

	if (meta_fstat(dirfd, &dir))
		return -errno;
	err = guest_permission(c, &dir, MAY_WRITE | MAY_EXEC, false);
	if (err || !(dir.st_mode & S_ISVTX))
		return err;
	if (meta_fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return 0;	/* the call itself says ENOENT */
	if (c->fsuid == st.st_uid || c->fsuid == dir.st_uid ||
	    (c->cap_eff & (1ULL << CAP_FOWNER)))
		return 0;
	return -EPERM;
}

/*
 * A new entry belongs to its creator's fsuid, and to its fsgid unless the
 * directory is setgid.  A root monitor can say so to the host; any other
 * monitor's files are its user's, and the store (meta.c) remembers the
 * guest's owner where that differs.
 */
void guest_own_new(const struct cred *c, int dirfd, const char *name)
{
	struct stat dir, st;
	gid_t gid = c->fsgid;
	mode_t keep;

	if (geteuid() != 0) {
		/*
		 * The host made it its user's, which is what it shows when the
		 * creator's ids are those and no record can say otherwise (a
		 * setgid directory's group the host gives too, unless the
		 * store holds the directory's); else the store says the rest.
		 */
		if (meta_shown_as_own(c->fsuid, c->fsgid) && !meta_has_records())
			return;
		if (!meta_fstat(dirfd, &dir) && (dir.st_mode & S_ISGID))
			gid = dir.st_gid;
		meta_own_new(dirfd, name, c->fsuid, gid);
		return;
	}
	if (c->fsuid == 0 && c->fsgid == 0)
		return;
	if (!fstat(dirfd, &dir) && (dir.st_mode & S_ISGID))
		gid = (gid_t)-1;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) ||
	    fchownat(dirfd, name, c->fsuid, gid, AT_SYMLINK_NOFOLLOW))
		return;	/* the entry is there and the guest may have it */
	/*
	 * chown cleared setuid and setgid, which a creation keeps: put them
	 * back, less a setgid the creator is not entitled to (Linux's
	 * inode_init_owner).
	 */
	keep = st.st_mode & (S_ISUID | S_ISGID);
	if (!keep || S_ISLNK(st.st_mode))
		return;
	if (!S_ISDIR(st.st_mode) && (keep & S_ISGID) &&
	    !cred_in_group(c, gid == (gid_t)-1 ? st.st_gid : gid) &&
	    !(c->cap_eff & (1ULL << CAP_FSETID)))
		keep &= ~S_ISGID;
	fchmodat(dirfd, name, (st.st_mode & 07777 & ~(S_ISUID | S_ISGID)) | keep, 0);
}
/*
 * chmod: the owner or CAP_FOWNER; the setgid bit goes unless the caller
 * is in the file's group or has CAP_FSETID (Linux's setattr_prepare and
 * may_setattr), which *mode says on return.
 */
int guest_may_chmod(const struct cred *c, const struct stat *st, mode_t *mode)
{
	if (c->fsuid != st->st_uid && !(c->cap_eff & (1ULL << CAP_FOWNER)))
		return -EPERM;
	if ((*mode & S_ISGID) && !cred_in_group(c, st->st_gid) &&
	    !(c->cap_eff & (1ULL << CAP_FSETID)))
		*mode &= ~S_ISGID;
	return 0;
}

/*
 * chown: CAP_CHOWN, or the owner keeping the owner and giving a group it
 * is in (Linux's chown_ok and chgrp_ok); -1 leaves an id as it is.
 */
int guest_may_chown(const struct cred *c, const struct stat *st, uid_t uid,
		    gid_t gid)
{
	bool cap = c->cap_eff & (1ULL << CAP_CHOWN);

	if (uid != (uid_t)-1 && uid != st->st_uid &&
	    !cap)
		return -EPERM;
	if (uid != (uid_t)-1 && uid == st->st_uid && !cap &&
	    c->fsuid != st->st_uid)
		return -EPERM;
	if (gid != (gid_t)-1 && !cap &&
	    (c->fsuid != st->st_uid ||
	     (gid != st->st_gid && !cred_in_group(c, gid))))
		return -EPERM;
	return 0;
}

/*
 * utimes: the owner or CAP_FOWNER; setting the times to now also whoever
 * may write the file (Linux's setattr_prepare for ATTR_TIMES_SET and
 * ATTR_TOUCH).  set: a time other than UTIME_NOW or UTIME_OMIT was given.
 */
int guest_may_utimes(const struct cred *c, const struct stat *st, bool set)
{
	if (c->fsuid == st->st_uid || (c->cap_eff & (1ULL << CAP_FOWNER)))
		return 0;
	return set ? -EPERM : guest_permission(c, st, MAY_WRITE, false);
}
