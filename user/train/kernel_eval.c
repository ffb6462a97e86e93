// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/forest.h"
#include "train/activity.h"
#include "train/early.h"
#include "train/evaluate.h"
#include "train/kernel_eval.h"
#include "kernel_model_walk.h"

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

/*
 * Per snapshot point (fs_early_point), the snapshot of each row taken there,
 * or -1: FS_EARLY_POINTS runs of ts->n entries. NULL without memory.
 */
static long *row_snapshots(const struct fs_training_set *ts)
{
	long *at = malloc(((size_t)FS_EARLY_POINTS * ts->n + 1) * sizeof(long));
	size_t i;

	if (!at)
		return NULL;
	for (i = 0; i < (size_t)FS_EARLY_POINTS * ts->n; i++)
		at[i] = -1;
	for (i = 0; i < ts->nsnap; i++)
		at[fs_early_point(ts->snap_packets[i]) * ts->n + ts->snap_row[i]] = (long)i;
	return at;
}

/* Row i's snapshot after its packets-th packet (a power of two, 2 to 256), or -1. */
static long row_snapshot(const struct fs_training_set *ts, const long *at, size_t i, __u32 packets)
{
	return at[fs_early_point(packets) * ts->n + i];
}

/* The kernel's inputs, and the full model's class, of snapshot s. */
static const __u32 *snap_inputs(const struct fs_training_set *ts, long s)
{
	return ts->snap_km_in + (size_t)s * FS_KM_INPUTS;
}

static int snap_full_class(const struct fs_model *m, const struct fs_training_set *ts, long s)
{
	return fs_classify_row_class(m, ts->snap_x + (size_t)s * ts->dim);
}

/*
 * Row i's verdicts as the BPF program gives them (fs_km_due_at and
 * fs_km_store's rule), from the checkpoint's snapshot on, while the flow
 * reached the packet it was due at: *first, the checkpoint's class; the
 * return, the standing one; *rounds, how many decisions.
 */
static int decide_row(const struct fs_model *m, const struct fs_training_set *ts, const long *at,
		      size_t i, int *first, unsigned int *rounds)
{
	const struct fs_km_config *c = &m->kernel.cfg;
	struct fs_flow_stats st = {0};
	__u32 due, margin;
	int k = -1;
	long s;

	for (*rounds = 0; (due = fs_km_due_at(c, &st)) && (s = row_snapshot(ts, at, i, due)) >= 0;
	     ++*rounds) {
		k = fs_forest_classify(&m->kernel, snap_inputs(ts, s), &margin);
		if (!*rounds)
			*first = k;
		fs_km_store(c, &st, fs_km_verdict(k), margin);
	}
	return k;
}

static void evaluate_capture(struct fs_kernel_evaluation *e, const struct fs_model *m,
			     const struct fs_training_set *ts, const long *at, size_t from,
			     size_t to, int truth)
{
	double votes[FS_MODEL_MAX_CLASSES] = {0};
	size_t i;

	for (i = from; i < to; i++) {
		int first = -1, k, full, end;
		unsigned int rounds;

		if (ts->role[i] == FS_FLOW_ACTIVITY)
			e->activity_flows++;
		if (row_snapshot(ts, at, i, m->kernel.cfg.checkpoint) < 0)
			continue;
		k = decide_row(m, ts, at, i, &first, &rounds);
		full = snap_full_class(m, ts, row_snapshot(ts, at, i, m->kernel.cfg.checkpoint));
		e->all_reached++;
		e->all_agree += first == full;
		if (ts->role[i] != FS_FLOW_ACTIVITY)
			continue;
		e->agree += first == full;
		end = fs_classify_row_class(m, ts->x + i * ts->dim);
		e->first_agree_end += first == end;
		e->standing_agree_end += k == end;
		e->redecided += rounds > 1;
		e->changed += k != first;
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
	at = row_snapshots(ts);
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
	unsigned int i;

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
	fputs("  decided again at the later checkpoints (", f);
	for (i = 0; i < m->kernel.cfg.nlater; i++)
		fprintf(f, "%s%u", i ? " " : "", m->kernel.cfg.later[i]);
	fprintf(f,
		"%s): %llu of those activity flows, %llu given another class;\n  against the full "
		"model on the whole flow, the checkpoint's verdict agrees on %llu (%.3f), the "
		"standing verdict on %llu (%.3f)\n",
		m->kernel.cfg.nlater ? "" : "none", (unsigned long long)e->redecided,
		(unsigned long long)e->changed, (unsigned long long)e->first_agree_end,
		reached ? (double)e->first_agree_end / reached : 0,
		(unsigned long long)e->standing_agree_end,
		reached ? (double)e->standing_agree_end / reached : 0);
	fs_confusion_print(f, &e->captures, m->classes,
			   "Kernel model, captures (their activity flows' standing verdicts)");
	fs_confusion_print(f, &e->flows, m->classes,
			   "Kernel model, activity flows' standing verdicts");
}
