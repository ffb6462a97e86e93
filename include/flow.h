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
#define FS_TCP_ACK    0x10

#define FS_DEFAULT_MAX_FLOWS	     65536
#define FS_DEFAULT_IDLE_TIMEOUT_NS   (60ULL * 1000000000ULL)
#define FS_DEFAULT_ACTIVE_TIMEOUT_NS (120ULL * 1000000000ULL)
/*
 * A TCP flow closed by FIN+FIN or RST is kept this long after its last
 * packet, so the final ACK and retransmitted FINs stay in it instead of
 * opening a new one-packet flow.
 */
#define FS_CLOSE_LINGER_NS (1ULL * 1000000000ULL)

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
};

/* Per-direction counters. Lengths are IP lengths (header field), IATs in us. */
struct fs_dir_stats {
	__u64 packets;
	__u64 bytes;
	__u64 payload_bytes;
	__u64 header_bytes; /* L4 header bytes */
	__u64 len_sum;
	__u64 len_sumsq;
	__u64 iat_sum;
	__u64 iat_sumsq;
	__u64 last_ts; /* ns */
	__u32 len_min;
	__u32 len_max;
	__u32 iat_min;
	__u32 iat_max;
	__u32 tcp_flag_count[FS_TCP_NFLAGS];
	__u16 init_win; /* TCP window of this direction's first packet */
	__u8 has_init_win;
	__u8 pad[5];
};

/* One of the first FS_SEQ_LEN packets of a flow. */
struct fs_seq_entry {
	__u16 len; /* IP length, capped at 65535 */
	__u8 dir;  /* FS_DIR_FWD or FS_DIR_BWD */
	__u8 tcp_flags;
	__u32 iat_us; /* since the flow's previous packet */
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
	FS_END_INPUT, /* end of the capture, or of the monitoring run */
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
	__u8 pad[4];
	struct fs_dir_stats dir[2]; /* indexed by enum fs_dir */
	struct fs_seq_entry seq[FS_SEQ_LEN];
};

/* A value of the flows map: the statistics and the lock that guards them. */
struct fs_flow_entry {
#ifdef __bpf__
	struct bpf_spin_lock lock;
#else
	__u32 lock; /* user space copies entries with BPF_F_LOCK and never touches it */
#endif
	struct fs_flow_stats stats;
};

/* Global counters, one slot each in a per-CPU array. */
enum fs_counter {
	FS_CNT_NON_IP = 0,   /* not IPv4/IPv6 (ARP, LLDP, ...) */
	FS_CNT_BAD_IP,	     /* IP ethertype, but header cut short or invalid */
	FS_CNT_FRAGMENTS,    /* non-first IP fragments (counted in a flow too) */
	FS_CNT_INSERT_FULL,  /* new flow, table full: packet not recorded */
	FS_CNT_INSERT_NOMEM, /* new flow, no memory: packet not recorded */
	FS_CNT_INSERT_OTHER, /* new flow, other insert error */
	FS_CNT_EVENTS_LOST,  /* ring buffer full: event dropped */
	FS_CNT_RECORDS_LOST, /* ring buffer full: a finished record merged on */
	FS_CNT_MAX,
};

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

/* Timeouts, in ns of packet time. */
struct fs_timeouts {
	__u64 idle_ns;
	__u64 active_ns;
	__u64 linger_ns;
};

#endif /* FS_FLOW_H */
