/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel model, distilled: a forest (classify/forest.h) grown on the
 * flows' snapshots at the checkpoint, each labelled with what the full model
 * says of that same snapshot, so that the kernel says early what user space
 * would say then (docs/CLASSIFY.md, "The kernel model").
 */
#ifndef FS_KERNEL_DISTILL_H
#define FS_KERNEL_DISTILL_H

#include <stdbool.h>
#include <stdio.h>

#include "classify/model.h"
#include "train/training_set.h"

/*
 * Sets m->kernel, deciding as `when` says (its checkpoint, later
 * checkpoints and settle margin, as fs_km_later_problem allows), from
 * the snapshots at those checkpoints of ts's captures but those held out
 * (NULL: none), seeded with seed; says on log how often it agrees with m
 * there. A model of more than FS_KM_MAX_CLASSES classes gets none, said on
 * log. 0, or -1 after printing why.
 */
int fs_distill_kernel_model(struct fs_model *m, const struct fs_training_set *ts,
			    const bool *held_out, const struct fs_km_config *when, __u64 seed,
			    FILE *log);

#endif /* FS_KERNEL_DISTILL_H */
