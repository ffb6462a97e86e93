// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A report's flows, and the aggregates its page draws (report_view.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "common/util.h"
#include "report/html.h"
#include "report/report_view.h"

struct fs_report {
	struct fs_report_flow *flows;
	size_t n, cap;
	char **classes;
	unsigned int nclasses;
	char **inputs;
	unsigned int ninputs;
	bool has_counters;
	__u64 counters[FS_CNT_MAX];
};

struct fs_report *fs_report_new(void)
{
	return calloc(1, sizeof(struct fs_report));
}

static void free_names(char **names, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void fs_report_free(struct fs_report *r)
{
	if (!r)
		return;
	free(r->flows);
	free_names(r->classes, r->nclasses);
	free_names(r->inputs, r->ninputs);
	free(r);
}

int fs_report_class(struct fs_report *r, const char *name)
{
	int i = fs_name_index(r->classes, r->nclasses, name);

	if (i >= 0)
		return i;
	if (r->nclasses == FS_REPORT_MAX_CLASSES)
		return -1;
	return fs_name_add(&r->classes, &r->nclasses, name);
}

int fs_report_add(struct fs_report *r, const struct fs_report_flow *f)
{
	struct fs_report_flow *grown;

	if (r->n == r->cap) {
		grown = realloc(r->flows, (r->cap ? 2 * r->cap : 4096) * sizeof(*grown));
		if (!grown)
			return -1;
		r->flows = grown;
		r->cap = r->cap ? 2 * r->cap : 4096;
	}
	r->flows[r->n++] = *f;
	return 0;
}

int fs_report_add_row(struct fs_report *r, const struct fs_row *row)
{
	const struct fs_unit *u = row->unit;
	const char *name = row->verdict ? fs_verdict_shown_name(row->model, row->verdict) : "";
	struct fs_report_flow f = {
		.first_ns = u->first_ts,
		.last_ns = u->last_ts,
		.bytes = u->dir[0].bytes + u->dir[1].bytes,
		.packets = u->dir[0].packets + u->dir[1].packets,
		.sport = u->src_port,
		.dport = u->dst_port,
		.proto = u->proto,
		.confidence = row->verdict ? row->verdict->confidence : -1,
	};
	int cls = fs_report_class(r, name ? name : "");

	memcpy(f.src, u->src_addr, sizeof(f.src));
	memcpy(f.dst, u->dst_addr, sizeof(f.dst));
	/* Past FS_REPORT_MAX_CLASSES, a class is drawn as the last one's. */
	f.cls = (__u8)(cls < 0 ? FS_REPORT_MAX_CLASSES - 1 : cls);
	return fs_report_add(r, &f);
}

int fs_report_add_input(struct fs_report *r, const char *name)
{
	return fs_name_add(&r->inputs, &r->ninputs, name) < 0 ? -1 : 0;
}

void fs_report_set_counters(struct fs_report *r, const __u64 c[FS_CNT_MAX])
{
	memcpy(r->counters, c, sizeof(r->counters));
	r->has_counters = true;
}

static unsigned int bin_of(const struct fs_report_view *v, __u64 t)
{
	__u64 b = (t - v->t0) / v->bin_ns;

	return b < FS_REPORT_BINS ? (unsigned int)b : FS_REPORT_BINS - 1;
}

/*
 * A flow's bytes over the columns it spans, evenly over its time (a record
 * says no more); out[i] += its bytes in column i.
 */
static void spread(const struct fs_report_view *v, const struct fs_report_flow *f, double *out,
		   size_t stride)
{
	unsigned int a = bin_of(v, f->first_ns), b = bin_of(v, f->last_ns), i;
	double per_ns, lo, hi;

	if (a == b) {
		out[a * stride] += (double)f->bytes;
		return;
	}
	per_ns = (double)f->bytes / (double)(f->last_ns - f->first_ns);
	for (i = a; i <= b; i++) {
		lo = fmax((double)f->first_ns, (double)v->t0 + (double)i * (double)v->bin_ns);
		hi = i == FS_REPORT_BINS - 1
			     ? (double)f->last_ns
			     : fmin((double)f->last_ns,
				    (double)v->t0 + (double)(i + 1) * (double)v->bin_ns);
		out[i * stride] += per_ns * fmax(hi - lo, 0);
	}
}

static void tally(struct fs_report_tally *t, const struct fs_report_flow *f)
{
	t->flows++;
	t->packets += f->packets;
	t->bytes += f->bytes;
}

static void time_range(struct fs_report_view *v, const struct fs_report *r)
{
	size_t i;

	v->t0 = r->n ? r->flows[0].first_ns : 0;
	v->t1 = v->t0;
	for (i = 0; i < r->n; i++) {
		if (r->flows[i].first_ns < v->t0)
			v->t0 = r->flows[i].first_ns;
		if (r->flows[i].last_ns > v->t1)
			v->t1 = r->flows[i].last_ns;
	}
	/* Whole columns of at least a microsecond, so that t1 falls in the last. */
	v->bin_ns = (v->t1 - v->t0) / FS_REPORT_BINS + 1000;
}

static void timeline(struct fs_report_view *v, const struct fs_report *r)
{
	const struct fs_report_flow *f;
	double seconds = (double)v->bin_ns / 1e9;
	unsigned int b, c;
	size_t i;

	for (i = 0; i < r->n; i++) {
		f = &r->flows[i];
		spread(v, f, &v->rate[0][f->cls], FS_REPORT_MAX_CLASSES);
		v->starts[bin_of(v, f->first_ns)]++;
		v->ends[bin_of(v, f->last_ns)]++;
		tally(&v->per_class[f->cls], f);
		tally(&v->total, f);
	}
	for (b = 0; b < FS_REPORT_BINS; b++)
		for (c = 0; c < v->nclasses; c++)
			v->rate[b][c] /= seconds;
}

static void top_flows(struct fs_report_view *v, const struct fs_report *r)
{
	const struct fs_report_flow *f;
	unsigned int j;
	size_t i;

	for (i = 0; i < r->n; i++) {
		f = &r->flows[i];
		if (v->ntop == FS_REPORT_TOP_FLOWS && f->bytes <= v->top[v->ntop - 1]->bytes)
			continue;
		j = v->ntop < FS_REPORT_TOP_FLOWS ? v->ntop++ : v->ntop - 1;
		for (; j > 0 && v->top[j - 1]->bytes < f->bytes; j--)
			v->top[j] = v->top[j - 1];
		v->top[j] = f;
	}
}

static int by_host(const void *a, const void *b, void *report)
{
	const struct fs_report *r = report;
	const struct fs_report_flow *x = &r->flows[*(const size_t *)a];
	const struct fs_report_flow *y = &r->flows[*(const size_t *)b];

	return memcmp(x->src, y->src, sizeof(x->src));
}

/* A host's sums, and where its flows start in the order by host. */
struct host_sum {
	__u8 addr[16];
	struct fs_report_tally sum;
	size_t first;
};

static int by_bytes(const void *a, const void *b)
{
	const struct host_sum *x = a, *y = b;

	return x->sum.bytes < y->sum.bytes ? 1 : x->sum.bytes > y->sum.bytes ? -1 : 0;
}

/* A host's columns and verdict, from its flows order[from, to). */
static void draw_host(const struct fs_report_view *v, const struct fs_report *r,
		      const size_t *order, size_t from, size_t to, struct fs_report_host *h)
{
	static double bins[FS_REPORT_BINS][FS_REPORT_MAX_CLASSES];
	double per_class[FS_REPORT_MAX_CLASSES] = {0}, best;
	unsigned int b, c;
	size_t i;

	memset(bins, 0, sizeof(bins));
	for (i = from; i < to; i++) {
		const struct fs_report_flow *f = &r->flows[order[i]];

		spread(v, f, &bins[0][f->cls], FS_REPORT_MAX_CLASSES);
		per_class[f->cls] += (double)f->bytes;
	}
	for (b = 0; b < FS_REPORT_BINS; b++) {
		h->dominant[b] = -1;
		h->bin_bytes[b] = 0;
		for (c = 0, best = 0; c < v->nclasses; c++) {
			h->bin_bytes[b] += bins[b][c];
			if (bins[b][c] > best) {
				best = bins[b][c];
				h->dominant[b] = (__s8)c;
			}
		}
	}
	h->verdict = 0;
	for (c = 1; c < v->nclasses; c++)
		if (per_class[c] > per_class[h->verdict])
			h->verdict = (int)c;
}

/* Each initiator's sums; the FS_REPORT_HOSTS with the most bytes drawn. */
static int hosts(struct fs_report_view *v, const struct fs_report *r)
{
	size_t *order = malloc((r->n ? r->n : 1) * sizeof(*order)), i, start, nall = 0;
	struct host_sum *all = calloc(r->n ? r->n : 1, sizeof(*all)), *h;
	unsigned int k;

	v->hosts = NULL;
	if (order && all)
		v->hosts = calloc(FS_REPORT_HOSTS, sizeof(*v->hosts));
	if (!v->hosts) {
		free(order);
		free(all);
		return -1;
	}
	for (i = 0; i < r->n; i++)
		order[i] = i;
	qsort_r(order, r->n, sizeof(*order), by_host, (void *)r);
	for (start = 0; start < r->n; start = i, nall++) {
		h = &all[nall];
		memcpy(h->addr, r->flows[order[start]].src, sizeof(h->addr));
		h->first = start;
		for (i = start; i < r->n && memcmp(r->flows[order[i]].src, h->addr, 16) == 0; i++)
			tally(&h->sum, &r->flows[order[i]]);
	}
	v->all_hosts = nall;
	qsort(all, nall, sizeof(*all), by_bytes);
	v->nhosts = nall < FS_REPORT_HOSTS ? (unsigned int)nall : FS_REPORT_HOSTS;
	for (k = 0; k < v->nhosts; k++) {
		memcpy(v->hosts[k].addr, all[k].addr, 16);
		v->hosts[k].sum = all[k].sum;
		draw_host(v, r, order, all[k].first, all[k].first + all[k].sum.flows, &v->hosts[k]);
	}
	free(order);
	free(all);
	return 0;
}

static void draw(FILE *f, const void *view)
{
	fs_report_html(f, view);
}

int fs_report_write(const struct fs_report *r, const char *path)
{
	struct fs_report_view *v = calloc(1, sizeof(*v));
	int err;

	if (!v)
		return fs_err(path, "out of memory for the report");
	v->classes = r->classes;
	v->nclasses = r->nclasses;
	v->inputs = r->inputs;
	v->ninputs = r->ninputs;
	v->has_counters = r->has_counters;
	memcpy(v->counters, r->counters, sizeof(v->counters));
	time_range(v, r);
	if (hosts(v, r) < 0) {
		free(v);
		return fs_err(path, "out of memory for the report");
	}
	timeline(v, r);
	top_flows(v, r);
	err = fs_html_write(path, draw, v);
	free(v->hosts);
	free(v);
	return err;
}
