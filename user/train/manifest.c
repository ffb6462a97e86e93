// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/table.h"
#include "train/manifest.h"
#include "common/util.h"

void fs_manifest_free(struct fs_manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->entries[i].path);
		free(m->entries[i].name);
	}
	for (i = 0; i < m->nclasses; i++)
		free(m->classes[i]);
	for (i = 0; i < m->ngroups; i++)
		free(m->groups[i]);
	free(m->entries);
	free(m->classes);
	free(m->groups);
	memset(m, 0, sizeof(*m));
}

int fs_manifest_class(const struct fs_manifest *m, const char *name)
{
	return fs_name_index(m->classes, m->nclasses, name);
}

int fs_manifest_add_class(struct fs_manifest *m, const char *name)
{
	return fs_name_add(&m->classes, &m->nclasses, name);
}

static int add_entry(struct fs_manifest *m, const char *dir, const char *file, int label)
{
	struct fs_manifest_entry *e = realloc(m->entries, (m->n + 1) * sizeof(*e));

	if (!e)
		return -1;
	m->entries = e;
	e = &m->entries[m->n];
	e->label = label;
	e->name = strdup(file);
	if (file[0] == '/')
		e->path = strdup(file);
	else if (asprintf(&e->path, "%s/%s", dir, file) < 0)
		e->path = NULL;
	if (!e->name || !e->path) {
		free(e->name);
		free(e->path);
		return -1;
	}
	m->n++;
	return 0;
}

/* One row of the manifest into m. 0, or -1 after printing why. */
static int add_row(struct fs_manifest *m, const struct fs_table *t, const char *dir, int file_col,
		   int class_col, int group_col)
{
	const char *file = fs_table_field(t, file_col), *class = fs_table_field(t, class_col);
	int label, group;

	if (!*file || !*class || strchr(class, ' '))
		return fs_err(t->path, "line %u: needs a file and a one-word class", t->lineno);
	label = fs_manifest_add_class(m, class);
	group = group_col < 0 ? (int)m->n
			      : fs_name_add(&m->groups, &m->ngroups, fs_table_field(t, group_col));
	if (label < 0 || group < 0 || add_entry(m, dir, file, label) < 0)
		return fs_err(t->path, "out of memory");
	m->entries[m->n - 1].group = group;
	return 0;
}

int fs_manifest_load(struct fs_manifest *m, const char *path, const char *group_column)
{
	char *dir_buf = strdup(path), *dir;
	int file_col, class_col, group_col = -1, err = 0, more;
	struct fs_table t;

	memset(m, 0, sizeof(*m));
	if (!dir_buf)
		return fs_err(path, "out of memory");
	dir = dirname(dir_buf);
	if (fs_table_open(&t, path, '\t') < 0) {
		free(dir_buf);
		return -1;
	}
	file_col = fs_table_column(&t, "file");
	class_col = fs_table_column(&t, "class");
	if (file_col < 0 || class_col < 0)
		err = fs_err(path, "line 1: the header must name the columns 'file' and 'class'");
	else if (group_column && (group_col = fs_table_column(&t, group_column)) < 0)
		err = fs_err(path, "line 1: no column '%s' to group captures by", group_column);
	while (!err && (more = fs_table_next(&t)) != 0)
		err = more < 0 ? -1 : add_row(m, &t, dir, file_col, class_col, group_col);
	if (!err && m->n == 0)
		err = fs_err(path, "no captures listed");
	fs_table_close(&t);
	free(dir_buf);
	if (err)
		fs_manifest_free(m);
	return err ? -1 : 0;
}
