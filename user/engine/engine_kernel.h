/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What only the kernel engine has: the loaded BPF program (for attaching it
 * to interfaces), its ring buffer, and its per-CPU counters map.
 */
#ifndef FS_ENGINE_KERNEL_H
#define FS_ENGINE_KERNEL_H

#include "engine/engine.h"

struct flowscope_bpf;

struct fs_engine *fs_engine_kernel_create(const struct fs_engine_config *cfg);
/* The kernel engine's loaded program, for attaching it. */
struct flowscope_bpf *fs_engine_kernel_skel(struct fs_engine *e);
/* Deliver the kernel engine's ring buffer events, waiting up to timeout_ms. */
int fs_engine_kernel_poll(struct fs_engine *e, int timeout_ms);
/* Sum a counters map (the program's, or a pinned one) over all CPUs. */
int fs_counters_read(int fd, __u64 out[FS_CNT_MAX]);

#endif /* FS_ENGINE_KERNEL_H */
