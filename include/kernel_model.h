/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The kernel model: a forest of decision trees over integers read straight
 * from a flow's state, so that the BPF program can say what a flow is once it
 * reaches the checkpoint (its Nth packet), with no floating point and no
 * feature to finish. `flowscope train` distils it from the full model
 * (docs/CLASSIFY.md, "The kernel model"); the BPF program and the user
 * engine run this same code (kernel_model_walk.h), so their verdicts agree
 * flow for flow.
 */
#ifndef FS_KERNEL_MODEL_H
#define FS_KERNEL_MODEL_H

#include "flow.h"
#include "flow_parse.h"

/*
 * Version of the kernel section: 1, the input list below; 2, the same list
 * and the later checkpoints (fs_km_config.later). The model file's `kernel`
 * line names it; version 1 files still load, and never re-decide.
 */
#define FS_KM_VERSION 2

/*
 * The packet that decides, unless train says otherwise: the earliest point
 * where the full model's early accuracy is within 2 points of its final one
 * (train --cv's early table; docs/CLASSIFY.md, "The kernel model").
 */
#define FS_KM_DEFAULT_CHECKPOINT 8
/*
 * Where a flow whose verdict was not sure is decided again, unless train
 * says otherwise, and how sure is sure: the winning class's summed score
 * ahead of the runner-up's by at least this share of all trees' scores
 * (docs/CLASSIFY.md, "Deciding again").
 */
#define FS_KM_DEFAULT_LATER                                                                        \
	{                                                                                          \
		32, 128                                                                            \
	}
#define FS_KM_DEFAULT_SETTLE_PCT 90
#define FS_KM_MAX_LATER		 4     /* a power of two: the BPF program masks with it */
#define FS_KM_SCORE_TOTAL	 65535 /* a flow's scores summed over classes and trees, about */

#define FS_KM_MAX_CLASSES 8 /* a power of two: the BPF program masks class indexes with it */
#define FS_KM_MAX_TREES	  16
#define FS_KM_MAX_DEPTH	  12   /* nodes on a path from the root, the leaf aside */
#define FS_KM_MAX_NODES	  4096 /* the forest grows leaves where it would pass this */
/* fs_km_node.feature of a leaf */
#define FS_KM_LEAF 0xffff
/* fs_flow_stats.verdict: none yet (else the class index + 1) */
#define FS_KM_NO_VERDICT 0
/* ... and where the model could not decide (a node missing: never with a checked model) */
#define FS_KM_UNDECIDED 0xff
/* fs_flow_stats.km_round's bit once the verdict is final: no later checkpoint decides again */
#define FS_KM_SETTLED 0x80

/*
 * The inputs, in order: per direction (forward first, as a flow's
 * directions), then the flow's, then its first FS_SEQ_LEN packets. Ports,
 * TTL, TCP windows and header lengths stay out: they tell operating systems
 * and servers apart, not activities (docs/CLASSIFY.md, "Shortcuts").
 */
enum fs_km_dir_input {
	FS_KMD_PACKETS,
	FS_KMD_BYTES,
	FS_KMD_PAYLOAD_BYTES,
	FS_KMD_DATA_PACKETS,
	FS_KMD_PAYLOAD_MIN,
	FS_KMD_PAYLOAD_MAX,
	FS_KMD_IAT_MIN,
	FS_KMD_IAT_MAX,
	FS_KMD_FIRST_US,
	FS_KMD_SPAN_US,
	FS_KMD_PACED_GAPS,
	FS_KMD_SYN,
	FS_KMD_FIN,
	FS_KMD_RST,
	FS_KMD_PSH,
	FS_KMD_HIST0,				     /* FS_HIST_BINS of them */
	FS_KMD_SHAPE0 = FS_KMD_HIST0 + FS_HIST_BINS, /* FS_SHAPES of them, over the flow */
	FS_KMD_INPUTS = FS_KMD_SHAPE0 + FS_SHAPES,
};

enum fs_km_input {
	FS_KMI_FLOW = 2 * FS_KMD_INPUTS,
	FS_KMI_UDP = FS_KMI_FLOW,
	FS_KMI_DURATION_US,
	FS_KMI_IAT_MIN,
	FS_KMI_IAT_MAX,
	FS_KMI_FIRST_PAYLOAD,
	FS_KMI_BURSTS,
	FS_KMI_BURST_MAX,
	FS_KMI_SUBFLOW_GAPS,
	FS_KMI_SEQ_LEN0, /* FS_SEQ_LEN IP lengths, 0 past the flow's packets */
	FS_KMI_SEQ_IAT0 = FS_KMI_SEQ_LEN0 + FS_SEQ_LEN, /* ... their gaps (fs_seq_entry's code) */
	FS_KMI_SEQ_DIR0 =
		FS_KMI_SEQ_IAT0 + FS_SEQ_LEN, /* ... their directions: 1 forward, 2 back */
	FS_KM_INPUTS = FS_KMI_SEQ_DIR0 + FS_SEQ_LEN,
};

/* A power of two at least FS_KM_INPUTS: an input index is masked to it, for the verifier. */
#define FS_KM_INPUT_SLOTS 128

struct fs_km_node {
	__u16 feature; /* the input compared, or FS_KM_LEAF */
	__u16 left;    /* the next node where input <= threshold */
	__u16 right;   /* ... and where it is above */
	__u16 pad;
	__u32 threshold;
	/* A leaf's say: per class, its share of the leaf's rows x 65535 / trees. */
	__u16 score[FS_KM_MAX_CLASSES];
};

struct fs_km_inputs {
	__u32 v[FS_KM_INPUT_SLOTS];
};

static __always_inline __u32 fs_km_cap32(__u64 x)
{
	return x > 0xffffffffULL ? 0xffffffffU : (__u32)x;
}

static __always_inline void fs_km_dir_inputs(const struct fs_dir_stats *d, __u32 *in)
{
	int i;

	in[FS_KMD_PACKETS] = d->packets;
	in[FS_KMD_BYTES] = fs_km_cap32(d->bytes);
	in[FS_KMD_PAYLOAD_BYTES] = fs_km_cap32(d->payload_bytes);
	in[FS_KMD_DATA_PACKETS] = d->data_packets;
	in[FS_KMD_PAYLOAD_MIN] = d->payload_min;
	in[FS_KMD_PAYLOAD_MAX] = d->payload_max;
	in[FS_KMD_IAT_MIN] = d->packets > 1 ? d->iat_min : 0;
	in[FS_KMD_IAT_MAX] = d->iat_max;
	in[FS_KMD_FIRST_US] = d->first_us;
	in[FS_KMD_SPAN_US] = d->last_us - d->first_us;
	in[FS_KMD_PACED_GAPS] = d->paced_gaps;
	in[FS_KMD_SYN] = d->tcp_flags[1];
	in[FS_KMD_FIN] = d->tcp_flags[0];
	in[FS_KMD_RST] = d->tcp_flags[2];
	in[FS_KMD_PSH] = d->tcp_flags[3];
	FS_UNROLL
	for (i = 0; i < FS_HIST_BINS; i++)
		in[FS_KMD_HIST0 + i] = d->size_hist[i];
	FS_UNROLL
	for (i = 0; i < FS_SHAPES; i++)
		in[FS_KMD_SHAPE0 + i] = d->shape[i];
}

/* The model's inputs from a flow's state. Pure code: fine under the entry's lock. */
static __always_inline void fs_km_inputs(const struct fs_flow_stats *st, __u8 proto,
					 struct fs_km_inputs *in)
{
	__u32 *v = in->v;
	int i;

	fs_km_dir_inputs(&st->dir[FS_DIR_FWD], v);
	fs_km_dir_inputs(&st->dir[FS_DIR_BWD], v + FS_KMD_INPUTS);
	v[FS_KMI_UDP] = proto == FS_IPPROTO_UDP;
	v[FS_KMI_DURATION_US] = st->last_us;
	v[FS_KMI_IAT_MIN] = st->dir[0].packets + st->dir[1].packets > 1 ? st->iat_min : 0;
	v[FS_KMI_IAT_MAX] = st->iat_max;
	v[FS_KMI_FIRST_PAYLOAD] = st->first_payload;
	v[FS_KMI_BURSTS] = st->bursts;
	v[FS_KMI_BURST_MAX] = fs_km_cap32(st->burst_max);
	v[FS_KMI_SUBFLOW_GAPS] = st->subflow_gaps;
	FS_UNROLL
	for (i = 0; i < FS_SEQ_LEN; i++) {
		int have = i < st->seq_len;

		v[FS_KMI_SEQ_LEN0 + i] = have ? st->seq[i].len : 0;
		v[FS_KMI_SEQ_IAT0 + i] = have ? st->seq[i].iat_code : 0;
		v[FS_KMI_SEQ_DIR0 + i] = have ? 1 + ((st->seq_dirs >> i) & 1) : 0;
	}
}

/*
 * Per class, in a per-CPU array: flows given the class, and their packets
 * from then on. A flow decided again into another class counts in both, and
 * in its old class's `moved` too: flows - moved hold the class now. All
 * only grow (Prometheus counters).
 */
struct fs_class_count {
	__u64 flows;
	__u64 packets;
	__u64 bytes; /* IP bytes */
	__u64 moved; /* flows a later checkpoint gave another class */
};

/* A class's name, in a map beside the counts, for bpftool and flowscope status. */
#define FS_CLASS_NAME_MAX 32
struct fs_class_name {
	char name[FS_CLASS_NAME_MAX];
};

/*
 * What the TC programs do to every packet of a flow of a class, from its
 * verdict on (attach --class-mark, --class-priority): skb->mark's bits under
 * mark_mask become mark; skb->priority becomes priority if set_priority.
 */
struct fs_class_action {
	__u32 mark;
	__u32 mark_mask; /* 0: the mark is left alone */
	__u32 priority;
	__u32 set_priority;
};

/*
 * When the model decides (docs/CLASSIFY.md, "Deciding again"): at the
 * checkpoint, and at each later one while the verdict is not settled. A
 * verdict settles when its class's summed score leads the runner-up's by
 * settle_margin or more, or at the last checkpoint.
 */
struct fs_km_config {
	__u32 checkpoint; /* the packet that decides first; 0: no kernel model */
	__u32 ntrees;
	__u32 nclasses;
	__u32 nlater;		      /* later checkpoints, 0 to FS_KM_MAX_LATER */
	__u32 later[FS_KM_MAX_LATER]; /* their packets, rising */
	__u32 settle_margin;	      /* in leaf score units (all trees: about 65535) */
	__u16 root[FS_KM_MAX_TREES];
};

#ifndef __bpf__
/*
 * Why c's later checkpoints cannot be, or NULL: each must be a power of two
 * above the one before (the checkpoint, first), at most 256 (the last
 * snapshot train takes). The model file's reader and train's options both
 * ask this.
 */
static inline const char *fs_km_later_problem(const struct fs_km_config *c)
{
	__u32 prev = c->checkpoint, i;

	if (c->nlater > FS_KM_MAX_LATER)
		return "more than 4 later checkpoints";
	for (i = 0; i < c->nlater; i++) {
		if (c->later[i] <= prev)
			return "a later checkpoint is not after the one before it";
		if (c->later[i] > 256 || (c->later[i] & (c->later[i] - 1)))
			return "a later checkpoint is not a power of two up to 256";
		prev = c->later[i];
	}
	return NULL;
}

/* A kernel model as user space holds it: the program's config, and the nodes for its map. */
struct fs_km_forest {
	struct fs_km_config cfg;  /* cfg.checkpoint 0: none */
	char *const *class_names; /* cfg.nclasses of them: the model's own (not freed here) */
	struct fs_km_node *nodes;
	__u32 nnodes;
};
#endif

#endif /* FS_KERNEL_MODEL_H */
