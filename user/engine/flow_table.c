// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine/flow_table.h"

#define MIN_SLOTS 1024

/* A 128-bit product folded to 64 bits: every bit of both inputs reaches every bit. */
static inline __u64 fold_mul(__u64 a, __u64 b)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128 p = (unsigned __int128)a * b;

	return (__u64)p ^ (__u64)(p >> 64);
#else /* 32-bit targets: a weaker mix, as good for a table */
	__u64 p = a * b;

	return p ^ p >> 29;
#endif
}

static inline __u64 key_word(const struct fs_flow_key *key, unsigned int i)
{
	__u64 w;

	memcpy(&w, (const char *)key + 8 * i, 8);
	return w;
}

/*
 * Three independent products, not a chain of five: a packet's hash is taken
 * on its way in, and its latency was a tenth of the user engine's time (perf).
 */
__u32 fs_flow_key_hash(const struct fs_flow_key *key)
{
	__u64 h;

	_Static_assert(sizeof(*key) == 40, "flow key is five words");
	h = fold_mul(key_word(key, 0) ^ 0x9e3779b97f4a7c15ULL,
		     key_word(key, 1) ^ 0xff51afd7ed558ccdULL) ^
	    fold_mul(key_word(key, 2) ^ 0xc4ceb9fe1a85ec53ULL,
		     key_word(key, 3) ^ 0xd6e8feb86659fd93ULL) ^
	    fold_mul(key_word(key, 4) ^ 0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL);
	/* A product by a constant leaves low bits poorly mixed: the slot is in them. */
	h = fold_mul(h, 0x8ebc6af09c88c6e3ULL);
	return (__u32)h | 1; /* never 0: that marks an empty slot */
}

static void free_slots(struct fs_flow_table *t)
{
	free(t->slots);
	t->slots = NULL;
}

static int alloc_slots(struct fs_flow_table *t, __u32 slots)
{
	t->slots = calloc(slots, sizeof(*t->slots));
	if (!t->slots) {
		free_slots(t);
		return -ENOMEM;
	}
	t->mask = slots - 1;
	return 0;
}

int fs_table_init(struct fs_flow_table *t, __u32 max_flows)
{
	memset(t, 0, sizeof(*t));
	t->max_flows = max_flows;
	return alloc_slots(t, MIN_SLOTS);
}

void fs_table_free(struct fs_flow_table *t)
{
	__u32 c;

	free_slots(t);
	for (c = 0; c < t->nchunks; c++)
		free(t->chunks[c]);
	free(t->chunks);
	free(t->free);
	t->chunks = NULL;
	t->free = NULL;
	t->nchunks = t->used = t->nfree = 0;
}

/*
 * One page fault for 2 MB rather than 512: in a VM a fault costs microseconds,
 * and a growing table's first touches cost more than its flows' packets.
 */
static struct fs_table_entry *alloc_chunk(void)
{
	void *p = aligned_alloc(FS_TABLE_CHUNK_BYTES, FS_TABLE_CHUNK_BYTES);

	if (p)
		madvise(p, FS_TABLE_CHUNK_BYTES, MADV_HUGEPAGE); /* a hint: fine if refused */
	return p;
}

/*
 * An entry number for a new flow: a freed one, or the next, with a chunk
 * for it. The free list grows with the chunks, so giving back never fails.
 */
static int take_entry(struct fs_flow_table *t, __u32 *n)
{
	struct fs_table_entry **chunks;
	__u32 *list;

	if (t->nfree) {
		*n = t->free[--t->nfree];
		return 0;
	}
	if (t->used == t->nchunks * FS_TABLE_CHUNK) {
		chunks = realloc(t->chunks, (t->nchunks + 1) * sizeof(*chunks));
		if (!chunks)
			return -ENOMEM;
		t->chunks = chunks;
		list = realloc(t->free, (size_t)(t->nchunks + 1) * FS_TABLE_CHUNK * sizeof(*list));
		if (!list)
			return -ENOMEM;
		t->free = list;
		t->chunks[t->nchunks] = alloc_chunk();
		if (!t->chunks[t->nchunks])
			return -ENOMEM;
		t->nchunks++;
	}
	*n = t->used++;
	return 0;
}

/* Five word compares, inlined: cheaper than a call to memcmp() per probe. */
static int key_equal(const struct fs_flow_key *a, const struct fs_flow_key *b)
{
	__u64 x[sizeof(*a) / 8], y[sizeof(*a) / 8], diff = 0;
	size_t i;

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

static __u32 find_slot(const struct fs_flow_table *t, const struct fs_flow_key *key, __u32 hash)
{
	__u32 i = hash & t->mask;

	while (t->slots[i].hash &&
	       (t->slots[i].hash != hash || !key_equal(&fs_table_slot_entry(t, i)->key, key)))
		i = (i + 1) & t->mask;
	return i;
}

struct fs_flow_stats *fs_table_find(struct fs_flow_table *t, const struct fs_flow_key *key,
				    __u32 hash)
{
	__u32 i = find_slot(t, key, hash);

	return t->slots[i].hash ? &fs_table_slot_entry(t, i)->stats : NULL;
}

/*
 * Start loading key's entry, if its home slot holds it (nearly always: the
 * load stays under one half), so that a lookup a packet later finds it in
 * cache (engine_user.c says why).
 */
void fs_table_prefetch(const struct fs_flow_table *t, __u32 hash)
{
	__u32 i = hash & t->mask;
	const char *entry;
	size_t off;

	if (t->slots[i].hash != hash)
		return;
	entry = (const char *)fs_table_slot_entry(t, i);
	for (off = 0; off < sizeof(struct fs_table_entry); off += 64)
		__builtin_prefetch(entry + off, 1);
}

/* Keep the load at or under one half: probes stay short. */
static int grow(struct fs_flow_table *t)
{
	struct fs_flow_table old = *t;
	__u32 i, j;

	if (alloc_slots(t, (old.mask + 1) * 2) < 0) {
		*t = old;
		return -ENOMEM;
	}
	for (i = 0; i <= old.mask; i++) {
		if (!old.slots[i].hash)
			continue;
		/* Keys are unique: the first empty slot of the probe run is its place. */
		for (j = old.slots[i].hash & t->mask; t->slots[j].hash; j = (j + 1) & t->mask)
			;
		t->slots[j] = old.slots[i];
	}
	free_slots(&old);
	return 0;
}

struct fs_flow_stats *fs_table_insert(struct fs_flow_table *t, const struct fs_flow_key *key,
				      __u32 hash, int *err)
{
	__u32 i;

	if (t->count >= t->max_flows) {
		*err = -E2BIG;
		return NULL;
	}
	if ((t->count + 1) * 2 > t->mask + 1 && grow(t) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	i = find_slot(t, key, hash);
	if (take_entry(t, &t->slots[i].entry) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	t->slots[i].hash = hash;
	fs_table_slot_entry(t, i)->key = *key;
	memset(&fs_table_slot_entry(t, i)->stats, 0, sizeof(struct fs_flow_stats));
	t->count++;
	return &fs_table_slot_entry(t, i)->stats;
}

/* Backward-shift deletion: later entries of the probe run move up, no tombstones. */
int fs_table_remove(struct fs_flow_table *t, const struct fs_flow_key *key,
		    struct fs_flow_stats *out)
{
	__u32 i = find_slot(t, key, fs_flow_key_hash(key)), j, home;

	if (!t->slots[i].hash)
		return -ENOENT;
	if (out)
		*out = fs_table_slot_entry(t, i)->stats;
	t->free[t->nfree++] = t->slots[i].entry;
	for (j = (i + 1) & t->mask; t->slots[j].hash; j = (j + 1) & t->mask) {
		home = t->slots[j].hash & t->mask;
		/* Move j into the hole at i unless its home lies in (i, j]. */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].hash = 0;
	t->count--;
	return 0;
}
