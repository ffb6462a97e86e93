/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Runs a capture file through an engine, on the capture's own clock. */
#ifndef FS_REPLAY_H
#define FS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "features/unit.h"

typedef int (*fs_unit_fn)(void *ctx, const struct fs_unit *u);

/*
 * A sink in two steps, so several threads can share its work
 * (capture/unit_queue.h): prepare does what depends on the unit alone, on
 * any thread, in any order, into work (work_size bytes, zeroed before its
 * first use and reused); commit does the rest, on one thread, in the
 * units' order: 0, or -1 to stop. release frees what prepare allocated in
 * work.
 */
struct fs_unit_stages {
	void (*prepare)(void *ctx, const struct fs_unit *u, void *work);
	int (*commit)(void *ctx, const struct fs_unit *u, void *work);
	void (*release)(void *work);
	size_t work_size;
	void *ctx;
};

/*
 * Early classification is measured on snapshots: a flow's statistics as they
 * stand after its 2nd, 4th, 8th, ... FS_SNAPSHOT_MAX_PACKETS-th packet, as a
 * live flow's would when the summary classifies it.
 */
#define FS_SNAPSHOT_MAX_PACKETS 256

static inline bool fs_snapshot_point(__u64 packets)
{
	return packets >= 2 && packets <= FS_SNAPSHOT_MAX_PACKETS && !(packets & (packets - 1));
}

/*
 * How often (in capture time) the table is swept. Records do not depend on
 * it, but for their host verdicts (a flow's record waits up to a sweep): a
 * packet finds and restarts a finished flow by the same rule
 * (fs_flow_end_reason); the sweep only bounds the table's size.
 */
#define FS_REPLAY_SWEEP_NS (10ULL * 1000000000ULL)

struct fs_snapshot_hook {
	fs_unit_fn fn; /* gets each snapshot as a unit (end reason "none") */
	void *ctx;
};

struct fs_capture_reader;

/*
 * Every frame of the capture at path, read by r, through e; at the end,
 * every flow it left open is emitted. With snap, snapshots go to it as they
 * are taken. Returns 0, or -1 after printing why.
 */
int fs_replay_file(struct fs_engine *e, struct fs_capture_reader *r, const char *path,
		   const struct fs_snapshot_hook *snap);

/* A whole replay: captures -> engine -> flows, or host pairs -> sink. */
struct fs_replay_job {
	struct fs_engine_config engine; /* its emit is fs_replay_run's own */
	bool unit_pair;			/* a unit per host pair, after the last capture */
	bool quiet;			/* no summary on stderr */
	fs_unit_fn sink;
	void *sink_ctx;
	/*
	 * NULL, or the sink in two steps, run on threads of their own
	 * (capture/unit_queue.h) where a second CPU is free; else the sink runs
	 * in line. They must then share nothing unlocked with the snapshot
	 * hook or the caller until the run returns.
	 */
	const struct fs_unit_stages *stages;
	fs_unit_fn snapshot; /* NULL: no snapshots (flows only) */
	void *snapshot_ctx;
	__u64 *counters; /* NULL, or FS_CNT_MAX sums the run's counters are added to */
};

/* Returns 0, or -1 after printing why. */
int fs_replay_run(const struct fs_replay_job *job, char **paths, int npaths);

#endif /* FS_REPLAY_H */
