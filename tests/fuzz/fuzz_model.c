// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Model file loading. A model ends in a CRC-32 of its text, so random bytes
 * would almost never get past the check: when the first byte is odd, the
 * rest is taken as a model's body and given a correct "end" line, and the
 * parser behind the check is fuzzed. A model that loads is then used on a
 * flow, as replay and attach would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "classify/classify.h"
#include "input.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* body followed by the "end CRC" line a saved model has. */
static char *with_checksum(const uint8_t *body, size_t size, size_t *out_size)
{
	char *buf = malloc(size + 16);

	if (!buf)
		abort();
	memcpy(buf, body, size);
	*out_size = size + (size_t)sprintf(buf + size, "end %08lx\n",
					   crc32(0L, (const Bytef *)body, (uInt)size));
	return buf;
}

static void classify_one_flow(const struct fs_model *m)
{
	struct fs_feature_vec f;
	struct fs_verdict v;
	int i;

	for (i = 0; i < FS_F_MAX; i++)
		f.v[i] = (double)i * 1.5;
	fs_classify(m, &f, &v);
	if (fs_verdict_class(&v) >= (int)m->nclasses)
		abort(); /* a class the model does not have */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_model m;
	char *checked = NULL;
	const char *path;
	size_t n;

	if (size < 1)
		return -1;
	if (data[0] & 1) {
		checked = with_checksum(data + 1, size - 1, &n);
		path = fuzz_input_path(checked, n);
	} else {
		path = fuzz_input_path(data + 1, size - 1);
	}
	if (fs_model_load(&m, path) == 0) {
		classify_one_flow(&m);
		fs_model_free(&m);
	}
	free(checked);
	return 0;
}
