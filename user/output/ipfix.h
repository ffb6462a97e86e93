/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * IPFIX export (RFC 7011) of finished flows as biflows (RFC 5103), encoded
 * by libfixbuf (docs/IPFIX.md). Records wait in a bounded queue for a
 * thread of their own, so a collector that is down or slow never holds up
 * the drain: live, a full queue drops and counts; a replay waits instead.
 */
#ifndef FS_IPFIX_H
#define FS_IPFIX_H

#include <stdbool.h>

#include "classify/model.h"
#include "output/record_columns.h"

/* RFC 5612's enterprise number for documentation and tests: the default. */
#define FS_IPFIX_DEFAULT_PEN   32473
#define FS_IPFIX_DEFAULT_QUEUE 65536

struct fs_ipfix_config {
	const char *target;   /* [udp://|tcp://]HOST:PORT */
	__u32 pen;	      /* flowscope's elements' private enterprise number */
	const char *features; /* "none", "all" or NAME,...: the features exported */
	__u32 queue;	      /* flows the queue holds */
	bool wait_when_full;  /* replay: nothing is dropped */
};

/* What has become of the flows handed over. */
struct fs_ipfix_stats {
	__u64 exported;
	__u64 dropped_queue_full;  /* live: the queue was full */
	__u64 dropped_send_failed; /* the collector refused, or could not be reached */
	__u64 queued;		   /* waiting now */
	__u32 queue_size;
};

struct fs_ipfix;

/* Starts the exporting thread. NULL after printing why. */
struct fs_ipfix *fs_ipfix_open(const struct fs_ipfix_config *cfg, const struct fs_model *model);
/* Hands a record over: queued, or dropped and counted. */
void fs_ipfix_add(struct fs_ipfix *x, const struct fs_row *row);
void fs_ipfix_stats(struct fs_ipfix *x, struct fs_ipfix_stats *st);
/*
 * Sends what is queued (for at most a few seconds if the collector does not
 * take it), says what became of every flow in one line, frees x. 0, or -1
 * if a flow was dropped while x waits when full (a replay's export is whole
 * or fails).
 */
int fs_ipfix_close(struct fs_ipfix *x);

#endif /* FS_IPFIX_H */
