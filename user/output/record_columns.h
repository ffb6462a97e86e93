/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The columns of a flow record. A schema is an ordered list of columns
 * (identifiers, then features); every output format reads one, so CSV and
 * JSON carry the same fields in the same order.
 */
#ifndef FS_RECORD_COLUMNS_H
#define FS_RECORD_COLUMNS_H

#include "features/flow_features.h"
#include "features/unit.h"

struct fs_model;
struct fs_verdict;
struct fs_host_row;

enum fs_value_kind {
	FS_VAL_UINT,
	FS_VAL_REAL,
	FS_VAL_TEXT,
};

struct fs_value {
	enum fs_value_kind kind;
	__u64 uint;
	double real;
	char text[192];
};

/* Which columns: the flag's name is what --features takes. */
enum fs_feature_set {
	FS_SET_ALL,	/* identifiers and every feature, our names */
	FS_SET_CIC,	/* CICFlowMeter's CSV: its 84 columns, names and order */
	FS_SET_DEEPMAD, /* the second seed's 55 model inputs, its names and order */
	FS_SET_MAX,
};

/* One record to write: the unit, its features and, with a model, its verdict. */
struct fs_row {
	const struct fs_unit *unit;
	const struct fs_feature_vec *features;
	const struct fs_model *model; /* NULL: not classified */
	const struct fs_verdict *verdict;
	const struct fs_host_row *host; /* NULL: no host verdict */
};

/*
 * What the kernel model said of the flow at its checkpoint (kernel_model.h):
 * its class, unknown where it could not decide, and "" for a flow that ended
 * sooner or a pair. The model is the row's: not NULL.
 */
const char *fs_row_kernel_class(const struct fs_row *row);

/*
 * flow_id: a hash of the identity and the start time, so the same flow gets
 * the same id from either engine and from every run (and in IPFIX, flowId).
 */
__u64 fs_unit_flow_id(const struct fs_unit *u);

struct fs_column {
	const char *name;
	/* An identifier column fills v itself; a feature column has get NULL. */
	void (*get)(const struct fs_row *row, struct fs_value *v);
	int feature; /* enum fs_feature_id */
	/*
	 * The value depends on the flows written before (the host's verdict),
	 * so it is made in the records' order; the rest of a record may be
	 * made on any thread, in any order.
	 */
	bool in_order;
};

struct fs_schema {
	struct fs_column *cols;
	unsigned int n;
	/* The in-order columns, which are adjacent: [in_order_from, in_order_to). */
	unsigned int in_order_from, in_order_to;
	const struct fs_model *model; /* classify every record; NULL: no */
};

/* Fills *s; with a model, the class columns too. 0, or -1 without memory. */
int fs_schema_init(struct fs_schema *s, enum fs_feature_set set, const struct fs_model *model);
void fs_schema_free(struct fs_schema *s);
/* Column i of a row. */
void fs_schema_value(const struct fs_schema *s, unsigned int i, const struct fs_row *row,
		     struct fs_value *v);

#endif /* FS_RECORD_COLUMNS_H */
