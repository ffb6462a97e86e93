/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A ring of batches handed from one thread to another, in order: the
 * producer fills a slot and publishes it, the consumer takes the oldest
 * filled slot and gives it back once done. The slots are the caller's (an
 * array indexed by what these return); the ring only says whose turn it is.
 * Handing over batches, not items, keeps the threads from meeting more than
 * once a batch. The capture reader (capture/reader.c) and the record queue
 * (capture/unit_queue.c) use it.
 */
#ifndef FS_HANDOFF_H
#define FS_HANDOFF_H

#include <pthread.h>
#include <stdbool.h>

struct fs_handoff {
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	unsigned int slots;
	/* Under lock: slots filled and not yet given back, from head on. */
	unsigned int head, count;
	bool stop;
};

void fs_handoff_init(struct fs_handoff *h, unsigned int slots);
void fs_handoff_destroy(struct fs_handoff *h);
/* Producer: the slot to fill next, once one is free; -1 once the ring is stopped. */
int fs_handoff_slot_to_fill(struct fs_handoff *h);
/* Producer: that slot is filled. */
void fs_handoff_publish(struct fs_handoff *h);
/*
 * Either side: the slots filled and not yet given back, as they stand: the
 * oldest and how many. The producer may look into them while it waits.
 */
void fs_handoff_filled(struct fs_handoff *h, unsigned int *oldest, unsigned int *count);
/* Consumer: the oldest filled slot, waiting for one. */
unsigned int fs_handoff_slot_to_take(struct fs_handoff *h);
/* Consumer: done with it, the producer may fill it again. */
void fs_handoff_give_back(struct fs_handoff *h);
/* Consumer: no more filling; a producer waiting for a slot gets -1. */
void fs_handoff_stop(struct fs_handoff *h);

/* A thread that takes no signal: they stay the main thread's to handle. 0, or an errno. */
int fs_thread_start_quiet(pthread_t *thread, void *(*fn)(void *), void *arg);
/* May this process run on one CPU only? Then a second thread only costs. */
bool fs_one_cpu(void);

#endif /* FS_HANDOFF_H */
