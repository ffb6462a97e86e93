// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify/hosts.h"
#include "common/util.h"

struct held_ballot {
	__u64 seq; /* order of arrival, for fs_hosts_rollback */
	__u64 first_ts, last_ts;
	double bytes;
};

/* One host's ballots, in order of arrival. */
struct host {
	__u8 addr[16];
	struct held_ballot *b;
	float *probs; /* nclasses per ballot */
	size_t n, cap;
};

/*
 * Hosts in an array, found by address through an open-addressing table of
 * their indices (+1; 0 is an empty slot), rebuilt whenever hosts go.
 */
struct fs_hosts {
	unsigned int nclasses;
	int background;
	struct host *hosts;
	size_t nhosts, hosts_cap;
	__u32 *slots;
	size_t nslots; /* a power of two, at least twice nhosts */
	size_t nballots;
	__u64 next_seq;
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

static void free_host(struct host *host)
{
	free(host->b);
	free(host->probs);
}

void fs_hosts_free(struct fs_hosts *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nhosts; i++)
		free_host(&h->hosts[i]);
	free(h->hosts);
	free(h->slots);
	free(h);
}

static size_t slot_of(const struct fs_hosts *h, const __u8 addr[16])
{
	size_t mask = h->nslots - 1, s = fs_fnv1a(addr, 16) & mask;

	while (h->slots[s] && memcmp(h->hosts[h->slots[s] - 1].addr, addr, 16))
		s = (s + 1) & mask;
	return s;
}

static struct host *find_host(const struct fs_hosts *h, const __u8 addr[16])
{
	size_t s;

	if (!h->nslots)
		return NULL;
	s = slot_of(h, addr);
	return h->slots[s] ? &h->hosts[h->slots[s] - 1] : NULL;
}

/* Fills a table of nslots slots from the hosts array. 0, or -1 without memory. */
static int rebuild_slots(struct fs_hosts *h, size_t nslots)
{
	__u32 *slots = calloc(nslots, sizeof(*slots));
	size_t i;

	if (!slots)
		return -1;
	free(h->slots);
	h->slots = slots;
	h->nslots = nslots;
	for (i = 0; i < h->nhosts; i++)
		h->slots[slot_of(h, h->hosts[i].addr)] = (__u32)(i + 1);
	return 0;
}

static struct host *add_host(struct fs_hosts *h, const __u8 addr[16])
{
	struct host *host;

	if (h->nhosts == h->hosts_cap) {
		size_t cap = h->hosts_cap ? 2 * h->hosts_cap : 64;
		struct host *hosts = realloc(h->hosts, cap * sizeof(*hosts));

		if (!hosts)
			return NULL;
		h->hosts = hosts;
		h->hosts_cap = cap;
	}
	if (2 * (h->nhosts + 1) > h->nslots &&
	    rebuild_slots(h, h->nslots ? 2 * h->nslots : 128) < 0)
		return NULL;
	host = &h->hosts[h->nhosts];
	memset(host, 0, sizeof(*host));
	memcpy(host->addr, addr, sizeof(host->addr));
	h->slots[slot_of(h, addr)] = (__u32)++h->nhosts;
	return host;
}

static int grow_host(struct host *host, unsigned int nclasses)
{
	size_t cap = host->cap ? 2 * host->cap : 8;
	struct held_ballot *b = realloc(host->b, cap * sizeof(*b));
	float *p;

	if (!b)
		return -1;
	host->b = b;
	p = realloc(host->probs, cap * nclasses * sizeof(*p));
	if (!p)
		return -1;
	host->probs = p;
	host->cap = cap;
	return 0;
}

int fs_hosts_add(struct fs_hosts *h, const __u8 addr[16], const struct fs_host_ballot *b)
{
	struct host *host;
	struct held_ballot *hb;

	if (h->nballots >= FS_HOSTS_MAX_BALLOTS) {
		h->left_out++;
		return 0;
	}
	host = find_host(h, addr);
	if ((!host && !(host = add_host(h, addr))) ||
	    (host->n == host->cap && grow_host(host, h->nclasses) < 0)) {
		h->left_out++;
		return -1;
	}
	hb = &host->b[host->n];
	hb->seq = h->next_seq++;
	hb->first_ts = b->first_ts;
	hb->last_ts = b->last_ts;
	hb->bytes = b->bytes;
	memcpy(host->probs + host->n * h->nclasses, b->probs, h->nclasses * sizeof(float));
	host->n++;
	h->nballots++;
	return 0;
}

__u64 fs_hosts_left_out(const struct fs_hosts *h)
{
	return h->left_out;
}

size_t fs_hosts_count(const struct fs_hosts *h)
{
	return h->nballots;
}

__u64 fs_hosts_mark(const struct fs_hosts *h)
{
	return h->next_seq;
}

void fs_hosts_rollback(struct fs_hosts *h, __u64 mark)
{
	size_t i;

	for (i = 0; i < h->nhosts; i++) {
		struct host *host = &h->hosts[i];

		while (host->n && host->b[host->n - 1].seq >= mark) {
			host->n--;
			h->nballots--;
		}
	}
	h->next_seq = mark;
}

/* Keeps the ballots of host whose last packet is at or after before. */
static void prune_host(struct fs_hosts *h, struct host *host, __u64 before)
{
	size_t i, kept = 0;

	for (i = 0; i < host->n; i++) {
		if (host->b[i].last_ts < before)
			continue;
		if (kept != i) {
			host->b[kept] = host->b[i];
			memcpy(host->probs + kept * h->nclasses, host->probs + i * h->nclasses,
			       h->nclasses * sizeof(float));
		}
		kept++;
	}
	h->nballots -= host->n - kept;
	host->n = kept;
}

void fs_hosts_prune(struct fs_hosts *h, __u64 before)
{
	size_t i, kept = 0;

	for (i = 0; i < h->nhosts; i++) {
		prune_host(h, &h->hosts[i], before);
		if (!h->hosts[i].n) {
			free_host(&h->hosts[i]);
			continue;
		}
		h->hosts[kept++] = h->hosts[i];
	}
	if (kept == h->nhosts)
		return;
	h->nhosts = kept;
	/* Same size: it cannot fail for want of memory, and the hosts left fit. */
	memset(h->slots, 0, h->nslots * sizeof(*h->slots));
	for (i = 0; i < h->nhosts; i++)
		h->slots[slot_of(h, h->hosts[i].addr)] = (__u32)(i + 1);
}

static bool in_window(const struct held_ballot *hb, __u64 from, __u64 to)
{
	return hb->first_ts <= to && hb->last_ts >= from;
}

/*
 * host's verdict over [from, to] from its latest `most` ballots that reach
 * into the window. 0, or -1 without memory.
 */
static int judge_host(const struct fs_hosts *h, const struct host *host, __u64 from, __u64 to,
		      size_t most, struct fs_host_row *row)
{
	double scores[FS_MODEL_MAX_CLASSES];
	struct fs_host_vote v;
	size_t k, start = host->n, found = 0;
	int err = 0;

	/* The latest `most` in the window, read oldest first: nearly in start order. */
	while (start > 0 && found < most)
		found += in_window(&host->b[--start], from, to);
	fs_host_vote_init(&v, h->nclasses, h->background, from, to);
	memcpy(row->addr, host->addr, sizeof(row->addr));
	row->flows = found;
	for (k = start; k < host->n && !err; k++) {
		const struct held_ballot *hb = &host->b[k];
		struct fs_host_ballot b = {hb->first_ts, hb->last_ts, hb->bytes,
					   host->probs + k * h->nclasses};

		if (in_window(hb, from, to))
			err = fs_host_vote_add(&v, &b);
	}
	row->bytes = v.total_bytes;
	row->cls = err ? -1 : fs_host_vote_verdict(&v, scores);
	row->score = row->cls >= 0 ? scores[row->cls] : 0;
	fs_host_vote_free(&v);
	return err;
}

/* Most bytes first; the address breaks ties, so the table's order is stable. */
static int by_bytes_desc(const void *a, const void *b)
{
	const struct fs_host_row *x = a, *y = b;

	if (x->bytes != y->bytes)
		return (x->bytes < y->bytes) - (x->bytes > y->bytes);
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

int fs_hosts_judge(struct fs_hosts *h, __u64 from, __u64 to, struct fs_host_row **rows, size_t *n)
{
	struct fs_host_row *r = malloc((h->nhosts + 1) * sizeof(*r));
	size_t i, nrows = 0;

	if (!r)
		return -1;
	for (i = 0; i < h->nhosts; i++) {
		if (judge_host(h, &h->hosts[i], from, to, SIZE_MAX, &r[nrows]) < 0) {
			free(r);
			return -1;
		}
		/* A host whose flows all lie outside the window has no row. */
		if (r[nrows].cls >= 0)
			nrows++;
	}
	qsort(r, nrows, sizeof(*r), by_bytes_desc);
	*rows = r;
	*n = nrows;
	return 0;
}

int fs_hosts_judge_one(struct fs_hosts *h, const __u8 addr[16], __u64 from, __u64 to,
		       struct fs_host_row *row)
{
	const struct host *host = find_host(h, addr);

	if (!host) {
		memset(row, 0, sizeof(*row));
		memcpy(row->addr, addr, sizeof(row->addr));
		row->cls = -1;
		return 0;
	}
	return judge_host(h, host, from, to, FS_HOST_RECORD_BALLOTS, row);
}
