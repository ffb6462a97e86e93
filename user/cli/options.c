// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The one table of options. Parsing, --help and the checks of what a
 * command needs all read it: an enumerated option lists its values once, a
 * text or flag option names the field it sets, and only options that check
 * or convert their argument have a function.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/util.h"

/* One value of an enumerated option. */
struct fs_choice {
	const char *name;
	int value;
};

enum fs_option_kind {
	FS_OPT_CALL, /* apply checks and stores the argument */
	FS_OPT_ENUM, /* the argument is one of values; its value goes to an int field */
	FS_OPT_TEXT, /* the argument goes to a const char * field */
	FS_OPT_FLAG, /* no argument; a bool field becomes true */
};

struct fs_option {
	const char *name;
	int short_name;	 /* 0: long form only */
	const char *arg; /* the argument's name in --help; NULL: none (or from values) */
	unsigned int commands;
	const char *help;
	enum fs_option_kind kind;
	int (*apply)(struct fs_cli *cli, const char *arg); /* 0, or -1 after printing why */
	const struct fs_choice *values;
	size_t field; /* offset in struct fs_cli */
};

/* The offset of member, checked to have the type the option kind writes. */
#define FIELD_OF(member, cond)                                                                     \
	(offsetof(struct fs_cli, member) +                                                         \
	 0 * sizeof(struct {                                                                       \
		 _Static_assert(cond, #member " has the wrong type for its option");               \
		 int unused;                                                                       \
	 }))
#define MEMBER(member)	      (((struct fs_cli *)0)->member)
#define IS_TYPE(member, type) __builtin_types_compatible_p(__typeof__(MEMBER(member)), type)

#define CALL_OPTION(name, short_name, arg, commands, help, fn)                                     \
	{                                                                                          \
		name, short_name, arg, commands, help, FS_OPT_CALL, fn, NULL, 0                    \
	}
#define ENUM_OPTION(name, short_name, commands, help, member, ...)                                 \
	{                                                                                          \
		name, short_name, NULL, commands, help, FS_OPT_ENUM, NULL,                         \
			(const struct fs_choice[]){__VA_ARGS__, {NULL, 0}},                        \
			FIELD_OF(member, sizeof(MEMBER(member)) == sizeof(int))                    \
	}
#define TEXT_OPTION(name, short_name, arg, commands, help, member)                                 \
	{                                                                                          \
		name, short_name, arg, commands, help, FS_OPT_TEXT, NULL, NULL,                    \
			FIELD_OF(member, IS_TYPE(member, const char *))                            \
	}
#define FLAG_OPTION(name, short_name, commands, help, member)                                      \
	{                                                                                          \
		name, short_name, NULL, commands, help, FS_OPT_FLAG, NULL, NULL,                   \
			FIELD_OF(member, IS_TYPE(member, bool))                                    \
	}

/* CICFlowMeter's flow splitting (in the meter) and arithmetic (in the features). */
static int opt_cic_compat(struct fs_cli *cli, const char *arg)
{
	cli->meter.cic_compat = 1;
	cli->meter.linger_ns = 0;
	return 0;
}

static int opt_alert(struct fs_cli *cli, const char *arg)
{
	if (!*arg || *arg == ',')
		return fs_err("--alert", "give class names such as malicious,portscan");
	cli->alert.classes = arg;
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

static int opt_ensemble(struct fs_cli *cli, const char *arg)
{
	return opt_small_count("--ensemble", arg, 1, FS_MODEL_MAX_MLPS, &cli->ensemble);
}

static int opt_unknown_accuracy(struct fs_cli *cli, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0 && v <= 1))
		return fs_err("--unknown-accuracy", "'%s' is not a number from 0 to 1", arg);
	cli->unknown_accuracy = v;
	return 0;
}

static int opt_epochs(struct fs_cli *cli, const char *arg)
{
	return opt_small_count("--epochs", arg, 1, 100000, &cli->epochs);
}

static int opt_cv(struct fs_cli *cli, const char *arg)
{
	return opt_small_count("--cv", arg, 2, 100, &cli->cv);
}

static int opt_cv_draws(struct fs_cli *cli, const char *arg)
{
	return opt_small_count("--cv-draws", arg, 1, 1000, &cli->cv_draws);
}

static int opt_kernel_checkpoint(struct fs_cli *cli, const char *arg)
{
	unsigned int n = 0;

	if (opt_small_count("--kernel-checkpoint", arg, 0, 256, &n) < 0)
		return -1;
	if (n == 1 || (n & (n - 1)))
		return fs_err("--kernel-checkpoint",
			      "'%s' is not 0 or a power of two from 2 to 256", arg);
	cli->kernel_when.checkpoint = n;
	return 0;
}

/*
 * "32,128": the later checkpoints; "none": decide once. Their values are
 * checked with the checkpoint's, once all options are in (check_kernel_later).
 */
static int opt_kernel_later(struct fs_cli *cli, const char *arg)
{
	struct fs_km_config *w = &cli->kernel_when;
	const char *p = arg;
	unsigned long v;
	char *end;

	w->nlater = 0;
	if (strcmp(arg, "none") == 0)
		return 0;
	for (;;) {
		v = strtoul(p, &end, 10);
		if (end == p || *p == '-' || v > 0xffff || w->nlater == FS_KM_MAX_LATER ||
		    (*end && *end != ','))
			return fs_err(
				"--kernel-later",
				"'%s' is not 'none' or up to %d packet counts, comma-separated",
				arg, FS_KM_MAX_LATER);
		w->later[w->nlater++] = (__u32)v;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

static int opt_kernel_settle(struct fs_cli *cli, const char *arg)
{
	unsigned int pct = 0;

	if (opt_small_count("--kernel-settle", arg, 0, 100, &pct) < 0)
		return -1;
	cli->kernel_when.settle_margin = FS_KM_SCORE_TOTAL * pct / 100;
	return 0;
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
		if (opt_small_count("--hidden", tok, 1, FS_MLP_MAX_WIDTH,
				    &cli->hidden[cli->nhidden++]) < 0)
			return -1;
	}
	return cli->nhidden ? 0 : fs_err("--hidden", "give widths such as 64,32");
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

/* A whole number from lo to hi into *out, or -1 after saying what is wrong. */
static int parse_u32(const char *opt, const char *arg, __u64 lo, __u64 hi, __u32 *out)
{
	__u64 v;

	if (fs_parse_uint(arg, lo, hi, &v) < 0)
		return fs_err(opt, "'%s' is not a number from %llu to %llu", arg,
			      (unsigned long long)lo, (unsigned long long)hi);
	*out = (__u32)v;
	return 0;
}

static int opt_max_flows(struct fs_cli *cli, const char *arg)
{
	return parse_u32("--max-flows", arg, 1, 1U << 28, &cli->max_flows);
}

static int opt_ipfix_pen(struct fs_cli *cli, const char *arg)
{
	return parse_u32("--ipfix-pen", arg, 1, 0xffffffffULL, &cli->ipfix.pen);
}

static int opt_ipfix_queue(struct fs_cli *cli, const char *arg)
{
	return parse_u32("--ipfix-queue", arg, 1, 1U << 24, &cli->ipfix.queue);
}

static int opt_interval(struct fs_cli *cli, const char *arg)
{
	return parse_timeout("--interval", arg, &cli->interval_ns);
}

static int opt_host_window(struct fs_cli *cli, const char *arg)
{
	return parse_timeout("--host-window", arg, &cli->host_window_ns);
}

static int opt_drain_interval(struct fs_cli *cli, const char *arg)
{
	return parse_timeout("--drain-interval", arg, &cli->drain_ns);
}

#define ENGINE_USERS (FS_CMD_REPLAY | FS_CMD_TRAIN | FS_CMD_EVAL | FS_CMD_EXPORT | FS_CMD_REPORT)
#define METER_USERS  (ENGINE_USERS | FS_CMD_ATTACH)

static const struct fs_option options[] = {
	ENUM_OPTION("engine", 'e', ENGINE_USERS,
		    "kernel: run each packet through the BPF program with BPF_PROG_TEST_RUN "
		    "(default, needs root); user: the same code in user space, no privileges, "
		    "faster",
		    engine, {"kernel", FS_ENGINE_KERNEL}, {"user", FS_ENGINE_USER}),
	ENUM_OPTION("hook", 0, ENGINE_USERS,
		    "with the kernel engine, the program that runs each packet: the XDP one "
		    "(default) or the TC one; both run the same code",
		    test_program, {"xdp", FS_TEST_XDP}, {"tc", FS_TEST_TC}),
	ENUM_OPTION("format", 'f', FS_CMD_REPLAY | FS_CMD_ATTACH,
		    "record format (default csv); cic: CICFlowMeter's CSV columns, names and "
		    "order, whatever --features says",
		    format, {"csv", FS_CLI_CSV}, {"json", FS_CLI_JSON}, {"cic", FS_CLI_CIC}),
	ENUM_OPTION("features", 0, FS_CMD_REPLAY | FS_CMD_EXPORT | FS_CMD_ATTACH | FS_CMD_FEATURES,
		    "which columns: all (default), CICFlowMeter's (cic), or the 55 inputs of the "
		    "DeepMAD model (deepmad)",
		    out.features, {"all", FS_SET_ALL}, {"cic", FS_SET_CIC},
		    {"deepmad", FS_SET_DEEPMAD}),
	CALL_OPTION("cic-compat", 0, NULL, FS_CMD_REPLAY | FS_CMD_EXPORT | FS_CMD_ATTACH,
		    "reproduce CICFlowMeter's known bugs, to score models trained on CIC-IDS "
		    "data (docs/FEATURES.md)",
		    opt_cic_compat),
	ENUM_OPTION("unit", 0, FS_CMD_REPLAY | FS_CMD_EXPORT,
		    "what a record describes: a flow (default), or a host pair, all flows between "
		    "two IP addresses, with the first seed's 21 features",
		    unit, {"flow", FS_UNIT_FLOW}, {"pair", FS_UNIT_PAIR}),
	CALL_OPTION("alert", 0, "CLASS,...", FS_CMD_REPLAY | FS_CMD_ATTACH,
		    "log one line for every flow shown in one of these classes, unknown among "
		    "them if named (to syslog unless --alert-log is given)",
		    opt_alert),
	TEXT_OPTION("alert-log", 0, "FILE", FS_CMD_REPLAY | FS_CMD_ATTACH,
		    "append the alert lines to FILE, each with the time its flow was last seen",
		    alert.file),
	FLAG_OPTION("alert-syslog", 0, FS_CMD_REPLAY | FS_CMD_ATTACH,
		    "send the alert lines to syslog too (daemon facility, warning level)",
		    alert.syslog),
	TEXT_OPTION("fit", 0, "SCALER", FS_CMD_EXPORT,
		    "measure each feature's range over these captures and save it to SCALER",
		    fit_path),
	TEXT_OPTION("scaler", 0, "SCALER", FS_CMD_EXPORT,
		    "scale every record to 0..255 with the ranges saved in SCALER and write them "
		    "to -o",
		    scaler_path),
	CALL_OPTION("label", 0, "NAME", FS_CMD_EXPORT, "a label column with NAME in every row",
		    opt_label),
	TEXT_OPTION("manifest", 0, "FILE", FS_CMD_TRAIN | FS_CMD_EVAL,
		    "labelled captures: a TSV with columns file and class (paths relative to it)",
		    manifest),
	TEXT_OPTION("model", 'm', "MODEL",
		    FS_CMD_EVAL | FS_CMD_REPLAY | FS_CMD_ATTACH | FS_CMD_REPORT,
		    "classify with MODEL (default: $FLOWSCOPE_MODEL, else the shipped default "
		    "model)",
		    model),
	FLAG_OPTION("no-model", 0, FS_CMD_REPLAY | FS_CMD_ATTACH | FS_CMD_REPORT, "do not classify",
		    no_model),
	ENUM_OPTION("model-type", 0, FS_CMD_TRAIN, "what to train (default both)", model_type,
		    {"mlp", FS_MODEL_MLP}, {"kmeans", FS_MODEL_KMEANS}, {"both", FS_MODEL_BOTH}),
	FLAG_OPTION("unsupervised", 0, FS_CMD_TRAIN,
		    "k-means only, without labels: clusters are numbered", unsupervised),
	CALL_OPTION("clusters", 0, "K", FS_CMD_TRAIN, "k-means clusters (default 4 per class)",
		    opt_clusters),
	CALL_OPTION("hidden", 0, "W1,W2...", FS_CMD_TRAIN,
		    "MLP hidden layer widths (default 64,32)", opt_hidden),
	CALL_OPTION("epochs", 0, "N", FS_CMD_TRAIN, "at most N MLP epochs (default 200)",
		    opt_epochs),
	CALL_OPTION("ensemble", 0, "N", FS_CMD_TRAIN,
		    "train N MLPs, from seeds --seed, --seed + 1, ..., whose class "
		    "probabilities are averaged (default 1, at most 16)",
		    opt_ensemble),
	CALL_OPTION("kernel-checkpoint", 0, "N", FS_CMD_TRAIN,
		    "with --manifest: distil a kernel model that decides each flow at its "
		    "Nth packet, a power of two up to 256 (default 8; 0: none)",
		    opt_kernel_checkpoint),
	CALL_OPTION("kernel-later", 0, "N,N...", FS_CMD_TRAIN,
		    "the kernel model decides again at these packets while its verdict is not "
		    "settled: up to 4 rising powers of two above the checkpoint, or 'none' "
		    "(default 32,128: those after the checkpoint)",
		    opt_kernel_later),
	CALL_OPTION("kernel-settle", 0, "PCT", FS_CMD_TRAIN,
		    "a kernel verdict settles when its class's score leads the next class's by "
		    "PCT percent of all the trees' scores (default 90; 0: always at once)",
		    opt_kernel_settle),
	CALL_OPTION("unknown-accuracy", 0, "A", FS_CMD_TRAIN,
		    "show a flow as unknown below the MLP confidence that keeps the flows "
		    "held out for early stopping right A of the time (default 0.95; 0: never "
		    "unknown)",
		    opt_unknown_accuracy),
	CALL_OPTION("cv", 0, "K", FS_CMD_TRAIN,
		    "first score the recipe by K-fold cross-validation grouped by capture", opt_cv),
	CALL_OPTION("cv-draws", 0, "N", FS_CMD_TRAIN,
		    "with --cv: N draws of the folds, each shuffled anew; scores are given as "
		    "mean +- standard deviation (default 1)",
		    opt_cv_draws),
	TEXT_OPTION("cv-group", 0, "COLUMN", FS_CMD_TRAIN,
		    "with --cv: captures with the same value in this manifest column (e.g. group: "
		    "the application) are never split between folds (default: each capture alone)",
		    cv_group),
	TEXT_OPTION("without-features", 0, "NAME,...", FS_CMD_TRAIN,
		    "with --manifest: leave these features out of the model's inputs (besides "
		    "server_port and flows)",
		    without_features),
	TEXT_OPTION("flow-labels", 0, "FILE", FS_CMD_TRAIN | FS_CMD_EVAL,
		    "per-flow roles and labels (the format of FLOW_LABELS.tsv) for the captures it "
		    "covers, instead of the byte-share rule",
		    flow_labels),
	CALL_OPTION("seed", 0, "N", FS_CMD_TRAIN, "seed of every random choice (default 1)",
		    opt_seed),
	TEXT_OPTION("csv", 0, "FILE", FS_CMD_TRAIN | FS_CMD_EVAL,
		    "train or score on a feature CSV (flowscope's, or CICFlowMeter's as in "
		    "CIC-IDS2017/2018) instead of captures",
		    csv),
	TEXT_OPTION("label-column", 0, "NAME", FS_CMD_TRAIN | FS_CMD_EVAL,
		    "with --csv: the class column (default Label)", label_column),
	TEXT_OPTION("group-column", 0, "NAME", FS_CMD_TRAIN | FS_CMD_EVAL,
		    "with --csv: rows with the same value in a row are one group for validation "
		    "(default: runs of 1000 rows)",
		    group_column),
	TEXT_OPTION("report", 0, "FILE", FS_CMD_ATTACH,
		    "draw an HTML report of the flows ended so far to FILE at exit, and on SIGUSR1 "
		    "(docs/REPORT.md)",
		    report),
	TEXT_OPTION("report", 0, "FILE", FS_CMD_EVAL,
		    "also draw the scorecard as an HTML page: confusion heat maps, per-class "
		    "bars, the early-classification curve, the wrong captures (docs/REPORT.md)",
		    report),
	TEXT_OPTION("dump-inputs", 0, "FILE", FS_CMD_TRAIN,
		    "also write the labelled rows as the model sees them (CSV), for cross-checks",
		    dump_inputs),
	FLAG_OPTION("markdown", 0, FS_CMD_FEATURES, "print the table of docs/FEATURES.md",
		    markdown),
	TEXT_OPTION("output", 'o', "FILE",
		    FS_CMD_REPLAY | FS_CMD_ATTACH | FS_CMD_EXPORT | FS_CMD_TRAIN,
		    "write records to FILE (default stdout); replay writes FILE whole at the end, "
		    "attach appends each record as its flow ends",
		    output),
	TEXT_OPTION("output", 'o', "FILE", FS_CMD_REPORT,
		    "write the report to FILE (default stdout), whole once it is drawn", output),
	CALL_OPTION("idle-timeout", 0, "DURATION", METER_USERS,
		    "end a flow after this long without packets (default 60s)", opt_idle_timeout),
	CALL_OPTION("active-timeout", 0, "DURATION", METER_USERS,
		    "end a flow this long after its first packet (default 120s)",
		    opt_active_timeout),
	CALL_OPTION("max-flows", 0, "N", METER_USERS,
		    "flow table size; packets of new flows past it are counted, not recorded "
		    "(default 65536)",
		    opt_max_flows),
	FLAG_OPTION("quiet", 'q', FS_CMD_REPLAY | FS_CMD_EXPORT | FS_CMD_ATTACH | FS_CMD_REPORT,
		    "no summary on stderr", quiet),
	ENUM_OPTION("hook", 0, FS_CMD_ATTACH,
		    "tc (default): TC ingress and egress, both directions of the host's own "
		    "traffic; xdp: XDP, received packets only; both: XDP for received, TC egress "
		    "for sent",
		    attach.hooks, {"tc", FS_HOOKS_TC}, {"xdp", FS_HOOKS_XDP},
		    {"both", FS_HOOKS_BOTH}),
	ENUM_OPTION("xdp-mode", 0, FS_CMD_ATTACH,
		    "native (default) falls back to generic with a message", attach.xdp_mode,
		    {"native", FS_XDP_NATIVE}, {"generic", FS_XDP_GENERIC}),
	FLAG_OPTION("xdp-dispatcher", 0, FS_CMD_ATTACH,
		    "attach XDP through libxdp's dispatcher, so xdp-loader can add programs "
		    "beside it (done anyway where a dispatcher is in use)",
		    attach.xdp_dispatcher),
	CALL_OPTION("interval", 0, "DURATION", FS_CMD_ATTACH, "summary refresh period (default 1s)",
		    opt_interval),
	CALL_OPTION("host-window", 0, "DURATION", FS_CMD_ATTACH | FS_CMD_REPLAY,
		    "a host's activity is judged on its flows of this long back: a record's "
		    "host_class on the flows ended by its end, the summary's hosts on flows open "
		    "or ended (default 60s)",
		    opt_host_window),
	CALL_OPTION("drain-interval", 0, "DURATION", FS_CMD_ATTACH,
		    "how often ended flows are exported (default 1s)", opt_drain_interval),
	TEXT_OPTION("ipfix", 0, "[udp://|tcp://]HOST:PORT", FS_CMD_ATTACH | FS_CMD_REPLAY,
		    "also export every record as an IPFIX biflow to a collector (UDP by default)",
		    ipfix.target),
	CALL_OPTION("ipfix-pen", 0, "N", FS_CMD_ATTACH | FS_CMD_REPLAY,
		    "the private enterprise number of flowscope's IPFIX elements (default "
		    "32473, RFC 5612's for documentation: use your own)",
		    opt_ipfix_pen),
	TEXT_OPTION("ipfix-features", 0, "LIST", FS_CMD_ATTACH | FS_CMD_REPLAY,
		    "the features exported with each flow, in records of their own: none "
		    "(default), all, or names separated by commas",
		    ipfix.features),
	CALL_OPTION("ipfix-queue", 0, "N", FS_CMD_ATTACH | FS_CMD_REPLAY,
		    "flows waiting for the collector at most; live, more are dropped and counted "
		    "(default 65536)",
		    opt_ipfix_queue),
	TEXT_OPTION("metrics", 0, "[ADDR:]PORT", FS_CMD_ATTACH,
		    "serve Prometheus metrics at http://ADDR:PORT/metrics (without ADDR, on "
		    "every address), as of the latest --interval refresh",
		    metrics),
	TEXT_OPTION("config", 0, "FILE", ~0U,
		    "read options from FILE first, one per line: a long option's name and its "
		    "value (as /etc/flowscope/flowscope.conf for the service); the command line "
		    "wins",
		    config),
	TEXT_OPTION("class-mark", 0, "CLASS=MARK[/MASK],...", FS_CMD_ATTACH,
		    "on the TC hooks, set these bits of skb->mark (MASK: all 32 by default) on "
		    "every packet of a flow the kernel model has called CLASS, from its verdict "
		    "on, for tc filters and nftables 'meta mark' rules; not with --hook xdp, "
		    "where the kernel has no mark to set (docs/LIVE.md)",
		    class_mark),
	TEXT_OPTION("class-priority", 0, "CLASS=N,...", FS_CMD_ATTACH,
		    "on the TC hooks, set skb->priority to N (e.g. an HTB class id, 0x10020 for "
		    "1:20) on every packet of a flow the kernel model has called CLASS, from its "
		    "verdict on; not with --hook xdp",
		    class_priority),
	FLAG_OPTION("keep-pins", 0, FS_CMD_ATTACH,
		    "leave the maps pinned under " FS_PIN_ROOT "/IFACE/ at exit", keep_pins),
};

#define NOPTIONS FS_ARRAY_SIZE(options)

static bool takes_argument(const struct fs_option *o)
{
	return o->arg || o->values;
}

/* "kernel|user": an enumerated option's argument, from its values. */
static const char *argument_name(const struct fs_option *o, char *buf, size_t len)
{
	const struct fs_choice *c;
	size_t used = 0;

	if (!o->values)
		return o->arg;
	buf[0] = '\0';
	for (c = o->values; c->name && used < len; c++)
		used += snprintf(buf + used, len - used, "%s%s", c == o->values ? "" : "|",
				 c->name);
	return buf;
}

static int set_enum(const struct fs_option *o, struct fs_cli *cli, const char *arg)
{
	const struct fs_choice *c;
	char names[128];

	for (c = o->values; c->name; c++) {
		if (strcmp(c->name, arg) == 0) {
			*(int *)((char *)cli + o->field) = c->value;
			return 0;
		}
	}
	return fs_err(NULL, "--%s: '%s' is not one of %s", o->name, arg,
		      argument_name(o, names, sizeof(names)));
}

static int apply(const struct fs_option *o, struct fs_cli *cli, const char *arg)
{
	switch (o->kind) {
	case FS_OPT_ENUM:
		return set_enum(o, cli, arg);
	case FS_OPT_TEXT:
		*(const char **)((char *)cli + o->field) = arg;
		return 0;
	case FS_OPT_FLAG:
		*(bool *)((char *)cli + o->field) = true;
		return 0;
	default:
		return o->apply(cli, arg);
	}
}

void fs_options_usage(FILE *f, const struct fs_command *cmd)
{
	char left[64], arg[64];
	size_t i;

	fprintf(f, "Usage: flowscope %s [OPTIONS] %s\n\n%s.\n\nOptions:\n", cmd->name,
		cmd->operands ? cmd->operands : "", cmd->summary);
	for (i = 0; i < NOPTIONS; i++) {
		const struct fs_option *o = &options[i];
		const char *a = argument_name(o, arg, sizeof(arg));

		if (!(o->commands & cmd->id))
			continue;
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 a ? " " : "", a ? a : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, a ? " " : "",
				 a ? a : "");
		fprintf(f, "  %-30s %s\n", left, o->help);
	}
	fprintf(f, "  %-30s %s\n", "-h, --help", "show this help");
}

/* roff needs its backslashes, and a leading dot or quote, escaped. */
static void put_roff(FILE *f, const char *text)
{
	for (; *text; text++) {
		if (*text == '\\')
			fputs("\\e", f);
		else if (*text == '-')
			fputs("\\-", f);
		else
			fputc(*text, f);
	}
}

void fs_options_man(FILE *f, const struct fs_command *cmd)
{
	char arg[64];
	size_t i;

	for (i = 0; i < NOPTIONS; i++) {
		const struct fs_option *o = &options[i];
		const char *a = argument_name(o, arg, sizeof(arg));

		if (!(o->commands & cmd->id))
			continue;
		fputs(".TP\n", f);
		if (o->short_name)
			fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
		fputs("\\fB\\-\\-", f);
		put_roff(f, o->name);
		fputs("\\fR", f);
		if (a) {
			fputs(" \\fI", f);
			put_roff(f, a);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		put_roff(f, o->help);
		fputs(".\n", f);
	}
}

void fs_options_value_cases(FILE *f, const struct fs_command *cmd)
{
	const struct fs_choice *c;
	size_t i;

	for (i = 0; i < NOPTIONS; i++) {
		const struct fs_option *o = &options[i];

		if (!(o->commands & cmd->id) || !o->values)
			continue;
		fprintf(f, "\t\t\t--%s) values=\"", o->name);
		for (c = o->values; c->name; c++)
			fprintf(f, "%s%s", c == o->values ? "" : " ", c->name);
		fputs("\" ;;\n", f);
	}
}

void fs_options_words(FILE *f, const struct fs_command *cmd)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (options[i].commands & cmd->id)
			fprintf(f, "--%s ", options[i].name);
	fputs("--help", f);
}

/* cmd's option called name (the long name, without dashes), or NULL. */
static const struct fs_option *command_option(const struct fs_command *cmd, const char *name)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if ((options[i].commands & cmd->id) && strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

/*
 * need: "manifest|csv" -- exactly one of these options was given. 0, or -1
 * after printing what is missing.
 */
static int check_need(const struct fs_command *cmd, const char *need, const bool *given)
{
	char buf[128], list[256] = "", *tok, *save = NULL;
	size_t used = 0;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", need);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		const struct fs_option *o = command_option(cmd, tok);
		char arg[64];
		const char *a;

		if (!o) /* the command table names an option the command lacks */
			return fs_err(cmd->name, "needs --%s, which is not one of its options",
				      tok);
		a = argument_name(o, arg, sizeof(arg));
		n += given[o - options];
		used += snprintf(list + used, sizeof(list) - used, "%s--%s%s%s", used ? " or " : "",
				 o->name, a ? " " : "", a ? a : "");
	}
	if (n == 1)
		return 0;
	return fs_err(cmd->name, "%s %s; see 'flowscope %s --help'",
		      n ? "give only one of" : "needs", list, cmd->name);
}

/* The options the command needs, and its operands. 0, or -1 after printing why. */
static int check_command_line(const struct fs_command *cmd, const bool *given, int noperands)
{
	size_t i;

	for (i = 0; i < FS_ARRAY_SIZE(cmd->needs) && cmd->needs[i]; i++)
		if (check_need(cmd, cmd->needs[i], given) < 0)
			return -1;
	if (!cmd->operands && noperands > 0)
		return fs_err(cmd->name, "takes no operands; see 'flowscope %s --help'", cmd->name);
	if (cmd->operands && cmd->operands[0] != '[' && noperands == 0)
		return fs_err(cmd->name, "no %.*s given; see 'flowscope %s --help'",
			      (int)strcspn(cmd->operands, "."), cmd->operands, cmd->name);
	return 0;
}

/*
 * The later checkpoints come after the checkpoint, whichever option came
 * first. The default ones not after a --kernel-checkpoint given are dropped;
 * --kernel-later's own are refused.
 */
static int check_kernel_later(const struct fs_command *cmd, struct fs_cli *cli, const bool *given)
{
	const struct fs_option *o = command_option(cmd, "kernel-later");
	struct fs_km_config *w = &cli->kernel_when;
	unsigned int i, kept = 0;
	const char *problem;

	if (!o || !w->checkpoint)
		return 0;
	if (!given[o - options]) {
		for (i = 0; i < w->nlater; i++)
			if (w->later[i] > w->checkpoint)
				w->later[kept++] = w->later[i];
		w->nlater = kept;
	}
	problem = fs_km_later_problem(w);
	return problem ? fs_err("--kernel-later", "%s (the checkpoint: packet %u)", problem,
				w->checkpoint)
		       : 0;
}

/* The config file's text: text options point into it for the whole run. */
static char *config_text;

/* "--config FILE" or "--config=FILE" before any "--": FILE, or NULL. */
static const char *config_path(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--config=", 9) == 0)
			return argv[i] + 9;
	}
	return NULL;
}

/* One line "NAME [VALUE]", cut in place. 0, or -1 after printing why. */
static int config_line(const struct fs_command *cmd, struct fs_cli *cli, const char *path,
		       unsigned int lineno, char *line, bool *given)
{
	char *name = line + strspn(line, " \t"), *value;
	const struct fs_option *o;

	if (!*name || *name == '#')
		return 0;
	value = name + strcspn(name, " \t");
	if (*value)
		*value++ = '\0';
	value += strspn(value, " \t");
	for (char *end = value + strlen(value); end > value && strchr(" \t\r", end[-1]);)
		*--end = '\0';
	o = command_option(cmd, name);
	if (!o || strcmp(name, "config") == 0)
		return fs_err(path, "line %u: '%s' is not an option of %s", lineno, name,
			      cmd->name);
	if (takes_argument(o) != (*value != '\0'))
		return fs_err(path, "line %u: %s %s", lineno, name,
			      takes_argument(o) ? "needs a value" : "takes no value");
	/* A bad value is said as the command line's would be: "flowscope: --NAME: ...". */
	if (apply(o, cli, value) < 0)
		return -1;
	given[o - options] = true;
	return 0;
}

/*
 * The options of a config file (--config FILE): a long option's name and its
 * value, if it takes one, per line; '#' starts a comment. The command line
 * is parsed after it, so its options win. 0, or -1 after printing why.
 */
static int apply_config(const struct fs_command *cmd, struct fs_cli *cli, const char *path,
			bool *given)
{
	FILE *f = fopen(path, "r");
	size_t len = 0;
	char *line, *save = NULL;
	unsigned int lineno = 0;
	int err = 0;

	if (!f)
		return fs_err(path, "cannot open the config file: %s", strerror(errno));
	if (getdelim(&config_text, &len, '\0', f) < 0 && !feof(f))
		err = fs_err(path, "cannot read the config file: %s", strerror(errno));
	fclose(f);
	if (err || !config_text)
		return err;
	for (line = config_text; line && !err; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		err = config_line(cmd, cli, path, ++lineno, line, given);
	}
	return err;
}

int fs_options_parse(const struct fs_command *cmd, struct fs_cli *cli, int argc, char **argv)
{
	struct option longopts[NOPTIONS + 2];
	const struct fs_option *by_index[NOPTIONS];
	bool given[NOPTIONS] = {false};
	char shortopts[2 * NOPTIONS + 4] = "h"; /* options may follow operands */
	size_t i, n = 0, s = 1;
	int c, idx;

	for (i = 0; i < NOPTIONS; i++) {
		const struct fs_option *o = &options[i];

		if (!(o->commands & cmd->id))
			continue;
		longopts[n] = (struct option){o->name,
					      takes_argument(o) ? required_argument : no_argument,
					      NULL, 0x100 + (int)n};
		by_index[n++] = o;
		if (o->short_name) {
			shortopts[s++] = (char)o->short_name;
			if (takes_argument(o))
				shortopts[s++] = ':';
		}
	}
	longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[n] = (struct option){0};
	shortopts[s] = '\0';
	if (config_path(argc, argv) && apply_config(cmd, cli, config_path(argc, argv), given) < 0)
		return -1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		const struct fs_option *o = NULL;

		if (c == 'h') {
			fs_options_usage(stdout, cmd);
			exit(FS_EXIT_OK);
		}
		if (c >= 0x100)
			o = by_index[c - 0x100];
		for (i = 0; !o && c != '?' && c != ':' && i < n - 1; i++) {
			if (by_index[i]->short_name == c)
				o = by_index[i];
		}
		if (!o)
			return fs_err(cmd->name,
				      "unknown option or missing argument '%s'; see "
				      "'flowscope %s --help'",
				      argv[optind - 1], cmd->name);
		if (apply(o, cli, optarg) < 0)
			return -1;
		given[o - options] = true;
	}
	if (check_command_line(cmd, given, argc - optind) < 0 ||
	    check_kernel_later(cmd, cli, given) < 0)
		return -1;
	return optind;
}
