/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest's own seccomp user-notification listeners (seccomp_notif.c):
 * the host allows one listener per filter chain, and umbra's filter holds
 * it, so the guest kernel keeps the guest's.
 */
#ifndef UMBRA_KERNEL_SECCOMP_NOTIF_H
#define UMBRA_KERNEL_SECCOMP_NOTIF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>

struct task;
struct trap;

/* SECCOMP_RET_TRACE data of a guest's rewritten USER_NOTIF: + listener */
#define GNOTIF_MARK		0x7600U
#define GNOTIF_MAX		64

/* A guest filter with a listener, in a task's chain (refcounted). */
struct gfilter {
	struct sock_filter *insns;	/* as the guest wrote it */
	unsigned int len;
	int listener;
	int refs;
};

uint32_t seccomp_bpf_run(const struct sock_filter *f, unsigned int len,
			 const struct seccomp_data *d);

long gnotif_install(struct trap *t, uint64_t flags, uint64_t uprog);
bool gnotif_ptrace_stop(struct task *t, unsigned long data,
			const struct seccomp_data *d);
bool gnotif_notify(struct task *t, const struct seccomp_notif *req);
long gnotif_ioctl(struct trap *t, bool *mine);
void gnotif_task_gone(struct task *t);
struct gfilter *gfilter_get(struct gfilter *f);
void gfilter_put(struct gfilter *f);
/* seccomp.c: t's new filter reaches w (t, and its threads with TSYNC) */
bool seccomp_filter_reaches(const struct task *t, const struct task *w,
			    uint64_t flags);

#endif
