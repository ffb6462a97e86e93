// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "classify/classify.h"
#include "output/flow_output.h"
#include "common/util.h"

int fs_flow_output_hold_hosts(struct fs_flow_output *o, __u64 window_ns, __u64 lag_ns)
{
	if (!o->model || !o->model->nmlp)
		return 0;
	o->hosts = fs_hosts_new(o->model->nclasses, fs_model_background_class(o->model));
	o->host_window_ns = window_ns;
	o->host_keep_ns = window_ns + lag_ns;
	return o->hosts ? 0 : -1;
}

/*
 * Holds u's ballot, and judges its host over the window that ends with u's
 * last packet: the host's flows ended by then, u among them.
 */
static void judge_unit_host(struct fs_flow_output *o, const struct fs_unit *u,
			    const struct fs_verdict *v, struct fs_host_row *row)
{
	struct fs_host_ballot b = {u->first_ts, u->last_ts,
				   (double)(u->dir[0].bytes + u->dir[1].bytes), v->probs};
	__u64 from = u->last_ts > o->host_window_ns ? u->last_ts - o->host_window_ns : 0;

	/* Pruned now and then, not at every record: a prune reads every ballot. */
	if (u->last_ts > o->hosts_pruned_at + o->host_keep_ns / 4) {
		if (u->last_ts > o->host_keep_ns)
			fs_hosts_prune(o->hosts, u->last_ts - o->host_keep_ns);
		o->hosts_pruned_at = u->last_ts;
	}
	fs_hosts_add(o->hosts, u->src_addr, &b); /* a failure is counted there */
	if (fs_hosts_judge_one(o->hosts, u->src_addr, from, u->last_ts, row) < 0)
		row->cls = -1;
}

/* u's row as a has it: all but the host's verdict. */
static struct fs_row unit_row(const struct fs_flow_output *o, const struct fs_unit *u,
			      const struct fs_assessment *a)
{
	struct fs_row row = {.unit = u, .features = &a->features};

	if (a->classified) {
		row.model = o->model;
		row.verdict = &a->verdict;
	}
	return row;
}

void fs_flow_output_prepare(void *ctx, const struct fs_unit *u, void *work)
{
	struct fs_flow_output *o = ctx;
	struct fs_flow_work *fw = work;
	struct fs_row row;

	fs_assess_unit(&fw->a, u, o->model);
	row = unit_row(o, u, &fw->a);
	if (o->writer)
		fs_writer_format(o->writer, &row, &fw->text);
}

/* The rest of u's output, in order; text is fs_writer_format's, or NULL to make it here. */
static int commit(struct fs_flow_output *o, const struct fs_unit *u, const struct fs_assessment *a,
		  const struct fs_record_text *text)
{
	struct fs_host_row host;
	struct fs_row row = unit_row(o, u, a);
	int cls, err = 0;

	if (o->hosts && a->classified && a->verdict.mlp_class >= 0) {
		judge_unit_host(o, u, &a->verdict, &host);
		row.host = &host;
	}
	cls = fs_assessment_class(a);
	if (cls < 0)
		cls = FS_UNCLASSIFIED;
	o->tally[cls].flows++;
	o->tally[cls].bytes += u->dir[0].bytes + u->dir[1].bytes;
	if (o->writer)
		err = text ? fs_writer_write_text(o->writer, &row, text)
			   : fs_writer_write_row(o->writer, &row);
	if (o->ipfix)
		fs_ipfix_add(o->ipfix, &row);
	if (o->report && fs_report_add_row(o->report, &row) < 0)
		err = fs_err("report", "out of memory");
	if (a->classified)
		fs_alerts_flow(o->alerts, u, &a->verdict);
	return err;
}

int fs_flow_output_commit(void *ctx, const struct fs_unit *u, void *work)
{
	struct fs_flow_work *fw = work;

	return commit(ctx, u, &fw->a, &fw->text);
}

void fs_flow_output_release(void *work)
{
	fs_record_text_free(&((struct fs_flow_work *)work)->text);
}

int fs_flow_output_unit(void *ctx, const struct fs_unit *u)
{
	struct fs_flow_output *o = ctx;
	struct fs_assessment a;

	fs_assess_unit(&a, u, o->model);
	return commit(o, u, &a, NULL);
}
