/* Tests of the specialisation plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_host.h"

static const char *const sections[] = { "Total", "X", "Y", "Z" };

/*
 * Three compared areas and their sum, the benchmark A3 (outside the group),
 * one period, [Total, X, Y, Z]; the Total cells are deliberately wrong (999)
 * to show that the Total row is never a section:
 *   A0 50 30 20 (100), A1 10 60 30 (100), A2 20 20 160 (200), A3 80 110 210 (400)
 * Benchmark shares: X 0.2, Y 0.275, Z 0.525.
 */
static const double three_areas[] = {
    999, 50, 30, 20,
    999, 10, 60, 30,
    999, 20, 20, 160,
    999, 80, 110, 210,
};

static fake_call *three_area_call(const double *values)
{
    fake_call *fc = fake_call_new(ri_plugin_entry(), 4, 1, 2023);
    fake_set_industries(fc, 4, sections);
    fake_set_input(fc, "value", values);
    fc->call.benchmark = 3;
    fc->in_group[3] = 0;
    return fc;
}

static void test_descriptor(void **state)
{
    (void)state;
    static const char *const names[] = { "krugman", "hhi", "hhi_normalised", "entropy", "hoover" };
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "specialisation");
    assert_int_equal(plugin->n_inputs, 1);
    assert_int_equal(plugin->inputs[0].flags, RI_BY_INDUSTRY);
    assert_int_equal(plugin->n_outputs, RI_COUNT(names));
    for (size_t i = 0; i < RI_COUNT(names); i++)
        assert_string_equal(plugin->outputs[i].name, names[i]);
    assert_int_equal(plugin->outputs[4].flags, RI_BY_INDUSTRY | RI_BENCHMARK_ROW);
    /* Each formula names its source where regind describe shows it. */
    assert_non_null(strstr(plugin->outputs[0].help, "Krugman (1991)"));
    assert_non_null(strstr(plugin->outputs[3].help, "Shannon (1948)"));
    assert_non_null(strstr(plugin->outputs[4].help, "Hoover (1936)"));
}

static void test_three_areas_by_hand(void **state)
{
    (void)state;
    fake_call *fc = three_area_call(three_areas);
    assert_int_equal(fake_run(fc), RI_OK);
    /* A0 shares 0.5, 0.3, 0.2: K = 0.3 + 0.025 + 0.325 = 0.65; HHI = 0.25 + 0.09 + 0.04 = 0.38;
       normalised (0.38 - 1/3) / (2/3) = 0.07; entropy -(0.5 ln 0.5 + 0.3 ln 0.3 + 0.2 ln 0.2)
       = 0.346574 + 0.361192 + 0.321888 = 1.029653014. */
    assert_near(fake_out(fc, "krugman", 0, 0), 0.65, 1e-12);
    assert_near(fake_out(fc, "hhi", 0, 0), 0.38, 1e-12);
    assert_near(fake_out(fc, "hhi_normalised", 0, 0), 0.07, 1e-12);
    assert_near(fake_out(fc, "entropy", 0, 0), 1.0296530140645737, 1e-12);
    /* A2 shares 0.1, 0.1, 0.8: K = 0.1 + 0.175 + 0.275 = 0.55; HHI 0.01 + 0.01 + 0.64 = 0.66;
       normalised (0.66 - 1/3) / (2/3) = 0.49; entropy -(2 x 0.1 ln 0.1 + 0.8 ln 0.8) = 0.639032. */
    assert_near(fake_out(fc, "krugman", 2, 0), 0.55, 1e-12);
    assert_near(fake_out(fc, "hhi", 2, 0), 0.66, 1e-12);
    assert_near(fake_out(fc, "hhi_normalised", 2, 0), 0.49, 1e-12);
    assert_near(fake_out(fc, "entropy", 2, 0), 0.639031859650177, 1e-12);
    /* The benchmark against itself. */
    assert_near(fake_out(fc, "krugman", 3, 0), 0, 1e-12);
    /* Hoover, areas' shares of all sections 0.25, 0.25, 0.5:
       X (80): 1/2 (|0.625 - 0.25| + |0.125 - 0.25| + |0.25 - 0.5|) = 0.375;
       Y (110): 1/2 (|30/110 - 0.25| + |60/110 - 0.25| + |20/110 - 0.5|) = 35/110 = 7/22;
       Z (210): 1/2 (|20/210 - 0.25| + |30/210 - 0.25| + |160/210 - 0.5|) = 55/210 = 11/42. */
    assert_near(fake_out_industry(fc, "hoover", 3, 0, 1), 0.375, 1e-12);
    assert_near(fake_out_industry(fc, "hoover", 3, 0, 2), 7.0 / 22.0, 1e-12);
    assert_near(fake_out_industry(fc, "hoover", 3, 0, 3), 11.0 / 42.0, 1e-12);
    assert_nan(fake_out_industry(fc, "hoover", 3, 0, 0));
    assert_nan(fake_out_industry(fc, "hoover", 0, 0, 1));
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

static void test_equal_and_single_section_extremes(void **state)
{
    (void)state;
    /* A0 equal shares: HHI 1/3, normalised 0, entropy ln 3. A1 all in Y against a benchmark
       all in X: K = 1 + 1 = 2, HHI 1, normalised 1, entropy 0. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2023);
    fake_set_industries(fc, 4, sections);
    fake_set_input(fc, "value", (const double[]){ 3, 1, 1, 1, 5, 0, 5, 0, 7, 7, 0, 0 });
    fc->call.benchmark = 2;
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "hhi", 0, 0), 1.0 / 3.0, 1e-12);
    assert_near(fake_out(fc, "hhi_normalised", 0, 0), 0, 1e-12);
    assert_near(fake_out(fc, "entropy", 0, 0), log(3), 1e-12);
    assert_near(fake_out(fc, "krugman", 1, 0), 2, 1e-12);
    assert_near(fake_out(fc, "hhi", 1, 0), 1, 1e-12);
    assert_near(fake_out(fc, "hhi_normalised", 1, 0), 1, 1e-12);
    assert_near(fake_out(fc, "entropy", 1, 0), 0, 1e-12);
    fake_call_free(fc);
}

static void test_missing_and_negative_sections(void **state)
{
    (void)state;
    /* The benchmark lacks Z: krugman of A0 over X and Y, shares 50/80 and 30/80 against
       80/190 and 110/190: |0.625 - 0.421053| + |0.375 - 0.578947| = 31/76. A1 lacks Y: no
       hhi or entropy; its krugman over X alone is NaN (two shared sections needed). A2 has a
       negative Z: no hhi, but Z is not shared with the benchmark, so krugman over X and Y is
       |0.5 - 80/190| + |0.5 - 110/190| = 3/19. Hoover: only A0 of the compared areas has
       every section, too few. */
    fake_call *fc = three_area_call((const double[]){
        999, 50, 30, 20,
        999, 10, NAN, 30,
        999, 20, 20, -1,
        999, 80, 110, NAN,
    });
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "krugman", 0, 0), 31.0 / 76.0, 1e-12);
    assert_near(fake_out(fc, "hhi", 0, 0), 0.38, 1e-12);
    assert_nan(fake_out(fc, "krugman", 1, 0));
    assert_nan(fake_out(fc, "hhi", 1, 0));
    assert_nan(fake_out(fc, "entropy", 1, 0));
    assert_near(fake_out(fc, "krugman", 2, 0), 3.0 / 19.0, 1e-12);
    assert_nan(fake_out(fc, "hhi", 2, 0));
    assert_nan(fake_out_industry(fc, "hoover", 3, 0, 1));
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    /* Partial krugman: A0, A2 and the benchmark itself; NaN for a missing section: A1
       krugman, A1 hhi, A3 hhi; negative: A2 hhi; A1 and A2 left out of hoover, so one period without it. */
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "specialisation: 3 area-periods have krugman over fewer sections than "
                        "the input has (a section missing for the area or the benchmark); 3 "
                        "area-period measures are NaN for a missing section or a total of zero "
                        "(hhi and entropy need every section, krugman two shared ones) and 1 for "
                        "a negative value, which has no share; 2 compared area-periods left out of "
                        "hoover for a missing or negative section; 1 periods without hoover (fewer "
                        "than 3 compared areas with every section)");
    fake_call_free(fc);
}

static void test_needs_a_benchmark(void **state)
{
    (void)state;
    fake_call *fc = three_area_call(three_areas);
    fc->call.benchmark = RI_NO_AREA;
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_non_null(strstr(fc->ctx.error, "specialisation: no benchmark area"));
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_three_areas_by_hand),
        cmocka_unit_test(test_equal_and_single_section_extremes),
        cmocka_unit_test(test_missing_and_negative_sections),
        cmocka_unit_test(test_needs_a_benchmark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
