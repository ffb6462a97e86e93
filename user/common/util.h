/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Small helpers every part of user/ uses: errors, time and address text. */
#ifndef FS_UTIL_H
#define FS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <linux/types.h>

#define FS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Everything flowscope says on stderr goes through these, as one line
 * "flowscope: SUBJECT: MESSAGE" (SUBJECT may be NULL). fs_err returns -1
 * for chaining; fs_warn adds "warning: "; fs_notice is news, not trouble.
 */
int fs_err(const char *subject, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fs_warn(const char *subject, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fs_notice(const char *subject, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* libbpf speaks only when FLOWSCOPE_DEBUG is set: flowscope reports errors itself. */
void fs_quiet_libbpf(void);
/* A library's message (libxdp's too), passed on only when FLOWSCOPE_DEBUG is set. */
int fs_library_log(const char *fmt, va_list ap);

/* "2024-01-31T12:00:00.123456Z" from ns since the epoch. */
void fs_format_time(char *buf, size_t len, __u64 ns);
/* Dotted quad for IPv4-mapped addresses, RFC 5952 text for the rest. */
void fs_format_addr(char *buf, size_t len, const __u8 addr[16]);
/* fs_format_time's text back to ns: 0, or -1 if it is not that. */
int fs_parse_time(const char *text, __u64 *ns);
/* fs_format_addr's text (either family) back to 16 bytes: 0, or -1. */
int fs_parse_addr(const char *text, __u8 addr[16]);
/* "10.0.0.1:80", or "[2001:db8::1]:80" for IPv6. */
void fs_format_endpoint(char *buf, size_t len, const __u8 addr[16], __u16 port);
/* "tcp", "udp", "icmp", "icmp6", else the number into buf. */
const char *fs_proto_name(__u8 proto, char *buf, size_t len);
/*
 * v in powers of 1000, as the rates of a link are given: the scaled value,
 * and *prefix "", "k", "M", "G", "T" or "P". Each display picks its digits.
 */
double fs_si_scale(double v, const char **prefix);
/* "90", "90s", "500ms", "2m", "1h" -> ns. Returns 0, or -1 if malformed. */
int fs_parse_duration(const char *text, __u64 *ns);
/* A whole number in [min, max]. Returns 0, or -1 if malformed. */
int fs_parse_uint(const char *text, __u64 min, __u64 max, __u64 *out);
/*
 * "HOST:PORT", "[IPv6]:PORT" or "PORT" into host (empty without one) and
 * port (digits). 0, or -1 if text is none of these or a part is too long.
 */
int fs_parse_endpoint(const char *text, char *host, size_t host_len, char *port, size_t port_len);

/*
 * Every output file is written under a temporary name beside it and renamed
 * into place once whole, so a reader never sees half a file. This creates
 * the temporary file, with the mode a plain open() would give (0666 less
 * the umask), not mkstemp's 0600. Returns its fd and sets *tmp_path
 * (malloc'd), or -1 with errno set.
 */
int fs_tmpfile_create(const char *path, char **tmp_path);
/*
 * With err 0, rename tmp_path into place as path; otherwise, or if that
 * fails, remove it. Returns err, or the rename's errno.
 */
int fs_tmpfile_finish(const char *tmp_path, const char *path, int err);

/*
 * buf as the whole new content of path: written under a temporary name,
 * synced, renamed into place. 0, or -1 after "flowscope: PATH: cannot write
 * the WHAT: why".
 */
int fs_write_whole(const char *path, const char *what, const void *buf, size_t len);

/* Where name is among names[0..n) (NULL entries never match), or -1. */
int fs_name_index(char *const *names, unsigned int n, const char *name);
/* The index of name in the list *names of *n, appended (a copy) if new; -1 without memory. */
int fs_name_add(char ***names, unsigned int *n, const char *name);

/* FNV-1a, 64 bits: a hash that is the same on every run and machine. */
static inline __u64 fs_fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	__u64 h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

#endif /* FS_UTIL_H */
