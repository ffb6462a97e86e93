// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The model file: a round trip, and every way a file can be wrong. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "features/flow_features.h"
#include "classify/classify.h"
#include "classify/forest.h"
#include "classify/model.h"
#include "kernel_model_walk.h"

static char path[] = "/tmp/flowscope-test-model.XXXXXX";

/* A kernel model by hand: input 5 at most 100 is a call, else video. */
static void make_kernel_model(struct fs_km_forest *f)
{
	static const struct fs_km_node nodes[] = {
		{.feature = 5, .left = 1, .right = 2, .threshold = 100},
		{.feature = FS_KM_LEAF, .score = {65535}},
		{.feature = FS_KM_LEAF, .score = {0, 65535}},
	};

	f->cfg = (struct fs_km_config){.checkpoint = 8,
				       .ntrees = 1,
				       .nclasses = 2,
				       .nlater = 2,
				       .later = {32, 128},
				       .settle_margin = 16383};
	f->nnodes = 3;
	f->nodes = malloc(sizeof(nodes));
	memcpy(f->nodes, nodes, sizeof(nodes));
}

static void make_model(struct fs_model *m)
{
	static const double rows[4][2] = {{1, 10}, {2, 1000}, {30, 12}, {40, 90000}};
	static const float pts[4][2] = {{0, 0}, {1, 0}, {9, 9}, {10, 9}};
	struct fs_kmeans_options ko = {.k = 2, .seed = 1};
	unsigned int hidden[] = {4};

	memset(m, 0, sizeof(*m));
	m->nclasses = 2;
	m->classes[0] = strdup("call");
	m->classes[1] = strdup("video");
	m->nfeatures = 2;
	m->features = calloc(2, sizeof(int));
	m->features[0] = FS_F_DURATION;
	m->features[1] = FS_F_UDP_IAT_CV;
	fs_preprocess_fit(&m->prep, &rows[0][0], 4, 2);
	m->has_kmeans = 1;
	fs_kmeans_fit(&m->kmeans, &pts[0][0], 4, 2, &ko);
	m->cluster_class = calloc(2, sizeof(int));
	m->cluster_class[1] = -1;
	m->nmlp = 1;
	fs_mlp_init(&m->mlp[0], 2, 2, hidden, 1, 42);
	m->temperature = 1.5f;
	m->unknown_below = 0.625f;
	m->created = strdup("2026-11-23T00:00:00Z");
	m->data = strdup("a test\nwith a newline");
	m->scores = strdup("none");
	m->seed = 42;
	make_kernel_model(&m->kernel);
}

static void test_round_trip(void **state)
{
	struct fs_model a, b;
	float in[2] = {0.5f, -1.0f}, pa[2], pb[2];

	make_model(&a);
	assert_int_equal(fs_model_save(&a, path), 0);
	assert_int_equal(fs_model_load(&b, path), 0);
	assert_string_equal(b.classes[1], "video");
	assert_int_equal(b.features[1], FS_F_UDP_IAT_CV);
	assert_memory_equal(b.prep.mean, a.prep.mean, 2 * sizeof(double));
	assert_memory_equal(b.prep.scale, a.prep.scale, 2 * sizeof(double));
	assert_memory_equal(b.prep.log1p, a.prep.log1p, 2);
	assert_memory_equal(b.kmeans.centroids, a.kmeans.centroids, 4 * sizeof(float));
	assert_int_equal(b.cluster_class[1], -1);
	assert_memory_equal(b.mlp[0].w[0], a.mlp[0].w[0], 8 * sizeof(float));
	assert_memory_equal(b.mlp[0].b[1], a.mlp[0].b[1], 2 * sizeof(float));
	assert_string_equal(b.data, "a test with a newline");
	assert_true(b.seed == 42);
	assert_float_equal(b.temperature, 1.5, 0);
	assert_float_equal(b.unknown_below, 0.625, 0);
	assert_int_equal(fs_mlp_predict(&a.mlp[0], in, pa), fs_mlp_predict(&b.mlp[0], in, pb));
	assert_memory_equal(pa, pb, sizeof(pa));
	fs_model_free(&a);
	fs_model_free(&b);
}

/*
 * An ensemble: its MLPs come back in order, and a verdict's probabilities
 * are the mean of theirs, its class the most probable.
 */
static void test_kernel_round_trip(void **state)
{
	__u32 in[FS_KM_INPUTS] = {0};
	struct fs_model a, b;

	make_model(&a);
	assert_int_equal(fs_model_save(&a, path), 0);
	assert_int_equal(fs_model_load(&b, path), 0);
	assert_memory_equal(&b.kernel.cfg, &a.kernel.cfg, sizeof(a.kernel.cfg));
	assert_int_equal(b.kernel.nnodes, 3);
	assert_memory_equal(b.kernel.nodes, a.kernel.nodes, 3 * sizeof(*a.kernel.nodes));
	in[5] = 100;
	assert_int_equal(fs_forest_classify(&b.kernel, in, NULL), 0);
	in[5] = 101;
	assert_int_equal(fs_forest_classify(&b.kernel, in, NULL), 1);
	fs_model_free(&a);
	fs_model_free(&b);
}

static void test_ensemble(void **state)
{
	unsigned int hidden[] = {4};
	struct fs_model a, b;
	float in[2] = {0.5f, -1.0f}, p0[2], p1[2], mean[2];
	struct fs_verdict v;
	int c;

	(void)state;
	make_model(&a);
	a.nmlp = 2;
	fs_mlp_init(&a.mlp[1], 2, 2, hidden, 1, 7);
	assert_int_equal(fs_model_save(&a, path), 0);
	assert_int_equal(fs_model_load(&b, path), 0);
	assert_int_equal(b.nmlp, 2);
	assert_memory_equal(b.mlp[1].w[0], a.mlp[1].w[0], 8 * sizeof(float));
	fs_mlp_predict(&a.mlp[0], in, p0);
	fs_mlp_predict(&a.mlp[1], in, p1);
	assert_true(p0[0] != p1[0]); /* two different networks */
	fs_classify_inputs(&b, in, &v);
	/* The mean at the model's temperature: m^(1/1.5), renormalised. */
	for (c = 0; c < 2; c++)
		mean[c] = powf((p0[c] + p1[c]) / 2, 1 / 1.5f);
	for (c = 0; c < 2; c++)
		assert_float_equal(v.probs[c], mean[c] / (mean[0] + mean[1]), 1e-6);
	assert_int_equal(v.mlp_class, v.probs[1] > v.probs[0]);
	assert_float_equal(v.confidence, v.probs[v.mlp_class], 0);
	fs_model_free(&a);
	fs_model_free(&b);
}

static char *slurp(size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

static void spit(const char *body, size_t len, int with_crc)
{
	FILE *f = fopen(path, "wb");

	fwrite(body, 1, len, f);
	if (with_crc)
		fprintf(f, "end %08lx\n", crc32(0L, (const Bytef *)body, (uInt)len));
	fclose(f);
}

/* The saved model's body (without its end line), edited: from -> to. */
static void save_edited(const char *from, const char *to)
{
	struct fs_model m;
	char *body, *at, *edited;
	size_t len;

	make_model(&m);
	fs_model_save(&m, path);
	fs_model_free(&m);
	body = slurp(&len);
	len -= 13; /* "end XXXXXXXX\n" */
	body[len] = '\0';
	at = strstr(body, from);
	assert_non_null(at);
	edited = malloc(len + strlen(to) + 1);
	memcpy(edited, body, (size_t)(at - body));
	strcpy(edited + (at - body), to);
	strcat(edited, at + strlen(from));
	spit(edited, strlen(edited), 1);
	free(body);
	free(edited);
}

static void expect_load_error(void)
{
	struct fs_model m;

	assert_int_equal(fs_model_load(&m, path), -1);
}

static void test_damaged_files(void **state)
{
	struct fs_model m;
	char *body;
	size_t len;

	make_model(&m);
	fs_model_save(&m, path);
	fs_model_free(&m);
	body = slurp(&len);
	spit(body, len - 40, 0); /* truncated */
	expect_load_error();
	body[len / 2] ^= 0x01; /* one bit flipped */
	spit(body, len, 0);
	expect_load_error();
	spit("", 0, 0);
	expect_load_error();
	free(body);
	save_edited("flowscope-model 1", "flowscope-model 2"); /* another version */
	expect_load_error();
	save_edited("feature flow_duration", "feature no_such_feature"); /* features differ */
	expect_load_error();
	save_edited("mlp 2 2 4 2", "mlp 2 3 4 2"); /* network does not fit the features */
	expect_load_error();
	save_edited("classes 2", "classes 1"); /* too few classes */
	expect_load_error();
	save_edited("temperature 1.5", "temperature 0"); /* no temperature divides by 0 */
	expect_load_error();
	save_edited("unknown_below 0.625", "unknown_below 1"); /* every verdict unknown */
	expect_load_error();
	save_edited("unknown_below 0.625", "unknown_below -0.5");
	expect_load_error();
	/* The kernel model: what the BPF program could not walk. */
	save_edited("kernel 2 8 1 3", "kernel 3 8 1 3"); /* another input list or rule */
	expect_load_error();
	save_edited("kernel 2 8 1 3", "kernel 2 12 1 3"); /* a checkpoint not a power of two */
	expect_load_error();
	save_edited("kernel 2 8 1 3", "kernel 2 8 17 3"); /* more trees than it walks */
	expect_load_error();
	save_edited("later 16383 32 128", "later 16383 8 128"); /* not after the checkpoint */
	expect_load_error();
	save_edited("later 16383 32 128", "later 16383 128 32"); /* not rising */
	expect_load_error();
	save_edited("later 16383 32 128", "later 16383 32 512"); /* past the snapshots */
	expect_load_error();
	save_edited("later 16383 32 128", "later 16383 32 48"); /* not a power of two */
	expect_load_error();
	save_edited("later 16383 32 128", "later 16383 16 32 64 128 256"); /* too many */
	expect_load_error();
	save_edited("later 16383 32 128", "later"); /* no margin */
	expect_load_error();
	save_edited("later 16383 32 128\n", ""); /* version 2 without its later line */
	expect_load_error();
	save_edited("roots 0", "roots 3"); /* a root past the nodes */
	expect_load_error();
	save_edited("node 5 100 1 2", "node 114 100 1 2"); /* an input past the list */
	expect_load_error();
	save_edited("node 5 100 1 2", "node 5 100 1 3"); /* a child past the nodes */
	expect_load_error();
	save_edited("node 5 100 1 2", "node 5 100 0 2"); /* its own child: a walk without end */
	expect_load_error();
	save_edited("leaf 0 65535", "leaf 0"); /* a class's score missing */
	expect_load_error();
	save_edited("leaf 0 65535", "leaf 0 65536");
	expect_load_error();
	unlink(path);
	expect_load_error(); /* no file */
}

/* A version 1 kernel section (no later line) still loads, and decides once. */
static void test_kernel_version_1(void **state)
{
	struct fs_model m;

	save_edited("kernel 2 8 1 3\nlater 16383 32 128\n", "kernel 1 8 1 3\n");
	assert_int_equal(fs_model_load(&m, path), 0);
	assert_int_equal(m.kernel.cfg.checkpoint, 8);
	assert_int_equal(m.kernel.cfg.nlater, 0);
	fs_model_free(&m);
}

/*
 * Deciding again (kernel_model_walk.h, the code both engines run): two
 * trees that split at 20 and at 5 forward packets. At packet 8 they
 * disagree (a tie, so call, by less than the margin): due again at 32,
 * where both say video by all their score, which settles it.
 */
static void test_kernel_decides_again(void **state)
{
	static const struct fs_km_node nodes[] = {
		{.feature = FS_KMD_PACKETS, .left = 1, .right = 2, .threshold = 20},
		{.feature = FS_KM_LEAF, .score = {32767}},
		{.feature = FS_KM_LEAF, .score = {0, 32767}},
		{.feature = FS_KMD_PACKETS, .left = 4, .right = 5, .threshold = 5},
		{.feature = FS_KM_LEAF, .score = {32767}},
		{.feature = FS_KM_LEAF, .score = {0, 32767}},
	};
	struct fs_km_forest f = {
		.cfg = {.checkpoint = 8,
			.ntrees = 2,
			.nclasses = 2,
			.nlater = 2,
			.later = {32, 128},
			.settle_margin = 16383,
			.root = {0, 3}},
		.nodes = (struct fs_km_node *)nodes,
		.nnodes = 6,
	};
	struct fs_flow_stats st = {0};
	struct fs_km_inputs in;
	__u32 margin = 1;

	assert_int_equal(fs_km_due_at(&f.cfg, &st), 8);
	assert_int_equal(fs_km_decided_at(&f.cfg, &st), 0);
	st.dir[FS_DIR_FWD].packets = 8;
	fs_km_inputs(&st, FS_IPPROTO_UDP, &in);
	assert_int_equal(fs_km_classify(&f.cfg, &in, &f, &margin), 0);
	assert_int_equal(margin, 0);
	fs_km_store(&f.cfg, &st, fs_km_verdict(0), margin);
	assert_int_equal(st.verdict, 1);
	assert_int_equal(fs_km_decided_at(&f.cfg, &st), 8);
	assert_int_equal(fs_km_due_at(&f.cfg, &st), 32); /* not settled */

	st.dir[FS_DIR_FWD].packets = 32;
	fs_km_inputs(&st, FS_IPPROTO_UDP, &in);
	assert_int_equal(fs_km_classify(&f.cfg, &in, &f, &margin), 1);
	assert_int_equal(margin, 65534);
	fs_km_store(&f.cfg, &st, fs_km_verdict(1), margin);
	assert_int_equal(st.verdict, 2);
	assert_int_equal(fs_km_decided_at(&f.cfg, &st), 32);
	assert_int_equal(fs_km_due_at(&f.cfg, &st), 0); /* settled: 128 never decides */

	/* Never sure: decided at each checkpoint, the last one settles. */
	memset(&st, 0, sizeof(st));
	fs_km_store(&f.cfg, &st, 1, 0);
	fs_km_store(&f.cfg, &st, 1, 0);
	assert_int_equal(fs_km_due_at(&f.cfg, &st), 128);
	fs_km_store(&f.cfg, &st, 2, 0);
	assert_int_equal(fs_km_due_at(&f.cfg, &st), 0);
	assert_int_equal(fs_km_decided_at(&f.cfg, &st), 128);
	assert_int_equal(st.verdict, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_kernel_round_trip),
		cmocka_unit_test(test_ensemble),
		cmocka_unit_test(test_damaged_files),
		cmocka_unit_test(test_kernel_version_1),
		cmocka_unit_test(test_kernel_decides_again),
	};
	int fd = mkstemp(path), ret;

	close(fd);
	ret = cmocka_run_group_tests_name("model", tests, NULL, NULL);
	unlink(path);
	return ret;
}
