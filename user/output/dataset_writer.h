/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A training dataset: rows of uint8 features scaled by a saved scaler, and
 * an optional label, as CSV or HDF5. Written under a temporary name and
 * renamed into place on commit, like every output.
 *
 * HDF5 layout: "features" uint8 [rows x columns] (chunked, deflated),
 * "columns" the feature names, "label" a string per row (with --label),
 * "scaler_min" and "scaler_max" float64 [columns].
 */
#ifndef FS_DATASET_WRITER_H
#define FS_DATASET_WRITER_H

#include "output/scaler.h"

enum fs_dataset_format {
	FS_DATASET_CSV,
	FS_DATASET_HDF5,
};

struct fs_dataset;

/* label may be NULL. Prints why and returns NULL on failure. */
struct fs_dataset *fs_dataset_open(const char *path, enum fs_dataset_format format,
				   const struct fs_scaler *scaler, const char *label);
/* One row of scaler->n values. 0, or -1 (the error is reported by commit). */
int fs_dataset_add(struct fs_dataset *d, const __u8 *row);
/* Write the rest, rename into place; frees d. 0, or -1 after printing why. */
int fs_dataset_commit(struct fs_dataset *d);
void fs_dataset_abort(struct fs_dataset *d);

#endif /* FS_DATASET_WRITER_H */
