// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * No lost updates when two CPUs update one flow at the same moment: two
 * threads pinned to CPUs 0 and 1 drive one flow through the real BPF program
 * with BPF_PROG_TEST_RUN (repeat), starting together on a flow that does not
 * exist yet, so they race on the insert too. The totals must be exact.
 * Needs root (CAP_BPF) and two CPUs.
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "flow.h"
#include "flowscope.skel.h"

#define CALLS  200
#define REPEAT 500
#define ROUNDS 20

struct worker {
	int cpu;
	int prog_fd;
	__u8 frame[64];
	__u32 len;
	pthread_barrier_t *start;
	int err;
};

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* UDP 10.0.0.1:sport -> 10.0.0.2:53 (or the reverse) with `payload` bytes. */
static void udp_frame(struct worker *w, __u16 sport, int reverse, __u16 payload)
{
	__u8 a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
	__u16 ip_len = 20 + 8 + payload, s = reverse ? 53 : sport, d = reverse ? sport : 53;
	__u8 *p = w->frame;

	memset(w->frame, 0, sizeof(w->frame));
	p[12] = 0x08;
	p += 14;
	p[0] = 0x45;
	p[2] = ip_len >> 8;
	p[3] = ip_len & 0xff;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, reverse ? b : a, 4);
	memcpy(p + 16, reverse ? a : b, 4);
	p += 20;
	p[0] = s >> 8;
	p[1] = s & 0xff;
	p[2] = d >> 8;
	p[3] = d & 0xff;
	w->len = 14 + ip_len;
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
			return NULL;
		}
	}
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

/* One round: two CPUs, one flow; reverse: the second CPU sends the replies. */
static void round_trip(struct flowscope_bpf *skel, __u16 sport, int reverse)
{
	const __u64 n = (__u64)CALLS * REPEAT;
	int flows_fd = bpf_map__fd(skel->maps.flows);
	struct worker w[2];
	pthread_barrier_t start;
	struct fs_flow_entry e;
	struct fs_flow_key key;
	pthread_t th[2];
	__u64 total;
	int i;

	pthread_barrier_init(&start, NULL, 2);
	for (i = 0; i < 2; i++) {
		w[i] = (struct worker){.cpu = i,
				       .start = &start,
				       .prog_fd = bpf_program__fd(skel->progs.flowscope_xdp)};
		/* Different sizes per CPU, so the sums tell the two apart. */
		udp_frame(&w[i], sport, reverse && i == 1, i ? 200 : 100);
	}
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, run_worker, &w[i]);
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CHECK(w[i].err == 0, "worker on CPU %d: %s", i, strerror(w[i].err));
	}
	pthread_barrier_destroy(&start);

	CHECK(count_flows(flows_fd) == 1, "one flow expected, found %d", count_flows(flows_fd));
	memset(&key, 0, sizeof(key));
	CHECK(bpf_map_get_next_key(flows_fd, NULL, &key) == 0, "no flow in the map");
	CHECK(bpf_map_lookup_and_delete_elem_flags(flows_fd, &key, &e, BPF_F_LOCK) == 0,
	      "lookup: %s", strerror(errno));
	total = e.stats.dir[0].packets + e.stats.dir[1].packets;
	CHECK(total == 2 * n, "packets: %llu, expected %llu", (unsigned long long)total,
	      (unsigned long long)(2 * n));
	total = e.stats.dir[0].bytes + e.stats.dir[1].bytes;
	CHECK(total == n * 128 + n * 228, "bytes: %llu, expected %llu", (unsigned long long)total,
	      (unsigned long long)(n * 356));
	total = e.stats.dir[0].payload_sumsq + e.stats.dir[1].payload_sumsq;
	CHECK(total == n * 100 * 100 + n * 200 * 200, "sum of squares: %llu",
	      (unsigned long long)total);
	if (reverse) {
		/* Each direction holds exactly one CPU's packets. */
		CHECK(e.stats.dir[0].packets == n && e.stats.dir[1].packets == n,
		      "per direction: %llu/%llu, expected %llu each",
		      (unsigned long long)e.stats.dir[0].packets,
		      (unsigned long long)e.stats.dir[1].packets, (unsigned long long)n);
		CHECK(e.stats.dir[0].payload_min == e.stats.dir[0].payload_max &&
			      e.stats.dir[1].payload_min == e.stats.dir[1].payload_max,
		      "a direction mixes both CPUs' packets");
	} else {
		CHECK(e.stats.dir[1].packets == 0, "same-direction packets counted backward");
		CHECK(e.stats.dir[0].payload_min == 100 && e.stats.dir[0].payload_max == 200,
		      "min/max %u/%u", e.stats.dir[0].payload_min, e.stats.dir[0].payload_max);
	}
}

int main(void)
{
	struct flowscope_bpf *skel;
	int r;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "concurrency: needs 2 CPUs\n");
		return 1;
	}
	skel = flowscope_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "concurrency: cannot load the BPF program: %s\n", strerror(errno));
		return 1;
	}
	for (r = 0; r < ROUNDS; r++) {
		round_trip(skel, 1000 + r, 1); /* both directions, one per CPU */
		round_trip(skel, 2000 + r, 0); /* one direction from both CPUs */
	}
	flowscope_bpf__destroy(skel);
	printf("concurrency: %d rounds of 2 x %d packets on 2 CPUs: %s\n", 2 * ROUNDS,
	       CALLS * REPEAT, failures ? "FAILED" : "exact");
	return failures ? 1 : 0;
}
