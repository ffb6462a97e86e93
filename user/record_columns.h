/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The columns of a flow record: one table, read by every output format, so
 * CSV and JSON always carry the same fields in the same order.
 */
#ifndef FS_RECORD_COLUMNS_H
#define FS_RECORD_COLUMNS_H

#include "record.h"

enum fs_value_kind {
	FS_VAL_UINT,
	FS_VAL_REAL,
	FS_VAL_TEXT,
};

struct fs_value {
	enum fs_value_kind kind;
	__u64 uint;
	double real;
	char text[384];
};

struct fs_column {
	const char *name;
	int dir; /* enum fs_dir for per-direction columns, -1 for the flow */
	void (*get)(const struct fs_record *r, int dir, struct fs_value *v);
};

extern const struct fs_column fs_columns[];
extern const unsigned int fs_ncolumns;

#endif /* FS_RECORD_COLUMNS_H */
