// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>

#include "classify/calibrate.h"
#include "classify/classify.h"

void fs_model_inputs(const struct fs_model *m, const struct fs_feature_vec *f, float *in)
{
	double raw[FS_F_MAX];
	unsigned int i;

	for (i = 0; i < m->nfeatures; i++)
		raw[i] = f->v[m->features[i]];
	fs_preprocess_apply(&m->prep, raw, in);
}

/*
 * An ensemble's probabilities: the mean of its MLPs', at the model's
 * temperature. The class: the most probable.
 */
static int ensemble_predict(const struct fs_model *m, const float *in, float *probs)
{
	float p[FS_MODEL_MAX_CLASSES];
	unsigned int i, c;
	int best = 0;

	fs_mlp_predict(&m->mlp[0], in, probs);
	for (i = 1; i < m->nmlp; i++) {
		fs_mlp_predict(&m->mlp[i], in, p);
		for (c = 0; c < m->nclasses; c++)
			probs[c] += p[c];
	}
	for (c = 0; c < m->nclasses; c++) {
		probs[c] /= (float)m->nmlp;
		if (probs[c] > probs[best])
			best = (int)c;
	}
	fs_temper(probs, m->nclasses, m->temperature); /* keeps the most probable */
	return best;
}

void fs_classify_inputs(const struct fs_model *m, const float *in, struct fs_verdict *v)
{
	v->mlp_class = v->cluster = v->kmeans_class = -1;
	v->confidence = 0;
	v->unsure = false;
	if (m->nmlp) {
		v->mlp_class = ensemble_predict(m, in, v->probs);
		v->confidence = v->probs[v->mlp_class];
		v->unsure = v->confidence < m->unknown_below;
	}
	if (m->has_kmeans) {
		v->cluster = (int)fs_kmeans_predict(&m->kmeans, in, NULL);
		v->kmeans_class = m->cluster_class[v->cluster];
	}
}

void fs_classify(const struct fs_model *m, const struct fs_feature_vec *f, struct fs_verdict *v)
{
	float in[FS_F_MAX];

	fs_model_inputs(m, f, in);
	fs_classify_inputs(m, in, v);
}

void fs_classify_row(const struct fs_model *m, const double *raw, struct fs_verdict *v)
{
	float in[FS_F_MAX];

	fs_preprocess_apply(&m->prep, raw, in);
	fs_classify_inputs(m, in, v);
}

int fs_verdict_class(const struct fs_verdict *v)
{
	return v->mlp_class >= 0 ? v->mlp_class : v->kmeans_class;
}

int fs_verdict_shown(const struct fs_verdict *v)
{
	return v->unsure ? -1 : fs_verdict_class(v);
}

const char *fs_verdict_shown_name(const struct fs_model *m, const struct fs_verdict *v)
{
	int c = fs_verdict_shown(v);

	if (v->unsure)
		return FS_UNKNOWN_CLASS;
	return c >= 0 ? m->classes[c] : NULL;
}

void fs_assess_unit(struct fs_assessment *a, const struct fs_unit *u, const struct fs_model *m)
{
	fs_features_compute(u, &a->features);
	a->classified = m != NULL;
	if (m) {
		fs_classify(m, &a->features, &a->verdict);
	} else {
		a->verdict =
			(struct fs_verdict){.mlp_class = -1, .cluster = -1, .kmeans_class = -1};
	}
}

int fs_assessment_class(const struct fs_assessment *a)
{
	return a->classified ? fs_verdict_shown(&a->verdict) : -1;
}

int fs_classify_row_class(const struct fs_model *m, const double *raw)
{
	struct fs_verdict v;

	fs_classify_row(m, raw, &v);
	return m->nmlp ? v.mlp_class : v.kmeans_class;
}
