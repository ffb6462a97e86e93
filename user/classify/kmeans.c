// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/kmeans.h"
#include "classify/rng.h"

static float dist2(const float *a, const float *b, unsigned int dim)
{
	float s = 0;
	unsigned int i;

	for (i = 0; i < dim; i++) {
		float d = a[i] - b[i];

		s += d * d;
	}
	return s;
}

unsigned int fs_kmeans_predict(const struct fs_kmeans *km, const float *row, float *d2)
{
	unsigned int c, best = 0;
	float best_d = FLT_MAX;

	for (c = 0; c < km->k; c++) {
		float d = dist2(row, km->centroids + (size_t)c * km->dim, km->dim);

		if (d < best_d) {
			best_d = d;
			best = c;
		}
	}
	if (d2)
		*d2 = best_d;
	return best;
}

/* Index of the first cumulative weight above target: sampling by weight. */
static size_t pick_weighted(const double *w, size_t n, double target)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		target -= w[i];
		if (target < 0)
			break;
	}
	return i;
}

/*
 * Greedy k-means++ (as scikit-learn): each new centre is the best of a few
 * candidates drawn with probability proportional to D(x)^2.
 */
static void seed_centroids(float *cent, const float *x, size_t n, unsigned int dim, unsigned int k,
			   struct fs_rng *rng, double *closest)
{
	unsigned int trials = 2 + (unsigned int)log(k), c, t;
	double pot = 0;
	size_t i;

	memcpy(cent, x + fs_rng_below(rng, n) * dim, dim * sizeof(float));
	for (i = 0; i < n; i++) {
		closest[i] = dist2(x + i * dim, cent, dim);
		pot += closest[i];
	}
	for (c = 1; c < k; c++) {
		double best_pot = -1;
		size_t best = 0;

		for (t = 0; t < trials; t++) {
			size_t cand = pick_weighted(closest, n, fs_rng_uniform(rng) * pot);
			double p = 0;

			for (i = 0; i < n; i++) {
				double d = dist2(x + i * dim, x + cand * dim, dim);

				p += d < closest[i] ? d : closest[i];
			}
			if (best_pot < 0 || p < best_pot) {
				best_pot = p;
				best = cand;
			}
		}
		memcpy(cent + (size_t)c * dim, x + best * dim, dim * sizeof(float));
		pot = 0;
		for (i = 0; i < n; i++) {
			double d = dist2(x + i * dim, x + best * dim, dim);

			if (d < closest[i])
				closest[i] = d;
			pot += closest[i];
		}
	}
}

struct lloyd {
	const float *x;
	size_t n;
	unsigned int dim, k;
	float *cent;
	unsigned int *label;
	double *sums;  /* k x dim */
	size_t *count; /* k */
};

/* Assign every row to its nearest centre; returns the inertia. */
static double assign(struct lloyd *l, struct fs_kmeans *view)
{
	double inertia = 0;
	size_t i;

	view->centroids = l->cent;
	for (i = 0; i < l->n; i++) {
		float d;

		l->label[i] = fs_kmeans_predict(view, l->x + i * l->dim, &d);
		inertia += d;
	}
	return inertia;
}

/* New centres: the means. An empty cluster takes the row farthest from its centre. */
static double update(struct lloyd *l)
{
	unsigned int c, j;
	double shift = 0;
	size_t i;

	memset(l->sums, 0, (size_t)l->k * l->dim * sizeof(double));
	memset(l->count, 0, l->k * sizeof(size_t));
	for (i = 0; i < l->n; i++) {
		double *s = l->sums + (size_t)l->label[i] * l->dim;
		const float *row = l->x + i * l->dim;

		for (j = 0; j < l->dim; j++)
			s[j] += row[j];
		l->count[l->label[i]]++;
	}
	for (c = 0; c < l->k; c++) {
		float *cent = l->cent + (size_t)c * l->dim;

		if (l->count[c] == 0) {
			size_t far = 0;
			float far_d = -1;

			for (i = 0; i < l->n; i++) {
				float d = dist2(l->x + i * l->dim,
						l->cent + (size_t)l->label[i] * l->dim, l->dim);

				if (d > far_d) {
					far_d = d;
					far = i;
				}
			}
			memcpy(cent, l->x + far * l->dim, l->dim * sizeof(float));
			shift += far_d;
			continue;
		}
		for (j = 0; j < l->dim; j++) {
			float m = (float)(l->sums[(size_t)c * l->dim + j] / (double)l->count[c]);

			shift += (double)(m - cent[j]) * (m - cent[j]);
			cent[j] = m;
		}
	}
	return shift;
}

/* The mean over columns of the column variances: the scale of tol. */
static double mean_variance(const float *x, size_t n, unsigned int dim)
{
	double total = 0;
	unsigned int j;
	size_t i;

	for (j = 0; j < dim; j++) {
		double s = 0, ss = 0;

		for (i = 0; i < n; i++) {
			s += x[i * dim + j];
			ss += (double)x[i * dim + j] * x[i * dim + j];
		}
		total += ss / (double)n - (s / (double)n) * (s / (double)n);
	}
	return total / dim;
}

static double run_once(struct lloyd *l, const struct fs_kmeans_options *opt, double tol,
		       struct fs_rng *rng, double *scratch, unsigned int *iters)
{
	struct fs_kmeans view = {.k = l->k, .dim = l->dim};
	unsigned int it;

	seed_centroids(l->cent, l->x, l->n, l->dim, l->k, rng, scratch);
	for (it = 0; it < opt->max_iter; it++) {
		assign(l, &view);
		if (update(l) <= tol)
			break;
	}
	*iters = it + 1;
	return assign(l, &view);
}

int fs_kmeans_fit(struct fs_kmeans *km, const float *x, size_t n, unsigned int dim,
		  const struct fs_kmeans_options *opt)
{
	struct fs_kmeans_options o = *opt;
	struct lloyd l = {.x = x, .n = n, .dim = dim, .k = o.k};
	double tol, *scratch;
	struct fs_rng rng;
	unsigned int r, iters;
	int err = -1;

	memset(km, 0, sizeof(*km));
	if (o.k == 0 || dim == 0 || n < o.k)
		return -1;
	o.restarts = o.restarts ? o.restarts : 10;
	o.max_iter = o.max_iter ? o.max_iter : 300;
	tol = (o.tol > 0 ? o.tol : 1e-4) * mean_variance(x, n, dim);
	fs_rng_seed(&rng, o.seed);
	km->centroids = malloc((size_t)o.k * dim * sizeof(float));
	l.cent = malloc((size_t)o.k * dim * sizeof(float));
	l.label = malloc(n * sizeof(*l.label));
	l.sums = malloc((size_t)o.k * dim * sizeof(double));
	l.count = malloc(o.k * sizeof(size_t));
	scratch = malloc(n * sizeof(double));
	if (!km->centroids || !l.cent || !l.label || !l.sums || !l.count || !scratch)
		goto out;
	km->k = o.k;
	km->dim = dim;
	for (r = 0; r < o.restarts; r++) {
		double inertia = run_once(&l, &o, tol, &rng, scratch, &iters);

		if (r == 0 || inertia < km->inertia) {
			km->inertia = inertia;
			km->iterations = iters;
			memcpy(km->centroids, l.cent, (size_t)o.k * dim * sizeof(float));
		}
	}
	err = 0;
out:
	free(l.cent);
	free(l.label);
	free(l.sums);
	free(l.count);
	free(scratch);
	if (err)
		fs_kmeans_free(km);
	return err;
}

void fs_kmeans_free(struct fs_kmeans *km)
{
	free(km->centroids);
	memset(km, 0, sizeof(*km));
}
