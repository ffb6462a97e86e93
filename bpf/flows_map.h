/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The flow table, as both kernel objects declare it: the packet programs
 * (flowscope.bpf.c) create it, and the drain programs (drain.bpf.c) are
 * loaded onto the same map (bpf_map__reuse_fd), so the two must agree.
 */
#ifndef FS_FLOWS_MAP_H
#define FS_FLOWS_MAP_H

#include "flow.h"

/* max_entries is set by the loader before load (bpf_map__set_max_entries). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FS_DEFAULT_MAX_FLOWS);
	__type(key, struct fs_flow_key);
	__type(value, struct fs_flow_entry);
} flows SEC(".maps");

#endif /* FS_FLOWS_MAP_H */
