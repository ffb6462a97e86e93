/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What the two halves of the benchmark share. */
#ifndef FS_BENCH_H
#define FS_BENCH_H

#include <linux/types.h>

#define TRIES	       3
#define REPLAY_PACKETS 2000000
#define REPLAY_FLOWS   10000
#define REPLAY_ROUNDS  5
#define SHAPED_FLOWS   10000

double now_s(void);
/* Writes flow i's Ethernet frame into buf; returns its length. */
__u32 make_frame(__u8 *buf, __u32 i, __u16 payload, int tcp);
/* A capture of REPLAY_PACKETS packets over REPLAY_FLOWS flows at path. */
int generate_capture(const char *path);
struct fs_record;
/* Flow 7's record after packets packets of varied sizes, 20 ms apart. */
void make_flow_record(struct fs_record *rec, int packets, int tcp);
/* Real traffic's shape: SHAPED_FLOWS flows of about 34 packets. The packets, or -1. */
long generate_shaped_capture(const char *path);
/* Packets per second of one loop that only reads the capture. */
double bare_libpcap_pps(const char *path);
/* The IPFIX exporter's table: flows per second to a collector on loopback. */
void print_ipfix_export(void);
/* flowscope report's table: of the records of the capture at path, and of a million. */
void print_report_speed(const char *flowscope, const char *capture);

#endif /* FS_BENCH_H */
