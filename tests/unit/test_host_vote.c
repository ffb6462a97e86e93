// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A host's verdict from its flows (host_vote.h): scores worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/host_vote.h"
#include "classify/hosts.h"

enum { CALL, VIDEO, BROWSING, BACKGROUND, NCLASSES };

#define S  1000000000ULL /* ns */
#define MB 1e6

static const float sure_call[NCLASSES] = {0.9f, 0.05f, 0.05f, 0};
static const float sure_browsing[NCLASSES] = {0.05f, 0.05f, 0.9f, 0};
static const float sure_background[NCLASSES] = {0, 0, 0.2f, 0.8f};

static void add(struct fs_host_vote *v, __u64 from_s, __u64 to_s, double bytes, const float *probs)
{
	struct fs_host_ballot b = {from_s * S, to_s * S, bytes, probs};

	assert_int_equal(fs_host_vote_add(v, &b), 0);
}

/* A call the whole minute, light beside a 3 MB download of 6 s: the call. */
static void test_call_beside_download(void **state)
{
	struct fs_host_vote v;
	double score[NCLASSES];

	(void)state;
	fs_host_vote_init(&v, NCLASSES, BACKGROUND, 0, 60 * S);
	add(&v, 0, 60, 1 * MB, sure_call);
	add(&v, 10, 16, 3 * MB, sure_browsing);
	assert_int_equal(fs_host_vote_verdict(&v, score), CALL);
	/* (0.9 x 1 + 0.05 x 3) / 4 + 0.5 x 60/60 */
	assert_float_equal(score[CALL], 0.2625 + 0.5, 1e-6);
	/* (0.05 x 1 + 0.9 x 3) / 4 + 0.5 x 6/60 */
	assert_float_equal(score[BROWSING], 0.6875 + 0.05, 1e-6);
	assert_float_equal(score[VIDEO], 0.05, 1e-6); /* bytes only: no flow said video */
	fs_host_vote_free(&v);
}

/* Ten times the call's bytes outweigh its time: the download wins. */
static void test_bytes_still_count(void **state)
{
	struct fs_host_vote v;

	(void)state;
	fs_host_vote_init(&v, NCLASSES, BACKGROUND, 0, 60 * S);
	add(&v, 0, 60, 1 * MB, sure_call);
	add(&v, 10, 16, 10 * MB, sure_browsing);
	assert_int_equal(fs_host_vote_verdict(&v, NULL), BROWSING);
	fs_host_vote_free(&v);
}

/* Overlapping flows cover their union, not the sum of their spans. */
static void test_spans_overlap(void **state)
{
	struct fs_host_vote v;
	double score[NCLASSES];

	(void)state;
	fs_host_vote_init(&v, NCLASSES, BACKGROUND, 0, 100 * S);
	add(&v, 0, 40, 1 * MB, sure_call);
	add(&v, 20, 60, 1 * MB, sure_call);
	add(&v, 70, 80, 1 * MB, sure_call);
	fs_host_vote_verdict(&v, score);
	/* bytes 0.9, time (60 + 10) / 100 */
	assert_float_equal(score[CALL], 0.9 + 0.5 * 0.7, 1e-6);
	fs_host_vote_free(&v);
}

/*
 * The window clips a flow: half its span inside brings half its bytes and
 * covers that half; a flow wholly outside does not count.
 */
static void test_window_clips(void **state)
{
	struct fs_host_vote v;
	double score[NCLASSES];

	(void)state;
	fs_host_vote_init(&v, NCLASSES, BACKGROUND, 60 * S, 120 * S);
	add(&v, 30, 90, 2 * MB, sure_call);	   /* 1 MB and 30 s inside */
	add(&v, 90, 120, 0.5 * MB, sure_browsing); /* all inside */
	add(&v, 0, 59, 50 * MB, sure_browsing);	   /* before the window */
	assert_int_equal(fs_host_vote_verdict(&v, score), CALL);
	/* (0.9 x 1 + 0.05 x 0.5) / 1.5 + 0.5 x 30/60 */
	assert_float_equal(score[CALL], 0.925 / 1.5 + 0.25, 1e-6);
	/* (0.05 x 1 + 0.9 x 0.5) / 1.5 + 0.5 x 30/60 */
	assert_float_equal(score[BROWSING], 0.5 / 1.5 + 0.25, 1e-6);
	fs_host_vote_free(&v);
}

/* Background wins only where nothing else was said, however heavy it is. */
static void test_background_last(void **state)
{
	struct fs_host_vote v;

	(void)state;
	fs_host_vote_init(&v, NCLASSES, BACKGROUND, 0, 60 * S);
	add(&v, 0, 60, 10 * MB, sure_background);
	assert_int_equal(fs_host_vote_verdict(&v, NULL), BACKGROUND);
	add(&v, 5, 6, 0.01 * MB, sure_browsing);
	assert_int_equal(fs_host_vote_verdict(&v, NULL), BROWSING);
	fs_host_vote_free(&v);
}

static void test_no_ballot(void **state)
{
	struct fs_host_vote v;

	(void)state;
	fs_host_vote_init(&v, NCLASSES, BACKGROUND, 0, 60 * S);
	add(&v, 61, 70, 1 * MB, sure_call);
	assert_int_equal(fs_host_vote_verdict(&v, NULL), -1);
	fs_host_vote_free(&v);
}

/* 10.0.x.y as an IPv4-mapped address, x.y = host. */
static void host_addr(__u8 addr[16], unsigned int host)
{
	memset(addr, 0, 16);
	addr[10] = addr[11] = 0xff;
	addr[12] = 10;
	addr[14] = (__u8)(host >> 8);
	addr[15] = (__u8)host;
}

static void hold(struct fs_hosts *h, unsigned int host, __u64 from_s, __u64 to_s, double bytes,
		 const float *probs)
{
	struct fs_host_ballot b = {from_s * S, to_s * S, bytes, probs};
	__u8 addr[16];

	host_addr(addr, host);
	assert_int_equal(fs_hosts_add(h, addr, &b), 0);
}

/*
 * Hosts apart, most bytes first, each by the rule above; ballots ended
 * before the window are pruned, those after a mark truncated.
 */
static void test_hosts(void **state)
{
	struct fs_hosts *h = fs_hosts_new(NCLASSES, BACKGROUND);
	struct fs_host_row *rows;
	size_t n;
	__u64 mark;

	(void)state;
	assert_non_null(h);
	hold(h, 1, 0, 60, 1 * MB, sure_call);
	hold(h, 2, 0, 10, 5 * MB, sure_browsing);
	hold(h, 1, 10, 16, 3 * MB, sure_browsing);
	hold(h, 3, 0, 5, 1 * MB, sure_browsing); /* ends before the window below */
	mark = fs_hosts_mark(h);
	hold(h, 2, 50, 60, 1 * MB, sure_call);
	assert_int_equal(fs_hosts_judge(h, 0, 60 * S, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(rows[0].addr + 12, ((__u8[]){10, 0, 0, 2}), 4);
	assert_int_equal(rows[0].flows, 2);
	assert_float_equal(rows[0].bytes, 6 * MB, 1);
	assert_int_equal(rows[0].cls, BROWSING);
	assert_memory_equal(rows[1].addr + 12, ((__u8[]){10, 0, 0, 1}), 4);
	assert_int_equal(rows[1].flows, 2);
	assert_int_equal(rows[1].cls, CALL); /* as test_call_beside_download */
	assert_float_equal(rows[1].score, 0.7625, 1e-6);
	free(rows);

	fs_hosts_rollback(h, mark);
	fs_hosts_prune(h, 6 * S);
	assert_int_equal(fs_hosts_count(h), 3);
	assert_int_equal(fs_hosts_judge(h, 6 * S, 60 * S, &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].flows, 2); /* 10.0.0.1 */
	assert_int_equal(rows[1].flows, 1); /* 10.0.0.2: 4 of its 10 s in the window */
	assert_float_equal(rows[1].bytes, 2 * MB, 1);
	free(rows);
	assert_int_equal(fs_hosts_left_out(h), 0);
	fs_hosts_free(h);
}

/* One host's verdict, as the table gives it; a host never seen has none. */
static void test_one_host(void **state)
{
	struct fs_hosts *h = fs_hosts_new(NCLASSES, BACKGROUND);
	struct fs_host_row row;
	__u8 addr[16];

	(void)state;
	assert_non_null(h);
	hold(h, 1, 0, 60, 1 * MB, sure_call);
	hold(h, 2, 0, 10, 5 * MB, sure_browsing);
	hold(h, 1, 10, 16, 3 * MB, sure_browsing);
	host_addr(addr, 1);
	assert_int_equal(fs_hosts_judge_one(h, addr, 0, 60 * S, &row), 0);
	assert_int_equal(row.flows, 2);
	assert_float_equal(row.bytes, 4 * MB, 1);
	assert_int_equal(row.cls, CALL);
	assert_float_equal(row.score, 0.7625, 1e-6);
	host_addr(addr, 3);
	assert_int_equal(fs_hosts_judge_one(h, addr, 0, 60 * S, &row), 0);
	assert_int_equal(row.flows, 0);
	assert_int_equal(row.cls, -1);
	fs_hosts_free(h);
}

/*
 * A record reads its host's latest FS_HOST_RECORD_BALLOTS flows: 100 calls
 * then 256 one-byte page loads make a browsing host for a record, and a
 * call host for the table, which reads all 356.
 */
static void test_record_reads_latest(void **state)
{
	struct fs_hosts *h = fs_hosts_new(NCLASSES, BACKGROUND);
	struct fs_host_row row, *rows;
	__u8 addr[16];
	size_t n;
	int i;

	(void)state;
	assert_non_null(h);
	for (i = 0; i < 100; i++)
		hold(h, 1, 0, 60, 1 * MB, sure_call);
	for (i = 0; i < FS_HOST_RECORD_BALLOTS; i++)
		hold(h, 1, 59, 60, 1, sure_browsing);
	host_addr(addr, 1);
	assert_int_equal(fs_hosts_judge_one(h, addr, 0, 60 * S, &row), 0);
	assert_int_equal(row.flows, FS_HOST_RECORD_BALLOTS);
	assert_int_equal(row.cls, BROWSING);
	assert_int_equal(fs_hosts_judge(h, 0, 60 * S, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].flows, 100 + FS_HOST_RECORD_BALLOTS);
	assert_int_equal(rows[0].cls, CALL);
	free(rows);
	fs_hosts_free(h);
}

/*
 * Thousands of hosts: each found again after the table grows and after a
 * prune drops every other one; the dropped ones are gone.
 */
static void test_many_hosts(void **state)
{
	struct fs_hosts *h = fs_hosts_new(NCLASSES, BACKGROUND);
	struct fs_host_row row;
	__u8 addr[16];
	unsigned int i;

	(void)state;
	assert_non_null(h);
	for (i = 0; i < 5000; i++)
		hold(h, i, i % 2 ? 10 : 0, i % 2 ? 20 : 5, 1000 + i, sure_call);
	assert_int_equal(fs_hosts_count(h), 5000);
	fs_hosts_prune(h, 6 * S);
	assert_int_equal(fs_hosts_count(h), 2500);
	for (i = 0; i < 5000; i++) {
		host_addr(addr, i);
		assert_int_equal(fs_hosts_judge_one(h, addr, 0, 60 * S, &row), 0);
		assert_int_equal(row.flows, i % 2);
		if (i % 2) {
			assert_int_equal(row.cls, CALL);
			assert_float_equal(row.bytes, 1000 + i, 1e-9);
		}
	}
	fs_hosts_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_beside_download),
		cmocka_unit_test(test_bytes_still_count),
		cmocka_unit_test(test_spans_overlap),
		cmocka_unit_test(test_window_clips),
		cmocka_unit_test(test_background_last),
		cmocka_unit_test(test_no_ballot),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_one_host),
		cmocka_unit_test(test_record_reads_latest),
		cmocka_unit_test(test_many_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
