// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope replay: captures -> engine -> records (CSV or JSON lines). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "record_writer.h"
#include "replay.h"
#include "util.h"

static void print_summary(struct fs_engine *e, const struct fs_replay_totals *tot, __u64 records)
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
		.meter = cli->meter,
		.emit = fs_writer_emit,
	};
	struct fs_replay_totals tot = {0};
	struct fs_writer *w;
	struct fs_engine *e;
	int i, err = 0;

	if (argc < 1) {
		fs_err("replay", "no capture given; see 'flowscope replay --help'");
		return FS_EXIT_USAGE;
	}
	w = fs_writer_open(cli->output, &cli->out);
	if (!w)
		return FS_EXIT_FAILURE;
	cfg.emit_ctx = w;
	e = fs_engine_create(&cfg);
	if (!e) {
		fs_writer_abort(w);
		return FS_EXIT_FAILURE;
	}
	for (i = 0; i < argc && !err; i++)
		err = fs_replay_file(e, argv[i], &tot);
	if (!err && !cli->quiet)
		print_summary(e, &tot, fs_writer_count(w));
	fs_engine_destroy(e);
	if (err) {
		fs_writer_abort(w);
		return FS_EXIT_FAILURE;
	}
	return fs_writer_commit(w) < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
