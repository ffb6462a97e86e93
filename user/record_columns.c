// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdio.h>

#include "record_columns.h"
#include "util.h"

static const char *const end_reason_names[FS_END_MAX] = {
	[FS_END_NONE] = "none",
	[FS_END_IDLE] = "idle_timeout",
	[FS_END_ACTIVE] = "active_timeout",
	[FS_END_FIN] = "tcp_fin",
	[FS_END_RST] = "tcp_rst",
	[FS_END_INPUT] = "end_of_input",
};

const char *fs_end_reason_name(__u8 reason)
{
	return reason < FS_END_MAX ? end_reason_names[reason] : "unknown";
}

static void set_uint(struct fs_value *v, __u64 x)
{
	v->kind = FS_VAL_UINT;
	v->uint = x;
}

static void set_real(struct fs_value *v, double x)
{
	v->kind = FS_VAL_REAL;
	v->real = x;
}

static const struct fs_dir_stats *dir_of(const struct fs_record *r, int dir)
{
	return &r->stats.dir[dir];
}

/* The forward side (source of the first packet) is src. */
static int src_is_lo(const struct fs_record *r)
{
	return r->stats.fwd_is_lo;
}

/*
 * flow_id: a hash of the key and the start time, so the same flow gets the
 * same id from either engine and from every run.
 */
static void get_flow_id(const struct fs_record *r, int dir, struct fs_value *v)
{
	const __u8 *p = (const __u8 *)&r->key;
	__u64 h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < sizeof(r->key); i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	for (i = 0; i < 8; i++)
		h = (h ^ ((r->stats.first_ts >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
	v->kind = FS_VAL_TEXT;
	snprintf(v->text, sizeof(v->text), "%016llx", (unsigned long long)h);
}

static void get_src_ip(const struct fs_record *r, int dir, struct fs_value *v)
{
	v->kind = FS_VAL_TEXT;
	fs_format_addr(v->text, sizeof(v->text), src_is_lo(r) ? r->key.lo_addr : r->key.hi_addr);
}

static void get_dst_ip(const struct fs_record *r, int dir, struct fs_value *v)
{
	v->kind = FS_VAL_TEXT;
	fs_format_addr(v->text, sizeof(v->text), src_is_lo(r) ? r->key.hi_addr : r->key.lo_addr);
}

static void get_src_port(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, src_is_lo(r) ? r->key.lo_port : r->key.hi_port);
}

static void get_dst_port(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, src_is_lo(r) ? r->key.hi_port : r->key.lo_port);
}

static void get_proto(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, r->key.proto);
}

static void get_vlan_id(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, r->key.vlan_id);
}

static void get_first_seen(const struct fs_record *r, int dir, struct fs_value *v)
{
	v->kind = FS_VAL_TEXT;
	fs_format_time(v->text, sizeof(v->text), r->stats.first_ts);
}

static void get_last_seen(const struct fs_record *r, int dir, struct fs_value *v)
{
	v->kind = FS_VAL_TEXT;
	fs_format_time(v->text, sizeof(v->text), r->stats.last_ts);
}

static void get_duration_us(const struct fs_record *r, int dir, struct fs_value *v)
{
	__u64 d = r->stats.last_ts > r->stats.first_ts ? r->stats.last_ts - r->stats.first_ts : 0;

	set_uint(v, d / 1000);
}

static void get_end_reason(const struct fs_record *r, int dir, struct fs_value *v)
{
	v->kind = FS_VAL_TEXT;
	snprintf(v->text, sizeof(v->text), "%s", fs_end_reason_name(r->reason));
}

/* "+74@0 -66@1203": direction (+ forward), IP length, us since the previous packet. */
static void get_first_packets(const struct fs_record *r, int dir, struct fs_value *v)
{
	size_t n = 0;
	unsigned int i;

	v->kind = FS_VAL_TEXT;
	v->text[0] = '\0';
	for (i = 0; i < r->stats.seq_len && i < FS_SEQ_LEN; i++) {
		const struct fs_seq_entry *e = &r->stats.seq[i];

		n += snprintf(v->text + n, sizeof(v->text) - n, "%s%c%u@%u", i ? " " : "",
			      e->dir == FS_DIR_FWD ? '+' : '-', e->len, e->iat_us);
	}
}

static void get_packets(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->packets);
}

static void get_bytes(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->bytes);
}

static void get_payload_bytes(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->payload_bytes);
}

static void get_header_bytes(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->header_bytes);
}

static void get_len_min(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->len_min);
}

static void get_len_max(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->len_max);
}

static double mean(__u64 sum, __u64 n)
{
	return n ? (double)sum / (double)n : 0.0;
}

/* Sample standard deviation (n - 1), as CICFlowMeter reports. */
static double sample_std(__u64 sum, __u64 sumsq, __u64 n)
{
	double var;

	if (n < 2)
		return 0.0;
	var = ((double)sumsq - (double)sum * (double)sum / (double)n) / (double)(n - 1);
	return var > 0 ? sqrt(var) : 0.0;
}

static void get_len_mean(const struct fs_record *r, int dir, struct fs_value *v)
{
	const struct fs_dir_stats *d = dir_of(r, dir);

	set_real(v, mean(d->len_sum, d->packets));
}

static void get_len_std(const struct fs_record *r, int dir, struct fs_value *v)
{
	const struct fs_dir_stats *d = dir_of(r, dir);

	set_real(v, sample_std(d->len_sum, d->len_sumsq, d->packets));
}

/* n packets make n - 1 inter-arrival times. */
static __u64 iat_count(const struct fs_dir_stats *d)
{
	return d->packets ? d->packets - 1 : 0;
}

static void get_iat_min(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->iat_min);
}

static void get_iat_max(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->iat_max);
}

static void get_iat_mean(const struct fs_record *r, int dir, struct fs_value *v)
{
	const struct fs_dir_stats *d = dir_of(r, dir);

	set_real(v, mean(d->iat_sum, iat_count(d)));
}

static void get_iat_std(const struct fs_record *r, int dir, struct fs_value *v)
{
	const struct fs_dir_stats *d = dir_of(r, dir);

	set_real(v, sample_std(d->iat_sum, d->iat_sumsq, iat_count(d)));
}

static void get_init_win(const struct fs_record *r, int dir, struct fs_value *v)
{
	set_uint(v, dir_of(r, dir)->init_win);
}

#define FLAG_GETTER(flag, bit)                                                                     \
	static void get_##flag(const struct fs_record *r, int dir, struct fs_value *v)             \
	{                                                                                          \
		set_uint(v, dir_of(r, dir)->tcp_flag_count[bit]);                                  \
	}
FLAG_GETTER(fin, 0)
FLAG_GETTER(syn, 1)
FLAG_GETTER(rst, 2)
FLAG_GETTER(psh, 3)
FLAG_GETTER(ack, 4)
FLAG_GETTER(urg, 5)
FLAG_GETTER(ece, 6)
FLAG_GETTER(cwr, 7)

#define FLOW(name)                                                                                 \
	{                                                                                          \
#name, -1, get_##name                                                              \
	}
#define BOTH(name, getter)                                                                         \
	{"fwd_" name, FS_DIR_FWD, getter},                                                         \
	{                                                                                          \
		"bwd_" name, FS_DIR_BWD, getter                                                    \
	}

const struct fs_column fs_columns[] = {
	FLOW(flow_id),
	FLOW(src_ip),
	FLOW(src_port),
	FLOW(dst_ip),
	FLOW(dst_port),
	FLOW(proto),
	FLOW(vlan_id),
	FLOW(first_seen),
	FLOW(last_seen),
	FLOW(duration_us),
	BOTH("packets", get_packets),
	BOTH("bytes", get_bytes),
	FLOW(end_reason),
	BOTH("payload_bytes", get_payload_bytes),
	BOTH("header_bytes", get_header_bytes),
	BOTH("len_min", get_len_min),
	BOTH("len_max", get_len_max),
	BOTH("len_mean", get_len_mean),
	BOTH("len_std", get_len_std),
	BOTH("iat_min_us", get_iat_min),
	BOTH("iat_max_us", get_iat_max),
	BOTH("iat_mean_us", get_iat_mean),
	BOTH("iat_std_us", get_iat_std),
	BOTH("fin", get_fin),
	BOTH("syn", get_syn),
	BOTH("rst", get_rst),
	BOTH("psh", get_psh),
	BOTH("ack", get_ack),
	BOTH("urg", get_urg),
	BOTH("ece", get_ece),
	BOTH("cwr", get_cwr),
	BOTH("init_win", get_init_win),
	FLOW(first_packets),
};

const unsigned int fs_ncolumns = FS_ARRAY_SIZE(fs_columns);
