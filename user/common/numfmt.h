/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Numbers as text, without printf: records hold some 200 of them, and
 * libc's float formatting was half of what a replay cost. Each function
 * writes what printf would, byte for byte, and returns the length; buf needs
 * FS_NUM_MAX bytes, and bytes past the length returned may be overwritten.
 * No terminating NUL.
 */
#ifndef FS_NUMFMT_H
#define FS_NUMFMT_H

#include <stddef.h>
#include <linux/types.h>

#define FS_NUM_MAX 32

/* printf("%llu", v) */
size_t fs_fmt_u64(char *buf, __u64 v);
/*
 * printf("%.10g", v): ten significant digits, correctly rounded as glibc
 * does. A value whose eleventh digit onwards is within a hair of one half
 * (or that is not finite) is left to snprintf, which is exact: the fast
 * path's scaling is good to about 1e-18, so it decides only what it is sure
 * of (tests/unit/test_numfmt.c compares the two over millions of values).
 */
size_t fs_fmt_g10(char *buf, double v);

#endif /* FS_NUMFMT_H */
