// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "train/activity.h"
#include "classify/classify.h"
#include "classify/host_vote.h"
#include "train/evaluate.h"
#include "common/util.h"

int fs_evaluation_init(struct fs_evaluation *e, unsigned int nclasses, size_t ncaptures)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	e->ncaptures = ncaptures;
	e->truth = malloc((ncaptures + 1) * sizeof(int));
	e->verdict = malloc((ncaptures + 1) * sizeof(int));
	e->scored = calloc(ncaptures + 1, sizeof(unsigned int));
	e->right = calloc(ncaptures + 1, sizeof(unsigned int));
	if (!e->truth || !e->verdict || !e->scored || !e->right ||
	    fs_confusion_init(&e->flow_mlp, nclasses) < 0 ||
	    fs_confusion_init(&e->capture_mlp, nclasses) < 0 ||
	    fs_confusion_init(&e->background_mlp, nclasses) < 0 ||
	    fs_confusion_init(&e->flow_kmeans, nclasses) < 0 ||
	    fs_confusion_init(&e->capture_kmeans, nclasses) < 0 ||
	    fs_confusion_init(&e->background_kmeans, nclasses) < 0 ||
	    fs_confusion_init(&e->capture_host_mlp, nclasses) < 0) {
		fs_evaluation_free(e);
		return -1;
	}
	for (i = 0; i < ncaptures; i++)
		e->truth[i] = e->verdict[i] = -1;
	return 0;
}

void fs_evaluation_free(struct fs_evaluation *e)
{
	fs_confusion_free(&e->flow_mlp);
	fs_confusion_free(&e->capture_mlp);
	fs_confusion_free(&e->background_mlp);
	fs_confusion_free(&e->flow_kmeans);
	fs_confusion_free(&e->capture_kmeans);
	fs_confusion_free(&e->background_kmeans);
	fs_confusion_free(&e->capture_host_mlp);
	free(e->truth);
	free(e->verdict);
	free(e->scored);
	free(e->right);
	memset(e, 0, sizeof(*e));
}

int fs_capture_verdict(const double *score, unsigned int n, int background)
{
	unsigned int i;
	int best = -1;

	for (i = 0; i < n; i++)
		if ((int)i != background && score[i] > 0 && (best < 0 || score[i] > score[best]))
			best = (int)i;
	if (best < 0 && background >= 0 && score[background] > 0)
		best = background;
	return best;
}

/* k-means' vote: its class. */
static void vote(double *score, int class)
{
	if (class >= 0)
		score[class] += 1;
}

/* The MLP's vote: its probability of each class. */
static void vote_probs(double *score, const struct fs_verdict *v, unsigned int nclasses)
{
	unsigned int c;

	if (v->mlp_class < 0)
		return;
	for (c = 0; c < nclasses; c++)
		score[c] += v->probs[c];
}

/*
 * A vote for the host whose flows are rows [from, to) (a capture: one
 * host's recording) over the time they span, by the rule a host gets where
 * nothing says which of its flows carry its activity (host_vote.h).
 */
static void start_host_vote(struct fs_host_vote *hv, const struct fs_model *m,
			    const struct fs_training_set *ts, size_t from, size_t to)
{
	__u64 first = ~0ULL, last = 0;
	size_t i;

	for (i = from; i < to; i++) {
		first = ts->span[i].first_ts < first ? ts->span[i].first_ts : first;
		last = ts->span[i].last_ts > last ? ts->span[i].last_ts : last;
	}
	fs_host_vote_init(hv, m->nclasses, fs_model_background_class(m), first, last);
}

/*
 * One capture's rows [from, to): each flow's verdicts, and the capture's.
 * Each of its activity flows has one vote, the MLP's shared out by its
 * probabilities, whatever the flow's size: every one of them shows the
 * activity, and by bytes one big flow called wrong outweighed many called
 * right (docs/CLASSIFY.md, "Evaluating"). A capture without any lets every
 * flow vote. Background flows are scored apart, against the background
 * class. Apart, the host's verdict from all its flows, by their bytes.
 */
static void evaluate_capture(struct fs_evaluation *e, const struct fs_model *m,
			     const struct fs_training_set *ts, size_t from, size_t to, int truth)
{
	double mlp_score[FS_MODEL_MAX_CLASSES] = {0}, km_score[FS_MODEL_MAX_CLASSES] = {0};
	int background = fs_model_background_class(m), mlp_verdict, km_verdict;
	bool any_activity = false, host_voted = true;
	struct fs_host_vote hv;
	struct fs_verdict v;
	size_t i;

	for (i = from; i < to; i++)
		any_activity |= ts->role[i] == FS_FLOW_ACTIVITY;
	start_host_vote(&hv, m, ts, from, to);
	for (i = from; i < to; i++) {
		bool activity = ts->role[i] == FS_FLOW_ACTIVITY;
		bool scored_apart = ts->role[i] == FS_FLOW_BACKGROUND && background >= 0;
		bool votes = activity || !any_activity;
		struct fs_host_ballot b = {ts->span[i].first_ts, ts->span[i].last_ts, ts->bytes[i],
					   v.probs};

		fs_classify_row(m, ts->x + i * ts->dim, &v); /* fills b.probs */
		if (m->nmlp)
			host_voted &= fs_host_vote_add(&hv, &b) == 0;
		if (!scored_apart && !votes)
			continue;
		if (scored_apart) {
			fs_confusion_add(&e->background_mlp, background, v.mlp_class);
			fs_confusion_add(&e->background_kmeans, background, v.kmeans_class);
		}
		if (activity) {
			fs_confusion_add(&e->flow_mlp, truth, v.mlp_class);
			if (m->nmlp)
				fs_reliability_add(&e->flow_confidence, v.confidence,
						   v.mlp_class == truth);
			if (m->nmlp && !v.unsure)
				fs_reliability_add(&e->flow_shown, v.confidence,
						   v.mlp_class == truth);
			fs_confusion_add(&e->flow_kmeans, truth, v.kmeans_class);
		}
		if (votes) {
			vote_probs(mlp_score, &v, m->nclasses);
			vote(km_score, v.kmeans_class);
		}
	}
	mlp_verdict = fs_capture_verdict(mlp_score, m->nclasses, background);
	km_verdict = fs_capture_verdict(km_score, m->nclasses, background);
	fs_confusion_add(&e->capture_mlp, truth, mlp_verdict);
	fs_confusion_add(&e->capture_kmeans, truth, km_verdict);
	if (m->nmlp)
		fs_confusion_add(&e->capture_host_mlp, truth,
				 host_voted ? fs_host_vote_verdict(&hv, NULL) : -1);
	fs_host_vote_free(&hv);
	if ((size_t)ts->group[from] < e->ncaptures) {
		e->truth[ts->group[from]] = truth;
		e->verdict[ts->group[from]] = m->nmlp ? mlp_verdict : km_verdict;
		e->scored[ts->group[from]]++;
		e->right[ts->group[from]] += e->verdict[ts->group[from]] == truth;
	}
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

/*
 * How background flows fared: the share called background, and how many
 * activity flows (flows: their confusion) were called background too.
 */
static void print_background(FILE *f, const struct fs_confusion *background_flows,
			     const struct fs_confusion *flows, const struct fs_model *m)
{
	int background = fs_model_background_class(m);
	__u64 n;

	if (background < 0)
		return;
	n = fs_confusion_row_sum(background_flows, background);
	if (n)
		fprintf(f,
			"  background flows: %llu, said '%s': %.3f; activity flows said '%s': "
			"%llu\n",
			(unsigned long long)n, m->classes[background],
			fs_confusion_recall(background_flows, background), m->classes[background],
			(unsigned long long)fs_confusion_column_sum(flows, background));
}

/*
 * Whether the MLP's confidence means what it says (calibrate.h), and what
 * showing the unsure ones as unknown buys.
 */
static void print_calibration(FILE *f, const struct fs_evaluation *e)
{
	const struct fs_reliability *all = &e->flow_confidence, *shown = &e->flow_shown;
	double n = fs_reliability_count(all);

	fprintf(f,
		"MLP confidence on those flows: mean %.3f for an accuracy of %.3f; calibration "
		"error %.3f (%d bins)\n",
		fs_reliability_mean_confidence(all), fs_reliability_accuracy(all),
		fs_reliability_error(all), FS_RELIABILITY_BINS);
	fprintf(f, "  shown as unknown: %.0f of %.0f (%.3f); accuracy of the others %.3f\n",
		n - fs_reliability_count(shown), n,
		n > 0 ? (n - fs_reliability_count(shown)) / n : 0, fs_reliability_accuracy(shown));
}

void fs_evaluation_print(FILE *f, const struct fs_evaluation *e, const struct fs_model *m)
{
	char *const *names = m->classes;

	if (m->nmlp) {
		fs_confusion_print(f, &e->capture_mlp, names, "MLP, captures");
		fs_confusion_print(f, &e->capture_host_mlp, names,
				   "MLP, the host's verdict per capture (no flow labels)");
		fs_confusion_print(f, &e->flow_mlp, names, "MLP, flows carrying the activity");
		print_calibration(f, e);
		print_background(f, &e->background_mlp, &e->flow_mlp, m);
	}
	if (m->has_kmeans) {
		fs_confusion_print(f, &e->capture_kmeans, names, "k-means, captures");
		fs_confusion_print(f, &e->flow_kmeans, names,
				   "k-means, flows carrying the activity");
		print_background(f, &e->background_kmeans, &e->flow_kmeans, m);
	}
}

void fs_evaluation_print_wrong(FILE *f, const struct fs_evaluation *e, const struct fs_model *m,
			       const struct fs_manifest *mf)
{
	size_t i, wrong = 0;

	for (i = 0; i < e->ncaptures && i < mf->n; i++) {
		if (e->truth[i] < 0 || e->verdict[i] == e->truth[i])
			continue;
		if (!wrong++)
			fprintf(f, "Captures whose verdict (%s) is wrong:\n",
				m->nmlp ? "MLP" : "k-means");
		fprintf(f, "  %-48s %-10s said %s\n", mf->entries[i].name, m->classes[e->truth[i]],
			e->verdict[i] >= 0 ? m->classes[e->verdict[i]] : "none");
	}
}

/* For each of m's features, its column in ts, or -1; the count of those missing. */
static unsigned int map_columns(const struct fs_model *m, const struct fs_training_set *ts,
				int *col)
{
	unsigned int i, j, missing = 0;

	for (i = 0; i < m->nfeatures; i++) {
		col[i] = -1;
		for (j = 0; j < ts->dim; j++)
			if (ts->features[j] == m->features[i])
				col[i] = (int)j;
		missing += col[i] < 0;
	}
	return missing;
}

static void score_row(const struct fs_model *m, const double *x, const int *col, double *raw,
		      int truth, struct fs_confusion *mlp, struct fs_confusion *km)
{
	struct fs_verdict v;
	unsigned int i;

	for (i = 0; i < m->nfeatures; i++)
		raw[i] = col[i] >= 0 ? x[col[i]] : NAN;
	fs_classify_row(m, raw, &v);
	fs_confusion_add(mlp, truth, v.mlp_class);
	fs_confusion_add(km, truth, v.kmeans_class);
}

int fs_evaluate_table(FILE *f, const struct fs_model *m, const struct fs_training_set *ts,
		      char *const *labels)
{
	int *col = malloc((m->nfeatures + 1) * sizeof(int)), truth, err = -1;
	double *raw = malloc((m->nfeatures + 1) * sizeof(double));
	struct fs_confusion mlp = {0}, km = {0};
	size_t i, other = 0;
	unsigned int missing;

	if (!col || !raw || fs_confusion_init(&mlp, m->nclasses) < 0 ||
	    fs_confusion_init(&km, m->nclasses) < 0) {
		fs_err("eval", "out of memory");
		goto out;
	}
	missing = map_columns(m, ts, col);
	if (missing)
		fs_warn("eval", "the table lacks %u of the model's %u features: missing values",
			missing, m->nfeatures);
	for (i = 0; i < ts->n; i++) {
		truth = fs_name_index(m->classes, m->nclasses, labels[ts->label[i]]);
		if (truth < 0)
			other++;
		else
			score_row(m, ts->x + i * ts->dim, col, raw, truth, &mlp, &km);
	}
	if (other)
		fs_warn("eval",
			"%zu rows have a label that is not one of the model's classes; left out",
			other);
	if (m->nmlp)
		fs_confusion_print(f, &mlp, m->classes, "MLP, rows");
	if (m->has_kmeans)
		fs_confusion_print(f, &km, m->classes, "k-means, rows");
	err = 0;
out:
	fs_confusion_free(&mlp);
	fs_confusion_free(&km);
	free(col);
	free(raw);
	return err;
}

int fs_scorecard_init(struct fs_scorecard *sc, const struct fs_manifest *mf, char *const *classes,
		      unsigned int nclasses)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->capture_class = malloc((mf->n + 1) * sizeof(int));
	if (!sc->capture_class || fs_evaluation_init(&sc->whole, nclasses, mf->n) < 0 ||
	    fs_early_init(&sc->early, nclasses) < 0 ||
	    fs_kernel_eval_init(&sc->kernel, nclasses) < 0) {
		fs_scorecard_free(sc);
		return fs_err("eval", "out of memory");
	}
	for (i = 0; i < mf->n; i++) {
		const char *name = mf->classes[mf->entries[i].label];

		sc->capture_class[i] = fs_name_index(classes, nclasses, name);
		if (sc->capture_class[i] < 0)
			fs_warn(mf->entries[i].name,
				"class '%s' is not one of the model's; left out", name);
	}
	return 0;
}

int fs_scorecard_add(struct fs_scorecard *sc, const struct fs_model *m,
		     const struct fs_training_set *ts, const bool *groups)
{
	if (ts->dim != m->nfeatures)
		return fs_err("eval", "the model reads %u features, the rows have %u", m->nfeatures,
			      ts->dim);
	if (fs_evaluate(&sc->whole, m, ts, sc->capture_class, groups) < 0 ||
	    fs_early_evaluate(&sc->early, m, ts, sc->capture_class, groups) < 0 ||
	    fs_kernel_evaluate(&sc->kernel, m, ts, sc->capture_class, groups) < 0)
		return fs_err("eval", "out of memory");
	return 0;
}

/* Per group of the manifest's group column: captures, and the share of right verdicts. */
static void print_groups(FILE *f, const struct fs_evaluation *e, const struct fs_model *m,
			 const struct fs_manifest *mf)
{
	unsigned int g;
	size_t i;

	fprintf(f, "Captures right (%s) per group:\n", m->nmlp ? "MLP" : "k-means");
	for (g = 0; g < mf->ngroups; g++) {
		unsigned int scored = 0, right = 0, captures = 0;

		for (i = 0; i < mf->n && i < e->ncaptures; i++) {
			if (mf->entries[i].group != (int)g || !e->scored[i])
				continue;
			captures++;
			scored += e->scored[i];
			right += e->right[i];
		}
		if (scored)
			fprintf(f, "  %-24s %4u captures  %.3f right\n", mf->groups[g], captures,
				(double)right / scored);
	}
}

void fs_scorecard_print(FILE *f, const struct fs_scorecard *sc, const struct fs_model *m,
			const struct fs_manifest *mf)
{
	fs_evaluation_print(f, &sc->whole, m);
	fs_evaluation_print_wrong(f, &sc->whole, m, mf);
	if (mf->ngroups)
		print_groups(f, &sc->whole, m, mf);
	fs_early_print(f, &sc->early);
	fs_kernel_eval_print(f, &sc->kernel, m);
}

void fs_scorecard_free(struct fs_scorecard *sc)
{
	fs_evaluation_free(&sc->whole);
	fs_early_free(&sc->early);
	fs_kernel_eval_free(&sc->kernel);
	free(sc->capture_class);
	sc->capture_class = NULL;
}
