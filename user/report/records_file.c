// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "common/table.h"
#include "common/util.h"
#include "report/records_file.h"

/* The columns a report reads; the ones after NEEDED may be absent (no model). */
enum field {
	F_SRC_IP,
	F_DST_IP,
	F_SRC_PORT,
	F_DST_PORT,
	F_PROTO,
	F_FIRST_SEEN,
	F_LAST_SEEN,
	F_FWD_PACKETS,
	F_BWD_PACKETS,
	F_FWD_BYTES,
	F_BWD_BYTES,
	F_NEEDED,
	F_CLASS = F_NEEDED,
	F_CONFIDENCE,
	F_MAX,
};

static const char *const field_names[F_MAX] = {
	"src_ip",      "dst_ip",      "src_port",  "dst_port",	"proto", "first_seen", "last_seen",
	"fwd_packets", "bwd_packets", "fwd_bytes", "bwd_bytes", "class", "confidence",
};

int fs_input_kind(const char *path, enum fs_input_kind *kind)
{
	static const __u32 capture_magic[] = {0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1,
					      0x0a0d0d0a};
	unsigned char head[4] = {0};
	FILE *f = fopen(path, "rb");
	__u32 magic;
	size_t i, n;
	int c;

	if (!f)
		return fs_err(path, "cannot open: %s", strerror(errno));
	n = fread(head, 1, sizeof(head), f);
	magic = (__u32)head[0] << 24 | (__u32)head[1] << 16 | (__u32)head[2] << 8 | head[3];
	for (i = 0; n == sizeof(head) && i < FS_ARRAY_SIZE(capture_magic); i++) {
		if (magic == capture_magic[i]) {
			fclose(f);
			*kind = FS_INPUT_CAPTURE;
			return 0;
		}
	}
	rewind(f);
	while ((c = getc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	fclose(f);
	if (c == EOF)
		return fs_err(path, "empty: not a capture or a records file");
	*kind = c == '{' ? FS_INPUT_JSON : FS_INPUT_CSV;
	return 0;
}

static int parse_count(const char *text, __u64 max, __u64 *out)
{
	return text && fs_parse_uint(text, 0, max, out) == 0 ? 0 : -1;
}

/* One record's fields (NULL where absent) as a report flow; NULL, or what is wrong. */
static const char *flow_of(struct fs_report *r, const char *const v[F_MAX],
			   struct fs_report_flow *f)
{
	__u64 port, proto, fwd, bwd;
	char *end;
	int cls;

	memset(f, 0, sizeof(*f));
	if (!v[F_SRC_IP] || fs_parse_addr(v[F_SRC_IP], f->src) < 0)
		return "src_ip is not an IP address";
	if (!v[F_DST_IP] || fs_parse_addr(v[F_DST_IP], f->dst) < 0)
		return "dst_ip is not an IP address";
	if (parse_count(v[F_SRC_PORT], 65535, &port) < 0)
		return "src_port is not a port";
	f->sport = (__u16)port;
	if (parse_count(v[F_DST_PORT], 65535, &port) < 0)
		return "dst_port is not a port";
	f->dport = (__u16)port;
	if (parse_count(v[F_PROTO], 255, &proto) < 0)
		return "proto is not a protocol number";
	f->proto = (__u8)proto;
	if (!v[F_FIRST_SEEN] || fs_parse_time(v[F_FIRST_SEEN], &f->first_ns) < 0)
		return "first_seen is not a time such as 2024-01-31T12:00:00.123456Z";
	if (!v[F_LAST_SEEN] || fs_parse_time(v[F_LAST_SEEN], &f->last_ns) < 0 ||
	    f->last_ns < f->first_ns)
		return "last_seen is not a time at or after first_seen";
	if (parse_count(v[F_FWD_PACKETS], ~0ULL, &fwd) < 0 ||
	    parse_count(v[F_BWD_PACKETS], ~0ULL, &bwd) < 0)
		return "fwd_packets or bwd_packets is not a count";
	f->packets = fwd + bwd;
	if (parse_count(v[F_FWD_BYTES], ~0ULL, &fwd) < 0 ||
	    parse_count(v[F_BWD_BYTES], ~0ULL, &bwd) < 0)
		return "fwd_bytes or bwd_bytes is not a count";
	f->bytes = fwd + bwd;
	f->confidence = -1;
	if (v[F_CONFIDENCE] && *v[F_CONFIDENCE]) {
		f->confidence = strtof(v[F_CONFIDENCE], &end);
		if (*end || !(f->confidence >= 0 && f->confidence <= 1))
			return "confidence is not a number from 0 to 1";
	}
	cls = fs_report_class(r, v[F_CLASS] ? v[F_CLASS] : "");
	f->cls = (__u8)(cls < 0 ? FS_REPORT_MAX_CLASSES - 1 : cls);
	return NULL;
}

static int read_csv(struct fs_report *r, const char *path)
{
	const char *v[F_MAX];
	struct fs_report_flow f;
	struct fs_table t;
	int col[F_MAX], i, ret;
	const char *why;

	if (fs_table_open(&t, path, ',') < 0)
		return -1;
	for (i = 0; i < F_MAX; i++) {
		col[i] = fs_table_column(&t, field_names[i]);
		if (col[i] < 0 && i < F_NEEDED) {
			fs_table_close(&t);
			return fs_err(path,
				      "no %s column: not a records file of flowscope's CSV "
				      "(with --features all or deepmad, not --format cic)",
				      field_names[i]);
		}
	}
	while ((ret = fs_table_next(&t)) > 0) {
		for (i = 0; i < F_MAX; i++)
			v[i] = col[i] < 0 ? NULL : fs_table_field(&t, col[i]);
		why = flow_of(r, v, &f);
		if (why || fs_report_add(r, &f) < 0) {
			fs_err(path, "line %u: %s", t.lineno, why ? why : "out of memory");
			ret = -1;
			break;
		}
	}
	fs_table_close(&t);
	return ret < 0 ? -1 : 0;
}

/* A JSON line's fields as text: numbers as json-c writes them, strings as they are. */
static const char *json_line(struct fs_report *r, const char *line, struct fs_report_flow *f)
{
	struct json_object *obj = json_tokener_parse(line), *value;
	const char *v[F_MAX], *why;
	int i;

	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return "not a JSON object";
	}
	for (i = 0; i < F_MAX; i++) {
		v[i] = json_object_object_get_ex(obj, field_names[i], &value) &&
				       !json_object_is_type(value, json_type_null)
			       ? json_object_get_string(value)
			       : NULL;
		if (!v[i] && i < F_NEEDED) {
			json_object_put(obj);
			return "a record without src_ip, ports, times, packets or bytes "
			       "(flowscope's JSON lines, with --features all or deepmad)";
		}
	}
	why = flow_of(r, v, f);
	json_object_put(obj);
	return why;
}

static int read_json(struct fs_report *r, const char *path)
{
	FILE *in = fopen(path, "r");
	struct fs_report_flow f;
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	const char *why;
	int err = 0;

	if (!in)
		return fs_err(path, "cannot open: %s", strerror(errno));
	while (!err && getline(&line, &cap, in) >= 0) {
		lineno++;
		if (strspn(line, " \t\r\n") == strlen(line))
			continue;
		why = json_line(r, line, &f);
		if (why || fs_report_add(r, &f) < 0)
			err = fs_err(path, "line %u: %s", lineno, why ? why : "out of memory");
	}
	if (!err && ferror(in))
		err = fs_err(path, "cannot read: %s", strerror(errno));
	free(line);
	fclose(in);
	return err;
}

int fs_records_file_read(struct fs_report *r, const char *path, enum fs_input_kind kind)
{
	return kind == FS_INPUT_JSON ? read_json(r, path) : read_csv(r, path);
}
