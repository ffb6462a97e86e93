// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "classify/rng.h"
#include "common/util.h"
#include "train/crossval.h"
#include "train/evaluate.h"

/* Fold of each capture: per class, shuffled, dealt round-robin. NULL without memory. */
static int *assign_folds(const struct fs_manifest *mf, unsigned int k, __u64 seed)
{
	int *fold = malloc((mf->n + 1) * sizeof(int)), *order = malloc((mf->n + 1) * sizeof(int));
	struct fs_rng rng;
	unsigned int c;
	size_t i, n;

	if (!fold || !order) {
		free(fold);
		free(order);
		return NULL;
	}
	fs_rng_seed(&rng, seed ^ 0xf01dULL);
	for (c = 0; c < mf->nclasses; c++) {
		for (i = n = 0; i < mf->n; i++)
			if (mf->entries[i].label == (int)c)
				order[n++] = (int)i;
		fs_rng_shuffle(&rng, order, n, sizeof(*order));
		for (i = 0; i < n; i++)
			fold[order[i]] = (int)((i + c) % k);
	}
	free(order);
	return fold;
}

/* The recipe's model as the scorecard names it: its classes and kinds. */
static void recipe_model(struct fs_model *m, const struct fs_manifest *mf,
			 const struct fs_train_options *o)
{
	memset(m, 0, sizeof(*m));
	m->has_mlp = o->mlp;
	m->has_kmeans = o->kmeans;
	m->nclasses = mf->nclasses;
	memcpy(m->classes, mf->classes, mf->nclasses * sizeof(char *));
}

static char *digest(const struct fs_scorecard *sc, unsigned int k)
{
	const struct fs_evaluation *e = &sc->whole;
	char *s;

	if (asprintf(&s,
		     "grouped %u-fold CV macro-F1: MLP captures %.3f flows %.3f; k-means "
		     "captures %.3f flows %.3f; half the flows right for good by packet %u",
		     k, fs_confusion_macro_f1(&e->capture_mlp), fs_confusion_macro_f1(&e->flow_mlp),
		     fs_confusion_macro_f1(&e->capture_kmeans),
		     fs_confusion_macro_f1(&e->flow_kmeans),
		     fs_early_median_packets(&sc->early)) < 0)
		return NULL;
	return s;
}

int fs_cross_validate(const struct fs_manifest *mf, const struct fs_training_set *ts,
		      const struct fs_training_set *learn, const struct fs_train_options *o,
		      unsigned int k, FILE *out, char **summary)
{
	bool *test = calloc(mf->n + 1, sizeof(bool));
	int *fold = assign_folds(mf, k, o->seed);
	struct fs_scorecard sc;
	struct fs_model m;
	unsigned int f;
	size_t i;
	int err = -1;

	*summary = NULL;
	if (!test || !fold) {
		fs_err("train", "out of memory");
		goto out;
	}
	if (fs_scorecard_init(&sc, mf, mf->classes, mf->nclasses) < 0)
		goto out;
	for (f = 0, err = 0; f < k && !err; f++) {
		for (i = 0; i < mf->n; i++)
			test[i] = fold[i] == (int)f;
		err = fs_train(&m, learn, mf->classes, mf->nclasses, test, o, stderr);
		if (!err) {
			err = fs_scorecard_add(&sc, &m, ts, test);
			fs_model_free(&m);
		}
	}
	if (!err) {
		fprintf(out, "Grouped %u-fold cross-validation (no capture in both parts):\n", k);
		recipe_model(&m, mf, o);
		fs_scorecard_print(out, &sc, &m, mf);
		*summary = digest(&sc, k);
	}
	fs_scorecard_free(&sc);
out:
	free(test);
	free(fold);
	return err;
}
