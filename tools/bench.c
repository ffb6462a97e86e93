// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * make bench: the figures issue #2 asks for, printed as tables.
 *  1. ns per packet of the XDP program on an established flow, with 1k, 100k
 *     and 1M flows in the table, beside the minimal counter (bpf/counter.bpf.c).
 *  2. Replay packets per second, both engines, beside a bare libpcap loop, on
 *     a capture generated here.
 *  3. Kernel memory per flow.
 * Needs root (BPF). Goals are printed with each figure, never asserted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/engine_kernel.h"
#include "flow_parse.h"
#include "flow_update.h"
#include "classify/classify.h"
#include "capture/reader.h"
#include "capture/replay.h"
#include "features/unit.h"
#include "../tests/frames.h"
#include "bench.h"
#include "counter.skel.h"
#include "kernel_model.h" /* the skeleton's rodata holds its config */
#include "flowscope.skel.h"

#define XDP_REPEAT 2000000

struct counter_entry {
	__u64 packets;
	__u64 bytes;
};

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __u64 boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Flow i: IPv4 UDP (or TCP ACK) 10.a.b.c:(1024 + i % 50000) -> 192.168.b.c:443, payload bytes. */
__u32 make_frame(__u8 *buf, __u32 i, __u16 payload, int tcp)
{
	struct fs_craft c = {.src = {10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff},
			     .dst = {192, 168, (i >> 8) & 0xff, i & 0xff},
			     .sport = 1024 + i % 50000,
			     .dport = 443,
			     .proto = tcp ? 6 : 17,
			     .tcp_flags = 0x10, /* ACK */
			     .payload = payload};

	return fs_craft_frame(buf, &c);
}

void make_flow_record(struct fs_record *rec, int packets, int tcp)
{
	static const struct fs_meter_config cfg = FS_METER_DEFAULTS;
	__u8 frame[2048];
	int i;

	memset(rec, 0, sizeof(*rec));
	for (i = 0; i < packets; i++) {
		struct fs_pkt pkt = {};
		__u32 len = make_frame(frame, 7, (__u16)(100 + 37 * i % 900), tcp);

		fs_parse_frame(frame, frame + len, len, &pkt);
		rec->key = pkt.key;
		fs_flow_account(&rec->stats, &pkt, 1000000000ULL + i * 20000000ULL, FS_END_NONE,
				&rec->stats, &cfg);
	}
}

/*
 * Fill the flows map with n established flows, as flowscope itself would:
 * flow i's first packet came at now + i us, so no two flows start together.
 */
static int fill_flowscope(int fd, __u32 n, __u64 now)
{
	const __u32 chunk = 65536;
	struct fs_flow_key *keys = calloc(chunk, sizeof(*keys));
	struct fs_flow_entry *vals = calloc(chunk, sizeof(*vals));
	__u8 frame[128];
	__u32 i, j, count;
	int err = 0;

	for (i = 0; i < n && !err; i += count) {
		count = n - i < chunk ? n - i : chunk;
		for (j = 0; j < count; j++) {
			static const struct fs_meter_config cfg = FS_METER_DEFAULTS;
			struct fs_pkt pkt = {};
			__u32 len = make_frame(frame, i + j, 64, 0);
			struct fs_flow_stats *s = &vals[j].stats;

			fs_parse_frame(frame, frame + len, len, &pkt);
			keys[j] = pkt.key;
			memset(&vals[j], 0, sizeof(vals[j]));
			vals[j].key = pkt.key;
			/* One packet through the update code: the entry a flow's first packet
			 * makes. */
			fs_flow_account(s, &pkt, now + (i + j) * 1000ULL, FS_END_NONE, s, &cfg);
		}
		err = bpf_map_update_batch(fd, keys, vals, &count, NULL);
	}
	free(keys);
	free(vals);
	return err;
}

static int fill_counter(int fd, __u32 n)
{
	__u8 frame[128];
	__u32 i;

	for (i = 0; i < n; i++) {
		struct {
			__u8 src[16], dst[16];
			__u16 sport, dport;
			__u8 proto, pad[3];
		} k = {};
		struct counter_entry v = {1, 92};

		make_frame(frame, i, 64, 0);
		memcpy(k.src + 12, frame + 26, 4);
		memcpy(k.dst + 12, frame + 30, 4);
		k.sport = (__u16)(frame[34] << 8 | frame[35]);
		k.dport = (__u16)(frame[36] << 8 | frame[37]);
		k.proto = 17;
		if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* ns per run of prog on frame, best of TRIES (the kernel averages over repeat). */
static double xdp_ns(int prog_fd, const __u8 *frame, __u32 len)
{
	double best = 1e18;
	int t;

	for (t = 0; t < TRIES; t++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
			    .repeat = XDP_REPEAT);
		if (bpf_prog_test_run_opts(prog_fd, &opts))
			return -1;
		if (opts.duration < best)
			best = opts.duration;
	}
	return best;
}

static unsigned long long memlock_of(int fd)
{
	char path[64], line[256];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "memlock: %llu", &v);
	fclose(f);
	return v;
}

struct xdp_row {
	__u32 flows;
	double flowscope_ns, counter_ns, replay_clock_ns, kernel_model_ns;
	unsigned long long flowscope_memlock, counter_memlock;
};

/* Sizes the flows map and sets timeouts under which nothing expires while we measure. */
static void bench_setup_flows(struct flowscope_bpf *fs, __u32 flows)
{
	bpf_map__set_max_entries(fs->maps.flows, flows);
	fs->rodata->meter.idle_ns = fs->rodata->meter.active_ns = 3600ULL * 1000000000ULL;
	fs->rodata->meter.linger_ns = FS_CLOSE_LINGER_NS;
}

/*
 * The same program with its clock read from .bss (replay mode) instead of
 * bpf_ktime_get_boot_ns(): the difference is what reading the clock costs.
 */
static double replay_clock_ns(__u32 flows)
{
	struct flowscope_bpf *fs = flowscope_bpf__open();
	__u8 frame[128];
	__u32 len = make_frame(frame, 0, 64, 0);
	double ns = -1;

	if (!fs)
		return -1;
	bench_setup_flows(fs, flows);
	fs->rodata->replay_mode = 1;
	if (flowscope_bpf__load(fs) == 0 &&
	    fill_flowscope(bpf_map__fd(fs->maps.flows), flows, boottime_ns()) == 0) {
		fs->bss->replay_now_ns = boottime_ns();
		fs->bss->replay_wire_len = len;
		ns = xdp_ns(bpf_program__fd(fs->progs.flowscope_xdp), frame, len);
	}
	flowscope_bpf__destroy(fs);
	return ns;
}

/*
 * The same program deciding flows with the shipped model's kernel model: the
 * measured flow is decided at its checkpoint, early in the repeats, and from
 * then on each packet counts in its class.
 */
static double kernel_model_ns(__u32 flows)
{
	struct flowscope_bpf *fs = flowscope_bpf__open();
	__u8 frame[128];
	__u32 len = make_frame(frame, 0, 64, 0);
	struct fs_model m;
	double ns = -1;

	if (!fs)
		return -1;
	if (fs_model_load(&m, "models/default.model") < 0 || !m.kernel.cfg.checkpoint) {
		flowscope_bpf__destroy(fs);
		return -1;
	}
	bench_setup_flows(fs, flows);
	fs->rodata->kmodel = m.kernel.cfg;
	if (flowscope_bpf__load(fs) == 0 && fs_engine_kernel_fill_model(fs, &m.kernel) == 0 &&
	    fill_flowscope(bpf_map__fd(fs->maps.flows), flows, boottime_ns()) == 0)
		ns = xdp_ns(bpf_program__fd(fs->progs.flowscope_xdp), frame, len);
	flowscope_bpf__destroy(fs);
	fs_model_free(&m);
	return ns;
}

static int bench_xdp_at(__u32 flows, struct xdp_row *row)
{
	struct flowscope_bpf *fs = flowscope_bpf__open();
	struct counter_bpf *cn = counter_bpf__open();
	__u8 frame[128];
	__u32 len = make_frame(frame, 0, 64, 0);
	int err = -1;

	if (!fs || !cn)
		goto out;
	bench_setup_flows(fs, flows);
	bpf_map__set_max_entries(cn->maps.counts, flows);
	if (flowscope_bpf__load(fs) || counter_bpf__load(cn))
		goto out;
	if (fill_flowscope(bpf_map__fd(fs->maps.flows), flows, boottime_ns()) ||
	    fill_counter(bpf_map__fd(cn->maps.counts), flows)) {
		fprintf(stderr, "bench: cannot fill the maps: %s\n", strerror(errno));
		goto out;
	}
	row->flows = flows;
	row->flowscope_ns = xdp_ns(bpf_program__fd(fs->progs.flowscope_xdp), frame, len);
	row->counter_ns = xdp_ns(bpf_program__fd(cn->progs.counter_xdp), frame, len);
	row->flowscope_memlock = memlock_of(bpf_map__fd(fs->maps.flows));
	row->counter_memlock = memlock_of(bpf_map__fd(cn->maps.counts));
	row->replay_clock_ns = replay_clock_ns(flows);
	row->kernel_model_ns = kernel_model_ns(flows);
	err = row->flowscope_ns < 0 || row->counter_ns < 0 || row->replay_clock_ns < 0 ||
	      row->kernel_model_ns < 0;
out:
	flowscope_bpf__destroy(fs);
	counter_bpf__destroy(cn);
	return err;
}

static int count_record(void *ctx, const struct fs_record *rec)
{
	(*(__u64 *)ctx)++;
	return 0;
}

/* One replay of the capture through an engine: packets per second. */
static double replay_pps(enum fs_engine_kind kind, const char *path, __u64 *records)
{
	struct fs_engine_config cfg = {
		.kind = kind,
		.max_flows = FS_DEFAULT_MAX_FLOWS,
		.meter = FS_METER_DEFAULTS,
		.emit = count_record,
		.emit_ctx = records,
	};
	struct fs_engine *e = fs_engine_create(&cfg);
	struct fs_capture_reader *r = fs_capture_reader_new();
	__u64 c[FS_CNT_MAX];
	double t0, pps = -1;

	*records = 0;
	t0 = now_s();
	if (e && r && fs_replay_file(e, r, path, NULL) == 0 && fs_engine_read_counters(e, c) == 0)
		pps = c[FS_CNT_PACKETS] / (now_s() - t0);
	fs_capture_reader_free(r);
	fs_engine_destroy(e);
	return pps;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/*
 * Live draining: n flows idle for ten minutes in a live-mode table, then one
 * fs_engine_expire() takes them all out as records, as attach does.
 */
static int bench_drain(__u32 n, double *wall, double *cpu, __u64 *records)
{
	struct fs_engine_config cfg = {
		.kind = FS_ENGINE_KERNEL,
		.live = true,
		.max_flows = n,
		.meter = FS_METER_DEFAULTS,
		.emit = count_record,
		.emit_ctx = records,
	};
	struct fs_engine *e = fs_engine_create(&cfg);
	double t0, c0;
	int ret;

	if (!e)
		return -1;
	*records = 0;
	if (fill_flowscope(bpf_map__fd(fs_engine_kernel_skel(e)->maps.flows), n,
			   boottime_ns() - 600ULL * 1000000000ULL)) {
		fs_engine_destroy(e);
		return -1;
	}
	t0 = now_s();
	c0 = cpu_s();
	ret = fs_engine_expire(e, boottime_ns(), false);
	*wall = now_s() - t0;
	*cpu = cpu_s() - c0;
	fs_engine_destroy(e);
	return ret < 0 ? -1 : 0;
}

static double max2(double a, double b)
{
	return a > b ? a : b;
}

static void print_drain(__u32 n)
{
	double wall, cpu;
	__u64 drained;

	if (bench_drain(n, &wall, &cpu, &drained) == 0)
		printf("\nLive drain of %u expired flows (a BPF sweep, then BPF takes of %d "
		       "flows a run)\n%-10s %10s %10s  %s\n%-10llu %10.2f %10.2f  "
		       "under 1 s: %s\n",
		       n, FS_TAKE_BATCH, "records", "wall s", "CPU s", "goal",
		       (unsigned long long)drained, wall, cpu, wall < 1.0 ? "met" : "MISSED");
}

/*
 * What the live summary pays per open flow at every refresh: the record, the
 * features and the shipped model's MLP and k-means, on a 32-packet UDP flow.
 */
static void print_classify_cost(void)
{
	enum { ROUNDS = 200000 };
	struct fs_record rec;
	struct fs_assessment a;
	struct fs_model m;
	struct fs_unit u;
	int i;
	double t0;

	if (fs_model_load(&m, "models/default.model") < 0)
		return;
	make_flow_record(&rec, 32, 0);
	t0 = now_s();
	for (i = 0; i < ROUNDS; i++) {
		fs_unit_from_flow(&u, &rec, 0);
		fs_assess_unit(&a, &u, &m);
	}
	printf("\nClassifying an open flow (unit, %u features, MLP and k-means), as the summary "
	       "does per flow and refresh\n%-10s %10s  %s\n%-10d %10.2f  %s\n",
	       m.nfeatures, "flows", "us/flow", "class", ROUNDS, (now_s() - t0) / ROUNDS * 1e6,
	       a.verdict.mlp_class >= 0 ? m.classes[a.verdict.mlp_class] : "-");
	fs_model_free(&m);
}

/* Seconds of one `flowscope replay --engine user`, as a user runs it (records to tmpfs). */
static double replay_command_s(const char *flowscope, const char *args, const char *capture,
			       const char *out)
{
	char cmd[8192];
	double t0;

	snprintf(cmd, sizeof(cmd), "%s replay --engine user --quiet %s -o %s %s", flowscope, args,
		 out, capture);
	t0 = now_s();
	if (system(cmd) != 0)
		return -1;
	return now_s() - t0;
}

static __u64 lines_of(const char *path)
{
	FILE *f = fopen(path, "r");
	__u64 n = 0;
	int c;

	while (f && (c = getc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

/* The flowscope binary beside the benchmark's, into buf: 0, or -1. */
static int flowscope_beside(char *buf, size_t size)
{
	ssize_t len = readlink("/proc/self/exe", buf, size - 16);

	if (len < 0)
		return -1;
	buf[len] = '\0';
	strcpy(strrchr(buf, '/') + 1, "flowscope");
	return 0;
}

/*
 * The whole replay, records written, on a capture of real traffic's shape:
 * per record, some 200 numbers are formatted, which a capture of long flows
 * (the table above) hides.
 */
static void print_replay_writer(void)
{
	static const struct {
		const char *what, *args;
	} runs[] = {
		{"CSV, no model", "--no-model"},
		{"JSON lines, no model", "--no-model --format json"},
		{"CSV, shipped model", ""},
	};
	char capture[4096] = "/dev/shm/flowscope-bench-shaped.XXXXXX", flowscope[4096];
	const char *out = "/dev/shm/flowscope-bench.out";
	/* FLOWSCOPE_BENCH_SHAPED=FILE keeps the capture, e.g. for perf. */
	const char *keep = getenv("FLOWSCOPE_BENCH_SHAPED");
	double bare = 0, best[3] = {0, 0, 0}, t;
	int no_binary = flowscope_beside(flowscope, sizeof(flowscope));
	__u64 records = 0;
	long packets;
	unsigned int i, r;
	int fd = keep ? -1 : mkstemp(capture);

	if ((!keep && fd < 0) || no_binary)
		return;
	if (keep)
		snprintf(capture, sizeof(capture), "%s", keep);
	else
		close(fd);
	packets = generate_shaped_capture(capture);
	for (r = 0; packets > 0 && r < REPLAY_ROUNDS; r++) {
		bare = max2(bare, bare_libpcap_pps(capture));
		for (i = 0; i < 3; i++) {
			t = replay_command_s(flowscope, runs[i].args, capture, out);
			if (t > 0)
				best[i] = max2(best[i], packets / t);
			if (i == 0)
				records = lines_of(out) - 1;
		}
	}
	if (!keep)
		unlink(capture);
	unlink(out);
	printf("\nReplay as a user runs it (flowscope replay --engine user -o tmpfs), all columns, "
	       "on %ld packets over %u flows (real traffic's shape), best of %d\n",
	       packets, SHAPED_FLOWS, REPLAY_ROUNDS);
	printf("%-26s %8s %12s %8s  %s\n", "path", "Mpps", "records/s", "x bare",
	       "goal: >= 0.5 x bare (aim 0.75)");
	printf("%-26s %8.2f %12s %8s\n", "bare libpcap read loop", bare / 1e6, "-", "-");
	for (i = 0; i < 3; i++)
		printf("%-26s %8.2f %12.0f %8.2f  %s\n", runs[i].what, best[i] / 1e6,
		       best[i] * records / packets, best[i] / bare,
		       i == 2		       ? "(classifying: not a goal)"
		       : best[i] >= 0.5 * bare ? "met"
					       : "MISSED");
}

/* The XDP table; rows[] gets its figures (the memory table reads the last). */
static int print_xdp(const __u32 *sizes, struct xdp_row *rows)
{
	unsigned int i;

	printf("\nXDP program on an established flow: BPF_PROG_TEST_RUN, repeat %d, best of %d\n",
	       XDP_REPEAT, TRIES);
	printf("%-14s %16s %14s %8s  %-20s %-28s %s\n", "flows in map", "flowscope ns/pkt",
	       "counter ns/pkt", "ratio", "goal: ratio <= 1.5", "flowscope, clock not read",
	       "with the kernel model (goal: ratio <= 1.8)");
	for (i = 0; i < 3; i++) {
		if (bench_xdp_at(sizes[i], &rows[i])) {
			fprintf(stderr, "bench: the XDP benchmark failed (root needed): %s\n",
				strerror(errno));
			return -1;
		}
		printf("%-14u %16.1f %14.1f %8.2f  %-20s %5.1f ns (ratio %.2f)%8s %.1f ns (ratio "
		       "%.2f): %s\n",
		       rows[i].flows, rows[i].flowscope_ns, rows[i].counter_ns,
		       rows[i].flowscope_ns / rows[i].counter_ns,
		       rows[i].flowscope_ns <= 1.5 * rows[i].counter_ns ? "met" : "MISSED",
		       rows[i].replay_clock_ns, rows[i].replay_clock_ns / rows[i].counter_ns, "",
		       rows[i].kernel_model_ns, rows[i].kernel_model_ns / rows[i].counter_ns,
		       rows[i].kernel_model_ns <= 1.8 * rows[i].counter_ns ? "met" : "MISSED");
	}
	return 0;
}

/*
 * `flowscope-bench xdp`: only the XDP table; `drain`: only the drain table, e.g. under perf;
 * `ipfix`: only the export's; `writer`: only the whole replay's.
 */
int main(int argc, char **argv)
{
	static const __u32 sizes[] = {1000, 100000, 1000000};
	/* tmpfs: this VM reclaims page cache (DAMON), which made file reads noisy. */
	char path[4096] = "/dev/shm/flowscope-bench.XXXXXX", exe[4096];
	struct xdp_row rows[3];
	double bare, user, kern;
	__u64 rec_user, rec_kern;
	const char *keep;
	unsigned int i;
	int fd;

	if (argc > 1 && strcmp(argv[1], "xdp") == 0)
		return print_xdp(sizes, rows) < 0;
	if (argc > 1 && strcmp(argv[1], "drain") == 0) {
		print_drain(sizes[2]);
		print_classify_cost();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "ipfix") == 0) {
		print_ipfix_export();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "writer") == 0) {
		print_replay_writer();
		return 0;
	}
	/* FLOWSCOPE_BENCH_CAPTURE=FILE keeps the capture, e.g. for perf. */
	keep = getenv("FLOWSCOPE_BENCH_CAPTURE");
	fd = keep ? -1 : mkstemp(path);
	if ((!keep && fd < 0) || generate_capture(keep ? keep : path) < 0) {
		fprintf(stderr, "bench: cannot write the capture\n");
		return 1;
	}
	if (keep)
		strcpy(path, keep);
	else
		close(fd);
	/* Interleaved rounds, best of each: the machine's noise hits all three alike. */
	bare = user = kern = 0;
	for (i = 0; i < REPLAY_ROUNDS; i++) {
		bare = max2(bare, bare_libpcap_pps(path));
		user = max2(user, replay_pps(FS_ENGINE_USER, path, &rec_user));
		kern = max2(kern, replay_pps(FS_ENGINE_KERNEL, path, &rec_kern));
	}
	printf("Replay: a generated capture of %d IMIX packets over %d flows, best of %d "
	       "interleaved rounds\n",
	       REPLAY_PACKETS, REPLAY_FLOWS, REPLAY_ROUNDS);
	printf("%-26s %8s %10s  %s\n", "path", "Mpps", "records", "goal");
	printf("%-26s %8.2f %10s\n", "bare libpcap read loop", bare / 1e6, "-");
	printf("%-26s %8.2f %10llu  >= 0.75 x bare (%.2f): %s\n", "replay --engine user",
	       user / 1e6, (unsigned long long)rec_user, user / bare,
	       user >= 0.75 * bare ? "met" : "MISSED");
	printf("%-26s %8.2f %10llu  >= 0.40 Mpps: %s\n", "replay --engine kernel", kern / 1e6,
	       (unsigned long long)rec_kern, kern >= 0.4e6 ? "met" : "MISSED");
	print_replay_writer();
	print_drain(sizes[2]);
	print_classify_cost();
	print_ipfix_export();
	if (flowscope_beside(exe, sizeof(exe)) == 0)
		print_report_speed(exe, path);
	if (!keep)
		unlink(path);

	/* After replay: freeing the 1M-entry maps keeps a kernel worker busy. */
	if (print_xdp(sizes, rows) < 0)
		return 1;
	printf("\nKernel memory per flow (map memlock / max_entries, %u-entry maps)\n", sizes[2]);
	printf("%-10s %10s %10s %16s\n", "program", "key bytes", "value", "memlock per flow");
	printf("%-10s %10zu %10zu %16.0f\n", "flowscope", sizeof(struct fs_flow_key),
	       sizeof(struct fs_flow_entry), (double)rows[2].flowscope_memlock / sizes[2]);
	printf("%-10s %10d %10zu %16.0f\n", "counter", 40, sizeof(struct counter_entry),
	       (double)rows[2].counter_memlock / sizes[2]);

	return 0;
}
