// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The kernel model's forest, grown in user space: it learns a rule it is
 * shown and its leaves' scores add up (its section of the model file:
 * test_model.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/forest.h"
#include "classify/rng.h"

#define ROWS 2000

/* The rule the forest must find: two inputs among noise decide four classes. */
static int rule(const __u32 *in)
{
	return (in[FS_KMI_SEQ_LEN0] > 500) + 2 * (in[FS_KMI_UDP] != 0);
}

static void make_rows(__u32 *x, int *y, size_t n, __u64 seed)
{
	struct fs_rng r;
	size_t i, j;

	fs_rng_seed(&r, seed);
	for (i = 0; i < n; i++) {
		__u32 *in = x + i * FS_KM_INPUTS;

		for (j = 0; j < FS_KM_INPUTS; j++)
			in[j] = (__u32)fs_rng_below(&r, 1500);
		in[FS_KMI_UDP] = (__u32)fs_rng_below(&r, 2);
		y[i] = rule(in);
	}
}

static void grow(struct fs_km_forest *f)
{
	struct fs_forest_params p = FS_FOREST_DEFAULTS;
	__u32 *x = malloc(ROWS * FS_KM_INPUTS * sizeof(*x));
	int *y = malloc(ROWS * sizeof(*y));

	make_rows(x, y, ROWS, 1);
	/* Every input tried at every split: the two that matter are always among them. */
	p.tries = FS_KM_INPUTS;
	assert_int_equal(fs_forest_grow(f, x, y, ROWS, 4, &p), 0);
	f->cfg.checkpoint = 8;
	free(x);
	free(y);
}

static void test_learns_a_rule(void **state)
{
	__u32 *x = malloc(ROWS * FS_KM_INPUTS * sizeof(*x));
	int *y = malloc(ROWS * sizeof(*y));
	struct fs_km_forest f;
	size_t i, right = 0;

	grow(&f);
	assert_true(f.cfg.ntrees == 8 && f.nnodes > 8 && f.nnodes <= FS_KM_MAX_NODES);
	make_rows(x, y, ROWS, 2); /* rows it never saw */
	for (i = 0; i < ROWS; i++)
		right += fs_forest_classify(&f, x + i * FS_KM_INPUTS, NULL) == y[i];
	assert_true(right >= ROWS * 99 / 100);
	fs_forest_free(&f);
	free(x);
	free(y);
}

/* A leaf's scores: each tree's share of 65535, so eight trees sum to at most 65535. */
static void test_leaf_scores(void **state)
{
	struct fs_km_forest f;
	unsigned int i, c, sum;

	grow(&f);
	for (i = 0; i < f.nnodes; i++) {
		if (f.nodes[i].feature != FS_KM_LEAF)
			continue;
		for (c = sum = 0; c < 4; c++)
			sum += f.nodes[i].score[c];
		assert_true(sum <= 65535 / 8 && sum >= 65535 / 8 - 4);
	}
	fs_forest_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learns_a_rule),
		cmocka_unit_test(test_leaf_scores),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
