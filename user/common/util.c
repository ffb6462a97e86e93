// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>

#include "common/util.h"

static void vreport(const char *subject, const char *prefix, const char *fmt, va_list ap)
{
	fputs("flowscope: ", stderr);
	if (subject)
		fprintf(stderr, "%s: ", subject);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int fs_err(const char *subject, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(subject, "", fmt, ap);
	va_end(ap);
	return -1;
}

void fs_warn(const char *subject, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(subject, "warning: ", fmt, ap);
	va_end(ap);
}

void fs_notice(const char *subject, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(subject, "", fmt, ap);
	va_end(ap);
}

int fs_library_log(const char *fmt, va_list ap)
{
	if (!getenv("FLOWSCOPE_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : fs_library_log(fmt, ap);
}

void fs_quiet_libbpf(void)
{
	libbpf_set_print(libbpf_log);
}

void fs_format_time(char *buf, size_t len, __u64 ns)
{
	time_t secs = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06lluZ", (unsigned long long)(ns % 1000000000ULL / 1000));
}

double fs_si_scale(double v, const char **prefix)
{
	static const char *const prefixes[] = {"", "k", "M", "G", "T", "P"};
	unsigned int p = 0;

	while (fabs(v) >= 1000 && p + 1 < FS_ARRAY_SIZE(prefixes)) {
		v /= 1000;
		p++;
	}
	*prefix = prefixes[p];
	return v;
}

int fs_parse_time(const char *text, __u64 *ns)
{
	struct tm tm = {0};
	const char *p = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);
	unsigned int us = 0, digits = 0;
	time_t secs;

	if (!p || *p++ != '.')
		return -1;
	for (; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
		us = us * 10 + (unsigned int)(*p - '0');
	if (digits != 6 || strcmp(p, "Z") != 0)
		return -1;
	secs = timegm(&tm);
	if (secs < 0)
		return -1;
	*ns = (__u64)secs * 1000000000ULL + us * 1000ULL;
	return 0;
}

int fs_parse_addr(const char *text, __u8 addr[16])
{
	static const __u8 v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (inet_pton(AF_INET6, text, addr) == 1)
		return 0;
	memcpy(addr, v4_prefix, sizeof(v4_prefix));
	return inet_pton(AF_INET, text, addr + 12) == 1 ? 0 : -1;
}

void fs_format_endpoint(char *buf, size_t len, const __u8 addr[16], __u16 port)
{
	char text[64];

	fs_format_addr(text, sizeof(text), addr);
	snprintf(buf, len, strchr(text, ':') ? "[%s]:%u" : "%s:%u", text, port);
}

const char *fs_proto_name(__u8 proto, char *buf, size_t len)
{
	switch (proto) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "icmp6";
	}
	snprintf(buf, len, "%u", proto);
	return buf;
}

void fs_format_addr(char *buf, size_t len, const __u8 addr[16])
{
	static const __u8 v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (memcmp(addr, v4_prefix, sizeof(v4_prefix)) == 0)
		inet_ntop(AF_INET, addr + 12, buf, len);
	else
		inet_ntop(AF_INET6, addr, buf, len);
}

int fs_parse_endpoint(const char *text, char *host, size_t host_len, char *port, size_t port_len)
{
	const char *colon = strrchr(text, ':'), *p = colon ? colon + 1 : text;
	size_t hlen = colon ? (size_t)(colon - text) : 0;

	if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) >= port_len)
		return -1;
	if (hlen >= 2 && text[0] == '[' && text[hlen - 1] == ']') {
		text++;
		hlen -= 2;
	}
	if (hlen >= host_len)
		return -1;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	strcpy(port, p);
	return 0;
}

int fs_parse_duration(const char *text, __u64 *ns)
{
	static const struct {
		const char *suffix;
		double scale;
	} units[] = {{"", 1e9}, {"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"m", 60e9}, {"h", 3600e9}};
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno || v < 0)
		return -1;
	for (i = 0; i < FS_ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			if (v * units[i].scale > 1e18)
				return -1;
			*ns = (__u64)(v * units[i].scale);
			return 0;
		}
	}
	return -1;
}

int fs_parse_uint(const char *text, __u64 min, __u64 max, __u64 *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*text == '-' || *text == '\0')
		return -1;
	v = strtoull(text, &end, 10);
	if (*end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int fs_tmpfile_create(const char *path, char **tmp_path)
{
	mode_t mask = umask(0);
	int fd, err;

	umask(mask);
	if (asprintf(tmp_path, "%s.tmp.XXXXXX", path) < 0) {
		*tmp_path = NULL;
		errno = ENOMEM;
		return -1;
	}
	fd = mkstemp(*tmp_path);
	if (fd >= 0 && fchmod(fd, 0666 & ~mask) != 0) {
		err = errno;
		close(fd);
		unlink(*tmp_path);
		errno = err;
		fd = -1;
	}
	if (fd < 0) {
		err = errno;
		free(*tmp_path);
		*tmp_path = NULL;
		errno = err;
	}
	return fd;
}

int fs_tmpfile_finish(const char *tmp_path, const char *path, int err)
{
	if (!err && rename(tmp_path, path) != 0)
		err = errno;
	if (err)
		unlink(tmp_path);
	return err;
}

int fs_write_whole(const char *path, const char *what, const void *buf, size_t len)
{
	char *tmp = NULL;
	int fd, err = 0;

	fd = fs_tmpfile_create(path, &tmp);
	if (fd < 0)
		return fs_err(path, "cannot write the %s: %s", what, strerror(errno));
	if (write(fd, buf, len) != (ssize_t)len || fsync(fd) != 0)
		err = errno ? errno : EIO;
	if (close(fd) != 0 && !err)
		err = errno;
	err = fs_tmpfile_finish(tmp, path, err);
	free(tmp);
	return err ? fs_err(path, "cannot write the %s: %s", what, strerror(err)) : 0;
}

int fs_name_index(char *const *names, unsigned int n, const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

int fs_name_add(char ***names, unsigned int *n, const char *name)
{
	int i = fs_name_index(*names, *n, name);
	char **grown;

	if (i >= 0)
		return i;
	grown = realloc(*names, (*n + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	*names = grown;
	grown[*n] = strdup(name);
	return grown[*n] ? (int)(*n)++ : -1;
}
