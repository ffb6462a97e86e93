// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "engine/flow_table.h"
#include "engine/key_set.h"

void fs_key_set_init(struct fs_key_set *s, __u32 max)
{
	memset(s, 0, sizeof(*s));
	s->max = max;
}

/* The slots, made on first use: most runs never refuse a flow. */
static int alloc_slots(struct fs_key_set *s)
{
	__u32 slots = 2;

	while (slots < 2 * s->max)
		slots <<= 1;
	s->hashes = calloc(slots, sizeof(*s->hashes));
	s->keys = malloc((size_t)slots * sizeof(*s->keys));
	if (!s->hashes || !s->keys) {
		free(s->hashes);
		free(s->keys);
		s->hashes = NULL;
		s->keys = NULL;
		return -1;
	}
	s->mask = slots - 1;
	return 0;
}

void fs_key_set_free(struct fs_key_set *s)
{
	free(s->hashes);
	free(s->keys);
	s->hashes = NULL;
	s->keys = NULL;
	s->count = 0;
}

int fs_key_set_add(struct fs_key_set *s, const struct fs_flow_key *key)
{
	__u32 h = fs_flow_key_hash(key), i;

	if (!s->hashes && alloc_slots(s) < 0)
		return 1; /* without memory to remember it, count it each time */
	for (i = h & s->mask; s->hashes[i]; i = (i + 1) & s->mask) {
		if (s->hashes[i] == h && memcmp(&s->keys[i], key, sizeof(*key)) == 0)
			return 0;
	}
	if (s->count == s->max) {
		/* Full: forget every key, so that new ones are still counted. */
		memset(s->hashes, 0, ((size_t)s->mask + 1) * sizeof(*s->hashes));
		s->count = 0;
		i = h & s->mask;
	}
	s->hashes[i] = h;
	s->keys[i] = *key;
	s->count++;
	return 1;
}
