/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A capture read on a thread of its own: frames come to the caller in
 * batches, in the file's order, while the next batch is being read. Reading
 * a frame costs more than counting it (README, "Performance"), so a replay
 * on two cores runs nearly at the speed of the read alone.
 */
#ifndef FS_READER_H
#define FS_READER_H

#include "capture/capture.h"

struct fs_capture_reader;

/*
 * A reader for one capture after another: its batches (and its thread's
 * warm memory) serve them all, where a reader a file paid page faults for
 * each (a replay of the 251 shared captures took 0.31 s, against 0.12 s
 * read in line). NULL, after printing why, without memory.
 */
struct fs_capture_reader *fs_capture_reader_new(void);
/* Opens PATH and starts reading it: 0, or -1 after printing "flowscope: PATH: why". */
int fs_capture_reader_open(struct fs_capture_reader *r, const char *path);
/*
 * The next frame, valid until the next call: 1, 0 at the end, -1 when the file is damaged after
 * some records (a warning was printed; the frames before stay valid). After 0 or -1, every call
 * says the same.
 */
int fs_capture_reader_next(struct fs_capture_reader *r, const struct fs_frame **out);
/* Stops reading the file open, wherever it is, and closes it. Nothing open is fine. */
void fs_capture_reader_close(struct fs_capture_reader *r);
/* Closes what is open and frees r. NULL is fine. */
void fs_capture_reader_free(struct fs_capture_reader *r);

#endif /* FS_READER_H */
