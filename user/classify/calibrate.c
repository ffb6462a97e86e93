// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdlib.h>

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

struct scored {
	float confidence;
	bool right;
};

static int by_confidence_desc(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	return (x->confidence < y->confidence) - (x->confidence > y->confidence);
}

float fs_unknown_threshold(const float *confidence, const bool *right, size_t n, double accuracy)
{
	struct scored *s = malloc((n + 1) * sizeof(*s));
	size_t i, kept = 0, nright = 0;
	float t;

	if (!s)
		return 0;
	for (i = 0; i < n; i++)
		s[i] = (struct scored){confidence[i], right[i]};
	qsort(s, n, sizeof(*s), by_confidence_desc);
	for (i = 0; i < n; i++) {
		nright += s[i].right;
		/* Only where the confidence steps down: equal ones are kept or left out together.
		 */
		if ((i + 1 == n || s[i + 1].confidence < s[i].confidence) &&
		    (double)nright >= accuracy * (double)(i + 1))
			kept = i + 1;
	}
	if (kept == n)
		t = 0;
	else if (kept == 0) /* none is that accurate: all unknown */
		t = fminf(nextafterf(s[0].confidence, 1.0f), 0.999999f);
	else
		t = (s[kept - 1].confidence + s[kept].confidence) / 2;
	free(s);
	return t;
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
