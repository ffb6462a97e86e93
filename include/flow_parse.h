/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Frame -> flow key and packet facts. One parser for the BPF program and the
 * user-space engine: every read is bounds-checked against `end` first, which
 * the verifier needs and which makes hostile bytes harmless in user space.
 */
#ifndef FS_FLOW_PARSE_H
#define FS_FLOW_PARSE_H

#include "flow.h"

#define FS_ETH_HLEN	     14
#define FS_ETH_P_IP	     0x0800
#define FS_ETH_P_IPV6	     0x86DD
#define FS_ETH_P_8021Q	     0x8100
#define FS_ETH_P_8021AD	     0x88A8
#define FS_MAX_VLAN_TAGS     2
#define FS_MAX_IPV6_EXT_HDRS 8

#define FS_IPPROTO_HOPOPTS  0
#define FS_IPPROTO_ICMP	    1
#define FS_IPPROTO_TCP	    6
#define FS_IPPROTO_UDP	    17
#define FS_IPPROTO_ROUTING  43
#define FS_IPPROTO_FRAGMENT 44
#define FS_IPPROTO_AH	    51
#define FS_IPPROTO_ICMPV6   58
#define FS_IPPROTO_DSTOPTS  60
#define FS_IPPROTO_MH	    135

enum fs_parse_status {
	FS_PARSE_IP = 0,
	FS_PARSE_NON_IP,
	FS_PARSE_BAD_IP,
};

/* What the update step needs to know about one IP packet. */
struct fs_pkt {
	struct fs_flow_key key;
	__u32 ip_len;	   /* IPv4 total length, or IPv6 payload length + 40 */
	__u32 payload_len; /* ip_len minus IP, extension and L4 headers */
	__u32 frame_len;   /* the frame's length on the wire */
	__u16 l4_hdr_len;
	__u16 tcp_window;
	__u8 tcp_flags;
	__u8 lo_to_hi;	   /* the packet's source is the key's lo endpoint */
	__u8 is_fragment;  /* non-first fragment: no L4 header */
	__u8 shape;	   /* bit per enum fs_shape the payload's first bytes match */
	__u16 rtp_seq;	   /* with FS_SHAPE_RTP: the header's sequence number */
	__u16 payload_off; /* where the L4 payload starts in the frame */
	/*
	 * A TCP or UDP payload long enough to have a shape, at payload_off:
	 * its shape is still to be read (fs_read_payload_shape).
	 */
	__u8 shape_pending;
	__u8 pad[3];
};

/* Where the L3 parser leaves off: the L4 header, if this packet has one. */
struct fs_l3 {
	__u8 src[16] __attribute__((aligned(8)));
	__u8 dst[16];
	__u32 ip_len;
	__u32 l3_hdr_len;
	__u8 proto;
	__u8 has_l4;
	__u8 is_fragment; /* non-first fragment */
};

static __always_inline void fs_map_ipv4(__u8 *out, const __u8 *addr4)
{
	__builtin_memset(out, 0, 10);
	out[10] = 0xff;
	out[11] = 0xff;
	__builtin_memcpy(out + 12, addr4, 4);
}

/*
 * A length field of 0 means a segmentation-offload frame captured before it
 * was split (TSO/GSO): its length is then what the frame holds on the wire
 * from this header on (wire_l3_len), as tshark reports it too.
 */
static __always_inline int fs_parse_ipv4(const __u8 *p, const __u8 *end, __u32 wire_l3_len,
					 struct fs_l3 *l3, const __u8 **l4)
{
	__u32 ihl, frag;

	if (p + 20 > end)
		return FS_PARSE_BAD_IP;
	ihl = (p[0] & 0x0f) * 4;
	if ((p[0] >> 4) != 4 || ihl < 20)
		return FS_PARSE_BAD_IP;
	l3->ip_len = fs_load_be16(p + 2);
	if (l3->ip_len == 0)
		l3->ip_len = wire_l3_len;
	if (l3->ip_len < ihl)
		return FS_PARSE_BAD_IP;
	l3->l3_hdr_len = ihl;
	l3->proto = p[9];
	fs_map_ipv4(l3->src, p + 12);
	fs_map_ipv4(l3->dst, p + 16);
	frag = fs_load_be16(p + 6);
	/* Only the first fragment (offset 0) carries the L4 header. */
	l3->is_fragment = (frag & 0x1fff) != 0;
	l3->has_l4 = !l3->is_fragment;
	*l4 = p + ihl;
	return FS_PARSE_IP;
}

/*
 * IPv6: skip hop-by-hop, routing, destination options, mobility, AH and
 * fragment headers. A non-first fragment stops the walk: it has no L4 header.
 */
static __always_inline int fs_parse_ipv6(const __u8 *p, const __u8 *end, __u32 wire_l3_len,
					 struct fs_l3 *l3, const __u8 **l4)
{
	__u8 nh;
	int i;

	if (p + 40 > end)
		return FS_PARSE_BAD_IP;
	if ((p[0] >> 4) != 6)
		return FS_PARSE_BAD_IP;
	l3->ip_len = (__u32)fs_load_be16(p + 4) + 40;
	if (l3->ip_len == 40 && wire_l3_len > 40)
		l3->ip_len = wire_l3_len;
	l3->l3_hdr_len = 40;
	__builtin_memcpy(l3->src, p + 8, 16);
	__builtin_memcpy(l3->dst, p + 24, 16);
	nh = p[6];
	p += 40;
	l3->has_l4 = 1;
	FS_UNROLL
	for (i = 0; i < FS_MAX_IPV6_EXT_HDRS; i++) {
		__u32 len;

		if (nh != FS_IPPROTO_HOPOPTS && nh != FS_IPPROTO_ROUTING &&
		    nh != FS_IPPROTO_DSTOPTS && nh != FS_IPPROTO_MH && nh != FS_IPPROTO_AH &&
		    nh != FS_IPPROTO_FRAGMENT)
			break;
		if (p + 8 > end) {
			/* Headers cut off: the flow is known, its L4 header is not. */
			l3->has_l4 = 0;
			break;
		}
		if (nh == FS_IPPROTO_FRAGMENT) {
			len = 8;
			if (fs_load_be16(p + 2) & 0xfff8) {
				l3->is_fragment = 1;
				l3->has_l4 = 0;
			}
		} else if (nh == FS_IPPROTO_AH) {
			len = ((__u32)p[1] + 2) * 4;
		} else {
			len = ((__u32)p[1] + 1) * 8;
		}
		nh = p[0];
		p += len;
		l3->l3_hdr_len += len;
		if (!l3->has_l4)
			break;
	}
	l3->proto = nh;
	*l4 = p;
	return FS_PARSE_IP;
}

/*
 * Ports, header length, flags and window from the L4 header, where present.
 * Returns 1 for a TCP or UDP header read whole: the payload follows it.
 */
static __always_inline int fs_parse_l4(const __u8 *p, const __u8 *end, const struct fs_l3 *l3,
				       __u16 *sport, __u16 *dport, struct fs_pkt *pkt)
{
	*sport = 0;
	*dport = 0;
	pkt->l4_hdr_len = 0;
	if (!l3->has_l4)
		return 0;
	switch (l3->proto) {
	case FS_IPPROTO_TCP:
		/* A header cut short by the snap length still counts as 20 bytes. */
		pkt->l4_hdr_len = 20;
		if (p + 4 > end)
			return 0;
		*sport = fs_load_be16(p);
		*dport = fs_load_be16(p + 2);
		if (p + 20 > end)
			return 0;
		if ((p[12] >> 4) > 5)
			pkt->l4_hdr_len = (p[12] >> 4) * 4;
		pkt->tcp_flags = p[13];
		pkt->tcp_window = fs_load_be16(p + 14);
		return 1;
	case FS_IPPROTO_UDP:
		pkt->l4_hdr_len = 8;
		if (p + 4 > end)
			return 0;
		*sport = fs_load_be16(p);
		*dport = fs_load_be16(p + 2);
		return 1;
	case FS_IPPROTO_ICMP:
	case FS_IPPROTO_ICMPV6:
		pkt->l4_hdr_len = 8;
		return 0;
	}
	return 0;
}

static __always_inline int fs_quic_version_known(__u32 v)
{
	/* 0: version negotiation; v1, v2, IETF drafts, Google's Q0xx/T0xx. */
	return v == 0 || v == 1 || v == 0x6b3343cf || (v >> 8) == 0xff0000 ||
	       ((v >> 24 == 'Q' || v >> 24 == 'T') && ((v >> 16) & 0xff) == '0');
}

/* UDP payloads: RTP/RTCP (RFC 3550, 5761), STUN (RFC 8489), DTLS, QUIC (RFC 8999). */
static __always_inline __u8 fs_udp_payload_shape(const __u8 *b, __u32 len, __u16 *rtp_seq)
{
	__u8 pt = b[1] & 0x7f, vn;

	if ((b[0] >> 6) == 2) {
		if (b[1] >= 200 && b[1] <= 213)
			return 1 << FS_SHAPE_RTCP;
		/*
		 * QUIC's version negotiation fixes only the form bit and version 0:
		 * with the next bit clear it reads as RTP of type 0, sequence
		 * number 0. The flow decides which (fs_shape_count).
		 */
		vn = fs_load_be32(b + 1) == 0 ? FS_SHAPE_QUIC_VN : 0;
		/* Types 64-95 would clash with RTCP's 192-223 (RFC 5761). */
		if (len >= 12 && (pt < 64 || pt > 95)) {
			*rtp_seq = fs_load_be16(b + 2);
			return 1 << FS_SHAPE_RTP | vn;
		}
		return vn;
	}
	if ((b[0] & 0xc0) == 0xc0)
		return fs_quic_version_known(fs_load_be32(b + 1)) ? 1 << FS_SHAPE_QUIC_LONG : 0;
	if ((b[0] & 0xc0) == 0x40)
		return 1 << FS_SHAPE_QUIC_SHORT; /* kept only after a long header */
	/*
	 * The message length excludes the 20-byte header. RFC 8489 pads it to
	 * a multiple of 4, but some apps (WhatsApp) do not: do not insist.
	 */
	if (len >= 20 && fs_load_be32(b + 4) == 0x2112A442 && fs_load_be16(b + 2) + 20U <= len)
		return 1 << FS_SHAPE_STUN;
	if (b[0] >= 20 && b[0] <= 23 && b[1] == 0xfe && (b[2] == 0xff || b[2] == 0xfd) && len >= 13)
		return 1 << FS_SHAPE_DTLS;
	return 0;
}

/*
 * The shape of a payload of `len` bytes from its first FS_SHAPE_BYTES bytes
 * `b`: a bit per enum fs_shape (at most one), and FS_SHAPE_QUIC_VN.
 */
static __always_inline __u8 fs_payload_shape(const __u8 *b, __u32 len, __u8 proto, __u16 *rtp_seq)
{
	if (len < FS_SHAPE_BYTES)
		return 0;
	if (proto == FS_IPPROTO_UDP)
		return fs_udp_payload_shape(b, len, rtp_seq);
	/* TLS 1.0-1.3 records say version 3.1-3.4 (3.0: SSLv3); types 20-23. */
	if (proto == FS_IPPROTO_TCP && b[0] >= 20 && b[0] <= 23 && b[1] == 3 && b[2] <= 4)
		return 1 << FS_SHAPE_TLS;
	return 0;
}

/*
 * The payload's shape from the frame's bytes, in user space. The BPF
 * programs copy the bytes out with a load helper instead: that reaches an
 * skb's paged data, and keeps the payload tests out of the verifier's
 * path-by-path walk of the header parser.
 */
static __always_inline void fs_read_payload_shape(const __u8 *data, const __u8 *end,
						  struct fs_pkt *pkt)
{
	const __u8 *payload = data + pkt->payload_off;

	if (!pkt->shape_pending || end - data < FS_SHAPE_BYTES ||
	    pkt->payload_off > end - data - FS_SHAPE_BYTES)
		return;
	pkt->shape = fs_payload_shape(payload, pkt->payload_len, pkt->key.proto, &pkt->rtp_seq);
}

/*
 * A total order of (address, port) that decides which endpoint is "lo". Any
 * consistent order will do, so compare 64-bit words, not 16 bytes.
 */
static __always_inline int fs_endpoint_less(const __u8 *a, __u16 aport, const __u8 *b, __u16 bport)
{
	__u64 a0, a1, b0, b1;

	__builtin_memcpy(&a0, a, 8);
	__builtin_memcpy(&a1, a + 8, 8);
	__builtin_memcpy(&b0, b, 8);
	__builtin_memcpy(&b1, b + 8, 8);
	if (a0 != b0)
		return a0 < b0;
	if (a1 != b1)
		return a1 < b1;
	return aport < bport;
}

static __always_inline void fs_make_key(struct fs_pkt *pkt, const struct fs_l3 *l3, __u16 sport,
					__u16 dport)
{
	struct fs_flow_key *k = &pkt->key;

	k->proto = l3->proto;
	pkt->lo_to_hi = fs_endpoint_less(l3->src, sport, l3->dst, dport);
	if (pkt->lo_to_hi) {
		__builtin_memcpy(k->lo_addr, l3->src, 16);
		__builtin_memcpy(k->hi_addr, l3->dst, 16);
		k->lo_port = sport;
		k->hi_port = dport;
	} else {
		__builtin_memcpy(k->lo_addr, l3->dst, 16);
		__builtin_memcpy(k->hi_addr, l3->src, 16);
		k->lo_port = dport;
		k->hi_port = sport;
	}
}

/*
 * Parse an Ethernet frame of wire_len bytes on the wire, of which [data, end)
 * is at hand (the headers at least, for anything to be recognised). On
 * FS_PARSE_IP, *pkt holds the canonical key and the packet's lengths, taken
 * from the IP header. `pkt` must be zeroed by the caller.
 */
static __always_inline int fs_parse_frame(const __u8 *data, const __u8 *end, __u32 wire_len,
					  struct fs_pkt *pkt)
{
	const __u8 *p = data;
	const __u8 *l4 = data;
	struct fs_l3 l3 = {};
	__u16 ethertype, sport, dport;
	__u32 hdrs, l2_len;
	int i, ret, l4_whole;

	if (p + FS_ETH_HLEN > end)
		return FS_PARSE_NON_IP;
	pkt->frame_len = wire_len;
	ethertype = fs_load_be16(p + 12);
	p += FS_ETH_HLEN;
	FS_UNROLL
	for (i = 0; i < FS_MAX_VLAN_TAGS; i++) {
		if (ethertype != FS_ETH_P_8021Q && ethertype != FS_ETH_P_8021AD)
			break;
		if (p + 4 > end)
			return FS_PARSE_NON_IP;
		if (i == 0)
			pkt->key.vlan_id = fs_load_be16(p) & 0x0fff;
		ethertype = fs_load_be16(p + 2);
		p += 4;
	}
	l2_len = (__u32)(p - data);
	wire_len = wire_len > l2_len ? wire_len - l2_len : 0;
	if (ethertype == FS_ETH_P_IP)
		ret = fs_parse_ipv4(p, end, wire_len, &l3, &l4);
	else if (ethertype == FS_ETH_P_IPV6)
		ret = fs_parse_ipv6(p, end, wire_len, &l3, &l4);
	else
		return FS_PARSE_NON_IP;
	if (ret != FS_PARSE_IP)
		return ret;

	pkt->is_fragment = l3.is_fragment;
	l4_whole = fs_parse_l4(l4, end, &l3, &sport, &dport, pkt);
	fs_make_key(pkt, &l3, sport, dport);
	pkt->ip_len = l3.ip_len;
	hdrs = l3.l3_hdr_len + pkt->l4_hdr_len;
	pkt->payload_len = l3.ip_len > hdrs ? l3.ip_len - hdrs : 0;
	if (l4_whole && pkt->payload_len >= FS_SHAPE_BYTES) {
		pkt->payload_off = (__u16)(l2_len + hdrs);
		pkt->shape_pending = 1;
	}
#ifndef __bpf__
	fs_read_payload_shape(data, end, pkt);
#endif
	return FS_PARSE_IP;
}

#endif /* FS_FLOW_PARSE_H */
