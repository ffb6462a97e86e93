// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "train/activity.h"
#include "classify/classify.h"
#include "train/early.h"
#include "capture/replay.h"

int fs_early_init(struct fs_early_evaluation *e, unsigned int nclasses)
{
	int i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < FS_EARLY_POINTS; i++)
		if (fs_confusion_init(&e->at[i], nclasses) < 0)
			goto fail;
	if (fs_confusion_init(&e->final, nclasses) < 0)
		goto fail;
	return 0;
fail:
	fs_early_free(e);
	return -1;
}

void fs_early_free(struct fs_early_evaluation *e)
{
	int i;

	for (i = 0; i < FS_EARLY_POINTS; i++)
		fs_confusion_free(&e->at[i]);
	fs_confusion_free(&e->final);
}

static unsigned int point_packets(int i)
{
	return 2U << i;
}

static int shown_class(const struct fs_model *m, const double *raw)
{
	struct fs_verdict v;

	fs_classify_row(m, raw, &v);
	return fs_verdict_class(&v);
}

/* One flow: its class at every point (its final class past its end). */
static void evaluate_flow(struct fs_early_evaluation *e, const struct fs_model *m,
			  const struct fs_training_set *ts, size_t row, const long *snaps,
			  int truth)
{
	int cls[FS_EARLY_POINTS], final = shown_class(m, ts->x + row * ts->dim), i;
	bool right = final == truth;

	for (i = 0; i < FS_EARLY_POINTS; i++) {
		cls[i] = final;
		if (snaps[i] >= 0) {
			cls[i] = shown_class(m, ts->snap_x + (size_t)snaps[i] * ts->dim);
			e->reached[i]++;
		}
		fs_confusion_add(&e->at[i], truth, cls[i]);
		e->same_as_final[i] += cls[i] == final;
	}
	fs_confusion_add(&e->final, truth, final);
	e->flows++;
	if (!right)
		return;
	/* The earliest point from which every later class is right. */
	for (i = FS_EARLY_POINTS; i > 0 && cls[i - 1] == truth; i--)
		;
	e->right_from[i]++;
}

int fs_early_evaluate(struct fs_early_evaluation *e, const struct fs_model *m,
		      const struct fs_training_set *ts, const int *capture_class,
		      const bool *groups)
{
	long *snaps = malloc((ts->n ? ts->n : 1) * FS_EARLY_POINTS * sizeof(long));
	size_t i;

	if (!snaps || ts->dim != m->nfeatures) {
		free(snaps);
		return -1;
	}
	for (i = 0; i < ts->n * FS_EARLY_POINTS; i++)
		snaps[i] = -1;
	for (i = 0; i < ts->nsnap; i++)
		snaps[ts->snap_row[i] * FS_EARLY_POINTS + fs_early_point(ts->snap_packets[i])] =
			(long)i;
	for (i = 0; i < ts->n; i++) {
		int g = ts->group[i];

		if (ts->role[i] != FS_FLOW_ACTIVITY || (groups && !groups[g]) ||
		    capture_class[g] < 0)
			continue;
		evaluate_flow(e, m, ts, i, snaps + i * FS_EARLY_POINTS, capture_class[g]);
	}
	free(snaps);
	return 0;
}

unsigned int fs_early_median_packets(const struct fs_early_evaluation *e)
{
	__u64 sum = 0;
	int i;

	for (i = 0; i < FS_EARLY_POINTS; i++) {
		sum += e->right_from[i];
		if (2 * sum >= e->flows && e->flows)
			return point_packets(i);
	}
	return 0;
}

void fs_early_print(FILE *f, const struct fs_early_evaluation *e)
{
	unsigned int median = fs_early_median_packets(e);
	__u64 right = 0;
	int i;

	fprintf(f,
		"Early classification of the %llu flows carrying the activity: the class after "
		"a flow's first packets\n(a flow that ended sooner keeps its final class)\n"
		"%8s %8s %9s %9s %14s %15s\n",
		(unsigned long long)e->flows, "packets", "reached", "macro-F1", "accuracy",
		"same as final", "right for good");
	for (i = 0; i < FS_EARLY_POINTS; i++) {
		right += e->right_from[i];
		fprintf(f, "%8u %8llu %9.3f %9.3f %14.3f %15.3f\n", point_packets(i),
			(unsigned long long)e->reached[i], fs_confusion_macro_f1(&e->at[i]),
			fs_confusion_accuracy(&e->at[i]),
			e->flows ? (double)e->same_as_final[i] / e->flows : 0,
			e->flows ? (double)right / e->flows : 0);
	}
	fprintf(f, "%8s %8s %9.3f %9.3f\n", "end", "", fs_confusion_macro_f1(&e->final),
		fs_confusion_accuracy(&e->final));
	if (median)
		fprintf(f, "Half the flows have their right class for good by packet %u.\n\n",
			median);
	else
		fprintf(f, "Fewer than half the flows end with their right class.\n\n");
}
