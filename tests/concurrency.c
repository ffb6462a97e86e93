// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * No lost updates when every CPU updates one flow at the same moment: a
 * thread pinned to each online CPU drives one flow through the real BPF
 * program with BPF_PROG_TEST_RUN (repeat), all starting together on a flow
 * that does not exist yet, so they race on the insert too; in one round all
 * send the same direction, in the other the odd CPUs send the replies. The
 * totals, per direction, must be exact.
 *
 * No packet lost to the drain: one CPU sends a flow's packets while the
 * other drains the table without pause, taking the flow out again and again
 * (the drain programs of bpf/drain.bpf.c, as `attach` runs them). The packets
 * over all records must equal the packets sent.
 * Needs root (CAP_BPF) and two CPUs.
 */

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/engine_kernel.h"
#include "flow.h"
#include "kernel_model.h" /* the skeleton's rodata holds its config */
#include "flowscope.skel.h"
#include "check.h"
#include "frames.h"

#define CALLS		 200
#define REPEAT		 500
#define ROUNDS		 20
#define FS_MAX_TEST_CPUS 64

struct worker {
	int cpu;
	int prog_fd;
	__u8 frame[256];
	__u32 len;
	pthread_barrier_t *start;
	volatile int done;
	int err;
};

/* UDP 10.0.0.1:sport -> 10.0.0.2:53 (or the reverse) with `payload` bytes. */
static void udp_frame(struct worker *w, __u16 sport, int reverse, __u16 payload)
{
	struct fs_craft c = {.src = {10, 0, 0, 1},
			     .dst = {10, 0, 0, 2},
			     .sport = sport,
			     .dport = 53,
			     .proto = 17,
			     .payload = payload};

	if (reverse) {
		c = (struct fs_craft){.src = {10, 0, 0, 2},
				      .dst = {10, 0, 0, 1},
				      .sport = 53,
				      .dport = sport,
				      .proto = 17,
				      .payload = payload};
	}
	w->len = fs_craft_frame(w->frame, &c);
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
		w->err = errno ? errno : EINVAL;
		return NULL;
	}
	pthread_barrier_wait(w->start);
	for (i = 0; i < CALLS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = w->frame, .data_size_in = w->len,
			    .repeat = REPEAT);
		if (bpf_prog_test_run_opts(w->prog_fd, &opts)) {
			w->err = errno;
			break;
		}
	}
	w->done = 1;
	return NULL;
}

static int count_flows(int fd)
{
	struct fs_flow_key k, next;
	void *prev = NULL;
	int n = 0;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

/* Worker i's UDP payload: a size of its own, so the sums tell the workers apart. */
static __u16 payload_of(int i)
{
	return (__u16)(100 + 50 * i);
}

/*
 * One round: every CPU on one flow. reverse: the odd CPUs send the replies,
 * so each direction is updated from its own CPUs while the other is too.
 */
static void round_trip(struct flowscope_bpf *skel, int ncpus, __u16 sport, int reverse)
{
	const __u64 n = (__u64)CALLS * REPEAT;
	int flows_fd = bpf_map__fd(skel->maps.flows);
	struct worker w[FS_MAX_TEST_CPUS];
	pthread_t th[FS_MAX_TEST_CPUS];
	__u64 want[2] = {0}, want_bytes = 0, want_sumsq = 0, total;
	__u16 min[2] = {0xffff, 0xffff}, max[2] = {0, 0};
	pthread_barrier_t start;
	struct fs_flow_entry e;
	struct fs_flow_key key;
	int i, flip;

	pthread_barrier_init(&start, NULL, (unsigned int)ncpus);
	for (i = 0; i < ncpus; i++) {
		int dir = reverse && (i & 1);
		__u16 pl = payload_of(i);

		w[i] = (struct worker){.cpu = i,
				       .start = &start,
				       .prog_fd = bpf_program__fd(skel->progs.flowscope_xdp)};
		udp_frame(&w[i], sport, dir, pl);
		want[dir] += n;
		want_bytes += n * (20 + 8 + pl);
		want_sumsq += n * pl * pl;
		min[dir] = pl < min[dir] ? pl : min[dir];
		max[dir] = pl > max[dir] ? pl : max[dir];
	}
	for (i = 0; i < ncpus; i++)
		pthread_create(&th[i], NULL, run_worker, &w[i]);
	for (i = 0; i < ncpus; i++) {
		pthread_join(th[i], NULL);
		CHECK(w[i].err == 0, "worker on CPU %d: %s", i, strerror(w[i].err));
	}
	pthread_barrier_destroy(&start);

	CHECK(count_flows(flows_fd) == 1, "one flow expected, found %d", count_flows(flows_fd));
	memset(&key, 0, sizeof(key));
	CHECK(bpf_map_get_next_key(flows_fd, NULL, &key) == 0, "no flow in the map");
	CHECK(bpf_map_lookup_and_delete_elem_flags(flows_fd, &key, &e, BPF_F_LOCK) == 0,
	      "lookup: %s", strerror(errno));
	/* The flow's forward direction is that of whichever CPU inserted it. */
	flip = reverse && e.stats.dir[0].payload_min != min[0];
	for (i = 0; i < 2; i++) {
		int g = i ^ flip;

		CHECK(e.stats.dir[i].packets == want[g],
		      "direction %d: %llu packets, expected %llu", i,
		      (unsigned long long)e.stats.dir[i].packets, (unsigned long long)want[g]);
		if (!want[g])
			continue;
		CHECK(e.stats.dir[i].payload_min == min[g] && e.stats.dir[i].payload_max == max[g],
		      "direction %d: payload min/max %u/%u, expected %u/%u", i,
		      e.stats.dir[i].payload_min, e.stats.dir[i].payload_max, min[g], max[g]);
	}
	total = e.stats.dir[0].bytes + e.stats.dir[1].bytes;
	CHECK(total == want_bytes, "bytes: %llu, expected %llu", (unsigned long long)total,
	      (unsigned long long)want_bytes);
	total = e.stats.dir[0].payload_sumsq + e.stats.dir[1].payload_sumsq;
	CHECK(total == want_sumsq, "sum of squares: %llu, expected %llu", (unsigned long long)total,
	      (unsigned long long)want_sumsq);
}

static int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

struct drained {
	__u64 records, packets, alone, empty;
};

static int add_record(void *ctx, const struct fs_record *r)
{
	struct drained *d = ctx;
	__u64 packets = fs_flow_packets(&r->stats);

	d->records++;
	d->packets += packets;
	d->alone += r->reason == FS_END_DRAIN_RACE;
	d->empty += packets == 0;
	return 0;
}

/* What all the drain-race runs added up to, for the closing line. */
struct race_totals {
	__u64 runs, sent, recorded, counted, records, alone, drains;
};

/*
 * CPU 1 sends one flow's packets; CPU 0 takes the flow out of the table
 * meanwhile. Every packet the program saw must be in a record or in an
 * unrecorded counter, and it must have seen every packet sent.
 */
static void drain_while_sending(struct race_totals *tot)
{
	struct drained got = {0};
	struct fs_engine_config cfg = {
		.kind = FS_ENGINE_KERNEL,
		.live = true,
		.max_flows = 1024,
		.meter = FS_METER_DEFAULTS,
		.emit = add_record,
		.emit_ctx = &got,
	};
	const __u64 sent = (__u64)CALLS * REPEAT;
	struct fs_engine *e = fs_engine_create(&cfg);
	__u64 drains = 0, c[FS_CNT_MAX], counted;
	pthread_barrier_t start;
	struct worker w;
	pthread_t th;
	int ret;

	CHECK(e != NULL, "cannot create the kernel engine");
	if (!e)
		return;
	pthread_barrier_init(&start, NULL, 2);
	w = (struct worker){.cpu = 1,
			    .start = &start,
			    .prog_fd =
				    bpf_program__fd(fs_engine_kernel_skel(e)->progs.flowscope_xdp)};
	udp_frame(&w, 3000, 0, 100);
	CHECK(pin_to(0) == 0, "cannot pin the drain to CPU 0");
	pthread_create(&th, NULL, run_worker, &w);
	pthread_barrier_wait(&start);
	while (!w.done) {
		/* all: take the flow whether or not it has ended, the hardest case. */
		ret = fs_engine_expire(e, 0, true);
		CHECK(ret >= 0, "drain: %d", ret);
		CHECK(fs_engine_kernel_poll(e, 0) >= 0, "ring buffer");
		drains++;
	}
	pthread_join(th, NULL);
	CHECK(w.err == 0, "sender: %s", strerror(w.err));
	CHECK(fs_engine_expire(e, 0, true) >= 0, "last drain");
	CHECK(fs_engine_kernel_poll(e, 0) >= 0, "ring buffer");
	CHECK(fs_engine_read_counters(e, c) == 0, "counters");
	counted = fs_packets_outside_records(c);
	CHECK(c[FS_CNT_PACKETS] == sent, "the program saw %llu packets of %llu sent",
	      (unsigned long long)c[FS_CNT_PACKETS], (unsigned long long)sent);
	CHECK(got.packets + counted == sent,
	      "drain race: %llu packets sent, %llu in %llu records, %llu counted as unrecorded",
	      (unsigned long long)sent, (unsigned long long)got.packets,
	      (unsigned long long)got.records, (unsigned long long)counted);
	CHECK(got.empty == 0, "%llu records of no packet", (unsigned long long)got.empty);
	CHECK(got.records > 100, "only %llu records: the drain hardly met the sender",
	      (unsigned long long)got.records);
	tot->runs++;
	tot->sent += sent;
	tot->recorded += got.packets;
	tot->counted += counted;
	tot->records += got.records;
	tot->alone += got.alone;
	tot->drains += drains;
	pthread_barrier_destroy(&start);
	fs_engine_destroy(e);
}

static __u64 now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: concurrency [--rounds N] [--drain-runs N] [--seconds S]\n"
		"  --rounds N      rounds of every CPU on one flow (default %d)\n"
		"  --drain-runs N  runs of the drain race, 100000 packets each (default 1)\n"
		"  --seconds S     stop starting drain-race runs after S seconds\n",
		ROUNDS);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"rounds", required_argument, NULL, 'r'},
					     {"drain-runs", required_argument, NULL, 'd'},
					     {"seconds", required_argument, NULL, 's'},
					     {NULL, 0, NULL, 0}};
	int ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN), rounds = ROUNDS, runs = 1, opt, r;
	__u64 seconds = 0, t0 = now_s();
	struct race_totals tot = {0};
	struct flowscope_bpf *skel;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'd')
			runs = atoi(optarg);
		else if (opt == 's')
			seconds = strtoull(optarg, NULL, 10);
		else
			usage();
	}
	if (optind != argc || rounds < 0 || runs < 0)
		usage();
	if (ncpus < 2) {
		fprintf(stderr, "concurrency: needs 2 CPUs\n");
		return 1;
	}
	if (ncpus > FS_MAX_TEST_CPUS)
		ncpus = FS_MAX_TEST_CPUS;
	skel = flowscope_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "concurrency: cannot load the BPF program: %s\n", strerror(errno));
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		round_trip(skel, ncpus, 1000 + r, 1); /* both directions, from different CPUs */
		round_trip(skel, ncpus, 2000 + r, 0); /* one direction from every CPU */
	}
	flowscope_bpf__destroy(skel);
	printf("concurrency: %d rounds of %d x %d packets, one flow on all %d CPUs: %s\n",
	       2 * rounds, ncpus, CALLS * REPEAT, ncpus, failures ? "FAILED" : "exact");
	for (r = 0; r < runs && (!seconds || now_s() - t0 < seconds); r++)
		drain_while_sending(&tot);
	printf("concurrency: drain race, %llu runs: %llu packets sent while %llu drains ran; %llu "
	       "in %llu records (%llu recorded alone), %llu counted as unrecorded, %llu lost\n",
	       (unsigned long long)tot.runs, (unsigned long long)tot.sent,
	       (unsigned long long)tot.drains, (unsigned long long)tot.recorded,
	       (unsigned long long)tot.records, (unsigned long long)tot.alone,
	       (unsigned long long)tot.counted,
	       (unsigned long long)(tot.sent - tot.recorded - tot.counted));
	return failures ? 1 : 0;
}
