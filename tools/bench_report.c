// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * flowscope report's speed and page size: of the benchmark capture's
 * records, and of a million records (a records CSV written here, flows of
 * 2,000 hosts over an hour), each drawn by the command as a user runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define MILLION_FLOWS 1000000

/* Best of TRIES: the seconds of `flowscope ARGS`, or -1. */
static double command_s(const char *flowscope, const char *args)
{
	char cmd[8192];
	double best = -1, t;
	int i;

	snprintf(cmd, sizeof(cmd), "%s %s", flowscope, args);
	for (i = 0; i < TRIES; i++) {
		t = now_s();
		if (system(cmd) != 0)
			return -1;
		t = now_s() - t;
		best = best < 0 || t < best ? t : best;
	}
	return best;
}

static long size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* A records CSV of MILLION_FLOWS flows with the columns a report reads. */
static int write_million(const char *path)
{
	static const char *const classes[] = {"browsing", "video", "call", "other"};
	FILE *f = fopen(path, "w");
	unsigned int i, start;

	if (!f)
		return -1;
	fputs("src_ip,src_port,dst_ip,dst_port,proto,first_seen,last_seen,class,confidence,"
	      "fwd_packets,bwd_packets,fwd_bytes,bwd_bytes\n",
	      f);
	for (i = 0; i < MILLION_FLOWS; i++) {
		start = i * 3570u / MILLION_FLOWS; /* ends within the hour */
		fprintf(f,
			"10.%u.%u.%u,%u,192.0.2.%u,443,6,2026-11-30T10:%02u:%02u.%06uZ,"
			"2026-11-30T10:%02u:%02u.%06uZ,%s,0.9,%u,%u,%u,%u\n",
			i % 2000 / 250, i % 250, 1 + i % 7, 1024 + i % 60000, i % 200, start / 60,
			start % 60, i % 1000000, (start + i % 30) / 60, (start + i % 30) % 60,
			i % 1000000, classes[i % 4], 10 + i % 90, 10 + i % 50, 1500 * (10 + i % 90),
			60 * (10 + i % 50));
	}
	return fclose(f);
}

void print_report_speed(const char *flowscope, const char *capture)
{
	const char *records = "/dev/shm/flowscope-bench-records.csv";
	const char *million = "/dev/shm/flowscope-bench-million.csv";
	const char *page = "/dev/shm/flowscope-bench-report.html";
	char args[4096];
	double capture_s = -1, million_s = -1;
	long capture_page = -1, million_page = -1;

	snprintf(args, sizeof(args), "replay --engine user --quiet -o %s %s", records, capture);
	if (command_s(flowscope, args) >= 0) {
		snprintf(args, sizeof(args), "report --quiet -o %s %s", page, records);
		capture_s = command_s(flowscope, args);
		capture_page = size_of(page);
	}
	if (write_million(million) == 0) {
		snprintf(args, sizeof(args), "report --quiet -o %s %s", page, million);
		million_s = command_s(flowscope, args);
		million_page = size_of(page);
	}
	unlink(records);
	unlink(million);
	unlink(page);
	printf("\nflowscope report of a records CSV, best of %d\n", TRIES);
	printf("%-44s %10s %10s  %s\n", "records", "seconds", "page kB", "goal: < 2 s");
	printf("%-44s %10.2f %10.0f  %s\n", "the replay capture's above (10000 flows)", capture_s,
	       capture_page / 1e3, capture_s >= 0 && capture_s < 2 ? "met" : "MISSED");
	printf("%-44s %10.2f %10.0f  %s\n", "a million flows of 2000 hosts over an hour", million_s,
	       million_page / 1e3, "(size: a few MB at most)");
}
