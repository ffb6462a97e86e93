// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "flow.h"
#include "common/util.h"
#include "live/xdp_dispatcher.h"
#include "kernel_model.h" /* the skeleton's rodata holds its config */
#include "flowscope.skel.h"

/* libxdp's own messages only with FLOWSCOPE_DEBUG, like libbpf's: ours say what failed. */
static int libxdp_log(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return fs_library_log(fmt, ap);
}

/* What libxdp finds on ifindex's XDP hook: a dispatcher, a lone ("legacy") program, or NULL. */
static struct xdp_multiprog *xdp_hook_of(int ifindex)
{
	struct xdp_multiprog *mp;

	libxdp_set_print(libxdp_log);
	mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (!mp || libxdp_get_error(mp))
		return NULL;
	if (!xdp_multiprog__main_prog(mp)) {
		xdp_multiprog__close(mp);
		return NULL;
	}
	return mp;
}

static struct xdp_multiprog *dispatcher_of(int ifindex)
{
	struct xdp_multiprog *mp = xdp_hook_of(ifindex);

	if (mp && xdp_multiprog__is_legacy(mp)) {
		xdp_multiprog__close(mp);
		return NULL;
	}
	return mp;
}

static bool is_ours(const struct xdp_program *p)
{
	return p && !libxdp_get_error(p) && strcmp(xdp_program__name(p), FS_XDP_PROG_NAME) == 0;
}

bool fs_xdp_dispatcher_present(int ifindex, bool *generic)
{
	struct xdp_multiprog *mp = dispatcher_of(ifindex);

	if (!mp)
		return false;
	*generic = xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB;
	xdp_multiprog__close(mp);
	return true;
}

/* The twin: the engine's object again, XDP program only, every map the engine's. */
static struct flowscope_bpf *open_twin(struct flowscope_bpf *skel)
{
	struct flowscope_bpf *twin = flowscope_bpf__open();
	struct bpf_program *prog;
	struct bpf_map *map;

	if (!twin)
		return NULL;
	bpf_object__for_each_program(prog, twin->obj)
		bpf_program__set_autoload(prog, prog == twin->progs.flowscope_xdp);
	bpf_object__for_each_map(map, twin->obj)
	{
		struct bpf_map *orig = bpf_object__find_map_by_name(skel->obj, bpf_map__name(map));

		if (!orig || bpf_map__reuse_fd(map, bpf_map__fd(orig)) < 0) {
			flowscope_bpf__destroy(twin);
			return NULL;
		}
	}
	return twin;
}

int fs_xdp_dispatcher_join(struct flowscope_bpf *skel, int ifindex, bool generic)
{
	struct flowscope_bpf *twin = open_twin(skel);
	struct xdp_program *prog;
	int err;

	libxdp_set_print(libxdp_log);
	if (!twin)
		return errno ? -errno : -EINVAL;
	prog = xdp_program__from_bpf_obj(twin->obj, "xdp");
	err = (int)libxdp_get_error(prog);
	if (!err) {
		xdp_program__set_run_prio(prog, FS_XDP_RUN_PRIO);
		err = xdp_program__attach(prog, ifindex, generic ? XDP_MODE_SKB : XDP_MODE_NATIVE,
					  0);
		xdp_program__close(prog);
	}
	/* The dispatcher's pinned link holds the program now; the twin's fds can go. */
	flowscope_bpf__destroy(twin);
	if (err)
		return err;
	/*
	 * Where the kernel refuses freplace programs, libxdp quietly attaches
	 * the program alone, by netlink; take it off again and say so.
	 */
	if (!fs_xdp_dispatcher_our_prog(ifindex, &(unsigned int){0})) {
		fs_xdp_dispatcher_remove_ours(ifindex);
		return 1;
	}
	return 0;
}

/* The first flowscope program in mp, or NULL. */
static struct xdp_program *find_ours(struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	for (p = xdp_multiprog__next_prog(NULL, mp); p && !libxdp_get_error(p);
	     p = xdp_multiprog__next_prog(p, mp))
		if (is_ours(p))
			return p;
	return NULL;
}

void fs_xdp_dispatcher_remove_ours(int ifindex)
{
	struct xdp_multiprog *mp;
	int rounds;

	/* Each removal builds a new dispatcher: look again each time. */
	for (rounds = 0; rounds < 10 && (mp = xdp_hook_of(ifindex)); rounds++) {
		struct xdp_program *ours = NULL;
		int err = -ENOENT;

		if (!xdp_multiprog__is_legacy(mp))
			ours = find_ours(mp);
		if (ours)
			err = xdp_program__detach(ours, ifindex, xdp_multiprog__attach_mode(mp), 0);
		else if (xdp_multiprog__is_legacy(mp) && is_ours(xdp_multiprog__main_prog(mp)))
			err = xdp_multiprog__detach(mp); /* alone: libxdp's fallback, or our link */
		xdp_multiprog__close(mp);
		if (err)
			break;
	}
}

const char *fs_xdp_strerror(int err)
{
	static char msg[128];

	libxdp_strerror(err, msg, sizeof(msg));
	return msg;
}

unsigned int fs_xdp_dispatcher_our_prog(int ifindex, unsigned int *dispatcher_id)
{
	struct xdp_multiprog *mp = dispatcher_of(ifindex);
	struct xdp_program *ours;
	unsigned int id = 0;

	if (!mp)
		return 0;
	ours = find_ours(mp);
	if (ours) {
		id = xdp_program__id(ours);
		*dispatcher_id = xdp_program__id(xdp_multiprog__main_prog(mp));
	}
	xdp_multiprog__close(mp);
	return id;
}
