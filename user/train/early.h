/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How early a flow's class is right: the model applied to snapshots of each
 * flow after its 2nd, 4th, ... 256th packet (what the live summary sees of an
 * open flow), against the capture's class and the flow's final verdict.
 */
#ifndef FS_EARLY_H
#define FS_EARLY_H

#include <stdbool.h>
#include <stdio.h>

#include "train/metrics.h"
#include "classify/model.h"
#include "train/training_set.h"

#define FS_EARLY_POINTS 8 /* 2, 4, ..., 256 packets: FS_SNAPSHOT_MAX_PACKETS */

/* 2 -> 0, 4 -> 1, ...: the snapshot point of a snapshot after this many packets. */
static inline int fs_early_point(__u32 packets)
{
	int i = 0;

	while ((2U << i) < packets)
		i++;
	return i;
}

struct fs_early_evaluation {
	/* The shown class (fs_verdict_class) after 2 << i packets, or at the end if sooner. */
	struct fs_confusion at[FS_EARLY_POINTS];
	struct fs_confusion final;
	__u64 reached[FS_EARLY_POINTS];	      /* flows with at least that many packets */
	__u64 same_as_final[FS_EARLY_POINTS]; /* class then = class at the end */
	/* Right then and at every later point and at the end; [FS_EARLY_POINTS]: only at the end.
	 */
	__u64 right_from[FS_EARLY_POINTS + 1];
	__u64 flows;
};

int fs_early_init(struct fs_early_evaluation *e, unsigned int nclasses);
void fs_early_free(struct fs_early_evaluation *e);
/*
 * Adds the activity flows of ts (built with snapshots) whose capture is in
 * groups (NULL: all) and has a class (capture_class >= 0), as fs_evaluate().
 */
int fs_early_evaluate(struct fs_early_evaluation *e, const struct fs_model *m,
		      const struct fs_training_set *ts, const int *capture_class,
		      const bool *groups);
/* The table, and the packets by which half the flows are right for good. */
void fs_early_print(FILE *f, const struct fs_early_evaluation *e);
/* Packets after which at least half the flows have their right class for good; 0: never. */
unsigned int fs_early_median_packets(const struct fs_early_evaluation *e);

#endif /* FS_EARLY_H */
