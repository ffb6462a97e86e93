// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "classify/forest.h"
#include "classify/rng.h"
#include "common/util.h"

#include "kernel_model_walk.h"

/* One input's value and the row's class, sorted to find a split. */
struct cell {
	__u32 value;
	int class;
};

struct grower {
	const __u32 *x;
	const int *y;
	unsigned int nclasses;
	const struct fs_forest_params *p;
	struct fs_rng rng;
	struct cell *cells; /* scratch, n long */
	struct fs_km_forest *f;
	__u32 cap;
	bool full; /* FS_KM_MAX_NODES reached: what is left becomes leaves */
};

struct split {
	int feature; /* -1: none better than the node */
	__u32 threshold;
	double impurity; /* of the two sides, weighted by their rows */
};

static int by_value(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;

	return (x->value > y->value) - (x->value < y->value);
}

/* Gini impurity of counts summing to n, times n. */
static double gini_n(const unsigned int *counts, unsigned int nclasses, unsigned int n)
{
	double sq = 0;
	unsigned int c;

	if (!n)
		return 0;
	for (c = 0; c < nclasses; c++)
		sq += (double)counts[c] * counts[c];
	return n - sq / n;
}

static __s64 new_node(struct grower *g)
{
	if (g->f->nnodes == FS_KM_MAX_NODES) {
		g->full = true;
		return -1;
	}
	if (g->f->nnodes == g->cap) {
		__u32 cap = g->cap ? 2 * g->cap : 1024;
		struct fs_km_node *n = realloc(g->f->nodes, cap * sizeof(*n));

		if (!n)
			return -2;
		g->f->nodes = n;
		g->cap = cap;
	}
	memset(&g->f->nodes[g->f->nnodes], 0, sizeof(struct fs_km_node));
	return g->f->nnodes++;
}

/* The best split of rows idx[0..m) on one input, into *best if better. */
static void try_input(struct grower *g, const size_t *idx, size_t m, int feature,
		      const unsigned int *total, struct split *best)
{
	unsigned int left[FS_KM_MAX_CLASSES] = {0}, right[FS_KM_MAX_CLASSES];
	size_t i;

	for (i = 0; i < m; i++) {
		g->cells[i].value = g->x[idx[i] * FS_KM_INPUTS + feature];
		g->cells[i].class = g->y[idx[i]];
	}
	qsort(g->cells, m, sizeof(*g->cells), by_value);
	if (g->cells[0].value == g->cells[m - 1].value)
		return;
	memcpy(right, total, sizeof(right));
	for (i = 0; i + 1 < m; i++) {
		double imp;

		left[g->cells[i].class]++;
		right[g->cells[i].class]--;
		if (g->cells[i].value == g->cells[i + 1].value || i + 1 < g->p->min_leaf ||
		    m - i - 1 < g->p->min_leaf)
			continue;
		imp = gini_n(left, g->nclasses, (unsigned int)(i + 1)) +
		      gini_n(right, g->nclasses, (unsigned int)(m - i - 1));
		if (imp < best->impurity - 1e-9) {
			best->impurity = imp;
			best->feature = feature;
			best->threshold = g->cells[i].value;
		}
	}
}

/* A leaf: each class's share of its rows, a tree's part of 65535. */
static void make_leaf(struct grower *g, __u32 node, const unsigned int *counts, size_t m)
{
	struct fs_km_node *n = &g->f->nodes[node];
	unsigned int c;

	n->feature = FS_KM_LEAF;
	for (c = 0; c < g->nclasses; c++)
		n->score[c] = (__u16)((double)counts[c] / m * 65535.0 / g->p->trees);
}

static int grow(struct grower *g, __u32 node, size_t *idx, size_t m, unsigned int depth)
{
	unsigned int counts[FS_KM_MAX_CLASSES] = {0}, c, pure = 0, t;
	struct split best = {.feature = -1};
	__s64 l, r;
	size_t i, nl;

	for (i = 0; i < m; i++)
		counts[g->y[idx[i]]]++;
	for (c = 0; c < g->nclasses; c++)
		pure |= counts[c] == m;
	best.impurity = gini_n(counts, g->nclasses, (unsigned int)m);
	if (!pure && depth < g->p->max_depth && m >= 2 * g->p->min_leaf && !g->full)
		for (t = 0; t < g->p->tries; t++)
			try_input(g, idx, m, (int)fs_rng_below(&g->rng, FS_KM_INPUTS), counts,
				  &best);
	if (best.feature < 0) {
		make_leaf(g, node, counts, m);
		return 0;
	}
	l = new_node(g);
	r = l >= 0 ? new_node(g) : l;
	if (l == -2 || r == -2)
		return fs_err("train", "out of memory");
	if (l < 0 || r < 0) {
		if (l >= 0)
			g->f->nnodes--;
		make_leaf(g, node, counts, m);
		return 0;
	}
	g->f->nodes[node].feature = (__u16)best.feature;
	g->f->nodes[node].threshold = best.threshold;
	g->f->nodes[node].left = (__u16)l;
	g->f->nodes[node].right = (__u16)r;
	/* Rows at or below the threshold first. */
	for (i = nl = 0; i < m; i++)
		if (g->x[idx[i] * FS_KM_INPUTS + best.feature] <= best.threshold) {
			size_t tmp = idx[nl];

			idx[nl++] = idx[i];
			idx[i] = tmp;
		}
	if (grow(g, (__u32)l, idx, nl, depth + 1) < 0)
		return -1;
	return grow(g, (__u32)r, idx + nl, m - nl, depth + 1);
}

int fs_forest_grow(struct fs_km_forest *f, const __u32 *x, const int *y, size_t n,
		   unsigned int nclasses, const struct fs_forest_params *p)
{
	struct grower g = {.x = x, .y = y, .nclasses = nclasses, .p = p, .f = f};
	size_t *idx = malloc((n + 1) * sizeof(*idx)), i;
	unsigned int t;
	int err = 0;

	memset(f, 0, sizeof(*f));
	g.cells = malloc((n + 1) * sizeof(*g.cells));
	if (!idx || !g.cells) {
		err = fs_err("train", "out of memory");
		goto out;
	}
	if (!n || nclasses > FS_KM_MAX_CLASSES || p->trees > FS_KM_MAX_TREES ||
	    p->max_depth > FS_KM_MAX_DEPTH) {
		err = fs_err("train",
			     "the kernel model needs rows, at most %d classes, %d trees "
			     "and a depth of %d",
			     FS_KM_MAX_CLASSES, FS_KM_MAX_TREES, FS_KM_MAX_DEPTH);
		goto out;
	}
	fs_rng_seed(&g.rng, p->seed ^ 0xf0e57ULL);
	for (t = 0; t < p->trees && !err; t++) {
		__s64 root = new_node(&g);

		if (root < 0) {
			err = fs_err("train", "the kernel model has no room for tree %u", t + 1);
			break;
		}
		/* A bootstrap sample: n rows drawn with replacement. */
		for (i = 0; i < n; i++)
			idx[i] = (size_t)fs_rng_below(&g.rng, n);
		f->cfg.root[t] = (__u16)root;
		err = grow(&g, (__u32)root, idx, n, 0);
	}
	f->cfg.ntrees = p->trees;
	f->cfg.nclasses = nclasses;
out:
	free(idx);
	free(g.cells);
	if (err)
		fs_forest_free(f);
	return err;
}

void fs_forest_free(struct fs_km_forest *f)
{
	free(f->nodes);
	memset(f, 0, sizeof(*f));
}

int fs_forest_classify(const struct fs_km_forest *f, const __u32 *in, __u32 *margin)
{
	struct fs_km_inputs all = {0};
	__u32 lead;

	memcpy(all.v, in, FS_KM_INPUTS * sizeof(*in));
	return fs_km_classify(&f->cfg, &all, f, margin ? margin : &lead);
}
