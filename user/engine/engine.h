/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine: frames in, finished flow records out. Two implementations run
 * the same include/ code: the BPF program through BPF_PROG_TEST_RUN
 * (engine_kernel.c) and a user-space flow table (engine_user.c).
 */
#ifndef FS_ENGINE_H
#define FS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "flow.h"
#include "kernel_model.h"
#include "engine/drain_order.h"
#include "flow_drain.h"
#include "engine/record.h"

enum fs_engine_kind {
	FS_ENGINE_KERNEL,
	FS_ENGINE_USER,
};

/* The kernel program's entry point BPF_PROG_TEST_RUN replays frames through. */
enum fs_test_program {
	FS_TEST_XDP,
	FS_TEST_TC,
};

/*
 * The kernel program's entry points to load, live: the verifier takes about
 * half a second over each (with a kernel model), so those no hook runs are
 * left out.
 */
enum fs_entry_points {
	FS_ENTRY_XDP = 1 << 0,
	FS_ENTRY_TC = 1 << 1, /* ingress, egress or both */
};

struct fs_engine_config {
	enum fs_engine_kind kind;
	enum fs_test_program program; /* kernel engine, replay only */
	bool live;		   /* kernel engine: packets from interfaces, on CLOCK_BOOTTIME */
	unsigned int entry_points; /* kernel engine, live: fs_entry_points' bits; 0: all */
	__u32 max_flows;
	struct fs_meter_config meter;
	/* The kernel model that decides each flow at its checkpoint; NULL: none. */
	const struct fs_km_forest *kmodel;
	/* Live, with kmodel: per class, what TC does to its packets (NULL: nothing). */
	const struct fs_class_action *class_actions;
	fs_record_fn emit; /* receives every finished flow */
	void *emit_ctx;
};

struct fs_engine;

/* Called with each flow of a scan or a take; non-zero stops it. */
typedef int (*fs_flow_fn)(void *ctx, const struct fs_flow_key *k, const struct fs_flow_stats *s);

struct fs_engine_ops {
	/*
	 * Account one Ethernet frame seen at now_ns; len bytes at hand of
	 * wire_len. An engine may count it in its flow only at its next call
	 * (the user engine does, to load the entry meanwhile): every other call
	 * sees it counted, and a failure may be the frame before's.
	 */
	int (*process)(struct fs_engine *e, const __u8 *frame, __u32 len, __u32 wire_len,
		       __u64 now_ns);
	/* Call fn for every flow in the table (a consistent copy of each). */
	int (*scan)(struct fs_engine *e, fs_flow_fn fn, void *ctx);
	/* Copy a flow's statistics, leaving it in place; -ENOENT if there is none. */
	int (*peek)(struct fs_engine *e, const struct fs_flow_key *k, struct fs_flow_stats *out);
	/*
	 * The flows that have ended by now_ns, or all of them, in no order.
	 * *out is the engine's, valid until the next call.
	 */
	int (*due)(struct fs_engine *e, __u64 now_ns, bool all, const struct fs_due_flow **out,
		   size_t *n);
	/*
	 * Remove due[order[0..n).index] that have still ended (or all), in that
	 * order, calling fn with each one's last statistics; a flow that went on
	 * since due() is left alone.
	 */
	int (*take)(struct fs_engine *e, const struct fs_due_flow *due,
		    const struct fs_due_rank *order, size_t n, __u64 now_ns, bool all,
		    fs_flow_fn fn, void *ctx);
	/* Sum the global counters over all CPUs. */
	int (*read_counters)(struct fs_engine *e, __u64 out[FS_CNT_MAX]);
	void (*destroy)(struct fs_engine *e);
};

struct fs_engine {
	const struct fs_engine_ops *ops;
	struct fs_engine_config cfg;
	/* Kept from drain to drain (fs_engine_expire); freed by fs_engine_release(). */
	struct fs_due_flow *scan_due; /* fs_engine_due_by_scan()'s list */
	size_t scan_due_cap;
	struct fs_drain_order order;
};

/*
 * Creates the engine cfg->kind names; prints why on failure. What only the
 * kernel engine has (its program, its ring buffer) is in engine_kernel.h.
 */
struct fs_engine *fs_engine_create(const struct fs_engine_config *cfg);

static inline int fs_engine_process(struct fs_engine *e, const __u8 *frame, __u32 len,
				    __u32 wire_len, __u64 now)
{
	return e->ops->process(e, frame, len, wire_len, now);
}

static inline void fs_engine_destroy(struct fs_engine *e)
{
	if (e)
		e->ops->destroy(e);
}

/* The flows that have ended by now_ns (or all), found with e's scan. */
int fs_engine_due_by_scan(struct fs_engine *e, __u64 now_ns, bool all,
			  const struct fs_due_flow **out, size_t *n);
/* Frees what the base struct holds: each engine's destroy calls it. */
void fs_engine_release(struct fs_engine *e);

/* A consistent copy of a flow's statistics, left in place; -ENOENT if there is none. */
static inline int fs_engine_peek(struct fs_engine *e, const struct fs_flow_key *k,
				 struct fs_flow_stats *out)
{
	return e->ops->peek(e, k, out);
}

/* fn with every flow in the table. */
static inline int fs_engine_scan(struct fs_engine *e, fs_flow_fn fn, void *ctx)
{
	return e->ops->scan(e, fn, ctx);
}

static inline int fs_engine_read_counters(struct fs_engine *e, __u64 out[FS_CNT_MAX])
{
	return e->ops->read_counters(e, out);
}

/* IP packets the table could not record: failed inserts and drain races. */
static inline __u64 fs_unrecorded_packets(const __u64 c[FS_CNT_MAX])
{
	return c[FS_CNT_INSERT_FULL] + c[FS_CNT_INSERT_NOMEM] + c[FS_CNT_INSERT_OTHER] +
	       c[FS_CNT_TAKE_RACE];
}

/*
 * Every packet seen that is in no record: not IP, a bad IP header, or
 * unrecorded. Records' packets + this == c[FS_CNT_PACKETS] once the table
 * is drained.
 */
static inline __u64 fs_packets_outside_records(const __u64 c[FS_CNT_MAX])
{
	return c[FS_CNT_NON_IP] + c[FS_CNT_BAD_IP] + fs_unrecorded_packets(c);
}

/*
 * Export the flows that have ended by time now_ns (fs_flow_end_reason()),
 * or with all, every flow: those still open end with FS_END_INPUT.
 * Returns the number of records emitted, or a negative errno.
 */
int fs_engine_expire(struct fs_engine *e, __u64 now_ns, bool all);

#endif /* FS_ENGINE_H */
