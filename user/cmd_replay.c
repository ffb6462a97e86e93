// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope replay: captures -> engine -> records. Time is the capture's:
 * flows expire on capture timestamps, swept every FS_REPLAY_SWEEP_NS of
 * capture time. Each file is a separate run: its flows end with the file.
 */
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "cli.h"
#include "engine.h"
#include "record_writer.h"
#include "util.h"

/*
 * How often (in capture time) the table is swept. Results do not depend on
 * it: a packet finds and restarts a finished flow by the same rule
 * (fs_flow_end_reason); the sweep only bounds the table's size.
 */
#define FS_REPLAY_SWEEP_NS (10ULL * 1000000000ULL)

struct replay_totals {
	__u64 frames;
	__u64 damaged_files;
};

static int replay_file(struct fs_engine *e, const char *path, struct replay_totals *tot)
{
	static struct fs_frame frame;
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

static void print_summary(struct fs_engine *e, const struct replay_totals *tot, __u64 records)
{
	__u64 c[FS_CNT_MAX];

	if (e->ops->read_counters(e, c) < 0)
		return;
	fprintf(stderr,
		"flowscope: %llu packets, %llu flow records; not in a flow: %llu non-IP, %llu "
		"bad IP header, %llu lost to a full table\n",
		(unsigned long long)tot->frames, (unsigned long long)records,
		(unsigned long long)c[FS_CNT_NON_IP], (unsigned long long)c[FS_CNT_BAD_IP],
		(unsigned long long)(c[FS_CNT_INSERT_FULL] + c[FS_CNT_INSERT_NOMEM] +
				     c[FS_CNT_INSERT_OTHER]));
}

int fs_cmd_replay(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_engine_config cfg = {
		.kind = cli->engine,
		.max_flows = cli->max_flows,
		.timeouts = cli->timeouts,
		.emit = fs_writer_emit,
	};
	struct replay_totals tot = { 0 };
	struct fs_writer *w;
	struct fs_engine *e;
	int i, err = 0;

	if (argc < 1) {
		fs_err("replay", "no capture given; see 'flowscope replay --help'");
		return FS_EXIT_USAGE;
	}
	w = fs_writer_open(cli->output, cli->format);
	if (!w)
		return FS_EXIT_FAILURE;
	cfg.emit_ctx = w;
	e = fs_engine_create(&cfg);
	if (!e) {
		fs_writer_abort(w);
		return FS_EXIT_FAILURE;
	}
	for (i = 0; i < argc && !err; i++)
		err = replay_file(e, argv[i], &tot);
	if (!err && !cli->quiet)
		print_summary(e, &tot, fs_writer_count(w));
	fs_engine_destroy(e);
	if (err) {
		fs_writer_abort(w);
		return FS_EXIT_FAILURE;
	}
	return fs_writer_commit(w) < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
