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
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/reader.h"
#include "common/handoff.h"
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
	struct fs_capture *cap; /* the file open; NULL between files */
	bool in_line; /* one CPU: no thread, no batches; frames straight from cap into frame */
	struct fs_frame frame;
	int in_line_end; /* 1 until the capture ends, then its 0 or -1 */
	bool reading;	 /* a thread reads cap */
	pthread_t thread;
	struct fs_handoff ring; /* of batches, for the file open */
	struct batch *batches;
	/* The caller's alone: it is taking frames from batches[taking], next pos. */
	bool holding;
	unsigned int taking, pos;
};

/* The next batch to fill, once the caller has given one back; NULL: stop. */
static struct batch *batch_to_fill(struct fs_capture_reader *r)
{
	int slot = fs_handoff_slot_to_fill(&r->ring);

	return slot < 0 ? NULL : &r->batches[slot];
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

static void *read_batches(void *arg)
{
	struct fs_capture_reader *r = arg;
	struct batch *b;
	int end = 0;

	while (!end && (b = batch_to_fill(r))) {
		end = fill(r->cap, b);
		fs_handoff_publish(&r->ring);
	}
	return NULL;
}

struct fs_capture_reader *fs_capture_reader_new(void)
{
	struct fs_capture_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		fs_err("replay", "out of memory");
		return NULL;
	}
	r->in_line = fs_one_cpu();
	return r;
}

/* The batches are the reader's for all its files: allocated once, touched once. */
static int start_thread(struct fs_capture_reader *r)
{
	int err;

	if (!r->batches && !(r->batches = malloc(BATCHES * sizeof(*r->batches))))
		return ENOMEM;
	fs_handoff_init(&r->ring, BATCHES);
	err = fs_thread_start_quiet(&r->thread, read_batches, r);
	if (err)
		fs_handoff_destroy(&r->ring);
	r->reading = !err;
	return err;
}

int fs_capture_reader_open(struct fs_capture_reader *r, const char *path)
{
	int err;

	fs_capture_reader_close(r); /* a file still open is done with */
	r->cap = fs_capture_open(path);
	if (!r->cap)
		return -1;
	r->in_line_end = 1;
	r->holding = false;
	r->pos = 0;
	if (r->in_line)
		return 0;
	err = start_thread(r);
	if (err) {
		fs_err(path, "cannot start a thread to read it: %s", strerror(err));
		fs_capture_close(r->cap);
		r->cap = NULL;
		return -1;
	}
	return 0;
}

/* Gives the batch taken back to the reader. */
static void give_back(struct fs_capture_reader *r)
{
	fs_handoff_give_back(&r->ring);
	r->holding = false;
	r->pos = 0;
}

static void wait_for_batch(struct fs_capture_reader *r)
{
	r->taking = fs_handoff_slot_to_take(&r->ring);
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
			const struct batch *b = &r->batches[r->taking];

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
void fs_capture_reader_close(struct fs_capture_reader *r)
{
	if (!r || !r->cap)
		return;
	if (r->reading) {
		fs_handoff_stop(&r->ring);
		pthread_join(r->thread, NULL);
		fs_handoff_destroy(&r->ring);
		r->reading = false;
	}
	fs_capture_close(r->cap);
	r->cap = NULL;
}

void fs_capture_reader_free(struct fs_capture_reader *r)
{
	if (!r)
		return;
	fs_capture_reader_close(r);
	free(r->batches);
	free(r);
}
