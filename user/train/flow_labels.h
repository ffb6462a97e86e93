/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-flow labels (--flow-labels FILE): a TSV in the format of
 * ../shared/pcaps/FLOW_LABELS.tsv, with the columns file, transport (TCP,
 * UDP or OTHER), endpoint_a and endpoint_b (ADDRESS:PORT; the port empty for
 * OTHER), role (activity, side, background, unsure) and label (a class,
 * "other", or empty). A flow of a capture takes the row with the capture's
 * file name, its transport and its two endpoints in either order; every
 * record of that flow (a long one may be cut by the timeouts) takes it.
 * Without such a file, roles come from the byte-share rule (activity.h).
 */
#ifndef FS_FLOW_LABELS_H
#define FS_FLOW_LABELS_H

#include <stdbool.h>

#include "features/unit.h"
#include "train/activity.h"

struct fs_flow_labels;

/* NULL after printing "flowscope: PATH: line N: what is wrong". */
struct fs_flow_labels *fs_flow_labels_load(const char *path);
void fs_flow_labels_free(struct fs_flow_labels *l);
/* Whether the file has rows for the capture named file (its base name is compared). */
bool fs_flow_labels_has_capture(const struct fs_flow_labels *l, const char *file);
/*
 * The row for flow u of the capture named file: its role and its label
 * ("" for none). false: no row.
 */
bool fs_flow_labels_find(const struct fs_flow_labels *l, const char *file, const struct fs_unit *u,
			 enum fs_flow_role *role, const char **label);

#endif /* FS_FLOW_LABELS_H */
