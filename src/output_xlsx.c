/* output_xlsx.c — the Excel workbook writer (see output_xlsx.h). */
#include "output_xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Excel's limits: rows per sheet and characters in a sheet name. */
#define MAX_ROWS 1048576u
#define SHEET_NAME_MAX 31

typedef struct book {
    lxw_workbook *wb;
    lxw_format *bold, *gbp, *one_dp, *three_dp;
    char (*names)[SHEET_NAME_MAX + 1]; /* sheet names used so far */
    size_t n_names;
    const ri_results *r;
    const ri_selection *sel;
} book;

static int contains(const char *s, const char *word)
{
    return strstr(s, word) != NULL;
}

/* The display format a unit calls for; NULL: Excel's General. */
static lxw_format *format_of(const book *b, const char *unit)
{
    if (contains(unit, "GBP") || contains(unit, "persons") || contains(unit, "jobs") || contains(unit, "count")
        || contains(unit, "hours"))
        return b->gbp;
    if (contains(unit, "index") || contains(unit, "%") || contains(unit, "percent"))
        return b->one_dp;
    if (contains(unit, "ratio"))
        return b->three_dp;
    return NULL;
}

static ri_rc lxw_failed(lxw_error e, const char *what, ri_error *err)
{
    return ri_fail(err, RI_RC_DATA, "writing the workbook (%s): %s", what, lxw_strerror(e));
}

/* A sheet named from base: cut to 31 characters, numbered when taken. */
static lxw_worksheet *add_sheet(book *b, const char *base, ri_error *err)
{
    char name[SHEET_NAME_MAX + 1];
    lxw_worksheet *ws;

    snprintf(name, sizeof name, "%s", base);
    for (unsigned k = 2;; k++) {
        size_t i = 0;
        while (i < b->n_names && strcmp(b->names[i], name) != 0)
            i++;
        if (i == b->n_names)
            break;
        char suffix[16];
        int n = snprintf(suffix, sizeof suffix, " (%u)", k);
        snprintf(name, sizeof name, "%.*s%s", SHEET_NAME_MAX - n, base, suffix);
    }
    char (*grown)[SHEET_NAME_MAX + 1] = realloc(b->names, (b->n_names + 1) * sizeof *grown);
    if (!grown) {
        ri_oom(err);
        return NULL;
    }
    b->names = grown;
    memcpy(b->names[b->n_names++], name, sizeof name);
    if (!(ws = workbook_add_worksheet(b->wb, name)))
        ri_fail(err, RI_RC_DATA, "writing the workbook: cannot add sheet \"%s\"", name);
    return ws;
}

typedef struct sheet_rows {
    book *b;
    lxw_worksheet *ws;
    const char *name;
    const ri_result_col **cols;
    size_t n, keys;
    lxw_row_t row;
} sheet_rows;

static ri_rc put_sheet_row(void *ctx, size_t area, size_t period, size_t industry, const double *v,
                           const unsigned char *has, ri_error *err)
{
    sheet_rows *sr = ctx;
    const ri_panel *p = sr->b->r->panel;
    lxw_worksheet *ws = sr->ws;
    lxw_row_t row = ++sr->row;

    if (row >= MAX_ROWS)
        return ri_fail(err, RI_RC_DATA,
                       "sheet \"%s\" would need more than %u rows, Excel's limit; write it as CSV or select fewer periods",
                       sr->name, MAX_ROWS - 1);
    worksheet_write_string(ws, row, 0, p->area_codes[area], NULL);
    worksheet_write_string(ws, row, 1, p->area_names[area], NULL);
    worksheet_write_string(ws, row, 2, p->periods[period], NULL);
    if (industry != RI_NO_INDUSTRY)
        worksheet_write_string(ws, row, 3, p->industries[industry], NULL);
    for (size_t c = 0; c < sr->n; c++)
        if (has[c] && !isnan(v[c]))
            worksheet_write_number(ws, row, (lxw_col_t)(sr->keys + c), v[c], format_of(sr->b, sr->cols[c]->unit));
    return RI_RC_OK;
}

/* The sheet of one indicator's outputs by industry (ind = 1) or not, in the wide shape. */
static ri_rc indicator_sheet(book *b, const char *name, const ri_result_col **cols, size_t n, int ind,
                             ri_error *err)
{
    const char *const key_names[] = {"area_code", "area_name", "period", b->r->breakdown};
    sheet_rows sr = {b, NULL, name, cols, n, ind ? 4 : 3, 0};
    ri_rc rc;

    if (!(sr.ws = add_sheet(b, name, err)))
        return err->code;
    for (size_t k = 0; k < sr.keys; k++)
        worksheet_write_string(sr.ws, 0, (lxw_col_t)k, key_names[k], b->bold);
    for (size_t c = 0; c < n; c++) {
        char head[512];
        snprintf(head, sizeof head, "%s (%s)", cols[c]->output, cols[c]->unit);
        worksheet_write_string(sr.ws, 0, (lxw_col_t)(sr.keys + c), head, b->bold);
    }
    if ((rc = ri_results_each_row(b->r, b->sel, cols, n, ind, 0, b->r->panel->n_areas, put_sheet_row, &sr, err)))
        return rc;
    worksheet_set_column(sr.ws, 0, 0, 12, NULL);
    worksheet_set_column(sr.ws, 1, 1, 40, NULL);
    worksheet_set_column(sr.ws, 2, (lxw_col_t)(sr.keys - 1), 10, NULL);
    worksheet_set_column(sr.ws, (lxw_col_t)sr.keys, (lxw_col_t)(sr.keys + n - 1), 18, NULL);
    worksheet_freeze_panes(sr.ws, 1, 0);
    lxw_error e = worksheet_autofilter(sr.ws, 0, 0, sr.row, (lxw_col_t)(sr.keys + n - 1));
    return e ? lxw_failed(e, "autofilter", err) : RI_RC_OK;
}

/* Every selected indicator's sheets, in results order. */
static ri_rc indicator_sheets(book *b, ri_error *err)
{
    const ri_results *r = b->r;
    const ri_result_col **cols = calloc(r->n_cols ? r->n_cols : 1, sizeof *cols);
    ri_rc rc = RI_RC_OK;

    if (!cols)
        return ri_oom(err);
    for (size_t c = 0; c < r->n_cols && !rc; c++) {
        const char *id = r->cols[c].indicator;
        size_t seen = 0, n[2] = {0, 0};
        while (seen < c && strcmp(r->cols[seen].indicator, id) != 0)
            seen++;
        if (seen < c || !ri_selection_has(b->sel, id))
            continue;
        for (int ind = 0; ind < 2 && !rc; ind++) {
            for (size_t k = c; k < r->n_cols; k++)
                if (strcmp(r->cols[k].indicator, id) == 0 && !!r->cols[k].by_industry == ind)
                    cols[n[ind]++] = &r->cols[k];
            if (!n[ind])
                continue;
            char name[128];
            snprintf(name, sizeof name, ind && n[0] ? "%s by industry" : "%s", id);
            rc = indicator_sheet(b, name, cols, n[ind], ind, err);
        }
    }
    free(cols);
    return rc;
}

static void header_row(lxw_worksheet *ws, lxw_row_t row, const char *const *names, size_t n, lxw_format *bold)
{
    for (size_t k = 0; k < n; k++)
        worksheet_write_string(ws, row, (lxw_col_t)k, names[k], bold);
}

static ri_rc notes_sheet(book *b, ri_error *err)
{
    static const char *const heads[] = {"indicator", "output", "unit", "description"};
    const ri_results *r = b->r;
    lxw_worksheet *ws = add_sheet(b, "Notes", err);
    lxw_row_t row = 0;

    if (!ws)
        return err->code;
    header_row(ws, row, heads, 4, b->bold);
    for (size_t c = 0; c < r->n_cols; c++) {
        const ri_result_col *col = &r->cols[c];
        if (!ri_selection_has(b->sel, col->indicator))
            continue;
        row++;
        worksheet_write_string(ws, row, 0, col->indicator, NULL);
        worksheet_write_string(ws, row, 1, col->output, NULL);
        worksheet_write_string(ws, row, 2, col->unit, NULL);
        if (col->help)
            worksheet_write_string(ws, row, 3, col->help, NULL);
    }
    worksheet_set_column(ws, 0, 2, 24, NULL);
    worksheet_set_column(ws, 3, 3, 100, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    return RI_RC_OK;
}

static const ri_dataset_info *coverage(const ri_panel *p, const char *id)
{
    for (size_t d = 0; d < p->n_datasets; d++)
        if (strcmp(p->datasets[d].id, id) == 0)
            return &p->datasets[d];
    return NULL;
}

static void put_file(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const ri_file_info *f)
{
    worksheet_write_string(ws, row, col, f->path ? f->path : "", NULL);
    worksheet_write_number(ws, row, col + 1, (double)f->size, NULL);
    worksheet_write_string(ws, row, col + 2, f->sha256, NULL);
}

static ri_rc sources_sheet(book *b, const ri_manifest *m, ri_error *err)
{
    static const char *const input_heads[] = {"kind", "id", "sheet", "path", "bytes", "sha256", "rows read",
                                              "rows kept", "areas", "periods", "first period", "last period"};
    static const char *const plugin_heads[] = {"plugin", "version", "abi", "path", "bytes", "sha256"};
    lxw_worksheet *ws = add_sheet(b, "Sources", err);
    lxw_row_t row = 0;
    char text[64];

    if (!ws)
        return err->code;
    worksheet_write_string(ws, row, 0, "job file", b->bold);
    put_file(ws, row, 3, &m->config);
    worksheet_write_string(ws, ++row, 0, "regind", b->bold);
    worksheet_write_string(ws, row, 1, PACKAGE_VERSION, NULL);
    worksheet_write_string(ws, ++row, 0, "period selection", b->bold);
    worksheet_write_string(ws, row, 1, m->period ? m->period : "none: the sheets show every period written", NULL);
    worksheet_write_string(ws, ++row, 0, "warnings", b->bold);
    worksheet_write_number(ws, row, 1, (double)b->r->warnings, NULL);
    for (size_t i = 0; i < b->r->n_warning_lines; i++)
        worksheet_write_string(ws, ++row, 1, b->r->warning_lines[i], NULL);
    row += 2;
    header_row(ws, row, input_heads, sizeof input_heads / sizeof *input_heads, b->bold);
    for (size_t i = 0; i < m->n_inputs; i++) {
        const ri_manifest_input *in = &m->inputs[i];
        const ri_dataset_info *d = strcmp(in->kind, "dataset") == 0 ? coverage(b->r->panel, in->id) : NULL;
        worksheet_write_string(ws, ++row, 0, in->kind, NULL);
        worksheet_write_string(ws, row, 1, in->id, NULL);
        if (in->sheet)
            worksheet_write_string(ws, row, 2, in->sheet, NULL);
        put_file(ws, row, 3, &in->file);
        if (!d)
            continue;
        worksheet_write_number(ws, row, 6, (double)d->rows_read, NULL);
        worksheet_write_number(ws, row, 7, (double)d->rows_kept, NULL);
        worksheet_write_number(ws, row, 8, (double)d->n_areas, NULL);
        worksheet_write_number(ws, row, 9, (double)d->n_periods, NULL);
        worksheet_write_string(ws, row, 10, d->first_period ? d->first_period : "", NULL);
        worksheet_write_string(ws, row, 11, d->last_period ? d->last_period : "", NULL);
    }
    row += 2;
    header_row(ws, row, plugin_heads, sizeof plugin_heads / sizeof *plugin_heads, b->bold);
    for (size_t i = 0; i < m->n_plugins; i++) {
        const ri_manifest_plugin *pl = &m->plugins[i];
        worksheet_write_string(ws, ++row, 0, pl->name, NULL);
        worksheet_write_string(ws, row, 1, pl->version, NULL);
        snprintf(text, sizeof text, "%u.%u", pl->abi_major, pl->abi_minor);
        worksheet_write_string(ws, row, 2, text, NULL);
        put_file(ws, row, 3, pl->library.path ? &pl->library : &pl->file);
    }
    worksheet_set_column(ws, 0, 2, 16, NULL);
    worksheet_set_column(ws, 3, 3, 60, NULL);
    worksheet_set_column(ws, 5, 5, 66, NULL);
    return RI_RC_OK;
}

/* The workbook file's bytes into the sink. */
static ri_rc copy_file(const char *path, ri_sink *sink, ri_error *err)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;

    if (!f)
        return ri_fail(err, RI_RC_DATA, "%s: cannot read the workbook just written: %s", path, strerror(errno));
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        ri_sink_write(sink, buf, n);
    int failed = ferror(f);
    fclose(f);
    return failed ? ri_fail(err, RI_RC_DATA, "%s: read failed", path) : RI_RC_OK;
}

static ri_rc build(book *b, const char *path, const ri_manifest *m, ri_error *err)
{
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    ri_rc rc;

    if (!(b->wb = workbook_new_opt(path, &opts)))
        return ri_fail(err, RI_RC_DATA, "%s: cannot start a workbook there", path);
    if (!(b->bold = workbook_add_format(b->wb)) || !(b->gbp = workbook_add_format(b->wb))
        || !(b->one_dp = workbook_add_format(b->wb)) || !(b->three_dp = workbook_add_format(b->wb))) {
        workbook_close(b->wb);
        return ri_oom(err);
    }
    /* Dated by its newest input, not the clock, so the same inputs give the same bytes. */
    lxw_doc_properties props = {.title = "regind indicators", .created = 1};
    for (size_t i = 0; m && i < m->n_inputs; i++)
        if (m->inputs[i].file.mtime_s > props.created)
            props.created = (time_t)m->inputs[i].file.mtime_s;
    if (m && m->config.mtime_s > props.created)
        props.created = (time_t)m->config.mtime_s;
    workbook_set_properties(b->wb, &props);
    format_set_bold(b->bold);
    format_set_num_format(b->gbp, "#,##0");
    format_set_num_format(b->one_dp, "0.0");
    format_set_num_format(b->three_dp, "0.000");
    rc = indicator_sheets(b, err);
    if (!rc)
        rc = notes_sheet(b, err);
    if (!rc && m)
        rc = sources_sheet(b, m, err);
    lxw_error e = workbook_close(b->wb);
    return rc ? rc : e ? lxw_failed(e, "closing", err) : RI_RC_OK;
}

ri_rc ri_write_xlsx(ri_sink *sink, const ri_results *r, const ri_selection *sel, const ri_manifest *m,
                    ri_error *err)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    book b;
    ri_rc rc = ri_results_check(r, sel, err);
    int fd;

    if (rc)
        return rc;
    snprintf(path, sizeof path, "%s/regind-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    if ((fd = mkstemp(path)) < 0)
        return ri_fail(err, RI_RC_DATA, "%s: cannot create a temporary file for the workbook: %s", path,
                       strerror(errno));
    close(fd);
    memset(&b, 0, sizeof b);
    b.r = r;
    b.sel = sel;
    rc = build(&b, path, m, err);
    if (!rc)
        rc = copy_file(path, sink, err);
    unlink(path);
    free(b.names);
    return rc;
}
