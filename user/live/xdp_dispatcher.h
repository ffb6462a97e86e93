/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Sharing an interface's XDP hook with other programs through libxdp's
 * dispatcher (xdp-loader, xdp-filter and anything else built on libxdp).
 *
 * A dispatcher is one XDP program whose slots other programs replace with
 * freplace (BPF_PROG_TYPE_EXT) links, pinned under /sys/fs/bpf/xdp/. A
 * program joins by being loaded as EXT against a new dispatcher that libxdp
 * builds with one slot more; so our XDP program is loaded a second time, in a
 * twin of the engine's skeleton that shares the engine's maps. The pinned
 * link keeps it there; flowscope finds it again by its name.
 */
#ifndef FS_XDP_DISPATCHER_H
#define FS_XDP_DISPATCHER_H

#include <stdbool.h>

struct flowscope_bpf;

/* The XDP program's name in bpf/flowscope.bpf.c: how a killed run's program is found again. */
#define FS_XDP_PROG_NAME "flowscope_xdp"
/* Run before the other programs, so flowscope counts what arrives, not what they let through. */
#define FS_XDP_RUN_PRIO 10

/* Is a libxdp dispatcher attached to ifindex? Sets *generic to its mode. */
bool fs_xdp_dispatcher_present(int ifindex, bool *generic);
/*
 * Put skel's XDP program into the dispatcher on ifindex, or into a new one
 * when there is none. Returns 0 when it is in, 1 when this kernel cannot
 * run a dispatcher (it refuses freplace programs: nothing is left attached),
 * or a negative error.
 */
int fs_xdp_dispatcher_join(struct flowscope_bpf *skel, int ifindex, bool generic);
/* The text of a negative error fs_xdp_dispatcher_join returned. */
const char *fs_xdp_strerror(int err);
/*
 * Take every flowscope program out of ifindex's dispatcher, the others
 * staying; or take flowscope's program off the hook if it is there alone.
 */
void fs_xdp_dispatcher_remove_ours(int ifindex);
/* flowscope's program id in ifindex's dispatcher, or 0; *dispatcher_id gets the dispatcher's. */
unsigned int fs_xdp_dispatcher_our_prog(int ifindex, unsigned int *dispatcher_id);

#endif /* FS_XDP_DISPATCHER_H */
