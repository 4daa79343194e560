/* Tests of the inequality plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_host.h"

static void test_descriptor(void **state)
{
    (void)state;
    static const char *const names[] = { "gini", "theil", "williamson", "share_of_total_pct" };
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "inequality");
    assert_string_equal(plugin->version, "1.0.0");
    assert_int_equal(plugin->n_inputs, 2);
    assert_string_equal(plugin->inputs[0].role, "numerator");
    assert_string_equal(plugin->inputs[1].role, "denominator");
    assert_int_equal(plugin->n_outputs, RI_COUNT(names));
    for (size_t i = 0; i < RI_COUNT(names); i++) {
        assert_string_equal(plugin->outputs[i].name, names[i]);
        assert_int_equal(plugin->outputs[i].flags, 0);
    }
    assert_string_equal(plugin->outputs[3].unit, "%");
    assert_string_equal(plugin->params[0].name, "scale");
}

/* Four group areas of one person each with 1, 2, 3 and 4 per head; A4, the
   benchmark, is outside the group and holds their sum. */
static void test_one_two_three_four(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 5, 1, 2023);
    fake_set_param(fc, "scale", "1");
    fake_set_input(fc, "numerator", (const double[]){ 1, 2, 3, 4, 10 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 4 });
    fc->call.benchmark = 4;
    fc->in_group[4] = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    /* Mean absolute difference over ordered pairs: 2 (1 + 2 + 3 + 1 + 2 + 1) / 16 = 1.25;
       Gini = 1.25 / (2 * 2.5) = 0.25. */
    assert_near(fake_out(fc, "gini", 4, 0), 0.25, 1e-12);
    /* Theil T = sum (y / 10) ln(y / 2.5) = 0.1 ln 0.4 + 0.2 ln 0.8 + 0.3 ln 1.2 + 0.4 ln 1.6
       = -0.09162907 - 0.04462871 + 0.05469647 + 0.18800145 = 0.10644014 */
    assert_near(fake_out(fc, "theil", 4, 0), 0.10644014, 1e-8);
    /* sqrt((2.25 + 0.25 + 0.25 + 2.25) / 4) / 2.5 = sqrt(1.25) / 2.5 = 1 / sqrt(5) */
    assert_near(fake_out(fc, "williamson", 4, 0), 0.4472135955, 1e-10);
    assert_near(fake_out(fc, "share_of_total_pct", 0, 0), 10, 1e-12);
    assert_near(fake_out(fc, "share_of_total_pct", 3, 0), 40, 1e-12);
    assert_near(fake_out(fc, "share_of_total_pct", 4, 0), 100, 1e-12);
    /* Indices only on the benchmark's row. */
    assert_nan(fake_out(fc, "gini", 0, 0));
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

static void test_equal_values_are_perfect_equality(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2023);
    fake_set_param(fc, "scale", "1");
    /* 5 per head everywhere, in areas of different sizes. */
    fake_set_input(fc, "numerator", (const double[]){ 5, 50, 500 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 10, 100 });
    fc->call.benchmark = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gini", 0, 0), 0, 1e-12);
    assert_near(fake_out(fc, "theil", 0, 0), 0, 1e-12);
    assert_near(fake_out(fc, "williamson", 0, 0), 0, 1e-12);
    fake_call_free(fc);
}

/*
 * Areas of 2 people at 1 per head and 1 person at 2 per head are the people
 * {1, 1, 2}: mean 4/3; Gini = sum |x_i - x_j| / (2 n^2 mean) = 4 / (2 * 9 * 4/3) = 1/6.
 * Theil T: numerator shares 2/4 and 2/4, 0.5 ln(1 / (4/3)) + 0.5 ln(2 / (4/3)) = 0.5 ln 1.125.
 * Williamson: variance 2/3 (1/3)^2 + 1/3 (2/3)^2 = 2/9, sqrt(2) / 3 / (4/3) = sqrt(2) / 4.
 */
static void test_people_are_the_weights(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_param(fc, "scale", "1");
    fake_set_input(fc, "numerator", (const double[]){ 2, 2 });
    fake_set_input(fc, "denominator", (const double[]){ 2, 1 });
    fc->call.benchmark = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gini", 0, 0), 1.0 / 6.0, 1e-12);
    assert_near(fake_out(fc, "theil", 0, 0), 0.0588915178, 1e-10); /* 0.5 ln 1.125 */
    assert_near(fake_out(fc, "williamson", 0, 0), 0.3535533906, 1e-10);
    assert_near(fake_out(fc, "share_of_total_pct", 1, 0), 50, 1e-12);
    fake_call_free(fc);
}

static void test_no_benchmark_is_an_error(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2023);
    fake_set_input(fc, "numerator", (const double[]){ 1, 2 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1 });

    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_string_equal(fc->ctx.error, "inequality: no benchmark area; set benchmark = \"CODE\" "
                                       "in the indicator: the indices are written on its row");
    assert_nan(fake_out(fc, "share_of_total_pct", 0, 0));
    fake_call_free(fc);
}

static void test_unusable_cells_are_left_out_with_one_warning(void **state)
{
    (void)state;
    /* 4 areas x 2022, 2023, one person each (scale 1). */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 4, 2, 2022);
    fake_set_param(fc, "scale", "1");
    fake_set_input(fc, "numerator", (const double[]){ 0, 1, 4, NAN, 4, 2, -1, 3 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 1, 0, 1, 1 });
    fc->call.benchmark = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    /* 2022: A3 (negative numerator) is left out; 0, 4, 4 per head remain, total 8.
       Gini: ordered pairs differ by 4 four times: 16 / (2 * 9 * 8/3) = 1/3.
       Theil: the area with nothing adds nothing; 2 * 0.5 ln(4 / (8/3)) = ln 1.5. */
    assert_near(fake_out(fc, "gini", 0, 0), 1.0 / 3.0, 1e-12);
    assert_near(fake_out(fc, "theil", 0, 0), 0.4054651081, 1e-10);
    assert_near(fake_out(fc, "share_of_total_pct", 1, 0), 50, 1e-12);
    assert_nan(fake_out(fc, "share_of_total_pct", 3, 0));
    /* 2023: only A0 (1) and A3 (3) are left: Gini = 2 * 2 / (2 * 4 * 2) = 0.25. */
    assert_near(fake_out(fc, "gini", 0, 1), 0.25, 1e-12);
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "inequality: 3 area-periods left out: 1 with a missing input, 2 with a "
                        "zero or negative denominator or a negative numerator; 0 periods without "
                        "indices (fewer than 2 group areas or a group total of zero)");

    /* With A0 alone in the group there is no spread to measure; in 2022 its 0 is
       a group total of zero, of which no area has a share. */
    fc->in_group[1] = fc->in_group[2] = fc->in_group[3] = 0;
    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "gini", 0, 0));
    assert_nan(fake_out(fc, "gini", 0, 1));
    assert_nan(fake_out(fc, "share_of_total_pct", 0, 0));
    assert_near(fake_out(fc, "share_of_total_pct", 0, 1), 100, 1e-12);
    assert_near(fake_out(fc, "share_of_total_pct", 3, 1), 300, 1e-12); /* 3 / 1, outside */
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0), "2 periods without indices"));
    fake_call_free(fc);
}

/*
 * The 12 ITL1 regions in 2023 from data/ons-itl-gva-2025 (GVA, GBP million,
 * Table 1; resident population, Table 17), benchmark UK less Extra-Regio
 * (UKX) outside the group. Computed in Python with the weighted
 * mean-difference formula sum_ij P_i P_j |y_i - y_j| / (2 P^2 ybar):
 * Gini 0.14633343065; Theil T 0.04585416860; Williamson 0.32686692414.
 * London (TLI): 577,141 / 2,434,407 (the sum of the 12 regions) = 23.707662687 %.
 */
static void test_itl1_regions_2023(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 13, 1, 2023);
    fake_set_input(fc, "numerator", (const double[]){
        68891, 243386, 163826, 139722, 174608, 205310, 577141, 354501, 185952, 81458,
        183471, 56141, 2434407 });
    fake_set_input(fc, "denominator", (const double[]){
        2711380, 7600126, 5594126, 4991265, 6085687, 6468665, 8945309, 9482507, 5811259,
        3164404, 5490100, 1920384, 68265212 });
    fc->call.benchmark = 12;
    fc->in_group[12] = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gini", 12, 0), 0.14633343065, 1e-10);
    assert_near(fake_out(fc, "theil", 12, 0), 0.04585416860, 1e-10);
    assert_near(fake_out(fc, "williamson", 12, 0), 0.32686692414, 1e-10);
    assert_near(fake_out(fc, "share_of_total_pct", 6, 0), 23.707662687, 1e-8);
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_one_two_three_four),
        cmocka_unit_test(test_equal_values_are_perfect_equality),
        cmocka_unit_test(test_people_are_the_weights),
        cmocka_unit_test(test_no_benchmark_is_an_error),
        cmocka_unit_test(test_unusable_cells_are_left_out_with_one_warning),
        cmocka_unit_test(test_itl1_regions_2023),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
