// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope train: labelled captures (a manifest) or a feature CSV -> a
 * model file. With --cv K it first scores the recipe by grouped K-fold
 * cross-validation (train/crossval.h). From captures, a model learns from
 * whole flows and from snapshots of them after 2, 4, ... packets, so that it
 * knows young flows (the live summary's) too.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "train/crossval.h"
#include "train/flow_labels.h"
#include "train/kernel_distill.h"
#include "train/training_csv.h"
#include "common/util.h"

/*
 * Train on ts and save the model, with where its data came from (the name,
 * not the path). With snapshots (captures, not a table), a kernel model too.
 */
static int train_and_save(const struct fs_cli *cli, const struct fs_training_set *ts,
			  const struct fs_training_set *snapshots, char *const *classes,
			  unsigned int nclasses, const char *source, const char *what, char *scores)
{
	struct fs_train_options o = fs_cli_train_options(cli);
	const char *name = strrchr(source, '/');
	struct fs_model m;
	int err = fs_train(&m, ts, classes, nclasses, NULL, &o, stderr);

	if (!err && snapshots && o.kernel_when.checkpoint)
		err = fs_distill_kernel_model(&m, snapshots, NULL, &o.kernel_when, o.seed, stderr);
	if (!err) {
		if (scores) { /* cross-validation's, rather than the validation captures' */
			free(m.scores);
			m.scores = scores;
			scores = NULL;
		}
		if (asprintf(&m.data, "%s: %s", name ? name + 1 : source, what) < 0)
			m.data = NULL;
		err = fs_model_save(&m, cli->output);
		if (!err && cli->dump_inputs)
			err = fs_train_dump_inputs(&m, ts, cli->dump_inputs);
		fs_model_free(&m);
	}
	free(scores);
	return err;
}

static int train_from_csv(const struct fs_cli *cli)
{
	struct fs_training_set ts;
	struct fs_csv_classes classes;
	int features[FS_F_MAX], err;
	char what[64];

	if (fs_training_set_from_csv(&ts, features, cli->csv, cli->label_column, cli->group_column,
				     &classes) < 0)
		return -1;
	snprintf(what, sizeof(what), "%zu rows, %zu flows", ts.n, ts.n);
	err = train_and_save(cli, &ts, NULL, classes.names, classes.n, cli->csv, what, NULL);
	fs_training_set_free(&ts);
	fs_csv_classes_free(&classes);
	return err;
}

/*
 * Background flows learn a class of their own (activity.h); snapshots are rows
 * too. lab: the per-flow labels, if any.
 */
static int train_from_manifest(const struct fs_cli *cli, struct fs_manifest *mf,
			       struct fs_labelling *lab)
{
	struct fs_replay_job job = fs_cli_replay_job(cli, NULL, NULL);
	struct fs_train_options o = fs_cli_train_options(cli);
	struct fs_cv_plan plan = {cli->cv, cli->cv_draws, cli->cv_group};
	struct fs_training_set ts, learn = {0};
	int features[FS_F_MAX], err = -1;
	unsigned int dim = fs_train_default_features(features);
	char *scores = NULL, what[64];

	if (cli->without_features && fs_train_drop_features(features, &dim, cli->without_features))
		return -1;
	lab->background = fs_manifest_add_class(mf, FS_BACKGROUND_CLASS);
	if (lab->background < 0)
		return fs_err("train", "out of memory");
	if (fs_training_set_build(&ts, mf, features, dim, &job, true, lab) < 0)
		return -1;
	if (fs_training_set_with_snapshots(&learn, &ts) < 0)
		fs_err("train", "out of memory");
	else if (!cli->cv || fs_cross_validate(mf, &ts, &learn, &o, &plan, stdout, &scores) == 0)
		err = 0;
	snprintf(what, sizeof(what), "%zu captures, %zu flows", mf->n, ts.n);
	if (!err)
		err = train_and_save(cli, &learn, &ts, mf->classes, mf->nclasses, cli->manifest,
				     what, scores);
	fs_training_set_free(&learn);
	fs_training_set_free(&ts);
	return err;
}

int fs_cmd_train(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_labelling lab = {.flow_labels_path = cli->flow_labels};
	struct fs_flow_labels *labels = NULL;
	struct fs_manifest mf;
	int err = -1;

	if (cli->csv && cli->cv) {
		fs_err("train", "--cv works with --manifest: it folds captures");
		return FS_EXIT_USAGE;
	}
	if (cli->csv)
		return train_from_csv(cli) < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
	if (fs_manifest_load(&mf, cli->manifest, cli->cv_group) < 0)
		return FS_EXIT_FAILURE;
	if (!cli->flow_labels || (labels = fs_flow_labels_load(cli->flow_labels))) {
		lab.flow_labels = labels;
		err = train_from_manifest(cli, &mf, &lab);
	}
	fs_flow_labels_free(labels);
	fs_manifest_free(&mf);
	return err < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
