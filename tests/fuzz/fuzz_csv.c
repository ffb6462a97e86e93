// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Feature CSV reading (train --csv): the bytes are a CSV of labelled flows,
 * ours or CICFlowMeter's. The first byte picks the label and group columns.
 */
#include <stdlib.h>

#include "input.h"
#include "train/training_csv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const labels[] = {"Label", "label", "class", "src_port"};
	static const char *const groups[] = {NULL, "Flow ID", "src_ip", "Label"};
	struct fs_training_set ts;
	struct fs_csv_classes classes;
	int features[FS_F_MAX];
	size_t i;

	if (size < 1)
		return -1;
	if (fs_training_set_from_csv(&ts, features, fuzz_input_path(data + 1, size - 1),
				     labels[data[0] & 3], groups[(data[0] >> 2) & 3], &classes) < 0)
		return 0;
	for (i = 0; i < ts.n; i++) {
		if (ts.label[i] < 0 || (unsigned int)ts.label[i] >= classes.n)
			abort();
	}
	fs_training_set_free(&ts);
	fs_csv_classes_free(&classes);
	return 0;
}
