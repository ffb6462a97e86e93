// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* k-means on synthetic blobs whose answer is known. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/kmeans.h"
#include "classify/rng.h"

#define PER_BLOB 200
#define BLOBS	 3
#define DIM	 4

static const float centres[BLOBS][DIM] = {{0, 0, 0, 0}, {10, 10, 0, 0}, {0, 10, 10, -5}};

static double gauss(struct fs_rng *r)
{
	double u = fs_rng_uniform(r), v = fs_rng_uniform(r);

	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* Blobs of sd 1 around the centres; returns the rows, blob by blob. */
static float *make_blobs(void)
{
	float *x = malloc(sizeof(float) * BLOBS * PER_BLOB * DIM);
	struct fs_rng r;
	int b, i, j;

	fs_rng_seed(&r, 42);
	for (b = 0; b < BLOBS; b++)
		for (i = 0; i < PER_BLOB; i++)
			for (j = 0; j < DIM; j++)
				x[(b * PER_BLOB + i) * DIM + j] = centres[b][j] + (float)gauss(&r);
	return x;
}

/* Within-blob sum of squared deviations from each blob's own mean. */
static double blob_inertia(const float *x)
{
	double total = 0;
	int b, i, j;

	for (b = 0; b < BLOBS; b++)
		for (j = 0; j < DIM; j++) {
			double m = 0;

			for (i = 0; i < PER_BLOB; i++)
				m += x[(b * PER_BLOB + i) * DIM + j];
			m /= PER_BLOB;
			for (i = 0; i < PER_BLOB; i++) {
				double d = x[(b * PER_BLOB + i) * DIM + j] - m;

				total += d * d;
			}
		}
	return total;
}

static void test_finds_the_blobs(void **state)
{
	struct fs_kmeans_options o = {.k = 3, .seed = 1};
	float *x = make_blobs();
	struct fs_kmeans km;
	int b, i;

	assert_int_equal(fs_kmeans_fit(&km, x, BLOBS * PER_BLOB, DIM, &o), 0);
	for (b = 0; b < BLOBS; b++) {
		unsigned int c = fs_kmeans_predict(&km, x + b * PER_BLOB * DIM, NULL);

		for (i = 0; i < PER_BLOB; i++)
			assert_int_equal(fs_kmeans_predict(&km, x + (b * PER_BLOB + i) * DIM, NULL),
					 c);
		for (i = 0; i < b; i++) /* and no two blobs share a cluster */
			assert_int_not_equal(fs_kmeans_predict(&km, x + i * PER_BLOB * DIM, NULL),
					     c);
	}
	/* The optimum puts the centroids at the blob means. */
	assert_true(fabs(km.inertia - blob_inertia(x)) < 1e-3 * blob_inertia(x));
	fs_kmeans_free(&km);
	free(x);
}

static void test_same_seed_same_model(void **state)
{
	struct fs_kmeans_options o = {.k = 5, .restarts = 3, .seed = 7};
	float *x = make_blobs();
	struct fs_kmeans a, b;

	assert_int_equal(fs_kmeans_fit(&a, x, BLOBS * PER_BLOB, DIM, &o), 0);
	assert_int_equal(fs_kmeans_fit(&b, x, BLOBS * PER_BLOB, DIM, &o), 0);
	assert_memory_equal(a.centroids, b.centroids, sizeof(float) * 5 * DIM);
	assert_true(a.inertia == b.inertia);
	/* More clusters than blobs: lower inertia than the blob optimum. */
	assert_true(a.inertia < blob_inertia(x));
	fs_kmeans_free(&a);
	fs_kmeans_free(&b);
	free(x);
}

static void test_bad_arguments(void **state)
{
	struct fs_kmeans_options o = {.k = 4};
	float x[3 * 2] = {0};
	struct fs_kmeans km;

	assert_int_equal(fs_kmeans_fit(&km, x, 3, 2, &o), -1); /* k > n */
	o.k = 0;
	assert_int_equal(fs_kmeans_fit(&km, x, 3, 2, &o), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_the_blobs),
		cmocka_unit_test(test_same_seed_same_model),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests_name("kmeans", tests, NULL, NULL);
}
