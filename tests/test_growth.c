/* Tests of the growth plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_host.h"

/*
 * Two areas over 2013-2018; area 1 is the benchmark. By hand:
 *   area 0: 100 110 121 133.1 146.41 161.051   (10 % a year)
 *   area 1: 200 204 208.08 212.2416 216.486432 220.81616064   (2 % a year)
 * growth 2014 = 10 and 2; cagr over 5 years in 2018 = 10 and 2;
 * index 2018 = 161.051 and 110.40808032; against the benchmark
 * 161.051 / 110.40808032 * 100 = 145.8656...
 */
static const double levels[] = {
    100, 110, 121, 133.1, 146.41, 161.051,
    200, 204, 208.08, 212.2416, 216.486432, 220.81616064,
};

static fake_call *two_areas(const char *prices)
{
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 6, 2013);
    fake_set_input(fc, "value", levels);
    fake_set_param(fc, "prices", prices);
    fc->call.benchmark = 1;
    return fc;
}

static void test_rates_and_indices(void **state)
{
    fake_call *fc = two_areas("current");
    (void)state;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "growth_pct", 0, 0));
    assert_near(fake_out(fc, "growth_pct", 0, 1), 10, 1e-12);
    assert_near(fake_out(fc, "growth_pct", 1, 5), 2, 1e-12);
    /* Five years are needed: 2018 only. */
    assert_nan(fake_out(fc, "cagr_pct", 0, 4));
    assert_near(fake_out(fc, "cagr_pct", 0, 5), 10, 1e-12);
    assert_near(fake_out(fc, "cagr_pct", 1, 5), 2, 1e-12);
    assert_near(fake_out(fc, "index", 0, 0), 100, 0);
    assert_near(fake_out(fc, "index", 0, 5), 161.051, 1e-12);
    assert_near(fake_out(fc, "index", 1, 5), 110.40808032, 1e-12);
    assert_near(fake_out(fc, "index_vs_benchmark", 0, 5), 161.051 / 110.40808032 * 100, 1e-12);
    assert_near(fake_out(fc, "index_vs_benchmark", 1, 3), 100, 1e-12);
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

/* The price basis is in the unit of every rate: a nominal rate is never plain growth. */
static void test_units_name_the_prices(void **state)
{
    fake_call *fc = two_areas("current");
    (void)state;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "growth_pct"), "% on the previous year, nominal (current prices)");
    assert_string_equal(fake_unit(fc, "cagr_pct"), "% a year, nominal (current prices)");
    fake_call_free(fc);

    fc = two_areas("real");
    fake_set_param(fc, "price_base", "chained volume measures, 2018 money");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "cagr_pct"), "% a year, real (chained volume measures, 2018 money)");
    fake_call_free(fc);

    fc = two_areas("none");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "growth_pct"), "% on the previous year");
    fake_call_free(fc);
}

static void test_base_period_and_gaps(void **state)
{
    double gappy[12];
    fake_call *fc;
    (void)state;

    memcpy(gappy, levels, sizeof gappy);
    gappy[2] = NAN; /* area 0, 2015 suppressed */
    fc = fake_call_new(ri_plugin_entry(), 2, 6, 2013);
    fake_set_input(fc, "value", gappy);
    fake_set_param(fc, "prices", "real");
    fake_set_param(fc, "base_period", "2016");
    fc->call.benchmark = 1;
    assert_int_equal(fake_run(fc), RI_OK);
    /* No rate across the gap, on either side of it. */
    assert_nan(fake_out(fc, "growth_pct", 0, 2));
    assert_nan(fake_out(fc, "growth_pct", 0, 3));
    assert_near(fake_out(fc, "growth_pct", 0, 4), 10, 1e-12);
    /* 2016 = 100: 2018 is 161.051 / 133.1 * 100 = 121. */
    assert_near(fake_out(fc, "index", 0, 3), 100, 0);
    assert_near(fake_out(fc, "index", 0, 5), 121, 1e-12);
    assert_near(fake_out(fc, "index", 0, 0), 100 / 133.1 * 100, 1e-12);
    /* Benchmark from 2016: 220.81616064 / 212.2416 = 1.0404; 121 / 104.04 * 100. */
    assert_near(fake_out(fc, "index_vs_benchmark", 0, 5), 121 / 104.04 * 100, 1e-10);
    fake_call_free(fc);
}

static void test_bad_parameters_and_levels(void **state)
{
    fake_call *fc = two_areas("current");
    double zero[12];
    (void)state;

    fake_set_param(fc, "price_base", "2018 money");
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_non_null(strstr(fc->ctx.error, "price_base is set but prices is not \"real\""));
    fake_call_free(fc);

    fc = two_areas("real");
    fake_set_param(fc, "base_period", "1990");
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_non_null(strstr(fc->ctx.error, "base_period \"1990\" is not a period of the data (2013 to 2018)"));
    fake_call_free(fc);

    /* A level of zero has no growth from it: NaN and one warning, never infinity. */
    memcpy(zero, levels, sizeof zero);
    zero[0] = 0;
    fc = fake_call_new(ri_plugin_entry(), 2, 6, 2013);
    fake_set_input(fc, "value", zero);
    fake_set_param(fc, "prices", "none");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "growth_pct", 0, 1));
    assert_nan(fake_out(fc, "index", 0, 3));
    assert_nan(fake_out(fc, "index_vs_benchmark", 0, 3));
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_non_null(strstr(fake_log_message(fc, RI_LOG_WARNING, 0), "from a value of zero or less"));
    fake_call_free(fc);
}

/* Quarters: a year earlier is not a period of the same kind, so the plugin refuses them. */
static void test_one_period_a_year(void **state)
{
    fake_call *fc = two_areas("current");
    (void)state;

    fake_set_years(fc, (const double[]){ 2013, 2013, 2014, 2014, 2015, 2015 });
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_non_null(strstr(fc->ctx.error, "fall in one year; expected annual data"));
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates_and_indices),
        cmocka_unit_test(test_units_name_the_prices),
        cmocka_unit_test(test_base_period_and_gaps),
        cmocka_unit_test(test_bad_parameters_and_levels),
        cmocka_unit_test(test_one_period_a_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
