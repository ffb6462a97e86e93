// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The IPFIX exporter's speed: a million classified flows handed to it, and
 * a collector of our own on loopback that counts the flow records it gets,
 * reading the templates it is sent (so nothing here assumes their layout).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "classify/classify.h"
#include "features/unit.h"
#include "output/ipfix.h"

#define EXPORT_FLOWS  1000000
#define MAX_TEMPLATES 1024

/* What the collector knows of each template: its fields' lengths, and whether it is a flow's. */
struct tmpl {
	unsigned int nfields;
	unsigned short len[512];
	int is_flow; /* holds flowStartMilliseconds: one per flow */
};

struct collector {
	int fd, tcp;
	struct tmpl t[MAX_TEMPLATES];
	__u64 flows;
	__u64 expect;
	double last;
};

static void read_template_set(struct collector *c, const __u8 *p, const __u8 *end)
{
	while (p + 4 <= end) {
		unsigned int id = p[0] << 8 | p[1], n = p[2] << 8 | p[3], i;
		struct tmpl *t = id < MAX_TEMPLATES ? &c->t[id] : NULL;

		p += 4;
		if (!t || n > 512)
			return;
		t->nfields = n;
		t->is_flow = 0;
		for (i = 0; i < n && p + 4 <= end; i++) {
			unsigned int ie = (p[0] << 8 | p[1]) & 0x7fff;

			t->len[i] = p[2] << 8 | p[3];
			if (ie == 152 && !(p[0] & 0x80))
				t->is_flow = 1;
			p += (p[0] & 0x80) ? 8 : 4;
		}
	}
}

/* Data records of a set, walked field by field (strings have their own lengths). */
static void read_data_set(struct collector *c, const struct tmpl *t, const __u8 *p, const __u8 *end)
{
	unsigned int i;

	while (t->nfields && p < end) {
		for (i = 0; i < t->nfields && p < end; i++) {
			unsigned int len = t->len[i];

			if (len == 65535) {
				len = *p++;
				if (len == 255 && p + 2 <= end) {
					len = p[0] << 8 | p[1];
					p += 2;
				}
			}
			p += len;
		}
		if (p <= end && t->is_flow)
			c->flows++;
	}
}

static void read_message(struct collector *c, const __u8 *m, size_t len)
{
	const __u8 *p = m + 16, *end = m + len;

	while (p + 4 <= end) {
		unsigned int id = p[0] << 8 | p[1], slen = p[2] << 8 | p[3];

		if (slen < 4 || p + slen > end)
			return;
		if (id == 2)
			read_template_set(c, p + 4, p + slen);
		else if (id >= 256 && id < MAX_TEMPLATES)
			read_data_set(c, &c->t[id], p + 4, p + slen);
		p += slen;
	}
}

static void *collect(void *arg)
{
	struct collector *c = arg;
	static __u8 buf[1 << 16];
	size_t have = 0;
	int fd = c->fd;
	ssize_t n;

	if (c->tcp && (fd = accept(c->fd, NULL, NULL)) < 0)
		return NULL;
	while (c->flows < c->expect) {
		n = recv(fd, buf + have, sizeof(buf) - have, 0);
		if (n <= 0)
			break;
		c->last = now_s();
		if (!c->tcp) {
			read_message(c, buf, (size_t)n);
			continue;
		}
		have += (size_t)n;
		/* A stream of messages, each with its length in its header. */
		while (have >= 16 && (size_t)(buf[2] << 8 | buf[3]) <= have) {
			size_t mlen = buf[2] << 8 | buf[3];

			if (mlen < 16)
				return NULL;
			read_message(c, buf, mlen);
			memmove(buf, buf + mlen, have - mlen);
			have -= mlen;
		}
	}
	if (c->tcp)
		close(fd);
	return NULL;
}

static int open_collector(struct collector *c, int tcp, char *target, size_t len)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int big = 256 << 20;
	struct timeval tv = {.tv_sec = 3};

	memset(c, 0, sizeof(*c));
	c->tcp = tcp;
	c->fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (c->fd < 0)
		return -1;
	/* Root may pass rmem_max: a slow reader must not be what loses datagrams. */
	setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(c->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(c->fd, (struct sockaddr *)&a, &alen) < 0 || (tcp && listen(c->fd, 1) < 0))
		return -1;
	snprintf(target, len, "%s://127.0.0.1:%u", tcp ? "tcp" : "udp", ntohs(a.sin_port));
	return 0;
}

/* One classified flow, as flow_output makes them; each copy gets its own port and start. */
static void make_row(struct fs_unit *u, struct fs_assessment *a, const struct fs_model *m)
{
	struct fs_record rec;

	make_flow_record(&rec, 16, 1);
	fs_unit_from_flow(u, &rec, 0);
	fs_assess_unit(a, u, m);
}

struct export_run {
	double seconds; /* first flow handed over to the last one received */
	__u64 received;
};

/* pace_s: seconds between flows handed over (0: as fast as they come). */
static int run_export(int tcp, bool wait_when_full, double pace_s, const struct fs_model *m,
		      struct export_run *r)
{
	struct fs_ipfix_config cfg = {.pen = FS_IPFIX_DEFAULT_PEN,
				      .queue = FS_IPFIX_DEFAULT_QUEUE,
				      .wait_when_full = wait_when_full};
	struct collector *c = malloc(sizeof(*c));
	struct fs_assessment a;
	struct fs_row row = {.model = m, .verdict = &a.verdict, .features = &a.features};
	struct fs_ipfix *x;
	struct fs_unit u;
	pthread_t th;
	char target[64];
	double t0;
	__u32 i;

	if (!c || open_collector(c, tcp, target, sizeof(target)) < 0) {
		free(c);
		return -1;
	}
	c->expect = EXPORT_FLOWS;
	cfg.target = target;
	make_row(&u, &a, m);
	row.unit = &u;
	pthread_create(&th, NULL, collect, c);
	x = fs_ipfix_open(&cfg, m);
	if (!x) {
		close(c->fd);
		free(c);
		return -1;
	}
	t0 = now_s();
	for (i = 0; i < EXPORT_FLOWS; i++) {
		/* A drain hands records over in runs; keep its pace every 1024, asleep. */
		if (pace_s > 0 && !(i % 1024)) {
			double ahead = t0 + i * pace_s - now_s();
			struct timespec ts = {0, (long)(ahead * 1e9)};

			if (ahead > 0)
				nanosleep(&ts, NULL);
		}
		u.src_port = (__u16)i;
		u.first_ts += 1000;
		fs_ipfix_add(x, &row);
	}
	fs_ipfix_close(x); /* sends what is queued */
	pthread_join(th, NULL);
	r->seconds = c->last - t0;
	r->received = c->flows;
	close(c->fd);
	free(c);
	return 0;
}

void print_ipfix_export(void)
{
	/* Live, flows come at the pace of the live drain of a million (1.1 s, make bench). */
	static const struct {
		int tcp;
		bool wait;
		double pace_s;
		const char *what;
	} runs[] = {
		{0, true, 0, "UDP, replay (waits)"},
		{1, true, 0, "TCP, replay (waits)"},
		{0, false, 1.1e-6, "UDP, live, drain pace"},
		{1, false, 1.1e-6, "TCP, live, drain pace"},
	};
	struct export_run r;
	struct fs_model m;
	unsigned int i;

	if (fs_model_load(&m, "models/default.model") < 0)
		return;
	printf("\nIPFIX export of %d classified flows (no features) to a collector on loopback\n",
	       EXPORT_FLOWS);
	printf("%-22s %10s %12s %10s %10s  %s\n", "how", "seconds", "flows/s", "received",
	       "dropped", "goal: 1M in < 2 s, none lost");
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		if (run_export(runs[i].tcp, runs[i].wait, runs[i].pace_s, &m, &r) < 0) {
			printf("%-22s failed\n", runs[i].what);
			continue;
		}
		printf("%-22s %10.2f %12.0f %10llu %10llu  %s\n", runs[i].what, r.seconds,
		       r.received / r.seconds, (unsigned long long)r.received,
		       (unsigned long long)(EXPORT_FLOWS - r.received),
		       r.seconds < 2 && r.received == EXPORT_FLOWS ? "met" : "MISSED");
	}
	fs_model_free(&m);
}
