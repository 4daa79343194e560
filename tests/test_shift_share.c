/* Tests of the shift_share plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "fake_host.h"

static const char *const with_total[] = { "Total", "X", "Y" };
static const char *const sections[] = { "X", "Y" };

static void assert_components(const fake_call *fc, size_t area, size_t period, double national,
                              double mix, double competitive, double unallocated, double change)
{
    double n = fake_out(fc, "national_share", area, period);
    double m = fake_out(fc, "industry_mix", area, period);
    double c = fake_out(fc, "competitive_shift", area, period);
    double u = fake_out(fc, "unallocated", area, period);
    assert_near(n, national, 1e-9);
    assert_near(m, mix, 1e-9);
    assert_near(c, competitive, 1e-9);
    assert_near(u, unallocated, 1e-9);
    assert_near(fake_out(fc, "total_change", area, period), change, 1e-9);
    /* The decomposition is exact. */
    assert_near(n + m + c + u, fake_out(fc, "total_change", area, period), 1e-9);
}

static void test_descriptor(void **state)
{
    (void)state;
    const ri_plugin *plugin = ri_plugin_entry();
    static const char *const names[] = { "national_share", "industry_mix", "competitive_shift",
                                         "total_change", "unallocated",
                                         "competitive_homothetic", "allocation" };
    assert_string_equal(plugin->name, "shift_share");
    assert_string_equal(plugin->version, "1.1.0");
    assert_int_equal(plugin->n_inputs, 1);
    assert_string_equal(plugin->inputs[0].role, "value");
    assert_int_equal(plugin->inputs[0].flags, RI_BY_INDUSTRY);
    assert_int_equal(plugin->n_outputs, RI_COUNT(names));
    for (size_t i = 0; i < RI_COUNT(names); i++) {
        assert_string_equal(plugin->outputs[i].name, names[i]);
        assert_int_equal(plugin->outputs[i].flags, 0);
    }
    assert_string_equal(plugin->params[0].name, "base_period");
    assert_string_equal(plugin->params[0].default_value, "");
    assert_string_equal(plugin->params[1].name, "total_industry");
    assert_string_equal(plugin->params[2].name, "unit");
    assert_string_equal(plugin->params[2].default_value, "GBP million");
    assert_string_equal(plugin->params[3].name, "method");
    assert_string_equal(plugin->params[3].default_value, "classical");
    assert_non_null(strstr(plugin->outputs[5].help, "Esteban-Marquillas (1972)"));
    assert_non_null(strstr(plugin->params[3].help, "Barff and Knight 1988"));
}

/*
 * Region A0 against the nation A1, base 2013 and 2023 ([Total, X, Y]):
 *   nation: base 200 = 100 + 100, later 260 = 150 + 110
 *           g = 260 / 200 - 1 = 0.3, g_X = 0.5, g_Y = 0.1
 *   region: base 100 = 20 + 80, later 124 = 40 + 84
 *   national share    = 20 * 0.3 + 80 * 0.3                  = 30
 *   industry mix      = 20 * (0.5 - 0.3) + 80 * (0.1 - 0.3)  = 4 - 16 = -12
 *   competitive shift = (40 - 20 - 20 * 0.5) + (84 - 80 - 80 * 0.1) = 10 - 4 = 6
 *   total change      = 124 - 100 = 24 = 30 - 12 + 6
 * The nation against itself: 60 = 200 * 0.3, mix 100 * 0.2 + 100 * -0.2 = 0, shift 0.
 */
static const double region_and_nation[] = {
    100, 20, 80, 124, 40, 84,   /* A0: 2013, 2023 */
    200, 100, 100, 260, 150, 110 /* A1 */
};

static void test_hand_example_against_benchmark_area(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_years(fc, (const double[]){ 2013, 2023 });
    fake_set_industries(fc, 3, with_total);
    fake_set_input(fc, "value", region_and_nation);
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_components(fc, 0, 1, 30, -12, 6, 0, 24);
    assert_components(fc, 1, 1, 60, 0, 0, 0, 60);
    /* Nothing has changed at the base. */
    assert_components(fc, 0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(fc->ctx.n_log, 0);
    assert_string_equal(fake_unit(fc, "national_share"), "GBP million");
    assert_string_equal(fake_unit(fc, "total_change"), "GBP million");
    fake_call_free(fc);
}

static void test_without_total_row_the_total_is_the_sum(void **state)
{
    (void)state;
    /* The example above without its Total column: X + Y gives the same totals. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_industries(fc, 2, sections);
    fake_set_param(fc, "total_industry", "");
    fake_set_input(fc, "value", (const double[]){ 20, 80, 40, 84, 100, 100, 150, 110 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_components(fc, 0, 1, 30, -12, 6, 0, 24);
    fake_call_free(fc);
}

/*
 * No benchmark area: the benchmark is the sum over the group areas complete in
 * both periods. A0 (the region above) + A1 (X 80 -> 110, Y 20 -> 26) is the
 * nation above, so g = 0.3, g_X = 0.5, g_Y = 0.1 again. A2 has no Y in 2014
 * and is left out of the sum.
 *   A1: national 100 * 0.3 = 30; mix 80 * 0.2 + 20 * -0.2 = 12;
 *       shift (110 - 80 - 40) + (26 - 20 - 2) = -10 + 4 = -6; change 136 - 100 = 36
 *   A2: its Total 20 -> 25 is the actual change, 5; national 20 * 0.3 = 6. Only X is
 *       split; the benchmark's growth over X is g_S = 150 / 100 - 1 = 0.5 = g_X, so
 *       mix 10 * (0.5 - 0.5) = 0, shift 10 - 10 - 10 * 0.5 = -5, and
 *       unallocated = 5 - 6 - 0 + 5 = 4: Y's change (15 - 10) beyond national growth
 *       (0.3 * 10), plus X's base times the gap g_S - g (10 * 0.2).
 */
static void test_group_sum_benchmark_leaves_out_incomplete_areas(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 2, 2013);
    fake_set_industries(fc, 3, with_total);
    fake_set_input(fc, "value", (const double[]){
        100, 20, 80, 124, 40, 84, /* A0 */
        100, 80, 20, 136, 110, 26, /* A1 */
        20, 10, 10, 25, 10, NAN,   /* A2 */
    });

    assert_int_equal(fake_run(fc), RI_OK);
    assert_components(fc, 0, 1, 30, -12, 6, 0, 24);
    assert_components(fc, 1, 1, 30, 12, -6, 0, 36);
    assert_components(fc, 2, 1, 6, 0, -5, 4, 5);
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "shift_share: 1 area-industry-periods not split for a missing value (area "
                        "or benchmark, base or later period) or a benchmark base of zero: their "
                        "change is in unallocated; 0 area-periods without a total in both "
                        "periods (all NaN); 0 periods without benchmark growth (missing or zero "
                        "total); 1 area-periods with a missing value left out of the group "
                        "benchmark; 0 area-periods without the Esteban-Marquillas split (a "
                        "section growing from a base of zero)");
    fake_call_free(fc);
}

static void test_industries_without_values_are_ignored(void **state)
{
    (void)state;
    /* Another dataset's labels in the panel ("Z", and a "Total" this input does not
       fill) have no value here: the total is X + Y. A2 lacks Y in 2014, so it has no
       total then and no decomposition. */
    static const char *const labels[] = { "Z", "X", "Y", "Total" };
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 2, 2013);
    fake_set_industries(fc, 4, labels);
    fake_set_input(fc, "value", (const double[]){
        NAN, 20, 80, NAN, NAN, 40, 84, NAN,  /* A0 */
        NAN, 80, 20, NAN, NAN, 110, 26, NAN, /* A1 */
        NAN, 10, 10, NAN, NAN, 10, NAN, NAN, /* A2 */
    });

    assert_int_equal(fake_run(fc), RI_OK);
    /* The group example above. */
    assert_components(fc, 0, 1, 30, -12, 6, 0, 24);
    assert_components(fc, 1, 1, 30, 12, -6, 0, 36);
    assert_nan(fake_out(fc, "total_change", 2, 1));
    assert_nan(fake_out(fc, "unallocated", 2, 1));
    assert_nan(fake_out(fc, "national_share", 2, 1));
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "shift_share: 0 area-industry-periods not split for a missing value"));
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "1 area-periods without a total in both periods"));
    fake_call_free(fc);
}

static void test_base_period_and_unit(void **state)
{
    (void)state;
    /* 2021 is before the base; 2022 -> 2023 is the example above. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 3, 2021);
    fake_set_industries(fc, 3, with_total);
    fake_set_param(fc, "base_period", "2022");
    fake_set_param(fc, "unit", "jobs");
    fake_set_input(fc, "value", (const double[]){
        1, 1, 1, 100, 20, 80, 124, 40, 84,
        1, 1, 1, 200, 100, 100, 260, 150, 110,
    });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "national_share", 0, 0));
    assert_nan(fake_out(fc, "total_change", 0, 0));
    assert_components(fc, 0, 1, 0, 0, 0, 0, 0);
    assert_components(fc, 0, 2, 30, -12, 6, 0, 24);
    assert_string_equal(fake_unit(fc, "national_share"), "jobs");
    assert_string_equal(fake_unit(fc, "industry_mix"), "jobs");
    assert_string_equal(fake_unit(fc, "competitive_shift"), "jobs");
    assert_string_equal(fake_unit(fc, "total_change"), "jobs");
    assert_string_equal(fake_unit(fc, "unallocated"), "jobs");
    fake_call_free(fc);
}

static void test_bad_parameters_are_errors(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_industries(fc, 3, with_total);
    fake_set_input(fc, "value", region_and_nation);
    fc->call.benchmark = 1;

    fake_set_param(fc, "base_period", "2010");
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_string_equal(fc->ctx.error, "shift_share: parameter base_period = \"2010\" is not a "
                                       "period with data; expected one of 2013 to 2014");
    assert_nan(fake_out(fc, "total_change", 0, 1));

    fake_set_param(fc, "base_period", "");
    fake_set_param(fc, "unit", "");
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_non_null(strstr(fc->ctx.error, "parameter unit is empty"));
    fake_call_free(fc);
}

static void test_missing_benchmark_industry_is_left_out(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_industries(fc, 3, with_total);
    /* The nation's Y is suppressed in the later period; its Total is published. */
    fake_set_input(fc, "value", (const double[]){ 100, 20, 80, 124, 40, 84,
                                                  200, 100, 100, 260, 150, NAN });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    /*
     * The actual change is A0's Total, 124 - 100 = 24; national 100 * 0.3 = 30 (g from
     * the nation's Totals, 260 / 200 - 1). Only X is split: g_S = g_X = 0.5, so mix
     * 20 * (0.5 - 0.5) = 0, shift 40 - 20 - 20 * 0.5 = 10, unallocated 24 - 30 - 0 - 10 = -16
     * (Y's 84 - 80 - 0.3 * 80 = -20, plus 20 * (0.5 - 0.3) = 4).
     */
    assert_components(fc, 0, 1, 30, 0, 10, -16, 24);
    /* The benchmark's own mix, shift and unallocated are 0 even with a section missing. */
    assert_components(fc, 1, 1, 60, 0, 0, 0, 60);
    /* Y is not split for either area in 2014. */
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "shift_share: 2 area-industry-periods not split"));
    fake_call_free(fc);
}

static void test_benchmark_without_total_gives_nan(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_industries(fc, 3, with_total);
    fake_set_input(fc, "value", (const double[]){ 100, 20, 80, 124, 40, 84,
                                                  0, 0, 0, 260, 150, 110 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    /* A base total of zero has no growth rate, not an infinite one. */
    assert_nan(fake_out(fc, "national_share", 0, 1));
    assert_nan(fake_out(fc, "total_change", 0, 1));
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "2 periods without benchmark growth"));
    fake_call_free(fc);
}

/*
 * Derby's manufacturing (C) against England, 2013 to 2023, from
 * data/ons-lad-gva-by-industry-2025/lad_gva_by_section_current_prices_gbp_m.csv (GBP million):
 *   Derby (E06000015): Total 6,799 -> 9,226; C (10-33) 1,892 -> 2,711.
 *   England: sums over the 296 English district rows (codes starting with E):
 *   Total 1,353,913 -> 2,113,330; C (10-33) 141,731 -> 187,629.
 * Only C is given, so only C is split and the rest of Derby's economy is unallocated.
 * Computed in Python: g = 2,113,330 / 1,353,913 - 1 = 0.560905316664,
 *   g_C = 187,629 / 141,731 - 1 = 0.323838821429 = g_S (C is all that is split);
 *   national 6,799 g = 3,813.595247996; mix 1,892 (g_C - g_S) = 0;
 *   shift 2,711 - 1,892 - 1,892 g_C = 206.296949856; change 9,226 - 6,799 = 2,427;
 *   unallocated 2,427 - 3,813.595247996 - 206.296949856 = -1,592.892197852.
 * England against itself: national 1,353,913 g = 759,417 = its change; the rest 0.
 */
static void test_derby_manufacturing_2013_to_2023(void **state)
{
    (void)state;
    static const char *const industries[] = { "Total", "C (10-33)" };
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_years(fc, (const double[]){ 2013, 2023 });
    fake_set_industries(fc, 2, industries);
    fake_set_input(fc, "value", (const double[]){ 6799, 1892, 9226, 2711,
                                                  1353913, 141731, 2113330, 187629 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_components(fc, 0, 1, 3813.595247996, 0, 206.296949856, -1592.892197852, 2427);
    assert_components(fc, 1, 1, 759417, 0, 0, 0, 759417);
    fake_call_free(fc);
}


/*
 * Esteban-Marquillas on the region of the hand example: S = {X, Y}, the region's 100
 * at the nation's mix (100 / 200 each) is homothetic X 50, Y 50. Edges r_i - g_i:
 * X 40 / 20 - 1 - 0.5 = 0.5, Y 84 / 80 - 1 - 0.1 = -0.05.
 *   competitive_homothetic = 50 x 0.5 + 50 x -0.05 = 22.5
 *   allocation = (20 - 50) x 0.5 + (80 - 50) x -0.05 = -15 - 1.5 = -16.5
 *   together 6, the competitive shift.
 */
static void test_esteban_marquillas(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_industries(fc, 3, with_total);
    fake_set_input(fc, "value", region_and_nation);
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "competitive_homothetic", 0, 1), 22.5, 1e-12);
    assert_near(fake_out(fc, "allocation", 0, 1), -16.5, 1e-12);
    assert_near(fake_out(fc, "competitive_homothetic", 0, 1) + fake_out(fc, "allocation", 0, 1),
                fake_out(fc, "competitive_shift", 0, 1), 1e-12);
    /* The nation is its own homothetic economy: no edge, no allocation. */
    assert_near(fake_out(fc, "competitive_homothetic", 1, 1), 0, 1e-12);
    assert_near(fake_out(fc, "allocation", 1, 1), 0, 1e-12);
    fake_call_free(fc);

    /* A section growing from a base of zero has no growth rate r_i: no split, said once. */
    fc = fake_call_new(ri_plugin_entry(), 2, 2, 2013);
    fake_set_industries(fc, 3, with_total);
    fake_set_input(fc, "value", (const double[]){ 80, 0, 80, 124, 40, 84,
                                                  200, 100, 100, 260, 150, 110 });
    fc->call.benchmark = 1;
    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "allocation", 0, 1));
    assert_false(isnan(fake_out(fc, "competitive_shift", 0, 1)));
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "1 area-periods without the Esteban-Marquillas split"));
    fake_call_free(fc);
}

/*
 * Dynamic shift-share over 2013, 2014, 2015 ([Total, X, Y]):
 *   region A0: 100 = 20 + 80, 112 = 30 + 82, 124 = 40 + 84
 *   nation A1: 200 = 100 + 100, 230 = 120 + 110, 260 = 150 + 110
 * 2013 -> 2014: g = 0.15, g_X = 0.2, g_Y = 0.1: national 15, mix 20 x 0.05 + 80 x -0.05
 *   = -3, shift (30 - 20 - 4) + (82 - 80 - 8) = 0, change 12; homothetic 50 x 0.3 +
 *   50 x -0.075 = 11.25, allocation -30 x 0.3 + 30 x -0.075 = -11.25.
 * 2014 -> 2015: g = 3/23, g_X = 0.25, g_Y = 0: national 112 x 3/23 = 14.608695652,
 *   mix 30 (0.25 - 3/23) + 82 (0 - 3/23) = 7.5 - 336/23 = -7.108695652, shift
 *   (40 - 30 - 7.5) + (84 - 82) = 4.5, change 12; homothetic X 112 x 120/230, Y 112 x
 *   110/230 with edges 1/12 and 1/41: 6.176033934, allocation -1.676033934 (Python).
 * Summed to 2015: national 29.608695652, mix -10.108695652, shift 4.5, change 24 =
 * 124 - 100; homothetic 17.426033934, allocation -12.926033934. The classical split
 * of the same change is 30, -12, 6 (the first example).
 */
static void test_dynamic_sums_yearly_splits(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 3, 2013);
    fake_set_industries(fc, 3, with_total);
    fake_set_param(fc, "method", "dynamic");
    fake_set_input(fc, "value", (const double[]){
        100, 20, 80, 112, 30, 82, 124, 40, 84,
        200, 100, 100, 230, 120, 110, 260, 150, 110 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_components(fc, 0, 0, 0, 0, 0, 0, 0);
    assert_components(fc, 0, 1, 15, -3, 0, 0, 12);
    assert_components(fc, 0, 2, 29.608695652173914, -10.108695652173912, 4.5, 0, 24);
    assert_near(fake_out(fc, "competitive_homothetic", 0, 2), 17.42603393425238, 1e-12);
    assert_near(fake_out(fc, "allocation", 0, 2), -12.926033934252382, 1e-12);
    /* The benchmark's own mix stays 0 year after year. */
    assert_components(fc, 1, 2, 60, 0, 0, 0, 60);

    fake_set_param(fc, "method", "classical");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_components(fc, 0, 2, 30, -12, 6, 0, 24);
    fake_call_free(fc);
}

static void test_dynamic_chain_breaks_at_a_missing_year(void **state)
{
    (void)state;
    /* The region's 2014 total is missing: 2014 and every later sum are NaN. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 3, 2013);
    fake_set_industries(fc, 3, with_total);
    fake_set_param(fc, "method", "dynamic");
    fake_set_input(fc, "value", (const double[]){
        100, 20, 80, NAN, 30, 82, 124, 40, 84,
        200, 100, 100, 230, 120, 110, 260, 150, 110 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "total_change", 0, 1));
    assert_nan(fake_out(fc, "national_share", 0, 2));
    assert_nan(fake_out(fc, "total_change", 0, 2));
    assert_components(fc, 1, 2, 60, 0, 0, 0, 60);
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "2 area-periods without a total in both periods"));
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_hand_example_against_benchmark_area),
        cmocka_unit_test(test_without_total_row_the_total_is_the_sum),
        cmocka_unit_test(test_group_sum_benchmark_leaves_out_incomplete_areas),
        cmocka_unit_test(test_industries_without_values_are_ignored),
        cmocka_unit_test(test_base_period_and_unit),
        cmocka_unit_test(test_bad_parameters_are_errors),
        cmocka_unit_test(test_missing_benchmark_industry_is_left_out),
        cmocka_unit_test(test_benchmark_without_total_gives_nan),
        cmocka_unit_test(test_derby_manufacturing_2013_to_2023),
        cmocka_unit_test(test_esteban_marquillas),
        cmocka_unit_test(test_dynamic_sums_yearly_splits),
        cmocka_unit_test(test_dynamic_chain_breaks_at_a_missing_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
