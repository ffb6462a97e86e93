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
#include "common/util.h"

struct fs_writer {
	FILE *f;    /* replay: the temporary file, or stdout */
	int fd;	    /* append mode: each record is one write() here; else -1 */
	FILE *line; /* one record is formatted here first */
	char *line_buf;
	size_t line_size;
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

static int open_line(struct fs_writer *w, const struct fs_output *out)
{
	w->format = out->format;
	if (fs_schema_init(&w->schema, out->features, out->model) < 0)
		return -1;
	w->line = open_memstream(&w->line_buf, &w->line_size);
	if (!w->line) {
		fs_schema_free(&w->schema);
		return -1;
	}
	return 0;
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
	return w;
fail:
	fs_schema_free(&w->schema);
	fclose(w->line);
	free(w->line_buf);
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

static void write_csv_header(FILE *f, const struct fs_schema *s)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		fprintf(f, "%s%s", i ? "," : "", s->cols[i].name);
	fputc('\n', f);
}

static void write_csv_value(FILE *f, const struct fs_value *v)
{
	switch (v->kind) {
	case FS_VAL_UINT:
		fprintf(f, "%llu", (unsigned long long)v->uint);
		break;
	case FS_VAL_REAL:
		fprintf(f, "%.10g", isfinite(v->real) ? v->real : 0.0);
		break;
	case FS_VAL_TEXT:
		fputs(v->text, f); /* addresses, times, names: never a comma or quote */
		break;
	}
}

static void write_json_value(FILE *f, const struct fs_value *v)
{
	const char *c;

	if (v->kind != FS_VAL_TEXT) {
		write_csv_value(f, v);
		return;
	}
	fputc('"', f);
	for (c = v->text; *c; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', f);
		fputc(*c, f);
	}
	fputc('"', f);
}

static void format_record(FILE *f, enum fs_format format, const struct fs_schema *s,
			  const struct fs_row *row)
{
	struct fs_value v;
	unsigned int i;

	if (format == FS_FORMAT_JSON)
		fputc('{', f);
	for (i = 0; i < s->n; i++) {
		fs_schema_value(s, i, row, &v);
		if (format == FS_FORMAT_JSON) {
			fprintf(f, "%s\"%s\":", i ? "," : "", s->cols[i].name);
			write_json_value(f, &v);
		} else {
			if (i)
				fputc(',', f);
			write_csv_value(f, &v);
		}
	}
	fputs(format == FS_FORMAT_JSON ? "}\n" : "\n", f);
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

int fs_writer_write_row(struct fs_writer *w, const struct fs_row *row)
{
	int err;

	rewind(w->line);
	if (w->records == 0 && w->format == FS_FORMAT_CSV)
		write_csv_header(w->line, &w->schema);
	format_record(w->line, w->format, &w->schema, row);
	if (fflush(w->line) != 0)
		return -ENOMEM;
	w->line_size = (size_t)ftello(w->line);
	if (w->fd >= 0)
		err = write_all(w->fd, w->line_buf, w->line_size);
	else
		err = fwrite(w->line_buf, 1, w->line_size, w->f) == w->line_size ? 0 : -1;
	w->records++;
	if (err) {
		w->failed = errno ? errno : EIO;
		report(w, w->failed);
		return -EIO;
	}
	return 0;
}

static void writer_free(struct fs_writer *w)
{
	fs_schema_free(&w->schema);
	fclose(w->line);
	free(w->line_buf);
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
	if (w->records == 0 && w->format == FS_FORMAT_CSV)
		write_csv_header(w->f, &w->schema);
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
