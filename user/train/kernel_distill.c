// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/forest.h"
#include "common/util.h"
#include "train/kernel_distill.h"

/* Is a snapshot after this many packets one the kernel model decides at? */
static bool decides_at(const struct fs_km_config *when, __u32 packets)
{
	unsigned int i;

	for (i = 0; i < when->nlater; i++)
		if (packets == when->later[i])
			return true;
	return packets == when->checkpoint;
}

int fs_distill_kernel_model(struct fs_model *m, const struct fs_training_set *ts,
			    const bool *held_out, const struct fs_km_config *when, __u64 seed,
			    FILE *log)
{
	unsigned int checkpoint = when->checkpoint;
	struct fs_forest_params p = FS_FOREST_DEFAULTS;
	__u32 *x = NULL;
	int *y = NULL, err = -1;
	size_t i, n = 0, agree = 0;

	if (m->nclasses > FS_KM_MAX_CLASSES) {
		fprintf(log, "flowscope: kernel model: none, for more than %d classes\n",
			FS_KM_MAX_CLASSES);
		return 0;
	}
	x = malloc((ts->nsnap + 1) * FS_KM_INPUTS * sizeof(*x));
	y = malloc((ts->nsnap + 1) * sizeof(*y));
	if (!x || !y) {
		fs_err("train", "out of memory");
		goto out;
	}
	for (i = 0; i < ts->nsnap; i++) {
		if (!decides_at(when, ts->snap_packets[i]) ||
		    (held_out && held_out[ts->group[ts->snap_row[i]]]))
			continue;
		y[n] = fs_classify_row_class(m, ts->snap_x + i * ts->dim);
		if (y[n] < 0)
			continue;
		memcpy(x + n * FS_KM_INPUTS, ts->snap_km_in + i * FS_KM_INPUTS,
		       FS_KM_INPUTS * sizeof(*x));
		n++;
	}
	if (!n) {
		fprintf(log, "flowscope: kernel model: none, no flow reached packet %u\n",
			checkpoint);
		err = 0;
		goto out;
	}
	p.seed = seed;
	if (fs_forest_grow(&m->kernel, x, y, n, m->nclasses, &p) < 0)
		goto out;
	m->kernel.cfg.checkpoint = checkpoint;
	m->kernel.cfg.nlater = when->nlater;
	memcpy(m->kernel.cfg.later, when->later, sizeof(when->later));
	m->kernel.cfg.settle_margin = when->settle_margin;
	m->kernel.class_names = m->classes;
	for (i = 0; i < n; i++)
		agree += fs_forest_classify(&m->kernel, x + i * FS_KM_INPUTS, NULL) == y[i];
	fprintf(log,
		"flowscope: kernel model: %u trees, %u nodes, at packet %u and %u later; agrees "
		"with the full model on %zu of the %zu snapshots it learnt from (%.3f)\n",
		m->kernel.cfg.ntrees, m->kernel.nnodes, checkpoint, when->nlater, agree, n,
		(double)agree / n);
	err = 0;
out:
	free(x);
	free(y);
	return err;
}
