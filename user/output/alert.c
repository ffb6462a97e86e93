// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "output/alert.h"
#include "common/util.h"

struct fs_alerts {
	const struct fs_model *model;
	bool watched[FS_MODEL_MAX_CLASSES];
	bool watch_unknown; /* flows the MLP is unsure of (classify.h) */
	int fd;		    /* -1: no file */
	bool syslog;
	const char *path;
	int failed; /* errno of the first failed write */
	unsigned long long lines;
};

/* "a,b" -> watched[]; every name must be a class of m, or unknown. */
static int watch_classes(struct fs_alerts *a, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int err = 0;

	if (!copy)
		return fs_err("--alert", "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		int c = fs_name_index(a->model->classes, a->model->nclasses, tok);

		if (c >= 0)
			a->watched[c] = true;
		else if (strcmp(tok, FS_UNKNOWN_CLASS) == 0)
			a->watch_unknown = true;
		else
			err = fs_err("--alert", "'%s' is not one of the model's classes, nor %s",
				     tok, FS_UNKNOWN_CLASS);
	}
	free(copy);
	return err;
}

struct fs_alerts *fs_alerts_open(const struct fs_alert_config *cfg, const struct fs_model *m,
				 int *err)
{
	struct fs_alerts *a;

	*err = 0;
	if (!cfg->classes) {
		if (cfg->file || cfg->syslog)
			*err = fs_err(cfg->file ? "--alert-log" : "--alert-syslog",
				      "name the classes to alert on with --alert");
		return NULL;
	}
	if (!m) {
		*err = fs_err("--alert", "needs a model, and none is loaded");
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		*err = fs_err("--alert", "out of memory");
		return NULL;
	}
	a->model = m;
	a->fd = -1;
	a->path = cfg->file;
	a->syslog = cfg->syslog || !cfg->file;
	if (watch_classes(a, cfg->classes) < 0)
		goto fail;
	if (cfg->file) {
		a->fd = open(cfg->file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (a->fd < 0) {
			fs_err(cfg->file, "cannot open the alert log: %s", strerror(errno));
			goto fail;
		}
	}
	if (a->syslog) {
		if (access("/dev/log", F_OK) != 0)
			fs_warn("/dev/log", "no syslog socket: alerts sent to syslog are lost");
		openlog("flowscope", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
	return a;
fail:
	if (a->fd >= 0)
		close(a->fd);
	free(a);
	*err = -1;
	return NULL;
}

/* The line logged for u, without a newline: key=value fields. */
static void format_line(char *buf, size_t len, const struct fs_model *m, const struct fs_unit *u,
			const struct fs_verdict *v)
{
	const char *shown = fs_verdict_shown_name(m, v);
	char src[80], dst[80], proto[8];
	int n;

	fs_format_endpoint(src, sizeof(src), u->src_addr, u->src_port);
	fs_format_endpoint(dst, sizeof(dst), u->dst_addr, u->dst_port);
	n = snprintf(buf, len, "class=%s", shown ? shown : "none");
	if (v->mlp_class >= 0 && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " confidence=%.3f", v->confidence);
	if (v->kmeans_class >= 0 && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " cluster=%d kmeans_class=%s", v->cluster,
			      m->classes[v->kmeans_class]);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n,
			 " proto=%s src=%s dst=%s packets=%llu bytes=%llu duration=%.6f end=%s",
			 fs_proto_name(u->proto, proto, sizeof(proto)), src, dst,
			 (unsigned long long)(u->dir[0].packets + u->dir[1].packets),
			 (unsigned long long)(u->dir[0].bytes + u->dir[1].bytes),
			 fs_unit_duration_us(u) / 1e6, fs_end_reason_name(u->reason));
}

/* The line and its newline in one write(2): O_APPEND keeps lines whole. */
static void append_line(struct fs_alerts *a, const char *line)
{
	size_t len = strlen(line);
	ssize_t n;

	do
		n = write(a->fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len && !a->failed)
		a->failed = n < 0 ? errno : EIO;
}

void fs_alerts_flow(struct fs_alerts *a, const struct fs_unit *u, const struct fs_verdict *v)
{
	char line[448], when[40], out[sizeof(line) + sizeof(when) + 2];
	int c = fs_verdict_shown(v);

	/* By the class a record shows: an unsure flow alerts only where unknown is watched. */
	if (!a || (v->unsure ? !a->watch_unknown : c < 0 || !a->watched[c]))
		return;
	a->lines++;
	format_line(line, sizeof(line), a->model, u, v);
	if (a->syslog)
		syslog(LOG_WARNING, "alert %s", line);
	if (a->fd < 0)
		return;
	/* The file's lines carry the time the flow was last seen. */
	fs_format_time(when, sizeof(when), u->last_ts);
	snprintf(out, sizeof(out), "%s %s\n", when, line);
	append_line(a, out);
}

unsigned long long fs_alerts_count(const struct fs_alerts *a)
{
	return a ? a->lines : 0;
}

int fs_alerts_close(struct fs_alerts *a)
{
	int err;

	if (!a)
		return 0;
	err = a->failed;
	if (a->fd >= 0 && close(a->fd) != 0 && !err)
		err = errno;
	if (a->syslog)
		closelog();
	if (err)
		fs_err(a->path, "cannot write the alert log: %s", strerror(err));
	free(a);
	return err ? -1 : 0;
}
