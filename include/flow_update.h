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
					       const struct fs_meter_config *t)
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

/*
 * An entry just inserted, whose first packet is still on its way to the
 * lock: it has no start time yet, and the drain must leave it alone.
 */
static __always_inline int fs_flow_is_fresh(const struct fs_flow_stats *st)
{
	return st->dir[FS_DIR_FWD].packets == 0;
}

/* Would this packet end the flow it belongs to? Safe to call without the lock. */
static __always_inline __u8 fs_flow_stale(const struct fs_flow_stats *st, const struct fs_pkt *pkt,
					  __u64 now, const struct fs_meter_config *t)
{
	__u8 reason;

	if (fs_flow_is_fresh(st))
		return FS_END_NONE;
	reason = fs_flow_end_reason(st, now, t);
	if (reason == FS_END_NONE && fs_is_reopen(st, pkt))
		reason = st->end_reason;
	return reason;
}

/* Microseconds from the flow's first packet to `now`, truncated. */
static __always_inline __u32 fs_offset_us(__u64 first_ts, __u64 now)
{
	return fs_ns_to_us32(fs_elapsed_ns(first_ts, now));
}

static __always_inline __u32 fs_gap_us(__u32 from, __u32 to)
{
	return to > from ? to - from : 0;
}

static __always_inline __u16 fs_cap16(__u32 x)
{
	return x > 0xffff ? 0xffff : (__u16)x;
}

/* Exact below 32768 us, then 1024 us units with bit 15 set (see fs_seq_entry). */
static __always_inline __u16 fs_seq_iat_code(__u32 iat_us)
{
	__u32 units;

	if (iat_us < 0x8000)
		return (__u16)iat_us;
	units = iat_us >> 10;
	return 0x8000 | (units > 0x7fff ? 0x7fff : units);
}

static __always_inline __u32 fs_size_bin(__u32 ip_len)
{
	if (ip_len < 64)
		return 0;
	if (ip_len < 128)
		return 1;
	if (ip_len < 256)
		return 2;
	if (ip_len < 512)
		return 3;
	if (ip_len < 1024)
		return 4;
	if (ip_len < FS_NEAR_MTU_LEN)
		return 5;
	return 6;
}

static __always_inline void fs_period_add(struct fs_period_stats *p, __u32 v)
{
	if (p->count == 0 || v < p->min)
		p->min = v;
	if (v > p->max)
		p->max = v;
	p->sum += v;
	p->sumsq += (__u64)v * v;
	p->count++;
}

static __always_inline void fs_dir_first(struct fs_dir_stats *d, const struct fs_pkt *pkt, __u32 t)
{
	d->first_us = t;
	d->last_us = t;
	d->payload_min = fs_cap16(pkt->payload_len);
	d->payload_max = d->payload_min;
	d->frame_min = fs_cap16(pkt->frame_len);
	d->frame_max = d->frame_min;
	d->header_min = (__u8)pkt->l4_hdr_len;
	if (pkt->key.proto == FS_IPPROTO_TCP && !pkt->is_fragment) {
		d->init_win = pkt->tcp_window;
		d->has_init_win = 1;
	}
}

/* Is this gap within FS_PACE_SLACK_US of 1 to FS_PACE_MAX_MULTIPLE x FS_PACE_US? */
static __always_inline int fs_gap_is_paced(__u32 iat)
{
	__u32 off;

	if (iat + FS_PACE_SLACK_US < FS_PACE_US ||
	    iat > FS_PACE_MAX_MULTIPLE * FS_PACE_US + FS_PACE_SLACK_US)
		return 0;
	off = (iat + FS_PACE_SLACK_US) % FS_PACE_US;
	return off <= 2 * FS_PACE_SLACK_US;
}

static __always_inline void fs_dir_next(struct fs_dir_stats *d, const struct fs_pkt *pkt, __u32 t)
{
	__u32 iat = fs_gap_us(d->last_us, t);
	__u16 payload = fs_cap16(pkt->payload_len);
	__u16 frame = fs_cap16(pkt->frame_len);

	if (fs_gap_is_paced(iat))
		d->paced_gaps++;

	if (d->packets == 1 || iat < d->iat_min)
		d->iat_min = iat;
	if (iat > d->iat_max)
		d->iat_max = iat;
	d->iat_sumsq += (__u64)iat * iat;
	if (t > d->last_us)
		d->last_us = t;
	if (payload < d->payload_min)
		d->payload_min = payload;
	if (payload > d->payload_max)
		d->payload_max = payload;
	if (frame < d->frame_min)
		d->frame_min = frame;
	if (frame > d->frame_max)
		d->frame_max = frame;
	if (pkt->l4_hdr_len < d->header_min)
		d->header_min = (__u8)pkt->l4_hdr_len;
}

static __always_inline void fs_dir_count(struct fs_dir_stats *d, const struct fs_pkt *pkt, __u32 t)
{
	__u64 payload = pkt->payload_len, frame = pkt->frame_len;
	int i;

	if (d->packets == 0)
		fs_dir_first(d, pkt, t);
	else
		fs_dir_next(d, pkt, t);
	d->packets++;
	d->bytes += pkt->ip_len;
	d->payload_bytes += payload;
	d->payload_sumsq += payload * payload;
	d->frame_bytes += frame;
	d->frame_sumsq += frame * frame;
	d->header_bytes += pkt->l4_hdr_len;
	if (payload)
		d->data_packets++;
	if (pkt->key.proto == FS_IPPROTO_TCP && !pkt->is_fragment)
		d->last_win = pkt->tcp_window;
	FS_UNROLL
	for (i = 0; i < FS_TCP_NFLAGS; i++) {
		if (pkt->tcp_flags & (1 << i))
			d->tcp_flags[i]++;
	}
	d->size_hist[fs_size_bin(pkt->ip_len)]++;
}

/*
 * Does this RTP sequence number continue one of the direction's last two
 * streams (a call bundles audio and video on one 5-tuple)? It then replaces
 * that stream's number; otherwise it starts a stream in the older slot.
 */
static __always_inline int fs_rtp_continues(struct fs_dir_stats *d, __u16 seq)
{
	int i, next;

	FS_UNROLL
	for (i = 0; i < 2; i++) {
		__u16 step = (__u16)(seq - d->rtp_seq[i]);

		if ((d->shape_flags & (FS_SHAPE_SEEN_RTP0 << i)) && step >= 1 &&
		    step <= FS_RTP_SEQ_STEP_MAX) {
			d->rtp_seq[i] = seq;
			return 1;
		}
	}
	next = !!(d->shape_flags & FS_SHAPE_RTP_NEXT);
	d->rtp_seq[next] = seq;
	d->shape_flags |= FS_SHAPE_SEEN_RTP0 << next;
	d->shape_flags ^= FS_SHAPE_RTP_NEXT;
	return 0;
}

/*
 * Count the payload's shape: RTP only where its sequence number continues a
 * stream, a QUIC short header or version negotiation only in a flow that has
 * had a long header. `early`:
 * the packet is one of the flow's first FS_SEQ_LEN.
 */
static __always_inline void fs_shape_count(struct fs_flow_stats *st, struct fs_dir_stats *d,
					   const struct fs_pkt *pkt, int early)
{
	int quic = (st->dir[0].shape_flags | st->dir[1].shape_flags) & FS_SHAPE_SEEN_QUIC_LONG;
	__u8 shape = pkt->shape;
	int i;

	if (!shape)
		return;
	if (shape & FS_SHAPE_QUIC_VN)
		shape = quic ? 1 << FS_SHAPE_QUIC_LONG : shape & ~FS_SHAPE_QUIC_VN;
	if ((shape & (1 << FS_SHAPE_RTP)) && !fs_rtp_continues(d, pkt->rtp_seq))
		return;
	if (shape & (1 << FS_SHAPE_QUIC_LONG))
		d->shape_flags |= FS_SHAPE_SEEN_QUIC_LONG;
	if ((shape & (1 << FS_SHAPE_QUIC_SHORT)) && !quic)
		return;
	FS_UNROLL
	for (i = 0; i < FS_SHAPES; i++) {
		if (shape & (1 << i)) {
			d->shape[i]++;
			if (early)
				d->shape_early[i]++;
		}
	}
}

/*
 * CICFlowMeter's bulk detector (struct fs_bulk_state), fed every packet of
 * its direction: a packet from the other direction's detector since this
 * candidate began ends the candidate, even one without payload.
 */
static __always_inline void
fs_bulk_update(struct fs_bulk_state *m, const struct fs_bulk_state *other, __u32 payload, __u32 t)
{
	if (m->cand_packets && other->last > m->cand_start)
		m->cand_packets = 0;
	if (payload == 0)
		return;
	if (m->cand_packets == 0 || fs_gap_us(m->last, t) > FS_BULK_GAP_US) {
		m->cand_start = t;
		m->cand_packets = 1;
		m->cand_bytes = payload;
	} else if (++m->cand_packets < FS_BULK_MIN_PKTS) {
		m->cand_bytes += payload;
	} else if (m->cand_packets == FS_BULK_MIN_PKTS) {
		m->count++;
		m->packets += FS_BULK_MIN_PKTS;
		m->bytes += m->cand_bytes + payload;
		m->duration += fs_gap_us(m->cand_start, t);
	} else {
		m->packets++;
		m->bytes += payload;
		m->duration += fs_gap_us(m->last, t);
	}
	m->last = t;
}

/*
 * The burst that began at burst_start has ended: a chunk if it is large
 * enough. The user-space unit applies the same rule to the burst still open
 * at the flow's end (fs_unit_from_flow).
 */
static __always_inline void fs_burst_end(struct fs_flow_stats *st)
{
	if (st->burst_bytes < FS_CHUNK_MIN_BYTES)
		return;
	if (st->chunks)
		fs_period_add(&st->chunk_period, fs_gap_us(st->chunk_start, st->burst_start));
	st->chunks++;
	st->chunk_bytes += st->burst_bytes;
	st->chunk_start = st->burst_start;
}

/*
 * Flow-wide timing of a packet after the first: IATs, subflows, activity,
 * bursts. Returns the gap since the flow's previous packet.
 */
static __always_inline __u32 fs_flow_timing(struct fs_flow_stats *st, __u32 t)
{
	__u32 iat = fs_gap_us(st->last_us, t);

	if (st->dir[FS_DIR_FWD].packets + st->dir[FS_DIR_BWD].packets == 1 || iat < st->iat_min)
		st->iat_min = iat;
	if (iat > st->iat_max)
		st->iat_max = iat;
	st->iat_sumsq += (__u64)iat * iat;
	if (iat > FS_SUBFLOW_GAP_US)
		st->subflow_gaps++;
	if (iat > FS_BURST_GAP_US) {
		fs_burst_end(st);
		st->bursts++;
		st->burst_gap_sum += iat;
		st->burst_bytes = 0;
		st->burst_start = t;
	}
	/* The last packet ended the active period at last_us. */
	if (iat > FS_ACTIVITY_GAP_US) {
		if (st->last_us > st->active_start)
			fs_period_add(&st->active, st->last_us - st->active_start);
		fs_period_add(&st->idle, iat);
		st->active_start = t;
	}
	if (t > st->last_us)
		st->last_us = t;
	return iat;
}

static __always_inline void fs_seq_append(struct fs_flow_stats *st, const struct fs_pkt *pkt,
					  __u8 dir, __u32 iat)
{
	__u32 n = st->seq_len;
	struct fs_seq_entry *e;

	if (n >= FS_SEQ_LEN)
		return;
	e = &st->seq[n];
	e->len = fs_cap16(pkt->ip_len);
	e->iat_code = fs_seq_iat_code(iat);
	st->seq_dirs |= (__u16)dir << n;
	st->seq_len = n + 1;
}

/*
 * TCP teardown: RST, or FIN seen from both sides; with cic_compat, the first
 * FIN after the flow's first packet, as CICFlowMeter does. Returns 1 when this packet closes the
 * flow.
 */
static __always_inline int fs_tcp_track_close(struct fs_flow_stats *st, const struct fs_pkt *pkt,
					      __u8 dir, const struct fs_meter_config *cfg)
{
	if (pkt->key.proto != FS_IPPROTO_TCP || st->end_reason != FS_END_NONE)
		return 0;
	if (cfg->cic_compat) {
		/* CICFlowMeter checks FIN only on packets that join a flow. */
		if (!(pkt->tcp_flags & FS_TCP_FIN) ||
		    st->dir[FS_DIR_FWD].packets + st->dir[FS_DIR_BWD].packets == 1)
			return 0;
		st->end_reason = FS_END_FIN;
		return 1;
	}
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
					 __u64 now, const struct fs_meter_config *cfg)
{
	__u32 t, iat;
	__u8 dir, bulk_dir;

	if (fs_flow_is_fresh(st)) {
		/* The first packet defines "forward", as in CICFlowMeter. */
		__builtin_memset(st, 0, sizeof(*st));
		st->fwd_is_lo = pkt->lo_to_hi;
		st->first_ts = now;
		st->last_ts = now;
		st->first_payload = fs_cap16(pkt->payload_len);
		st->bursts = 1;
		t = 0;
		iat = 0;
	} else {
		t = fs_offset_us(st->first_ts, now);
		iat = fs_flow_timing(st, t);
	}
	dir = pkt->lo_to_hi == st->fwd_is_lo ? FS_DIR_FWD : FS_DIR_BWD;
	fs_shape_count(st, &st->dir[dir], pkt, st->seq_len < FS_SEQ_LEN);
	fs_seq_append(st, pkt, dir, iat);
	st->burst_bytes += pkt->ip_len;
	if (st->burst_bytes > st->burst_max)
		st->burst_max = st->burst_bytes;
	fs_dir_count(&st->dir[dir], pkt, t);
	/* CICFlowMeter feeds every packet to its backward detector. */
	bulk_dir = cfg->cic_compat ? FS_DIR_BWD : dir;
	fs_bulk_update(&st->dir[bulk_dir].bulk, &st->dir[bulk_dir ^ 1].bulk, pkt->payload_len, t);
	if (now > st->last_ts)
		st->last_ts = now;
	return fs_tcp_track_close(st, pkt, dir, cfg) ? FS_ACC_CLOSED : FS_ACC_COUNTED;
}

/*
 * Account one packet. If the flow had ended (`reason` from fs_flow_stale()),
 * its statistics are copied to *old and the entry restarts with this packet.
 */
static __always_inline int fs_flow_account(struct fs_flow_stats *st, const struct fs_pkt *pkt,
					   __u64 now, __u8 reason, struct fs_flow_stats *old,
					   const struct fs_meter_config *cfg)
{
	int ret = 0;

	if (reason != FS_END_NONE) {
		__builtin_memcpy(old, st, sizeof(*st));
		st->dir[FS_DIR_FWD].packets = 0;
		ret = FS_ACC_RESTARTED;
	}
	return ret | fs_flow_count(st, pkt, now, cfg);
}

#endif /* FS_FLOW_UPDATE_H */
