/*
 * test_dataset.c — reading one dataset into a cube: the tidy and wide layouts,
 * title rows, filters, industries, every missing marker, quoted thousands,
 * duplicate keys under both policies, and each refusal with its location.
 *
 * Every fixture is written by the test into a fresh temporary directory next
 * to the job file that describes it, so the expected values below are read
 * straight off the fixture text in the same function.
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
#include "dataset.h"

static int make_workdir(void **state)
{
    (void)state;
    return test_make_workdir("dataset");
}

static int remove_workdir(void **state)
{
    (void)state;
    return test_remove_tree(workdir);
}

/* The path the reader names in its messages for a fixture (the job resolves it against workdir). */
static void data_path(char *buf, const char *name)
{
    fmt(buf, "%s/%s", workdir, name);
}

/* Write job NAME.cfg holding one dataset group and load it. */
static ri_job *job_with(const char *name, const char *dataset_group)
{
    char file[PATH_BUF], path[PATH_BUF], text[PATH_BUF];
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};

    fmt(file, "%s.cfg", name);
    fmt(text, "version = 1;\ndatasets = ( %s );\n", dataset_group);
    write_file(file, text);
    fmt(path, "%s/%s", workdir, file);
    if (ri_job_load(path, &job, &err) != RI_RC_OK)
        fail_msg("job %s: %s", name, err.msg);
    return job;
}

static ri_job *job_with_missing(const char *name, const char *missing, const char *dataset_group)
{
    char file[PATH_BUF], path[PATH_BUF], text[PATH_BUF];
    ri_job *job = NULL;
    ri_error err = {RI_RC_OK, ""};

    fmt(file, "%s.cfg", name);
    fmt(text, "version = 1;\nmissing = %s;\ndatasets = ( %s );\n", missing, dataset_group);
    write_file(file, text);
    fmt(path, "%s/%s", workdir, file);
    if (ri_job_load(path, &job, &err) != RI_RC_OK)
        fail_msg("job %s: %s", name, err.msg);
    return job;
}

static ri_dataset *load_ok(const ri_job *job)
{
    ri_dataset *ds = NULL;
    ri_error err = {RI_RC_OK, ""};
    if (ri_dataset_load(&job->datasets[0], job->missing, job->n_missing, &ds, &err) != RI_RC_OK)
        fail_msg("loading %s: %s", job->datasets[0].path, err.msg);
    assert_non_null(ds);
    return ds;
}

/* Load the job's only dataset, expecting a refusal whose message holds each of the substrings. */
static void load_refused(const ri_job *job, ri_rc code, const char *want1, const char *want2)
{
    ri_dataset *ds = (ri_dataset *)&ds;
    ri_error err = {RI_RC_OK, ""};
    ri_rc rc = ri_dataset_load(&job->datasets[0], job->missing, job->n_missing, &ds, &err);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_null(ds);
    if (!strstr(err.msg, want1))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want1);
    if (want2 && !strstr(err.msg, want2))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want2);
}

static size_t area_of(const ri_dataset *ds, const char *code)
{
    long a = ri_strtab_find(ds->areas, code, strlen(code));
    if (a < 0)
        fail_msg("area %s is not in the dataset", code);
    return (size_t)a;
}

static size_t period_of(const ri_dataset *ds, const char *label)
{
    long p = ri_strtab_find(ds->periods, label, strlen(label));
    if (p < 0)
        fail_msg("period %s is not in the dataset", label);
    return (size_t)p;
}

static size_t industry_of(const ri_dataset *ds, const char *label)
{
    long i = ri_strtab_find(ds->industries, label, strlen(label));
    if (i < 0)
        fail_msg("industry %s is not in the dataset", label);
    return (size_t)i;
}

static double value(const ri_dataset *ds, const char *measure, const char *area, const char *period)
{
    long m = ri_dataset_measure(ds, measure);
    assert_true(m >= 0);
    return ds->values[m][RI_CELL(ds, area_of(ds, area), period_of(ds, period), 0)];
}

static void assert_periods(const ri_dataset *ds, const char *const *want, size_t n)
{
    assert_int_equal(ds->n_periods, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(ri_strtab_get(ds->periods, i), want[i]);
}

/* ------------------------------------------------------------ tidy layout */

/* Rows arrive in no particular period order; E2 has no 2020 row. */
static const char tidy_csv[] =
    "code,name,year,gva,jobs\n"          /* line 1 */
    "E1,Alpha,2021,30,300\n"             /* line 2 */
    "E2,Beta,2019,11,110\n"              /* line 3 */
    "E1,Alpha,2019,10,100\n"             /* line 4 */
    "E2,Beta,2021,31,310\n"              /* line 5 */
    "E1,Alpha,2020,20,200\n"             /* line 6 */
    "E3,Gamma,2020,99,990\n";            /* line 7 */

static void test_tidy(void **state)
{
    static const char *const periods[] = {"2019", "2020", "2021"};
    ri_job *job;
    ri_dataset *ds;
    (void)state;

    write_file("tidy.csv", tidy_csv);
    job = job_with("tidy",
                   "{ id = \"t\"; file = \"tidy.csv\"; area = \"code\"; area_name = \"name\";"
                   "  period = \"year\"; measures = { gva = \"gva\"; filled_jobs = \"jobs\"; };"
                   "  additive = [ \"gva\" ]; }");
    ds = load_ok(job);

    assert_int_equal(ds->rows_read, 6);
    assert_int_equal(ds->rows_kept, 6);
    assert_int_equal(ds->cells_read, 12); /* 6 rows x 2 measures */
    assert_int_equal(ds->n_areas, 3);
    assert_int_equal(ds->n_industries, 1);
    assert_null(ds->industries);
    assert_periods(ds, periods, 3);

    assert_int_equal(ds->n_measures, 2);
    assert_string_equal(ds->measure_names[0], "gva");
    assert_string_equal(ds->measure_names[1], "filled_jobs");
    assert_int_equal(ds->additive[0], 1);
    assert_int_equal(ds->additive[1], 0);
    assert_int_equal(ri_dataset_measure(ds, "nothing"), -1);

    assert_string_equal(ds->area_names[area_of(ds, "E1")], "Alpha");
    assert_string_equal(ds->area_names[area_of(ds, "E3")], "Gamma");

    assert_true(value(ds, "gva", "E1", "2019") == 10.0);
    assert_true(value(ds, "gva", "E1", "2021") == 30.0);
    assert_true(value(ds, "filled_jobs", "E2", "2021") == 310.0);
    assert_true(value(ds, "gva", "E3", "2020") == 99.0);
    /* No E2 2020 row: absent, so NaN, never 0. */
    assert_true(isnan(value(ds, "gva", "E2", "2020")));
    assert_true(isnan(value(ds, "filled_jobs", "E3", "2019")));


    /* The four absent cells (E2 2020, E3 2019 and 2021) of each of 2 measures. */
    assert_int_equal(ri_dataset_missing_total(ds), 6);
    ri_dataset_free(ds);
    ri_job_free(job);
}

/*
 * Keys met in the first pass serve the second: rows whose areas, periods
 * and industries each half of the file meets first (read in two halves,
 * each numbers them its own way), periods in falling order, blank and
 * filtered-out rows among them. Every value encodes its key,
 * area * 10000 + year offset * 100 + industry, so a row stored in another
 * cell shows.
 */
static void test_tidy_keys_of_first_pass(void **state)
{
    enum { AREAS = 40, YEARS = 6, INDUSTRIES = 5 };
    size_t cap = (size_t)AREAS * YEARS * INDUSTRIES * 40 + 256, len = 0;
    char *text = malloc(cap);
    ri_job *job;
    ri_dataset *ds;
    (void)state;

    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "code,year,sic,kind,gva\n");
    for (int a = 0; a < AREAS; a++)
        for (int y = YEARS - 1; y >= 0; y--)
            for (int i = 0; i < INDUSTRIES; i++) {
                /* The second half's areas bring industries of their own. */
                int ind = a < AREAS / 2 ? i : i + INDUSTRIES;
                len += (size_t)snprintf(text + len, cap - len, "A%02d,%d,S%d,keep,%d\n", a, 2010 + y, ind,
                                        a * 10000 + y * 100 + ind);
                if (i == 1)
                    len += (size_t)snprintf(text + len, cap - len, ",,,,\nA%02d,%d,S%d,drop,-1\n", a, 2010 + y, ind);
            }
    write_file("keys.csv", text);
    free(text);
    job = job_with("keys",
                   "{ id = \"k\"; file = \"keys.csv\"; area = \"code\"; period = \"year\"; industry = \"sic\";"
                   "  measures = { gva = \"gva\"; }; filter = { kind = \"keep\"; }; }");
    ds = load_ok(job);
    assert_int_equal(ds->rows_kept, AREAS * YEARS * INDUSTRIES);
    assert_int_equal(ds->n_industries, 2 * INDUSTRIES);
    assert_string_equal(ri_strtab_get(ds->periods, 0), "2010");
    for (int a = 0; a < AREAS; a++)
        for (int y = 0; y < YEARS; y++)
            for (int ind = 0; ind < 2 * INDUSTRIES; ind++) {
                char code[8], year[8], sic[8];
                double v;
                snprintf(code, sizeof code, "A%02d", a);
                snprintf(year, sizeof year, "%d", 2010 + y);
                snprintf(sic, sizeof sic, "S%d", ind);
                v = ds->values[0][RI_CELL(ds, area_of(ds, code), period_of(ds, year), industry_of(ds, sic))];
                if ((ind < INDUSTRIES) == (a < AREAS / 2)) {
                    if (v != a * 10000 + y * 100 + ind)
                        fail_msg("%s %s %s holds %g; expected %d", code, year, sic, v, a * 10000 + y * 100 + ind);
                } else if (!isnan(v)) {
                    fail_msg("%s %s %s holds %g; expected no value", code, year, sic, v);
                }
            }
    ri_dataset_free(ds);
    ri_job_free(job);
}

/* A filter on the key column itself, with a list of values, drops E2's rows and the area. */
static void test_tidy_filter_on_key(void **state)
{
    ri_job *job;
    ri_dataset *ds;
    (void)state;

    write_file("tidy_f.csv", tidy_csv);
    job = job_with("tidy_f",
                   "{ id = \"t\"; file = \"tidy_f.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; filter = { code = [ \"E1\", \"E3\" ]; }; }");
    ds = load_ok(job);
    assert_int_equal(ds->rows_read, 6);
    assert_int_equal(ds->rows_kept, 4); /* E1 x 3, E3 x 1 */
    assert_int_equal(ds->n_areas, 2);
    assert_true(ri_strtab_find(ds->areas, "E2", 2) < 0);
    /* Periods come only from kept rows; all three still occur there. */
    assert_int_equal(ds->n_periods, 3);
    assert_true(value(ds, "gva", "E1", "2020") == 20.0);
    /* Without an area_name binding names are empty, not NULL. */
    assert_string_equal(ds->area_names[area_of(ds, "E1")], "");
    ri_dataset_free(ds);
    ri_job_free(job);
}

/* ------------------------------------------------------------ wide layout */

static void test_wide(void **state)
{
    static const char *const periods[] = {"2019", "2020", "2021"};
    ri_job *job;
    ri_dataset *ds;
    size_t a_p1, a_d1, i_a, i_b;
    (void)state;

    /*
     * Two title rows before the header (skip_rows = 2); period columns out of
     * order and mixed with a non-period column that shares the prefix; an ER
     * row the filter drops; two industries.
     */
    write_file("wide.csv",
               "Regional GVA (test extract)\n"
               "\"Source: invented, for tests\"\n"
               "area_type,geo,label,sector,Y_2021,Y_2019,Y_note,Y_2020\n"
               "LEP,P1,Partnership one,A,3,1,,2\n"
               "LA,D1,District one,A,30,10,revised,20\n"
               "LA,D1,District one,B,31,11,,21\n"
               "ER,R1,Region one,A,7,5,,6\n"
               "LEP,P1,Partnership one,B,4,2,,3\n");
    job = job_with("wide",
                   "{ id = \"w\"; file = \"wide.csv\"; layout = \"wide\"; skip_rows = 2;"
                   "  area = \"geo\"; area_name = \"label\"; area_type = \"area_type\";"
                   "  industry = \"sector\"; period_prefix = \"Y_\"; measure = \"gva\";"
                   "  filter = { area_type = [ \"LEP\", \"LA\" ]; }; additive = [ \"gva\" ]; }");
    ds = load_ok(job);

    assert_int_equal(ds->rows_read, 5);
    assert_int_equal(ds->rows_kept, 4);
    assert_int_equal(ds->cells_read, 12); /* 4 kept rows x 3 period columns */
    assert_int_equal(ds->n_areas, 2);
    assert_true(ri_strtab_find(ds->areas, "R1", 2) < 0);
    assert_periods(ds, periods, 3); /* "Y_note" is not a period */
    assert_non_null(ds->industries);
    assert_int_equal(ds->n_industries, 2);
    assert_int_equal(ds->n_measures, 1);
    assert_string_equal(ds->measure_names[0], "gva");
    assert_int_equal(ds->additive[0], 1);

    a_p1 = area_of(ds, "P1");
    a_d1 = area_of(ds, "D1");
    i_a = industry_of(ds, "A");
    i_b = industry_of(ds, "B");
    assert_string_equal(ds->area_names[a_p1], "Partnership one");
    assert_string_equal(ds->area_names[a_d1], "District one");
    assert_string_equal(ds->area_types[a_p1], "LEP");
    assert_string_equal(ds->area_types[a_d1], "LA");

    assert_true(ds->values[0][RI_CELL(ds, a_p1, period_of(ds, "2019"), i_a)] == 1.0);
    assert_true(ds->values[0][RI_CELL(ds, a_p1, period_of(ds, "2021"), i_b)] == 4.0);
    assert_true(ds->values[0][RI_CELL(ds, a_d1, period_of(ds, "2020"), i_b)] == 21.0);
    assert_true(ds->values[0][RI_CELL(ds, a_d1, period_of(ds, "2021"), i_a)] == 30.0);
    assert_int_equal(ri_dataset_missing_total(ds), 0);
    ri_dataset_free(ds);
    ri_job_free(job);
}

/* Without a prefix the headers are the years; their file order is descending here. */
static void test_wide_periods_sorted(void **state)
{
    static const char *const periods[] = {"2001", "2010", "2019-20"};
    ri_job *job;
    ri_dataset *ds;
    (void)state;

    write_file("wide_sort.csv",
               "code,2019-20,2010,name,2001\n"
               "K1,3,2,Kay,1\n");
    job = job_with("wide_sort",
                   "{ id = \"w\"; file = \"wide_sort.csv\"; layout = \"wide\"; area = \"code\";"
                   "  area_name = \"name\"; measure = \"v\"; }");
    ds = load_ok(job);
    assert_periods(ds, periods, 3);
    assert_true(value(ds, "v", "K1", "2001") == 1.0);
    assert_true(value(ds, "v", "K1", "2010") == 2.0);
    assert_true(value(ds, "v", "K1", "2019-20") == 3.0);
    assert_string_equal(ds->area_names[0], "Kay");
    ri_dataset_free(ds);
    ri_job_free(job);
}

static void test_wide_without_periods(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    /* "Y2019" lacks the underscore of the configured prefix. */
    write_file("wide_none.csv", "code,name,total,Y2019\nK1,Kay,5,6\n");
    job = job_with("wide_none",
                   "{ id = \"w\"; file = \"wide_none.csv\"; layout = \"wide\"; area = \"code\";"
                   "  period_prefix = \"Y_\"; measure = \"v\"; }");
    data_path(path, "wide_none.csv");
    fmt(want, "%s:1: no period columns", path);
    load_refused(job, RI_RC_DATA, want, "expected headers of the form \"Y_YYYY\"");
    ri_job_free(job);
}

/* ------------------------------------------------------------ cells */

static void test_missing_markers_and_thousands(void **state)
{
    /* Built-in markers in number.h's order, then the job's, then the dataset's. */
    static const char *const names[] = {"blank", "..", ":", "-", "x", "c", "[u]", "[c]",
                                        "[x]", "[low]", "n/a", "z"};
    ri_job *job;
    ri_dataset *ds;
    (void)state;

    write_file("markers.csv",
               "code,year,v\n"
               "A,2000,\n"
               "A,2001,..\n"
               "A,2002,:\n"
               "A,2003,-\n"
               "A,2004,x\n"
               "A,2005,c\n"
               "A,2006,[u]\n"
               "A,2007,[c]\n"
               "A,2008,[x]\n"
               "A,2009,[low]\n"
               "A,2010,n/a\n"
               "A,2011,z\n"
               "A,2012,\"1,234\"\n"
               "A,2013,\"12,345,678.5\"\n"
               "A,2014, 7.5 \n");
    job = job_with_missing("markers", "[ \"n/a\" ]",
                           "{ id = \"m\"; file = \"markers.csv\"; area = \"code\"; period = \"year\";"
                           "  measures = { v = \"v\"; }; missing = [ \"z\" ]; }");
    ds = load_ok(job);

    assert_int_equal(ds->n_markers, 12);
    for (size_t k = 0; k < 12; k++) {
        assert_string_equal(ds->marker_names[k], names[k]);
        /* One cell of each marker in the fixture. */
        assert_int_equal(ds->missing_by_marker[k], 1);
    }
    assert_int_equal(ri_dataset_missing_total(ds), 12);
    assert_int_equal(ds->cells_read, 15);
    assert_true(isnan(value(ds, "v", "A", "2000")));
    assert_true(isnan(value(ds, "v", "A", "2010")));
    assert_true(isnan(value(ds, "v", "A", "2011")));
    /* Thousands separators inside quotes: 1,234 = 1234; 12,345,678.5 = 12345678.5. */
    assert_true(value(ds, "v", "A", "2012") == 1234.0);
    assert_true(value(ds, "v", "A", "2013") == 12345678.5);
    assert_true(value(ds, "v", "A", "2014") == 7.5);
    ri_dataset_free(ds);
    ri_job_free(job);
}

/* Without the job's marker "n/a" is text, so the same kind of file is refused. */
static void test_not_a_number(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("bad_number.csv",
               "code,year,gva\n"
               "A,2019,12\n"
               "A,2020,12abc\n");
    job = job_with("bad_number",
                   "{ id = \"b\"; file = \"bad_number.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; }");
    data_path(path, "bad_number.csv");
    fmt(want, "%s:3:3: \"12abc\" in column \"gva\" is not a number", path);
    load_refused(job, RI_RC_DATA, want, "expected a number or a missing-value marker");
    ri_job_free(job);

    write_file("bad_marker.csv",
               "code,year,gva\n"
               "A,2019,n/a\n");
    job = job_with("bad_marker",
                   "{ id = \"b\"; file = \"bad_marker.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { output = \"gva\"; }; }");
    data_path(path, "bad_marker.csv");
    fmt(want, "%s:2:3: \"n/a\" in column \"gva\" is not a number", path);
    load_refused(job, RI_RC_DATA, want, NULL);
    ri_job_free(job);
}

/*
 * Quoted names holding line breaks, commas and doubled quotes, long enough
 * that the middle of the file falls inside one: a reader that splits the
 * file in two (the second run of this suite) must split between records.
 */
static const char multiline_csv[] =
    "code,name,year,gva\n"
    "A,\"Alpha\",2019,1\n"                                   /* line 2 */
    "B,\"Beta\nsecond line, with a comma\nthird line \"\"quoted\"\"\n"
    "fourth line\nfifth line\nsixth line\nseventh line\",2019,2\n" /* lines 3-9 */
    "C,\"Gamma \"\"G\"\"\",2019,3\n"                          /* line 10 */
    "D,Delta,2019,4\n";                                       /* line 11 */

static void test_quoted_line_breaks(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    ri_dataset *ds;
    (void)state;

    write_file("multiline.csv", multiline_csv);
    job = job_with("multiline",
                   "{ id = \"m\"; file = \"multiline.csv\"; area = \"code\"; area_name = \"name\";"
                   "  period = \"year\"; measures = { gva = \"gva\"; }; }");
    ds = load_ok(job);
    assert_int_equal(ds->rows_kept, 4);
    assert_int_equal(ds->n_areas, 4);
    assert_string_equal(ds->area_names[area_of(ds, "B")],
                        "Beta\nsecond line, with a comma\nthird line \"quoted\"\nfourth line\nfifth line\n"
                        "sixth line\nseventh line");
    assert_string_equal(ds->area_names[area_of(ds, "C")], "Gamma \"G\"");
    assert_true(value(ds, "gva", "B", "2019") == 2.0);
    assert_true(value(ds, "gva", "D", "2019") == 4.0);
    ri_dataset_free(ds);
    ri_job_free(job);

    /* Line numbers count the breaks inside quotes: the bad cell is on line 11. */
    {
        char text[1024];
        fmt(text, "%.*sD,Delta,2019,4x\n", (int)(sizeof multiline_csv - 1 - strlen("D,Delta,2019,4\n")),
            multiline_csv);
        write_file("multiline_bad.csv", text);
    }
    job = job_with("multiline_bad",
                   "{ id = \"m\"; file = \"multiline_bad.csv\"; area = \"code\"; area_name = \"name\";"
                   "  period = \"year\"; measures = { gva = \"gva\"; }; }");
    data_path(path, "multiline_bad.csv");
    fmt(want, "%s:11:4: \"4x\" in column \"gva\" is not a number", path);
    load_refused(job, RI_RC_DATA, want, NULL);
    ri_job_free(job);
}

/* ------------------------------------------------------------ duplicate keys */

static const char dup_exact_csv[] =
    "code,year,gva\n"
    "A,2019,1\n" /* line 2 */
    "B,2019,2\n"
    "A,2020,..\n"
    "A,2019,1\n"  /* line 5: repeats line 2 */
    "A,2020,..\n"; /* line 6: repeats line 4, missing both times */

static void test_duplicate_key_refused(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("dup.csv", dup_exact_csv);
    job = job_with("dup",
                   "{ id = \"d\"; file = \"dup.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; }");
    data_path(path, "dup.csv");
    fmt(want, "%s:5: duplicate key (area A, period 2019) first seen on line 2", path);
    load_refused(job, RI_RC_DATA, want, "expected one row per key");
    ri_job_free(job);
}

static void test_duplicates_identical(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    ri_dataset *ds;
    (void)state;

    write_file("dup_same.csv", dup_exact_csv);
    job = job_with("dup_same",
                   "{ id = \"d\"; file = \"dup_same.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; duplicates = \"identical\"; }");
    ds = load_ok(job);
    assert_int_equal(ds->rows_kept, 5);
    assert_int_equal(ds->n_areas, 2);
    assert_true(value(ds, "gva", "A", "2019") == 1.0);
    assert_true(isnan(value(ds, "gva", "A", "2020")));
    /* Every row's cell is read and counted, repeats included: 5 cells, ".." twice (lines 4 and 6). */
    assert_int_equal(ds->cells_read, 5);
    assert_int_equal(ds->missing_by_marker[1], 2);
    ri_dataset_free(ds);
    ri_job_free(job);

    write_file("dup_differ.csv",
               "code,year,gva\n"
               "A,2019,1\n"
               "B,2019,2\n"
               "A,2019,1.5\n");
    job = job_with("dup_differ",
                   "{ id = \"d\"; file = \"dup_differ.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; duplicates = \"identical\"; }");
    data_path(path, "dup_differ.csv");
    fmt(want, "%s:4: duplicate key (area A, period 2019) first seen on line 2", path);
    load_refused(job, RI_RC_DATA, want, "with different values");
    ri_job_free(job);

    /* A number and a missing marker are different values too. */
    write_file("dup_nan.csv",
               "code,year,gva\n"
               "A,2019,1\n"
               "A,2019,..\n");
    job = job_with("dup_nan",
                   "{ id = \"d\"; file = \"dup_nan.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; duplicates = \"identical\"; }");
    data_path(path, "dup_nan.csv");
    fmt(want, "%s:3: duplicate key (area A, period 2019) first seen on line 2", path);
    load_refused(job, RI_RC_DATA, want, "with different values");
    ri_job_free(job);
}

/* With an industry column the key has three parts, and the message names the industry. */
static void test_duplicate_key_with_industry(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("dup_ind.csv",
               "code,year,sic,gva\n"
               "A,2019,C,1\n"
               "A,2019,F,2\n"
               "A,2019,C,3\n");
    job = job_with("dup_ind",
                   "{ id = \"d\"; file = \"dup_ind.csv\"; area = \"code\"; period = \"year\";"
                   "  industry = \"sic\"; measures = { gva = \"gva\"; }; }");
    data_path(path, "dup_ind.csv");
    fmt(want, "%s:4: duplicate key (area A, period 2019, industry C) first seen on line 2", path);
    load_refused(job, RI_RC_DATA, want, NULL);
    ri_job_free(job);
}

/* ------------------------------------------------------------ structure */

static void test_ragged_row(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("ragged.csv",
               "code,year,gva\n"
               "A,2019,1\n"
               "A,2020\n");
    job = job_with("ragged",
                   "{ id = \"r\"; file = \"ragged.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; }");
    data_path(path, "ragged.csv");
    fmt(want, "%s:3: row has 2 fields; expected 3 like the header on line 1", path);
    load_refused(job, RI_RC_DATA, want, NULL);
    ri_job_free(job);
}

static void test_missing_bound_column(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("columns.csv", "code,year,gva\nA,2019,1\n");
    data_path(path, "columns.csv");

    job = job_with("col_area",
                   "{ id = \"c\"; file = \"columns.csv\"; area = \"geo_code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; }");
    fmt(want, "%s:1: no column \"geo_code\" (bound to area in dataset \"c\")", path);
    load_refused(job, RI_RC_DATA, want, "starting \"code\"");
    ri_job_free(job);

    job = job_with("col_measure",
                   "{ id = \"c\"; file = \"columns.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"GVA\"; }; }");
    fmt(want, "%s:1: no column \"GVA\" (bound to gva in dataset \"c\")", path);
    load_refused(job, RI_RC_DATA, want, NULL);
    ri_job_free(job);

    job = job_with("col_filter",
                   "{ id = \"c\"; file = \"columns.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; filter = { area_type = \"LA\"; }; }");
    fmt(want, "%s:1: no column \"area_type\" (bound to a filter in dataset \"c\")", path);
    load_refused(job, RI_RC_DATA, want, NULL);
    ri_job_free(job);
}

/* A period that does not start with a year could neither sort nor give period_years. */
static void test_bad_period_label(void **state)
{
    char path[PATH_BUF], want[PATH_BUF];
    ri_job *job;
    (void)state;

    write_file("bad_period.csv", "code,year,gva\nA,2019,1\nA,FY20,2\n");
    job = job_with("bad_period",
                   "{ id = \"p\"; file = \"bad_period.csv\"; area = \"code\"; period = \"year\";"
                   "  measures = { gva = \"gva\"; }; }");
    data_path(path, "bad_period.csv");
    fmt(want, "%s:3:2: period \"FY20\" does not start with a four-digit year", path);
    load_refused(job, RI_RC_DATA, want, NULL);
    ri_job_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tidy),
        cmocka_unit_test(test_tidy_filter_on_key),
        cmocka_unit_test(test_tidy_keys_of_first_pass),
        cmocka_unit_test(test_wide),
        cmocka_unit_test(test_wide_periods_sorted),
        cmocka_unit_test(test_wide_without_periods),
        cmocka_unit_test(test_missing_markers_and_thousands),
        cmocka_unit_test(test_not_a_number),
        cmocka_unit_test(test_quoted_line_breaks),
        cmocka_unit_test(test_duplicate_key_refused),
        cmocka_unit_test(test_duplicates_identical),
        cmocka_unit_test(test_duplicate_key_with_industry),
        cmocka_unit_test(test_ragged_row),
        cmocka_unit_test(test_missing_bound_column),
        cmocka_unit_test(test_bad_period_label),
    };
    int failed = cmocka_run_group_tests(tests, make_workdir, remove_workdir);

    /* Again with every file read in two halves on two threads (large files
       only, normally): the same cubes, counts and messages, to the byte. */
    setenv("REGIND_TEST_HALVES_MIN_BYTES", "0", 1);
    return failed + cmocka_run_group_tests(tests, make_workdir, remove_workdir);
}
