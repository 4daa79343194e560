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

/* Significant digits of a printed number: no sign, leading zeros, point, trailing zeros or exponent. */
static int significant(const char *s)
{
    char d[40];
    int n = 0, first = 0, last;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            d[n++] = *s;
    while (first < n && d[first] == '0')
        first++;
    last = n;
    while (last > first && d[last - 1] == '0')
        last--;
    return last - first;
}

/*
 * Values like the outputs: ratios of moderate numbers. Every one reads back;
 * Grisu2 may add a digit or two beyond the shortest string in rare cases
 * (measured here: 550 in a million), so the test bounds how rare.
 */
static void ratios_read_back_and_stay_short(void **state)
{
    uint64_t seed = 42;
    int longer = 0, n = 200000;
    (void)state;
    for (int i = 0; i < n; i++) {
        double a = (double)(next(&seed) % 10000000) / 1000.0, b = (double)(next(&seed) % 100000 + 1);
        double v = a / b, back;
        char mine[RI_NUMBER_TEXT_MAX], shortest[32];
        int p;
        ri_format_number(v, mine);
        back = strtod(mine, NULL);
        assert_true(back == v);
        for (p = 1; p <= 17; p++) {
            snprintf(shortest, sizeof shortest, "%.*g", p, v);
            if (strtod(shortest, NULL) == v)
                break;
        }
        assert_true(significant(mine) <= 17);
        longer += significant(mine) > p;
    }
    assert_true(longer < n / 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_strings),
        cmocka_unit_test(random_doubles_read_back),
        cmocka_unit_test(ratios_read_back_and_stay_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
