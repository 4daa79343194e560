/*
 * fuzz_xlsx.c — a dataset read from a workbook in memory: the container, the
 * workbook's sheet list and relationships, shared strings, the sheet's rows
 * and cells, the header search and the table's end.
 *
 * Byte 0 chooses the settings (bit 0 wide, 1 skip_rows = 1, 2 area_name,
 * 3 a filter on "type", 4 duplicates = "identical", 5 sheet = "Data", 6 the
 * rest of the input is the whole .xlsx file, for the container). Otherwise
 * the rest is the sheet's XML, then, after a NUL byte, the shared strings'
 * XML (an empty table without one), zipped (deflated) with a fixed
 * workbook.xml and relationships naming sheets "Data" and "Notes". The
 * columns the settings name are code, name, type, and period and x (tidy).
 * Promises checked: a dataset or an error with
 * exit code 1 and a message naming the input; a dataset has areas, periods
 * that start with a year, no infinite values, and rows kept <= rows read.
 */
#include "fuzz.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "dataset.h"

static const char workbook[] =
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Notes\" sheetId=\"2\" r:id=\"rId2\"/>"
    "</sheets></workbook>";

static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";

static const char notes[] = "<worksheet><sheetData/></worksheet>";

static int add(zip_t *z, const char *name, const void *data, size_t len)
{
    zip_source_t *src = zip_source_buffer(z, data, len, 0);
    if (!src)
        return -1;
    if (zip_file_add(z, name, src, ZIP_FL_OVERWRITE) < 0) {
        zip_source_free(src);
        return -1;
    }
    return 0;
}

/* The workbook around sheet[0..sheet_len) and shared[0..shared_len), in *out (malloc'd). */
static int zip_book(const uint8_t *sheet, size_t sheet_len, const uint8_t *shared, size_t shared_len,
                    char **out, size_t *out_len)
{
    zip_error_t ze;
    zip_source_t *mem;
    zip_t *z;
    zip_stat_t st;

    zip_error_init(&ze);
    if (!(mem = zip_source_buffer_create(NULL, 0, 0, &ze)))
        return -1;
    zip_source_keep(mem);
    if (!(z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze))) {
        zip_source_free(mem);
        zip_source_free(mem);
        return -1;
    }
    if (add(z, "xl/workbook.xml", workbook, sizeof workbook - 1) || add(z, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1)
        || add(z, "xl/worksheets/sheet1.xml", sheet, sheet_len) || add(z, "xl/worksheets/sheet2.xml", notes, sizeof notes - 1)
        || add(z, "xl/sharedStrings.xml", shared ? (const void *)shared : "<sst/>", shared ? shared_len : 6)
        || zip_close(z) != 0) {
        zip_discard(z);
        zip_source_free(mem);
        return -1;
    }
    *out = NULL;
    if (zip_source_stat(mem, &st) == 0 && zip_source_open(mem) == 0) {
        if ((*out = malloc(st.size ? st.size : 1))
            && zip_source_read(mem, *out, st.size) != (zip_int64_t)st.size) {
            free(*out);
            *out = NULL;
        }
        zip_source_close(mem);
    }
    *out_len = (size_t)st.size;
    zip_source_free(mem);
    zip_error_fini(&ze);
    return *out ? 0 : -1;
}

static void check_dataset(const ri_dataset *ds)
{
    size_t cells = ds->n_areas * ds->n_periods * ds->n_industries;

    if (ds->n_areas == 0 || ds->n_periods == 0)
        ri_fuzz_fail("empty dataset accepted");
    if (ds->rows_kept > ds->rows_read || ds->rows_kept == 0)
        ri_fuzz_fail("%zu rows kept of %zu read", ds->rows_kept, ds->rows_read);
    for (size_t t = 0; t < ds->n_periods; t++)
        for (int i = 0; i < 4; i++)
            if (!isdigit((unsigned char)ri_strtab_get(ds->periods, t)[i]))
                ri_fuzz_fail("period \"%s\" does not start with a year", ri_strtab_get(ds->periods, t));
    for (size_t m = 0; m < ds->n_measures; m++)
        for (size_t c = 0; c < cells; c++)
            if (isinf(ds->values[m][c]))
                ri_fuzz_fail("infinite value in the cube");
}

int ri_fuzz_xlsx(const uint8_t *data, size_t size)
{
    static char *filter_values[] = {"LEP", "LA"};
    ri_filter filter = {"type", filter_values, 2, {NULL, 0}};
    ri_binding measures[] = {{"x", "x", {NULL, 0}}};
    ri_dataset_cfg cfg;
    ri_dataset *ds = NULL;
    ri_error err;
    char *book = NULL;
    size_t book_len = 0;
    unsigned flags;
    ri_rc rc;
    long mark;

    if (size < 1)
        return 0;
    flags = data[0];
    memset(&cfg, 0, sizeof cfg);
    cfg.id = "fuzz";
    cfg.path = "fuzz.xlsx";
    cfg.layout = flags & 1 ? RI_LAYOUT_WIDE : RI_LAYOUT_TIDY;
    cfg.area_col = "code";
    cfg.has_skip_rows = (flags & 2) != 0;
    cfg.skip_rows = flags & 2 ? 1 : 0;
    cfg.area_name_col = flags & 4 ? "name" : NULL;
    if (flags & 8) {
        cfg.filters = &filter;
        cfg.n_filters = 1;
    }
    cfg.duplicates = flags & 16 ? RI_DUP_IDENTICAL : RI_DUP_ERROR;
    cfg.sheet = flags & 32 ? "Data" : NULL;
    if (cfg.layout == RI_LAYOUT_WIDE) {
        cfg.measure = "x";
        cfg.period_prefix = "";
    } else {
        cfg.period_col = "period";
        cfg.measures = measures;
        cfg.n_measures = 1;
    }

    if (flags & 64) {
        if (!(book = malloc(size - 1 ? size - 1 : 1)))
            return 0;
        memcpy(book, data + 1, size - 1);
        book_len = size - 1;
    } else {
        const uint8_t *sheet = data + 1, *nul = memchr(sheet, 0, size - 1);
        size_t sheet_len = nul ? (size_t)(nul - sheet) : size - 1;
        if (zip_book(sheet, sheet_len, nul ? nul + 1 : NULL, nul ? size - 1 - sheet_len - 1 : 0, &book, &book_len))
            return 0;
    }
    memset(&err, 0, sizeof err);
    mark = ri_fuzz_stdout_mark();
    rc = ri_dataset_load_mem(&cfg, book, book_len, NULL, 0, &ds, &err);
    ri_fuzz_stdout_check(mark);
    free(book);
    if (rc == RI_RC_OK) {
        if (!ds)
            ri_fuzz_fail("success without a dataset");
        check_dataset(ds);
        ri_dataset_free(ds);
        return 0;
    }
    if (ds)
        ri_fuzz_fail("a dataset returned with an error");
    if (rc != RI_RC_DATA || err.code != RI_RC_DATA)
        ri_fuzz_fail("exit code %d for \"%s\"; expected 1", (int)rc, err.msg);
    if (strncmp(err.msg, "fuzz.xlsx", 9) != 0 && strcmp(err.msg, "out of memory") != 0)
        ri_fuzz_fail("error \"%s\" does not name the input", err.msg);
    return 0;
}

RI_FUZZ_ENTRY(ri_fuzz_xlsx)
