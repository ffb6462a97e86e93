// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * One thread reads the capture into a ring of batches of frames; the caller
 * takes them in order. Handing over a batch, not a frame, keeps the two
 * threads from meeting more than once every BATCH_FRAMES frames. A process
 * that may run on one CPU only reads in line: there the thread's switches
 * and its batches' cache cost a tenth more time a packet (the benchmark's
 * replay capture, pinned by taskset -c 0).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/reader.h"
#include "common/util.h"

#define BATCH_FRAMES   512
#define BATCHES	       4
#define PREFETCH_AHEAD 4

struct batch {
	unsigned int n;
	int end; /* 0: more batches follow; 1: the capture ended; -1: it is damaged */
	struct fs_frame frames[BATCH_FRAMES];
};

struct fs_capture_reader {
	struct fs_capture *cap;
	bool in_line; /* one CPU: no thread, no batches; frames straight from cap into frame */
	struct fs_frame frame;
	int in_line_end; /* 1 until the capture ends, then its 0 or -1 */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	struct batch *batches;
	/* Under lock: batches filled and not yet given back, from head on. */
	unsigned int head, count;
	bool stop;
	/* The caller's alone: it is taking frames from batches[head], next pos. */
	bool holding;
	unsigned int pos;
};

/* The next batch to fill, once the caller has given one back; NULL: stop. */
static struct batch *batch_to_fill(struct fs_capture_reader *r)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&r->lock);
	while (r->count == BATCHES && !r->stop)
		pthread_cond_wait(&r->emptied, &r->lock);
	if (!r->stop)
		b = &r->batches[(r->head + r->count) % BATCHES];
	pthread_mutex_unlock(&r->lock);
	return b;
}

/* Frames into b, each in its own buffer: libpcap's is reused by the next read. */
static int fill(struct fs_capture *cap, struct batch *b)
{
	int ret = 1;

	for (b->n = 0; b->n < BATCH_FRAMES; b->n++) {
		struct fs_frame *f = &b->frames[b->n];

		ret = fs_capture_next(cap, f);
		if (ret <= 0)
			break;
		if (f->data != f->buf) {
			memcpy(f->buf, f->data, f->len);
			f->data = f->buf;
		}
	}
	b->end = ret > 0 ? 0 : ret == 0 ? 1 : -1;
	return b->end;
}

static void publish(struct fs_capture_reader *r)
{
	pthread_mutex_lock(&r->lock);
	r->count++;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->lock);
}

static void *read_batches(void *arg)
{
	struct fs_capture_reader *r = arg;
	struct batch *b;
	int end = 0;

	while (!end && (b = batch_to_fill(r))) {
		end = fill(r->cap, b);
		publish(r);
	}
	return NULL;
}

static void free_reader(struct fs_capture_reader *r)
{
	fs_capture_close(r->cap);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->emptied);
	free(r->batches);
	free(r);
}

/* The thread takes no signal: they stay the main thread's to handle. */
static int start_thread(struct fs_capture_reader *r)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&r->thread, NULL, read_batches, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

static bool one_cpu(void)
{
	cpu_set_t cpus;

	return sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) < 2;
}

struct fs_capture_reader *fs_capture_reader_start(const char *path)
{
	struct fs_capture_reader *r = calloc(1, sizeof(*r));
	int err = 0;

	if (!r) {
		fs_err(path, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->emptied, NULL);
	r->cap = fs_capture_open(path);
	if (!r->cap) {
		free_reader(r);
		return NULL;
	}
	r->in_line = one_cpu();
	r->in_line_end = 1;
	if (!r->in_line) {
		r->batches = malloc(BATCHES * sizeof(*r->batches));
		err = r->batches ? start_thread(r) : ENOMEM;
	}
	if (err) {
		fs_err(path, "cannot start a thread to read it: %s", strerror(err));
		free_reader(r);
		return NULL;
	}
	return r;
}

/* Gives batches[head] back to the reader. */
static void give_back(struct fs_capture_reader *r)
{
	pthread_mutex_lock(&r->lock);
	r->head = (r->head + 1) % BATCHES;
	r->count--;
	pthread_cond_signal(&r->emptied);
	pthread_mutex_unlock(&r->lock);
	r->holding = false;
	r->pos = 0;
}

static void wait_for_batch(struct fs_capture_reader *r)
{
	pthread_mutex_lock(&r->lock);
	while (r->count == 0)
		pthread_cond_wait(&r->filled, &r->lock);
	pthread_mutex_unlock(&r->lock);
	r->holding = true;
}

/*
 * The frames were written by the other core: start loading one a few frames
 * ahead, its start, its second line (the parser may need it) and its lengths.
 */
static void prefetch_frame(const struct batch *b, unsigned int i)
{
	const struct fs_frame *f;

	if (i >= b->n)
		return;
	f = &b->frames[i];
	__builtin_prefetch(f->buf);
	__builtin_prefetch(f->buf + 64);
	__builtin_prefetch(&f->len);
}

static int next_in_line(struct fs_capture_reader *r, const struct fs_frame **out)
{
	if (r->in_line_end > 0)
		r->in_line_end = fs_capture_next(r->cap, &r->frame);
	*out = &r->frame;
	return r->in_line_end;
}

int fs_capture_reader_next(struct fs_capture_reader *r, const struct fs_frame **out)
{
	if (r->in_line)
		return next_in_line(r, out);
	for (;;) {
		if (r->holding) {
			const struct batch *b = &r->batches[r->head];

			if (r->pos < b->n) {
				prefetch_frame(b, r->pos + PREFETCH_AHEAD);
				*out = &b->frames[r->pos++];
				return 1;
			}
			if (b->end)
				return b->end > 0 ? 0 : -1;
			give_back(r);
		}
		wait_for_batch(r);
	}
}

/*
 * A reader in the middle of a batch finishes it first: on a pipe that is
 * as long as its writer takes to send the rest of the batch.
 */
void fs_capture_reader_stop(struct fs_capture_reader *r)
{
	if (!r)
		return;
	if (!r->in_line) {
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_signal(&r->emptied);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
	}
	free_reader(r);
}
