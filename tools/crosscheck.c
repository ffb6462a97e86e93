// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope's k-means and MLP on a CSV of preprocessed rows ("group,label,
 * x0,..."; `flowscope train --dump-inputs`), for tools/sklearn_crosscheck.py
 * to hold beside scikit-learn on the same data.
 *
 *   flowscope-crosscheck INPUTS.csv K HIDDEN SEEDS
 *
 * prints "kmeans_inertia X" (best of SEEDS runs of 10 restarts) and
 * "mlp_accuracy A": the mean over SEEDS seeds of the accuracy on the rows
 * whose group % 5 == 0, trained on the others (no validation set, no class
 * weights, batches of 200: scikit-learn MLPClassifier's defaults).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/kmeans.h"
#include "classify/mlp.h"

struct rows {
	size_t n;
	unsigned int dim;
	float *x;
	int *label, *group;
};

static int read_rows(const char *path, struct rows *r)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1024, len = 0;
	char *line = NULL, *p, *end;
	unsigned int j;

	memset(r, 0, sizeof(*r));
	if (!f || getline(&line, &len, f) < 0)
		return -1;
	for (p = line; *p; p++)
		r->dim += *p == ',';
	r->dim -= 1; /* group, label */
	r->x = malloc(cap * r->dim * sizeof(float));
	r->label = malloc(cap * sizeof(int));
	r->group = malloc(cap * sizeof(int));
	while (getline(&line, &len, f) > 0) {
		if (r->n == cap) {
			cap *= 2;
			r->x = realloc(r->x, cap * r->dim * sizeof(float));
			r->label = realloc(r->label, cap * sizeof(int));
			r->group = realloc(r->group, cap * sizeof(int));
		}
		r->group[r->n] = (int)strtol(line, &end, 10);
		r->label[r->n] = (int)strtol(end + 1, &end, 10);
		for (j = 0; j < r->dim; j++)
			r->x[r->n * r->dim + j] = strtof(end + 1, &end);
		r->n++;
	}
	free(line);
	fclose(f);
	return 0;
}

/* Rows whose group is (not) a test group, copied out. */
static size_t take(const struct rows *r, int test, float *x, int *y)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++) {
		if ((r->group[i] % 5 == 0) != test)
			continue;
		memcpy(x + n * r->dim, r->x + i * r->dim, r->dim * sizeof(float));
		y[n++] = r->label[i];
	}
	return n;
}

int main(int argc, char **argv)
{
	struct fs_mlp_options mo = {.batch = 200};
	struct rows r;
	double best = -1, acc_sum = 0;
	unsigned int k, seeds, s, classes = 0;
	float *tx, *vx;
	int *ty, *vy;
	size_t nt, nv, i, right;

	if (argc != 5 || read_rows(argv[1], &r) < 0 || r.n == 0) {
		fprintf(stderr, "usage: flowscope-crosscheck INPUTS.csv K HIDDEN(64,32) SEEDS\n");
		return 2;
	}
	k = (unsigned int)atoi(argv[2]);
	seeds = (unsigned int)atoi(argv[4]);
	for (char *tok = strtok(argv[3], ","); tok && mo.nhidden < FS_MLP_MAX_HIDDEN;
	     tok = strtok(NULL, ","))
		mo.hidden[mo.nhidden++] = (unsigned int)atoi(tok);
	for (i = 0; i < r.n; i++)
		if ((unsigned int)r.label[i] + 1 > classes)
			classes = r.label[i] + 1;
	for (s = 0; s < seeds; s++) {
		struct fs_kmeans_options ko = {.k = k, .seed = s + 1};
		struct fs_kmeans km;

		if (fs_kmeans_fit(&km, r.x, r.n, r.dim, &ko) == 0) {
			if (best < 0 || km.inertia < best)
				best = km.inertia;
			fs_kmeans_free(&km);
		}
	}
	tx = malloc(r.n * r.dim * sizeof(float));
	vx = malloc(r.n * r.dim * sizeof(float));
	ty = malloc(r.n * sizeof(int));
	vy = malloc(r.n * sizeof(int));
	nt = take(&r, 0, tx, ty);
	nv = take(&r, 1, vx, vy);
	for (s = 0; s < seeds; s++) {
		struct fs_mlp_result res;
		struct fs_mlp m;

		mo.seed = s + 1;
		fs_mlp_init(&m, r.dim, classes, mo.hidden, mo.nhidden, mo.seed);
		fs_mlp_train(&m, tx, ty, nt, NULL, NULL, 0, &mo, &res);
		for (i = right = 0; i < nv; i++)
			right += fs_mlp_predict(&m, vx + i * r.dim, NULL) == (unsigned int)vy[i];
		acc_sum += (double)right / (double)nv;
		fs_mlp_free(&m);
	}
	printf("rows %zu train %zu test %zu dim %u classes %u\n", r.n, nt, nv, r.dim, classes);
	printf("kmeans_inertia %.6f\n", best);
	printf("mlp_accuracy %.6f\n", acc_sum / seeds);
	free(tx);
	free(vx);
	free(ty);
	free(vy);
	free(r.x);
	free(r.label);
	free(r.group);
	return 0;
}
