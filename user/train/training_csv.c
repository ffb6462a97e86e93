// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train/activity.h"
#include "train/training_csv.h"
#include "common/util.h"

void fs_csv_classes_free(struct fs_csv_classes *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	memset(c, 0, sizeof(*c));
}

/* Split a line at commas in place; trims spaces and quotes. Returns the count. */
static unsigned int split(char *line, char **fields, unsigned int max)
{
	unsigned int n = 0;
	char *p = line, *end;

	while (p && n < max) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		while (isspace((unsigned char)*p) || *p == '"')
			p++;
		end = p + strlen(p);
		while (end > p && (isspace((unsigned char)end[-1]) || end[-1] == '"'))
			*--end = '\0';
		fields[n++] = p;
		p = comma ? comma + 1 : NULL;
	}
	return n;
}

static int feature_of(const char *name)
{
	int f = fs_feature_find(name);

	return f >= 0 ? f : fs_feature_find_alias(name);
}

static int class_of(struct fs_csv_classes *c, const char *name)
{
	int i = fs_name_index(c->names, c->n, name);

	if (i >= 0)
		return i;
	if (c->n == FS_ARRAY_SIZE(c->names) || !(c->names[c->n] = strdup(name)))
		return -1;
	return (int)c->n++;
}

/* Index (into the row's fields) of each feature column, and the label's and group's. */
struct csv_layout {
	int column[FS_F_MAX]; /* per model input: its CSV column */
	int label, group;
	unsigned int ncols;
};

static int read_header(char *line, struct csv_layout *l, int *features, unsigned int *dim,
		       const char *label_column, const char *group_column)
{
	char *fields[1024];
	unsigned int n = split(line, fields, 1024), i;
	bool used[FS_F_MAX] = {0};

	l->label = l->group = -1;
	l->ncols = n;
	*dim = 0;
	for (i = 0; i < n; i++) {
		int f;

		if (strcmp(fields[i], label_column) == 0) {
			l->label = (int)i;
			continue;
		}
		if (group_column && strcmp(fields[i], group_column) == 0) {
			l->group = (int)i;
			continue;
		}
		f = feature_of(fields[i]);
		/* Identifiers and unknown columns are not inputs; nor is a name twice. */
		if (f < 0 || f == FS_F_SERVER_PORT || f == FS_F_FLOWS || used[f])
			continue;
		used[f] = true;
		features[*dim] = f;
		l->column[(*dim)++] = (int)i;
	}
	return l->label >= 0 && *dim > 0 && (!group_column || l->group >= 0) ? 0 : -1;
}

/* Consecutive rows with the same group value share a group number. */
static int group_of(const char *value, char *last, size_t last_len, int *current)
{
	if (strcmp(value, last) != 0) {
		snprintf(last, last_len, "%s", value);
		(*current)++;
	}
	return *current;
}

int fs_training_set_from_csv(struct fs_training_set *ts, int *features, const char *path,
			     const char *label_column, const char *group_column,
			     struct fs_csv_classes *classes)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *fields[1024], last_group[256] = "";
	struct csv_layout l;
	size_t len = 0, cap = 0, lineno = 1;
	int current_group = -1, err = 0;
	unsigned int j, dim;

	memset(ts, 0, sizeof(*ts));
	memset(classes, 0, sizeof(*classes));
	if (!f)
		return fs_err(path, "cannot open the CSV: %s", strerror(errno));
	if (getline(&line, &len, f) < 0 ||
	    read_header(line, &l, features, &dim, label_column, group_column) < 0) {
		err = fs_err(path, "line 1: needs the label column '%s'%s%s%s and feature columns",
			     label_column, group_column ? ", the group column '" : "",
			     group_column ? group_column : "", group_column ? "'" : "");
		goto out;
	}
	ts->features = features;
	ts->dim = dim;
	while (!err && getline(&line, &len, f) > 0) {
		unsigned int n = split(line, fields, 1024);
		double *row;

		lineno++;
		if (n == 1 && !*fields[0])
			continue; /* a blank line */
		if (n != l.ncols || fs_training_set_reserve(ts, 1, &cap) < 0) {
			err = fs_err(path, "line %zu: %u fields, the header has %u", lineno, n,
				     l.ncols);
			break;
		}
		row = ts->x + ts->n * dim;
		for (j = 0; j < dim; j++) {
			char *end;

			/* Empty, NaN and Infinity stay non-finite: preprocessing fills them. */
			row[j] = strtod(fields[l.column[j]], &end);
			if (end == fields[l.column[j]])
				row[j] = NAN;
		}
		ts->label[ts->n] = class_of(classes, fields[l.label]);
		if (ts->label[ts->n] < 0) {
			err = fs_err(path, "line %zu: more than 64 classes", lineno);
			break;
		}
		ts->group[ts->n] = l.group >= 0 ? group_of(fields[l.group], last_group,
							   sizeof(last_group), &current_group)
						: (int)(ts->n / FS_CSV_GROUP_ROWS);
		ts->bytes[ts->n] = 1; /* a CSV row has no bytes to vote with: one each */
		ts->role[ts->n] = FS_FLOW_ACTIVITY;	  /* every row is labelled as it is */
		ts->span[ts->n] = (struct fs_span){0, 0}; /* and has no time */
		ts->n++;
	}
	ts->whole_rows = ts->n;
	if (!err && ts->n == 0)
		err = fs_err(path, "no rows");
out:
	free(line);
	fclose(f);
	if (err) {
		fs_training_set_free(ts);
		fs_csv_classes_free(classes);
	}
	return err ? -1 : 0;
}
