// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests of include/: the parser and the per-flow update, on frames built
 * byte by byte here, with expected values worked out by hand from the bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "flow_parse.h"
#include "flow_update.h"

struct frame {
	__u8 b[256];
	__u32 len;
};

static void put(struct frame *f, const void *bytes, __u32 n)
{
	memcpy(f->b + f->len, bytes, n);
	f->len += n;
}

static void put16(struct frame *f, __u16 v)
{
	__u8 b[2] = {v >> 8, v & 0xff};

	put(f, b, 2);
}

static void eth(struct frame *f, __u16 ethertype)
{
	static const __u8 macs[12] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};

	f->len = 0;
	put(f, macs, 12);
	put16(f, ethertype);
}

static void vlan(struct frame *f, __u16 tpid_of_next, __u16 vid)
{
	/* The previous ethertype slot already says 0x8100/0x88a8. */
	put16(f, vid);
	put16(f, tpid_of_next);
}

/* IPv4 header with tot_len, IHL in words, fragment field, protocol. */
static void ipv4(struct frame *f, __u16 tot_len, __u8 ihl_words, __u16 frag, __u8 proto,
		 const __u8 src[4], const __u8 dst[4])
{
	__u8 h[20] = {0x40 | ihl_words, 0,	     tot_len >> 8, tot_len & 0xff, 0, 1,
		      frag >> 8,	frag & 0xff, 64,	   proto,	   0, 0};
	__u8 opts[40] = {0};

	memcpy(h + 12, src, 4);
	memcpy(h + 16, dst, 4);
	put(f, h, 20);
	put(f, opts, (ihl_words - 5) * 4);
}

static void tcp(struct frame *f, __u16 sport, __u16 dport, __u8 doff_words, __u8 flags, __u16 win)
{
	__u8 h[20] = {
		sport >> 8, sport & 0xff,    dport >> 8, dport & 0xff, 0,	  0, 0, 1, 0, 0, 0,
		0,	    doff_words << 4, flags,	 win >> 8,     win & 0xff};
	__u8 opts[40] = {0};

	put(f, h, 20);
	put(f, opts, (doff_words - 5) * 4);
}

static void udp(struct frame *f, __u16 sport, __u16 dport, __u16 len)
{
	__u8 h[8] = {sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff};

	put(f, h, 8);
}

static const __u8 A4[4] = {10, 0, 0, 1}, B4[4] = {10, 0, 0, 2};

static int parse(const struct frame *f, struct fs_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	return fs_parse_frame(f->b, f->b + f->len, f->len, pkt);
}

static void test_ipv4_tcp_with_options(void **state)
{
	struct frame f;
	struct fs_pkt pkt;

	eth(&f, FS_ETH_P_IP);
	/* IHL 6 (24 bytes), TCP doff 8 (32 bytes), 100 bytes payload: 156. */
	ipv4(&f, 156, 6, 0x4000, FS_IPPROTO_TCP, A4, B4);
	tcp(&f, 40000, 443, 8, FS_TCP_SYN | FS_TCP_ACK, 29200);
	assert_int_equal(parse(&f, &pkt), FS_PARSE_IP);
	assert_int_equal(pkt.ip_len, 156);
	assert_int_equal(pkt.l4_hdr_len, 32);
	assert_int_equal(pkt.payload_len, 100);
	assert_int_equal(pkt.tcp_flags, FS_TCP_SYN | FS_TCP_ACK);
	assert_int_equal(pkt.tcp_window, 29200);
	assert_int_equal(pkt.key.proto, FS_IPPROTO_TCP);
	/* 10.0.0.1 < 10.0.0.2: the source is lo. */
	assert_int_equal(pkt.lo_to_hi, 1);
	assert_int_equal(pkt.key.lo_port, 40000);
	assert_int_equal(pkt.key.hi_port, 443);
	assert_int_equal(pkt.key.lo_addr[10], 0xff);
	assert_int_equal(pkt.key.lo_addr[15], 1);
	assert_int_equal(pkt.key.hi_addr[15], 2);
}

static void test_reverse_direction_same_key(void **state)
{
	struct frame f1, f2;
	struct fs_pkt p1, p2;

	eth(&f1, FS_ETH_P_IP);
	ipv4(&f1, 28, 5, 0, FS_IPPROTO_UDP, A4, B4);
	udp(&f1, 5000, 53, 8);
	eth(&f2, FS_ETH_P_IP);
	ipv4(&f2, 28, 5, 0, FS_IPPROTO_UDP, B4, A4);
	udp(&f2, 53, 5000, 8);
	assert_int_equal(parse(&f1, &p1), FS_PARSE_IP);
	assert_int_equal(parse(&f2, &p2), FS_PARSE_IP);
	assert_memory_equal(&p1.key, &p2.key, sizeof(p1.key));
	assert_int_not_equal(p1.lo_to_hi, p2.lo_to_hi);
}

static void test_qinq_vlan(void **state)
{
	struct frame f;
	struct fs_pkt pkt;

	eth(&f, FS_ETH_P_8021AD);
	vlan(&f, FS_ETH_P_8021Q, 0x2000 | 100); /* PCP bits must be masked off */
	vlan(&f, FS_ETH_P_IP, 200);
	ipv4(&f, 28, 5, 0, FS_IPPROTO_UDP, A4, B4);
	udp(&f, 1, 2, 8);
	assert_int_equal(parse(&f, &pkt), FS_PARSE_IP);
	assert_int_equal(pkt.key.vlan_id, 100);
	assert_int_equal(pkt.key.lo_port, 1);
}

static void test_three_vlan_tags_are_not_ip(void **state)
{
	struct frame f;
	struct fs_pkt pkt;

	eth(&f, FS_ETH_P_8021AD);
	vlan(&f, FS_ETH_P_8021Q, 1);
	vlan(&f, FS_ETH_P_8021Q, 2);
	vlan(&f, FS_ETH_P_IP, 3);
	ipv4(&f, 28, 5, 0, FS_IPPROTO_UDP, A4, B4);
	assert_int_equal(parse(&f, &pkt), FS_PARSE_NON_IP);
}

static void test_ipv4_non_first_fragment(void **state)
{
	struct frame f;
	struct fs_pkt pkt;

	eth(&f, FS_ETH_P_IP);
	/* Offset 185 (x8 = 1480 bytes): bytes that look like ports are payload. */
	ipv4(&f, 520, 5, 185, FS_IPPROTO_UDP, A4, B4);
	udp(&f, 7777, 8888, 500);
	assert_int_equal(parse(&f, &pkt), FS_PARSE_IP);
	assert_int_equal(pkt.is_fragment, 1);
	assert_int_equal(pkt.key.lo_port, 0);
	assert_int_equal(pkt.key.hi_port, 0);
	assert_int_equal(pkt.l4_hdr_len, 0);
	assert_int_equal(pkt.payload_len, 500);
}

static void test_ipv6_ext_headers_and_fragment(void **state)
{
	static const __u8 a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	static const __u8 b6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
	__u8 hop[8] = {FS_IPPROTO_DSTOPTS, 0};
	__u8 dst[16] = {FS_IPPROTO_FRAGMENT, 1}; /* (1 + 1) * 8 = 16 bytes */
	__u8 frag[8] = {FS_IPPROTO_TCP, 0, 0, 1 /* offset 0, M=1 */};
	__u8 ip6[8] = {0x60, 0, 0, 0, 0, 0, FS_IPPROTO_HOPOPTS, 64};
	struct frame f;
	struct fs_pkt pkt;
	/* payload length: 8 + 16 + 8 + 20 (TCP) + 10 data = 62 */
	ip6[4] = 0;
	ip6[5] = 62;
	eth(&f, FS_ETH_P_IPV6);
	put(&f, ip6, 8);
	put(&f, a6, 16);
	put(&f, b6, 16);
	put(&f, hop, 8);
	put(&f, dst, 16);
	put(&f, frag, 8);
	tcp(&f, 2000, 80, 5, FS_TCP_ACK, 100);
	assert_int_equal(parse(&f, &pkt), FS_PARSE_IP);
	assert_int_equal(pkt.key.proto, FS_IPPROTO_TCP);
	assert_int_equal(pkt.is_fragment, 0);
	assert_int_equal(pkt.ip_len, 102);
	assert_int_equal(pkt.key.lo_port, 2000);
	assert_int_equal(pkt.payload_len, 10);

	/* The same datagram's second fragment: no TCP header, ports 0. */
	frag[2] = 0;
	frag[3] = 2 << 3; /* offset 2 (x 8 = 16 bytes), M=0 */
	f.len = 14 + 40 + 8 + 16;
	put(&f, frag, 8);
	assert_int_equal(parse(&f, &pkt), FS_PARSE_IP);
	assert_int_equal(pkt.is_fragment, 1);
	assert_int_equal(pkt.key.proto, FS_IPPROTO_TCP);
	assert_int_equal(pkt.key.lo_port, 0);
}

static void test_bad_and_non_ip(void **state)
{
	struct frame f;
	struct fs_pkt pkt;

	eth(&f, 0x0806); /* ARP */
	assert_int_equal(parse(&f, &pkt), FS_PARSE_NON_IP);
	eth(&f, FS_ETH_P_IP);
	ipv4(&f, 28, 5, 0, FS_IPPROTO_UDP, A4, B4);
	f.b[14] = 0x44; /* IHL 4: shorter than the fixed header */
	assert_int_equal(parse(&f, &pkt), FS_PARSE_BAD_IP);
	f.b[14] = 0x45;
	f.b[16] = 0;
	f.b[17] = 10; /* total length 10 < 20 */
	assert_int_equal(parse(&f, &pkt), FS_PARSE_BAD_IP);
	f.len = 14 + 12; /* IP header cut off */
	assert_int_equal(parse(&f, &pkt), FS_PARSE_BAD_IP);
	f.len = 10; /* not even Ethernet */
	assert_int_equal(parse(&f, &pkt), FS_PARSE_NON_IP);
}

static void test_tso_zero_length_uses_wire_length(void **state)
{
	struct frame f;
	struct fs_pkt pkt;

	eth(&f, FS_ETH_P_IP);
	ipv4(&f, 0, 5, 0, FS_IPPROTO_TCP, A4, B4);
	tcp(&f, 1, 2, 5, FS_TCP_ACK, 1);
	memset(&pkt, 0, sizeof(pkt));
	/* 54 bytes at hand of a 3192-byte frame: IP length 3178. */
	assert_int_equal(fs_parse_frame(f.b, f.b + f.len, 3192, &pkt), FS_PARSE_IP);
	assert_int_equal(pkt.ip_len, 3178);
	assert_int_equal(pkt.payload_len, 3178 - 40);
}

static void test_snaplen_cut_tcp_keeps_ports(void **state)
{
	struct frame f;
	struct fs_pkt pkt;

	eth(&f, FS_ETH_P_IP);
	ipv4(&f, 1500, 5, 0, FS_IPPROTO_TCP, A4, B4);
	tcp(&f, 1234, 443, 5, FS_TCP_ACK, 1);
	f.len = 14 + 20 + 6; /* ports only */
	assert_int_equal(parse(&f, &pkt), FS_PARSE_IP);
	assert_int_equal(pkt.ip_len, 1500);
	assert_int_equal(pkt.key.lo_port, 1234);
	assert_int_equal(pkt.tcp_flags, 0);
	assert_int_equal(pkt.l4_hdr_len, 20);
	assert_int_equal(pkt.payload_len, 1460);
}

/* --- flow update --- */

static const struct fs_meter_config T = {
	.idle_ns = 60000000000ULL, .active_ns = 120000000000ULL, .linger_ns = 1000000000ULL};

static void mkpkt(struct fs_pkt *p, int lo_to_hi, __u32 len, __u8 flags, __u16 win)
{
	memset(p, 0, sizeof(*p));
	p->key.proto = FS_IPPROTO_TCP;
	p->lo_to_hi = lo_to_hi;
	p->ip_len = len;
	p->l4_hdr_len = 20;
	p->payload_len = len - 40;
	p->frame_len = len + 14;
	p->tcp_flags = flags;
	p->tcp_window = win;
}

static int account(struct fs_flow_stats *st, const struct fs_pkt *p, __u64 now,
		   struct fs_flow_stats *old, __u8 *reason)
{
	*reason = fs_flow_stale(st, p, now, &T);
	return fs_flow_account(st, p, now, *reason, old, &T);
}

static void test_update_counts_and_direction(void **state)
{
	struct fs_flow_stats st = {0}, old;
	struct fs_pkt p;
	__u8 reason;

	/* Forward is the first packet's direction: here hi -> lo. */
	mkpkt(&p, 0, 60, FS_TCP_SYN, 1000);
	account(&st, &p, 1000000, &old, &reason); /* t = 1 ms */
	mkpkt(&p, 1, 60, FS_TCP_SYN | FS_TCP_ACK, 2000);
	account(&st, &p, 3000000, &old, &reason); /* t = 3 ms */
	mkpkt(&p, 0, 140, FS_TCP_ACK, 3000);
	account(&st, &p, 7000000, &old, &reason); /* t = 7 ms */
	mkpkt(&p, 0, 100, FS_TCP_ACK | 0x08, 4000);
	account(&st, &p, 8000000, &old, &reason); /* t = 8 ms */

	assert_int_equal(st.fwd_is_lo, 0);
	assert_int_equal(st.first_ts, 1000000);
	assert_int_equal(st.last_ts, 8000000);
	assert_int_equal(st.dir[FS_DIR_FWD].packets, 3);
	assert_int_equal(st.dir[FS_DIR_BWD].packets, 1);
	assert_int_equal(st.dir[FS_DIR_FWD].bytes, 300);
	assert_int_equal(st.dir[FS_DIR_FWD].payload_bytes, 20 + 100 + 60);
	assert_int_equal(st.dir[FS_DIR_FWD].header_bytes, 60);
	assert_int_equal(st.dir[FS_DIR_FWD].payload_min, 20);
	assert_int_equal(st.dir[FS_DIR_FWD].payload_max, 100);
	assert_int_equal(st.dir[FS_DIR_FWD].payload_sumsq, 400 + 10000 + 3600);
	assert_int_equal(st.dir[FS_DIR_FWD].frame_bytes, 300 + 3 * 14);
	assert_int_equal(st.dir[FS_DIR_FWD].frame_min, 74);
	assert_int_equal(st.dir[FS_DIR_FWD].frame_max, 154);
	assert_int_equal(st.dir[FS_DIR_FWD].data_packets, 3);
	assert_int_equal(st.dir[FS_DIR_FWD].header_min, 20);
	/* Forward gaps: 6 ms and 1 ms; times are us since the first packet. */
	assert_int_equal(st.dir[FS_DIR_FWD].iat_min, 1000);
	assert_int_equal(st.dir[FS_DIR_FWD].iat_max, 6000);
	assert_int_equal(st.dir[FS_DIR_FWD].first_us, 0);
	assert_int_equal(st.dir[FS_DIR_FWD].last_us, 7000);
	assert_int_equal(st.dir[FS_DIR_BWD].first_us, 2000);
	assert_int_equal(st.dir[FS_DIR_FWD].iat_sumsq, 36000000 + 1000000);
	/* Flow gaps: 2, 4 and 1 ms. */
	assert_int_equal(st.last_us, 7000);
	assert_int_equal(st.iat_min, 1000);
	assert_int_equal(st.iat_max, 4000);
	assert_int_equal(st.iat_sumsq, 4000000 + 16000000 + 1000000);
	assert_int_equal(st.first_payload, 20);
	assert_int_equal(st.dir[FS_DIR_FWD].size_hist[0], 1); /* 60 */
	assert_int_equal(st.dir[FS_DIR_FWD].size_hist[1], 1); /* 100 */
	assert_int_equal(st.dir[FS_DIR_FWD].size_hist[2], 1); /* 140 */
	assert_int_equal(st.dir[FS_DIR_BWD].last_win, 2000);
	assert_int_equal(st.dir[FS_DIR_FWD].init_win, 1000);
	assert_int_equal(st.dir[FS_DIR_BWD].init_win, 2000);
	assert_int_equal(st.dir[FS_DIR_FWD].tcp_flags[1], 1); /* SYN */
	assert_int_equal(st.dir[FS_DIR_FWD].tcp_flags[4], 2); /* ACK */
	assert_int_equal(st.dir[FS_DIR_FWD].tcp_flags[3], 1); /* PSH */
	assert_int_equal(st.dir[FS_DIR_BWD].tcp_flags[4], 1);
	assert_int_equal(st.seq_len, 4);
	assert_int_equal(st.seq_dirs, 1 << 1); /* only the second went backward */
	assert_int_equal(st.seq[1].iat_code, 2000);
	assert_int_equal(st.seq[2].len, 140);
	assert_int_equal(st.seq[2].iat_code, 4000);
}

static void test_sequence_stops_at_16(void **state)
{
	struct fs_flow_stats st = {0}, old;
	struct fs_pkt p;
	__u8 reason;
	int i;

	for (i = 0; i < 20; i++) {
		mkpkt(&p, i & 1, 40 + i, FS_TCP_ACK, 1);
		account(&st, &p, 1000 * (__u64)(i + 1), &old, &reason);
	}
	assert_int_equal(st.seq_len, FS_SEQ_LEN);
	assert_int_equal(st.seq[15].len, 55);
	assert_int_equal(st.dir[0].packets + st.dir[1].packets, 20);
}

static void test_fin_both_ways_closes_then_linger(void **state)
{
	struct fs_flow_stats st = {0}, old;
	struct fs_pkt p;
	__u8 reason;
	int ret;

	mkpkt(&p, 1, 40, FS_TCP_SYN, 1);
	account(&st, &p, 1000, &old, &reason);
	mkpkt(&p, 1, 40, FS_TCP_FIN | FS_TCP_ACK, 1);
	ret = account(&st, &p, 2000, &old, &reason);
	assert_int_equal(ret, FS_ACC_COUNTED);
	mkpkt(&p, 0, 40, FS_TCP_FIN | FS_TCP_ACK, 1);
	ret = account(&st, &p, 3000, &old, &reason);
	assert_int_equal(ret, FS_ACC_CLOSED);
	assert_int_equal(st.end_reason, FS_END_FIN);
	/* The last ACK, within the linger: still the same flow. */
	mkpkt(&p, 1, 40, FS_TCP_ACK, 1);
	ret = account(&st, &p, 4000, &old, &reason);
	assert_int_equal(ret, FS_ACC_COUNTED);
	assert_int_equal(st.dir[FS_DIR_FWD].packets, 3);
	/* Not due before the linger has passed, due after. */
	assert_int_equal(fs_flow_end_reason(&st, 4000 + T.linger_ns - 1, &T), FS_END_NONE);
	assert_int_equal(fs_flow_end_reason(&st, 4000 + T.linger_ns, &T), FS_END_FIN);
	/* A new SYN on the same tuple at once: a new flow. */
	mkpkt(&p, 0, 44, FS_TCP_SYN, 1);
	ret = account(&st, &p, 5000, &old, &reason);
	assert_int_equal(ret, FS_ACC_RESTARTED);
	assert_int_equal(reason, FS_END_FIN);
	assert_int_equal(old.dir[FS_DIR_FWD].packets, 3);
	assert_int_equal(st.dir[FS_DIR_FWD].packets, 1);
	assert_int_equal(st.fwd_is_lo, 0);
	assert_int_equal(st.end_reason, FS_END_NONE);
}

static void test_rst_closes(void **state)
{
	struct fs_flow_stats st = {0}, old;
	struct fs_pkt p;
	__u8 reason;

	mkpkt(&p, 1, 40, FS_TCP_SYN, 1);
	account(&st, &p, 1000, &old, &reason);
	mkpkt(&p, 0, 40, FS_TCP_RST | FS_TCP_ACK, 1);
	assert_int_equal(account(&st, &p, 2000, &old, &reason), FS_ACC_CLOSED);
	assert_int_equal(st.end_reason, FS_END_RST);
}

static void test_idle_and_active_timeouts(void **state)
{
	struct fs_flow_stats st = {0}, old;
	struct fs_pkt p;
	__u8 reason;
	__u64 t = 0;
	int i;

	mkpkt(&p, 1, 100, 0, 0);
	p.key.proto = FS_IPPROTO_UDP;
	account(&st, &p, t, &old, &reason);
	/* Exactly the idle timeout later: still the same flow (strictly greater ends it). */
	t += T.idle_ns;
	assert_int_equal(account(&st, &p, t, &old, &reason), FS_ACC_COUNTED);
	t += T.idle_ns + 1;
	assert_int_equal(account(&st, &p, t, &old, &reason), FS_ACC_RESTARTED);
	assert_int_equal(reason, FS_END_IDLE);
	assert_int_equal(old.dir[FS_DIR_FWD].packets, 2);

	/* A packet every 10 s: the active timeout (120 s) cuts the flow. */
	memset(&st, 0, sizeof(st));
	for (i = 0; i <= 12; i++)
		assert_int_equal(account(&st, &p, (__u64)i * 10000000000ULL, &old, &reason),
				 FS_ACC_COUNTED);
	assert_int_equal(account(&st, &p, 130000000000ULL, &old, &reason), FS_ACC_RESTARTED);
	assert_int_equal(reason, FS_END_ACTIVE);
	assert_int_equal(old.dir[FS_DIR_FWD].packets, 13);
}

static void test_time_stepping_back_is_harmless(void **state)
{
	struct fs_flow_stats st = {0}, old;
	struct fs_pkt p;
	__u8 reason;

	mkpkt(&p, 1, 100, 0, 0);
	account(&st, &p, 1000000, &old, &reason);
	account(&st, &p, 999936, &old, &reason); /* 64 us back */
	assert_int_equal(st.dir[FS_DIR_FWD].iat_min, 0);
	assert_int_equal(st.dir[FS_DIR_FWD].iat_max, 0);
	assert_int_equal(st.last_ts, 1000000);
	assert_int_equal(st.first_ts, 1000000);
}

/* --- the feature state: bulks, activity, subflows, bursts, sequence --- */

static const struct fs_meter_config CIC = {
	.idle_ns = 60000000000ULL, .active_ns = 120000000000ULL, .linger_ns = 0, .cic_compat = 1};

#define MS 1000000ULL

/* A UDP packet with `payload` bytes at `ms` milliseconds. */
static void send_udp(struct fs_flow_stats *st, int lo_to_hi, __u32 payload, __u64 ms,
		     const struct fs_meter_config *cfg)
{
	struct fs_flow_stats old;
	struct fs_pkt p;

	memset(&p, 0, sizeof(p));
	p.key.proto = FS_IPPROTO_UDP;
	p.lo_to_hi = lo_to_hi;
	p.ip_len = 28 + payload;
	p.l4_hdr_len = 8;
	p.payload_len = payload;
	p.frame_len = p.ip_len + 14;
	fs_flow_account(st, &p, ms * MS, fs_flow_stale(st, &p, ms * MS, cfg), &old, cfg);
}

static void test_bulks(void **state)
{
	struct fs_flow_stats st = {0};
	const struct fs_bulk_state *f = &st.dir[FS_DIR_FWD].bulk, *b = &st.dir[FS_DIR_BWD].bulk;
	int i;

	for (i = 0; i < 5; i++) /* forward (lo -> hi) every 100 ms */
		send_udp(&st, 1, 100, 100 * i, &T);
	assert_int_equal(f->count, 1);
	assert_int_equal(f->packets, 5);
	assert_int_equal(f->bytes, 500);
	assert_int_equal(f->duration, 400000);
	send_udp(&st, 0, 50, 500, &T); /* backward: ends the forward run */
	send_udp(&st, 1, 0, 550, &T);  /* no payload: not part of any bulk */
	for (i = 6; i < 10; i++)
		send_udp(&st, 1, 100, 100 * i, &T);
	assert_int_equal(f->count, 2);
	assert_int_equal(f->packets, 9);
	assert_int_equal(f->bytes, 900);
	assert_int_equal(f->duration, 400000 + 300000);
	/* The backward candidate (one packet) was ended by the forward run. */
	send_udp(&st, 0, 50, 950, &T);
	send_udp(&st, 0, 50, 960, &T);
	send_udp(&st, 0, 50, 970, &T);
	assert_int_equal(b->count, 0);
	/* A gap over 1 s starts a new candidate. */
	send_udp(&st, 0, 50, 1971, &T);
	assert_int_equal(b->count, 0);
	assert_int_equal(b->cand_packets, 1);
}

static void test_cic_compat_bulks_take_every_packet_backward(void **state)
{
	struct fs_flow_stats st = {0};
	int i;

	for (i = 0; i < 10; i++)
		send_udp(&st, i == 5 ? 0 : 1, 100, 100 * i, &CIC);
	assert_int_equal(st.dir[FS_DIR_FWD].bulk.count, 0);
	assert_int_equal(st.dir[FS_DIR_BWD].bulk.count, 1);
	assert_int_equal(st.dir[FS_DIR_BWD].bulk.packets, 10);
	assert_int_equal(st.dir[FS_DIR_BWD].bulk.bytes, 1000);
	assert_int_equal(st.dir[FS_DIR_BWD].bulk.duration, 900000);
}

static void test_activity_subflows_and_bursts(void **state)
{
	struct fs_flow_stats st = {0};

	send_udp(&st, 1, 10, 0, &T);
	send_udp(&st, 0, 20, 1000, &T);	 /* gap 1 s: not over it */
	send_udp(&st, 1, 10, 7000, &T);	 /* gap 6 s: idle */
	send_udp(&st, 1, 10, 7100, &T);	 /* 100 ms: same burst */
	send_udp(&st, 1, 10, 19100, &T); /* gap 12 s: idle */
	assert_int_equal(st.active.count, 2);
	assert_int_equal(st.active.sum, 1000000 + 100000);
	assert_int_equal(st.active.min, 100000);
	assert_int_equal(st.active.max, 1000000);
	assert_int_equal(st.idle.count, 2);
	assert_int_equal(st.idle.sum, 6000000 + 12000000);
	assert_int_equal(st.idle.min, 6000000);
	assert_int_equal(st.idle.sumsq, 36000000000000ULL + 144000000000000ULL);
	assert_int_equal(st.active_start, 19100000);
	assert_int_equal(st.subflow_gaps, 2);
	assert_int_equal(st.bursts, 4);
	assert_int_equal(st.burst_gap_sum, 1000000 + 6000000 + 12000000);
	assert_int_equal(st.burst_max, 38 + 38);
}

static void test_seq_iat_code(void **state)
{
	assert_int_equal(fs_seq_iat_code(0), 0);
	assert_int_equal(fs_seq_iat_code(32767), 32767);
	assert_int_equal(fs_seq_iat_code(32768), 0x8000 | 32);
	assert_int_equal(fs_seq_iat_code(1000000), 0x8000 | (1000000 >> 10));
	assert_int_equal(fs_seq_iat_code(100000000), 0xffff);
}

static void test_cic_compat_first_fin_closes(void **state)
{
	struct fs_flow_stats st = {0}, old;
	struct fs_pkt p;
	__u8 reason;

	mkpkt(&p, 1, 40, FS_TCP_SYN, 1);
	fs_flow_account(&st, &p, 1000, FS_END_NONE, &old, &CIC);
	mkpkt(&p, 0, 40, FS_TCP_RST | FS_TCP_ACK, 1); /* RST does not end a CIC flow */
	assert_int_equal(fs_flow_account(&st, &p, 2000, FS_END_NONE, &old, &CIC), FS_ACC_COUNTED);
	mkpkt(&p, 1, 40, FS_TCP_FIN | FS_TCP_ACK, 1);
	assert_int_equal(fs_flow_account(&st, &p, 3000, FS_END_NONE, &old, &CIC), FS_ACC_CLOSED);
	/* No linger: the next packet, even at the same time, starts a new flow. */
	mkpkt(&p, 0, 40, FS_TCP_ACK, 1);
	reason = fs_flow_stale(&st, &p, 3000, &CIC);
	assert_int_equal(reason, FS_END_FIN);
	assert_true(fs_flow_account(&st, &p, 3000, reason, &old, &CIC) & FS_ACC_RESTARTED);
	assert_int_equal(old.dir[FS_DIR_FWD].packets, 2);
	assert_int_equal(st.fwd_is_lo, 0);
}

static __u8 udp_shape(const char *hex8, __u32 len)
{
	__u8 b[FS_SHAPE_BYTES];
	__u16 seq = 0;
	unsigned int i, x;

	for (i = 0; i < FS_SHAPE_BYTES; i++) {
		sscanf(hex8 + 2 * i, "%2x", &x);
		b[i] = (__u8)x;
	}
	return fs_payload_shape(b, len, FS_IPPROTO_UDP, &seq);
}

#define SHAPE(s) (1 << FS_SHAPE_##s)

/* Each test against the bytes it must refuse, RFC by RFC. */
static void test_payload_shape_edges(void **state)
{
	__u8 tls[FS_SHAPE_BYTES] = {0x17, 0x03, 0x03, 0x00, 0x20};
	__u16 seq = 0;

	(void)state;
	assert_int_equal(udp_shape("8000abcd00000000", 172), SHAPE(RTP));
	assert_int_equal(udp_shape("80e0abcd00000000", 172), SHAPE(RTP)); /* marker, type 96 */
	assert_int_equal(udp_shape("80c8000600000000", 28), SHAPE(RTCP)); /* sender report */
	assert_int_equal(udp_shape("80d6000600000000", 28), 0);		  /* 214: type 86 + M */
	assert_int_equal(udp_shape("80c0000600000000", 28), 0);		  /* 192: type 64 + M */
	assert_int_equal(udp_shape("8000abcd00000000", 11), 0); /* shorter than a header */
	assert_int_equal(udp_shape("000100082112a442", 28), SHAPE(STUN));
	assert_int_equal(udp_shape("000100092112a442", 28), 0); /* says 9 + 20 > 28 */
	assert_int_equal(udp_shape("000100002112a443", 28), 0); /* not the cookie */
	assert_int_equal(udp_shape("16fefd0000000000", 13), SHAPE(DTLS));
	assert_int_equal(udp_shape("16fefe0000000000", 13), 0); /* no such version */
	assert_int_equal(udp_shape("18fefd0000000000", 13), 0); /* no such type */
	assert_int_equal(udp_shape("c300000001080000", 1200), SHAPE(QUIC_LONG));
	assert_int_equal(udp_shape("c36b3343cf080000", 1200), SHAPE(QUIC_LONG)); /* v2 */
	assert_int_equal(udp_shape("cdff00001d080000", 1200), SHAPE(QUIC_LONG)); /* draft 29 */
	assert_int_equal(udp_shape("c351303436080000", 1200), SHAPE(QUIC_LONG)); /* Q046 */
	assert_int_equal(udp_shape("c312345678080000", 1200), 0);
	/* Version negotiation, or RTP of type 0 and sequence number 0: the flow decides. */
	assert_int_equal(udp_shape("8a00000000000000", 11), FS_SHAPE_QUIC_VN);
	assert_int_equal(udp_shape("8a00000000080000", 60), SHAPE(RTP) | FS_SHAPE_QUIC_VN);
	assert_int_equal(udp_shape("ca00000000080000", 60), SHAPE(QUIC_LONG));
	assert_int_equal(udp_shape("4100000000000000", 60), SHAPE(QUIC_SHORT));
	assert_int_equal(udp_shape("1703030020000000", 40), 0); /* TLS is TCP's */
	assert_int_equal(fs_payload_shape(tls, 40, FS_IPPROTO_TCP, &seq), SHAPE(TLS));
	tls[2] = 5;
	assert_int_equal(fs_payload_shape(tls, 40, FS_IPPROTO_TCP, &seq), 0);
	assert_int_equal(fs_payload_shape(tls, 7, FS_IPPROTO_TCP, &seq), 0);
}

/*
 * Two interleaved RTP streams both count; a new one takes the older slot:
 * 118 is 17 past 101 (new, evicts 101's), 5000 evicts 9002's, then 9003
 * has lost its stream and evicts 119's; 65535 -> 0 wraps.
 */
static void test_rtp_two_streams(void **state)
{
	static const __u16 seq[] = {100, 9000, 101, 9001, 118, 119, 9002, 5000, 9003, 65535, 0, 16};
	static const int continues[] = {0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1};
	struct fs_dir_stats d = {0};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		assert_int_equal(fs_rtp_continues(&d, seq[i]), continues[i]);
}

/* Within 2 ms of 20, 40, ... 200 ms, both edges included. */
static void test_paced_gaps(void **state)
{
	static const __u32 paced[] = {18000, 20000, 22000, 38000, 42000, 198000, 202000};
	static const __u32 not_paced[] = {0, 2000, 17999, 22001, 30000, 37999, 202001, 220000};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(paced) / sizeof(paced[0]); i++)
		assert_true(fs_gap_is_paced(paced[i]));
	for (i = 0; i < sizeof(not_paced) / sizeof(not_paced[0]); i++)
		assert_false(fs_gap_is_paced(not_paced[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp_with_options),
		cmocka_unit_test(test_reverse_direction_same_key),
		cmocka_unit_test(test_qinq_vlan),
		cmocka_unit_test(test_three_vlan_tags_are_not_ip),
		cmocka_unit_test(test_ipv4_non_first_fragment),
		cmocka_unit_test(test_ipv6_ext_headers_and_fragment),
		cmocka_unit_test(test_bad_and_non_ip),
		cmocka_unit_test(test_tso_zero_length_uses_wire_length),
		cmocka_unit_test(test_snaplen_cut_tcp_keeps_ports),
		cmocka_unit_test(test_update_counts_and_direction),
		cmocka_unit_test(test_sequence_stops_at_16),
		cmocka_unit_test(test_fin_both_ways_closes_then_linger),
		cmocka_unit_test(test_rst_closes),
		cmocka_unit_test(test_idle_and_active_timeouts),
		cmocka_unit_test(test_time_stepping_back_is_harmless),
		cmocka_unit_test(test_bulks),
		cmocka_unit_test(test_cic_compat_bulks_take_every_packet_backward),
		cmocka_unit_test(test_activity_subflows_and_bursts),
		cmocka_unit_test(test_seq_iat_code),
		cmocka_unit_test(test_cic_compat_first_fin_closes),
		cmocka_unit_test(test_payload_shape_edges),
		cmocka_unit_test(test_rtp_two_streams),
		cmocka_unit_test(test_paced_gaps),
	};

	return cmocka_run_group_tests_name("flow_logic", tests, NULL, NULL);
}
