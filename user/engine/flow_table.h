/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The user engine's flow table: open addressing with linear probing over
 * 8-byte slots (a hash and an entry number), small enough to stay in cache:
 * a lookup misses only on the entry, whose key sits just before the
 * statistics it then updates. Entries (some 800 bytes a flow) live in
 * chunks filled in order and reused through a free list: a growing table
 * moves 8 bytes a flow rather than all of them, and touches memory only for
 * flows that exist. Like the kernel's hash map, it refuses inserts past
 * max_flows with -E2BIG.
 */
#ifndef FS_FLOW_TABLE_H
#define FS_FLOW_TABLE_H

#include "flow.h"

struct fs_table_entry {
	struct fs_flow_key key;
	struct fs_flow_stats stats;
};

/* A chunk of entries is one 2 MB huge page, where the kernel gives them. */
#define FS_TABLE_CHUNK_BYTES (2u << 20)
#define FS_TABLE_CHUNK	     (FS_TABLE_CHUNK_BYTES / sizeof(struct fs_table_entry))

struct fs_table_slot {
	__u32 hash;  /* 0 marks an empty slot */
	__u32 entry; /* its entry's number */
};

struct fs_flow_table {
	struct fs_table_slot *slots;
	__u32 mask;
	__u32 count;
	__u32 max_flows;
	struct fs_table_entry *
		*chunks; /* entry n: chunks[n / FS_TABLE_CHUNK][n % FS_TABLE_CHUNK] */
	__u32 nchunks;
	__u32 used;  /* entry numbers given out so far */
	__u32 *free; /* entry numbers given back, to reuse */
	__u32 nfree;
};

static inline struct fs_table_entry *fs_table_entry(const struct fs_flow_table *t, __u32 n)
{
	return &t->chunks[n / FS_TABLE_CHUNK][n % FS_TABLE_CHUNK];
}

/* Slot i's entry (the slot must hold a flow). */
static inline struct fs_table_entry *fs_table_slot_entry(const struct fs_flow_table *t, __u32 i)
{
	return fs_table_entry(t, t->slots[i].entry);
}

/* A hash of the whole key, never 0. */
__u32 fs_flow_key_hash(const struct fs_flow_key *key);

int fs_table_init(struct fs_flow_table *t, __u32 max_flows);
void fs_table_free(struct fs_flow_table *t);
/*
 * hash is fs_flow_key_hash(key): a packet's is taken once, for the prefetch,
 * the lookup and the insert alike.
 */
/* The entry for key, or NULL. */
struct fs_flow_stats *fs_table_find(struct fs_flow_table *t, const struct fs_flow_key *key,
				    __u32 hash);
/* A hint: the flow of this hash comes next; start loading its entry into cache. */
void fs_table_prefetch(const struct fs_flow_table *t, __u32 hash);
/* A zeroed new entry for key (which must be absent), or NULL with *err set. */
struct fs_flow_stats *fs_table_insert(struct fs_flow_table *t, const struct fs_flow_key *key,
				      __u32 hash, int *err);
/* Remove key, copying its statistics to out. -ENOENT if absent. */
int fs_table_remove(struct fs_flow_table *t, const struct fs_flow_key *key,
		    struct fs_flow_stats *out);

#endif /* FS_FLOW_TABLE_H */
