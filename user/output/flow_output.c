// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "classify/classify.h"
#include "output/flow_output.h"

int fs_flow_output_unit(void *ctx, const struct fs_unit *u)
{
	struct fs_flow_output *o = ctx;
	struct fs_assessment a;
	struct fs_row row = {.unit = u, .features = &a.features};
	int cls, err = 0;

	fs_assess_unit(&a, u, o->model);
	if (a.classified) {
		row.model = o->model;
		row.verdict = &a.verdict;
	}
	cls = fs_assessment_class(&a);
	if (cls < 0)
		cls = FS_UNCLASSIFIED;
	o->tally[cls].flows++;
	o->tally[cls].bytes += u->dir[0].bytes + u->dir[1].bytes;
	if (o->writer)
		err = fs_writer_write_row(o->writer, &row);
	if (a.classified)
		fs_alerts_flow(o->alerts, u, &a.verdict);
	if (o->hosts && a.classified && a.verdict.mlp_class >= 0) {
		struct fs_host_ballot b = {u->first_ts, u->last_ts,
					   (double)(u->dir[0].bytes + u->dir[1].bytes),
					   a.verdict.probs};

		fs_hosts_add(o->hosts, u->src_addr, &b); /* a failure is counted there */
	}
	return err;
}
