/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * k-means on rows of floats: greedy k-means++ seeding, several restarts,
 * Lloyd iterations to convergence; the restart with the least inertia wins.
 * Takes feature vectors only: nothing here knows of flows.
 */
#ifndef FS_KMEANS_H
#define FS_KMEANS_H

#include <stddef.h>
#include <linux/types.h>

struct fs_kmeans {
	unsigned int k;
	unsigned int dim;
	float *centroids; /* k rows of dim */
	double inertia;	  /* sum of squared distances to the nearest centroid */
	unsigned int iterations;
};

struct fs_kmeans_options {
	unsigned int k;
	unsigned int restarts; /* default 10, as scikit-learn's n_init */
	unsigned int max_iter; /* default 300 */
	double tol;	       /* relative to the data's mean variance; default 1e-4 */
	__u64 seed;
};

/* x: n rows of dim. 0, or -1 (bad arguments, no memory). */
int fs_kmeans_fit(struct fs_kmeans *km, const float *x, size_t n, unsigned int dim,
		  const struct fs_kmeans_options *opt);
/* The nearest centroid to row; its squared distance in *dist2 if not NULL. */
unsigned int fs_kmeans_predict(const struct fs_kmeans *km, const float *row, float *dist2);
void fs_kmeans_free(struct fs_kmeans *km);

#endif /* FS_KMEANS_H */
