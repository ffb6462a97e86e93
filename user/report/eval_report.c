// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * eval --report: the scorecard eval prints, drawn. Confusion matrices as
 * heat maps (each cell shaded by its share of its row), per-class precision,
 * recall and F1 as bars, the early-classification curve, and the captures
 * whose verdict was wrong. Each cell, bar and point carries its exact
 * number in a data- attribute, as the text eval prints has it.
 */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "report/eval_report.h"
#include "report/html.h"

#define CELL_W	   64
#define CELL_H	   30
#define LABEL_W	   90
#define BARS_H	   180
#define CURVE_W	   640
#define CURVE_H	   220
#define CURVE_LEFT 50

/* What is drawn of one confusion matrix. */
struct matrix {
	const char *id, *title;
	const struct fs_confusion *c;
};

static void cell(FILE *f, const struct fs_model *m, unsigned int truth, unsigned int said,
		 __u64 count, __u64 row)
{
	double share = row ? (double)count / (double)row : 0;
	double x = LABEL_W + said * CELL_W, y = 20 + truth * CELL_H;
	const char *name = said < m->nclasses ? m->classes[said] : "none";

	fprintf(f,
		"<rect x=\"%.0f\" y=\"%.0f\" width=\"%d\" height=\"%d\" fill=\"#1f4e99\" "
		"fill-opacity=\"%.3f\" stroke=\"#ccc\" data-truth=\"",
		x, y, CELL_W, CELL_H, 0.05 + 0.9 * share);
	fs_html_text(f, m->classes[truth]);
	fputs("\" data-said=\"", f);
	fs_html_text(f, name);
	fprintf(f, "\" data-count=\"%llu\"><title>", (unsigned long long)count);
	fs_html_text(f, m->classes[truth]);
	fputs(" said ", f);
	fs_html_text(f, name);
	fprintf(f, ": %llu of %llu (%.1f%%)</title></rect>\n", (unsigned long long)count,
		(unsigned long long)row, 100 * share);
	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\"%s>%llu</text>\n",
		x + CELL_W / 2.0, y + CELL_H / 2.0 + 4, share > 0.5 ? " style=\"fill: #fff\"" : "",
		(unsigned long long)count);
}

static void heat_map(FILE *f, const struct fs_model *m, const struct matrix *mx)
{
	const struct fs_confusion *c = mx->c;
	unsigned int t, s, n = c->n;
	__u64 row;

	fprintf(f, "<h3>%s: macro-F1 %.3f, %llu scored</h3>\n", mx->title, fs_confusion_macro_f1(c),
		(unsigned long long)fs_confusion_total(c));
	fprintf(f,
		"<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"role=\"img\"><title>",
		mx->id, LABEL_W + (n + 1) * CELL_W + 10, 30 + n * CELL_H);
	fs_html_text(f, mx->title);
	fputs(": rows are the truth, columns what was said</title>\n", f);
	for (s = 0; s <= n; s++) {
		fprintf(f, "<text x=\"%d\" y=\"14\" text-anchor=\"middle\">",
			LABEL_W + s * CELL_W + CELL_W / 2);
		fs_html_text(f, s < n ? m->classes[s] : "none");
		fputs("</text>\n", f);
	}
	for (t = 0; t < n; t++) {
		row = fs_confusion_row_sum(c, t);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 6,
			20 + t * CELL_H + CELL_H / 2 + 4);
		fs_html_text(f, m->classes[t]);
		fputs("</text>\n", f);
		for (s = 0; s <= n; s++)
			cell(f, m, t, s, c->cells[t * (n + 1) + s], row);
	}
	fputs("</svg>\n", f);
}

/* Precision, recall and F1 of each class that occurs, as bars on 0..1. */
static void class_bars(FILE *f, const struct fs_model *m, const struct fs_confusion *c)
{
	static const char *const what[] = {"precision", "recall", "F1"};
	static const char *const shade[] = {"#8fb3e0", "#3f7fc9", "#1f4e99"};
	unsigned int k, i, shown = 0;
	double v, x;

	fputs("<h2>Per class (the MLP's capture verdicts)</h2>\n<p>", f);
	for (i = 0; i < 3; i++)
		fprintf(f, "<span class=\"key\" style=\"background: %s\"></span>%s", shade[i],
			what[i]);
	fprintf(f,
		"</p>\n<svg id=\"class-bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" role=\"img\"><title>Precision, recall and F1 per class</title>\n",
		LABEL_W + m->nclasses * 130, BARS_H + 40);
	for (i = 0; i <= 4; i++)
		fprintf(f,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
			LABEL_W - 10, 10 + BARS_H - BARS_H * i / 4.0, LABEL_W + m->nclasses * 130,
			10 + BARS_H - BARS_H * i / 4.0, LABEL_W - 14,
			14 + BARS_H - BARS_H * i / 4.0, i / 4.0);
	for (k = 0; k < m->nclasses; k++) {
		if (!fs_confusion_row_sum(c, k))
			continue; /* no capture of this class: nothing to score */
		x = LABEL_W + shown++ * 130;
		for (i = 0; i < 3; i++) {
			v = i == 0   ? fs_confusion_precision(c, k)
			    : i == 1 ? fs_confusion_recall(c, k)
				     : fs_confusion_f1(c, k);
			fprintf(f,
				"<rect x=\"%.0f\" y=\"%.1f\" width=\"32\" height=\"%.1f\" "
				"fill=\"%s\" data-class=\"",
				x + i * 36, 10 + BARS_H - BARS_H * v, BARS_H * v, shade[i]);
			fs_html_text(f, m->classes[k]);
			fprintf(f, "\" data-%s=\"%.3f\"><title>", what[i], v);
			fs_html_text(f, m->classes[k]);
			fprintf(f, ": %s %.3f</title></rect>\n", what[i], v);
		}
		fprintf(f, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">", x + 52,
			BARS_H + 28);
		fs_html_text(f, m->classes[k]);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

static double curve_x(unsigned int point)
{
	return CURVE_LEFT + point * (CURVE_W - CURVE_LEFT - 20) / (double)FS_EARLY_POINTS;
}

static double curve_y(double v)
{
	return 10 + CURVE_H - CURVE_H * v;
}

/* A series over the early points and the end: a line, and a dot with its number each. */
static void series(FILE *f, const char *name, const char *colour, const double *v)
{
	unsigned int i;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour);
	for (i = 0; i <= FS_EARLY_POINTS; i++)
		fprintf(f, "%s%.1f,%.1f", i ? " " : "", curve_x(i), curve_y(v[i]));
	fputs("\"/>\n", f);
	for (i = 0; i <= FS_EARLY_POINTS; i++) {
		fprintf(f,
			"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" data-series=\"%s\" "
			"data-point=\"",
			curve_x(i), curve_y(v[i]), colour, name);
		if (i < FS_EARLY_POINTS)
			fprintf(f, "%u", 2u << i);
		else
			fputs("end", f);
		fprintf(f, "\" data-value=\"%.3f\"><title>%s %.3f</title></circle>\n", v[i], name,
			v[i]);
	}
}

static void early_curve(FILE *f, const struct fs_early_evaluation *e)
{
	double f1[FS_EARLY_POINTS + 1], good[FS_EARLY_POINTS + 1], right = 0;
	unsigned int i;

	for (i = 0; i < FS_EARLY_POINTS; i++) {
		f1[i] = fs_confusion_macro_f1(&e->at[i]);
		right += (double)e->right_from[i];
		good[i] = e->flows ? right / (double)e->flows : 0;
	}
	f1[FS_EARLY_POINTS] = fs_confusion_macro_f1(&e->final);
	good[FS_EARLY_POINTS] =
		e->flows ? (right + (double)e->right_from[FS_EARLY_POINTS]) / (double)e->flows : 0;
	fprintf(f,
		"<h2>Early classification</h2>\n<p>The %llu activity flows after their first "
		"packets (a flow that ended sooner keeps its final class): "
		"<span class=\"key\" style=\"background: #1f4e99\"></span>macro-F1 "
		"<span class=\"key\" style=\"background: #e07b00\"></span>share right for good "
		"from then on.</p>\n",
		(unsigned long long)e->flows);
	fprintf(f,
		"<svg id=\"early\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"role=\"img\"><title>Macro-F1 and flows right for good by packet count</title>\n",
		CURVE_W, CURVE_H + 40);
	for (i = 0; i <= 4; i++)
		fprintf(f,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
			CURVE_LEFT, curve_y(i / 4.0), curve_x(FS_EARLY_POINTS), curve_y(i / 4.0),
			CURVE_LEFT - 6, curve_y(i / 4.0) + 4, i / 4.0);
	for (i = 0; i <= FS_EARLY_POINTS; i++) {
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", curve_x(i),
			CURVE_H + 28);
		if (i < FS_EARLY_POINTS)
			fprintf(f, "%u", 2u << i);
		else
			fputs("end", f);
		fputs("</text>\n", f);
	}
	series(f, "macro-F1", "#1f4e99", f1);
	series(f, "right for good", "#e07b00", good);
	fputs("</svg>\n", f);
}

static void wrong_captures(FILE *f, const struct fs_evaluation *e, const struct fs_model *m,
			   const struct fs_manifest *mf)
{
	size_t i, wrong = 0;

	fprintf(f,
		"<h2>Captures whose verdict (%s) is wrong</h2>\n<table id=\"wrong\">\n"
		"<tr><th>capture</th><th>class</th><th>said</th></tr>\n",
		m->nmlp ? "MLP" : "k-means");
	for (i = 0; i < e->ncaptures && i < mf->n; i++) {
		if (e->truth[i] < 0 || e->verdict[i] == e->truth[i])
			continue;
		wrong++;
		fputs("<tr><td>", f);
		fs_html_text(f, mf->entries[i].name);
		fputs("</td><td>", f);
		fs_html_text(f, m->classes[e->truth[i]]);
		fputs("</td><td>", f);
		fs_html_text(f, e->verdict[i] >= 0 ? m->classes[e->verdict[i]] : "none");
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	if (!wrong)
		fputs("<p>None.</p>\n", f);
}

static void page(FILE *f, const struct fs_scorecard *sc, const struct fs_model *m,
		 const struct fs_manifest *mf, const char *model_path, const char *manifest_path)
{
	const struct fs_evaluation *e = &sc->whole;
	const struct matrix matrices[] = {
		{"capture-mlp", "MLP, captures", &e->capture_mlp},
		{"capture-host-mlp", "MLP, the host's verdict per capture (no flow labels)",
		 &e->capture_host_mlp},
		{"flow-mlp", "MLP, flows carrying the activity", &e->flow_mlp},
		{"capture-kmeans", "k-means, captures", &e->capture_kmeans},
		{"flow-kmeans", "k-means, flows carrying the activity", &e->flow_kmeans},
	};
	unsigned int i;

	fs_html_head(f, "flowscope evaluation");
	fputs("<p>The model <code>", f);
	fs_html_text(f, model_path ? model_path : "(shipped)");
	fputs("</code> on the captures of <code>", f);
	fs_html_text(f, manifest_path);
	fprintf(f, "</code>: %llu captures scored.</p>\n<h2>Confusion matrices</h2>\n",
		(unsigned long long)fs_confusion_total(m->nmlp ? &e->capture_mlp
							       : &e->capture_kmeans));
	for (i = 0; i < FS_ARRAY_SIZE(matrices); i++) {
		if ((i < 3 && !m->nmlp) || (i >= 3 && !m->has_kmeans))
			continue;
		heat_map(f, m, &matrices[i]);
	}
	if (m->nmlp)
		class_bars(f, m, &e->capture_mlp);
	if (m->nmlp)
		early_curve(f, &sc->early);
	wrong_captures(f, e, m, mf);
	fs_html_foot(f, "docs/REPORT.md");
}

struct eval_page {
	const struct fs_scorecard *sc;
	const struct fs_model *m;
	const struct fs_manifest *mf;
	const char *model_path, *manifest_path;
};

static void draw(FILE *f, const void *ctx)
{
	const struct eval_page *p = ctx;

	page(f, p->sc, p->m, p->mf, p->model_path, p->manifest_path);
}

int fs_eval_report_write(const char *path, const struct fs_scorecard *sc, const struct fs_model *m,
			 const struct fs_manifest *mf, const char *model_path,
			 const char *manifest_path)
{
	struct eval_page p = {sc, m, mf, model_path, manifest_path};

	return fs_html_write(path, draw, &p);
}
