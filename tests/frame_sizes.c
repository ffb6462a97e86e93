// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Frames of every size BPF_PROG_TEST_RUN accepts, through the XDP and the
 * TC program as the kernel runs them live (the length is the frame's own).
 * Each size gets a flow of its own (its source address encodes the size), so
 * the table must show, per size: a frame too short for an IPv4 header counted
 * as a bad IP header, every longer one as exactly one packet of its own flow
 * with its IP length. The size just past the largest accepted is refused by
 * the kernel, and nothing is counted for it. Needs root (CAP_BPF).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "engine/engine_kernel.h"
#include "flow.h"
#include "kernel_model.h" /* the skeleton's rodata holds its config */
#include "flowscope.skel.h"
#include "check.h"

/* The largest IPv4 packet (65535 bytes) in an Ethernet frame. */
#define MAX_FRAME (65535 + 14)
#define ETH_LEN	  14
#define IPV4_LEN  20

static __u8 frame[MAX_FRAME];

/*
 * An IPv4/UDP frame of size bytes from 100+<size>.1 (the size in the first
 * three bytes) to 10.9.9.9, cut where size says.
 */
static void make_frame(__u32 size)
{
	__u32 ip_len = size > ETH_LEN ? size - ETH_LEN : 0;
	__u8 *ip = frame + ETH_LEN;

	memset(frame, 0, sizeof(frame));
	frame[12] = 0x08; /* IPv4 */
	ip[0] = 0x45;
	ip[2] = (__u8)(ip_len >> 8);
	ip[3] = (__u8)ip_len;
	ip[8] = 64;
	ip[9] = 17;
	ip[12] = (__u8)(100 + (size >> 16));
	ip[13] = (__u8)(size >> 8);
	ip[14] = (__u8)size;
	ip[15] = 1;
	memcpy(ip + 16, (__u8[]){10, 9, 9, 9}, 4);
	ip[20] = 0x30; /* UDP 12345 -> 53 */
	ip[21] = 0x39;
	ip[23] = 53;
}

/* The size a flow's key says: its endpoint other than 10.9.9.9. */
static __u32 size_of_flow(const struct fs_flow_key *k)
{
	const __u8 *a = k->lo_addr[15] == 1 ? k->lo_addr : k->hi_addr;

	return (__u32)(a[12] - 100) << 16 | (__u32)a[13] << 8 | a[14];
}

static void sum_counters(int fd, __u64 out[FS_CNT_MAX])
{
	CHECK(fs_counters_read(fd, out) == 0, "cannot read the counters");
}

/* Every size from 0 up through prog_fd; returns the largest it accepts. */
static __u32 run_sizes(int prog_fd, int flows_fd, int counters_fd, const char *hook)
{
	__u64 before[FS_CNT_MAX], after[FS_CNT_MAX];
	__u32 size, largest = 0, short_frames = 0, flows = 0, seen = 0;
	struct fs_flow_key key, next;
	struct fs_flow_entry e;
	void *prev = NULL;

	sum_counters(counters_fd, before);
	for (size = 0; size <= MAX_FRAME; size++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = size);

		if (size == MAX_FRAME)
			break; /* every size an IPv4 packet can have was taken */
		make_frame(size);
		if (bpf_prog_test_run_opts(prog_fd, &opts) != 0) {
			CHECK(errno == EINVAL, "%s, %u bytes: %s", hook, size, strerror(errno));
			/* Shorter than its headers: no frame (the skb test run checks IP's too). */
			if (size < ETH_LEN + IPV4_LEN)
				continue;
			break;
		}
		largest = size;
		if (size < ETH_LEN + IPV4_LEN)
			short_frames++;
		else
			flows++;
	}
	sum_counters(counters_fd, after);
	CHECK(after[FS_CNT_BAD_IP] - before[FS_CNT_BAD_IP] == short_frames,
	      "%s: %llu bad IP headers counted, %u frames too short for one", hook,
	      (unsigned long long)(after[FS_CNT_BAD_IP] - before[FS_CNT_BAD_IP]), short_frames);
	CHECK(after[FS_CNT_NON_IP] == before[FS_CNT_NON_IP], "%s: non-IP counted", hook);

	/* Each flow: one packet, the IP length its size gives; then it is deleted. */
	while (bpf_map_get_next_key(flows_fd, prev, &next) == 0) {
		__u32 s;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem_flags(flows_fd, &key, &e, BPF_F_LOCK) != 0)
			continue;
		s = size_of_flow(&key);
		seen++;
		CHECK(e.stats.dir[0].packets + e.stats.dir[1].packets == 1,
		      "%s, %u bytes: %llu packets", hook, s,
		      (unsigned long long)(e.stats.dir[0].packets + e.stats.dir[1].packets));
		CHECK(e.stats.dir[0].bytes + e.stats.dir[1].bytes == s - ETH_LEN,
		      "%s, %u bytes: %llu IP bytes, expected %u", hook, s,
		      (unsigned long long)(e.stats.dir[0].bytes + e.stats.dir[1].bytes),
		      s - ETH_LEN);
		CHECK(e.stats.dir[0].frame_bytes + e.stats.dir[1].frame_bytes == s,
		      "%s, %u bytes: a frame of %llu bytes", hook, s,
		      (unsigned long long)(e.stats.dir[0].frame_bytes +
					   e.stats.dir[1].frame_bytes));
	}
	CHECK(seen == flows, "%s: %u flows in the table, %u frames long enough for one", hook, seen,
	      flows);
	prev = NULL;
	while (bpf_map_get_next_key(flows_fd, NULL, &next) == 0)
		bpf_map_delete_elem(flows_fd, &next);
	if (size < MAX_FRAME)
		printf("frame_sizes: %s: frames up to %u bytes (%u too short for an IPv4 header, "
		       "%u flows); %u refused\n",
		       hook, largest, short_frames, flows, size);
	else
		printf("frame_sizes: %s: frames of every size up to %u bytes, the largest IPv4 "
		       "packet (%u too short for an IPv4 header, %u flows)\n",
		       hook, largest, short_frames, flows);
	return largest;
}

int main(void)
{
	struct flowscope_bpf *skel = flowscope_bpf__open_and_load();
	int flows_fd, counters_fd;
	__u32 xdp, tc;

	if (!skel) {
		fprintf(stderr, "frame_sizes: cannot load the BPF program: %s\n", strerror(errno));
		return 1;
	}
	flows_fd = bpf_map__fd(skel->maps.flows);
	counters_fd = bpf_map__fd(skel->maps.counters);
	xdp = run_sizes(bpf_program__fd(skel->progs.flowscope_xdp), flows_fd, counters_fd, "XDP");
	tc = run_sizes(bpf_program__fd(skel->progs.flowscope_tc), flows_fd, counters_fd, "TC");
	/* A full Ethernet frame (1514 bytes) at least, or live tests prove little. */
	CHECK(xdp >= 1514 && tc >= 1514, "largest frames: XDP %u, TC %u", xdp, tc);
	flowscope_bpf__destroy(skel);
	return failures ? 1 : 0;
}
