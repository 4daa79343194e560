/*
 * fuzz_dataset.c — a dataset read from memory (ri_dataset_load_mem) in both
 * layouts: header, bindings, filters, keys, numbers, markers, duplicates and
 * the cube's size guard.
 *
 * Byte 0 chooses the job's settings for the dataset (bit 0 wide, 1 industry
 * column, 2 area_name, 3 area_type, 4 a filter on "type", 5 duplicates =
 * "identical", 6 skip_rows = 1, 7 extra missing markers); byte 1 the wide
 * period prefix ("", "Pounds_", "Y", "Jobs_"). The rest is the CSV, whose
 * columns the settings name: code, name, type, ind, and period, x, y (tidy).
 * Promises checked: a dataset or an error with exit code 1 and a message
 * naming the input; a dataset has areas and periods, sorted periods that
 * start with a year, a cube no bigger than the guard allows, no infinite
 * values, and counts that add up.
 */
#include "fuzz.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "dataset.h"

/* Mirrors dataset.c's guard: 64 cells per value read, or 2^22 values in all. */
#define SPARSE_FACTOR 64
#define VALUE_FLOOR ((size_t)1 << 22)

static void check_dataset(const ri_dataset *ds, const ri_dataset_cfg *cfg)
{
    size_t cells = ds->n_areas * ds->n_periods * ds->n_industries, nan = 0, missing = 0, limit;

    if (ds->n_areas == 0 || ds->n_periods == 0 || ds->n_industries == 0)
        ri_fuzz_fail("empty dataset accepted");
    if (ds->n_measures != (cfg->layout == RI_LAYOUT_WIDE ? 1 : cfg->n_measures))
        ri_fuzz_fail("%zu measures", ds->n_measures);
    limit = ds->rows_kept * (cfg->layout == RI_LAYOUT_WIDE ? ds->n_periods : 1) * SPARSE_FACTOR;
    if (limit < VALUE_FLOOR / ds->n_measures)
        limit = VALUE_FLOOR / ds->n_measures;
    if (cells > limit)
        ri_fuzz_fail("cube of %zu cells for %zu rows passed the guard", cells, ds->rows_kept);
    if (ds->rows_kept > ds->rows_read || ds->rows_kept == 0)
        ri_fuzz_fail("%zu rows kept of %zu read", ds->rows_kept, ds->rows_read);
    for (size_t t = 0; t < ds->n_periods; t++) {
        const char *p = ri_strtab_get(ds->periods, t);
        for (int i = 0; i < 4; i++)
            if (!isdigit((unsigned char)p[i]))
                ri_fuzz_fail("period \"%s\" does not start with a year", p);
        if (t > 0 && strcmp(ri_strtab_get(ds->periods, t - 1), p) >= 0)
            ri_fuzz_fail("periods out of order");
    }
    for (size_t a = 0; a < ds->n_areas; a++)
        if (!ds->area_names[a] || !*ri_strtab_get(ds->areas, a))
            ri_fuzz_fail("area %zu without a name entry or with an empty code", a);
    for (size_t m = 0; m < ds->n_measures; m++)
        for (size_t c = 0; c < cells; c++) {
            if (isinf(ds->values[m][c]))
                ri_fuzz_fail("infinite value in the cube");
            nan += isnan(ds->values[m][c]) != 0;
        }
    for (size_t k = 0; k < ds->n_markers; k++)
        missing += ds->missing_by_marker[k];
    if (nan != ri_dataset_missing_total(ds))
        ri_fuzz_fail("%zu NaN cells, ri_dataset_missing_total says %zu", nan,
                     ri_dataset_missing_total(ds));
    if (ds->cells_read > ds->rows_kept * (cfg->layout == RI_LAYOUT_WIDE ? ds->n_periods : ds->n_measures))
        ri_fuzz_fail("%zu cells read from %zu rows", ds->cells_read, ds->rows_kept);
    if (missing > ds->cells_read)
        ri_fuzz_fail("%zu missing markers in %zu cells read", missing, ds->cells_read);
}

int ri_fuzz_dataset(const uint8_t *data, size_t size)
{
    static const char *const prefixes[] = {"", "Pounds_", "Y", "Jobs_"};
    static char *filter_values[] = {"LEP", "LA", "Other"};
    static char *extra_markers[] = {"n/a", "NA"};
    static char *job_markers[] = {"*"};
    ri_filter filter = {"type", filter_values, 3, {NULL, 0}};
    ri_binding measures[] = {{"x", "x", {NULL, 0}}, {"y", "y", {NULL, 0}}};
    char *additive[] = {"x"};
    ri_dataset_cfg cfg;
    ri_dataset *ds = NULL;
    ri_error err;
    unsigned flags;
    ri_rc rc;
    long mark;

    if (size < 2)
        return 0;
    flags = data[0];
    memset(&cfg, 0, sizeof cfg);
    cfg.id = "fuzz";
    cfg.path = "fuzz.csv";
    cfg.layout = flags & 1 ? RI_LAYOUT_WIDE : RI_LAYOUT_TIDY;
    cfg.area_col = "code";
    cfg.industry_col = flags & 2 ? "ind" : NULL;
    cfg.area_name_col = flags & 4 ? "name" : NULL;
    cfg.area_type_col = flags & 8 ? "type" : NULL;
    if (flags & 16) {
        cfg.filters = &filter;
        cfg.n_filters = 1;
    }
    cfg.duplicates = flags & 32 ? RI_DUP_IDENTICAL : RI_DUP_ERROR;
    cfg.skip_rows = flags & 64 ? 1 : 0;
    if (flags & 128) {
        cfg.missing = extra_markers;
        cfg.n_missing = 2;
    }
    if (cfg.layout == RI_LAYOUT_WIDE) {
        cfg.measure = "x";
        cfg.period_prefix = (char *)prefixes[data[1] & 3];
    } else {
        cfg.period_col = "period";
        cfg.measures = measures;
        cfg.n_measures = 2;
    }
    cfg.additive = additive;
    cfg.n_additive = 1;

    memset(&err, 0, sizeof err);
    mark = ri_fuzz_stdout_mark();
    rc = ri_dataset_load_mem(&cfg, (const char *)data + 2, size - 2, flags & 128 ? job_markers : NULL,
                             flags & 128 ? 1 : 0, &ds, &err);
    ri_fuzz_stdout_check(mark);
    if (rc == RI_RC_OK) {
        if (!ds)
            ri_fuzz_fail("success without a dataset");
        check_dataset(ds, &cfg);
        if (!ds->additive[0])
            ri_fuzz_fail("measure x lost its additive flag");
        ri_dataset_free(ds);
        return 0;
    }
    if (ds)
        ri_fuzz_fail("a dataset returned with an error");
    if (rc != RI_RC_DATA || err.code != RI_RC_DATA)
        ri_fuzz_fail("exit code %d for \"%s\"; expected 1", (int)rc, err.msg);
    if (strncmp(err.msg, "fuzz.csv", 8) != 0 && strcmp(err.msg, "out of memory") != 0)
        ri_fuzz_fail("error \"%s\" does not name the input", err.msg);
    return 0;
}

RI_FUZZ_ENTRY(ri_fuzz_dataset)
