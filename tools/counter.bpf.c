// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The benchmark's baseline: the least a flow counter can do. It parses
 * Ethernet, IPv4/IPv6 and ports, and adds packets and bytes to a per-5-tuple
 * hash map entry with atomics. It is built and run like flowscope.bpf.c, so
 * `make bench` prices flowscope's extra work against it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "fs_types.h"

struct counter_key {
	__u8 src[16];
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct counter_value {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct counter_key);
	__type(value, struct counter_value);
} counts SEC(".maps");

static __always_inline int parse(const __u8 *p, const __u8 *end, struct counter_key *k, __u32 *len)
{
	__u16 ethertype;

	if (p + 14 > end)
		return -1;
	ethertype = fs_load_be16(p + 12);
	p += 14;
	if (ethertype == 0x0800) {
		if (p + 20 > end)
			return -1;
		*len = fs_load_be16(p + 2);
		k->proto = p[9];
		__builtin_memcpy(k->src + 12, p + 12, 4);
		__builtin_memcpy(k->dst + 12, p + 16, 4);
		p += (p[0] & 0x0f) * 4;
	} else if (ethertype == 0x86DD) {
		if (p + 40 > end)
			return -1;
		*len = fs_load_be16(p + 4) + 40;
		k->proto = p[6];
		__builtin_memcpy(k->src, p + 8, 16);
		__builtin_memcpy(k->dst, p + 24, 16);
		p += 40;
	} else {
		return -1;
	}
	if ((k->proto == 6 || k->proto == 17) && p + 4 <= end) {
		k->sport = fs_load_be16(p);
		k->dport = fs_load_be16(p + 2);
	}
	return 0;
}

SEC("xdp")
int counter_xdp(struct xdp_md *ctx)
{
	struct counter_key k = {};
	struct counter_value *v, init = {};
	__u32 len = 0;

	if (parse((const __u8 *)(long)ctx->data, (const __u8 *)(long)ctx->data_end, &k, &len))
		return XDP_PASS;
	v = bpf_map_lookup_elem(&counts, &k);
	if (!v) {
		bpf_map_update_elem(&counts, &k, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&counts, &k);
		if (!v)
			return XDP_PASS;
	}
	__sync_fetch_and_add(&v->packets, 1);
	__sync_fetch_and_add(&v->bytes, len);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
