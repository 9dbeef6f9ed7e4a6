/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FILTER_H
#define UMBRA_FILTER_H

#include <stdbool.h>

int filter_install(bool fast_clone, bool net_none);
int install_ioctl_filter(void);

#endif
