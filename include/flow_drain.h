/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the drain programs (bpf/drain.bpf.c) and user space exchange through
 * two memory-mapped arrays: the sweep lists the flows that have ended, user
 * space puts them in start order, and the take program removes them a batch
 * at a time, copying each one out under its lock.
 */
#ifndef FS_FLOW_DRAIN_H
#define FS_FLOW_DRAIN_H

#include "flow.h"

/* Flows one run of the take program removes: one system call each. */
#define FS_TAKE_BATCH 1024

/* A flow the sweep found ended: where records are sorted by start time. */
struct fs_due_flow {
	struct fs_flow_key key;
	__u64 first_ts;
};

/* One slot of a take: user space writes key, the program the rest. */
struct fs_take_slot {
	struct fs_flow_key key;
	__u32 taken; /* 1: removed, stats hold its last state; 0: gone, or live again */
	__u32 pad;
	struct fs_flow_stats stats;
};

/* The drain programs' inputs and outputs, in their .bss. */
struct fs_drain_args {
	__u64 now_ns; /* the meter's clock: capture time in replay, CLOCK_BOOTTIME live */
	__u32 all;    /* take every flow, ended or not (the end of a run) */
	__u32 count;  /* take: slots filled; sweep: flows found */
};

#endif /* FS_FLOW_DRAIN_H */
