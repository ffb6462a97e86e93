// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "training_set.h"
#include "util.h"

/* The flows of the capture being replayed. */
struct capture_flows {
	struct fs_unit *units;
	size_t n, cap;
};

static int collect(void *ctx, const struct fs_unit *u)
{
	struct capture_flows *c = ctx;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct fs_unit *units = realloc(c->units, cap * sizeof(*units));

		if (!units)
			return -1;
		c->units = units;
		c->cap = cap;
	}
	c->units[c->n++] = *u;
	return 0;
}

int fs_training_set_reserve(struct fs_training_set *ts, size_t more, size_t *cap)
{
	size_t need = ts->n + more, c = *cap ? *cap : 1024;
	void *p;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(p = realloc(ts->x, c * ts->dim * sizeof(double))))
		return -1;
	ts->x = p;
	if (!(p = realloc(ts->label, c * sizeof(int))))
		return -1;
	ts->label = p;
	if (!(p = realloc(ts->group, c * sizeof(int))))
		return -1;
	ts->group = p;
	if (!(p = realloc(ts->bytes, c * sizeof(double))))
		return -1;
	ts->bytes = p;
	*cap = c;
	return 0;
}

static int add_capture(struct fs_training_set *ts, const struct capture_flows *c, int label,
		       int group, int cic_compat, size_t *cap)
{
	bool *carries = calloc(c->n ? c->n : 1, sizeof(bool));
	struct fs_feature_vec f;
	unsigned int j;
	size_t i;

	if (!carries || fs_training_set_reserve(ts, c->n, cap) < 0) {
		free(carries);
		return -1;
	}
	fs_activity_flows(c->units, c->n, carries);
	for (i = 0; i < c->n; i++) {
		const struct fs_unit *u = &c->units[i];
		double *row = ts->x + ts->n * ts->dim;

		fs_features_compute(u, cic_compat, &f);
		for (j = 0; j < ts->dim; j++)
			row[j] = f.v[ts->features[j]];
		ts->label[ts->n] = carries[i] ? label : -1;
		ts->group[ts->n] = group;
		ts->bytes[ts->n] = (double)(u->dir[0].bytes + u->dir[1].bytes);
		ts->n++;
	}
	free(carries);
	return 0;
}

int fs_training_set_build(struct fs_training_set *ts, const struct fs_manifest *m,
			  const int *features, unsigned int dim, const struct fs_replay_job *job)
{
	struct fs_replay_job j = *job;
	struct capture_flows c = {0};
	size_t i, cap = 0;
	int err = 0;

	memset(ts, 0, sizeof(*ts));
	ts->features = features;
	ts->dim = dim;
	j.sink = collect;
	j.sink_ctx = &c;
	j.quiet = true;
	for (i = 0; i < m->n && !err; i++) {
		char *path = m->entries[i].path;

		c.n = 0;
		err = fs_replay_run(&j, &path, 1);
		if (!err &&
		    add_capture(ts, &c, m->entries[i].label, (int)i, j.cic_compat, &cap) < 0)
			err = fs_err("train", "out of memory");
	}
	free(c.units);
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
	memset(ts, 0, sizeof(*ts));
}
