/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Writes flow records as CSV (with a header) or JSON lines. A named output
 * file is written under a temporary name and renamed into place on commit,
 * so a failed run never leaves a half-written file.
 */
#ifndef FS_RECORD_WRITER_H
#define FS_RECORD_WRITER_H

#include "output/record_columns.h"

enum fs_format {
	FS_FORMAT_CSV,
	FS_FORMAT_JSON,
};

/* What a writer writes: the format, and which columns computed how. */
struct fs_output {
	enum fs_format format;
	enum fs_feature_set features;
	const struct fs_model *model; /* classify every record; NULL: no */
};

struct fs_writer;

/* path NULL or "-" means stdout. Prints why and returns NULL on failure. */
struct fs_writer *fs_writer_open(const char *path, const struct fs_output *out);
/*
 * For live monitoring: records are appended to path (stdout if NULL or "-"),
 * each with a single write(2), so a record is never torn, even by a crash.
 * The CSV header is written only into an empty file.
 */
struct fs_writer *fs_writer_open_append(const char *path, const struct fs_output *out);
/*
 * A flow's or host pair's record: its unit, with the features and verdict
 * of fs_assess_unit (classify/classify.h) under the writer's model. flow_output.c assesses each
 * unit once for the writer, the alert log and the class tally.
 */
int fs_writer_write_row(struct fs_writer *w, const struct fs_row *row);

/*
 * A record's text made ahead of writing (numbers by common/numfmt.h, not
 * stdio): every column but the in-order ones (fs_column), which are the
 * writer's to add. Zero it before its first use.
 */
struct fs_record_text {
	char *p;
	size_t len, cap;
	size_t split; /* where the in-order columns go */
	bool failed;  /* out of memory */
};

/*
 * row's record, but for its in-order columns, into t. It reads only what
 * w's open fixed, so threads may make records for one writer at once.
 */
void fs_writer_format(const struct fs_writer *w, const struct fs_row *row,
		      struct fs_record_text *t);
/*
 * Writes the record fs_writer_format made of row, its in-order columns
 * added from row; records must come in their order. As fs_writer_write_row.
 */
int fs_writer_write_text(struct fs_writer *w, const struct fs_row *row,
			 const struct fs_record_text *t);
void fs_record_text_free(struct fs_record_text *t);
/* Flush, sync and rename into place (append mode: close); frees w. 0, or -1 after printing why. */
int fs_writer_commit(struct fs_writer *w);
/* Drop the temporary file (append mode: the file, if this run made it and wrote nothing); frees w.
 */
void fs_writer_abort(struct fs_writer *w);

#endif /* FS_RECORD_WRITER_H */
