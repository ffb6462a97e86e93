/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Runs a capture file through an engine, on the capture's own clock. */
#ifndef FS_REPLAY_H
#define FS_REPLAY_H

#include <stdbool.h>

#include "engine.h"
#include "unit.h"

struct fs_replay_totals {
	__u64 frames;
};

/*
 * Every frame of the capture at path through e; at the end, every flow it
 * left open is emitted. Returns 0, or -1 after printing why.
 */
int fs_replay_file(struct fs_engine *e, const char *path, struct fs_replay_totals *tot);

typedef int (*fs_unit_fn)(void *ctx, const struct fs_unit *u);

/* A whole replay: captures -> engine -> flows, or host pairs -> sink. */
struct fs_replay_job {
	struct fs_engine_config engine; /* its emit is fs_replay_run's own */
	bool unit_pair;			/* a unit per host pair, after the last capture */
	int cic_compat;
	bool quiet; /* no summary on stderr */
	fs_unit_fn sink;
	void *sink_ctx;
};

/* Returns 0, or -1 after printing why. */
int fs_replay_run(const struct fs_replay_job *job, char **paths, int npaths);

#endif /* FS_REPLAY_H */
