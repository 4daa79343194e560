/*
 * test_needs.c — the part of a job some indicators need: datasets through
 * derived measures and other indicators' outputs, extra measures, and lookup
 * sums cut to what is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "needs.h"

/* Four datasets: the derived measure per_hour_x_hours reads two of them; "other" is read by nobody asked. */
static const char job_text[] =
    "datasets = (\n"
    "  { id = \"gva\"; file = \"gva.csv\"; area = \"a\"; period = \"p\"; measures = { gva = \"gva\"; }; additive = [ \"gva\" ]; },\n"
    "  { id = \"rate\"; file = \"rate.csv\"; area = \"a\"; period = \"p\"; measures = { per_hour = \"r\"; }; },\n"
    "  { id = \"hours\"; file = \"hours.csv\"; area = \"a\"; period = \"p\"; measures = { hours = \"h\"; }; additive = [ \"hours\" ]; },\n"
    "  { id = \"other\"; file = \"other.csv\"; area = \"a\"; period = \"p\"; measures = { pop = \"pop\"; }; additive = [ \"pop\" ]; }\n"
    ");\n"
    "derived = ( { name = \"basis\"; expr = \"per_hour * hours\"; additive = true; } );\n"
    "geography = { lookups = (\n"
    "  { id = \"up\"; file = \"up.csv\"; child = \"c\"; parent = \"p\"; aggregate = [ \"basis\", \"hours\", \"pop\" ]; },\n"
    "  { id = \"pop_only\"; file = \"pop.csv\"; child = \"c\"; parent = \"p\"; aggregate = [ \"pop\" ]; } ); };\n"
    "indicators = (\n"
    "  { id = \"prod\"; plugin = \"productivity\"; inputs = { gva = \"basis\"; hours = \"hours\"; }; },\n"
    "  { id = \"dist\"; plugin = \"distribution\"; inputs = { value = \"prod.index_per_hour\"; }; },\n"
    "  { id = \"gap\"; plugin = \"gva_gap\"; inputs = { gva = \"gva\"; denominator = \"pop\"; }; }\n"
    ");\n";

static ri_job *load(void)
{
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};
    if (ri_job_load_string(job_text, ".", &job, &err) != RI_RC_OK)
        fail_msg("%s", err.msg);
    return job;
}

/* dist reads prod's output, prod the derived basis: rate and hours, the lookup summing basis and hours. */
static void test_through_outputs_and_derived(void **state)
{
    static const char *const only[] = {"dist"};
    ri_job *job = load(), *v = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    assert_int_equal(ri_job_view(job, only, 1, NULL, 0, NULL, &v, &err), RI_RC_OK);
    assert_int_equal(v->n_datasets, 2);
    assert_string_equal(v->datasets[0].id, "rate");
    assert_string_equal(v->datasets[1].id, "hours");
    assert_int_equal(v->n_derived, 1);
    assert_int_equal(v->n_lookups, 1);
    assert_string_equal(v->lookups[0].id, "up");
    assert_int_equal(v->lookups[0].n_aggregate, 2);
    assert_string_equal(v->lookups[0].aggregate[0], "basis");
    assert_string_equal(v->lookups[0].aggregate[1], "hours");
    /* The rest is the job's own. */
    assert_int_equal(v->n_indicators, 3);
    assert_ptr_equal(v->indicators, job->indicators);
    ri_job_view_free(v);
    ri_job_free(job);
}

/* gap and a weight: gva and other; no derived measure; both lookups, summing pop only. */
static void test_extra_measure(void **state)
{
    static const char *const only[] = {"gap"};
    static const char *const weight[] = {"hours"};
    ri_job *job = load(), *v = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    assert_int_equal(ri_job_view(job, only, 1, weight, 1, NULL, &v, &err), RI_RC_OK);
    assert_int_equal(v->n_datasets, 3);
    assert_string_equal(v->datasets[0].id, "gva");
    assert_string_equal(v->datasets[1].id, "hours");
    assert_string_equal(v->datasets[2].id, "other");
    assert_int_equal(v->n_derived, 0);
    assert_int_equal(v->n_lookups, 2);
    assert_int_equal(v->lookups[0].n_aggregate, 2);
    assert_string_equal(v->lookups[0].aggregate[0], "hours");
    assert_string_equal(v->lookups[0].aggregate[1], "pop");
    assert_int_equal(v->lookups[1].n_aggregate, 1);
    ri_job_view_free(v);
    ri_job_free(job);
}

/* No selection: every indicator, so every dataset. */
static void test_everything(void **state)
{
    ri_job *job = load(), *v = NULL;
    ri_error err = {RI_RC_OK, ""};
    (void)state;

    assert_int_equal(ri_job_view(job, NULL, 0, NULL, 0, NULL, &v, &err), RI_RC_OK);
    assert_int_equal(v->n_datasets, 4);
    assert_int_equal(v->n_derived, 1);
    assert_int_equal(v->n_lookups, 2);
    assert_int_equal(v->lookups[0].n_aggregate, 3);
    ri_job_view_free(v);
    ri_job_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_through_outputs_and_derived),
        cmocka_unit_test(test_extra_measure),
        cmocka_unit_test(test_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
