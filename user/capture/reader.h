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

/* Opens PATH and starts reading it; on failure prints "flowscope: PATH: why" and returns NULL. */
struct fs_capture_reader *fs_capture_reader_start(const char *path);
/*
 * The next frame, valid until the next call: 1, 0 at the end, -1 when the file is damaged after
 * some records (a warning was printed; the frames before stay valid). After 0 or -1, every call
 * says the same.
 */
int fs_capture_reader_next(struct fs_capture_reader *r, const struct fs_frame **out);
/* Stops reading, wherever it is, and closes the capture. NULL is fine. */
void fs_capture_reader_stop(struct fs_capture_reader *r);

#endif /* FS_READER_H */
