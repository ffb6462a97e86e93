/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine's counters in words. Every packet seen is in a record or in
 * one of the counters (docs/LIVE.md, "Every packet counted"): these say
 * where, and whether any went missing.
 */
#ifndef FS_COUNTER_REPORT_H
#define FS_COUNTER_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"

#define FS_COUNTERS_TEXT_MAX 512

/*
 * Where a packet outside every record went: each counter, its key (the
 * metrics' reason label) and its words (the report's rows).
 */
struct fs_counter_reason {
	enum fs_counter counter;
	const char *key;
	const char *words;
};

#define FS_UNRECORDED_REASONS 6
extern const struct fs_counter_reason fs_unrecorded_reasons[FS_UNRECORDED_REASONS];

/* "N non-IP, N bad IP header, N unrecorded (...) of N flows refused; ...": snprintf's return. */
int fs_counters_format(char *buf, size_t len, const __u64 c[FS_CNT_MAX]);
/*
 * The last line of a run whose table is drained: "N packets seen, N records
 * holding N; not in a record: " and the counters (unless !print). A packet
 * seen but in no record and no counter is a bug: it says so and returns -1.
 */
int fs_packets_close(const char *who, const __u64 c[FS_CNT_MAX], __u64 records,
		     __u64 record_packets, bool print);

#endif /* FS_COUNTER_REPORT_H */
