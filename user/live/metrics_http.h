/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attach --metrics: an HTTP endpoint (libmicrohttpd, on a thread of its
 * own) serving the latest page fs_metrics_render made at GET /metrics.
 */
#ifndef FS_METRICS_HTTP_H
#define FS_METRICS_HTTP_H

#include <stddef.h>

struct fs_metrics_server;

/*
 * Listen on "[ADDR:]PORT" (ADDR an IPv4 address, [IPv6] or a name; without
 * it, every address). NULL after printing why.
 */
struct fs_metrics_server *fs_metrics_serve(const char *where);
/* Serve text (malloc'd, len bytes) from now on; the server frees it. */
void fs_metrics_publish(struct fs_metrics_server *srv, char *text, size_t len);
void fs_metrics_stop(struct fs_metrics_server *srv);

#endif /* FS_METRICS_HTTP_H */
