// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <string.h>

#include "features/flow_features.h"
#include "flow_parse.h"
#include "common/util.h"

const struct fs_feature_def fs_feature_defs[FS_F_MAX] = {
#define FS_FEATURE(id, nm, cic, knd, un, def)                                                      \
	[FS_F_##id] = {.name = nm,                                                                 \
		       .cic_name = cic,                                                            \
		       .kind = FS_FEAT_##knd,                                                      \
		       .unit = un,                                                                 \
		       .definition = def},
#include "features/feature_list.h"
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

static double ratio(double num, double den)
{
	return den != 0 ? num / den : 0.0;
}

static double percent(double part, double whole)
{
	return 100.0 * ratio(part, whole);
}

/* CICFlowMeter divides longs here (--cic-compat); we do not. */
static double divide(double num, double den, int integer)
{
	if (den == 0)
		return 0.0;
	return integer ? floor(num / den) : num / den;
}

static double per_second(double x, __u64 duration_us)
{
	return ratio(x, (double)duration_us / 1e6);
}

/* Mean, std, max and min, in the order CICFlowMeter lists them. */
static void put_stats(double *v, const struct fs_moments *m)
{
	v[0] = fs_moments_mean(m);
	v[1] = fs_moments_std(m);
	v[2] = m->n ? (double)m->max : 0.0;
	v[3] = m->n ? (double)m->min : 0.0;
}

/* Max, min, mean, std: the order of the per-direction length columns. */
static void put_max_min_mean_std(double *v, const struct fs_moments *m)
{
	v[0] = m->n ? (double)m->max : 0.0;
	v[1] = m->n ? (double)m->min : 0.0;
	v[2] = fs_moments_mean(m);
	v[3] = fs_moments_std(m);
}

static void payload_features(const struct fs_unit *u, double *v)
{
	const struct fs_dir_unit *f = &u->dir[FS_DIR_FWD], *b = &u->dir[FS_DIR_BWD];
	const struct fs_moments *all = &u->payload_all;

	v[FS_F_FWD_PAYLOAD] = (double)f->payload.sum;
	v[FS_F_BWD_PAYLOAD] = (double)b->payload.sum;
	put_max_min_mean_std(&v[FS_F_FWD_PAYLOAD_MAX], &f->payload);
	put_max_min_mean_std(&v[FS_F_BWD_PAYLOAD_MAX], &b->payload);
	v[FS_F_PAYLOAD_MIN] = all->n ? (double)all->min : 0.0;
	v[FS_F_PAYLOAD_MAX] = all->n ? (double)all->max : 0.0;
	v[FS_F_PAYLOAD_MEAN] = fs_moments_mean(all);
	v[FS_F_PAYLOAD_STD] = fs_moments_std(all);
	v[FS_F_PAYLOAD_VAR] = fs_moments_var(all);
	/* all->sum / packets: with --cic-compat, all holds the first payload twice. */
	v[FS_F_PKT_SIZE_AVG] = ratio((double)all->sum, (double)f->packets + b->packets);
	v[FS_F_FWD_SEG_AVG] = fs_moments_mean(&f->payload);
	v[FS_F_BWD_SEG_AVG] = fs_moments_mean(&b->payload);
}

static void iat_features(const struct fs_unit *u, double *v)
{
	put_stats(&v[FS_F_FLOW_IAT_MEAN], &u->iat);
	v[FS_F_FWD_IAT_TOTAL] = (double)u->dir[FS_DIR_FWD].iat.sum;
	put_stats(&v[FS_F_FWD_IAT_MEAN], &u->dir[FS_DIR_FWD].iat);
	v[FS_F_BWD_IAT_TOTAL] = (double)u->dir[FS_DIR_BWD].iat.sum;
	put_stats(&v[FS_F_BWD_IAT_MEAN], &u->dir[FS_DIR_BWD].iat);
}

static void flag_features(const struct fs_unit *u, double *v)
{
	const struct fs_dir_unit *f = &u->dir[FS_DIR_FWD], *b = &u->dir[FS_DIR_BWD];
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

static void bulk_features(const struct fs_dir_unit *d, int compat, double *v)
{
	v[0] = divide((double)d->bulk_bytes, d->bulks, compat);
	v[1] = divide((double)d->bulk_packets, d->bulks, compat);
	v[2] = divide((double)d->bulk_bytes, d->bulk_duration / 1e6, compat);
}

static void rate_features(const struct fs_unit *u, double *v)
{
	const struct fs_dir_unit *f = &u->dir[FS_DIR_FWD], *b = &u->dir[FS_DIR_BWD];
	__u64 d = fs_unit_duration_us(u);

	v[FS_F_DURATION] = (double)d;
	v[FS_F_FWD_PKTS] = f->packets;
	v[FS_F_BWD_PKTS] = b->packets;
	v[FS_F_FLOW_BYTES_PER_S] = per_second((double)f->payload.sum + (double)b->payload.sum, d);
	v[FS_F_FLOW_PKTS_PER_S] = per_second((double)f->packets + b->packets, d);
	v[FS_F_FWD_PKTS_PER_S] = per_second(f->packets, d);
	v[FS_F_BWD_PKTS_PER_S] = per_second(b->packets, d);
	v[FS_F_FWD_HEADER] = (double)f->header_bytes;
	v[FS_F_BWD_HEADER] = (double)b->header_bytes;
	v[FS_F_FWD_HEADER_MIN] = f->packets ? f->header_min : 0;
}

static void cic_misc_features(const struct fs_unit *u, int compat, double *v)
{
	const struct fs_dir_unit *f = &u->dir[FS_DIR_FWD], *b = &u->dir[FS_DIR_BWD];
	double subflows = (double)u->subflows;

	v[FS_F_DOWN_UP_RATIO] = divide(b->packets, f->packets, compat);
	bulk_features(f, compat, &v[FS_F_FWD_BULK_BYTES]);
	bulk_features(b, compat, &v[FS_F_BWD_BULK_BYTES]);
	v[FS_F_SUBFLOW_FWD_PKTS] = divide(f->packets, subflows, compat);
	v[FS_F_SUBFLOW_FWD_BYTES] = divide((double)f->payload.sum, subflows, compat);
	v[FS_F_SUBFLOW_BWD_PKTS] = divide(b->packets, subflows, compat);
	v[FS_F_SUBFLOW_BWD_BYTES] = divide((double)b->payload.sum, subflows, compat);
	v[FS_F_FWD_INIT_WIN] = f->has_init_win ? f->init_win : 0;
	v[FS_F_BWD_INIT_WIN] = b->has_init_win ? b->init_win : 0;
	v[FS_F_FWD_DATA_PKTS] = f->data_packets;
	put_stats(&v[FS_F_ACTIVE_MEAN], &u->active);
	put_stats(&v[FS_F_IDLE_MEAN], &u->idle);
}

static void frame_features(const struct fs_dir_unit *d, double *v)
{
	v[0] = d->packets ? d->frame.min : 0;
	v[1] = d->packets ? d->frame.max : 0;
	v[2] = fs_moments_mean(&d->frame);
	v[3] = fs_moments_std(&d->frame);
}

static void shape_features(const struct fs_unit *u, double *v)
{
	const struct fs_dir_unit *f = &u->dir[FS_DIR_FWD], *b = &u->dir[FS_DIR_BWD];
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
	v[FS_F_SUBFLOWS] = (double)u->subflows;
	v[FS_F_BURSTS] = (double)u->bursts;
	v[FS_F_BURST_MAX_BYTES] = (double)u->burst_max;
	/* Each flow's bursts are separated by one gap fewer than it has bursts. */
	v[FS_F_BURST_GAP_MEAN] = ratio((double)u->burst_gap_sum, (double)u->bursts - u->flows);
	v[FS_F_UDP_IAT_CV] = u->proto == FS_IPPROTO_UDP
				     ? ratio(v[FS_F_FLOW_IAT_STD], v[FS_F_FLOW_IAT_MEAN])
				     : 0.0;
	v[FS_F_FWD_PACED_SHARE] = ratio((double)f->paced_gaps, (double)f->iat.n);
	v[FS_F_BWD_PACED_SHARE] = ratio((double)b->paced_gaps, (double)b->iat.n);
	v[FS_F_CHUNKS] = (double)u->chunks;
	v[FS_F_CHUNK_BYTES_SHARE] = ratio((double)u->chunk_bytes, (double)f->bytes + b->bytes);
	v[FS_F_CHUNK_PERIOD_MEAN] = fs_moments_mean(&u->chunk_period);
	v[FS_F_CHUNK_PERIOD_CV] =
		ratio(fs_moments_std(&u->chunk_period), v[FS_F_CHUNK_PERIOD_MEAN]);
}

/* payload_shape_features() walks the list's order: shape by shape, share then share16. */
_Static_assert(FS_F_FWD_SHAPE16_RTP == FS_F_FWD_SHAPE_RTP + 1 &&
		       FS_F_FWD_SHAPE_TLS == FS_F_FWD_SHAPE_RTP + 2 * FS_SHAPE_TLS &&
		       FS_F_BWD_SHAPE_TLS == FS_F_BWD_SHAPE_RTP + 2 * FS_SHAPE_TLS,
	       "shape features out of enum fs_shape's order");

static void payload_shape_features(const struct fs_dir_unit *d, double *share, double *share16)
{
	int i;

	/* Features alternate: a shape's share over the flow, then its first 16's. */
	for (i = 0; i < FS_SHAPES; i++) {
		share[2 * i] = ratio((double)d->shape[i], (double)d->packets);
		share16[2 * i] = ratio((double)d->shape_early[i], (double)d->early_packets);
	}
}

/* The first seed's: uplink is forward (client to server), volumes are frames. */
static void pair_features(const struct fs_unit *u, double *v)
{
	const struct fs_dir_unit *up = &u->dir[FS_DIR_FWD], *down = &u->dir[FS_DIR_BWD];
	double secs = (double)fs_unit_duration_us(u) / 1e6;
	double packets = (double)up->packets + down->packets;
	double volume = (double)up->frame.sum + (double)down->frame.sum;

	v[FS_F_FLOWS] = (double)u->flows;
	v[FS_F_SERVER_PORT] = u->dst_port;
	v[FS_F_SESSION_TIME] = secs;
	v[FS_F_TCP_SHARE] = percent((double)u->tcp_packets, packets);
	v[FS_F_UDP_SHARE] = percent((double)u->udp_packets, packets);
	v[FS_F_UL_VOLUME] = (double)up->frame.sum;
	put_max_min_mean_std(&v[FS_F_UL_MAX], &up->frame);
	v[FS_F_UL_VOLUME_SHARE] = percent((double)up->frame.sum, volume);
	v[FS_F_DL_VOLUME] = (double)down->frame.sum;
	put_max_min_mean_std(&v[FS_F_DL_MAX], &down->frame);
	v[FS_F_DL_VOLUME_SHARE] = percent((double)down->frame.sum, volume);
	v[FS_F_UL_PACKETS] = up->packets;
	v[FS_F_DL_PACKETS] = down->packets;
	v[FS_F_UL_PACKET_SHARE] = percent(up->packets, packets);
	v[FS_F_DL_PACKET_SHARE] = percent(down->packets, packets);
	v[FS_F_KB_PER_S] = ratio(volume / 1000, secs);
	v[FS_F_PACKETS_PER_S] = ratio(packets, secs);
}

static __u32 seq_iat_decode(__u16 code)
{
	return code & 0x8000 ? (__u32)(code & 0x7fff) << 10 : code;
}

static void seq_features(const struct fs_unit *u, double *v)
{
	unsigned int i;

	for (i = 0; i < FS_SEQ_LEN; i++) {
		double *len = &v[FS_F_SEQ_LEN_1 + 2 * i], *iat = len + 1;

		if (i >= u->seq_len) {
			*len = *iat = 0;
			continue;
		}
		*len = u->seq_dirs & (1u << i) ? -(double)u->seq[i].len : u->seq[i].len;
		*iat = seq_iat_decode(u->seq[i].iat_code);
	}
}

void fs_features_compute(const struct fs_unit *u, struct fs_feature_vec *out)
{
	double *v = out->v;

	memset(out, 0, sizeof(*out));
	rate_features(u, v);
	payload_features(u, v);
	iat_features(u, v);
	flag_features(u, v);
	cic_misc_features(u, u->cic_compat, v);
	shape_features(u, v);
	pair_features(u, v);
	payload_shape_features(&u->dir[FS_DIR_FWD], &v[FS_F_FWD_SHAPE_RTP],
			       &v[FS_F_FWD_SHAPE16_RTP]);
	payload_shape_features(&u->dir[FS_DIR_BWD], &v[FS_F_BWD_SHAPE_RTP],
			       &v[FS_F_BWD_SHAPE16_RTP]);
	seq_features(u, v);
}
