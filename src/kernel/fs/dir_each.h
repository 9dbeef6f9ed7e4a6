/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FS_DIR_EACH_H
#define UMBRA_FS_DIR_EACH_H

#include <stdbool.h>

/*
 * Call fn with each name of the directory open at fd ("." and ".."
 * aside), from where fd stands, until fn returns true.  Returns whether
 * one did.  Entries fn removes meanwhile are no trouble: one pass.
 */
bool dir_each(int fd, bool (*fn)(const char *name, void *arg), void *arg);

#endif
