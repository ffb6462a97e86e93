/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The order records leave a drain in: by start time, then by key, so every
 * run and both engines write the same output. A radix sort, since a drain
 * can hold a million flows and qsort takes a third of a second on them.
 */
#ifndef FS_DRAIN_ORDER_H
#define FS_DRAIN_ORDER_H

#include <stddef.h>

#include "flow_drain.h"

/* Buffers kept from drain to drain, so a steady drain does not fault in memory. */
struct fs_drain_order {
	struct fs_due_rank *rank, *tmp;
	size_t cap;
};

struct fs_due_rank {
	__u64 first_ts;
	__u32 index; /* into the due array */
	__u32 pad;
};

/*
 * Ranks due[0..n) in start order; the result (n ranks) stays valid until
 * the next call. NULL when out of memory.
 */
const struct fs_due_rank *fs_drain_order_sort(struct fs_drain_order *o,
					      const struct fs_due_flow *due, size_t n);
void fs_drain_order_free(struct fs_drain_order *o);

#endif /* FS_DRAIN_ORDER_H */
