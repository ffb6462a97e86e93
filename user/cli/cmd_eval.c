// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope eval: a model against labelled captures (a manifest). */
#include <stdlib.h>

#include "cli/cli.h"
#include "train/early.h"
#include "train/evaluate.h"
#include "common/util.h"

int fs_cmd_eval(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_replay_job job = fs_cli_replay_job(cli, NULL, NULL);
	struct fs_training_set ts;
	struct fs_early_evaluation early;
	struct fs_evaluation e;
	struct fs_manifest mf;
	struct fs_model m;
	int *capture_class = NULL, err = -1;
	size_t i;

	if (fs_model_load(&m, cli->model) < 0)
		return FS_EXIT_FAILURE;
	if (fs_manifest_load(&mf, cli->manifest) < 0) {
		fs_model_free(&m);
		return FS_EXIT_FAILURE;
	}
	capture_class = malloc(mf.n * sizeof(int));
	if (!capture_class || fs_evaluation_init(&e, m.nclasses, mf.n) < 0)
		goto out;
	for (i = 0; i < mf.n; i++) {
		capture_class[i] =
			fs_name_index(m.classes, m.nclasses, mf.classes[mf.entries[i].label]);
		if (capture_class[i] < 0)
			fs_warn(mf.entries[i].name,
				"class '%s' is not one of the model's; left out",
				mf.classes[mf.entries[i].label]);
	}
	if (fs_training_set_build(&ts, &mf, m.features, m.nfeatures, &job, true, -1) == 0) {
		err = fs_evaluate(&e, &m, &ts, capture_class, NULL);
		if (!err) {
			fs_evaluation_print(stdout, &e, &m);
			fs_evaluation_print_wrong(stdout, &e, &m, &mf);
		}
		if (!err && fs_early_init(&early, m.nclasses) == 0) {
			err = fs_early_evaluate(&early, &m, &ts, capture_class, NULL);
			if (!err)
				fs_early_print(stdout, &early);
			fs_early_free(&early);
		}
		fs_training_set_free(&ts);
	}
	fs_evaluation_free(&e);
out:
	free(capture_class);
	fs_manifest_free(&mf);
	fs_model_free(&m);
	return err ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
