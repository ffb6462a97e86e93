// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "evaluate.h"

int fs_evaluation_init(struct fs_evaluation *e, unsigned int nclasses)
{
	memset(e, 0, sizeof(*e));
	if (fs_confusion_init(&e->flow_mlp, nclasses) < 0 ||
	    fs_confusion_init(&e->capture_mlp, nclasses) < 0 ||
	    fs_confusion_init(&e->flow_kmeans, nclasses) < 0 ||
	    fs_confusion_init(&e->capture_kmeans, nclasses) < 0) {
		fs_evaluation_free(e);
		return -1;
	}
	return 0;
}

void fs_evaluation_free(struct fs_evaluation *e)
{
	fs_confusion_free(&e->flow_mlp);
	fs_confusion_free(&e->capture_mlp);
	fs_confusion_free(&e->flow_kmeans);
	fs_confusion_free(&e->capture_kmeans);
}

static int argmax(const double *v, unsigned int n)
{
	unsigned int i, best = 0;

	for (i = 1; i < n; i++)
		if (v[i] > v[best])
			best = i;
	return v[best] > 0 ? (int)best : -1;
}

/*
 * One capture's rows [from, to): each flow's verdicts, and the capture's.
 * Its activity flows vote with their bytes; a capture without any (all
 * background) lets every flow vote.
 */
static void evaluate_capture(struct fs_evaluation *e, const struct fs_model *m,
			     const struct fs_training_set *ts, size_t from, size_t to, int truth)
{
	double mlp_bytes[FS_MODEL_MAX_CLASSES] = {0}, km_bytes[FS_MODEL_MAX_CLASSES] = {0};
	bool any_activity = false;
	struct fs_verdict v;
	size_t i;

	for (i = from; i < to; i++)
		any_activity |= ts->label[i] >= 0;
	for (i = from; i < to; i++) {
		bool activity = ts->label[i] >= 0;

		if (any_activity && !activity)
			continue;
		fs_classify_row(m, ts->x + i * ts->dim, &v);
		if (activity) {
			fs_confusion_add(&e->flow_mlp, truth, v.mlp_class);
			fs_confusion_add(&e->flow_kmeans, truth, v.kmeans_class);
		}
		if (v.mlp_class >= 0)
			mlp_bytes[v.mlp_class] += ts->bytes[i];
		if (v.kmeans_class >= 0)
			km_bytes[v.kmeans_class] += ts->bytes[i];
	}
	fs_confusion_add(&e->capture_mlp, truth, argmax(mlp_bytes, m->nclasses));
	fs_confusion_add(&e->capture_kmeans, truth, argmax(km_bytes, m->nclasses));
}

int fs_evaluate(struct fs_evaluation *e, const struct fs_model *m, const struct fs_training_set *ts,
		const int *capture_class, const bool *groups)
{
	size_t from = 0, to;

	if (ts->dim != m->nfeatures)
		return -1;
	/* Rows come capture by capture. */
	while (from < ts->n) {
		int g = ts->group[from];

		for (to = from; to < ts->n && ts->group[to] == g; to++)
			;
		if ((!groups || groups[g]) && capture_class[g] >= 0)
			evaluate_capture(e, m, ts, from, to, capture_class[g]);
		from = to;
	}
	return 0;
}

void fs_evaluation_print(FILE *f, const struct fs_evaluation *e, const struct fs_model *m)
{
	char *const *names = m->classes;

	if (m->has_mlp) {
		fs_confusion_print(f, &e->capture_mlp, names, "MLP, captures");
		fs_confusion_print(f, &e->flow_mlp, names, "MLP, flows carrying the activity");
	}
	if (m->has_kmeans) {
		fs_confusion_print(f, &e->capture_kmeans, names, "k-means, captures");
		fs_confusion_print(f, &e->flow_kmeans, names,
				   "k-means, flows carrying the activity");
	}
}
