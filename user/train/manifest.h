/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A manifest of labelled captures: a TSV file with a header naming at least
 * the columns `file` and `class` (others are ignored unless named as the
 * group column), one capture per line,
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
	int group;  /* index into groups; without a group column, the entry's own index */
};

struct fs_manifest {
	struct fs_manifest_entry *entries;
	size_t n;
	char **classes; /* in order of first appearance */
	unsigned int nclasses;
	char **groups; /* the group column's values, in order of first appearance */
	unsigned int ngroups;
};

/*
 * group_column: the column whose values group captures (for cross-validation
 * folds that never split a group); NULL: each capture is its own group.
 * 0, or -1 after printing "flowscope: PATH: line N: what is wrong".
 */
int fs_manifest_load(struct fs_manifest *m, const char *path, const char *group_column);
void fs_manifest_free(struct fs_manifest *m);
/* The index of class name, or -1. */
int fs_manifest_class(const struct fs_manifest *m, const char *name);
/* The index of class name, added after the others if new; -1 without memory. */
int fs_manifest_add_class(struct fs_manifest *m, const char *name);

#endif /* FS_MANIFEST_H */
