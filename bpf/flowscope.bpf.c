// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope's kernel program: one parse-and-update path behind an XDP
 * program and two TC (clsact) programs. Per-flow state lives in `flows`,
 * guarded per entry by a bpf_spin_lock (see docs/FLOWS.md for why a lock and
 * not atomics or per-CPU values).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "flow.h"
#include "flow_parse.h"
#include "flow_update.h"
#include "flows_map.h"
#include "kernel_model.h"

/* Let the hook's other filters run: flowscope only watches. */
#define TC_ACT_UNSPEC (-1)
/*
 * A packet is recorded alone (record_alone) after missing its entry
 * FS_LOOKUP_TRIES times: found taken by the drain under the lock (each time
 * after up to FS_TAKEN_SPINS lookups without it), or drained before it could
 * be found at all.
 */
#define FS_LOOKUP_TRIES 2
#define FS_TAKEN_SPINS	64

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/*
 * A zeroed value to insert new flows from: too big for the 512-byte stack.
 * Plain bytes, since a per-CPU map may not hold a bpf_spin_lock.
 */
struct fs_zero_value {
	__u8 bytes[sizeof(struct fs_flow_entry)];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fs_zero_value);
} zero_entry SEC(".maps");

/* New flows the table refused, so that each is counted once (FS_CNT_FLOWS_REFUSED). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, FS_REFUSED_MAX);
	__type(key, struct fs_flow_key);
	__type(value, __u8);
} refused SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* The kernel model's trees (kernel_model.h), filled by the loader from the model file. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_KM_MAX_NODES);
	__type(key, __u32);
	__type(value, struct fs_km_node);
} km_nodes SEC(".maps");

/*
 * A flow's inputs at its checkpoint: too big for the stack. One a CPU is
 * enough: these programs do not nest on a CPU (TC egress runs with bottom
 * halves off, XDP and TC ingress in them).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fs_km_inputs);
} km_inputs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FS_KM_MAX_CLASSES);
	__type(key, __u32);
	__type(value, struct fs_class_count);
} class_counts SEC(".maps");

/* The classes' names, for class_counts' readers; the program never reads them. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FS_KM_MAX_CLASSES);
	__type(key, __u32);
	__type(value, struct fs_class_name);
} class_names SEC(".maps");

/* Set by the loader before load. */
const volatile struct fs_meter_config meter = FS_METER_DEFAULTS;
/* Its checkpoint 0 (no model) leaves the verdict code out of the program. */
const volatile struct fs_km_config kmodel = {};
/* Per class: what TC does to its flows' packets (kernel_model.h); all zero: nothing. */
const volatile struct fs_class_action class_actions[FS_KM_MAX_CLASSES] = {};
/*
 * Replay: user space sets the capture timestamp and the frame's length on
 * the wire before each BPF_PROG_TEST_RUN (the frame it passes may be cut).
 */
const volatile __u8 replay_mode = 0;
__u64 replay_now_ns = 0;
__u32 replay_wire_len = 0;

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

static __always_inline void send_event(__u32 type, __u32 reason, const struct fs_flow_key *key)
{
	struct fs_event *ev;

	ev = bpf_ringbuf_reserve(&events, sizeof(*ev) - sizeof(ev->stats), 0);
	if (!ev) {
		count(FS_CNT_EVENTS_LOST);
		return;
	}
	ev->type = type;
	ev->reason = reason;
	__builtin_memcpy(&ev->key, key, sizeof(*key));
	bpf_ringbuf_submit(ev, 0);
}

/*
 * A new flow: insert it zeroed, but for its key. Returns 0 when the table
 * holds an entry for it (ours, or one another CPU inserted first), or the
 * insert's error, which is counted: the packet goes unrecorded.
 */
static __always_inline long insert_flow(const struct fs_flow_key *key)
{
	struct fs_zero_value *fresh;
	__u32 zero = 0;
	__u8 one = 1;
	long err;

	fresh = bpf_map_lookup_elem(&zero_entry, &zero);
	if (!fresh) {
		count(FS_CNT_INSERT_OTHER);
		return -1; /* cannot happen: a one-slot array */
	}
	/* The entry carries its own key from the start (struct fs_flow_entry). */
	__builtin_memcpy(fresh->bytes + __builtin_offsetof(struct fs_flow_entry, key), key,
			 sizeof(*key));
	err = bpf_map_update_elem(&flows, key, fresh, BPF_NOEXIST);
	if (!err || err == -FS_EEXIST)
		return 0;
	count(fs_insert_error_counter(err));
	if (bpf_map_update_elem(&refused, key, &one, BPF_NOEXIST) == 0)
		count(FS_CNT_FLOWS_REFUSED);
	send_event(FS_EV_OVERFLOW, (__u32)-err, key);
	return err;
}

/*
 * The flow's entry, inserted if there is none. An entry the drain has marked
 * taken is about to be deleted: look again until it is gone and a fresh
 * entry takes its place. NULL with *refused set: the table refused the flow
 * (counted). NULL alone: the entry another CPU inserted first was drained
 * before we found it; the caller looks again. (Our own fresh entry cannot
 * be: the drain leaves entries without packets alone.)
 */
static __always_inline struct fs_flow_entry *lookup_untaken(const struct fs_flow_key *key,
							    bool *refused)
{
	struct fs_flow_entry *e = NULL;
	int i;

	for (i = 0; i < FS_TAKEN_SPINS; i++) {
		e = bpf_map_lookup_elem(&flows, key);
		if (!e || !*(volatile __u32 *)&e->taken)
			break;
	}
	if (e)
		return e;
	if (insert_flow(key)) {
		*refused = true;
		return NULL;
	}
	return bpf_map_lookup_elem(&flows, key);
}

/*
 * The drain has taken this packet's flow and not yet deleted it, and kept us
 * waiting (its CPU was interrupted): rather than lose the packet, send it
 * out as a record of its own.
 */
static __always_inline void record_alone(const struct fs_pkt *pkt, __u64 now,
					 const struct fs_meter_config *t)
{
	struct fs_event *rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);

	if (!rec) {
		count(FS_CNT_TAKE_RACE);
		return;
	}
	__builtin_memset(&rec->stats, 0, sizeof(rec->stats));
	fs_flow_account(&rec->stats, pkt, now, FS_END_NONE, &rec->stats, t);
	rec->type = FS_EV_RECORD;
	rec->reason = FS_END_DRAIN_RACE;
	__builtin_memcpy(&rec->key, &pkt->key, sizeof(pkt->key));
	bpf_ringbuf_submit(rec, 0);
}

/*
 * Parse a frame of wire_len bytes; [data, data_end) is what the program can
 * read directly. Counts it, and a frame that is not a well-formed IP packet.
 */
static __always_inline int parse_frame(const __u8 *data, const __u8 *data_end, __u32 wire_len,
				       struct fs_pkt *pkt)
{
	int ret;

	count(FS_CNT_PACKETS);
	if (replay_mode)
		wire_len = replay_wire_len;
	ret = fs_parse_frame(data, data_end, wire_len, pkt);
	if (ret != FS_PARSE_IP)
		count(ret == FS_PARSE_NON_IP ? FS_CNT_NON_IP : FS_CNT_BAD_IP);
	return ret;
}

/*
 * The payload's shape from its first bytes, copied out by a load helper. A
 * direct read where they are in the linear data saves 18 ns a packet (make
 * bench), but its variable offset makes the verifier track payload_off
 * precisely on every parser path: 0.15 s more to load the XDP program and
 * 0.45 s more for TC, whose walk grew to 773k of the 1M instructions allowed.
 */
static __always_inline void shape_from_copy(struct fs_pkt *pkt, const __u8 *bytes)
{
	pkt->shape = fs_payload_shape(bytes, pkt->payload_len, pkt->key.proto, &pkt->rtp_seq);
}

static __always_inline const struct fs_km_node *fs_km_node_at(const void *nodes, __u32 i)
{
	return bpf_map_lookup_elem(&km_nodes, &i);
}

#include "kernel_model_walk.h"

/* The scratch for a flow's inputs, if this packet may be the one to decide it. */
static __always_inline struct fs_km_inputs *verdict_scratch(const struct fs_flow_stats *st)
{
	__u32 zero = 0, due;

	if (!kmodel.checkpoint)
		return NULL;
	due = fs_km_due_at(&kmodel, st);
	if (!due || fs_flow_packets(st) + 1 < due)
		return NULL;
	return bpf_map_lookup_elem(&km_inputs, &zero);
}

static __always_inline struct fs_class_count *class_count(__u8 verdict)
{
	__u32 idx = verdict - 1;

	if (verdict == FS_KM_NO_VERDICT || verdict == FS_KM_UNDECIDED)
		return NULL;
	return bpf_map_lookup_elem(&class_counts, &idx);
}

/*
 * The flow reached a checkpoint it was due at with these inputs, taken in
 * decision round `round`: classify it, and store the verdict if the entry is
 * still this flow's and no other CPU decided that round meanwhile (then it
 * counts the flow, not us).
 */
static __always_inline __u8 decide(struct fs_flow_entry *e, const struct fs_pkt *pkt,
				   const struct fs_km_inputs *in, __u64 first_ts, __u8 round)
{
	__u32 margin = 0;
	__u8 v = fs_km_verdict(fs_km_classify(&kmodel, in, NULL, &margin));
	struct fs_class_count *c;
	__u8 stored, old = 0;
	bool ours = false;

	bpf_spin_lock(&e->lock);
	if (!e->taken && fs_flow_key_equal(&e->key, &pkt->key) && e->stats.first_ts == first_ts &&
	    e->stats.km_round == round) {
		old = e->stats.verdict;
		fs_km_store(&kmodel, &e->stats, v, margin);
		ours = true;
	}
	stored = e->stats.verdict;
	bpf_spin_unlock(&e->lock);
	if (!ours || v == old)
		return stored;
	c = class_count(v);
	if (c)
		c->flows++;
	c = class_count(old);
	if (c)
		c->moved++;
	return stored;
}

/* A packet of a flow the model has decided, in its class's count. */
static __always_inline void count_class(__u8 verdict, const struct fs_pkt *pkt)
{
	struct fs_class_count *c = class_count(verdict);

	if (c) {
		c->packets++;
		c->bytes += pkt->ip_len;
	}
}

/*
 * Count one parsed IP packet into its flow. Returns the flow's verdict
 * (fs_flow_stats.verdict) as it stands after this packet.
 */
static __always_inline __u8 handle_packet(const struct fs_pkt *pkt)
{
	struct fs_km_inputs *kin = NULL;
	bool decides = false;
	__u64 first_ts;
	__u8 verdict, round;
	__u32 due;
	struct fs_meter_config t = meter;
	struct fs_event *rec = NULL;
	struct fs_flow_entry *e;
	bool refused = false;
	__u64 now;
	__u8 reason;
	int ret, tries;

	if (pkt->is_fragment)
		count(FS_CNT_FRAGMENTS);
	now = replay_mode ? replay_now_ns : bpf_ktime_get_boot_ns();

	/*
	 * The drain may take the entry out between our lookup and our lock, and
	 * the map may give its memory to another flow: then look again, which
	 * finds the entry gone and starts a new one (bpf/drain.bpf.c). Every
	 * way out of this loop leaves the packet in an entry, a record or a
	 * counter (docs/LIVE.md, "Every packet counted").
	 */
#pragma unroll
	for (tries = 0; tries < FS_LOOKUP_TRIES; tries++) {
		e = lookup_untaken(&pkt->key, &refused);
		if (refused)
			return FS_KM_NO_VERDICT;
		if (!e)
			continue;
		/*
		 * Unlocked peek: only when the flow looks finished do we pay for a
		 * ring buffer slot to carry its record out. Re-checked under the lock.
		 */
		rec = NULL;
		if (fs_flow_stale(&e->stats, pkt, now, &t)) {
			rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);
			if (!rec)
				count(FS_CNT_RECORDS_LOST);
		}
		kin = verdict_scratch(&e->stats);
		bpf_spin_lock(&e->lock);
		if (!e->taken && fs_flow_key_equal(&e->key, &pkt->key))
			break;
		bpf_spin_unlock(&e->lock);
		if (rec)
			bpf_ringbuf_discard(rec, 0);
	}
	if (tries == FS_LOOKUP_TRIES) {
		record_alone(pkt, now, &t);
		return FS_KM_NO_VERDICT;
	}
	/* Without a slot for the old record, merge rather than drop it. */
	reason = rec ? fs_flow_stale(&e->stats, pkt, now, &t) : FS_END_NONE;
	ret = fs_flow_account(&e->stats, pkt, now, reason, rec ? &rec->stats : &e->stats, &t);
	verdict = e->stats.verdict;
	due = kin ? fs_km_due_at(&kmodel, &e->stats) : 0;
	if (due && fs_flow_packets(&e->stats) >= due) {
		fs_km_inputs(&e->stats, pkt->key.proto, kin);
		first_ts = e->stats.first_ts;
		round = e->stats.km_round;
		decides = true;
	}
	bpf_spin_unlock(&e->lock);

	if (rec) {
		if (ret & FS_ACC_RESTARTED) {
			rec->type = FS_EV_RECORD;
			rec->reason = reason;
			__builtin_memcpy(&rec->key, &pkt->key, sizeof(pkt->key));
			bpf_ringbuf_submit(rec, 0);
		} else {
			bpf_ringbuf_discard(rec, 0);
		}
	}
	if (ret & FS_ACC_CLOSED)
		send_event(FS_EV_CLOSED, FS_END_NONE, &pkt->key);
	if (decides)
		verdict = decide(e, pkt, kin, first_ts, round);
	count_class(verdict, pkt);
	return verdict;
}

SEC("xdp")
int flowscope_xdp(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *data_end = (const __u8 *)(long)ctx->data_end;
	struct fs_pkt pkt = {};
	__u8 bytes[FS_SHAPE_BYTES];

	/*
	 * XDP runs before GRO: no merged frames. A frame longer than a page
	 * (BPF_PROG_TEST_RUN's, tests/frame_sizes.c) has fragments past
	 * data_end; its length counts them.
	 */
	if (parse_frame(data, data_end, (__u32)bpf_xdp_get_buff_len(ctx), &pkt) != FS_PARSE_IP)
		return XDP_PASS;
	if (pkt.shape_pending && !bpf_xdp_load_bytes(ctx, pkt.payload_off, bytes, sizeof(bytes)))
		shape_from_copy(&pkt, bytes);
	handle_packet(&pkt);
	return XDP_PASS;
}

/* What attach --class-mark and --class-priority asked for the flow's class. */
static __always_inline void act_on_class(struct __sk_buff *skb, __u8 verdict)
{
	/* Masked as well as checked: the verifier wants the index bounded in its register. */
	__u32 idx = ((__u32)verdict - 1) & (FS_KM_MAX_CLASSES - 1);
	const volatile struct fs_class_action *a = &class_actions[idx];
	__u32 mask;

	if (verdict == FS_KM_NO_VERDICT || verdict > FS_KM_MAX_CLASSES)
		return;
	mask = a->mark_mask;
	if (mask)
		skb->mark = (skb->mark & ~mask) | (a->mark & mask);
	if (a->set_priority)
		skb->priority = a->priority;
}

/*
 * An skb's payload may sit in page fragments past data_end (GSO, or a
 * driver's split header): bpf_skb_load_bytes reads them without changing
 * the packet.
 */
static __always_inline void handle_skb(struct __sk_buff *skb)
{
	const __u8 *data = (const __u8 *)(long)skb->data;
	const __u8 *data_end = (const __u8 *)(long)skb->data_end;
	struct fs_pkt pkt = {};
	__u8 bytes[FS_SHAPE_BYTES];
	__u8 verdict;

	if (parse_frame(data, data_end, skb->len, &pkt) != FS_PARSE_IP)
		return;
	if (pkt.shape_pending && !bpf_skb_load_bytes(skb, pkt.payload_off, bytes, sizeof(bytes)))
		shape_from_copy(&pkt, bytes);
	verdict = handle_packet(&pkt);
	if (kmodel.checkpoint)
		act_on_class(skb, verdict);
}

/*
 * One program for both TC hooks: a flow's key and direction come from the
 * packet, not from the hook, and the verifier's half second is paid once.
 */
SEC("tc")
int flowscope_tc(struct __sk_buff *skb)
{
	handle_skb(skb);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
