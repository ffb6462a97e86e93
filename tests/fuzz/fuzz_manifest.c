// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Manifest reading: the bytes are a MANIFEST.tsv of labelled captures. */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "train/manifest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_manifest m;
	size_t i;

	if (fs_manifest_load(&m, fuzz_input_path(data, size), NULL) < 0)
		return 0;
	/* What training reads of each entry. */
	for (i = 0; i < m.n; i++) {
		if (m.entries[i].label < 0 || (unsigned int)m.entries[i].label >= m.nclasses ||
		    !m.entries[i].path || !m.entries[i].name)
			abort();
	}
	if (fs_manifest_add_class(&m, "other") < 0)
		abort();
	fs_manifest_free(&m);
	return 0;
}
