// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What both engines share: creation and the expiry sweep. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_kernel.h"
#include "engine/engine_user.h"
#include "flow_update.h"

struct fs_engine *fs_engine_create(const struct fs_engine_config *cfg)
{
	if (cfg->kind == FS_ENGINE_KERNEL)
		return fs_engine_kernel_create(cfg);
	return fs_engine_user_create(cfg);
}

struct due_list {
	const struct fs_meter_config *meter;
	__u64 now;
	bool all;
	struct fs_due_flow *flows;
	size_t len, cap;
};

static int collect_due(void *ctx, const struct fs_flow_key *k, const struct fs_flow_stats *s)
{
	struct due_list *d = ctx;

	/* The drain programs' rule (bpf/drain.bpf.c, has_ended). */
	if (fs_flow_is_fresh(s) ||
	    (!d->all && fs_flow_end_reason(s, d->now, d->meter) == FS_END_NONE))
		return 0;
	if (d->len == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct fs_due_flow *flows = realloc(d->flows, cap * sizeof(*flows));

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

int fs_engine_due_by_scan(struct fs_engine *e, __u64 now_ns, bool all,
			  const struct fs_due_flow **out, size_t *n)
{
	struct due_list due = {.meter = &e->cfg.meter,
			       .now = now_ns,
			       .all = all,
			       .flows = e->scan_due,
			       .cap = e->scan_due_cap};
	int err = e->ops->scan(e, collect_due, &due);

	e->scan_due = due.flows;
	e->scan_due_cap = due.cap;
	*out = due.flows;
	*n = err ? 0 : due.len;
	return err;
}

void fs_engine_release(struct fs_engine *e)
{
	free(e->scan_due);
	fs_drain_order_free(&e->order);
}

/* Why a flow taken from the table ends now. */
static __u8 final_reason(const struct fs_flow_stats *s, __u64 now, const struct fs_meter_config *t)
{
	__u8 reason = fs_flow_end_reason(s, now, t);

	if (reason != FS_END_NONE)
		return reason;
	return s->end_reason != FS_END_NONE ? s->end_reason : FS_END_INPUT;
}

struct emit_taken_ctx {
	struct fs_engine *e;
	__u64 now;
	int emitted;
};

static int emit_taken(void *ctx, const struct fs_flow_key *k, const struct fs_flow_stats *s)
{
	struct emit_taken_ctx *c = ctx;
	struct fs_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.key = *k;
	rec.stats = *s;
	rec.reason = final_reason(s, c->now, &c->e->cfg.meter);
	c->emitted++;
	return c->e->cfg.emit(c->e->cfg.emit_ctx, &rec);
}

/*
 * The ended flows' keys first, then take them in start order (the same
 * output from every run and engine). Taking is atomic against packets
 * (each engine's take says how), so a packet that comes after the take
 * starts a new entry and none is lost.
 */
int fs_engine_expire(struct fs_engine *e, __u64 now_ns, bool all)
{
	struct emit_taken_ctx c = {.e = e, .now = now_ns};
	const struct fs_due_flow *due;
	const struct fs_due_rank *order;
	size_t n;
	int err;

	err = e->ops->due(e, now_ns, all, &due, &n);
	if (err || !n)
		return err;
	order = fs_drain_order_sort(&e->order, due, n);
	if (!order)
		return -ENOMEM;
	err = e->ops->take(e, due, order, n, now_ns, all, emit_taken, &c);
	return err ? err : c.emitted;
}
