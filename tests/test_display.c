/* Unit tests for display.c: the numbers, names and widths people read. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "display.h"

static void decimals_follow_unit_and_values(void **state)
{
    (void)state;
    /* Money and counts: whole numbers once the column reaches 100. */
    assert_int_equal(ri_display_decimals("GBP per head", 52239.0), 0);
    assert_int_equal(ri_display_decimals("GBP million", 98581.0), 0);
    assert_int_equal(ri_display_decimals("jobs", 297.0), 0);
    /* GVA per hour (31.86) keeps three significant digits. */
    assert_int_equal(ri_display_decimals("GBP per hour", 57.5), 1);
    /* Indices against a benchmark and percentages: one decimal whatever the values. */
    assert_int_equal(ri_display_decimals("index (benchmark = 100)", 172.8), 1);
    assert_int_equal(ri_display_decimals("%", 2.4), 1);
    assert_int_equal(ri_display_decimals("% a year", 0.05), 1);
    /* Ratios: three significant digits of the largest value. */
    assert_int_equal(ri_display_decimals("ratio (sd / mean)", 0.276), 3);
    assert_int_equal(ri_display_decimals("index (0 = equal, 1 = all in one area)", 0.31), 3);
    assert_int_equal(ri_display_decimals("GBP of match and private funding per GBP 1 of public money", 14.7), 1);
    assert_int_equal(ri_display_decimals("jobs per GBP 1m of public money", 681.0), 0);
    assert_int_equal(ri_display_decimals("coefficient", 0.0042), 5);
    assert_int_equal(ri_display_decimals("coefficient", NAN), 0);
}

static void decimals_of_a_column(void **state)
{
    /* Every other value of a strided column: the largest taken is 25.7, not 98,581. */
    double v[] = {-941.2, 98581.0, 25.7, NAN, -3.0, 1e6};
    (void)state;
    assert_int_equal(ri_display_decimals_of("GBP million", v, 3, 2), 0);
    assert_int_equal(ri_display_decimals_of("coefficient", v + 2, 2, 2), 1);
    assert_int_equal(ri_display_decimals_of("coefficient", v + 3, 1, 1), 0);
}

static void numbers(void **state)
{
    char buf[RI_DISPLAY_NUM_MAX];
    (void)state;
    ri_display_number(-197163.4, 0, buf);
    assert_string_equal(buf, "-197,163");
    ri_display_number(1234567.891, 2, buf);
    assert_string_equal(buf, "1,234,567.89");
    ri_display_number(9.0, 1, buf);
    assert_string_equal(buf, "9.0");
    ri_display_number(999.5, 0, buf);
    assert_string_equal(buf, "1,000");
    ri_display_number(-0.04, 1, buf);
    assert_string_equal(buf, "0.0");
    ri_display_number(NAN, 1, buf);
    assert_string_equal(buf, "n/a");
}

static void safe_text(void **state)
{
    char *s;
    (void)state;
    /* An OSC title sequence and a colour escape are shown, not obeyed. */
    s = ri_display_safe("\x1b]0;pwned\x07" "Evil\x1b[31m");
    assert_string_equal(s, "\\x1b]0;pwned\\x07Evil\\x1b[31m");
    free(s);
    /* C1 CSI (U+009B) and a lone invalid byte; UTF-8 letters pass. */
    s = ri_display_safe("a\xc2\x9b" "b\xff" "Ynys M\xc3\xb4n");
    assert_string_equal(s, "a\\x9bb\\xffYnys M\xc3\xb4n");
    free(s);
}

static void widths_and_cells(void **state)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f;
    (void)state;
    assert_int_equal(ri_display_width("Ynys M\xc3\xb4n"), 8);
    assert_int_equal(ri_display_width("Greater\xe2\x80\xa6"), 8);
    f = open_memstream(&buf, &size);
    assert_non_null(f);
    ri_display_cell(f, "Greater Cambridge", 8, 0);
    fputc('|', f);
    ri_display_cell(f, "9.0", 5, 1);
    fputc('|', f);
    ri_display_cell(f, "M\xc3\xb4n", 5, 0);
    fputc('|', f);
    fclose(f);
    assert_string_equal(buf, "Greater\xe2\x80\xa6|  9.0|M\xc3\xb4n  |");
    free(buf);
}

static void wrapping(void **state)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    (void)state;
    assert_non_null(f);
    ri_display_wrap(f, "Units: a = GBP; b = index", 2, 16);
    fclose(f);
    assert_string_equal(buf, "  Units: a =\n  GBP; b = index\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimals_follow_unit_and_values),
        cmocka_unit_test(decimals_of_a_column),
        cmocka_unit_test(numbers),
        cmocka_unit_test(safe_text),
        cmocka_unit_test(widths_and_cells),
        cmocka_unit_test(wrapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
