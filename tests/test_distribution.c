/*
 * test_distribution.c — the distribution plugin through the fake host:
 * deciles on the benchmark row, ranks and percentiles on the others.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "fake_host.h"

/* Areas 0..4 hold 1..5 (area 2 is the benchmark in the group); area 5 is outside the group. */
static fake_call *five_areas(void)
{
    static const double value[] = {3, 1, 5, 2, 4, 100};
    fake_call *fc = fake_call_new(ri_plugin_entry(), 6, 1, 2020);
    fake_set_input(fc, "value", value);
    for (size_t a = 0; a < 5; a++)
        fc->in_group[a] = 1;
    fc->in_group[5] = 0;
    fc->call.benchmark = 2;
    return fc;
}

static void deciles_on_benchmark_row(void **state)
{
    fake_call *fc = five_areas();
    (void)state;
    assert_int_equal(fake_run(fc), RI_OK);
    /* GSL's quantile of sorted {1,2,3,4,5} at q is x[i] + f (x[i+1] - x[i]) with i + f = 4q:
       q = 0.1 -> 1.4, q = 0.5 -> 3, q = 0.9 -> 4.6. */
    assert_near(fake_out(fc, "p10", 2, 0), 1.4, 1e-12);
    assert_near(fake_out(fc, "p50", 2, 0), 3.0, 1e-12);
    assert_near(fake_out(fc, "p90", 2, 0), 4.6, 1e-12);
    /* Deciles live on the benchmark row only. */
    assert_nan(fake_out(fc, "p50", 0, 0));
    fake_call_free(fc);
}

static void ranks_and_percentiles(void **state)
{
    fake_call *fc = five_areas();
    (void)state;
    assert_int_equal(fake_run(fc), RI_OK);
    /* Area 2 holds 5, the highest: rank 1, all 4 others below -> 100%. */
    assert_near(fake_out(fc, "rank", 2, 0), 1, 0);
    assert_near(fake_out(fc, "percentile", 2, 0), 100, 1e-12);
    /* Area 3 holds 2: three values above -> rank 4; one of four others below -> 25%. */
    assert_near(fake_out(fc, "rank", 3, 0), 4, 0);
    assert_near(fake_out(fc, "percentile", 3, 0), 25, 1e-12);
    /* Area 5 is not in the group. */
    assert_nan(fake_out(fc, "rank", 5, 0));
    fake_call_free(fc);
}

static void ties_share_the_best_rank(void **state)
{
    static const double value[] = {7, 7, 3};
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2020);
    (void)state;
    fake_set_input(fc, "value", value);
    fc->call.benchmark = 2;
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "rank", 0, 0), 1, 0);
    assert_near(fake_out(fc, "rank", 1, 0), 1, 0);
    assert_near(fake_out(fc, "rank", 2, 0), 3, 0);
    /* 7 has one of the two others (3) below it: 50%. */
    assert_near(fake_out(fc, "percentile", 0, 0), 50, 1e-12);
    fake_call_free(fc);
}

static void missing_values_are_left_out_with_a_warning(void **state)
{
    static const double value[] = {1, NAN, 3};
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2020);
    (void)state;
    fake_set_input(fc, "value", value);
    fc->call.benchmark = 0;
    assert_int_equal(fake_run(fc), RI_OK);
    /* Median of {1, 3} = 2. */
    assert_near(fake_out(fc, "p50", 0, 0), 2, 1e-12);
    assert_nan(fake_out(fc, "rank", 1, 0));
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0), "1 values of the group are missing"));
    fake_call_free(fc);
}

static void needs_a_benchmark(void **state)
{
    static const double value[] = {1, 2};
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2020);
    (void)state;
    fake_set_input(fc, "value", value);
    fc->call.benchmark = RI_NO_AREA;
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_non_null(strstr(fc->ctx.error, "no benchmark area to hold the deciles"));
    fake_call_free(fc);
}

static void unit_is_passed_through(void **state)
{
    fake_call *fc = five_areas();
    (void)state;
    fake_set_param(fc, "unit", "index (UK = 100)");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "p10"), "index (UK = 100)");
    assert_string_equal(fake_unit(fc, "rank"), "rank (1 = highest)");
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deciles_on_benchmark_row),
        cmocka_unit_test(ranks_and_percentiles),
        cmocka_unit_test(ties_share_the_best_rank),
        cmocka_unit_test(missing_values_are_left_out_with_a_warning),
        cmocka_unit_test(needs_a_benchmark),
        cmocka_unit_test(unit_is_passed_through),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
