/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading pcap and pcapng files. Every link type is turned into the Ethernet
 * frame that the kernel program expects, cut to FS_FRAME_MAX bytes: flow
 * accounting reads headers only, and lengths come from the IP header.
 * Frames with no IP inside (802.11 management, ...) become ethertype-0
 * frames, which the engines count as non-IP.
 */
#ifndef FS_CAPTURE_H
#define FS_CAPTURE_H

#include <stdbool.h>
#include <linux/types.h>

/* Enough for Ethernet, two VLAN tags, IPv6 with extension headers and TCP. */
#define FS_FRAME_MAX 512

struct fs_capture;

struct fs_frame {
	/* The frame: into libpcap's buffer for Ethernet, else into buf. */
	const __u8 *data;
	__u8 buf[FS_FRAME_MAX];
	__u32 len;	/* bytes in data */
	__u32 wire_len; /* the Ethernet frame's length on the wire */
	__u64 ts_ns;	/* capture timestamp, ns since the epoch */
};

/* Opens PATH; on failure prints "flowscope: PATH: why" and returns NULL. */
struct fs_capture *fs_capture_open(const char *path);
/*
 * Next frame, valid until the next call: 1 on success, 0 at the end, -1 when the file is damaged
 * after some records (a warning is printed; what came before stays valid).
 */
int fs_capture_next(struct fs_capture *c, struct fs_frame *out);
void fs_capture_close(struct fs_capture *c);

#endif /* FS_CAPTURE_H */
