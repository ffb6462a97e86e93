/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The alert log: one line for every flow the model puts in a watched class
 * (say "malicious"), to a file and/or syslog, as the flow's record is written.
 */
#ifndef FS_ALERT_H
#define FS_ALERT_H

#include <stdbool.h>

#include "classify/classify.h"
#include "features/unit.h"

/* What --alert, --alert-log and --alert-syslog asked for. */
struct fs_alert_config {
	const char *classes; /* "malicious,portscan"; NULL: no alerts */
	const char *file;    /* append lines here; NULL: none */
	bool syslog;	     /* also to syslog (the default when no file is named) */
};

struct fs_alerts;

/*
 * NULL without error when cfg->classes is NULL. Every class must be one of the
 * model's. Sets *err and prints why on failure.
 */
struct fs_alerts *fs_alerts_open(const struct fs_alert_config *cfg, const struct fs_model *m,
				 int *err);
/*
 * Log u if its class (fs_verdict_class) is watched. A failed write does not
 * stop monitoring: fs_alerts_close() reports it.
 */
void fs_alerts_flow(struct fs_alerts *a, const struct fs_unit *u, const struct fs_verdict *v);
/* Lines logged so far. */
unsigned long long fs_alerts_count(const struct fs_alerts *a);
/* Close; 0, or -1 after printing why an earlier write failed. */
int fs_alerts_close(struct fs_alerts *a);

#endif /* FS_ALERT_H */
