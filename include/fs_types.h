/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What lets include/ compile both as BPF (against vmlinux.h) and as plain
 * user-space C: fixed-width types, always_inline and byte-order loads.
 */
#ifndef FS_TYPES_H
#define FS_TYPES_H

#ifdef __bpf__
/* vmlinux.h, included first by every BPF object, provides __u8..__u64. */
#else
#include <linux/types.h>
#include <string.h>
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* Loops over headers are unrolled: the verifier wants bounded, flat code. */
#if defined(__clang__)
#define FS_UNROLL _Pragma("unroll")
#else
#define FS_UNROLL _Pragma("GCC unroll 16")
#endif

/* Packet fields are read byte by byte: no alignment or endianness traps. */
static __always_inline __u16 fs_load_be16(const __u8 *p)
{
	return (__u16)((__u16)p[0] << 8 | p[1]);
}

static __always_inline __u32 fs_load_be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

#endif /* FS_TYPES_H */
