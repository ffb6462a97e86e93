// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* flowscope attach: monitor interfaces live until SIGINT or SIGTERM. */
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/flow_output.h"
#include "live/class_actions.h"
#include "live/live.h"
#include "common/util.h"

int fs_cmd_attach(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_live_options opt = {
		.attach = cli->attach,
		.meter = cli->meter,
		.max_flows = cli->max_flows,
		.drain_ns = cli->drain_ns,
		.interval_ns = cli->interval_ns,
		.host_window_ns = cli->host_window_ns,
		.keep_pins = cli->keep_pins,
		.metrics_listen = cli->metrics,
		.model_path = cli->model_path,
		.kmodel = fs_cli_kernel_model(cli),
		.report_path = cli->report,
	};
	struct fs_class_action actions[FS_KM_MAX_CLASSES];
	struct fs_flow_output out;
	bool tty = isatty(STDOUT_FILENO);
	int ret, i;

	/* Before anything is opened: a wrong class or hook is a usage error. */
	ret = fs_class_actions_parse(actions, cli->class_mark, cli->class_priority, cli->out.model);
	if (ret < 0)
		return FS_EXIT_USAGE;
	if (ret > 0 && cli->attach.hooks == FS_HOOKS_XDP) {
		fs_err(cli->class_mark ? "--class-mark" : "--class-priority",
		       "XDP runs before the kernel has an skb to mark: use --hook tc or both");
		return FS_EXIT_USAGE;
	}
	opt.class_actions = ret > 0 ? actions : NULL;
	ret = fs_cli_flow_output(cli, &out, true) < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;

	/* --report: every record kept for the page, which names the interfaces. */
	if (ret == FS_EXIT_OK && cli->report && !(out.report = fs_report_new()))
		ret = FS_EXIT_FAILURE;
	for (i = 0; ret == FS_EXIT_OK && out.report && i < argc; i++)
		if (fs_report_add_input(out.report, argv[i]) < 0)
			ret = FS_EXIT_FAILURE;

	/* Records go to -o; without it, to stdout unless stdout is a terminal. */
	if (ret == FS_EXIT_OK && (cli->output || !tty) &&
	    !(out.writer = fs_writer_open_append(cli->output, &cli->out)))
		ret = FS_EXIT_FAILURE;
	/* The summary: on the terminal, or as plain text on stderr when records use stdout. */
	if (tty)
		opt.summary = stdout;
	else if (cli->output && !cli->quiet)
		opt.summary = stderr;
	opt.summary_tty = tty;
	if (ret == FS_EXIT_OK)
		ret = fs_live_run(&opt, argv, argc, &out);
	if (out.writer && ret != FS_EXIT_OK)
		fs_writer_abort(out.writer); /* no empty file left by a failed attach */
	else if (out.writer && fs_writer_commit(out.writer) < 0)
		ret = FS_EXIT_FAILURE;
	if (fs_cli_flow_output_close(&out) < 0)
		ret = FS_EXIT_FAILURE;
	fs_report_free(out.report);
	return ret;
}
