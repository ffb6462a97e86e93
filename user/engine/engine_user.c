// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The user-space engine: the kernel program's parse and update code from
 * include/, over a flow table in process memory. No privileges needed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_user.h"
#include "flow_parse.h"
#include "engine/flow_table.h"
#include "flow_update.h"
#include "engine/key_set.h"
#include "common/util.h"

struct user_engine {
	struct fs_engine base;
	struct fs_flow_table table;
	struct fs_key_set refused; /* new flows the table refused (FS_CNT_FLOWS_REFUSED) */
	__u64 counters[FS_CNT_MAX];
	struct fs_record old; /* a finished record, on its way out */
};

static struct user_engine *to_user(struct fs_engine *e)
{
	return (struct user_engine *)e;
}

static int user_process(struct fs_engine *e, const __u8 *frame, __u32 len, __u32 wire_len,
			__u64 now)
{
	struct user_engine *u = to_user(e);
	struct fs_pkt pkt = {};
	struct fs_flow_stats *st;
	__u8 reason;
	int ret, err;

	u->counters[FS_CNT_PACKETS]++;
	ret = fs_parse_frame(frame, frame + len, wire_len, &pkt);
	if (ret != FS_PARSE_IP) {
		u->counters[ret == FS_PARSE_NON_IP ? FS_CNT_NON_IP : FS_CNT_BAD_IP]++;
		return 0;
	}
	if (pkt.is_fragment)
		u->counters[FS_CNT_FRAGMENTS]++;
	st = fs_table_find(&u->table, &pkt.key);
	if (!st) {
		st = fs_table_insert(&u->table, &pkt.key, &err);
		if (!st) {
			u->counters[fs_insert_error_counter(err)]++;
			u->counters[FS_CNT_FLOWS_REFUSED] += fs_key_set_add(&u->refused, &pkt.key);
			return 0;
		}
	}
	reason = fs_flow_stale(st, &pkt, now, &e->cfg.meter);
	ret = fs_flow_account(st, &pkt, now, reason, &u->old.stats, &e->cfg.meter);
	if (ret & FS_ACC_RESTARTED) {
		u->old.key = pkt.key;
		u->old.reason = reason;
		return e->cfg.emit(e->cfg.emit_ctx, &u->old);
	}
	return 0;
}

static int user_scan(struct fs_engine *e, fs_flow_fn fn, void *ctx)
{
	struct fs_flow_table *t = &to_user(e)->table;
	__u32 i;
	int err;

	for (i = 0; i <= t->mask; i++) {
		if (!t->slots[i].hash)
			continue;
		err = fn(ctx, &fs_table_slot_entry(t, i)->key, &fs_table_slot_entry(t, i)->stats);
		if (err)
			return err;
	}
	return 0;
}

static int user_peek(struct fs_engine *e, const struct fs_flow_key *k, struct fs_flow_stats *out)
{
	const struct fs_flow_stats *st = fs_table_find(&to_user(e)->table, k);

	if (!st)
		return -ENOENT;
	*out = *st;
	return 0;
}

/* One thread owns the table: nothing can have happened to a flow since due(). */
static int user_take(struct fs_engine *e, const struct fs_due_flow *due,
		     const struct fs_due_rank *order, size_t n, __u64 now_ns, bool all,
		     fs_flow_fn fn, void *ctx)
{
	struct fs_flow_table *t = &to_user(e)->table;
	const struct fs_flow_key *key;
	struct fs_flow_stats st;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		key = &due[order[i].index].key;
		if (fs_table_remove(t, key, &st) < 0)
			continue;
		err = fn(ctx, key, &st);
		if (err)
			return err;
	}
	return 0;
}

static int user_read_counters(struct fs_engine *e, __u64 out[FS_CNT_MAX])
{
	memcpy(out, to_user(e)->counters, sizeof(to_user(e)->counters));
	return 0;
}

static void user_destroy(struct fs_engine *e)
{
	fs_table_free(&to_user(e)->table);
	fs_key_set_free(&to_user(e)->refused);
	fs_engine_release(e);
	free(e);
}

static const struct fs_engine_ops user_ops = {
	.process = user_process,
	.scan = user_scan,
	.peek = user_peek,
	.due = fs_engine_due_by_scan,
	.take = user_take,
	.read_counters = user_read_counters,
	.destroy = user_destroy,
};

struct fs_engine *fs_engine_user_create(const struct fs_engine_config *cfg)
{
	struct user_engine *u = calloc(1, sizeof(*u));

	if (!u || fs_table_init(&u->table, cfg->max_flows) < 0) {
		free(u);
		fs_err("user engine", "out of memory");
		return NULL;
	}
	fs_key_set_init(&u->refused, FS_REFUSED_MAX);
	u->base.ops = &user_ops;
	u->base.cfg = *cfg;
	return &u->base;
}
