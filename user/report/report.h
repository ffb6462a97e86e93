/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A report of a run's flows as one self-contained HTML page: SVG drawn here,
 * no script, no font, image or style sheet from elsewhere, readable with
 * JavaScript off and printable. It holds a timeline of bytes/s per class
 * with the flows' starts and ends, each local host's activity over time and
 * its verdict for the run, the top flows, the class table and the packets
 * no record holds (docs/REPORT.md). Everything drawn is an aggregate, so a
 * million flows make a page of the same size as a thousand.
 *
 * Flows come from a replay's output (fs_report_add_row) or from a records
 * file (report/records_file.h); the page is drawn once they are all in.
 */
#ifndef FS_REPORT_H
#define FS_REPORT_H

#include <stdbool.h>
#include <linux/types.h>

#include "engine/engine.h"
#include "output/record_columns.h"

/* Classes a report tells apart; more are drawn as the last one's colour. */
#define FS_REPORT_MAX_CLASSES 32

/* What the report keeps of a flow: its record's identity, times, sums and verdict. */
struct fs_report_flow {
	__u64 first_ns;
	__u64 last_ns;
	__u64 bytes; /* IP bytes, both directions (fwd_bytes + bwd_bytes) */
	__u64 packets;
	__u8 src[16]; /* the initiator: the local host whose activity it is */
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 cls;	  /* fs_report_class()'s index */
	float confidence; /* the MLP's; negative when the record has none */
};

struct fs_report;

struct fs_report *fs_report_new(void);
void fs_report_free(struct fs_report *r);
/* The index of class name ("" for a flow not classified); 0, or -1 when full. */
int fs_report_class(struct fs_report *r, const char *name);
/* 0, or -1 without memory. */
int fs_report_add(struct fs_report *r, const struct fs_report_flow *f);
/* A replay's or attach's record: as fs_report_add. */
int fs_report_add_row(struct fs_report *r, const struct fs_row *row);
/* What the report is of, listed at its top: a capture's or records file's name. */
int fs_report_add_input(struct fs_report *r, const char *name);
/*
 * The engine counters of the run so far (summed over its interfaces or
 * captures); a live run's packets not yet in a record show as still open.
 */
void fs_report_set_counters(struct fs_report *r, const __u64 c[FS_CNT_MAX]);
/* The page, to path (whole or not at all) or to stdout; 0, or -1 after printing why. */
int fs_report_write(const struct fs_report *r, const char *path);

#endif /* FS_REPORT_H */
