/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How well a model does on labelled rows: per flow (the flows that carry
 * their capture's activity; apart, the background flows) and per capture
 * (the verdict is the class its activity flows vote for, one vote each, the
 * background class aside), for the MLP and k-means; and,
 * for the MLP, per capture by the bytes of all its flows, as a host's verdict
 * is made without labels.
 */
#ifndef FS_EVALUATE_H
#define FS_EVALUATE_H

#include <stdbool.h>

#include "train/early.h"
#include "train/kernel_eval.h"
#include "train/manifest.h"
#include "train/metrics.h"
#include "classify/calibrate.h"
#include "classify/model.h"
#include "train/training_set.h"

struct fs_evaluation {
	struct fs_confusion flow_mlp, capture_mlp, background_mlp;
	struct fs_confusion flow_kmeans, capture_kmeans, background_kmeans;
	struct fs_confusion capture_host_mlp;  /* the host's verdict: no labels needed */
	struct fs_reliability flow_confidence; /* the MLP's, on the activity flows */
	struct fs_reliability flow_shown;      /* ... on those not shown as unknown */
	size_t ncaptures;
	int *truth, *verdict; /* per capture: its class and the MLP's (else k-means') verdict */
	unsigned int *scored, *right; /* per capture, over every run: verdicts, and right ones */
};

/*
 * A capture's verdict from its flows' votes (score per class): the highest;
 * the background class only where no other has any, since a capture's
 * verdict names its activity. -1 with no vote.
 */
int fs_capture_verdict(const double *score, unsigned int n, int background);

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

/*
 * m against the labelled rows of a feature table (train --csv's format):
 * a row's class is its label's name among m's classes (rows of another
 * label are left out, and counted), its inputs are m's features by id (one
 * the table lacks is a missing value, which preprocessing fills). Prints
 * the MLP's and k-means' confusion over the rows. 0, or -1 after printing why.
 */
int fs_evaluate_table(FILE *f, const struct fs_model *m, const struct fs_training_set *ts,
		      char *const *labels);

/*
 * What eval and cross-validation report: whole flows and captures, and how
 * early flows are right, each capture scored against its manifest class.
 */
struct fs_scorecard {
	struct fs_evaluation whole;
	struct fs_early_evaluation early;
	struct fs_kernel_evaluation kernel;
	int *capture_class; /* per manifest entry: its class among the model's, or -1 */
};

/*
 * For a model of these classes; a capture whose class is not among them is
 * left out, with a warning. 0, or -1 after printing why.
 */
int fs_scorecard_init(struct fs_scorecard *sc, const struct fs_manifest *mf, char *const *classes,
		      unsigned int nclasses);
/* Adds m's verdicts on the rows of ts whose capture is in groups (NULL: all). 0, or -1. */
int fs_scorecard_add(struct fs_scorecard *sc, const struct fs_model *m,
		     const struct fs_training_set *ts, const bool *groups);
/*
 * Confusion matrices, the captures with a wrong verdict, the early table;
 * with a group column, the share of right verdicts per group.
 */
void fs_scorecard_print(FILE *f, const struct fs_scorecard *sc, const struct fs_model *m,
			const struct fs_manifest *mf);
void fs_scorecard_free(struct fs_scorecard *sc);

#endif /* FS_EVALUATE_H */
