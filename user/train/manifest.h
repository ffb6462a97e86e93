/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A manifest of labelled captures: a TSV file with a header naming at least
 * the columns `file` and `class` (others are ignored), one capture per line,
 * paths relative to the manifest's directory. ../shared/pcaps/MANIFEST.tsv
 * is one.
 */
#ifndef FS_MANIFEST_H
#define FS_MANIFEST_H

#include <stddef.h>

struct fs_manifest_entry {
	char *path; /* resolved against the manifest's directory */
	char *name; /* as written */
	int label;  /* index into classes */
};

struct fs_manifest {
	struct fs_manifest_entry *entries;
	size_t n;
	char **classes; /* in order of first appearance */
	unsigned int nclasses;
};

/* 0, or -1 after printing "flowscope: PATH: line N: what is wrong". */
int fs_manifest_load(struct fs_manifest *m, const char *path);
void fs_manifest_free(struct fs_manifest *m);
/* The index of class name, or -1. */
int fs_manifest_class(const struct fs_manifest *m, const char *name);
/* The index of class name, added after the others if new; -1 without memory. */
int fs_manifest_add_class(struct fs_manifest *m, const char *name);

#endif /* FS_MANIFEST_H */
