/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How well a model does on labelled rows: per flow (the flows that carry
 * their capture's activity; apart, the background flows) and per capture
 * (the verdict is the class that holds most of the bytes of the capture's
 * activity flows, the background class aside), for the MLP and k-means.
 */
#ifndef FS_EVALUATE_H
#define FS_EVALUATE_H

#include <stdbool.h>

#include "train/manifest.h"
#include "train/metrics.h"
#include "classify/model.h"
#include "train/training_set.h"

struct fs_evaluation {
	struct fs_confusion flow_mlp, capture_mlp, background_mlp;
	struct fs_confusion flow_kmeans, capture_kmeans, background_kmeans;
	size_t ncaptures;
	int *truth, *verdict; /* per capture: its class and the MLP's (else k-means') verdict */
};

/* For a model of nclasses classes and a manifest of ncaptures captures. 0, or -1. */
int fs_evaluation_init(struct fs_evaluation *e, unsigned int nclasses, size_t ncaptures);
void fs_evaluation_free(struct fs_evaluation *e);
/*
 * Adds the rows of ts whose capture is in `groups` (NULL: every capture).
 * capture_class: per capture (ts's group), its class among the model's, or -1
 * to leave it out.
 */
int fs_evaluate(struct fs_evaluation *e, const struct fs_model *m, const struct fs_training_set *ts,
		const int *capture_class, const bool *groups);
void fs_evaluation_print(FILE *f, const struct fs_evaluation *e, const struct fs_model *m);
/* The captures whose verdict was wrong, by name, with their class and verdict. */
void fs_evaluation_print_wrong(FILE *f, const struct fs_evaluation *e, const struct fs_model *m,
			       const struct fs_manifest *mf);

#endif /* FS_EVALUATE_H */
