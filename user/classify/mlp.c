// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/mlp.h"
#include "classify/rng.h"

static unsigned int widest(const struct fs_mlp *m)
{
	unsigned int l, w = 0;

	for (l = 0; l <= m->nlayers; l++)
		if (m->size[l] > w)
			w = m->size[l];
	return w;
}

int fs_mlp_init(struct fs_mlp *m, unsigned int inputs, unsigned int classes,
		const unsigned int *hidden, unsigned int nhidden, __u64 seed)
{
	struct fs_rng rng;
	unsigned int l;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (!inputs || classes < 2 || nhidden > FS_MLP_MAX_HIDDEN || inputs > FS_MLP_MAX_WIDTH ||
	    classes > FS_MLP_MAX_WIDTH)
		return -1;
	m->nlayers = nhidden + 1;
	m->size[0] = inputs;
	for (l = 0; l < nhidden; l++) {
		if (!hidden[l] || hidden[l] > FS_MLP_MAX_WIDTH)
			return -1;
		m->size[l + 1] = hidden[l];
	}
	m->size[m->nlayers] = classes;
	fs_rng_seed(&rng, seed);
	for (l = 0; l < m->nlayers; l++) {
		size_t nw = (size_t)m->size[l] * m->size[l + 1];
		/* Glorot uniform, as scikit-learn: +-sqrt(6 / (fan_in + fan_out)). */
		float bound = sqrtf(6.0f / (float)(m->size[l] + m->size[l + 1]));

		m->w[l] = malloc(nw * sizeof(float));
		m->b[l] = malloc(m->size[l + 1] * sizeof(float));
		if (!m->w[l] || !m->b[l]) {
			fs_mlp_free(m);
			return -1;
		}
		for (i = 0; i < nw; i++)
			m->w[l][i] = (float)(bound * (2 * fs_rng_uniform(&rng) - 1));
		for (i = 0; i < m->size[l + 1]; i++)
			m->b[l][i] = (float)(bound * (2 * fs_rng_uniform(&rng) - 1));
	}
	return 0;
}

void fs_mlp_free(struct fs_mlp *m)
{
	unsigned int l;

	for (l = 0; l < FS_MLP_MAX_HIDDEN + 1; l++) {
		free(m->w[l]);
		free(m->b[l]);
	}
	memset(m, 0, sizeof(*m));
}

/* out[r][j] = b[j] + sum_i in[r][i] w[i][j], for rows r; the inner loop runs over j. */
static void affine(const float *restrict in, unsigned int rows, unsigned int nin,
		   const float *restrict w, const float *restrict b, unsigned int nout,
		   float *restrict out)
{
	unsigned int r, i, j;

	for (r = 0; r < rows; r++) {
		float *o = out + (size_t)r * nout;
		const float *x = in + (size_t)r * nin;

		memcpy(o, b, nout * sizeof(float));
		for (i = 0; i < nin; i++) {
			const float xi = x[i], *wi = w + (size_t)i * nout;

			if (xi == 0.0f)
				continue; /* ReLU outputs are often 0 */
			for (j = 0; j < nout; j++)
				o[j] += xi * wi[j];
		}
	}
}

static void relu(float *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = v[i] > 0 ? v[i] : 0;
}

/* In place; returns the argmax. */
static unsigned int softmax(float *v, unsigned int n)
{
	unsigned int i, best = 0;
	float max = v[0], sum = 0;

	for (i = 1; i < n; i++)
		if (v[i] > max) {
			max = v[i];
			best = i;
		}
	for (i = 0; i < n; i++) {
		v[i] = expf(v[i] - max);
		sum += v[i];
	}
	for (i = 0; i < n; i++)
		v[i] /= sum;
	return best;
}

unsigned int fs_mlp_predict(const struct fs_mlp *m, const float *row, float *probs)
{
	float rows[2][FS_MLP_MAX_WIDTH]; /* no state of the model's: threads share it */
	float *a = rows[0], *z = rows[1], *t;
	unsigned int l, classes = m->size[m->nlayers];

	memcpy(a, row, m->size[0] * sizeof(float));
	for (l = 0; l < m->nlayers; l++) {
		affine(a, 1, m->size[l], m->w[l], m->b[l], m->size[l + 1], z);
		if (l + 1 < m->nlayers)
			relu(z, m->size[l + 1]);
		t = a;
		a = z;
		z = t;
	}
	l = softmax(a, classes);
	if (probs)
		memcpy(probs, a, classes * sizeof(float));
	return l;
}

/* Everything one training run needs besides the network. */
struct trainer {
	struct fs_mlp *m;
	unsigned int batch;
	float *act[FS_MLP_MAX_HIDDEN + 2]; /* batch x size[l]; act[nlayers]: probabilities */
	float *delta, *delta_prev;	   /* batch x widest */
	float *gw[FS_MLP_MAX_HIDDEN + 1], *gb[FS_MLP_MAX_HIDDEN + 1];
	float *mw[FS_MLP_MAX_HIDDEN + 1], *vw[FS_MLP_MAX_HIDDEN + 1];
	float *mb[FS_MLP_MAX_HIDDEN + 1], *vb[FS_MLP_MAX_HIDDEN + 1];
	float *best_w[FS_MLP_MAX_HIDDEN + 1], *best_b[FS_MLP_MAX_HIDDEN + 1];
	unsigned long step;
};

static void trainer_free(struct trainer *t)
{
	unsigned int l;

	for (l = 0; l < FS_MLP_MAX_HIDDEN + 2; l++)
		free(t->act[l]);
	for (l = 0; l < FS_MLP_MAX_HIDDEN + 1; l++) {
		free(t->gw[l]);
		free(t->gb[l]);
		free(t->mw[l]);
		free(t->vw[l]);
		free(t->mb[l]);
		free(t->vb[l]);
		free(t->best_w[l]);
		free(t->best_b[l]);
	}
	free(t->delta);
	free(t->delta_prev);
}

static int trainer_init(struct trainer *t, struct fs_mlp *m, unsigned int batch)
{
	unsigned int l, wide = widest(m);
	int ok = 1;

	memset(t, 0, sizeof(*t));
	t->m = m;
	t->batch = batch;
	for (l = 0; l <= m->nlayers; l++)
		ok &= !!(t->act[l] = malloc((size_t)batch * m->size[l] * sizeof(float)));
	ok &= !!(t->delta = malloc((size_t)batch * wide * sizeof(float)));
	ok &= !!(t->delta_prev = malloc((size_t)batch * wide * sizeof(float)));
	for (l = 0; l < m->nlayers; l++) {
		size_t nw = (size_t)m->size[l] * m->size[l + 1], nb = m->size[l + 1];

		ok &= !!(t->gw[l] = malloc(nw * sizeof(float)));
		ok &= !!(t->gb[l] = malloc(nb * sizeof(float)));
		ok &= !!(t->mw[l] = calloc(nw, sizeof(float)));
		ok &= !!(t->vw[l] = calloc(nw, sizeof(float)));
		ok &= !!(t->mb[l] = calloc(nb, sizeof(float)));
		ok &= !!(t->vb[l] = calloc(nb, sizeof(float)));
		ok &= !!(t->best_w[l] = malloc(nw * sizeof(float)));
		ok &= !!(t->best_b[l] = malloc(nb * sizeof(float)));
	}
	if (!ok)
		trainer_free(t);
	return ok ? 0 : -1;
}

/* Forward pass of rows [0, n) of act[0]; leaves probabilities in act[nlayers]. */
static void forward(struct trainer *t, unsigned int n)
{
	struct fs_mlp *m = t->m;
	unsigned int l, r;

	for (l = 0; l < m->nlayers; l++) {
		affine(t->act[l], n, m->size[l], m->w[l], m->b[l], m->size[l + 1], t->act[l + 1]);
		if (l + 1 < m->nlayers)
			relu(t->act[l + 1], (size_t)n * m->size[l + 1]);
	}
	for (r = 0; r < n; r++)
		softmax(t->act[m->nlayers] + (size_t)r * m->size[m->nlayers], m->size[m->nlayers]);
}

static float class_weight(const struct fs_mlp_options *o, int y)
{
	return o->class_weight ? o->class_weight[y] : 1.0f;
}

/* Gradients of the batch loss into gw, gb (backpropagation). */
static void backward(struct trainer *t, const int *y, unsigned int n,
		     const struct fs_mlp_options *o)
{
	struct fs_mlp *m = t->m;
	unsigned int L = m->nlayers, classes = m->size[L], l, r, i, j;
	float *tmp;

	for (r = 0; r < n; r++) {
		const float *p = t->act[L] + (size_t)r * classes;
		float *d = t->delta + (size_t)r * classes, cw = class_weight(o, y[r]) / (float)n;

		for (j = 0; j < classes; j++)
			d[j] = cw * (p[j] - (j == (unsigned int)y[r] ? 1.0f : 0.0f));
	}
	for (l = L; l-- > 0;) {
		unsigned int nin = m->size[l], nout = m->size[l + 1];
		const float *a = t->act[l];

		/* gw = a^T delta + l2 w / n; gb = the column sums of delta. */
		for (i = 0; i < nin * nout; i++)
			t->gw[l][i] = o->l2 * m->w[l][i] / (float)n;
		memset(t->gb[l], 0, nout * sizeof(float));
		for (r = 0; r < n; r++) {
			const float *d = t->delta + (size_t)r * nout;

			for (i = 0; i < nin; i++) {
				const float ai = a[(size_t)r * nin + i];
				float *g = t->gw[l] + (size_t)i * nout;

				if (ai == 0.0f)
					continue;
				for (j = 0; j < nout; j++)
					g[j] += ai * d[j];
			}
			for (j = 0; j < nout; j++)
				t->gb[l][j] += d[j];
		}
		if (l == 0)
			break;
		/* delta_prev = (delta w^T) * relu'(a) */
		for (r = 0; r < n; r++) {
			const float *d = t->delta + (size_t)r * nout;
			float *dp = t->delta_prev + (size_t)r * nin;

			for (i = 0; i < nin; i++) {
				const float *wi = m->w[l] + (size_t)i * nout;
				float s = 0;

				if (a[(size_t)r * nin + i] <= 0) {
					dp[i] = 0;
					continue;
				}
				for (j = 0; j < nout; j++)
					s += d[j] * wi[j];
				dp[i] = s;
			}
		}
		tmp = t->delta;
		t->delta = t->delta_prev;
		t->delta_prev = tmp;
	}
}

static void adam(float *restrict p, const float *restrict g, float *restrict mo, float *restrict ve,
		 size_t n, float lr_t)
{
	const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
	size_t i;

	for (i = 0; i < n; i++) {
		mo[i] = b1 * mo[i] + (1 - b1) * g[i];
		ve[i] = b2 * ve[i] + (1 - b2) * g[i] * g[i];
		p[i] -= lr_t * mo[i] / (sqrtf(ve[i]) + eps);
	}
}

static void step(struct trainer *t, const struct fs_mlp_options *o)
{
	struct fs_mlp *m = t->m;
	double k = (double)++t->step;
	float lr_t = (float)(o->learning_rate * sqrt(1 - pow(0.999, k)) / (1 - pow(0.9, k)));
	unsigned int l;

	for (l = 0; l < m->nlayers; l++) {
		adam(m->w[l], t->gw[l], t->mw[l], t->vw[l], (size_t)m->size[l] * m->size[l + 1],
		     lr_t);
		adam(m->b[l], t->gb[l], t->mb[l], t->vb[l], m->size[l + 1], lr_t);
	}
}

static void copy_rows(float *dst, const float *x, const size_t *idx, unsigned int n,
		      unsigned int dim)
{
	unsigned int r;

	for (r = 0; r < n; r++)
		memcpy(dst + (size_t)r * dim, x + idx[r] * dim, dim * sizeof(float));
}

/* Weighted mean cross-entropy and accuracy over rows; in batches through t. */
static void evaluate(struct trainer *t, const float *x, const int *y, size_t n,
		     const struct fs_mlp_options *o, double *loss, double *accuracy)
{
	struct fs_mlp *m = t->m;
	unsigned int classes = m->size[m->nlayers], r, j, rows;
	double sum = 0, weights = 0;
	size_t start, right = 0;

	for (start = 0; start < n; start += rows) {
		rows = n - start < t->batch ? (unsigned int)(n - start) : t->batch;
		memcpy(t->act[0], x + start * m->size[0],
		       (size_t)rows * m->size[0] * sizeof(float));
		forward(t, rows);
		for (r = 0; r < rows; r++) {
			const float *p = t->act[m->nlayers] + (size_t)r * classes;
			int yr = y[start + r];
			unsigned int best = 0;

			for (j = 1; j < classes; j++)
				if (p[j] > p[best])
					best = j;
			right += best == (unsigned int)yr;
			sum -= class_weight(o, yr) * log(p[yr] > 1e-12f ? p[yr] : 1e-12f);
			weights += class_weight(o, yr);
		}
	}
	*loss = weights > 0 ? sum / weights : 0;
	*accuracy = n ? (double)right / (double)n : 0;
}

static void keep_best(struct trainer *t, int restore)
{
	struct fs_mlp *m = t->m;
	unsigned int l;

	for (l = 0; l < m->nlayers; l++) {
		size_t nw = (size_t)m->size[l] * m->size[l + 1] * sizeof(float);
		size_t nb = m->size[l + 1] * sizeof(float);

		memcpy(restore ? m->w[l] : t->best_w[l], restore ? t->best_w[l] : m->w[l], nw);
		memcpy(restore ? m->b[l] : t->best_b[l], restore ? t->best_b[l] : m->b[l], nb);
	}
}

static void train_epoch(struct trainer *t, const float *x, const int *y, size_t n, size_t *idx,
			int *by, const struct fs_mlp_options *o, struct fs_rng *rng)
{
	struct fs_mlp *m = t->m;
	unsigned int rows, r;
	size_t start;

	fs_rng_shuffle(rng, idx, n, sizeof(*idx));
	for (start = 0; start < n; start += rows) {
		rows = n - start < t->batch ? (unsigned int)(n - start) : t->batch;
		copy_rows(t->act[0], x, idx + start, rows, m->size[0]);
		for (r = 0; r < rows; r++)
			by[r] = y[idx[start + r]];
		forward(t, rows);
		backward(t, by, rows, o);
		step(t, o);
	}
}

static struct fs_mlp_options with_defaults(const struct fs_mlp_options *opt)
{
	struct fs_mlp_options o = *opt;

	o.max_epochs = o.max_epochs ? o.max_epochs : 200;
	o.batch = o.batch ? o.batch : 64;
	o.patience = o.patience ? o.patience : 10;
	o.learning_rate = o.learning_rate > 0 ? o.learning_rate : 1e-3f;
	o.l2 = o.l2 >= 0 ? (o.l2 > 0 ? o.l2 : 1e-4f) : 0;
	return o;
}

int fs_mlp_train(struct fs_mlp *m, const float *x, const int *y, size_t n, const float *vx,
		 const int *vy, size_t vn, const struct fs_mlp_options *opt,
		 struct fs_mlp_result *res)
{
	struct fs_mlp_options o = with_defaults(opt);
	size_t *idx = malloc((n ? n : 1) * sizeof(*idx)), i;
	int *by = malloc(o.batch * sizeof(*by));
	double best = INFINITY, loss, acc, tloss;
	unsigned int epoch, stale = 0;
	struct fs_rng rng;
	struct trainer t;

	memset(res, 0, sizeof(*res));
	if (!idx || !by || n == 0 || trainer_init(&t, m, o.batch) < 0) {
		free(idx);
		free(by);
		return -1;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	fs_rng_seed(&rng, o.seed ^ 0x5eedULL);
	keep_best(&t, 0);
	for (epoch = 1; epoch <= o.max_epochs && stale < o.patience; epoch++) {
		train_epoch(&t, x, y, n, idx, by, &o, &rng);
		evaluate(&t, x, y, n, &o, &tloss, &acc);
		if (vn)
			evaluate(&t, vx, vy, vn, &o, &loss, &acc);
		else
			loss = tloss;
		res->epochs = epoch;
		/* An improvement must beat the best by 1e-4, as scikit-learn's tol. */
		if (loss < best - 1e-4) {
			best = loss;
			stale = 0;
			res->best_epoch = epoch;
			res->train_loss = tloss;
			res->valid_loss = loss;
			res->valid_accuracy = acc;
			keep_best(&t, 0);
		} else {
			stale++;
		}
	}
	keep_best(&t, 1);
	trainer_free(&t);
	free(idx);
	free(by);
	return 0;
}
