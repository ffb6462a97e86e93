// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Preprocessing: which features get log1p, z-scores, missing values. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "classify/preprocess.h"

/* Columns: heavy-tailed bytes, a symmetric signed value, a constant, one with gaps. */
#define N 8
static const double rows[N][4] = {
	{10, -1, 5, 1}, {12, 1, 5, 2},	      {11, -2, 5, NAN}, {13, 2, 5, 4},
	{10, -1, 5, 5}, {14, 1, 5, INFINITY}, {12, 0, 5, 7},	{100000, 0, 5, 8},
};

static void test_fit_and_apply(void **state)
{
	struct fs_preprocess p;
	double sum[4] = {0}, sumsq[4] = {0};
	float out[N][4];
	int i, j;

	assert_int_equal(fs_preprocess_fit(&p, &rows[0][0], N, 4), 0);
	assert_int_equal(p.log1p[0], 1); /* one huge value: skewness 2.27 */
	assert_int_equal(p.log1p[1], 0); /* negative values */
	assert_int_equal(p.log1p[2], 0);
	assert_int_equal(p.log1p[3], 0);
	/* The median of the finite values 1 2 4 5 7 8: the upper middle one. */
	assert_true(p.fill[3] == 5);
	assert_true(p.scale[2] == 0);
	for (i = 0; i < N; i++) {
		fs_preprocess_apply(&p, rows[i], out[i]);
		for (j = 0; j < 4; j++) {
			assert_true(isfinite(out[i][j]));
			sum[j] += out[i][j];
			sumsq[j] += (double)out[i][j] * out[i][j];
		}
	}
	/* z-scores over the training rows: mean 0, variance 1 (0 for the constant). */
	for (j = 0; j < 4; j++) {
		assert_true(fabs(sum[j] / N) < 1e-5);
		assert_true(fabs(sumsq[j] / N - (j == 2 ? 0 : 1)) < 1e-5);
	}
	/*
	 * log1p keeps 10 and 14 apart (0.1 deviations); plain z-scores would
	 * squeeze them to within 1e-4 of each other beside the outlier.
	 */
	assert_true(out[5][0] - out[0][0] > 0.05f);
	/* A missing value takes the median: the same z as a real 5. */
	assert_true(out[2][3] == out[4][3]);
	fs_preprocess_free(&p);
}

static void test_unseen_extremes_are_bounded(void **state)
{
	struct fs_preprocess p;
	const double wild[4] = {-1, 1e300, -INFINITY, NAN};
	float out[4];

	assert_int_equal(fs_preprocess_fit(&p, &rows[0][0], N, 4), 0);
	fs_preprocess_apply(&p, wild, out);
	assert_true(isfinite(out[0]) && out[1] == 1e3f && out[2] == 0);
	fs_preprocess_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fit_and_apply),
		cmocka_unit_test(test_unseen_extremes_are_bounded),
	};

	return cmocka_run_group_tests_name("preprocess", tests, NULL, NULL);
}
