// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope replay: captures -> engine -> records (CSV or JSON lines), alerts. */
#include "cli/cli.h"
#include "output/flow_output.h"
#include "capture/replay.h"
#include "common/util.h"

int fs_cmd_replay(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_flow_output out;
	struct fs_replay_job job = fs_cli_replay_job(cli, fs_flow_output_unit, &out);
	struct fs_unit_stages stages = {fs_flow_output_prepare, fs_flow_output_commit,
					fs_flow_output_release, sizeof(struct fs_flow_work), &out};
	int err = fs_cli_flow_output(cli, &out, false);

	if (!err && !(out.writer = fs_writer_open(cli->output, &cli->out)))
		err = -1;
	if (!err) {
		/* Records are made on threads of their own, where a second CPU is free. */
		job.stages = &stages;
		err = fs_replay_run(&job, argv, argc);
		/* The records file appears whole, or not at all. */
		if (err < 0)
			fs_writer_abort(out.writer);
		else
			err = fs_writer_commit(out.writer);
	}
	if (fs_cli_flow_output_close(&out) < 0)
		err = -1;
	return err < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
