// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/record_columns.h"
#include "output/record_writer.h"
#include "common/numfmt.h"
#include "common/util.h"

/* replay's records reach the file in blocks of this size: one write(2) each. */
#define WRITE_BLOCK (1 << 20)

struct fs_writer {
	FILE *f;		    /* replay: the temporary file, or stdout */
	int fd;			    /* append mode: each record is one write() here; else -1 */
	struct fs_record_text line; /* one record is put together here first */
	struct fs_record_text made; /* fs_writer_write_row's record, made in place */
	char **json_keys;	    /* per column: {"name": for the first, ,"name": after */
	enum fs_format format;
	struct fs_schema schema;
	char *path;	/* final name, NULL for stdout */
	char *tmp_path; /* where it is written until commit */
	__u64 records;
	bool created; /* append mode: this run made the file */
	int failed;
	int reported; /* the failure has been printed */
};

/* Prints "flowscope: FILE: write failed: why", once per writer. */
static int report(struct fs_writer *w, int err)
{
	if (!w->reported)
		fs_err(w->path ? w->path : "stdout", "write failed: %s", strerror(err));
	w->reported = 1;
	return -1;
}

static void free_json_keys(struct fs_writer *w)
{
	unsigned int i;

	for (i = 0; w->json_keys && i < w->schema.n; i++)
		free(w->json_keys[i]);
	free(w->json_keys);
	w->json_keys = NULL;
}

static int open_line(struct fs_writer *w, const struct fs_output *out)
{
	unsigned int i;

	w->format = out->format;
	if (fs_schema_init(&w->schema, out->features, out->model) < 0)
		return -1;
	w->line.cap = 4096;
	w->line.p = malloc(w->line.cap);
	w->json_keys = calloc(w->schema.n, sizeof(*w->json_keys));
	if (!w->line.p || !w->json_keys)
		goto fail;
	for (i = 0; i < w->schema.n; i++)
		if (asprintf(&w->json_keys[i], "%s\"%s\":", i ? "," : "{", w->schema.cols[i].name) <
		    0) {
			w->json_keys[i] = NULL;
			goto fail;
		}
	return 0;
fail:
	free_json_keys(w);
	free(w->line.p);
	fs_schema_free(&w->schema);
	return -1;
}

/* Room for n more bytes; false (and the line marked failed) without memory. */
static bool room(struct fs_record_text *l, size_t n)
{
	char *p;

	if (l->len + n <= l->cap)
		return true;
	p = realloc(l->p, 2 * (l->len + n));
	if (!p) {
		l->failed = true;
		return false;
	}
	l->p = p;
	l->cap = 2 * (l->len + n);
	return true;
}

static void put(struct fs_record_text *l, const char *s, size_t n)
{
	if (room(l, n)) {
		memcpy(l->p + l->len, s, n);
		l->len += n;
	}
}

static void put_str(struct fs_record_text *l, const char *s)
{
	put(l, s, strlen(s));
}

static void put_char(struct fs_record_text *l, char c)
{
	put(l, &c, 1);
}

struct fs_writer *fs_writer_open(const char *path, const struct fs_output *out)
{
	struct fs_writer *w = calloc(1, sizeof(*w));
	int fd;

	if (!w)
		return NULL;
	w->fd = -1;
	if (open_line(w, out) < 0) {
		free(w);
		return NULL;
	}
	if (!path || strcmp(path, "-") == 0) {
		w->f = stdout;
		setvbuf(w->f, NULL, _IOFBF, WRITE_BLOCK);
		return w;
	}
	w->path = strdup(path);
	if (!w->path)
		goto fail;
	fd = fs_tmpfile_create(path, &w->tmp_path);
	if (fd < 0) {
		fs_err(path, "cannot create output file: %s", strerror(errno));
		goto fail;
	}
	w->f = fdopen(fd, "w");
	if (!w->f) {
		close(fd);
		unlink(w->tmp_path);
		goto fail;
	}
	setvbuf(w->f, NULL, _IOFBF, WRITE_BLOCK);
	return w;
fail:
	free_json_keys(w);
	fs_schema_free(&w->schema);
	free(w->line.p);
	free(w->tmp_path);
	free(w->path);
	free(w);
	return NULL;
}

struct fs_writer *fs_writer_open_append(const char *path, const struct fs_output *out)
{
	struct fs_writer *w = calloc(1, sizeof(*w));
	struct stat st;

	if (!w)
		return NULL;
	if (!path || strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
	} else {
		w->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		w->created = w->fd >= 0;
		if (w->fd < 0 && errno == EEXIST)
			w->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	}
	if (w->fd < 0 || open_line(w, out) < 0) {
		fs_err(path, "cannot open output file: %s", strerror(errno));
		if (w->fd > STDOUT_FILENO)
			close(w->fd);
		free(w);
		return NULL;
	}
	if (w->fd != STDOUT_FILENO)
		w->path = strdup(path);
	/* A file that already has records has its header too. */
	if (fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		w->records = 1;
	return w;
}

static void write_csv_header(struct fs_record_text *l, const struct fs_schema *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		if (i)
			put_char(l, ',');
		put_str(l, s->cols[i].name);
	}
	put_char(l, '\n');
}

static void write_csv_value(struct fs_record_text *l, const struct fs_value *v)
{
	if (v->kind == FS_VAL_TEXT) {
		put_str(l, v->text); /* addresses, times, names: never a comma or quote */
		return;
	}
	if (!room(l, FS_NUM_MAX))
		return;
	if (v->kind == FS_VAL_UINT)
		l->len += fs_fmt_u64(l->p + l->len, v->uint);
	else
		l->len += fs_fmt_g10(l->p + l->len, isfinite(v->real) ? v->real : 0.0);
}

static void write_json_value(struct fs_record_text *l, const struct fs_value *v)
{
	const char *c;

	if (v->kind != FS_VAL_TEXT) {
		write_csv_value(l, v);
		return;
	}
	put_char(l, '"');
	for (c = v->text; *c; c++) {
		if (*c == '"' || *c == '\\')
			put_char(l, '\\');
		put_char(l, *c);
	}
	put_char(l, '"');
}

/* Columns [from, to) of row's record, each after its separator or key. */
static void format_columns(const struct fs_writer *w, const struct fs_row *row, unsigned int from,
			   unsigned int to, struct fs_record_text *l)
{
	const struct fs_schema *s = &w->schema;
	struct fs_value v;
	unsigned int i;

	for (i = from; i < to; i++) {
		fs_schema_value(s, i, row, &v);
		if (w->format == FS_FORMAT_JSON) {
			put_str(l, w->json_keys[i]);
			write_json_value(l, &v);
		} else {
			if (i)
				put_char(l, ',');
			write_csv_value(l, &v);
		}
	}
}

void fs_writer_format(const struct fs_writer *w, const struct fs_row *row, struct fs_record_text *t)
{
	const struct fs_schema *s = &w->schema;

	t->len = 0;
	t->failed = false;
	format_columns(w, row, 0, s->in_order_from, t);
	t->split = t->len;
	format_columns(w, row, s->in_order_to, s->n, t);
	put_str(t, w->format == FS_FORMAT_JSON ? "}\n" : "\n");
}

void fs_record_text_free(struct fs_record_text *t)
{
	free(t->p);
	memset(t, 0, sizeof(*t));
}

/*
 * Every byte of buf with one write(): O_APPEND keeps a record whole. A disk
 * that fills up can take part of it; that part is cut off again, so the file
 * ends with a whole record (a pipe or terminal cannot be cut: it has no end).
 */
static int write_all(int fd, const char *buf, size_t len)
{
	off_t start = lseek(fd, 0, SEEK_END);
	ssize_t n;
	int err;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : ENOSPC;
			if (start >= 0 && ftruncate(fd, start) < 0)
				err = errno;
			errno = err;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The record in w->line to the file, or -errno. */
static int write_line(struct fs_writer *w)
{
	int err;

	if (w->line.failed)
		return -ENOMEM;
	if (w->fd >= 0)
		err = write_all(w->fd, w->line.p, w->line.len);
	else
		err = fwrite(w->line.p, 1, w->line.len, w->f) == w->line.len ? 0 : -1;
	w->records++;
	if (err) {
		w->failed = errno ? errno : EIO;
		report(w, w->failed);
		return -EIO;
	}
	return 0;
}

int fs_writer_write_text(struct fs_writer *w, const struct fs_row *row,
			 const struct fs_record_text *t)
{
	const struct fs_schema *s = &w->schema;
	struct fs_record_text *l = &w->line;

	if (t->failed)
		return -ENOMEM;
	l->len = 0;
	if (w->records == 0 && w->format == FS_FORMAT_CSV)
		write_csv_header(l, s);
	put(l, t->p, t->split);
	format_columns(w, row, s->in_order_from, s->in_order_to, l);
	put(l, t->p + t->split, t->len - t->split);
	return write_line(w);
}

int fs_writer_write_row(struct fs_writer *w, const struct fs_row *row)
{
	fs_writer_format(w, row, &w->made);
	return fs_writer_write_text(w, row, &w->made);
}

static void writer_free(struct fs_writer *w)
{
	free_json_keys(w);
	fs_schema_free(&w->schema);
	free(w->line.p);
	fs_record_text_free(&w->made);
	free(w->path);
	free(w->tmp_path);
	free(w);
}

int fs_writer_commit(struct fs_writer *w)
{
	int err = 0, ret;

	if (w->fd >= 0) {
		err = w->failed;
		if (w->fd != STDOUT_FILENO && close(w->fd) != 0 && !err)
			err = errno;
		ret = err ? report(w, err) : 0;
		writer_free(w);
		return ret;
	}
	/* An empty CSV still gets its header: readers expect the columns. */
	if (w->records == 0 && w->format == FS_FORMAT_CSV) {
		w->line.len = 0;
		write_csv_header(&w->line, &w->schema);
		if (fwrite(w->line.p, 1, w->line.len, w->f) != w->line.len)
			w->failed = errno ? errno : EIO;
	}
	if (fflush(w->f) != 0 || ferror(w->f) || w->failed)
		err = errno ? errno : (w->failed ? w->failed : EIO);
	if (w->path) {
		if (!err && fsync(fileno(w->f)) != 0)
			err = errno;
		if (fclose(w->f) != 0 && !err)
			err = errno;
		err = fs_tmpfile_finish(w->tmp_path, w->path, err);
	}
	ret = err ? report(w, err) : 0;
	writer_free(w);
	return ret;
}

void fs_writer_abort(struct fs_writer *w)
{
	if (!w)
		return;
	if (w->fd > STDOUT_FILENO) {
		close(w->fd);
		if (w->created && w->records == 0)
			unlink(w->path);
	} else if (w->path) {
		fclose(w->f);
		unlink(w->tmp_path);
	}
	writer_free(w);
}
