/* Tests of the location_quotient plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_host.h"

static const char *const with_total[] = { "Total", "X", "Y" };
static const char *const sections[] = { "X", "Y" };

static void test_descriptor(void **state)
{
    (void)state;
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "location_quotient");
    assert_string_equal(plugin->version, "1.0.0");
    assert_int_equal(plugin->n_inputs, 2);
    assert_string_equal(plugin->inputs[0].role, "value");
    assert_int_equal(plugin->inputs[0].flags, RI_BY_INDUSTRY);
    assert_string_equal(plugin->inputs[1].role, "total");
    assert_int_equal(plugin->inputs[1].flags, RI_OPTIONAL);
    assert_int_equal(plugin->n_outputs, 2);
    assert_string_equal(plugin->outputs[0].name, "lq");
    assert_string_equal(plugin->outputs[0].unit, "ratio (benchmark share = 1)");
    assert_int_equal(plugin->outputs[0].flags, RI_BY_INDUSTRY);
    assert_string_equal(plugin->outputs[1].name, "share_pct");
    assert_string_equal(plugin->outputs[1].unit, "%");
    assert_int_equal(plugin->outputs[1].flags, RI_BY_INDUSTRY);
    assert_string_equal(plugin->params[0].name, "total_industry");
    assert_string_equal(plugin->params[0].default_value, "Total");
}

/*
 * Two areas, two industries, no benchmark area: the benchmark is the group sum.
 *   A0: X 30, Y 70 (total 100)    A1: X 60, Y 240 (total 300)    sum: X 90, Y 310 (total 400)
 * Benchmark shares: X 90/400 = 0.225, Y 310/400 = 0.775.
 */
static void assert_two_by_two(const fake_call *fc, size_t first)
{
    /* A0 X: 0.30 / 0.225 = 4/3; A0 Y: 0.70 / 0.775 = 28/31 */
    assert_near(fake_out_industry(fc, "lq", 0, 0, first), 4.0 / 3.0, 1e-12);
    assert_near(fake_out_industry(fc, "lq", 0, 0, first + 1), 28.0 / 31.0, 1e-12);
    /* A1 X: 0.20 / 0.225 = 8/9; A1 Y: 0.80 / 0.775 = 32/31 */
    assert_near(fake_out_industry(fc, "lq", 1, 0, first), 8.0 / 9.0, 1e-12);
    assert_near(fake_out_industry(fc, "lq", 1, 0, first + 1), 32.0 / 31.0, 1e-12);
    assert_near(fake_out_industry(fc, "share_pct", 0, 0, first), 30, 1e-12);
    assert_near(fake_out_industry(fc, "share_pct", 0, 0, first + 1), 70, 1e-12);
    assert_near(fake_out_industry(fc, "share_pct", 1, 0, first), 20, 1e-12);
    assert_near(fake_out_industry(fc, "share_pct", 1, 0, first + 1), 80, 1e-12);
}

static void test_two_by_two_with_total_row(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_industries(fc, 3, with_total);
    fake_set_input(fc, "value", (const double[]){ 100, 30, 70, 300, 60, 240 });

    assert_int_equal(fake_run(fc), RI_OK);
    assert_two_by_two(fc, 1);
    /* The total row is not an industry. */
    assert_nan(fake_out_industry(fc, "lq", 0, 0, 0));
    assert_nan(fake_out_industry(fc, "share_pct", 1, 0, 0));
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

static void test_two_by_two_summed_without_total_row(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_industries(fc, 2, sections);
    fake_set_input(fc, "value", (const double[]){ 30, 70, 60, 240 });

    assert_int_equal(fake_run(fc), RI_OK);
    assert_two_by_two(fc, 0);
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 0);
    assert_string_equal(fake_log_message(fc, RI_LOG_INFO, 0),
                        "location_quotient: no industry with values is labelled total_industry "
                        "= \"Total\"; area totals are sums over the 2 industries");

    /* Saying there is no total row silences the note; the figures stay. */
    fake_set_param(fc, "total_industry", "");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_two_by_two(fc, 0);
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

static void test_industries_without_values_are_ignored(void **state)
{
    (void)state;
    /* The panel's industries are those of every dataset; another dataset's labels,
       here an unfilled "Total" and a funding scope, have no value in this input. */
    static const char *const labels[] = { "X", "Total", "Y", "LGF allocation" };
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_industries(fc, 4, labels);
    fake_set_input(fc, "value", (const double[]){ 30, NAN, 70, NAN, 60, NAN, 240, NAN });

    assert_int_equal(fake_run(fc), RI_OK);
    /* The two-by-two example: A0 X 4/3, Y 28/31; A1 X 8/9, Y 32/31. */
    assert_near(fake_out_industry(fc, "lq", 0, 0, 0), 4.0 / 3.0, 1e-12);
    assert_near(fake_out_industry(fc, "lq", 0, 0, 2), 28.0 / 31.0, 1e-12);
    assert_near(fake_out_industry(fc, "lq", 1, 0, 0), 8.0 / 9.0, 1e-12);
    assert_near(fake_out_industry(fc, "lq", 1, 0, 2), 32.0 / 31.0, 1e-12);
    assert_nan(fake_out_industry(fc, "lq", 0, 0, 3));
    assert_nan(fake_out_industry(fc, "share_pct", 0, 0, 1));
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 0);
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_INFO, 0),
                           "area totals are sums over the 2 industries"));
    fake_call_free(fc);
}

static void test_benchmark_area_outside_the_group(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2023);
    fake_set_industries(fc, 3, with_total);
    /* A2 is the benchmark: X 50 of 200 (0.25), Y 150 of 200 (0.75). */
    fake_set_input(fc, "value", (const double[]){ 100, 30, 70, 300, 60, 240, 200, 50, 150 });
    fc->call.benchmark = 2;
    fc->in_group[2] = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out_industry(fc, "lq", 0, 0, 1), 1.2, 1e-12);      /* 0.30 / 0.25 */
    assert_near(fake_out_industry(fc, "lq", 0, 0, 2), 0.7 / 0.75, 1e-12); /* 0.70 / 0.75 */
    assert_near(fake_out_industry(fc, "lq", 1, 0, 1), 0.8, 1e-12);      /* 0.20 / 0.25 */
    assert_near(fake_out_industry(fc, "lq", 1, 0, 2), 0.8 / 0.75, 1e-12); /* 0.80 / 0.75 */
    assert_near(fake_out_industry(fc, "lq", 2, 0, 1), 1, 1e-15);        /* itself */
    assert_near(fake_out_industry(fc, "lq", 2, 0, 2), 1, 1e-15);
    fake_call_free(fc);
}

static void test_total_input_overrides_total_row(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_industries(fc, 3, with_total);
    /* The listed industries cover part of each economy; the Total row (999) is not used. */
    fake_set_input(fc, "value", (const double[]){ 999, 30, 50, 999, 10, 10 });
    fake_set_input(fc, "total", (const double[]){ 100, 100 });

    assert_int_equal(fake_run(fc), RI_OK);
    /* Benchmark: X 40 of 200 = 0.2, Y 60 of 200 = 0.3. A0: X 0.3, Y 0.5; A1: X 0.1, Y 0.1. */
    assert_near(fake_out_industry(fc, "share_pct", 0, 0, 1), 30, 1e-12);
    assert_near(fake_out_industry(fc, "share_pct", 0, 0, 2), 50, 1e-12);
    assert_near(fake_out_industry(fc, "lq", 0, 0, 1), 1.5, 1e-12);         /* 0.3 / 0.2 */
    assert_near(fake_out_industry(fc, "lq", 0, 0, 2), 0.5 / 0.3, 1e-12);   /* 0.5 / 0.3 */
    assert_near(fake_out_industry(fc, "lq", 1, 0, 1), 0.5, 1e-12);         /* 0.1 / 0.2 */
    assert_near(fake_out_industry(fc, "lq", 1, 0, 2), 0.1 / 0.3, 1e-12);   /* 0.1 / 0.3 */
    assert_nan(fake_out_industry(fc, "lq", 0, 0, 0));
    fake_call_free(fc);
}

static void test_missing_and_zero_cells_are_nan_with_one_warning(void **state)
{
    (void)state;
    /* 4 areas x 2019, 2020, industries X, Y summed into the area total. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 4, 2, 2019);
    fake_set_industries(fc, 2, sections);
    fake_set_param(fc, "total_industry", "");
    fake_set_input(fc, "value", (const double[]){
        /* A0 */ 30, 70, 10, 0,
        /* A1 */ NAN, 50, 20, 0,
        /* A2 */ 0, 0, 30, 0,
        /* A3 */ 60, 40, 40, 0,
    });

    assert_int_equal(fake_run(fc), RI_OK);
    /* 2019: A1 lacks X, so its total is unknown and it is left out of the group
       sum: X 90 of 200 = 0.45, Y 110 of 200 = 0.55. A2's total is zero. */
    assert_near(fake_out_industry(fc, "lq", 0, 0, 0), 0.3 / 0.45, 1e-12);
    assert_near(fake_out_industry(fc, "lq", 3, 0, 1), 0.4 / 0.55, 1e-12);
    assert_nan(fake_out_industry(fc, "lq", 1, 0, 0));
    assert_nan(fake_out_industry(fc, "lq", 1, 0, 1));
    assert_nan(fake_out_industry(fc, "share_pct", 1, 0, 1));
    assert_nan(fake_out_industry(fc, "lq", 2, 0, 0));
    assert_nan(fake_out_industry(fc, "share_pct", 2, 0, 0));
    /* 2020: nobody has any Y, so its benchmark share is zero: the share is 0 %, lq unknown.
       X is everything everywhere: lq 1. */
    assert_near(fake_out_industry(fc, "share_pct", 0, 1, 1), 0, 0);
    assert_nan(fake_out_industry(fc, "lq", 0, 1, 1));
    assert_near(fake_out_industry(fc, "lq", 2, 1, 0), 1, 1e-15);

    /* 2019: 2 missing (A1 X, Y), 2 zero total (A2 X, Y); 2020: 4 zero benchmark shares (Y). */
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "location_quotient: NaN in 8 cells: 2 with a missing value or area total "
                        "and 2 with an area total of zero (both outputs), 4 with a missing or "
                        "zero benchmark share (lq only); 1 area-periods with a missing value "
                        "were left out of the group benchmark");
    fake_call_free(fc);
}

static void test_benchmark_without_an_industry(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_industries(fc, 3, with_total);
    /* Suppressed at the benchmark ([c] in an England sum): its lq is unknown, the share is not. */
    fake_set_input(fc, "value", (const double[]){ 100, 30, 70, 400, NAN, 300 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out_industry(fc, "share_pct", 0, 0, 1), 30, 1e-12);
    assert_nan(fake_out_industry(fc, "lq", 0, 0, 1));
    assert_near(fake_out_industry(fc, "lq", 0, 0, 2), 0.7 / 0.75, 1e-12);
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    fake_call_free(fc);
}

/*
 * Derby (E06000015) against England in 2023, from
 * data/ons-lad-gva-by-industry-2025/lad_gva_by_section_current_prices_gbp_m.csv:
 * Derby: Total 9,226, C (10-33) 2,711 (GBP million, the file's cells).
 * England: the sums of the Total and C (10-33) cells of the 296 English district rows
 * (codes starting with E; no C or Total cell is suppressed), 2,113,330 and 187,629.
 * LQ = (2,711 / 9,226) / (187,629 / 2,113,330) = 3.309660307563, computed in Python.
 */
static void test_derby_manufacturing_2023(void **state)
{
    (void)state;
    static const char *const industries[] = { "Total", "C (10-33)" };
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_industries(fc, 2, industries);
    fake_set_input(fc, "value", (const double[]){ 9226, 2711, 2113330, 187629 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out_industry(fc, "lq", 0, 0, 1), 3.309660307563, 1e-11);
    /* 2,711 / 9,226 * 100 = 29.384348580 % */
    assert_near(fake_out_industry(fc, "share_pct", 0, 0, 1), 29.384348580, 1e-8);
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_two_by_two_with_total_row),
        cmocka_unit_test(test_two_by_two_summed_without_total_row),
        cmocka_unit_test(test_industries_without_values_are_ignored),
        cmocka_unit_test(test_benchmark_area_outside_the_group),
        cmocka_unit_test(test_total_input_overrides_total_row),
        cmocka_unit_test(test_missing_and_zero_cells_are_nan_with_one_warning),
        cmocka_unit_test(test_benchmark_without_an_industry),
        cmocka_unit_test(test_derby_manufacturing_2023),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
