// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * udp-blast HOST PORT FLOWS RATE SECONDS SIZE: UDP datagrams of SIZE bytes to
 * HOST, ports PORT..PORT+FLOWS-1 in turn (so FLOWS flows), at RATE per second
 * (0: as fast as it can) for SECONDS. Sent by sendmmsg in batches, paced per
 * batch. Prints the datagrams sent. For tools/bench_veth.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#define BATCH 32

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts = {.tv_sec = (time_t)t, .tv_nsec = (long)((t - (time_t)t) * 1e9)};

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int main(int argc, char **argv)
{
	static char payload[65536];
	struct sockaddr_in dst[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	unsigned long long sent = 0;
	double rate, seconds, start, end;
	unsigned int port, flows, size, next = 0, i;
	int fd;

	if (argc != 7) {
		fprintf(stderr, "usage: udp-blast HOST PORT FLOWS RATE SECONDS SIZE\n");
		return 2;
	}
	port = (unsigned int)atoi(argv[2]);
	flows = (unsigned int)atoi(argv[3]);
	rate = atof(argv[4]);
	seconds = atof(argv[5]);
	size = (unsigned int)atoi(argv[6]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || !flows || size > sizeof(payload) || port + flows > 65536) {
		fprintf(stderr, "udp-blast: bad arguments or no socket (%s)\n", strerror(errno));
		return 2;
	}
	iov.iov_base = payload;
	iov.iov_len = size;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		dst[i].sin_family = AF_INET;
		if (inet_pton(AF_INET, argv[1], &dst[i].sin_addr) != 1) {
			fprintf(stderr, "udp-blast: %s: not an IPv4 address\n", argv[1]);
			return 2;
		}
		msgs[i].msg_hdr.msg_name = &dst[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(dst[i]);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now_s();
	end = start + seconds;
	for (;;) {
		double t = now_s();
		int n;

		if (t >= end)
			break;
		/* Paced per batch: the batch that would be early waits for its time. */
		if (rate > 0 && start + (sent + BATCH) / rate > t)
			sleep_until(start + (sent + BATCH) / rate);
		for (i = 0; i < BATCH; i++, next = (next + 1) % flows)
			dst[i].sin_port = htons((unsigned short)(port + next));
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n < 0 && errno != ENOBUFS && errno != EAGAIN) {
			fprintf(stderr, "udp-blast: sendmmsg: %s\n", strerror(errno));
			return 1;
		}
		if (n > 0)
			sent += (unsigned int)n;
		/* Ports of a batch that was not sent whole are skipped: their flows get one less.
		 */
	}
	printf("%llu\n", sent);
	return 0;
}
