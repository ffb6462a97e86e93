// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The IPFIX exporter. The drain's thread turns each record into a flow
 * record laid out as libfixbuf's internal template says (struct
 * ipfix_flow) and queues it with its features; the exporting thread hands
 * them to libfixbuf, which encodes them in the external templates (IPv4 or
 * IPv6, with or without the verdict; the features in records of their own)
 * and sends them. A send that fails drops the batch it was in, and the
 * exporter is made again a second later: a TCP collector that restarts is
 * reconnected, and its templates sent again.
 */
#include <errno.h>
#include <fixbuf/public.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify/classify.h"
#include "classify/hosts.h"
#include "features/flow_features.h"
#include "output/ipfix.h"
#include "common/util.h"

/* Features per record of their own: 8 + 80 x 8 bytes fit a 1420-byte UDP message. */
#define FEATURES_PER_RECORD 80
#define MAX_CHUNKS	    ((FS_F_MAX + FEATURES_PER_RECORD - 1) / FEATURES_PER_RECORD)
#define BATCH		    64
/* RFC 7011 10.3.6: templates are resent over UDP; three times a 30 s timeout. */
#define UDP_TEMPLATE_REFRESH_NS (10ULL * 1000000000ULL)
#define RECONNECT_NS		(1ULL * 1000000000ULL)
#define CLOSE_WAIT_S		5

/*
 * flowscope's own elements, under its enterprise number; features from
 * FEATURE_BASE on. None shares a number with the reverse elements of the
 * flow record (1, 2, 6 under 29305): pmacct tells a template's enterprise
 * elements apart by number first, and reads only one of two that share it.
 */
enum {
	IE_CLASS = 10,
	IE_CONFIDENCE,
	IE_CLUSTER,
	IE_KMEANS_CLASS,
	IE_HOST_CLASS,
	IE_HOST_SCORE,
	IE_KERNEL_CLASS,
	FEATURE_BASE = 100,
};

/* Spec flags: which templates an element is in (fbTemplateAppendSpecArray). */
enum {
	T_V4 = 1 << 0,
	T_V6 = 1 << 1,
	T_MODEL = 1 << 2,
	T_INTERNAL = 1 << 3,
	T_KERNEL = 1 << 4, /* the model has a kernel model */
};

/* The internal template's record, field by field in the order of flow_spec. */
struct ipfix_flow {
	uint64_t flow_id;
	uint64_t start_ms, end_ms;
	uint64_t packets, bytes, rev_packets, rev_bytes;
	uint8_t src6[16], dst6[16];
	uint32_t src4, dst4;
	float confidence, host_score;
	int32_t cluster;
	uint16_t src_port, dst_port, vlan_id, tcp_flags, rev_tcp_flags;
	uint8_t proto, end_reason, biflow_direction;
	uint8_t is_v6; /* which external template; not exported (padding) */
	uint8_t pad[6];
	/* Strings last: some collectors (pmacct's) read no fixed field after one. */
	fbVarfield_t cls, kmeans_class, host_class, kernel_class;
};
_Static_assert(sizeof(struct ipfix_flow) == 192, "struct ipfix_flow must match flow_spec");

static fbInfoElementSpec_t flow_spec[] = {
	{"flowId", 8, 0},
	{"flowStartMilliseconds", 8, 0},
	{"flowEndMilliseconds", 8, 0},
	{"packetDeltaCount", 8, 0},
	{"octetDeltaCount", 8, 0},
	{"reversePacketDeltaCount", 8, 0},
	{"reverseOctetDeltaCount", 8, 0},
	{"sourceIPv6Address", 16, T_V6},
	{"destinationIPv6Address", 16, T_V6},
	{"sourceIPv4Address", 4, T_V4},
	{"destinationIPv4Address", 4, T_V4},
	{"flowscope_confidence", 4, T_MODEL},
	{"flowscope_host_score", 4, T_MODEL},
	{"flowscope_cluster", 4, T_MODEL},
	{"sourceTransportPort", 2, 0},
	{"destinationTransportPort", 2, 0},
	{"vlanId", 2, 0},
	{"tcpControlBits", 2, 0},
	{"reverseTcpControlBits", 2, 0},
	{"protocolIdentifier", 1, 0},
	{"flowEndReason", 1, 0},
	{"biflowDirection", 1, 0},
	{"paddingOctets", 7, T_INTERNAL},
	{"flowscope_class", FB_IE_VARLEN, T_MODEL},
	{"flowscope_kmeans_class", FB_IE_VARLEN, T_MODEL},
	{"flowscope_host_class", FB_IE_VARLEN, T_MODEL},
	{"flowscope_kernel_class", FB_IE_VARLEN, T_MODEL | T_KERNEL},
	FB_IESPEC_NULL,
};

/* One fixbuf exporter and its session, made again after a failure. */
struct link {
	fBuf_t *fbuf;
	uint16_t flow_int, flow_v4, flow_v6;
	uint16_t chunk_int[MAX_CHUNKS], chunk_ext[MAX_CHUNKS];
	__u64 templates_sent_ns;
};

struct fs_ipfix {
	struct fs_ipfix_config cfg;
	const struct fs_model *model;
	fbConnSpec_t conn;
	char host[256], port[16];
	fbInfoModel_t *info;
	fbInfoElement_t *elements; /* flowscope's, added to info */
	char **element_names;
	unsigned int nelements;
	unsigned int first_feature_element; /* in element_names, after the verdict's */
	int features[FS_F_MAX];		    /* exported, in order */
	unsigned int nfeatures, nchunks;
	size_t item_size; /* a queued flow: struct ipfix_flow, then its features */

	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more, room, idle;
	unsigned char *ring;
	__u32 head, count; /* under lock */
	bool stopping, busy;
	struct fs_ipfix_stats stats; /* under lock */
	struct link link;	     /* the thread's */
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/* "[udp://|tcp://]HOST:PORT", HOST a name, an IPv4 address or [IPv6]. */
static int parse_target(struct fs_ipfix *x, const char *target)
{
	const char *rest = target;

	x->conn.transport = FB_UDP;
	if (strncmp(rest, "udp://", 6) == 0) {
		rest += 6;
	} else if (strncmp(rest, "tcp://", 6) == 0) {
		x->conn.transport = FB_TCP;
		rest += 6;
	}
	if (fs_parse_endpoint(rest, x->host, sizeof(x->host), x->port, sizeof(x->port)) < 0 ||
	    !x->host[0])
		return fs_err(NULL, "--ipfix '%s': not [udp://|tcp://]HOST:PORT", target);
	x->conn.host = x->host;
	x->conn.svc = x->port;
	return 0;
}

/* --ipfix-features: none, all, or names. */
static int choose_features(struct fs_ipfix *x, const char *list)
{
	char *copy, *name, *save = NULL;
	int id;

	if (!list || strcmp(list, "none") == 0)
		return 0;
	if (strcmp(list, "all") == 0) {
		for (id = 0; id < FS_F_MAX; id++)
			x->features[x->nfeatures++] = id;
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return fs_err(NULL, "out of memory");
	for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		id = fs_feature_find(name);
		if (id < 0) {
			fs_err(NULL, "--ipfix-features: '%s' is not a feature (flowscope features)",
			       name);
			free(copy);
			return -1;
		}
		if (x->nfeatures < FS_F_MAX)
			x->features[x->nfeatures++] = id;
	}
	free(copy);
	return 0;
}

static int add_element(struct fs_ipfix *x, const char *name, int num, uint16_t len, uint32_t flags,
		       uint8_t type, const char *desc)
{
	fbInfoElement_t e = FB_IE_INIT_FULL(NULL, x->cfg.pen, num, len, flags, 0, 0, type, NULL);
	char *n = malloc(strlen("flowscope_") + strlen(name) + 1);

	if (!n)
		return -1;
	sprintf(n, "flowscope_%s", name);
	x->element_names[x->nelements] = n;
	e.ref.name = n;
	e.description = desc;
	x->elements[x->nelements++] = e;
	return 0;
}

/* The information model: IANA's, with flowscope's elements (only the features exported). */
static int build_info_model(struct fs_ipfix *x)
{
	unsigned int i, max = IE_KERNEL_CLASS - IE_CLASS + 1 + x->nfeatures + 1;
	fbInfoElement_t end = FB_IE_NULL;
	GError *err = NULL;

	x->elements = calloc(max, sizeof(*x->elements));
	x->element_names = calloc(max, sizeof(*x->element_names));
	if (!x->elements || !x->element_names)
		return -1;
	if (add_element(x, "class", IE_CLASS, FB_IE_VARLEN, 0, FB_STRING,
			"the class shown: the model's, or unknown") ||
	    add_element(x, "confidence", IE_CONFIDENCE, 4, FB_IE_F_ENDIAN, FB_FLOAT_32,
			"the MLP's probability of its class") ||
	    add_element(x, "cluster", IE_CLUSTER, 4, FB_IE_F_ENDIAN | FB_IE_IDENTIFIER, FB_INT_32,
			"the k-means cluster, or -1") ||
	    add_element(x, "kmeans_class", IE_KMEANS_CLASS, FB_IE_VARLEN, 0, FB_STRING,
			"the cluster's class") ||
	    add_element(x, "host_class", IE_HOST_CLASS, FB_IE_VARLEN, 0, FB_STRING,
			"what the flow's source host was doing over the host window") ||
	    add_element(x, "host_score", IE_HOST_SCORE, 4, FB_IE_F_ENDIAN, FB_FLOAT_32,
			"the host class's score") ||
	    add_element(x, "kernel_class", IE_KERNEL_CLASS, FB_IE_VARLEN, 0, FB_STRING,
			"what the kernel model said of the flow at its checkpoint"))
		return -1;
	x->first_feature_element = x->nelements;
	for (i = 0; i < x->nfeatures; i++) {
		const struct fs_feature_def *d = &fs_feature_defs[x->features[i]];

		if (add_element(x, d->name, FEATURE_BASE + x->features[i], 8, FB_IE_F_ENDIAN,
				FB_FLOAT_64, d->definition))
			return -1;
	}
	x->elements[x->nelements] = end;
	x->info = fbInfoModelAlloc();
	fbInfoModelAddElementArray(x->info, x->elements);
	(void)err;
	return 0;
}

static uint16_t add_template(fbSession_t *s, fbInfoModel_t *info, fbInfoElementSpec_t *spec,
			     uint32_t flags, gboolean internal, GError **err)
{
	fbTemplate_t *t = fbTemplateAlloc(info);

	if (!fbTemplateAppendSpecArray(t, spec, flags, err)) {
		fbTemplateFreeUnused(t);
		return 0;
	}
	return fbSessionAddTemplate(s, internal, FB_TID_AUTO, t, err);
}

/* Chunk c's spec: flowId, then its features. */
static void chunk_spec(const struct fs_ipfix *x, unsigned int c, fbInfoElementSpec_t *spec)
{
	unsigned int i, first = c * FEATURES_PER_RECORD, n = 0;

	spec[n++] = (fbInfoElementSpec_t){"flowId", 8, 0};
	for (i = first; i < x->nfeatures && i < first + FEATURES_PER_RECORD; i++)
		spec[n++] =
			(fbInfoElementSpec_t){x->element_names[x->first_feature_element + i], 8, 0};
	spec[n] = (fbInfoElementSpec_t)FB_IESPEC_NULL;
}

static void link_close(struct link *l)
{
	if (l->fbuf)
		fBufFree(l->fbuf); /* and its session and exporter */
	memset(l, 0, sizeof(*l));
}

/* A session with the templates, an exporter, the templates sent. 0, or -1 (try later). */
static int link_open(struct fs_ipfix *x, struct link *l, GError **err)
{
	uint32_t ext = !x->model			 ? 0
		       : x->model->kernel.cfg.checkpoint ? T_MODEL | T_KERNEL
							 : T_MODEL;
	fbInfoElementSpec_t spec[FEATURES_PER_RECORD + 2];
	fbSession_t *s = fbSessionAlloc(x->info);
	fbExporter_t *e;
	unsigned int c;

	memset(l, 0, sizeof(*l));
	l->flow_int = add_template(s, x->info, flow_spec, ~0U, TRUE, err);
	l->flow_v4 = add_template(s, x->info, flow_spec, T_V4 | ext, FALSE, err);
	l->flow_v6 = add_template(s, x->info, flow_spec, T_V6 | ext, FALSE, err);
	for (c = 0; c < x->nchunks; c++) {
		chunk_spec(x, c, spec);
		l->chunk_int[c] = add_template(s, x->info, spec, ~0U, TRUE, err);
		l->chunk_ext[c] = add_template(s, x->info, spec, 0, FALSE, err);
		if (!l->chunk_int[c] || !l->chunk_ext[c])
			break;
	}
	if (!l->flow_int || !l->flow_v4 || !l->flow_v6 || c < x->nchunks ||
	    !fbSessionSetMetadataExportElements(s, TRUE, FB_TID_AUTO, err)) {
		fbSessionFree(s);
		return -1;
	}
	e = fbExporterAllocNet(&x->conn);
	l->fbuf = fBufAllocForExport(s, e);
	if (!fbSessionExportTemplates(s, err) || !fBufEmit(l->fbuf, err)) {
		link_close(l);
		return -1;
	}
	l->templates_sent_ns = now_ns();
	return 0;
}

static void fill_flow(const struct fs_ipfix *x, const struct fs_row *row, struct ipfix_flow *f)
{
	static const __u8 v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const uint8_t end_reasons[FS_END_MAX] = {
		[FS_END_IDLE] = 1, [FS_END_ACTIVE] = 2, [FS_END_FIN] = 3,
		[FS_END_RST] = 3,  [FS_END_INPUT] = 4,	[FS_END_DRAIN_RACE] = 4,
	};
	const struct fs_unit *u = row->unit;
	const char *name;
	int b;

	memset(f, 0, sizeof(*f));
	f->flow_id = fs_unit_flow_id(u);
	f->start_ms = u->first_ts / 1000000;
	f->end_ms = u->last_ts / 1000000;
	f->packets = u->dir[FS_DIR_FWD].packets;
	f->bytes = u->dir[FS_DIR_FWD].bytes;
	f->rev_packets = u->dir[FS_DIR_BWD].packets;
	f->rev_bytes = u->dir[FS_DIR_BWD].bytes;
	if (memcmp(u->src_addr, v4_prefix, 12) == 0 && memcmp(u->dst_addr, v4_prefix, 12) == 0) {
		f->src4 = (uint32_t)u->src_addr[12] << 24 | u->src_addr[13] << 16 |
			  u->src_addr[14] << 8 | u->src_addr[15];
		f->dst4 = (uint32_t)u->dst_addr[12] << 24 | u->dst_addr[13] << 16 |
			  u->dst_addr[14] << 8 | u->dst_addr[15];
	} else {
		f->is_v6 = 1;
		memcpy(f->src6, u->src_addr, 16);
		memcpy(f->dst6, u->dst_addr, 16);
	}
	f->src_port = u->src_port;
	f->dst_port = u->dst_port;
	f->vlan_id = u->vlan_id;
	f->proto = u->proto;
	f->end_reason = u->reason < FS_END_MAX ? end_reasons[u->reason] : 0;
	f->biflow_direction = 1; /* the source is the initiator: it sent the first packet */
	for (b = 0; b < FS_TCP_NFLAGS; b++) {
		if (u->dir[FS_DIR_FWD].tcp_flags[b])
			f->tcp_flags |= 1 << b;
		if (u->dir[FS_DIR_BWD].tcp_flags[b])
			f->rev_tcp_flags |= 1 << b;
	}
	f->cluster = -1;
	if (row->model) {
		name = fs_row_kernel_class(row);
		f->kernel_class.buf = (uint8_t *)name;
		f->kernel_class.len = strlen(name);
	}
	if (!row->verdict)
		return;
	/* The names are the model's, which outlives the exporter. */
	name = fs_verdict_shown_name(row->model, row->verdict);
	f->cls.buf = (uint8_t *)(name ? name : "");
	f->cls.len = strlen((const char *)f->cls.buf);
	f->confidence = row->verdict->confidence;
	f->cluster = row->verdict->cluster;
	if (row->verdict->kmeans_class >= 0) {
		f->kmeans_class.buf = (uint8_t *)row->model->classes[row->verdict->kmeans_class];
		f->kmeans_class.len = strlen((const char *)f->kmeans_class.buf);
	}
	if (row->host && row->host->cls >= 0) {
		f->host_class.buf = (uint8_t *)row->model->classes[row->host->cls];
		f->host_class.len = strlen((const char *)f->host_class.buf);
		f->host_score = (float)row->host->score;
	}
}

static unsigned char *slot(struct fs_ipfix *x, __u32 i)
{
	return x->ring + (size_t)(i % x->cfg.queue) * x->item_size;
}

void fs_ipfix_add(struct fs_ipfix *x, const struct fs_row *row)
{
	unsigned char *item;
	double *feats;
	unsigned int i;

	pthread_mutex_lock(&x->lock);
	while (x->count == x->cfg.queue && x->cfg.wait_when_full)
		pthread_cond_wait(&x->room, &x->lock);
	if (x->count == x->cfg.queue) {
		x->stats.dropped_queue_full++;
		pthread_mutex_unlock(&x->lock);
		return;
	}
	/* The slot past the tail is the producer's alone until count grows. */
	item = slot(x, x->head + x->count);
	pthread_mutex_unlock(&x->lock);
	fill_flow(x, row, (struct ipfix_flow *)item);
	feats = (double *)(item + sizeof(struct ipfix_flow));
	for (i = 0; i < x->nfeatures; i++)
		feats[i] = row->features->v[x->features[i]];
	pthread_mutex_lock(&x->lock);
	x->count++;
	pthread_cond_signal(&x->more);
	pthread_mutex_unlock(&x->lock);
}

/* One flow into the message(s): its flow record, then its features. FALSE after a failure. */
static gboolean append_flow(struct fs_ipfix *x, struct link *l, const unsigned char *item,
			    GError **err)
{
	const struct ipfix_flow *f = (const struct ipfix_flow *)item;
	const double *feats = (const double *)(item + sizeof(*f));
	uint64_t chunk[1 + FEATURES_PER_RECORD];
	unsigned int c, n;

	if (!fBufSetInternalTemplate(l->fbuf, l->flow_int, err) ||
	    !fBufSetExportTemplate(l->fbuf, f->is_v6 ? l->flow_v6 : l->flow_v4, err) ||
	    !fBufAppend(l->fbuf, (uint8_t *)f, sizeof(*f), err))
		return FALSE;
	for (c = 0; c < x->nchunks; c++) {
		n = x->nfeatures - c * FEATURES_PER_RECORD;
		n = n > FEATURES_PER_RECORD ? FEATURES_PER_RECORD : n;
		chunk[0] = f->flow_id;
		memcpy(chunk + 1, feats + c * FEATURES_PER_RECORD, n * sizeof(double));
		if (!fBufSetInternalTemplate(l->fbuf, l->chunk_int[c], err) ||
		    !fBufSetExportTemplate(l->fbuf, l->chunk_ext[c], err) ||
		    !fBufAppend(l->fbuf, (uint8_t *)chunk, (1 + n) * sizeof(uint64_t), err))
			return FALSE;
	}
	return TRUE;
}

/*
 * A batch into messages and out. Sent, they count as exported; a failure
 * drops the batch and closes the link, to be opened again later.
 */
static void send_batch(struct fs_ipfix *x, const unsigned char *items, unsigned int n)
{
	struct link *l = &x->link;
	GError *err = NULL;
	unsigned int i;
	gboolean ok = l->fbuf != NULL;

	if (ok && x->conn.transport == FB_UDP &&
	    now_ns() - l->templates_sent_ns > UDP_TEMPLATE_REFRESH_NS) {
		ok = fbSessionExportTemplates(fBufGetSession(l->fbuf), &err);
		l->templates_sent_ns = now_ns();
	}
	for (i = 0; ok && i < n; i++)
		ok = append_flow(x, l, items + (size_t)i * x->item_size, &err);
	if (ok)
		ok = fBufEmit(l->fbuf, &err);
	pthread_mutex_lock(&x->lock);
	if (ok)
		x->stats.exported += n;
	else
		x->stats.dropped_send_failed += n;
	pthread_mutex_unlock(&x->lock);
	if (!ok && l->fbuf)
		link_close(l);
	g_clear_error(&err);
}

static void *export_thread(void *arg)
{
	struct fs_ipfix *x = arg;
	unsigned char *batch = malloc((size_t)BATCH * x->item_size);
	__u64 retry_at = 0;
	unsigned int n;
	GError *err = NULL;

	if (!batch)
		return NULL;
	pthread_mutex_lock(&x->lock);
	for (;;) {
		while (!x->count && !x->stopping) {
			x->busy = false;
			pthread_cond_broadcast(&x->idle);
			pthread_cond_wait(&x->more, &x->lock);
		}
		if (!x->count && x->stopping)
			break;
		x->busy = true;
		pthread_mutex_unlock(&x->lock);
		/* Down: try again every second; meanwhile flows wait in the queue. */
		if (!x->link.fbuf && now_ns() >= retry_at) {
			if (link_open(x, &x->link, &err) < 0)
				retry_at = now_ns() + RECONNECT_NS;
			g_clear_error(&err);
		}
		pthread_mutex_lock(&x->lock);
		if (!x->link.fbuf && !x->stopping) {
			struct timespec ts;

			pthread_mutex_unlock(&x->lock);
			ts.tv_sec = 0;
			ts.tv_nsec = 50 * 1000000;
			nanosleep(&ts, NULL);
			pthread_mutex_lock(&x->lock);
			continue;
		}
		for (n = 0; n < BATCH && x->count; n++) {
			memcpy(batch + (size_t)n * x->item_size, slot(x, x->head), x->item_size);
			x->head = (x->head + 1) % x->cfg.queue;
			x->count--;
		}
		pthread_cond_broadcast(&x->room);
		pthread_mutex_unlock(&x->lock);
		send_batch(x, batch, n);
		pthread_mutex_lock(&x->lock);
	}
	x->busy = false;
	pthread_cond_broadcast(&x->idle);
	pthread_mutex_unlock(&x->lock);
	free(batch);
	return NULL;
}

/*
 * libfixbuf's GLib warnings ("I/O error on UDP send ...") would interleave
 * with our one-line messages: they are shown only with FLOWSCOPE_DEBUG, as
 * libbpf's are, and what they mean is counted (send failed).
 */
static void glib_message(const gchar *domain, GLogLevelFlags level, const gchar *message,
			 gpointer data)
{
	if (getenv("FLOWSCOPE_DEBUG"))
		fs_warn("libfixbuf", "%s", message);
}

struct fs_ipfix *fs_ipfix_open(const struct fs_ipfix_config *cfg, const struct fs_model *model)
{
	struct fs_ipfix *x = calloc(1, sizeof(*x));

	if (!x) {
		fs_err(NULL, "out of memory");
		return NULL;
	}
	x->cfg = *cfg;
	x->model = model;
	g_log_set_default_handler(glib_message, NULL);
	if (!x->cfg.queue)
		x->cfg.queue = FS_IPFIX_DEFAULT_QUEUE;
	if (parse_target(x, cfg->target) < 0 || choose_features(x, cfg->features) < 0) {
		free(x);
		return NULL;
	}
	x->nchunks = (x->nfeatures + FEATURES_PER_RECORD - 1) / FEATURES_PER_RECORD;
	x->item_size = sizeof(struct ipfix_flow) + x->nfeatures * sizeof(double);
	x->ring = malloc((size_t)x->cfg.queue * x->item_size);
	if (!x->ring || build_info_model(x) < 0) {
		fs_err(NULL, "out of memory");
		fs_ipfix_close(x);
		return NULL;
	}
	x->stats.queue_size = x->cfg.queue;
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->more, NULL);
	pthread_cond_init(&x->room, NULL);
	pthread_cond_init(&x->idle, NULL);
	if (pthread_create(&x->thread, NULL, export_thread, x) != 0) {
		fs_err(NULL, "--ipfix: cannot start the exporting thread");
		free(x->ring);
		free(x);
		return NULL;
	}
	return x;
}

void fs_ipfix_stats(struct fs_ipfix *x, struct fs_ipfix_stats *st)
{
	pthread_mutex_lock(&x->lock);
	*st = x->stats;
	st->queued = x->count;
	pthread_mutex_unlock(&x->lock);
}

/*
 * Until the queue is sent, or CLOSE_WAIT_S; then what is left is dropped.
 * False if the thread is still sending (to a collector that takes nothing):
 * it is left to exit with the process, and x to it.
 */
static bool finish_queue(struct fs_ipfix *x)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += CLOSE_WAIT_S;
	pthread_mutex_lock(&x->lock);
	x->stopping = true;
	pthread_cond_broadcast(&x->more);
	while ((x->count || x->busy) &&
	       pthread_cond_timedwait(&x->idle, &x->lock, &deadline) != ETIMEDOUT)
		;
	if (x->count || x->busy) {
		/* A collector that takes nothing: the thread is left to exit with us. */
		x->stats.dropped_send_failed += x->count;
		x->count = 0;
		pthread_mutex_unlock(&x->lock);
		pthread_detach(x->thread);
		return false;
	}
	pthread_mutex_unlock(&x->lock);
	pthread_join(x->thread, NULL);
	return true;
}

int fs_ipfix_close(struct fs_ipfix *x)
{
	struct fs_ipfix_stats st;
	unsigned int i;
	bool joined;
	int ret = 0;

	if (!x)
		return 0;
	if (x->thread) {
		joined = finish_queue(x);
		fs_ipfix_stats(x, &st);
		fs_notice(NULL,
			  "ipfix to %s: %llu flows exported, %llu dropped (queue full %llu, send "
			  "failed %llu)",
			  x->cfg.target, (unsigned long long)st.exported,
			  (unsigned long long)(st.dropped_queue_full + st.dropped_send_failed),
			  (unsigned long long)st.dropped_queue_full,
			  (unsigned long long)st.dropped_send_failed);
		if (x->cfg.wait_when_full && (st.dropped_queue_full || st.dropped_send_failed))
			ret = fs_err(x->cfg.target, "the collector did not take every flow");
		if (!joined)
			return ret; /* the thread still holds x */
		link_close(&x->link);
		pthread_mutex_destroy(&x->lock);
		pthread_cond_destroy(&x->more);
		pthread_cond_destroy(&x->room);
		pthread_cond_destroy(&x->idle);
	}
	if (x->info)
		fbInfoModelFree(x->info);
	for (i = 0; i < x->nelements; i++)
		free(x->element_names[i]);
	free(x->element_names);
	free(x->elements);
	free(x->ring);
	free(x);
	return ret;
}
