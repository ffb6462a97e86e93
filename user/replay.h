/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Runs a capture file through an engine, on the capture's own clock. */
#ifndef FS_REPLAY_H
#define FS_REPLAY_H

#include "engine.h"

struct fs_replay_totals {
	__u64 frames;
	__u64 damaged_files;
};

/*
 * Every frame of the capture at path through e; at the end, every flow it
 * left open is emitted. Returns 0, or -1 after printing why.
 */
int fs_replay_file(struct fs_engine *e, const char *path, struct fs_replay_totals *tot);

#endif /* FS_REPLAY_H */
