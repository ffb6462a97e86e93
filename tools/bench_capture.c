// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The benchmark's libpcap side, apart from tools/bench.c because libpcap's
 * <pcap/bpf.h> and the kernel's <linux/bpf.h> both define struct bpf_insn.
 */
#include <math.h>
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

static double lognormal(unsigned int *seed, double mu, double sigma)
{
	double u = (rand_r(seed) + 1.0) / (RAND_MAX + 2.0), v = rand_r(seed) / (RAND_MAX + 1.0);

	return exp(mu + sigma * sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

/*
 * Real traffic's shape: SHAPED_FLOWS flows of log-normal lengths (median 16
 * packets, mean about 34, a few of thousands), their packets interleaved, of
 * log-normal sizes (median 245 bytes of payload). Returns the packets, or -1.
 */
long generate_shaped_capture(const char *path)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							    PCAP_TSTAMP_PRECISION_MICRO);
	pcap_dumper_t *d = pcap_dump_open(dead, path);
	unsigned int seed = 7;
	__u32 *order = NULL, n = 0, i, f, k;
	__u8 frame[1600];

	if (!d)
		return -1;
	for (f = 0; f < SHAPED_FLOWS; f++) {
		__u32 len = 1 + (__u32)lognormal(&seed, 2.8, 1.2);
		__u32 *o = realloc(order, (n + len) * sizeof(*order));

		if (!o) {
			free(order);
			return -1;
		}
		order = o;
		for (k = 0; k < len; k++)
			order[n++] = f;
	}
	for (i = n - 1; i > 0; i--) { /* interleaved: every flow open at once, as on a link */
		__u32 j = rand_r(&seed) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++) {
		struct pcap_pkthdr h = {.ts = {1700000000 + i / 1000000, i % 1000000}};
		double payload = lognormal(&seed, 5.5, 1.3);

		f = order[i];
		h.caplen = h.len =
			make_frame(frame, f, (__u16)(payload > 1400 ? 1400 : payload), f % 3 != 0);
		pcap_dump((u_char *)d, &h, frame);
	}
	free(order);
	pcap_dump_close(d);
	pcap_close(dead);
	return n;
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
