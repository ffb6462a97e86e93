// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "common/util.h"
#include "report/html.h"

int fs_html_write(const char *path, void (*draw)(FILE *f, const void *ctx), const void *ctx)
{
	char *page = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&page, &len);
	int err;

	if (!f)
		return fs_err(path, "out of memory for the report");
	draw(f, ctx);
	if (fclose(f) != 0) {
		free(page);
		return fs_err(path, "out of memory for the report");
	}
	if (!path || strcmp(path, "-") == 0)
		err = fwrite(page, 1, len, stdout) == len && fflush(stdout) == 0
			      ? 0
			      : fs_err("stdout", "cannot write the report: %s", strerror(errno));
	else
		err = fs_write_whole(path, "report", page, len);
	free(page);
	return err;
}

void fs_html_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"generator\" content=\"flowscope " FS_VERSION "\"/>\n<title>",
	      f);
	fs_html_text(f, title);
	fputs("</title>\n<style>\n"
	      "body { font: 14px/1.4 sans-serif; margin: 1.5em auto; max-width: 1000px; "
	      "color: #222; }\n"
	      "h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.8em; }\n"
	      "table { border-collapse: collapse; } td, th { padding: 2px 8px; "
	      "border-bottom: 1px solid #ddd; text-align: left; }\n"
	      "td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; "
	      "white-space: nowrap; }\n"
	      "#top-flows { font-size: 12px; }\n"
	      ".key { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 "
	      "1em; vertical-align: -0.1em; }\n"
	      "svg text { font: 11px sans-serif; fill: #444; }\n"
	      "@media print { body { max-width: none; } h2 { break-after: avoid; } }\n"
	      "</style>\n</head>\n<body>\n<h1>",
	      f);
	fs_html_text(f, title);
	fputs("</h1>\n", f);
}

void fs_html_foot(FILE *f, const char *doc)
{
	fprintf(f,
		"<p><small>Made by flowscope " FS_VERSION "; %s says what each part shows."
		"</small></p>\n</body>\n</html>\n",
		doc);
}

void fs_html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void fs_html_human(char *buf, size_t len, double v, const char *unit)
{
	const char *prefix;
	double x = fs_si_scale(v, &prefix);

	snprintf(buf, len, *prefix ? "%.3g %s%s" : "%.4g %s%s", x, prefix, unit);
}

/* The colours of the classes flowscope ships, then a palette for the others. */
static const struct {
	const char *name, *colour;
} known_colours[] = {
	{"call", "#d62728"},  {"video", "#1f77b4"},   {"browsing", "#2ca02c"},
	{"other", "#9e9e9e"}, {"unknown", "#bcbd22"}, {"", "#cfcfcf"},
};
static const char *const palette[] = {"#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
				      "#17becf", "#7f7f00", "#393b79", "#ad494a"};

static bool has_own_colour(const char *name, const char **colour)
{
	unsigned int k;

	for (k = 0; k < FS_ARRAY_SIZE(known_colours); k++) {
		if (strcmp(name, known_colours[k].name) == 0) {
			*colour = known_colours[k].colour;
			return true;
		}
	}
	return false;
}

const char *fs_html_class_colour(char *const *names, unsigned int c)
{
	const char *colour;
	unsigned int i, others = 0;

	if (has_own_colour(names[c], &colour))
		return colour;
	/* The palette in order among the classes without a colour of their own. */
	for (i = 0; i < c; i++)
		others += !has_own_colour(names[i], &colour);
	return palette[others % FS_ARRAY_SIZE(palette)];
}
