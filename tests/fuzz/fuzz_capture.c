// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Capture reading and packet parsing: the bytes are a pcap or pcapng file,
 * replayed through the user engine (the kernel program's own parsing and
 * update code), and every flow, host pair and snapshot is turned into
 * features, classified with $FLOWSCOPE_MODEL (if set) and written as a
 * record. The first byte picks the options, so all their paths are fuzzed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "output/flow_output.h"
#include "input.h"
#include "classify/model.h"
#include "capture/replay.h"

enum {
	OPT_JSON = 1 << 0,
	OPT_PAIRS = 1 << 1,
	OPT_CIC_COMPAT = 1 << 2,
	OPT_SNAPSHOTS = 1 << 3,
	OPT_SMALL_TABLE = 1 << 4,    /* 4 flows at most: inserts fail */
	OPT_FEATURE_SET = 3 << 5,    /* bits 5-6: enum fs_feature_set */
	OPT_SHORT_TIMEOUTS = 1 << 7, /* flows end and restart mid-capture */
};

static struct fs_model model;
static const struct fs_model *classify_with;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("FLOWSCOPE_MODEL");

	fuzz_quiet_stdout();
	if (path) {
		if (fs_model_load(&model, path) < 0)
			abort();
		classify_with = &model;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_output out = {.model = classify_with};
	struct fs_flow_output sink = {.model = classify_with};
	struct fs_replay_job job = {
		.engine = {.kind = FS_ENGINE_USER, .max_flows = 1024},
		.quiet = true,
		.sink = fs_flow_output_unit,
		.sink_ctx = &sink,
	};
	char *paths[1];
	uint8_t opt;
	int err;

	if (size < 1)
		return -1; /* not in the corpus: a file needs its option byte */
	opt = data[0];
	out.format = opt & OPT_JSON ? FS_FORMAT_JSON : FS_FORMAT_CSV;
	out.features = (enum fs_feature_set)(((opt & OPT_FEATURE_SET) >> 5) % FS_SET_MAX);
	job.unit_pair = opt & OPT_PAIRS;
	job.engine.meter = (struct fs_meter_config)FS_METER_DEFAULTS;
	job.engine.meter.cic_compat = !!(opt & OPT_CIC_COMPAT);
	if (opt & OPT_SHORT_TIMEOUTS) {
		job.engine.meter.idle_ns = 1000000000ULL;
		job.engine.meter.active_ns = 2000000000ULL;
	}
	if (opt & OPT_SMALL_TABLE)
		job.engine.max_flows = 4;
	if (opt & OPT_SNAPSHOTS) {
		job.snapshot = fs_flow_output_unit;
		job.snapshot_ctx = &sink;
	}
	sink.writer = fs_writer_open(NULL, &out);
	if (!sink.writer)
		abort();
	paths[0] = (char *)fuzz_input_path(data + 1, size - 1);
	err = fs_replay_run(&job, paths, 1);
	if (err < 0)
		fs_writer_abort(sink.writer);
	else
		fs_writer_commit(sink.writer);
	return 0;
}
