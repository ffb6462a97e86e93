/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Growing the kernel model (include/kernel_model.h): a random forest of
 * CART trees (Gini impurity, bootstrap rows, a random subset of inputs at
 * each split) over integer inputs, its leaves' class shares in fixed point.
 * Integers only in what it produces, so the BPF program can walk it.
 */
#ifndef FS_FOREST_H
#define FS_FOREST_H

#include <stddef.h>

#include "kernel_model.h"

struct fs_forest_params {
	unsigned int trees;	/* at most FS_KM_MAX_TREES */
	unsigned int max_depth; /* at most FS_KM_MAX_DEPTH */
	unsigned int min_leaf;	/* rows a leaf keeps at least */
	unsigned int tries;	/* inputs tried at each split */
	__u64 seed;
};

#define FS_FOREST_DEFAULTS                                                                         \
	{                                                                                          \
		.trees = 8, .max_depth = 10, .min_leaf = 2, .tries = 24, .seed = 1                 \
	}

/*
 * Grows f's trees (f->cfg.checkpoint is left to the caller) from n rows of
 * FS_KM_INPUTS inputs (x) and their classes (y, 0 to nclasses - 1).
 * 0, or -1 after printing why.
 */
int fs_forest_grow(struct fs_km_forest *f, const __u32 *x, const int *y, size_t n,
		   unsigned int nclasses, const struct fs_forest_params *p);
void fs_forest_free(struct fs_km_forest *f);
/*
 * f's class for FS_KM_INPUTS inputs, by the walk the BPF program makes; -1
 * if f is broken. margin (may be NULL): the class's lead (fs_km_classify).
 */
int fs_forest_classify(const struct fs_km_forest *f, const __u32 *in, __u32 *margin);

#endif /* FS_FOREST_H */
