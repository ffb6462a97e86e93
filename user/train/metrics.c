// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "train/metrics.h"

int fs_confusion_init(struct fs_confusion *c, unsigned int nclasses)
{
	c->n = nclasses;
	c->cells = calloc((size_t)nclasses * (nclasses + 1), sizeof(__u64));
	return c->cells ? 0 : -1;
}

void fs_confusion_free(struct fs_confusion *c)
{
	free(c->cells);
	memset(c, 0, sizeof(*c));
}

static __u64 *cell(const struct fs_confusion *c, unsigned int truth, unsigned int predicted)
{
	return &c->cells[(size_t)truth * (c->n + 1) + predicted];
}

void fs_confusion_add(struct fs_confusion *c, int truth, int predicted)
{
	if (truth < 0 || truth >= (int)c->n)
		return;
	*cell(c, truth, predicted < 0 || predicted >= (int)c->n ? c->n : (unsigned int)predicted) +=
		1;
}

__u64 fs_confusion_row_sum(const struct fs_confusion *c, unsigned int k)
{
	__u64 s = 0;
	unsigned int j;

	for (j = 0; j <= c->n; j++)
		s += *cell(c, k, j);
	return s;
}

__u64 fs_confusion_column_sum(const struct fs_confusion *c, unsigned int k)
{
	__u64 s = 0;
	unsigned int i;

	for (i = 0; i < c->n; i++)
		s += *cell(c, i, k);
	return s;
}

double fs_confusion_precision(const struct fs_confusion *c, unsigned int k)
{
	__u64 predicted = fs_confusion_column_sum(c, k);

	return predicted ? (double)*cell(c, k, k) / (double)predicted : 0.0;
}

double fs_confusion_recall(const struct fs_confusion *c, unsigned int k)
{
	__u64 actual = fs_confusion_row_sum(c, k);

	return actual ? (double)*cell(c, k, k) / (double)actual : 0.0;
}

double fs_confusion_f1(const struct fs_confusion *c, unsigned int k)
{
	double p = fs_confusion_precision(c, k), r = fs_confusion_recall(c, k);

	return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

double fs_confusion_macro_f1(const struct fs_confusion *c)
{
	unsigned int k, present = 0;
	double sum = 0;

	for (k = 0; k < c->n; k++) {
		if (!fs_confusion_row_sum(c, k))
			continue;
		present++;
		sum += fs_confusion_f1(c, k);
	}
	return present ? sum / present : 0.0;
}

__u64 fs_confusion_total(const struct fs_confusion *c)
{
	__u64 s = 0;
	unsigned int k;

	for (k = 0; k < c->n; k++)
		s += fs_confusion_row_sum(c, k);
	return s;
}

double fs_confusion_accuracy(const struct fs_confusion *c)
{
	__u64 total = fs_confusion_total(c), right = 0;
	unsigned int k;

	for (k = 0; k < c->n; k++)
		right += *cell(c, k, k);
	return total ? (double)right / (double)total : 0;
}

void fs_confusion_print(FILE *f, const struct fs_confusion *c, char *const *names,
			const char *title)
{
	unsigned int i, j;

	fprintf(f, "%s: %llu, macro-F1 %.3f\n", title, (unsigned long long)fs_confusion_total(c),
		fs_confusion_macro_f1(c));
	fprintf(f, "  %-14s", "truth \\ said");
	for (j = 0; j < c->n; j++)
		fprintf(f, " %9.9s", names[j]);
	fprintf(f, " %9s %9s %9s %9s\n", "none", "precision", "recall", "F1");
	for (i = 0; i < c->n; i++) {
		if (!fs_confusion_row_sum(c, i))
			continue; /* a class no row has: nothing to say */
		fprintf(f, "  %-14.14s", names[i]);
		for (j = 0; j <= c->n; j++)
			fprintf(f, " %9llu", (unsigned long long)*cell(c, i, j));
		fprintf(f, " %9.3f %9.3f %9.3f\n", fs_confusion_precision(c, i),
			fs_confusion_recall(c, i), fs_confusion_f1(c, i));
	}
}
