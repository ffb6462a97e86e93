// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Captures -> engine, on capture time. Flows expire on capture timestamps,
 * swept every FS_REPLAY_SWEEP_NS of capture time. Each file is a separate
 * run: its flows end with the file.
 */
#include <stdio.h>

#include "capture/capture.h"
#include "capture/reader.h"
#include "engine/counter_report.h"
#include "flow_parse.h"
#include "features/pairs.h"
#include "capture/replay.h"
#include "capture/unit_queue.h"
#include "common/util.h"

/* After a frame: if it brought its flow to a snapshot point, hand the flow over. */
static int take_snapshot(struct fs_engine *e, const struct fs_snapshot_hook *snap,
			 const struct fs_frame *frame)
{
	struct fs_pkt pkt = {};
	struct fs_record rec = {.reason = FS_END_NONE};
	struct fs_unit u;

	if (fs_parse_frame(frame->data, frame->data + frame->len, frame->wire_len, &pkt) !=
		    FS_PARSE_IP ||
	    fs_engine_peek(e, &pkt.key, &rec.stats) < 0 ||
	    !fs_snapshot_point(fs_flow_packets(&rec.stats)))
		return 0;
	rec.key = pkt.key;
	fs_unit_from_flow(&u, &rec, e->cfg.meter.cic_compat);
	return snap->fn(snap->ctx, &u);
}

int fs_replay_file(struct fs_engine *e, struct fs_capture_reader *r, const char *path,
		   const struct fs_snapshot_hook *snap)
{
	const struct fs_frame *frame;
	__u64 next_sweep = 0, now = 0;
	int ret, err = 0;

	if (fs_capture_reader_open(r, path) < 0)
		return -1;
	while ((ret = fs_capture_reader_next(r, &frame)) > 0) {
		now = frame->ts_ns;
		if (now >= next_sweep) {
			if (next_sweep) {
				err = fs_engine_expire(e, now, false);
				if (err < 0)
					break;
			}
			next_sweep = now + FS_REPLAY_SWEEP_NS;
		}
		err = fs_engine_process(e, frame->data, frame->len, frame->wire_len, now);
		if (err >= 0 && snap)
			err = take_snapshot(e, snap, frame);
		if (err < 0)
			break;
	}
	/* ret < 0: a damaged capture, reported by the reader; its flows still count. */
	fs_capture_reader_close(r);
	if (err < 0)
		return -1;
	/* First what timed out by the last packet, then the rest as end_of_input. */
	if (fs_engine_expire(e, now, false) < 0 || fs_engine_expire(e, now, true) < 0)
		return -1;
	return 0;
}

/* Each finished flow as a unit, to the sink or into its host pair. */
struct unit_stage {
	const struct fs_replay_job *job;
	fs_unit_fn sink; /* the job's, or its queue's */
	void *sink_ctx;
	struct fs_pairs *pairs;
	__u64 units;
	__u64 record_packets; /* over all flow records, for the closing count */
};

static int count_and_sink(void *ctx, const struct fs_unit *u)
{
	struct unit_stage *st = ctx;

	st->units++;
	return st->sink(st->sink_ctx, u);
}

static int flow_to_unit(void *ctx, const struct fs_record *rec)
{
	struct unit_stage *st = ctx;
	struct fs_unit u;

	st->record_packets += fs_flow_packets(&rec->stats);
	if (st->pairs)
		return fs_pairs_add(st->pairs, rec);
	fs_unit_from_flow(&u, rec, st->job->engine.meter.cic_compat);
	return count_and_sink(st, &u);
}

/* Every packet seen is in a record or a counter; the last line says which. */
static int account_packets(struct fs_engine *e, const struct unit_stage *st, bool quiet)
{
	__u64 c[FS_CNT_MAX];
	unsigned int i;

	if (fs_engine_read_counters(e, c) < 0)
		return fs_err("replay", "cannot read the counters");
	for (i = 0; st->job->counters && i < FS_CNT_MAX; i++)
		st->job->counters[i] += c[i];
	return fs_packets_close("replay", c, st->units, st->record_packets, !quiet);
}

int fs_replay_run(const struct fs_replay_job *job, char **paths, int npaths)
{
	struct unit_stage st = {.job = job, .sink = job->sink, .sink_ctx = job->sink_ctx};
	struct fs_unit_queue *q = NULL;
	struct fs_engine_config cfg = job->engine;
	struct fs_snapshot_hook snap = {job->snapshot, job->snapshot_ctx};
	struct fs_capture_reader *r = NULL;
	struct fs_engine *e = NULL;
	int i, err = -1;

	if (job->unit_pair && !(st.pairs = fs_pairs_new(job->engine.meter.cic_compat))) {
		fs_err("replay", "out of memory");
		return -1;
	}
	cfg.emit = flow_to_unit;
	cfg.emit_ctx = &st;
	e = fs_engine_create(&cfg);
	if (!e || !(r = fs_capture_reader_new()))
		goto out;
	if (job->stages && (q = fs_unit_queue_start(job->stages))) {
		st.sink = fs_unit_queue_push;
		st.sink_ctx = q;
	}
	for (i = 0, err = 0; i < npaths && !err; i++)
		err = fs_replay_file(e, r, paths[i], job->snapshot ? &snap : NULL);
	if (!err && st.pairs)
		err = fs_pairs_each(st.pairs, count_and_sink, &st) ? -1 : 0;
	/* The closing line comes once the sink has had every record. */
	if (fs_unit_queue_finish(q) < 0)
		err = -1;
	if (!err)
		err = account_packets(e, &st, job->quiet);
out:
	fs_capture_reader_free(r);
	fs_engine_destroy(e);
	fs_pairs_free(st.pairs);
	return err;
}
