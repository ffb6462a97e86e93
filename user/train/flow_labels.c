// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "common/table.h"
#include "common/util.h"
#include "flow_parse.h"
#include "train/flow_labels.h"

enum transport { T_TCP, T_UDP, T_OTHER };

struct endpoint {
	__u8 addr[16]; /* IPv4 as ::ffff:a.b.c.d, as in a unit */
	__u16 port;
	bool none; /* ":": frames without an IP address (ARP and such), never a flow */
};

struct label_row {
	char *file; /* base name */
	enum transport transport;
	struct endpoint a, b;
	enum fs_flow_role role;
	char *label;
};

struct fs_flow_labels {
	struct label_row *rows;
	size_t n;
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* "10.0.0.1:443", "2001:db8::1:443", "10.0.0.1:" (no port), ":" (no address). 0, or -1. */
static int parse_endpoint(const char *text, struct endpoint *e)
{
	const char *colon = strrchr(text, ':');
	char addr[64];
	__u64 port = 0;

	if (!colon || (size_t)(colon - text) >= sizeof(addr))
		return -1;
	memcpy(addr, text, colon - text);
	addr[colon - text] = '\0';
	if (colon[1] && fs_parse_uint(colon + 1, 0, 65535, &port) < 0)
		return -1;
	e->port = (__u16)port;
	e->none = colon == text;
	memset(e->addr, 0, sizeof(e->addr));
	if (e->none)
		return 0;
	if (inet_pton(AF_INET, addr, e->addr + 12) == 1) {
		e->addr[10] = e->addr[11] = 0xff;
		return 0;
	}
	return inet_pton(AF_INET6, addr, e->addr) == 1 ? 0 : -1;
}

static int parse_transport(const char *text, enum transport *t)
{
	static const char *const names[] = {"TCP", "UDP", "OTHER"};
	unsigned int i;

	for (i = 0; i < FS_ARRAY_SIZE(names); i++)
		if (strcmp(text, names[i]) == 0) {
			*t = (enum transport)i;
			return 0;
		}
	return -1;
}

/* "activity", "side", "background", "unsure" (unlabelled). */
static int parse_role(const char *text, enum fs_flow_role *role)
{
	static const struct {
		const char *name;
		enum fs_flow_role role;
	} roles[] = {{"activity", FS_FLOW_ACTIVITY},
		     {"side", FS_FLOW_SIDE},
		     {"background", FS_FLOW_BACKGROUND},
		     {"unsure", FS_FLOW_UNLABELLED}};
	unsigned int i;

	for (i = 0; i < FS_ARRAY_SIZE(roles); i++)
		if (strcmp(text, roles[i].name) == 0) {
			*role = roles[i].role;
			return 0;
		}
	return -1;
}

static int add_row(struct fs_flow_labels *l, const struct fs_table *t, const int *col, size_t *cap)
{
	struct label_row r = {0};

	if (parse_transport(fs_table_field(t, col[1]), &r.transport) < 0 ||
	    parse_endpoint(fs_table_field(t, col[2]), &r.a) < 0 ||
	    parse_endpoint(fs_table_field(t, col[3]), &r.b) < 0 ||
	    parse_role(fs_table_field(t, col[4]), &r.role) < 0 || !*fs_table_field(t, col[0]))
		return fs_err(t->path,
			      "line %u: needs a file, a transport (TCP, UDP, OTHER), two "
			      "ADDRESS:PORT endpoints and a role (activity, side, background, "
			      "unsure)",
			      t->lineno);
	if (l->n == *cap) {
		size_t grown = *cap ? 2 * *cap : 256;
		struct label_row *rows = realloc(l->rows, grown * sizeof(*rows));

		if (!rows)
			return fs_err(t->path, "out of memory");
		l->rows = rows;
		*cap = grown;
	}
	r.file = strdup(base_name(fs_table_field(t, col[0])));
	r.label = strdup(fs_table_field(t, col[5]));
	if (!r.file || !r.label) {
		free(r.file);
		free(r.label);
		return fs_err(t->path, "out of memory");
	}
	l->rows[l->n++] = r;
	return 0;
}

struct fs_flow_labels *fs_flow_labels_load(const char *path)
{
	static const char *const columns[] = {"file",	    "transport", "endpoint_a",
					      "endpoint_b", "role",	 "label"};
	struct fs_flow_labels *l = calloc(1, sizeof(*l));
	int col[FS_ARRAY_SIZE(columns)], err = 0, more;
	struct fs_table t;
	size_t cap = 0;
	unsigned int i;

	if (!l) {
		fs_err(path, "out of memory");
		return NULL;
	}
	if (fs_table_open(&t, path, '\t') < 0) {
		free(l);
		return NULL;
	}
	for (i = 0; i < FS_ARRAY_SIZE(columns) && !err; i++)
		if ((col[i] = fs_table_column(&t, columns[i])) < 0)
			err = fs_err(path, "line 1: no column '%s' (the header of FLOW_LABELS.tsv)",
				     columns[i]);
	while (!err && (more = fs_table_next(&t)) != 0)
		err = more < 0 ? -1 : add_row(l, &t, col, &cap);
	fs_table_close(&t);
	if (err) {
		fs_flow_labels_free(l);
		return NULL;
	}
	return l;
}

void fs_flow_labels_free(struct fs_flow_labels *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->rows[i].file);
		free(l->rows[i].label);
	}
	free(l->rows);
	free(l);
}

bool fs_flow_labels_has_capture(const struct fs_flow_labels *l, const char *file)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].file, base_name(file)) == 0)
			return true;
	return false;
}

static bool same_endpoint(const struct endpoint *e, const __u8 *addr, __u16 port, bool ports)
{
	return memcmp(e->addr, addr, 16) == 0 && (!ports || e->port == port);
}

static bool row_matches(const struct label_row *r, const struct fs_unit *u)
{
	bool ports = r->transport != T_OTHER;

	if (r->a.none || r->b.none)
		return false;

	if (r->transport == T_TCP && u->proto != FS_IPPROTO_TCP)
		return false;
	if (r->transport == T_UDP && u->proto != FS_IPPROTO_UDP)
		return false;
	if (r->transport == T_OTHER && (u->proto == FS_IPPROTO_TCP || u->proto == FS_IPPROTO_UDP))
		return false;
	return (same_endpoint(&r->a, u->src_addr, u->src_port, ports) &&
		same_endpoint(&r->b, u->dst_addr, u->dst_port, ports)) ||
	       (same_endpoint(&r->b, u->src_addr, u->src_port, ports) &&
		same_endpoint(&r->a, u->dst_addr, u->dst_port, ports));
}

bool fs_flow_labels_find(const struct fs_flow_labels *l, const char *file, const struct fs_unit *u,
			 enum fs_flow_role *role, const char **label)
{
	const char *name = base_name(file);
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct label_row *r = &l->rows[i];

		if (strcmp(r->file, name) == 0 && row_matches(r, u)) {
			*role = r->role;
			*label = r->label;
			return true;
		}
	}
	return false;
}
