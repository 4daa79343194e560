/* Tests of the jobs_per_pound plugin, computed through the fake host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"

static const char *const all_outputs[] = {
    "jobs_per_million", "cost_per_job_gbp", "leverage", "jobs"
};

/* Exactly one warning, the plugin's summary of the rows it could not compute. */
static void assert_warning(const fake_call *fc, const char *expected)
{
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 1);
    assert_string_equal(fake_log_message(fc, RI_LOG_WARNING, 0), expected);
}

static void assert_cell_all_nan(const fake_call *fc, size_t area, size_t period, size_t industry)
{
    for (size_t i = 0; i < RI_COUNT(all_outputs); i++)
        assert_nan(fake_out_industry(fc, all_outputs[i], area, period, industry));
}

/* ---------------------------------------------------------------- the bundled panel */

#define PANEL "data/lep-investment/jobs_per_pound_panel.csv"
#define PANEL_HEADER "area_code,area_name,area_type,period,scope,public_investment_gbp," \
    "match_funding_gbp,private_investment_gbp,jobs,source_row"
#define LINE_MAX_LEN 2048

enum { F_CODE, F_NAME, F_TYPE, F_PERIOD, F_SCOPE, F_PUBLIC, F_MATCH, F_PRIVATE, F_JOBS,
       F_SOURCE_ROW, N_FIELDS };

typedef struct panel_row {
    char line[LINE_MAX_LEN]; /* the fields point into it */
    char *field[N_FIELDS];
} panel_row;

/* Splits an RFC 4180 record in place; returns the number of fields or 0 when malformed. */
static size_t split_csv(char *s, char **field, size_t max)
{
    size_t n = 0;
    for (;;) {
        char *out = s;
        if (n == max)
            return 0;
        field[n++] = s;
        if (*s == '"') {
            char *in = s + 1;
            for (;;) {
                if (*in == '\0')
                    return 0;
                if (*in == '"' && in[1] == '"') {
                    *out++ = '"';
                    in += 2;
                } else if (*in == '"') {
                    in++;
                    break;
                } else {
                    *out++ = *in++;
                }
            }
            s = in;
            if (*s != ',' && *s != '\0')
                return 0;
        } else {
            while (*s != ',' && *s != '\0')
                s++;
            out = s;
        }
        char end = *s;
        *out = '\0';
        if (end == '\0')
            return n;
        s++;
    }
}

/* Reads the panel's row whose source_row is `source_row`; fails the test when there is none. */
static void read_panel_row(const char *source_row, panel_row *row)
{
    const char *dir = getenv("SRCDIR");
    char path[1024];
    char line[LINE_MAX_LEN];
    int found = 0;

    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : ".", PANEL);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s; run from the source directory or set SRCDIR", path);
    assert_non_null(fgets(line, sizeof line, f));
    line[strcspn(line, "\r\n")] = '\0';
    assert_string_equal(line, PANEL_HEADER);
    while (!found && fgets(row->line, sizeof row->line, f)) {
        size_t len = strcspn(row->line, "\r\n");
        if (row->line[len] == '\0' && !feof(f))
            fail_msg("%s: a line longer than %d characters", path, LINE_MAX_LEN - 1);
        row->line[len] = '\0';
        if (split_csv(row->line, row->field, N_FIELDS) != N_FIELDS)
            fail_msg("%s: a line without %d fields", path, N_FIELDS);
        found = strcmp(row->field[F_SOURCE_ROW], source_row) == 0;
    }
    fclose(f);
    if (!found)
        fail_msg("%s: no row with source_row %s", path, source_row);
}

/* A figure of the panel: an empty cell is missing, never 0. */
static double figure(const panel_row *row, int field)
{
    char *end;
    const char *s = row->field[field];
    if (!*s)
        return NAN;
    double v = strtod(s, &end);
    if (*end != '\0')
        fail_msg("field %d = \"%s\" is not a number", field, s);
    return v;
}

/*
 * Row 9 of lep_investment_outputs.csv, Marches LEP, "Delivering Our Future Together: The
 * Power Of Local Enterprise Partnerships" (2021-07-26): the Midlands LEPs "have delivered
 * GBP 4.1 billion of Government investment ... unlocking a further GBP 11.1 billion of match
 * funding", with over 75,000 jobs. Row 47, SSLEP, "A year of continued evolution and
 * engagement" (2021-22 annual review): "created 297 new jobs and leveraged GBP 65.61million
 * in private investment", with no public figure.
 */
static void test_panel_holds_the_seed_rows(void **state)
{
    (void)state;
    panel_row r;

    read_panel_row("9", &r);
    assert_string_equal(r.field[F_CODE], "PRG-MIDLANDS-LEPS");
    assert_string_equal(r.field[F_TYPE], "Programme");
    assert_string_equal(r.field[F_PERIOD], "2021");
    assert_string_equal(r.field[F_SCOPE],
                        "All LEP programmes (10-year totals) | public: delivered (Government "
                        "investment) | jobs: actual (so far); target over 200,000 | row 9");
    assert_string_equal(r.field[F_PUBLIC], "4100000000");
    assert_string_equal(r.field[F_MATCH], "11100000000");
    assert_string_equal(r.field[F_PRIVATE], "");
    assert_string_equal(r.field[F_JOBS], "75000");

    read_panel_row("47", &r);
    assert_string_equal(r.field[F_CODE], "E37000032");
    assert_string_equal(r.field[F_NAME], "Stoke-on-Trent and Staffordshire");
    assert_string_equal(r.field[F_TYPE], "LEP");
    assert_string_equal(r.field[F_PERIOD], "2022"); /* period_end 2022-03 */
    assert_string_equal(r.field[F_PUBLIC], "");
    assert_string_equal(r.field[F_MATCH], "");
    assert_string_equal(r.field[F_PRIVATE], "65610000");
    assert_string_equal(r.field[F_JOBS], "297");
    assert_nan(figure(&r, F_PUBLIC));
}

/* Both seed rows in one call: area x period x scope, the layout regind hands the plugin. */
static void test_midlands_and_stoke_from_the_panel(void **state)
{
    (void)state;
    panel_row midlands, stoke;
    read_panel_row("9", &midlands);
    read_panel_row("47", &stoke);
    static const char *const scopes[] = { "row 9", "row 47" };

    /* Areas Midlands, Stoke; periods 2021, 2022; scopes row 9, row 47. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2021);
    fake_set_industries(fc, 2, scopes);
    double cells[4][8];
    for (size_t k = 0; k < 4; k++)
        for (size_t c = 0; c < 8; c++)
            cells[k][c] = NAN;
    /* (a * 2 + p) * 2 + i: Midlands 2021 row 9 is cell 0, Stoke 2022 row 47 is cell 7. */
    const int fields[4] = { F_PUBLIC, F_JOBS, F_MATCH, F_PRIVATE };
    for (size_t k = 0; k < 4; k++) {
        cells[k][0] = figure(&midlands, fields[k]);
        cells[k][7] = figure(&stoke, fields[k]);
    }
    fake_set_input(fc, "public_gbp", cells[0]);
    fake_set_input(fc, "jobs", cells[1]);
    fake_set_input(fc, "match_gbp", cells[2]);
    fake_set_input(fc, "private_gbp", cells[3]);

    assert_int_equal(fake_run(fc), RI_OK);
    /* 75,000 / 4,100 = 18.2927 jobs per GBP 1m (18.3 rounded). */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 0), 18.292682926829268, 1e-12);
    /* 4.1e9 / 75,000 = 54,666.67 GBP of public money per job (GBP 54,667 rounded). */
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 0), 54666.666666666664, 1e-8);
    /* 11.1bn / 4.1bn = 2.7073 (no private figure: match alone). */
    assert_near(fake_out_industry(fc, "leverage", 0, 0, 0), 2.7073170731707317, 1e-12);
    assert_near(fake_out_industry(fc, "jobs", 0, 0, 0), 75000, 0);

    /* Stoke: no public figure, so no ratio at all, but the jobs stay visible. */
    assert_nan(fake_out_industry(fc, "jobs_per_million", 1, 1, 1));
    assert_nan(fake_out_industry(fc, "cost_per_job_gbp", 1, 1, 1));
    assert_nan(fake_out_industry(fc, "leverage", 1, 1, 1));
    assert_near(fake_out_industry(fc, "jobs", 1, 1, 1), 297, 0);

    /* Cells without a row stay NaN and are not counted. */
    for (size_t a = 0; a < 2; a++)
        for (size_t p = 0; p < 2; p++)
            for (size_t i = 0; i < 2; i++)
                if (!(a == 0 && p == 0 && i == 0) && !(a == 1 && p == 1 && i == 1))
                    assert_cell_all_nan(fc, a, p, i);
    assert_warning(fc, "jobs_per_pound: 1 of 2 rows have NaN ratios: 1 with zero, negative or "
                       "missing public money (no jobs_per_million, cost_per_job or leverage), 0 with "
                       "missing jobs (no jobs_per_million or cost_per_job), 0 with zero or negative "
                       "jobs (no cost_per_job)");
    assert_string_equal(fake_unit(fc, "jobs_per_million"), "jobs per GBP 1m of public money");
    fake_call_free(fc);
}

/* ---------------------------------------------------------------- the plugin alone */

static void test_descriptor(void **state)
{
    (void)state;
    const ri_plugin *plugin = ri_plugin_entry();
    assert_string_equal(plugin->name, "jobs_per_pound");
    assert_string_equal(plugin->version, "1.0.0");
    assert_int_equal(plugin->n_inputs, 4);
    static const char *const roles[] = { "public_gbp", "jobs", "match_gbp", "private_gbp" };
    static const unsigned flags[] = { RI_BY_INDUSTRY, RI_BY_INDUSTRY,
                                      RI_BY_INDUSTRY | RI_OPTIONAL, RI_BY_INDUSTRY | RI_OPTIONAL };
    for (size_t i = 0; i < plugin->n_inputs; i++) {
        assert_string_equal(plugin->inputs[i].role, roles[i]);
        assert_int_equal(plugin->inputs[i].flags, flags[i]);
    }
    assert_int_equal(plugin->n_params, 1);
    assert_string_equal(plugin->params[0].name, "per_gbp");
    assert_int_equal(plugin->params[0].type, RI_PARAM_DOUBLE);
    assert_string_equal(plugin->params[0].default_value, "1000000");
    assert_int_equal(plugin->n_outputs, RI_COUNT(all_outputs));
    for (size_t i = 0; i < plugin->n_outputs; i++) {
        assert_string_equal(plugin->outputs[i].name, all_outputs[i]);
        assert_int_equal(plugin->outputs[i].flags, RI_BY_INDUSTRY);
    }
    assert_string_equal(plugin->outputs[0].unit, "jobs per GBP 1m of public money");
    assert_string_equal(plugin->outputs[1].unit, "GBP of public money per job");
    assert_string_equal(plugin->outputs[2].unit,
                        "GBP of match and private funding per GBP 1 of public money");
    assert_string_equal(plugin->outputs[3].unit, "jobs");
}

static void test_hand_computed_cells_by_area_period_and_scope(void **state)
{
    (void)state;
    static const char *const scopes[] = { "LGF", "GPF" };
    /* 2 areas x 2019, 2020 x 2 scopes; cell (a * 2 + p) * 2 + i. */
    fake_call *fc = fake_call_new(ri_plugin_entry(), 2, 2, 2019);
    fake_set_industries(fc, 2, scopes);
    fake_set_input(fc, "public_gbp",
                   (const double[]){ 2e6, 5e5, 1e7, NAN, NAN, NAN, 3e6, 4e6 });
    fake_set_input(fc, "jobs", (const double[]){ 50, 4, 1, NAN, NAN, NAN, 120, 10 });
    fake_set_input(fc, "match_gbp", (const double[]){ 1e6, NAN, 5e6, NAN, NAN, NAN, NAN, NAN });
    fake_set_input(fc, "private_gbp",
                   (const double[]){ 3e6, 2.5e5, NAN, NAN, NAN, NAN, NAN, 6e6 });

    assert_int_equal(fake_run(fc), RI_OK);
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 0);
    /* A0 2019 LGF: 50 / 2e6 * 1e6 = 25; 2e6 / 50 = 40,000; (1e6 + 3e6) / 2e6 = 2. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 0), 25, 1e-12);
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 0), 40000, 1e-9);
    assert_near(fake_out_industry(fc, "leverage", 0, 0, 0), 2, 1e-15);
    assert_near(fake_out_industry(fc, "jobs", 0, 0, 0), 50, 0);
    /* A0 2019 GPF: 4 / 5e5 * 1e6 = 8; 5e5 / 4 = 125,000; match missing: 2.5e5 / 5e5 = 0.5. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 1), 8, 1e-12);
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 1), 125000, 1e-9);
    assert_near(fake_out_industry(fc, "leverage", 0, 0, 1), 0.5, 1e-15);
    /* A0 2020 LGF: 1 / 1e7 * 1e6 = 0.1; 1e7 / 1 = 1e7; private missing: 5e6 / 1e7 = 0.5. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 1, 0), 0.1, 1e-15);
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 0, 1, 0), 1e7, 1e-6);
    assert_near(fake_out_industry(fc, "leverage", 0, 1, 0), 0.5, 1e-15);
    /* A1 2020 LGF: 120 / 3e6 * 1e6 = 40; 3e6 / 120 = 25,000; neither match nor private: NaN. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 1, 1, 0), 40, 1e-12);
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 1, 1, 0), 25000, 1e-9);
    assert_nan(fake_out_industry(fc, "leverage", 1, 1, 0));
    /* A1 2020 GPF: 10 / 4e6 * 1e6 = 2.5; 4e6 / 10 = 400,000; 6e6 / 4e6 = 1.5. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 1, 1, 1), 2.5, 1e-12);
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 1, 1, 1), 400000, 1e-9);
    assert_near(fake_out_industry(fc, "leverage", 1, 1, 1), 1.5, 1e-15);
    /* No row in A0 2020 GPF and in A1 2019. */
    assert_cell_all_nan(fc, 0, 1, 1);
    assert_cell_all_nan(fc, 1, 0, 0);
    assert_cell_all_nan(fc, 1, 0, 1);
    fake_call_free(fc);
}

static void test_zero_negative_and_missing_public_money(void **state)
{
    (void)state;
    /* One area and year, four scopes (the labels are not read by the plugin). */
    static const char *const scopes[] = { "s0", "s1", "s2", "s3" };
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 1, 2020);
    fake_set_industries(fc, 4, scopes);
    fake_set_input(fc, "public_gbp", (const double[]){ 0, -1e6, NAN, 1e6 });
    fake_set_input(fc, "jobs", (const double[]){ 10, 10, 10, 10 });
    fake_set_input(fc, "match_gbp", (const double[]){ 5e6, 5e6, 5e6, 5e6 });

    assert_int_equal(fake_run(fc), RI_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_nan(fake_out_industry(fc, "jobs_per_million", 0, 0, i));
        assert_nan(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, i));
        assert_nan(fake_out_industry(fc, "leverage", 0, 0, i));
        assert_near(fake_out_industry(fc, "jobs", 0, 0, i), 10, 0);
    }
    /* 10 / 1e6 * 1e6 = 10; 1e6 / 10 = 100,000; 5e6 / 1e6 = 5. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 3), 10, 1e-12);
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 3), 100000, 1e-9);
    assert_near(fake_out_industry(fc, "leverage", 0, 0, 3), 5, 1e-12);
    assert_warning(fc, "jobs_per_pound: 3 of 4 rows have NaN ratios: 3 with zero, negative or "
                       "missing public money (no jobs_per_million, cost_per_job or leverage), 0 with "
                       "missing jobs (no jobs_per_million or cost_per_job), 0 with zero or negative "
                       "jobs (no cost_per_job)");
    fake_call_free(fc);
}

static void test_zero_negative_and_missing_jobs(void **state)
{
    (void)state;
    static const char *const scopes[] = { "s0", "s1", "s2" };
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 1, 2020);
    fake_set_industries(fc, 3, scopes);
    fake_set_input(fc, "public_gbp", (const double[]){ 2e6, 2e6, 2e6 });
    /* A net loss, as Centre for Cities reported for the Lancashire EZ (row 24). */
    fake_set_input(fc, "jobs", (const double[]){ 0, -2327, NAN });
    fake_set_input(fc, "private_gbp", (const double[]){ 1e6, NAN, 3e6 });

    assert_int_equal(fake_run(fc), RI_OK);
    /* Zero jobs: 0 jobs per GBP 1m is a value; the cost per job is not. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 0), 0, 0);
    assert_nan(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 0));
    assert_near(fake_out_industry(fc, "leverage", 0, 0, 0), 0.5, 1e-15); /* 1e6 / 2e6 */
    assert_near(fake_out_industry(fc, "jobs", 0, 0, 0), 0, 0);
    /* -2,327 / 2e6 * 1e6 = -1,163.5 */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 1), -1163.5, 1e-9);
    assert_nan(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 1));
    assert_nan(fake_out_industry(fc, "leverage", 0, 0, 1));
    /* Missing jobs: leverage still stands, 3e6 / 2e6 = 1.5. */
    assert_nan(fake_out_industry(fc, "jobs_per_million", 0, 0, 2));
    assert_nan(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 2));
    assert_near(fake_out_industry(fc, "leverage", 0, 0, 2), 1.5, 1e-15);
    assert_nan(fake_out_industry(fc, "jobs", 0, 0, 2));
    assert_warning(fc, "jobs_per_pound: 3 of 3 rows have NaN ratios: 0 with zero, negative or "
                       "missing public money (no jobs_per_million, cost_per_job or leverage), 1 with "
                       "missing jobs (no jobs_per_million or cost_per_job), 2 with zero or negative "
                       "jobs (no cost_per_job)");
    fake_call_free(fc);
}

static void test_per_gbp_scales_and_names_the_unit(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 1, 2020);
    fake_set_input(fc, "public_gbp", (const double[]){ 4.1e9 });
    fake_set_input(fc, "jobs", (const double[]){ 75000 });

    fake_set_param(fc, "per_gbp", "500000");
    assert_int_equal(fake_run(fc), RI_OK);
    /* 75,000 / 4.1e9 * 500,000 = 9.1463: half the jobs per GBP 1m. */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 0), 9.146341463414634, 1e-12);
    assert_string_equal(fake_unit(fc, "jobs_per_million"), "jobs per GBP 500,000 of public money");
    /* per_gbp changes neither the cost per job (4.1e9 / 75,000) nor its unit. */
    assert_near(fake_out_industry(fc, "cost_per_job_gbp", 0, 0, 0), 54666.666666666664, 1e-8);
    assert_string_equal(fake_unit(fc, "cost_per_job_gbp"), "GBP of public money per job");
    /* No match or private input bound: leverage is NaN, and that is not a warning. */
    assert_nan(fake_out_industry(fc, "leverage", 0, 0, 0));
    assert_int_equal(fake_log_count(fc, RI_LOG_WARNING), 0);

    fake_set_param(fc, "per_gbp", "2000000");
    assert_int_equal(fake_run(fc), RI_OK);
    /* 75,000 / 4,100 * 2 = 36.5854 */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 0), 36.585365853658537, 1e-12);
    assert_string_equal(fake_unit(fc, "jobs_per_million"), "jobs per GBP 2m of public money");

    fake_set_param(fc, "per_gbp", "1000000000");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "jobs_per_million"), "jobs per GBP 1,000m of public money");

    fake_set_param(fc, "per_gbp", "1234567");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "jobs_per_million"),
                        "jobs per GBP 1,234,567 of public money");

    fake_set_param(fc, "per_gbp", "1");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "jobs_per_million"), "jobs per GBP 1 of public money");
    /* 75,000 / 4.1e9 */
    assert_near(fake_out_industry(fc, "jobs_per_million", 0, 0, 0), 1.8292682926829268e-5, 1e-18);

    /* The default keeps the declared unit. */
    fake_set_param(fc, "per_gbp", "1000000");
    assert_int_equal(fake_run(fc), RI_OK);
    assert_string_equal(fake_unit(fc, "jobs_per_million"), "jobs per GBP 1m of public money");
    fake_call_free(fc);
}

static void test_fractional_per_gbp_is_an_error(void **state)
{
    (void)state;
    fake_call *fc = fake_call_new(ri_plugin_entry(), 1, 1, 2020);
    fake_set_input(fc, "public_gbp", (const double[]){ 1e6 });
    fake_set_input(fc, "jobs", (const double[]){ 10 });
    fake_set_param(fc, "per_gbp", "1000.5");

    assert_int_equal(fake_run(fc), RI_FAIL);
    assert_string_equal(fc->ctx.error, "jobs_per_pound: per_gbp = 1000.5 is not a whole number of "
                                       "pounds; expected e.g. 1000000 or 500000");
    assert_nan(fake_out_industry(fc, "jobs_per_million", 0, 0, 0));
    assert_nan(fake_out_industry(fc, "jobs", 0, 0, 0));
    fake_call_free(fc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_panel_holds_the_seed_rows),
        cmocka_unit_test(test_midlands_and_stoke_from_the_panel),
        cmocka_unit_test(test_hand_computed_cells_by_area_period_and_scope),
        cmocka_unit_test(test_zero_negative_and_missing_public_money),
        cmocka_unit_test(test_zero_negative_and_missing_jobs),
        cmocka_unit_test(test_per_gbp_scales_and_names_the_unit),
        cmocka_unit_test(test_fractional_per_gbp_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
