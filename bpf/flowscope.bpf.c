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

/* Let the hook's other filters run: flowscope only watches. */
#define TC_ACT_UNSPEC (-1)

/* max_entries is set by the loader before load (bpf_map__set_max_entries). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_DEFAULT_MAX_FLOWS);
	__type(key, struct fs_flow_key);
	__type(value, struct fs_flow_entry);
} flows SEC(".maps");

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

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* Set by the loader before load. */
const volatile struct fs_meter_config meter = {
	.idle_ns = FS_DEFAULT_IDLE_TIMEOUT_NS,
	.active_ns = FS_DEFAULT_ACTIVE_TIMEOUT_NS,
	.linger_ns = FS_CLOSE_LINGER_NS,
};
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

static __always_inline struct fs_flow_entry *lookup_or_insert(const struct fs_flow_key *key)
{
	struct fs_flow_entry *e = bpf_map_lookup_elem(&flows, key);
	__u32 zero = 0;
	void *fresh;
	long err;

	if (e)
		return e;
	fresh = bpf_map_lookup_elem(&zero_entry, &zero);
	if (!fresh)
		return NULL;
	/* BPF_NOEXIST: if another CPU inserted it first, use its entry. */
	err = bpf_map_update_elem(&flows, key, fresh, BPF_NOEXIST);
	if (err && err != -FS_EEXIST) {
		count(fs_insert_error_counter(err));
		send_event(FS_EV_OVERFLOW, (__u32)-err, key);
		return NULL;
	}
	return bpf_map_lookup_elem(&flows, key);
}

static __always_inline void handle_frame(const __u8 *data, const __u8 *data_end, __u32 wire_len)
{
	struct fs_meter_config t = meter;
	struct fs_pkt pkt = {};
	struct fs_event *rec = NULL;
	struct fs_flow_entry *e;
	__u64 now;
	__u8 reason;
	int ret;

	if (replay_mode)
		wire_len = replay_wire_len;
	ret = fs_parse_frame(data, data_end, wire_len, &pkt);
	if (ret != FS_PARSE_IP) {
		count(ret == FS_PARSE_NON_IP ? FS_CNT_NON_IP : FS_CNT_BAD_IP);
		return;
	}
	if (pkt.is_fragment)
		count(FS_CNT_FRAGMENTS);
	now = replay_mode ? replay_now_ns : bpf_ktime_get_boot_ns();

	e = lookup_or_insert(&pkt.key);
	if (!e)
		return;
	/*
	 * Unlocked peek: only when the flow looks finished do we pay for a ring
	 * buffer slot to carry its record out. Re-checked under the lock.
	 */
	if (fs_flow_stale(&e->stats, &pkt, now, &t)) {
		rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);
		if (!rec)
			count(FS_CNT_RECORDS_LOST);
	}

	bpf_spin_lock(&e->lock);
	/* Without a slot for the old record, merge rather than drop it. */
	reason = rec ? fs_flow_stale(&e->stats, &pkt, now, &t) : FS_END_NONE;
	ret = fs_flow_account(&e->stats, &pkt, now, reason, rec ? &rec->stats : &e->stats, &t);
	bpf_spin_unlock(&e->lock);

	if (rec) {
		if (ret & FS_ACC_RESTARTED) {
			rec->type = FS_EV_RECORD;
			rec->reason = reason;
			__builtin_memcpy(&rec->key, &pkt.key, sizeof(pkt.key));
			bpf_ringbuf_submit(rec, 0);
		} else {
			bpf_ringbuf_discard(rec, 0);
		}
	}
	if (ret & FS_ACC_CLOSED)
		send_event(FS_EV_CLOSED, FS_END_NONE, &pkt.key);
}

SEC("xdp")
int flowscope_xdp(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *data_end = (const __u8 *)(long)ctx->data_end;

	/* XDP runs before GRO: no merged frames, the linear part is the frame. */
	handle_frame(data, data_end, (__u32)(data_end - data));
	return XDP_PASS;
}

SEC("tc")
int flowscope_tc_ingress(struct __sk_buff *skb)
{
	handle_frame((const __u8 *)(long)skb->data, (const __u8 *)(long)skb->data_end, skb->len);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int flowscope_tc_egress(struct __sk_buff *skb)
{
	handle_frame((const __u8 *)(long)skb->data, (const __u8 *)(long)skb->data_end, skb->len);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
