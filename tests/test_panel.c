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
    /* No other district has two LEP parents; districts of combined authorities have one more. */
    for (size_t a = 0; a < p->n_areas; a++) {
        size_t leps = 0;
        for (size_t k = 0; k < p->n_parents[a]; k++)
            leps += strcmp(p->area_types[p->parents[a][k]], "LEP") == 0;
        overlapping += leps == 2;
    }
    assert_int_equal(overlapping, 7);
    /* Bolton: Greater Manchester LEP, then Greater Manchester combined authority (ONS, May 2025). */
    assert_int_equal(p->n_parents[area(p, "E08000001")], 2);
    assert_string_equal(p->area_codes[p->parents[area(p, "E08000001")][1]], "E47000001");
    /* Which areas share members, for sums and weighted means across them. */
    assert_int_equal(p->n_overlaps, 1);
    assert_string_equal(p->overlaps[0].type, "LEP");
    assert_int_equal(p->overlaps[0].n_areas, 3);
    assert_int_equal(p->overlaps[0].n_shared, 7);
    assert_int_equal(p->overlaps[0].n_extra, 7);
    assert_null(ri_panel_overlap(p, "CA"));
    /* Dudley is in the Black Country LEP and the West Midlands combined authority; a LAD-2023
       merger (Cumberland) in Cumbria only. */
    assert_int_equal(p->n_parents[area(p, "E08000027")], 2);
    assert_string_equal(p->area_codes[p->parents[area(p, "E08000027")][0]], "E37000001");
    assert_string_equal(p->area_codes[p->parents[area(p, "E08000027")][1]], "E47000007");
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

/* England by industry is the sum of the districts with every section (the job's complete_members):
   ONS suppresses sections of 4 of the 296 English districts (data/README.md). The share was
   recomputed from the CSV's Total rows: lowest in 2008, 98.92445 %. */
static void test_real_england_by_industry(void **state)
{
    const real *r = *state;
    const ri_panel *p = r->panel;
    const ri_coverage *cv = NULL;
    static const char *const out[] = {"E06000052", "E06000053", "E07000095", "E07000243"};

    for (size_t k = 0; k < p->n_coverage; k++)
        if (strcmp(p->coverage[k].area, "E92000001") == 0)
            cv = &p->coverage[k];
    assert_non_null(cv);
    assert_string_equal(cv->measure, "gva_ind_gbp_m");
    assert_int_equal(cv->rule, RI_MEMBERS_COMPLETE);
    assert_int_equal(cv->n_members, 296);
    assert_int_equal(cv->n_used, 292);
    assert_int_equal(cv->n_left_out, 4);
    for (size_t k = 0; k < 4; k++)
        assert_string_equal(cv->left_out[k], out[k]);
    assert_rel(cv->share, 98.92445458812813, 1e-12);
    assert_string_equal(cv->share_period, "2008");
    assert_int_equal(cv->nan_cells, 0);
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

    job = test_load_job("two", job_text);
    /* The error is placed at the second dataset, the one that repeats the measure. */
    fmt(want, "%s:%d: measure \"gva\" comes from datasets \"a\" and \"b\"", job->path,
        line_of(job_text, "id = \"b\""));
    build_refused(job, RI_RC_USAGE, want, "add prefer_over = [\"a\"]");
    ri_job_free(job);

    job = test_load_job("two_b_wins", b_wins);
    p = build_ok(job);
    assert_string_equal(column(p, "gva")->dataset, "b");
    assert_true(at(p, "gva", "E07000001", "2019") == 2.0);
    assert_true(at(p, "gva", "E07000002", "2019") == 3.0);
    assert_true(present(p, "gva", "E07000002"));
    assert_int_equal(p->n_cols, 1);
    ri_panel_free(p);
    ri_job_free(job);

    /* The earlier dataset wins: the later one's areas stay in the panel but not in the measure. */
    job = test_load_job("two_a_wins", a_wins);
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
    job = test_load_job("vint",
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

    job = test_load_job("clash_agg", agg_text);
    fmt(want, "%s:%d: aggregate E92000001: the area already has \"gva\" in dataset \"d\"", job->path,
        line_of(agg_text, "{ code"));
    build_refused(job, RI_RC_USAGE, want, "use another code for the aggregate");
    ri_job_free(job);

    job = test_load_job("clash_lookup", lookup_text);
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
    job = test_load_job("der",
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
    job = test_load_job("sums",
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
    job = test_load_job("lk_sums",
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

/* ------------------------------------------------------------ members rules and coverage */

/*
 * Three districts by industry; E06000002's section K is suppressed in both
 * years, as ONS suppresses sections of Cornwall or Broxbourne. A second
 * dataset adds 2017, a year without any GVA: it must not make members
 * incomplete. By hand, per year (Total, A, K):
 *   E06000001  2019: 100 60 40    2020: 200 100 100
 *   E06000002  2019:  50 30 ..    2020:  50  30  ..
 *   E06000003  2019:  50 20 30    2020: 100  50  50
 * Complete members (1 and 3) hold (100 + 50) / 200 = 75 % of the Total in
 * 2019 and (200 + 100) / 350 = 85.7 % in 2020: the lowest is 75 % in 2019.
 */
static const char rules_csv[] =
    "code,year,sic,gva\n"
    "E06000001,2019,Total,100\nE06000001,2019,A,60\nE06000001,2019,K,40\n"
    "E06000002,2019,Total,50\nE06000002,2019,A,30\nE06000002,2019,K,[c]\n"
    "E06000003,2019,Total,50\nE06000003,2019,A,20\nE06000003,2019,K,30\n"
    "E06000001,2020,Total,200\nE06000001,2020,A,100\nE06000001,2020,K,100\n"
    "E06000002,2020,Total,50\nE06000002,2020,A,30\nE06000002,2020,K,[c]\n"
    "E06000003,2020,Total,100\nE06000003,2020,A,50\nE06000003,2020,K,50\n";

static ri_job *rules_job(const char *name, const char *rule_keys)
{
    char text[2048];
    write_file("rules.csv", rules_csv);
    write_file("rules_pop.csv", "code,year,pop\nE06000001,2017,5\n");
    fmt(text,
        "version = 1;\n"
        "datasets = (\n"
        "  { id = \"ind\"; file = \"rules.csv\"; area = \"code\"; period = \"year\"; industry = \"sic\";\n"
        "    measures = { gva = \"gva\"; }; additive = [ \"gva\" ]; },\n"
        "  { id = \"pop\"; file = \"rules_pop.csv\"; area = \"code\"; period = \"year\"; measures = { pop = \"pop\"; }; }\n"
        ");\n"
        "geography = { aggregates = ( { code = \"E92000001\"; name = \"England\"; type = \"Country\";\n"
        "  members_type = \"LAD\"; members_prefix = \"E\"; %s } ); };\n",
        rule_keys);
    return test_load_job(name, text);
}

/* The cell of a column by industry, found by the industry's label. */
static double ind_at(const ri_panel *p, const char *measure, const char *code, const char *label,
                     const char *industry)
{
    const ri_column *c = column(p, measure);
    for (size_t i = 0; i < c->n_ind; i++)
        if (strcmp(p->industries[c->ind[i]], industry) == 0)
            return c->v[(area(p, code) * p->n_periods + period(p, label)) * c->n_ind + i];
    fail_msg("measure %s has no industry %s", measure, industry);
    return NAN;
}

static const ri_coverage *only_coverage(const ri_panel *p)
{
    assert_int_equal(p->n_coverage, 1);
    return &p->coverage[0];
}

static void test_rule_strict(void **state)
{
    ri_job *job = rules_job("rules_strict", "");
    ri_panel *p = build_ok(job);
    const ri_coverage *cv = only_coverage(p);
    (void)state;

    /* Every member is summed: K is missing in both years, the rest is whole. */
    assert_true(ind_at(p, "gva", "E92000001", "2019", "Total") == 200.0);
    assert_true(ind_at(p, "gva", "E92000001", "2019", "A") == 110.0);
    assert_true(isnan(ind_at(p, "gva", "E92000001", "2019", "K")));
    assert_int_equal(cv->rule, RI_MEMBERS_STRICT);
    assert_int_equal(cv->n_members, 3);
    assert_int_equal(cv->n_used, 2);
    assert_int_equal(cv->n_left_out, 1);
    assert_string_equal(cv->left_out[0], "E06000002");
    assert_int_equal(cv->nan_cells, 2);
    assert_rel(cv->share, 75.0, 1e-15);
    assert_string_equal(cv->share_period, "2019");
    assert_int_equal(p->n_warnings, 1);
    assert_non_null(strstr(p->warnings[0], "\"gva\" is missing in 2 cells: 1 of its 3 members lack cells of it (E06000002)"));
    assert_non_null(strstr(p->warnings[0], "members_rule = \"complete_members\""));
    ri_panel_free(p);
    ri_job_free(job);
}

static void test_rule_complete_members(void **state)
{
    ri_job *job = rules_job("rules_complete", "members_rule = \"complete_members\"; min_coverage = 70;");
    ri_panel *p = build_ok(job);
    const ri_coverage *cv = only_coverage(p);
    (void)state;

    /* E06000001 + E06000003 only, in every section, so sections add up to the Total. */
    assert_true(ind_at(p, "gva", "E92000001", "2019", "Total") == 150.0);
    assert_true(ind_at(p, "gva", "E92000001", "2019", "A") == 80.0);
    assert_true(ind_at(p, "gva", "E92000001", "2019", "K") == 70.0);
    assert_true(ind_at(p, "gva", "E92000001", "2020", "Total") == 300.0);
    /* 2017 has no member data: missing, not zero, and no member was dropped for it. */
    assert_true(isnan(ind_at(p, "gva", "E92000001", "2017", "Total")));
    assert_int_equal(cv->n_used, 2);
    assert_int_equal(cv->nan_cells, 0);
    assert_rel(cv->share, 75.0, 1e-15);
    assert_string_equal(cv->share_period, "2019");
    assert_non_null(strstr(p->warnings[0],
                           "\"gva\" is the sum of the 2 of 3 members with complete data, 75.0 % of their total (lowest in 2019); left out: E06000002"));
    ri_panel_free(p);
    ri_job_free(job);
}

static void test_rule_min_coverage(void **state)
{
    /* 75 % is below the default 95 %: an error naming the member left out. */
    ri_job *job = rules_job("rules_below", "members_rule = \"complete_members\";");
    (void)state;
    build_refused(job, RI_RC_DATA, "complete data for 2 of 3 members, 75.0 % of their total (lowest in 2019), below min_coverage 95 %",
                  "members without it: E06000002");
    ri_job_free(job);
}

static void test_rule_present_members(void **state)
{
    ri_job *job = rules_job("rules_present", "members_rule = \"present_members\"; min_coverage = 70.0;");
    ri_panel *p = build_ok(job);
    (void)state;

    /* Each cell sums the members that have it: K = 40 + 30, the Total all three. */
    assert_true(ind_at(p, "gva", "E92000001", "2019", "Total") == 200.0);
    assert_true(ind_at(p, "gva", "E92000001", "2019", "K") == 70.0);
    assert_true(ind_at(p, "gva", "E92000001", "2020", "K") == 150.0);
    assert_true(isnan(ind_at(p, "gva", "E92000001", "2017", "K")));
    assert_int_equal(only_coverage(p)->rule, RI_MEMBERS_PRESENT);
    assert_non_null(strstr(p->warnings[0], "sums, cell by cell, the members that have the cell"));
    ri_panel_free(p);
    ri_job_free(job);
}

static void test_rule_config_errors(void **state)
{
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};
    char path[PATH_BUF];
    (void)state;

    write_file("rules_bad.cfg",
               "version = 1;\n"
               "datasets = ( { id = \"ind\"; file = \"rules.csv\"; area = \"code\"; period = \"year\";\n"
               "  measures = { gva = \"gva\"; }; } );\n"
               "geography = { aggregates = ( { code = \"X\"; name = \"X\"; type = \"Country\";\n"
               "  members_type = \"LAD\"; members_rule = \"some\"; } ); };\n");
    fmt(path, "%s/rules_bad.cfg", workdir);
    assert_int_equal(ri_job_load(path, &job, &err), RI_RC_USAGE);
    assert_non_null(strstr(err.msg, "rules_bad.cfg:5: \"members_rule\" must be \"strict\" or \"complete_members\" or \"present_members\"; got \"some\""));
    write_file("rules_bad.cfg",
               "version = 1;\n"
               "datasets = ( { id = \"ind\"; file = \"rules.csv\"; area = \"code\"; period = \"year\";\n"
               "  measures = { gva = \"gva\"; }; } );\n"
               "geography = { aggregates = ( { code = \"X\"; name = \"X\"; type = \"Country\";\n"
               "  members_type = \"LAD\"; min_coverage = 120; } ); };\n");
    assert_int_equal(ri_job_load(path, &job, &err), RI_RC_USAGE);
    assert_non_null(strstr(err.msg, "rules_bad.cfg:5: \"min_coverage\" must be a percentage from 0 to 100; got 120"));
}

/* A listed member absent from the data is an error when strict, left out (and counted) otherwise. */
static void test_rule_listed_member_absent(void **state)
{
    static const char text[] =
        "version = 1;\n"
        "datasets = ( { id = \"ind\"; file = \"rules.csv\"; area = \"code\"; period = \"year\"; industry = \"sic\";\n"
        "  measures = { gva = \"gva\"; }; additive = [ \"gva\" ]; } );\n"
        "geography = { aggregates = ( { code = \"G\"; name = \"Group\"; type = \"Group\";\n"
        "  members = [ \"E06000001\", \"E06000003\", \"E06000009\" ]; %s } ); };\n";
    char job_text[1024];
    ri_job *job;
    ri_panel *p;
    const ri_coverage *cv;
    (void)state;

    write_file("rules.csv", rules_csv);
    fmt(job_text, text, "");
    job = test_load_job("rules_listed", job_text);
    build_refused(job, RI_RC_DATA, "aggregate G: 1 of its 3 members have no \"gva\" data (dataset \"ind\"): E06000009",
                  "members_rule = \"complete_members\"");
    ri_job_free(job);

    fmt(job_text, text, "members_rule = \"complete_members\";");
    job = test_load_job("rules_listed_complete", job_text);
    p = build_ok(job);
    cv = only_coverage(p);
    /* E06000009's share is unknown, so the share is that of the members with data: 100 %. */
    assert_true(ind_at(p, "gva", "G", "2019", "Total") == 150.0);
    assert_int_equal(cv->n_members, 3);
    assert_int_equal(cv->n_used, 2);
    assert_string_equal(cv->left_out[0], "E06000009");
    assert_rel(cv->share, 100.0, 1e-15);
    ri_panel_free(p);
    ri_job_free(job);
}

/* Lookups take the rule too: a parent whose child has no data sums the others. */
static void test_rule_lookup(void **state)
{
    ri_job *job;
    ri_panel *p;
    const ri_coverage *cv;
    (void)state;

    write_file("rules.csv", rules_csv);
    write_file("rules_lookup.csv",
               "child,parent\n"
               "E06000001,E37000001\nE06000009,E37000001\n"
               "E06000002,E37000002\nE06000003,E37000002\n");
    job = test_load_job("rules_lookup",
                   "version = 1;\n"
                   "datasets = ( { id = \"ind\"; file = \"rules.csv\"; area = \"code\"; period = \"year\"; industry = \"sic\";\n"
                   "  measures = { gva = \"gva\"; }; additive = [ \"gva\" ]; } );\n"
                   "geography = { lookups = ( { id = \"lk\"; file = \"rules_lookup.csv\"; child = \"child\"; parent = \"parent\";\n"
                   "  parent_type = \"LEP\"; aggregate = [ \"gva\" ]; members_rule = \"complete_members\"; min_coverage = 0; } ); };\n");
    p = build_ok(job);
    assert_int_equal(p->n_coverage, 2);
    cv = &p->coverage[0];
    assert_string_equal(cv->source, "lookup lk");
    assert_string_equal(cv->area, "E37000001");
    assert_string_equal(cv->left_out[0], "E06000009");
    assert_true(ind_at(p, "gva", "E37000001", "2019", "Total") == 100.0);
    /* E37000002 = E06000003 only (E06000002 lacks K): 50 of 100 in 2019, 100 of 150 in 2020. */
    cv = &p->coverage[1];
    assert_string_equal(cv->area, "E37000002");
    assert_rel(cv->share, 50.0, 1e-15);
    assert_true(ind_at(p, "gva", "E37000002", "2019", "K") == 30.0);
    assert_non_null(strstr(p->warnings[1], "lookup \"lk\": parent E37000002"));
    ri_panel_free(p);
    ri_job_free(job);
}

/* Memberships: a parent in no dataset is reported; one child may have very many parents. */
static void test_lookup_parents_recorded(void **state)
{
    enum { PARENTS = 20000 };
    size_t len = 64 + PARENTS * 32, used;
    char *lookup = malloc(len);
    ri_job *job;
    ri_panel *p;
    size_t d;
    (void)state;

    assert_non_null(lookup);
    write_file("par.csv", "code,year,v\nE06000001,2019,1\nE06000002,2019,2\nE37000001,2019,3\n");
    write_file("par_lookup.csv",
               "child,parent\nE06000001,E37000001\nE06000002,E37000099\nE06000001,E37000098\n");
    job = test_load_job("par",
                   "version = 1;\n"
                   "datasets = ( { id = \"d\"; file = \"par.csv\"; area = \"code\"; period = \"year\";\n"
                   "  measures = { v = \"v\"; }; additive = [ \"v\" ]; } );\n"
                   "geography = { lookups = ( { id = \"lk\"; file = \"par_lookup.csv\"; child = \"child\"; parent = \"parent\"; } ); };\n");
    p = build_ok(job);
    assert_int_equal(p->n_parents[area(p, "E06000001")], 1);
    assert_int_equal(p->n_warnings, 1);
    assert_non_null(strstr(p->warnings[0],
                           "lookup \"lk\": 2 parents of areas in the data are not in any dataset, so they have no members: E37000099, E37000098"));
    ri_panel_free(p);
    ri_job_free(job);

    /* One district in 20,000 parents, listed in descending order: all kept, in the file's order. */
    used = (size_t)snprintf(lookup, len, "child,parent\n");
    for (int k = PARENTS; k > 0; k--)
        used += (size_t)snprintf(lookup + used, len - used, "E06000001,P%06d\n", k);
    write_file("many_lookup.csv", lookup);
    free(lookup);
    job = test_load_job("many",
                   "version = 1;\n"
                   "datasets = ( { id = \"d\"; file = \"par.csv\"; area = \"code\"; period = \"year\";\n"
                   "  measures = { v = \"v\"; }; additive = [ \"v\" ]; } );\n"
                   "geography = { lookups = ( { id = \"lk\"; file = \"many_lookup.csv\"; child = \"child\"; parent = \"parent\";\n"
                   "  parent_type = \"Group\"; aggregate = [ \"v\" ]; } ); };\n");
    p = build_ok(job);
    d = area(p, "E06000001");
    assert_int_equal(p->n_parents[d], PARENTS);
    assert_string_equal(p->area_codes[p->parents[d][0]], "P020000");
    assert_string_equal(p->area_codes[p->parents[d][PARENTS - 1]], "P000001");
    assert_true(at(p, "v", "P000001", "2019") == 1.0);
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
        cmocka_unit_test(test_real_england_by_industry),
        cmocka_unit_test(test_measure_in_two_datasets),
        cmocka_unit_test(test_lookup_child_missing),
        cmocka_unit_test(test_aggregate_code_in_data),
        cmocka_unit_test(test_derived_presence),
        cmocka_unit_test(test_aggregates_sum_totals_only),
        cmocka_unit_test(test_lookup_sums_and_missing_child),
        cmocka_unit_test(test_rule_strict),
        cmocka_unit_test(test_rule_complete_members),
        cmocka_unit_test(test_rule_min_coverage),
        cmocka_unit_test(test_rule_present_members),
        cmocka_unit_test(test_rule_config_errors),
        cmocka_unit_test(test_rule_listed_member_absent),
        cmocka_unit_test(test_rule_lookup),
        cmocka_unit_test(test_lookup_parents_recorded),
    };
    return cmocka_run_group_tests(tests, make_fixture, free_fixture);
}
