/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attach's metrics in Prometheus's text format (docs/LIVE.md, "Metrics"):
 * rendered from a refresh's summary on the monitoring thread, then served
 * as they are by metrics_http.h, so a scrape never touches the tables.
 */
#ifndef FS_METRICS_H
#define FS_METRICS_H

#include <stddef.h>

#include "engine/engine_kernel.h"
#include "live/summary.h"
#include "output/ipfix.h"

/* Upper bounds of the drain duration histogram's buckets, in seconds; +Inf follows. */
#define FS_DRAIN_BUCKETS 12

struct fs_drain_histogram {
	__u64 counts[FS_DRAIN_BUCKETS + 1]; /* per bucket, not cumulative; the last: +Inf */
	__u64 runs;
	double seconds;
};

void fs_drain_histogram_observe(struct fs_drain_histogram *h, double seconds);

/* One interface's kernel counters and table. */
struct fs_metrics_iface {
	const char *name;
	__u64 counters[FS_CNT_MAX];
	__u64 table_flows;
	__u64 table_size;
	struct fs_class_counts classes; /* the kernel model's verdicts; n 0: no kernel model */
};

/* Everything one rendering reads. */
struct fs_metrics_view {
	const struct fs_summary *summary; /* its model: NULL when nothing is classified */
	const struct fs_metrics_iface *ifaces;
	int nifaces;
	const struct fs_drain_histogram *drains;
	const char *model_path;
	double start_time;		    /* Unix time, seconds */
	const struct fs_ipfix_stats *ipfix; /* NULL: no --ipfix */
};

/* The page /metrics serves, NUL-terminated, malloc'd; NULL without memory. */
char *fs_metrics_render(const struct fs_metrics_view *v, size_t *len);

#endif /* FS_METRICS_H */
