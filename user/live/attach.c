// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/engine_kernel.h"
#include "live/attach.h"
#include "flow.h"
#include "common/util.h"
#include "live/xdp_dispatcher.h"
#include "kernel_model.h" /* the skeleton's rodata holds its config */
#include "flowscope.skel.h"

#define BPF_FS_MAGIC 0xcafe4a11
/* Our TC filter's place on the clsact hooks: found again by these after a crash. */
#define FS_TC_HANDLE   0xf10e
#define FS_TC_PRIORITY 1

static const char *const pinned_maps[] = {"flows", "counters", "events", "class_counts",
					  "class_names"};

int fs_ensure_bpffs(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL) == 0)
		return 0;
	return fs_err("/sys/fs/bpf",
		      "bpffs is not mounted and mounting it failed (%s); run "
		      "'mount -t bpf bpf /sys/fs/bpf'",
		      strerror(errno));
}

/* One flowscope per interface: a second would replace the first's TC filters. */
static int lock_interface(struct fs_attachment *a)
{
	char path[PATH_MAX];

	mkdir(FS_RUN_DIR, 0755);
	snprintf(path, sizeof(path), FS_RUN_DIR "/%s.lock", a->ifname);
	a->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (a->lock_fd < 0)
		return fs_err(path, "%s", strerror(errno));
	if (flock(a->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		close(a->lock_fd);
		a->lock_fd = -1;
		return fs_err(a->ifname, "another flowscope is attached to it; stop it first");
	}
	return 0;
}

/* The name and id of the program on ifindex's XDP hook, if any. */
static unsigned int xdp_hook_prog(int ifindex, char name[BPF_OBJ_NAME_LEN])
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd;

	if (bpf_xdp_query(ifindex, 0, &q) < 0 || !q.prog_id)
		return 0;
	fd = bpf_prog_get_fd_by_id(q.prog_id);
	snprintf(name, BPF_OBJ_NAME_LEN, "?");
	if (fd >= 0 && bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
		snprintf(name, BPF_OBJ_NAME_LEN, "%s", info.name);
	if (fd >= 0)
		close(fd);
	return q.prog_id;
}

static int attach_xdp_link(struct fs_attachment *a, struct flowscope_bpf *skel,
			   enum fs_xdp_mode mode)
{
	int prog_fd = bpf_program__fd(skel->progs.flowscope_xdp);
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	char other[BPF_OBJ_NAME_LEN];
	unsigned int other_id = xdp_hook_prog(a->ifindex, other);
	int fd = -1;

	if (other_id)
		return fs_err(a->ifname,
			      "XDP program %s (id %u) is attached, alone: flowscope replaces no "
			      "program it did not attach; use --hook tc, or load that program "
			      "through libxdp's dispatcher (xdp-loader) where the kernel allows it",
			      other, other_id);
	if (mode == FS_XDP_NATIVE) {
		opts.flags = XDP_FLAGS_DRV_MODE;
		fd = bpf_link_create(prog_fd, a->ifindex, BPF_XDP, &opts);
		if (fd < 0)
			fs_warn(a->ifname, "native XDP unavailable (%s); using generic XDP",
				strerror(errno));
	}
	if (fd < 0) {
		opts.flags = XDP_FLAGS_SKB_MODE;
		fd = bpf_link_create(prog_fd, a->ifindex, BPF_XDP, &opts);
		a->xdp_generic = true;
	}
	if (fd < 0)
		return fs_err(a->ifname, "cannot attach XDP: %s", strerror(errno));
	a->xdp_link_fd = fd;
	return 0;
}

/*
 * Into libxdp's dispatcher: an existing one in its own mode (the kernel has
 * one XDP mode per interface), a new one in the mode asked for.
 */
static int join_dispatcher(struct fs_attachment *a, struct flowscope_bpf *skel,
			   enum fs_xdp_mode mode, bool present, bool generic)
{
	int ret = fs_xdp_dispatcher_join(skel, a->ifindex, generic);

	if (ret < 0 && !present && !generic) {
		fs_warn(a->ifname, "native XDP unavailable (%s); using generic XDP",
			fs_xdp_strerror(ret));
		generic = true;
		ret = fs_xdp_dispatcher_join(skel, a->ifindex, generic);
	}
	if (ret == 1) {
		fs_warn(a->ifname, "libxdp cannot run its dispatcher on this kernel (freplace "
				   "programs are refused); attaching XDP by a BPF link");
		return attach_xdp_link(a, skel, mode);
	}
	if (ret < 0)
		return fs_err(a->ifname, "cannot join libxdp's XDP dispatcher: %s",
			      fs_xdp_strerror(ret));
	a->xdp_dispatcher = true;
	a->xdp_generic = generic;
	return 0;
}

/* A link where the hook is free; the dispatcher where one runs, or where asked for. */
static int attach_xdp(struct fs_attachment *a, struct flowscope_bpf *skel,
		      const struct fs_attach_options *opt)
{
	bool generic = opt->xdp_mode == FS_XDP_GENERIC, present;

	fs_xdp_dispatcher_remove_ours(a->ifindex); /* a killed run's */
	present = fs_xdp_dispatcher_present(a->ifindex, &generic);
	if (!present && !opt->xdp_dispatcher)
		return attach_xdp_link(a, skel, opt->xdp_mode);
	if (present && generic && opt->xdp_mode == FS_XDP_NATIVE)
		fs_warn(a->ifname, "libxdp's dispatcher here runs in generic XDP; joining it so");
	return join_dispatcher(a, skel, opt->xdp_mode, present, generic);
}

static int tc_hook(int ifindex, enum bpf_tc_attach_point point, struct bpf_tc_hook *hook)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = ifindex;
	hook->attach_point = point;
	/* clsact may exist already (ours from before, or another tool's): fine. */
	if (bpf_tc_hook_create(hook) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int attach_tc(struct fs_attachment *a, struct bpf_program *prog,
		     enum bpf_tc_attach_point point)
{
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FS_TC_HANDLE, .priority = FS_TC_PRIORITY,
		    .prog_fd = bpf_program__fd(prog), .flags = BPF_TC_F_REPLACE);
	struct bpf_tc_hook hook;
	int err = tc_hook(a->ifindex, point, &hook);

	if (!err && bpf_tc_attach(&hook, &opts) < 0)
		err = -errno;
	if (err)
		return fs_err(a->ifname, "cannot attach TC %s: %s",
			      point == BPF_TC_INGRESS ? "ingress" : "egress", strerror(-err));
	if (point == BPF_TC_INGRESS)
		a->tc_ingress = true;
	else
		a->tc_egress = true;
	return 0;
}

static void detach_tc(int ifindex, enum bpf_tc_attach_point point)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FS_TC_HANDLE, .priority = FS_TC_PRIORITY);

	bpf_tc_detach(&hook, &opts);
}

int fs_attach(struct fs_attachment *a, struct flowscope_bpf *skel, const char *ifname,
	      const struct fs_attach_options *opt)
{
	enum fs_hook_set hooks = opt->hooks;

	memset(a, 0, sizeof(*a));
	a->xdp_link_fd = -1;
	a->lock_fd = -1;
	a->hooks = hooks;
	snprintf(a->ifname, sizeof(a->ifname), "%s", ifname);
	a->ifindex = (int)if_nametoindex(ifname);
	if (!a->ifindex)
		return fs_err(ifname, "no such network interface");
	if (lock_interface(a) < 0)
		return -1;
	if ((hooks == FS_HOOKS_XDP || hooks == FS_HOOKS_BOTH) && attach_xdp(a, skel, opt) < 0)
		goto fail;
	if (hooks == FS_HOOKS_TC && attach_tc(a, skel->progs.flowscope_tc, BPF_TC_INGRESS) < 0)
		goto fail;
	if ((hooks == FS_HOOKS_TC || hooks == FS_HOOKS_BOTH) &&
	    attach_tc(a, skel->progs.flowscope_tc, BPF_TC_EGRESS) < 0)
		goto fail;
	return 0;
fail:
	fs_detach(a, false);
	return -1;
}

static void remove_pins(const char *dir)
{
	char path[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < FS_ARRAY_SIZE(pinned_maps); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, pinned_maps[i]);
		unlink(path);
	}
	rmdir(dir);
	rmdir(FS_PIN_ROOT); /* only if no other interface is pinned */
}

int fs_pin_maps(struct fs_attachment *a, struct flowscope_bpf *skel)
{
	struct bpf_map *maps[] = {skel->maps.flows, skel->maps.counters, skel->maps.events,
				  skel->maps.class_counts, skel->maps.class_names};
	char path[PATH_MAX + 16];
	size_t i;

	snprintf(a->pin_dir, sizeof(a->pin_dir), FS_PIN_ROOT "/%s", a->ifname);
	remove_pins(a->pin_dir); /* stale ones, from a run that was killed */
	mkdir(FS_PIN_ROOT, 0700);
	if (mkdir(a->pin_dir, 0700) < 0 && errno != EEXIST)
		return fs_err(a->pin_dir, "%s", strerror(errno));
	for (i = 0; i < FS_ARRAY_SIZE(maps); i++) {
		snprintf(path, sizeof(path), "%s/%s", a->pin_dir, pinned_maps[i]);
		if (bpf_map__pin(maps[i], path) < 0) {
			fs_err(path, "cannot pin: %s", strerror(errno));
			remove_pins(a->pin_dir);
			return -1;
		}
	}
	a->pinned = true;
	return 0;
}

void fs_unhook(struct fs_attachment *a)
{
	if (a->xdp_link_fd >= 0) {
		close(a->xdp_link_fd);
		a->xdp_link_fd = -1;
	}
	if (a->xdp_dispatcher)
		fs_xdp_dispatcher_remove_ours(a->ifindex);
	a->xdp_dispatcher = false;
	if (a->tc_ingress)
		detach_tc(a->ifindex, BPF_TC_INGRESS);
	if (a->tc_egress)
		detach_tc(a->ifindex, BPF_TC_EGRESS);
	a->tc_ingress = a->tc_egress = false;
}

/*
 * Packet programs run inside RCU read-side sections (softirq, or with
 * bottom halves off), so an RCU grace period, which membarrier's global
 * command waits for, sees every run that started before the unhook end.
 */
void fs_wait_for_programs(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0)
		return;
	/* Not with nohz_full CPUs: a run takes microseconds, so wait far longer. */
	usleep(100000);
}

void fs_detach(struct fs_attachment *a, bool keep_pins)
{
	fs_unhook(a);
	if (a->pinned && !keep_pins)
		remove_pins(a->pin_dir);
	a->pinned = false;
	if (a->lock_fd >= 0) {
		close(a->lock_fd);
		a->lock_fd = -1;
	}
}

static int prog_is_flowscope_xdp(unsigned int prog_id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(prog_id), ret = 0;

	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
		ret = strncmp(info.name, FS_XDP_PROG_NAME, sizeof(info.name)) == 0;
	close(fd);
	return ret;
}

/* Call fn for each XDP link on ifindex whose program is flowscope's, whoever holds it. */
static void for_each_flowscope_xdp_link(
	int ifindex, void (*fn)(int fd, const struct bpf_link_info *info, void *ctx), void *ctx)
{
	__u32 id = 0;

	while (bpf_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    info.type == BPF_LINK_TYPE_XDP && (int)info.xdp.ifindex == ifindex &&
		    prog_is_flowscope_xdp(info.prog_id))
			fn(fd, &info, ctx);
		close(fd);
	}
}

static void detach_link(int fd, const struct bpf_link_info *info, void *ctx)
{
	bpf_link_detach(fd);
}

static void note_xdp_prog(int fd, const struct bpf_link_info *info, void *ctx)
{
	*(unsigned int *)ctx = info->prog_id;
}

static unsigned int tc_prog_id(int ifindex, enum bpf_tc_attach_point point)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FS_TC_HANDLE, .priority = FS_TC_PRIORITY);

	return bpf_tc_query(&hook, &opts) == 0 ? opts.prog_id : 0;
}

void fs_query_hooks(int ifindex, struct fs_hook_status *st)
{
	memset(st, 0, sizeof(*st));
	for_each_flowscope_xdp_link(ifindex, note_xdp_prog, &st->xdp_prog_id);
	if (!st->xdp_prog_id)
		st->xdp_prog_id = fs_xdp_dispatcher_our_prog(ifindex, &st->xdp_dispatcher_id);
	st->tc_ingress_prog_id = tc_prog_id(ifindex, BPF_TC_INGRESS);
	st->tc_egress_prog_id = tc_prog_id(ifindex, BPF_TC_EGRESS);
}

int fs_detach_interface(const char *ifname)
{
	int ifindex = (int)if_nametoindex(ifname);
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), FS_PIN_ROOT "/%s", ifname);
	remove_pins(dir);
	if (!ifindex)
		return fs_err(ifname, "no such network interface");
	for_each_flowscope_xdp_link(ifindex, detach_link, NULL);
	fs_xdp_dispatcher_remove_ours(ifindex);
	detach_tc(ifindex, BPF_TC_INGRESS);
	detach_tc(ifindex, BPF_TC_EGRESS);
	return 0;
}

static int open_pin(const char *ifname, const char *map)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FS_PIN_ROOT "/%s/%s", ifname, map);
	return bpf_obj_get(path);
}

/* Entries in use and the table's size. */
static void table_fill(int fd, __u64 *used, __u32 *size)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	struct fs_flow_key key, next;
	void *prev = NULL;

	*used = 0;
	*size = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.max_entries : 0;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		(*used)++;
	}
}

void fs_read_pins(const char *ifname, struct fs_pinned_state *st)
{
	int flows = open_pin(ifname, "flows"), cnt = open_pin(ifname, "counters");
	int class_counts = open_pin(ifname, "class_counts"),
	    class_names = open_pin(ifname, "class_names");

	memset(st, 0, sizeof(*st));
	if (flows >= 0) {
		table_fill(flows, &st->flows_used, &st->flows_max);
		close(flows);
	}
	if (cnt >= 0) {
		fs_counters_read(cnt, st->counters);
		close(cnt);
	}
	if (class_counts >= 0 && class_names >= 0)
		fs_class_counts_read(class_counts, class_names, &st->classes);
	if (class_counts >= 0)
		close(class_counts);
	if (class_names >= 0)
		close(class_names);
}
