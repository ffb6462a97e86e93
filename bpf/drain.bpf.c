// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The drain: two programs that user space runs with BPF_PROG_TEST_RUN on the
 * flow table the packet programs fill (docs/LIVE.md, "Draining").
 * - flowscope_sweep lists the flows that have ended in `due`, with their
 *   keys and start times only, in one pass over the table.
 * - flowscope_take removes a batch of them. Under each entry's lock it checks
 *   again that the flow has ended, copies its statistics out and marks it
 *   taken; then it deletes the entry. A packet that found the entry before
 *   the delete sees the mark and starts a new entry, so no packet is counted
 *   in an entry that has gone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "flow.h"
#include "flow_drain.h"
#include "flow_update.h"
#include "flows_map.h"

/* max_entries is the flow table's, set by the loader: a sweep never fills it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, FS_DEFAULT_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct fs_due_flow);
} due SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, FS_TAKE_BATCH);
	__type(key, __u32);
	__type(value, struct fs_take_slot);
} take_slots SEC(".maps");

/* Set by the loader before load: the packet programs' meter. */
const volatile struct fs_meter_config meter = FS_METER_DEFAULTS;

struct fs_drain_args args;

/*
 * A fresh entry has not ended, even at the end of a run: the CPU that
 * inserted it counts its packet in it next, and taking it would make a
 * record of no packet and leave that CPU to look for an entry that is gone.
 */
static __always_inline int has_ended(const struct fs_flow_stats *st)
{
	struct fs_meter_config t = meter;

	if (fs_flow_is_fresh(st))
		return 0;
	return args.all || fs_flow_end_reason(st, args.now_ns, &t) != FS_END_NONE;
}

/* Read without the lock: take checks again under it before it removes anything. */
static long sweep_one(struct bpf_map *map, const struct fs_flow_key *key, struct fs_flow_entry *e,
		      void *ctx)
{
	__u32 n = args.count;
	struct fs_due_flow *d;

	if (!has_ended(&e->stats))
		return 0;
	d = bpf_map_lookup_elem(&due, &n);
	if (!d)
		return 1; /* cannot happen: due holds the whole table */
	__builtin_memcpy(&d->key, key, sizeof(*key));
	d->first_ts = e->stats.first_ts;
	args.count = n + 1;
	return 0;
}

SEC("xdp")
int flowscope_sweep(struct xdp_md *ctx)
{
	args.count = 0;
	bpf_for_each_map_elem(&flows, sweep_one, NULL, 0);
	return XDP_PASS;
}

static long take_one(__u32 i, void *ctx)
{
	struct fs_take_slot *slot = bpf_map_lookup_elem(&take_slots, &i);
	struct fs_flow_entry *e;
	__u32 taken = 0;

	if (!slot)
		return 1;
	e = bpf_map_lookup_elem(&flows, &slot->key);
	if (e) {
		bpf_spin_lock(&e->lock);
		if (!e->taken && fs_flow_key_equal(&e->key, &slot->key) && has_ended(&e->stats)) {
			__builtin_memcpy(&slot->stats, &e->stats, sizeof(e->stats));
			e->taken = 1;
			taken = 1;
		}
		bpf_spin_unlock(&e->lock);
	}
	/* Marked under the lock first, so a packet holding e starts afresh instead. */
	if (taken)
		bpf_map_delete_elem(&flows, &slot->key);
	slot->taken = taken;
	return 0;
}

SEC("xdp")
int flowscope_take(struct xdp_md *ctx)
{
	__u32 n = args.count;

	bpf_loop(n < FS_TAKE_BATCH ? n : FS_TAKE_BATCH, take_one, NULL, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
