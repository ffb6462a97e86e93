/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A report's inputs, told apart by their content: captures (pcap, pcapng),
 * and the records files `replay` and `attach` write, CSV or JSON lines,
 * read back into a report.
 */
#ifndef FS_RECORDS_FILE_H
#define FS_RECORDS_FILE_H

#include "report/report.h"

enum fs_input_kind {
	FS_INPUT_CAPTURE,
	FS_INPUT_CSV,
	FS_INPUT_JSON,
};

/* What path holds: 0 and *kind, or -1 after "flowscope: PATH: why". */
int fs_input_kind(const char *path, enum fs_input_kind *kind);
/*
 * Every record of a CSV or JSON lines records file into r. 0, or -1 after
 * "flowscope: PATH: line N: what is wrong" (a column the report needs
 * missing, a value that is not what its column holds).
 */
int fs_records_file_read(struct fs_report *r, const char *path, enum fs_input_kind kind);

#endif /* FS_RECORDS_FILE_H */
