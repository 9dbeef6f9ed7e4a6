/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest credentials: each task's real, effective, saved and filesystem
 * ids, supplementary groups and capability sets, kept by the guest kernel
 * and changed only by the guest's own calls.  The host process keeps its
 * host ids whatever the guest's become.
 */
#ifndef UMBRA_CRED_H
#define UMBRA_CRED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	int ngroups;
	gid_t *groups;		/* sorted, owned */
	uint64_t cap_inh, cap_prm, cap_eff, cap_bset, cap_amb;
	bool keepcaps;		/* PR_SET_KEEPCAPS (SECBIT_KEEP_CAPS) */
	unsigned int securebits;	/* the other SECBIT_*s and the locks */
	bool no_new_privs;	/* PR_SET_NO_NEW_PRIVS (kept across exec) */
};

struct task;

/* The first task's: set once from the command line (kconfig.user). */
void cred_init(struct cred *c);
/* A copy for a new task; false when memory ran out. */
bool cred_copy(struct cred *dst, const struct cred *src);
void cred_free(struct cred *c);
/* What exec makes of them (capabilities of root, saved ids). */
void cred_exec(struct cred *c);

bool cred_capable(const struct cred *c, int cap);
bool cred_in_group(const struct cred *c, gid_t gid);

/* Every capability this kernel knows (its CAP_LAST_CAP). */
uint64_t cap_full(void);

#endif
