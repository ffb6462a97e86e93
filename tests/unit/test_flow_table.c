// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The user engine's flow table against a plain array of the keys that should
 * be in it, through growth, backward-shift deletes and the max_flows limit;
 * and the set of refused flows (key_set.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/flow_table.h"
#include "engine/key_set.h"

static struct fs_flow_key key_n(__u32 n)
{
	struct fs_flow_key k;

	memset(&k, 0, sizeof(k));
	memcpy(k.lo_addr + 12, &n, 4);
	k.lo_port = n & 0xffff;
	k.proto = 17;
	return k;
}

static void test_insert_find_remove_against_reference(void **state)
{
	enum { N = 20000 };
	static char present[N];
	struct fs_flow_table t;
	struct fs_flow_stats *st, out;
	struct fs_flow_key k;
	unsigned int seed = 12345;
	__u32 i, n, count = 0;
	int err, step;

	assert_int_equal(fs_table_init(&t, N), 0);
	for (step = 0; step < 200000; step++) {
		n = rand_r(&seed) % N;
		k = key_n(n);
		if (!present[n]) {
			assert_null(fs_table_find(&t, &k, fs_flow_key_hash(&k)));
			st = fs_table_insert(&t, &k, fs_flow_key_hash(&k), &err);
			assert_non_null(st);
			st->dir[0].packets = n + 1;
			present[n] = 1;
			count++;
		} else if (rand_r(&seed) & 1) {
			assert_int_equal(fs_table_remove(&t, &k, &out), 0);
			assert_int_equal(out.dir[0].packets, n + 1);
			present[n] = 0;
			count--;
		}
		assert_int_equal(t.count, count);
	}
	for (i = 0; i < N; i++) {
		k = key_n(i);
		st = fs_table_find(&t, &k, fs_flow_key_hash(&k));
		if (present[i]) {
			assert_non_null(st);
			assert_int_equal(st->dir[0].packets, i + 1);
		} else {
			assert_null(st);
			assert_int_equal(fs_table_remove(&t, &k, NULL), -ENOENT);
		}
	}
	fs_table_free(&t);
}

static void test_full_table_refuses_with_e2big(void **state)
{
	struct fs_flow_table t;
	struct fs_flow_key k;
	int err = 0;
	__u32 i;

	assert_int_equal(fs_table_init(&t, 3000), 0);
	for (i = 0; i < 3000; i++) {
		k = key_n(i);
		assert_non_null(fs_table_insert(&t, &k, fs_flow_key_hash(&k), &err));
	}
	k = key_n(3000);
	assert_null(fs_table_insert(&t, &k, fs_flow_key_hash(&k), &err));
	assert_int_equal(err, -E2BIG);
	/* Space frees, recording resumes. */
	k = key_n(7);
	assert_int_equal(fs_table_remove(&t, &k, NULL), 0);
	k = key_n(3000);
	assert_non_null(fs_table_insert(&t, &k, fs_flow_key_hash(&k), &err));
	fs_table_free(&t);
}

/* Refused flows: each counted once; when the set is full it starts again. */
static void test_refused_set_counts_each_flow_once(void **state)
{
	struct fs_key_set s;
	struct fs_flow_key k;
	__u32 i, added = 0;

	fs_key_set_init(&s, 100);
	for (i = 0; i < 100; i++) {
		k = key_n(i);
		added += (__u32)fs_key_set_add(&s, &k);
		added += (__u32)fs_key_set_add(&s, &k); /* its next packet: not again */
	}
	assert_int_equal(added, 100);
	k = key_n(5);
	assert_int_equal(fs_key_set_add(&s, &k), 0);
	/* The 101st: the set forgets the others, and counts it. */
	k = key_n(100);
	assert_int_equal(fs_key_set_add(&s, &k), 1);
	assert_int_equal(fs_key_set_add(&s, &k), 0);
	k = key_n(5);
	assert_int_equal(fs_key_set_add(&s, &k), 1);
	fs_key_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_find_remove_against_reference),
		cmocka_unit_test(test_full_table_refuses_with_e2big),
		cmocka_unit_test(test_refused_set_counts_each_flow_once),
	};

	return cmocka_run_group_tests_name("flow_table", tests, NULL, NULL);
}
