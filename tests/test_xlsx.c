/*
 * test_xlsx.c — datasets read from .xlsx workbooks: cells of every kind,
 * exact numbers, the header found below title rows, the table's end at notes
 * or a blank row, skip_rows, sheet choice, and each refusal with its
 * location (bad cells, references out of order or beyond XFD1048576, a
 * missing shared string, a zip bomb, a DTD, a file that is no workbook).
 *
 * Each workbook is written by the test with libzip from the XML below, so
 * the expected values are read off the fixture in the same function.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "test_util.h"
#include "config.h"
#include "dataset.h"

static int make_workdir(void **state)
{
    (void)state;
    return test_make_workdir("xlsx");
}

static int remove_workdir(void **state)
{
    (void)state;
    return test_remove_tree(workdir);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

typedef struct part {
    const char *name;
    char *data;
} part;

static char *printed(const char *f, ...) RI_PRINTF(1, 2);
static char *printed(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/*
 * workdir/NAME: a workbook of n sheets named names[i] whose <sheetData>
 * holds rows[i], with the shared strings shared[] (NULL-terminated; NULL
 * for none).
 */
static void write_book(const char *name, size_t n, const char *const *names, const char *const *rows,
                       const char *const *shared)
{
    char path[PATH_BUF];
    part parts[16];
    size_t np = 0;
    int zerr = 0;
    char *sheets = printed("%s", ""), *rels = printed("%s", ""), *tmp;

    assert_true(n + 4 <= 16);
    for (size_t i = 0; i < n; i++) {
        tmp = printed("%s<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", sheets, names[i], i + 1, i + 1);
        free(sheets);
        sheets = tmp;
        tmp = printed("%s<Relationship Id=\"rId%zu\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet%zu.xml\"/>",
                      rels, i + 1, i + 1);
        free(rels);
        rels = tmp;
        parts[np].name = NULL;
        parts[np++].data = printed("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS "><sheetData>%s</sheetData></worksheet>",
                                   rows[i]);
    }
    parts[np].name = "xl/workbook.xml";
    parts[np++].data = printed("<?xml version=\"1.0\"?><workbook " NS " " RNS "><sheets>%s</sheets></workbook>", sheets);
    if (shared) {
        char *si = printed("%s", "");
        for (size_t i = 0; shared[i]; i++) {
            tmp = printed("%s<si><t>%s</t></si>", si, shared[i]);
            free(si);
            si = tmp;
        }
        parts[np].name = "xl/sharedStrings.xml";
        parts[np++].data = printed("<sst " NS ">%s</sst>", si);
        free(si);
        tmp = printed("%s<Relationship Id=\"rId99\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>", rels);
        free(rels);
        rels = tmp;
    }
    parts[np].name = "xl/_rels/workbook.xml.rels";
    parts[np++].data = printed("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">%s</Relationships>", rels);
    free(sheets);
    free(rels);

    fmt(path, "%s/%s", workdir, name);
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    char names_buf[16][32];
    for (size_t i = 0; i < np; i++) {
        const char *pname = parts[i].name;
        if (!pname) {
            snprintf(names_buf[i], sizeof names_buf[i], "xl/worksheets/sheet%zu.xml", i + 1);
            pname = names_buf[i];
        }
        zip_source_t *src = zip_source_buffer(z, parts[i].data, strlen(parts[i].data), 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, pname, src, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    for (size_t i = 0; i < np; i++)
        free(parts[i].data);
}

static void write_sheet(const char *name, const char *rows, const char *const *shared)
{
    const char *names[] = {"Data"};
    write_book(name, 1, names, &rows, shared);
}

/* Load job NAME.cfg holding one dataset group; returns the status, the dataset in *out on success. */
static ri_rc load(const char *name, const char *group, ri_dataset **out, ri_error *err)
{
    char file[PATH_BUF], path[PATH_BUF], text[PATH_BUF];
    ri_job *job = NULL;
    ri_rc rc;

    fmt(file, "%s.cfg", name);
    fmt(text, "version = 1;\ndatasets = ( %s );\n", group);
    write_file(file, text);
    fmt(path, "%s/%s", workdir, file);
    memset(err, 0, sizeof *err);
    if (ri_job_load(path, &job, err) != RI_RC_OK)
        fail_msg("job %s: %s", name, err->msg);
    *out = NULL;
    rc = ri_dataset_load(&job->datasets[0], NULL, 0, out, err);
    /* The dataset borrows its configuration; tests look only at values and counts. */
    if (*out)
        (*out)->cfg = NULL;
    ri_job_free(job);
    return rc;
}

static void expect_error(const char *name, const char *group, const char *book, const char *message)
{
    ri_dataset *ds;
    ri_error err;
    char want[PATH_BUF];

    assert_int_equal(load(name, group, &ds, &err), RI_RC_DATA);
    assert_null(ds);
    fmt(want, "%s/%s%s", workdir, book, message);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("got \"%s\"\nwanted a message starting \"%s\"", err.msg, want);
}

static double value(const ri_dataset *ds, const char *area, const char *period)
{
    long a = ri_strtab_find(ds->areas, area, strlen(area));
    long p = ri_strtab_find(ds->periods, period, strlen(period));
    if (a < 0 || p < 0)
        fail_msg("no cell %s %s", area, period);
    return ds->values[0][RI_CELL(ds, (size_t)a, (size_t)p, 0)];
}

#define WIDE(file, extra) \
    "{ id = \"gva\"; file = \"" file "\"; layout = \"wide\"; area = \"Geo code\"; area_name = \"Area name\"; measure = \"gva\";" extra " }"

/* The ONS shape: a title row, the header with a year as a number and one with a note, notes below. */
static const char *const ons_shared[] = {
    "Table 1: GVA [note 1]", "Geo code", "Area name", "2019\n[note 3]", "E1", "Alpha", "E2", "Beta",
    "Source: Office for National Statistics", "1,234", NULL};

static const char ons_rows[] =
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>2</v></c>"
    "<c r=\"C3\"><v>2018</v></c><c r=\"D3\" t=\"s\"><v>3</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>4</v></c><c r=\"B4\" t=\"s\"><v>5</v></c>"
    "<c r=\"C4\" s=\"3\"><f>1/10</f><v>0.1</v></c><c r=\"D4\"><v>1.0000000000000002</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>6</v></c><c r=\"B5\" t=\"inlineStr\"><is><r><t>Be</t></r><r><t>ta</t></r></is></c>"
    "<c r=\"C5\" t=\"s\"><v>9</v></c><c r=\"D5\" t=\"e\"><v>#N/A</v></c><c r=\"H5\"><v>99</v></c></row>"
    "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>E3</t></is></c><c r=\"B6\" t=\"str\"><v>Gamma</v></c>"
    "<c r=\"C6\" t=\"b\"><v>1</v></c><c r=\"D6\" t=\"inlineStr\"><is><t>[c]</t></is></c></row>"
    "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>E4</t></is></c><c r=\"C7\"><v>-1.5E-3</v></c><c r=\"D7\"><v>123456789.12345679</v></c></row>"
    "<row r=\"8\"><c r=\"A8\" t=\"s\"><v>8</v></c></row>"
    "<row r=\"9\"><c r=\"A9\" t=\"s\"><v>4</v></c><c r=\"C9\"><v>7</v></c></row>";

static void test_ons_table(void **state)
{
    ri_dataset *ds;
    ri_error err;
    (void)state;

    write_sheet("ons.xlsx", ons_rows, ons_shared);
    if (load("ons", WIDE("ons.xlsx", ""), &ds, &err))
        fail_msg("%s", err.msg);
    /* Rows 4 to 7; the source note on row 8 ends the table, so E1 on row 9 is no duplicate. */
    assert_int_equal(ds->rows_read, 4);
    assert_int_equal(ds->n_areas, 4);
    assert_int_equal(ds->n_periods, 2);
    assert_string_equal(ri_strtab_get(ds->periods, 1), "2019");
    /* Numbers are the doubles the XML holds, not a rounding of them. */
    assert_true(value(ds, "E1", "2018") == 0.1);
    assert_true(value(ds, "E1", "2019") == 1.0000000000000002);
    assert_true(value(ds, "E1", "2019") != 1.0);
    assert_true(value(ds, "E4", "2018") == -1.5e-3);
    assert_true(value(ds, "E4", "2019") == 123456789.12345679);
    /* Text "1,234" reads as a quoted CSV field would; #N/A is missing; TRUE is 1; [c] is a marker. */
    assert_true(value(ds, "E2", "2018") == 1234.0);
    assert_true(isnan(value(ds, "E2", "2019")));
    assert_true(value(ds, "E3", "2018") == 1.0);
    assert_true(isnan(value(ds, "E3", "2019")));
    assert_string_equal(ds->area_names[ri_strtab_find(ds->areas, "E2", 2)], "Beta");
    assert_string_equal(ds->area_names[ri_strtab_find(ds->areas, "E3", 2)], "Gamma");
    /* Missing: E4's blank name cell is no value; #N/A and a blank count as blank, [c] as c. */
    assert_int_equal(ri_dataset_missing_total(ds), 2);
    ri_dataset_free(ds);
}

static void test_blank_row_ends_the_table(void **state)
{
    static const char *const shared[] = {"Geo code", "Area name", "2019", NULL};
    ri_dataset *ds;
    ri_error err;
    (void)state;

    /* Row 3 is absent from the XML, row 5 is present but empty: either ends the table. */
    write_sheet("gap.xlsx",
                "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
                "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>E1</t></is></c><c r=\"C2\"><v>5</v></c></row>"
                "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>E1</t></is></c><c r=\"C4\"><v>6</v></c></row>",
                shared);
    if (load("gap", WIDE("gap.xlsx", ""), &ds, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(ds->rows_read, 1);
    assert_true(value(ds, "E1", "2019") == 5.0);
    ri_dataset_free(ds);

    write_sheet("empty-row.xlsx",
                "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
                "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>E1</t></is></c><c r=\"C2\"><v>5</v></c></row>"
                "<row r=\"3\"><c r=\"A3\" s=\"4\"/><c r=\"C3\" s=\"4\"/></row>"
                "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>E1</t></is></c><c r=\"C4\"><v>6</v></c></row>",
                shared);
    if (load("empty-row", WIDE("empty-row.xlsx", ""), &ds, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(ds->rows_read, 1);
    ri_dataset_free(ds);
}

static void test_skip_rows_and_tidy(void **state)
{
    static const char *const shared[] = {"Title", "code", "year", "gva", "E1", NULL};
    ri_dataset *ds;
    ri_error err;
    (void)state;

    write_sheet("tidy.xlsx",
                "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>1</v></c><c r=\"C3\" t=\"s\"><v>2</v></c><c r=\"D3\" t=\"s\"><v>3</v></c></row>"
                "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>4</v></c><c r=\"C4\"><v>2019</v></c><c r=\"D4\"><v>2.5</v></c></row>"
                "<row r=\"5\"><c r=\"B5\" t=\"s\"><v>4</v></c><c r=\"C5\"><v>2020</v></c><c r=\"D5\"><v>3.25</v></c></row>",
                shared);
    /* The header is found two rows down and one column in ... */
    if (load("tidy", "{ id = \"t\"; file = \"tidy.xlsx\"; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; }; }",
             &ds, &err))
        fail_msg("%s", err.msg);
    assert_true(value(ds, "E1", "2020") == 3.25);
    assert_int_equal(ds->rows_read, 2);
    ri_dataset_free(ds);
    /* ... or named: skip_rows counts every sheet row above it, blank or not. */
    if (load("tidy2", "{ id = \"t\"; file = \"tidy.xlsx\"; skip_rows = 2; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; }; }",
             &ds, &err))
        fail_msg("%s", err.msg);
    assert_true(value(ds, "E1", "2019") == 2.5);
    ri_dataset_free(ds);
    expect_error("tidy3", "{ id = \"t\"; file = \"tidy.xlsx\"; skip_rows = 1; area = \"code\"; period = \"year\"; measures = { gva = \"gva\"; }; }",
                 "tidy.xlsx[Data]", ":row 2: no header row (blank or past the table's end) after skip_rows = 1");
}

static void test_sheet_choice(void **state)
{
    static const char *const names[] = {"Notes", "Table 1 "};
    static const char *const rows[] = {
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>about</t></is></c></row>",
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Geo code</t></is></c><c r=\"B1\"><v>2019</v></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>E1</t></is></c><c r=\"B2\"><v>4</v></c></row>"};
    ri_dataset *ds;
    ri_error err;
    (void)state;

    write_book("two.xlsx", 2, names, rows, NULL);
    expect_error("two-none", "{ id = \"g\"; file = \"two.xlsx\"; layout = \"wide\"; area = \"Geo code\"; measure = \"gva\"; }",
                 "two.xlsx", ": the workbook has 2 sheets; name one with sheet = \"...\" (sheets: \"Notes\", \"Table 1 \")");
    expect_error("two-bad", "{ id = \"g\"; file = \"two.xlsx\"; sheet = \"Table 1\"; layout = \"wide\"; area = \"Geo code\"; measure = \"gva\"; }",
                 "two.xlsx", ": no sheet \"Table 1\"; expected one of \"Notes\", \"Table 1 \"");
    if (load("two-ok", "{ id = \"g\"; file = \"two.xlsx\"; sheet = \"Table 1 \"; layout = \"wide\"; area = \"Geo code\"; measure = \"gva\"; }",
             &ds, &err))
        fail_msg("%s", err.msg);
    assert_true(value(ds, "E1", "2019") == 4.0);
    ri_dataset_free(ds);
}

/* A one-sheet workbook whose table has one data row, its cells given. */
static void one_row(const char *name, const char *cells)
{
    char rows[PATH_BUF];
    fmt(rows,
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Geo code</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Area name</t></is></c>"
        "<c r=\"C1\"><v>2018</v></c><c r=\"D1\"><v>2019</v></c></row><row r=\"2\">%s</row>",
        cells);
    write_sheet(name, rows, NULL);
}

static void test_located_errors(void **state)
{
    (void)state;
    one_row("nan.xlsx", "<c r=\"A2\" t=\"inlineStr\"><is><t>E1</t></is></c><c r=\"D2\" t=\"inlineStr\"><is><t>n/a</t></is></c>");
    expect_error("nan", WIDE("nan.xlsx", ""), "nan.xlsx[Data]", ":D2: \"n/a\" in column \"2019\" is not a number");
    one_row("order.xlsx", "<c r=\"C2\"><v>1</v></c><c r=\"A2\" t=\"inlineStr\"><is><t>E1</t></is></c>");
    expect_error("order", WIDE("order.xlsx", ""), "order.xlsx[Data]", ":A2: cell out of order");
    one_row("other-row.xlsx", "<c r=\"A3\"><v>1</v></c>");
    expect_error("other-row", WIDE("other-row.xlsx", ""), "other-row.xlsx[Data]", ":A2: cell out of order");
    one_row("xfe.xlsx", "<c r=\"XFD2\"><v>1</v></c><c r=\"XFE2\"><v>1</v></c>");
    expect_error("xfe", WIDE("xfe.xlsx", ""), "xfe.xlsx[Data]", ":row 2: a cell reference beyond XFD1048576");
    write_sheet("rows.xlsx", "<row r=\"2\"/><row r=\"1\"/>", NULL);
    expect_error("rows", WIDE("rows.xlsx", ""), "rows.xlsx[Data]", ":row 1: row out of order");
    write_sheet("far.xlsx", "<row r=\"1048577\"/>", NULL);
    expect_error("far", WIDE("far.xlsx", ""), "far.xlsx[Data]", ":row 1: row number beyond 1048576");
    one_row("shared.xlsx", "<c r=\"A2\" t=\"s\"><v>7</v></c>");
    expect_error("shared", WIDE("shared.xlsx", ""), "shared.xlsx[Data]",
                 ":A2: shared string \"7\" does not exist (the workbook has 0)");
    one_row("no-code.xlsx", "<c r=\"A2\" t=\"inlineStr\"><is><t></t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>Alpha</t></is></c>"
                            "<c r=\"C2\"><v>1</v></c>");
    expect_error("no-code", WIDE("no-code.xlsx", ""), "no-code.xlsx[Data]", ":A2: empty area code");
}

static void test_hostile_workbooks(void **state)
{
    char path[PATH_BUF];
    (void)state;

    /* 8 MiB of white space deflates about a thousandfold. */
    size_t n = (size_t)8 << 20;
    char *rows = malloc(n + 1);
    assert_non_null(rows);
    memset(rows, ' ', n);
    rows[n] = '\0';
    write_sheet("bomb.xlsx", rows, NULL);
    free(rows);
    expect_error("bomb", WIDE("bomb.xlsx", ""), "bomb.xlsx",
                 ": part \"xl/worksheets/sheet1.xml\" inflates more than 250 times its compressed size");

    static const char *const names[] = {"Data"};
    static const char *const dtd_rows[] = {"<row r=\"1\"/>"};
    write_book("dtd.xlsx", 1, names, dtd_rows, (const char *const[]){"<!-- -->", NULL});
    /* The DTD goes into the shared strings part, which is read first. */
    {
        int zerr = 0;
        const char *doc = "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"aaaa\">]><sst " NS "><si><t>&a;</t></si></sst>";
        fmt(path, "%s/dtd.xlsx", workdir);
        zip_t *z = zip_open(path, 0, &zerr);
        assert_non_null(z);
        zip_source_t *src = zip_source_buffer(z, doc, strlen(doc), 0);
        assert_true(zip_file_add(z, "xl/sharedStrings.xml", src, ZIP_FL_OVERWRITE) >= 0);
        assert_int_equal(zip_close(z), 0);
    }
    expect_error("dtd", WIDE("dtd.xlsx", ""), "dtd.xlsx",
                 ": part \"xl/sharedStrings.xml\", line 1: a document type declaration; expected workbook XML without one");

    write_file("text.xlsx", "Geo code,2019\nE1,4\n");
    expect_error("text", WIDE("text.xlsx", ""), "text.xlsx", ": not a readable .xlsx workbook (");
    expect_error("absent", WIDE("absent.xlsx", ""), "absent.xlsx", ": cannot open the workbook");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ons_table),
        cmocka_unit_test(test_blank_row_ends_the_table),
        cmocka_unit_test(test_skip_rows_and_tidy),
        cmocka_unit_test(test_sheet_choice),
        cmocka_unit_test(test_located_errors),
        cmocka_unit_test(test_hostile_workbooks),
    };
    return cmocka_run_group_tests(tests, make_workdir, remove_workdir);
}
