// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Captures -> engine, on capture time. Flows expire on capture timestamps,
 * swept every FS_REPLAY_SWEEP_NS of capture time. Each file is a separate
 * run: its flows end with the file.
 */
#include "capture.h"
#include "replay.h"

/*
 * How often (in capture time) the table is swept. Results do not depend on
 * it: a packet finds and restarts a finished flow by the same rule
 * (fs_flow_end_reason); the sweep only bounds the table's size.
 */
#define FS_REPLAY_SWEEP_NS (10ULL * 1000000000ULL)

int fs_replay_file(struct fs_engine *e, const char *path, struct fs_replay_totals *tot)
{
	struct fs_frame frame;
	struct fs_capture *cap = fs_capture_open(path);
	__u64 next_sweep = 0, now = 0;
	int ret, err = 0;

	if (!cap)
		return -1;
	while ((ret = fs_capture_next(cap, &frame)) > 0) {
		now = frame.ts_ns;
		if (now >= next_sweep) {
			if (next_sweep) {
				err = fs_engine_expire(e, now, false);
				if (err < 0)
					break;
			}
			next_sweep = now + FS_REPLAY_SWEEP_NS;
		}
		err = fs_engine_process(e, frame.data, frame.len, frame.wire_len, now);
		if (err < 0)
			break;
		tot->frames++;
	}
	if (ret < 0)
		tot->damaged_files++;
	fs_capture_close(cap);
	if (err < 0)
		return -1;
	/* First what timed out by the last packet, then the rest as end_of_input. */
	if (fs_engine_expire(e, now, false) < 0 || fs_engine_expire(e, now, true) < 0)
		return -1;
	return 0;
}
