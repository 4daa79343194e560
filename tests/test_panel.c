/*
 * test_panel.c — joining datasets into one panel and aggregating it.
 *
 * The first half builds the shipped job (conf/regind.cfg) on the bundled ONS
 * data and checks it against figures published by ONS (data/README.md) and
 * against sums the test recomputes itself from the panel's district columns
 * and the lookup files. The second half writes small jobs into a temporary
 * directory for the rules that the real data cannot break: one source per
 * measure, lookup vintages, aggregate codes already in the data, derived
 * measure coverage, non-additive measures and missing children.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "config.h"
#include "geo.h"
#include "panel.h"

#define PATH_BUF 4096
#define NO_INDEX ((size_t)-1)

/* ------------------------------------------------------------ fixture: the shipped job */

typedef struct real {
    ri_job *job;
    ri_panel *panel;
    ri_lookup *lad21, *lad23; /* the job's two lookups, read again for the test's own sums */
} real;

static const ri_lookup_cfg *job_lookup(const ri_job *job, const char *id)
{
    for (size_t i = 0; i < job->n_lookups; i++)
        if (strcmp(job->lookups[i].id, id) == 0)
            return &job->lookups[i];
    return NULL;
}

static int make_fixture(void **state)
{
    char path[PATH_BUF];
    ri_error err = {RI_RC_OK, ""};
    real *r = calloc(1, sizeof *r);
    const ri_lookup_cfg *l21, *l23;

    if (!r)
        return -1;
    *state = r;
    if (test_make_workdir("panel") != 0)
        return -1;
    snprintf(path, sizeof path, "%s/conf/regind.cfg", srcdir());
    if (ri_job_load(path, &r->job, &err) != RI_RC_OK ||
        ri_panel_build(r->job, &r->panel, &err) != RI_RC_OK) {
        fprintf(stderr, "building the shipped job failed: %s\n", err.msg);
        return -1;
    }
    l21 = job_lookup(r->job, "lad21_lep");
    l23 = job_lookup(r->job, "lad23_lep");
    if (!l21 || !l23 || ri_lookup_load(l21, &r->lad21, &err) != RI_RC_OK ||
        ri_lookup_load(l23, &r->lad23, &err) != RI_RC_OK) {
        fprintf(stderr, "reading the shipped lookups failed: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int free_fixture(void **state)
{
    real *r = *state;

    if (r) {
        ri_lookup_free(r->lad21);
        ri_lookup_free(r->lad23);
        ri_panel_free(r->panel);
        ri_job_free(r->job);
        free(r);
    }
    return test_remove_tree(workdir);
}

/* ------------------------------------------------------------ panel accessors */

static size_t area(const ri_panel *p, const char *code)
{
    size_t a = ri_panel_area(p, code);
    if (a == NO_INDEX)
        fail_msg("area %s is not in the panel", code);
    return a;
}

static size_t period(const ri_panel *p, const char *label)
{
    size_t t = ri_panel_period(p, label);
    if (t == NO_INDEX)
        fail_msg("period %s is not in the panel", label);
    return t;
}

static const ri_column *column(const ri_panel *p, const char *name)
{
    const ri_column *c = ri_panel_column(p, name);
    if (!c)
        fail_msg("measure %s is not in the panel", name);
    return c;
}

/* The cell of a column without industries. */
static double cell(const ri_panel *p, const char *measure, size_t a, size_t t)
{
    const ri_column *c = column(p, measure);
    assert_int_equal(c->by_industry, 0);
    return c->v[a * p->n_periods + t];
}

static double at(const ri_panel *p, const char *measure, const char *code, const char *label)
{
    return cell(p, measure, area(p, code), period(p, label));
}

static int present(const ri_panel *p, const char *measure, const char *code)
{
    return column(p, measure)->present[area(p, code)];
}

static void assert_rel(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol * fabs(want)))
        fail_msg("got %.17g, expected %.17g (relative tolerance %g)", got, want, tol);
}

/* Distinct parents of a lookup, in order of first appearance; caller frees. */
static const char **lookup_parents(const ri_lookup *lk, size_t *n)
{
    const char **out = malloc(lk->n * sizeof *out);
    assert_non_null(out);
    *n = 0;
    for (size_t i = 0; i < lk->n; i++) {
        size_t k = 0;
        while (k < *n && strcmp(out[k], lk->parent[i]) != 0)
            k++;
        if (k == *n)
            out[(*n)++] = lk->parent[i];
    }
    return out;
}

/* ------------------------------------------------------------ the shipped job */

static void test_real_lep_areas(void **state)
{
    const real *r = *state;
    const ri_panel *p = r->panel;
    size_t n = 0;

    /* data/README.md: 38 LEPs (April 2021 codes E37...). */
    for (size_t a = 0; a < p->n_areas; a++)
        if (strcmp(p->area_types[a], "LEP") == 0) {
            assert_memory_equal(p->area_codes[a], "E37", 3);
            n++;
        }
    assert_int_equal(n, 38);
    assert_string_equal(p->area_names[area(p, "E37000001")], "Black Country");
    /* Periods are the union of the datasets' years, ascending: they hold at
       least 1998 (enterprise regions) to 2022 (productivity). */
    assert_true(period(p, "2022") - period(p, "1998") == 2022 - 1998);
    for (size_t t = 1; t < p->n_periods; t++)
        assert_true(strcmp(p->periods[t - 1], p->periods[t]) < 0);
    assert_true(p->period_years[period(p, "2019")] == 2019.0);
}

static void test_real_england(void **state)
{
    const real *r = *state;
    const ri_panel *p = r->panel;
    size_t eng = area(p, "E92000001"), t19 = period(p, "2019"), members = 0;
    double sum = 0.0;

    assert_string_equal(p->area_types[eng], "Country");
    assert_string_equal(p->area_names[eng], "England (unique districts)");

    /* The 2021 release has no England row; England is its 309 unique English
       districts (data/README.md), counted here from the panel itself. */
    for (size_t a = 0; a < p->n_areas; a++)
        if (strcmp(p->area_types[a], "LAD") == 0 && p->area_codes[a][0] == 'E' &&
            column(p, "gva_gbp_m")->present[a]) {
            members++;
            sum += cell(p, "gva_gbp_m", a, t19);
        }
    assert_int_equal(members, 309);
    /* data/README.md: GVA GBP 1,702,090m in 2019, GBP 763,755m in 1998; population 56,286,961 in 2019. */
    assert_true(sum == 1702090.0);
    assert_true(cell(p, "gva_gbp_m", eng, t19) == 1702090.0);
    assert_true(at(p, "gva_gbp_m", "E92000001", "1998") == 763755.0);
    assert_true(at(p, "population", "E92000001", "2019") == 56286961.0);
    /* The 38 LEP rows sum to more (GBP 1,718,635m): seven districts sit in two LEPs. */
    sum = 0.0;
    for (size_t a = 0; a < p->n_areas; a++)
        if (strcmp(p->area_types[a], "LEP") == 0)
            sum += cell(p, "gva_gbp_m", a, t19);
    assert_true(sum == 1718635.0);
}

/* ONS's LEP rows against the sum of their districts under the 2021 lookup. */
static void test_real_lep_rows_match_districts(void **state)
{
    const real *r = *state;
    const ri_panel *p = r->panel;
    const ri_lookup *lk = r->lad21;
    size_t n_leps, t19 = period(p, "2019");
    const char **leps = lookup_parents(lk, &n_leps);
    double worst = 0.0;

    assert_int_equal(n_leps, 38);
    for (size_t l = 0; l < n_leps; l++) {
        double gva = 0.0, pop = 0.0, d;
        size_t children = 0;
        for (size_t i = 0; i < lk->n; i++) {
            if (strcmp(lk->parent[i], leps[l]) != 0)
                continue;
            assert_true(present(p, "gva_gbp_m", lk->child[i]));
            gva += at(p, "gva_gbp_m", lk->child[i], "2019");
            pop += at(p, "population", lk->child[i], "2019");
            children++;
        }
        assert_true(children > 0);
        /* ONS rounds each published GVA figure, so LEP rows differ from their
           districts' sum by up to GBP 4m (data/README.md, "Rounding"). */
        d = fabs(cell(p, "gva_gbp_m", area(p, leps[l]), t19) - gva);
        if (d > 4.0)
            fail_msg("LEP %s: ONS row %.0f, districts %.0f", leps[l],
                     cell(p, "gva_gbp_m", area(p, leps[l]), t19), gva);
        if (d > worst)
            worst = d;
        /* Population LEP rows equal their districts' sum exactly (data/README.md). */
        assert_true(cell(p, "population", area(p, leps[l]), t19) == pop);
    }
    /* Some LEP rows do differ, so the panel holds ONS's rows, not re-summed districts. */
    assert_true(worst >= 1.0);
    free(leps);
}

static void test_real_two_parents(void **state)
{
    static const char *const two_leps[][3] = {
        /* district, then its two LEPs as the 2021 lookup lists them */
        {"E07000192", "E37000012", "E37000032"}, /* Cannock Chase */
        {"E07000193", "E37000012", "E37000032"}, /* East Staffordshire */
        {"E07000194", "E37000012", "E37000032"}, /* Lichfield */
        {"E07000199", "E37000012", "E37000032"}, /* Tamworth */
        {"E07000234", "E37000012", "E37000038"}, /* Bromsgrove */
        {"E07000236", "E37000012", "E37000038"}, /* Redditch */
        {"E07000239", "E37000012", "E37000038"}, /* Wyre Forest */
    };
    const real *r = *state;
    const ri_panel *p = r->panel;
    size_t overlapping = 0;

    for (size_t k = 0; k < 7; k++) {
        size_t a = area(p, two_leps[k][0]);
        assert_int_equal(p->n_parents[a], 2);
        assert_string_equal(p->area_codes[p->parents[a][0]], two_leps[k][1]);
        assert_string_equal(p->area_codes[p->parents[a][1]], two_leps[k][2]);
    }
    /* No other district has two parents. */
    for (size_t a = 0; a < p->n_areas; a++)
        overlapping += p->n_parents[a] == 2;
    assert_int_equal(overlapping, 7);
    /* Dudley is in the Black Country only; a LAD-2023 merger (Cumberland) in Cumbria only. */
    assert_int_equal(p->n_parents[area(p, "E08000027")], 1);
    assert_string_equal(p->area_codes[p->parents[area(p, "E08000027")][0]], "E37000001");
    assert_int_equal(p->n_parents[area(p, "E06000063")], 1);
    assert_string_equal(p->area_codes[p->parents[area(p, "E06000063")][0]], "E37000007");
}

/* The 2021 and 2023 district codes stay in their own columns. */
static void test_real_vintages_apart(void **state)
{
    const real *r = *state;
    const ri_panel *p = r->panel;

    /* Allerdale (LAD-2021) merged into Cumberland (LAD-2023) in April 2023. */
    assert_true(present(p, "gva_gbp_m", "E07000026"));
    assert_false(present(p, "hours_per_week", "E07000026"));
    assert_true(present(p, "hours_per_week", "E06000063"));
    assert_false(present(p, "gva_gbp_m", "E06000063"));
    assert_true(isnan(at(p, "gva_gbp_m", "E06000063", "2019")));
    /* The productivity files have no England row: England's hours are its LAD-2023 districts. */
    assert_true(present(p, "hours_per_week", "E92000001"));
    assert_true(present(p, "gva_gbp_m", "E92000001"));
}

/*
 * GVA per hour of a LEP is its summed weekly GVA over its summed weekly hours
 * (data/README.md, "Ratios do not add up"); the test rebuilds both sums from
 * the district columns and the LAD-2023 lookup.
 */
static void test_real_productivity_ratio(void **state)
{
    const real *r = *state;
    const ri_panel *p = r->panel;
    const ri_lookup *lk = r->lad23;
    size_t n_leps, t22 = period(p, "2022");
    const char **leps = lookup_parents(lk, &n_leps);

    assert_int_equal(n_leps, 38);
    for (size_t l = 0; l < n_leps; l++) {
        size_t a = area(p, leps[l]);
        double gva = 0.0, hours = 0.0;
        for (size_t i = 0; i < lk->n; i++) {
            size_t c;
            if (strcmp(lk->parent[i], leps[l]) != 0)
                continue;
            c = area(p, lk->child[i]);
            gva += cell(p, "gva_per_hour", c, t22) * cell(p, "hours_per_week", c, t22);
            hours += cell(p, "hours_per_week", c, t22);
        }
        assert_true(present(p, "gva_hours_basis", leps[l]));
        /* Hours are whole numbers far below 2^53, so their sum is exact in any order. */
        assert_true(cell(p, "hours_per_week", a, t22) == hours);
        assert_rel(cell(p, "gva_hours_basis", a, t22) / cell(p, "hours_per_week", a, t22),
                   gva / hours, 1e-12);
        /* The LEP has no per-hour rate of its own: ratios are never summed. */
        assert_false(present(p, "gva_per_hour", leps[l]));
        assert_true(isnan(cell(p, "gva_per_hour", a, t22)));
    }
    free(leps);
}

/* Tamworth is in two LEPs; each LEP's hours include all of Tamworth's. */
static void test_real_tamworth_in_both(void **state)
{
    static const char *const leps[] = {"E37000012", "E37000032"};
    const real *r = *state;
    const ri_panel *p = r->panel;
    const ri_lookup *lk = r->lad23;
    size_t t22 = period(p, "2022");
    double tamworth = at(p, "hours_per_week", "E07000199", "2022");

    assert_false(isnan(tamworth));
    for (size_t l = 0; l < 2; l++) {
        double others = 0.0;
        int listed = 0;
        for (size_t i = 0; i < lk->n; i++) {
            if (strcmp(lk->parent[i], leps[l]) != 0)
                continue;
            if (strcmp(lk->child[i], "E07000199") == 0)
                listed = 1;
            else
                others += at(p, "hours_per_week", lk->child[i], "2022");
        }
        assert_true(listed);
        assert_true(cell(p, "hours_per_week", area(p, leps[l]), t22) - others == tamworth);
    }
}

/* ONS A3, UK less Extra-Regio, 2022: GBP 39.7 per hour; the basis rebuilt and divided back. */
static void test_real_ukx(void **state)
{
    const real *r = *state;
    const ri_panel *p = r->panel;

    assert_string_equal(p->area_types[area(p, "UKX")], "UK");
    assert_rel(at(p, "gva_hours_basis", "UKX", "2022") / at(p, "hours_per_week", "UKX", "2022"),
               39.7, 1e-9);
    /* ONS hours worked sheet, UKX 2022. */
    assert_true(at(p, "hours_per_week", "UKX", "2022") == 1046084579.0);
    /* UKX is not a district, so England's sum leaves it out: England < UK. */
    assert_true(at(p, "hours_per_week", "E92000001", "2022") <
                at(p, "hours_per_week", "UKX", "2022"));
}

/* ------------------------------------------------------------ synthetic jobs */

/* Line of the first occurrence of needle in text (1-based). */
static int line_of(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    int line = 1;
    assert_non_null(hit);
    for (const char *s = text; s < hit; s++)
        line += *s == '\n';
    return line;
}

static ri_job *load_job(const char *name, const char *text)
{
    char file[PATH_BUF], path[PATH_BUF];
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};
    fmt(file, "%s.cfg", name);
    write_file(file, text);
    fmt(path, "%s/%s", workdir, file);
    if (ri_job_load(path, &job, &err) != RI_RC_OK)
        fail_msg("job %s: %s", name, err.msg);
    return job;
}

static ri_panel *build_ok(const ri_job *job)
{
    ri_panel *p = NULL;
    ri_error err = {RI_RC_OK, ""};
    if (ri_panel_build(job, &p, &err) != RI_RC_OK)
        fail_msg("building %s: %s", job->path, err.msg);
    assert_non_null(p);
    return p;
}

static void build_refused(const ri_job *job, ri_rc code, const char *want1, const char *want2)
{
    ri_panel *p = (ri_panel *)&p;
    ri_error err = {RI_RC_OK, ""};
    assert_int_equal(ri_panel_build(job, &p, &err), code);
    assert_null(p);
    if (!strstr(err.msg, want1))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want1);
    if (want2 && !strstr(err.msg, want2))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want2);
}

static void test_measure_in_two_datasets(void **state)
{
    static const char job_text[] =
        "version = 1;\n"
        "datasets = (\n"
        "  { id = \"a\"; file = \"two_a.csv\"; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; }; },\n"
        "  { id = \"b\"; file = \"two_b.csv\"; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; }; }\n"
        ");\n";
    static const char b_wins[] =
        "version = 1;\n"
        "datasets = (\n"
        "  { id = \"a\"; file = \"two_a.csv\"; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; }; },\n"
        "  { id = \"b\"; file = \"two_b.csv\"; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; };\n"
        "    prefer_over = [ \"a\" ]; }\n"
        ");\n";
    static const char a_wins[] =
        "version = 1;\n"
        "datasets = (\n"
        "  { id = \"a\"; file = \"two_a.csv\"; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; };\n"
        "    prefer_over = [ \"b\" ]; },\n"
        "  { id = \"b\"; file = \"two_b.csv\"; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; }; }\n"
        ");\n";
    char want[PATH_BUF];
    ri_job *job;
    ri_panel *p;
    (void)state;

    write_file("two_a.csv", "code,year,gva\nE07000001,2019,1\n");
    write_file("two_b.csv", "code,year,gva\nE07000001,2019,2\nE07000002,2019,3\n");

    job = load_job("two", job_text);
    /* The error is placed at the second dataset, the one that repeats the measure. */
    fmt(want, "%s:%d: measure \"gva\" comes from datasets \"a\" and \"b\"", job->path,
        line_of(job_text, "id = \"b\""));
    build_refused(job, RI_RC_USAGE, want, "add prefer_over = [\"a\"]");
    ri_job_free(job);

    job = load_job("two_b_wins", b_wins);
    p = build_ok(job);
    assert_string_equal(column(p, "gva")->dataset, "b");
    assert_true(at(p, "gva", "E07000001", "2019") == 2.0);
    assert_true(at(p, "gva", "E07000002", "2019") == 3.0);
    assert_true(present(p, "gva", "E07000002"));
    assert_int_equal(p->n_cols, 1);
    ri_panel_free(p);
    ri_job_free(job);

    /* The earlier dataset wins: the later one's areas stay in the panel but not in the measure. */
    job = load_job("two_a_wins", a_wins);
    p = build_ok(job);
    assert_string_equal(column(p, "gva")->dataset, "a");
    assert_true(at(p, "gva", "E07000001", "2019") == 1.0);
    assert_false(present(p, "gva", "E07000002"));
    assert_true(isnan(at(p, "gva", "E07000002", "2019")));
    ri_panel_free(p);
    ri_job_free(job);
}

/* Districts of the lookup's vintage that the data does not have: refused, never summed as 0. */
static void test_lookup_child_missing(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("vint.csv", "code,year,gva\nE07000001,2019,10\nE07000002,2019,20\n");
    write_file("vint_lookup.csv",
               "child,parent,name\n"
               "E07000001,E37000001,Partnership\n"
               "E07000003,E37000001,Partnership\n");
    job = load_job("vint",
                   "version = 1;\n"
                   "datasets = ( { id = \"d\"; file = \"vint.csv\"; area = \"code\"; period = \"year\";\n"
                   "  measures = { gva = \"gva\"; }; additive = [ \"gva\" ]; } );\n"
                   "geography = { lookups = ( { id = \"lk\"; file = \"vint_lookup.csv\"; child = \"child\";\n"
                   "  parent = \"parent\"; parent_name = \"name\"; aggregate = [ \"gva\" ]; } ); };\n");
    fmt(path, "%s/vint_lookup.csv", workdir);
    fmt(want, "%s:3: child area E07000003 (of E37000001) has no \"gva\" data (dataset \"d\")", path);
    build_refused(job, RI_RC_DATA, want, "same vintage of codes");
    ri_job_free(job);
}

static void test_aggregate_code_in_data(void **state)
{
    static const char agg_text[] =
        "version = 1;\n"
        "datasets = ( { id = \"d\"; file = \"clash.csv\"; area = \"code\"; period = \"year\";\n"
        "  measures = { gva = \"gva\"; }; additive = [ \"gva\" ]; } );\n"
        "geography = { aggregates = (\n"
        "  { code = \"E92000001\"; name = \"England\"; type = \"Country\"; members_type = \"LAD\"; members_prefix = \"E\"; }\n"
        "); };\n";
    static const char lookup_text[] =
        "version = 1;\n"
        "datasets = ( { id = \"d\"; file = \"clash.csv\"; area = \"code\"; period = \"year\";\n"
        "  measures = { gva = \"gva\"; }; additive = [ \"gva\" ]; } );\n"
        "geography = { lookups = (\n"
        "  { id = \"lk\"; file = \"clash_lookup.csv\"; child = \"child\"; parent = \"parent\"; aggregate = [ \"gva\" ]; }\n"
        "); };\n";
    char want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("clash.csv",
               "code,year,gva\n"
               "E07000001,2019,10\n"
               "E07000002,2019,20\n"
               "E92000001,2019,31\n"
               "E37000001,2019,29\n");
    write_file("clash_lookup.csv", "child,parent\nE07000001,E37000001\nE07000002,E37000001\n");

    job = load_job("clash_agg", agg_text);
    fmt(want, "%s:%d: aggregate E92000001: the area already has \"gva\" in dataset \"d\"", job->path,
        line_of(agg_text, "{ code"));
    build_refused(job, RI_RC_USAGE, want, "use another code for the aggregate");
    ri_job_free(job);

    job = load_job("clash_lookup", lookup_text);
    fmt(want, "%s:%d: lookup \"lk\": area E37000001 already has \"gva\" in dataset \"d\"", job->path,
        line_of(lookup_text, "{ id = \"lk\""));
    build_refused(job, RI_RC_USAGE, want, "expected one source");
    ri_job_free(job);
}

/* A derived value exists only where every operand's dataset has the area. */
static void test_derived_presence(void **state)
{
    ri_job *job;
    ri_panel *p;
    const ri_column *c;
    (void)state;

    write_file("der_x.csv", "code,year,a\nE07000001,2019,2\nE07000002,2019,3\n");
    write_file("der_y.csv", "code,year,b\nE07000002,2019,5\nE07000003,2019,7\n");
    job = load_job("der",
                   "version = 1;\n"
                   "datasets = (\n"
                   "  { id = \"x\"; file = \"der_x.csv\"; area = \"code\"; period = \"year\"; measures = { a = \"a\"; }; },\n"
                   "  { id = \"y\"; file = \"der_y.csv\"; area = \"code\"; period = \"year\"; measures = { b = \"b\"; }; }\n"
                   ");\n"
                   "derived = ( { name = \"ab\"; expr = \"a * b\"; additive = true; } );\n");
    p = build_ok(job);
    c = column(p, "ab");
    assert_string_equal(c->dataset, "derived");
    assert_int_equal(c->additive, 1);
    assert_false(present(p, "ab", "E07000001"));
    assert_true(present(p, "ab", "E07000002"));
    assert_false(present(p, "ab", "E07000003"));
    assert_true(at(p, "ab", "E07000002", "2019") == 15.0); /* 3 * 5 */
    assert_true(isnan(at(p, "ab", "E07000001", "2019")));
    assert_true(isnan(at(p, "ab", "E07000003", "2019")));
    /* The operands keep their own coverage. */
    assert_true(present(p, "a", "E07000001"));
    assert_false(present(p, "a", "E07000003"));
    ri_panel_free(p);
    ri_job_free(job);
}

/*
 * total is additive, rate is not. E07000002 has no 2020 total (".."). The
 * Welsh district is outside members_prefix "E".
 */
static const char sums_csv[] =
    "code,year,total,rate\n"
    "E07000001,2019,10,1.5\n"
    "E07000001,2020,11,1.6\n"
    "E07000002,2019,20,2.5\n"
    "E07000002,2020,..,2.6\n"
    "E07000003,2019,40,4.5\n"
    "E07000003,2020,41,4.6\n"
    "W06000001,2019,1000,9.5\n"
    "W06000001,2020,1001,9.6\n";

static void test_aggregates_sum_totals_only(void **state)
{
    ri_job *job;
    ri_panel *p;
    size_t eng, pair;
    (void)state;

    write_file("sums.csv", sums_csv);
    job = load_job("sums",
                   "version = 1;\n"
                   "datasets = ( { id = \"d\"; file = \"sums.csv\"; area = \"code\"; period = \"year\";\n"
                   "  measures = { total = \"total\"; rate = \"rate\"; }; additive = [ \"total\" ]; } );\n"
                   "geography = { aggregates = (\n"
                   "  { code = \"E92000001\"; name = \"England\"; type = \"Country\"; members_type = \"LAD\"; members_prefix = \"E\"; },\n"
                   "  { code = \"X1\"; name = \"Pair\"; type = \"Group\"; members = [ \"E07000001\", \"E07000003\" ]; }\n"
                   "); };\n");
    p = build_ok(job);
    eng = area(p, "E92000001");
    pair = area(p, "X1");
    assert_string_equal(p->area_types[eng], "Country");
    assert_string_equal(p->area_names[pair], "Pair");

    /* 2019: 10 + 20 + 40 over the English districts; the Welsh 1000 is left out. */
    assert_true(at(p, "total", "E92000001", "2019") == 70.0);
    /* 2020: E07000002 is missing, so England is missing, not 11 + 41. */
    assert_true(isnan(at(p, "total", "E92000001", "2020")));
    /* The explicit pair has both its members in 2020: 11 + 41. */
    assert_true(at(p, "total", "X1", "2019") == 50.0);
    assert_true(at(p, "total", "X1", "2020") == 52.0);
    assert_true(present(p, "total", "E92000001"));

    /* A rate is never summed or averaged: the aggregates have none. */
    assert_false(present(p, "rate", "E92000001"));
    assert_false(present(p, "rate", "X1"));
    assert_true(isnan(at(p, "rate", "E92000001", "2019")));
    assert_true(isnan(at(p, "rate", "X1", "2020")));
    ri_panel_free(p);
    ri_job_free(job);
}

static void test_lookup_sums_and_missing_child(void **state)
{
    ri_job *job;
    ri_panel *p;
    size_t lep, d1;
    (void)state;

    write_file("lk_sums.csv", sums_csv);
    write_file("lk_sums_lookup.csv",
               "child,parent,name\n"
               "E07000001,E37000001,North\n"
               "E07000002,E37000001,North\n"
               "E07000001,E37000002,South\n"
               "E07000003,E37000002,South\n");
    job = load_job("lk_sums",
                   "version = 1;\n"
                   "datasets = ( { id = \"d\"; file = \"lk_sums.csv\"; area = \"code\"; period = \"year\";\n"
                   "  measures = { total = \"total\"; rate = \"rate\"; }; additive = [ \"total\" ]; } );\n"
                   "geography = { lookups = ( { id = \"lk\"; file = \"lk_sums_lookup.csv\"; child = \"child\";\n"
                   "  parent = \"parent\"; parent_name = \"name\"; parent_type = \"LEP\"; aggregate = [ \"total\" ]; } ); };\n");
    p = build_ok(job);
    lep = area(p, "E37000001");
    assert_string_equal(p->area_types[lep], "LEP");
    assert_string_equal(p->area_names[lep], "North");
    /* North = E07000001 + E07000002: 10 + 20 in 2019; 2020 has a missing child. */
    assert_true(at(p, "total", "E37000001", "2019") == 30.0);
    assert_true(isnan(at(p, "total", "E37000001", "2020")));
    /* South = E07000001 + E07000003, complete: 10 + 40, 11 + 41. E07000001 counts in both. */
    assert_true(at(p, "total", "E37000002", "2019") == 50.0);
    assert_true(at(p, "total", "E37000002", "2020") == 52.0);
    assert_false(present(p, "rate", "E37000001"));
    assert_true(isnan(at(p, "rate", "E37000002", "2019")));
    d1 = area(p, "E07000001");
    assert_int_equal(p->n_parents[d1], 2);
    assert_string_equal(p->area_codes[p->parents[d1][0]], "E37000001");
    assert_string_equal(p->area_codes[p->parents[d1][1]], "E37000002");
    assert_int_equal(p->n_parents[area(p, "E07000002")], 1);
    ri_panel_free(p);
    ri_job_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_lep_areas),
        cmocka_unit_test(test_real_england),
        cmocka_unit_test(test_real_lep_rows_match_districts),
        cmocka_unit_test(test_real_two_parents),
        cmocka_unit_test(test_real_vintages_apart),
        cmocka_unit_test(test_real_productivity_ratio),
        cmocka_unit_test(test_real_tamworth_in_both),
        cmocka_unit_test(test_real_ukx),
        cmocka_unit_test(test_measure_in_two_datasets),
        cmocka_unit_test(test_lookup_child_missing),
        cmocka_unit_test(test_aggregate_code_in_data),
        cmocka_unit_test(test_derived_presence),
        cmocka_unit_test(test_aggregates_sum_totals_only),
        cmocka_unit_test(test_lookup_sums_and_missing_child),
    };
    return cmocka_run_group_tests(tests, make_fixture, free_fixture);
}
