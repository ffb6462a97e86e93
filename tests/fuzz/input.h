/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the fuzz targets share. flowscope reads its inputs by path, so each
 * target hands the fuzzer's bytes over as a file: one memfd, rewritten for
 * every input and opened by its /proc path, which costs no disk.
 */
#ifndef FS_FUZZ_INPUT_H
#define FS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The path of a file holding exactly data[0..size); aborts if it cannot. */
const char *fuzz_input_path(const void *data, size_t size);

/* Records go to stdout: send them nowhere, so only findings are printed. */
void fuzz_quiet_stdout(void);

#endif /* FS_FUZZ_INPUT_H */
