// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "classify/host_vote.h"

void fs_host_vote_init(struct fs_host_vote *v, unsigned int nclasses, int background, __u64 from,
		       __u64 to)
{
	memset(v, 0, sizeof(*v));
	v->nclasses = nclasses;
	v->background = background;
	v->window_from = from;
	v->window_to = to;
}

void fs_host_vote_free(struct fs_host_vote *v)
{
	unsigned int c;

	for (c = 0; c < FS_MODEL_MAX_CLASSES; c++)
		free(v->spans[c]);
	memset(v, 0, sizeof(*v));
}

static unsigned int most_probable(const float *probs, unsigned int n)
{
	unsigned int c, best = 0;

	for (c = 1; c < n; c++)
		if (probs[c] > probs[best])
			best = c;
	return best;
}

static int add_span(struct fs_host_vote *v, unsigned int c, __u64 from, __u64 to)
{
	if (v->nspans[c] == v->cap[c]) {
		size_t cap = v->cap[c] ? 2 * v->cap[c] : 16;
		struct fs_host_span *s = realloc(v->spans[c], cap * sizeof(*s));

		if (!s)
			return -1;
		v->spans[c] = s;
		v->cap[c] = cap;
	}
	v->spans[c][v->nspans[c]++] = (struct fs_host_span){from, to};
	return 0;
}

int fs_host_vote_add(struct fs_host_vote *v, const struct fs_host_ballot *b)
{
	__u64 from = b->first_ts > v->window_from ? b->first_ts : v->window_from;
	__u64 to = b->last_ts < v->window_to ? b->last_ts : v->window_to;
	double bytes = b->bytes;
	unsigned int c;

	if (from > to)
		return 0;
	/* A flow reaching past the window brings the bytes of its time inside it. */
	if (b->last_ts > b->first_ts)
		bytes *= (double)(to - from) / (double)(b->last_ts - b->first_ts);
	v->total_bytes += bytes;
	for (c = 0; c < v->nclasses; c++)
		v->bytes[c] += bytes * b->probs[c];
	return add_span(v, most_probable(b->probs, v->nclasses), from, to);
}

static int span_cmp(const void *a, const void *b)
{
	const struct fs_host_span *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/*
 * Sorts spans by start. Ballots mostly come in the order their flows began
 * (records leave a drain in start order), so an insertion sort takes about
 * one pass; past a few moves a span, the order was not near, and qsort
 * finishes it.
 */
static void sort_spans(struct fs_host_span *s, size_t n)
{
	size_t i, j, moves = 0;

	for (i = 1; i < n; i++) {
		struct fs_host_span x = s[i];

		for (j = i; j > 0 && s[j - 1].from > x.from && moves <= 4 * n; j--, moves++)
			s[j] = s[j - 1];
		s[j] = x;
		if (moves > 4 * n) {
			qsort(s, n, sizeof(*s), span_cmp);
			return;
		}
	}
}

/* The time the spans cover together, ns. */
static __u64 covered(struct fs_host_span *s, size_t n)
{
	__u64 total = 0, from, to;
	size_t i;

	if (n == 0)
		return 0;
	sort_spans(s, n);
	from = s[0].from;
	to = s[0].to;
	for (i = 1; i < n; i++) {
		if (s[i].from > to) {
			total += to - from;
			from = s[i].from;
		}
		if (s[i].to > to)
			to = s[i].to;
	}
	return total + (to - from);
}

int fs_host_vote_verdict(struct fs_host_vote *v, double *scores)
{
	double window = (double)(v->window_to - v->window_from), score[FS_MODEL_MAX_CLASSES];
	int best = -1;
	unsigned int c;

	for (c = 0; c < v->nclasses; c++) {
		score[c] = v->total_bytes > 0 ? v->bytes[c] / v->total_bytes : 0;
		if (window > 0)
			score[c] += FS_HOST_COVER_WEIGHT *
				    (double)covered(v->spans[c], v->nspans[c]) / window;
		if (scores)
			scores[c] = score[c];
		/* Only the flows said to be a class make it a candidate. */
		if ((int)c == v->background || v->nspans[c] == 0)
			continue;
		if (best < 0 || score[c] > score[best])
			best = (int)c;
	}
	if (best < 0 && v->background >= 0 && v->nspans[v->background] > 0)
		best = v->background;
	return best;
}
