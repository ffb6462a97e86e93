// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope train: labelled captures (a manifest) -> a model file. With
 * --cv K it first scores the recipe by grouped K-fold cross-validation: a
 * capture is never in both the training and the test part. From captures, a
 * model learns from whole flows and from snapshots of them after 2, 4, ...
 * packets, so that it knows young flows (the live summary's) too; it is
 * scored on whole flows, and early, on the snapshots.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "train/early.h"
#include "train/evaluate.h"
#include "classify/rng.h"
#include "train/training_csv.h"
#include "train/train.h"
#include "common/util.h"

static struct fs_train_options train_options(const struct fs_cli *cli)
{
	struct fs_train_options o = {
		.mlp = cli->model_type != FS_MODEL_KMEANS && !cli->unsupervised,
		.kmeans = cli->model_type != FS_MODEL_MLP || cli->unsupervised,
		.unsupervised = cli->unsupervised,
		.clusters = cli->clusters,
		.nhidden = cli->nhidden,
		.max_epochs = cli->epochs,
		.validation_share = 0.2,
		.seed = cli->seed,
	};

	memcpy(o.hidden, cli->hidden, sizeof(o.hidden));
	return o;
}

/* Fold of each capture: per class, shuffled, dealt round-robin. */
static int *assign_folds(const struct fs_manifest *mf, unsigned int k, __u64 seed)
{
	int *fold = malloc(mf->n * sizeof(int)), *order = malloc(mf->n * sizeof(int));
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

/* ts: whole flows with snapshots, to score on; learn: what to train on. */
static int cross_validate(const struct fs_cli *cli, const struct fs_manifest *mf,
			  const struct fs_training_set *ts, const struct fs_training_set *learn,
			  const struct fs_train_options *o, char **scores)
{
	bool *test = calloc(mf->n, sizeof(bool));
	int *fold = assign_folds(mf, cli->cv, cli->seed);
	int *capture_class = malloc(mf->n * sizeof(int));
	struct fs_early_evaluation early;
	struct fs_evaluation e;
	struct fs_model m;
	unsigned int f;
	size_t i;
	int err = 0;

	if (!test || !fold || !capture_class || fs_evaluation_init(&e, mf->nclasses, mf->n) < 0 ||
	    fs_early_init(&early, mf->nclasses) < 0)
		return fs_err("train", "out of memory");
	for (i = 0; i < mf->n; i++)
		capture_class[i] = mf->entries[i].label;
	for (f = 0; f < cli->cv && !err; f++) {
		for (i = 0; i < mf->n; i++)
			test[i] = fold[i] == (int)f;
		err = fs_train(&m, learn, mf->classes, mf->nclasses, test, o, stderr);
		if (!err) {
			fs_evaluate(&e, &m, ts, capture_class, test);
			fs_early_evaluate(&early, &m, ts, capture_class, test);
			fs_model_free(&m);
		}
	}
	if (!err) {
		printf("Grouped %u-fold cross-validation (no capture in both parts):\n", cli->cv);
		m.has_mlp = o->mlp;
		m.has_kmeans = o->kmeans;
		m.nclasses = mf->nclasses;
		memcpy(m.classes, mf->classes, mf->nclasses * sizeof(char *));
		fs_evaluation_print(stdout, &e, &m);
		fs_evaluation_print_wrong(stdout, &e, &m, mf);
		fs_early_print(stdout, &early);
		if (asprintf(scores,
			     "grouped %u-fold CV macro-F1: MLP captures %.3f flows %.3f; k-means "
			     "captures %.3f flows %.3f; half the flows right for good by packet %u",
			     cli->cv, fs_confusion_macro_f1(&e.capture_mlp),
			     fs_confusion_macro_f1(&e.flow_mlp),
			     fs_confusion_macro_f1(&e.capture_kmeans),
			     fs_confusion_macro_f1(&e.flow_kmeans),
			     fs_early_median_packets(&early)) < 0)
			*scores = NULL;
	}
	fs_evaluation_free(&e);
	fs_early_free(&early);
	free(test);
	free(fold);
	free(capture_class);
	return err;
}

/* Save the model trained on ts (of `flows` flows), with where its data came from. */
static int train_and_save(const struct fs_cli *cli, const struct fs_training_set *ts, size_t flows,
			  char *const *classes, unsigned int nclasses,
			  const struct fs_train_options *o, const char *source, size_t units,
			  char *scores)
{
	/* The source's name, not its path: a rerun elsewhere makes the same file. */
	const char *name = strrchr(source, '/');
	struct fs_model m;
	int err = fs_train(&m, ts, classes, nclasses, NULL, o, stderr);

	if (err) {
		free(scores);
		return err;
	}
	if (scores) {
		free(m.scores);
		m.scores = scores;
	}
	if (asprintf(&m.data, "%s: %zu %s, %zu flows", name ? name + 1 : source, units,
		     cli->csv ? "rows" : "captures", flows) < 0)
		m.data = NULL;
	err = fs_model_save(&m, cli->output);
	if (!err && cli->dump_inputs)
		err = fs_train_dump_inputs(&m, ts, cli->dump_inputs);
	fs_model_free(&m);
	return err;
}

static int train_from_csv(const struct fs_cli *cli, const struct fs_train_options *o)
{
	struct fs_training_set ts;
	struct fs_csv_classes classes;
	int features[FS_F_MAX], err;

	if (fs_training_set_from_csv(&ts, features, cli->csv, cli->label_column, cli->group_column,
				     &classes) < 0)
		return -1;
	err = train_and_save(cli, &ts, ts.n, classes.names, classes.n, o, cli->csv, ts.n, NULL);
	fs_training_set_free(&ts);
	fs_csv_classes_free(&classes);
	return err;
}

int fs_cmd_train(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_replay_job job = fs_cli_replay_job(cli, NULL, NULL);
	struct fs_train_options o = train_options(cli);
	struct fs_training_set ts, learn;
	struct fs_manifest mf;
	int features[FS_F_MAX], err, background;
	unsigned int dim = fs_train_default_features(features);
	char *scores = NULL;

	if (cli->csv) {
		if (cli->cv) {
			fs_err("train", "--cv works with --manifest: it folds captures");
			return FS_EXIT_USAGE;
		}
		return train_from_csv(cli, &o) < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
	}
	if (fs_manifest_load(&mf, cli->manifest) < 0)
		return FS_EXIT_FAILURE;
	/* Background flows learn a class of their own (activity.h). */
	background = fs_manifest_add_class(&mf, FS_BACKGROUND_CLASS);
	if (background < 0)
		fs_err("train", "out of memory");
	if (background < 0 ||
	    fs_training_set_build(&ts, &mf, features, dim, &job, true, background) < 0) {
		fs_manifest_free(&mf);
		return FS_EXIT_FAILURE;
	}
	if (fs_training_set_with_snapshots(&learn, &ts) < 0) {
		fs_err("train", "out of memory");
		fs_training_set_free(&ts);
		fs_manifest_free(&mf);
		return FS_EXIT_FAILURE;
	}
	err = cli->cv ? cross_validate(cli, &mf, &ts, &learn, &o, &scores) : 0;
	if (!err)
		err = train_and_save(cli, &learn, ts.n, mf.classes, mf.nclasses, &o, cli->manifest,
				     mf.n, scores);
	fs_training_set_free(&learn);
	fs_training_set_free(&ts);
	fs_manifest_free(&mf);
	return err ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
