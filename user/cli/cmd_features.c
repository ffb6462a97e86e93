// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope features: the columns a record can carry, from the one feature
 * table. --markdown prints the table that docs/FEATURES.md carries.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "output/record_columns.h"

static void print_plain(const struct fs_schema *s)
{
	unsigned int i;

	printf("%-28s %-10s %s\n", "COLUMN", "UNIT", "DEFINITION");
	for (i = 0; i < s->n; i++) {
		const struct fs_column *c = &s->cols[i];

		if (c->get) {
			printf("%-28s %-10s %s\n", c->name, "-", "flow identifier");
			continue;
		}
		printf("%-28s %-10s %s\n", c->name, fs_feature_defs[c->feature].unit,
		       fs_feature_defs[c->feature].definition);
	}
}

static void print_markdown(const struct fs_schema *s)
{
	unsigned int i;

	printf("| Column | CICFlowMeter | Unit | Definition |\n");
	printf("|---|---|---|---|\n");
	for (i = 0; i < s->n; i++) {
		const struct fs_feature_def *d;

		if (s->cols[i].get)
			continue;
		d = &fs_feature_defs[s->cols[i].feature];
		printf("| `%s` | %s | %s | %s |\n", d->name, d->cic_name ? d->cic_name : "",
		       d->unit, d->definition);
	}
}

int fs_cmd_features(const struct fs_cli *cli, int argc, char **argv)
{
	struct fs_schema s;

	if (fs_schema_init(&s, cli->out.features, NULL) < 0)
		return FS_EXIT_FAILURE;
	if (cli->markdown)
		print_markdown(&s);
	else
		print_plain(&s);
	fs_schema_free(&s);
	return FS_EXIT_OK;
}
