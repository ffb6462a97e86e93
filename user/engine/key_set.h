/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A bounded set of flow keys: the user engine's copy of the kernel's LRU map
 * `refused`, so that both engines count a refused flow once. The kernel's
 * map forgets its least recently used key when full; this set forgets all
 * of them. The two agree while fewer than FS_REFUSED_MAX flows are refused.
 */
#ifndef FS_KEY_SET_H
#define FS_KEY_SET_H

#include "flow.h"

struct fs_key_set {
	__u32 *hashes; /* 0 marks an empty slot */
	struct fs_flow_key *keys;
	__u32 mask;
	__u32 count;
	__u32 max;
};

/* An empty set for up to max keys; its memory comes with the first. */
void fs_key_set_init(struct fs_key_set *s, __u32 max);
void fs_key_set_free(struct fs_key_set *s);
/* 1 if key was not in the set and now is (or no memory), 0 if it was there already. */
int fs_key_set_add(struct fs_key_set *s, const struct fs_flow_key *key);

#endif /* FS_KEY_SET_H */
