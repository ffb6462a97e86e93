/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Finished flows handed to the output stage on a thread of its own: their
 * features, verdicts and records are made there and written in the order
 * they came, while the engine's thread counts the next packets. Making a record
 * (some 200 numbers formatted) costs as much as reading and counting the
 * packets of a short flow, so a replay on two cores overlaps the two
 * (README, "Performance").
 *
 * A producer that finds the queue full, or has pushed its last unit,
 * prepares units waiting in it rather than sleeping: when the flows end
 * together (the end of a capture), their records are made on two CPUs.
 */
#ifndef FS_UNIT_QUEUE_H
#define FS_UNIT_QUEUE_H

#include "capture/replay.h"

struct fs_unit_queue;

/*
 * A queue that prepares every unit pushed (stages->prepare) on its thread or
 * the producer's, and commits them (stages->commit) on its own thread, in
 * order. NULL where that only costs (the process may run on one CPU) or no
 * thread could start: then call the stages in line. stages must outlive it.
 */
struct fs_unit_queue *fs_unit_queue_start(const struct fs_unit_stages *stages);
/*
 * An fs_unit_fn (ctx: the queue): a copy of u, for the stages. -1 once a
 * commit has failed on an earlier unit (those after it are dropped: the
 * caller stops), else 0.
 */
int fs_unit_queue_push(void *ctx, const struct fs_unit *u);
/*
 * Helps prepare, waits until every unit pushed is committed, then stops the
 * thread and frees the queue: 0, or -1 if a commit failed. NULL is fine (0).
 */
int fs_unit_queue_finish(struct fs_unit_queue *q);

#endif /* FS_UNIT_QUEUE_H */
