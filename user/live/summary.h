/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The live summary: what a person watching flowscope attach reads. */
#ifndef FS_SUMMARY_H
#define FS_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "classify/hosts.h"
#include "engine/engine.h"
#include "engine/engine_kernel.h"
#include "output/flow_output.h"

#define FS_SUMMARY_TOP 10
/*
 * Open flows classified per refresh, at about 9 us each (make bench): past
 * it, the rest of the table counts as unclassified, so that a refresh of a
 * full table stays well under a second. The top flows are always classified.
 */
#define FS_SUMMARY_CLASSIFY_MAX 20000

struct fs_summary_flow {
	struct fs_flow_key key;
	struct fs_flow_stats stats;
	int cls; /* its class so far, or -1 */
	float confidence;
};

/* One refresh's figures, gathered from every interface's table. */
struct fs_summary {
	const struct fs_model *model; /* classify the active flows early; NULL: no */
	__u64 now_ns;		      /* CLOCK_BOOTTIME */
	__u64 active_flows;
	__u64 classified; /* open flows classified this refresh */
	__u64 packets;	  /* seen so far: in the table plus exported */
	__u64 bytes;
	__u64 records;
	__u64 record_packets; /* ... of them exported, in records */
	__u64 alerts;
	__u64 counters[FS_CNT_MAX];
	/* The kernel model's verdicts, summed over the interfaces; n 0: none. */
	struct fs_class_counts kernel;
	/* Per class (the last slot: unclassified), the flows in the tables ... */
	struct fs_class_tally active[FS_MODEL_MAX_CLASSES + 1];
	/* ... and those already exported. */
	struct fs_class_tally finished[FS_MODEL_MAX_CLASSES + 1];
	struct fs_summary_flow top[FS_SUMMARY_TOP]; /* most bytes first */
	unsigned int ntop;
	/*
	 * The host table: with hosts (NULL: none), the MLP's verdicts of open
	 * flows join those of flows ended in the window, and each host that
	 * opened flows gets a verdict over the window (classify/hosts.h).
	 * Ballots carry wall-clock times, as records do.
	 */
	struct fs_hosts *hosts;
	__s64 wall_offset_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME */
	__u64 host_window_ns;
	struct fs_host_row top_hosts[FS_SUMMARY_TOP]; /* most bytes first */
	unsigned int ntop_hosts;
	__u64 nhosts;
	__u64 host_classes[FS_MODEL_MAX_CLASSES]; /* hosts per activity judged */
	__u64 hosts_left_out;			  /* flows the table had no room for */
};

/*
 * Add one engine's table and counters to s; with s->model, every active
 * flow is classified from its statistics so far. The engine's own counters
 * go to counters too (one read of them a refresh).
 */
int fs_summary_collect(struct fs_summary *s, struct fs_engine *e, __u64 counters[FS_CNT_MAX]);
/* After every engine's collect: each host's verdict, the top ones into s. */
int fs_summary_judge_hosts(struct fs_summary *s);
/*
 * Print s; rates come from the difference to prev (NULL at first). On a
 * terminal the screen is redrawn; elsewhere plain text, no escape codes.
 */
void fs_summary_print(FILE *out, bool tty, const char *title, const struct fs_summary *s,
		      const struct fs_summary *prev);

#endif /* FS_SUMMARY_H */
