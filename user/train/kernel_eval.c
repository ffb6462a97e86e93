// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/forest.h"
#include "train/activity.h"
#include "train/evaluate.h"
#include "train/kernel_eval.h"

int fs_kernel_eval_init(struct fs_kernel_evaluation *e, unsigned int nclasses)
{
	memset(e, 0, sizeof(*e));
	if (fs_confusion_init(&e->flows, nclasses) < 0 ||
	    fs_confusion_init(&e->captures, nclasses) < 0) {
		fs_kernel_eval_free(e);
		return -1;
	}
	return 0;
}

void fs_kernel_eval_free(struct fs_kernel_evaluation *e)
{
	fs_confusion_free(&e->flows);
	fs_confusion_free(&e->captures);
}

/* The snapshot of each row at the checkpoint, or -1. NULL without memory. */
static long *checkpoint_snapshots(const struct fs_training_set *ts, __u32 checkpoint)
{
	long *at = malloc((ts->n + 1) * sizeof(long));
	size_t i;

	if (!at)
		return NULL;
	for (i = 0; i < ts->n; i++)
		at[i] = -1;
	for (i = 0; i < ts->nsnap; i++)
		if (ts->snap_packets[i] == checkpoint)
			at[ts->snap_row[i]] = (long)i;
	return at;
}

static void evaluate_capture(struct fs_kernel_evaluation *e, const struct fs_model *m,
			     const struct fs_training_set *ts, const long *at, size_t from,
			     size_t to, int truth)
{
	double votes[FS_MODEL_MAX_CLASSES] = {0};
	size_t i;

	for (i = from; i < to; i++) {
		const __u32 *in;
		int k, full;

		if (ts->role[i] == FS_FLOW_ACTIVITY)
			e->activity_flows++;
		if (at[i] < 0)
			continue;
		in = ts->snap_km_in + (size_t)at[i] * FS_KM_INPUTS;
		k = fs_forest_classify(&m->kernel, in);
		full = fs_classify_row_class(m, ts->snap_x + (size_t)at[i] * ts->dim);
		e->all_reached++;
		e->all_agree += k == full;
		if (ts->role[i] != FS_FLOW_ACTIVITY)
			continue;
		e->agree += k == full;
		fs_confusion_add(&e->flows, truth, k);
		if (k >= 0)
			votes[k]++;
	}
	fs_confusion_add(&e->captures, truth,
			 fs_capture_verdict(votes, m->nclasses, fs_model_background_class(m)));
}

int fs_kernel_evaluate(struct fs_kernel_evaluation *e, const struct fs_model *m,
		       const struct fs_training_set *ts, const int *capture_class,
		       const bool *groups)
{
	size_t from = 0, to;
	long *at;

	if (!m->kernel.cfg.checkpoint)
		return 0;
	at = checkpoint_snapshots(ts, m->kernel.cfg.checkpoint);
	if (!at)
		return -1;
	while (from < ts->n) {
		int g = ts->group[from];

		for (to = from; to < ts->n && ts->group[to] == g; to++)
			;
		if ((!groups || groups[g]) && capture_class[g] >= 0)
			evaluate_capture(e, m, ts, at, from, to, capture_class[g]);
		from = to;
	}
	free(at);
	return 0;
}

void fs_kernel_eval_print(FILE *f, const struct fs_kernel_evaluation *e, const struct fs_model *m)
{
	__u64 reached = fs_confusion_total(&e->flows);

	if (!m->kernel.cfg.checkpoint)
		return;
	fprintf(f,
		"Kernel model, deciding at packet %u: %llu of the %llu "
		"activity flows reach it;\n  it agrees with the full model there on %llu of them "
		"(%.3f), and on %llu of the %llu flows of any role (%.3f)\n",
		m->kernel.cfg.checkpoint, (unsigned long long)reached,
		(unsigned long long)e->activity_flows, (unsigned long long)e->agree,
		reached ? (double)e->agree / reached : 0, (unsigned long long)e->all_agree,
		(unsigned long long)e->all_reached,
		e->all_reached ? (double)e->all_agree / e->all_reached : 0);
	fs_confusion_print(f, &e->captures, m->classes,
			   "Kernel model, captures (their activity flows at the checkpoint)");
	fs_confusion_print(f, &e->flows, m->classes,
			   "Kernel model, activity flows at the checkpoint");
}
