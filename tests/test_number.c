/* test_number.c — cells as numbers or missing-value markers (src/number.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "number.h"

/* Parse a NUL-terminated cell; returns the kind, value and marker. */
static ri_cell_kind cell(const char *s, int quoted, const ri_markers *m, double *v, int *marker)
{
    return ri_parse_cell(s, strlen(s), quoted, m, v, marker);
}

static void expect_number(const char *s, int quoted, double want)
{
    double v = 0;
    int marker = 99;
    ri_cell_kind k = cell(s, quoted, NULL, &v, &marker);

    if (k != RI_CELL_NUMBER || v != want)
        fail_msg("\"%s\" (quoted=%d): kind %d value %.17g, expected number %.17g", s, quoted,
                 (int)k, v, want);
    assert_int_equal(marker, -1);
}

static void expect_bad(const char *s, int quoted)
{
    double v = 0;
    int marker = 99;
    ri_cell_kind k = cell(s, quoted, NULL, &v, &marker);

    if (k != RI_CELL_BAD)
        fail_msg("\"%s\" (quoted=%d): kind %d value %.17g, expected BAD", s, quoted, (int)k, v);
    assert_true(isnan(v));
    assert_int_equal(marker, -1);
}

static void expect_marker(const char *s, int quoted, const ri_markers *m, int want)
{
    double v = 0;
    int marker = -5;
    ri_cell_kind k = cell(s, quoted, m, &v, &marker);

    if (k != RI_CELL_MISSING || marker != want)
        fail_msg("\"%s\": kind %d marker %d, expected marker %d", s, (int)k, marker, want);
    assert_true(isnan(v));
}

/* The built-in markers, in the index order number.h documents. */
static void test_builtin_markers(void **state)
{
    (void)state;
    expect_marker("", 0, NULL, 0);
    expect_marker("   ", 0, NULL, 0);
    expect_marker("", 1, NULL, 0);
    expect_marker("..", 0, NULL, 1);
    expect_marker(":", 0, NULL, 2);
    expect_marker("-", 0, NULL, 3);
    expect_marker("x", 0, NULL, 4);
    expect_marker("c", 0, NULL, 5);
    expect_marker("[u]", 0, NULL, 6);
    expect_marker("[c]", 0, NULL, 7);
    expect_marker("[x]", 0, NULL, 8);
    expect_marker("[low]", 0, NULL, 9);
    /* Surrounding spaces are trimmed, quoting does not matter. */
    expect_marker("  ..  ", 0, NULL, 1);
    expect_marker(" [low]", 1, NULL, 9);
    expect_marker("x ", 1, NULL, 4);
}

static void test_markers_are_exact(void **state)
{
    (void)state;
    /* Case-sensitive, whole-cell, only spaces trimmed. */
    expect_bad("X", 0);
    expect_bad("C", 0);
    expect_bad("[LOW]", 0);
    expect_bad("[U]", 0);
    expect_bad("...", 0);
    expect_bad("--", 0);
    expect_bad("x x", 0);
    expect_bad("[low", 0);
    expect_bad("\t", 0);
    expect_bad(". .", 0);
}

static void test_extra_markers(void **state)
{
    static const char *const extra[] = {"n/a", "999", "NA"};
    const ri_markers m = {extra, 3};
    double v = 0;
    int marker = 0;

    (void)state;
    expect_marker("n/a", 0, &m, 10);
    expect_marker(" 999 ", 0, &m, 11);
    expect_marker("NA", 1, &m, 12);
    /* Built-ins still come first. */
    expect_marker("..", 0, &m, 1);
    expect_marker("", 0, &m, 0);
    /* Extras are exact too: "na" is neither a marker nor a number. */
    assert_int_equal(cell("na", 0, &m, &v, &marker), RI_CELL_BAD);
    /* A number that is not an extra marker is still a number: 998 = 998. */
    assert_int_equal(cell("998", 0, &m, &v, &marker), RI_CELL_NUMBER);
    assert_true(v == 998.0);
    /* Without the job's list "999" is the number 999. */
    assert_int_equal(cell("999", 0, NULL, &v, &marker), RI_CELL_NUMBER);
    assert_true(v == 999.0);
}

static void test_marker_names(void **state)
{
    static const char *const extra[] = {"n/a", "NA"};
    const ri_markers m = {extra, 2};
    const ri_markers none = {NULL, 0};

    (void)state;
    assert_int_equal(ri_marker_count(NULL), 10);
    assert_int_equal(ri_marker_count(&none), 10);
    assert_int_equal(ri_marker_count(&m), 12);
    assert_string_equal(ri_marker_name(NULL, 0), "blank");
    assert_string_equal(ri_marker_name(NULL, 1), "..");
    assert_string_equal(ri_marker_name(NULL, 2), ":");
    assert_string_equal(ri_marker_name(NULL, 3), "-");
    assert_string_equal(ri_marker_name(NULL, 4), "x");
    assert_string_equal(ri_marker_name(NULL, 5), "c");
    assert_string_equal(ri_marker_name(NULL, 6), "[u]");
    assert_string_equal(ri_marker_name(NULL, 7), "[c]");
    assert_string_equal(ri_marker_name(NULL, 8), "[x]");
    assert_string_equal(ri_marker_name(NULL, 9), "[low]");
    assert_string_equal(ri_marker_name(&m, 10), "n/a");
    assert_string_equal(ri_marker_name(&m, 11), "NA");
    assert_null(ri_marker_name(&m, 12));
    assert_null(ri_marker_name(NULL, 10));
    assert_null(ri_marker_name(&m, -1));
}

static void test_plain_numbers(void **state)
{
    (void)state;
    expect_number("42", 0, 42.0);
    expect_number("-3.5", 0, -3.5);
    expect_number("1e3", 0, 1000.0);
    expect_number("+7", 0, 7.0);
    expect_number(" 12 ", 0, 12.0);
    expect_number("12", 1, 12.0);
    expect_number("0", 0, 0.0);
    expect_number("007", 0, 7.0);
    expect_number(".5", 0, 0.5);
    expect_number("5.", 0, 5.0);
    expect_number("-.25", 0, -0.25);
    expect_number("2.5E-3", 0, 0.0025);   /* 2.5 / 1000 */
    expect_number("1.5e+2", 0, 150.0);
    expect_number("123456.789", 0, 123456.789);
    /* 0.1 is not exact in binary; both sides are the correctly rounded double. */
    expect_number("0.1", 0, 0.1);
    expect_number("2464587", 0, 2464587.0); /* ONS GVA, UK 2023 (data/ons-itl-gva-2025) */
}

static void test_negative_zero(void **state)
{
    double v = 1;
    int marker = 0;

    (void)state;
    assert_int_equal(cell("-0", 0, NULL, &v, &marker), RI_CELL_NUMBER);
    assert_true(v == 0.0);
    assert_true(signbit(v));
    assert_int_equal(cell("0.000", 0, NULL, &v, &marker), RI_CELL_NUMBER);
    assert_true(v == 0.0 && !signbit(v));
}

static void test_thousands_separators(void **state)
{
    (void)state;
    expect_number("1,234", 1, 1234.0);
    expect_number("1,234,567.5", 1, 1234567.5);
    expect_number("-12,345,678", 1, -12345678.0);
    expect_number(" 999,999 ", 1, 999999.0);
    expect_number("1,000e3", 1, 1000000.0);
    /* Only in quoted cells: unquoted, the comma would have split the field. */
    expect_bad("1,234", 0);
    /* Groups after the first are exactly three digits; the first is 1-3. */
    expect_bad("1,23", 1);
    expect_bad("1,2345", 1);
    expect_bad("1234,567", 1);
    expect_bad(",123", 1);
    expect_bad("1,,234", 1);
    expect_bad("1,234,", 1);
    expect_bad("1,234,56", 1);
    expect_bad("0.123,456", 1);
    expect_bad("1.5,000", 1);
}

static void test_not_numbers(void **state)
{
    (void)state;
    expect_bad("abc", 0);
    expect_bad("nan", 0);
    expect_bad("NaN", 0);
    expect_bad("inf", 0);
    expect_bad("-inf", 0);
    expect_bad("Infinity", 0);
    expect_bad("infinity", 0);
    expect_bad("0x10", 0);
    expect_bad("0x1p3", 0);
    expect_bad(".", 0);
    expect_bad("+", 0);
    expect_bad("+.", 0);
    expect_bad("e5", 0);
    expect_bad("1e", 0);
    expect_bad("1e+", 0);
    expect_bad("1.2.3", 0);
    expect_bad("1 2", 0);
    expect_bad("- 5", 0);
    expect_bad("--5", 0);
    expect_bad("5-", 0);
    expect_bad("1,5", 0);
    expect_bad("\t7", 0);
    expect_bad("7%", 0);
    expect_bad("\xc2\xa3" "5", 0); /* "£5" */
    expect_bad("1_000", 0);
}

static void test_range(void **state)
{
    (void)state;
    /* DBL_MAX is 1.7976931348623157e308; anything that rounds above it is not a number. */
    expect_bad("1e400", 0);
    expect_bad("-1e400", 0);
    expect_bad("1e99999999999999999999", 0);
    expect_bad("1.7976931348623159e308", 0);
    expect_number("1.7976931348623157e308", 0, 1.7976931348623157e308);
    /* A nonzero number that would round to 0 is beyond the range too: read as 0 it would
     * silently stand for a value nobody wrote. The smallest subnormal, 2^-1074 =
     * 4.9406564584124654e-324, is a value; below half of it everything rounds to 0. */
    expect_bad("1e-400", 0);
    expect_bad("-1e-400", 0);
    expect_bad("1e-99999999999999999999", 0);
    expect_bad("2e-324", 0);
    expect_number("4.9406564584124654e-324", 0, 4.9406564584124654e-324);
    expect_number("2.2250738585072014e-308", 0, 2.2250738585072014e-308);
    /* 0 with any exponent is 0. */
    expect_number("0e999999", 0, 0.0);
}

static void test_rounding(void **state)
{
    (void)state;
    /* 2^53 + 1 = 9007199254740993 lies halfway between doubles 2^53 and 2^53 + 2;
     * ties go to even, 2^53 = 9007199254740992. */
    expect_number("9007199254740993", 0, 9007199254740992.0);
    /* 0.1 + 0.2 printed with 17 digits reads back as itself. */
    expect_number("0.30000000000000004", 0, 0.1 + 0.2);
    /* More than 19 significant digits take the strtod() path; the literal is the
     * compiler's correctly rounded conversion of the same decimal. */
    expect_number("12345678901234567890123", 0, 12345678901234567890123.0);
    expect_number("0.000000000000000000000000000012345", 0, 0.000000000000000000000000000012345);
    expect_number("3.14159265358979323846264338327950288", 0, 3.14159265358979323846264338327950288);
    /* Exponent beyond 10^22 also leaves the exact path. */
    expect_number("1e23", 0, 1e23);
    expect_number("8.5e-30", 0, 8.5e-30);
}

/*
 * Cross-check against the C library: for pseudo-random decimals the result
 * must be the exact same double strtod() gives (the program runs in the
 * "C" locale, so strtod reads '.'). A fixed-seed generator keeps it repeatable.
 */
static uint64_t lcg_state = 0x2545F4914F6CDD1DULL;

static unsigned next_rand(unsigned n)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((lcg_state >> 33) % n);
}

static void test_agrees_with_strtod(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < 200000; i++) {
        char buf[64];
        size_t n = 0;
        unsigned d, k, int_digits = next_rand(20), frac_digits = next_rand(20);
        double got = 0, want;
        int marker;

        if (next_rand(2))
            buf[n++] = '-';
        for (k = 0; k < int_digits; k++)
            buf[n++] = (char)('0' + next_rand(10));
        if (frac_digits || int_digits == 0) {
            buf[n++] = '.';
            for (k = 0; k < frac_digits || (int_digits == 0 && k == 0); k++)
                buf[n++] = (char)('0' + next_rand(10));
        }
        if (next_rand(3) == 0) {
            d = next_rand(60);
            n += (size_t)snprintf(buf + n, sizeof buf - n, "e%d", (int)d - 30);
        }
        buf[n] = '\0';
        want = strtod(buf, NULL);
        if (ri_parse_cell(buf, n, 0, NULL, &got, &marker) != RI_CELL_NUMBER ||
            memcmp(&got, &want, sizeof got) != 0)
            fail_msg("\"%s\": got %.17g, strtod gives %.17g", buf, got, want);
    }
}

static void test_length_limit(void **state)
{
    char buf[400];

    (void)state;
    /* 299 zeros then "1": 300 characters, the longest cell read; the value is 1. */
    memset(buf, '0', 299);
    buf[299] = '1';
    buf[300] = '\0';
    expect_number(buf, 0, 1.0);
    /* One more leading zero: 301 characters, refused. */
    memset(buf, '0', 300);
    buf[300] = '1';
    buf[301] = '\0';
    expect_bad(buf, 0);
    /* Trimmed spaces do not count towards the limit. */
    memset(buf, ' ', 50);
    memset(buf + 50, '0', 299);
    buf[349] = '2';
    memset(buf + 350, ' ', 40);
    buf[390] = '\0';
    expect_number(buf, 0, 2.0);
}

static void test_not_terminated(void **state)
{
    /* Cells are not NUL-terminated: only len bytes may be read. */
    const char text[] = "12345";
    double v = 0;
    int marker = 0;

    (void)state;
    assert_int_equal(ri_parse_cell(text, 2, 0, NULL, &v, &marker), RI_CELL_NUMBER);
    assert_true(v == 12.0);
    assert_int_equal(ri_parse_cell("..x", 2, 0, NULL, &v, &marker), RI_CELL_MISSING);
    assert_int_equal(marker, 1);
    assert_int_equal(ri_parse_cell(NULL, 0, 0, NULL, &v, &marker), RI_CELL_MISSING);
    assert_int_equal(marker, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_markers),
        cmocka_unit_test(test_markers_are_exact),
        cmocka_unit_test(test_extra_markers),
        cmocka_unit_test(test_marker_names),
        cmocka_unit_test(test_plain_numbers),
        cmocka_unit_test(test_negative_zero),
        cmocka_unit_test(test_thousands_separators),
        cmocka_unit_test(test_not_numbers),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_agrees_with_strtod),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_not_terminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
