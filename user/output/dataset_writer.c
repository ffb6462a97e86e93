// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hdf5.h>

#include "output/dataset_writer.h"
#include "features/flow_features.h"
#include "common/lazylib.h"
#include "common/util.h"

/*
 * HDF5, loaded by the first HDF5 dataset (common/lazylib.h says why): the
 * functions called here, and the type and class ids its header's macros
 * name (H5T_NATIVE_UINT8 is H5T_NATIVE_UINT8_g once H5open() has run).
 * Its header's H5check() is left out: it aborts the process on a release
 * other than the header's, where the soname already promises the interface.
 */
/* clang-format off */
#define HDF5_API(X) \
	X(H5open) \
	X(H5Eset_auto2) \
	X(H5Fcreate) \
	X(H5Fflush) \
	X(H5Fclose) \
	X(H5Dcreate2) \
	X(H5Dwrite) \
	X(H5Dset_extent) \
	X(H5Dget_space) \
	X(H5Dclose) \
	X(H5Screate_simple) \
	X(H5Sselect_hyperslab) \
	X(H5Sclose) \
	X(H5Pcreate) \
	X(H5Pset_chunk) \
	X(H5Pset_deflate) \
	X(H5Pclose) \
	X(H5Tcopy) \
	X(H5Tset_size) \
	X(H5Tset_cset) \
	X(H5Tclose) \
	X(H5T_C_S1_g) \
	X(H5T_NATIVE_DOUBLE_g) \
	X(H5T_NATIVE_UINT8_g) \
	X(H5P_CLS_DATASET_CREATE_ID_g)
/* clang-format on */

_Static_assert(sizeof(FS_HDF5_SONAME) > 1,
	       "the Makefile found no HDF5 library to read a soname from");

static struct {
	HDF5_API(FS_LAZY_MEMBER)
} h5;

/* 0 once HDF5 is loaded and started, else -1 after a line naming path. */
static int hdf5_load(const char *path)
{
	static const char *const names[] = {HDF5_API(FS_LAZY_NAME)};
#define SLOT(name) (void **)&h5.name,
	void **slots[] = {HDF5_API(SLOT)};
#undef SLOT
	static void *lib;

	if (lib)
		return 0;
	if (fs_lazy_load(FS_HDF5_SONAME, "HDF5 output", path, names, slots, FS_ARRAY_SIZE(names),
			 &lib) < 0)
		return -1;
	if (h5.H5open() < 0) {
		fs_err(path, "%s would not start", FS_HDF5_SONAME);
		dlclose(lib);
		lib = NULL;
		return -1;
	}
	h5.H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* we report errors ourselves */
	return 0;
}

/* H5F_ACC_TRUNC, without its macro's calls of H5check() and H5open(). */
#define HDF5_ACC_TRUNC 0x0002u

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
	hid_t space = h5.H5Screate_simple(rank, dims, max);
	hid_t dcpl = h5.H5Pcreate(*h5.H5P_CLS_DATASET_CREATE_ID_g);
	hid_t ds;

	h5.H5Pset_chunk(dcpl, rank, chunk);
	h5.H5Pset_deflate(dcpl, 4);
	ds = h5.H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	h5.H5Pclose(dcpl);
	h5.H5Sclose(space);
	return ds;
}

static hid_t string_type(void)
{
	hid_t t = h5.H5Tcopy(*h5.H5T_C_S1_g);

	h5.H5Tset_size(t, H5T_VARIABLE);
	h5.H5Tset_cset(t, H5T_CSET_UTF8);
	return t;
}

static int write_vector(hid_t file, const char *name, hid_t type, hsize_t n, const void *data)
{
	hid_t space = h5.H5Screate_simple(1, &n, NULL);
	hid_t ds = h5.H5Dcreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
	herr_t err = ds < 0 ? -1 : h5.H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);

	if (ds >= 0)
		h5.H5Dclose(ds);
	h5.H5Sclose(space);
	return err < 0 ? -1 : 0;
}

static int hdf5_open(struct fs_dataset *d)
{
	const struct fs_scaler *s = d->scaler;
	const char **names = calloc(s->n, sizeof(*names));
	hid_t str = string_type();
	unsigned int i;
	int err;

	d->file = h5.H5Fcreate(d->tmp_path, HDF5_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
	d->batch = malloc((size_t)BATCH_ROWS * s->n);
	if (d->file < 0 || !names || !d->batch) {
		free(names);
		h5.H5Tclose(str);
		return -1;
	}
	for (i = 0; i < s->n; i++)
		names[i] = fs_feature_defs[s->features[i]].name;
	err = write_vector(d->file, "columns", str, s->n, names);
	err |= write_vector(d->file, "scaler_min", *h5.H5T_NATIVE_DOUBLE_g, s->n, s->min);
	err |= write_vector(d->file, "scaler_max", *h5.H5T_NATIVE_DOUBLE_g, s->n, s->max);
	d->features = growing_dataset(d->file, "features", *h5.H5T_NATIVE_UINT8_g, s->n);
	d->labels = d->label ? growing_dataset(d->file, "label", str, 0) : H5I_INVALID_HID;
	free(names);
	h5.H5Tclose(str);
	return err || d->features < 0 || (d->label && d->labels < 0) ? -1 : 0;
}

/* Append rows [0, n) of data to a growing dataset of the given width (0: 1-D). */
static int append(hid_t ds, hid_t type, hsize_t at, hsize_t n, hsize_t width, const void *data)
{
	hsize_t size[2] = {at + n, width}, start[2] = {at, 0}, count[2] = {n, width};
	int rank = width ? 2 : 1;
	hid_t file_space, mem_space;
	herr_t err;

	if (h5.H5Dset_extent(ds, size) < 0)
		return -1;
	file_space = h5.H5Dget_space(ds);
	h5.H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL);
	mem_space = h5.H5Screate_simple(rank, count, NULL);
	err = h5.H5Dwrite(ds, type, mem_space, file_space, H5P_DEFAULT, data);
	h5.H5Sclose(mem_space);
	h5.H5Sclose(file_space);
	return err < 0 ? -1 : 0;
}

static int hdf5_flush(struct fs_dataset *d)
{
	hsize_t at = d->rows - d->batched;
	int err = 0;

	if (!d->batched)
		return 0;
	err = append(d->features, *h5.H5T_NATIVE_UINT8_g, at, d->batched, d->scaler->n, d->batch);
	if (!err && d->label) {
		const char **labels = malloc(d->batched * sizeof(*labels));
		hid_t str = string_type();
		unsigned int i;

		for (i = 0; labels && i < d->batched; i++)
			labels[i] = d->label;
		err = labels ? append(d->labels, str, at, d->batched, 0, labels) : -1;
		free(labels);
		h5.H5Tclose(str);
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
	if (!d->path || (format == FS_DATASET_HDF5 && hdf5_load(path) < 0))
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
		h5.H5Dclose(d->labels);
	if (d->features >= 0)
		h5.H5Dclose(d->features);
	if (d->file >= 0)
		h5.H5Fclose(d->file);
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
		err = hdf5_flush(d) < 0 || h5.H5Fflush(d->file, H5F_SCOPE_GLOBAL) < 0;
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
