// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Record text read back (report reads records files): times and addresses
 * as flowscope writes them parse to what was written, and other text is
 * refused. They are written as strftime and inet_ntop would write them.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "classify/rng.h"
#include "common/util.h"

static void test_times_round_trip(void **state)
{
	struct fs_rng r;
	char text[64];
	__u64 ns, back;
	int i;

	fs_rng_seed(&r, 3);
	for (i = 0; i < 100000; i++) {
		/* 1970 to 2100, to the nanosecond: written to the microsecond. */
		ns = fs_rng_next(&r) % (4102444800ULL * 1000000000ULL);
		fs_format_time(text, sizeof(text), ns);
		assert_int_equal(fs_parse_time(text, &back), 0);
		assert_true(back == ns / 1000 * 1000);
	}
}

/* Written as gmtime_r and strftime would write it, over every year a __u64 reaches. */
static void test_times_as_strftime(void **state)
{
	struct fs_rng r;
	char text[64], want[64];
	__u64 ns;
	int i;

	fs_rng_seed(&r, 4);
	for (i = 0; i < 200000; i++) {
		time_t secs;
		struct tm tm;
		size_t n;

		ns = fs_rng_next(&r);
		if (i % 4 == 0) /* and near midnight and the year's turns, often */
			ns = ns % (4102444800ULL * 1000000000ULL) / 86400000000000ULL *
				     86400000000000ULL +
			     ns % 3000000000ULL;
		secs = (time_t)(ns / 1000000000ULL);
		gmtime_r(&secs, &tm);
		n = strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(want + n, sizeof(want) - n, ".%06lluZ",
			 (unsigned long long)(ns % 1000000000ULL / 1000));
		fs_format_time(text, sizeof(text), ns);
		assert_string_equal(text, want);
	}
	fs_format_time(text, sizeof(text), 0);
	assert_string_equal(text, "1970-01-01T00:00:00.000000Z");
	fs_format_time(text, sizeof(text), 951782400ULL * 1000000000ULL); /* a century's leap day */
	assert_string_equal(text, "2000-02-29T00:00:00.000000Z");
}

static void test_bad_times(void **state)
{
	static const char *const bad[] = {
		"",
		"2024-01-31",
		"2024-01-31T12:00:00Z",
		"2024-01-31T12:00:00.12345Z",
		"2024-01-31T12:00:00.123456",
		"2024-01-31T12:00:00.123456Z ",
		"2024-13-31T12:00:00.123456Z",
		"2024-01-31 12:00:00.123456Z",
	};
	__u64 ns;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(fs_parse_time(bad[i], &ns), -1);
}

static void test_addresses_round_trip(void **state)
{
	struct fs_rng r;
	__u8 addr[16], back[16];
	char text[64];
	int i;

	fs_rng_seed(&r, 5);
	for (i = 0; i < 100000; i++) {
		__u64 a = fs_rng_next(&r), b = fs_rng_next(&r);

		memcpy(addr, &a, 8);
		memcpy(addr + 8, &b, 8);
		if (i % 2) { /* IPv4, as the engines keep it: mapped into IPv6 */
			memset(addr, 0, 10);
			addr[10] = addr[11] = 0xff;
		}
		fs_format_addr(text, sizeof(text), addr);
		assert_int_equal(fs_parse_addr(text, back), 0);
		if (i % 2) { /* as inet_ntop writes it */
			char want[INET_ADDRSTRLEN];

			assert_non_null(inet_ntop(AF_INET, addr + 12, want, sizeof(want)));
			assert_string_equal(text, want);
		}
		assert_memory_equal(addr, back, 16);
	}
	assert_int_equal(fs_parse_addr("10.0.0", back), -1);
	assert_int_equal(fs_parse_addr("10.0.0.256", back), -1);
	assert_int_equal(fs_parse_addr("2001:db8::1::2", back), -1);
	assert_int_equal(fs_parse_addr("", back), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times_round_trip),
		cmocka_unit_test(test_times_as_strftime),
		cmocka_unit_test(test_bad_times),
		cmocka_unit_test(test_addresses_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
