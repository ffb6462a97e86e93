// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "live/metrics_http.h"
#include "common/lazylib.h"
#include "common/util.h"

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define LANDING	     "flowscope: the metrics are at /metrics\n"

/* libmicrohttpd, loaded by the first --metrics (common/lazylib.h says why). */
/* clang-format off */
#define MHD_API(X) \
	X(MHD_start_daemon) \
	X(MHD_stop_daemon) \
	X(MHD_create_response_from_buffer) \
	X(MHD_add_response_header) \
	X(MHD_queue_response) \
	X(MHD_destroy_response)
/* clang-format on */

_Static_assert(sizeof(FS_MHD_SONAME) > 1,
	       "the Makefile found no libmicrohttpd library to read a soname from");

static struct {
	MHD_API(FS_LAZY_MEMBER)
} mhd;

static int mhd_load(void)
{
	static const char *const names[] = {MHD_API(FS_LAZY_NAME)};
#define SLOT(name) (void **)&mhd.name,
	void **slots[] = {MHD_API(SLOT)};
#undef SLOT
	static void *lib;

	if (lib)
		return 0;
	return fs_lazy_load(FS_MHD_SONAME, "--metrics", NULL, names, slots, FS_ARRAY_SIZE(names),
			    &lib);
}

struct fs_metrics_server {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock; /* over page: the monitor publishes while a scrape copies */
	char *page;
	size_t len;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status, const char *body,
			     size_t len)
{
	struct MHD_Response *r =
		mhd.MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE);
	ret = mhd.MHD_queue_response(conn, status, r);
	mhd.MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	struct fs_metrics_server *srv = cls;
	enum MHD_Result ret;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "", 0);
	if (strcmp(url, "/") == 0)
		return reply(conn, MHD_HTTP_OK, LANDING, strlen(LANDING));
	if (strcmp(url, "/metrics") != 0)
		return reply(conn, MHD_HTTP_NOT_FOUND, "", 0);
	pthread_mutex_lock(&srv->lock);
	ret = reply(conn, MHD_HTTP_OK, srv->page ? srv->page : "", srv->page ? srv->len : 0);
	pthread_mutex_unlock(&srv->lock);
	return ret;
}

/* A listening TCP socket on the first of where's addresses that binds; -1 after printing why. */
static int listen_socket(const char *where)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *list, *ai;
	char host[256], port[16];
	int fd = -1, one = 1, zero = 0, err, saved = 0;

	if (fs_parse_endpoint(where, host, sizeof(host), port, sizeof(port)) < 0)
		return fs_err(NULL, "--metrics '%s': not [ADDR:]PORT", where);
	hints.ai_family = *host ? AF_UNSPEC : AF_INET6; /* no address: IPv6 and IPv4 alike */
	err = getaddrinfo(*host ? host : NULL, port, &hints, &list);
	if (err)
		return fs_err(NULL, "--metrics '%s': %s", where, gai_strerror(err));
	for (ai = list; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6 && !*host)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(list);
	if (fd < 0)
		return fs_err(NULL, "--metrics '%s': cannot listen: %s", where, strerror(saved));
	return fd;
}

struct fs_metrics_server *fs_metrics_serve(const char *where)
{
	struct fs_metrics_server *srv;
	int fd;

	if (mhd_load() < 0)
		return NULL;
	srv = calloc(1, sizeof(*srv));
	fd = listen_socket(where);

	if (!srv || fd < 0) {
		if (fd >= 0)
			close(fd);
		free(srv);
		return NULL;
	}
	pthread_mutex_init(&srv->lock, NULL);
	/* A scraper that stalls is dropped after 10 s; the page never waits on the monitor. */
	srv->daemon = mhd.MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL,
					   NULL, handle, srv, MHD_OPTION_LISTEN_SOCKET, fd,
					   MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_END);
	if (!srv->daemon) {
		fs_err(NULL, "--metrics '%s': cannot start the HTTP server", where);
		close(fd);
		pthread_mutex_destroy(&srv->lock);
		free(srv);
		return NULL;
	}
	return srv;
}

void fs_metrics_publish(struct fs_metrics_server *srv, char *text, size_t len)
{
	char *old;

	pthread_mutex_lock(&srv->lock);
	old = srv->page;
	srv->page = text;
	srv->len = len;
	pthread_mutex_unlock(&srv->lock);
	free(old);
}

void fs_metrics_stop(struct fs_metrics_server *srv)
{
	if (!srv)
		return;
	mhd.MHD_stop_daemon(srv->daemon); /* closes the listening socket it was given */
	pthread_mutex_destroy(&srv->lock);
	free(srv->page);
	free(srv);
}
