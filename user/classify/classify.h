/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A model applied to one feature vector: what the flow is, and how sure. */
#ifndef FS_CLASSIFY_H
#define FS_CLASSIFY_H

#include <stdbool.h>

#include "features/flow_features.h"
#include "features/unit.h"
#include "classify/model.h"

struct fs_verdict {
	int mlp_class;			   /* -1 without an MLP */
	float confidence;		   /* the MLP's probability of mlp_class */
	float probs[FS_MODEL_MAX_CLASSES]; /* ... and of each class (with an MLP) */
	int cluster;			   /* -1 without k-means */
	int kmeans_class;		   /* the cluster's class; -1 if unmapped */
	bool unsure; /* the MLP's confidence is below the model's unknown_below */
};

/* The model's inputs from a full feature vector: preprocessed, in its order. */
void fs_model_inputs(const struct fs_model *m, const struct fs_feature_vec *f, float *in);
/* in: the model's inputs (fs_model_inputs). */
void fs_classify_inputs(const struct fs_model *m, const float *in, struct fs_verdict *v);
void fs_classify(const struct fs_model *m, const struct fs_feature_vec *f, struct fs_verdict *v);
/* raw: the model's features, in its order, not yet preprocessed (a training-set row). */
void fs_classify_row(const struct fs_model *m, const double *raw, struct fs_verdict *v);
/* The class the model gives such a row: the MLP's, else k-means' (-1: none). */
int fs_classify_row_class(const struct fs_model *m, const double *raw);
/* The model's class of a flow: the MLP's, else k-means'; -1 if neither says. */
int fs_verdict_class(const struct fs_verdict *v);
/*
 * The class a flow is shown as (records, the summary's tallies): the model's,
 * but -1, `unknown`, where the MLP is unsure.
 */
int fs_verdict_shown(const struct fs_verdict *v);
/* What an unsure verdict is called. */
#define FS_UNKNOWN_CLASS "unknown"
/* The shown class's name: one of m's, FS_UNKNOWN_CLASS, or NULL if none. */
const char *fs_verdict_shown_name(const struct fs_model *m, const struct fs_verdict *v);

/* What the classify stage makes of a unit: its features and its verdict. */
struct fs_assessment {
	struct fs_feature_vec features;
	struct fs_verdict verdict; /* all -1 without a model */
	bool classified;	   /* a model gave the verdict */
};

/*
 * u's features (with CICFlowMeter's arithmetic where u was made with its
 * quirks) and, with a model, its verdict: the one step from a finished or
 * open flow to what it is.
 */
void fs_assess_unit(struct fs_assessment *a, const struct fs_unit *u, const struct fs_model *m);
/* The class a is shown as (fs_verdict_shown), or -1 (no model, unknown, or no class). */
int fs_assessment_class(const struct fs_assessment *a);

#endif /* FS_CLASSIFY_H */
