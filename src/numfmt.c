/*
 * numfmt.c — doubles as the shortest decimal text that reads back exactly (see numfmt.h).
 *
 * The digits come from Schubfach (R. Giulietti, "The Schubfach way to render
 * doubles", 2020): the value's rounding interval is scaled by a 128-bit power
 * of ten so that its bounds become integers near 10^17, and the shortest
 * decimal inside is the one-digit-shorter candidate if it fits, else the
 * nearer of the two neighbours. Three 64x128-bit multiplications, no loop
 * over digits: about twice as fast as Grisu2 on full-precision values, which
 * are most of what large outputs hold, and always the shortest and nearest.
 */
#include "numfmt.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "numfmt_pow10.h"

/* The 128-bit product arithmetic needs a compiler with 128-bit integers (GCC, Clang). */
typedef unsigned __int128 u128;

/* floor(e log10(2)), floor(e log10(2) + log10(3/4)) and floor(e log2(10)) for
   the exponents a double can have, by fixed-point multiplication (Giulietti,
   section 9; exact over |e| <= 1650). */
static int floor_log10_pow2(int e)
{
    return (e * 1262611) >> 22;
}

static int floor_log10_three_quarters_pow2(int e)
{
    return (e * 1262611 - 524031) >> 22;
}

static int floor_log2_pow10(int e)
{
    return (e * 1741647) >> 19;
}

/* The top 64 bits of g x cp (g 128 bits), with the bits below folded into
   the lowest as "inexact": rounding to odd, which keeps the comparisons
   below exact. */
static uint64_t round_to_odd(const uint64_t g[2], uint64_t cp)
{
    u128 x = (u128)cp * g[1];
    u128 y = (u128)cp * g[0] + (uint64_t)(x >> 64);
    uint64_t y0 = (uint64_t)y, y1 = (uint64_t)(y >> 64);
    return y1 | (y0 > 1);
}

/* finite v > 0 as the shortest decimal m x 10^k in its rounding interval (the nearest if several). */
static void shortest(double v, uint64_t *m, int *k)
{
    uint64_t bits, fraction, c, s;
    int biased, q;

    memcpy(&bits, &v, sizeof bits);
    fraction = bits & (((uint64_t)1 << 52) - 1);
    biased = (int)(bits >> 52) & 0x7ff;
    if (biased) {
        c = fraction | (uint64_t)1 << 52;
        q = biased - 1075;
        /* Integers below 2^53 are their own digits. */
        if (q <= 0 && q > -53 && (c & (((uint64_t)1 << -q) - 1)) == 0) {
            *m = c >> -q;
            *k = 0;
            return;
        }
    } else {
        c = fraction;
        q = -1074;
    }
    {
        int even = !(c & 1), closer_below = fraction == 0 && biased > 1;
        uint64_t cbl = 4 * c - 2 + (uint64_t)closer_below, cb = 4 * c, cbr = 4 * c + 2;
        int kk = closer_below ? floor_log10_three_quarters_pow2(q) : floor_log10_pow2(q);
        int h = q + floor_log2_pow10(-kk) + 1;
        const uint64_t *g = pow10_g[-kk - RI_POW10_MIN];
        uint64_t vbl = round_to_odd(g, cbl << h), vb = round_to_odd(g, cb << h), vbr = round_to_odd(g, cbr << h);
        uint64_t lower = vbl + !even, upper = vbr - !even;

        s = vb / 4;
        if (s >= 10) {
            uint64_t sp = s / 10;
            int up_inside = lower <= 40 * sp, wp_inside = 40 * sp + 40 <= upper;
            if (up_inside != wp_inside) {
                *m = sp + (uint64_t)wp_inside;
                *k = kk + 1;
                return;
            }
        }
        {
            int u_inside = lower <= 4 * s, w_inside = 4 * s + 4 <= upper;
            if (u_inside != w_inside) {
                *m = u_inside ? s : s + 1;
                *k = kk;
                return;
            }
            uint64_t mid = 4 * s + 2;
            *m = vb > mid || (vb == mid && (s & 1)) ? s + 1 : s;
            *k = kk;
        }
    }
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * The 8 digits of x < 10^8 at p, computed side by side in one 64-bit word
 * (the first digit in its lowest byte) and stored at once: the two halves of
 * four digits, then their hundreds (x * 10486 >> 20 is x / 100 below 10^4),
 * then their tens (x * 103 >> 10 is x / 10 below 100), each in its own
 * lanes. Checked equal to four pairs from a table (the other branch) for
 * every x below 10^8.
 */
static void put8(char *p, uint32_t x)
{
    uint64_t halves = (uint64_t)(x / 10000) | (uint64_t)(x % 10000) << 32;
    uint64_t hundreds = (halves * 10486) >> 20 & 0x0000007f0000007fULL;
    uint64_t quads = hundreds | (halves - 100 * hundreds) << 16;
    uint64_t tens = (quads * 103) >> 10 & 0x000f000f000f000fULL;
    uint64_t text = (tens | (quads - 10 * tens) << 8) + 0x3030303030303030ULL;
    memcpy(p, &text, 8);
}
#else
static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                            "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                            "8081828384858687888990919293949596979899";

/* The 8 digits of x < 10^8 at p: four independent pairs rather than a chain of divisions. */
static void put8(char *p, uint32_t x)
{
    uint32_t hi = x / 10000, lo = x % 10000;
    memcpy(p, pairs + 2 * (hi / 100), 2);
    memcpy(p + 2, pairs + 2 * (hi % 100), 2);
    memcpy(p + 4, pairs + 2 * (lo / 100), 2);
    memcpy(p + 6, pairs + 2 * (lo % 100), 2);
}
#endif

/*
 * m's digits, trailing zeros dropped into *k, their count in *len. They are
 * written right-aligned in a frame of 17 (a double needs at most 17 digits,
 * so m < 10^17 once the zeros go) and the first is returned: always the
 * same three stores, with no branch on the length, which varies from number
 * to number. A tenth faster than writing only the digits there are.
 */
static const char *digits_of(uint64_t m, char frame[RI_NUMBER_TEXT_MAX], int *k, int *len)
{
    static const uint64_t pow10[] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
                                     100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
                                     1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
                                     1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
                                     1000000000000000000ULL, 10000000000000000000ULL};
    uint64_t hi;
    int t;

    while (m % 10 == 0) {
        m /= 10;
        ++*k;
    }
    /* The digit count from the bit length: 1233 / 4096 is just over log10(2). */
    t = ((64 - __builtin_clzll(m)) * 1233) >> 12;
    *len = t + (m >= pow10[t]);
    hi = m / 100000000;
    frame[0] = (char)('0' + hi / 100000000);
    put8(frame + 1, (uint32_t)(hi % 100000000));
    put8(frame + 9, (uint32_t)(m % 100000000));
    return frame + 17 - *len;
}

static char *put_exponent(char *p, int e)
{
    *p++ = 'e';
    *p++ = e < 0 ? '-' : '+';
    if (e < 0)
        e = -e;
    if (e >= 100) {
        *p++ = (char)('0' + e / 100);
        e %= 100;
        *p++ = (char)('0' + e / 10);
    } else {
        *p++ = (char)('0' + e / 10);
    }
    *p++ = (char)('0' + e % 10);
    return p;
}

/*
 * Lay the digits out as printf's %g would with P = max(15, digits): plain
 * decimal unless the exponent is below -4 or at least P. Copies are of fixed
 * size, past the digits into the caller's room (RI_NUMBER_TEXT_MAX), and
 * the end pointer drops what is not text: a call to memcpy of a variable
 * length cost as much as the digits.
 */
char *ri_format_number_end(double v, char *out)
{
    char frame[RI_NUMBER_TEXT_MAX], *p = out;
    const char *digits;
    int len, k, exp10, limit;
    uint64_t m;

    if (v == 0) {
        if (signbit(v))
            *p++ = '-';
        *p++ = '0';
        return p;
    }
    if (v < 0) {
        *p++ = '-';
        v = -v;
    }
    shortest(v, &m, &k);
    digits = digits_of(m, frame, &k, &len);
    exp10 = len + k - 1;
    limit = len > 15 ? len : 15;
    if (exp10 < -4 || exp10 >= limit) {
        *p++ = digits[0];
        if (len > 1) {
            *p = '.';
            memcpy(p + 1, digits + 1, 16);
            p += len;
        }
        return put_exponent(p, exp10);
    }
    if (exp10 < 0) {
        memcpy(p, "0.0000", 6);
        p += 1 - exp10;
        memcpy(p, digits, 17);
        return p + len;
    }
    memcpy(p, digits, 17);
    if (len <= exp10 + 1) {
        /* Integral: the digits, then zeros up to the units (at most 14). */
        memcpy(p + len, "00000000000000", 14);
        return p + exp10 + 1;
    }
    p += exp10 + 1;
    *p = '.';
    memcpy(p + 1, digits + exp10 + 1, 16);
    return p + 1 + len - exp10 - 1;
}

void ri_format_number(double v, char buf[RI_NUMBER_TEXT_MAX])
{
    *ri_format_number_end(v, buf) = '\0';
}
