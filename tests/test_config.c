/*
 * test_config.c — job files: the shipped job, every key of the schema, defaults,
 * path resolution, @include, and one failing fixture per validation rule
 * (tests/conf/bad), each asserting the exact FILE:LINE and the message.
 *
 * Expected values are copied from the fixture files named next to them.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "config.h"

/* SRCDIR/rel, as the tests pass it to ri_job_load. */
static void src_path(char *buf, const char *rel)
{
    fmt(buf, "%s/%s", srcdir(), rel);
}

static ri_job *load_ok(const char *path)
{
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};
    ri_rc rc = ri_job_load(path, &job, &err);
    if (rc != RI_RC_OK)
        fail_msg("loading %s failed: %s", path, err.msg);
    assert_non_null(job);
    return job;
}

/* Whether the location's file is one of the job's stored names (not a copy elsewhere). */
static int owned_by_job(const ri_job *job, const ri_loc *loc)
{
    for (size_t i = 0; i < job->n_files; i++)
        if (job->files[i] == loc->file)
            return 1;
    return 0;
}

static void assert_loc(const ri_job *job, const ri_loc *loc, const char *file, int line)
{
    assert_non_null(loc->file);
    assert_string_equal(loc->file, file);
    assert_int_equal(loc->line, line);
    assert_true(owned_by_job(job, loc));
}

static void assert_strings(char **got, size_t n_got, const char *const *want, size_t n_want)
{
    assert_int_equal(n_got, n_want);
    for (size_t i = 0; i < n_want; i++)
        assert_string_equal(got[i], want[i]);
}

static const ri_raw_param *param(const ri_indicator_cfg *ind, const char *name)
{
    for (size_t i = 0; i < ind->n_params; i++)
        if (strcmp(ind->params[i].name, name) == 0)
            return &ind->params[i];
    fail_msg("indicator %s has no parameter %s", ind->id, name);
    return NULL;
}

/* ------------------------------------------------------------ the shipped job */

/*
 * conf/regind.cfg grows as datasets and indicators are added, so these
 * tests find entries by id and check locations only for file and order;
 * exact lines are asserted on the fixtures under tests/conf, which only
 * the tests change.
 */

static const ri_dataset_cfg *dataset(const ri_job *job, const char *id)
{
    for (size_t i = 0; i < job->n_datasets; i++)
        if (strcmp(job->datasets[i].id, id) == 0)
            return &job->datasets[i];
    fail_msg("the job has no dataset %s", id);
    return NULL;
}

static const ri_lookup_cfg *lookup(const ri_job *job, const char *id)
{
    for (size_t i = 0; i < job->n_lookups; i++)
        if (strcmp(job->lookups[i].id, id) == 0)
            return &job->lookups[i];
    fail_msg("the job has no lookup %s", id);
    return NULL;
}

static const ri_derived_cfg *derived(const ri_job *job, const char *name)
{
    for (size_t i = 0; i < job->n_derived; i++)
        if (strcmp(job->derived[i].name, name) == 0)
            return &job->derived[i];
    fail_msg("the job has no derived measure %s", name);
    return NULL;
}

static const ri_aggregate_cfg *aggregate(const ri_job *job, const char *code)
{
    for (size_t i = 0; i < job->n_aggregates; i++)
        if (strcmp(job->aggregates[i].code, code) == 0)
            return &job->aggregates[i];
    fail_msg("the job has no aggregate %s", code);
    return NULL;
}

static const ri_indicator_cfg *indicator(const ri_job *job, const char *id)
{
    for (size_t i = 0; i < job->n_indicators; i++)
        if (strcmp(job->indicators[i].id, id) == 0)
            return &job->indicators[i];
    fail_msg("the job has no indicator %s", id);
    return NULL;
}

/* The measure bound to role, or NULL when the indicator does not bind it. */
static const char *input(const ri_indicator_cfg *ind, const char *role)
{
    for (size_t i = 0; i < ind->n_inputs; i++)
        if (strcmp(ind->inputs[i].name, role) == 0)
            return ind->inputs[i].value;
    return NULL;
}

/* Whether path names file: its last component is exactly file. */
static int names_file(const char *path, const char *file)
{
    size_t lp = strlen(path), lf = strlen(file);
    return lp > lf && path[lp - lf - 1] == '/' && strcmp(path + lp - lf, file) == 0;
}

/* A path from the job resolved against its directory, naming the given file. */
static void assert_resolved(const ri_job *job, const char *got, const char *file)
{
    size_t ld = strlen(job->dir);
    if (strncmp(got, job->dir, ld) != 0 || got[ld] != '/' || !names_file(got, file))
        fail_msg("expected %s/.../%s; got %s", job->dir, file, got);
}

/* A location in the job file itself, at or after line after (0: anywhere). */
static void assert_loc_after(const ri_job *job, const ri_loc *loc, int after)
{
    assert_non_null(loc->file);
    assert_string_equal(loc->file, job->path);
    assert_true(loc->line > 0);
    assert_true(loc->line >= after);
    assert_true(owned_by_job(job, loc));
}

static void test_shipped_job(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    const ri_dataset_cfg *ds;
    const ri_derived_cfg *d;
    const ri_lookup_cfg *lk;
    const ri_aggregate_cfg *ag;
    const ri_indicator_cfg *ind;
    const ri_output_cfg *out = NULL;
    (void)state;

    src_path(path, "conf/regind.cfg");
    job = load_ok(path);
    src_path(want, "conf");
    assert_string_equal(job->path, path);
    assert_string_equal(job->dir, want);

    src_path(want, "conf/../plugins");
    assert_strings(job->plugin_path, job->n_plugin_path, (const char *const[]){want}, 1);
    assert_int_equal(job->n_missing, 0);

    /* Enterprise regions (ONS 2021): GVA and population of LEPs and districts. */
    ds = dataset(job, "er_gva");
    assert_resolved(job, ds->path, "enterprise_regions_T1_GVA_current_basic_prices_GBP_million.csv");
    assert_int_equal(ds->layout, RI_LAYOUT_WIDE);
    assert_int_equal(ds->skip_rows, 0);
    assert_string_equal(ds->area_col, "geo_code");
    assert_string_equal(ds->area_name_col, "area_name");
    assert_null(ds->area_type_col);
    assert_null(ds->period_col);
    assert_null(ds->industry_col);
    assert_int_equal(ds->n_filters, 1);
    assert_string_equal(ds->filters[0].column, "area_type");
    assert_strings(ds->filters[0].values, ds->filters[0].n_values,
                   (const char *const[]){"LEP", "LA"}, 2);
    assert_loc_after(job, &ds->loc, 0);
    assert_loc_after(job, &ds->filters[0].loc, ds->loc.line);
    assert_int_equal(ds->n_measures, 0);
    assert_string_equal(ds->measure, "gva_gbp_m");
    assert_string_equal(ds->period_prefix, "");
    assert_strings(ds->additive, ds->n_additive, (const char *const[]){"gva_gbp_m"}, 1);
    assert_int_equal(ds->duplicates, RI_DUP_IDENTICAL);
    ds = dataset(job, "er_population");
    assert_resolved(job, ds->path, "enterprise_regions_T6_resident_population_persons.csv");
    assert_string_equal(ds->measure, "population");
    assert_strings(ds->additive, ds->n_additive, (const char *const[]){"population"}, 1);

    /* Subregional productivity (ONS 2024): district rates and their bases. */
    ds = dataset(job, "lad_gva_per_hour");
    assert_resolved(job, ds->path, "LAD_productivity_A3_GVA_per_hour_GBP_smoothed.csv");
    assert_string_equal(ds->area_col, "LAD_Code");
    assert_string_equal(ds->period_prefix, "Pounds_");
    assert_string_equal(ds->measure, "gva_per_hour");
    /* A rate: not additive. */
    assert_int_equal(ds->n_additive, 0);
    assert_int_equal(ds->duplicates, RI_DUP_ERROR);
    ds = dataset(job, "lad_hours");
    assert_resolved(job, ds->path, "LAD_productivity_hours_worked_per_week.csv");
    assert_string_equal(ds->period_prefix, "Hours_");
    assert_string_equal(ds->measure, "hours_per_week");
    ds = dataset(job, "lad_gva_per_job");
    assert_resolved(job, ds->path, "LAD_productivity_B3_GVA_per_filled_job_GBP_smoothed.csv");
    assert_string_equal(ds->measure, "gva_per_job");
    assert_int_equal(ds->n_additive, 0);
    ds = dataset(job, "lad_jobs");
    assert_resolved(job, ds->path, "LAD_productivity_filled_jobs.csv");
    assert_string_equal(ds->period_prefix, "Jobs_");
    assert_strings(ds->additive, ds->n_additive, (const char *const[]){"filled_jobs"}, 1);

    /* The additive bases rebuilt from the rates. */
    d = derived(job, "gva_hours_basis");
    assert_string_equal(d->expr, "gva_per_hour * hours_per_week");
    assert_int_equal(d->additive, 1);
    assert_loc_after(job, &d->loc, 0);
    d = derived(job, "gva_jobs_basis");
    assert_string_equal(d->expr, "gva_per_job * filled_jobs");
    assert_int_equal(d->additive, 1);

    lk = lookup(job, "lad21_lep");
    assert_resolved(job, lk->path,
                    "LAD_to_LEP_and_economic_region_lookup_from_ONS_enterprise_regions_2021.csv");
    assert_string_equal(lk->child_col, "LAD_code");
    assert_string_equal(lk->parent_col, "parent_code");
    assert_string_equal(lk->parent_name_col, "parent_name");
    assert_string_equal(lk->parent_type, "LEP");
    assert_int_equal(lk->n_filters, 1);
    assert_string_equal(lk->filters[0].column, "parent_type");
    assert_strings(lk->filters[0].values, lk->filters[0].n_values, (const char *const[]){"LEP"}, 1);
    assert_int_equal(lk->n_aggregate, 0);
    lk = lookup(job, "lad23_lep");
    assert_resolved(job, lk->path, "LAD23_to_LEP21_lookup.csv");
    assert_strings(lk->aggregate, lk->n_aggregate,
                   (const char *const[]){"gva_hours_basis", "hours_per_week", "gva_jobs_basis",
                                         "filled_jobs", "gva_ind_gbp_m"},
                   5);

    ag = aggregate(job, "E92000001");
    assert_string_equal(ag->name, "England (unique districts)");
    assert_string_equal(ag->type, "Country");
    assert_string_equal(ag->members_type, "LAD");
    assert_string_equal(ag->members_prefix, "E");
    assert_int_equal(ag->n_members, 0);

    ind = indicator(job, "gap");
    assert_string_equal(ind->plugin, "gva_gap");
    assert_int_equal(ind->n_inputs, 2);
    assert_string_equal(input(ind, "gva"), "gva_gbp_m");
    assert_string_equal(input(ind, "denominator"), "population");
    assert_int_equal(ind->n_params, 3);
    assert_int_equal(param(ind, "denominator_kind")->type, RI_RAW_STRING);
    assert_string_equal(param(ind, "denominator_kind")->s, "head");
    assert_int_equal(param(ind, "gva_scale")->type, RI_RAW_FLOAT);
    assert_true(param(ind, "gva_scale")->d == 1000000.0);
    assert_int_equal(param(ind, "target_share")->type, RI_RAW_FLOAT);
    assert_true(param(ind, "target_share")->d == 0.5);
    assert_loc_after(job, &ind->loc, 0);
    assert_loc_after(job, &param(ind, "target_share")->loc, ind->loc.line);
    assert_string_equal(ind->benchmark, "E92000001");
    assert_null(ind->group_type);
    ind = indicator(job, "productivity");
    assert_string_equal(ind->plugin, "productivity");
    assert_int_equal(ind->n_inputs, 4);
    assert_string_equal(input(ind, "gva"), "gva_hours_basis");
    assert_string_equal(input(ind, "hours"), "hours_per_week");
    assert_string_equal(input(ind, "gva_for_jobs"), "gva_jobs_basis");
    assert_string_equal(input(ind, "jobs"), "filled_jobs");
    assert_int_equal(param(ind, "cagr_years")->type, RI_RAW_INT);
    assert_int_equal(param(ind, "cagr_years")->i, 5);
    assert_string_equal(ind->benchmark, "UKX");
    ind = indicator(job, "productivity_england");
    assert_string_equal(ind->plugin, "productivity");
    assert_string_equal(ind->benchmark, "E92000001");

    assert_string_equal(job->compare.area_type, "LEP");
    assert_strings(job->compare.indicators, job->compare.n_indicators,
                   (const char *const[]){"gap"}, 1);
    assert_null(job->compare.period);

    for (size_t i = 0; i < job->n_outputs; i++)
        if (names_file(job->outputs[i].path, "lep-indicators.csv"))
            out = &job->outputs[i];
    if (!out)
        fail_msg("the job writes no lep-indicators.csv");
    assert_resolved(job, out->path, "lep-indicators.csv");
    assert_int_equal(out->format, RI_FORMAT_CSV);
    assert_null(out->indicators);
    assert_int_equal(out->n_indicators, 0);
    ri_job_free(job);
}

/* ------------------------------------------------------------ every key */

static void test_full_schema(void **state)
{
    char path[PATH_BUF], dir[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    const ri_dataset_cfg *ds;
    const ri_indicator_cfg *ind;
    const ri_raw_param *p;
    (void)state;

    src_path(path, "tests/conf/good/full.cfg");
    src_path(dir, "tests/conf/good");
    job = load_ok(path);
    assert_string_equal(job->dir, dir);

    /* Relative entries join the job's directory; absolute ones are kept. */
    fmt(want, "%s/../plugins", dir);
    assert_strings(job->plugin_path, job->n_plugin_path,
                   (const char *const[]){want, "/opt/regind/plugins"}, 2);
    assert_strings(job->missing, job->n_missing, (const char *const[]){"n/a", ""}, 2);

    assert_int_equal(job->n_datasets, 2);
    ds = &job->datasets[0];
    assert_string_equal(ds->id, "lad_hours");
    fmt(want, "%s/data/hours.csv", dir);
    assert_string_equal(ds->path, want);
    assert_int_equal(ds->layout, RI_LAYOUT_TIDY);
    assert_int_equal(ds->skip_rows, 2);
    assert_string_equal(ds->area_col, "LAD code");
    assert_string_equal(ds->area_name_col, "LAD name");
    assert_string_equal(ds->area_type_col, "Geography");
    assert_string_equal(ds->period_col, "Year");
    assert_string_equal(ds->industry_col, "SIC07");
    /* Group form: one filter per key, in file order. */
    assert_int_equal(ds->n_filters, 2);
    assert_string_equal(ds->filters[0].column, "Measure");
    assert_strings(ds->filters[0].values, ds->filters[0].n_values,
                   (const char *const[]){"Hours"}, 1);
    assert_string_equal(ds->filters[1].column, "Sex");
    assert_strings(ds->filters[1].values, ds->filters[1].n_values,
                   (const char *const[]){"All", "Total"}, 2);
    assert_loc(job, &ds->filters[1].loc, path, 17);
    assert_int_equal(ds->n_measures, 2);
    assert_string_equal(ds->measures[0].name, "hours_per_week");
    assert_string_equal(ds->measures[0].value, "Hours worked");
    assert_string_equal(ds->measures[1].name, "gva_per_hour");
    assert_string_equal(ds->measures[1].value, "GVA per hour");
    assert_loc(job, &ds->measures[1].loc, path, 18);
    assert_null(ds->measure);
    assert_null(ds->period_prefix);
    assert_strings(ds->additive, ds->n_additive, (const char *const[]){"hours_per_week"}, 1);
    assert_int_equal(ds->duplicates, RI_DUP_IDENTICAL);
    assert_strings(ds->missing, ds->n_missing, (const char *const[]){"x", ".."}, 2);
    assert_int_equal(ds->n_prefer_over, 0);
    assert_loc(job, &ds->loc, path, 8);

    ds = &job->datasets[1];
    assert_string_equal(ds->id, "itl_gva");
    assert_string_equal(ds->path, "/srv/ons/itl_gva.csv");
    assert_int_equal(ds->layout, RI_LAYOUT_WIDE);
    assert_int_equal(ds->skip_rows, 0);
    assert_null(ds->period_col);
    assert_null(ds->area_name_col);
    /* List form: headers that are not libconfig names, a single value as a string. */
    assert_int_equal(ds->n_filters, 2);
    assert_string_equal(ds->filters[0].column, "Area type");
    assert_strings(ds->filters[0].values, ds->filters[0].n_values,
                   (const char *const[]){"ITL1", "ITL2"}, 2);
    assert_loc(job, &ds->filters[0].loc, path, 28);
    assert_string_equal(ds->filters[1].column, "SIC07 code");
    assert_strings(ds->filters[1].values, ds->filters[1].n_values,
                   (const char *const[]){"Total"}, 1);
    assert_loc(job, &ds->filters[1].loc, path, 29);
    assert_int_equal(ds->n_measures, 0);
    assert_string_equal(ds->measure, "gva_gbp_m");
    assert_string_equal(ds->period_prefix, "Pounds_");
    assert_int_equal(ds->duplicates, RI_DUP_ERROR);
    assert_strings(ds->prefer_over, ds->n_prefer_over, (const char *const[]){"lad_hours"}, 1);

    assert_int_equal(job->n_lookups, 1);
    assert_string_equal(job->lookups[0].id, "lad_lep");
    fmt(want, "%s/lookups/lad_lep.csv", dir);
    assert_string_equal(job->lookups[0].path, want);
    assert_string_equal(job->lookups[0].child_col, "LAD21CD");
    assert_string_equal(job->lookups[0].parent_col, "LEP21CD");
    assert_string_equal(job->lookups[0].parent_name_col, "LEP21NM");
    assert_string_equal(job->lookups[0].parent_type, "LEP");
    assert_int_equal(job->lookups[0].n_filters, 1);
    assert_strings(job->lookups[0].filters[0].values, job->lookups[0].filters[0].n_values,
                   (const char *const[]){"E37000001", "E37000002"}, 2);
    /* One measure a dataset lists as additive, one additive derived measure. */
    assert_strings(job->lookups[0].aggregate, job->lookups[0].n_aggregate,
                   (const char *const[]){"hours_per_week", "gva_gbp"}, 2);
    assert_loc(job, &job->lookups[0].loc, path, 39);

    assert_int_equal(job->n_aggregates, 2);
    assert_string_equal(job->aggregates[0].members_type, "LAD");
    assert_string_equal(job->aggregates[0].members_prefix, "E");
    assert_null(job->aggregates[0].members);
    assert_string_equal(job->aggregates[1].code, "X1");
    assert_string_equal(job->aggregates[1].name, "Two districts");
    assert_string_equal(job->aggregates[1].type, "Custom");
    assert_null(job->aggregates[1].members_type);
    assert_null(job->aggregates[1].members_prefix);
    assert_strings(job->aggregates[1].members, job->aggregates[1].n_members,
                   (const char *const[]){"E06000001", "E06000002"}, 2);
    assert_loc(job, &job->aggregates[1].loc, path, 53);

    assert_int_equal(job->n_indicators, 2);
    ind = &job->indicators[0];
    assert_string_equal(ind->id, "gap");
    assert_string_equal(ind->plugin, "gva_gap");
    assert_int_equal(ind->n_inputs, 2);
    assert_string_equal(ind->inputs[1].name, "denominator");
    assert_string_equal(ind->inputs[1].value, "hours_per_week");
    assert_int_equal(ind->n_params, 5);
    p = param(ind, "scale");
    assert_int_equal(p->type, RI_RAW_FLOAT);
    assert_true(p->d == 1000000.0);
    p = param(ind, "years");
    assert_int_equal(p->type, RI_RAW_INT);
    assert_int_equal(p->i, 5);
    /* 5000000000L needs 64 bits: 2^32 = 4294967296 < 5e9. */
    p = param(ind, "big");
    assert_int_equal(p->type, RI_RAW_INT);
    assert_true(p->i == 5000000000LL);
    p = param(ind, "strict");
    assert_int_equal(p->type, RI_RAW_BOOL);
    assert_int_equal(p->i, 1);
    p = param(ind, "kind");
    assert_int_equal(p->type, RI_RAW_STRING);
    assert_string_equal(p->s, "head");
    assert_loc(job, &p->loc, path, 63);
    assert_string_equal(ind->benchmark, "E92000001");
    assert_string_equal(ind->group_type, "LEP");
    ind = &job->indicators[1];
    assert_string_equal(ind->id, "prod-2");
    assert_int_equal(ind->n_params, 0);
    assert_null(ind->benchmark);
    assert_null(ind->group_type);
    /* A derived measure and a dataset measure are both valid inputs. */
    assert_string_equal(ind->inputs[0].value, "gva_gbp_k");
    assert_string_equal(ind->inputs[1].value, "hours_per_week");

    assert_int_equal(job->n_outputs, 3);
    fmt(want, "%s/../out/all.json", dir);
    assert_string_equal(job->outputs[0].path, want);
    assert_int_equal(job->outputs[0].format, RI_FORMAT_JSON);
    assert_null(job->outputs[0].indicators);
    /* An explicit format wins over the .txt extension. */
    assert_int_equal(job->outputs[1].format, RI_FORMAT_CSV);
    assert_strings(job->outputs[1].indicators, job->outputs[1].n_indicators,
                   (const char *const[]){"gap"}, 1);
    /* The extension decides without regard to case. */
    assert_string_equal(job->outputs[2].path, "/var/lib/regind/gap.JSON");
    assert_int_equal(job->outputs[2].format, RI_FORMAT_JSON);
    assert_strings(job->outputs[2].indicators, job->outputs[2].n_indicators,
                   (const char *const[]){"prod-2", "gap"}, 2);
    assert_loc(job, &job->outputs[2].loc, path, 73);

    assert_string_equal(job->compare.area_type, "ITL2");
    assert_strings(job->compare.indicators, job->compare.n_indicators,
                   (const char *const[]){"gap"}, 1);
    assert_string_equal(job->compare.period, "2019");

    /* The first uses a dataset measure, the second the derived measure before it. */
    assert_int_equal(job->n_derived, 2);
    assert_string_equal(job->derived[0].name, "gva_gbp");
    assert_string_equal(job->derived[0].expr, "gva_gbp_m * 1e6");
    assert_int_equal(job->derived[0].additive, 1);
    assert_loc(job, &job->derived[0].loc, path, 85);
    assert_string_equal(job->derived[1].name, "gva_gbp_k");
    assert_string_equal(job->derived[1].expr, "gva_gbp / 1000");
    assert_int_equal(job->derived[1].additive, 0);
    assert_loc(job, &job->derived[1].loc, path, 86);
    ri_job_free(job);
}

static void test_defaults(void **state)
{
    char path[PATH_BUF];
    ri_job *job;
    const ri_dataset_cfg *ds;
    (void)state;

    src_path(path, "tests/conf/good/minimal.cfg");
    job = load_ok(path);
    assert_int_equal(job->n_datasets, 1);
    ds = &job->datasets[0];
    assert_int_equal(ds->layout, RI_LAYOUT_TIDY);
    assert_int_equal(ds->skip_rows, 0);
    assert_int_equal(ds->duplicates, RI_DUP_ERROR);
    assert_int_equal(ds->n_filters, 0);
    assert_int_equal(ds->n_additive, 0);
    assert_int_equal(ds->n_missing, 0);
    assert_null(ds->area_name_col);
    assert_int_equal(job->n_plugin_path, 0);
    assert_int_equal(job->n_missing, 0);
    assert_int_equal(job->n_derived, 0);
    assert_null(job->derived);
    assert_int_equal(job->n_lookups, 0);
    assert_int_equal(job->n_aggregates, 0);
    assert_int_equal(job->n_indicators, 0);
    assert_int_equal(job->n_outputs, 0);
    assert_string_equal(job->compare.area_type, "LEP");
    assert_null(job->compare.indicators);
    assert_int_equal(job->compare.n_indicators, 0);
    assert_null(job->compare.period);
    ri_job_free(job);
}

/* ------------------------------------------------------------ the run group */

static void test_run_group(void **state)
{
    char path[PATH_BUF], dir[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    /* Values from tests/conf/good/run.cfg. */
    src_path(path, "tests/conf/good/run.cfg");
    src_path(dir, "tests/conf/good");
    job = load_ok(path);
    assert_string_equal(job->run.lock_file, "/var/lock/regind-nightly.lock");
    fmt(want, "%s/../out/nightly.manifest.json", dir);
    assert_string_equal(job->run.manifest, want);
    assert_int_equal(job->run.skip_if_unchanged, 1);
    assert_string_equal(job->run.period, "2019");
    assert_strings(job->run.required_periods, job->run.n_required_periods,
                   (const char *const[]){"2018", "2019"}, 2);
    assert_strings(job->run.required_datasets, job->run.n_required_datasets,
                   (const char *const[]){"d"}, 1);
    assert_loc(job, &job->run.loc, path, 6);
    ri_job_free(job);
}

/* Without a run group: no lock file or manifest named (run.h picks them), nothing required. */
static void test_run_defaults(void **state)
{
    char path[PATH_BUF];
    ri_job *job;
    (void)state;

    src_path(path, "tests/conf/good/minimal.cfg");
    job = load_ok(path);
    assert_null(job->run.lock_file);
    assert_null(job->run.manifest);
    assert_int_equal(job->run.skip_if_unchanged, 0);
    assert_null(job->run.period);
    assert_null(job->run.required_periods);
    assert_int_equal(job->run.n_required_periods, 0);
    assert_null(job->run.required_datasets);
    assert_int_equal(job->run.n_required_datasets, 0);
    assert_null(job->run.loc.file);
    ri_job_free(job);
}

/* ------------------------------------------------------------ paths */

static void test_path_resolve(void **state)
{
    static const struct {
        const char *dir, *path, *want;
    } cases[] = {
        {"conf", "data/x.csv", "conf/data/x.csv"},
        {"conf", "../data/x.csv", "conf/../data/x.csv"},
        {"conf/", "x.csv", "conf/x.csv"},
        {"/", "x.csv", "/x.csv"},
        {".", "x.csv", "./x.csv"},
        {"conf", "/abs/x.csv", "/abs/x.csv"},
        {"", "x.csv", "x.csv"},
        {NULL, "x.csv", "x.csv"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = ri_path_resolve(cases[i].dir, cases[i].path);
        assert_non_null(got);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
    assert_null(ri_path_resolve("conf", NULL));
}

/* Tests that change directory restore it even when an assertion fails midway. */
static char saved_cwd[PATH_BUF];

static int save_cwd(void **state)
{
    (void)state;
    return getcwd(saved_cwd, sizeof saved_cwd) ? 0 : -1;
}

static int restore_cwd(void **state)
{
    (void)state;
    return chdir(saved_cwd);
}

/* The job's directory comes from the path as given, whatever the working directory. */
static void test_job_dir_relative(void **state)
{
    char dir[PATH_BUF];
    ri_job *job;
    (void)state;

    src_path(dir, "tests/conf");
    assert_int_equal(chdir(dir), 0);

    job = load_ok("good//minimal.cfg");
    assert_string_equal(job->dir, "good");
    assert_string_equal(job->datasets[0].path, "good/d.csv");
    assert_loc(job, &job->datasets[0].loc, "good//minimal.cfg", 2);
    ri_job_free(job);

    assert_int_equal(chdir("good"), 0);
    job = load_ok("minimal.cfg");
    assert_string_equal(job->dir, ".");
    assert_string_equal(job->datasets[0].path, "./d.csv");
    assert_loc(job, &job->datasets[0].loc, "minimal.cfg", 2);
    ri_job_free(job);
}

/* ------------------------------------------------------------ @include */

static void test_include(void **state)
{
    char path[PATH_BUF], inc[PATH_BUF];
    ri_job *job;
    (void)state;

    src_path(path, "tests/conf/good/include.cfg");
    src_path(inc, "tests/conf/good/parts/indicators.inc");
    job = load_ok(path);
    assert_int_equal(job->n_indicators, 1);
    assert_string_equal(job->indicators[0].id, "gap");
    assert_loc(job, &job->datasets[0].loc, path, 3);
    assert_loc(job, &job->indicators[0].loc, inc, 3);
    assert_loc(job, &job->indicators[0].inputs[0].loc, inc, 3);
    assert_int_equal(job->n_files, 2);
    ri_job_free(job);
}

/* @include follows the job file, not the working directory. */
static void test_include_from_other_cwd(void **state)
{
    char path[PATH_BUF];
    ri_job *job;
    (void)state;

    if (srcdir()[0] == '/')
        src_path(path, "tests/conf/good/include.cfg");
    else
        fmt(path, "%s/%s/tests/conf/good/include.cfg", saved_cwd, srcdir());
    assert_int_equal(chdir("/"), 0);
    job = load_ok(path);
    assert_int_equal(job->n_indicators, 1);
    ri_job_free(job);
}

/* ------------------------------------------------------------ files that are not job files */

static void assert_refused(const char *path, const char *what)
{
    ri_job *job = (ri_job *)&job;
    ri_error err = {RI_RC_OK, ""};
    char prefix[PATH_BUF];

    assert_int_equal(ri_job_load(path, &job, &err), RI_RC_USAGE);
    assert_null(job);
    assert_int_equal(err.code, RI_RC_USAGE);
    fmt(prefix, "%s: ", path);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || !strstr(err.msg, what))
        fail_msg("expected \"%s...%s\"; got \"%s\"", prefix, what, err.msg);
}

static void test_missing_file(void **state)
{
    char path[PATH_BUF];
    (void)state;
    src_path(path, "tests/conf/good/no-such-job.cfg");
    assert_refused(path, "cannot read the job file: No such file or directory");
}

static void test_directory_refused(void **state)
{
    char path[PATH_BUF];
    (void)state;
    src_path(path, "tests/conf");
    assert_refused(path, "is a directory; expected a job file");
}

/* Reading a FIFO would block forever; the loader must refuse it before opening. */
static void test_fifo_refused(void **state)
{
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_BUF], fifo[PATH_BUF];
    (void)state;

    fmt(dir, "%s/regind-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    fmt(fifo, "%s/job.cfg", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_refused(fifo, "is not a regular file");
    assert_int_equal(unlink(fifo), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_no_path(void **state)
{
    ri_job *job = (ri_job *)&job;
    ri_error err = {RI_RC_OK, ""};
    (void)state;
    assert_int_equal(ri_job_load("", &job, &err), RI_RC_USAGE);
    assert_null(job);
    assert_non_null(strstr(err.msg, "no job file given"));
}

/* ------------------------------------------------------------ one fixture per rule */

typedef struct bad_case {
    const char *name;  /* tests/conf/bad/NAME.cfg */
    const char *where; /* file the error is in, relative to tests/conf/bad; NULL: NAME.cfg */
    int line;          /* 0: the error concerns the whole file */
    const char *what;  /* must occur in the message */
    const char *also;  /* a second substring, or NULL */
} bad_case;

/* The keys a dataset accepts, in the order the loader lists them (regind.cfg(5), DATASETS). */
#define DATASET_KEYS                                                                           \
    "id, file, layout, skip_rows, area, area_name, area_type, period, industry, filter, "      \
    "measures, measure, period_prefix, additive, duplicates, missing, prefer_over"

static const bad_case bad_cases[] = {
    /* parse errors and the top level */
    {"parse_error", NULL, 4, "syntax error", "double quotes"},
    {"include_missing", NULL, 5, "cannot open include file", "relative to the job file's directory"},
    {"include_parse_error", "parts/syntax.inc", 3, "syntax error", NULL},
    {"include_error", "parts/bad_compare.inc", 3,
     "unknown setting \"area_typ\"; did you mean \"area_type\"?", NULL},
    {"unknown_root", NULL, 5, "unknown setting \"indicatros\"; did you mean \"indicators\"?", NULL},
    {"version_2", NULL, 2, "job file version 2 is not supported; this regind reads version 1", NULL},
    {"version_string", NULL, 2, "\"version\" must be an integer (1); got a string", NULL},
    {"no_datasets", NULL, 0, "missing required setting \"datasets\"", NULL},
    {"datasets_empty", NULL, 2, "\"datasets\" must hold at least one dataset", NULL},
    {"datasets_group", NULL, 2, "\"datasets\" must be a list of groups", "got a group"},
    {"plugin_path_string", NULL, 2, "\"plugin_path\" must be an array of strings", "got a string"},
    {"missing_int", NULL, 2, "elements of \"missing\" must be strings; got an integer", NULL},

    /* datasets */
    {"ds_not_group", NULL, 2, "elements of \"datasets\" must be groups", "got a string"},
    {"ds_unknown_key", NULL, 9, "unknown setting \"skiprows\"; did you mean \"skip_rows\"?", NULL},
    {"ds_no_id", NULL, 3, "dataset #1 is missing required setting \"id\"", NULL},
    {"ds_bad_id", NULL, 3, "\"id\" must be an identifier", "got \"1st\""},
    {"ds_dup_id", NULL, 4, "dataset id \"d\" is already used by the dataset at", "ds_dup_id.cfg:3"},
    {"ds_no_file", NULL, 3, "dataset \"d\" is missing required setting \"file\"", NULL},
    {"ds_empty_file", NULL, 3, "\"file\" must not be empty", NULL},
    {"ds_bad_layout", NULL, 9, "\"layout\" must be \"tidy\" or \"wide\"; got \"long\"", NULL},
    {"ds_skip_rows_string", NULL, 9, "\"skip_rows\" must be an integer >= 0; got a string", NULL},
    {"ds_skip_rows_negative", NULL, 9, "\"skip_rows\" must be an integer >= 0; got a negative integer",
     NULL},
    {"ds_no_area", NULL, 3, "dataset \"d\" is missing required setting \"area\"", NULL},
    {"ds_tidy_no_period", NULL, 3, "dataset \"d\" is missing required setting \"period\"",
     "required for layout = \"tidy\""},
    {"ds_wide_with_period", NULL, 9, "\"period\" is not used with layout = \"wide\"", NULL},
    {"ds_tidy_no_measures", NULL, 3, "dataset \"d\" is missing required setting \"measures\"",
     "required for layout = \"tidy\""},
    {"ds_measures_empty", NULL, 4, "\"measures\" must name at least one measure", NULL},
    {"ds_wide_with_measures", NULL, 9, "\"measures\" is for layout = \"tidy\"", "use measure = \"name\""},
    {"ds_tidy_with_measure", NULL, 9, "\"measure\" is for layout = \"wide\"", NULL},
    {"ds_wide_no_measure", NULL, 3, "dataset \"w\" is missing required setting \"measure\"",
     "required for layout = \"wide\""},
    {"ds_tidy_with_period_prefix", NULL, 9, "\"period_prefix\" is for layout = \"wide\"", NULL},
    {"ds_bad_measure_name", NULL, 4, "measure name \"GVA\" is not valid", NULL},
    {"ds_measure_value_int", NULL, 4, "measure \"gva\" must be a string; got an integer", NULL},
    {"ds_wide_bad_measure", NULL, 4, "\"measure\" must be a name", "got \"GVA £m\""},
    {"ds_additive_unknown", NULL, 10,
     "\"additive\" names \"popn\", which is not a measure of dataset \"d\"; did you mean \"pop\"?", NULL},
    {"ds_additive_int", NULL, 9, "elements of \"additive\" must be strings; got an integer", NULL},
    /* derived and aggregate moved to the job and to lookups: in a dataset they are unknown keys. */
    {"ds_derived_key", NULL, 9, "unknown setting \"derived\"; expected one of: " DATASET_KEYS, NULL},
    {"ds_aggregate_key", NULL, 10, "unknown setting \"aggregate\"; expected one of: " DATASET_KEYS,
     NULL},
    {"ds_bad_duplicates", NULL, 9, "\"duplicates\" must be \"error\" or \"identical\"; got \"first\"",
     NULL},
    {"ds_prefer_over_unknown", NULL, 5,
     "\"prefer_over\" names dataset \"dd\", which is not defined; did you mean \"d\"?", NULL},
    {"ds_prefer_over_self", NULL, 9, "dataset \"d\" lists itself in \"prefer_over\"", NULL},
    {"ds_prefer_over_cycle", NULL, 3, "\"prefer_over\" makes a cycle", NULL},
    {"ds_filter_bad_type", NULL, 9, "\"filter\" must be a group", "got a string"},
    {"ds_filter_value_int", NULL, 10,
     "filter \"year\" must be a string or an array of strings; got an integer", NULL},
    {"ds_filter_empty_values", NULL, 9, "filter \"area_type\" must list at least one value", NULL},
    {"ds_filter_list_no_values", NULL, 10, "unknown setting \"value\"; did you mean \"values\"?", NULL},
    {"ds_filter_list_missing_values", NULL, 9, "this filter is missing required setting \"values\"",
     NULL},
    {"ds_filter_list_not_group", NULL, 9, "elements of \"filter\" must be groups", "got a string"},
    {"ds_missing_not_array", NULL, 9, "\"missing\" must be an array of strings", "got a string"},

    /* job-level derived measures */
    {"jd_not_list", NULL, 5, "\"derived\" must be a list of groups", "got a group"},
    {"jd_unknown_key", NULL, 6, "unknown setting \"expression\"; expected one of: name, expr, additive",
     NULL},
    {"jd_no_expr", NULL, 6, "derived measure #1 is missing required setting \"expr\"", NULL},
    {"jd_bad_name", NULL, 6, "\"name\" must be a name", "got \"GVA\""},
    {"jd_clash", NULL, 7, "derived measure \"pop\" has the name of a measure of dataset \"d\"", NULL},
    {"jd_twice", NULL, 7, "derived measure \"gva_k\" is defined twice", NULL},
    {"jd_unknown_measure", NULL, 6,
     "derived measure \"gva_pc\": no dataset provides measure \"popn\"; did you mean \"pop\"?", NULL},
    {"jd_later", NULL, 6,
     "derived measure \"gva_m\" uses \"gva_k\", which is defined after it", NULL},
    {"jd_by_industry", NULL, 9, "derived measure \"gva_pc\": \"jobs\" is kept by industry",
     "dataset \"e\" has an industry column"},
    {"jd_expr_int", NULL, 7, "\"expr\" must be a string; got an integer", NULL},
    {"jd_syntax", NULL, 6, "derived measure \"gva_sum\": \"gva + pop\"", "expected '*' or '/'"},
    {"jd_additive_string", NULL, 7, "\"additive\" must be a boolean (true or false); got a string",
     NULL},

    /* geography */
    {"geo_unknown_key", NULL, 6, "unknown setting \"lookup\"; did you mean \"lookups\"?", NULL},
    {"geo_lookups_group", NULL, 6, "\"lookups\" must be a list of groups", "got a group"},
    {"lookup_no_child", NULL, 7, "lookup \"l\" is missing required setting \"child\"", NULL},
    {"lookup_unknown_key", NULL, 8, "unknown setting \"parent_nmae\"; did you mean \"parent_name\"?",
     NULL},
    {"lookup_dup_id", NULL, 8, "lookup id \"l\" is already used by the lookup at", "lookup_dup_id.cfg:7"},
    {"lookup_aggregate_rate", NULL, 10,
     "lookup \"l\" sums \"gva_per_head\", which dataset \"d\" does not list in \"additive\"", NULL},
    {"lookup_aggregate_derived_rate", NULL, 9,
     "lookup \"l\" sums derived measure \"gva_pc\", which is not additive", NULL},
    {"lookup_aggregate_unknown", NULL, 8,
     "lookup \"l\" sums \"gvaa\", which no dataset or derived measure provides; did you mean \"gva\"?",
     NULL},
    {"agg_both_members", NULL, 9, "aggregate \"E92000001\" has both \"members\" and \"members_type\"",
     NULL},
    {"agg_no_members", NULL, 7, "aggregate \"E92000001\" has no members", NULL},
    {"agg_prefix_without_type", NULL, 8, "\"members_prefix\" selects areas of members_type", NULL},
    {"agg_dup_code", NULL, 8, "aggregate code \"X\" is already used by the aggregate at",
     "agg_dup_code.cfg:7"},
    {"agg_no_name", NULL, 7, "aggregate \"X\" is missing required setting \"name\"", NULL},
    {"agg_members_dup", NULL, 9, "\"members\" lists \"A\" twice", NULL},

    /* indicators */
    {"ind_not_list", NULL, 5, "\"indicators\" must be a list of groups", "got a group"},
    {"ind_no_plugin", NULL, 6, "indicator \"gap\" is missing required setting \"plugin\"", NULL},
    {"ind_plugin_path", NULL, 7, "\"plugin\" must be a plugin name such as \"gva_gap\", not a path",
     "put its directory in plugin_path"},
    {"ind_plugin_abs", NULL, 7, "not a path; got \"/usr/lib/evil.so\"", NULL},
    {"ind_plugin_bad_name", NULL, 7, "\"plugin\" must be a name", "got \"GVA gap\""},
    {"ind_dup_id", NULL, 7, "indicator id \"gap\" is already used by the indicator at",
     "ind_dup_id.cfg:6"},
    {"ind_unknown_key", NULL, 7, "unknown setting \"param\"; did you mean \"params\"?", NULL},
    {"ind_param_array", NULL, 8,
     "parameter \"years\" must be an integer, a float, a boolean or a string; got an array", NULL},
    {"ind_param_group", NULL, 7, "parameter \"opts\"", "got a group"},
    {"ind_input_unknown_measure", NULL, 8,
     "input \"denominator\" of indicator \"gap\" names measure \"popn\", which no dataset or derived measure provides; did you mean \"pop\"?",
     NULL},
    {"ind_inputs_not_group", NULL, 7, "\"inputs\" must be a group", "got an array"},
    {"ind_benchmark_int", NULL, 7, "\"benchmark\" must be a string; got an integer", NULL},

    /* outputs */
    {"out_no_file", NULL, 6, "output #1 is missing required setting \"file\"", NULL},
    {"out_bad_format", NULL, 10, "\"format\" must be \"csv\" or \"json\" or \"html\" or \"xlsx\"; got \"xml\"", NULL},
    {"out_unknown_indicator", NULL, 10, "no indicator has id \"gpa\"; did you mean \"gap\"?", NULL},
    {"out_dup_file", NULL, 7, "out.csv\" is already written by the output at", "out_dup_file.cfg:6"},
    {"out_empty_indicators", NULL, 9, "\"indicators\" must list at least one indicator id", NULL},

    /* compare */
    {"cmp_unknown_key", NULL, 6, "unknown setting \"areatype\"; did you mean \"area_type\"?", NULL},
    {"cmp_unknown_far", NULL, 6,
     "unknown setting \"colour\"; expected one of: area_type, indicators, period", NULL},
    {"cmp_unknown_indicator", NULL, 10, "no indicator has id \"productivity\"; known: \"gap\"", NULL},
    {"cmp_area_type_int", NULL, 6, "\"area_type\" must be a string; got an integer", NULL},
    {"cmp_period_int", NULL, 6, "\"period\" must be a string; got an integer", NULL},

    /* run */
    {"run_not_group", NULL, 5, "\"run\" must be a group", "got a string"},
    {"run_unknown_key", NULL, 6,
     "unknown setting \"skip_if_unchnged\"; did you mean \"skip_if_unchanged\"?", NULL},
    {"run_skip_string", NULL, 6, "\"skip_if_unchanged\" must be a boolean (true or false); got a string",
     NULL},
    {"run_period_int", NULL, 6, "\"period\" must be a string; got an integer", NULL},
    {"run_required_empty", NULL, 6, "\"required_periods\" must list at least one period", NULL},
    {"run_required_twice", NULL, 7, "\"required_periods\" lists \"2019\" twice", NULL},
    {"run_required_datasets_unknown", NULL, 7,
     "\"required_datasets\" names dataset \"dd\", which is not defined; did you mean \"d\"?", NULL},
    {"run_required_datasets_alone", NULL, 6,
     "\"required_datasets\" has no effect without \"required_periods\"", NULL},
    {"run_manifest_is_output", NULL, 7, "\"manifest\" names", "which the output at"},
    {"run_lock_is_manifest", NULL, 7, "\"manifest\" and \"lock_file\" name the same file", NULL},
};

#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

static void test_bad(void **state)
{
    const bad_case *c = *state;
    char rel[PATH_BUF], path[PATH_BUF], prefix[PATH_BUF];
    ri_job *job = (ri_job *)&job;
    ri_error err = {RI_RC_OK, ""};

    fmt(rel, "tests/conf/bad/%s.cfg", c->name);
    src_path(path, rel);
    assert_int_equal(ri_job_load(path, &job, &err), RI_RC_USAGE);
    assert_null(job);
    assert_int_equal(err.code, RI_RC_USAGE);

    if (c->where) {
        fmt(rel, "tests/conf/bad/%s", c->where);
        src_path(path, rel);
    }
    if (c->line > 0)
        fmt(prefix, "%s:%d: ", path, c->line);
    else
        fmt(prefix, "%s: ", path);
    if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
        fail_msg("%s: expected the message to start with \"%s\"; got \"%s\"", c->name, prefix,
                 err.msg);
    if (!strstr(err.msg, c->what))
        fail_msg("%s: expected \"%s\" in \"%s\"", c->name, c->what, err.msg);
    if (c->also && !strstr(err.msg, c->also))
        fail_msg("%s: expected \"%s\" in \"%s\"", c->name, c->also, err.msg);
}

/* Every fixture under tests/conf/bad is in the table, so none is silently skipped. */
static void test_bad_table_complete(void **state)
{
    char dir[PATH_BUF];
    DIR *d;
    struct dirent *e;
    size_t seen = 0;
    (void)state;

    src_path(dir, "tests/conf/bad");
    assert_non_null(d = opendir(dir));
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name), k;
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        for (k = 0; k < N_BAD; k++)
            if (strlen(bad_cases[k].name) == len - 4
                && strncmp(bad_cases[k].name, e->d_name, len - 4) == 0)
                break;
        if (k == N_BAD) {
            closedir(d);
            fail_msg("tests/conf/bad/%s has no entry in bad_cases", e->d_name);
        }
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, N_BAD);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_shipped_job),
        cmocka_unit_test(test_full_schema),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_run_group),
        cmocka_unit_test(test_run_defaults),
        cmocka_unit_test(test_path_resolve),
        cmocka_unit_test_setup_teardown(test_job_dir_relative, save_cwd, restore_cwd),
        cmocka_unit_test(test_include),
        cmocka_unit_test_setup_teardown(test_include_from_other_cwd, save_cwd, restore_cwd),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_directory_refused),
        cmocka_unit_test(test_fifo_refused),
        cmocka_unit_test(test_no_path),
        cmocka_unit_test(test_bad_table_complete),
    };
    size_t n_fixed = sizeof fixed / sizeof fixed[0];
    struct CMUnitTest *tests = calloc(n_fixed + N_BAD, sizeof *tests);
    int failed;

    if (!tests)
        return 1;
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < N_BAD; i++) {
        tests[n_fixed + i].name = bad_cases[i].name;
        tests[n_fixed + i].test_func = test_bad;
        tests[n_fixed + i].initial_state = (void *)&bad_cases[i];
    }
    failed = _cmocka_run_group_tests("config", tests, n_fixed + N_BAD, NULL, NULL);
    free(tests);
    return failed;
}
