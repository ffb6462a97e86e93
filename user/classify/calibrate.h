/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Temperature scaling: class probabilities p become p^(1/T), renormalised.
 * T > 1 softens an over-confident model, T < 1 sharpens a timid one; the
 * most probable class never changes. T is fitted on held-out rows so that
 * a confidence of 0.8 is right about 8 times in 10.
 */
#ifndef FS_CALIBRATE_H
#define FS_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

/* probs[0..n) at temperature t (1: unchanged). */
void fs_temper(float *probs, unsigned int n, float t);
/*
 * The T in [0.05, 20] that minimises the mean negative log-likelihood of the
 * true classes y over rows of probs (n rows of nclasses); 1 without rows.
 */
float fs_fit_temperature(const float *probs, const int *y, size_t n, unsigned int nclasses);
/*
 * The confidence below which a verdict is shown as unknown: the lowest that
 * leaves the rows at or above it right at least `accuracy` of the time (the
 * widest coverage at that accuracy). 0, never unknown, when all the rows
 * together are that accurate or there are none. A threshold lies halfway
 * between the last confidence kept and the first left out.
 */
float fs_unknown_threshold(const float *confidence, const bool *right, size_t n, double accuracy);
/*
 * How far confidence is from accuracy: verdicts in 10 bins of confidence
 * (0-0.1, ... 0.9-1).
 */
#define FS_RELIABILITY_BINS 10
struct fs_reliability {
	double confidence[FS_RELIABILITY_BINS]; /* sums */
	double right[FS_RELIABILITY_BINS];
	double count[FS_RELIABILITY_BINS];
};

void fs_reliability_add(struct fs_reliability *r, float confidence, bool right);
/*
 * The expected calibration error: each bin's gap between its mean confidence
 * and its accuracy, weighted by its share of the verdicts; 0 without any.
 */
double fs_reliability_error(const struct fs_reliability *r);
/* The verdicts added, their mean confidence and their accuracy. */
double fs_reliability_count(const struct fs_reliability *r);
double fs_reliability_mean_confidence(const struct fs_reliability *r);
double fs_reliability_accuracy(const struct fs_reliability *r);

#endif /* FS_CALIBRATE_H */
