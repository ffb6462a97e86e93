/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Grouped k-fold cross-validation of a training recipe: each class's
 * captures are dealt to the folds, so a capture is never in both the
 * training and the test part, and every fold holds every class it can.
 */
#ifndef FS_CROSSVAL_H
#define FS_CROSSVAL_H

#include <stdio.h>

#include "train/manifest.h"
#include "train/train.h"
#include "train/training_set.h"

struct fs_cv_plan {
	unsigned int k;	      /* folds */
	unsigned int draws;   /* fold draws, each with its own shuffle; at least 1 */
	const char *group_by; /* the manifest column that groups captures; NULL: none */
};

/*
 * For each draw, trains k models, each without one fold, and scores each on its fold:
 * learn is what a model learns from, ts (whole flows with snapshots) what
 * it is scored on. Prints the scorecard pooled over the draws to out;
 * *summary is its one-line digest for the model file, with the mean and
 * spread of each macro-F1 over the draws (NULL without memory). 0, or -1 after printing
 * why.
 */
int fs_cross_validate(const struct fs_manifest *mf, const struct fs_training_set *ts,
		      const struct fs_training_set *learn, const struct fs_train_options *o,
		      const struct fs_cv_plan *plan, FILE *out, char **summary);

#endif /* FS_CROSSVAL_H */
