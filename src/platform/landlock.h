/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The second wall: the host kernel's Landlock domain around every guest
 * process (docs/walls.md).
 */
#ifndef UMBRA_LANDLOCK_H
#define UMBRA_LANDLOCK_H

#include <stdbool.h>

/*
 * The Landlock ABI the guests' domain will use, 0 for none (off by
 * request, or a host without it).  Decided once in the monitor, before
 * guest init is forked; says why on stderr under UMBRA_DEBUG.
 */
int landlock_abi(bool disabled);

/*
 * In guest init, before its first exec: enter a domain of that ABI in
 * which the guest may only execute (and read, as exec does) the files and
 * directories open in exec_fds (O_PATH is enough).  Returns 0 or -errno;
 * the guest then runs without the wall, never fails for it.
 */
int landlock_confine(int abi, const int *exec_fds, int n);

#endif
