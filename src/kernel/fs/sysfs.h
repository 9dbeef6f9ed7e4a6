/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FS_SYSFS_H
#define UMBRA_FS_SYSFS_H

#include <stdbool.h>

/* Fill the guest's /sys backend (a private directory): 0 or -errno. */
int sysfs_populate(int rootfd);

#endif
