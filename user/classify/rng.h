/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A small, fast, seedable random number generator (xoshiro256**, seeded by
 * splitmix64), so that a seed gives the same model on every machine.
 */
#ifndef FS_RNG_H
#define FS_RNG_H

#include <stddef.h>
#include <linux/types.h>

struct fs_rng {
	__u64 s[4];
};

static inline __u64 fs_splitmix64(__u64 *x)
{
	__u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void fs_rng_seed(struct fs_rng *r, __u64 seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = fs_splitmix64(&seed);
}

static inline __u64 fs_rotl(__u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline __u64 fs_rng_next(struct fs_rng *r)
{
	__u64 *s = r->s, result = fs_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = fs_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static inline double fs_rng_uniform(struct fs_rng *r)
{
	return (double)(fs_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n). */
static inline __u64 fs_rng_below(struct fs_rng *r, __u64 n)
{
	return n ? (__u64)(fs_rng_uniform(r) * (double)n) % n : 0;
}

/* Fisher-Yates: n elements of size bytes at base, in a random order. */
static inline void fs_rng_shuffle(struct fs_rng *r, void *base, size_t n, size_t size)
{
	unsigned char *a = base, t;
	size_t i, j, b;

	for (i = n; i > 1; i--) {
		j = (size_t)fs_rng_below(r, i);
		for (b = 0; b < size; b++) {
			t = a[(i - 1) * size + b];
			a[(i - 1) * size + b] = a[j * size + b];
			a[j * size + b] = t;
		}
	}
}

#endif /* FS_RNG_H */
