// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify/calibrate.h"
#include "classify/classify.h"
#include "train/activity.h"
#include "classify/rng.h"
#include "train/train.h"
#include "common/util.h"

/*
 * Inputs that tell which host, OS or capture tool made a flow rather than
 * what the flow does (docs/CLASSIFY.md): the server port and the pair's flow
 * count identify; TCP window sizes and header lengths (options, MSS) follow
 * the operating system, and the UCDavis QUIC captures' headers are made up.
 */
static const int shortcut_features[] = {
	FS_F_SERVER_PORT,    FS_F_FLOWS,      FS_F_FWD_INIT_WIN, FS_F_BWD_INIT_WIN,
	FS_F_FWD_HEADER_MIN, FS_F_FWD_HEADER, FS_F_BWD_HEADER,
};

unsigned int fs_train_default_features(int *ids)
{
	unsigned int n = 0, j;
	int i;

	for (i = 0; i < FS_F_MAX; i++) {
		for (j = 0; j < FS_ARRAY_SIZE(shortcut_features) && shortcut_features[j] != i; j++)
			;
		if (j == FS_ARRAY_SIZE(shortcut_features))
			ids[n++] = i;
	}
	return n;
}

int fs_train_drop_features(int *ids, unsigned int *n, const char *names)
{
	char *list = strdup(names), *tok, *save = NULL;
	unsigned int i, kept;
	int id, err = 0;

	if (!list)
		return fs_err("train", "out of memory");
	for (tok = strtok_r(list, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		id = fs_feature_find(tok);
		if (id < 0) {
			err = fs_err("--without-features",
				     "'%s' is not a feature; 'flowscope features' lists them", tok);
			break;
		}
		for (i = kept = 0; i < *n; i++)
			if (ids[i] != id)
				ids[kept++] = ids[i];
		*n = kept;
	}
	free(list);
	return err;
}

/* Rows to learn from, split by capture into training and validation. */
struct split {
	size_t *train, *valid;
	size_t ntrain, nvalid;
};

/*
 * validation_share of each class's captures (at least one where a class has
 * two or more) hold out for early stopping; never part of a capture.
 */
static int split_by_capture(const struct fs_training_set *ts, unsigned int nclasses,
			    const bool *held_out, const struct fs_train_options *o, struct split *s)
{
	int ngroups = 0, *group_class, *order, err = -1;
	bool *valid_group;
	struct fs_rng rng;
	unsigned int c;
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (ts->group[i] + 1 > ngroups)
			ngroups = ts->group[i] + 1;
	group_class = malloc((ngroups + 1) * sizeof(int));
	order = malloc((ngroups + 1) * sizeof(int));
	valid_group = calloc(ngroups + 1, sizeof(bool));
	s->train = malloc((ts->n + 1) * sizeof(size_t));
	s->valid = malloc((ts->n + 1) * sizeof(size_t));
	if (!group_class || !order || !valid_group || !s->train || !s->valid) {
		fs_err("train", "out of memory");
		goto out; /* s->train and s->valid are the caller's to free */
	}
	for (i = 0; i < (size_t)ngroups; i++)
		group_class[i] = -1;
	for (i = 0; i < ts->n; i++)
		if (ts->role[i] == FS_FLOW_ACTIVITY && ts->label[i] >= 0 &&
		    !(held_out && held_out[ts->group[i]]))
			group_class[ts->group[i]] = ts->label[i];
	fs_rng_seed(&rng, o->seed ^ 0x5b117ULL);
	for (c = 0; c < nclasses; c++) {
		int n = 0, k, want, j;

		for (k = 0; k < ngroups; k++)
			if (group_class[k] == (int)c)
				order[n++] = k;
		fs_rng_shuffle(&rng, order, (size_t)n, sizeof(*order)); /* the class's captures */
		want = (int)(o->validation_share * n + 0.5);
		if (want == 0 && n >= 2)
			want = 1;
		for (j = 0; j < want && j < n - 1; j++)
			valid_group[order[j]] = true;
	}
	s->ntrain = s->nvalid = 0;
	for (i = 0; i < ts->n; i++) {
		if (ts->label[i] < 0 || (held_out && held_out[ts->group[i]]))
			continue;
		if (valid_group[ts->group[i]])
			s->valid[s->nvalid++] = i;
		else
			s->train[s->ntrain++] = i;
	}
	err = 0;
out:
	free(group_class);
	free(order);
	free(valid_group);
	return err;
}

/* The training rows that are whole flows: they come first, as in ts. */
static size_t whole_flows(const struct fs_training_set *ts, const struct split *s)
{
	size_t n = 0;

	while (n < s->ntrain && s->train[n] < ts->whole_rows)
		n++;
	return n;
}

static int fit_preprocess(struct fs_model *m, const struct fs_training_set *ts,
			  const struct split *s)
{
	double *x = malloc((s->ntrain + 1) * ts->dim * sizeof(double));
	size_t i;
	int err;

	if (!x)
		return -1;
	for (i = 0; i < s->ntrain; i++)
		memcpy(x + i * ts->dim, ts->x + s->train[i] * ts->dim, ts->dim * sizeof(double));
	err = fs_preprocess_fit(&m->prep, x, s->ntrain, ts->dim);
	free(x);
	return err;
}

/* Preprocessed rows idx[0..n) and their labels. */
static float *inputs(const struct fs_model *m, const struct fs_training_set *ts, const size_t *idx,
		     size_t n, int *labels)
{
	float *x = malloc((n + 1) * ts->dim * sizeof(float));
	size_t i;

	for (i = 0; x && i < n; i++) {
		fs_preprocess_apply(&m->prep, ts->x + idx[i] * ts->dim, x + i * ts->dim);
		if (labels)
			labels[i] = ts->label[idx[i]];
	}
	return x;
}

/* Weights that make every class count as much in the loss: n / (classes x n_c). */
static void balanced_weights(const int *y, size_t n, unsigned int nclasses, float *w)
{
	size_t count[FS_MODEL_MAX_CLASSES] = {0}, i;
	unsigned int c, present = 0;

	for (i = 0; i < n; i++)
		count[y[i]]++;
	for (c = 0; c < nclasses; c++)
		present += count[c] > 0;
	for (c = 0; c < nclasses; c++)
		w[c] = count[c] ? (float)((double)n / ((double)present * (double)count[c])) : 0;
}

/* Each cluster takes the class most of its training rows have. */
static int map_clusters(struct fs_model *m, const float *x, const int *y, size_t n)
{
	unsigned int k = m->kmeans.k, c;
	__u64 *votes = calloc((size_t)k * m->nclasses, sizeof(__u64));
	size_t i;

	m->cluster_class = malloc(k * sizeof(int));
	if (!votes || !m->cluster_class) {
		free(votes);
		return -1;
	}
	for (i = 0; y && i < n; i++)
		votes[(size_t)fs_kmeans_predict(&m->kmeans, x + i * m->nfeatures, NULL) *
			      m->nclasses +
		      y[i]]++;
	for (c = 0; c < k; c++) {
		unsigned int j, best = 0;
		__u64 *v = votes + (size_t)c * m->nclasses;

		for (j = 1; j < m->nclasses; j++)
			if (v[j] > v[best])
				best = j;
		m->cluster_class[c] = y && v[best] ? (int)best : -1;
	}
	free(votes);
	return 0;
}

/* The ensemble's MLPs, each from its own seed, on the same rows. */
static int train_mlp(struct fs_model *m, const float *x, const int *y, size_t n, const float *vx,
		     const int *vy, size_t vn, const struct fs_train_options *o, FILE *log)
{
	unsigned int count = o->ensemble ? o->ensemble : 1, i;
	struct fs_mlp_options mo = {.nhidden = o->nhidden, .max_epochs = o->max_epochs};
	float weights[FS_MODEL_MAX_CLASSES];
	struct fs_mlp_result res;

	memcpy(mo.hidden, o->hidden, sizeof(mo.hidden));
	balanced_weights(y, n, m->nclasses, weights);
	mo.class_weight = weights;
	for (i = 0; i < count && i < FS_MODEL_MAX_MLPS; i++) {
		struct fs_mlp *mlp = &m->mlp[i];

		mo.seed = o->seed + i;
		if (fs_mlp_init(mlp, m->nfeatures, m->nclasses, o->hidden, o->nhidden, mo.seed) < 0)
			return -1;
		m->nmlp++; /* freed with the model from here on */
		if (fs_mlp_train(mlp, x, y, n, vx, vy, vn, &mo, &res) < 0)
			return -1;
		fprintf(log,
			"flowscope: MLP %u: %u epochs, kept epoch %u: validation loss %.4f, "
			"accuracy %.3f\n",
			i + 1, res.epochs, res.best_epoch, res.valid_loss, res.valid_accuracy);
	}
	return 0;
}

static int train_kmeans(struct fs_model *m, const float *x, const int *y, size_t n,
			const struct fs_train_options *o, FILE *log)
{
	struct fs_kmeans_options ko = {.k = o->clusters ? o->clusters : 4 * m->nclasses,
				       .seed = o->seed};

	if (n < ko.k || fs_kmeans_fit(&m->kmeans, x, n, m->nfeatures, &ko) < 0)
		return fs_err("train", "k-means needs at least %u rows, has %zu", ko.k, n);
	m->has_kmeans = 1;
	fprintf(log, "flowscope: k-means: k %u, inertia %.1f\n", ko.k, m->kmeans.inertia);
	return map_clusters(m, x, o->unsupervised ? NULL : y, n);
}

static void describe(struct fs_model *m, const struct fs_train_options *o, size_t ntrain,
		     size_t nvalid)
{
	/* SOURCE_DATE_EPOCH, as reproducible builds do: `make model` fixes it. */
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	char when[32];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	m->created = strdup(when);
	m->seed = o->seed;
	if (asprintf(&m->scores, "trained on %zu flows, %zu held out for early stopping", ntrain,
		     nvalid) < 0)
		m->scores = NULL;
}

/*
 * Where verdicts turn unknown: the confidence, tempered, that keeps the
 * held-out whole flows right `accuracy` of the time (calibrate.h). Whole
 * flows, as records are: young flows' snapshots are less sure.
 */
static int choose_unknown_below(struct fs_model *m, const float *vx, const int *vy,
				const struct split *s, size_t whole_rows, double accuracy,
				FILE *log)
{
	float *conf = malloc((s->nvalid + 1) * sizeof(*conf));
	bool *right = malloc((s->nvalid + 1) * sizeof(*right));
	size_t i, n = 0, unknown = 0;
	struct fs_verdict v;

	if (!conf || !right) {
		free(conf);
		free(right);
		return -1;
	}
	for (i = 0; i < s->nvalid; i++) {
		if (s->valid[i] >= whole_rows)
			continue;
		fs_classify_inputs(m, vx + i * m->nfeatures, &v); /* at the fitted temperature */
		conf[n] = v.confidence;
		right[n++] = v.mlp_class == vy[i];
	}
	m->unknown_below = accuracy > 0 ? fs_unknown_threshold(conf, right, n, accuracy) : 0;
	for (i = 0; i < n; i++)
		unknown += conf[i] < m->unknown_below;
	fprintf(log,
		"flowscope: MLP: unknown below a confidence of %.3f: %zu of the %zu held-out flows "
		"(accuracy %.2f asked)\n",
		m->unknown_below, unknown, n, accuracy);
	free(conf);
	free(right);
	return 0;
}

/*
 * The temperature that makes the ensemble's confidence on the held-out
 * captures mean what it says (calibrate.h), and the confidence below which a
 * verdict is unknown. 0, or -1 without memory.
 */
static int calibrate(struct fs_model *m, const float *vx, const int *vy, const struct split *s,
		     size_t whole_rows, double unknown_accuracy, FILE *log)
{
	size_t vn = s->nvalid;
	float *probs = malloc((vn + 1) * m->nclasses * sizeof(float));
	struct fs_verdict v;
	size_t i;
	int err;

	if (!probs)
		return -1;
	m->temperature = 1;
	m->unknown_below = 0;
	for (i = 0; i < vn; i++) {
		fs_classify_inputs(m, vx + i * m->nfeatures, &v);
		memcpy(probs + i * m->nclasses, v.probs, m->nclasses * sizeof(float));
	}
	m->temperature = fs_fit_temperature(probs, vy, vn, m->nclasses);
	fprintf(log, "flowscope: MLP: temperature %.3f, fitted on %zu held-out rows\n",
		m->temperature, vn);
	err = choose_unknown_below(m, vx, vy, s, whole_rows, unknown_accuracy, log);
	free(probs);
	return err;
}

int fs_train(struct fs_model *m, const struct fs_training_set *ts, char *const *classes,
	     unsigned int nclasses, const bool *held_out, const struct fs_train_options *o,
	     FILE *log)
{
	struct split s = {0};
	float *x = NULL, *vx = NULL;
	int *y = NULL, *vy = NULL, err = -1;
	unsigned int c;

	memset(m, 0, sizeof(*m));
	if (nclasses < 2 || nclasses > FS_MODEL_MAX_CLASSES)
		return fs_err("train", "a model needs 2 to %d classes, not %u",
			      FS_MODEL_MAX_CLASSES, nclasses);
	m->nclasses = nclasses;
	for (c = 0; c < nclasses; c++)
		m->classes[c] = strdup(classes[c]);
	m->nfeatures = ts->dim;
	m->features = malloc(ts->dim * sizeof(int));
	if (!m->features) {
		fs_err("train", "out of memory");
		goto out;
	}
	if (split_by_capture(ts, nclasses, held_out, o, &s) < 0)
		goto out;
	memcpy(m->features, ts->features, ts->dim * sizeof(int));
	if (s.ntrain == 0) {
		fs_err("train", "no flow carries a labelled activity");
		goto out;
	}
	y = malloc(s.ntrain * sizeof(int));
	vy = malloc((s.nvalid + 1) * sizeof(int));
	if (!y || !vy || fit_preprocess(m, ts, &s) < 0 ||
	    !(x = inputs(m, ts, s.train, s.ntrain, y)) ||
	    !(vx = inputs(m, ts, s.valid, s.nvalid, vy))) {
		fs_err("train", "out of memory");
		goto out;
	}
	if (o->mlp && (train_mlp(m, x, y, s.ntrain, vx, vy, s.nvalid, o, log) < 0 ||
		       calibrate(m, vx, vy, &s, ts->whole_rows, o->unknown_accuracy, log) < 0))
		goto out;
	/*
	 * k-means learns whole flows only: snapshots of young flows would take
	 * centroids from the shapes that tell the classes apart.
	 */
	if (o->kmeans && train_kmeans(m, x, y, whole_flows(ts, &s), o, log) < 0)
		goto out;
	describe(m, o, s.ntrain, s.nvalid);
	err = 0;
out:
	free(x);
	free(vx);
	free(y);
	free(vy);
	free(s.train);
	free(s.valid);
	if (err)
		fs_model_free(m);
	return err;
}

int fs_train_dump_inputs(const struct fs_model *m, const struct fs_training_set *ts,
			 const char *path)
{
	float *in = malloc(ts->dim * sizeof(float));
	char *body = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&body, &len);
	unsigned int j;
	int err;

	if (!in || !f) {
		free(in);
		if (f)
			fclose(f);
		free(body);
		return fs_err(path, "out of memory");
	}
	fprintf(f, "group,label");
	for (j = 0; j < ts->dim; j++)
		fprintf(f, ",%s", fs_feature_defs[ts->features[j]].name);
	fputc('\n', f);
	for (i = 0; i < ts->n; i++) {
		if (ts->label[i] < 0)
			continue;
		fs_preprocess_apply(&m->prep, ts->x + i * ts->dim, in);
		fprintf(f, "%d,%d", ts->group[i], ts->label[i]);
		for (j = 0; j < ts->dim; j++)
			fprintf(f, ",%.9g", in[j]);
		fputc('\n', f);
	}
	fclose(f);
	free(in);
	err = fs_write_whole(path, "inputs", body, len);
	free(body);
	return err;
}
