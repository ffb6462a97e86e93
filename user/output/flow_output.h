/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Where a finished flow (or host pair) goes: its features and verdict are
 * computed once, then it is written as a record, checked against the alert
 * log's classes and counted under its class for the live summary.
 */
#ifndef FS_FLOW_OUTPUT_H
#define FS_FLOW_OUTPUT_H

#include "classify/hosts.h"
#include "output/alert.h"
#include "output/record_writer.h"

struct fs_class_tally {
	__u64 flows;
	__u64 bytes;
};

struct fs_flow_output {
	struct fs_writer *writer;     /* NULL: no records */
	struct fs_alerts *alerts;     /* NULL: no alerts */
	const struct fs_model *model; /* NULL: not classified */
	/* Per shown class; the last slot counts the unclassified. */
	struct fs_class_tally tally[FS_MODEL_MAX_CLASSES + 1];
	/* NULL, or where the MLP's verdicts of flows go: the live host table. */
	struct fs_hosts *hosts;
};

#define FS_UNCLASSIFIED FS_MODEL_MAX_CLASSES

/* An fs_unit_fn: ctx is a struct fs_flow_output. 0, or -1 if writing failed. */
int fs_flow_output_unit(void *ctx, const struct fs_unit *u);

#endif /* FS_FLOW_OUTPUT_H */
