// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <sched.h>
#include <signal.h>

#include "common/handoff.h"

void fs_handoff_init(struct fs_handoff *h, unsigned int slots)
{
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->filled, NULL);
	pthread_cond_init(&h->emptied, NULL);
	h->slots = slots;
	h->head = 0;
	h->count = 0;
	h->stop = false;
}

void fs_handoff_destroy(struct fs_handoff *h)
{
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->filled);
	pthread_cond_destroy(&h->emptied);
}

int fs_handoff_slot_to_fill(struct fs_handoff *h)
{
	int slot = -1;

	pthread_mutex_lock(&h->lock);
	while (h->count == h->slots && !h->stop)
		pthread_cond_wait(&h->emptied, &h->lock);
	if (!h->stop)
		slot = (int)((h->head + h->count) % h->slots);
	pthread_mutex_unlock(&h->lock);
	return slot;
}

void fs_handoff_publish(struct fs_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->count++;
	pthread_cond_signal(&h->filled);
	pthread_mutex_unlock(&h->lock);
}

void fs_handoff_filled(struct fs_handoff *h, unsigned int *oldest, unsigned int *count)
{
	pthread_mutex_lock(&h->lock);
	*oldest = h->head;
	*count = h->count;
	pthread_mutex_unlock(&h->lock);
}

unsigned int fs_handoff_slot_to_take(struct fs_handoff *h)
{
	unsigned int slot;

	pthread_mutex_lock(&h->lock);
	while (h->count == 0)
		pthread_cond_wait(&h->filled, &h->lock);
	slot = h->head;
	pthread_mutex_unlock(&h->lock);
	return slot;
}

void fs_handoff_give_back(struct fs_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->head = (h->head + 1) % h->slots;
	h->count--;
	pthread_cond_signal(&h->emptied);
	pthread_mutex_unlock(&h->lock);
}

void fs_handoff_stop(struct fs_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_cond_signal(&h->emptied);
	pthread_mutex_unlock(&h->lock);
}

int fs_thread_start_quiet(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

bool fs_one_cpu(void)
{
	cpu_set_t cpus;

	return sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) < 2;
}
