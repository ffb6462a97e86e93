// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdatomic.h>
#include <stdlib.h>

#include "common/handoff.h"
#include "capture/unit_queue.h"

/* 64 units of about 2.3 kB a batch: the engine's thread meets the sink's once in 64 flows. */
#define BATCH_UNITS 64
#define BATCHES	    4

struct batch {
	unsigned int n;
	bool last; /* the producer pushes nothing after it */
	struct fs_unit units[BATCH_UNITS];
};

struct fs_unit_queue {
	fs_unit_fn sink;
	void *ctx;
	pthread_t thread;
	struct fs_handoff ring; /* of batches */
	struct batch *batches;
	struct batch *filling; /* the producer's: NULL until its next push */
	atomic_bool failed;    /* the sink said -1: set by its thread, read by the producer */
};

/* The sink's thread: every unit of every batch, until the last. */
static void *drain_batches(void *arg)
{
	struct fs_unit_queue *q = arg;
	bool last = false;

	while (!last) {
		struct batch *b = &q->batches[fs_handoff_slot_to_take(&q->ring)];
		unsigned int i;

		for (i = 0; i < b->n && !atomic_load_explicit(&q->failed, memory_order_relaxed);
		     i++)
			if (q->sink(q->ctx, &b->units[i]) < 0)
				atomic_store(&q->failed, true);
		last = b->last;
		fs_handoff_give_back(&q->ring);
	}
	return NULL;
}

static void free_queue(struct fs_unit_queue *q)
{
	fs_handoff_destroy(&q->ring);
	free(q->batches);
	free(q);
}

struct fs_unit_queue *fs_unit_queue_start(fs_unit_fn sink, void *ctx)
{
	struct fs_unit_queue *q;

	if (fs_one_cpu() || !(q = calloc(1, sizeof(*q))))
		return NULL;
	q->sink = sink;
	q->ctx = ctx;
	fs_handoff_init(&q->ring, BATCHES);
	q->batches = malloc(BATCHES * sizeof(*q->batches));
	if (!q->batches || fs_thread_start_quiet(&q->thread, drain_batches, q) != 0) {
		free_queue(q);
		return NULL;
	}
	return q;
}

/* The batch being filled, or a free one; the sink never stops the ring, so one comes. */
static struct batch *filling(struct fs_unit_queue *q)
{
	if (!q->filling) {
		q->filling = &q->batches[fs_handoff_slot_to_fill(&q->ring)];
		q->filling->n = 0;
		q->filling->last = false;
	}
	return q->filling;
}

static void hand_over(struct fs_unit_queue *q)
{
	fs_handoff_publish(&q->ring);
	q->filling = NULL;
}

int fs_unit_queue_push(void *ctx, const struct fs_unit *u)
{
	struct fs_unit_queue *q = ctx;
	struct batch *b;

	if (atomic_load_explicit(&q->failed, memory_order_relaxed))
		return -1;
	b = filling(q);
	b->units[b->n++] = *u;
	if (b->n == BATCH_UNITS)
		hand_over(q);
	return 0;
}

int fs_unit_queue_finish(struct fs_unit_queue *q)
{
	int err;

	if (!q)
		return 0;
	filling(q)->last = true;
	hand_over(q);
	pthread_join(q->thread, NULL);
	err = atomic_load(&q->failed) ? -1 : 0;
	free_queue(q);
	return err;
}
