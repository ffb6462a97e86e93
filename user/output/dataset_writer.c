// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hdf5.h>

#include "output/dataset_writer.h"
#include "features/flow_features.h"
#include "common/util.h"

/* Rows buffered before each HDF5 write; also the chunk height. */
#define BATCH_ROWS 4096

struct fs_dataset {
	enum fs_dataset_format format;
	const struct fs_scaler *scaler;
	const char *label;
	char *path;
	char *tmp_path;
	__u64 rows;
	int failed;
	FILE *csv;
	/* HDF5 */
	hid_t file, features, labels;
	__u8 *batch;
	unsigned int batched;
};

static void csv_header(struct fs_dataset *d)
{
	unsigned int i;

	for (i = 0; i < d->scaler->n; i++)
		fprintf(d->csv, "%s%s", i ? "," : "", fs_feature_defs[d->scaler->features[i]].name);
	fputs(d->label ? ",label\n" : "\n", d->csv);
}

/* A dataset of rows that grows: [0 x width] now, chunks of BATCH_ROWS. */
static hid_t growing_dataset(hid_t file, const char *name, hid_t type, hsize_t width)
{
	hsize_t dims[2] = {0, width}, max[2] = {H5S_UNLIMITED, width},
		chunk[2] = {BATCH_ROWS, width};
	int rank = width ? 2 : 1;
	hid_t space = H5Screate_simple(rank, dims, max);
	hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
	hid_t ds;

	H5Pset_chunk(dcpl, rank, chunk);
	H5Pset_deflate(dcpl, 4);
	ds = H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	H5Pclose(dcpl);
	H5Sclose(space);
	return ds;
}

static hid_t string_type(void)
{
	hid_t t = H5Tcopy(H5T_C_S1);

	H5Tset_size(t, H5T_VARIABLE);
	H5Tset_cset(t, H5T_CSET_UTF8);
	return t;
}

static int write_vector(hid_t file, const char *name, hid_t type, hsize_t n, const void *data)
{
	hid_t space = H5Screate_simple(1, &n, NULL);
	hid_t ds = H5Dcreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
	herr_t err = ds < 0 ? -1 : H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);

	if (ds >= 0)
		H5Dclose(ds);
	H5Sclose(space);
	return err < 0 ? -1 : 0;
}

static int hdf5_open(struct fs_dataset *d)
{
	const struct fs_scaler *s = d->scaler;
	const char **names = calloc(s->n, sizeof(*names));
	hid_t str = string_type();
	unsigned int i;
	int err;

	d->file = H5Fcreate(d->tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
	d->batch = malloc((size_t)BATCH_ROWS * s->n);
	if (d->file < 0 || !names || !d->batch) {
		free(names);
		H5Tclose(str);
		return -1;
	}
	for (i = 0; i < s->n; i++)
		names[i] = fs_feature_defs[s->features[i]].name;
	err = write_vector(d->file, "columns", str, s->n, names);
	err |= write_vector(d->file, "scaler_min", H5T_NATIVE_DOUBLE, s->n, s->min);
	err |= write_vector(d->file, "scaler_max", H5T_NATIVE_DOUBLE, s->n, s->max);
	d->features = growing_dataset(d->file, "features", H5T_NATIVE_UINT8, s->n);
	d->labels = d->label ? growing_dataset(d->file, "label", str, 0) : H5I_INVALID_HID;
	free(names);
	H5Tclose(str);
	return err || d->features < 0 || (d->label && d->labels < 0) ? -1 : 0;
}

/* Append rows [0, n) of data to a growing dataset of the given width (0: 1-D). */
static int append(hid_t ds, hid_t type, hsize_t at, hsize_t n, hsize_t width, const void *data)
{
	hsize_t size[2] = {at + n, width}, start[2] = {at, 0}, count[2] = {n, width};
	int rank = width ? 2 : 1;
	hid_t file_space, mem_space;
	herr_t err;

	if (H5Dset_extent(ds, size) < 0)
		return -1;
	file_space = H5Dget_space(ds);
	H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL);
	mem_space = H5Screate_simple(rank, count, NULL);
	err = H5Dwrite(ds, type, mem_space, file_space, H5P_DEFAULT, data);
	H5Sclose(mem_space);
	H5Sclose(file_space);
	return err < 0 ? -1 : 0;
}

static int hdf5_flush(struct fs_dataset *d)
{
	hsize_t at = d->rows - d->batched;
	int err = 0;

	if (!d->batched)
		return 0;
	err = append(d->features, H5T_NATIVE_UINT8, at, d->batched, d->scaler->n, d->batch);
	if (!err && d->label) {
		const char **labels = malloc(d->batched * sizeof(*labels));
		hid_t str = string_type();
		unsigned int i;

		for (i = 0; labels && i < d->batched; i++)
			labels[i] = d->label;
		err = labels ? append(d->labels, str, at, d->batched, 0, labels) : -1;
		free(labels);
		H5Tclose(str);
	}
	d->batched = 0;
	return err;
}

struct fs_dataset *fs_dataset_open(const char *path, enum fs_dataset_format format,
				   const struct fs_scaler *scaler, const char *label)
{
	struct fs_dataset *d = calloc(1, sizeof(*d));
	int fd;

	if (!d)
		return NULL;
	d->format = format;
	d->scaler = scaler;
	d->label = label;
	d->file = d->features = d->labels = H5I_INVALID_HID;
	d->path = strdup(path);
	if (!d->path)
		goto fail;
	fd = fs_tmpfile_create(path, &d->tmp_path);
	if (fd < 0) {
		fs_err(path, "cannot create the dataset: %s", strerror(errno));
		goto fail;
	}
	if (format == FS_DATASET_CSV) {
		d->csv = fdopen(fd, "w");
		if (d->csv) {
			csv_header(d);
			return d;
		}
		close(fd);
	} else {
		close(fd);
		H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* we report errors ourselves */
		if (hdf5_open(d) == 0)
			return d;
	}
	fs_err(path, "cannot create the dataset");
	fs_dataset_abort(d);
	return NULL;
fail:
	free(d->tmp_path);
	free(d->path);
	free(d);
	return NULL;
}

int fs_dataset_add(struct fs_dataset *d, const __u8 *row)
{
	unsigned int i;

	d->rows++;
	if (d->format == FS_DATASET_CSV) {
		for (i = 0; i < d->scaler->n; i++)
			fprintf(d->csv, "%s%u", i ? "," : "", row[i]);
		if (d->label)
			fprintf(d->csv, ",%s", d->label);
		fputc('\n', d->csv);
		return 0;
	}
	memcpy(d->batch + (size_t)d->batched * d->scaler->n, row, d->scaler->n);
	if (++d->batched == BATCH_ROWS && hdf5_flush(d) < 0)
		d->failed = 1;
	return d->failed ? -1 : 0;
}

static void close_all(struct fs_dataset *d)
{
	if (d->csv)
		fclose(d->csv);
	if (d->labels >= 0)
		H5Dclose(d->labels);
	if (d->features >= 0)
		H5Dclose(d->features);
	if (d->file >= 0)
		H5Fclose(d->file);
	d->csv = NULL;
	d->file = d->features = d->labels = H5I_INVALID_HID;
}

static void dataset_free(struct fs_dataset *d)
{
	free(d->batch);
	free(d->tmp_path);
	free(d->path);
	free(d);
}

int fs_dataset_commit(struct fs_dataset *d)
{
	int err = d->failed;

	if (d->format == FS_DATASET_CSV) {
		if (fflush(d->csv) != 0 || ferror(d->csv) || fsync(fileno(d->csv)) != 0)
			err = 1;
	} else if (!err) {
		err = hdf5_flush(d) < 0 || H5Fflush(d->file, H5F_SCOPE_GLOBAL) < 0;
	}
	if (err)
		err = errno ? errno : -1; /* -1: HDF5 said no, without an errno */
	close_all(d);
	err = fs_tmpfile_finish(d->tmp_path, d->path, err);
	if (err)
		fs_err(d->path, "cannot write the dataset: %s",
		       err > 0 ? strerror(err) : "HDF5 error");
	dataset_free(d);
	return err ? -1 : 0;
}

void fs_dataset_abort(struct fs_dataset *d)
{
	if (!d)
		return;
	close_all(d);
	unlink(d->tmp_path);
	dataset_free(d);
}
