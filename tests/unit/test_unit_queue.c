// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The record queue (capture/unit_queue.c): every unit is prepared once, on
 * the queue's thread or the producer's, and committed in order on the
 * queue's own; a producer kept waiting prepares units itself; a commit's
 * failure stops the producer and comes back from finish; on one CPU there is
 * no queue.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "capture/unit_queue.h"

#define UNITS 1000 /* some 4 turns of the ring */

struct seen {
	__u64 n;
	__u64 order_broken; /* units that came out of order */
	__u64 not_prepared; /* committed with another unit's preparation */
	__u64 fail_at;	    /* the commit fails on the unit numbered so; 0: never */
	bool other_thread;  /* every commit came on a thread not the pusher's */
	pthread_t pusher;
	atomic_ulong prepared;		 /* prepare calls, all threads */
	atomic_ulong prepared_by_pusher; /* of them, on the pusher's thread */
	bool wait_for_help; /* unit 1's commit waits (up to 10 s) for the pusher to prepare one */
};

/* A unit's preparation: its number, and memory release must free. */
struct work {
	__u64 number;
	char *held;
};

static void prepare(void *ctx, const struct fs_unit *u, void *area)
{
	struct seen *s = ctx;
	struct work *w = area;

	if (!w->held)
		w->held = malloc(16);
	w->number = u->first_ts;
	atomic_fetch_add(&s->prepared, 1);
	if (pthread_equal(pthread_self(), s->pusher))
		atomic_fetch_add(&s->prepared_by_pusher, 1);
}

static int commit(void *ctx, const struct fs_unit *u, void *area)
{
	struct seen *s = ctx;
	struct work *w = area;

	/* Bounded, so a pusher that never helps fails the test instead of hanging it. */
	if (s->wait_for_help && u->first_ts == 1) {
		time_t give_up = time(NULL) + 10;

		while (!atomic_load(&s->prepared_by_pusher) && time(NULL) < give_up)
			sched_yield();
	}
	s->order_broken += u->first_ts != s->n + 1 || u->flows != (s->n + 1) * 3;
	s->not_prepared += w->number != u->first_ts;
	s->other_thread &= !pthread_equal(pthread_self(), s->pusher);
	s->n++;
	return s->fail_at && u->first_ts == s->fail_at ? -1 : 0;
}

static void release(void *area)
{
	free(((struct work *)area)->held);
}

static struct fs_unit_stages stages_for(struct seen *s)
{
	return (struct fs_unit_stages){prepare, commit, release, sizeof(struct work), s};
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
	struct fs_unit_stages st = stages_for(&s);
	struct fs_unit_queue *q = fs_unit_queue_start(&st);

	assert_non_null(q);
	assert_int_equal(push_numbered(q, UNITS), UNITS);
	assert_int_equal(fs_unit_queue_finish(q), 0);
	assert_int_equal(s.n, UNITS);
	assert_int_equal(s.order_broken, 0);
	assert_int_equal(s.not_prepared, 0);
	assert_int_equal(atomic_load(&s.prepared), UNITS);
	assert_true(s.other_thread);
}

/*
 * The queue's thread holds unit 1's commit until the pusher has prepared a
 * unit: the pusher, finding the ring full (or done pushing), must prepare
 * units itself, and each is still prepared once and committed in order.
 */
static void test_waiting_producer_prepares(void **state)
{
	__u64 counts[] = {UNITS, 5};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct seen s = {.other_thread = true, .pusher = pthread_self()};
		struct fs_unit_stages st = stages_for(&s);
		struct fs_unit_queue *q;

		s.wait_for_help = true;
		q = fs_unit_queue_start(&st);
		assert_non_null(q);
		assert_int_equal(push_numbered(q, counts[i]), counts[i]);
		assert_int_equal(fs_unit_queue_finish(q), 0);
		assert_int_equal(s.n, counts[i]);
		assert_int_equal(s.order_broken, 0);
		assert_int_equal(s.not_prepared, 0);
		assert_int_equal(atomic_load(&s.prepared), counts[i]);
		assert_true(atomic_load(&s.prepared_by_pusher) > 0);
		assert_true(s.other_thread);
	}
}

/* A partial batch, and none at all, still reach the sink at finish. */
static void test_finish_hands_over_the_rest(void **state)
{
	struct seen s = {.other_thread = true, .pusher = pthread_self()};
	struct fs_unit_stages st = stages_for(&s);
	struct fs_unit_queue *q = fs_unit_queue_start(&st);

	assert_int_equal(push_numbered(q, 3), 3);
	assert_int_equal(fs_unit_queue_finish(q), 0);
	assert_int_equal(s.n, 3);
	s.n = 0;
	q = fs_unit_queue_start(&st);
	assert_int_equal(fs_unit_queue_finish(q), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(fs_unit_queue_finish(NULL), 0);
}

/*
 * The commit fails on unit 100: none after it is committed, the pusher is
 * told within the batches the ring holds, and finish says so.
 */
static void test_commit_failure_stops_the_producer(void **state)
{
	struct seen s = {.fail_at = 100, .other_thread = true, .pusher = pthread_self()};
	struct fs_unit_stages st = stages_for(&s);
	struct fs_unit_queue *q = fs_unit_queue_start(&st);
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
	struct fs_unit_stages st = stages_for(&s);

	assert_int_equal(sched_getaffinity(0, sizeof(all), &all), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	assert_int_equal(sched_setaffinity(0, sizeof(one), &one), 0);
	assert_null(fs_unit_queue_start(&st));
	assert_int_equal(sched_setaffinity(0, sizeof(all), &all), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_unit_in_order),
		cmocka_unit_test(test_waiting_producer_prepares),
		cmocka_unit_test(test_finish_hands_over_the_rest),
		cmocka_unit_test(test_commit_failure_stops_the_producer),
		cmocka_unit_test(test_no_queue_on_one_cpu),
	};

	return cmocka_run_group_tests_name("unit_queue", tests, NULL, NULL);
}
