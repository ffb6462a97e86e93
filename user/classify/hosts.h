/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Verdicts per host over a time window: the classified flows' ballots,
 * grouped by the host that opened each flow (its first packet's source),
 * each host judged by host_vote.h's rule. The live summary's host table
 * reads it.
 */
#ifndef FS_HOSTS_H
#define FS_HOSTS_H

#include <stddef.h>

#include "classify/host_vote.h"

/* Ballots held at most; past it, flows are counted in `left_out`. */
#define FS_HOSTS_MAX_BALLOTS (1U << 20)

struct fs_host_row {
	__u8 addr[16];
	__u64 flows;
	double bytes; /* in the window */
	int cls;      /* the host's verdict; -1: none */
	double score; /* ... and its score (host_vote.h) */
};

struct fs_hosts;

struct fs_hosts *fs_hosts_new(unsigned int nclasses, int background);
void fs_hosts_free(struct fs_hosts *h);
/* Holds b (its probabilities copied) for host addr. 0, or -1 without memory. */
int fs_hosts_add(struct fs_hosts *h, const __u8 addr[16], const struct fs_host_ballot *b);
/* Flows refused for want of room (FS_HOSTS_MAX_BALLOTS) or memory. */
__u64 fs_hosts_left_out(const struct fs_hosts *h);
/* Ballots held; fs_hosts_truncate(h, n) drops those added after there were n. */
size_t fs_hosts_count(const struct fs_hosts *h);
void fs_hosts_truncate(struct fs_hosts *h, size_t n);
/* Drops the ballots of flows whose last packet came before `before` (ns). */
void fs_hosts_prune(struct fs_hosts *h, __u64 before);
/*
 * Each host's verdict over [from, to], most bytes first, into *rows (n of
 * them; the caller frees it). 0, or -1 without memory.
 */
int fs_hosts_judge(struct fs_hosts *h, __u64 from, __u64 to, struct fs_host_row **rows, size_t *n);

#endif /* FS_HOSTS_H */
