// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope export: a training dataset. --fit SCALER measures each feature's
 * range over these captures and saves it; --scaler SCALER scales every flow
 * (or pair) of these captures to 0..255 with a saved range and writes the
 * rows. Fit once on the training set, then scale every batch with that file.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "output/dataset_writer.h"
#include "features/flow_features.h"
#include "output/record_columns.h"
#include "capture/replay.h"
#include "output/scaler.h"
#include "common/util.h"

struct export_sink {
	struct fs_scaler scaler;
	struct fs_dataset *dataset; /* NULL when fitting */
	__u8 *row;
};

static int export_unit(void *ctx, const struct fs_unit *u)
{
	struct export_sink *x = ctx;
	struct fs_feature_vec f;

	fs_features_compute(u, &f);
	if (!x->dataset) {
		fs_scaler_fit(&x->scaler, f.v);
		return 0;
	}
	fs_scaler_apply(&x->scaler, f.v, x->row);
	return fs_dataset_add(x->dataset, x->row);
}

/* The feature columns of the chosen set, for a new scaler. */
static int scaler_for_set(struct fs_scaler *s, enum fs_feature_set set)
{
	struct fs_schema schema;
	unsigned int i, n = 0;
	int *ids, err;

	if (fs_schema_init(&schema, set, NULL) < 0)
		return -1;
	ids = calloc(schema.n, sizeof(*ids));
	for (i = 0; ids && i < schema.n; i++) {
		if (!schema.cols[i].get)
			ids[n++] = schema.cols[i].feature;
	}
	err = ids ? fs_scaler_init(s, ids, n) : -1;
	free(ids);
	fs_schema_free(&schema);
	return err;
}

static enum fs_dataset_format format_of(const char *path)
{
	size_t n = strlen(path);

	if ((n > 3 && strcmp(path + n - 3, ".h5") == 0) ||
	    (n > 5 && strcmp(path + n - 5, ".hdf5") == 0))
		return FS_DATASET_HDF5;
	return FS_DATASET_CSV;
}

/* --fit: measure the ranges over the captures and save them. */
static int fit(const struct fs_cli *cli, struct export_sink *x, const struct fs_replay_job *job,
	       char **paths, int npaths)
{
	if (scaler_for_set(&x->scaler, cli->out.features) < 0 ||
	    fs_replay_run(job, paths, npaths) < 0)
		return -1;
	return fs_scaler_save(&x->scaler, cli->fit_path);
}

/* --scaler: scale every unit with the saved ranges; the dataset appears whole or not at all. */
static int scale(const struct fs_cli *cli, struct export_sink *x, const struct fs_replay_job *job,
		 char **paths, int npaths)
{
	if (fs_scaler_load(&x->scaler, cli->scaler_path) < 0)
		return -1;
	x->row = malloc(x->scaler.n + 1);
	if (!x->row)
		return fs_err("export", "out of memory");
	x->dataset = fs_dataset_open(cli->output, format_of(cli->output), &x->scaler, cli->label);
	if (!x->dataset)
		return -1;
	if (fs_replay_run(job, paths, npaths) < 0) {
		fs_dataset_abort(x->dataset);
		return -1;
	}
	return fs_dataset_commit(x->dataset);
}

int fs_cmd_export(const struct fs_cli *cli, int argc, char **argv)
{
	struct export_sink x = {0};
	struct fs_replay_job job = fs_cli_replay_job(cli, export_unit, &x);
	int err;

	if (cli->scaler_path && !cli->output) {
		fs_err("export", "--scaler needs -o FILE (.csv, or .h5 for HDF5)");
		return FS_EXIT_USAGE;
	}
	err = cli->fit_path ? fit(cli, &x, &job, argv, argc) : scale(cli, &x, &job, argv, argc);
	free(x.row);
	fs_scaler_free(&x.scaler);
	return err < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
