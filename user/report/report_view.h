/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What a report draws, aggregated from its flows (report.c) for the page
 * (report_html.c): the sizes below bound the page, whatever the flows.
 */
#ifndef FS_REPORT_VIEW_H
#define FS_REPORT_VIEW_H

#include <stdio.h>

#include "report/report.h"

#define FS_REPORT_BINS	    240 /* columns of the timeline and of each host's band */
#define FS_REPORT_HOSTS	    40	/* hosts drawn, the most bytes first */
#define FS_REPORT_TOP_FLOWS 25

struct fs_report_tally {
	__u64 flows;
	__u64 packets;
	__u64 bytes;
};

struct fs_report_host {
	__u8 addr[16];
	struct fs_report_tally sum;
	int verdict;		       /* the class with the most of its bytes */
	__s8 dominant[FS_REPORT_BINS]; /* per column, the class with the most bytes; -1: none */
	double bin_bytes[FS_REPORT_BINS];
};

struct fs_report_view {
	char *const *classes;
	unsigned int nclasses;
	char *const *inputs;
	unsigned int ninputs;
	__u64 t0, t1; /* the first packet's time and the last's */
	__u64 bin_ns; /* a column's width */
	double rate[FS_REPORT_BINS][FS_REPORT_MAX_CLASSES]; /* bytes/s */
	__u32 starts[FS_REPORT_BINS];			    /* flows that began in the column */
	__u32 ends[FS_REPORT_BINS];
	struct fs_report_tally per_class[FS_REPORT_MAX_CLASSES];
	struct fs_report_tally total;
	struct fs_report_host *hosts; /* nhosts of them, the most bytes first */
	unsigned int nhosts;
	__u64 all_hosts;
	const struct fs_report_flow *top[FS_REPORT_TOP_FLOWS]; /* the most bytes first */
	unsigned int ntop;
	bool has_counters;
	__u64 counters[FS_CNT_MAX];
};

/* The page of view, into f. */
void fs_report_html(FILE *f, const struct fs_report_view *v);

#endif /* FS_REPORT_VIEW_H */
