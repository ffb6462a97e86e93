/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How the kernel model does (include/kernel_model.h), deciding each flow as
 * the BPF program does, from its snapshots at the checkpoint and the later
 * checkpoints it is due at: at the checkpoint, its class against what the
 * full model says of the same snapshot; its standing verdict (the last it
 * gave) against the capture's class and against the full model's on the
 * whole flow; per capture, the standing verdicts of its activity flows, one
 * vote each, as the full model's capture verdict is made.
 */
#ifndef FS_KERNEL_EVAL_H
#define FS_KERNEL_EVAL_H

#include <stdbool.h>
#include <stdio.h>

#include "classify/model.h"
#include "train/metrics.h"
#include "train/training_set.h"

struct fs_kernel_evaluation {
	struct fs_confusion
		flows; /* activity flows that reached the checkpoint: standing verdicts */
	struct fs_confusion captures; /* "none": no activity flow reached it */
	__u64 activity_flows;	      /* activity flows, reaching it or not */
	__u64 agree;		      /* ... kernel class = full model's, at the checkpoint */
	__u64 all_reached, all_agree; /* the same over every flow, whatever its role */
	/* Activity flows that reached the checkpoint, against the full model on the whole flow: */
	__u64 first_agree_end;	  /* ... the checkpoint's verdict agrees */
	__u64 standing_agree_end; /* ... the standing verdict agrees */
	__u64 redecided, changed; /* ... decided again; and then given another class */
};

int fs_kernel_eval_init(struct fs_kernel_evaluation *e, unsigned int nclasses);
void fs_kernel_eval_free(struct fs_kernel_evaluation *e);
/* Adds ts's flows (built with snapshots) as fs_evaluate() does. 0, or -1 without memory. */
int fs_kernel_evaluate(struct fs_kernel_evaluation *e, const struct fs_model *m,
		       const struct fs_training_set *ts, const int *capture_class,
		       const bool *groups);
/* Nothing without a kernel model. */
void fs_kernel_eval_print(FILE *f, const struct fs_kernel_evaluation *e, const struct fs_model *m);

#endif /* FS_KERNEL_EVAL_H */
