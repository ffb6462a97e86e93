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

/* Days since 1970-01-01 as a proleptic Gregorian date (H. Hinnant's civil_from_days). */
static void civil_from_days(__u64 days, __u64 *year, unsigned int *month, unsigned int *day)
{
	__u64 z = days + 719468, era = z / 146097; /* 400-year eras from 0000-03-01 */
	unsigned int doe = (unsigned int)(z - era * 146097);
	unsigned int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned int mp = (5 * doy + 2) / 153; /* months from March */

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = yoe + era * 400 + (*month <= 2);
}

/* v's last n decimal digits, zero-padded, at p; returns the end. */
static char *put_digits(char *p, __u64 v, unsigned int n)
{
	unsigned int i;

	for (i = n; i-- > 0; v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/*
 * As strftime's "%Y-%m-%dT%H:%M:%S" and ".%06lluZ" would write it, without
 * them: two of these are in every record, and they cost a record more than
 * twenty of its numbers. A __u64 of ns ends in 2554: four digits of year.
 */
void fs_format_time(char *buf, size_t len, __u64 ns)
{
	char text[sizeof("YYYY-MM-DDTHH:MM:SS.uuuuuuZ")], *p = text;
	__u64 secs = ns / 1000000000ULL, year;
	unsigned int month, day, sod = (unsigned int)(secs % 86400);
	size_t n;

	civil_from_days(secs / 86400, &year, &month, &day);
	p = put_digits(p, year, 4);
	*p++ = '-';
	p = put_digits(p, month, 2);
	*p++ = '-';
	p = put_digits(p, day, 2);
	*p++ = 'T';
	p = put_digits(p, sod / 3600, 2);
	*p++ = ':';
	p = put_digits(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = put_digits(p, sod % 60, 2);
	*p++ = '.';
	p = put_digits(p, ns % 1000000000ULL / 1000, 6);
	*p++ = 'Z';
	if (!len)
		return;
	n = (size_t)(p - text) < len ? (size_t)(p - text) : len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
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
	unsigned int i;
	char *p = buf;

	if (memcmp(addr, v4_prefix, sizeof(v4_prefix)) != 0) {
		inet_ntop(AF_INET6, addr, buf, len);
		return;
	}
	if (len < INET_ADDRSTRLEN) {
		inet_ntop(AF_INET, addr + 12, buf, len);
		return;
	}
	/* inet_ntop's dotted quad, by hand: two in every record. */
	for (i = 12; i < 16; i++) {
		__u8 b = addr[i];

		if (b >= 100)
			*p++ = (char)('0' + b / 100);
		if (b >= 10)
			*p++ = (char)('0' + b / 10 % 10);
		*p++ = (char)('0' + b % 10);
		*p++ = i < 15 ? '.' : '\0';
	}
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
