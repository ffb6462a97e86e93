/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One packet -> one flow's statistics. Runs in the BPF program under the
 * entry's spin lock, and in the user-space engine as is, so both engines
 * build identical tables. No helpers, no calls: it must be legal inside a
 * bpf_spin_lock region.
 */
#ifndef FS_FLOW_UPDATE_H
#define FS_FLOW_UPDATE_H

#include "flow.h"
#include "flow_parse.h"

/* What fs_flow_account() did besides counting the packet. */
enum fs_account_result {
	FS_ACC_COUNTED = 0,
	FS_ACC_CLOSED = 1,    /* this packet closed the TCP flow */
	FS_ACC_RESTARTED = 2, /* the old flow ended; *old holds its record */
};

static __always_inline __u64 fs_elapsed_ns(__u64 from, __u64 to)
{
	/* Capture timestamps can step back a little: never wrap around. */
	return to > from ? to - from : 0;
}

static __always_inline __u32 fs_ns_to_us32(__u64 ns)
{
	__u64 us = ns / 1000;

	return us > 0xffffffffULL ? 0xffffffffU : (__u32)us;
}

/*
 * Why a flow has ended at time `now`, or FS_END_NONE. The one expiry rule:
 * the packet path uses it to restart a stale entry, and the user-space sweep
 * uses it to export entries that no packet came back to.
 */
static __always_inline __u8 fs_flow_end_reason(const struct fs_flow_stats *st, __u64 now,
					       const struct fs_timeouts *t)
{
	__u64 idle = fs_elapsed_ns(st->last_ts, now);

	if (st->end_reason != FS_END_NONE && idle >= t->linger_ns)
		return st->end_reason;
	if (idle > t->idle_ns)
		return FS_END_IDLE;
	if (fs_elapsed_ns(st->first_ts, now) > t->active_ns)
		return FS_END_ACTIVE;
	return FS_END_NONE;
}

/* A new connection (SYN without ACK) on the tuple of a closed TCP flow. */
static __always_inline int fs_is_reopen(const struct fs_flow_stats *st, const struct fs_pkt *pkt)
{
	return st->end_reason != FS_END_NONE &&
	       (pkt->tcp_flags & (FS_TCP_SYN | FS_TCP_ACK)) == FS_TCP_SYN;
}

/* Would this packet end the flow it belongs to? Safe to call without the lock. */
static __always_inline __u8 fs_flow_stale(const struct fs_flow_stats *st, const struct fs_pkt *pkt,
					  __u64 now, const struct fs_timeouts *t)
{
	__u8 reason;

	if (st->dir[FS_DIR_FWD].packets == 0)
		return FS_END_NONE; /* a fresh entry */
	reason = fs_flow_end_reason(st, now, t);
	if (reason == FS_END_NONE && fs_is_reopen(st, pkt))
		reason = st->end_reason;
	return reason;
}

static __always_inline void fs_dir_count(struct fs_dir_stats *d, const struct fs_pkt *pkt,
					 __u64 now)
{
	__u32 len = pkt->ip_len;
	int i;

	if (d->packets == 0) {
		d->len_min = len;
		d->len_max = len;
		if (pkt->key.proto == FS_IPPROTO_TCP && !pkt->is_fragment) {
			d->init_win = pkt->tcp_window;
			d->has_init_win = 1;
		}
	} else {
		__u32 iat = fs_ns_to_us32(fs_elapsed_ns(d->last_ts, now));

		if (d->packets == 1 || iat < d->iat_min)
			d->iat_min = iat;
		if (iat > d->iat_max)
			d->iat_max = iat;
		d->iat_sum += iat;
		d->iat_sumsq += (__u64)iat * iat;
		if (len < d->len_min)
			d->len_min = len;
		if (len > d->len_max)
			d->len_max = len;
	}
	if (now > d->last_ts)
		d->last_ts = now;
	d->packets++;
	d->bytes += len;
	d->payload_bytes += pkt->payload_len;
	d->header_bytes += pkt->l4_hdr_len;
	d->len_sum += len;
	d->len_sumsq += (__u64)len * len;
	FS_UNROLL
	for (i = 0; i < FS_TCP_NFLAGS; i++) {
		if (pkt->tcp_flags & (1 << i))
			d->tcp_flag_count[i]++;
	}
}

static __always_inline void fs_seq_append(struct fs_flow_stats *st, const struct fs_pkt *pkt,
					  __u8 dir, __u64 now)
{
	__u32 n = st->seq_len;
	struct fs_seq_entry *e;

	if (n >= FS_SEQ_LEN)
		return;
	e = &st->seq[n];
	e->len = pkt->ip_len > 0xffff ? 0xffff : (__u16)pkt->ip_len;
	e->dir = dir;
	e->tcp_flags = pkt->tcp_flags;
	e->iat_us = n == 0 ? 0 : fs_ns_to_us32(fs_elapsed_ns(st->last_ts, now));
	st->seq_len = n + 1;
}

/* TCP teardown: RST, or FIN seen from both sides. Returns 1 when it closes. */
static __always_inline int fs_tcp_track_close(struct fs_flow_stats *st, const struct fs_pkt *pkt,
					      __u8 dir)
{
	if (pkt->key.proto != FS_IPPROTO_TCP || st->end_reason != FS_END_NONE)
		return 0;
	if (pkt->tcp_flags & FS_TCP_RST) {
		st->end_reason = FS_END_RST;
		return 1;
	}
	if (pkt->tcp_flags & FS_TCP_FIN)
		st->fin_dirs |= 1 << dir;
	if (st->fin_dirs == 3) {
		st->end_reason = FS_END_FIN;
		return 1;
	}
	return 0;
}

/* Count one packet into a flow whose entry already exists (maybe fresh). */
static __always_inline int fs_flow_count(struct fs_flow_stats *st, const struct fs_pkt *pkt,
					 __u64 now)
{
	__u8 dir;

	if (st->dir[FS_DIR_FWD].packets == 0) {
		/* The first packet defines "forward", as in CICFlowMeter. */
		__builtin_memset(st, 0, sizeof(*st));
		st->fwd_is_lo = pkt->lo_to_hi;
		st->first_ts = now;
		st->last_ts = now;
	}
	dir = pkt->lo_to_hi == st->fwd_is_lo ? FS_DIR_FWD : FS_DIR_BWD;
	fs_seq_append(st, pkt, dir, now);
	fs_dir_count(&st->dir[dir], pkt, now);
	if (now > st->last_ts)
		st->last_ts = now;
	return fs_tcp_track_close(st, pkt, dir) ? FS_ACC_CLOSED : FS_ACC_COUNTED;
}

/*
 * Account one packet. If the flow had ended (`reason` from fs_flow_stale()),
 * its statistics are copied to *old and the entry restarts with this packet.
 */
static __always_inline int fs_flow_account(struct fs_flow_stats *st, const struct fs_pkt *pkt,
					   __u64 now, __u8 reason, struct fs_flow_stats *old)
{
	int ret = 0;

	if (reason != FS_END_NONE) {
		__builtin_memcpy(old, st, sizeof(*st));
		st->dir[FS_DIR_FWD].packets = 0;
		ret = FS_ACC_RESTARTED;
	}
	return ret | fs_flow_count(st, pkt, now);
}

#endif /* FS_FLOW_UPDATE_H */
