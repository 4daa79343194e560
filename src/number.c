/*
 * number.c — one CSV cell as a number or a missing-value marker (see number.h).
 *
 * The grammar is checked here, byte by byte, before any conversion, so that
 * nothing strtod() would also accept (hex, "inf", "nan", a locale's decimal
 * comma) can leak in. Decimals whose digits fit in 53 bits and whose scale is
 * within 10^-22..10^22 (nearly every statistical cell) are converted with one
 * correctly rounded IEEE operation; everything else goes through strtod() on
 * a locale-independent rewrite of the digits.
 */
#include "number.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const builtin_markers[RI_BUILTIN_MARKERS] = {
    "", "..", ":", "-", "x", "c", "[u]", "[c]", "[x]", "[low]"
};

/* Longer cells are not numbers anyone writes; the bound keeps the copy on the stack. */
#define CELL_MAX 300

/* Exponents are clamped here while reading: with at most CELL_MAX digits the
 * value overflows or underflows long before, so the result is unchanged. */
#define EXP_CLAMP 100000

/* Powers of ten that are exact in a double (10^22 < 2^53 * 2^22). */
static const double exact_pow10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Add one mantissa digit; past 19 significant digits the exact path is off. */
static void add_digit(uint64_t *mant, unsigned *sig, int *exact, char ch)
{
    if (*sig == 0 && ch == '0')
        return;
    if (*sig == 19) {
        *exact = 0;
        return;
    }
    *mant = *mant * 10 + (uint64_t)(ch - '0');
    ++*sig;
}

/* strtod() on the digits of s[0..len) and a decimal exponent: no decimal
 * point and no separators, so the locale cannot change the result. */
static ri_cell_kind convert_slow(const char *s, size_t len, long e10, double *out)
{
    char text[CELL_MAX + 32];
    size_t i, n = 0;
    int nonzero = 0;
    char *endp;
    double v;

    for (i = 0; i < len && s[i] != 'e' && s[i] != 'E'; i++)
        if (is_digit(s[i]) || s[i] == '-') {
            nonzero |= s[i] >= '1' && s[i] <= '9';
            text[n++] = s[i];
        }
    snprintf(text + n, sizeof text - n, "e%ld", e10);
    v = strtod(text, &endp);
    /* Beyond the range either way: 1e400 is not infinity, and 1e-400 is not 0. */
    if (*endp != '\0' || isinf(v) || isnan(v) || (v == 0 && nonzero))
        return RI_CELL_BAD;
    *out = v;
    return RI_CELL_NUMBER;
}

/*
 * A cell as a number, or RI_CELL_BAD. s[0..len) is already trimmed.
 * Grammar: [+-] int [. digits] [(e|E) [+-] digits] | [+-] . digits [exp],
 * where int is digits, or (quoted cells only) 1-3 digits followed by groups
 * of ",ddd".
 */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
/*
 * The cell nearly every statistical table is made of: [-]digits[.digits],
 * at most 19 digits and a value below 2^53, converted in one loop. 0 sends
 * anything else (signs, exponents, thousands, long or huge numbers, bad
 * text) through the full grammar below, which decides.
 */
static int parse_plain(const char *s, size_t len, double *out)
{
    const char *p = s, *end = s + len, *digits;
    uint64_t mant = 0;
    size_t n_int, n_frac = 0;
    int neg = 0;
    double v;

    if (p < end && *p == '-') {
        neg = 1;
        p++;
    }
    for (digits = p; p < end && is_digit(*p); p++)
        mant = mant * 10 + (uint64_t)(*p - '0');
    n_int = (size_t)(p - digits);
    if (p < end && *p == '.') {
        for (digits = ++p; p < end && is_digit(*p); p++)
            mant = mant * 10 + (uint64_t)(*p - '0');
        n_frac = (size_t)(p - digits);
    }
    if (p != end || n_int + n_frac == 0 || n_int + n_frac > 19 || mant > (UINT64_C(1) << 53))
        return 0;
    v = (double)mant;
    if (n_frac)
        v /= exact_pow10[n_frac];
    *out = neg ? -v : v;
    return 1;
}
#endif

static ri_cell_kind parse_number(const char *s, size_t len, int quoted, double *out)
{
    size_t i = 0, nd = 0, n_frac = 0, group = 0;
    uint64_t mant = 0;
    unsigned sig = 0;
    int neg = 0, grouped = 0, exact = 1;
    long exp = 0, e10;

    if (len == 0 || len > CELL_MAX)
        return RI_CELL_BAD;
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    /* Exact for the same reason as the exact path below: one correctly rounded division. */
    if (parse_plain(s, len, out))
        return RI_CELL_NUMBER;
#endif
    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';

    for (; i < len; i++) {
        if (is_digit(s[i])) {
            add_digit(&mant, &sig, &exact, s[i]);
            nd++;
            group++;
        } else if (s[i] == ',' && quoted) {
            if (grouped ? group != 3 : (group < 1 || group > 3))
                return RI_CELL_BAD;
            grouped = 1;
            group = 0;
        } else {
            break;
        }
    }
    if (grouped && group != 3)
        return RI_CELL_BAD;
    if (i < len && s[i] == '.') {
        for (i++; i < len && is_digit(s[i]); i++) {
            add_digit(&mant, &sig, &exact, s[i]);
            nd++;
            n_frac++;
        }
    }
    if (nd == 0)
        return RI_CELL_BAD;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t start;
        int exp_neg = 0;

        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            exp_neg = s[i++] == '-';
        start = i;
        for (; i < len && is_digit(s[i]); i++)
            if (exp < EXP_CLAMP)
                exp = exp * 10 + (s[i] - '0');
        if (i == start)
            return RI_CELL_BAD;
        if (exp_neg)
            exp = -exp;
    }
    if (i != len)
        return RI_CELL_BAD;
    e10 = exp - (long)n_frac;

    if (exact && mant == 0) {
        *out = neg ? -0.0 : 0.0;
        return RI_CELL_NUMBER;
    }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    /* Both operands are exact doubles, so the one IEEE multiplication or
     * division rounds correctly: the same result strtod() gives (Clinger,
     * "How to read floating point numbers accurately", PLDI 1990). */
    if (exact && mant <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22) {
        double v = (double)mant;
        v = e10 < 0 ? v / exact_pow10[-e10] : v * exact_pow10[e10];
        *out = neg ? -v : v;
        return RI_CELL_NUMBER;
    }
#endif
    return convert_slow(s, len, e10, out);
}

static int equals(const char *s, size_t len, const char *marker)
{
    return strlen(marker) == len && (len == 0 || memcmp(s, marker, len) == 0);
}

ri_cell_kind ri_parse_cell(const char *s, size_t len, int quoted,
                           const ri_markers *markers, double *out, int *marker)
{
    double v = NAN;
    int m = -1;
    ri_cell_kind kind;
    size_t i;

    while (len > 0 && s[0] == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;

    kind = RI_CELL_BAD;
    /* No built-in marker starts with a digit; numbers skip their comparisons. */
    if (len == 0 || !is_digit(s[0])) {
        for (i = 0; i < RI_BUILTIN_MARKERS; i++) {
            if (equals(s, len, builtin_markers[i])) {
                kind = RI_CELL_MISSING;
                m = (int)i;
                break;
            }
        }
    }
    if (kind != RI_CELL_MISSING && markers) {
        for (i = 0; i < markers->n_extra; i++) {
            if (markers->extra[i] && equals(s, len, markers->extra[i])) {
                kind = RI_CELL_MISSING;
                m = RI_BUILTIN_MARKERS + (int)i;
                break;
            }
        }
    }
    if (kind != RI_CELL_MISSING)
        kind = parse_number(s, len, quoted != 0, &v);
    if (kind != RI_CELL_NUMBER)
        v = NAN;
    if (out)
        *out = v;
    if (marker)
        *marker = m;
    return kind;
}

size_t ri_marker_count(const ri_markers *markers)
{
    return RI_BUILTIN_MARKERS + (markers ? markers->n_extra : 0);
}

const char *ri_marker_name(const ri_markers *markers, int marker)
{
    if (marker == 0)
        return "blank";
    if (marker > 0 && marker < RI_BUILTIN_MARKERS)
        return builtin_markers[marker];
    if (marker >= RI_BUILTIN_MARKERS && markers &&
        (size_t)(marker - RI_BUILTIN_MARKERS) < markers->n_extra)
        return markers->extra[marker - RI_BUILTIN_MARKERS];
    return NULL;
}
