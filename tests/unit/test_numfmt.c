// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fs_fmt_u64 and fs_fmt_g10 against glibc's printf, which they replace:
 * the same bytes for millions of values of every kind a record holds, and
 * for the hard ones (ties past the tenth digit, powers of ten, the ends of
 * the range).
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "classify/rng.h"
#include "common/numfmt.h"

#define RANDOM_VALUES 1000000 /* per kind */

static unsigned long failures;

static void same_as_printf(double v)
{
	char want[64], got[FS_NUM_MAX + 1];
	size_t n = fs_fmt_g10(got, v);

	got[n] = '\0';
	snprintf(want, sizeof(want), "%.10g", v);
	if (strcmp(got, want) != 0 && failures++ < 10)
		print_error("%.17g: got '%s', printf says '%s'\n", v, got, want);
}

static void u64_same_as_printf(__u64 v)
{
	char want[32], got[FS_NUM_MAX + 1];
	size_t n = fs_fmt_u64(got, v);

	got[n] = '\0';
	snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
	if (strcmp(got, want) != 0 && failures++ < 10)
		print_error("%s: got '%s'\n", want, got);
}

static void test_chosen_values(void **state)
{
	static const double values[] = {
		0,
		-0.0,
		1,
		-1,
		0.5,
		0.1,
		1e-5,
		1e-4,
		0.0001234567891,
		9.9999999995e-5,
		1e9,
		1e10,
		9999999999.0,
		9999999999.5,
		9999999999.4,
		1234567890.5,
		1234567891.5,
		99999.999995,
		123456.78905,
		2.5e-7,
		DBL_MAX,
		DBL_MIN,
		4.9e-324,
		-DBL_MAX,
		INFINITY,
		-INFINITY,
		NAN,
		1e22,
		1e23,
		5e-324,
		81612862,
		124.6531792,
		0.7460032105,
		1.0000000005,
		0.30000000000000004,
	};
	unsigned int i;
	__u64 q;
	int k;

	failures = 0;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		same_as_printf(values[i]);
	/* Every power of ten, and its neighbours. */
	for (k = -323; k <= 308; k++) {
		double p = pow(10, k);

		same_as_printf(p);
		same_as_printf(nextafter(p, 0));
		same_as_printf(nextafter(p, INFINITY));
	}
	/* Whole numbers at each change of length, written two digits at a time. */
	for (q = 1, k = 0; k < 20; k++, q *= 10) {
		u64_same_as_printf(q - 1);
		u64_same_as_printf(q);
		u64_same_as_printf(q + 1);
	}
	u64_same_as_printf(UINT64_MAX);
	assert_int_equal(failures, 0);
}

static void test_random_values(void **state)
{
	struct fs_rng r;
	double v;
	int i;

	fs_rng_seed(&r, 7);
	failures = 0;
	for (i = 0; i < RANDOM_VALUES; i++) {
		__u64 b = fs_rng_next(&r);

		/* Any double at all: every exponent, subnormals, both signs. */
		memcpy(&v, &b, sizeof(v));
		same_as_printf(v);
		/* Features: counts, byte totals, durations in us. */
		same_as_printf((double)(b % 100000000000ULL));
		/* Means and ratios: a count over a count. */
		same_as_printf((double)(b % 1000000) / (double)(1 + (b >> 40) % 997));
		/* Ties past the tenth digit: k + 0.5 at every scale, in binary exactly. */
		same_as_printf(ldexp((double)(2 * (b % 10000000000ULL) + 1), -1 - (int)(b >> 60)));
		u64_same_as_printf(b);
		u64_same_as_printf(b >> (b & 63));
	}
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chosen_values),
		cmocka_unit_test(test_random_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
