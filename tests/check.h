/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* For the C tests of the BPF program: CHECK reports a failure and goes on. */
#ifndef FS_TEST_CHECK_H
#define FS_TEST_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

#endif /* FS_TEST_CHECK_H */
