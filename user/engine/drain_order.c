// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Start order for a drain's records: LSD radix sort on start time, then key. */
#include <stdlib.h>
#include <string.h>

#include "engine/drain_order.h"

#define DIGIT_BITS 11
#define DIGITS	   (1u << DIGIT_BITS)

void fs_drain_order_free(struct fs_drain_order *o)
{
	free(o->rank);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

static int reserve(struct fs_drain_order *o, size_t n)
{
	struct fs_due_rank *a, *b;

	if (n <= o->cap)
		return 0;
	a = realloc(o->rank, n * sizeof(*a));
	if (a)
		o->rank = a;
	b = realloc(o->tmp, n * sizeof(*b));
	if (b)
		o->tmp = b;
	if (!a || !b)
		return -1;
	o->cap = n;
	return 0;
}

/* One stable counting pass on the digit at shift; false if every rank has the same digit. */
static int radix_pass(const struct fs_due_rank *in, struct fs_due_rank *out, size_t n,
		      unsigned int shift)
{
	size_t count[DIGITS], i, pos = 0, c;

	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
		count[(in[i].first_ts >> shift) & (DIGITS - 1)]++;
	if (count[(in[0].first_ts >> shift) & (DIGITS - 1)] == n)
		return 0;
	for (i = 0; i < DIGITS; i++) {
		c = count[i];
		count[i] = pos;
		pos += c;
	}
	for (i = 0; i < n; i++)
		out[count[(in[i].first_ts >> shift) & (DIGITS - 1)]++] = in[i];
	return 1;
}

static int tie_cmp(const void *a, const void *b, void *due)
{
	const struct fs_due_rank *x = a, *y = b;
	const struct fs_due_flow *d = due;

	return memcmp(&d[x->index].key, &d[y->index].key, sizeof(d->key));
}

/* Flows that started in the same ns, in key order. */
static void break_ties(struct fs_due_rank *r, size_t n, const struct fs_due_flow *due)
{
	size_t i = 0, j;

	while (i < n) {
		for (j = i + 1; j < n && r[j].first_ts == r[i].first_ts; j++)
			;
		if (j - i > 1)
			qsort_r(r + i, j - i, sizeof(*r), tie_cmp, (void *)due);
		i = j;
	}
}

const struct fs_due_rank *fs_drain_order_sort(struct fs_drain_order *o,
					      const struct fs_due_flow *due, size_t n)
{
	struct fs_due_rank *a, *b, *t;
	unsigned int shift;
	size_t i;

	if (reserve(o, n ? n : 1) < 0)
		return NULL;
	a = o->rank;
	b = o->tmp;
	for (i = 0; i < n; i++)
		a[i] = (struct fs_due_rank){.first_ts = due[i].first_ts, .index = (__u32)i};
	for (shift = 0; n && shift < 64; shift += DIGIT_BITS) {
		if (!radix_pass(a, b, n, shift))
			continue;
		t = a;
		a = b;
		b = t;
	}
	o->rank = a;
	o->tmp = b;
	break_ties(a, n, due);
	return a;
}
