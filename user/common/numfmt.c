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

static unsigned int decimal_digits(__u64 v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
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
	pthread_once(&pow10_once, pow10_init);
	/*
	 * x: the decimal exponent, so that a = d.ddd... x 10^x. With a = f 2^e,
	 * 0.5 <= f < 1, it is floor((e - 1) log10 2) or one more; scaling says which.
	 */
	frexp(a, &e);
	x = (int)floor((e - 1) * 0.30102999566398120);
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
