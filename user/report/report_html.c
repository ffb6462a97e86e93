// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The report's page. It is well-formed XML as well as HTML (every element
 * closed, only XML's entities), so xmllint can check it and its SVGs whole.
 * Hover text is SVG <title> and HTML title attributes: no script.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/counter_report.h"
#include "common/util.h"
#include "report/html.h"
#include "report/report_view.h"

#define WIDTH	   960
#define LEFT	   80 /* the axis labels' room */
#define PLOT_W	   (WIDTH - LEFT - 10)
#define RATE_H	   220
#define MARKS_H	   44 /* the strip of flow starts (up) and ends (down) */
#define HOST_LABEL 250
#define HOST_ROW   18

static const char *class_label(const struct fs_report_view *v, unsigned int c)
{
	return *v->classes[c] ? v->classes[c] : "not classified";
}

/* A length of time: "250 ms", "42.5 s", "7.2 min", "3.1 h", "12 days". */
static void duration_text(char *buf, size_t len, double seconds)
{
	if (seconds < 1)
		snprintf(buf, len, "%.3g ms", seconds * 1e3);
	else if (seconds < 120)
		snprintf(buf, len, "%.3g s", seconds);
	else if (seconds < 7200)
		snprintf(buf, len, "%.3g min", seconds / 60);
	else if (seconds < 172800)
		snprintf(buf, len, "%.3g h", seconds / 3600);
	else
		snprintf(buf, len, "%.3g days", seconds / 86400);
}

/* "12:00:01.5" of a time in the run; the date is in the page's header. */
static void clock_text(char *buf, size_t len, __u64 ns, bool tenths)
{
	time_t secs = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(buf, len, "%H:%M:%S", &tm);
	if (tenths)
		snprintf(buf + n, len - n, ".%llu",
			 (unsigned long long)(ns % 1000000000ULL / 100000000ULL));
}

static bool short_run(const struct fs_report_view *v)
{
	return v->t1 - v->t0 < 60ULL * 1000000000ULL;
}

static double column_x(unsigned int b)
{
	return LEFT + (double)b * PLOT_W / FS_REPORT_BINS;
}

static void column_times(const struct fs_report_view *v, unsigned int b, char *from, char *to,
			 size_t len)
{
	clock_text(from, len, v->t0 + b * v->bin_ns, short_run(v));
	clock_text(to, len, v->t0 + (b + 1) * v->bin_ns, short_run(v));
}

static void summary(FILE *f, const struct fs_report_view *v)
{
	char from[64], to[64], bytes[32];
	unsigned int i;

	fs_format_time(from, sizeof(from), v->t0);
	fs_format_time(to, sizeof(to), v->t1);
	fs_html_human(bytes, sizeof(bytes), (double)v->total.bytes, "B");
	fputs("<p id=\"inputs\">Of ", f);
	for (i = 0; i < v->ninputs; i++) {
		fputs(i ? ", <code>" : "<code>", f);
		fs_html_text(f, v->inputs[i]);
		fputs("</code>", f);
	}
	fprintf(f,
		".</p>\n<p>From %s to %s (UTC): <span id=\"total-flows\">%llu</span> flows, "
		"<span id=\"total-packets\">%llu</span> packets, <span id=\"total-bytes\" "
		"title=\"%llu bytes\">%s</span> of IP traffic, %llu hosts starting flows.</p>\n",
		from, to, (unsigned long long)v->total.flows, (unsigned long long)v->total.packets,
		(unsigned long long)v->total.bytes, bytes, (unsigned long long)v->all_hosts);
}

static void legend(FILE *f, const struct fs_report_view *v)
{
	unsigned int c;

	fputs("<p class=\"legend\">", f);
	for (c = 0; c < v->nclasses; c++) {
		fprintf(f, "<span class=\"key\" style=\"background: %s\"></span>",
			fs_html_class_colour(v->classes, c));
		fs_html_text(f, class_label(v, c));
	}
	fputs("</p>\n", f);
}

static double peak_rate(const struct fs_report_view *v)
{
	double peak = 0, sum;
	unsigned int b, c;

	for (b = 0; b < FS_REPORT_BINS; b++) {
		for (c = 0, sum = 0; c < v->nclasses; c++)
			sum += v->rate[b][c];
		peak = fmax(peak, sum);
	}
	return peak;
}

/* 1, 2 or 5 times a power of ten, at or above x: a round top for an axis. */
static double round_up(double x)
{
	double p = x > 0 ? pow(10, floor(log10(x))) : 1;

	return x <= p ? p : x <= 2 * p ? 2 * p : x <= 5 * p ? 5 * p : 10 * p;
}

static void rate_axes(FILE *f, const struct fs_report_view *v, double top)
{
	char label[32];
	unsigned int i, b;

	for (i = 0; i <= 4; i++) {
		double y = 10 + RATE_H - RATE_H * i / 4.0;

		fs_html_human(label, sizeof(label), top * i / 4, "B/s");
		fprintf(f,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			LEFT, y, LEFT + PLOT_W, y, LEFT - 6, y + 4, label);
	}
	for (b = 0; b <= FS_REPORT_BINS; b += FS_REPORT_BINS / 6) {
		clock_text(label, sizeof(label), v->t0 + b * v->bin_ns, short_run(v));
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n", column_x(b),
			10 + RATE_H + MARKS_H + 16,
			b + FS_REPORT_BINS / 6 > FS_REPORT_BINS ? "end" : "middle", label);
	}
}

/* Bytes/s per class, stacked per column, a title on each piece. */
static void rate_columns(FILE *f, const struct fs_report_view *v, double top)
{
	char from[32], to[32], rate[32];
	double base, h;
	unsigned int b, c;

	for (b = 0; b < FS_REPORT_BINS; b++) {
		column_times(v, b, from, to, sizeof(from));
		for (c = 0, base = 0; c < v->nclasses; c++) {
			if (v->rate[b][c] <= 0)
				continue;
			h = RATE_H * v->rate[b][c] / top;
			fs_html_human(rate, sizeof(rate), v->rate[b][c], "B/s");
			fprintf(f,
				"<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
				"fill=\"%s\"><title>",
				column_x(b), 10 + RATE_H - base - h, column_x(b + 1) - column_x(b),
				h, fs_html_class_colour(v->classes, c));
			fs_html_text(f, class_label(v, c));
			fprintf(f, ", %s to %s: %s</title></rect>\n", from, to, rate);
			base += h;
		}
	}
}

/* Under the rates: flows that began in a column (up), and ended (down). */
static void start_end_marks(FILE *f, const struct fs_report_view *v)
{
	double mid = 10 + RATE_H + MARKS_H / 2.0, w = column_x(1) - column_x(0), h;
	char from[32], to[32];
	__u32 peak = 1;
	unsigned int b;

	for (b = 0; b < FS_REPORT_BINS; b++)
		peak = v->starts[b] > peak ? v->starts[b] : v->ends[b] > peak ? v->ends[b] : peak;
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#bbb\"/>\n", LEFT,
		mid, LEFT + PLOT_W, mid);
	fprintf(f,
		"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">starts</text>"
		"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">ends</text>\n",
		LEFT - 6, mid - 6, LEFT - 6, mid + 14);
	for (b = 0; b < FS_REPORT_BINS; b++) {
		column_times(v, b, from, to, sizeof(from));
		if (v->starts[b]) {
			h = (MARKS_H / 2.0 - 2) * v->starts[b] / peak + 1;
			fprintf(f,
				"<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
				"fill=\"#555\"><title>%u flows began, %s to %s</title></rect>\n",
				column_x(b), mid - h, w, h, v->starts[b], from, to);
		}
		if (v->ends[b]) {
			h = (MARKS_H / 2.0 - 2) * v->ends[b] / peak + 1;
			fprintf(f,
				"<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
				"fill=\"#aaa\"><title>%u flows ended, %s to %s</title></rect>\n",
				column_x(b), mid, w, h, v->ends[b], from, to);
		}
	}
}

static void timeline(FILE *f, const struct fs_report_view *v)
{
	double top = round_up(peak_rate(v));
	char width[32];

	fputs("<h2>Bytes per second by class</h2>\n", f);
	legend(f, v);
	fprintf(f,
		"<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n"
		"<title>Bytes per second by class, stacked, and the flows' starts and "
		"ends</title>\n",
		WIDTH, RATE_H + MARKS_H + 30, WIDTH, RATE_H + MARKS_H + 30);
	rate_axes(f, v, top);
	rate_columns(f, v, top);
	start_end_marks(f, v);
	fputs("</svg>\n<p>A flow's bytes are spread evenly over its time (a record holds its sums, "
	      "not its packets' times); each column is ",
	      f);
	duration_text(width, sizeof(width), (double)v->bin_ns / 1e9);
	fprintf(f, "%s.</p>\n", width);
}

/* A host's band: runs of columns with the same class drawn as one piece. */
static void host_band(FILE *f, const struct fs_report_view *v, const struct fs_report_host *h,
		      const char *addr, double y)
{
	char from[32], to[32], bytes[32];
	unsigned int b = 0, e;
	double sum;

	while (b < FS_REPORT_BINS) {
		if (h->dominant[b] < 0) {
			b++;
			continue;
		}
		for (e = b, sum = 0; e < FS_REPORT_BINS && h->dominant[e] == h->dominant[b]; e++)
			sum += h->bin_bytes[e];
		clock_text(from, sizeof(from), v->t0 + b * v->bin_ns, short_run(v));
		clock_text(to, sizeof(to), v->t0 + e * v->bin_ns, short_run(v));
		fs_html_human(bytes, sizeof(bytes), sum, "B");
		fprintf(f,
			"<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
			"<title>%s, %s to %s: mostly ",
			column_x(b), y, column_x(e) - column_x(b), HOST_ROW - 4,
			fs_html_class_colour(v->classes, (unsigned int)h->dominant[b]), addr, from,
			to);
		fs_html_text(f, class_label(v, (unsigned int)h->dominant[b]));
		fprintf(f, " (%s in all)</title></rect>\n", bytes);
		b = e;
	}
}

static void host_table(FILE *f, const struct fs_report_view *v)
{
	char addr[64], bytes[32];
	unsigned int i;
	double y;

	fputs("<h2>Hosts</h2>\n<p>Each host that began flows (a flow is its initiator's), the "
	      "most bytes first: what it did over time (per column, the class with most of its "
	      "bytes), and its verdict for the run, the class with most of its bytes.",
	      f);
	if (v->all_hosts > v->nhosts)
		fprintf(f, " The %llu others are not drawn.",
			(unsigned long long)(v->all_hosts - v->nhosts));
	fputs("</p>\n", f);
	legend(f, v);
	/* Drawn on the timeline's columns with a wider label, then scaled to the page's width. */
	fprintf(f,
		"<svg id=\"hosts\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%.0f\" viewBox=\"0 0 %d %d\" role=\"img\">\n"
		"<title>Each host's activity over time</title>\n",
		WIDTH, (v->nhosts * HOST_ROW + 10) * (double)WIDTH / (WIDTH + HOST_LABEL - LEFT),
		WIDTH + HOST_LABEL - LEFT, v->nhosts * HOST_ROW + 10);
	fprintf(f, "<g transform=\"translate(%d,0)\">\n", HOST_LABEL - LEFT);
	for (i = 0; i < v->nhosts; i++) {
		const struct fs_report_host *h = &v->hosts[i];

		y = 4 + i * HOST_ROW;
		fs_format_addr(addr, sizeof(addr), h->addr);
		fs_html_human(bytes, sizeof(bytes), (double)h->sum.bytes, "B");
		fprintf(f, "<text class=\"host\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s: ",
			LEFT - 6, y + HOST_ROW - 8, addr);
		fs_html_text(f, class_label(v, (unsigned int)h->verdict));
		fprintf(f, "<title>%s: %llu flows, %s; verdict ", addr,
			(unsigned long long)h->sum.flows, bytes);
		fs_html_text(f, class_label(v, (unsigned int)h->verdict));
		fputs("</title></text>\n", f);
		host_band(f, v, h, addr, y);
	}
	fputs("</g>\n</svg>\n", f);
}

static void flow_cells(FILE *f, const struct fs_report_view *v, const struct fs_report_flow *fl)
{
	char src[80], dst[80], proto[8], start[64], bytes[32], rate[32], pace[32], length[32];
	double seconds = (double)(fl->last_ns - fl->first_ns) / 1e9;

	fs_format_endpoint(src, sizeof(src), fl->src, fl->sport);
	fs_format_endpoint(dst, sizeof(dst), fl->dst, fl->dport);
	fs_format_time(start, sizeof(start), fl->first_ns);
	fs_html_human(bytes, sizeof(bytes), (double)fl->bytes, "B");
	duration_text(length, sizeof(length), seconds);
	if (seconds > 0) {
		fs_html_human(rate, sizeof(rate), (double)fl->bytes / seconds, "B/s");
		snprintf(pace, sizeof(pace), "%.4g", (double)fl->packets / seconds);
	} else { /* one packet, or all at one instant: no rate */
		snprintf(rate, sizeof(rate), "-");
		snprintf(pace, sizeof(pace), "-");
	}
	fprintf(f, "<tr title=\"began %s\"><td>%s</td><td>%s</td><td>%s</td><td>", start, src, dst,
		fs_proto_name(fl->proto, proto, sizeof(proto)));
	fs_html_text(f, class_label(v, fl->cls));
	if (fl->confidence >= 0)
		fprintf(f, "</td><td class=\"n\">%.2f", fl->confidence);
	else
		fputs("</td><td class=\"n\">", f);
	fprintf(f,
		"</td><td class=\"n\">%s</td><td class=\"n\" data-value=\"%llu\">%s</td>"
		"<td class=\"n\">%llu</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		length, (unsigned long long)fl->bytes, bytes, (unsigned long long)fl->packets, rate,
		pace);
}

static void top_flows(FILE *f, const struct fs_report_view *v)
{
	unsigned int i;

	fprintf(f,
		"<h2>Top flows by bytes</h2>\n<table id=\"top-flows\">\n<tr><th>from</th><th>to"
		"</th><th>proto</th><th>class</th><th class=\"n\">confidence</th><th class=\"n\">"
		"duration</th><th class=\"n\">bytes</th><th class=\"n\">packets</th><th "
		"class=\"n\">bytes/s</th><th class=\"n\">packets/s</th></tr>\n");
	for (i = 0; i < v->ntop; i++)
		flow_cells(f, v, v->top[i]);
	fputs("</table>\n", f);
}

static void class_table(FILE *f, const struct fs_report_view *v)
{
	char bytes[32];
	unsigned int c;

	fputs("<h2>Classes</h2>\n<table id=\"classes\">\n<tr><th>class</th><th class=\"n\">flows"
	      "</th><th class=\"n\">packets</th><th class=\"n\">bytes</th><th class=\"n\">share "
	      "of bytes</th></tr>\n",
	      f);
	for (c = 0; c < v->nclasses; c++) {
		const struct fs_report_tally *t = &v->per_class[c];

		fs_html_human(bytes, sizeof(bytes), (double)t->bytes, "B");
		fprintf(f, "<tr data-class=\"");
		fs_html_text(f, v->classes[c]);
		fprintf(f, "\"><td><span class=\"key\" style=\"background: %s\"></span>",
			fs_html_class_colour(v->classes, c));
		fs_html_text(f, class_label(v, c));
		fprintf(f,
			"</td><td class=\"n\" data-value=\"%llu\">%llu</td><td class=\"n\" "
			"data-value=\"%llu\">%llu</td><td class=\"n\" data-value=\"%llu\">%s</td>"
			"<td class=\"n\">%.1f%%</td></tr>\n",
			(unsigned long long)t->flows, (unsigned long long)t->flows,
			(unsigned long long)t->packets, (unsigned long long)t->packets,
			(unsigned long long)t->bytes, bytes,
			v->total.bytes ? 100.0 * (double)t->bytes / (double)v->total.bytes : 0);
	}
	fputs("</table>\n", f);
}

static void counter_row(FILE *f, const char *key, const char *words, __u64 n)
{
	fprintf(f,
		"<tr data-counter=\"%s\"><td>%s</td><td class=\"n\" data-value=\"%llu\">%llu"
		"</td></tr>\n",
		key, words, (unsigned long long)n, (unsigned long long)n);
}

/* Every packet seen is in a record or one of these: a reader sees what was lost. */
static void unrecorded(FILE *f, const struct fs_report_view *v)
{
	unsigned int i;
	__s64 open;

	fputs("<h2>Packets no record holds</h2>\n", f);
	if (!v->has_counters) {
		fputs("<p id=\"counters\">Not known: a records file does not carry its run's "
		      "counters (flowscope printed them when it wrote the file). A report of the "
		      "captures themselves shows them.</p>\n",
		      f);
		return;
	}
	fputs("<table id=\"counters\">\n", f);
	counter_row(f, "packets", "packets seen", v->counters[FS_CNT_PACKETS]);
	counter_row(f, "records", "packets in the records above", v->total.packets);
	open = (__s64)(v->counters[FS_CNT_PACKETS] - v->total.packets -
		       fs_packets_outside_records(v->counters));
	if (open > 0) /* a live run's report: flows not yet ended */
		counter_row(f, "open", "packets of flows still open (not yet in a record)",
			    (__u64)open);
	for (i = 0; i < FS_UNRECORDED_REASONS; i++)
		counter_row(f, fs_unrecorded_reasons[i].key, fs_unrecorded_reasons[i].words,
			    v->counters[fs_unrecorded_reasons[i].counter]);
	counter_row(f, "flows_refused", "new flows refused (their packets are counted above)",
		    v->counters[FS_CNT_FLOWS_REFUSED]);
	fputs("</table>\n", f);
}

void fs_report_html(FILE *f, const struct fs_report_view *v)
{
	fs_html_head(f, "flowscope report");
	summary(f, v);
	timeline(f, v);
	host_table(f, v);
	top_flows(f, v);
	class_table(f, v);
	unrecorded(f, v);
	fs_html_foot(f, "docs/REPORT.md");
}
