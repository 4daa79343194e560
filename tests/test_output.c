/* test_output.c — result columns (results.c) and the CSV and JSON writers. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output_csv.h"
#include "output_json.h"
#include "results.h"

/* Labels of a 2-area x 2-period panel; industries[0] == NULL means none. */
typedef struct labels {
    const char *codes[2], *names[2], *types[2], *periods[2], *industries[2];
} labels;

static const labels LEPS = {
    {"E37000001", "E37000002"},
    {"Black Country", "Thames \"Valley\", East"},
    {"LEP", "LEP"},
    {"2018", "2019"},
    {NULL, NULL},
};

/* Every text field starts with a character a spreadsheet reads as a formula. */
static const labels HOSTILE = {
    {"+E1", "@E2"},
    {"=SUM(A1,A2)", "-Wick"},
    {"LEP", "LAD"},
    {"\t2019", "\r2020"},
    {"-Mining", "Retail, wholesale"},
};

static char *dup_str(const char *s)
{
    char *d = malloc(strlen(s) + 1);

    assert_non_null(d);
    return strcpy(d, s);
}

static char **dup_labels(const char *const *src)
{
    char **d = calloc(2, sizeof *d);

    assert_non_null(d);
    d[0] = dup_str(src[0]);
    d[1] = dup_str(src[1]);
    return d;
}

static void free_labels(char **l)
{
    if (l) {
        free(l[0]);
        free(l[1]);
        free(l);
    }
}

/* panel.c is not used: the writers only read labels and sizes. */
static ri_panel *make_panel(const labels *l)
{
    ri_panel *p = calloc(1, sizeof *p);

    assert_non_null(p);
    p->n_areas = 2;
    p->n_periods = 2;
    p->n_industries = l->industries[0] ? 2 : 1;
    p->area_codes = dup_labels(l->codes);
    p->area_names = dup_labels(l->names);
    p->area_types = dup_labels(l->types);
    p->periods = dup_labels(l->periods);
    p->period_years = calloc(2, sizeof *p->period_years);
    assert_non_null(p->period_years);
    p->period_years[0] = 2018;
    p->period_years[1] = 2019;
    p->industries = l->industries[0] ? dup_labels(l->industries) : NULL;
    return p;
}

static void free_panel(ri_panel *p)
{
    free_labels(p->area_codes);
    free_labels(p->area_names);
    free_labels(p->area_types);
    free_labels(p->periods);
    free_labels(p->industries);
    free(p->period_years);
    free(p);
}

/* The test panels' industries, in panel order: a column by industry that has them all. */
static const size_t both_industries[] = {0, 1};

/* Add a column and fill it with n values (n must be its cell count). */
static void add(ri_results *r, const char *indicator, const char *output, const char *unit,
                int by_industry, const double *v, size_t n)
{
    ri_result_col *c = ri_results_add(r, indicator, output, unit, 2,
                                      by_industry ? both_industries : NULL);

    assert_non_null(c);
    memcpy(c->v, v, n * sizeof *v);
}

typedef ri_rc (*writer_fn)(ri_sink *, const ri_results *, const ri_selection *, ri_error *);

/* write through a stream sink over f, as compare does; the first error wins. */
static ri_rc write_to(FILE *f, writer_fn write, const ri_results *r, const ri_selection *sel, ri_error *err)
{
    ri_sink *sink;
    ri_rc rc = ri_sink_stream(f, &sink, err);

    if (rc)
        return rc;
    rc = write(sink, r, sel, err);
    ri_rc closed = ri_sink_close(sink, NULL, rc ? NULL : err);
    return rc ? rc : closed;
}

/* What write produced; *rc and err receive its status. Caller frees. */
static char *capture(writer_fn write, const ri_results *r, const ri_selection *sel,
                     ri_rc *rc, ri_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    ri_error_clear(err);
    *rc = write_to(f, write, r, sel, err);
    assert_int_equal(fclose(f), 0);
    assert_non_null(buf);
    return buf;
}

/* capture() with every output cut in pieces of a few cells, formatted on two threads. */
static char *capture_in_pieces(writer_fn write, const ri_results *r, ri_rc *rc, ri_error *err)
{
    char *text;

    setenv("REGIND_TEST_SMALL_PIECES", "1", 1);
    text = capture(write, r, NULL, rc, err);
    unsetenv("REGIND_TEST_SMALL_PIECES");
    return text;
}

/* Columns o0, o1, ... of indicator, each of a 2 x 2 panel's cells; value(k, cell) fills column k. */
static void add_columns(ri_results *r, const char *indicator, size_t cols, double (*value)(size_t, size_t))
{
    for (size_t k = 0; k < cols; k++) {
        char output[32];
        double v[4];
        snprintf(output, sizeof output, "o%zu", k);
        for (size_t c = 0; c < 4; c++)
            v[c] = value(k, c);
        add(r, indicator, output, "u", 0, v, 4);
    }
}

static void assert_writes(writer_fn write, const ri_results *r, const ri_selection *sel,
                          const char *expected)
{
    ri_error err;
    ri_rc rc;
    char *text = capture(write, r, sel, &rc, &err);

    if (rc != RI_RC_OK)
        fail_msg("write failed with %d: %s", (int)rc, err.msg);
    assert_string_equal(text, expected);
    free(text);
}

static void assert_refuses(writer_fn write, const ri_results *r, const ri_selection *sel,
                           ri_rc code, const char *message)
{
    ri_error err;
    ri_rc rc;
    char *text = capture(write, r, sel, &rc, &err);

    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.msg, message);
    /* Checked before writing: no half file. */
    assert_string_equal(text, "");
    free(text);
}

/* ---------------------------------------------------------------- results */

static void test_results_add_find(void **state)
{
    ri_panel *flat = make_panel(&LEPS), *deep = make_panel(&HOSTILE);
    ri_results *r = ri_results_new(flat), *ri = ri_results_new(deep);
    char indicator[] = "gap", output[] = "index", unit[] = "GBP";
    ri_result_col *c;
    size_t i;

    (void)state;
    assert_non_null(r);
    assert_ptr_equal(r->panel, flat);
    assert_int_equal(r->n_cols, 0);

    c = ri_results_add(r, indicator, output, unit, 1, NULL);
    assert_non_null(c);
    /* 2 areas x 2 periods, all missing until a plugin writes them. */
    for (i = 0; i < 4; i++)
        assert_true(isnan(c->v[i]));
    assert_int_equal(c->by_industry, 0);
    /* The strings are copies: changing the caller's buffers changes nothing. */
    indicator[0] = 'X';
    output[0] = 'X';
    unit[0] = 'X';
    assert_string_equal(r->cols[0].indicator, "gap");
    assert_string_equal(r->cols[0].output, "index");
    assert_string_equal(r->cols[0].unit, "GBP");

    assert_non_null(ri_results_add(r, "gap", "rank", "rank", 1, NULL));
    assert_non_null(ri_results_add(r, "prod", "index", "GBP", 1, NULL));
    assert_int_equal(r->n_cols, 3);
    assert_ptr_equal(ri_results_find(r, "gap", "index"), &r->cols[0]);
    assert_ptr_equal(ri_results_find(r, "gap", "rank"), &r->cols[1]);
    assert_ptr_equal(ri_results_find(r, "prod", "index"), &r->cols[2]);
    assert_null(ri_results_find(r, "prod", "rank"));
    assert_null(ri_results_find(r, "gva", "index"));

    /* By industry: 2 areas x 2 periods x 2 industries; ASan checks the size. */
    c = ri_results_add(ri, "mix", "share", "%", 2, both_industries);
    assert_non_null(c);
    assert_int_equal(c->by_industry, 1);
    for (i = 0; i < 8; i++)
        assert_true(isnan(c->v[i]));
    /* The same panel without industries gives a column of 4 cells. */
    c = ri_results_add(ri, "mix", "total", "%", 1, NULL);
    assert_non_null(c);
    for (i = 0; i < 4; i++)
        assert_true(isnan(c->v[i]));

    ri_results_free(r);
    ri_results_free(ri);
    ri_results_free(NULL);
    free_panel(flat);
    free_panel(deep);
}

static void test_format_number(void **state)
{
    /* Expected: the shortest text that reads back as the same double, which
       is what Python's repr() prints for each of these values. */
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {18585.6, "18585.6"},      /* %.17g would give 18585.599999999999 */
        {0.1 + 0.2, "0.30000000000000004"}, /* 17 digits; 0.3 is another double */
        {1.0 / 3.0, "0.3333333333333333"},  /* 16 digits */
        {DBL_MAX, "1.7976931348623157e+308"}, /* %.16g would overflow to inf */
        {77.1, "77.1"},
        {-12.5, "-12.5"},
        {20250, "20250"},
        {1e21, "1e+21"},
        {-0.0, "-0"},
    };
    char buf[RI_NUMBER_TEXT_MAX];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ri_format_number(cases[i].v, buf);
        assert_string_equal(buf, cases[i].text);
    }
}

/* ---------------------------------------------------------------- CSV and JSON */

/* LEPS with gap (NaN, 0.1 + 0.2, a negative) and productivity. */
static ri_results *leps_results(const ri_panel *p)
{
    /* Cells are area-major: a * n_periods + p. */
    static const double gap[4] = {77.1, NAN, 0.1 + 0.2, -12.5};
    static const double prod[4] = {18585.6, 20250, NAN, -0.5};
    ri_results *r = ri_results_new(p);

    assert_non_null(r);
    add(r, "gap", "index", "index (benchmark = 100)", 0, gap, 4);
    add(r, "prod", "gva_per_job", "GBP", 0, prod, 4);
    return r;
}

static void test_csv_all(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = leps_results(p);

    (void)state;
    assert_writes(ri_write_csv, r, NULL,
        "area_code,area_name,period,industry,indicator,output,value,unit\n"
        "E37000001,Black Country,2018,,gap,index,77.1,index (benchmark = 100)\n"
        "E37000001,Black Country,2019,,gap,index,,index (benchmark = 100)\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2018,,gap,index,0.30000000000000004,"
        "index (benchmark = 100)\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,gap,index,-12.5,"
        "index (benchmark = 100)\n"
        "E37000001,Black Country,2018,,prod,gva_per_job,18585.6,GBP\n"
        "E37000001,Black Country,2019,,prod,gva_per_job,20250,GBP\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2018,,prod,gva_per_job,,GBP\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,prod,gva_per_job,-0.5,GBP\n");
    ri_results_free(r);
    free_panel(p);
}

static void test_json_all(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = leps_results(p);

    (void)state;
    assert_writes(ri_write_json, r, NULL,
        "{\"results\":[\n"
        "{\"area_code\":\"E37000001\",\"area_name\":\"Black Country\",\"area_type\":\"LEP\","
        "\"period\":\"2018\",\"industry\":null,\"indicator\":\"gap\",\"output\":\"index\","
        "\"value\":77.1,\"unit\":\"index (benchmark = 100)\"},\n"
        "{\"area_code\":\"E37000001\",\"area_name\":\"Black Country\",\"area_type\":\"LEP\","
        "\"period\":\"2019\",\"industry\":null,\"indicator\":\"gap\",\"output\":\"index\","
        "\"value\":null,\"unit\":\"index (benchmark = 100)\"},\n"
        "{\"area_code\":\"E37000002\",\"area_name\":\"Thames \\\"Valley\\\", East\","
        "\"area_type\":\"LEP\",\"period\":\"2018\",\"industry\":null,\"indicator\":\"gap\","
        "\"output\":\"index\",\"value\":0.30000000000000004,"
        "\"unit\":\"index (benchmark = 100)\"},\n"
        "{\"area_code\":\"E37000002\",\"area_name\":\"Thames \\\"Valley\\\", East\","
        "\"area_type\":\"LEP\",\"period\":\"2019\",\"industry\":null,\"indicator\":\"gap\","
        "\"output\":\"index\",\"value\":-12.5,\"unit\":\"index (benchmark = 100)\"},\n"
        "{\"area_code\":\"E37000001\",\"area_name\":\"Black Country\",\"area_type\":\"LEP\","
        "\"period\":\"2018\",\"industry\":null,\"indicator\":\"prod\","
        "\"output\":\"gva_per_job\",\"value\":18585.6,\"unit\":\"GBP\"},\n"
        "{\"area_code\":\"E37000001\",\"area_name\":\"Black Country\",\"area_type\":\"LEP\","
        "\"period\":\"2019\",\"industry\":null,\"indicator\":\"prod\","
        "\"output\":\"gva_per_job\",\"value\":20250,\"unit\":\"GBP\"},\n"
        "{\"area_code\":\"E37000002\",\"area_name\":\"Thames \\\"Valley\\\", East\","
        "\"area_type\":\"LEP\",\"period\":\"2018\",\"industry\":null,\"indicator\":\"prod\","
        "\"output\":\"gva_per_job\",\"value\":null,\"unit\":\"GBP\"},\n"
        "{\"area_code\":\"E37000002\",\"area_name\":\"Thames \\\"Valley\\\", East\","
        "\"area_type\":\"LEP\",\"period\":\"2019\",\"industry\":null,\"indicator\":\"prod\","
        "\"output\":\"gva_per_job\",\"value\":-0.5,\"unit\":\"GBP\"}\n"
        "]}\n");
    ri_results_free(r);
    free_panel(p);
}

/* HOSTILE with a column by industry and one without. */
static ri_results *hostile_results(const ri_panel *p)
{
    /* Area-major: a * n_periods + p. */
    static const double gap[4] = {-1, NAN, 1, 2};
    /* Industry innermost: (a * n_periods + p) * n_industries + i. */
    static const double mix[8] = {-1.5, 2, NAN, 3, 4, 5, 6, 7};
    ri_results *r = ri_results_new(p);

    assert_non_null(r);
    add(r, "gap", "index", "=100 at benchmark", 0, gap, 4);
    add(r, "mix", "share", "% of GVA", 1, mix, 8);
    return r;
}

static void test_csv_neutralises_formulas(void **state)
{
    ri_panel *p = make_panel(&HOSTILE);
    ri_results *r = hostile_results(p);

    (void)state;
    /* Each text field that starts with = + - @ TAB or CR gets an apostrophe,
       then quotes when it holds a comma or CR; values stay bare numbers. */
    assert_writes(ri_write_csv, r, NULL,
        "area_code,area_name,period,industry,indicator,output,value,unit\n"
        "'+E1,\"'=SUM(A1,A2)\",'\t2019,,gap,index,-1,'=100 at benchmark\n"
        "'+E1,\"'=SUM(A1,A2)\",\"'\r2020\",,gap,index,,'=100 at benchmark\n"
        "'@E2,'-Wick,'\t2019,,gap,index,1,'=100 at benchmark\n"
        "'@E2,'-Wick,\"'\r2020\",,gap,index,2,'=100 at benchmark\n"
        "'+E1,\"'=SUM(A1,A2)\",'\t2019,'-Mining,mix,share,-1.5,% of GVA\n"
        "'+E1,\"'=SUM(A1,A2)\",'\t2019,\"Retail, wholesale\",mix,share,2,% of GVA\n"
        "'+E1,\"'=SUM(A1,A2)\",\"'\r2020\",'-Mining,mix,share,,% of GVA\n"
        "'+E1,\"'=SUM(A1,A2)\",\"'\r2020\",\"Retail, wholesale\",mix,share,3,% of GVA\n"
        "'@E2,'-Wick,'\t2019,'-Mining,mix,share,4,% of GVA\n"
        "'@E2,'-Wick,'\t2019,\"Retail, wholesale\",mix,share,5,% of GVA\n"
        "'@E2,'-Wick,\"'\r2020\",'-Mining,mix,share,6,% of GVA\n"
        "'@E2,'-Wick,\"'\r2020\",\"Retail, wholesale\",mix,share,7,% of GVA\n");
    ri_results_free(r);
    free_panel(p);
}

static void test_json_keeps_text(void **state)
{
    ri_panel *p = make_panel(&HOSTILE);
    ri_results *r = hostile_results(p);
    static const char *const mix[] = {"mix"};
    static const unsigned char second_period[2] = {0, 1};
    const ri_selection sel = {NULL, second_period, mix, 1, NULL};

    (void)state;
    /* Text is written as it is (TAB and CR escaped, no apostrophe); industry
       labels appear for the column by industry. */
    assert_writes(ri_write_json, r, &sel,
        "{\"results\":[\n"
        "{\"area_code\":\"+E1\",\"area_name\":\"=SUM(A1,A2)\",\"area_type\":\"LEP\","
        "\"period\":\"\\u000d2020\",\"industry\":\"-Mining\",\"indicator\":\"mix\","
        "\"output\":\"share\",\"value\":null,\"unit\":\"% of GVA\"},\n"
        "{\"area_code\":\"+E1\",\"area_name\":\"=SUM(A1,A2)\",\"area_type\":\"LEP\","
        "\"period\":\"\\u000d2020\",\"industry\":\"Retail, wholesale\",\"indicator\":\"mix\","
        "\"output\":\"share\",\"value\":3,\"unit\":\"% of GVA\"},\n"
        "{\"area_code\":\"@E2\",\"area_name\":\"-Wick\",\"area_type\":\"LAD\","
        "\"period\":\"\\u000d2020\",\"industry\":\"-Mining\",\"indicator\":\"mix\","
        "\"output\":\"share\",\"value\":6,\"unit\":\"% of GVA\"},\n"
        "{\"area_code\":\"@E2\",\"area_name\":\"-Wick\",\"area_type\":\"LAD\","
        "\"period\":\"\\u000d2020\",\"industry\":\"Retail, wholesale\",\"indicator\":\"mix\","
        "\"output\":\"share\",\"value\":7,\"unit\":\"% of GVA\"}\n"
        "]}\n");
    ri_results_free(r);
    free_panel(p);
}

static void test_json_escapes_strings(void **state)
{
    static const labels odd = {
        {"W06000001", "W06000002"},
        {"Say \"hi\" \\ there\x01", "Ynys M\xc3\xb4n\n"}, /* UTF-8 for U+00F4 */
        {"LAD", "LAD"},
        {"2018\t", "2019"},
        {NULL, NULL},
    };
    static const double v[4] = {1, 2, 3, 4};
    static const unsigned char first_period[2] = {1, 0};
    const ri_selection sel = {NULL, first_period, NULL, 0, NULL};
    ri_panel *p = make_panel(&odd);
    ri_results *r = ri_results_new(p);

    (void)state;
    add(r, "gap", "index", "index", 0, v, 4);
    assert_writes(ri_write_json, r, &sel,
        "{\"results\":[\n"
        "{\"area_code\":\"W06000001\",\"area_name\":\"Say \\\"hi\\\" \\\\ there\\u0001\","
        "\"area_type\":\"LAD\",\"period\":\"2018\\u0009\",\"industry\":null,"
        "\"indicator\":\"gap\",\"output\":\"index\",\"value\":1,\"unit\":\"index\"},\n"
        "{\"area_code\":\"W06000002\",\"area_name\":\"Ynys M\xc3\xb4n\\u000a\","
        "\"area_type\":\"LAD\",\"period\":\"2018\\u0009\",\"industry\":null,"
        "\"indicator\":\"gap\",\"output\":\"index\",\"value\":3,\"unit\":\"index\"}\n"
        "]}\n");
    /* CSV quotes only for the quote and the LF; other bytes pass through. */
    assert_writes(ri_write_csv, r, &sel,
        "area_code,area_name,period,industry,indicator,output,value,unit\n"
        "W06000001,\"Say \"\"hi\"\" \\ there\x01\",2018\t,,gap,index,1,index\n"
        "W06000002,\"Ynys M\xc3\xb4n\n\",2018\t,,gap,index,3,index\n");
    ri_results_free(r);
    free_panel(p);
}

/* ---------------------------------------------------------------- large outputs */

/*
 * An output formatted in pieces on two threads (outputs of over 200,000
 * cells are; REGIND_TEST_SMALL_PIECES makes pieces of two cells of any
 * output): 500 columns of 2 areas x 2 periods, so 1,000 pieces. Every row
 * must come out once, in the order column, area, period, with its own value
 * k * 4 + a * 2 + t + 0.25 (exact in binary, so its text is known).
 */
static double distinct_value(size_t k, size_t cell)
{
    return (double)(k * 4 + cell) + 0.25;
}

static void test_pieces_in_order(void **state)
{
    enum { COLS = 500 };
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = ri_results_new(p);
    ri_error err;
    ri_rc rc;
    char *text, *line, want[256];
    size_t rows = 0;

    (void)state;
    assert_non_null(r);
    add_columns(r, "big", COLS, distinct_value);
    text = capture_in_pieces(ri_write_csv, r, &rc, &err);
    assert_int_equal(rc, RI_RC_OK);
    line = strchr(text, '\n') + 1;
    for (size_t k = 0; k < COLS; k++)
        for (size_t a = 0; a < 2; a++)
            for (size_t t = 0; t < 2; t++) {
                char *end = strchr(line, '\n');
                assert_non_null(end);
                snprintf(want, sizeof want, "%s,%s,%s,,big,o%zu,%zu.25,u", a ? "E37000002" : "E37000001",
                         a ? "\"Thames \"\"Valley\"\", East\"" : "Black Country", t ? "2019" : "2018", k,
                         k * 4 + a * 2 + t);
                if ((size_t)(end - line) != strlen(want) || strncmp(line, want, strlen(want)) != 0)
                    fail_msg("row %zu is \"%.*s\"; expected \"%s\"", rows, (int)(end - line), line, want);
                line = end + 1;
                rows++;
            }
    assert_int_equal(*line, '\0');
    assert_int_equal(rows, COLS * 4);
    free(text);
    ri_results_free(r);
    free_panel(p);
}

/* ---------------------------------------------------------------- selection */

static ri_results *three_columns(const ri_panel *p)
{
    static const double index[4] = {77.1, 78.2, 101.5, 99.9};
    static const double rank[4] = {2, 1, 1, 2};
    static const double prod[4] = {18585.6, 20250, 31000, 30500.25};
    ri_results *r = ri_results_new(p);

    assert_non_null(r);
    add(r, "gap", "index", "index (benchmark = 100)", 0, index, 4);
    add(r, "gap", "rank", "rank", 0, rank, 4);
    add(r, "prod", "gva_per_job", "GBP", 0, prod, 4);
    return r;
}

static void test_select_area_and_indicator(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = three_columns(p);
    static const unsigned char second_area[2] = {0, 1};
    static const char *const gap[] = {"gap"};
    const ri_selection sel = {second_area, NULL, gap, 1, NULL};

    (void)state;
    /* Both outputs of gap, area E37000002 only, every period. */
    assert_writes(ri_write_csv, r, &sel,
        "area_code,area_name,period,industry,indicator,output,value,unit\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2018,,gap,index,101.5,"
        "index (benchmark = 100)\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,gap,index,99.9,"
        "index (benchmark = 100)\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2018,,gap,rank,1,rank\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,gap,rank,2,rank\n");
    ri_results_free(r);
    free_panel(p);
}

/* sel.order: areas in the order given (compare lists them by code), within each column. */
static void test_select_area_order(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = three_columns(p);
    static const unsigned char first_period[2] = {1, 0};
    static const char *const prod[] = {"prod"};
    static const size_t second_first[2] = {1, 0};
    const ri_selection sel = {NULL, first_period, prod, 1, second_first};

    (void)state;
    assert_writes(ri_write_csv, r, &sel,
        "area_code,area_name,period,industry,indicator,output,value,unit\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2018,,prod,gva_per_job,31000,GBP\n"
        "E37000001,Black Country,2018,,prod,gva_per_job,18585.6,GBP\n");
    ri_results_free(r);
    free_panel(p);
}

static void test_select_period_keeps_results_order(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = three_columns(p);
    static const unsigned char second_period[2] = {0, 1};
    /* Listed in the other order: the file still follows the results. */
    static const char *const both[] = {"prod", "gap"};
    const ri_selection sel = {NULL, second_period, both, 2, NULL};

    (void)state;
    assert_writes(ri_write_csv, r, &sel,
        "area_code,area_name,period,industry,indicator,output,value,unit\n"
        "E37000001,Black Country,2019,,gap,index,78.2,index (benchmark = 100)\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,gap,index,99.9,"
        "index (benchmark = 100)\n"
        "E37000001,Black Country,2019,,gap,rank,1,rank\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,gap,rank,2,rank\n"
        "E37000001,Black Country,2019,,prod,gva_per_job,20250,GBP\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,prod,gva_per_job,30500.25,GBP\n");
    assert_writes(ri_write_json, r, &sel,
        "{\"results\":[\n"
        "{\"area_code\":\"E37000001\",\"area_name\":\"Black Country\",\"area_type\":\"LEP\","
        "\"period\":\"2019\",\"industry\":null,\"indicator\":\"gap\",\"output\":\"index\","
        "\"value\":78.2,\"unit\":\"index (benchmark = 100)\"},\n"
        "{\"area_code\":\"E37000002\",\"area_name\":\"Thames \\\"Valley\\\", East\","
        "\"area_type\":\"LEP\",\"period\":\"2019\",\"industry\":null,\"indicator\":\"gap\","
        "\"output\":\"index\",\"value\":99.9,\"unit\":\"index (benchmark = 100)\"},\n"
        "{\"area_code\":\"E37000001\",\"area_name\":\"Black Country\",\"area_type\":\"LEP\","
        "\"period\":\"2019\",\"industry\":null,\"indicator\":\"gap\",\"output\":\"rank\","
        "\"value\":1,\"unit\":\"rank\"},\n"
        "{\"area_code\":\"E37000002\",\"area_name\":\"Thames \\\"Valley\\\", East\","
        "\"area_type\":\"LEP\",\"period\":\"2019\",\"industry\":null,\"indicator\":\"gap\","
        "\"output\":\"rank\",\"value\":2,\"unit\":\"rank\"},\n"
        "{\"area_code\":\"E37000001\",\"area_name\":\"Black Country\",\"area_type\":\"LEP\","
        "\"period\":\"2019\",\"industry\":null,\"indicator\":\"prod\","
        "\"output\":\"gva_per_job\",\"value\":20250,\"unit\":\"GBP\"},\n"
        "{\"area_code\":\"E37000002\",\"area_name\":\"Thames \\\"Valley\\\", East\","
        "\"area_type\":\"LEP\",\"period\":\"2019\",\"industry\":null,\"indicator\":\"prod\","
        "\"output\":\"gva_per_job\",\"value\":30500.25,\"unit\":\"GBP\"}\n"
        "]}\n");
    ri_results_free(r);
    free_panel(p);
}

static void test_select_nothing(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = three_columns(p);
    static const unsigned char none[2] = {0, 0};
    const ri_selection sel = {NULL, none, NULL, 0, NULL};

    (void)state;
    /* Still a valid file: the header, and an empty array. */
    assert_writes(ri_write_csv, r, &sel,
        "area_code,area_name,period,industry,indicator,output,value,unit\n");
    assert_writes(ri_write_json, r, &sel, "{\"results\":[\n]}\n");
    ri_results_free(r);
    free_panel(p);
}

/* ---------------------------------------------------------------- errors */

static void test_unknown_indicator(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = three_columns(p);
    static const char *const typo[] = {"gap", "prodd"};
    const ri_selection sel = {NULL, NULL, typo, 2, NULL};
    const char *msg = "output selects indicator 'prodd', which this run did not compute; "
                      "expected one of: gap, prod";

    (void)state;
    assert_refuses(ri_write_csv, r, &sel, RI_RC_USAGE, msg);
    assert_refuses(ri_write_json, r, &sel, RI_RC_USAGE, msg);
    ri_results_free(r);
    free_panel(p);
}

static void test_infinite_value(void **state)
{
    ri_panel *p = make_panel(&HOSTILE);
    ri_results *r = hostile_results(p);
    static const unsigned char first_area[2] = {1, 0};
    const ri_selection sel = {first_area, NULL, NULL, 0, NULL};
    const char *msg = "indicator 'mix' output 'share' is infinite for area @E2, period \r2020, "
                      "industry Retail, wholesale; a plugin must write NaN for a value it "
                      "cannot compute";
    ri_error err;
    ri_rc rc;
    char *text;

    (void)state;
    /* Last cell of mix: area 1, period 1, industry 1. */
    r->cols[1].v[7] = -INFINITY;
    assert_refuses(ri_write_csv, r, NULL, RI_RC_DATA, msg);
    assert_refuses(ri_write_json, r, NULL, RI_RC_DATA, msg);
    /* Outside the selection it is never written, so it does not matter. */
    text = capture(ri_write_csv, r, &sel, &rc, &err);
    assert_int_equal(rc, RI_RC_OK);
    free(text);

    r->cols[1].v[7] = 7;
    r->cols[0].v[0] = INFINITY;
    assert_refuses(ri_write_json, r, NULL, RI_RC_DATA,
                   "indicator 'gap' output 'index' is infinite for area +E1, period \t2019; "
                   "a plugin must write NaN for a value it cannot compute");
    ri_results_free(r);
    free_panel(p);
}

static void test_by_industry_without_labels(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = leps_results(p);
    static const char *const gap[] = {"gap"};
    const ri_selection sel = {NULL, NULL, gap, 1, NULL};
    ri_error err;
    ri_rc rc;
    char *text;

    (void)state;
    assert_non_null(ri_results_add(r, "mix", "share", "%", 2, both_industries));
    assert_refuses(ri_write_csv, r, NULL, RI_RC_DATA,
                   "indicator 'mix' output 'share' is by industry, but no dataset of the "
                   "panel has industries; bind its inputs to measures from a dataset with "
                   "an industry column");
    /* Not selected: the rest can still be written. */
    text = capture(ri_write_json, r, &sel, &rc, &err);
    assert_int_equal(rc, RI_RC_OK);
    free(text);
    ri_results_free(r);
    free_panel(p);
}

/* A stream that fails like a full disk; skipped where there is no such device. */
static FILE *full_disk(void)
{
    FILE *f = fopen("/dev/full", "w");

    if (!f)
        skip();
    return f;
}

static void expect_write_failure(writer_fn write, const ri_results *r)
{
    char expected[RI_ERROR_MAX];
    FILE *f = full_disk();
    ri_error err;

    ri_error_clear(&err);
    assert_int_equal(write_to(f, write, r, NULL, &err), RI_RC_DATA);
    assert_int_equal(err.code, RI_RC_DATA);
    snprintf(expected, sizeof expected, "write failed: %s", strerror(ENOSPC));
    assert_string_equal(err.msg, expected);
    fclose(f);
}

static void test_write_failure(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = leps_results(p);
    char *unit;

    (void)state;
    /* Small output: the failure shows when the writer flushes. */
    expect_write_failure(ri_write_csv, r);
    expect_write_failure(ri_write_json, r);

    /* Rows longer than any stdio buffer: the failure shows while writing. */
    unit = malloc(100000);
    assert_non_null(unit);
    memset(unit, 'u', 99999);
    unit[99999] = '\0';
    free(r->cols[0].unit);
    r->cols[0].unit = unit;
    expect_write_failure(ri_write_csv, r);
    expect_write_failure(ri_write_json, r);
    ri_results_free(r);
    free_panel(p);
}

/* ---------------------------------------------------------------- wide CSV */

static void test_csv_wide(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = leps_results(p);

    (void)state;
    /* The cells of test_csv_all, one column per output, units in the headers. */
    assert_writes(ri_write_csv_wide, r, NULL,
        "area_code,area_name,period,gap.index (index (benchmark = 100)),prod.gva_per_job (GBP)\n"
        "E37000001,Black Country,2018,77.1,18585.6\n"
        "E37000001,Black Country,2019,,20250\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2018,0.30000000000000004,\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,-12.5,-0.5\n");
    ri_results_free(r);
    free_panel(p);
}

static void test_csv_wide_where_outputs_apply(void **state)
{
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = leps_results(p);
    static const unsigned char gap_applies[4] = {1, 1, 0, 0}, prod_applies[4] = {0, 1, 0, 1};
    ri_selection sel = {NULL, NULL, NULL, 0, NULL};
    static const size_t second_first[2] = {1, 0};

    (void)state;
    for (int c = 0; c < 2; c++) {
        assert_non_null(r->cols[c].applies = malloc(4));
        memcpy(r->cols[c].applies, c ? prod_applies : gap_applies, 4);
    }
    /* E37000002 has no gap (not applied) but a prod in 2019 only; 2018 has neither, so no row.
       Areas follow the selection's order. */
    sel.order = second_first;
    assert_writes(ri_write_csv_wide, r, &sel,
        "area_code,area_name,period,gap.index (index (benchmark = 100)),prod.gva_per_job (GBP)\n"
        "E37000002,\"Thames \"\"Valley\"\", East\",2019,,-0.5\n"
        "E37000001,Black Country,2018,77.1,\n"
        "E37000001,Black Country,2019,,20250\n");
    ri_results_free(r);
    free_panel(p);
}

static void test_csv_wide_by_industry(void **state)
{
    ri_panel *p = make_panel(&HOSTILE);
    ri_results *r = hostile_results(p);
    static const char *const only_mix[] = {"mix"};
    ri_selection sel = {NULL, NULL, only_mix, 1, NULL};

    (void)state;
    /* Outputs by industry form a second block; labels are neutralised as in the tidy shape. */
    assert_writes(ri_write_csv_wide, r, NULL,
        "area_code,area_name,period,gap.index (=100 at benchmark)\n"
        "'+E1,\"'=SUM(A1,A2)\",'\t2019,-1\n"
        "'+E1,\"'=SUM(A1,A2)\",\"'\r2020\",\n"
        "'@E2,'-Wick,'\t2019,1\n"
        "'@E2,'-Wick,\"'\r2020\",2\n"
        "\n"
        "area_code,area_name,period,industry,mix.share (% of GVA)\n"
        "'+E1,\"'=SUM(A1,A2)\",'\t2019,'-Mining,-1.5\n"
        "'+E1,\"'=SUM(A1,A2)\",'\t2019,\"Retail, wholesale\",2\n"
        "'+E1,\"'=SUM(A1,A2)\",\"'\r2020\",'-Mining,\n"
        "'+E1,\"'=SUM(A1,A2)\",\"'\r2020\",\"Retail, wholesale\",3\n"
        "'@E2,'-Wick,'\t2019,'-Mining,4\n"
        "'@E2,'-Wick,'\t2019,\"Retail, wholesale\",5\n"
        "'@E2,'-Wick,\"'\r2020\",'-Mining,6\n"
        "'@E2,'-Wick,\"'\r2020\",\"Retail, wholesale\",7\n");
    /* Only outputs by industry: one block, no empty line before it. */
    char *text;
    ri_error err;
    ri_rc rc;
    text = capture(ri_write_csv_wide, r, &sel, &rc, &err);
    assert_int_equal(rc, RI_RC_OK);
    assert_true(strncmp(text, "area_code,area_name,period,industry,mix.share (% of GVA)\n", 57) == 0);
    free(text);
    ri_results_free(r);
    free_panel(p);
}

/*
 * Wide blocks in pieces on two threads (REGIND_TEST_SMALL_PIECES: a piece
 * per area) come out as one thread writes them, both blocks, the second
 * after the first's pieces are gone.
 */
static void test_csv_wide_in_pieces(void **state)
{
    ri_panel *p = make_panel(&HOSTILE);
    ri_results *r = hostile_results(p);
    char *one, *pieces;
    ri_error err;
    ri_rc rc;

    (void)state;
    one = capture(ri_write_csv_wide, r, NULL, &rc, &err);
    assert_int_equal(rc, RI_RC_OK);
    pieces = capture_in_pieces(ri_write_csv_wide, r, &rc, &err);
    assert_int_equal(rc, RI_RC_OK);
    assert_string_equal(pieces, one);
    free(one);
    free(pieces);
    ri_results_free(r);
    free_panel(p);
}

/*
 * A wide row longer than a writer may reserve at once: 3,000 columns, each
 * reserving room for the longest number (48 bytes), would need 147 KB.
 * Column k holds k + 0.5 in every cell (exact in binary), so the row's text
 * is known.
 */
static double column_value(size_t k, size_t cell)
{
    (void)cell;
    return (double)k + 0.5;
}

static void test_csv_wide_long_row(void **state)
{
    enum { COLS = 3000 };
    ri_panel *p = make_panel(&LEPS);
    ri_results *r = ri_results_new(p);
    char *text, *row, want[32];
    ri_error err;
    ri_rc rc;

    (void)state;
    assert_non_null(r);
    add_columns(r, "wide", COLS, column_value);
    text = capture(ri_write_csv_wide, r, NULL, &rc, &err);
    assert_int_equal(rc, RI_RC_OK);
    row = strstr(text, "\nE37000001,Black Country,2019,");
    assert_non_null(row);
    row = strchr(row + 1, ',') + 1;
    row = strchr(row, ',') + 1;
    row = strchr(row, ',');
    for (size_t k = 0; k < COLS; k++) {
        snprintf(want, sizeof want, ",%zu.5", k);
        if (strncmp(row, want, strlen(want)) != 0)
            fail_msg("column %zu reads \"%.20s\"; expected \"%s\"", k, row, want);
        row += strlen(want);
    }
    assert_int_equal(*row, '\n');
    free(text);
    ri_results_free(r);
    free_panel(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_add_find),
        cmocka_unit_test(test_format_number),
        cmocka_unit_test(test_csv_all),
        cmocka_unit_test(test_json_all),
        cmocka_unit_test(test_csv_neutralises_formulas),
        cmocka_unit_test(test_csv_wide),
        cmocka_unit_test(test_csv_wide_where_outputs_apply),
        cmocka_unit_test(test_csv_wide_by_industry),
        cmocka_unit_test(test_csv_wide_in_pieces),
        cmocka_unit_test(test_csv_wide_long_row),
        cmocka_unit_test(test_json_keeps_text),
        cmocka_unit_test(test_json_escapes_strings),
        cmocka_unit_test(test_pieces_in_order),
        cmocka_unit_test(test_select_area_and_indicator),
        cmocka_unit_test(test_select_area_order),
        cmocka_unit_test(test_select_period_keeps_results_order),
        cmocka_unit_test(test_select_nothing),
        cmocka_unit_test(test_unknown_indicator),
        cmocka_unit_test(test_infinite_value),
        cmocka_unit_test(test_by_industry_without_labels),
        cmocka_unit_test(test_write_failure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
