// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The engine's counters in words, the same everywhere they are shown:
 * replay's last line, the live summary, attach's last line and status.
 */
#include <stdio.h>

#include "engine/counter_report.h"
#include "common/util.h"

const struct fs_counter_reason fs_unrecorded_reasons[FS_UNRECORDED_REASONS] = {
	{FS_CNT_NON_IP, "non_ip", "not IPv4 or IPv6 (ARP, LLDP, ...)"},
	{FS_CNT_BAD_IP, "bad_ip_header", "an IP header cut short or invalid"},
	{FS_CNT_INSERT_FULL, "table_full", "a new flow's, the flow table full (--max-flows)"},
	{FS_CNT_INSERT_NOMEM, "no_memory", "a new flow's, no memory for it"},
	{FS_CNT_INSERT_OTHER, "insert_failed", "a new flow's, its insert failed otherwise"},
	{FS_CNT_TAKE_RACE, "drain_race", "met its flow being drained, the ring buffer full"},
};

int fs_counters_format(char *buf, size_t len, const __u64 c[FS_CNT_MAX])
{
	return snprintf(buf, len,
			"%llu non-IP, %llu bad IP header, %llu unrecorded (table full %llu, "
			"no memory %llu, insert failed %llu, drain race %llu) of %llu flows "
			"refused; %llu events lost, %llu records merged",
			(unsigned long long)c[FS_CNT_NON_IP], (unsigned long long)c[FS_CNT_BAD_IP],
			(unsigned long long)fs_unrecorded_packets(c),
			(unsigned long long)c[FS_CNT_INSERT_FULL],
			(unsigned long long)c[FS_CNT_INSERT_NOMEM],
			(unsigned long long)c[FS_CNT_INSERT_OTHER],
			(unsigned long long)c[FS_CNT_TAKE_RACE],
			(unsigned long long)c[FS_CNT_FLOWS_REFUSED],
			(unsigned long long)c[FS_CNT_EVENTS_LOST],
			(unsigned long long)c[FS_CNT_RECORDS_LOST]);
}

int fs_packets_close(const char *who, const __u64 c[FS_CNT_MAX], __u64 records,
		     __u64 record_packets, bool print)
{
	char line[FS_COUNTERS_TEXT_MAX];
	__s64 missing;

	if (print) {
		fs_counters_format(line, sizeof(line), c);
		fs_notice(NULL, "%llu packets seen, %llu records holding %llu; not in a record: %s",
			  (unsigned long long)c[FS_CNT_PACKETS], (unsigned long long)records,
			  (unsigned long long)record_packets, line);
	}
	missing = (__s64)(c[FS_CNT_PACKETS] - record_packets - fs_packets_outside_records(c));
	if (missing)
		return fs_err(who, "%lld packets seen are in no record and no counter",
			      (long long)missing);
	return 0;
}
