// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <string.h>

#include "flow_parse.h"
#include "features/unit.h"

void fs_moments_add(struct fs_moments *m, __u64 v)
{
	if (m->n == 0 || v < m->min)
		m->min = v;
	if (m->n == 0 || v > m->max)
		m->max = v;
	m->n++;
	m->sum += v;
	m->sumsq += (unsigned __int128)v * v;
}

void fs_moments_merge(struct fs_moments *m, const struct fs_moments *o)
{
	if (o->n == 0)
		return;
	if (m->n == 0 || o->min < m->min)
		m->min = o->min;
	if (m->n == 0 || o->max > m->max)
		m->max = o->max;
	m->n += o->n;
	m->sum += o->sum;
	m->sumsq += o->sumsq;
}

double fs_moments_mean(const struct fs_moments *m)
{
	return m->n ? (double)m->sum / (double)m->n : 0.0;
}

/*
 * From n*sumsq - sum^2, exact in 128 bits: the textbook sumsq/n - mean^2 in
 * doubles cancels catastrophically when the values barely vary.
 */
double fs_moments_var(const struct fs_moments *m)
{
	unsigned __int128 a, b;

	if (m->n < 2)
		return 0.0;
	a = (unsigned __int128)m->n * m->sumsq;
	b = (unsigned __int128)m->sum * m->sum;
	if (a <= b)
		return 0.0;
	return (double)(a - b) / ((double)m->n * (double)(m->n - 1));
}

double fs_moments_std(const struct fs_moments *m)
{
	return sqrt(fs_moments_var(m));
}

static struct fs_moments moments(__u64 n, __u64 sum, __u64 sumsq, __u64 min, __u64 max)
{
	struct fs_moments m = {.n = n, .sum = sum, .sumsq = sumsq, .min = min, .max = max};

	return m;
}

static void dir_from_flow(struct fs_dir_unit *d, const struct fs_dir_stats *s)
{
	unsigned int i;

	d->packets = s->packets;
	d->bytes = s->bytes;
	d->header_bytes = s->header_bytes;
	d->header_min = s->header_min;
	d->data_packets = s->data_packets;
	d->payload = moments(s->packets, s->payload_bytes, s->payload_sumsq, s->payload_min,
			     s->payload_max);
	d->frame = moments(s->packets, s->frame_bytes, s->frame_sumsq, s->frame_min, s->frame_max);
	/* Gaps add up to the span: their sum is the last time minus the first. */
	d->iat = moments(s->packets ? s->packets - 1 : 0, s->last_us - s->first_us, s->iat_sumsq,
			 s->iat_min, s->iat_max);
	for (i = 0; i < FS_TCP_NFLAGS; i++)
		d->tcp_flags[i] = s->tcp_flags[i];
	for (i = 0; i < FS_HIST_BINS; i++)
		d->size_hist[i] = s->size_hist[i];
	d->bulks = s->bulk.count;
	d->bulk_packets = s->bulk.packets;
	d->bulk_bytes = s->bulk.bytes;
	d->bulk_duration = s->bulk.duration;
	d->init_win = s->init_win;
	d->has_init_win = s->has_init_win;
	for (i = 0; i < FS_SHAPES; i++) {
		d->shape[i] = s->shape[i];
		d->shape_early[i] = s->shape_early[i];
	}
	d->paced_gaps = s->paced_gaps;
}

/* How many of the flow's first packets went each way. */
static void early_packets_from_flow(struct fs_unit *u, const struct fs_flow_stats *st)
{
	unsigned int i;

	for (i = 0; i < st->seq_len && i < FS_SEQ_LEN; i++)
		u->dir[st->seq_dirs & (1u << i) ? FS_DIR_BWD : FS_DIR_FWD].early_packets++;
}

static struct fs_moments period_moments(const struct fs_period_stats *p)
{
	return moments(p->count, p->sum, p->sumsq, p->min, p->max);
}

/* The flow's chunks: the kernel's finished ones, and the burst still open at its end. */
static void chunks_from_flow(struct fs_unit *u, const struct fs_flow_stats *st)
{
	u->chunks = st->chunks;
	u->chunk_bytes = st->chunk_bytes;
	u->chunk_period = period_moments(&st->chunk_period);
	if (st->burst_bytes < FS_CHUNK_MIN_BYTES)
		return;
	if (st->chunks)
		fs_moments_add(&u->chunk_period, st->burst_start - st->chunk_start);
	u->chunks++;
	u->chunk_bytes += st->burst_bytes;
}

static void identity_from_flow(struct fs_unit *u, const struct fs_record *r)
{
	const struct fs_flow_key *k = &r->key;
	int lo = r->stats.fwd_is_lo;

	memcpy(u->src_addr, lo ? k->lo_addr : k->hi_addr, 16);
	memcpy(u->dst_addr, lo ? k->hi_addr : k->lo_addr, 16);
	u->src_port = lo ? k->lo_port : k->hi_port;
	u->dst_port = lo ? k->hi_port : k->lo_port;
	u->vlan_id = k->vlan_id;
	u->proto = k->proto;
	u->reason = r->reason;
}

/* What the kernel model reads of this flow as it stands (kernel_model.h). */
static void kernel_model_inputs(struct fs_unit *u, const struct fs_flow_stats *st, __u8 proto)
{
	struct fs_km_inputs in;

	fs_km_inputs(st, proto, &in);
	memcpy(u->km_in, in.v, sizeof(u->km_in));
}

void fs_unit_from_flow(struct fs_unit *u, const struct fs_record *r, int cic_compat)
{
	const struct fs_flow_stats *st = &r->stats;
	__u64 n = (__u64)st->dir[0].packets + st->dir[1].packets;
	__u32 open = st->last_us - st->active_start;

	memset(u, 0, sizeof(*u));
	identity_from_flow(u, r);
	u->cic_compat = !!cic_compat;
	u->first_ts = st->first_ts;
	u->last_ts = st->last_ts;
	u->flows = 1;
	if (r->key.proto == FS_IPPROTO_TCP)
		u->tcp_packets = n;
	else if (r->key.proto == FS_IPPROTO_UDP)
		u->udp_packets = n;
	dir_from_flow(&u->dir[FS_DIR_FWD], &st->dir[FS_DIR_FWD]);
	dir_from_flow(&u->dir[FS_DIR_BWD], &st->dir[FS_DIR_BWD]);
	early_packets_from_flow(u, st);
	u->payload_all = u->dir[FS_DIR_FWD].payload;
	fs_moments_merge(&u->payload_all, &u->dir[FS_DIR_BWD].payload);
	u->iat = moments(n - 1, st->last_us, st->iat_sumsq, st->iat_min, st->iat_max);
	u->active = period_moments(&st->active);
	u->idle = period_moments(&st->idle);
	if (cic_compat) {
		fs_moments_add(&u->payload_all, st->first_payload);
		if (st->first_payload)
			u->dir[FS_DIR_FWD].data_packets--;
		u->dir[FS_DIR_BWD].init_win = st->dir[FS_DIR_BWD].last_win;
	} else if (open > 0) {
		fs_moments_add(&u->active, open); /* the period still open at the end */
	}
	u->subflows = (__u64)st->subflow_gaps + 1;
	u->bursts = st->bursts;
	u->burst_max = st->burst_max;
	u->burst_gap_sum = st->burst_gap_sum;
	chunks_from_flow(u, st);
	u->seq_len = st->seq_len;
	u->seq_dirs = st->seq_dirs;
	memcpy(u->seq, st->seq, sizeof(u->seq));
	u->verdict = st->verdict;
	u->km_round = st->km_round;
	kernel_model_inputs(u, st, r->key.proto);
}

static void dir_merge(struct fs_dir_unit *a, const struct fs_dir_unit *b)
{
	unsigned int i;

	if (b->packets && (a->packets == 0 || b->header_min < a->header_min))
		a->header_min = b->header_min;
	if (!a->has_init_win && b->has_init_win) {
		a->init_win = b->init_win;
		a->has_init_win = 1;
	}
	a->packets += b->packets;
	a->bytes += b->bytes;
	a->header_bytes += b->header_bytes;
	a->data_packets += b->data_packets;
	fs_moments_merge(&a->payload, &b->payload);
	fs_moments_merge(&a->frame, &b->frame);
	fs_moments_merge(&a->iat, &b->iat);
	for (i = 0; i < FS_TCP_NFLAGS; i++)
		a->tcp_flags[i] += b->tcp_flags[i];
	for (i = 0; i < FS_HIST_BINS; i++)
		a->size_hist[i] += b->size_hist[i];
	a->bulks += b->bulks;
	a->bulk_packets += b->bulk_packets;
	a->bulk_bytes += b->bulk_bytes;
	a->bulk_duration += b->bulk_duration;
	a->early_packets += b->early_packets;
	a->paced_gaps += b->paced_gaps;
	for (i = 0; i < FS_SHAPES; i++) {
		a->shape[i] += b->shape[i];
		a->shape_early[i] += b->shape_early[i];
	}
}

void fs_unit_merge(struct fs_unit *a, const struct fs_unit *b, int swap)
{
	if (b->first_ts < a->first_ts)
		a->first_ts = b->first_ts;
	if (b->last_ts > a->last_ts) {
		a->last_ts = b->last_ts;
		a->reason = b->reason;
	}
	if (a->proto != b->proto)
		a->proto = 0;
	a->flows += b->flows;
	a->tcp_packets += b->tcp_packets;
	a->udp_packets += b->udp_packets;
	dir_merge(&a->dir[FS_DIR_FWD], &b->dir[swap ? FS_DIR_BWD : FS_DIR_FWD]);
	dir_merge(&a->dir[FS_DIR_BWD], &b->dir[swap ? FS_DIR_FWD : FS_DIR_BWD]);
	fs_moments_merge(&a->payload_all, &b->payload_all);
	fs_moments_merge(&a->iat, &b->iat);
	fs_moments_merge(&a->active, &b->active);
	fs_moments_merge(&a->idle, &b->idle);
	a->subflows += b->subflows;
	a->bursts += b->bursts;
	if (b->burst_max > a->burst_max)
		a->burst_max = b->burst_max;
	a->burst_gap_sum += b->burst_gap_sum;
	a->chunks += b->chunks;
	a->chunk_bytes += b->chunk_bytes;
	fs_moments_merge(&a->chunk_period, &b->chunk_period);
}

__u64 fs_unit_duration_us(const struct fs_unit *u)
{
	return u->last_ts > u->first_ts ? (u->last_ts - u->first_ts) / 1000 : 0;
}
