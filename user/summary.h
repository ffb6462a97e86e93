/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The live summary: what a person watching flowscope attach reads. */
#ifndef FS_SUMMARY_H
#define FS_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"

#define FS_SUMMARY_TOP 10

struct fs_summary_flow {
	struct fs_flow_key key;
	struct fs_flow_stats stats;
};

/* One refresh's figures, gathered from every interface's table. */
struct fs_summary {
	__u64 now_ns; /* CLOCK_BOOTTIME */
	__u64 active_flows;
	__u64 packets; /* seen so far: in the table plus exported */
	__u64 bytes;
	__u64 records;
	__u64 counters[FS_CNT_MAX];
	struct fs_summary_flow top[FS_SUMMARY_TOP]; /* most bytes first */
	unsigned int ntop;
};

/* Add one engine's table and counters to s. */
int fs_summary_collect(struct fs_summary *s, struct fs_engine *e);
/*
 * Print s; rates come from the difference to prev (NULL at first). On a
 * terminal the screen is redrawn; elsewhere plain text, no escape codes.
 */
void fs_summary_print(FILE *out, bool tty, const char *title, const struct fs_summary *s,
		      const struct fs_summary *prev);

#endif /* FS_SUMMARY_H */
