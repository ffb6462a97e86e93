/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A host's verdict over a time window, from the verdicts of its flows: what
 * the host is doing, where one flow alone can mislead (a call whose media is
 * small beside its TLS, a video page's side requests).
 *
 * The rule (docs/CLASSIFY.md, "A host's verdict"): each class scores
 *   the host's bytes in the window, each flow's shared out by the model's
 *   probabilities (a flow sure of nothing splits its bytes)
 *   + FS_HOST_COVER_WEIGHT x the share of the window that the flows said to
 *   be of that class cover (the union of their first-to-last spans).
 * Bytes find the heavy activity; time covered keeps a long, light activity
 * (a call) from losing to one big download. The background class wins only
 * where nothing else scores. The weight was chosen by application-grouped
 * cross-validation (train --cv-group group), among 0.25, 0.5 and 1.
 */
#ifndef FS_HOST_VOTE_H
#define FS_HOST_VOTE_H

#include <stddef.h>

#include <linux/types.h>

#include "classify/model.h"

#define FS_HOST_COVER_WEIGHT 0.5

/* One flow's say. */
struct fs_host_ballot {
	__u64 first_ts; /* its first and last packets, ns */
	__u64 last_ts;
	double bytes;
	const float *probs; /* the MLP's probability of each class */
};

struct fs_host_span {
	__u64 from, to;
};

/* The ballots of one host in one window. */
struct fs_host_vote {
	unsigned int nclasses;
	int background; /* the background class, or -1 */
	__u64 window_from, window_to;
	double total_bytes;
	double bytes[FS_MODEL_MAX_CLASSES];		  /* bytes shared out by probability */
	struct fs_host_span *spans[FS_MODEL_MAX_CLASSES]; /* spans of flows said to be c */
	size_t nspans[FS_MODEL_MAX_CLASSES], cap[FS_MODEL_MAX_CLASSES];
};

/* A vote over [from, to] (ns); background: -1 if the model has none. */
void fs_host_vote_init(struct fs_host_vote *v, unsigned int nclasses, int background, __u64 from,
		       __u64 to);
void fs_host_vote_free(struct fs_host_vote *v);
/* Counts b if it overlaps the window. 0, or -1 without memory. */
int fs_host_vote_add(struct fs_host_vote *v, const struct fs_host_ballot *b);
/*
 * The winning class, or -1 with no ballot; scores (may be NULL) gets each
 * class's score. Sorts the spans: call it once the ballots are in.
 */
int fs_host_vote_verdict(struct fs_host_vote *v, double *scores);

#endif /* FS_HOST_VOTE_H */
