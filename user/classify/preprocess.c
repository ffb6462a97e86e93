// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/preprocess.h"

int fs_preprocess_alloc(struct fs_preprocess *p, unsigned int dim)
{
	memset(p, 0, sizeof(*p));
	p->log1p = calloc(dim ? dim : 1, 1);
	p->fill = calloc(dim ? dim : 1, sizeof(double));
	p->mean = calloc(dim ? dim : 1, sizeof(double));
	p->scale = calloc(dim ? dim : 1, sizeof(double));
	if (!p->log1p || !p->fill || !p->mean || !p->scale) {
		fs_preprocess_free(p);
		return -1;
	}
	p->dim = dim;
	return 0;
}

void fs_preprocess_free(struct fs_preprocess *p)
{
	free(p->log1p);
	free(p->fill);
	free(p->mean);
	free(p->scale);
	memset(p, 0, sizeof(*p));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The finite values of column j, sorted; returns how many. */
static size_t finite_column(const double *x, size_t n, unsigned int dim, unsigned int j,
			    double *col)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (isfinite(x[i * dim + j]))
			col[m++] = x[i * dim + j];
	qsort(col, m, sizeof(*col), cmp_double);
	return m;
}

static double skewness(const double *v, size_t n)
{
	double mean = 0, m2 = 0, m3 = 0;
	size_t i;

	for (i = 0; i < n; i++)
		mean += v[i];
	mean /= (double)n;
	for (i = 0; i < n; i++) {
		double d = v[i] - mean;

		m2 += d * d;
		m3 += d * d * d;
	}
	m2 /= (double)n;
	m3 /= (double)n;
	return m2 > 0 ? m3 / pow(m2, 1.5) : 0;
}

static double transform(const struct fs_preprocess *p, unsigned int j, double v)
{
	if (!isfinite(v))
		v = p->fill[j];
	return p->log1p[j] ? log1p(v) : v;
}

int fs_preprocess_fit(struct fs_preprocess *p, const double *x, size_t n, unsigned int dim)
{
	double *col = malloc((n ? n : 1) * sizeof(double));
	unsigned int j;
	size_t i, m;

	if (!col || n == 0 || fs_preprocess_alloc(p, dim) < 0) {
		free(col);
		return -1;
	}
	for (j = 0; j < dim; j++) {
		double sum = 0, sumsq = 0;

		m = finite_column(x, n, dim, j, col);
		p->fill[j] = m ? col[m / 2] : 0;
		p->log1p[j] = m && col[0] >= 0 && skewness(col, m) > FS_PREPROCESS_SKEW;
		for (i = 0; i < n; i++) {
			double t = transform(p, j, x[i * dim + j]);

			sum += t;
			sumsq += t * t;
		}
		p->mean[j] = sum / (double)n;
		p->scale[j] = sqrt(fmax(0, sumsq / (double)n - p->mean[j] * p->mean[j]));
		if (p->scale[j] < 1e-12 * (fabs(p->mean[j]) + 1))
			p->scale[j] = 0;
	}
	free(col);
	return 0;
}

void fs_preprocess_apply(const struct fs_preprocess *p, const double *raw, float *out)
{
	unsigned int j;

	for (j = 0; j < p->dim; j++) {
		double z =
			p->scale[j] > 0 ? (transform(p, j, raw[j]) - p->mean[j]) / p->scale[j] : 0;

		/* A value far beyond anything in training must not swamp the rest. */
		out[j] = (float)(z > 1e3 ? 1e3 : z < -1e3 ? -1e3 : z);
	}
}
