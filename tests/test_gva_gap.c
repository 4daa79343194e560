/* Tests of the gva_gap plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_host.h"

static const char *const all_outputs[] = {
    "gva_per_head", "index", "gap_pct", "gap_per_head_gbp", "gap_total_gbp_m", "target_gbp_m"
};

static void assert_cell_all_nan(const fake_call *fc, size_t area, size_t period)
{
    for (size_t i = 0; i < RI_COUNT(all_outputs); i++)
        assert_nan(fake_out(fc, all_outputs[i], area, period));
}

static void test_descriptor(void **state)
{
    (void)state;
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "gva_gap");
    assert_string_equal(plugin->version, "1.1.0");
    assert_int_equal(plugin->n_inputs, 2);
    assert_string_equal(plugin->inputs[0].role, "gva");
    assert_string_equal(plugin->inputs[1].role, "denominator");
    assert_int_equal(plugin->n_outputs, RI_COUNT(all_outputs));
    for (size_t i = 0; i < plugin->n_outputs; i++) {
        assert_string_equal(plugin->outputs[i].name, all_outputs[i]);
        assert_int_equal(plugin->outputs[i].flags, 0);
    }
    for (size_t i = 0; i < plugin->n_inputs; i++)
        assert_int_equal(plugin->inputs[i].flags, 0);
    assert_string_equal(plugin->outputs[1].unit, "index (benchmark = 100)");
    assert_string_equal(plugin->outputs[2].unit, "percentage points");
    assert_string_equal(plugin->outputs[4].unit, "GBP million");
}

/*
 * ONS "Regional economic activity by GDP, enterprise regions" (May 2021), 2019,
 * tables T1 (GVA, GBP million, current basic prices) and T6 (resident population):
 *   Black Country LEP (E37000001): GVA 22,282; population 1,198,881.
 *   England as the sum of its 309 unique districts (LA rows of the same tables):
 *   GVA 1,702,090; population 56,286,961.
 */
static void test_black_country_against_england_2019(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2019);
    fake_set_input(fc, "gva", (const double[]){ 22282, 1702090 });
    fake_set_input(fc, "denominator", (const double[]){ 1198881, 56286961 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 0);

    /* 22,282e6 / 1,198,881 = 18,585.6645; the published figure is "about 18,586". */
    assert_near(fake_out(fc, "gva_per_head", 0, 0), 18585.664465, 1e-6);
    /* 1,702,090e6 / 56,286,961 = 30,239.5079 */
    assert_near(fake_out(fc, "gva_per_head", 1, 0), 30239.507868, 1e-6);
    /* 18,585.6645 / 30,239.5079 * 100 = 61.4615 */
    assert_near(fake_out(fc, "index", 0, 0), 61.461531, 1e-6);
    /* 100 - 61.4615: positive, the Black Country is behind England. */
    assert_near(fake_out(fc, "gap_pct", 0, 0), 38.538469, 1e-6);
    /* 30,239.5079 - 18,585.6645 = 11,653.8434 */
    assert_near(fake_out(fc, "gap_per_head_gbp", 0, 0), 11653.843402, 1e-6);
    /* 11,653.8434 * 1,198,881 / 1e6 = 13,971.5714, i.e. 30,239.5079 * 1.198881 - 22,282 */
    assert_near(fake_out(fc, "gap_total_gbp_m", 0, 0), 13971.571432, 1e-6);
    /* target_share defaults to 1: the whole gap. */
    assert_near(fake_out(fc, "target_gbp_m", 0, 0), 13971.571432, 1e-6);

    /* The benchmark against itself. */
    assert_near(fake_out(fc, "index", 1, 0), 100, 0);
    assert_near(fake_out(fc, "gap_pct", 1, 0), 0, 0);
    assert_near(fake_out(fc, "gap_per_head_gbp", 1, 0), 0, 0);
    assert_near(fake_out(fc, "gap_total_gbp_m", 1, 0), 0, 0);

    assert_string_equal(fake_unit(fc, "gva_per_head"), "GBP per head");
    assert_string_equal(fake_unit(fc, "gap_per_head_gbp"), "GBP per head");
    assert_string_equal(fake_unit(fc, "index"), "index (benchmark = 100)");
    fake_call_free(fc);
}

static void test_nonpositive_and_missing_are_nan_with_one_warning(void **state)
{
    (void)state;
    /* Areas x years 2019, 2020; gva in pounds so that gva / denominator is GBP per head. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 2, 2019);
    fake_set_param(fc, "gva_scale", "1");
    fake_set_input(fc, "gva", (const double[]){ 200, 300, 100, 100, NAN, 150 });
    fake_set_input(fc, "denominator", (const double[]){ 10, 10, 0, -5, 10, 10 });
    fc->call.benchmark = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_cell_all_nan(fc, 1, 0); /* denominator 0 */
    assert_cell_all_nan(fc, 1, 1); /* denominator -5 */
    assert_cell_all_nan(fc, 2, 0); /* gva missing */
    /* 150 / 10 = 15 against 300 / 10 = 30: index 50, gap 15 per head, 15 * 10 / 1e6 GBP m. */
    assert_near(fake_out(fc, "gva_per_head", 2, 1), 15, 1e-12);
    assert_near(fake_out(fc, "index", 2, 1), 50, 1e-12);
    assert_near(fake_out(fc, "gap_per_head_gbp", 2, 1), 15, 1e-12);
    assert_near(fake_out(fc, "gap_total_gbp_m", 2, 1), 0.00015, 1e-15);

    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "gva_gap: outputs are NaN in 3 cells: 2 with a zero or negative "
                        "denominator, 1 with a missing gva or denominator");
    fake_call_free(fc);
}

static void test_benchmark_without_value_leaves_index_nan(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 3, 2019);
    fake_set_param(fc, "gva_scale", "1");
    /* The benchmark (area 1) has no population in 2020 and no GVA in 2021. */
    fake_set_input(fc, "gva", (const double[]){ 100, 100, 100, 400, 400, 0 });
    fake_set_input(fc, "denominator", (const double[]){ 10, 10, 10, 10, 0, 10 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    /* 2019: 100 / 10 = 10 against 400 / 10 = 40 -> index 25. */
    assert_near(fake_out(fc, "index", 0, 0), 25, 1e-12);
    /* 2020: the area still has a level, but nothing to compare it with. */
    assert_near(fake_out(fc, "gva_per_head", 0, 1), 10, 1e-12);
    assert_nan(fake_out(fc, "index", 0, 1));
    assert_nan(fake_out(fc, "gap_pct", 0, 1));
    assert_nan(fake_out(fc, "gap_per_head_gbp", 0, 1));
    assert_nan(fake_out(fc, "gap_total_gbp_m", 0, 1));
    assert_nan(fake_out(fc, "target_gbp_m", 0, 1));
    /* 2021: a benchmark of 0 per head gives no ratio (and no infinity). */
    assert_near(fake_out(fc, "gva_per_head", 1, 2), 0, 0);
    assert_nan(fake_out(fc, "index", 0, 2));
    assert_nan(fake_out(fc, "index", 1, 2));
    assert_nan(fake_out(fc, "gap_total_gbp_m", 0, 2));
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    fake_call_free(fc);
}

static void test_no_benchmark_area_is_an_error(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2019);
    fake_set_input(fc, "gva", (const double[]){ 1, 2 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1 });

    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_string_equal(fc->ctx.error,
                        "gva_gap: no benchmark area; set benchmark = \"CODE\" in the indicator "
                        "or benchmark_method = \"group_mean\"");
    assert_cell_all_nan(fc, 0, 0);
    fake_call_free(fc);
}

static void test_group_mean_is_unweighted_over_the_group(void **state)
{
    (void)state;
    /* 4 areas x 2019, 2020; denominator 1 and gva in pounds, so values are GBP per head. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 4, 2, 2019);
    fake_set_param(fc, "benchmark_method", "group_mean");
    fake_set_param(fc, "gva_scale", "1");
    fake_set_input(fc, "gva", (const double[]){ 10000, NAN, 30000, NAN, NAN, NAN, 50000, 40000 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 1, 1, 1, 1 });
    /* Area 3 is outside the group; the benchmark area is ignored by group_mean. */
    fc->in_group[3] = 0;
    fc->call.benchmark = 3;

    assert_int_equal(fake_run(fc), RI_OK);
    /* 2019: mean of 10,000 and 30,000 (area 2 missing, area 3 outside) = 20,000. */
    assert_near(fake_out(fc, "index", 0, 0), 50, 1e-12);  /* 10,000 / 20,000 */
    assert_near(fake_out(fc, "index", 1, 0), 150, 1e-12); /* 30,000 / 20,000 */
    assert_nan(fake_out(fc, "index", 2, 0));
    assert_near(fake_out(fc, "index", 3, 0), 250, 1e-12); /* 50,000 / 20,000 */
    assert_near(fake_out(fc, "gap_per_head_gbp", 0, 0), 10000, 1e-9);
    assert_near(fake_out(fc, "gap_per_head_gbp", 3, 0), -30000, 1e-9);
    /* 2020: no member of the group has a value, so there is no benchmark. */
    assert_near(fake_out(fc, "gva_per_head", 3, 1), 40000, 1e-9);
    assert_nan(fake_out(fc, "index", 3, 1));
    /* Missing gva: area 2 in 2019, areas 0-2 in 2020. */
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "gva_gap: outputs are NaN in 4 cells: 0 with a zero or negative "
                        "denominator, 4 with a missing gva or denominator");
    fake_call_free(fc);
}

static void test_target_share_scales_the_gap(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2019);
    fake_set_param(fc, "target_share", "0.5");
    /* GBP m over 10,000 people: 5,000, 10,000 (benchmark) and 15,000 per head. */
    fake_set_input(fc, "gva", (const double[]){ 50, 100, 150 });
    fake_set_input(fc, "denominator", (const double[]){ 10000, 10000, 10000 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    /* (10,000 - 5,000) * 10,000 / 1e6 = 50 GBP m; halved: 25. */
    assert_near(fake_out(fc, "gap_total_gbp_m", 0, 0), 50, 1e-9);
    assert_near(fake_out(fc, "target_gbp_m", 0, 0), 25, 1e-9);
    /* Ahead of the benchmark every gap is negative, (10,000 - 15,000) * 10,000 / 1e6 and
       100 - 150, and there is no target: nothing to close, never a negative sum. */
    assert_near(fake_out(fc, "gap_total_gbp_m", 2, 0), -50, 1e-9);
    assert_near(fake_out(fc, "gap_pct", 2, 0), -50, 1e-12);
    assert_nan(fake_out(fc, "target_gbp_m", 2, 0));
    assert_near(fake_out(fc, "target_gbp_m", 1, 0), 0, 0);
    fake_call_free(fc);
}

static void test_per_hour_sets_units_and_scales_weekly_hours(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2019);
    fake_set_param(fc, "denominator_kind", "hour");
    fake_set_param(fc, "denominator_scale", "52");
    /* Annual GVA in GBP m over weekly hours worked. */
    fake_set_input(fc, "gva", (const double[]){ 52, 104 });
    fake_set_input(fc, "denominator", (const double[]){ 20000, 25000 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    /* 52e6 / (20,000 * 52) = 50 per hour; 104e6 / (25,000 * 52) = 80 per hour. */
    assert_near(fake_out(fc, "gva_per_head", 0, 0), 50, 1e-9);
    assert_near(fake_out(fc, "gva_per_head", 1, 0), 80, 1e-9);
    assert_near(fake_out(fc, "index", 0, 0), 62.5, 1e-9); /* 50 / 80 * 100 */
    /* 30 per hour over 20,000 * 52 hours a year = 31.2 GBP m. */
    assert_near(fake_out(fc, "gap_total_gbp_m", 0, 0), 31.2, 1e-9);
    assert_string_equal(fake_unit(fc, "gva_per_head"), "GBP per hour");
    assert_string_equal(fake_unit(fc, "gap_per_head_gbp"), "GBP per hour");
    assert_string_equal(fake_unit(fc, "gap_total_gbp_m"), "GBP million");
    assert_string_equal(fake_unit(fc, "index"), "index (benchmark = 100)");

    fake_set_param(fc, "denominator_kind", "job");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "gva_per_head"), "GBP per job");
    assert_string_equal(fake_unit(fc, "gap_per_head_gbp"), "GBP per job");
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_black_country_against_england_2019),
        cmocka_unit_test(test_nonpositive_and_missing_are_nan_with_one_warning),
        cmocka_unit_test(test_benchmark_without_value_leaves_index_nan),
        cmocka_unit_test(test_no_benchmark_area_is_an_error),
        cmocka_unit_test(test_group_mean_is_unweighted_over_the_group),
        cmocka_unit_test(test_target_share_scales_the_gap),
        cmocka_unit_test(test_per_hour_sets_units_and_scales_weekly_hours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
