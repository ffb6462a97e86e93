/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A text table with a header line: tab-separated (manifests, per-flow
 * labels) or comma-separated. Columns are found by name; blank lines and
 * lines starting with '#' are skipped; lines may be of any length.
 */
#ifndef FS_TABLE_H
#define FS_TABLE_H

#include <stdio.h>

struct fs_table {
	FILE *f;
	const char *path;
	char sep;
	char *line; /* the current row, cut into fields in place */
	size_t cap;
	char **fields;
	unsigned int nfields, maxfields;
	char *header; /* the header line, cut into column names */
	char **names;
	unsigned int ncols;
	unsigned int lineno;
};

/* Opens path and reads its header. 0, or -1 after printing "flowscope: PATH: what is wrong". */
int fs_table_open(struct fs_table *t, const char *path, char sep);
/* The index of the column called name, or -1. */
int fs_table_column(const struct fs_table *t, const char *name);
/* The next row: 1, 0 at the end, -1 after printing why. */
int fs_table_next(struct fs_table *t);
/* Field col of the current row; "" where the row is short or col < 0. */
const char *fs_table_field(const struct fs_table *t, int col);
void fs_table_close(struct fs_table *t);

#endif /* FS_TABLE_H */
