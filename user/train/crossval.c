// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/rng.h"
#include "common/util.h"
#include "train/crossval.h"
#include "train/evaluate.h"
#include "train/kernel_distill.h"

/* Each group's class: that of its first capture. */
static void group_classes(const struct fs_manifest *mf, int *group_class, size_t ngroups)
{
	size_t i;

	for (i = 0; i < ngroups; i++)
		group_class[i] = -1;
	for (i = 0; i < mf->n; i++)
		if (group_class[mf->entries[i].group] < 0)
			group_class[mf->entries[i].group] = mf->entries[i].label;
}

/*
 * Fold of each capture: the groups of each class, shuffled, dealt
 * round-robin; a capture is in its group's fold. NULL without memory.
 */
static int *assign_folds(const struct fs_manifest *mf, unsigned int k, __u64 seed)
{
	size_t ngroups = mf->ngroups ? mf->ngroups : mf->n, i, n;
	int *fold = malloc((mf->n + 1) * sizeof(int));
	int *group_fold = malloc((ngroups + 1) * sizeof(int));
	int *group_class = malloc((ngroups + 1) * sizeof(int));
	int *order = malloc((ngroups + 1) * sizeof(int));
	struct fs_rng rng;
	unsigned int c;

	if (fold && group_fold && group_class && order) {
		group_classes(mf, group_class, ngroups);
		fs_rng_seed(&rng, seed ^ 0xf01dULL);
		for (c = 0; c < mf->nclasses; c++) {
			for (i = n = 0; i < ngroups; i++)
				if (group_class[i] == (int)c)
					order[n++] = (int)i;
			fs_rng_shuffle(&rng, order, n, sizeof(*order));
			for (i = 0; i < n; i++)
				group_fold[order[i]] = (int)((i + c) % k);
		}
		for (i = 0; i < mf->n; i++)
			fold[i] = group_fold[mf->entries[i].group];
	} else {
		free(fold);
		fold = NULL;
	}
	free(group_fold);
	free(group_class);
	free(order);
	return fold;
}

/* The recipe's model as the scorecard names it: its classes and kinds. */
static void recipe_model(struct fs_model *m, const struct fs_manifest *mf,
			 const struct fs_train_options *o)
{
	memset(m, 0, sizeof(*m));
	m->nmlp = o->mlp;
	m->has_kmeans = o->kmeans;
	m->nclasses = mf->nclasses;
	memcpy(m->classes, mf->classes, mf->nclasses * sizeof(char *));
	if (o->kernel_when.checkpoint && mf->nclasses <= FS_KM_MAX_CLASSES)
		m->kernel.cfg = o->kernel_when;
}

/* The four macro-F1 figures of one draw (or their mean and spread over draws). */
enum { CAPTURE_MLP, FLOW_MLP, CAPTURE_KMEANS, FLOW_KMEANS, NSCORES };

static void draw_scores(const struct fs_scorecard *sc, double *v)
{
	v[CAPTURE_MLP] = fs_confusion_macro_f1(&sc->whole.capture_mlp);
	v[FLOW_MLP] = fs_confusion_macro_f1(&sc->whole.flow_mlp);
	v[CAPTURE_KMEANS] = fs_confusion_macro_f1(&sc->whole.capture_kmeans);
	v[FLOW_KMEANS] = fs_confusion_macro_f1(&sc->whole.flow_kmeans);
}

/* "0.812" for one draw, "0.812 +- 0.021" (sample standard deviation) for several. */
static const char *spread(char *buf, size_t len, const double *per_draw, unsigned int draws,
			  int which)
{
	double sum = 0, sq = 0, mean;
	unsigned int d;

	for (d = 0; d < draws; d++)
		sum += per_draw[d * NSCORES + which];
	mean = sum / draws;
	for (d = 0; d < draws; d++)
		sq += (per_draw[d * NSCORES + which] - mean) *
		      (per_draw[d * NSCORES + which] - mean);
	if (draws < 2)
		snprintf(buf, len, "%.3f", mean);
	else
		snprintf(buf, len, "%.3f +- %.3f", mean, sqrt(sq / (draws - 1)));
	return buf;
}

static char *digest(const struct fs_scorecard *sc, const struct fs_cv_plan *plan,
		    const double *per_draw)
{
	char a[32], b[32], c[32], d[32], *s;

	if (asprintf(&s,
		     "grouped %u-fold CV%s%s%s macro-F1: MLP captures %s flows %s; k-means "
		     "captures %s flows %s; half the flows right for good by packet %u",
		     plan->k, plan->group_by ? " by " : "", plan->group_by ? plan->group_by : "",
		     plan->draws > 1 ? ", several draws," : "",
		     spread(a, sizeof(a), per_draw, plan->draws, CAPTURE_MLP),
		     spread(b, sizeof(b), per_draw, plan->draws, FLOW_MLP),
		     spread(c, sizeof(c), per_draw, plan->draws, CAPTURE_KMEANS),
		     spread(d, sizeof(d), per_draw, plan->draws, FLOW_KMEANS),
		     fs_early_median_packets(&sc->early)) < 0)
		return NULL;
	return s;
}

/* One draw of folds: k models, each scored on its fold into both scorecards. */
static int run_draw(const struct fs_manifest *mf, const struct fs_training_set *ts,
		    const struct fs_training_set *learn, const struct fs_train_options *o,
		    const struct fs_cv_plan *plan, unsigned int draw, struct fs_scorecard *all,
		    double *scores)
{
	/* Draw 0 keeps the folds of a single draw, so that results stay comparable. */
	int *fold = assign_folds(mf, plan->k, o->seed + draw * 0x9e3779b97f4a7c15ULL);
	bool *test = calloc(mf->n + 1, sizeof(bool));
	struct fs_scorecard sc;
	struct fs_model m;
	unsigned int f;
	size_t i;
	int err = -1;

	if (!fold || !test)
		fs_err("train", "out of memory");
	else if (fs_scorecard_init(&sc, mf, mf->classes, mf->nclasses) == 0) {
		for (f = 0, err = 0; f < plan->k && !err; f++) {
			for (i = 0; i < mf->n; i++)
				test[i] = fold[i] == (int)f;
			err = fs_train(&m, learn, mf->classes, mf->nclasses, test, o, stderr);
			if (!err && o->kernel_when.checkpoint &&
			    fs_distill_kernel_model(&m, ts, test, &o->kernel_when, o->seed,
						    stderr) < 0) {
				fs_model_free(&m);
				err = -1;
			}
			if (!err) {
				err = fs_scorecard_add(&sc, &m, ts, test);
				if (!err)
					err = fs_scorecard_add(all, &m, ts, test);
				fs_model_free(&m);
			}
		}
		draw_scores(&sc, scores);
		fs_scorecard_free(&sc);
	}
	free(fold);
	free(test);
	return err;
}

int fs_cross_validate(const struct fs_manifest *mf, const struct fs_training_set *ts,
		      const struct fs_training_set *learn, const struct fs_train_options *o,
		      const struct fs_cv_plan *plan, FILE *out, char **summary)
{
	double *per_draw = calloc((size_t)plan->draws * NSCORES, sizeof(double));
	struct fs_scorecard all;
	struct fs_model m;
	unsigned int d;
	int err = 0;

	*summary = NULL;
	if (!per_draw)
		return fs_err("train", "out of memory");
	if (fs_scorecard_init(&all, mf, mf->classes, mf->nclasses) < 0) {
		free(per_draw);
		return -1;
	}
	for (d = 0; d < plan->draws && !err; d++)
		err = run_draw(mf, ts, learn, o, plan, d, &all, per_draw + d * NSCORES);
	if (!err) {
		if (plan->group_by || plan->draws > 1)
			fprintf(out,
				"Grouped %u-fold cross-validation by %s (none in both parts), %u "
				"draw%s, pooled:\n",
				plan->k, plan->group_by ? plan->group_by : "capture", plan->draws,
				plan->draws > 1 ? "s" : "");
		else
			fprintf(out,
				"Grouped %u-fold cross-validation (no capture in both parts):\n",
				plan->k);
		recipe_model(&m, mf, o);
		fs_scorecard_print(out, &all, &m, mf);
		*summary = digest(&all, plan, per_draw);
		if (plan->draws > 1 && *summary)
			fprintf(out, "Over the draws: %s\n", *summary);
	}
	fs_scorecard_free(&all);
	free(per_draw);
	return err;
}
