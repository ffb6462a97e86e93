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

struct flowscope_bpf;
/*
 * The kernel model's nodes and class names into a loaded program's maps (its
 * config goes into the read-only data before the load). 0, or -1 after
 * printing why.
 */
int fs_engine_kernel_fill_model(struct flowscope_bpf *skel, const struct fs_km_forest *km);

/* The kernel model's verdicts so far: per class, its name and counts. */
struct fs_class_counts {
	unsigned int n; /* classes named: 0 without a kernel model */
	char names[FS_KM_MAX_CLASSES][FS_CLASS_NAME_MAX];
	struct fs_class_count count[FS_KM_MAX_CLASSES];
};
/* From the class_counts and class_names maps (the program's, or pinned ones). 0, or -errno. */
int fs_class_counts_read(int counts_fd, int names_fd, struct fs_class_counts *out);
/* The engine's own, as above. */
int fs_engine_kernel_class_counts(struct fs_engine *e, struct fs_class_counts *out);

#endif /* FS_ENGINE_KERNEL_H */
