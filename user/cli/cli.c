// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The commands, what each needs, and the one way a command is run: options
 * parsed and checked (options.c), the model loaded for the commands that
 * classify, the command called, and what was loaded freed.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "classify/model.h"
#include "common/util.h"

static const struct fs_command commands[] = {
	{.name = "attach",
	 .id = FS_CMD_ATTACH,
	 .operands = "IFACE...",
	 .summary = "monitor interfaces live: attach the kernel program, export flows as they "
		    "end, show a summary; SIGINT or SIGTERM detaches",
	 .classifies = true,
	 .run = fs_cmd_attach},
	{.name = "detach",
	 .id = FS_CMD_DETACH,
	 .operands = "IFACE...",
	 .summary = "remove flowscope's programs and pins from interfaces (after a run was "
		    "killed)",
	 .run = fs_cmd_detach},
	{.name = "status",
	 .id = FS_CMD_STATUS,
	 .operands = "[IFACE...]",
	 .summary = "show the interfaces flowscope is attached to (all, or those named): hooks, "
		    "flow table, packet counters",
	 .run = fs_cmd_status},
	{.name = "features",
	 .id = FS_CMD_FEATURES,
	 .summary = "list the features a record can carry, with units",
	 .run = fs_cmd_features},
	{.name = "export",
	 .id = FS_CMD_EXPORT,
	 .operands = "CAPTURE...",
	 .summary = "a training dataset: features scaled to 0..255 (uint8) with a saved range, "
		    "as CSV or HDF5 (-o FILE.h5)",
	 .needs = {"fit|scaler"},
	 .run = fs_cmd_export},
	{.name = "train",
	 .id = FS_CMD_TRAIN,
	 .summary = "train a model (MLP and k-means) on labelled captures: --manifest FILE -o "
		    "MODEL",
	 .needs = {"manifest|csv", "output"},
	 .run = fs_cmd_train},
	{.name = "eval",
	 .id = FS_CMD_EVAL,
	 .summary = "score a model on labelled captures (or a feature CSV): confusion "
		    "matrices, per-class F1, macro-F1",
	 .needs = {"model", "manifest|csv"},
	 .run = fs_cmd_eval},
	{.name = "report",
	 .id = FS_CMD_REPORT,
	 .operands = "INPUT...",
	 .summary = "draw an HTML report (inline SVG, no script) of captures, replayed as "
		    "replay does, or of records files replay or attach wrote (CSV or JSON lines)",
	 .classifies = true,
	 .run = fs_cmd_report},
	{.name = "replay",
	 .id = FS_CMD_REPLAY,
	 .operands = "CAPTURE...",
	 .summary = "run pcap/pcapng captures through the flow engine and write one record per "
		    "flow",
	 .classifies = true,
	 .run = fs_cmd_replay},
};

static void fs_cli_defaults(struct fs_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->engine = FS_ENGINE_KERNEL;
	cli->format = FS_CLI_CSV;
	cli->out.features = FS_SET_ALL;
	cli->seed = 1;
	cli->cv_draws = 1;
	cli->kernel_when = (struct fs_km_config){
		.checkpoint = FS_KM_DEFAULT_CHECKPOINT,
		.later = FS_KM_DEFAULT_LATER,
		.settle_margin = FS_KM_SCORE_TOTAL * FS_KM_DEFAULT_SETTLE_PCT / 100,
	};
	while (cli->kernel_when.nlater < FS_KM_MAX_LATER &&
	       cli->kernel_when.later[cli->kernel_when.nlater])
		cli->kernel_when.nlater++;
	cli->label_column = "Label";
	cli->hidden[0] = 64;
	cli->hidden[1] = 32;
	cli->nhidden = 2;
	cli->ensemble = 1;
	cli->unknown_accuracy = 0.95;
	cli->meter = (struct fs_meter_config)FS_METER_DEFAULTS;
	cli->max_flows = FS_DEFAULT_MAX_FLOWS;
	cli->attach.hooks = FS_HOOKS_TC;
	cli->attach.xdp_mode = FS_XDP_NATIVE;
	cli->drain_ns = 1000000000ULL;
	cli->interval_ns = 1000000000ULL;
	cli->host_window_ns = 60000000000ULL;
	cli->ipfix.pen = FS_IPFIX_DEFAULT_PEN;
	cli->ipfix.queue = FS_IPFIX_DEFAULT_QUEUE;
}

/* --format cic is CSV in CICFlowMeter's columns, whatever --features said. */
static void settle_output(struct fs_cli *cli)
{
	cli->out.format = cli->format == FS_CLI_JSON ? FS_FORMAT_JSON : FS_FORMAT_CSV;
	if (cli->format == FS_CLI_CIC)
		cli->out.features = FS_SET_CIC;
}

static void print_main_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: flowscope COMMAND [OPTIONS] ...\n\n"
		   "Kernel-assisted network flow monitor and activity classifier.\n\n"
		   "Commands:\n");
	for (i = 0; i < FS_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'flowscope COMMAND --help' describes a command's options; --version the "
		   "version; --man [COMMAND] and --completion print the man pages and the bash "
		   "completion, made from the same tables.\n");
}

/* The kernel model of the model classified with, if it has one. */
const struct fs_km_forest *fs_cli_kernel_model(const struct fs_cli *cli)
{
	const struct fs_model *m = cli->out.model;

	return m && m->kernel.cfg.checkpoint ? &m->kernel : NULL;
}

struct fs_replay_job fs_cli_replay_job(const struct fs_cli *cli, fs_unit_fn sink, void *ctx)
{
	struct fs_replay_job job = {
		.engine = {.kind = cli->engine,
			   .program = cli->test_program,
			   .max_flows = cli->max_flows,
			   .meter = cli->meter,
			   .kmodel = fs_cli_kernel_model(cli)},
		.unit_pair = cli->unit == FS_UNIT_PAIR,
		.quiet = cli->quiet,
		.sink = sink,
		.sink_ctx = ctx,
	};

	return job;
}

struct fs_train_options fs_cli_train_options(const struct fs_cli *cli)
{
	struct fs_train_options o = {
		.mlp = cli->model_type != FS_MODEL_KMEANS && !cli->unsupervised,
		.kmeans = cli->model_type != FS_MODEL_MLP || cli->unsupervised,
		.unsupervised = cli->unsupervised,
		.clusters = cli->clusters,
		.kernel_when = cli->kernel_when,
		.nhidden = cli->nhidden,
		.max_epochs = cli->epochs,
		.ensemble = cli->ensemble,
		.unknown_accuracy = cli->unknown_accuracy,
		.validation_share = 0.2,
		.seed = cli->seed,
	};

	memcpy(o.hidden, cli->hidden, sizeof(o.hidden));
	return o;
}

int fs_cli_flow_output(const struct fs_cli *cli, struct fs_flow_output *out, bool live)
{
	struct fs_ipfix_config ipfix = cli->ipfix;
	/* The longest a flow's record can lag its last packet: attach's drains, replay's sweeps. */
	__u64 lag = cli->meter.idle_ns +
		    (cli->drain_ns > FS_REPLAY_SWEEP_NS ? cli->drain_ns : FS_REPLAY_SWEEP_NS);
	int err;

	memset(out, 0, sizeof(*out));
	out->model = cli->out.model;
	/* Host verdicts are of flows: a host pair (--unit pair) is judged as itself. */
	if (cli->unit != FS_UNIT_PAIR &&
	    fs_flow_output_hold_hosts(out, cli->host_window_ns, lag) < 0)
		return fs_err("flowscope", "out of memory");
	out->alerts = fs_alerts_open(&cli->alert, cli->out.model, &err);
	if (err)
		return -1;
	ipfix.wait_when_full = !live;
	if (ipfix.target && !(out->ipfix = fs_ipfix_open(&ipfix, cli->out.model)))
		return -1;
	return 0;
}

int fs_cli_flow_output_close(struct fs_flow_output *out)
{
	int err = 0;

	if (fs_ipfix_close(out->ipfix) < 0)
		err = -1;
	if (fs_alerts_close(out->alerts) < 0)
		err = -1;
	fs_hosts_free(out->hosts);
	return err;
}

static const struct fs_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < FS_ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void man_footer(FILE *f)
{
	fputs(".SH EXIT STATUS\n0 on success, 1 when something failed (one line on stderr says "
	      "what), 2 for a usage error.\n"
	      ".SH ENVIRONMENT\n.TP\n\\fBFLOWSCOPE_MODEL\\fR\nthe model to classify with when "
	      "\\fB\\-\\-model\\fR is not given.\n.TP\n\\fBFLOWSCOPE_DEBUG\\fR\nlet libbpf and "
	      "libxdp print their own messages.\n"
	      ".SH FILES\n.TP\n\\fI/etc/flowscope/flowscope.conf\\fR\nthe service's options "
	      "(\\fB\\-\\-config\\fR): a long option's name and its value per line, \\fB#\\fR "
	      "starting a comment; the command line overrides them.\n.TP\n"
	      "\\fIflowscope@.service\\fR\nthe systemd unit: \\fBsystemctl enable \\-\\-now "
	      "flowscope@eth0\\fR attaches to eth0 with those options and writes its records "
	      "to \\fI/var/lib/flowscope/eth0.csv\\fR.\n",
	      f);
}

/* flowscope(8), or flowscope-COMMAND(8): made from the tables, like --help. */
static int print_man(FILE *f, const char *name)
{
	const struct fs_command *cmd = name ? find_command(name) : NULL;
	size_t i;

	if (name && !cmd)
		return fs_err(NULL, "--man: '%s' is not a command", name);
	if (!cmd) {
		fprintf(f,
			".TH FLOWSCOPE 8 \"\" \"flowscope %s\"\n.nh\n.SH NAME\nflowscope \\- "
			"kernel-assisted network flow monitor and activity classifier\n"
			".SH SYNOPSIS\n\\fBflowscope\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] ...\n"
			".SH COMMANDS\n",
			FS_VERSION);
		for (i = 0; i < FS_ARRAY_SIZE(commands); i++)
			fprintf(f, ".TP\n\\fB%s\\fR\n%s; see \\fBflowscope\\-%s\\fR(8).\n",
				commands[i].name, commands[i].summary, commands[i].name);
		man_footer(f);
		return 0;
	}
	fputs(".TH FLOWSCOPE\\-", f);
	for (i = 0; cmd->name[i]; i++)
		fputc(toupper((unsigned char)cmd->name[i]), f);
	fprintf(f, " 8 \"\" \"flowscope %s\"\n.nh\n.SH NAME\nflowscope\\-%s \\- ", FS_VERSION,
		cmd->name);
	fprintf(f, "%s\n.SH SYNOPSIS\n\\fBflowscope %s\\fR [\\fIOPTIONS\\fR] %s\n.SH OPTIONS\n",
		cmd->summary, cmd->name, cmd->operands ? cmd->operands : "");
	fs_options_man(f, cmd);
	fputs(".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow the options.\n", f);
	man_footer(f);
	fputs(".SH SEE ALSO\n\\fBflowscope\\fR(8)\n", f);
	return 0;
}

/* A bash completion script: commands, each command's options and their values. */
static void print_completion(FILE *f)
{
	size_t i;

	fputs("# bash completion for flowscope, made from its option table (flowscope "
	      "--completion)\n_flowscope()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} words= "
	      "values=\n\tif [ \"$COMP_CWORD\" = 1 ]; then\n\t\twords=\"--help --version",
	      f);
	for (i = 0; i < FS_ARRAY_SIZE(commands); i++)
		fprintf(f, " %s", commands[i].name);
	fputs("\"\n\telse\n\t\tcase ${COMP_WORDS[1]} in\n", f);
	for (i = 0; i < FS_ARRAY_SIZE(commands); i++) {
		fprintf(f, "\t\t%s)\n\t\t\tcase $prev in\n", commands[i].name);
		fs_options_value_cases(f, &commands[i]);
		fputs("\t\t\tesac\n\t\t\twords=\"", f);
		fs_options_words(f, &commands[i]);
		fputs("\" ;;\n", f);
	}
	fputs("\t\tesac\n\tfi\n"
	      "\tif [ -n \"$values\" ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))\n"
	      "\telif [ \"$COMP_CWORD\" = 1 ] || [ \"${cur#-}\" != \"$cur\" ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	      "\telse\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\tfi\n}\n"
	      "complete -o filenames -F _flowscope flowscope\n",
	      f);
}

/* The command, with the model it classifies with loaded for it and freed after. */
static int run_command(const struct fs_command *cmd, struct fs_cli *cli, int argc, char **argv)
{
	struct fs_model model;
	char buf[PATH_MAX];
	const char *path = NULL;
	int ret;

	if (cmd->classifies && !cli->no_model)
		path = fs_model_find(cli->model, buf, sizeof(buf));
	if (path) {
		if (fs_model_load(&model, path) < 0)
			return FS_EXIT_FAILURE;
		cli->out.model = &model;
		cli->model_path = path;
	}
	ret = cmd->run(cli, argc, argv);
	if (path)
		fs_model_free(&model);
	return ret;
}

int fs_cli_main(int argc, char **argv)
{
	struct fs_cli cli;
	size_t i;
	int first;

	fs_quiet_libbpf();
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("flowscope %s\n", FS_VERSION);
		return FS_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "--man") == 0)
		return print_man(stdout, argc > 2 ? argv[2] : NULL) < 0 ? FS_EXIT_USAGE
									: FS_EXIT_OK;
	if (argc >= 2 && strcmp(argv[1], "--completion") == 0) {
		print_completion(stdout);
		return FS_EXIT_OK;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_main_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? FS_EXIT_USAGE : FS_EXIT_OK;
	}
	for (i = 0; i < FS_ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		fs_cli_defaults(&cli);
		first = fs_options_parse(&commands[i], &cli, argc - 1, argv + 1);
		if (first < 0)
			return FS_EXIT_USAGE;
		settle_output(&cli);
		return run_command(&commands[i], &cli, argc - 1 - first, argv + 1 + first);
	}
	fs_err(NULL, "unknown command '%s'; see 'flowscope --help'", argv[1]);
	return FS_EXIT_USAGE;
}
