/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The user engine's flow table: open addressing with linear probing, keys
 * and values in separate arrays so probing touches few cache lines. Like the
 * kernel's hash map, it refuses inserts past max_flows with -E2BIG.
 */
#ifndef FS_FLOW_TABLE_H
#define FS_FLOW_TABLE_H

#include "flow.h"

struct fs_flow_table {
	__u32 *hashes; /* 0 marks an empty slot */
	struct fs_flow_key *keys;
	struct fs_flow_stats *stats;
	__u32 mask;
	__u32 count;
	__u32 max_flows;
};

/* A hash of the whole key, never 0. */
__u32 fs_flow_key_hash(const struct fs_flow_key *key);

int fs_table_init(struct fs_flow_table *t, __u32 max_flows);
void fs_table_free(struct fs_flow_table *t);
/* The entry for key, or NULL. */
struct fs_flow_stats *fs_table_find(struct fs_flow_table *t, const struct fs_flow_key *key);
/* A zeroed new entry for key (which must be absent), or NULL with *err set. */
struct fs_flow_stats *fs_table_insert(struct fs_flow_table *t, const struct fs_flow_key *key,
				      int *err);
/* Remove key, copying its statistics to out. -ENOENT if absent. */
int fs_table_remove(struct fs_flow_table *t, const struct fs_flow_key *key,
		    struct fs_flow_stats *out);

#endif /* FS_FLOW_TABLE_H */
