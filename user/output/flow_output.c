// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "output/flow_output.h"

int fs_flow_output_unit(void *ctx, const struct fs_unit *u)
{
	struct fs_flow_output *o = ctx;
	struct fs_row_data d;
	int cls = -1, err = 0;

	fs_row_build(&d, u, o->cic_compat, o->model);
	if (d.row.verdict)
		cls = fs_verdict_class(d.row.verdict);
	if (cls < 0)
		cls = FS_UNCLASSIFIED;
	o->tally[cls].flows++;
	o->tally[cls].bytes += u->dir[0].bytes + u->dir[1].bytes;
	if (o->writer)
		err = fs_writer_write_row(o->writer, &d.row);
	if (d.row.verdict)
		fs_alerts_flow(o->alerts, u, d.row.verdict);
	return err;
}
