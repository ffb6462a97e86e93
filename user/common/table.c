// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/table.h"
#include "common/util.h"

/* Cuts line at sep into t->fields (growing it); the line's end loses its \r\n. */
static int split(struct fs_table *t, char *line, char ***fields, unsigned int *n, unsigned int *max)
{
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	*n = 0;
	for (;;) {
		char *end = strchr(p, t->sep);

		if (*n == *max) {
			unsigned int grown = *max ? 2 * *max : 16;
			char **f = realloc(*fields, grown * sizeof(*f));

			if (!f)
				return fs_err(t->path, "out of memory");
			*fields = f;
			*max = grown;
		}
		(*fields)[(*n)++] = p;
		if (!end)
			return 0;
		*end = '\0';
		p = end + 1;
	}
}

static ssize_t read_line(struct fs_table *t)
{
	ssize_t len = getline(&t->line, &t->cap, t->f);

	if (len >= 0)
		t->lineno++;
	return len;
}

int fs_table_open(struct fs_table *t, const char *path, char sep)
{
	unsigned int max = 0;

	memset(t, 0, sizeof(*t));
	t->path = path;
	t->sep = sep;
	t->f = fopen(path, "r");
	if (!t->f)
		return fs_err(path, "cannot open: %s", strerror(errno));
	if (read_line(t) < 0) {
		fs_table_close(t);
		return fs_err(path, "empty: the first line must name the columns");
	}
	t->header = t->line;
	t->line = NULL;
	t->cap = 0;
	if (split(t, t->header, &t->names, &t->ncols, &max) < 0) {
		fs_table_close(t);
		return -1;
	}
	return 0;
}

int fs_table_column(const struct fs_table *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->names[i], name) == 0)
			return (int)i;
	return -1;
}

int fs_table_next(struct fs_table *t)
{
	for (;;) {
		if (read_line(t) < 0) {
			if (ferror(t->f))
				return fs_err(t->path, "line %u: cannot read: %s", t->lineno + 1,
					      strerror(errno));
			return 0;
		}
		if (t->line[strspn(t->line, "\r\n")] == '\0' || t->line[0] == '#')
			continue;
		return split(t, t->line, &t->fields, &t->nfields, &t->maxfields) < 0 ? -1 : 1;
	}
}

const char *fs_table_field(const struct fs_table *t, int col)
{
	return col >= 0 && (unsigned int)col < t->nfields ? t->fields[col] : "";
}

void fs_table_close(struct fs_table *t)
{
	if (t->f)
		fclose(t->f);
	free(t->line);
	free(t->fields);
	free(t->header);
	free(t->names);
	memset(t, 0, sizeof(*t));
}
