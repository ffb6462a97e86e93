// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "features/flow_features.h"
#include "classify/model.h"
#include "common/util.h"

#define MAGIC "flowscope-model"

/* build/../models, or build/san/../../models, beside the running binary. */
static const char *shipped_model(char *buf, size_t len)
{
	static const char *const in_tree[] = {"..", "../.."};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n > 0) {
		exe[n] = '\0';
		dirname(exe);
	}
	for (i = 0; n > 0 && i < FS_ARRAY_SIZE(in_tree); i++) {
		if (snprintf(buf, len, "%s/%s/models/default.model", exe, in_tree[i]) < (int)len &&
		    access(buf, R_OK) == 0)
			return buf;
	}
	snprintf(buf, len, "%s", FS_DATADIR "/default.model");
	return access(buf, R_OK) == 0 ? buf : NULL;
}

const char *fs_model_find(const char *given, char *buf, size_t len)
{
	if (given)
		return given;
	if (getenv("FLOWSCOPE_MODEL"))
		return getenv("FLOWSCOPE_MODEL");
	return shipped_model(buf, len);
}

int fs_model_background_class(const struct fs_model *m)
{
	return fs_name_index(m->classes, m->nclasses, FS_BACKGROUND_CLASS);
}

void fs_model_free(struct fs_model *m)
{
	unsigned int i;

	for (i = 0; i < m->nclasses; i++)
		free(m->classes[i]);
	free(m->features);
	fs_preprocess_free(&m->prep);
	fs_kmeans_free(&m->kmeans);
	free(m->cluster_class);
	for (i = 0; i < m->nmlp; i++)
		fs_mlp_free(&m->mlp[i]);
	free(m->kernel.nodes);
	free(m->created);
	free(m->data);
	free(m->scores);
	memset(m, 0, sizeof(*m));
}

/* --- writing --- */

static void put_floats(FILE *f, const char *tag, const float *v, unsigned int n)
{
	unsigned int i;

	fputs(tag, f);
	for (i = 0; i < n; i++)
		fprintf(f, " %.9g", v[i]);
	fputc('\n', f);
}

static void put_mlp(FILE *f, const struct fs_mlp *mlp)
{
	unsigned int l, r;

	fprintf(f, "mlp %u", mlp->nlayers);
	for (l = 0; l <= mlp->nlayers; l++)
		fprintf(f, " %u", mlp->size[l]);
	fputc('\n', f);
	for (l = 0; l < mlp->nlayers; l++) {
		for (r = 0; r < mlp->size[l]; r++)
			put_floats(f, "w", mlp->w[l] + (size_t)r * mlp->size[l + 1],
				   mlp->size[l + 1]);
		put_floats(f, "b", mlp->b[l], mlp->size[l + 1]);
	}
}

static void put_text(FILE *f, const char *key, const char *text)
{
	const char *c;

	fprintf(f, "%s ", key);
	for (c = text ? text : ""; *c; c++) /* one line each: no newlines */
		fputc(*c == '\n' || *c == '\r' ? ' ' : *c, f);
	fputc('\n', f);
}

static void put_kernel(FILE *f, const struct fs_km_forest *k)
{
	const struct fs_km_node *n;
	unsigned int i, c;

	if (!k->cfg.checkpoint)
		return;
	fprintf(f, "kernel %d %u %u %u\nlater %u", FS_KM_VERSION, k->cfg.checkpoint, k->cfg.ntrees,
		k->nnodes, k->cfg.settle_margin);
	for (i = 0; i < k->cfg.nlater; i++)
		fprintf(f, " %u", k->cfg.later[i]);
	fputs("\nroots", f);
	for (i = 0; i < k->cfg.ntrees; i++)
		fprintf(f, " %u", k->cfg.root[i]);
	fputc('\n', f);
	for (n = k->nodes; n < k->nodes + k->nnodes; n++) {
		if (n->feature != FS_KM_LEAF) {
			fprintf(f, "node %u %u %u %u\n", n->feature, n->threshold, n->left,
				n->right);
			continue;
		}
		fputs("leaf", f);
		for (c = 0; c < k->cfg.nclasses; c++)
			fprintf(f, " %u", n->score[c]);
		fputc('\n', f);
	}
}

static void write_body(FILE *f, const struct fs_model *m)
{
	const struct fs_preprocess *p = &m->prep;
	unsigned int i;

	fprintf(f, "%s %d\n", MAGIC, FS_MODEL_VERSION);
	put_text(f, "created", m->created);
	put_text(f, "data", m->data);
	put_text(f, "scores", m->scores);
	fprintf(f, "seed %llu\n", (unsigned long long)m->seed);
	fprintf(f, "classes %u\n", m->nclasses);
	for (i = 0; i < m->nclasses; i++)
		fprintf(f, "class %s\n", m->classes[i]);
	fprintf(f, "features %u\n", m->nfeatures);
	for (i = 0; i < m->nfeatures; i++)
		fprintf(f, "feature %s %u %.17g %.17g %.17g\n",
			fs_feature_defs[m->features[i]].name, p->log1p[i], p->fill[i], p->mean[i],
			p->scale[i]);
	fprintf(f, "kmeans %u\n", m->has_kmeans ? m->kmeans.k : 0);
	for (i = 0; m->has_kmeans && i < m->kmeans.k; i++) {
		fprintf(f, "cluster %d", m->cluster_class[i]);
		put_floats(f, "", m->kmeans.centroids + (size_t)i * m->kmeans.dim, m->kmeans.dim);
	}
	if (!m->nmlp)
		fputs("mlp 0\n", f);
	for (i = 0; i < m->nmlp; i++)
		put_mlp(f, &m->mlp[i]);
	if (m->nmlp && m->temperature > 0 && m->temperature != 1)
		fprintf(f, "temperature %.9g\n", m->temperature);
	if (m->nmlp && m->unknown_below > 0)
		fprintf(f, "unknown_below %.9g\n", m->unknown_below);
	put_kernel(f, &m->kernel);
}

int fs_model_save(const struct fs_model *m, const char *path)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	int err;

	if (!f)
		return fs_err(path, "cannot write the model: out of memory");
	write_body(f, m);
	fflush(f);
	fprintf(f, "end %08lx\n", crc32(0L, (const Bytef *)body, (uInt)len));
	if (fclose(f) != 0) {
		free(body);
		return fs_err(path, "cannot write the model: out of memory");
	}
	err = fs_write_whole(path, "model", body, len);
	free(body);
	return err;
}

/* --- reading --- */

struct reader {
	const char *path;
	char *line; /* the current line, NUL-terminated in place */
	char *next;
	unsigned int lineno;
};

static int bad(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct reader *r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fs_err(r->path, "line %u: %s", r->lineno, msg);
}

/* The next line, which must start with `key `; returns what follows, or NULL. */
static char *expect(struct reader *r, const char *key)
{
	size_t n = strlen(key);
	char *nl;

	if (!r->next || !*r->next) {
		r->lineno++;
		bad(r, "the file ends where '%s' should be", key);
		return NULL;
	}
	r->line = r->next;
	nl = strchr(r->line, '\n');
	if (nl) {
		*nl = '\0';
		r->next = nl + 1;
	} else {
		r->next = NULL; /* the last line */
	}
	r->lineno++;
	if (strncmp(r->line, key, n) != 0 || (r->line[n] != ' ' && r->line[n] != '\0')) {
		bad(r, "expected '%s'", key);
		return NULL;
	}
	return r->line[n] ? r->line + n + 1 : r->line + n;
}

static int parse_uint(struct reader *r, const char *text, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(text, &end, 10);

	if (end == text || *end || v > max)
		return bad(r, "'%s' is not a count up to %u", text, max);
	*out = (unsigned int)v;
	return 0;
}

/* Exactly n floats after key. */
static int parse_floats(struct reader *r, char *text, float *out, unsigned int n)
{
	char *p = text, *end;
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[i] = strtof(p, &end);
		if (end == p)
			return bad(r, "expected %u numbers, found %u", n, i);
		p = end;
	}
	while (*p == ' ')
		p++;
	return *p ? bad(r, "more than %u numbers", n) : 0;
}

static int read_header(struct reader *r, struct fs_model *m)
{
	unsigned int version = 0, i;
	char *v;

	if (!(v = expect(r, MAGIC)))
		return -1;
	if (parse_uint(r, v, 1000, &version) < 0)
		return -1;
	if (version != FS_MODEL_VERSION)
		return bad(r, "model format version %u; this flowscope reads version %d", version,
			   FS_MODEL_VERSION);
	if (!(v = expect(r, "created")) || !(m->created = strdup(v)) || !(v = expect(r, "data")) ||
	    !(m->data = strdup(v)) || !(v = expect(r, "scores")) || !(m->scores = strdup(v)) ||
	    !(v = expect(r, "seed")))
		return -1;
	m->seed = strtoull(v, NULL, 10);
	if (!(v = expect(r, "classes")) || parse_uint(r, v, FS_MODEL_MAX_CLASSES, &m->nclasses))
		return -1;
	if (m->nclasses < 2)
		return bad(r, "a model needs at least 2 classes");
	for (i = 0; i < m->nclasses; i++) {
		if (!(v = expect(r, "class")))
			return -1;
		if (!*v || strchr(v, ' '))
			return bad(r, "a class name is one word");
		m->classes[i] = strdup(v);
	}
	return 0;
}

static int read_features(struct reader *r, struct fs_model *m)
{
	char name[128], extra;
	unsigned int i, log1p;
	char *v;

	if (!(v = expect(r, "features")) || parse_uint(r, v, FS_F_MAX, &m->nfeatures))
		return -1;
	if (!m->nfeatures)
		return bad(r, "no features");
	m->features = calloc(m->nfeatures, sizeof(*m->features));
	if (!m->features || fs_preprocess_alloc(&m->prep, m->nfeatures) < 0)
		return bad(r, "out of memory");
	for (i = 0; i < m->nfeatures; i++) {
		if (!(v = expect(r, "feature")))
			return -1;
		if (sscanf(v, "%127s %u %lf %lf %lf %c", name, &log1p, &m->prep.fill[i],
			   &m->prep.mean[i], &m->prep.scale[i], &extra) != 5 ||
		    log1p > 1)
			return bad(r, "expected NAME LOG1P FILL MEAN SCALE");
		m->features[i] = fs_feature_find(name);
		if (m->features[i] < 0)
			return bad(r,
				   "the model reads feature '%s', which this flowscope does not "
				   "compute",
				   name);
		m->prep.log1p[i] = (__u8)log1p;
	}
	return 0;
}

static int read_kmeans(struct reader *r, struct fs_model *m)
{
	unsigned int k = 0, i;
	char *v, *end;

	if (!(v = expect(r, "kmeans")) || parse_uint(r, v, 100000, &k))
		return -1;
	if (!k)
		return 0;
	m->has_kmeans = 1;
	m->kmeans.k = k;
	m->kmeans.dim = m->nfeatures;
	m->kmeans.centroids = malloc((size_t)k * m->nfeatures * sizeof(float));
	m->cluster_class = malloc(k * sizeof(int));
	if (!m->kmeans.centroids || !m->cluster_class)
		return bad(r, "out of memory");
	for (i = 0; i < k; i++) {
		if (!(v = expect(r, "cluster")))
			return -1;
		m->cluster_class[i] = (int)strtol(v, &end, 10);
		if (end == v || m->cluster_class[i] < -1 || m->cluster_class[i] >= (int)m->nclasses)
			return bad(r, "a cluster maps to a class index or -1");
		if (parse_floats(r, end, m->kmeans.centroids + (size_t)i * m->nfeatures,
				 m->nfeatures) < 0)
			return -1;
	}
	return 0;
}

/* One "mlp" block into m->mlp[m->nmlp]; "mlp 0" adds none. */
static int read_mlp(struct reader *r, struct fs_model *m)
{
	unsigned int sizes[FS_MLP_MAX_HIDDEN + 2], nlayers, l, row;
	struct fs_mlp *mlp = &m->mlp[m->nmlp];
	char *v, *p, *end;

	if (!(v = expect(r, "mlp")))
		return -1;
	if (m->nmlp == FS_MODEL_MAX_MLPS)
		return bad(r, "more than %d MLPs", FS_MODEL_MAX_MLPS);
	nlayers = (unsigned int)strtoul(v, &p, 10);
	if (p == v || nlayers > FS_MLP_MAX_HIDDEN + 1)
		return bad(r, "expected the number of weight layers, at most %d",
			   FS_MLP_MAX_HIDDEN + 1);
	if (!nlayers)
		return 0;
	for (l = 0; l <= nlayers; l++) {
		sizes[l] = (unsigned int)strtoul(p, &end, 10);
		if (end == p || !sizes[l] || sizes[l] > FS_MLP_MAX_WIDTH)
			return bad(r, "expected %u layer sizes, each 1 to %d", nlayers + 1,
				   FS_MLP_MAX_WIDTH);
		p = end;
	}
	if (sizes[0] != m->nfeatures || sizes[nlayers] != m->nclasses)
		return bad(r, "the network's inputs and outputs must match the features and "
			      "classes");
	if (fs_mlp_init(mlp, sizes[0], sizes[nlayers], sizes + 1, nlayers - 1, 0) < 0)
		return bad(r, "out of memory");
	m->nmlp++;
	for (l = 0; l < nlayers; l++) {
		for (row = 0; row < sizes[l]; row++) {
			if (!(v = expect(r, "w")) ||
			    parse_floats(r, v, mlp->w[l] + (size_t)row * sizes[l + 1],
					 sizes[l + 1]) < 0)
				return -1;
		}
		if (!(v = expect(r, "b")) || parse_floats(r, v, mlp->b[l], sizes[l + 1]) < 0)
			return -1;
	}
	return 0;
}

/* The MLP blocks: "mlp 0", or one or more networks (an ensemble). */
static int read_mlps(struct reader *r, struct fs_model *m)
{
	if (read_mlp(r, m) < 0)
		return -1;
	while (m->nmlp && r->next && !strncmp(r->next, "mlp ", 4))
		if (read_mlp(r, m) < 0)
			return -1;
	return 0;
}

/* The optional temperature of the networks' probabilities. */
static int read_temperature(struct reader *r, struct fs_model *m)
{
	char *v, *end;

	m->temperature = 1;
	if (!m->nmlp || !r->next || strncmp(r->next, "temperature ", 12) != 0)
		return 0;
	v = expect(r, "temperature");
	m->temperature = strtof(v, &end);
	if (end == v || !(m->temperature >= 0.05f && m->temperature <= 20))
		return bad(r, "the temperature must be a number from 0.05 to 20");
	return 0;
}

/* The optional confidence below which a verdict is unknown. */
static int read_unknown_below(struct reader *r, struct fs_model *m)
{
	char *v, *end;

	if (!m->nmlp || !r->next || strncmp(r->next, "unknown_below ", 14) != 0)
		return 0;
	v = expect(r, "unknown_below");
	m->unknown_below = strtof(v, &end);
	if (end == v || !(m->unknown_below >= 0 && m->unknown_below < 1))
		return bad(r, "unknown_below must be a number from 0 to below 1");
	return 0;
}

/* Exactly n counts up to max after a key. */
static int parse_uints(struct reader *r, const char *text, unsigned int max, unsigned int *out,
		       unsigned int n)
{
	const char *p = text;
	char *end;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned long v = strtoul(p, &end, 10);

		if (end == p || v > max)
			return bad(r, "expected %u whole numbers up to %u", n, max);
		out[i] = (unsigned int)v;
		p = end;
	}
	return *p ? bad(r, "more than %u whole numbers", n) : 0;
}

/*
 * Every path from node i down ends in a leaf within FS_KM_MAX_DEPTH steps,
 * so the BPF program's bounded walk always reaches one.
 */
static int kernel_tree_ok(const struct fs_km_forest *k, __u32 i, unsigned int depth)
{
	const struct fs_km_node *n = &k->nodes[i];

	if (n->feature == FS_KM_LEAF)
		return 1;
	if (depth == FS_KM_MAX_DEPTH)
		return 0;
	return kernel_tree_ok(k, n->left, depth + 1) && kernel_tree_ok(k, n->right, depth + 1);
}

static int read_kernel_node(struct reader *r, struct fs_km_forest *k, struct fs_km_node *n)
{
	unsigned int v[4];
	char *text;

	if (r->next && strncmp(r->next, "leaf", 4) == 0) {
		unsigned int score[FS_KM_MAX_CLASSES], c;

		text = expect(r, "leaf");
		if (!text || parse_uints(r, text, 65535, score, k->cfg.nclasses) < 0)
			return -1;
		n->feature = FS_KM_LEAF;
		for (c = 0; c < k->cfg.nclasses; c++)
			n->score[c] = (__u16)score[c];
		return 0;
	}
	text = expect(r, "node");
	if (!text || parse_uints(r, text, 0xffffffffU, v, 4) < 0)
		return -1;
	if (v[0] >= FS_KM_INPUTS || v[2] >= k->nnodes || v[3] >= k->nnodes)
		return bad(r, "a node's input must be below %d and its children below %u",
			   FS_KM_INPUTS, k->nnodes);
	n->feature = (__u16)v[0];
	n->threshold = v[1];
	n->left = (__u16)v[2];
	n->right = (__u16)v[3];
	return 0;
}

/*
 * Version 2's `later MARGIN P1 ... Pk`: the checkpoints that decide again
 * while a verdict leads by less than MARGIN (fs_km_later_problem says which
 * may be).
 */
static int read_kernel_later(struct reader *r, struct fs_km_config *c)
{
	unsigned int v[FS_KM_MAX_LATER + 1], n = 1, i;
	const char *p, *problem;
	char *text = expect(r, "later");

	if (!text)
		return -1;
	for (p = text; *p; p++)
		n += *p == ' ' && p[1] && p[1] != ' ';
	if (n > FS_KM_MAX_LATER + 1 || parse_uints(r, text, 0xffffffffU, v, n) < 0)
		return bad(r, "a kernel model's later line is a margin and at most %d checkpoints",
			   FS_KM_MAX_LATER);
	c->settle_margin = v[0];
	c->nlater = n - 1;
	for (i = 0; i < c->nlater; i++)
		c->later[i] = v[i + 1];
	problem = fs_km_later_problem(c);
	return problem ? bad(r, "%s", problem) : 0;
}

/* The optional kernel model (docs/MODEL.md). */
static int read_kernel(struct reader *r, struct fs_model *m)
{
	struct fs_km_forest *k = &m->kernel;
	unsigned int head[4], roots[FS_KM_MAX_TREES], i;
	char *text;

	if (!r->next || strncmp(r->next, "kernel ", 7) != 0)
		return 0;
	text = expect(r, "kernel");
	if (!text || parse_uints(r, text, FS_KM_MAX_NODES, head, 4) < 0)
		return -1;
	if (head[0] < 1 || head[0] > FS_KM_VERSION)
		return bad(r, "kernel model version %u; this flowscope reads versions 1 to %d",
			   head[0], FS_KM_VERSION);
	if (head[1] < 2 || head[1] > 256 || (head[1] & (head[1] - 1)) || head[2] < 1 ||
	    head[2] > FS_KM_MAX_TREES || head[3] < 1 || m->nclasses > FS_KM_MAX_CLASSES)
		return bad(r,
			   "a kernel model decides at a power of two from 2 to 256 packets, with 1 "
			   "to %d trees, for at most %d classes",
			   FS_KM_MAX_TREES, FS_KM_MAX_CLASSES);
	k->cfg.checkpoint = head[1];
	k->cfg.ntrees = head[2];
	k->cfg.nclasses = m->nclasses;
	k->class_names = m->classes;
	k->nnodes = head[3];
	if (head[0] >= 2 && read_kernel_later(r, &k->cfg) < 0)
		return -1;
	text = expect(r, "roots");
	if (!text || parse_uints(r, text, k->nnodes - 1, roots, k->cfg.ntrees) < 0)
		return -1;
	k->nodes = calloc(k->nnodes, sizeof(*k->nodes));
	if (!k->nodes)
		return bad(r, "out of memory");
	for (i = 0; i < k->nnodes; i++)
		if (read_kernel_node(r, k, &k->nodes[i]) < 0)
			return -1;
	for (i = 0; i < k->cfg.ntrees; i++) {
		k->cfg.root[i] = (__u16)roots[i];
		if (!kernel_tree_ok(k, roots[i], 0))
			return bad(r, "kernel tree %u is deeper than %d", i + 1, FS_KM_MAX_DEPTH);
	}
	return 0;
}

/* The whole file, with the "end CRC" line checked and cut off. */
static char *read_checked(const char *path, __u32 *checksum)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *end;
	long size;
	unsigned long crc;

	if (!f) {
		fs_err(path, "cannot open the model: %s", strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(buf = malloc((size_t)size + 1)) || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fs_err(path, "cannot read the model");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[size] = '\0';
	if (size < 14 || strncmp(buf, MAGIC " ", strlen(MAGIC) + 1) != 0 ||
	    memchr(buf, '\0', (size_t)size)) {
		fs_err(path, "not a flowscope model");
		free(buf);
		return NULL;
	}
	end = size >= 14 ? buf + size - 13 : buf;
	if (buf[size - 1] != '\n' || strncmp(end, "end ", 4) != 0 || end[-1] != '\n' ||
	    sscanf(end + 4, "%8lx", &crc) != 1) {
		fs_err(path, "the model is truncated (no 'end' line)");
		free(buf);
		return NULL;
	}
	if (crc != crc32(0L, (const Bytef *)buf, (uInt)(end - buf))) {
		fs_err(path, "the model is corrupt (checksum mismatch)");
		free(buf);
		return NULL;
	}
	*end = '\0';
	*checksum = (__u32)crc;
	return buf;
}

int fs_model_load(struct fs_model *m, const char *path)
{
	struct reader r = {.path = path};
	__u32 checksum = 0;
	char *buf = read_checked(path, &checksum);
	int err;

	memset(m, 0, sizeof(*m));
	if (!buf)
		return -1;
	m->checksum = checksum;
	r.next = buf;
	err = read_header(&r, m) || read_features(&r, m) || read_kmeans(&r, m) ||
	      read_mlps(&r, m) || read_temperature(&r, m) || read_unknown_below(&r, m) ||
	      read_kernel(&r, m);
	if (!err && (!m->has_kmeans && !m->nmlp))
		err = bad(&r, "neither k-means nor an MLP in the model");
	if (!err && r.next && *r.next) {
		r.lineno++;
		err = bad(&r, "unexpected text after the network");
	}
	free(buf);
	if (err)
		fs_model_free(m);
	return err ? -1 : 0;
}
