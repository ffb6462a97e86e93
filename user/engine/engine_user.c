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

#include "kernel_model_walk.h"

/*
 * A packet is parsed when its frame comes, and counted in its flow when the
 * next frame comes (or any other call): meanwhile its flow's entry loads
 * into cache (fs_table_prefetch). On a replay of 10k flows the misses on
 * entries were a third of the time per packet (perf).
 */
struct user_engine {
	struct fs_engine base;
	struct fs_flow_table table;
	struct fs_key_set refused; /* new flows the table refused (FS_CNT_FLOWS_REFUSED) */
	__u64 counters[FS_CNT_MAX];
	struct fs_record old;	 /* a finished record, on its way out */
	struct fs_km_inputs kin; /* a flow's, at its checkpoint */
	struct fs_pkt staged;	 /* parsed, not yet counted in its flow */
	__u32 staged_hash;	 /* its key's */
	__u64 staged_now;
	bool has_staged;
};

static struct user_engine *to_user(struct fs_engine *e)
{
	return (struct user_engine *)e;
}

/* At each checkpoint it is due at, the flow's verdict, as the BPF program decides it. */
static void decide(struct user_engine *u, struct fs_flow_stats *st, __u8 proto)
{
	const struct fs_km_forest *km = u->base.cfg.kmodel;
	__u32 due, margin = 0;
	int class;

	if (!km)
		return;
	due = fs_km_due_at(&km->cfg, st);
	if (!due || fs_flow_packets(st) < due)
		return;
	fs_km_inputs(st, proto, &u->kin);
	class = fs_km_classify(&km->cfg, &u->kin, km, &margin);
	fs_km_store(&km->cfg, st, fs_km_verdict(class), margin);
}

/* The packet in its flow's entry, as the BPF program counts it. */
static int account(struct fs_engine *e, const struct fs_pkt *pkt, __u32 hash, __u64 now)
{
	struct user_engine *u = to_user(e);
	struct fs_flow_stats *st;
	__u8 reason;
	int ret, err;

	st = fs_table_find(&u->table, &pkt->key, hash);
	if (!st) {
		st = fs_table_insert(&u->table, &pkt->key, hash, &err);
		if (!st) {
			u->counters[fs_insert_error_counter(err)]++;
			u->counters[FS_CNT_FLOWS_REFUSED] += fs_key_set_add(&u->refused, &pkt->key);
			return 0;
		}
	}
	reason = fs_flow_stale(st, pkt, now, &e->cfg.meter);
	ret = fs_flow_account(st, pkt, now, reason, &u->old.stats, &e->cfg.meter);
	decide(u, st, pkt->key.proto);
	if (ret & FS_ACC_RESTARTED) {
		u->old.key = pkt->key;
		u->old.reason = reason;
		return e->cfg.emit(e->cfg.emit_ctx, &u->old);
	}
	return 0;
}

/* Count the staged packet: every call but process's first does, so none sees it missing. */
static int flush(struct fs_engine *e)
{
	struct user_engine *u = to_user(e);

	if (!u->has_staged)
		return 0;
	u->has_staged = false;
	return account(e, &u->staged, u->staged_hash, u->staged_now);
}

static int user_process(struct fs_engine *e, const __u8 *frame, __u32 len, __u32 wire_len,
			__u64 now)
{
	struct user_engine *u = to_user(e);
	struct fs_pkt pkt = {};
	__u32 hash;
	int ret;

	u->counters[FS_CNT_PACKETS]++;
	ret = fs_parse_frame(frame, frame + len, wire_len, &pkt);
	if (ret != FS_PARSE_IP) {
		u->counters[ret == FS_PARSE_NON_IP ? FS_CNT_NON_IP : FS_CNT_BAD_IP]++;
		return flush(e);
	}
	if (pkt.is_fragment)
		u->counters[FS_CNT_FRAGMENTS]++;
	hash = fs_flow_key_hash(&pkt.key);
	fs_table_prefetch(&u->table, hash);
	ret = flush(e);
	u->staged = pkt;
	u->staged_hash = hash;
	u->staged_now = now;
	u->has_staged = true;
	return ret;
}

static int user_scan(struct fs_engine *e, fs_flow_fn fn, void *ctx)
{
	struct fs_flow_table *t = &to_user(e)->table;
	__u32 i;
	int err = flush(e);

	if (err)
		return err;
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
	const struct fs_flow_stats *st;
	int err = flush(e);

	if (err)
		return err;
	st = fs_table_find(&to_user(e)->table, k, fs_flow_key_hash(k));
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

/* A packet's own flow first: the flows that have ended are known only after it. */
static int user_due(struct fs_engine *e, __u64 now_ns, bool all, const struct fs_due_flow **out,
		    size_t *n)
{
	int err = flush(e);

	return err ? err : fs_engine_due_by_scan(e, now_ns, all, out, n);
}

static int user_read_counters(struct fs_engine *e, __u64 out[FS_CNT_MAX])
{
	int err = flush(e);

	if (err)
		return err;
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
	.due = user_due,
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
