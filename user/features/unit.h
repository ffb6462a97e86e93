/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What one record describes: a flow, or a host pair (--unit pair) made of
 * flows. A unit holds its statistics as mergeable moments (count, sum, sum of
 * squares, min, max), so flows add up into pairs; features are computed from
 * units. Built from the kernel's per-flow state, which it knows only as
 * struct fs_flow_stats.
 */
#ifndef FS_UNIT_H
#define FS_UNIT_H

#include "engine/record.h"
#include "kernel_model.h"

/* n values, by their sum, sum of squares (exact: 128 bits), min and max. */
struct fs_moments {
	__u64 n;
	__u64 sum;
	unsigned __int128 sumsq;
	__u64 min; /* valid when n > 0 */
	__u64 max;
};

struct fs_dir_unit {
	__u64 packets;
	__u64 bytes; /* IP lengths */
	__u64 header_bytes;
	__u64 header_min; /* valid when packets > 0 */
	__u64 data_packets;
	struct fs_moments payload;
	struct fs_moments frame;
	struct fs_moments iat; /* gaps between this direction's packets, us */
	__u64 tcp_flags[FS_TCP_NFLAGS];
	__u64 size_hist[FS_HIST_BINS];
	__u64 bulks, bulk_packets, bulk_bytes, bulk_duration;
	__u64 shape[FS_SHAPES];	      /* packets of each payload shape */
	__u64 early_packets;	      /* packets among each flow's first FS_SEQ_LEN */
	__u64 shape_early[FS_SHAPES]; /* ... of each payload shape */
	__u64 paced_gaps;	      /* gaps near a multiple of 20 ms */
	__u32 init_win;
	__u8 has_init_win;
};

struct fs_unit {
	/* Identity. src is forward: a flow's first packet's source, a pair's client. */
	__u8 src_addr[16];
	__u8 dst_addr[16];
	__u16 src_port; /* 0 for pairs */
	__u16 dst_port;
	__u16 vlan_id;
	__u8 proto;	 /* 0 for a pair whose flows' protocols differ */
	__u8 reason;	 /* enum fs_end_reason: the last flow's */
	__u8 cic_compat; /* made with CICFlowMeter's quirks: its features follow them too */
	__u64 first_ts;
	__u64 last_ts;
	__u64 flows;
	__u64 tcp_packets;
	__u64 udp_packets;
	struct fs_dir_unit dir[2];     /* indexed by enum fs_dir */
	struct fs_moments payload_all; /* flow length statistics (see cic_compat) */
	struct fs_moments iat;	       /* gaps between packets of a flow, us */
	struct fs_moments active;      /* active periods, us */
	struct fs_moments idle;
	__u64 subflows;
	__u64 bursts;
	__u64 burst_max;
	__u64 burst_gap_sum;
	__u64 chunks; /* bursts of FS_CHUNK_MIN_BYTES or more, the last one included */
	__u64 chunk_bytes;
	struct fs_moments chunk_period; /* us from one chunk's start to the next's, in a flow */
	/* The first packets of the first flow. */
	__u8 seq_len;
	__u16 seq_dirs;
	struct fs_seq_entry seq[FS_SEQ_LEN];
	/* The first flow's kernel model verdict (fs_flow_stats.verdict), and its inputs now. */
	__u8 verdict;
	__u8 km_round; /* ... and its fs_flow_stats.km_round */
	__u32 km_in[FS_KM_INPUTS];
};

void fs_moments_add(struct fs_moments *m, __u64 v);
void fs_moments_merge(struct fs_moments *m, const struct fs_moments *o);
double fs_moments_mean(const struct fs_moments *m);
/* Sample variance (n - 1); 0 below two values. */
double fs_moments_var(const struct fs_moments *m);
double fs_moments_std(const struct fs_moments *m);

/*
 * A finished flow as a unit. cic_compat applies CICFlowMeter's per-flow
 * quirks (docs/FEATURES.md): the first payload counted twice in payload_all,
 * the open active period dropped, the first packet not a data packet, the
 * backward window its last.
 */
void fs_unit_from_flow(struct fs_unit *u, const struct fs_record *r, int cic_compat);
/* Adds b into a; with swap, b's forward direction is a's backward. */
void fs_unit_merge(struct fs_unit *a, const struct fs_unit *b, int swap);
/* Microseconds from the first to the last packet. */
__u64 fs_unit_duration_us(const struct fs_unit *u);

#endif /* FS_UNIT_H */
