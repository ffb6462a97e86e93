/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A unit's statistics (a flow's or a host pair's) -> its feature vector: the
 * divisions, square roots and ratios the kernel leaves to user space. Knows nothing of BPF or
 * of output formats; the list itself is in feature_list.h.
 */
#ifndef FS_FLOW_FEATURES_H
#define FS_FLOW_FEATURES_H

#include "features/unit.h"

enum fs_feature_id {
#define FS_FEATURE(id, name, cic, kind, unit, def) FS_F_##id,
#include "features/feature_list.h"
#undef FS_FEATURE
	FS_F_MAX,
};

enum fs_feature_kind {
	FS_FEAT_COUNT, /* a whole number */
	FS_FEAT_REAL,
};

struct fs_feature_def {
	const char *name;
	const char *cic_name; /* NULL: not one of CICFlowMeter's */
	enum fs_feature_kind kind;
	const char *unit;
	const char *definition;
};

extern const struct fs_feature_def fs_feature_defs[FS_F_MAX];

struct fs_feature_vec {
	double v[FS_F_MAX];
};

/*
 * A unit made with CICFlowMeter's quirks (u->cic_compat, "--cic-compat")
 * divides longs where CICFlowMeter does (docs/FEATURES.md); its other
 * quirks are in the unit already (fs_unit_from_flow).
 */
void fs_features_compute(const struct fs_unit *u, struct fs_feature_vec *out);

/* The feature named `name` (ours or CICFlowMeter's), or -1. */
int fs_feature_find(const char *name);
/* The same for CICFlowMeter-V3's names, as in the CIC-IDS2017 CSVs. */
int fs_feature_find_alias(const char *name);
/* A feature's CICFlowMeter-V3 name, as the CIC-IDS2017 CSVs spell it; NULL: none. */
const char *fs_feature_cic2017_name(int feature);

#endif /* FS_FLOW_FEATURES_H */
