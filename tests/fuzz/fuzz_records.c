// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A records file read back by `flowscope report`: the bytes are a CSV or
 * JSON lines file of flows (told apart by content, as report does), and
 * the page is drawn from whatever was read.
 */
#include <stdlib.h>

#include "input.h"
#include "report/records_file.h"
#include "report/report.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_stdout();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_input_path(data, size);
	struct fs_report *r = fs_report_new();
	enum fs_input_kind kind;

	if (!r)
		abort();
	if (fs_input_kind(path, &kind) == 0 && kind != FS_INPUT_CAPTURE &&
	    fs_records_file_read(r, path, kind) == 0 && fs_report_write(r, "-") < 0)
		abort();
	fs_report_free(r);
	return 0;
}
