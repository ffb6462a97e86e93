// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope eval: a model against labelled captures (a manifest). */
#include "cli/cli.h"
#include "report/eval_report.h"
#include "train/evaluate.h"
#include "train/flow_labels.h"
#include "train/training_csv.h"
#include "common/util.h"

/* Scores m on the manifest's captures and prints the scorecard. 0, or -1 after printing why. */
static int score(const struct fs_cli *cli, const struct fs_model *m, const struct fs_manifest *mf,
		 const struct fs_labelling *lab)
{
	struct fs_replay_job job = fs_cli_replay_job(cli, NULL, NULL);
	struct fs_training_set ts = {0};
	struct fs_scorecard sc;
	int err;

	if (fs_scorecard_init(&sc, mf, m->classes, m->nclasses) < 0)
		return -1;
	err = fs_training_set_build(&ts, mf, m->features, m->nfeatures, &job, true, lab);
	if (!err)
		err = fs_scorecard_add(&sc, m, &ts, NULL);
	if (!err)
		fs_scorecard_print(stdout, &sc, m, mf);
	if (!err && cli->report)
		err = fs_eval_report_write(cli->report, &sc, m, mf, cli->model, cli->manifest);
	fs_training_set_free(&ts);
	fs_scorecard_free(&sc);
	return err;
}

/* Scores m on the rows of a feature CSV. 0, or -1 after printing why. */
static int score_table(const struct fs_cli *cli, const struct fs_model *m)
{
	struct fs_training_set ts;
	struct fs_csv_classes classes;
	int features[FS_F_MAX], err;

	if (fs_training_set_from_csv(&ts, features, cli->csv, cli->label_column, cli->group_column,
				     &classes) < 0)
		return -1;
	err = fs_evaluate_table(stdout, m, &ts, classes.names);
	fs_training_set_free(&ts);
	fs_csv_classes_free(&classes);
	return err;
}

int fs_cmd_eval(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_labelling lab = {.flow_labels_path = cli->flow_labels, .background = -1};
	struct fs_flow_labels *labels = NULL;
	struct fs_manifest mf;
	struct fs_model m;
	int err = -1;

	if (fs_model_load(&m, cli->model) < 0)
		return FS_EXIT_FAILURE;
	if (cli->csv) {
		err = score_table(cli, &m);
		goto out;
	}
	if (cli->flow_labels && !(labels = fs_flow_labels_load(cli->flow_labels)))
		goto out;
	lab.flow_labels = labels;
	if (fs_manifest_load(&mf, cli->manifest, NULL) == 0) {
		err = score(cli, &m, &mf, &lab);
		fs_manifest_free(&mf);
	}
out:
	fs_flow_labels_free(labels);
	fs_model_free(&m);
	return err < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
