/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Min-max scaling of features to 0..255 (uint8), with the minimum and
 * maximum of each feature taken once, from a training set, and saved. The
 * second seed recomputed them for every batch, so the same flow scaled
 * differently from batch to batch; a saved scaler makes that impossible.
 *
 * File format (text, one feature per line, %.17g so doubles round-trip):
 *   flowscope-scaler 1
 *   NAME<TAB>MIN<TAB>MAX
 */
#ifndef FS_SCALER_H
#define FS_SCALER_H

#include <linux/types.h>

struct fs_scaler {
	unsigned int n;
	int *features; /* enum fs_feature_id, in column order */
	double *min;
	double *max;
	__u64 fitted; /* vectors seen by fs_scaler_fit */
};

/* An empty scaler over these features; -1 without memory. */
int fs_scaler_init(struct fs_scaler *s, const int *features, unsigned int n);
void fs_scaler_free(struct fs_scaler *s);
/* Widen the ranges to cover v (a full vector, indexed by feature id). */
void fs_scaler_fit(struct fs_scaler *s, const double *v);
/* round(255 * (x - min) / (max - min)), clipped to 0..255; 0 where max == min. */
void fs_scaler_apply(const struct fs_scaler *s, const double *v, __u8 *out);
/* Written whole or not at all. 0, or -1 after printing why. */
int fs_scaler_save(const struct fs_scaler *s, const char *path);
/* 0, or -1 after printing "flowscope: PATH: line N: what is wrong". */
int fs_scaler_load(struct fs_scaler *s, const char *path);

#endif /* FS_SCALER_H */
