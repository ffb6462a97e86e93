/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Finished flows handed to the output stage on a thread of its own: their
 * features, verdicts and records are made there, in the order they came,
 * while the engine's thread counts the next packets. Making a record
 * (some 200 numbers formatted) costs as much as reading and counting the
 * packets of a short flow, so a replay on two cores overlaps the two
 * (README, "Performance").
 */
#ifndef FS_UNIT_QUEUE_H
#define FS_UNIT_QUEUE_H

#include "capture/replay.h"

struct fs_unit_queue;

/*
 * A queue that hands every unit pushed to sink(ctx, unit), in order, on a
 * thread of its own. NULL where that only costs (the process may run on
 * one CPU) or no thread could start: then call sink directly.
 */
struct fs_unit_queue *fs_unit_queue_start(fs_unit_fn sink, void *ctx);
/*
 * An fs_unit_fn (ctx: the queue): a copy of u, for the sink. -1 once the
 * sink has failed on an earlier unit (those after it are dropped: the
 * caller stops), else 0.
 */
int fs_unit_queue_push(void *ctx, const struct fs_unit *u);
/*
 * Waits until the sink has had every unit pushed, then stops the thread and
 * frees the queue: 0, or -1 if the sink failed on any. NULL is fine (0).
 */
int fs_unit_queue_finish(struct fs_unit_queue *q);

#endif /* FS_UNIT_QUEUE_H */
