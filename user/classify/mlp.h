/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A multi-layer perceptron: ReLU hidden layers, softmax output, weighted
 * cross-entropy, Adam on shuffled mini-batches, L2 penalty, early stopping on
 * a validation set. Glorot-uniform start from a seed: one seed, one model.
 * Takes feature vectors only: nothing here knows of flows.
 */
#ifndef FS_MLP_H
#define FS_MLP_H

#include <stddef.h>
#include <linux/types.h>

#define FS_MLP_MAX_HIDDEN 4
/* The widest layer: predict keeps two of them on the stack, so any thread may call it. */
#define FS_MLP_MAX_WIDTH 4096

struct fs_mlp {
	unsigned int nlayers;			  /* weight layers: hidden layers + 1 */
	unsigned int size[FS_MLP_MAX_HIDDEN + 2]; /* size[0] inputs ... size[nlayers] classes */
	float *w[FS_MLP_MAX_HIDDEN + 1];	  /* size[l] x size[l + 1], row-major */
	float *b[FS_MLP_MAX_HIDDEN + 1];
};

struct fs_mlp_options {
	unsigned int hidden[FS_MLP_MAX_HIDDEN];
	unsigned int nhidden;
	unsigned int max_epochs;   /* default 200 */
	unsigned int batch;	   /* default 64 */
	unsigned int patience;	   /* epochs without improvement before stopping; default 10 */
	float learning_rate;	   /* default 1e-3 */
	float l2;		   /* default (0) 1e-4, as scikit-learn's alpha; < 0: none */
	const float *class_weight; /* per class; NULL: all 1 */
	__u64 seed;
};

struct fs_mlp_result {
	unsigned int epochs;	 /* run */
	unsigned int best_epoch; /* whose weights were kept */
	double train_loss;
	double valid_loss; /* at the best epoch; the training loss without a validation set */
	double valid_accuracy;
};

/* A network of the given shape with Glorot-uniform weights. 0, or -1. */
int fs_mlp_init(struct fs_mlp *m, unsigned int inputs, unsigned int classes,
		const unsigned int *hidden, unsigned int nhidden, __u64 seed);
/*
 * Train on n rows x (labels y in [0, classes)); stop early on the validation
 * rows (vx, vy, vn; vn may be 0). 0, or -1 on bad arguments or no memory.
 */
int fs_mlp_train(struct fs_mlp *m, const float *x, const int *y, size_t n, const float *vx,
		 const int *vy, size_t vn, const struct fs_mlp_options *opt,
		 struct fs_mlp_result *res);
/* Class probabilities of one row (size[nlayers] of them); returns the likeliest. */
unsigned int fs_mlp_predict(const struct fs_mlp *m, const float *row, float *probs);
void fs_mlp_free(struct fs_mlp *m);

#endif /* FS_MLP_H */
