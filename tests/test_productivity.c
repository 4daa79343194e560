/* Tests of the productivity plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fake_host.h"

static const char *const per_hour_outputs[] = {
    "gva_per_hour", "index_per_hour", "growth_per_hour_pct", "cagr_per_hour_pct"
};

static void test_descriptor(void **state)
{
    (void)state;
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "productivity");
    assert_string_equal(plugin->version, "1.0.0");
    assert_int_equal(plugin->n_inputs, 4);
    assert_string_equal(plugin->inputs[0].role, "gva");
    assert_int_equal(plugin->inputs[0].flags, 0);
    for (size_t i = 1; i < plugin->n_inputs; i++)
        assert_int_equal(plugin->inputs[i].flags, RI_OPTIONAL);
    assert_int_equal(plugin->n_outputs, 8);
    for (size_t i = 0; i < plugin->n_outputs; i++)
        assert_int_equal(plugin->outputs[i].flags, 0);

    fake_call *fc = fake_call_new(plugin, 1, 1, 2019);
    assert_string_equal(fake_unit(fc, "gva_per_hour"), "GBP per hour");
    assert_string_equal(fake_unit(fc, "gva_per_job"), "GBP per filled job");
    assert_string_equal(fake_unit(fc, "index_per_job"), "index (benchmark = 100)");
    assert_string_equal(fake_unit(fc, "growth_per_hour_pct"), "%, nominal (current prices)");
    assert_string_equal(fake_unit(fc, "cagr_per_job_pct"), "% a year, nominal (current prices)");
    fake_call_free(fc);

    /* GVA in volume terms: the growth rates are real, and say so. */
    fc = fake_call_new(plugin, 1, 2, 2019);
    fake_set_param(fc, "prices", "real");
    fake_set_input(fc, "gva", (const double[]){ 100, 110 });
    fake_set_input(fc, "hours", (const double[]){ 1, 1 });
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "growth_per_hour_pct"), "%, real");
    assert_string_equal(fake_unit(fc, "cagr_per_hour_pct"), "% a year, real");
    assert_near(fake_out(fc, "growth_per_hour_pct", 0, 1), 10, 1e-12);
    fake_call_free(fc);
}

static void test_levels_and_index(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2019);
    /* GVA in GBP m (gva_scale 1e6); area 1 is the benchmark. */
    fake_set_input(fc, "gva", (const double[]){ 100, 200 });
    fake_set_input(fc, "hours", (const double[]){ 4e6, 5e6 });
    fake_set_input(fc, "jobs", (const double[]){ 2000, 5000 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gva_per_hour", 0, 0), 25, 1e-12);    /* 100e6 / 4e6 */
    assert_near(fake_out(fc, "gva_per_hour", 1, 0), 40, 1e-12);    /* 200e6 / 5e6 */
    assert_near(fake_out(fc, "gva_per_job", 0, 0), 50000, 1e-9);   /* 100e6 / 2,000 */
    assert_near(fake_out(fc, "gva_per_job", 1, 0), 40000, 1e-9);   /* 200e6 / 5,000 */
    assert_near(fake_out(fc, "index_per_hour", 0, 0), 62.5, 1e-12); /* 25 / 40 * 100 */
    assert_near(fake_out(fc, "index_per_job", 0, 0), 125, 1e-12);   /* 50,000 / 40,000 * 100 */
    assert_near(fake_out(fc, "index_per_hour", 1, 0), 100, 0);
    /* One period: nothing to grow from. */
    assert_nan(fake_out(fc, "growth_per_hour_pct", 0, 0));
    assert_nan(fake_out(fc, "cagr_per_job_pct", 0, 0));
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

/*
 * ONS district productivity gives GVA per hour and weekly hours; the job
 * rebuilds GVA as their product (GBP per week, gva_scale 1), which this
 * test also checks against hours_scale = 52 for annual GVA.
 */
static void test_hours_scale_changes_levels_not_indices(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2019);
    fake_set_param(fc, "gva_scale", "1");
    /* GBP 35.20 an hour * 1,000,000 hours a week; GBP 44.00 * 500,000. */
    fake_set_input(fc, "gva", (const double[]){ 35.2e6, 22e6 });
    fake_set_input(fc, "hours", (const double[]){ 1e6, 5e5 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gva_per_hour", 0, 0), 35.2, 1e-12);
    assert_near(fake_out(fc, "index_per_hour", 0, 0), 80, 1e-12); /* 35.2 / 44 * 100 */

    fake_set_param(fc, "hours_scale", "52");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gva_per_hour", 0, 0), 35.2 / 52, 1e-12);
    assert_near(fake_out(fc, "index_per_hour", 0, 0), 80, 1e-12);
    fake_call_free(fc);
}

static void test_gva_for_jobs_replaces_gva_for_jobs_only(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 1, 2019);
    fake_set_input(fc, "gva", (const double[]){ 100 });
    fake_set_input(fc, "gva_for_jobs", (const double[]){ 120 });
    fake_set_input(fc, "hours", (const double[]){ 4e6 });
    fake_set_input(fc, "jobs", (const double[]){ 2000 });

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gva_per_hour", 0, 0), 25, 1e-12);  /* 100e6 / 4e6 */
    assert_near(fake_out(fc, "gva_per_job", 0, 0), 60000, 1e-9); /* 120e6 / 2,000 */
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 0);
    fake_call_free(fc);
}

static void test_gva_for_jobs_without_jobs_warns(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 1, 2019);
    fake_set_input(fc, "gva", (const double[]){ 100 });
    fake_set_input(fc, "gva_for_jobs", (const double[]){ 120 });
    fake_set_input(fc, "hours", (const double[]){ 4e6 });

    assert_int_equal(fake_run(fc), RI_OK);
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "productivity: `gva_for_jobs` is bound but `jobs` is not; it is ignored");
    assert_nan(fake_out(fc, "gva_per_job", 0, 0));
    fake_call_free(fc);
}

static void test_growth_on_previous_period(void **state)
{
    (void)state;
    /* Hours 1 and gva in pounds, so the levels equal gva. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 3, 2010);
    fake_set_param(fc, "gva_scale", "1");
    fake_set_input(fc, "gva", (const double[]){ 100, 110, 99, 0, 50, 60 });
    fake_set_input(fc, "hours", (const double[]){ 1, 1, 1, 1, 1, 1 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "growth_per_hour_pct", 0, 0));
    assert_near(fake_out(fc, "growth_per_hour_pct", 0, 1), 10, 1e-9);  /* 110 / 100 - 1 */
    assert_near(fake_out(fc, "growth_per_hour_pct", 0, 2), -10, 1e-9); /* 99 / 110 - 1 */
    /* Growth from a level of 0 is undefined, not infinite. */
    assert_nan(fake_out(fc, "growth_per_hour_pct", 1, 1));
    assert_near(fake_out(fc, "growth_per_hour_pct", 1, 2), 20, 1e-9); /* 60 / 50 - 1 */
    /* Likewise an index against a benchmark level of 0; 2011: 110 / 50 * 100. */
    assert_nan(fake_out(fc, "index_per_hour", 0, 0));
    assert_near(fake_out(fc, "index_per_hour", 0, 1), 220, 1e-9);
    fake_call_free(fc);
}

static void test_cagr_over_cagr_years(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 6, 2010);
    fake_set_param(fc, "gva_scale", "1");
    /* Levels 2010-2015 growing 10% a year: 100 * 1.1^t; 1.1^5 = 1.61051. */
    fake_set_input(fc, "gva", (const double[]){ 100, 110, 121, 133.1, 146.41, 161.051 });
    fake_set_input(fc, "jobs", (const double[]){ 1, 1, 1, 1, 1, 1 });

    assert_int_equal(fake_run(fc), RI_OK);
    /* Default cagr_years 5: only 2015 has a period five years earlier. (161.051 / 100)^(1/5) = 1.1 */
    for (size_t p = 0; p < 5; p++)
        assert_nan(fake_out(fc, "cagr_per_job_pct", 0, p));
    assert_near(fake_out(fc, "cagr_per_job_pct", 0, 5), 10, 1e-9);
    assert_near(fake_out(fc, "growth_per_job_pct", 0, 5), 10, 1e-9); /* 161.051 / 146.41 = 1.1 */
    /* Jobs only: the per-hour outputs stay unset. */
    assert_nan(fake_out(fc, "cagr_per_hour_pct", 0, 5));

    fake_set_param(fc, "cagr_years", "2");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "cagr_per_job_pct", 0, 1));
    assert_near(fake_out(fc, "cagr_per_job_pct", 0, 2), 10, 1e-9); /* (121 / 100)^(1/2) = 1.1 */
    assert_near(fake_out(fc, "cagr_per_job_pct", 0, 5), 10, 1e-9); /* (161.051 / 133.1)^(1/2) */
    fake_call_free(fc);
}

static void test_cagr_finds_its_start_by_year(void **state)
{
    (void)state;
    /* A panel with gaps: 2010, 2012, 2015. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 3, 2010);
    fake_set_years(fc, (const double[]){ 2010, 2012, 2015 });
    fake_set_param(fc, "gva_scale", "1");
    fake_set_param(fc, "cagr_years", "3");
    fake_set_input(fc, "gva", (const double[]){ 80, 100, 133.1 });
    fake_set_input(fc, "hours", (const double[]){ 1, 1, 1 });

    assert_int_equal(fake_run(fc), RI_OK);
    /* 2012 - 3 = 2009 is not in the panel. */
    assert_nan(fake_out(fc, "cagr_per_hour_pct", 0, 1));
    /* 2015 starts from 2012: (133.1 / 100)^(1/3) = 1.1. */
    assert_near(fake_out(fc, "cagr_per_hour_pct", 0, 2), 10, 1e-9);
    /* Growth is on the previous period of the panel, whatever the gap: 100 / 80 - 1. */
    assert_near(fake_out(fc, "growth_per_hour_pct", 0, 1), 25, 1e-9);
    fake_call_free(fc);
}

static void test_unbound_hours_leave_per_hour_outputs_nan(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2018);
    fake_set_input(fc, "gva", (const double[]){ 100, 110, 200, 220 });
    fake_set_input(fc, "jobs", (const double[]){ 2000, 2000, 5000, 5000 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    for (size_t i = 0; i < RI_COUNT(per_hour_outputs); i++)
        for (size_t a = 0; a < 2; a++)
            for (size_t p = 0; p < 2; p++)
                assert_nan(fake_out(fc, per_hour_outputs[i], a, p));
    assert_near(fake_out(fc, "gva_per_job", 0, 1), 55000, 1e-9);  /* 110e6 / 2,000 */
    assert_near(fake_out(fc, "index_per_job", 0, 1), 125, 1e-12); /* 55,000 / 44,000 * 100 */
    assert_int_equal(fc->ctx.n_log, 0);
    fake_call_free(fc);
}

static void test_neither_hours_nor_jobs_is_an_error(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 1, 2019);
    fake_set_input(fc, "gva", (const double[]){ 100 });

    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_string_equal(fc->ctx.error, "productivity: neither `hours` nor `jobs` is bound; "
                                       "bind at least one of them to a measure");
    fake_call_free(fc);
}

static void test_no_benchmark_leaves_indices_nan(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2019);
    fake_set_input(fc, "gva", (const double[]){ 100, 200 });
    fake_set_input(fc, "hours", (const double[]){ 4e6, 5e6 });
    fake_set_input(fc, "jobs", (const double[]){ 2000, 5000 });

    assert_int_equal(fake_run(fc), RI_OK);
    assert_near(fake_out(fc, "gva_per_hour", 0, 0), 25, 1e-12);
    for (size_t a = 0; a < 2; a++) {
        assert_nan(fake_out(fc, "index_per_hour", a, 0));
        assert_nan(fake_out(fc, "index_per_job", a, 0));
    }
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 0);
    assert_int_equal(fake_log_count(fc, RI_LOG_INFO), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_INFO, 0),
                        "productivity: no benchmark area; index_per_hour and index_per_job are NaN");
    fake_call_free(fc);
}

static void test_nonpositive_and_missing_denominators(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 1, 2019);
    fake_set_input(fc, "gva", (const double[]){ 100, 200 });
    fake_set_input(fc, "hours", (const double[]){ 0, NAN });
    fake_set_input(fc, "jobs", (const double[]){ -1, 5000 });
    fc->call.benchmark = 1;

    assert_int_equal(fake_run(fc), RI_OK);
    assert_nan(fake_out(fc, "gva_per_hour", 0, 0)); /* hours 0 */
    assert_nan(fake_out(fc, "gva_per_job", 0, 0));  /* jobs -1 */
    assert_nan(fake_out(fc, "gva_per_hour", 1, 0)); /* hours missing */
    assert_nan(fake_out(fc, "index_per_job", 0, 0));
    assert_near(fake_out(fc, "gva_per_job", 1, 0), 40000, 1e-9); /* 200e6 / 5,000 */
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0),
                        "productivity: 3 values per hour or per job are NaN: 2 with a zero or "
                        "negative denominator, 1 with a missing input");
    fake_call_free(fc);
}

/* Quarters: growth on "the previous year" would compare different seasons, so they are refused. */
static void test_one_period_a_year(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 2, 2019);
    fake_set_input(fc, "gva", (const double[]){ 100, 110 });
    fake_set_input(fc, "hours", (const double[]){ 1, 1 });
    fake_set_years(fc, (const double[]){ 2019, 2019 });
    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_non_null(strstr(fc->ctx.error, "fall in one year; expected annual data"));
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_levels_and_index),
        cmocka_unit_test(test_hours_scale_changes_levels_not_indices),
        cmocka_unit_test(test_gva_for_jobs_replaces_gva_for_jobs_only),
        cmocka_unit_test(test_gva_for_jobs_without_jobs_warns),
        cmocka_unit_test(test_growth_on_previous_period),
        cmocka_unit_test(test_cagr_over_cagr_years),
        cmocka_unit_test(test_cagr_finds_its_start_by_year),
        cmocka_unit_test(test_unbound_hours_leave_per_hour_outputs_nan),
        cmocka_unit_test(test_neither_hours_nor_jobs_is_an_error),
        cmocka_unit_test(test_no_benchmark_leaves_indices_nan),
        cmocka_unit_test(test_nonpositive_and_missing_denominators),
        cmocka_unit_test(test_one_period_a_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
