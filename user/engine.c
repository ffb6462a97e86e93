// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What both engines share: creation and the expiry sweep. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "flow_update.h"

struct fs_engine *fs_engine_create(const struct fs_engine_config *cfg)
{
	if (cfg->kind == FS_ENGINE_KERNEL)
		return fs_engine_kernel_create(cfg);
	return fs_engine_user_create(cfg);
}

struct due_flow {
	__u64 first_ts;
	struct fs_flow_key key;
};

struct due_list {
	const struct fs_meter_config *meter;
	__u64 now;
	bool all;
	struct due_flow *flows;
	size_t len, cap;
};

static int collect_due(void *ctx, const struct fs_flow_key *k, const struct fs_flow_stats *s)
{
	struct due_list *d = ctx;

	if (!d->all && fs_flow_end_reason(s, d->now, d->meter) == FS_END_NONE)
		return 0;
	if (d->len == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct due_flow *flows = realloc(d->flows, cap * sizeof(*flows));

		if (!flows)
			return -ENOMEM;
		d->flows = flows;
		d->cap = cap;
	}
	d->flows[d->len].first_ts = s->first_ts;
	d->flows[d->len].key = *k;
	d->len++;
	return 0;
}

/* Records leave in start order: the same output from every run and engine. */
static int due_cmp(const void *a, const void *b)
{
	const struct due_flow *x = a, *y = b;

	if (x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* Why a flow taken from the table ends now. */
static __u8 final_reason(const struct fs_flow_stats *s, __u64 now, const struct fs_meter_config *t)
{
	__u8 reason = fs_flow_end_reason(s, now, t);

	if (reason != FS_END_NONE)
		return reason;
	return s->end_reason != FS_END_NONE ? s->end_reason : FS_END_INPUT;
}

/*
 * Keys first, then take each one: taking (lookup-and-delete) is atomic, so a
 * packet that arrives after the take starts a new entry and none is lost.
 */
int fs_engine_expire(struct fs_engine *e, __u64 now_ns, bool all)
{
	struct due_list due = {.meter = &e->cfg.meter, .now = now_ns, .all = all};
	struct fs_record rec;
	int err, emitted = 0;
	size_t i;

	err = e->ops->scan(e, collect_due, &due);
	if (!err)
		qsort(due.flows, due.len, sizeof(*due.flows), due_cmp);
	for (i = 0; !err && i < due.len; i++) {
		memset(&rec, 0, sizeof(rec));
		rec.key = due.flows[i].key;
		if (e->ops->take(e, &rec.key, &rec.stats) < 0)
			continue;
		rec.reason = final_reason(&rec.stats, now_ns, &e->cfg.meter);
		err = e->cfg.emit(e->cfg.emit_ctx, &rec);
		emitted++;
	}
	free(due.flows);
	return err ? err : emitted;
}
