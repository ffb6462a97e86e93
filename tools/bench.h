/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What the two halves of the benchmark share. */
#ifndef FS_BENCH_H
#define FS_BENCH_H

#include <linux/types.h>

#define TRIES	       3
#define REPLAY_PACKETS 2000000
#define REPLAY_FLOWS   10000
#define REPLAY_ROUNDS  5

double now_s(void);
/* Writes flow i's Ethernet frame into buf; returns its length. */
__u32 make_frame(__u8 *buf, __u32 i, __u16 payload, int tcp);
/* A capture of REPLAY_PACKETS packets over REPLAY_FLOWS flows at path. */
int generate_capture(const char *path);
/* Packets per second of one loop that only reads the capture. */
double bare_libpcap_pps(const char *path);

#endif /* FS_BENCH_H */
