/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FILTER_H
#define UMBRA_FILTER_H

#include <stdbool.h>

struct sock_filter;
struct seccomp_data;

int filter_install(bool fast_clone, bool net_none);
int install_ioctl_filter(void);
struct sock_filter *ioctl_filter_prog(unsigned short *len);
/* the monitor's copy of those programs, and what they say of a call */
void filter_keep(bool fast_clone, bool net_none);
bool host_filter_traces(const struct seccomp_data *d);

#endif
