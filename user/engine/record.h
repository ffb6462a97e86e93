/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A finished flow, as the engines hand it to the outputs. */
#ifndef FS_RECORD_H
#define FS_RECORD_H

#include "flow.h"

struct fs_record {
	struct fs_flow_key key;
	struct fs_flow_stats stats;
	__u8 reason; /* enum fs_end_reason */
};

typedef int (*fs_record_fn)(void *ctx, const struct fs_record *rec);

/* "idle_timeout", "tcp_fin", ...: the end_reason column's words (docs/FLOWS.md). */
const char *fs_end_reason_name(__u8 reason);

#endif /* FS_RECORD_H */
