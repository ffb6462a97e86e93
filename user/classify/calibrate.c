// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>

#include "classify/calibrate.h"
#include "classify/model.h"

#define PROB_FLOOR 1e-12

void fs_temper(float *probs, unsigned int n, float t)
{
	double sum = 0, v[FS_MODEL_MAX_CLASSES];
	unsigned int c;

	if (t == 1 || t <= 0 || n > FS_MODEL_MAX_CLASSES)
		return;
	for (c = 0; c < n; c++) {
		v[c] = exp(log(fmax(probs[c], PROB_FLOOR)) / t);
		sum += v[c];
	}
	for (c = 0; c < n; c++)
		probs[c] = (float)(v[c] / sum);
}

static double mean_nll(const float *probs, const int *y, size_t n, unsigned int nclasses, double t)
{
	double total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const float *p = probs + i * nclasses;
		double sum = 0;
		unsigned int c;

		for (c = 0; c < nclasses; c++)
			sum += exp(log(fmax(p[c], PROB_FLOOR)) / t);
		total -= log(fmax(p[y[i]], PROB_FLOOR)) / t - log(sum);
	}
	return total / (double)n;
}

float fs_fit_temperature(const float *probs, const int *y, size_t n, unsigned int nclasses)
{
	/* Golden-section search on log T: the likelihood is unimodal in it. */
	const double g = (sqrt(5) - 1) / 2;
	double a = log(0.05), b = log(20), c, d;
	int i;

	if (n == 0)
		return 1;
	c = b - g * (b - a);
	d = a + g * (b - a);
	for (i = 0; i < 60; i++) {
		if (mean_nll(probs, y, n, nclasses, exp(c)) <
		    mean_nll(probs, y, n, nclasses, exp(d)))
			b = d;
		else
			a = c;
		c = b - g * (b - a);
		d = a + g * (b - a);
	}
	return (float)exp((a + b) / 2);
}

void fs_reliability_add(struct fs_reliability *r, float confidence, bool right)
{
	int b = (int)(confidence * FS_RELIABILITY_BINS);

	b = b < 0 ? 0 : b >= FS_RELIABILITY_BINS ? FS_RELIABILITY_BINS - 1 : b;
	r->confidence[b] += confidence;
	r->right[b] += right;
	r->count[b]++;
}

static double sum(const double *v)
{
	double s = 0;
	int b;

	for (b = 0; b < FS_RELIABILITY_BINS; b++)
		s += v[b];
	return s;
}

double fs_reliability_count(const struct fs_reliability *r)
{
	return sum(r->count);
}

double fs_reliability_mean_confidence(const struct fs_reliability *r)
{
	double n = sum(r->count);

	return n ? sum(r->confidence) / n : 0;
}

double fs_reliability_accuracy(const struct fs_reliability *r)
{
	double n = sum(r->count);

	return n ? sum(r->right) / n : 0;
}

double fs_reliability_error(const struct fs_reliability *r)
{
	double n = sum(r->count), ece = 0;
	int b;

	for (b = 0; b < FS_RELIABILITY_BINS; b++)
		if (r->count[b])
			ece += r->count[b] / n * fabs(r->confidence[b] - r->right[b]) / r->count[b];
	return ece;
}
