// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope report: captures (replayed) and records files -> one HTML page. */
#include <stdlib.h>

#include "cli/cli.h"
#include "report/records_file.h"
#include "report/report.h"
#include "common/util.h"

/* The captures replayed as `replay` would, their records and counters into r. */
static int replay_into(const struct fs_cli *cli, struct fs_report *r, char **paths, int n)
{
	__u64 counters[FS_CNT_MAX] = {0};
	struct fs_flow_output out;
	struct fs_replay_job job = fs_cli_replay_job(cli, fs_flow_output_unit, &out);
	int err = fs_cli_flow_output(cli, &out, false);

	out.report = r;
	job.counters = counters;
	if (!err)
		err = fs_replay_run(&job, paths, n);
	if (fs_cli_flow_output_close(&out) < 0)
		err = -1;
	if (!err)
		fs_report_set_counters(r, counters);
	return err;
}

int fs_cmd_report(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_report *r = fs_report_new();
	char **captures = calloc((size_t)argc, sizeof(*captures));
	enum fs_input_kind kind;
	int i, ncaptures = 0, err = 0;

	if (!r || !captures)
		err = fs_err(NULL, "out of memory");
	for (i = 0; !err && i < argc; i++) {
		err = fs_input_kind(argv[i], &kind) < 0 || fs_report_add_input(r, argv[i]) < 0;
		if (!err && kind == FS_INPUT_CAPTURE)
			captures[ncaptures++] = argv[i];
		else if (!err)
			err = fs_records_file_read(r, argv[i], kind) < 0;
	}
	if (!err && ncaptures)
		err = replay_into(cli, r, captures, ncaptures) < 0;
	if (!err)
		err = fs_report_write(r, cli->output) < 0;
	free(captures);
	fs_report_free(r);
	return err ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
