/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel engine's drain: the programs of bpf/drain.bpf.c, loaded onto
 * the engine's flow table, and the two arrays they share with user space.
 */
#ifndef FS_KERNEL_DRAIN_H
#define FS_KERNEL_DRAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "flow_drain.h"

struct fs_kernel_drain;

/* Loads the drain programs onto the flows map flows_fd; prints why on failure. */
struct fs_kernel_drain *fs_kernel_drain_open(int flows_fd, __u32 max_flows,
					     const struct fs_meter_config *meter);
void fs_kernel_drain_close(struct fs_kernel_drain *d);

/* The flows that have ended by now_ns (all: every flow), in the mapped due array. */
int fs_kernel_drain_due(struct fs_kernel_drain *d, __u64 now_ns, bool all,
			const struct fs_due_flow **out, size_t *n);
/* Removes due[order[i].index] that have still ended, calling fn on each one taken. */
int fs_kernel_drain_take(struct fs_kernel_drain *d, const struct fs_due_flow *due,
			 const struct fs_due_rank *order, size_t n, __u64 now_ns, bool all,
			 fs_flow_fn fn, void *ctx);

#endif /* FS_KERNEL_DRAIN_H */
