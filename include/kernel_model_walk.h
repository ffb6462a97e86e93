/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Walking the kernel model's trees (kernel_model.h). fs_km_node_at(nodes, i)
 * gives the i-th node, or NULL past the end: in user space, of the struct
 * fs_km_forest `nodes` points to (below); a BPF program defines its own,
 * over its array map, before including this.
 */
#ifndef FS_KERNEL_MODEL_WALK_H
#define FS_KERNEL_MODEL_WALK_H

#include "kernel_model.h"

#ifdef __bpf__
static __always_inline const struct fs_km_node *fs_km_node_at(const void *nodes, __u32 i);
#else
static inline const struct fs_km_node *fs_km_node_at(const void *nodes, __u32 i)
{
	const struct fs_km_forest *f = nodes;

	return i < f->nnodes ? &f->nodes[i] : NULL;
}
#endif

/*
 * The forest's class for these inputs: each tree walks from its root to a
 * leaf, the leaves' scores are summed, and the highest sum wins (the lowest
 * class index on a tie); *margin is its lead over the runner-up. -1 if a
 * node is missing. c is volatile for the BPF program's config in read-only
 * data, set at load: a plain read would be folded to the zeroes it was
 * compiled with.
 */
static __always_inline int fs_km_classify(const volatile struct fs_km_config *c,
					  const struct fs_km_inputs *in, const void *nodes,
					  __u32 *margin)
{
	__u32 sum[FS_KM_MAX_CLASSES] = {};
	const struct fs_km_node *n;
	__u32 t, d, k, best = 0, second = 0;

	for (t = 0; t < FS_KM_MAX_TREES && t < c->ntrees; t++) {
		__u32 idx = c->root[t];

		for (d = 0; d <= FS_KM_MAX_DEPTH; d++) {
			n = fs_km_node_at(nodes, idx);
			if (!n)
				return -1;
			if (n->feature == FS_KM_LEAF)
				break;
			idx = in->v[n->feature & (FS_KM_INPUT_SLOTS - 1)] <= n->threshold
				      ? n->left
				      : n->right;
		}
		if (d > FS_KM_MAX_DEPTH)
			return -1;
		for (k = 0; k < FS_KM_MAX_CLASSES; k++)
			sum[k] += n->score[k];
	}
	for (k = 1; k < FS_KM_MAX_CLASSES && k < c->nclasses; k++) {
		if (sum[k] > sum[best]) {
			second = sum[best];
			best = k;
		} else if (sum[k] > second) {
			second = sum[k];
		}
	}
	*margin = sum[best] - second;
	return (int)best;
}

/* The verdict to store (fs_flow_stats.verdict) for fs_km_classify's result. */
static __always_inline __u8 fs_km_verdict(int class)
{
	return class < 0 ? FS_KM_UNDECIDED : (__u8)(class + 1);
}

/*
 * The packet (both directions counted) at which the flow is decided next,
 * or 0: never again. The checkpoint for a flow not decided yet; the next
 * later checkpoint for a verdict not settled.
 */
static __always_inline __u32 fs_km_due_at(const volatile struct fs_km_config *c,
					  const struct fs_flow_stats *st)
{
	__u32 round = st->km_round;

	if (!c->checkpoint || (round & FS_KM_SETTLED))
		return 0;
	if (!round)
		return c->checkpoint;
	if (round > c->nlater)
		return 0;
	return c->later[(round - 1) & (FS_KM_MAX_LATER - 1)];
}

/*
 * A decision's outcome into the flow's state: the verdict, and whether a
 * later checkpoint decides again. It settles when the class led by the
 * config's margin, at the last checkpoint, or where the model could not
 * decide. Pure code: fine under the entry's lock.
 */
static __always_inline void fs_km_store(const volatile struct fs_km_config *c,
					struct fs_flow_stats *st, __u8 verdict, __u32 margin)
{
	bool settles = margin >= c->settle_margin || verdict == FS_KM_UNDECIDED ||
		       st->km_round >= c->nlater;

	st->verdict = verdict;
	st->km_round = (st->km_round + 1) | (settles ? FS_KM_SETTLED : 0);
}

/* The packet at which the flow's standing verdict was given; 0: none yet. */
static __always_inline __u32 fs_km_decided_at(const volatile struct fs_km_config *c,
					      const struct fs_flow_stats *st)
{
	__u32 rounds = st->km_round & ~FS_KM_SETTLED;

	if (!rounds)
		return 0;
	return rounds == 1 ? c->checkpoint : c->later[(rounds - 2) & (FS_KM_MAX_LATER - 1)];
}

#endif /* FS_KERNEL_MODEL_WALK_H */
