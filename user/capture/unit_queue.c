// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "common/handoff.h"
#include "capture/unit_queue.h"

/* 64 units of about 2.3 kB a batch: the engine's thread meets the queue's once in 64 flows. */
#define BATCH_UNITS 64
#define BATCHES	    4
#define SLOTS	    (BATCHES * BATCH_UNITS)

/* A unit's way through the queue; its work area goes with it. */
enum {
	UNIT_WAITING,	/* pushed, not yet prepared */
	UNIT_PREPARING, /* a thread took it */
	UNIT_PREPARED,
};

struct slot {
	struct fs_unit unit;
	atomic_int state;
};

struct batch {
	unsigned int n;
	bool last; /* the producer pushes nothing after it */
	struct slot slots[BATCH_UNITS];
};

struct fs_unit_queue {
	const struct fs_unit_stages *stages;
	pthread_t thread;
	struct fs_handoff ring; /* of batches */
	struct batch *batches;
	struct batch *filling; /* the producer's: NULL until its next push */
	char *work;	       /* SLOTS areas of work_size, in the slots' order */
	size_t work_size;      /* stages->work_size, rounded to a cache line */
	atomic_bool failed; /* a commit said -1: set by the queue's thread, read by the producer */
};

static void *work_of(struct fs_unit_queue *q, const struct batch *b, unsigned int i)
{
	size_t slot = (size_t)(b - q->batches) * BATCH_UNITS + i;

	return q->work + slot * q->work_size;
}

/* Prepares unit i of b if no thread has taken it yet: true if this one did. */
static bool take_and_prepare(struct fs_unit_queue *q, struct batch *b, unsigned int i)
{
	struct slot *s = &b->slots[i];
	int waiting = UNIT_WAITING;

	if (!atomic_compare_exchange_strong(&s->state, &waiting, UNIT_PREPARING))
		return false;
	q->stages->prepare(q->stages->ctx, &s->unit, work_of(q, b, i));
	atomic_store_explicit(&s->state, UNIT_PREPARED, memory_order_release);
	return true;
}

/* Unit i of b, prepared here or by the producer, then committed. */
static int prepare_and_commit(struct fs_unit_queue *q, struct batch *b, unsigned int i)
{
	struct slot *s = &b->slots[i];

	if (!take_and_prepare(q, b, i)) {
		/* The producer has it: a record's making, a few microseconds. */
		while (atomic_load_explicit(&s->state, memory_order_acquire) != UNIT_PREPARED)
			sched_yield();
	}
	return q->stages->commit(q->stages->ctx, &s->unit, work_of(q, b, i));
}

/* The queue's thread: every unit of every batch, until the last. */
static void *drain_batches(void *arg)
{
	struct fs_unit_queue *q = arg;
	bool last = false;

	while (!last) {
		struct batch *b = &q->batches[fs_handoff_slot_to_take(&q->ring)];
		unsigned int i;

		for (i = 0; i < b->n && !atomic_load_explicit(&q->failed, memory_order_relaxed);
		     i++)
			if (prepare_and_commit(q, b, i) < 0)
				atomic_store(&q->failed, true);
		last = b->last;
		fs_handoff_give_back(&q->ring);
	}
	return NULL;
}

/*
 * The producer, waiting: prepares one unit the queue's thread has not
 * reached, newest batch first (that thread works from the oldest). False
 * when there is none. A batch it looks into cannot be filled again meanwhile:
 * only the producer fills.
 */
static bool help_one(struct fs_unit_queue *q)
{
	unsigned int oldest, count, k, i;

	fs_handoff_filled(&q->ring, &oldest, &count);
	for (k = count; k-- > 0;) {
		struct batch *b = &q->batches[(oldest + k) % BATCHES];

		for (i = 0; i < b->n; i++)
			if (atomic_load_explicit(&b->slots[i].state, memory_order_relaxed) ==
				    UNIT_WAITING &&
			    take_and_prepare(q, b, i))
				return true;
	}
	return false;
}

static void free_queue(struct fs_unit_queue *q)
{
	size_t i;

	for (i = 0; q->work && q->stages->release && i < SLOTS; i++)
		q->stages->release(q->work + i * q->work_size);
	fs_handoff_destroy(&q->ring);
	free(q->work);
	free(q->batches);
	free(q);
}

struct fs_unit_queue *fs_unit_queue_start(const struct fs_unit_stages *stages)
{
	struct fs_unit_queue *q;

	if (fs_one_cpu() || !(q = calloc(1, sizeof(*q))))
		return NULL;
	q->stages = stages;
	q->work_size = (stages->work_size + 63) & ~(size_t)63;
	fs_handoff_init(&q->ring, BATCHES);
	q->batches = malloc(BATCHES * sizeof(*q->batches));
	q->work = calloc(SLOTS, q->work_size);
	if (!q->batches || !q->work || fs_thread_start_quiet(&q->thread, drain_batches, q) != 0) {
		free_queue(q);
		return NULL;
	}
	return q;
}

/* The batch being filled, or a free one: while none is, the producer helps. */
static struct batch *filling(struct fs_unit_queue *q)
{
	unsigned int oldest, count;

	if (q->filling)
		return q->filling;
	do {
		fs_handoff_filled(&q->ring, &oldest, &count);
	} while (count == BATCHES && help_one(q));
	/* The queue's thread never stops the ring, so a slot comes. */
	q->filling = &q->batches[fs_handoff_slot_to_fill(&q->ring)];
	q->filling->n = 0;
	q->filling->last = false;
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
	struct slot *s;

	if (atomic_load_explicit(&q->failed, memory_order_relaxed))
		return -1;
	b = filling(q);
	s = &b->slots[b->n++];
	s->unit = *u;
	atomic_store_explicit(&s->state, UNIT_WAITING, memory_order_relaxed);
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
	while (!atomic_load_explicit(&q->failed, memory_order_relaxed) && help_one(q))
		;
	pthread_join(q->thread, NULL);
	err = atomic_load(&q->failed) ? -1 : 0;
	free_queue(q);
	return err;
}
