// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The record queue (capture/unit_queue.c): every unit reaches the sink, in
 * order, on the queue's own thread; a sink's failure stops the producer and
 * comes back from finish; on one CPU there is no queue.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/unit_queue.h"

#define UNITS 1000 /* some 16 turns of the ring */

struct seen {
	__u64 n;
	__u64 order_broken; /* units that came out of order */
	__u64 fail_at;	    /* the sink fails on the unit numbered so; 0: never */
	bool other_thread;  /* every call came on a thread not the pusher's */
	pthread_t pusher;
};

static int record(void *ctx, const struct fs_unit *u)
{
	struct seen *s = ctx;

	s->order_broken += u->first_ts != s->n + 1 || u->flows != (s->n + 1) * 3;
	s->other_thread &= !pthread_equal(pthread_self(), s->pusher);
	s->n++;
	return s->fail_at && u->first_ts == s->fail_at ? -1 : 0;
}

/* Pushes units numbered 1 to n until a push fails; returns how many were taken. */
static __u64 push_numbered(struct fs_unit_queue *q, __u64 n)
{
	struct fs_unit u;
	__u64 i;

	memset(&u, 0, sizeof(u));
	for (i = 1; i <= n; i++) {
		u.first_ts = i;
		u.flows = i * 3;
		if (fs_unit_queue_push(q, &u) < 0)
			break;
	}
	return i - 1;
}

static void test_every_unit_in_order(void **state)
{
	struct seen s = {.other_thread = true, .pusher = pthread_self()};
	struct fs_unit_queue *q = fs_unit_queue_start(record, &s);

	assert_non_null(q);
	assert_int_equal(push_numbered(q, UNITS), UNITS);
	assert_int_equal(fs_unit_queue_finish(q), 0);
	assert_int_equal(s.n, UNITS);
	assert_int_equal(s.order_broken, 0);
	assert_true(s.other_thread);
}

/* A partial batch, and none at all, still reach the sink at finish. */
static void test_finish_hands_over_the_rest(void **state)
{
	struct seen s = {.other_thread = true, .pusher = pthread_self()};
	struct fs_unit_queue *q = fs_unit_queue_start(record, &s);

	assert_int_equal(push_numbered(q, 3), 3);
	assert_int_equal(fs_unit_queue_finish(q), 0);
	assert_int_equal(s.n, 3);
	memset(&s, 0, sizeof(s));
	q = fs_unit_queue_start(record, &s);
	assert_int_equal(fs_unit_queue_finish(q), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(fs_unit_queue_finish(NULL), 0);
}

/*
 * The sink fails on unit 100: it gets none after it, the pusher is told
 * within the batches the ring holds, and finish says so.
 */
static void test_sink_failure_stops_the_producer(void **state)
{
	struct seen s = {.fail_at = 100, .other_thread = true, .pusher = pthread_self()};
	struct fs_unit_queue *q = fs_unit_queue_start(record, &s);
	__u64 taken = push_numbered(q, 100000);

	assert_true(taken < 100000);
	assert_int_equal(fs_unit_queue_finish(q), -1);
	assert_int_equal(s.n, 100);
	assert_int_equal(s.order_broken, 0);
}

static void test_no_queue_on_one_cpu(void **state)
{
	cpu_set_t all, one;
	struct seen s = {0};

	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_null(fs_unit_queue_start(record, &s));
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_unit_in_order),
		cmocka_unit_test(test_finish_hands_over_the_rest),
		cmocka_unit_test(test_sink_failure_stops_the_producer),
		cmocka_unit_test(test_no_queue_on_one_cpu),
	};

	return cmocka_run_group_tests_name("unit_queue", tests, NULL, NULL);
}
