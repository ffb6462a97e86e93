// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/flow_features.h"
#include "output/scaler.h"
#include "common/util.h"

#define SCALER_MAGIC "flowscope-scaler 1"

static int alloc(struct fs_scaler *s, unsigned int n)
{
	memset(s, 0, sizeof(*s));
	s->features = calloc(n ? n : 1, sizeof(*s->features));
	s->min = calloc(n ? n : 1, sizeof(*s->min));
	s->max = calloc(n ? n : 1, sizeof(*s->max));
	if (!s->features || !s->min || !s->max) {
		fs_scaler_free(s);
		return -1;
	}
	s->n = n;
	return 0;
}

int fs_scaler_init(struct fs_scaler *s, const int *features, unsigned int n)
{
	unsigned int i;

	if (alloc(s, n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		s->features[i] = features[i];
		s->min[i] = INFINITY;
		s->max[i] = -INFINITY;
	}
	return 0;
}

void fs_scaler_free(struct fs_scaler *s)
{
	free(s->features);
	free(s->min);
	free(s->max);
	memset(s, 0, sizeof(*s));
}

void fs_scaler_fit(struct fs_scaler *s, const double *v)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		double x = v[s->features[i]];

		if (x < s->min[i])
			s->min[i] = x;
		if (x > s->max[i])
			s->max[i] = x;
	}
	s->fitted++;
}

void fs_scaler_apply(const struct fs_scaler *s, const double *v, __u8 *out)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		double range = s->max[i] - s->min[i];
		double x = range > 0 ? 255.0 * (v[s->features[i]] - s->min[i]) / range : 0.0;

		out[i] = x <= 0 ? 0 : x >= 255 ? 255 : (__u8)lround(x);
	}
}

int fs_scaler_save(const struct fs_scaler *s, const char *path)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	unsigned int i;
	int err;

	if (!f)
		return fs_err(path, "cannot write the scaler: out of memory");
	fprintf(f, "%s\n", SCALER_MAGIC);
	for (i = 0; i < s->n; i++) {
		/* A feature no vector reached keeps an empty range: it scales to 0. */
		double lo = s->fitted ? s->min[i] : 0, hi = s->fitted ? s->max[i] : 0;

		fprintf(f, "%s\t%.17g\t%.17g\n", fs_feature_defs[s->features[i]].name, lo, hi);
	}
	if (fclose(f) != 0) {
		free(body);
		return fs_err(path, "cannot write the scaler: out of memory");
	}
	err = fs_write_whole(path, "scaler", body, len);
	free(body);
	return err;
}

/* One "NAME\tMIN\tMAX" line into slot i. */
static int parse_line(struct fs_scaler *s, unsigned int i, char *line, const char *path,
		      unsigned int lineno)
{
	char *name = strtok(line, "\t\n"), *lo = strtok(NULL, "\t\n"), *hi = strtok(NULL, "\t\n");
	char *end1, *end2;
	int id;

	if (!name || !lo || !hi || strtok(NULL, "\t\n"))
		return fs_err(path, "line %u: expected NAME, MIN and MAX separated by tabs",
			      lineno);
	id = fs_feature_find(name);
	if (id < 0)
		return fs_err(path, "line %u: '%s' is not a feature", lineno, name);
	s->features[i] = id;
	s->min[i] = strtod(lo, &end1);
	s->max[i] = strtod(hi, &end2);
	if (*end1 || *end2 || !isfinite(s->min[i]) || !isfinite(s->max[i]) || s->min[i] > s->max[i])
		return fs_err(path, "line %u: MIN and MAX must be numbers, MIN <= MAX", lineno);
	return 0;
}

int fs_scaler_load(struct fs_scaler *s, const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned int n = 0, lineno = 1;
	char line[512];
	int err = 0;

	if (!f)
		return fs_err(path, "cannot open the scaler: %s", strerror(errno));
	if (!fgets(line, sizeof(line), f) || strcmp(line, SCALER_MAGIC "\n") != 0) {
		fclose(f);
		return fs_err(path, "not a flowscope scaler (no '" SCALER_MAGIC "' line)");
	}
	while (fgets(line, sizeof(line), f))
		n++;
	if (n == 0 || alloc(s, n) < 0) {
		fclose(f);
		return fs_err(path, n ? "out of memory" : "no features in the scaler");
	}
	rewind(f);
	if (!fgets(line, sizeof(line), f)) /* the magic line, checked above */
		err = fs_err(path, "cannot read the scaler again");
	for (n = 0; !err && fgets(line, sizeof(line), f); n++)
		err = parse_line(s, n, line, path, ++lineno);
	fclose(f);
	s->fitted = 1;
	if (err)
		fs_scaler_free(s);
	return err;
}
