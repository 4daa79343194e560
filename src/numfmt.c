/*
 * numfmt.c — doubles as short decimal text that reads back exactly (see numfmt.h).
 *
 * Digits come from Grisu2 (Loitsch, "Printing floating-point numbers quickly
 * and accurately", PLDI 2010): 64-bit integer arithmetic against a table of
 * cached powers of ten, about twenty times faster than printf("%.17g") and
 * strtod round trips, which dominated writing large outputs. Grisu2 always
 * yields digits that read back as the same double; in rare cases it yields
 * one digit more than the shortest such string.
 */
#include "numfmt.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct diy_fp {
    uint64_t f;
    int e;
} diy_fp;

/* Normalised significands and binary exponents of 10^k for k = -348 + 8i. */
static const struct {
    uint64_t f;
    int e;
} cached_powers[] = {
    {0xfa8fd5a0081c0288ULL, -1220}, /* 1e-348 */
    {0xbaaee17fa23ebf76ULL, -1193}, /* 1e-340 */
    {0x8b16fb203055ac76ULL, -1166}, /* 1e-332 */
    {0xcf42894a5dce35eaULL, -1140}, /* 1e-324 */
    {0x9a6bb0aa55653b2dULL, -1113}, /* 1e-316 */
    {0xe61acf033d1a45dfULL, -1087}, /* 1e-308 */
    {0xab70fe17c79ac6caULL, -1060}, /* 1e-300 */
    {0xff77b1fcbebcdc4fULL, -1034}, /* 1e-292 */
    {0xbe5691ef416bd60cULL, -1007}, /* 1e-284 */
    {0x8dd01fad907ffc3cULL, -980}, /* 1e-276 */
    {0xd3515c2831559a83ULL, -954}, /* 1e-268 */
    {0x9d71ac8fada6c9b5ULL, -927}, /* 1e-260 */
    {0xea9c227723ee8bcbULL, -901}, /* 1e-252 */
    {0xaecc49914078536dULL, -874}, /* 1e-244 */
    {0x823c12795db6ce57ULL, -847}, /* 1e-236 */
    {0xc21094364dfb5637ULL, -821}, /* 1e-228 */
    {0x9096ea6f3848984fULL, -794}, /* 1e-220 */
    {0xd77485cb25823ac7ULL, -768}, /* 1e-212 */
    {0xa086cfcd97bf97f4ULL, -741}, /* 1e-204 */
    {0xef340a98172aace5ULL, -715}, /* 1e-196 */
    {0xb23867fb2a35b28eULL, -688}, /* 1e-188 */
    {0x84c8d4dfd2c63f3bULL, -661}, /* 1e-180 */
    {0xc5dd44271ad3cdbaULL, -635}, /* 1e-172 */
    {0x936b9fcebb25c996ULL, -608}, /* 1e-164 */
    {0xdbac6c247d62a584ULL, -582}, /* 1e-156 */
    {0xa3ab66580d5fdaf6ULL, -555}, /* 1e-148 */
    {0xf3e2f893dec3f126ULL, -529}, /* 1e-140 */
    {0xb5b5ada8aaff80b8ULL, -502}, /* 1e-132 */
    {0x87625f056c7c4a8bULL, -475}, /* 1e-124 */
    {0xc9bcff6034c13053ULL, -449}, /* 1e-116 */
    {0x964e858c91ba2655ULL, -422}, /* 1e-108 */
    {0xdff9772470297ebdULL, -396}, /* 1e-100 */
    {0xa6dfbd9fb8e5b88fULL, -369}, /* 1e-92 */
    {0xf8a95fcf88747d94ULL, -343}, /* 1e-84 */
    {0xb94470938fa89bcfULL, -316}, /* 1e-76 */
    {0x8a08f0f8bf0f156bULL, -289}, /* 1e-68 */
    {0xcdb02555653131b6ULL, -263}, /* 1e-60 */
    {0x993fe2c6d07b7facULL, -236}, /* 1e-52 */
    {0xe45c10c42a2b3b06ULL, -210}, /* 1e-44 */
    {0xaa242499697392d3ULL, -183}, /* 1e-36 */
    {0xfd87b5f28300ca0eULL, -157}, /* 1e-28 */
    {0xbce5086492111aebULL, -130}, /* 1e-20 */
    {0x8cbccc096f5088ccULL, -103}, /* 1e-12 */
    {0xd1b71758e219652cULL, -77}, /* 1e-4 */
    {0x9c40000000000000ULL, -50}, /* 1e4 */
    {0xe8d4a51000000000ULL, -24}, /* 1e12 */
    {0xad78ebc5ac620000ULL, 3}, /* 1e20 */
    {0x813f3978f8940984ULL, 30}, /* 1e28 */
    {0xc097ce7bc90715b3ULL, 56}, /* 1e36 */
    {0x8f7e32ce7bea5c70ULL, 83}, /* 1e44 */
    {0xd5d238a4abe98068ULL, 109}, /* 1e52 */
    {0x9f4f2726179a2245ULL, 136}, /* 1e60 */
    {0xed63a231d4c4fb27ULL, 162}, /* 1e68 */
    {0xb0de65388cc8ada8ULL, 189}, /* 1e76 */
    {0x83c7088e1aab65dbULL, 216}, /* 1e84 */
    {0xc45d1df942711d9aULL, 242}, /* 1e92 */
    {0x924d692ca61be758ULL, 269}, /* 1e100 */
    {0xda01ee641a708deaULL, 295}, /* 1e108 */
    {0xa26da3999aef774aULL, 322}, /* 1e116 */
    {0xf209787bb47d6b85ULL, 348}, /* 1e124 */
    {0xb454e4a179dd1877ULL, 375}, /* 1e132 */
    {0x865b86925b9bc5c2ULL, 402}, /* 1e140 */
    {0xc83553c5c8965d3dULL, 428}, /* 1e148 */
    {0x952ab45cfa97a0b3ULL, 455}, /* 1e156 */
    {0xde469fbd99a05fe3ULL, 481}, /* 1e164 */
    {0xa59bc234db398c25ULL, 508}, /* 1e172 */
    {0xf6c69a72a3989f5cULL, 534}, /* 1e180 */
    {0xb7dcbf5354e9beceULL, 561}, /* 1e188 */
    {0x88fcf317f22241e2ULL, 588}, /* 1e196 */
    {0xcc20ce9bd35c78a5ULL, 614}, /* 1e204 */
    {0x98165af37b2153dfULL, 641}, /* 1e212 */
    {0xe2a0b5dc971f303aULL, 667}, /* 1e220 */
    {0xa8d9d1535ce3b396ULL, 694}, /* 1e228 */
    {0xfb9b7cd9a4a7443cULL, 720}, /* 1e236 */
    {0xbb764c4ca7a44410ULL, 747}, /* 1e244 */
    {0x8bab8eefb6409c1aULL, 774}, /* 1e252 */
    {0xd01fef10a657842cULL, 800}, /* 1e260 */
    {0x9b10a4e5e9913129ULL, 827}, /* 1e268 */
    {0xe7109bfba19c0c9dULL, 853}, /* 1e276 */
    {0xac2820d9623bf429ULL, 880}, /* 1e284 */
    {0x80444b5e7aa7cf85ULL, 907}, /* 1e292 */
    {0xbf21e44003acdd2dULL, 933}, /* 1e300 */
    {0x8e679c2f5e44ff8fULL, 960}, /* 1e308 */
    {0xd433179d9c8cb841ULL, 986}, /* 1e316 */
    {0x9e19db92b4e31ba9ULL, 1013}, /* 1e324 */
    {0xeb96bf6ebadf77d9ULL, 1039}, /* 1e332 */
    {0xaf87023b9bf0ee6bULL, 1066}, /* 1e340 */
};

static diy_fp diy_sub(diy_fp x, diy_fp y)
{
    diy_fp r = {x.f - y.f, x.e};
    return r;
}

/* The high 64 bits of the 128-bit product, rounded. */
static diy_fp diy_mul(diy_fp x, diy_fp y)
{
    unsigned __int128 p = (unsigned __int128)x.f * y.f;
    uint64_t h = (uint64_t)(p >> 64) + ((uint64_t)(p >> 63) & 1);
    diy_fp r = {h, x.e + y.e + 64};
    return r;
}

static diy_fp normalize(diy_fp x)
{
    int s = __builtin_clzll(x.f);
    x.f <<= s;
    x.e -= s;
    return x;
}

#define HIDDEN_BIT ((uint64_t)1 << 52)

/* v's neighbourhood: every real in (minus, plus) reads back as v. */
static void boundaries(diy_fp v, diy_fp *minus, diy_fp *plus)
{
    diy_fp pl = {(v.f << 1) + 1, v.e - 1}, mi;
    pl = normalize(pl);
    if (v.f == HIDDEN_BIT) {
        mi.f = (v.f << 2) - 1;
        mi.e = v.e - 2;
    } else {
        mi.f = (v.f << 1) - 1;
        mi.e = v.e - 1;
    }
    mi.f <<= mi.e - pl.e;
    mi.e = pl.e;
    *minus = mi;
    *plus = pl;
}

/* A cached power c = 10^-k with its binary exponent placing the product in [-60, -32]. */
static diy_fp cached_power(int e, int *k)
{
    double dk = (-61 - e) * 0.30102999566398114 + 347;
    int ik = (int)dk, index;
    diy_fp c;
    if (dk - ik > 0.0)
        ik++;
    index = (ik >> 3) + 1;
    *k = -(-348 + index * 8);
    c.f = cached_powers[index].f;
    c.e = cached_powers[index].e;
    return c;
}

static void grisu_round(char *buf, int len, uint64_t delta, uint64_t rest, uint64_t ten_kappa,
                        uint64_t wp_w)
{
    while (rest < wp_w && delta - rest >= ten_kappa &&
           (rest + ten_kappa < wp_w || wp_w - rest > rest + ten_kappa - wp_w)) {
        buf[len - 1]--;
        rest += ten_kappa;
    }
}

static int count_digits(uint32_t n)
{
    int d = 1;
    for (uint32_t p = 10; d < 10 && n >= p; p *= 10)
        d++;
    return d;
}

static void digit_gen(diy_fp w, diy_fp mp, uint64_t delta, char *buf, int *len, int *k)
{
    static const uint32_t pow10[] = {1,      10,      100,      1000,      10000,
                                     100000, 1000000, 10000000, 100000000, 1000000000};
    diy_fp one = {(uint64_t)1 << -mp.e, mp.e}, wp_w = diy_sub(mp, w);
    uint32_t p1 = (uint32_t)(mp.f >> -one.e);
    uint64_t p2 = mp.f & (one.f - 1), unit = 1;
    int kappa = count_digits(p1), next = 0;
    char integral[10];

    /* Dividing by the constant 10 compiles to multiplications; dividing by
       pow10[kappa - 1] did not, and cost most of the time of large numbers. */
    for (uint32_t t = p1, j = (uint32_t)kappa; j-- > 0; t /= 10)
        integral[j] = (char)(t % 10);
    *len = 0;
    while (kappa > 0) {
        uint32_t d = (uint32_t)integral[next++];
        p1 -= d * pow10[kappa - 1];
        if (d || *len)
            buf[(*len)++] = (char)('0' + d);
        kappa--;
        uint64_t rest = ((uint64_t)p1 << -one.e) + p2;
        if (rest <= delta) {
            *k += kappa;
            grisu_round(buf, *len, delta, rest, (uint64_t)pow10[kappa] << -one.e, wp_w.f);
            return;
        }
    }
    for (;;) {
        p2 *= 10;
        delta *= 10;
        unit *= 10;
        char d = (char)(p2 >> -one.e);
        if (d || *len)
            buf[(*len)++] = (char)('0' + d);
        p2 &= one.f - 1;
        kappa--;
        if (p2 < delta) {
            *k += kappa;
            grisu_round(buf, *len, delta, p2, one.f, wp_w.f * unit);
            return;
        }
    }
}

/* Digits of finite v > 0 into buf (no terminator); v = digits x 10^k. */
static int grisu2(double v, char *buf, int *k)
{
    uint64_t bits;
    diy_fp w, wm, wp, c, W, Wm, Wp;
    int len, mk;

    memcpy(&bits, &v, sizeof bits);
    {
        int biased = (int)((bits >> 52) & 0x7FF);
        uint64_t sig = bits & (HIDDEN_BIT - 1);
        w.f = biased ? sig + HIDDEN_BIT : sig;
        w.e = biased ? biased - 1075 : -1074;
    }
    boundaries(w, &wm, &wp);
    c = cached_power(wp.e, &mk);
    W = diy_mul(normalize(w), c);
    Wp = diy_mul(wp, c);
    Wm = diy_mul(wm, c);
    Wm.f++;
    Wp.f--;
    *k = mk;
    digit_gen(W, Wp, Wp.f - Wm.f, buf, &len, k);
    return len;
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
 * decimal unless the exponent is below -4 or at least P.
 */
char *ri_format_number_end(double v, char *out)
{
    char digits[24], *p = out;
    int len, k, exp10, limit;

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
    len = grisu2(v, digits, &k);
    exp10 = len + k - 1;
    limit = len > 15 ? len : 15;
    if (exp10 < -4 || exp10 >= limit) {
        *p++ = digits[0];
        if (len > 1) {
            *p++ = '.';
            memcpy(p, digits + 1, (size_t)(len - 1));
            p += len - 1;
        }
        p = put_exponent(p, exp10);
    } else if (exp10 >= 0) {
        if (len <= exp10 + 1) {
            memcpy(p, digits, (size_t)len);
            p += len;
            memset(p, '0', (size_t)(exp10 + 1 - len));
            p += exp10 + 1 - len;
        } else {
            memcpy(p, digits, (size_t)(exp10 + 1));
            p += exp10 + 1;
            *p++ = '.';
            memcpy(p, digits + exp10 + 1, (size_t)(len - exp10 - 1));
            p += len - exp10 - 1;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        memset(p, '0', (size_t)(-exp10 - 1));
        p += -exp10 - 1;
        memcpy(p, digits, (size_t)len);
        p += len;
    }
    return p;
}

void ri_format_number(double v, char buf[RI_NUMBER_TEXT_MAX])
{
    *ri_format_number_end(v, buf) = '\0';
}
