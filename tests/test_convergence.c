/* Tests of the convergence plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "fake_host.h"

static const char *const group_outputs[] = {
    "beta", "beta_se", "r2", "speed_pct_a_year", "half_life_years", "sigma", "cv",
    "beta_t", "beta_p_value", "beta_se_hc1", "beta_ci_lo", "beta_ci_hi", "speed_ci_lo",
    "speed_ci_hi", "half_life_ci_lo", "half_life_ci_hi", "sigma_boot_lo", "sigma_boot_hi",
    "beta_boot_lo", "beta_boot_hi", "speed_boot_lo", "speed_boot_hi", "half_life_boot_lo",
    "half_life_boot_hi"
};

static void test_descriptor(void **state)
{
    (void)state;
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "convergence");
    assert_string_equal(plugin->version, "1.1.0");
    assert_int_equal(plugin->n_inputs, 2);
    assert_string_equal(plugin->inputs[0].role, "numerator");
    assert_string_equal(plugin->inputs[1].role, "denominator");
    assert_int_equal(plugin->n_outputs, 1 + RI_COUNT(group_outputs));
    assert_string_equal(plugin->outputs[0].name, "growth_pct_a_year");
    for (size_t i = 0; i < RI_COUNT(group_outputs); i++) {
        assert_string_equal(plugin->outputs[i + 1].name, group_outputs[i]);
        /* Statistics of the group, on the benchmark's row only. */
        assert_int_equal(plugin->outputs[i + 1].flags, RI_BENCHMARK_ROW);
    }
    assert_string_equal(plugin->params[0].name, "base_period");
    assert_string_equal(plugin->params[1].name, "scale");
    assert_string_equal(plugin->params[1].default_value, "1000000");
}

/*
 * Three group areas whose log levels start at 0, 1 and 2 (levels 1, e, e^2)
 * and grow by 0.04, 0.01 and 0.01 a year over T = 10 years; A3 is the
 * benchmark, outside the group. OLS of g on x = ln y0:
 *   mean x = 1, mean g = 0.02, Sxx = 2, Sxg = -1 * 0.02 + 0 + 1 * -0.01 = -0.03
 *   beta = -0.03 / 2 = -0.015, alpha = 0.02 + 0.015 = 0.035
 *   residuals 0.005, -0.01, 0.005: SSR = 0.00015; TSS = 0.0004 + 0.0001 + 0.0001 = 0.0006
 *   se = sqrt(0.00015 / (3 - 2) / 2) = 0.0086602540378; R^2 = 1 - 0.00015 / 0.0006 = 0.75
 *   speed = -ln(1 - 0.015 * 10) / 10 = 0.016251892950, i.e. 1.6251892950 % a year
 *   half-life = ln 2 / 0.016251892950 = 42.650242818 years
 * sigma in the later year: ln y = 0.4, 1.1, 2.1, mean 1.2, squares of deviations
 * 0.64 + 0.01 + 0.81 = 1.46, sd = sqrt(1.46 / 2) = 0.85440037453; at the base: sd of 0, 1, 2 = 1.
 */
static fake_call *three_area_example(void)
{
    fake_call *fc = fake_call_new(ri_plugin_entry(), 4, 2, 2010);
    fake_set_years(fc, (const double[]){ 2010, 2020 });
    fake_set_param(fc, "scale", "1");
    fake_set_input(fc, "numerator", (const double[]){
        exp(0.0), exp(0.4), exp(1.0), exp(1.1), exp(2.0), exp(2.1), 5, 10 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 1, 1, 1, 1 });
    fc->call.benchmark = 3;
    fc->in_group[3] = 0;
    return fc;
}

static void test_beta_of_three_areas(void **state)
{
    (void)state;
    fake_call *fc = three_area_example();

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "beta", 3, 1), -0.015, 1e-12);
    assert_near(fake_out(fc, "beta_se", 3, 1), 0.0086602540378, 1e-12);
    assert_near(fake_out(fc, "r2", 3, 1), 0.75, 1e-10);
    assert_near(fake_out(fc, "speed_pct_a_year", 3, 1), 1.6251892950, 1e-9);
    assert_near(fake_out(fc, "half_life_years", 3, 1), 42.650242818, 1e-8);
    assert_near(fake_out(fc, "sigma", 3, 1), 0.85440037453, 1e-10);
    assert_near(fake_out(fc, "sigma", 3, 0), 1, 1e-12);
    /* 100 * ln(e^0.4 / 1) / 10 = 4 % a year; the benchmark: 100 * ln(10 / 5) / 10. */
    assert_near(fake_out(fc, "growth_pct_a_year", 0, 1), 4, 1e-12);
    assert_near(fake_out(fc, "growth_pct_a_year", 2, 1), 1, 1e-12);
    assert_near(fake_out(fc, "growth_pct_a_year", 3, 1), 6.9314718056, 1e-9);
    /* No growth at the base; group statistics only on the benchmark's row. */
    assert_nan(fake_out(fc, "growth_pct_a_year", 0, 0));
    assert_nan(fake_out(fc, "beta", 3, 0));
    for (size_t i = 0; i < RI_COUNT(group_outputs); i++)
        assert_nan(fake_out(fc, group_outputs[i], 0, 1));
    /* Only the ends of the speed and half-life intervals are open (see below). */
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    fake_call_free(fc);
}

/*
 * Inference on the three-area beta above, n - 2 = 1 degree of freedom, where the t
 * distribution is Cauchy's:
 *   t = -0.015 / 0.0086602540378 = -sqrt 3; p = 2 (1/2 - atan(sqrt 3) / pi) = 1/3
 *   t quantile 0.975 = tan(0.475 pi) = 12.706204736; interval -0.015 -+ 0.110038961
 *     = [-0.125038961, 0.095038961]
 *   HC1: deviations of ln y_0 -1, 0, 1, residuals 0.005, -0.01, 0.005:
 *     sqrt(3 / 1 x (0.005^2 + 0.005^2)) / 2 = 0.006123724357
 *   speed at the upper end -100 ln(1 + 0.950389609) / 10 = -6.680291520 % a year; at the
 *   lower end 1 + 10 beta < 0, and neither end has a half-life (no convergence at the
 *   upper end, no speed at the lower): three NaN ends, said once.
 */
static void test_beta_inference(void **state)
{
    (void)state;
    fake_call *fc = three_area_example();
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "beta_t", 3, 1), -sqrt(3), 1e-12);
    assert_near(fake_out(fc, "beta_p_value", 3, 1), 1.0 / 3.0, 1e-12);
    assert_near(fake_out(fc, "beta_ci_lo", 3, 1), -0.1250389608721344, 1e-12);
    assert_near(fake_out(fc, "beta_ci_hi", 3, 1), 0.09503896087213438, 1e-12);
    assert_near(fake_out(fc, "beta_se_hc1", 3, 1), 0.006123724356957942, 1e-12);
    assert_near(fake_out(fc, "speed_ci_lo", 3, 1), -6.680291519627037, 1e-10);
    assert_nan(fake_out(fc, "speed_ci_hi", 3, 1));
    assert_nan(fake_out(fc, "half_life_ci_lo", 3, 1));
    assert_nan(fake_out(fc, "half_life_ci_hi", 3, 1));
    assert_string_equal(fake_unit(fc, "beta_ci_lo"), "coefficient (95 % confidence interval)");
    assert_string_equal(fake_unit(fc, "half_life_boot_hi"), "years (95 % bootstrap interval)");
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0), "convergence: "));
    fake_set_param(fc, "level", "0.9");
    assert_int_equal(fake_run(fc), RI_OK);
    /* tan(0.45 pi) = 6.313751515: -0.015 + 6.313751515 x 0.0086602540378 = 0.039678692 */
    assert_near(fake_out(fc, "beta_ci_hi", 3, 1), 0.039678692048910634, 1e-12);
    assert_string_equal(fake_unit(fc, "speed_ci_lo"), "% a year (90 % confidence interval)");
    fake_call_free(fc);
}

/* Ten areas whose growth falls with the initial level, with some noise. */
static fake_call *ten_area_example(void)
{
    static const double noise[] = { 0.002, -0.003, 0.001, 0.004, -0.002,
                                    -0.004, 0.003, 0.0, -0.001, 0.002 };
    double num[22], den[22];
    fake_call *fc = fake_call_new(ri_plugin_entry(), 11, 2, 2000);
    fake_set_years(fc, (const double[]){ 2000, 2010 });
    fake_set_param(fc, "scale", "1");
    for (size_t a = 0; a < 10; a++) {
        double x = 0.2 * (double)a;
        num[2 * a] = exp(x);
        num[2 * a + 1] = exp(x + 10 * (0.03 - 0.01 * x + noise[a]));
        den[2 * a] = den[2 * a + 1] = 1;
    }
    num[20] = num[21] = den[20] = den[21] = 1;
    fake_set_input(fc, "numerator", num);
    fake_set_input(fc, "denominator", den);
    fc->call.benchmark = 10;
    fc->in_group[10] = 0;
    return fc;
}

static void test_bootstrap_intervals(void **state)
{
    (void)state;
    fake_call *fc = ten_area_example();
    assert_int_equal(fake_run(fc), RI_OK);
    double beta = fake_out(fc, "beta", 10, 1), sigma = fake_out(fc, "sigma", 10, 1);
    double lo = fake_out(fc, "beta_boot_lo", 10, 1), hi = fake_out(fc, "beta_boot_hi", 10, 1);
    /* A converging group: the interval has width, holds the estimate, stays negative. */
    assert_true(lo < beta && beta < hi && hi < 0);
    assert_true(fake_out(fc, "sigma_boot_lo", 10, 1) < sigma &&
                sigma < fake_out(fc, "sigma_boot_hi", 10, 1));
    assert_true(fake_out(fc, "sigma_boot_lo", 10, 0) < fake_out(fc, "sigma", 10, 0));
    /* Speed and half-life are beta's ends mapped: the speed falls as beta rises. */
    assert_near(fake_out(fc, "speed_boot_lo", 10, 1), -100 * log(1 + 10 * hi) / 10, 1e-12);
    assert_near(fake_out(fc, "speed_boot_hi", 10, 1), -100 * log(1 + 10 * lo) / 10, 1e-12);
    assert_near(fake_out(fc, "half_life_boot_lo", 10, 1), log(2) / (-log(1 + 10 * lo) / 10), 1e-9);
    assert_near(fake_out(fc, "half_life_boot_hi", 10, 1), log(2) / (-log(1 + 10 * hi) / 10), 1e-9);
    assert_int_equal(fc->ctx.n_log, 0);
    /* Reproducible with the same seed, different with another, none without resamples. */
    assert_int_equal(fake_run(fc), RI_OK);
    assert_true(fake_out(fc, "beta_boot_lo", 10, 1) == lo);
    fake_set_param(fc, "seed", "1");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_true(fake_out(fc, "beta_boot_lo", 10, 1) != lo);
    fake_set_param(fc, "bootstrap", "0");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "beta_boot_lo", 10, 1));
    assert_nan(fake_out(fc, "sigma_boot_hi", 10, 1));
    assert_near(fake_out(fc, "beta", 10, 1), beta, 0);
    fake_call_free(fc);
}

static void test_cv_and_scale(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 1, 2023);
    /* GBP million over people: 2, 4 and 6 GBP per head with the default scale 1e6. */
    fake_set_input(fc, "numerator", (const double[]){ 2, 4, 6 });
    fake_set_input(fc, "denominator", (const double[]){ 1e6, 1e6, 1e6 });
    fc->call.benchmark = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    /* mean 4, sd sqrt(((-2)^2 + 0 + 2^2) / 2) = 2: cv 0.5 */
    assert_near(fake_out(fc, "cv", 0, 0), 0.5, 1e-12);
    /* ln 2, ln 4, ln 6 = 0.693147, 1.386294, 1.791759; mean 1.290400;
       squared deviations 0.356711 + 0.009196 + 0.251361 = 0.617268; sqrt(0.617268 / 2) */
    assert_near(fake_out(fc, "sigma", 0, 0), 0.5555483670, 1e-9);
    /* One period: nothing to regress, and that is not worth a warning. */
    assert_nan(fake_out(fc, "beta", 0, 0));
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

static void test_base_period(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 3, 2020);
    fake_set_param(fc, "scale", "1");
    fake_set_param(fc, "base_period", "2021");
    fake_set_input(fc, "numerator", (const double[]){ 1, 2, 4, 1, 1, 1 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 1, 1 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    /* From 2021: 100 * ln(4 / 2) / 1 = 69.314718056 % a year; nothing before the base. */
    assert_near(fake_out(fc, "growth_pct_a_year", 0, 2), 69.314718056, 1e-8);
    assert_nan(fake_out(fc, "growth_pct_a_year", 0, 0));
    assert_nan(fake_out(fc, "growth_pct_a_year", 0, 1));
    /* Two areas cannot give a line with a standard error, nor resamples for sigma's
       interval in any of the 3 periods: NaN, counted (1 + 3). */
    assert_nan(fake_out(fc, "beta", 1, 2));
    assert_nan(fake_out(fc, "sigma_boot_lo", 1, 2));
    assert_false(isnan(fake_out(fc, "sigma", 1, 2)));
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0),
                           "4 statistics left NaN for too few group areas"));
    fake_call_free(fc);
}

static void test_errors_name_what_to_set(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 3, 2, 2020);
    fake_set_input(fc, "numerator", (const double[]){ 1, 2, 1, 2, 1, 2 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 1, 1 });

    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_string_equal(fc->ctx.error,
                        "convergence: no benchmark area; set benchmark = \"CODE\" in the "
                        "indicator: the group statistics are written on its row");

    fc->call.benchmark = 0;
    fake_set_param(fc, "base_period", "1999");
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_string_equal(fc->ctx.error,
                        "convergence: parameter base_period = \"1999\" is not a period with "
                        "data; expected one of 2020 to 2021");
    assert_nan(fake_out(fc, "growth_pct_a_year", 0, 1));
    fake_call_free(fc);
}

static void test_unusable_cells_are_nan_with_one_warning(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 5, 2, 2020);
    fake_set_param(fc, "scale", "1");
    fake_set_input(fc, "numerator", (const double[]){ 1, 2, NAN, 2, 1, 2, 0, 2, 1, 2 });
    fake_set_input(fc, "denominator", (const double[]){ 1, 1, 1, 1, 0, 1, 1, 1, 1, -1 });
    fc->call.benchmark = 0;
    fc->in_group[1] = fc->in_group[2] = fc->in_group[3] = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    /* A1 has no numerator in 2020, A2 no people, A3 a level of 0 (no logarithm),
       A4 a negative denominator in 2021: only A0 grows, too few for beta; the
       group (A0, A4) has two levels in 2020 (equal: sigma 0, too few to resample)
       and one in 2021. */
    assert_near(fake_out(fc, "growth_pct_a_year", 0, 1), 69.314718056, 1e-8);
    for (size_t a = 1; a < 5; a++)
        assert_nan(fake_out(fc, "growth_pct_a_year", a, 1));
    assert_near(fake_out(fc, "sigma", 0, 0), 0, 0);
    assert_nan(fake_out(fc, "sigma", 0, 1));
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "convergence: 4 area-periods without a per-capita level (1 with a "
                        "missing input, 2 with a zero or negative denominator, 1 with a "
                        "numerator of zero or less, which has no logarithm); 3 statistics left "
                        "NaN for too few group areas (beta needs 3 with different levels, "
                        "sigma 2, its bootstrap interval 3)");
    fake_call_free(fc);
}

/*
 * The 12 ITL1 regions (TLC ... TLN) against UK less Extra-Regio (UKX), GVA per
 * head 1998 -> 2023, from data/ons-itl-gva-2025 (GVA in GBP million, Table 1;
 * resident population, Table 17). Computed in Python: y = GVA * 1e6 /
 * population; OLS of ln(y_2023 / y_1998) / 25 on ln(y_1998) over the 12
 * regions: beta = 0.0023518962286, se 0.0033552566945, R^2 0.0468331878827,
 * speed -100 ln(1 + 25 beta) / 25 = -0.2285349646 % a year (the regions
 * diverged, so there is no half-life); sample sd of ln y 0.2251248074 (1998)
 * and 0.2457279161 (2023); sd / mean of y 0.2740404666 and 0.3151143940.
 * UKX: 100 ln((2,434,407 / 68,265,212) / (887,891 / 58,474,943)) / 25 = 3.4152301134.
 */
static void test_itl1_regions_1998_to_2023(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 13, 2, 1998);
    fake_set_years(fc, (const double[]){ 1998, 2023 });
    fake_set_input(fc, "numerator", (const double[]){
        28817, 68891, 88083, 243386, 62629, 163826, 54263, 139722, 70546, 174608,
        77552, 205310, 180822, 577141, 135775, 354501, 67066, 185952, 32745, 81458,
        69990, 183471, 19603, 56141, 887891, 2434407 });
    fake_set_input(fc, "denominator", (const double[]){
        2560883, 2711380, 6792173, 7600126, 4957703, 5594126, 4132645, 4991265,
        5271352, 6085687, 5302028, 6468665, 7065497, 8945309, 7888838, 9482507,
        4849464, 5811259, 2899521, 3164404, 5077070, 5490100, 1677769, 1920384,
        58474943, 68265212 });
    fc->call.benchmark = 12;
    fc->in_group[12] = 0;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "beta", 12, 1), 0.0023518962286, 1e-12);
    assert_near(fake_out(fc, "beta_se", 12, 1), 0.0033552566945, 1e-12);
    assert_near(fake_out(fc, "r2", 12, 1), 0.0468331878827, 1e-11);
    assert_near(fake_out(fc, "speed_pct_a_year", 12, 1), -0.2285349646, 1e-9);
    assert_nan(fake_out(fc, "half_life_years", 12, 1));
    assert_near(fake_out(fc, "sigma", 12, 0), 0.2251248074, 1e-9);
    assert_near(fake_out(fc, "sigma", 12, 1), 0.2457279161, 1e-9);
    assert_near(fake_out(fc, "cv", 12, 0), 0.2740404666, 1e-9);
    assert_near(fake_out(fc, "cv", 12, 1), 0.3151143940, 1e-9);
    assert_near(fake_out(fc, "growth_pct_a_year", 12, 1), 3.4152301134, 1e-9);
    /* Inference, computed in Python: t = beta / se = 0.700958657640; two-sided p from the
       closed form of the t distribution with 10 (even) degrees of freedom,
       1 - sin(th) (1 + c/2 + 3c^2/8 + 15c^3/48 + 105c^4/384), th = atan(t / sqrt 10),
       c = cos^2 th: 0.499314317512; t quantile 0.975 with 10 df 2.228138851965 (tables):
       interval [-0.005124081571, 0.009827874028]; HC1 0.003181680168; speed interval
       [-0.878780371, 0.548331518] % a year; half-life at the lower end 126.410238725 years,
       none at the upper end (divergence), said in a warning. */
    assert_near(fake_out(fc, "beta_t", 12, 1), 0.7009586576401396, 1e-9);
    assert_near(fake_out(fc, "beta_p_value", 12, 1), 0.4993143175121486, 1e-9);
    assert_near(fake_out(fc, "beta_ci_lo", 12, 1), -0.005124081570790213, 1e-12);
    assert_near(fake_out(fc, "beta_ci_hi", 12, 1), 0.009827874028087878, 1e-12);
    assert_near(fake_out(fc, "beta_se_hc1", 12, 1), 0.003181680167533114, 1e-12);
    assert_near(fake_out(fc, "speed_ci_lo", 12, 1), -0.8787803710867487, 1e-9);
    assert_near(fake_out(fc, "speed_ci_hi", 12, 1), 0.5483315177257116, 1e-9);
    assert_near(fake_out(fc, "half_life_ci_lo", 12, 1), 126.41023872471868, 1e-7);
    assert_nan(fake_out(fc, "half_life_ci_hi", 12, 1));
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_beta_of_three_areas),
        cmocka_unit_test(test_cv_and_scale),
        cmocka_unit_test(test_base_period),
        cmocka_unit_test(test_errors_name_what_to_set),
        cmocka_unit_test(test_unusable_cells_are_nan_with_one_warning),
        cmocka_unit_test(test_itl1_regions_1998_to_2023),
        cmocka_unit_test(test_beta_inference),
        cmocka_unit_test(test_bootstrap_intervals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
