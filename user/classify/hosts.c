// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "classify/hosts.h"

struct held_ballot {
	__u8 addr[16];
	__u64 first_ts, last_ts;
	double bytes;
};

struct fs_hosts {
	unsigned int nclasses;
	int background;
	struct held_ballot *b;
	float *probs; /* nclasses per ballot */
	size_t n, cap;
	__u64 left_out;
};

struct fs_hosts *fs_hosts_new(unsigned int nclasses, int background)
{
	struct fs_hosts *h = calloc(1, sizeof(*h));

	if (h) {
		h->nclasses = nclasses;
		h->background = background;
	}
	return h;
}

void fs_hosts_free(struct fs_hosts *h)
{
	if (!h)
		return;
	free(h->b);
	free(h->probs);
	free(h);
}

static int grow(struct fs_hosts *h)
{
	size_t cap = h->cap ? 2 * h->cap : 1024;
	struct held_ballot *b;
	float *p;

	if (cap > FS_HOSTS_MAX_BALLOTS)
		cap = FS_HOSTS_MAX_BALLOTS;
	if (cap <= h->n)
		return -1;
	b = realloc(h->b, cap * sizeof(*b));
	if (!b)
		return -1;
	h->b = b;
	p = realloc(h->probs, cap * h->nclasses * sizeof(*p));
	if (!p)
		return -1;
	h->probs = p;
	h->cap = cap;
	return 0;
}

int fs_hosts_add(struct fs_hosts *h, const __u8 addr[16], const struct fs_host_ballot *b)
{
	struct held_ballot *hb;

	if (h->n == h->cap && grow(h) < 0) {
		h->left_out++;
		return h->n < FS_HOSTS_MAX_BALLOTS ? -1 : 0;
	}
	hb = &h->b[h->n];
	memcpy(hb->addr, addr, sizeof(hb->addr));
	hb->first_ts = b->first_ts;
	hb->last_ts = b->last_ts;
	hb->bytes = b->bytes;
	memcpy(h->probs + h->n * h->nclasses, b->probs, h->nclasses * sizeof(float));
	h->n++;
	return 0;
}

__u64 fs_hosts_left_out(const struct fs_hosts *h)
{
	return h->left_out;
}

size_t fs_hosts_count(const struct fs_hosts *h)
{
	return h->n;
}

void fs_hosts_truncate(struct fs_hosts *h, size_t n)
{
	if (n < h->n)
		h->n = n;
}

void fs_hosts_prune(struct fs_hosts *h, __u64 before)
{
	size_t i, kept = 0;

	for (i = 0; i < h->n; i++) {
		if (h->b[i].last_ts < before)
			continue;
		if (kept != i) {
			h->b[kept] = h->b[i];
			memcpy(h->probs + kept * h->nclasses, h->probs + i * h->nclasses,
			       h->nclasses * sizeof(float));
		}
		kept++;
	}
	h->n = kept;
}

/* Ballot indices by host address: qsort has no context, so they carry it. */
struct by_host {
	const __u8 *addr;
	size_t i;
};

static int by_host_cmp(const void *a, const void *b)
{
	const struct by_host *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, 16);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int by_bytes_desc(const void *a, const void *b)
{
	const struct fs_host_row *x = a, *y = b;

	return (x->bytes < y->bytes) - (x->bytes > y->bytes);
}

/* The host of ballots order[from, to): its verdict into row. 0, or -1. */
static int judge_host(const struct fs_hosts *h, const struct by_host *order, size_t from, size_t to,
		      __u64 wfrom, __u64 wto, struct fs_host_row *row)
{
	double scores[FS_MODEL_MAX_CLASSES];
	struct fs_host_vote v;
	size_t k;
	int err = 0;

	fs_host_vote_init(&v, h->nclasses, h->background, wfrom, wto);
	memcpy(row->addr, order[from].addr, sizeof(row->addr));
	row->flows = 0;
	for (k = from; k < to && !err; k++) {
		const struct held_ballot *hb = &h->b[order[k].i];
		struct fs_host_ballot b = {hb->first_ts, hb->last_ts, hb->bytes,
					   h->probs + order[k].i * h->nclasses};

		row->flows += hb->first_ts <= wto && hb->last_ts >= wfrom;
		err = fs_host_vote_add(&v, &b);
	}
	row->bytes = v.total_bytes;
	row->cls = err ? -1 : fs_host_vote_verdict(&v, scores);
	row->score = row->cls >= 0 ? scores[row->cls] : 0;
	fs_host_vote_free(&v);
	return err;
}

int fs_hosts_judge(struct fs_hosts *h, __u64 from, __u64 to, struct fs_host_row **rows, size_t *n)
{
	struct by_host *order = malloc((h->n + 1) * sizeof(*order));
	struct fs_host_row *r = malloc((h->n + 1) * sizeof(*r));
	size_t i, start, nrows = 0;
	int err = 0;

	if (!order || !r) {
		free(order);
		free(r);
		return -1;
	}
	for (i = 0; i < h->n; i++)
		order[i] = (struct by_host){h->b[i].addr, i};
	qsort(order, h->n, sizeof(*order), by_host_cmp);
	for (start = 0; start < h->n && !err; start = i) {
		for (i = start; i < h->n && !memcmp(order[i].addr, order[start].addr, 16); i++)
			;
		err = judge_host(h, order, start, i, from, to, &r[nrows]);
		/* A host whose flows all lie outside the window has no row. */
		if (!err && r[nrows].cls >= 0)
			nrows++;
	}
	free(order);
	if (err) {
		free(r);
		return -1;
	}
	qsort(r, nrows, sizeof(*r), by_bytes_desc);
	*rows = r;
	*n = nrows;
	return 0;
}
