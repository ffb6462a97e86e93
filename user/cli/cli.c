// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "classify/model.h"
#include "common/util.h"

struct fs_option {
	const char *name;
	int short_name;	 /* 0: long form only */
	const char *arg; /* NULL: takes no argument */
	unsigned int commands;
	const char *help;
	int (*apply)(struct fs_cli *cli, const char *arg); /* 0, or -1 after printing why */
};

static int opt_engine(struct fs_cli *cli, const char *arg)
{
	if (strcmp(arg, "kernel") == 0)
		cli->engine = FS_ENGINE_KERNEL;
	else if (strcmp(arg, "user") == 0)
		cli->engine = FS_ENGINE_USER;
	else
		return fs_err("--engine", "'%s' is not an engine: use kernel or user", arg);
	return 0;
}

static int opt_hook(struct fs_cli *cli, const char *arg)
{
	if (strcmp(arg, "xdp") == 0)
		cli->hook = FS_HOOK_XDP;
	else if (strcmp(arg, "tc") == 0)
		cli->hook = FS_HOOK_TC;
	else
		return fs_err("--hook", "'%s' is not a hook: use xdp or tc", arg);
	return 0;
}

static int opt_format(struct fs_cli *cli, const char *arg)
{
	if (strcmp(arg, "csv") == 0) {
		cli->out.format = FS_FORMAT_CSV;
	} else if (strcmp(arg, "json") == 0) {
		cli->out.format = FS_FORMAT_JSON;
	} else if (strcmp(arg, "cic") == 0) {
		cli->out.format = FS_FORMAT_CSV;
		cli->out.features = FS_SET_CIC;
	} else {
		return fs_err("--format", "'%s' is not a format: use csv, json or cic", arg);
	}
	return 0;
}

static int opt_features(struct fs_cli *cli, const char *arg)
{
	int set = fs_feature_set_find(arg);

	if (set < 0)
		return fs_err("--features", "'%s' is not a feature set: use all, cic or deepmad",
			      arg);
	cli->out.features = set;
	return 0;
}

/* CICFlowMeter's flow splitting (in the meter) and arithmetic (in the features). */
static int opt_cic_compat(struct fs_cli *cli, const char *arg)
{
	cli->meter.cic_compat = 1;
	cli->meter.linger_ns = 0;
	return 0;
}

static int opt_unit(struct fs_cli *cli, const char *arg)
{
	if (strcmp(arg, "flow") == 0)
		cli->unit_pair = false;
	else if (strcmp(arg, "pair") == 0)
		cli->unit_pair = true;
	else
		return fs_err("--unit", "'%s' is not a unit: use flow or pair", arg);
	return 0;
}

static int opt_alert(struct fs_cli *cli, const char *arg)
{
	if (!*arg || *arg == ',')
		return fs_err("--alert", "give class names such as malicious,portscan");
	cli->alert.classes = arg;
	return 0;
}

static int opt_alert_log(struct fs_cli *cli, const char *arg)
{
	cli->alert.file = arg;
	return 0;
}

static int opt_alert_syslog(struct fs_cli *cli, const char *arg)
{
	cli->alert.syslog = true;
	return 0;
}

static int opt_fit(struct fs_cli *cli, const char *arg)
{
	cli->fit_path = arg;
	return 0;
}

static int opt_scaler(struct fs_cli *cli, const char *arg)
{
	cli->scaler_path = arg;
	return 0;
}

static int opt_label(struct fs_cli *cli, const char *arg)
{
	if (!*arg || strpbrk(arg, ",\"\n\r"))
		return fs_err("--label",
			      "'%s': a label is a non-empty word without commas or quotes", arg);
	cli->label = arg;
	return 0;
}

static int opt_manifest(struct fs_cli *cli, const char *arg)
{
	cli->manifest = arg;
	return 0;
}

static int opt_model(struct fs_cli *cli, const char *arg)
{
	cli->model = arg;
	return 0;
}

static int opt_model_type(struct fs_cli *cli, const char *arg)
{
	if (strcmp(arg, "both") == 0)
		cli->model_type = FS_MODEL_BOTH;
	else if (strcmp(arg, "mlp") == 0)
		cli->model_type = FS_MODEL_MLP;
	else if (strcmp(arg, "kmeans") == 0)
		cli->model_type = FS_MODEL_KMEANS;
	else
		return fs_err("--model-type", "'%s' is not a model type: use mlp, kmeans or both",
			      arg);
	return 0;
}

static int opt_unsupervised(struct fs_cli *cli, const char *arg)
{
	cli->unsupervised = true;
	return 0;
}

static int opt_small_count(const char *opt, const char *arg, __u64 min, __u64 max,
			   unsigned int *out)
{
	__u64 v;

	if (fs_parse_uint(arg, min, max, &v) < 0)
		return fs_err(opt, "'%s' is not a whole number from %llu to %llu", arg,
			      (unsigned long long)min, (unsigned long long)max);
	*out = (unsigned int)v;
	return 0;
}

static int opt_clusters(struct fs_cli *cli, const char *arg)
{
	return opt_small_count("--clusters", arg, 1, 10000, &cli->clusters);
}

static int opt_epochs(struct fs_cli *cli, const char *arg)
{
	return opt_small_count("--epochs", arg, 1, 100000, &cli->epochs);
}

static int opt_cv(struct fs_cli *cli, const char *arg)
{
	return opt_small_count("--cv", arg, 2, 100, &cli->cv);
}

static int opt_seed(struct fs_cli *cli, const char *arg)
{
	if (fs_parse_uint(arg, 0, ~0ULL, &cli->seed) < 0)
		return fs_err("--seed", "'%s' is not a whole number", arg);
	return 0;
}

/* "64,32": the hidden layers' widths. */
static int opt_hidden(struct fs_cli *cli, const char *arg)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	cli->nhidden = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (cli->nhidden == FS_MLP_MAX_HIDDEN)
			return fs_err("--hidden", "at most %d layers", FS_MLP_MAX_HIDDEN);
		if (opt_small_count("--hidden", tok, 1, 4096, &cli->hidden[cli->nhidden++]) < 0)
			return -1;
	}
	return cli->nhidden ? 0 : fs_err("--hidden", "give widths such as 64,32");
}

static int opt_csv(struct fs_cli *cli, const char *arg)
{
	cli->csv = arg;
	return 0;
}

static int opt_label_column(struct fs_cli *cli, const char *arg)
{
	cli->label_column = arg;
	return 0;
}

static int opt_group_column(struct fs_cli *cli, const char *arg)
{
	cli->group_column = arg;
	return 0;
}

static int opt_dump_inputs(struct fs_cli *cli, const char *arg)
{
	cli->dump_inputs = arg;
	return 0;
}

static int opt_no_model(struct fs_cli *cli, const char *arg)
{
	cli->no_model = true;
	return 0;
}

static int opt_markdown(struct fs_cli *cli, const char *arg)
{
	cli->markdown = true;
	return 0;
}

static int opt_output(struct fs_cli *cli, const char *arg)
{
	cli->output = arg;
	return 0;
}

static int parse_timeout(const char *opt, const char *arg, __u64 *ns)
{
	if (fs_parse_duration(arg, ns) < 0 || *ns == 0)
		return fs_err(opt, "'%s' is not a positive duration (e.g. 60, 90s, 500ms, 2m)",
			      arg);
	return 0;
}

static int opt_idle_timeout(struct fs_cli *cli, const char *arg)
{
	return parse_timeout("--idle-timeout", arg, &cli->meter.idle_ns);
}

static int opt_active_timeout(struct fs_cli *cli, const char *arg)
{
	if (parse_timeout("--active-timeout", arg, &cli->meter.active_ns) < 0)
		return -1;
	if (cli->meter.active_ns > FS_MAX_ACTIVE_TIMEOUT_NS)
		return fs_err("--active-timeout", "'%s' is longer than the longest flow, 1h", arg);
	return 0;
}

static int opt_max_flows(struct fs_cli *cli, const char *arg)
{
	__u64 v;

	if (fs_parse_uint(arg, 1, 1U << 28, &v) < 0)
		return fs_err("--max-flows", "'%s' is not a number from 1 to %u", arg, 1U << 28);
	cli->max_flows = (__u32)v;
	return 0;
}

static int opt_hooks(struct fs_cli *cli, const char *arg)
{
	if (strcmp(arg, "tc") == 0)
		cli->attach.hooks = FS_HOOKS_TC;
	else if (strcmp(arg, "xdp") == 0)
		cli->attach.hooks = FS_HOOKS_XDP;
	else if (strcmp(arg, "both") == 0)
		cli->attach.hooks = FS_HOOKS_BOTH;
	else
		return fs_err("--hook", "'%s' is not a hook set: use tc, xdp or both", arg);
	return 0;
}

static int opt_xdp_mode(struct fs_cli *cli, const char *arg)
{
	if (strcmp(arg, "native") == 0)
		cli->attach.xdp_mode = FS_XDP_NATIVE;
	else if (strcmp(arg, "generic") == 0)
		cli->attach.xdp_mode = FS_XDP_GENERIC;
	else
		return fs_err("--xdp-mode", "'%s' is not a mode: use native or generic", arg);
	return 0;
}

static int opt_xdp_dispatcher(struct fs_cli *cli, const char *arg)
{
	cli->attach.xdp_dispatcher = true;
	return 0;
}

static int opt_interval(struct fs_cli *cli, const char *arg)
{
	return parse_timeout("--interval", arg, &cli->interval_ns);
}

static int opt_drain_interval(struct fs_cli *cli, const char *arg)
{
	return parse_timeout("--drain-interval", arg, &cli->drain_ns);
}

static int opt_keep_pins(struct fs_cli *cli, const char *arg)
{
	cli->keep_pins = true;
	return 0;
}

static int opt_quiet(struct fs_cli *cli, const char *arg)
{
	cli->quiet = true;
	return 0;
}

static const struct fs_option options[] = {
	{"engine", 'e', "kernel|user", FS_CMD_REPLAY | FS_CMD_TRAIN | FS_CMD_EVAL | FS_CMD_EXPORT,
	 "kernel: run each packet through the BPF program with BPF_PROG_TEST_RUN (default, "
	 "needs root); user: the same code in user space, no privileges, faster",
	 opt_engine},
	{"hook", 0, "xdp|tc", FS_CMD_REPLAY | FS_CMD_TRAIN | FS_CMD_EVAL | FS_CMD_EXPORT,
	 "with the kernel engine, the program that runs each packet: the XDP one (default) "
	 "or the TC one; both run the same code",
	 opt_hook},
	{"format", 'f', "csv|json|cic", FS_CMD_REPLAY | FS_CMD_ATTACH,
	 "record format (default csv); cic: CICFlowMeter's CSV columns, names and order",
	 opt_format},
	{"features", 0, "all|cic|deepmad",
	 FS_CMD_REPLAY | FS_CMD_EXPORT | FS_CMD_ATTACH | FS_CMD_FEATURES,
	 "which columns: all (default), CICFlowMeter's (cic), or the 55 inputs of the "
	 "DeepMAD model (deepmad)",
	 opt_features},
	{"cic-compat", 0, NULL, FS_CMD_REPLAY | FS_CMD_EXPORT | FS_CMD_ATTACH,
	 "reproduce CICFlowMeter's known bugs, to score models trained on CIC-IDS data "
	 "(docs/FEATURES.md)",
	 opt_cic_compat},
	{"unit", 0, "flow|pair", FS_CMD_REPLAY | FS_CMD_EXPORT,
	 "what a record describes: a flow (default), or a host pair, all flows between two IP "
	 "addresses, with the first seed's 21 features",
	 opt_unit},
	{"alert", 0, "CLASS,...", FS_CMD_REPLAY | FS_CMD_ATTACH,
	 "log one line for every flow the model puts in one of these classes (to syslog unless "
	 "--alert-log is given)",
	 opt_alert},
	{"alert-log", 0, "FILE", FS_CMD_REPLAY | FS_CMD_ATTACH,
	 "append the alert lines to FILE, each with the time its flow was last seen",
	 opt_alert_log},
	{"alert-syslog", 0, NULL, FS_CMD_REPLAY | FS_CMD_ATTACH,
	 "send the alert lines to syslog too (daemon facility, warning level)", opt_alert_syslog},
	{"fit", 0, "SCALER", FS_CMD_EXPORT,
	 "measure each feature's range over these captures and save it to SCALER", opt_fit},
	{"scaler", 0, "SCALER", FS_CMD_EXPORT,
	 "scale every record to 0..255 with the ranges saved in SCALER and write them to -o",
	 opt_scaler},
	{"label", 0, "NAME", FS_CMD_EXPORT, "a label column with NAME in every row", opt_label},
	{"manifest", 0, "FILE", FS_CMD_TRAIN | FS_CMD_EVAL,
	 "labelled captures: a TSV with columns file and class (paths relative to it)",
	 opt_manifest},
	{"model", 'm', "MODEL", FS_CMD_EVAL | FS_CMD_REPLAY | FS_CMD_ATTACH,
	 "classify with MODEL (default: $FLOWSCOPE_MODEL, else the shipped default model)",
	 opt_model},
	{"no-model", 0, NULL, FS_CMD_REPLAY | FS_CMD_ATTACH, "do not classify", opt_no_model},
	{"model-type", 0, "mlp|kmeans|both", FS_CMD_TRAIN, "what to train (default both)",
	 opt_model_type},
	{"unsupervised", 0, NULL, FS_CMD_TRAIN,
	 "k-means only, without labels: clusters are numbered", opt_unsupervised},
	{"clusters", 0, "K", FS_CMD_TRAIN, "k-means clusters (default 4 per class)", opt_clusters},
	{"hidden", 0, "W1,W2...", FS_CMD_TRAIN, "MLP hidden layer widths (default 64,32)",
	 opt_hidden},
	{"epochs", 0, "N", FS_CMD_TRAIN, "at most N MLP epochs (default 200)", opt_epochs},
	{"cv", 0, "K", FS_CMD_TRAIN,
	 "first score the recipe by K-fold cross-validation grouped by capture", opt_cv},
	{"seed", 0, "N", FS_CMD_TRAIN, "seed of every random choice (default 1)", opt_seed},
	{"csv", 0, "FILE", FS_CMD_TRAIN,
	 "train from a feature CSV (flowscope's, or CICFlowMeter's as in CIC-IDS2017/2018) "
	 "instead of captures",
	 opt_csv},
	{"label-column", 0, "NAME", FS_CMD_TRAIN, "with --csv: the class column (default Label)",
	 opt_label_column},
	{"group-column", 0, "NAME", FS_CMD_TRAIN,
	 "with --csv: rows with the same value in a row are one group for validation "
	 "(default: runs of 1000 rows)",
	 opt_group_column},
	{"dump-inputs", 0, "FILE", FS_CMD_TRAIN,
	 "also write the labelled rows as the model sees them (CSV), for cross-checks",
	 opt_dump_inputs},
	{"markdown", 0, NULL, FS_CMD_FEATURES, "print the table of docs/FEATURES.md", opt_markdown},
	{"output", 'o', "FILE", FS_CMD_REPLAY | FS_CMD_ATTACH | FS_CMD_EXPORT | FS_CMD_TRAIN,
	 "write records to FILE (default stdout); replay writes FILE whole at the end, attach "
	 "appends each record as its flow ends",
	 opt_output},
	{"idle-timeout", 0, "DURATION",
	 FS_CMD_REPLAY | FS_CMD_TRAIN | FS_CMD_EVAL | FS_CMD_EXPORT | FS_CMD_ATTACH,
	 "end a flow after this long without packets (default 60s)", opt_idle_timeout},
	{"active-timeout", 0, "DURATION",
	 FS_CMD_REPLAY | FS_CMD_TRAIN | FS_CMD_EVAL | FS_CMD_EXPORT | FS_CMD_ATTACH,
	 "end a flow this long after its first packet (default 120s)", opt_active_timeout},
	{"max-flows", 0, "N",
	 FS_CMD_REPLAY | FS_CMD_TRAIN | FS_CMD_EVAL | FS_CMD_EXPORT | FS_CMD_ATTACH,
	 "flow table size; packets of new flows past it are counted, not recorded "
	 "(default 65536)",
	 opt_max_flows},
	{"quiet", 'q', NULL, FS_CMD_REPLAY | FS_CMD_EXPORT | FS_CMD_ATTACH, "no summary on stderr",
	 opt_quiet},
	{"hook", 0, "tc|xdp|both", FS_CMD_ATTACH,
	 "tc (default): TC ingress and egress, both directions of the host's own traffic; "
	 "xdp: XDP, received packets only; both: XDP for received, TC egress for sent",
	 opt_hooks},
	{"xdp-mode", 0, "native|generic", FS_CMD_ATTACH,
	 "native (default) falls back to generic with a message", opt_xdp_mode},
	{"xdp-dispatcher", 0, NULL, FS_CMD_ATTACH,
	 "attach XDP through libxdp's dispatcher, so xdp-loader can add programs beside it "
	 "(done anyway where a dispatcher is in use)",
	 opt_xdp_dispatcher},
	{"interval", 0, "DURATION", FS_CMD_ATTACH, "summary refresh period (default 1s)",
	 opt_interval},
	{"drain-interval", 0, "DURATION", FS_CMD_ATTACH,
	 "how often ended flows are exported (default 1s)", opt_drain_interval},
	{"keep-pins", 0, NULL, FS_CMD_ATTACH,
	 "leave the maps pinned under " FS_PIN_ROOT "/IFACE/ at exit", opt_keep_pins},
};

static const struct fs_command commands[] = {
	{"attach", FS_CMD_ATTACH, "IFACE...",
	 "monitor interfaces live: attach the kernel program, export flows as they end, show a "
	 "summary; SIGINT or SIGTERM detaches",
	 fs_cmd_attach},
	{"detach", FS_CMD_DETACH, "IFACE...",
	 "remove flowscope's programs and pins from interfaces (after a run was killed)",
	 fs_cmd_detach},
	{"status", FS_CMD_STATUS, "", "list the interfaces flowscope is attached to",
	 fs_cmd_status},
	{"features", FS_CMD_FEATURES, "", "list the features a record can carry, with units",
	 fs_cmd_features},
	{"export", FS_CMD_EXPORT, "CAPTURE...",
	 "a training dataset: features scaled to 0..255 (uint8) with a saved range, as CSV or "
	 "HDF5 (-o FILE.h5)",
	 fs_cmd_export},
	{"train", FS_CMD_TRAIN, "",
	 "train a model (MLP and k-means) on labelled captures: --manifest FILE -o MODEL",
	 fs_cmd_train},
	{"eval", FS_CMD_EVAL, "",
	 "score a model on labelled captures: confusion matrices, per-class F1, macro-F1",
	 fs_cmd_eval},
	{"replay", FS_CMD_REPLAY, "CAPTURE...",
	 "run pcap/pcapng captures through the flow engine and write one record per flow",
	 fs_cmd_replay},
};

static void fs_cli_defaults(struct fs_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->engine = FS_ENGINE_KERNEL;
	cli->out.format = FS_FORMAT_CSV;
	cli->out.features = FS_SET_ALL;
	cli->seed = 1;
	cli->label_column = "Label";
	cli->hidden[0] = 64;
	cli->hidden[1] = 32;
	cli->nhidden = 2;
	cli->meter = (struct fs_meter_config)FS_METER_DEFAULTS;
	cli->max_flows = FS_DEFAULT_MAX_FLOWS;
	cli->attach.hooks = FS_HOOKS_TC;
	cli->attach.xdp_mode = FS_XDP_NATIVE;
	cli->drain_ns = 1000000000ULL;
	cli->interval_ns = 1000000000ULL;
}

static void print_main_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: flowscope COMMAND [OPTIONS] ...\n\n"
		   "Kernel-assisted network flow monitor and activity classifier.\n\n"
		   "Commands:\n");
	for (i = 0; i < FS_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'flowscope COMMAND --help' describes a command's options.\n");
}

static void print_command_usage(FILE *f, const struct fs_command *cmd)
{
	char left[64];
	size_t i;

	fprintf(f, "Usage: flowscope %s [OPTIONS] %s\n\n%s.\n\nOptions:\n", cmd->name,
		cmd->operands, cmd->summary);
	for (i = 0; i < FS_ARRAY_SIZE(options); i++) {
		const struct fs_option *o = &options[i];

		if (!(o->commands & cmd->id))
			continue;
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(f, "  %-30s %s\n", left, o->help);
	}
	fprintf(f, "  %-30s %s\n", "-h, --help", "show this help");
}

/* getopt_long's tables, built from options[] for one command. */
static int parse_options(const struct fs_command *cmd, struct fs_cli *cli, int argc, char **argv)
{
	struct option longopts[FS_ARRAY_SIZE(options) + 2];
	const struct fs_option *by_index[FS_ARRAY_SIZE(options)];
	char shortopts[2 * FS_ARRAY_SIZE(options) + 4] = "+h";
	size_t i, n = 0, s = 2;
	int c, idx;

	for (i = 0; i < FS_ARRAY_SIZE(options); i++) {
		const struct fs_option *o = &options[i];

		if (!(o->commands & cmd->id))
			continue;
		longopts[n] = (struct option){o->name, o->arg ? required_argument : no_argument,
					      NULL, 0x100 + (int)n};
		by_index[n++] = o;
		if (o->short_name) {
			shortopts[s++] = (char)o->short_name;
			if (o->arg)
				shortopts[s++] = ':';
		}
	}
	longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[n] = (struct option){0};
	shortopts[s] = '\0';

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		const struct fs_option *o = NULL;

		if (c == 'h') {
			print_command_usage(stdout, cmd);
			exit(FS_EXIT_OK);
		}
		if (c >= 0x100)
			o = by_index[c - 0x100];
		for (i = 0; !o && c != '?' && c != ':' && i < n - 1; i++) {
			if (by_index[i]->short_name == c)
				o = by_index[i];
		}
		if (!o) {
			fs_err(cmd->name,
			       "unknown option or missing argument '%s'; see "
			       "'flowscope %s --help'",
			       argv[optind - 1], cmd->name);
			return -1;
		}
		if (o->apply(cli, optarg) < 0)
			return -1;
	}
	return optind;
}

struct fs_replay_job fs_cli_replay_job(const struct fs_cli *cli, fs_unit_fn sink, void *ctx)
{
	struct fs_replay_job job = {
		.engine = {.kind = cli->engine,
			   .hook = cli->hook,
			   .max_flows = cli->max_flows,
			   .meter = cli->meter},
		.unit_pair = cli->unit_pair,
		.quiet = cli->quiet,
		.sink = sink,
		.sink_ctx = ctx,
	};

	return job;
}

int fs_cli_flow_output(const struct fs_cli *cli, struct fs_flow_output *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	out->model = cli->out.model;
	out->alerts = fs_alerts_open(&cli->alert, cli->out.model, &err);
	return err ? -1 : 0;
}

/*
 * The shipped default model: beside the binary in a build tree
 * (build/../models, or build/san/../../models), else where `make install`
 * puts it.
 */
static const char *default_model_path(char *buf, size_t len)
{
	static const char *const in_tree[] = {"..", "../.."};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n > 0) {
		exe[n] = '\0';
		dirname(exe);
	}
	for (i = 0; n > 0 && i < FS_ARRAY_SIZE(in_tree); i++) {
		if (snprintf(buf, len, "%s/%s/models/default.model", exe, in_tree[i]) < (int)len &&
		    access(buf, R_OK) == 0)
			return buf;
	}
	snprintf(buf, len, "%s", FS_DATADIR "/default.model");
	return access(buf, R_OK) == 0 ? buf : NULL;
}

/* The model replay and attach classify with, if any. 0, or -1 after printing why. */
static int load_model(struct fs_cli *cli)
{
	static struct fs_model model;
	char buf[PATH_MAX];
	const char *path = cli->model;

	if (cli->no_model)
		return 0;
	if (!path)
		path = getenv("FLOWSCOPE_MODEL");
	if (!path)
		path = default_model_path(buf, sizeof(buf));
	if (!path)
		return 0; /* none shipped here: records are not classified */
	if (fs_model_load(&model, path) < 0)
		return -1;
	cli->out.model = &model;
	return 0;
}

int fs_cli_main(int argc, char **argv)
{
	struct fs_cli cli;
	size_t i;
	int first;

	fs_quiet_libbpf();
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_main_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? FS_EXIT_USAGE : FS_EXIT_OK;
	}
	for (i = 0; i < FS_ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		fs_cli_defaults(&cli);
		first = parse_options(&commands[i], &cli, argc - 1, argv + 1);
		if (first < 0)
			return FS_EXIT_USAGE;
		if ((commands[i].id & (FS_CMD_REPLAY | FS_CMD_ATTACH)) && load_model(&cli) < 0)
			return FS_EXIT_FAILURE;
		return commands[i].run(&cli, argc - 1 - first, argv + 1 + first);
	}
	fs_err(NULL, "unknown command '%s'; see 'flowscope --help'", argv[1]);
	return FS_EXIT_USAGE;
}
