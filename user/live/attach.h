/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Putting the kernel program on an interface and taking it off again: XDP by
 * a BPF link, or into libxdp's dispatcher where one is in use
 * (xdp_dispatcher.h); TC (clsact) by netlink with a fixed handle (libbpf 1.1
 * has no TCX); and the maps pinned under /sys/fs/bpf/flowscope/IFACE/.
 */
#ifndef FS_ATTACH_H
#define FS_ATTACH_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>

#include "flow.h"
#include "engine/engine_kernel.h"

struct flowscope_bpf;

enum fs_hook_set {
	FS_HOOKS_TC,   /* TC ingress + egress: both directions of the host's traffic */
	FS_HOOKS_XDP,  /* XDP only: what the interface receives */
	FS_HOOKS_BOTH, /* XDP for ingress + TC egress: each packet once */
};

enum fs_xdp_mode {
	FS_XDP_NATIVE,	/* the driver's XDP, falling back to generic with a message */
	FS_XDP_GENERIC, /* the kernel's generic (skb) XDP */
};

/* How to attach: the choices of `flowscope attach`. */
struct fs_attach_options {
	enum fs_hook_set hooks;
	enum fs_xdp_mode xdp_mode;
	/* Go through libxdp's dispatcher even when the interface has none yet. */
	bool xdp_dispatcher;
};

#define FS_PIN_ROOT "/sys/fs/bpf/flowscope"
#define FS_RUN_DIR  "/run/flowscope"

struct fs_attachment {
	char ifname[IF_NAMESIZE];
	int ifindex;
	enum fs_hook_set hooks;
	int xdp_link_fd;     /* -1 when XDP is not in use or goes through the dispatcher */
	bool xdp_dispatcher; /* our XDP program is in libxdp's dispatcher */
	bool xdp_generic;
	bool tc_ingress;
	bool tc_egress;
	bool pinned;
	int lock_fd; /* flock on FS_RUN_DIR/IFACE.lock: one flowscope per interface */
	char pin_dir[PATH_MAX];
};

/* Attach skel's programs to ifname; replaces what a killed run left. */
int fs_attach(struct fs_attachment *a, struct flowscope_bpf *skel, const char *ifname,
	      const struct fs_attach_options *opt);
/* Pin skel's maps under FS_PIN_ROOT/IFACE/, replacing stale pins. */
int fs_pin_maps(struct fs_attachment *a, struct flowscope_bpf *skel);
/*
 * Take the programs off the interface, keeping the maps. Packets already in
 * a program may still be counted until fs_wait_for_programs() returns.
 */
void fs_unhook(struct fs_attachment *a);
/* Wait until no program taken off by fs_unhook() is still running. */
void fs_wait_for_programs(void);
/* Undo fs_attach (and the pins, unless keep_pins). */
void fs_detach(struct fs_attachment *a, bool keep_pins);
/* `flowscope detach`: remove flowscope's hooks and pins from ifname, whoever set them. */
int fs_detach_interface(const char *ifname);
/* Mount bpffs at /sys/fs/bpf if nothing is mounted there. */
int fs_ensure_bpffs(void);

/* For status: what flowscope has on ifname. */
struct fs_hook_status {
	unsigned int xdp_prog_id;	/* 0: none of flowscope's */
	unsigned int xdp_dispatcher_id; /* libxdp's dispatcher holding it, or 0 */
	unsigned int tc_ingress_prog_id;
	unsigned int tc_egress_prog_id;
};
void fs_query_hooks(int ifindex, struct fs_hook_status *st);

/* What a run attached to an interface shows through its pins; zeros where a pin is missing. */
struct fs_pinned_state {
	__u64 flows_used; /* entries in the flow table */
	__u32 flows_max;
	__u64 counters[FS_CNT_MAX];
	struct fs_class_counts classes; /* the kernel model's verdicts; none without one */
};
void fs_read_pins(const char *ifname, struct fs_pinned_state *st);

#endif /* FS_ATTACH_H */
