// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "engine/counter_report.h"
#include "classify/classify.h"
#include "live/summary.h"
#include "features/unit.h"
#include "common/util.h"

static __u64 flow_bytes(const struct fs_flow_stats *s)
{
	return s->dir[0].bytes + s->dir[1].bytes;
}

/* Keep the FS_SUMMARY_TOP flows with the most bytes, in order. */
static void consider_top(struct fs_summary *s, const struct fs_flow_key *k,
			 const struct fs_flow_stats *st, int cls, float confidence)
{
	unsigned int i;

	if (s->ntop < FS_SUMMARY_TOP)
		i = s->ntop++;
	else if (flow_bytes(&s->top[FS_SUMMARY_TOP - 1].stats) >= flow_bytes(st))
		return;
	else
		i = FS_SUMMARY_TOP - 1;
	/* Insertion into a list kept sorted by bytes, largest first. */
	while (i > 0 && flow_bytes(&s->top[i - 1].stats) < flow_bytes(st)) {
		s->top[i] = s->top[i - 1];
		i--;
	}
	s->top[i].key = *k;
	s->top[i].stats = *st;
	s->top[i].cls = cls;
	s->top[i].confidence = confidence;
}

/* Early classification: what the flow looks like from its statistics so far. */
static int classify_open_flow(const struct fs_summary *s, const struct fs_engine *e,
			      const struct fs_flow_key *k, const struct fs_flow_stats *st,
			      struct fs_verdict *v)
{
	struct fs_record rec = {.key = *k, .stats = *st};
	struct fs_assessment a;
	struct fs_unit u;
	int cls;

	fs_unit_from_flow(&u, &rec, e->cfg.meter.cic_compat);
	fs_assess_unit(&a, &u, s->model);
	*v = a.verdict;
	cls = fs_assessment_class(&a);
	return cls >= 0 ? cls : FS_UNCLASSIFIED; /* unknown: the model is unsure, or says nothing */
}

/* An open flow's say in the host table: the host that opened it, in wall-clock time. */
static void add_host_ballot(struct fs_summary *s, const struct fs_flow_key *k,
			    const struct fs_flow_stats *st, const struct fs_verdict *v)
{
	struct fs_host_ballot b = {(__u64)((__s64)st->first_ts + s->wall_offset_ns),
				   (__u64)((__s64)st->last_ts + s->wall_offset_ns),
				   (double)flow_bytes(st), v->probs};

	if (s->hosts && v->mlp_class >= 0)
		fs_hosts_add(s->hosts, st->fwd_is_lo ? k->lo_addr : k->hi_addr, &b);
}

/* One engine's scan into the summary: the engine's meter says how its flows are read. */
struct collect {
	struct fs_summary *s;
	const struct fs_engine *e;
};

static int add_flow(void *ctx, const struct fs_flow_key *k, const struct fs_flow_stats *st)
{
	const struct collect *c = ctx;
	struct fs_summary *s = c->s;
	struct fs_verdict v = {.confidence = 0};
	int cls = -1;

	if (s->model && s->classified < FS_SUMMARY_CLASSIFY_MAX) {
		cls = classify_open_flow(s, c->e, k, st, &v);
		add_host_ballot(s, k, st, &v);
		s->classified++;
	}
	s->active_flows++;
	s->packets += fs_flow_packets(st);
	s->bytes += flow_bytes(st);
	s->active[cls >= 0 ? cls : FS_UNCLASSIFIED].flows++;
	s->active[cls >= 0 ? cls : FS_UNCLASSIFIED].bytes += flow_bytes(st);
	consider_top(s, k, st, cls, v.confidence);
	return 0;
}

/* Flows past the budget that made the top: what they are is what a person reads. */
static void classify_top(struct fs_summary *s, const struct fs_engine *e)
{
	struct fs_verdict v;
	unsigned int i;

	for (i = 0; s->model && i < s->ntop; i++) {
		if (s->top[i].cls >= 0)
			continue;
		s->top[i].cls = classify_open_flow(s, e, &s->top[i].key, &s->top[i].stats, &v);
		s->top[i].confidence = v.confidence;
	}
}

int fs_summary_collect(struct fs_summary *s, struct fs_engine *e, __u64 counters[FS_CNT_MAX])
{
	struct collect ctx = {s, e};
	int i, err = fs_engine_scan(e, add_flow, &ctx);

	classify_top(s, e);
	if (!err && fs_engine_read_counters(e, counters) == 0) {
		for (i = 0; i < FS_CNT_MAX; i++)
			s->counters[i] += counters[i];
	}
	return err;
}

int fs_summary_judge_hosts(struct fs_summary *s)
{
	__u64 to = s->now_ns + s->wall_offset_ns;
	__u64 from = to > s->host_window_ns ? to - s->host_window_ns : 0;
	struct fs_host_row *rows;
	size_t n, i;

	if (!s->hosts)
		return 0;
	if (fs_hosts_judge(s->hosts, from, to, &rows, &n) < 0)
		return -1;
	s->nhosts = n;
	for (i = 0; i < n; i++)
		if (rows[i].cls >= 0 && rows[i].cls < FS_MODEL_MAX_CLASSES)
			s->host_classes[rows[i].cls]++;
	s->ntop_hosts = n < FS_SUMMARY_TOP ? (unsigned int)n : FS_SUMMARY_TOP;
	memcpy(s->top_hosts, rows, s->ntop_hosts * sizeof(*rows));
	s->hosts_left_out = fs_hosts_left_out(s->hosts);
	free(rows);
	return 0;
}

/* 1234567 -> "1.2M": fits a column, reads at a glance. */
static const char *human(char *buf, size_t len, double v)
{
	const char *prefix;
	double x = fs_si_scale(v, &prefix);

	snprintf(buf, len, *prefix ? "%.1f%s" : "%.0f%s", x, prefix);
	return buf;
}

static const char *class_name(const struct fs_summary *s, int cls)
{
	if (cls == FS_UNCLASSIFIED)
		return FS_UNKNOWN_CLASS;
	return cls >= 0 && cls < FS_UNCLASSIFIED ? s->model->classes[cls] : "-";
}

static void print_top(FILE *out, const struct fs_summary *s)
{
	char src[80], dst[80], p[8], b[16], pk[16], r[16];
	unsigned int i;

	fprintf(out, "\n%-44s %-44s %-5s %8s %8s %8s %6s", "SOURCE", "DESTINATION", "PROTO",
		"PACKETS", "BYTES", "BYTES/S", "AGE");
	fprintf(out, s->model ? "  %-12s %4s\n" : "\n", "CLASS", "CONF");
	for (i = 0; i < s->ntop; i++) {
		const struct fs_summary_flow *f = &s->top[i];
		const __u8 *sa = f->stats.fwd_is_lo ? f->key.lo_addr : f->key.hi_addr;
		const __u8 *da = f->stats.fwd_is_lo ? f->key.hi_addr : f->key.lo_addr;
		__u16 sp = f->stats.fwd_is_lo ? f->key.lo_port : f->key.hi_port;
		__u16 dp = f->stats.fwd_is_lo ? f->key.hi_port : f->key.lo_port;
		double age =
			s->now_ns > f->stats.first_ts ? (s->now_ns - f->stats.first_ts) / 1e9 : 0;

		fs_format_endpoint(src, sizeof(src), sa, sp);
		fs_format_endpoint(dst, sizeof(dst), da, dp);
		fprintf(out, "%-44s %-44s %-5s %8s %8s %8s %5.0fs", src, dst,
			fs_proto_name(f->key.proto, p, sizeof(p)),
			human(pk, sizeof(pk), (double)fs_flow_packets(&f->stats)),
			human(b, sizeof(b), (double)flow_bytes(&f->stats)),
			human(r, sizeof(r), age > 0 ? flow_bytes(&f->stats) / age : 0), age);
		if (s->model && f->cls >= 0)
			fprintf(out, "  %-12s %4.2f\n", class_name(s, f->cls), f->confidence);
		else
			fprintf(out, s->model ? "  %-12s\n" : "\n", "-");
	}
}

/*
 * Each host's verdict over the window, from its flows open or ended in it
 * (classify/host_vote.h): the score is the class's share of the bytes plus
 * half the share of the window its flows cover.
 */
static void print_hosts(FILE *out, const struct fs_summary *s)
{
	char addr[64], b[16];
	unsigned int i;

	fprintf(out, "\n%-40s %6s %8s  %-12s %5s   (%llu hosts, last %.0fs", "HOST", "FLOWS",
		"BYTES", "ACTIVITY", "SCORE", (unsigned long long)s->nhosts,
		s->host_window_ns / 1e9);
	if (s->hosts_left_out)
		fprintf(out, "; %llu flows left out", (unsigned long long)s->hosts_left_out);
	fputs(")\n", out);
	for (i = 0; i < s->ntop_hosts; i++) {
		const struct fs_host_row *h = &s->top_hosts[i];

		fs_format_addr(addr, sizeof(addr), h->addr);
		fprintf(out, "%-40s %6llu %8s  %-12s %5.2f\n", addr, (unsigned long long)h->flows,
			human(b, sizeof(b), h->bytes), class_name(s, h->cls), h->score);
	}
}

/* A class's bytes so far, in the tables and exported. */
static __u64 class_bytes(const struct fs_summary *s, int c)
{
	return s->active[c].bytes + s->finished[c].bytes;
}

/*
 * Per class: flows open now, the rate its bytes grew at since the last
 * refresh, flows exported, bytes in all. A flow can change class as it
 * grows, so a class's rate is floored at zero.
 */
static void print_classes(FILE *out, const struct fs_summary *s, const struct fs_summary *prev,
			  double dt)
{
	char r[16], b[16];
	int c;

	fprintf(out, "\n%-14s %8s %9s %9s %9s", "CLASS", "ACTIVE", "BYTES/S", "FINISHED", "BYTES");
	/* The kernel model's verdicts: flows holding the class now, bytes since verdicts. */
	if (s->kernel.n)
		fprintf(out, " %9s %9s", "KERNEL", "K-BYTES");
	fputc('\n', out);
	for (c = 0; c <= FS_UNCLASSIFIED; c++) {
		double rate = 0;

		if (c < FS_UNCLASSIFIED && (unsigned int)c >= s->model->nclasses)
			continue;
		if (c == FS_UNCLASSIFIED && !s->active[c].flows && !s->finished[c].flows)
			continue;
		if (prev && dt > 0 && class_bytes(s, c) > class_bytes(prev, c))
			rate = (class_bytes(s, c) - class_bytes(prev, c)) / dt;
		fprintf(out, "%-14s %8llu %9s %9llu %9s", class_name(s, c),
			(unsigned long long)s->active[c].flows, human(r, sizeof(r), rate),
			(unsigned long long)s->finished[c].flows,
			human(b, sizeof(b), (double)class_bytes(s, c)));
		if (s->kernel.n && c < (int)s->kernel.n)
			fprintf(out, " %9llu %9s",
				(unsigned long long)(s->kernel.count[c].flows -
						     s->kernel.count[c].moved),
				human(b, sizeof(b), (double)s->kernel.count[c].bytes));
		fputc('\n', out);
	}
}

void fs_summary_print(FILE *out, bool tty, const char *title, const struct fs_summary *s,
		      const struct fs_summary *prev)
{
	double dt = prev && s->now_ns > prev->now_ns ? (s->now_ns - prev->now_ns) / 1e9 : 0;
	double pps = dt > 0 ? (s->packets - prev->packets) / dt : 0;
	double bps = dt > 0 ? (s->bytes - prev->bytes) / dt : 0;
	char a[16], b[16], line[FS_COUNTERS_TEXT_MAX];

	if (tty)
		fputs("\033[H\033[2J", out); /* home, clear: redraw like top */
	fprintf(out, "flowscope on %s\n", title);
	fprintf(out,
		"active flows %llu   packets/s %s   bytes/s %s   records written %llu   "
		"alerts %llu\n",
		(unsigned long long)s->active_flows, human(a, sizeof(a), pps),
		human(b, sizeof(b), bps), (unsigned long long)s->records,
		(unsigned long long)s->alerts);
	fs_counters_format(line, sizeof(line), s->counters);
	fprintf(out,
		"packets seen %llu (%llu in records, %llu in open flows); not in a record: %s\n",
		(unsigned long long)s->counters[FS_CNT_PACKETS],
		(unsigned long long)s->record_packets,
		(unsigned long long)(s->packets - s->record_packets), line);
	if (s->model)
		print_classes(out, s, prev, dt);
	if (s->hosts)
		print_hosts(out, s);
	if (tty || s->ntop)
		print_top(out, s);
	if (!tty)
		fputc('\n', out);
	fflush(out);
}
