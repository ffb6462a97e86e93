/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The command line: one table of commands and one of options. The same
 * tables drive parsing and --help, so the two cannot disagree.
 */
#ifndef FS_CLI_H
#define FS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "output/alert.h"
#include "live/attach.h"
#include "engine/engine.h"
#include "output/flow_output.h"
#include "output/ipfix.h"
#include "output/record_writer.h"
#include "classify/mlp.h"
#include "capture/replay.h"
#include "train/train.h"

/* Everything the options can set, with the defaults of fs_cli_defaults(). */
struct fs_cli {
	enum fs_engine_kind engine;
	enum fs_test_program test_program; /* replay's --hook */
	enum fs_cli_format { FS_CLI_CSV, FS_CLI_JSON, FS_CLI_CIC } format;
	struct fs_output out; /* its format and features settled from format after parsing */
	const char *output;
	struct fs_meter_config meter;
	__u32 max_flows;
	bool quiet;
	enum fs_unit_kind { FS_UNIT_FLOW, FS_UNIT_PAIR } unit; /* what a record describes */
	struct fs_alert_config alert;			       /* replay, attach */
	/* attach */
	struct fs_attach_options attach;
	__u64 drain_ns;
	__u64 interval_ns;
	__u64 host_window_ns; /* the summary's host table looks this far back */
	bool keep_pins;
	const char *metrics;	      /* --metrics [ADDR:]PORT */
	const char *report;	      /* eval, attach: --report FILE */
	struct fs_ipfix_config ipfix; /* attach, replay: target NULL, no export */
	/* features */
	bool markdown;
	/* train, eval */
	const char *manifest;
	const char *model;
	const char *model_path; /* the model loaded for the command, if any */
	bool no_model;
	enum fs_model_type { FS_MODEL_BOTH, FS_MODEL_MLP, FS_MODEL_KMEANS } model_type;
	bool unsupervised;
	unsigned int clusters;
	unsigned int hidden[FS_MLP_MAX_HIDDEN];
	unsigned int nhidden;
	unsigned int epochs;
	unsigned int ensemble;
	double unknown_accuracy; /* train: where verdicts turn unknown (calibrate.h) */
	unsigned int cv;
	unsigned int cv_draws;
	struct fs_km_config
		kernel_when;	    /* train: when the kernel model decides (checkpoint 0: none) */
	const char *class_mark;	    /* attach: raw CLASS=MARK[/MASK],... */
	const char *class_priority; /* attach: raw CLASS=N,... */
	const char *cv_group;
	const char *flow_labels;
	const char *without_features;
	const char *config;
	__u64 seed;
	const char *dump_inputs;
	const char *csv; /* train from a feature CSV */
	const char *label_column;
	const char *group_column;
	/* export */
	const char *fit_path;
	const char *scaler_path;
	const char *label;
};

enum fs_command_id {
	FS_CMD_REPLAY = 1 << 0,
	FS_CMD_ATTACH = 1 << 1,
	FS_CMD_DETACH = 1 << 2,
	FS_CMD_STATUS = 1 << 3,
	FS_CMD_FEATURES = 1 << 4,
	FS_CMD_EXPORT = 1 << 5,
	FS_CMD_TRAIN = 1 << 6,
	FS_CMD_EVAL = 1 << 7,
	FS_CMD_REPORT = 1 << 8,
};

struct fs_command {
	const char *name;
	unsigned int id;
	const char *operands; /* "CAPTURE...": one or more; "[IFACE...]": optional; NULL: none */
	const char *summary;
	/* Options it cannot run without: "a|b" means exactly one of --a and --b. */
	const char *needs[2];
	bool classifies; /* loads the model (--model, $FLOWSCOPE_MODEL, the default) */
	int (*run)(const struct fs_cli *cli, int argc, char **argv);
};

/* Exit codes */
#define FS_EXIT_OK	0
#define FS_EXIT_FAILURE 1
#define FS_EXIT_USAGE	2

int fs_cli_main(int argc, char **argv);
/*
 * cmd's options into cli: checked against what cmd needs (options and
 * operands). The index of the first operand, or -1 after printing why.
 * --help prints the usage and exits.
 */
int fs_options_parse(const struct fs_command *cmd, struct fs_cli *cli, int argc, char **argv);
void fs_options_usage(FILE *f, const struct fs_command *cmd);
/* cmd's options as a man page's OPTIONS section (roff). */
void fs_options_man(FILE *f, const struct fs_command *cmd);
/* "--engine --hook ... --help": cmd's long options, for shell completion. */
void fs_options_words(FILE *f, const struct fs_command *cmd);
/* Bash case arms "--engine) values="kernel user" ;;" for cmd's enumerated options. */
void fs_options_value_cases(FILE *f, const struct fs_command *cmd);
/* The kernel model of the model loaded for the command, or NULL. */
const struct fs_km_forest *fs_cli_kernel_model(const struct fs_cli *cli);
/* The replay the options describe, feeding sink. */
struct fs_replay_job fs_cli_replay_job(const struct fs_cli *cli, fs_unit_fn sink, void *ctx);

/* The training recipe the options describe. */
struct fs_train_options fs_cli_train_options(const struct fs_cli *cli);

/*
 * The flow output the options ask for, without its writer: the model, the
 * arithmetic, the alert log, the IPFIX exporter (live, it drops when its
 * queue is full; else it waits). 0, or -1 after printing why.
 */
int fs_cli_flow_output(const struct fs_cli *cli, struct fs_flow_output *out, bool live);
/* Closes what fs_cli_flow_output opened but the writer. 0, or -1 after printing why. */
int fs_cli_flow_output_close(struct fs_flow_output *out);

/* Commands */
int fs_cmd_replay(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_attach(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_detach(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_status(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_features(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_export(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_train(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_eval(const struct fs_cli *cli, int argc, char **argv);
int fs_cmd_report(const struct fs_cli *cli, int argc, char **argv);

#endif /* FS_CLI_H */
