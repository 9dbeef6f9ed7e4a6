/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UMBRA_FILTER_H
#define UMBRA_FILTER_H

int filter_install(void);

#endif
