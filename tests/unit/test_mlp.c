// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The MLP on synthetic problems whose answer is known. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/mlp.h"
#include "classify/rng.h"

static double gauss(struct fs_rng *r)
{
	double u = fs_rng_uniform(r), v = fs_rng_uniform(r);

	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* XOR: class 1 where x and y have different signs; not linearly separable. */
static void make_xor(float *x, int *y, size_t n, __u64 seed)
{
	struct fs_rng r;
	size_t i;

	fs_rng_seed(&r, seed);
	for (i = 0; i < n; i++) {
		float a = (float)(4 * fs_rng_uniform(&r) - 2),
		      b = (float)(4 * fs_rng_uniform(&r) - 2);

		x[2 * i] = a;
		x[2 * i + 1] = b;
		y[i] = (a > 0) != (b > 0);
	}
}

static double accuracy(const struct fs_mlp *m, const float *x, const int *y, size_t n,
		       unsigned int dim)
{
	size_t i, right = 0;

	for (i = 0; i < n; i++)
		right += fs_mlp_predict(m, x + i * dim, NULL) == (unsigned int)y[i];
	return (double)right / (double)n;
}

static void test_learns_xor(void **state)
{
	enum { N = 1000, V = 300, T = 1000 };
	static float x[N * 2], vx[V * 2], tx[T * 2];
	static int y[N], vy[V], ty[T];
	struct fs_mlp_options o = {.hidden = {16, 16}, .nhidden = 2, .seed = 3};
	struct fs_mlp_result res;
	struct fs_mlp m;
	float p[2];

	make_xor(x, y, N, 1);
	make_xor(vx, vy, V, 2);
	make_xor(tx, ty, T, 3);
	assert_int_equal(fs_mlp_init(&m, 2, 2, o.hidden, o.nhidden, o.seed), 0);
	assert_int_equal(fs_mlp_train(&m, x, y, N, vx, vy, V, &o, &res), 0);
	assert_true(accuracy(&m, tx, ty, T, 2) > 0.95);
	assert_true(res.best_epoch >= 1 && res.best_epoch <= res.epochs);
	/* Probabilities: they sum to 1, and a clear case is clear. */
	fs_mlp_predict(&m, (float[]){1.5f, -1.5f}, p);
	assert_true(fabsf(p[0] + p[1] - 1) < 1e-5 && p[1] > 0.9f);
	fs_mlp_free(&m);
}

static void test_same_seed_same_model(void **state)
{
	enum { N = 300 };
	static float x[N * 2];
	static int y[N];
	struct fs_mlp_options o = {.hidden = {8}, .nhidden = 1, .max_epochs = 20, .seed = 9};
	struct fs_mlp_result ra, rb;
	struct fs_mlp a, b;

	make_xor(x, y, N, 4);
	fs_mlp_init(&a, 2, 2, o.hidden, 1, o.seed);
	fs_mlp_init(&b, 2, 2, o.hidden, 1, o.seed);
	fs_mlp_train(&a, x, y, N, NULL, NULL, 0, &o, &ra);
	fs_mlp_train(&b, x, y, N, NULL, NULL, 0, &o, &rb);
	assert_memory_equal(a.w[0], b.w[0], 2 * 8 * sizeof(float));
	assert_memory_equal(a.w[1], b.w[1], 8 * 2 * sizeof(float));
	assert_true(ra.train_loss == rb.train_loss);
	fs_mlp_free(&a);
	fs_mlp_free(&b);
}

/* Three overlapping classes, 90% / 5% / 5%: weighting lifts the rare ones' recall. */
static void test_class_weights_help_rare_classes(void **state)
{
	enum { N = 2000 };
	static float x[N * 2];
	static int y[N];
	const float balanced[3] = {1.0f / (3 * 0.9f), 1.0f / (3 * 0.05f), 1.0f / (3 * 0.05f)};
	struct fs_mlp_options o = {.hidden = {8}, .nhidden = 1, .max_epochs = 60, .seed = 5};
	struct fs_mlp_result res;
	struct fs_mlp plain, weighted;
	size_t i, rare = 0, found_plain = 0, found_weighted = 0;
	struct fs_rng r;

	fs_rng_seed(&r, 11);
	for (i = 0; i < N; i++) {
		y[i] = i % 20 == 0 ? 1 : i % 20 == 1 ? 2 : 0;
		x[2 * i] = (float)(y[i] == 1 ? 1.2 : 0) + (float)gauss(&r);
		x[2 * i + 1] = (float)(y[i] == 2 ? 1.2 : 0) + (float)gauss(&r);
	}
	fs_mlp_init(&plain, 2, 3, o.hidden, 1, o.seed);
	fs_mlp_train(&plain, x, y, N, NULL, NULL, 0, &o, &res);
	o.class_weight = balanced;
	fs_mlp_init(&weighted, 2, 3, o.hidden, 1, o.seed);
	fs_mlp_train(&weighted, x, y, N, NULL, NULL, 0, &o, &res);
	for (i = 0; i < N; i++) {
		if (y[i] == 0)
			continue;
		rare++;
		found_plain += fs_mlp_predict(&plain, x + 2 * i, NULL) == (unsigned int)y[i];
		found_weighted += fs_mlp_predict(&weighted, x + 2 * i, NULL) == (unsigned int)y[i];
	}
	print_message("rare-class recall: %zu plain, %zu weighted, of %zu\n", found_plain,
		      found_weighted, rare);
	assert_true(found_weighted > 2 * found_plain);
	assert_true(found_weighted > rare / 2);
	fs_mlp_free(&plain);
	fs_mlp_free(&weighted);
}

/* Labels that are noise: validation loss stops improving, training stops early. */
static void test_early_stopping(void **state)
{
	enum { N = 400, V = 200 };
	static float x[N * 2], vx[V * 2];
	static int y[N], vy[V];
	struct fs_mlp_options o = {
		.hidden = {64}, .nhidden = 1, .max_epochs = 500, .seed = 1, .patience = 5};
	struct fs_mlp_result res;
	struct fs_mlp m;
	struct fs_rng r;
	size_t i;

	fs_rng_seed(&r, 2);
	for (i = 0; i < N + V; i++) {
		float *row = i < N ? x + 2 * i : vx + 2 * (i - N);
		int *label = i < N ? &y[i] : &vy[i - N];

		row[0] = (float)gauss(&r);
		row[1] = (float)gauss(&r);
		*label = fs_rng_below(&r, 2);
	}
	fs_mlp_init(&m, 2, 2, o.hidden, 1, o.seed);
	fs_mlp_train(&m, x, y, N, vx, vy, V, &o, &res);
	assert_true(res.epochs < 500);
	assert_int_equal(res.epochs, res.best_epoch + o.patience);
	fs_mlp_free(&m);
}

static void test_bad_shapes(void **state)
{
	struct fs_mlp m;
	unsigned int h[] = {4, 0};

	assert_int_equal(fs_mlp_init(&m, 2, 1, h, 1, 0), -1); /* one class */
	assert_int_equal(fs_mlp_init(&m, 0, 2, h, 1, 0), -1); /* no inputs */
	assert_int_equal(fs_mlp_init(&m, 2, 2, h, 2, 0), -1); /* an empty layer */
	assert_int_equal(fs_mlp_init(&m, 2, 2, h, 9, 0), -1); /* too deep */
	h[0] = FS_MLP_MAX_WIDTH + 1; /* wider than predict's rows on the stack */
	assert_int_equal(fs_mlp_init(&m, 2, 2, h, 1, 0), -1);
	assert_int_equal(fs_mlp_init(&m, FS_MLP_MAX_WIDTH + 1, 2, NULL, 0, 0), -1);
}

/* The widest network predict takes: its rows fit, and its probabilities sum to one. */
static void test_widest_layer(void **state)
{
	struct fs_mlp m;
	unsigned int h[] = {FS_MLP_MAX_WIDTH};
	float in[2] = {0.5f, -1}, probs[2];

	assert_int_equal(fs_mlp_init(&m, 2, 2, h, 1, 1), 0);
	fs_mlp_predict(&m, in, probs);
	assert_float_equal(probs[0] + probs[1], 1.0f, 1e-5);
	fs_mlp_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learns_xor),
		cmocka_unit_test(test_same_seed_same_model),
		cmocka_unit_test(test_class_weights_help_rare_classes),
		cmocka_unit_test(test_early_stopping),
		cmocka_unit_test(test_bad_shapes),
		cmocka_unit_test(test_widest_layer),
	};

	return cmocka_run_group_tests_name("mlp", tests, NULL, NULL);
}
