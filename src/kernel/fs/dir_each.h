/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FS_DIR_EACH_H
#define UMBRA_FS_DIR_EACH_H

#include <stdbool.h>

/*
 * Call fn with each name of the directory open at fd ("." and ".."
 * aside) and its d_type (DT_UNKNOWN where the host does not say), from
 * where fd stands, until fn returns true.  Returns whether one did; if
 * not, errno is 0 when every entry was seen, else the host's error.
 * Entries fn removes meanwhile are no trouble: one pass.
 */
bool dir_each(int fd, bool (*fn)(const char *name, unsigned char type,
				 void *arg), void *arg);

#endif
