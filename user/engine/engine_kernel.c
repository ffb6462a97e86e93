// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The kernel engine: every frame goes through the real BPF program with
 * BPF_PROG_TEST_RUN, its capture timestamp set in the program's .bss first,
 * so replay and live monitoring run the same code on the same kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/engine_kernel.h"
#include "engine/kernel_drain.h"
#include "common/util.h"
#include "kernel_model.h" /* the skeleton's rodata holds its config */
#include "flowscope.skel.h"

struct kernel_engine {
	struct fs_engine base;
	struct flowscope_bpf *skel;
	struct ring_buffer *rb;
	struct fs_kernel_drain *drain;
	int prog_fd; /* the entry point that replays frames */
	int xdp_fd;
	int flows_fd;
	int emit_err;
	struct fs_flow_key *scan_keys; /* SCAN_BATCH of each, for kernel_scan() */
	struct fs_flow_entry *scan_vals;
};

static struct kernel_engine *to_kernel(struct fs_engine *e)
{
	return (struct kernel_engine *)e;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct kernel_engine *k = ctx;
	const struct fs_event *ev = data;
	struct fs_record rec;

	/* Closed and overflow events matter live; replay finds closed flows by sweeping. */
	if (size < sizeof(*ev) || ev->type != FS_EV_RECORD)
		return 0;
	rec.key = ev->key;
	rec.stats = ev->stats;
	rec.reason = (__u8)ev->reason;
	k->emit_err = k->base.cfg.emit(k->base.cfg.emit_ctx, &rec);
	return k->emit_err;
}

static int kernel_process(struct fs_engine *e, const __u8 *frame, __u32 len, __u32 wire_len,
			  __u64 now)
{
	struct kernel_engine *k = to_kernel(e);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len, .repeat = 1);
	int err;

	k->skel->bss->replay_now_ns = now;
	k->skel->bss->replay_wire_len = wire_len;
	err = bpf_prog_test_run_opts(k->prog_fd, &opts);
	/*
	 * An skb test run refuses frames shorter than their own headers (less
	 * than an Ethernet header, or an IP header cut short). The XDP entry
	 * point runs the same code on the same maps and takes them.
	 */
	if (err && errno == EINVAL && k->prog_fd != k->xdp_fd)
		err = bpf_prog_test_run_opts(k->xdp_fd, &opts);
	if (err)
		return fs_err("kernel engine", "BPF_PROG_TEST_RUN failed: %s", strerror(errno));
	err = ring_buffer__consume(k->rb);
	if (err < 0)
		return err;
	return k->emit_err;
}

#define SCAN_BATCH 4096

/* Whole batches of entries per system call, each copied under its lock. */
static int kernel_scan(struct fs_engine *e, fs_flow_fn fn, void *ctx)
{
	struct kernel_engine *k = to_kernel(e);
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_F_LOCK);
	struct fs_flow_key *keys = k->scan_keys;
	struct fs_flow_entry *vals = k->scan_vals;
	__u32 batch = 0, count, i;
	void *in = NULL;
	int err = 0, ret;

	do {
		count = SCAN_BATCH;
		ret = bpf_map_lookup_batch(k->flows_fd, in, &batch, keys, vals, &count, &opts);
		if (ret < 0 && errno != ENOENT)
			return -errno;
		for (i = 0; i < count && !err; i++)
			err = fn(ctx, &keys[i], &vals[i].stats);
		in = &batch;
	} while (ret == 0 && !err);
	return err;
}

static int kernel_peek(struct fs_engine *e, const struct fs_flow_key *key,
		       struct fs_flow_stats *out)
{
	struct fs_flow_entry entry;

	if (bpf_map_lookup_elem_flags(to_kernel(e)->flows_fd, key, &entry, BPF_F_LOCK) < 0)
		return -errno;
	*out = entry.stats;
	return 0;
}

static int kernel_due(struct fs_engine *e, __u64 now_ns, bool all, const struct fs_due_flow **out,
		      size_t *n)
{
	return fs_kernel_drain_due(to_kernel(e)->drain, now_ns, all, out, n);
}

static int kernel_take(struct fs_engine *e, const struct fs_due_flow *due,
		       const struct fs_due_rank *order, size_t n, __u64 now_ns, bool all,
		       fs_flow_fn fn, void *ctx)
{
	return fs_kernel_drain_take(to_kernel(e)->drain, due, order, n, now_ns, all, fn, ctx);
}

int fs_counters_read(int fd, __u64 out[FS_CNT_MAX])
{
	int ncpus = libbpf_num_possible_cpus(), c;
	__u64 *percpu = calloc(ncpus, sizeof(*percpu));
	__u32 i;

	if (!percpu)
		return -ENOMEM;
	for (i = 0; i < FS_CNT_MAX; i++) {
		out[i] = 0;
		if (bpf_map_lookup_elem(fd, &i, percpu) < 0)
			continue;
		for (c = 0; c < ncpus; c++)
			out[i] += percpu[c];
	}
	free(percpu);
	return 0;
}

int fs_class_counts_read(int counts_fd, int names_fd, struct fs_class_counts *out)
{
	int ncpus = libbpf_num_possible_cpus(), c;
	struct fs_class_count *percpu = calloc(ncpus, sizeof(*percpu));
	__u32 i;

	memset(out, 0, sizeof(*out));
	if (!percpu)
		return -ENOMEM;
	for (i = 0; i < FS_KM_MAX_CLASSES; i++) {
		struct fs_class_name name = {};

		if (bpf_map_lookup_elem(names_fd, &i, &name) < 0 || !name.name[0])
			break;
		memcpy(out->names[i], name.name, sizeof(name.name));
		out->names[i][FS_CLASS_NAME_MAX - 1] = '\0';
		if (bpf_map_lookup_elem(counts_fd, &i, percpu) == 0)
			for (c = 0; c < ncpus; c++) {
				out->count[i].flows += percpu[c].flows;
				out->count[i].packets += percpu[c].packets;
				out->count[i].bytes += percpu[c].bytes;
				out->count[i].moved += percpu[c].moved;
			}
		out->n = i + 1;
	}
	free(percpu);
	return 0;
}

int fs_engine_kernel_class_counts(struct fs_engine *e, struct fs_class_counts *out)
{
	struct flowscope_bpf *skel = to_kernel(e)->skel;

	return fs_class_counts_read(bpf_map__fd(skel->maps.class_counts),
				    bpf_map__fd(skel->maps.class_names), out);
}

static int kernel_read_counters(struct fs_engine *e, __u64 out[FS_CNT_MAX])
{
	return fs_counters_read(bpf_map__fd(to_kernel(e)->skel->maps.counters), out);
}

static void kernel_destroy(struct fs_engine *e)
{
	struct kernel_engine *k = to_kernel(e);

	ring_buffer__free(k->rb);
	fs_kernel_drain_close(k->drain);
	flowscope_bpf__destroy(k->skel);
	free(k->scan_keys);
	free(k->scan_vals);
	fs_engine_release(&k->base);
	free(k);
}

struct flowscope_bpf *fs_engine_kernel_skel(struct fs_engine *e)
{
	return to_kernel(e)->skel;
}

int fs_engine_kernel_poll(struct fs_engine *e, int timeout_ms)
{
	struct kernel_engine *k = to_kernel(e);
	int err = ring_buffer__poll(k->rb, timeout_ms);

	if (err < 0 && err != -EINTR)
		return err;
	return k->emit_err;
}

static const struct fs_engine_ops kernel_ops = {
	.process = kernel_process,
	.scan = kernel_scan,
	.peek = kernel_peek,
	.due = kernel_due,
	.take = kernel_take,
	.read_counters = kernel_read_counters,
	.destroy = kernel_destroy,
};

/* May this process load any program the verifier accepts (CAP_BPF and CAP_PERFMON)? */
static bool may_load_bpf(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {};
	__u64 eff;

	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	eff = (__u64)data[1].effective << 32 | data[0].effective;
	return (eff >> CAP_SYS_ADMIN & 1) || ((eff >> CAP_BPF & 1) && (eff >> CAP_PERFMON & 1));
}

/*
 * live: for attach, which has no user engine to suggest instead. EACCES
 * with the capabilities is the verifier's refusal, not a missing capability.
 */
static void explain_load_error(int err, bool live)
{
	if (err == -EPERM || (err == -EACCES && !may_load_bpf()))
		fs_err("kernel engine",
		       "loading the BPF program needs root, or CAP_BPF, CAP_NET_ADMIN and "
		       "CAP_PERFMON (%s)%s",
		       strerror(-err), live ? "" : "; '--engine user' needs neither");
	else
		fs_err("kernel engine",
		       "cannot load the BPF program: %s (set FLOWSCOPE_DEBUG=1 "
		       "for libbpf's log)",
		       strerror(-err));
}

int fs_engine_kernel_fill_model(struct flowscope_bpf *skel, const struct fs_km_forest *km)
{
	int fd = bpf_map__fd(skel->maps.km_nodes);
	__u32 *keys = malloc(km->nnodes * sizeof(*keys)), i, n = km->nnodes;
	int err;

	if (!keys)
		return fs_err("kernel engine", "out of memory");
	for (i = 0; i < n; i++)
		keys[i] = i;
	err = bpf_map_update_batch(fd, keys, km->nodes, &n, NULL);
	free(keys);
	if (err)
		return fs_err("kernel engine", "cannot load the kernel model's %u nodes: %s",
			      km->nnodes, strerror(errno));
	for (i = 0; i < km->cfg.nclasses && km->class_names; i++) {
		struct fs_class_name name = {};

		snprintf(name.name, sizeof(name.name), "%s", km->class_names[i]);
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.class_names), &i, &name, 0) < 0)
			return fs_err("kernel engine", "cannot name class %u: %s", i,
				      strerror(errno));
	}
	return 0;
}

/*
 * Replay runs its test program, and XDP where a TC test run is refused;
 * live, the hooks' own (all, if not said).
 */
static void load_only_needed(struct flowscope_bpf *skel, const struct fs_engine_config *cfg)
{
	unsigned int load = cfg->entry_points;

	if (!cfg->live)
		load = FS_ENTRY_XDP | (cfg->program == FS_TEST_TC ? FS_ENTRY_TC : 0);
	else if (!load)
		load = FS_ENTRY_XDP | FS_ENTRY_TC;
	bpf_program__set_autoload(skel->progs.flowscope_xdp, load & FS_ENTRY_XDP);
	bpf_program__set_autoload(skel->progs.flowscope_tc, load & FS_ENTRY_TC);
}

struct fs_engine *fs_engine_kernel_create(const struct fs_engine_config *cfg)
{
	struct kernel_engine *k = calloc(1, sizeof(*k));
	int err;

	if (!k)
		return NULL;
	fs_quiet_libbpf();
	k->base.ops = &kernel_ops;
	k->base.cfg = *cfg;
	k->scan_keys = calloc(SCAN_BATCH, sizeof(*k->scan_keys));
	k->scan_vals = calloc(SCAN_BATCH, sizeof(*k->scan_vals));
	if (!k->scan_keys || !k->scan_vals) {
		fs_err("kernel engine", "out of memory");
		goto fail;
	}
	k->skel = flowscope_bpf__open();
	if (!k->skel) {
		explain_load_error(-errno, cfg->live);
		goto fail;
	}
	bpf_map__set_max_entries(k->skel->maps.flows, cfg->max_flows);
	k->skel->rodata->meter = cfg->meter;
	k->skel->rodata->replay_mode = !cfg->live;
	if (cfg->kmodel)
		k->skel->rodata->kmodel = cfg->kmodel->cfg;
	if (cfg->kmodel && cfg->class_actions)
		memcpy((void *)k->skel->rodata->class_actions, cfg->class_actions,
		       sizeof(k->skel->rodata->class_actions));
	load_only_needed(k->skel, cfg);
	err = flowscope_bpf__load(k->skel);
	if (err) {
		explain_load_error(err, cfg->live);
		goto fail;
	}
	if (cfg->kmodel && fs_engine_kernel_fill_model(k->skel, cfg->kmodel) < 0)
		goto fail;
	k->xdp_fd = bpf_program__fd(k->skel->progs.flowscope_xdp);
	k->prog_fd = cfg->program == FS_TEST_TC ? bpf_program__fd(k->skel->progs.flowscope_tc)
						: k->xdp_fd;
	k->flows_fd = bpf_map__fd(k->skel->maps.flows);
	k->drain = fs_kernel_drain_open(k->flows_fd, cfg->max_flows, &cfg->meter);
	if (!k->drain)
		goto fail;
	k->rb = ring_buffer__new(bpf_map__fd(k->skel->maps.events), on_event, k, NULL);
	if (!k->rb) {
		fs_err("kernel engine", "cannot open the ring buffer: %s", strerror(errno));
		goto fail;
	}
	return &k->base;
fail:
	kernel_destroy(&k->base);
	return NULL;
}
