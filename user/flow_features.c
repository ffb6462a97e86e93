// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <string.h>

#include "flow_features.h"
#include "flow_parse.h"
#include "util.h"

const struct fs_feature_def fs_feature_defs[FS_F_MAX] = {
#define FS_FEATURE(id, nm, cic, knd, un, def)                                                      \
	[FS_F_##id] = {.name = nm,                                                                 \
		       .cic_name = cic,                                                            \
		       .kind = FS_FEAT_##knd,                                                      \
		       .unit = un,                                                                 \
		       .definition = def},
#include "feature_list.h"
#undef FS_FEATURE
};

int fs_feature_find(const char *name)
{
	int i;

	for (i = 0; i < FS_F_MAX; i++) {
		if (strcmp(fs_feature_defs[i].name, name) == 0 ||
		    (fs_feature_defs[i].cic_name && strcmp(fs_feature_defs[i].cic_name, name) == 0))
			return i;
	}
	return -1;
}

/* n values given by their sum and sum of squares. */
struct moments {
	__u64 n;
	__u64 sum;
	__u64 sumsq;
};

static double ratio(double num, double den)
{
	return den != 0 ? num / den : 0.0;
}

static double moments_mean(const struct moments *m)
{
	return ratio((double)m->sum, (double)m->n);
}

/*
 * Sample variance, from n*sumsq - sum^2 in exact 128-bit arithmetic: the
 * textbook sumsq/n - mean^2 in doubles cancels catastrophically when the
 * values barely vary.
 */
static double moments_var(const struct moments *m)
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

static double moments_std(const struct moments *m)
{
	return sqrt(moments_var(m));
}

/* Mean, std, max and min of a statistic, in the order CICFlowMeter lists them. */
static void put_stats(double *v, const struct moments *m, __u64 max, __u64 min)
{
	v[0] = moments_mean(m);
	v[1] = moments_std(m);
	v[2] = m->n ? (double)max : 0.0;
	v[3] = m->n ? (double)min : 0.0;
}

static double per_second(double x, __u64 duration_us)
{
	return ratio(x, (double)duration_us / 1e6);
}

/* CICFlowMeter divides longs here (--cic-compat); we do not. */
static double divide(double num, double den, int integer)
{
	if (den == 0)
		return 0.0;
	return integer ? floor(num / den) : num / den;
}

static void payload_features(const struct fs_flow_stats *st, int compat, double *v)
{
	const struct fs_dir_stats *f = &st->dir[FS_DIR_FWD], *b = &st->dir[FS_DIR_BWD];
	struct moments mf = {f->packets, f->payload_bytes, f->payload_sumsq};
	struct moments mb = {b->packets, b->payload_bytes, b->payload_sumsq};
	struct moments all = {mf.n + mb.n, mf.sum + mb.sum, mf.sumsq + mb.sumsq};
	__u64 p0 = st->first_payload;

	v[FS_F_FWD_PAYLOAD] = (double)f->payload_bytes;
	v[FS_F_BWD_PAYLOAD] = (double)b->payload_bytes;
	v[FS_F_FWD_PAYLOAD_MAX] = mf.n ? f->payload_max : 0;
	v[FS_F_FWD_PAYLOAD_MIN] = mf.n ? f->payload_min : 0;
	v[FS_F_FWD_PAYLOAD_MEAN] = moments_mean(&mf);
	v[FS_F_FWD_PAYLOAD_STD] = moments_std(&mf);
	v[FS_F_BWD_PAYLOAD_MAX] = mb.n ? b->payload_max : 0;
	v[FS_F_BWD_PAYLOAD_MIN] = mb.n ? b->payload_min : 0;
	v[FS_F_BWD_PAYLOAD_MEAN] = moments_mean(&mb);
	v[FS_F_BWD_PAYLOAD_STD] = moments_std(&mb);

	v[FS_F_PAYLOAD_MAX] = f->payload_max > b->payload_max ? f->payload_max : b->payload_max;
	v[FS_F_PAYLOAD_MIN] =
		!mb.n || f->payload_min < b->payload_min ? f->payload_min : b->payload_min;
	v[FS_F_PKT_SIZE_AVG] = moments_mean(&all);
	if (compat) {
		/* CICFlowMeter adds the first packet's payload twice to these. */
		all.n++;
		all.sum += p0;
		all.sumsq += p0 * p0;
		v[FS_F_PKT_SIZE_AVG] = ratio((double)all.sum, (double)(all.n - 1));
	}
	v[FS_F_PAYLOAD_MEAN] = moments_mean(&all);
	v[FS_F_PAYLOAD_STD] = moments_std(&all);
	v[FS_F_PAYLOAD_VAR] = moments_var(&all);
	v[FS_F_FWD_SEG_AVG] = moments_mean(&mf);
	v[FS_F_BWD_SEG_AVG] = moments_mean(&mb);
}

static void iat_features(const struct fs_flow_stats *st, double *v)
{
	const struct fs_dir_stats *f = &st->dir[FS_DIR_FWD], *b = &st->dir[FS_DIR_BWD];
	__u64 n = (__u64)f->packets + b->packets;
	/* Gaps add up to the span: sum of IATs = last time - first time. */
	struct moments flow = {n - 1, st->last_us, st->iat_sumsq};
	struct moments mf = {f->packets - 1, f->last_us - f->first_us, f->iat_sumsq};
	struct moments mb = {b->packets ? b->packets - 1 : 0, b->last_us - b->first_us,
			     b->iat_sumsq};

	put_stats(&v[FS_F_FLOW_IAT_MEAN], &flow, st->iat_max, st->iat_min);
	v[FS_F_FWD_IAT_TOTAL] = (double)mf.sum;
	put_stats(&v[FS_F_FWD_IAT_MEAN], &mf, f->iat_max, f->iat_min);
	v[FS_F_BWD_IAT_TOTAL] = (double)mb.sum;
	put_stats(&v[FS_F_BWD_IAT_MEAN], &mb, b->iat_max, b->iat_min);
}

static void flag_features(const struct fs_flow_stats *st, double *v)
{
	const struct fs_dir_stats *f = &st->dir[FS_DIR_FWD], *b = &st->dir[FS_DIR_BWD];
	/* Header bit order: FIN SYN RST PSH ACK URG ECE CWR. */
	static const int flow_ids[FS_TCP_NFLAGS] = {FS_F_FIN, FS_F_SYN, FS_F_RST, FS_F_PSH,
						    FS_F_ACK, FS_F_URG, FS_F_ECE, FS_F_CWR};
	static const struct {
		int bit, fwd, bwd;
	} per_dir[] = {
		{0, FS_F_FWD_FIN, FS_F_BWD_FIN}, {1, FS_F_FWD_SYN, FS_F_BWD_SYN},
		{2, FS_F_FWD_RST, FS_F_BWD_RST}, {3, FS_F_FWD_PSH, FS_F_BWD_PSH},
		{4, FS_F_FWD_ACK, FS_F_BWD_ACK}, {5, FS_F_FWD_URG, FS_F_BWD_URG},
	};
	unsigned int i;

	for (i = 0; i < FS_TCP_NFLAGS; i++)
		v[flow_ids[i]] = (double)f->tcp_flags[i] + b->tcp_flags[i];
	for (i = 0; i < FS_ARRAY_SIZE(per_dir); i++) {
		v[per_dir[i].fwd] = f->tcp_flags[per_dir[i].bit];
		v[per_dir[i].bwd] = b->tcp_flags[per_dir[i].bit];
	}
}

static void bulk_features(const struct fs_bulk_state *m, int compat, double *v)
{
	v[0] = divide((double)m->bytes, m->count, compat);
	v[1] = divide((double)m->packets, m->count, compat);
	v[2] = divide((double)m->bytes, m->duration / 1e6, compat);
}

static void period_features(const struct fs_period_stats *p, double *v)
{
	struct moments m = {p->count, p->sum, p->sumsq};

	put_stats(v, &m, p->max, p->min);
}

static void activity_features(const struct fs_flow_stats *st, int compat, double *v)
{
	struct fs_period_stats active = st->active;
	__u32 last = st->last_us - st->active_start;

	/* The period still open at the flow's end; CICFlowMeter drops it. */
	if (!compat && last > 0) {
		if (active.count == 0 || last < active.min)
			active.min = last;
		if (last > active.max)
			active.max = last;
		active.sum += last;
		active.sumsq += (__u64)last * last;
		active.count++;
	}
	period_features(&active, &v[FS_F_ACTIVE_MEAN]);
	period_features(&st->idle, &v[FS_F_IDLE_MEAN]);
}

static void rate_features(const struct fs_flow_stats *st, double *v)
{
	const struct fs_dir_stats *f = &st->dir[FS_DIR_FWD], *b = &st->dir[FS_DIR_BWD];
	__u64 d = st->last_us;

	v[FS_F_DURATION] = (double)d;
	v[FS_F_FWD_PKTS] = f->packets;
	v[FS_F_BWD_PKTS] = b->packets;
	v[FS_F_FLOW_BYTES_PER_S] = per_second((double)f->payload_bytes + b->payload_bytes, d);
	v[FS_F_FLOW_PKTS_PER_S] = per_second((double)f->packets + b->packets, d);
	v[FS_F_FWD_PKTS_PER_S] = per_second(f->packets, d);
	v[FS_F_BWD_PKTS_PER_S] = per_second(b->packets, d);
	v[FS_F_FWD_HEADER] = (double)f->header_bytes;
	v[FS_F_BWD_HEADER] = (double)b->header_bytes;
	v[FS_F_FWD_HEADER_MIN] = f->header_min;
}

static void cic_misc_features(const struct fs_flow_stats *st, int compat, double *v)
{
	const struct fs_dir_stats *f = &st->dir[FS_DIR_FWD], *b = &st->dir[FS_DIR_BWD];
	double subflows = (double)st->subflow_gaps + 1;

	v[FS_F_DOWN_UP_RATIO] = divide(b->packets, f->packets, compat);
	bulk_features(&f->bulk, compat, &v[FS_F_FWD_BULK_BYTES]);
	bulk_features(&b->bulk, compat, &v[FS_F_BWD_BULK_BYTES]);
	v[FS_F_SUBFLOW_FWD_PKTS] = divide(f->packets, subflows, compat);
	v[FS_F_SUBFLOW_FWD_BYTES] = divide((double)f->payload_bytes, subflows, compat);
	v[FS_F_SUBFLOW_BWD_PKTS] = divide(b->packets, subflows, compat);
	v[FS_F_SUBFLOW_BWD_BYTES] = divide((double)b->payload_bytes, subflows, compat);
	v[FS_F_FWD_INIT_WIN] = f->has_init_win ? f->init_win : 0;
	/* CICFlowMeter overwrites the backward window with every packet. */
	v[FS_F_BWD_INIT_WIN] = b->has_init_win ? (compat ? b->last_win : b->init_win) : 0;
	/* ... and does not count the first packet as a data packet. */
	v[FS_F_FWD_DATA_PKTS] = f->data_packets - (compat && st->first_payload ? 1 : 0);
}

static void frame_features(const struct fs_dir_stats *d, double *v)
{
	struct moments m = {d->packets, d->frame_bytes, d->frame_sumsq};

	v[0] = d->packets ? d->frame_min : 0;
	v[1] = d->packets ? d->frame_max : 0;
	v[2] = moments_mean(&m);
	v[3] = moments_std(&m);
}

static void shape_features(const struct fs_record *r, double *v)
{
	const struct fs_flow_stats *st = &r->stats;
	const struct fs_dir_stats *f = &st->dir[FS_DIR_FWD], *b = &st->dir[FS_DIR_BWD];
	double n = (double)f->packets + b->packets;
	int i;

	v[FS_F_FWD_BYTES] = (double)f->bytes;
	v[FS_F_BWD_BYTES] = (double)b->bytes;
	frame_features(f, &v[FS_F_FWD_FRAME_MIN]);
	frame_features(b, &v[FS_F_BWD_FRAME_MIN]);
	v[FS_F_BWD_DATA_PKTS] = b->data_packets;
	v[FS_F_DOWN_UP_BYTES] = ratio((double)b->bytes, (double)f->bytes);
	for (i = 0; i < FS_HIST_BINS; i++) {
		v[FS_F_FWD_HIST_0 + i] = f->size_hist[i];
		v[FS_F_BWD_HIST_0 + i] = b->size_hist[i];
	}
	v[FS_F_NEAR_MTU_SHARE] = ratio((double)f->size_hist[6] + b->size_hist[6], n);
	v[FS_F_SMALL_SHARE] = ratio(
		(double)f->size_hist[0] + f->size_hist[1] + b->size_hist[0] + b->size_hist[1], n);
	v[FS_F_SUBFLOWS] = (double)st->subflow_gaps + 1;
	v[FS_F_BURSTS] = st->bursts;
	v[FS_F_BURST_MAX_BYTES] = (double)st->burst_max;
	v[FS_F_BURST_GAP_MEAN] = ratio(st->burst_gap_sum, (double)st->bursts - 1);
	v[FS_F_UDP_IAT_CV] = r->key.proto == FS_IPPROTO_UDP
				     ? ratio(v[FS_F_FLOW_IAT_STD], v[FS_F_FLOW_IAT_MEAN])
				     : 0.0;
}

static __u32 seq_iat_decode(__u16 code)
{
	return code & 0x8000 ? (__u32)(code & 0x7fff) << 10 : code;
}

static void seq_features(const struct fs_flow_stats *st, double *v)
{
	unsigned int i;

	for (i = 0; i < FS_SEQ_LEN; i++) {
		double *len = &v[FS_F_SEQ_LEN_1 + 2 * i], *iat = len + 1;

		if (i >= st->seq_len) {
			*len = *iat = 0;
			continue;
		}
		*len = st->seq_dirs & (1u << i) ? -(double)st->seq[i].len : st->seq[i].len;
		*iat = seq_iat_decode(st->seq[i].iat_code);
	}
}

void fs_features_compute(const struct fs_record *rec, int cic_compat, struct fs_feature_vec *out)
{
	const struct fs_flow_stats *st = &rec->stats;
	double *v = out->v;

	memset(out, 0, sizeof(*out));
	rate_features(st, v);
	payload_features(st, cic_compat, v);
	iat_features(st, v);
	flag_features(st, v);
	cic_misc_features(st, cic_compat, v);
	activity_features(st, cic_compat, v);
	shape_features(rec, v);
	seq_features(st, v);
}
