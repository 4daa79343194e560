/* Tests of the inequality plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fake_host.h"

static void test_descriptor(void **state)
{
    (void)state;
    static const char *const names[] = {
        "gini", "theil", "williamson", "share_of_total_pct", "theil_l", "atkinson", "p90_p10",
        "theil_between", "theil_within", "theil_l_between", "theil_l_within",
        "gini_lo", "gini_hi", "theil_lo", "theil_hi", "theil_l_lo", "theil_l_hi" };
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "inequality");
    assert_string_equal(plugin->version, "1.1.0");
    assert_int_equal(plugin->n_inputs, 2);
    assert_string_equal(plugin->inputs[0].role, "numerator");
    assert_string_equal(plugin->inputs[1].role, "denominator");
    assert_int_equal(plugin->n_outputs, RI_COUNT(names));
    for (size_t i = 0; i < RI_COUNT(names); i++) {
        assert_string_equal(plugin->outputs[i].name, names[i]);
        /* Every index is a statistic of the group, on the benchmark's row only; the share is
           each area's own. */
        assert_int_equal(plugin->outputs[i].flags, i == 3 ? 0 : RI_BENCHMARK_ROW);
    }
    assert_string_equal(plugin->outputs[3].unit, "%");
    assert_non_null(strstr(plugin->outputs[4].help, "Theil (1967)"));
    assert_non_null(strstr(plugin->outputs[5].help, "Atkinson (1970)"));
    assert_non_null(strstr(plugin->outputs[7].help, "Shorrocks 1980"));
    assert_non_null(strstr(plugin->outputs[11].help, "Efron and Tibshirani 1993"));
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
                        "indices (fewer than 2 group areas or a group total of zero); 1 periods "
                        "with a per-capita value of zero, which has no logarithm: no theil_l or "
                        "atkinson; 1 periods without bootstrap intervals (fewer than 3 group "
                        "areas)");
    /* 2022 has A0 at 0 per head: no Theil L, no Atkinson with epsilon 1 (1 - 0 / mean). */
    assert_nan(fake_out(fc, "theil_l", 0, 0));
    assert_nan(fake_out(fc, "atkinson", 0, 0));

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


/*
 * The four areas of one person each with 1, 2, 3 and 4 per head (mean 2.5):
 *   Theil L = 1/4 sum ln(2.5 / y) = 1/4 ln(2.5^4 / 24) = 0.121777274
 *   Atkinson e = 1: 1 - 24^(1/4) / 2.5 = 1 - 2.213364 / 2.5 = 0.114654464
 *   e = 2: 1 - harmonic mean / mean = 1 - (4 / (1 + 1/2 + 1/3 + 1/4)) / 2.5 = 1 - 1.92 / 2.5 = 0.232
 *   e = 0.5: 1 - ((1 + sqrt 2 + sqrt 3 + 2) / 4)^2 / 2.5 = 1 - 2.360985 / 2.5 = 0.055585857
 *   p90/p10 of people (each a quarter): the 10 % person has 1, the 90 % one 4: 4.
 *   Unweighted, GSL's interpolated quantiles: 1.3 and 3.7, 3.7 / 1.3 = 2.846153846.
 * The same values per head with populations 1, 2, 1, 2 and weighting = "none" give the
 * one-person indices of test_one_two_three_four.
 */
static void test_theil_l_atkinson_and_percentiles(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 5, 1, 2023);
    fake_set_param(fc, "scale", "1");
    fake_set_input(fc, "numerator", (const double[]){ 1, 2, 3, 4, 10 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 4 });
    fc->call.benchmark = 4;
    fc->in_group[4] = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "theil_l", 4, 0), 0.12177727428716867, 1e-12);
    assert_near(fake_out(fc, "atkinson", 4, 0), 0.11465446423974279, 1e-12);
    assert_near(fake_out(fc, "p90_p10", 4, 0), 4, 1e-12);
    fake_set_param(fc, "epsilon", "2");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "atkinson", 4, 0), 0.232, 1e-12);
    fake_set_param(fc, "epsilon", "0.5");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "atkinson", 4, 0), 0.05558585736954513, 1e-12);
    fake_set_param(fc, "weighting", "none");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "p90_p10", 4, 0), 3.7 / 1.3, 1e-12);
    fake_call_free(fc);

    fc = fake_call_new(ri_plugin_entry(), 5, 1, 2023);
    fake_set_param(fc, "scale", "1");
    fake_set_param(fc, "weighting", "none");
    fake_set_input(fc, "numerator", (const double[]){ 1, 4, 3, 8, 16 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 2, 1, 2, 6 });
    fc->call.benchmark = 4;
    fc->in_group[4] = 0;
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gini", 4, 0), 0.25, 1e-12);
    assert_near(fake_out(fc, "theil", 4, 0), 0.10644014, 1e-8);
    assert_near(fake_out(fc, "williamson", 4, 0), 0.4472135955, 1e-10);
    assert_near(fake_out(fc, "theil_l", 4, 0), 0.12177727428716867, 1e-12);
    fake_call_free(fc);
}

/*
 * Five ITL3-like areas in two ITL1-like parents (TLC, TLD; the benchmark UKX is neither):
 *   TLC1 1 per head x 1 person, TLC2 3 x 2; TLD1 2 x 2, TLD2 2 x 1, TLD3 4 x 3.
 * W = 9, sum w y = 25, ybar = 25/9. Computed by hand and checked in Python:
 *   Theil T = sum (w y / 25) ln(y / ybar) = 0.073792318420; Theil L = 0.084368002824.
 *   TLC: W 3, ybar 7/3, T_g = 1/7 ln(3/7) + 6/7 ln(9/7) = 0.094369815614,
 *        L_g = 1/3 ln(7/3) + 2/3 ln(7/9) = 0.114889667942.
 *   TLD: W 6, ybar 3, T_g = 0.056633012265, L_g = 0.058891517828.
 *   T between = 7/25 ln(0.84) + 18/25 ln(1.08) = 0.006593001217; within 7/25 T_C + 18/25 T_D
 *   = 0.067199317203. L between = 1/3 ln(25/21) + 2/3 ln(25/27) = 0.006810434958; within
 *   1/3 L_C + 2/3 L_D = 0.077557567866. Between + within equals the total to 1e-12.
 */
static void test_decomposition_by_parent(void **state)
{
    (void)state;
    static const char *const codes[] = { "TLC1", "TLC2", "TLD1", "TLD2", "TLD3", "TLC", "TLD",
                                         "UKX" };
    fake_call *fc = fake_call_new(ri_plugin_entry(), 8, 1, 2023);
    for (size_t a = 0; a < 8; a++) {
        fc->area_codes[a] = codes[a];
        fc->area_types[a] = a < 5 ? "ITL3" : a < 7 ? "ITL1" : "Country";
        fc->in_group[a] = a < 5;
    }
    fake_set_param(fc, "scale", "1");
    fake_set_param(fc, "parent_type", "ITL1");
    fake_set_input(fc, "numerator", (const double[]){ 1, 6, 4, 2, 12, 7, 18, 25 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 2, 2, 1, 3, 3, 6, 9 });
    fc->call.benchmark = 7;

    assert_int_equal(fake_run(fc), RI_OK);
    double t = fake_out(fc, "theil", 7, 0), l = fake_out(fc, "theil_l", 7, 0);
    double tb = fake_out(fc, "theil_between", 7, 0), tw = fake_out(fc, "theil_within", 7, 0);
    double lb = fake_out(fc, "theil_l_between", 7, 0), lw = fake_out(fc, "theil_l_within", 7, 0);
    assert_near(t, 0.07379231842029932, 1e-12);
    assert_near(l, 0.08436800282356717, 1e-12);
    assert_near(tb, 0.006593001217474692, 1e-12);
    assert_near(tw, 0.06719931720282464, 1e-12);
    assert_near(lb, 0.006810434957507029, 1e-12);
    assert_near(lw, 0.0775575678660602, 1e-12);
    assert_near(tb + tw, t, 1e-12);
    assert_near(lb + lw, l, 1e-12);
    assert_int_equal(fc->ctx.n_log, 0);

    /* TLD3 renamed TLE3 has no ITL1 parent: no partition, no decomposition, one warning. */
    fc->area_codes[4] = "TLE3";
    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "theil_between", 7, 0));
    assert_nan(fake_out(fc, "theil_l_within", 7, 0));
    assert_near(fake_out(fc, "theil", 7, 0), t, 1e-12);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "inequality: parent_type = \"ITL1\" does not partition the compared "
                        "areas: 1 of them (first TLE3) are not within exactly one area of that "
                        "type by code; no decomposition");
    fake_call_free(fc);
}

static fake_call *spread_call(void)
{
    /* Ten areas with 1 .. 10 per head and populations 1 .. 10 (scale 1); A10 is the benchmark. */
    double num[11], den[11];
    for (size_t a = 0; a < 10; a++) {
        den[a] = (double)(a + 1);
        num[a] = den[a] * (double)(a + 1);
    }
    num[10] = den[10] = 1;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 11, 1, 2023);
    fake_set_param(fc, "scale", "1");
    fake_set_input(fc, "numerator", num);
    fake_set_input(fc, "denominator", den);
    fc->call.benchmark = 10;
    fc->in_group[10] = 0;
    return fc;
}

static void test_bootstrap_intervals(void **state)
{
    (void)state;
    fake_call *fc = spread_call();
    assert_int_equal(fake_run(fc), RI_OK);
    static const char *const stats[] = { "gini", "theil", "theil_l" };
    double lo[3], hi[3];
    for (size_t m = 0; m < 3; m++) {
        char name[32];
        double estimate = fake_out(fc, stats[m], 10, 0);
        snprintf(name, sizeof name, "%s_lo", stats[m]);
        lo[m] = fake_out(fc, name, 10, 0);
        assert_string_equal(fake_unit(fc, name), "index (95 % bootstrap interval)");
        snprintf(name, sizeof name, "%s_hi", stats[m]);
        hi[m] = fake_out(fc, name, 10, 0);
        /* A resample of areas with spread values: the interval has width and holds the
           estimate (it is not centred on it: a percentile interval). */
        assert_true(lo[m] > 0 && lo[m] < estimate && estimate < hi[m] && hi[m] < 1);
    }
    /* The same seed gives the same interval; another seed, another one. */
    assert_int_equal(fake_run(fc), RI_OK);
    assert_true(fake_out(fc, "gini_lo", 10, 0) == lo[0] && fake_out(fc, "theil_l_hi", 10, 0) == hi[2]);
    fake_set_param(fc, "seed", "7");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_true(fake_out(fc, "gini_lo", 10, 0) != lo[0]);
    /* A narrower level gives a narrower interval, and says so in the unit. */
    fake_set_param(fc, "level", "0.5");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_true(fake_out(fc, "gini_hi", 10, 0) - fake_out(fc, "gini_lo", 10, 0) < hi[0] - lo[0]);
    assert_string_equal(fake_unit(fc, "theil_hi"), "index (50 % bootstrap interval)");
    /* No resamples, no intervals. */
    fake_set_param(fc, "bootstrap", "0");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "gini_lo", 10, 0));
    assert_false(isnan(fake_out(fc, "gini", 10, 0)));
    fake_call_free(fc);
}

static void test_bootstrap_of_equal_values_is_a_point(void **state)
{
    (void)state;
    /* Every resample of equal values is perfectly equal: the interval is [0, 0]. With two
       areas there is nothing to resample from: no interval, though the index exists. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2023);
    fake_set_input(fc, "numerator", (const double[]){ 5, 50, 500 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 10, 100 });
    fc->call.benchmark = 0;
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gini_lo", 0, 0), 0, 1e-12);
    assert_near(fake_out(fc, "theil_hi", 0, 0), 0, 1e-12);
    fc->in_group[2] = 0;
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gini", 0, 0), 0, 1e-12);
    assert_nan(fake_out(fc, "gini_lo", 0, 0));
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "1 periods without bootstrap intervals (fewer than 3 group areas)"));
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
        cmocka_unit_test(test_theil_l_atkinson_and_percentiles),
        cmocka_unit_test(test_decomposition_by_parent),
        cmocka_unit_test(test_bootstrap_intervals),
        cmocka_unit_test(test_bootstrap_of_equal_values_is_a_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
