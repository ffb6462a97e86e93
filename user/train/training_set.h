/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Labelled feature rows from a manifest of captures: every flow of every
 * capture, its raw features, its capture (the group that must never be split
 * between training and test), its role (activity.h) and its label: the
 * capture's class for a flow that carries the capture's activity, the
 * background class for a background flow, else -1.
 */
#ifndef FS_TRAINING_SET_H
#define FS_TRAINING_SET_H

#include <stdbool.h>

#include "features/flow_features.h"
#include "train/manifest.h"
#include "capture/replay.h"

struct fs_flow_labels;

/* When a flow was seen: its first and last packet's times, ns. */
struct fs_span {
	__u64 first_ts;
	__u64 last_ts;
};

struct fs_training_set {
	size_t n;
	unsigned int dim;
	const int *features;  /* dim feature ids: the columns of x */
	double *x;	      /* n rows */
	int *label;	      /* class index, or -1: not to learn from */
	int *group;	      /* capture index in the manifest */
	double *bytes;	      /* IP bytes of the flow */
	struct fs_span *span; /* its first and last packet's times */
	unsigned char *role;  /* enum fs_flow_role */
	size_t whole_rows;    /* rows [0, whole_rows) are whole flows, the rest snapshots */
	size_t unmatched;     /* flows the per-flow labels have no row for */
	/* With snapshots: a flow's features after its 2nd, 4th, ... packet (replay.h). */
	size_t nsnap;
	double *snap_x;	     /* nsnap rows of dim */
	size_t *snap_row;    /* the row of the flow it was taken from */
	__u32 *snap_packets; /* the flow's packets when it was taken */
	__u32 *snap_km_in;   /* nsnap rows of FS_KM_INPUTS: the kernel model's inputs then */
};

/* How the flows of a capture get their role and class. */
struct fs_labelling {
	/* Per-flow labels (flow_labels.h); NULL, or a capture they do not cover: activity.h's rule.
	 */
	const struct fs_flow_labels *flow_labels;
	const char *flow_labels_path;
	int background; /* the class of background flows; -1: none */
};

/*
 * Replays every capture of m with the engine of job (its sink is replaced),
 * with snapshots of every flow if asked, and labels its flows as lab says.
 * 0, or -1 after printing why.
 */
int fs_training_set_build(struct fs_training_set *ts, const struct fs_manifest *m,
			  const int *features, unsigned int dim, const struct fs_replay_job *job,
			  bool snapshots, const struct fs_labelling *lab);
void fs_training_set_free(struct fs_training_set *ts);
/*
 * ts's rows, then the snapshots of its labelled flows as rows of their own
 * (the flow's label, capture, bytes and role), without snapshots: what a model
 * learns from so that it knows young flows too. 0, or -1 without memory.
 */
int fs_training_set_with_snapshots(struct fs_training_set *out, const struct fs_training_set *ts);
/* Room for `more` rows past ts->n; *cap is the rows allocated. 0, or -1. */
int fs_training_set_reserve(struct fs_training_set *ts, size_t more, size_t *cap);

#endif /* FS_TRAINING_SET_H */
