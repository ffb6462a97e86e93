// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "common/numfmt.h"

#define SIG_DIGITS 10
#define POW10_MAX  350 /* 10^9 / 4.9e-324 is below 10^333 */
/* The fast path decides only when the part past ten digits is this far from one half. */
#define TIE_MARGIN 1e-6L

static long double pow10_table[POW10_MAX + 1];
static pthread_once_t pow10_once = PTHREAD_ONCE_INIT;

/* 10^k for k <= 27 is exact in a long double's 64-bit mantissa; past it, exp10l's. */
static void pow10_init(void)
{
	long double p = 1;
	int k;

	for (k = 0; k <= POW10_MAX; k++) {
		pow10_table[k] = k <= 27 ? p : exp10l((long double)k);
		p *= 10;
	}
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
				     "25262728293031323334353637383940414243444546474849"
				     "50515253545556575859606162636465666768697071727374"
				     "75767778798081828384858687888990919293949596979899";

/* The digits of v: log2 by one instruction, times log10(2) (1233 / 4096), then one comparison. */
static unsigned int decimal_digits(__u64 v)
{
	static const __u64 pow10[20] = {1ULL,
					10ULL,
					100ULL,
					1000ULL,
					10000ULL,
					100000ULL,
					1000000ULL,
					10000000ULL,
					100000000ULL,
					1000000000ULL,
					10000000000ULL,
					100000000000ULL,
					1000000000000ULL,
					10000000000000ULL,
					100000000000000ULL,
					1000000000000000ULL,
					10000000000000000ULL,
					100000000000000000ULL,
					1000000000000000000ULL,
					10000000000000000000ULL};
	__u64 w = v | 1; /* as many digits, and 0 has one */
	unsigned int t = ((64 - (unsigned int)__builtin_clzll(w)) * 1233) >> 12;

	return t - (w < pow10[t]) + 1;
}

/* Backwards from the end, two digits a division: most numbers of a record are short. */
size_t fs_fmt_u64(char *buf, __u64 v)
{
	unsigned int n = decimal_digits(v), i = n;

	while (v >= 100) {
		i -= 2;
		memcpy(buf + i, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(buf + i - 2, digit_pairs + 2 * v, 2);
	else
		buf[i - 1] = (char)('0' + v);
	return n;
}

/*
 * a * b exactly, as hi + lo: Dekker's product, or one fused multiply-add
 * where the target has it (then the compiler may fuse Dekker's own terms,
 * which it must not).
 */
static void exact_product(double a, double b, double *hi, double *lo)
{
	*hi = a * b;
#ifdef __FP_FAST_FMA
	*lo = fma(a, b, -*hi);
#else
	const double split = 134217729.0; /* 2^27 + 1 */
	double ca = split * a, cb = split * b;
	double ah = ca - (ca - a), al = a - ah, bh = cb - (cb - b), bl = b - bh;

	*lo = ((ah * bh - *hi) + ah * bl + al * bh) + al * bl;
#endif
}

/*
 * The ten digits of a (a = d.ddd... x 10^x) rounded, for 10^x in [1, 10^9]
 * the common case of a record's rates, means and shares: a scaled by an
 * exact double power of ten, exactly, in two doubles. 0 where this cannot
 * say (the scaled value is near a power of ten's edge, or one half).
 */
static __u64 digits_by_exact_product(double a, int x)
{
	static const double pow10_exact[] = {1e0,  1e1,	 1e2,  1e3,  1e4,  1e5,	 1e6,  1e7,
					     1e8,  1e9,	 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
					     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	int k = SIG_DIGITS - 1 - x;
	double hi, lo, whole, frac;

	if (k < 0 || k > 22)
		return 0;
	exact_product(a, pow10_exact[k], &hi, &lo);
	/* Not near the ends, where x may be off by one: the slow path decides those. */
	if (hi < 1000000001.0 || hi >= 9999999999.0)
		return 0;
	whole = (double)(__u64)hi; /* hi < 2^34: exact */
	frac = (hi - whole) + lo;  /* the first part is exact, lo below 2^-19 */
	if (fabs(frac - 0.5) < 1e-6)
		return 0;
	return (__u64)whole + (frac > 0.5);
}

/* a * 10^k, for k either side of zero, dividing by an exact power where it can. */
static long double scale(double a, int k)
{
	if (k >= 0)
		return (long double)a * pow10_table[k];
	return (long double)a / pow10_table[-k];
}

/*
 * The ten digits of m (10^9 <= m < 10^10) as %g lays them out with exponent
 * x. The digits are copied ten at a time, a fixed size the compiler inlines,
 * where a copy of the exact few bytes was a call; the bytes past the end
 * stay within FS_NUM_MAX (at most 7 before the ten digits).
 */
static size_t layout(char *buf, __u64 m, int x)
{
	char d[2 * SIG_DIGITS]; /* the digits, and room to copy ten from any of them */
	size_t n = 0;
	int i, last;

	fs_fmt_u64(d, m);
	for (last = SIG_DIGITS - 1; last > 0 && d[last] == '0'; last--)
		;
	if (x < -4 || x >= SIG_DIGITS) {
		buf[n++] = d[0];
		if (last > 0) {
			buf[n++] = '.';
			memcpy(buf + n, d + 1, SIG_DIGITS - 1);
			n += (size_t)last;
		}
		buf[n++] = 'e';
		buf[n++] = x < 0 ? '-' : '+';
		if (x < 0)
			x = -x;
		if (x < 10)
			buf[n++] = '0';
		return n + fs_fmt_u64(buf + n, (__u64)x);
	}
	if (x < 0) {
		buf[n++] = '0';
		buf[n++] = '.';
		for (i = -1; i > x; i--)
			buf[n++] = '0';
		memcpy(buf + n, d, SIG_DIGITS);
		return n + (size_t)last + 1;
	}
	memcpy(buf + n, d, SIG_DIGITS); /* the integer part, and more */
	n += (size_t)x + 1;
	if (last > x) {
		buf[n] = '.';
		memcpy(buf + n + 1, d + x + 1, SIG_DIGITS);
		n += 1 + (size_t)(last - x);
	}
	return n;
}

size_t fs_fmt_g10(char *buf, double v)
{
	const __u64 lo = 1000000000ULL, hi = 10000000000ULL;
	char tmp[FS_NUM_MAX + 8];
	long double s, whole, frac;
	size_t n = 0;
	double a = fabs(v);
	int x, e, len;
	__u64 m;

	if (v == 0) {
		if (signbit(v))
			buf[n++] = '-';
		buf[n++] = '0';
		return n;
	}
	if (!isfinite(v))
		goto exact;
	/* Whole numbers under ten digits, most of a record (counts, sizes, us): as they are. */
	if (a < 1e10 && a == (double)(__u64)a) {
		if (v < 0)
			buf[n++] = '-';
		return n + fs_fmt_u64(buf + n, (__u64)a);
	}
	/*
	 * x: the decimal exponent, so that a = d.ddd... x 10^x. With a = f 2^e,
	 * 0.5 <= f < 1, it is floor((e - 1) log10 2) or one more; scaling says which.
	 */
	frexp(a, &e);
	x = (int)floor((e - 1) * 0.30102999566398120);
	m = digits_by_exact_product(a, x);
	if (!m && (m = digits_by_exact_product(a, x + 1)))
		x++;
	if (m) {
		if (v < 0)
			buf[n++] = '-';
		return n + layout(buf + n, m, x);
	}
	pthread_once(&pow10_once, pow10_init);
	s = scale(a, SIG_DIGITS - 1 - x);
	if (s < lo) {
		x--;
		s = scale(a, SIG_DIGITS - 1 - x);
	} else if (s >= hi) {
		x++;
		s = scale(a, SIG_DIGITS - 1 - x);
	}
	if (s < lo || s >= hi || SIG_DIGITS - 1 - x > POW10_MAX || x - (SIG_DIGITS - 1) > POW10_MAX)
		goto exact;
	whole = floorl(s);
	frac = s - whole;
	if (fabsl(frac - 0.5L) < TIE_MARGIN)
		goto exact;
	m = (__u64)whole + (frac > 0.5L);
	if (m == hi) { /* 9999999999.7 rounds up into the next power of ten */
		m = lo;
		x++;
	}
	if (v < 0)
		buf[n++] = '-';
	return n + layout(buf + n, m, x);
exact:
	len = snprintf(tmp, sizeof(tmp), "%.10g", v);
	memcpy(buf, tmp, (size_t)len);
	return (size_t)len;
}
