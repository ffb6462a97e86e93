/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What flowscope's HTML pages share (a run's report, an evaluation's): the
 * page's frame and style, text escaped, numbers for people, the colour of a
 * class. The pages are well-formed XML as well as HTML (every element
 * closed, only XML's entities), so xmllint checks them and their SVGs whole;
 * they hold no script and fetch nothing.
 */
#ifndef FS_HTML_H
#define FS_HTML_H

#include <stddef.h>
#include <stdio.h>

/*
 * A page drawn by draw(f, ctx) into memory, then to path whole (or to
 * stdout for NULL or "-"). 0, or -1 after "flowscope: PATH: why".
 */
int fs_html_write(const char *path, void (*draw)(FILE *f, const void *ctx), const void *ctx);
/* <!DOCTYPE html> to <body> and the page's <h1>title</h1>. */
void fs_html_head(FILE *f, const char *title);
/* The closing line, then </body></html>. */
void fs_html_foot(FILE *f, const char *doc);
/* Text for an element or an attribute: &, <, >, " and ' escaped. */
void fs_html_text(FILE *f, const char *s);
/* 1234567 -> "1.23 MB" (powers of 1000, as the rates of a link). */
void fs_html_human(char *buf, size_t len, double x, const char *unit);
/*
 * The colour of class c of names[0..n): flowscope's own classes have theirs
 * ("" is a flow not classified), the others take a palette's in order.
 */
const char *fs_html_class_colour(char *const *names, unsigned int c);

#endif /* FS_HTML_H */
