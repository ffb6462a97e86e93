/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A training set from a feature CSV instead of captures: flowscope's own
 * records, its --format cic output, or CICFlowMeter CSVs as published for
 * CIC-IDS2017/2018. Columns are matched to features by name (ours,
 * CICFlowMeter's, or CIC-IDS2017's; surrounding spaces ignored); the others
 * are ignored. The label column names the class of each row. Rows are
 * grouped for validation by --group-column, or else in runs of
 * FS_CSV_GROUP_ROWS consecutive rows (published CSVs are in time order, so a
 * run keeps neighbouring flows together).
 */
#ifndef FS_TRAINING_CSV_H
#define FS_TRAINING_CSV_H

#include "train/training_set.h"

#define FS_CSV_GROUP_ROWS 1000

struct fs_csv_classes {
	char *names[64];
	unsigned int n;
};

/*
 * Fills ts (its features point into features, FS_F_MAX long) and the class
 * names. 0, or -1 after printing "flowscope: PATH: line N: what is wrong".
 */
int fs_training_set_from_csv(struct fs_training_set *ts, int *features, const char *path,
			     const char *label_column, const char *group_column,
			     struct fs_csv_classes *classes);
void fs_csv_classes_free(struct fs_csv_classes *c);

#endif /* FS_TRAINING_CSV_H */
