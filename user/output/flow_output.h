/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Where a finished flow (or host pair) goes: its features and verdict are
 * computed once, then it is written as a record, checked against the alert
 * log's classes and counted under its class for the live summary.
 */
#ifndef FS_FLOW_OUTPUT_H
#define FS_FLOW_OUTPUT_H

#include "classify/classify.h"
#include "classify/hosts.h"
#include "output/alert.h"
#include "output/ipfix.h"
#include "output/record_writer.h"
#include "report/report.h"

struct fs_class_tally {
	__u64 flows;
	__u64 bytes;
};

struct fs_flow_output {
	struct fs_writer *writer;     /* NULL: no records */
	struct fs_alerts *alerts;     /* NULL: no alerts */
	struct fs_ipfix *ipfix;	      /* NULL: no IPFIX export */
	struct fs_report *report;     /* NULL: no report */
	const struct fs_model *model; /* NULL: not classified */
	/* Per shown class; the last slot counts the unclassified. */
	struct fs_class_tally tally[FS_MODEL_MAX_CLASSES + 1];
	/*
	 * NULL, or where the MLP's verdicts of flows go: each record's host
	 * verdict (host_class) and the live host table read them.
	 */
	struct fs_hosts *hosts;
	__u64 host_window_ns; /* a record's host verdict reads this far back from its end */
	/*
	 * Ballots are kept this long behind the latest flow's end: the window,
	 * and the lag between a flow's last packet and its record (an idle
	 * timeout and a drain), so a late record still finds its host's flows.
	 */
	__u64 host_keep_ns;
	__u64 hosts_pruned_at; /* the latest end seen when they were last pruned */
};

#define FS_UNCLASSIFIED FS_MODEL_MAX_CLASSES

/*
 * Holds the MLP's ballots for host verdicts when the output has a model with
 * an MLP (and writes flows, not host pairs: a pair's verdict is its own).
 * 0, or -1 without memory.
 */
int fs_flow_output_hold_hosts(struct fs_flow_output *o, __u64 window_ns, __u64 lag_ns);
/* An fs_unit_fn: ctx is a struct fs_flow_output. 0, or -1 if writing failed. */
int fs_flow_output_unit(void *ctx, const struct fs_unit *u);

/*
 * The same in two steps, for a queue that makes records on several threads
 * (capture/unit_queue.h): what depends on the flow alone (features, verdict,
 * the record's text), then the rest in the flows' order (the host's
 * verdict, writing, IPFIX, the report, alerts, the tally).
 */
struct fs_flow_work {
	struct fs_assessment a;
	struct fs_record_text text;
};

/* Any thread, any order: ctx is a struct fs_flow_output, work a struct fs_flow_work. */
void fs_flow_output_prepare(void *ctx, const struct fs_unit *u, void *work);
/* In order, on one thread: as fs_flow_output_unit. */
int fs_flow_output_commit(void *ctx, const struct fs_unit *u, void *work);
/* Frees what prepare allocated in work. */
void fs_flow_output_release(void *work);

#endif /* FS_FLOW_OUTPUT_H */
