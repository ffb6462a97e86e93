// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Temperature scaling and the calibration error (calibrate.h), worked by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "classify/calibrate.h"

/* At T = 2, p becomes sqrt(p), renormalised: 0.8, 0.2 -> 2/3, 1/3. */
static void test_temper(void **state)
{
	float p[2] = {0.8f, 0.2f}, q[2] = {0.8f, 0.2f};

	(void)state;
	fs_temper(p, 2, 2);
	assert_float_equal(p[0], 2.0 / 3, 1e-6);
	assert_float_equal(p[1], 1.0 / 3, 1e-6);
	fs_temper(q, 2, 1); /* unchanged */
	assert_float_equal(q[0], 0.8, 0);
}

/*
 * A model that says 0.99 for class 0 where class 0 is right 7 times in 10:
 * the best temperature brings 0.99 down to 0.7, where 99^(1/T) = 7/3, so
 * T = ln 99 / ln(7/3) = 5.4233.
 */
static void test_fit_over_confident(void **state)
{
	float probs[20];
	int y[10], i;

	(void)state;
	for (i = 0; i < 10; i++) {
		probs[2 * i] = 0.99f;
		probs[2 * i + 1] = 0.01f;
		y[i] = i < 7 ? 0 : 1;
	}
	assert_float_equal(fs_fit_temperature(probs, y, 10, 2), log(99) / log(7.0 / 3), 1e-3);
	assert_float_equal(fs_fit_temperature(probs, y, 0, 2), 1, 0); /* no rows */
}

/*
 * Ten verdicts at 0.9, nine right: no gap. Two at 0.55, both wrong: their
 * bin's gap 0.55, weighted 2/12.
 */
static void test_reliability(void **state)
{
	struct fs_reliability r = {0};
	int i;

	(void)state;
	for (i = 0; i < 10; i++)
		fs_reliability_add(&r, 0.9f, i < 9);
	assert_float_equal(fs_reliability_error(&r), 0, 1e-6); /* 0.9f is not quite 0.9 */
	fs_reliability_add(&r, 0.55f, false);
	fs_reliability_add(&r, 0.55f, false);
	assert_float_equal(fs_reliability_error(&r), 2.0 / 12 * 0.55, 1e-6);
	assert_float_equal(fs_reliability_accuracy(&r), 9.0 / 12, 1e-9);
	assert_float_equal(fs_reliability_mean_confidence(&r), (9 + 1.1) / 12, 1e-6);
	assert_float_equal(fs_reliability_count(&r), 12, 0);
}

/*
 * Rows by confidence, right (R) or wrong (w): 0.9R 0.8R 0.8R 0.7w 0.6R 0.5w
 * 0.4w. Kept from the top, accuracy: 1, -, 1 (0.8s together), 0.75, 0.8,
 * 0.667, 0.571.
 */
static void test_unknown_threshold(void **state)
{
	const float conf[] = {0.6f, 0.8f, 0.4f, 0.9f, 0.7f, 0.8f, 0.5f};
	const bool right[] = {true, true, false, true, false, true, false};

	(void)state;
	/* 0.8: down to 0.6 (4 of 5); the threshold halfway to 0.5. */
	assert_float_equal(fs_unknown_threshold(conf, right, 7, 0.8), 0.55, 1e-6);
	/* 0.9: the three at 0.8 and over; halfway to 0.7. */
	assert_float_equal(fs_unknown_threshold(conf, right, 7, 0.9), 0.75, 1e-6);
	/* 0.5: all seven are right 4/7 > 0.5 of the time: never unknown. */
	assert_float_equal(fs_unknown_threshold(conf, right, 7, 0.5), 0, 0);
	/* Equal confidences go together: 0.9R then 0.8R 0.8w keeps only 0.9 at 0.9. */
	assert_float_equal(fs_unknown_threshold((const float[]){0.9f, 0.8f, 0.8f},
						(const bool[]){true, true, false}, 3, 0.9),
			   0.85, 1e-6);
	/* None right: every verdict unknown, the threshold above the top. */
	assert_true(fs_unknown_threshold((const float[]){0.7f, 0.3f}, (const bool[]){false, false},
					 2, 0.5) > 0.7f);
	assert_float_equal(fs_unknown_threshold(NULL, NULL, 0, 0.9), 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_temper),
		cmocka_unit_test(test_fit_over_confident),
		cmocka_unit_test(test_reliability),
		cmocka_unit_test(test_unknown_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
