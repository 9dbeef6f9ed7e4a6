/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_EXEC_H
#define UMBRA_EXEC_H

#include <stdbool.h>

struct task;

int exec_set_loader(const char *path);
const char *exec_loader_path(void);
bool exec_check(struct task *t);
/* Did the host exec umbra's loader for t's last exec (not the program)? */
bool exec_via_loader(const struct task *t);

#endif
