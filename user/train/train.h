/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Training a model on labelled rows: preprocessing learnt on the training
 * captures, an MLP with balanced class weights and early stopping on
 * held-out captures, k-means whose clusters take the majority class of their
 * training rows. Works on feature rows only.
 */
#ifndef FS_TRAIN_H
#define FS_TRAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "classify/model.h"
#include "train/training_set.h"

struct fs_train_options {
	bool mlp;
	bool kmeans;
	bool unsupervised;     /* k-means only, clusters numbered, no labels used */
	unsigned int clusters; /* k; default 4 per class */
	unsigned int hidden[FS_MLP_MAX_HIDDEN];
	unsigned int nhidden;
	unsigned int max_epochs;
	unsigned int ensemble; /* MLPs, seeds seed, seed + 1, ...; 0 counts as 1 */
	/* Verdicts below the confidence that keeps this accuracy are unknown; 0: never. */
	double unknown_accuracy;
	double validation_share; /* of the captures of each class; default 0.2 */
	/*
	 * From captures: when the kernel model decides (kernel_distill.h): its
	 * checkpoint (0: no kernel model), later checkpoints and margin.
	 */
	struct fs_km_config kernel_when;
	__u64 seed;
};

/* The features a model reads unless told otherwise: all but identifiers and OS shortcuts. */
unsigned int fs_train_default_features(int *ids);
/*
 * Removes the features named in names ("fwd_init_win,bwd_init_win": ours or
 * CICFlowMeter's names) from ids[0..*n). 0, or -1 after printing which name
 * is not a feature.
 */
int fs_train_drop_features(int *ids, unsigned int *n, const char *names);
/*
 * Train on the labelled rows of ts; rows of captures in `held_out` (may be
 * NULL) are never used. The model takes the classes and ts's features.
 * 0, or -1 after printing why. A line per step goes to `log`.
 */
int fs_train(struct fs_model *model, const struct fs_training_set *ts, char *const *classes,
	     unsigned int nclasses, const bool *held_out, const struct fs_train_options *opt,
	     FILE *log);

/*
 * The labelled rows as the model sees them (preprocessed), for cross-checks
 * with other tools: CSV "group,label,x0,...". 0, or -1 after printing why.
 */
int fs_train_dump_inputs(const struct fs_model *m, const struct fs_training_set *ts,
			 const char *path);

#endif /* FS_TRAIN_H */
