/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Live monitoring: the kernel program on interfaces, flows drained as they
 * end, records written as they come, a summary refreshed like top.
 */
#ifndef FS_LIVE_H
#define FS_LIVE_H

#include <stdbool.h>
#include <stdio.h>

#include "live/attach.h"
#include "engine/engine.h"
#include "output/flow_output.h"

struct fs_live_options {
	struct fs_attach_options attach;
	struct fs_meter_config meter;
	__u32 max_flows;
	__u64 drain_ns;	      /* how often ended flows are exported */
	__u64 interval_ns;    /* how often the summary refreshes */
	__u64 host_window_ns; /* the summary's host table: flows of this long back */
	bool keep_pins;
	FILE *summary; /* NULL: no summary */
	bool summary_tty;
	const char *metrics_listen;	   /* serve metrics on this [ADDR:]PORT; NULL: no */
	const char *model_path;		   /* the model's file, named in the metrics */
	const struct fs_km_forest *kmodel; /* decides flows in the kernel; NULL: none */
	const struct fs_class_action *class_actions; /* per class, on TC; NULL: none */
	const char *report_path; /* the output's report, drawn here at exit and on SIGUSR1 */
};

/*
 * Attach to every interface, monitor until SIGINT/SIGTERM, clean up; every
 * finished flow goes to out. Exit code.
 */
int fs_live_run(const struct fs_live_options *opt, char **ifnames, int nifaces,
		struct fs_flow_output *out);

#endif /* FS_LIVE_H */
