/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Confusion matrices, per-class precision, recall and F1, and macro-F1. */
#ifndef FS_METRICS_H
#define FS_METRICS_H

#include <stdio.h>
#include <linux/types.h>

struct fs_confusion {
	unsigned int n;
	__u64 *cells; /* n rows (truth) x n + 1 columns (predicted; the last: no class) */
};

int fs_confusion_init(struct fs_confusion *c, unsigned int nclasses);
/* Rows of truth k, whatever was said (none too); rows said to be k. */
__u64 fs_confusion_row_sum(const struct fs_confusion *c, unsigned int k);
__u64 fs_confusion_column_sum(const struct fs_confusion *c, unsigned int k);
void fs_confusion_free(struct fs_confusion *c);
/* predicted -1: the classifier gave no class (an unmapped cluster). */
void fs_confusion_add(struct fs_confusion *c, int truth, int predicted);
double fs_confusion_precision(const struct fs_confusion *c, unsigned int k);
double fs_confusion_recall(const struct fs_confusion *c, unsigned int k);
double fs_confusion_f1(const struct fs_confusion *c, unsigned int k);
/* Mean F1 over the classes that occur in the truth. */
double fs_confusion_macro_f1(const struct fs_confusion *c);
__u64 fs_confusion_total(const struct fs_confusion *c);
/* The share of the total on the diagonal; 0 when empty. */
double fs_confusion_accuracy(const struct fs_confusion *c);
void fs_confusion_print(FILE *f, const struct fs_confusion *c, char *const *names,
			const char *title);

#endif /* FS_METRICS_H */
