/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Host pairs (--unit pair): finished flows grouped by their two IP
 * addresses (and VLAN), whatever their ports and protocol, as the first
 * seed's MMT reports were. A pair's client is the source of its first packet.
 */
#ifndef FS_PAIRS_H
#define FS_PAIRS_H

#include "features/unit.h"

struct fs_pairs;

struct fs_pairs *fs_pairs_new(int cic_compat);
void fs_pairs_free(struct fs_pairs *p);
/* fs_record_fn: ctx is a struct fs_pairs. 0, or -ENOMEM. */
int fs_pairs_add(void *ctx, const struct fs_record *rec);
/* Every pair, by first packet time; stops at fn's first non-zero return. */
int fs_pairs_each(struct fs_pairs *p, int (*fn)(void *ctx, const struct fs_unit *u), void *ctx);

#endif /* FS_PAIRS_H */
