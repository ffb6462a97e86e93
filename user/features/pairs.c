// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "features/pairs.h"

/* Two addresses in a fixed order and the VLAN: the same for both directions. */
struct pair_key {
	__u8 a[16];
	__u8 b[16];
	__u16 vlan_id;
};

struct fs_pairs {
	struct fs_unit *units; /* one per pair, in order of arrival */
	struct pair_key *keys;
	size_t n, cap;
	__u32 *slots; /* open addressing: index + 1 into units, 0 empty */
	size_t nslots;
	int cic_compat;
};

struct fs_pairs *fs_pairs_new(int cic_compat)
{
	struct fs_pairs *p = calloc(1, sizeof(*p));

	if (p)
		p->cic_compat = cic_compat;
	return p;
}

void fs_pairs_free(struct fs_pairs *p)
{
	if (!p)
		return;
	free(p->units);
	free(p->keys);
	free(p->slots);
	free(p);
}

static void key_of(struct pair_key *k, const struct fs_unit *u)
{
	int src_first = memcmp(u->src_addr, u->dst_addr, 16) <= 0;

	memset(k, 0, sizeof(*k));
	memcpy(k->a, src_first ? u->src_addr : u->dst_addr, 16);
	memcpy(k->b, src_first ? u->dst_addr : u->src_addr, 16);
	k->vlan_id = u->vlan_id;
}

static size_t hash(const struct pair_key *k)
{
	return (size_t)fs_fnv1a(k, sizeof(*k));
}

/* The slot holding k, or the empty one where it would go. */
static size_t find_slot(const struct fs_pairs *p, const struct pair_key *k)
{
	size_t i = hash(k) & (p->nslots - 1);

	while (p->slots[i] && memcmp(&p->keys[p->slots[i] - 1], k, sizeof(*k)) != 0)
		i = (i + 1) & (p->nslots - 1);
	return i;
}

/* Keep the table at most half full, and room for one more pair. */
static int grow(struct fs_pairs *p)
{
	size_t i, nslots = p->nslots ? p->nslots * 2 : 1024;
	__u32 *slots;
	void *mem;

	if (p->n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;

		mem = realloc(p->units, cap * sizeof(*p->units));
		if (!mem)
			return -ENOMEM;
		p->units = mem;
		mem = realloc(p->keys, cap * sizeof(*p->keys));
		if (!mem)
			return -ENOMEM;
		p->keys = mem;
		p->cap = cap;
	}
	if (2 * (p->n + 1) <= p->nslots)
		return 0;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	free(p->slots);
	p->slots = slots;
	p->nslots = nslots;
	for (i = 0; i < p->n; i++)
		p->slots[find_slot(p, &p->keys[i])] = (__u32)i + 1;
	return 0;
}

/* Merge flow f into pair u; the earlier of the two decides the client. */
static void merge_flow(struct fs_unit *u, const struct fs_unit *f)
{
	struct fs_unit old;

	if (f->first_ts >= u->first_ts) {
		fs_unit_merge(u, f, memcmp(f->src_addr, u->src_addr, 16) != 0);
		return;
	}
	old = *u;
	*u = *f;
	u->src_port = u->dst_port = 0;
	fs_unit_merge(u, &old, memcmp(old.src_addr, u->src_addr, 16) != 0);
}

int fs_pairs_add(void *ctx, const struct fs_record *rec)
{
	struct fs_pairs *p = ctx;
	struct pair_key k;
	struct fs_unit f;
	size_t slot;

	fs_unit_from_flow(&f, rec, p->cic_compat);
	key_of(&k, &f);
	if (grow(p) < 0)
		return -ENOMEM;
	slot = find_slot(p, &k);
	if (p->slots[slot]) {
		merge_flow(&p->units[p->slots[slot] - 1], &f);
		return 0;
	}
	f.src_port = f.dst_port = 0;
	p->units[p->n] = f;
	p->keys[p->n] = k;
	p->slots[slot] = (__u32)++p->n;
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct fs_unit *x = *(const struct fs_unit *const *)a;
	const struct fs_unit *y = *(const struct fs_unit *const *)b;

	if (x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	return memcmp(x->src_addr, y->src_addr, 32 + 2 * 3);
}

int fs_pairs_each(struct fs_pairs *p, int (*fn)(void *ctx, const struct fs_unit *u), void *ctx)
{
	const struct fs_unit **order = calloc(p->n ? p->n : 1, sizeof(*order));
	int err = 0;
	size_t i;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < p->n; i++)
		order[i] = &p->units[i];
	qsort(order, p->n, sizeof(*order), by_start);
	for (i = 0; i < p->n && !err; i++)
		err = fn(ctx, order[i]);
	free(order);
	return err;
}
