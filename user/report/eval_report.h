/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* eval --report FILE: an evaluation's scorecard as an HTML page (docs/REPORT.md). */
#ifndef FS_EVAL_REPORT_H
#define FS_EVAL_REPORT_H

#include "classify/model.h"
#include "train/evaluate.h"
#include "train/manifest.h"

/* The page, to path whole or not at all. 0, or -1 after printing why. */
int fs_eval_report_write(const char *path, const struct fs_scorecard *sc, const struct fs_model *m,
			 const struct fs_manifest *mf, const char *model_path,
			 const char *manifest_path);

#endif /* FS_EVAL_REPORT_H */
