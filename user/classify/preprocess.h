/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feature preprocessing learnt on training data, stored with a model:
 * missing values (NaN, infinities) are replaced by the training median,
 * heavy-tailed non-negative features go through log1p, then every feature is
 * standardised (z-score). A feature constant in training becomes 0.
 */
#ifndef FS_PREPROCESS_H
#define FS_PREPROCESS_H

#include <stddef.h>
#include <linux/types.h>

struct fs_preprocess {
	unsigned int dim;
	__u8 *log1p;   /* per feature: take log1p first */
	double *fill;  /* the value a missing one takes (before log1p) */
	double *mean;  /* after log1p */
	double *scale; /* standard deviation after log1p; 0: constant */
};

/*
 * A feature is heavy-tailed when it is never negative and its sample skewness
 * over the training rows exceeds this.
 */
#define FS_PREPROCESS_SKEW 2.0

/* Learn from n rows of dim doubles. 0, or -1 without memory or rows. */
int fs_preprocess_fit(struct fs_preprocess *p, const double *x, size_t n, unsigned int dim);
/* One row of raw features -> dim standardised floats. */
void fs_preprocess_apply(const struct fs_preprocess *p, const double *raw, float *out);
/* An empty one of dim features, for a model file to fill in. 0, or -1. */
int fs_preprocess_alloc(struct fs_preprocess *p, unsigned int dim);
void fs_preprocess_free(struct fs_preprocess *p);

#endif /* FS_PREPROCESS_H */
