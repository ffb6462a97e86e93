// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "train/activity.h"
#include "train/flow_labels.h"
#include "classify/model.h"
#include "train/training_set.h"
#include "common/util.h"

/* Units as a replay hands them over. */
struct unit_list {
	struct fs_unit *units;
	size_t n, cap;
};

static int collect(void *ctx, const struct fs_unit *u)
{
	struct unit_list *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct fs_unit *units = realloc(l->units, cap * sizeof(*units));

		if (!units)
			return -1;
		l->units = units;
		l->cap = cap;
	}
	l->units[l->n++] = *u;
	return 0;
}

/* *p resized to bytes; 0, or -1 leaving it as it was. */
static int resize(void *p, size_t bytes)
{
	void *q = realloc(*(void **)p, bytes);

	if (!q)
		return -1;
	*(void **)p = q;
	return 0;
}

/* The capacity for need rows, doubling from cap (at least 1024). */
static size_t grown(size_t cap, size_t need)
{
	size_t c = cap ? cap : 1024;

	while (c < need)
		c *= 2;
	return c;
}

int fs_training_set_reserve(struct fs_training_set *ts, size_t more, size_t *cap)
{
	size_t c = grown(*cap, ts->n + more);

	if (ts->n + more <= *cap)
		return 0;
	if (resize(&ts->x, c * ts->dim * sizeof(double)) < 0 ||
	    resize(&ts->label, c * sizeof(int)) < 0 || resize(&ts->group, c * sizeof(int)) < 0 ||
	    resize(&ts->bytes, c * sizeof(double)) < 0 || resize(&ts->role, c) < 0 ||
	    resize(&ts->span, c * sizeof(*ts->span)) < 0)
		return -1;
	*cap = c;
	return 0;
}

static void feature_row(const struct fs_training_set *ts, const struct fs_unit *u, double *row)
{
	struct fs_feature_vec f;
	unsigned int j;

	fs_features_compute(u, &f);
	for (j = 0; j < ts->dim; j++)
		row[j] = f.v[ts->features[j]];
}

/* The class a per-flow label gives a flow of role, in a capture of capture_class. */
static int class_of_label(const struct fs_manifest *m, const struct fs_labelling *lab,
			  enum fs_flow_role role, const char *label, int capture_class)
{
	switch (role) {
	case FS_FLOW_BACKGROUND:
		return lab->background;
	case FS_FLOW_UNLABELLED:
		return -1;
	default:
		if (!*label)
			return role == FS_FLOW_ACTIVITY ? capture_class : -1;
		if (strcmp(label, FS_BACKGROUND_CLASS) == 0)
			return lab->background;
		return fs_manifest_class(m, label);
	}
}

/*
 * Role and label of each flow of manifest entry e: from the per-flow labels
 * where they cover the capture, else by the byte-share rule (activity.h).
 * Rows from row on.
 */
static void label_flows(struct fs_training_set *ts, size_t row, const struct unit_list *c,
			const struct fs_manifest *m, size_t e, const struct fs_labelling *lab)
{
	const struct fs_manifest_entry *entry = &m->entries[e];
	enum fs_flow_role role;
	const char *label;
	size_t i;

	if (!lab->flow_labels || !fs_flow_labels_has_capture(lab->flow_labels, entry->name)) {
		fs_flow_roles(c->units, c->n, ts->role + row);
		for (i = 0; i < c->n; i++)
			ts->label[row + i] =
				class_of_label(m, lab, ts->role[row + i], "", entry->label);
		return;
	}
	for (i = 0; i < c->n; i++) {
		if (!fs_flow_labels_find(lab->flow_labels, entry->name, &c->units[i], &role,
					 &label)) {
			role = FS_FLOW_UNLABELLED;
			label = "";
			ts->unmatched++;
		}
		ts->role[row + i] = role;
		ts->label[row + i] = class_of_label(m, lab, role, label, entry->label);
	}
}

static int add_capture(struct fs_training_set *ts, const struct unit_list *c,
		       const struct fs_manifest *m, size_t e, const struct fs_labelling *lab,
		       size_t *cap)
{
	size_t i;

	if (fs_training_set_reserve(ts, c->n, cap) < 0)
		return -1;
	label_flows(ts, ts->n, c, m, e, lab);
	for (i = 0; i < c->n; i++) {
		const struct fs_unit *u = &c->units[i];

		feature_row(ts, u, ts->x + ts->n * ts->dim);
		ts->group[ts->n] = (int)e;
		ts->bytes[ts->n] = (double)(u->dir[0].bytes + u->dir[1].bytes);
		ts->span[ts->n] = (struct fs_span){u->first_ts, u->last_ts};
		ts->n++;
	}
	return 0;
}

/* A flow's identity (its endpoints and first packet's time), and its row. */
struct flow_ref {
	__u8 src_addr[16];
	__u8 dst_addr[16];
	__u16 src_port, dst_port, vlan_id;
	__u8 proto;
	__u64 first_ts;
	size_t row;
};

static void flow_ref_set(struct flow_ref *r, const struct fs_unit *u, size_t row)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->src_addr, u->src_addr, sizeof(r->src_addr));
	memcpy(r->dst_addr, u->dst_addr, sizeof(r->dst_addr));
	r->src_port = u->src_port;
	r->dst_port = u->dst_port;
	r->vlan_id = u->vlan_id;
	r->proto = u->proto;
	r->first_ts = u->first_ts;
	r->row = row;
}

/* Everything but the row; the padding is zeroed by flow_ref_set. */
static int flow_ref_cmp(const void *a, const void *b)
{
	return memcmp(a, b, offsetof(struct flow_ref, row));
}

static int room_for_snapshots(struct fs_training_set *ts, size_t more, size_t *cap)
{
	size_t c = grown(*cap, ts->nsnap + more);

	if (ts->nsnap + more <= *cap)
		return 0;
	if (resize(&ts->snap_x, c * ts->dim * sizeof(double)) < 0 ||
	    resize(&ts->snap_row, c * sizeof(size_t)) < 0 ||
	    resize(&ts->snap_packets, c * sizeof(__u32)) < 0 ||
	    resize(&ts->snap_km_in, c * FS_KM_INPUTS * sizeof(__u32)) < 0)
		return -1;
	*cap = c;
	return 0;
}

/* The capture's snapshots, each tied to the row of its flow (from first_row on). */
static int add_snapshots(struct fs_training_set *ts, const struct unit_list *flows,
			 const struct unit_list *snaps, size_t first_row, size_t *cap)
{
	struct flow_ref *refs = malloc((flows->n ? flows->n : 1) * sizeof(*refs)), key;
	size_t i;

	if (!refs || room_for_snapshots(ts, snaps->n, cap) < 0) {
		free(refs);
		return -1;
	}
	for (i = 0; i < flows->n; i++)
		flow_ref_set(&refs[i], &flows->units[i], first_row + i);
	qsort(refs, flows->n, sizeof(*refs), flow_ref_cmp);
	for (i = 0; i < snaps->n; i++) {
		const struct fs_unit *s = &snaps->units[i];
		__u64 packets = s->dir[0].packets + s->dir[1].packets;
		const struct flow_ref *f;

		flow_ref_set(&key, s, 0);
		f = bsearch(&key, refs, flows->n, sizeof(*refs), flow_ref_cmp);
		if (!f)
			continue; /* its flow was lost to a full table */
		feature_row(ts, s, ts->snap_x + ts->nsnap * ts->dim);
		ts->snap_row[ts->nsnap] = f->row;
		ts->snap_packets[ts->nsnap] = (__u32)packets;
		memcpy(ts->snap_km_in + ts->nsnap * FS_KM_INPUTS, s->km_in, sizeof(s->km_in));
		ts->nsnap++;
	}
	free(refs);
	return 0;
}

int fs_training_set_build(struct fs_training_set *ts, const struct fs_manifest *m,
			  const int *features, unsigned int dim, const struct fs_replay_job *job,
			  bool snapshots, const struct fs_labelling *lab)
{
	struct fs_replay_job j = *job;
	struct unit_list c = {0}, snaps = {0};
	size_t i, cap = 0, snap_cap = 0;
	int err = 0;

	memset(ts, 0, sizeof(*ts));
	ts->features = features;
	ts->dim = dim;
	j.sink = collect;
	j.sink_ctx = &c;
	if (snapshots) {
		j.snapshot = collect;
		j.snapshot_ctx = &snaps;
	}
	j.quiet = true;
	for (i = 0; i < m->n && !err; i++) {
		char *path = m->entries[i].path;
		size_t first_row = ts->n;

		c.n = snaps.n = 0;
		err = fs_replay_run(&j, &path, 1);
		if (!err && (add_capture(ts, &c, m, i, lab, &cap) < 0 ||
			     add_snapshots(ts, &c, &snaps, first_row, &snap_cap) < 0))
			err = fs_err("train", "out of memory");
	}
	free(c.units);
	free(snaps.units);
	ts->whole_rows = ts->n;
	if (!err && ts->unmatched)
		fs_warn(lab->flow_labels_path,
			"%zu of %zu flows of labelled captures have no row; not learnt or scored",
			ts->unmatched, ts->n);
	if (err)
		fs_training_set_free(ts);
	return err ? -1 : 0;
}

void fs_training_set_free(struct fs_training_set *ts)
{
	free(ts->x);
	free(ts->label);
	free(ts->group);
	free(ts->bytes);
	free(ts->role);
	free(ts->span);
	free(ts->snap_x);
	free(ts->snap_row);
	free(ts->snap_packets);
	free(ts->snap_km_in);
	memset(ts, 0, sizeof(*ts));
}

int fs_training_set_with_snapshots(struct fs_training_set *out, const struct fs_training_set *ts)
{
	size_t i, cap = 0;

	memset(out, 0, sizeof(*out));
	out->features = ts->features;
	out->dim = ts->dim;
	if (fs_training_set_reserve(out, ts->n + ts->nsnap, &cap) < 0)
		return -1;
	memcpy(out->x, ts->x, ts->n * ts->dim * sizeof(double));
	memcpy(out->label, ts->label, ts->n * sizeof(int));
	memcpy(out->group, ts->group, ts->n * sizeof(int));
	memcpy(out->bytes, ts->bytes, ts->n * sizeof(double));
	memcpy(out->role, ts->role, ts->n);
	memcpy(out->span, ts->span, ts->n * sizeof(*ts->span));
	out->n = out->whole_rows = ts->n;
	for (i = 0; i < ts->nsnap; i++) {
		size_t row = ts->snap_row[i];

		if (ts->label[row] < 0)
			continue;
		memcpy(out->x + out->n * out->dim, ts->snap_x + i * ts->dim,
		       ts->dim * sizeof(double));
		out->label[out->n] = ts->label[row];
		out->group[out->n] = ts->group[row];
		out->bytes[out->n] = ts->bytes[row];
		out->role[out->n] = ts->role[row];
		out->span[out->n] = ts->span[row];
		out->n++;
	}
	return 0;
}
