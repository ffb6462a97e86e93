// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Draining the kernel's flow table with two BPF programs instead of one
 * system call per flow: a sweep lists the ended flows in one pass, and each
 * run of the take program removes FS_TAKE_BATCH of them, under their locks
 * (see bpf/drain.bpf.c for why that closes the race with packets). Keys go
 * in and statistics come out through memory-mapped arrays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/kernel_drain.h"
#include "common/util.h"
#include "drain.skel.h"

struct fs_kernel_drain {
	struct drain_bpf *skel;
	struct fs_due_flow *due;    /* the due array, mapped */
	struct fs_take_slot *slots; /* the take_slots array, mapped */
	int sweep_fd, take_fd;
};

_Static_assert(sizeof(struct fs_due_flow) % 8 == 0, "array values are 8-byte strided");
_Static_assert(sizeof(struct fs_take_slot) % 8 == 0, "array values are 8-byte strided");

static size_t array_bytes(struct bpf_map *map, size_t elem_size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return ((size_t)bpf_map__max_entries(map) * elem_size + page - 1) / page * page;
}

static void *map_array(struct bpf_map *map, size_t elem_size)
{
	void *p = mmap(NULL, array_bytes(map, elem_size), PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(map), 0);

	return p == MAP_FAILED ? NULL : p;
}

void fs_kernel_drain_close(struct fs_kernel_drain *d)
{
	if (!d)
		return;
	if (d->due)
		munmap(d->due, array_bytes(d->skel->maps.due, sizeof(*d->due)));
	if (d->slots)
		munmap(d->slots, array_bytes(d->skel->maps.take_slots, sizeof(*d->slots)));
	drain_bpf__destroy(d->skel);
	free(d);
}

struct fs_kernel_drain *fs_kernel_drain_open(int flows_fd, __u32 max_flows,
					     const struct fs_meter_config *meter)
{
	struct fs_kernel_drain *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return NULL;
	d->skel = drain_bpf__open();
	if (!d->skel)
		goto fail;
	d->skel->rodata->meter = *meter;
	bpf_map__set_max_entries(d->skel->maps.flows, max_flows);
	bpf_map__set_max_entries(d->skel->maps.due, max_flows);
	err = bpf_map__reuse_fd(d->skel->maps.flows, flows_fd);
	if (!err)
		err = drain_bpf__load(d->skel);
	if (err) {
		errno = -err;
		goto fail;
	}
	d->due = map_array(d->skel->maps.due, sizeof(*d->due));
	d->slots = map_array(d->skel->maps.take_slots, sizeof(*d->slots));
	if (!d->due || !d->slots)
		goto fail;
	d->sweep_fd = bpf_program__fd(d->skel->progs.flowscope_sweep);
	d->take_fd = bpf_program__fd(d->skel->progs.flowscope_take);
	return d;
fail:
	fs_err("kernel engine", "cannot load the drain programs: %s", strerror(errno));
	fs_kernel_drain_close(d);
	return NULL;
}

/* The programs ignore their packet; XDP's test run wants an Ethernet header's worth. */
static int run(int prog_fd)
{
	static const __u8 frame[64];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = sizeof(frame),
		    .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &opts) < 0)
		return fs_err("kernel engine", "running a drain program: %s", strerror(errno));
	return 0;
}

int fs_kernel_drain_due(struct fs_kernel_drain *d, __u64 now_ns, bool all,
			const struct fs_due_flow **out, size_t *n)
{
	struct fs_drain_args *args = &d->skel->bss->args;

	args->now_ns = now_ns;
	args->all = all;
	*out = d->due;
	*n = 0;
	if (run(d->sweep_fd) < 0)
		return -EIO;
	/* The array holds the whole table; were a sweep ever cut short, the next drain goes on. */
	*n = args->count;
	return 0;
}

int fs_kernel_drain_take(struct fs_kernel_drain *d, const struct fs_due_flow *due,
			 const struct fs_due_rank *order, size_t n, __u64 now_ns, bool all,
			 fs_flow_fn fn, void *ctx)
{
	struct fs_drain_args *args = &d->skel->bss->args;
	size_t done, i, batch;
	int err;

	args->now_ns = now_ns;
	args->all = all;
	for (done = 0; done < n; done += batch) {
		batch = n - done < FS_TAKE_BATCH ? n - done : FS_TAKE_BATCH;
		for (i = 0; i < batch; i++)
			d->slots[i].key = due[order[done + i].index].key;
		args->count = (__u32)batch;
		if (run(d->take_fd) < 0)
			return -EIO;
		for (i = 0; i < batch; i++) {
			if (!d->slots[i].taken)
				continue;
			err = fn(ctx, &d->slots[i].key, &d->slots[i].stats);
			if (err)
				return err;
		}
	}
	return 0;
}
