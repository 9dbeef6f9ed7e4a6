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

/* A guest filter program, in a task's chain (newest first, refcounted). */
struct gfilter {
	struct sock_filter *insns;	/* as the guest wrote it */
	unsigned int len;
	int listener;			/* its listener, or -1 */
	int refs;
	struct gfilter *prev;		/* the older filters */
};

uint32_t seccomp_bpf_run(const struct sock_filter *f, unsigned int len,
			 const struct seccomp_data *d);

/* seccomp_filter.c: the chains */
struct sock_fprog;
long gfilter_install(struct trap *t, uint64_t flags,
		     const struct sock_fprog *fp);
struct gfilter *gfilter_get(struct gfilter *f);
void gfilter_put(struct gfilter *f);
uint32_t gfilter_verdict(const struct task *t, const struct seccomp_data *d,
			 int *listener);
int gseccomp_stop(struct task *t, const struct seccomp_data *d);
int gseccomp_notified(struct task *t, const struct seccomp_notif *req,
		      long *ret);
enum { GSECCOMP_UMBRA, GSECCOMP_TAKEN, GSECCOMP_ANSWER };

/* seccomp_notif.c: the listeners */
int gnotif_listener_alloc(void);
void gnotif_listener_free(int i);
void gnotif_listener_made(struct trap *t, int i, bool killable);
bool gnotif_watch(void);
bool gnotif_ptrace_stop(struct task *t, int i, const struct seccomp_data *d);
bool gnotif_notify(struct task *t, const struct seccomp_notif *req, int i);
long gnotif_ioctl(struct trap *t, bool *mine);
void gnotif_task_gone(struct task *t);
/* seccomp.c: t's new filter reaches w (t, and its threads with TSYNC) */
bool seccomp_filter_reaches(const struct task *t, const struct task *w,
			    uint64_t flags);

#endif
