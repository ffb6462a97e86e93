// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	free(m->entries);
	free(m->classes);
	memset(m, 0, sizeof(*m));
}

int fs_manifest_class(const struct fs_manifest *m, const char *name)
{
	return fs_name_index(m->classes, m->nclasses, name);
}

/* Field `col` of a tab-separated line (cut in place), or NULL. */
static char *field(char *line, int col)
{
	char *p = line, *end;
	int i;

	for (i = 0; i < col && p; i++) {
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	if (!p)
		return NULL;
	end = strpbrk(p, "\t\r\n");
	if (end)
		*end = '\0';
	return p;
}

/* Column numbers of `file` and `class` in the header line. */
static int header_columns(char *line, int *file_col, int *class_col)
{
	char *tok, *save = NULL;
	int col = 0;

	*file_col = *class_col = -1;
	for (tok = strtok_r(line, "\t\r\n", &save); tok; tok = strtok_r(NULL, "\t\r\n", &save)) {
		if (strcmp(tok, "file") == 0)
			*file_col = col;
		else if (strcmp(tok, "class") == 0)
			*class_col = col;
		col++;
	}
	return *file_col >= 0 && *class_col >= 0 ? 0 : -1;
}

int fs_manifest_add_class(struct fs_manifest *m, const char *name)
{
	int c = fs_manifest_class(m, name);
	char **classes;

	if (c >= 0)
		return c;
	classes = realloc(m->classes, (m->nclasses + 1) * sizeof(*classes));
	if (!classes)
		return -1;
	m->classes = classes;
	m->classes[m->nclasses] = strdup(name);
	return m->classes[m->nclasses] ? (int)m->nclasses++ : -1;
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

int fs_manifest_load(struct fs_manifest *m, const char *path)
{
	char line[4096], copy[4096], *dir_buf = strdup(path), *dir;
	int file_col, class_col, err = 0, label;
	unsigned int lineno = 1;
	FILE *f = fopen(path, "r");

	memset(m, 0, sizeof(*m));
	if (!f || !dir_buf) {
		free(dir_buf);
		if (f)
			fclose(f);
		return fs_err(path, "cannot open the manifest: %s", strerror(errno));
	}
	dir = dirname(dir_buf);
	if (!fgets(line, sizeof(line), f) || header_columns(line, &file_col, &class_col) < 0) {
		err = fs_err(path, "line 1: the header must name the columns 'file' and 'class'");
		goto out;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		char *file, *class;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		strcpy(copy, line);
		file = field(line, file_col);
		class = field(copy, class_col);
		if (!file || !*file || !class || !*class || strchr(class, ' ')) {
			err = fs_err(path, "line %u: needs a file and a one-word class", lineno);
			break;
		}
		label = fs_manifest_add_class(m, class);
		if (label < 0 || add_entry(m, dir, file, label) < 0)
			err = fs_err(path, "out of memory");
	}
	if (!err && m->n == 0)
		err = fs_err(path, "no captures listed");
out:
	fclose(f);
	free(dir_buf);
	if (err)
		fs_manifest_free(m);
	return err ? -1 : 0;
}
