/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Verdicts per host over a time window: the classified flows' ballots,
 * grouped by the host that opened each flow (its first packet's source),
 * each host judged by host_vote.h's rule. The live summary's host table
 * reads every host; a record's host_class column reads its own host.
 */
#ifndef FS_HOSTS_H
#define FS_HOSTS_H

#include <stddef.h>

#include "classify/host_vote.h"

/* Ballots held at most; past it, flows are counted in `left_out`. */
#define FS_HOSTS_MAX_BALLOTS (1U << 20)
/*
 * One host's verdict for a record reads at most its latest this many flows
 * in the window, so a record of a busy host (a NAT gateway, a server) costs
 * a bounded time; the host table reads them all.
 */
#define FS_HOST_RECORD_BALLOTS 256

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
/* Ballots held. */
size_t fs_hosts_count(const struct fs_hosts *h);
/*
 * A mark, and a rollback to it: fs_hosts_rollback drops every ballot added
 * after fs_hosts_mark (the live summary's open flows, held for one refresh).
 */
__u64 fs_hosts_mark(const struct fs_hosts *h);
void fs_hosts_rollback(struct fs_hosts *h, __u64 mark);
/* Drops the ballots of flows whose last packet came before `before` (ns). */
void fs_hosts_prune(struct fs_hosts *h, __u64 before);
/*
 * Each host's verdict over [from, to], most bytes first, into *rows (n of
 * them; the caller frees it). 0, or -1 without memory.
 */
int fs_hosts_judge(struct fs_hosts *h, __u64 from, __u64 to, struct fs_host_row **rows, size_t *n);
/*
 * Host addr's verdict over [from, to] from its latest FS_HOST_RECORD_BALLOTS
 * ballots there, into *row (cls -1: none). 0, or -1 without memory.
 */
int fs_hosts_judge_one(struct fs_hosts *h, const __u8 addr[16], __u64 from, __u64 to,
		       struct fs_host_row *row);

#endif /* FS_HOSTS_H */
