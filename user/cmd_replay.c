// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope replay: captures -> engine -> records (CSV or JSON lines). */
#include "cli.h"
#include "record_writer.h"
#include "replay.h"
#include "util.h"

int fs_cmd_replay(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_replay_job job = fs_cli_replay_job(cli, fs_writer_emit_unit, NULL);
	struct fs_writer *w;

	if (argc < 1) {
		fs_err("replay", "no capture given; see 'flowscope replay --help'");
		return FS_EXIT_USAGE;
	}
	w = fs_writer_open(cli->output, &cli->out);
	if (!w)
		return FS_EXIT_FAILURE;
	job.sink_ctx = w;
	if (fs_replay_run(&job, argv, argc) < 0) {
		fs_writer_abort(w);
		return FS_EXIT_FAILURE;
	}
	return fs_writer_commit(w) < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
