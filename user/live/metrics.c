// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Prometheus's text exposition format, version 0.0.4: a HELP and a TYPE
 * line per metric, then its samples. Names follow its conventions: a
 * flowscope_ prefix, counters end in _total, base units (bytes, seconds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/counter_report.h"
#include "live/metrics.h"
#include "common/numfmt.h"
#include "common/util.h"

static const double drain_bounds[FS_DRAIN_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
						      0.05,   0.1,   0.25,   0.5,   1,	  2.5};

void fs_drain_histogram_observe(struct fs_drain_histogram *h, double seconds)
{
	int b = 0;

	while (b < FS_DRAIN_BUCKETS && seconds > drain_bounds[b])
		b++;
	h->counts[b]++;
	h->runs++;
	h->seconds += seconds;
}

/* The other kernel counters, one metric each. */
static const struct {
	enum fs_counter counter;
	const char *name;
	const char *help;
} kernel_counters[] = {
	{FS_CNT_PACKETS, "packets_total", "Frames the programs saw."},
	{FS_CNT_FRAGMENTS, "fragments_total",
	 "Non-first IP fragments (each also counted in its flow)."},
	{FS_CNT_FLOWS_REFUSED, "flows_refused_total",
	 "New flows the table could not take, each counted once."},
	{FS_CNT_EVENTS_LOST, "ring_events_lost_total",
	 "Events dropped because the ring buffer was full."},
	{FS_CNT_RECORDS_LOST, "records_merged_total",
	 "Finished flows merged into their successor because the ring buffer was full."},
};

static void header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP flowscope_%s %s\n# TYPE flowscope_%s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* " V\n", formatted as the record writer does (common/numfmt.h). */
static void put_u64(FILE *f, __u64 v)
{
	char buf[FS_NUM_MAX + 2] = " ";
	size_t n = 1 + fs_fmt_u64(buf + 1, v);

	buf[n++] = '\n';
	fwrite(buf, 1, n, f);
}

static void sample(FILE *f, const char *name, const char *label, const char *value, __u64 v)
{
	fprintf(f, "flowscope_%s", name);
	if (label) {
		fprintf(f, "{%s=\"", label);
		label_value(f, value);
		fputs("\"}", f);
	}
	put_u64(f, v);
}

static void render_info(FILE *f, const struct fs_metrics_view *v)
{
	const struct fs_model *m = v->summary->model;
	const char *base = v->model_path ? strrchr(v->model_path, '/') : NULL;

	header(f, "info", "gauge", "Always 1: the version, and the model classifying the flows.");
	fputs("flowscope_info{version=\"" FS_VERSION "\"", f);
	if (m && v->model_path) {
		fputs(",model=\"", f);
		label_value(f, base ? base + 1 : v->model_path);
		fputs("\",model_path=\"", f);
		label_value(f, v->model_path);
		fprintf(f, "\",model_checksum=\"%08x\",model_created=\"", m->checksum);
		label_value(f, m->created ? m->created : "");
		fputc('"', f);
	}
	fputs("} 1\n", f);
	header(f, "start_time_seconds", "gauge", "When attach started, in Unix time.");
	fprintf(f, "flowscope_start_time_seconds %.3f\n", v->start_time);
}

/* One sample per interface and class of the kernel model's verdicts. */
static void class_samples(FILE *f, const struct fs_metrics_view *v, const char *name, int what)
{
	unsigned int c;
	int i;

	for (i = 0; i < v->nifaces; i++) {
		const struct fs_class_counts *k = &v->ifaces[i].classes;

		for (c = 0; c < k->n; c++) {
			const struct fs_class_count *n = &k->count[c];

			fprintf(f, "flowscope_%s{interface=\"", name);
			label_value(f, v->ifaces[i].name);
			fputs("\",class=\"", f);
			label_value(f, k->names[c]);
			fputs("\"}", f);
			put_u64(f, what == 0   ? n->flows
				   : what == 1 ? n->packets
				   : what == 2 ? n->bytes
					       : n->moved);
		}
	}
}

/* The kernel model's verdicts (attach with a model that has one). */
static void render_kernel_verdicts(FILE *f, const struct fs_metrics_view *v)
{
	int i, any = 0;

	for (i = 0; i < v->nifaces; i++)
		any |= v->ifaces[i].classes.n > 0;
	if (!any)
		return;
	header(f, "kernel_class_flows_total", "counter",
	       "Flows the kernel model has given a class, by that class (a flow decided "
	       "again into another class counts in both).");
	class_samples(f, v, "kernel_class_flows_total", 0);
	header(f, "kernel_class_packets_total", "counter",
	       "Packets of those flows from their verdict on, by class.");
	class_samples(f, v, "kernel_class_packets_total", 1);
	header(f, "kernel_class_bytes_total", "counter", "IP bytes of those packets, by class.");
	class_samples(f, v, "kernel_class_bytes_total", 2);
	header(f, "kernel_class_moved_total", "counter",
	       "Flows of a class that a later checkpoint gave another class, by the old class.");
	class_samples(f, v, "kernel_class_moved_total", 3);
}

static void render_kernel(FILE *f, const struct fs_metrics_view *v)
{
	size_t k, r;
	int i;

	for (k = 0; k < FS_ARRAY_SIZE(kernel_counters); k++) {
		header(f, kernel_counters[k].name, "counter", kernel_counters[k].help);
		for (i = 0; i < v->nifaces; i++)
			sample(f, kernel_counters[k].name, "interface", v->ifaces[i].name,
			       v->ifaces[i].counters[kernel_counters[k].counter]);
	}
	header(f, "packets_unrecorded_total", "counter",
	       "Frames in no flow record, by reason; with the packets in records they add up to "
	       "flowscope_packets_total.");
	for (i = 0; i < v->nifaces; i++) {
		for (r = 0; r < FS_UNRECORDED_REASONS; r++) {
			fputs("flowscope_packets_unrecorded_total{interface=\"", f);
			label_value(f, v->ifaces[i].name);
			fprintf(f, "\",reason=\"%s\"}", fs_unrecorded_reasons[r].key);
			put_u64(f, v->ifaces[i].counters[fs_unrecorded_reasons[r].counter]);
		}
	}
	render_kernel_verdicts(f, v);
	header(f, "table_flows", "gauge", "Flows open in the interface's table.");
	for (i = 0; i < v->nifaces; i++)
		sample(f, "table_flows", "interface", v->ifaces[i].name, v->ifaces[i].table_flows);
	header(f, "table_size_flows", "gauge", "The flows the interface's table can hold.");
	for (i = 0; i < v->nifaces; i++)
		sample(f, "table_size_flows", "interface", v->ifaces[i].name,
		       v->ifaces[i].table_size);
}

static void render_records(FILE *f, const struct fs_summary *s)
{
	header(f, "records_total", "counter", "Flow records written.");
	sample(f, "records_total", NULL, NULL, s->records);
	header(f, "record_packets_total", "counter", "Packets in the flow records written.");
	sample(f, "record_packets_total", NULL, NULL, s->record_packets);
	header(f, "bytes_total", "counter",
	       "Bytes of the packets in flows: those in records and those in open flows.");
	sample(f, "bytes_total", NULL, NULL, s->bytes);
	header(f, "alerts_total", "counter", "Lines written to the alert log.");
	sample(f, "alerts_total", NULL, NULL, s->alerts);
}

static const char *class_label(const struct fs_model *m, int c)
{
	return c == FS_UNCLASSIFIED ? FS_UNKNOWN_CLASS : m->classes[c];
}

/* tally[c].flows or .bytes per class: the model's, then unknown (unsure or left out). */
static void per_class(FILE *f, const char *name, const struct fs_model *m,
		      const struct fs_class_tally *tally, bool bytes)
{
	unsigned int c;

	for (c = 0; c < m->nclasses; c++)
		sample(f, name, "class", class_label(m, c),
		       bytes ? tally[c].bytes : tally[c].flows);
	sample(f, name, "class", class_label(m, FS_UNCLASSIFIED),
	       bytes ? tally[FS_UNCLASSIFIED].bytes : tally[FS_UNCLASSIFIED].flows);
}

static void render_classes(FILE *f, const struct fs_summary *s)
{
	const struct fs_model *m = s->model;
	unsigned int c;

	header(f, "finished_flows_total", "counter", "Flows recorded, by the class shown.");
	per_class(f, "finished_flows_total", m, s->finished, false);
	header(f, "finished_flow_bytes_total", "counter", "Bytes of the flows recorded, by class.");
	per_class(f, "finished_flow_bytes_total", m, s->finished, true);
	header(f, "active_flows", "gauge",
	       "Open flows, by their class so far (unknown: unsure, or past the refresh's "
	       "budget).");
	per_class(f, "active_flows", m, s->active, false);
	header(f, "active_flow_bytes", "gauge", "Bytes of the open flows, by class.");
	per_class(f, "active_flow_bytes", m, s->active, true);
	if (!s->hosts)
		return;
	header(f, "hosts", "gauge",
	       "Hosts that opened flows in the host window, by the activity judged.");
	for (c = 0; c < m->nclasses; c++)
		sample(f, "hosts", "activity", m->classes[c], s->host_classes[c]);
}

static void render_drains(FILE *f, const struct fs_drain_histogram *h)
{
	__u64 cumulative = 0;
	int b;

	header(f, "drain_duration_seconds", "histogram",
	       "How long each drain of ended flows took, every interface's table in turn.");
	for (b = 0; b < FS_DRAIN_BUCKETS; b++) {
		cumulative += h->counts[b];
		fprintf(f, "flowscope_drain_duration_seconds_bucket{le=\"%g\"}", drain_bounds[b]);
		put_u64(f, cumulative);
	}
	sample(f, "drain_duration_seconds_bucket", "le", "+Inf", h->runs);
	fprintf(f, "flowscope_drain_duration_seconds_sum %.6f\n", h->seconds);
	sample(f, "drain_duration_seconds_count", NULL, NULL, h->runs);
}

static void render_ipfix(FILE *f, const struct fs_ipfix_stats *st)
{
	header(f, "ipfix_flows_total", "counter",
	       "Flows handed to the IPFIX exporter, by what became of them.");
	sample(f, "ipfix_flows_total", "result", "exported", st->exported);
	sample(f, "ipfix_flows_total", "result", "dropped_queue_full", st->dropped_queue_full);
	sample(f, "ipfix_flows_total", "result", "dropped_send_failed", st->dropped_send_failed);
	header(f, "ipfix_queue_flows", "gauge", "Flows waiting for the collector.");
	sample(f, "ipfix_queue_flows", NULL, NULL, st->queued);
	header(f, "ipfix_queue_size_flows", "gauge", "The flows the export queue can hold.");
	sample(f, "ipfix_queue_size_flows", NULL, NULL, st->queue_size);
}

char *fs_metrics_render(const struct fs_metrics_view *v, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	render_info(f, v);
	render_kernel(f, v);
	render_records(f, v->summary);
	if (v->summary->model)
		render_classes(f, v->summary);
	render_drains(f, v->drains);
	if (v->ipfix)
		render_ipfix(f, v->ipfix);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
