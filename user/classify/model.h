/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A classification model: classes, the features it reads (by name, in
 * order), their preprocessing, k-means centroids with the class each maps
 * to, the MLP, and how it was trained. Stored as one versioned text file
 * (docs/MODEL.md) ending in a CRC-32 of everything before it, so that a
 * truncated or corrupted file fails to load.
 */
#ifndef FS_MODEL_H
#define FS_MODEL_H

#include "classify/kmeans.h"
#include "classify/mlp.h"
#include "classify/preprocess.h"
#include "kernel_model.h"

#define FS_MODEL_VERSION     1
#define FS_MODEL_MAX_CLASSES 64
#define FS_MODEL_MAX_MLPS    16
/*
 * The class of background flows (DNS, NTP, mDNS...): a model names them, but
 * a capture's verdict is its activity, so verdicts pass over this class.
 */
#define FS_BACKGROUND_CLASS "other"

struct fs_model {
	unsigned int nclasses;
	char *classes[FS_MODEL_MAX_CLASSES];
	unsigned int nfeatures;
	int *features; /* enum fs_feature_id, in input order */
	struct fs_preprocess prep;
	int has_kmeans;
	struct fs_kmeans kmeans;
	int *cluster_class; /* per cluster: a class index, or -1 (unsupervised) */
	/* MLPs whose class probabilities are averaged (an ensemble); 0: none. */
	unsigned int nmlp;
	struct fs_mlp mlp[FS_MODEL_MAX_MLPS];
	float temperature; /* of their mean probabilities (calibrate.h); 0 or 1: none */
	/* A confidence below this makes the MLP's verdict `unknown`; 0: never. */
	float unknown_below;
	/* The kernel model distilled from the rest (kernel_model.h); kernel.cfg.checkpoint 0: none.
	 */
	struct fs_km_forest kernel;
	/* Training metadata, free text without newlines. */
	char *created; /* ISO 8601 UTC */
	char *data;    /* what it was trained on */
	char *scores;  /* how well it did */
	__u64 seed;
	__u32 checksum; /* the file's CRC-32 ("end" line): which model this is */
};

/* Written whole or not at all. 0, or -1 after printing why. */
int fs_model_save(const struct fs_model *m, const char *path);
/* 0, or -1 after printing "flowscope: PATH: what is wrong". */
int fs_model_load(struct fs_model *m, const char *path);
void fs_model_free(struct fs_model *m);
/*
 * The model to classify with: `given` if not NULL, else $FLOWSCOPE_MODEL,
 * else the shipped default (beside the binary in a build tree, else where
 * `make install` put it). NULL when there is none: records go unclassified.
 * The path may be written into buf.
 */
const char *fs_model_find(const char *given, char *buf, size_t len);
/* The index of FS_BACKGROUND_CLASS among m's classes, or -1. */
int fs_model_background_class(const struct fs_model *m);

#endif /* FS_MODEL_H */
