/*
 * test_numfmt.c — numbers as output text: exact strings for the cases
 * economists see, and a read-back check of random doubles of every size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

static void expect(double v, const char *text)
{
    char buf[RI_NUMBER_TEXT_MAX];
    ri_format_number(v, buf);
    assert_string_equal(buf, text);
}

static void exact_strings(void **state)
{
    (void)state;
    expect(18585.6, "18585.6");            /* not 18585.599999999999 */
    expect(0.1 + 0.2, "0.30000000000000004");
    expect(1.0 / 3.0, "0.3333333333333333");
    expect(100, "100");
    expect(-2.5, "-2.5");
    expect(0, "0");
    expect(-0.0, "-0");
    expect(1e21, "1e+21");
    expect(1e15, "1e+15");                 /* as printf's %.15g */
    expect(1234567890123456.0, "1234567890123456");
    expect(0.0001, "0.0001");
    expect(0.00001, "1e-05");
    expect(DBL_MAX, "1.7976931348623157e+308");
    expect(DBL_MIN, "2.2250738585072014e-308");
    expect(5e-324, "5e-324");
    expect(54666.666666666664, "54666.666666666664");
    expect(30239.51, "30239.51");
    /* Every digit in every place of the two groups of eight (repr() in Python). */
    expect(0.1234567890123456, "0.1234567890123456");
    expect(9876543210.987654, "9876543210.987654");
    expect(123456789012345.6, "123456789012345.6");
    expect(90817263.54, "90817263.54");
    expect(0.000123456789, "0.000123456789");
}

/* xorshift64: the same sequence on every machine. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void random_doubles_read_back(void **state)
{
    uint64_t seed = 0x2545F4914F6CDD1DULL;
    size_t checked = 0;
    (void)state;
    for (int i = 0; i < 1000000; i++) {
        uint64_t bits = next(&seed);
        double v, back;
        char buf[RI_NUMBER_TEXT_MAX];
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        ri_format_number(v, buf);
        back = strtod(buf, NULL);
        if (memcmp(&back, &v, sizeof v) != 0)
            fail_msg("%.17g printed as %s reads back as %.17g", v, buf, back);
        /* Never longer than %.17g's 17 significant digits. */
        assert_true(strlen(buf) <= 24);
        checked++;
    }
    assert_true(checked > 990000);
}

/* The significant digits of a printed number into d: no sign, leading zeros, point, trailing zeros or exponent. */
static const char *significant_digits(const char *s, char d[40])
{
    int n = 0, first = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            d[n++] = *s;
    while (n > 0 && d[n - 1] == '0')
        n--;
    d[n] = '\0';
    while (d[first] == '0')
        first++;
    return d + first;
}

/*
 * v is printed with as few significant digits as any decimal that reads
 * back as v, and of those the nearest. For each length P the candidates are
 * the nearest P-digit decimal (glibc's printf rounds exactly) and its two
 * neighbours, since the interval that reads back as v can hold a neighbour
 * but not the nearest.
 */
static void expect_shortest(double v)
{
    char mine[RI_NUMBER_TEXT_MAX], text[64], a[40], b[40];

    ri_format_number(v, mine);
    if (strtod(mine, NULL) != v)
        fail_msg("%.17g printed as %s reads back as %.17g", v, mine, strtod(mine, NULL));
    for (int p = 1; p <= 17; p++) {
        unsigned long long d = 0;
        int exp10;
        char *e;

        snprintf(text, sizeof text, "%.*e", p - 1, v);
        for (e = text; *e != 'e'; e++)
            if (*e >= '0' && *e <= '9')
                d = d * 10 + (unsigned long long)(*e - '0');
        exp10 = atoi(e + 1) - (p - 1);
        for (int step = 0; step < 3; step++) {
            unsigned long long c = step == 0 ? d : step == 1 ? d + 1 : d - 1;
            snprintf(text, sizeof text, "%llue%d", c, exp10);
            if (strtod(text, NULL) != v)
                continue;
            if (strcmp(significant_digits(mine, a), significant_digits(text, b)) != 0)
                fail_msg("%.17g printed as %s; expected the digits of %s", v, mine, text);
            return;
        }
    }
    fail_msg("%.17g: no decimal of 17 digits or fewer reads back", v);
}

/* Values like the outputs: ratios of moderate numbers. */
static void ratios_are_shortest(void **state)
{
    uint64_t seed = 42;
    (void)state;
    for (int i = 0; i < 200000; i++) {
        double a = (double)(next(&seed) % 10000000) / 1000.0, b = (double)(next(&seed) % 100000 + 1);
        expect_shortest(a / b);
    }
}

/*
 * Every binary exponent, subnormals included, with random significands and
 * the powers of two themselves (whose interval below is half as wide): each
 * takes its own entry of the power-of-ten table and its own rounding cases.
 */
static void every_exponent_is_shortest(void **state)
{
    uint64_t seed = 7;
    (void)state;
    for (uint64_t e = 0; e < 2047; e++) {
        for (int i = 0; i < 12; i++) {
            uint64_t frac = i == 0 ? 0 : i == 1 ? 1 : i == 2 ? ((uint64_t)1 << 52) - 1 : next(&seed) >> 12;
            uint64_t bits = e << 52 | frac;
            double v;
            memcpy(&v, &bits, sizeof v);
            if (v != 0)
                expect_shortest(v);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_strings),
        cmocka_unit_test(random_doubles_read_back),
        cmocka_unit_test(ratios_are_shortest),
        cmocka_unit_test(every_exponent_is_shortest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
