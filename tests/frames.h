/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Crafted frames for the C tests and the benchmark: Ethernet, IPv4 (no
 * options, TTL 64) and a UDP or TCP header (TCP: data offset 5, a window
 * of 255), then zeroed payload. One builder, so that the tests and the
 * benchmark send the same packets the parser's documentation describes.
 */
#ifndef FS_TEST_FRAMES_H
#define FS_TEST_FRAMES_H

#include <string.h>
#include <linux/types.h>

struct fs_craft {
	__u8 src[4], dst[4];
	__u16 sport, dport;
	__u8 proto;	/* 17 (UDP) or 6 (TCP) */
	__u8 tcp_flags; /* TCP only */
	__u16 payload;	/* bytes after the L4 header */
};

/* Writes the frame c describes into buf (room for 14 + 20 + 20 + payload); its length. */
static inline __u32 fs_craft_frame(__u8 *buf, const struct fs_craft *c)
{
	__u16 l4_len = c->proto == 6 ? 20 : 8, ip_len = 20 + l4_len + c->payload;
	__u8 *ip = buf + 14, *l4 = ip + 20;

	memset(buf, 0, 14u + ip_len);
	buf[12] = 0x08; /* IPv4 */
	ip[0] = 0x45;
	ip[2] = ip_len >> 8;
	ip[3] = ip_len & 0xff;
	ip[8] = 64;
	ip[9] = c->proto;
	memcpy(ip + 12, c->src, 4);
	memcpy(ip + 16, c->dst, 4);
	l4[0] = c->sport >> 8;
	l4[1] = c->sport & 0xff;
	l4[2] = c->dport >> 8;
	l4[3] = c->dport & 0xff;
	if (c->proto == 6) {
		l4[12] = 5 << 4;
		l4[13] = c->tcp_flags;
		l4[14] = 0xff;
	}
	return 14u + ip_len;
}

#endif /* FS_TEST_FRAMES_H */
