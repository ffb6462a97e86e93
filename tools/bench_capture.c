// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The benchmark's libpcap side, apart from tools/bench.c because libpcap's
 * <pcap/bpf.h> and the kernel's <linux/bpf.h> both define struct bpf_insn.
 */
#include <pcap/pcap.h>
#include <stdlib.h>

#include "bench.h"

/*
 * Simple IMIX frame sizes (7:4:1 of 64, 594 and 1518 bytes), the usual mix
 * for throughput tests: small packets only would flatter the bare loop.
 */
static __u16 imix_payload(unsigned int *seed, int tcp)
{
	static const __u16 frame_len[12] = {64, 64, 64, 64, 64, 64, 64, 594, 594, 594, 594, 1518};
	__u16 headers = 14 + 20 + (tcp ? 20 : 8);

	return frame_len[rand_r(seed) % 12] - headers;
}

/* REPLAY_PACKETS packets over REPLAY_FLOWS flows: TCP and UDP, 1 us apart. */
int generate_capture(const char *path)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							    PCAP_TSTAMP_PRECISION_MICRO);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	unsigned int seed = 42;
	__u8 frame[1600];
	__u32 i;

	if (!d)
		return -1;
	for (i = 0; i < REPLAY_PACKETS; i++) {
		__u32 flow = rand_r(&seed) % REPLAY_FLOWS;
		struct pcap_pkthdr h = {.ts = {1700000000 + i / 1000000, i % 1000000}};

		h.caplen = h.len = make_frame(frame, flow, imix_payload(&seed, flow & 1), flow & 1);
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}

double bare_libpcap_pps(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);
	struct pcap_pkthdr *h;
	const u_char *data;
	__u64 n = 0, bytes = 0;
	double t0 = now_s(), pps;

	if (!p)
		return -1;
	while (pcap_next_ex(p, &h, &data) == 1) {
		n++;
		bytes += h->len + data[0]; /* touch the packet, as a reader would */
	}
	pps = n / (now_s() - t0);
	pcap_close(p);
	return bytes ? pps : -1;
}
