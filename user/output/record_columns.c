// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify/classify.h"
#include "classify/hosts.h"
#include "output/record_columns.h"
#include "common/util.h"
#include "kernel_model_walk.h"

static void set_uint(struct fs_value *v, __u64 x)
{
	v->kind = FS_VAL_UINT;
	v->uint = x;
}

static void set_text(struct fs_value *v, const char *s)
{
	size_t n = strnlen(s, sizeof(v->text) - 1);

	v->kind = FS_VAL_TEXT;
	memcpy(v->text, s, n);
	v->text[n] = '\0';
}

__u64 fs_unit_flow_id(const struct fs_unit *u)
{
	__u8 id[16 + 16 + 2 + 2 + 2 + 1 + 8];
	__u8 *p = id;

	memcpy(p, u->src_addr, 16);
	memcpy(p + 16, u->dst_addr, 16);
	memcpy(p + 32, &u->src_port, 2);
	memcpy(p + 34, &u->dst_port, 2);
	memcpy(p + 36, &u->vlan_id, 2);
	p[38] = u->proto;
	memcpy(p + 39, &u->first_ts, 8);
	return fs_fnv1a(id, sizeof(id));
}

static void get_flow_id(const struct fs_row *row, struct fs_value *v)
{
	__u64 id = fs_unit_flow_id(row->unit);
	int i;

	v->kind = FS_VAL_TEXT;
	for (i = 15; i >= 0; i--, id >>= 4) /* "%016llx" */
		v->text[i] = "0123456789abcdef"[id & 15];
	v->text[16] = '\0';
}

static void get_src_ip(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	v->kind = FS_VAL_TEXT;
	fs_format_addr(v->text, sizeof(v->text), u->src_addr);
}

static void get_dst_ip(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	v->kind = FS_VAL_TEXT;
	fs_format_addr(v->text, sizeof(v->text), u->dst_addr);
}

static void get_src_port(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	set_uint(v, u->src_port);
}

static void get_dst_port(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	set_uint(v, u->dst_port);
}

static void get_proto(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	set_uint(v, u->proto);
}

static void get_vlan_id(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	set_uint(v, u->vlan_id);
}

static void get_first_seen(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	v->kind = FS_VAL_TEXT;
	fs_format_time(v->text, sizeof(v->text), u->first_ts);
}

static void get_last_seen(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	v->kind = FS_VAL_TEXT;
	fs_format_time(v->text, sizeof(v->text), u->last_ts);
}

static void get_end_reason(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;

	set_text(v, fs_end_reason_name(u->reason));
}

/* CICFlowMeter's Flow ID: source-destination-sport-dport-protocol. */
static void get_cic_flow_id(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;
	char src[64], dst[64];

	fs_format_addr(src, sizeof(src), u->src_addr);
	fs_format_addr(dst, sizeof(dst), u->dst_addr);
	v->kind = FS_VAL_TEXT;
	snprintf(v->text, sizeof(v->text), "%s-%s-%u-%u-%u", src, dst, u->src_port, u->dst_port,
		 u->proto);
}

/* CICFlowMeter's Timestamp: "dd/MM/yyyy hh:mm:ss AM", UTC. */
static void get_cic_timestamp(const struct fs_row *row, struct fs_value *v)
{
	const struct fs_unit *u = row->unit;
	time_t secs = (time_t)(u->first_ts / 1000000000ULL);
	struct tm tm;

	gmtime_r(&secs, &tm);
	v->kind = FS_VAL_TEXT;
	strftime(v->text, sizeof(v->text), "%d/%m/%Y %I:%M:%S %p", &tm);
}

/* The class a record shows (fs_verdict_shown_name); NULL if none. */
static const char *shown_class(const struct fs_row *row)
{
	return row->verdict ? fs_verdict_shown_name(row->model, row->verdict) : NULL;
}

/* The class the model says, or what CICFlowMeter writes without one. */
static void get_cic_label(const struct fs_row *row, struct fs_value *v)
{
	const char *c = shown_class(row);

	set_text(v, c ? c : "NeedManualLabel");
}

static void get_class(const struct fs_row *row, struct fs_value *v)
{
	const char *c = shown_class(row);

	set_text(v, c ? c : "");
}

static void get_confidence(const struct fs_row *row, struct fs_value *v)
{
	v->kind = FS_VAL_REAL;
	v->real = row->verdict->confidence;
}

static void get_cluster(const struct fs_row *row, struct fs_value *v)
{
	v->kind = FS_VAL_TEXT;
	snprintf(v->text, sizeof(v->text), "%d", row->verdict->cluster);
}

static void get_kmeans_class(const struct fs_row *row, struct fs_value *v)
{
	int c = row->verdict->kmeans_class;

	set_text(v, c >= 0 ? row->model->classes[c] : "");
}

/* What the flow's host was doing (classify/hosts.h): empty without an MLP. */
static void get_host_class(const struct fs_row *row, struct fs_value *v)
{
	int c = row->host ? row->host->cls : -1;

	set_text(v, c >= 0 ? row->model->classes[c] : "");
}

static void get_host_score(const struct fs_row *row, struct fs_value *v)
{
	v->kind = FS_VAL_REAL;
	v->real = row->host && row->host->cls >= 0 ? row->host->score : 0;
}

const char *fs_row_kernel_class(const struct fs_row *row)
{
	__u8 k = row->unit->flows == 1 ? row->unit->verdict : FS_KM_NO_VERDICT;

	if (k == FS_KM_UNDECIDED)
		return FS_UNKNOWN_CLASS;
	if (k == FS_KM_NO_VERDICT || k > row->model->nclasses)
		return "";
	return row->model->classes[k - 1];
}

static void get_kernel_class(const struct fs_row *row, struct fs_value *v)
{
	set_text(v, fs_row_kernel_class(row));
}

/* The packet that gave kernel_class: the checkpoint, or a later one; empty with no class. */
static void get_kernel_class_at(const struct fs_row *row, struct fs_value *v)
{
	struct fs_flow_stats st = {.km_round = row->unit->km_round};

	if (!*fs_row_kernel_class(row)) {
		set_text(v, "");
		return;
	}
	set_uint(v, fs_km_decided_at(&row->model->kernel.cfg, &st));
}

#define IDENT(name, fn)                                                                            \
	{                                                                                          \
		name, fn, -1, false                                                                \
	}
/* What the host was doing up to this record: depends on the records before it. */
#define HOST_IDENT(name, fn)                                                                       \
	{                                                                                          \
		name, fn, -1, true                                                                 \
	}

static const struct fs_column ident_columns[] = {
	IDENT("flow_id", get_flow_id),	   IDENT("src_ip", get_src_ip),
	IDENT("src_port", get_src_port),   IDENT("dst_ip", get_dst_ip),
	IDENT("dst_port", get_dst_port),   IDENT("proto", get_proto),
	IDENT("vlan_id", get_vlan_id),	   IDENT("first_seen", get_first_seen),
	IDENT("last_seen", get_last_seen), IDENT("end_reason", get_end_reason),
};

static const struct fs_column cic_ident_columns[] = {
	IDENT("Flow ID", get_cic_flow_id),     IDENT("Src IP", get_src_ip),
	IDENT("Src Port", get_src_port),       IDENT("Dst IP", get_dst_ip),
	IDENT("Dst Port", get_dst_port),       IDENT("Protocol", get_proto),
	IDENT("Timestamp", get_cic_timestamp),
};

static const struct fs_column cic_label_column = IDENT("Label", get_cic_label);

/* With a model that has a kernel model, after the class columns. */
static const struct fs_column kernel_columns[] = {
	IDENT("kernel_class", get_kernel_class),
	IDENT("kernel_class_at", get_kernel_class_at),
};

/* With a model: what it says of each record. */
static const struct fs_column class_columns[] = {
	IDENT("class", get_class),
	IDENT("confidence", get_confidence),
	IDENT("cluster", get_cluster),
	IDENT("kmeans_class", get_kmeans_class),
	HOST_IDENT("host_class", get_host_class),
	HOST_IDENT("host_score", get_host_score),
};

/*
 * The second seed's model inputs: its scapy flow meter's CICFlowMeter
 * features, minus the columns it deleted, in its order, under their
 * CIC-IDS2017 names (fs_feature_cic2017_name), but for three its
 * preprocessing renamed.
 */
static const int deepmad_features[] = {
	FS_F_SERVER_PORT,
	FS_F_DURATION,
	FS_F_FWD_PKTS,
	FS_F_BWD_PKTS,
	FS_F_FWD_PAYLOAD,
	FS_F_FWD_PAYLOAD_MIN,
	FS_F_FWD_PAYLOAD_MAX,
	FS_F_FWD_PAYLOAD_MEAN,
	FS_F_FWD_PAYLOAD_STD,
	FS_F_BWD_PAYLOAD_MIN,
	FS_F_BWD_PAYLOAD_MAX,
	FS_F_BWD_PAYLOAD_STD,
	FS_F_FLOW_BYTES_PER_S,
	FS_F_FLOW_PKTS_PER_S,
	FS_F_FLOW_IAT_MEAN,
	FS_F_FLOW_IAT_STD,
	FS_F_FLOW_IAT_MAX,
	FS_F_FLOW_IAT_MIN,
	FS_F_FWD_IAT_TOTAL,
	FS_F_FWD_IAT_MEAN,
	FS_F_FWD_IAT_STD,
	FS_F_FWD_IAT_MAX,
	FS_F_FWD_IAT_MIN,
	FS_F_BWD_IAT_TOTAL,
	FS_F_BWD_IAT_MAX,
	FS_F_FWD_PSH,
	FS_F_FWD_HEADER,
	FS_F_FWD_PKTS_PER_S,
	FS_F_BWD_PKTS_PER_S,
	FS_F_PAYLOAD_MIN,
	FS_F_PAYLOAD_MAX,
	FS_F_PAYLOAD_MEAN,
	FS_F_PAYLOAD_STD,
	FS_F_PAYLOAD_VAR,
	FS_F_FIN,
	FS_F_SYN,
	FS_F_RST,
	FS_F_PSH,
	FS_F_ACK,
	FS_F_URG,
	FS_F_PKT_SIZE_AVG,
	FS_F_FWD_SEG_AVG,
	FS_F_BWD_SEG_AVG,
	FS_F_SUBFLOW_FWD_PKTS,
	FS_F_SUBFLOW_FWD_BYTES,
	FS_F_SUBFLOW_BWD_PKTS,
	FS_F_SUBFLOW_BWD_BYTES,
	FS_F_FWD_INIT_WIN,
	FS_F_BWD_INIT_WIN,
	FS_F_FWD_DATA_PKTS,
	FS_F_FWD_HEADER_MIN,
	FS_F_IDLE_MEAN,
	FS_F_IDLE_STD,
	FS_F_IDLE_MAX,
	FS_F_IDLE_MIN,
};

static const struct {
	int feature;
	const char *name;
} deepmad_renamed[] = {
	{FS_F_DURATION, "Duration"},
	{FS_F_PAYLOAD_MEAN, "Mean Packet Length"},
	{FS_F_FWD_HEADER_MIN, "Min Header size_forward"},
};

static const char *deepmad_name(int feature)
{
	unsigned int i;

	for (i = 0; i < FS_ARRAY_SIZE(deepmad_renamed); i++)
		if (deepmad_renamed[i].feature == feature)
			return deepmad_renamed[i].name;
	return fs_feature_cic2017_name(feature);
}

static void add(struct fs_schema *s, const struct fs_column *c)
{
	if (c->in_order) {
		/* They are adjacent (class_columns): one span. */
		if (s->in_order_from == s->in_order_to)
			s->in_order_from = s->n;
		s->in_order_to = s->n + 1;
	}
	s->cols[s->n++] = *c;
}

static void add_feature(struct fs_schema *s, const char *name, int feature)
{
	struct fs_column c = {name, NULL, feature, false};

	add(s, &c);
}

int fs_schema_init(struct fs_schema *s, enum fs_feature_set set, const struct fs_model *model)
{
	unsigned int i,
		max = FS_ARRAY_SIZE(ident_columns) + FS_ARRAY_SIZE(class_columns) + FS_F_MAX + 3;

	s->n = 0;
	s->in_order_from = s->in_order_to = 0;
	s->model = model;
	s->cols = calloc(max, sizeof(*s->cols));
	if (!s->cols)
		return -1;
	switch (set) {
	case FS_SET_CIC:
		for (i = 0; i < FS_ARRAY_SIZE(cic_ident_columns); i++)
			add(s, &cic_ident_columns[i]);
		for (i = 0; i < FS_F_MAX; i++) {
			if (fs_feature_defs[i].cic_name)
				add_feature(s, fs_feature_defs[i].cic_name, (int)i);
		}
		add(s, &cic_label_column);
		break;
	case FS_SET_DEEPMAD:
		for (i = 0; i < FS_ARRAY_SIZE(deepmad_features); i++)
			add_feature(s, deepmad_name(deepmad_features[i]), deepmad_features[i]);
		break;
	default:
		for (i = 0; i < FS_ARRAY_SIZE(ident_columns); i++)
			add(s, &ident_columns[i]);
		for (i = 0; model && i < FS_ARRAY_SIZE(class_columns); i++)
			add(s, &class_columns[i]);
		for (i = 0;
		     model && model->kernel.cfg.checkpoint && i < FS_ARRAY_SIZE(kernel_columns);
		     i++)
			add(s, &kernel_columns[i]);
		for (i = 0; i < FS_F_MAX; i++)
			add_feature(s, fs_feature_defs[i].name, (int)i);
		break;
	}
	return 0;
}

void fs_schema_free(struct fs_schema *s)
{
	free(s->cols);
	s->cols = NULL;
	s->n = 0;
}

void fs_schema_value(const struct fs_schema *s, unsigned int i, const struct fs_row *row,
		     struct fs_value *v)
{
	const struct fs_column *c = &s->cols[i];
	const struct fs_feature_vec *f = row->features;

	if (c->get) {
		c->get(row, v);
		return;
	}
	if (fs_feature_defs[c->feature].kind == FS_FEAT_COUNT) {
		set_uint(v, (__u64)f->v[c->feature]);
		return;
	}
	v->kind = FS_VAL_REAL;
	v->real = f->v[c->feature];
}
