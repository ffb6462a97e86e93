/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The flow table's key and value, and the constants that bpf/ and user/
 * share. Both engines (the BPF program and the user-space replay engine)
 * store exactly these structs, so their tables can be compared byte for byte.
 */
#ifndef FS_FLOW_H
#define FS_FLOW_H

#include "fs_types.h"

/* Packets kept in the per-flow sequence used for early classification. */
#define FS_SEQ_LEN 16
/* TCP flags in header bit order: FIN SYN RST PSH ACK URG ECE CWR. */
#define FS_TCP_NFLAGS 8
#define FS_TCP_FIN    0x01
#define FS_TCP_SYN    0x02
#define FS_TCP_RST    0x04
#define FS_TCP_PSH    0x08
#define FS_TCP_ACK    0x10
#define FS_TCP_URG    0x20

#define FS_DEFAULT_MAX_FLOWS	     65536
#define FS_DEFAULT_IDLE_TIMEOUT_NS   (60ULL * 1000000000ULL)
#define FS_DEFAULT_ACTIVE_TIMEOUT_NS (120ULL * 1000000000ULL)
/*
 * Times inside a flow are u32 microseconds since its first packet, so no
 * flow may last longer than this: the active timeout is capped to it.
 */
#define FS_MAX_ACTIVE_TIMEOUT_NS (3600ULL * 1000000000ULL)
/*
 * A TCP flow closed by FIN+FIN or RST is kept this long after its last
 * packet, so the final ACK and retransmitted FINs stay in it instead of
 * opening a new one-packet flow.
 */
#define FS_CLOSE_LINGER_NS (1ULL * 1000000000ULL)

/* CICFlowMeter's thresholds (docs/FEATURES.md). */
#define FS_ACTIVITY_GAP_US 5000000 /* a longer gap ends an active period */
#define FS_SUBFLOW_GAP_US  1000000 /* a longer gap starts a new subflow */
#define FS_BULK_GAP_US	   1000000 /* a longer gap breaks a bulk */
#define FS_BULK_MIN_PKTS   4	   /* payload packets that make a bulk */
/* Ours: a longer gap between packets ends a burst. */
#define FS_BURST_GAP_US 250000
/* A burst of at least this many IP bytes is a chunk: a video player's segment fetch. */
#define FS_CHUNK_MIN_BYTES 80000
/*
 * A direction's gap within FS_PACE_SLACK_US of a multiple (1 to
 * FS_PACE_MAX_MULTIPLE) of FS_PACE_US keeps the pace of real-time media
 * (20 ms frames; a lost packet or two doubles or triples the gap).
 */
#define FS_PACE_US	     20000
#define FS_PACE_SLACK_US     2000
#define FS_PACE_MAX_MULTIPLE 10
/*
 * Packet-size histogram over IP length: log2 bins up to 1024 bytes, then
 * 1024-1199 and >= 1200 ("near the MTU").
 */
#define FS_HIST_BINS	 7
#define FS_NEAR_MTU_LEN	 1200
#define FS_SMALL_PKT_LEN 128

/*
 * What a packet's first payload bytes look like (fs_payload_shape in
 * flow_parse.h): protocol evidence that does not depend on ports or on the
 * application. Counted per direction over the flow and over its first
 * FS_SEQ_LEN packets.
 */
enum fs_shape {
	FS_SHAPE_RTP = 0,    /* RTP v2, its sequence number 1-16 past a recent one */
	FS_SHAPE_RTCP,	     /* RTP v2 header with packet type 200-213 */
	FS_SHAPE_STUN,	     /* STUN/TURN message: the magic cookie 0x2112A442 */
	FS_SHAPE_DTLS,	     /* DTLS record: content type 20-23, version 0xFEFF/0xFEFD */
	FS_SHAPE_QUIC_LONG,  /* QUIC long header with a known version */
	FS_SHAPE_QUIC_SHORT, /* QUIC short header, in a flow that has had a long one */
	FS_SHAPE_TLS,	     /* TLS record header at the start of a TCP segment */
	FS_SHAPES,
};
/*
 * Not a shape of its own: a QUIC version negotiation, or RTP (type 0,
 * sequence number 0). A flow that has had a QUIC long header takes it as the
 * first, any other as the second.
 */
#define FS_SHAPE_QUIC_VN (1 << FS_SHAPES)
/* Payload bytes the shape tests read: a shorter payload has no shape. */
#define FS_SHAPE_BYTES 8
/* An RTP sequence number this far past a recent one continues its stream. */
#define FS_RTP_SEQ_STEP_MAX 16
/* fs_dir_stats.shape_flags */
#define FS_SHAPE_SEEN_RTP0	0x01 /* rtp_seq[0] holds a sequence number */
#define FS_SHAPE_SEEN_RTP1	0x02 /* ... rtp_seq[1] */
#define FS_SHAPE_SEEN_QUIC_LONG 0x04
#define FS_SHAPE_RTP_NEXT	0x08 /* the slot the next new stream takes: 1 if set */

/*
 * Canonical bidirectional key: the endpoint (address, port) that sorts lower
 * is "lo". Addresses are 16 bytes in network order, IPv4 mapped to
 * ::ffff:a.b.c.d; ports are in host order so that bpftool prints them as
 * numbers. Non-first fragments have ports 0 (see docs/FLOWS.md).
 */
struct fs_flow_key {
	__u8 lo_addr[16];
	__u8 hi_addr[16];
	__u16 lo_port;
	__u16 hi_port;
	__u16 vlan_id; /* outermost 802.1Q/802.1ad VID, 0 if untagged */
	__u8 proto;
	__u8 pad;
} __attribute__((aligned(8))); /* compared as five __u64 (fs_flow_key_equal) */

static __always_inline int fs_flow_key_equal(const struct fs_flow_key *a,
					     const struct fs_flow_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) | (x[4] ^ y[4])) == 0;
}

/*
 * CICFlowMeter's bulk detector for one direction: FS_BULK_MIN_PKTS payload
 * packets in a row, each within FS_BULK_GAP_US of the last, none from the
 * other direction in between. Times are us since the flow's first packet.
 */
struct fs_bulk_state {
	__u64 bytes;	/* payload bytes in bulks */
	__u32 count;	/* bulks */
	__u32 packets;	/* packets in bulks */
	__u32 duration; /* us */
	__u32 last;	/* this direction's last payload packet */
	__u32 cand_start;
	__u32 cand_bytes;
	__u32 cand_packets; /* the candidate run; 0: none */
	__u32 pad;
};

/* Active or idle periods (us): CICFlowMeter's Active and Idle features. */
struct fs_period_stats {
	__u64 sumsq;
	__u32 sum;
	__u32 min;
	__u32 max;
	__u32 count;
};

/*
 * Per-direction state. "payload" is the L4 payload (CICFlowMeter's packet
 * length), "frame" the frame on the wire, "bytes" the IP length. Times and
 * IATs are us since the flow's first packet, each timestamp cut to whole us.
 */
struct fs_dir_stats {
	__u64 bytes;
	__u64 payload_bytes;
	__u64 payload_sumsq;
	__u64 frame_bytes;
	__u64 frame_sumsq;
	__u64 header_bytes; /* L4 header bytes */
	__u64 iat_sumsq;
	__u32 packets;
	__u32 data_packets; /* packets with at least one payload byte */
	__u32 first_us;
	__u32 last_us;
	__u32 iat_min;
	__u32 iat_max;
	__u16 payload_min;
	__u16 payload_max;
	__u16 frame_min; /* frame lengths capped at 65535 */
	__u16 frame_max;
	__u16 init_win; /* TCP window of this direction's first packet */
	__u16 last_win; /* ... and of its latest one */
	__u8 has_init_win;
	__u8 header_min;  /* smallest L4 header */
	__u8 shape_flags; /* FS_SHAPE_SEEN_* */
	__u8 pad;
	__u32 tcp_flags[FS_TCP_NFLAGS]; /* packets with each flag set */
	__u32 size_hist[FS_HIST_BINS];
	__u16 rtp_seq[2];	     /* the latest sequence number of two RTP streams */
	__u32 shape[FS_SHAPES];	     /* packets of each payload shape */
	__u8 shape_early[FS_SHAPES]; /* ... among the flow's first FS_SEQ_LEN packets */
	__u8 pad2;
	__u32 paced_gaps; /* gaps near a multiple of FS_PACE_US (fs_gap_is_paced) */
	struct fs_bulk_state bulk;
};

/*
 * One of the first FS_SEQ_LEN packets of a flow (its direction is a bit of
 * fs_flow_stats.seq_dirs). The IAT is coded to fit 16 bits: below 32768 us
 * it is exact; above, bit 15 is set and the low bits count 1024 us units,
 * saturating at about 33.5 s (fs_seq_iat_code).
 */
struct fs_seq_entry {
	__u16 len; /* IP length, capped at 65535 */
	__u16 iat_code;
};

enum fs_dir {
	FS_DIR_FWD = 0,
	FS_DIR_BWD = 1,
};

enum fs_end_reason {
	FS_END_NONE = 0,
	FS_END_IDLE,
	FS_END_ACTIVE,
	FS_END_FIN,
	FS_END_RST,
	FS_END_INPUT,	   /* end of the capture, or of the monitoring run */
	FS_END_DRAIN_RACE, /* a packet that met its flow being drained, recorded alone */
	FS_END_MAX,
};

/*
 * What every packet reads comes first, so that a packet touches the first
 * cache line and its direction's lines, not the far end of the entry.
 */
struct fs_flow_stats {
	__u64 first_ts; /* ns: capture time in replay, CLOCK_BOOTTIME live */
	__u64 last_ts;
	__u8 fwd_is_lo;	 /* the first packet went from lo to hi */
	__u8 end_reason; /* FS_END_FIN or FS_END_RST once the TCP flow closed */
	__u8 fin_dirs;	 /* bit per direction that sent a FIN */
	__u8 seq_len;
	__u16 seq_dirs;	     /* bit i: direction of seq[i] */
	__u16 first_payload; /* payload bytes of the first packet */
	__u32 last_us;	     /* the latest packet, us since the first */
	__u32 subflow_gaps;  /* gaps longer than FS_SUBFLOW_GAP_US */
	__u64 iat_sumsq;     /* flow IATs, either direction */
	__u32 iat_min;
	__u32 iat_max;
	__u32 active_start; /* the current active period */
	__u32 active_end;
	struct fs_period_stats active; /* finished active periods */
	struct fs_period_stats idle;
	__u64 burst_bytes; /* IP bytes of the current burst */
	__u64 burst_max;   /* ... and of the largest */
	__u32 bursts;
	__u32 burst_gap_sum; /* us between bursts */
	__u32 burst_start;   /* the current burst's first packet */
	__u32 chunk_start;   /* the latest finished chunk's first packet */
	__u64 chunk_bytes;   /* IP bytes of finished chunks (FS_CHUNK_MIN_BYTES) */
	__u32 chunks;
	__u8 verdict;  /* the kernel model's class + 1, once decided (kernel_model.h); 0: none */
	__u8 km_round; /* ... how many times it decided, | FS_KM_SETTLED once final */
	__u8 pad[2];
	struct fs_period_stats chunk_period; /* us from one chunk's start to the next's */
	struct fs_dir_stats dir[2];	     /* indexed by enum fs_dir */
	struct fs_seq_entry seq[FS_SEQ_LEN];
};

/* Packets of a flow, both directions. */
static __always_inline __u64 fs_flow_packets(const struct fs_flow_stats *st)
{
	return (__u64)st->dir[0].packets + st->dir[1].packets;
}

/*
 * A value of the flows map: the statistics, the lock that guards them, and
 * what a packet checks under that lock to be sure the entry is still its
 * flow's. A packet finds its entry, then locks it; in between, the drain may
 * have taken the entry out (bpf/drain.bpf.c), and the map may even have
 * handed the same memory to another flow. `taken` and `key` tell both apart,
 * and the packet looks again (docs/LIVE.md, "Draining").
 */
struct fs_flow_entry {
#ifdef __bpf__
	struct bpf_spin_lock lock;
#else
	__u32 lock; /* user space copies entries with BPF_F_LOCK and never touches it */
#endif
	__u32 taken;		/* set under the lock by the drain, just before it deletes */
	struct fs_flow_key key; /* a copy of the entry's own key */
	struct fs_flow_stats stats;
};
/* docs/FEATURES.md, "Memory", says what each of these bytes buys: keep it so. */
_Static_assert(sizeof(struct fs_dir_stats) == 240, "a direction's state is 240 bytes");
_Static_assert(sizeof(struct fs_flow_stats) == 720, "a flow's state is 720 bytes");
_Static_assert(sizeof(struct fs_flow_entry) == 768, "an entry is 768 bytes");

/*
 * Global counters, one slot each in a per-CPU array. Every frame seen is
 * counted in FS_CNT_PACKETS and ends up in exactly one place: a flow's
 * entry (so, in time, a record), FS_CNT_NON_IP, FS_CNT_BAD_IP, one of the
 * FS_CNT_INSERT_* or FS_CNT_TAKE_RACE (docs/LIVE.md, "Every packet counted").
 */
enum fs_counter {
	FS_CNT_NON_IP = 0,    /* not IPv4/IPv6 (ARP, LLDP, ...) */
	FS_CNT_BAD_IP,	      /* IP ethertype, but header cut short or invalid */
	FS_CNT_FRAGMENTS,     /* non-first IP fragments (counted in a flow too) */
	FS_CNT_INSERT_FULL,   /* new flow, table full: packet not recorded */
	FS_CNT_INSERT_NOMEM,  /* new flow, no memory: packet not recorded */
	FS_CNT_INSERT_OTHER,  /* new flow, other insert error */
	FS_CNT_EVENTS_LOST,   /* ring buffer full: event dropped */
	FS_CNT_RECORDS_LOST,  /* ring buffer full: a finished record merged on */
	FS_CNT_TAKE_RACE,     /* met its flow being drained, and the ring buffer was full */
	FS_CNT_FLOWS_REFUSED, /* new flows whose insert failed, each once (FS_REFUSED_MAX) */
	FS_CNT_PACKETS,	      /* every frame the program saw: the sum the others account for */
	FS_CNT_MAX,
};

/*
 * How many refused flows are remembered, so that a flow is counted as
 * refused once, not once a packet: the kernel keeps them in an LRU map, the
 * user engine in a set it empties when full. Past this many refused flows
 * at once, a flow forgotten and refused again is counted again.
 */
#define FS_REFUSED_MAX 8192

/* errno values the flow table returns; BPF programs have no <errno.h>. */
#define FS_EEXIST 17
#define FS_E2BIG  7
#define FS_ENOMEM 12

/* The counter for a failed insert of a new flow (err is a negative errno). */
static __always_inline __u32 fs_insert_error_counter(long err)
{
	if (err == -FS_E2BIG)
		return FS_CNT_INSERT_FULL;
	if (err == -FS_ENOMEM)
		return FS_CNT_INSERT_NOMEM;
	return FS_CNT_INSERT_OTHER;
}

/* Ring buffer events from the kernel program to user space. */
enum fs_event_type {
	FS_EV_RECORD = 1, /* a finished flow, restarted in place by a packet */
	FS_EV_CLOSED,	  /* a TCP flow saw FIN in both directions, or RST */
	FS_EV_OVERFLOW,	  /* a new flow could not be inserted */
};

struct fs_event {
	__u32 type;
	__u32 reason; /* enum fs_end_reason, or the insert's errno */
	struct fs_flow_key key;
	struct fs_flow_stats stats; /* FS_EV_RECORD only; absent from the others */
};

/* How the meter splits traffic into flows. Times in ns of packet time. */
struct fs_meter_config {
	__u64 idle_ns;
	__u64 active_ns;
	__u64 linger_ns;
	/*
	 * CICFlowMeter's own behaviour: the first FIN ends a flow (no linger,
	 * RST does not), and every payload packet feeds the backward bulk
	 * detector. See docs/FEATURES.md, "--cic-compat".
	 */
	__u32 cic_compat;
	__u32 pad;
};

/* The meter's defaults: the programs' own, and the command line's start. */
#define FS_METER_DEFAULTS                                                                          \
	{                                                                                          \
		.idle_ns = FS_DEFAULT_IDLE_TIMEOUT_NS, .active_ns = FS_DEFAULT_ACTIVE_TIMEOUT_NS,  \
		.linger_ns = FS_CLOSE_LINGER_NS,                                                   \
	}

#endif /* FS_FLOW_H */
