/* dataset.c — reading one dataset's CSV into a dense cube (see dataset.h). */
#include "dataset.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "number.h"

/* Cubes are dense; refuse key combinations that would need far more cells than observations. */
#define RI_MAX_SPARSE_FACTOR 64
#define RI_MIN_CELL_LIMIT (1u << 22)

/* Observations as read, before the cube's dimensions are known. */
typedef struct obs_buf {
    uint32_t *area, *period, *industry;
    unsigned long *line;
    double *v; /* [n * n_measures] */
    size_t n, cap, n_measures;
} obs_buf;

typedef struct reader {
    const ri_dataset_cfg *cfg;
    ri_dataset *ds;
    ri_csv *csv;
    ri_markers markers;
    const char **extra_markers;
    size_t header_fields;
    unsigned long header_line;
    long col_area, col_name, col_type, col_period, col_industry;
    long *col_filter;       /* [n_filters] */
    long *col_measure;      /* tidy: [n_measures] */
    long *period_of_col;    /* wide: [header_fields] period index or -1 */
    char **header;          /* [header_fields] copies, for messages */
    obs_buf obs;
} reader;

static void trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

static int field_equals(const ri_csv_field *f, const char *text)
{
    const char *s = f->ptr;
    size_t len = f->len;
    trim(&s, &len);
    return strlen(text) == len && memcmp(s, text, len) == 0;
}

static char *dup_range(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (out) {
        memcpy(out, s, len);
        out[len] = '\0';
    }
    return out;
}

static ri_rc oom(ri_error *err)
{
    return ri_fail(err, RI_RC_DATA, "out of memory");
}

static long find_column(const reader *r, const char *name)
{
    for (size_t i = 0; i < r->header_fields; i++)
        if (strcmp(r->header[i], name) == 0)
            return (long)i;
    return -1;
}

static ri_rc require_column(const reader *r, const char *name, const char *role, long *out,
                            ri_error *err)
{
    *out = -1;
    if (!name)
        return RI_RC_OK;
    *out = find_column(r, name);
    if (*out < 0)
        return ri_fail(err, RI_RC_DATA,
                       "%s:%lu: no column \"%s\" (bound to %s in dataset \"%s\"); the header has %zu columns starting \"%s\"",
                       ri_csv_name(r->csv), r->header_line, name, role, r->cfg->id,
                       r->header_fields, r->header_fields ? r->header[0] : "");
    return RI_RC_OK;
}

/* A period label must start with a four-digit year so periods sort and have a year. */
static int is_period_label(const char *s, size_t len)
{
    if (len < 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static ri_rc read_header(reader *r, ri_error *err)
{
    ri_csv_record rec;
    const ri_dataset_cfg *cfg = r->cfg;
    int got;

    for (long skipped = 0;; skipped++) {
        got = ri_csv_next(r->csv, &rec, err);
        if (got < 0)
            return err->code ? err->code : RI_RC_DATA;
        if (got == 0)
            return ri_fail(err, RI_RC_DATA, "%s: no header row%s; expected a header naming the columns",
                           ri_csv_name(r->csv), cfg->skip_rows ? " after skip_rows" : "");
        if (skipped >= cfg->skip_rows)
            break;
    }
    r->header_line = rec.line;
    r->header_fields = rec.n_fields;
    r->header = calloc(rec.n_fields, sizeof *r->header);
    if (!r->header)
        return oom(err);
    for (size_t i = 0; i < rec.n_fields; i++) {
        const char *s = rec.fields[i].ptr;
        size_t len = rec.fields[i].len;
        trim(&s, &len);
        if (!(r->header[i] = dup_range(s, len)))
            return oom(err);
    }

    ri_rc rc;
    if ((rc = require_column(r, cfg->area_col, "area", &r->col_area, err)) ||
        (rc = require_column(r, cfg->area_name_col, "area_name", &r->col_name, err)) ||
        (rc = require_column(r, cfg->area_type_col, "area_type", &r->col_type, err)) ||
        (rc = require_column(r, cfg->industry_col, "industry", &r->col_industry, err)))
        return rc;
    if (cfg->n_filters) {
        r->col_filter = calloc(cfg->n_filters, sizeof *r->col_filter);
        if (!r->col_filter)
            return oom(err);
        for (size_t f = 0; f < cfg->n_filters; f++)
            if ((rc = require_column(r, cfg->filters[f].column, "a filter", &r->col_filter[f], err)))
                return rc;
    }

    if (cfg->layout == RI_LAYOUT_TIDY) {
        if ((rc = require_column(r, cfg->period_col, "period", &r->col_period, err)))
            return rc;
        r->col_measure = calloc(cfg->n_measures ? cfg->n_measures : 1, sizeof *r->col_measure);
        if (!r->col_measure)
            return oom(err);
        for (size_t m = 0; m < cfg->n_measures; m++)
            if ((rc = require_column(r, cfg->measures[m].value, cfg->measures[m].name,
                                     &r->col_measure[m], err)))
                return rc;
        return RI_RC_OK;
    }

    const char *prefix = cfg->period_prefix ? cfg->period_prefix : "";
    size_t plen = strlen(prefix), n_periods = 0;
    r->col_period = -1;
    r->period_of_col = malloc(r->header_fields * sizeof *r->period_of_col);
    if (!r->period_of_col)
        return oom(err);
    for (size_t i = 0; i < r->header_fields; i++) {
        const char *h = r->header[i];
        r->period_of_col[i] = -1;
        if ((long)i == r->col_area || (long)i == r->col_name || (long)i == r->col_type ||
            (long)i == r->col_industry || strncmp(h, prefix, plen) != 0 ||
            !is_period_label(h + plen, strlen(h + plen)))
            continue;
        if (ri_strtab_find(r->ds->periods, h + plen, strlen(h + plen)) >= 0)
            return ri_fail(err, RI_RC_DATA, "%s:%lu:%zu: period \"%s\" appears twice in the header; expected one column per period",
                           ri_csv_name(r->csv), r->header_line, i + 1, h + plen);
        long p = ri_strtab_intern(r->ds->periods, h + plen, strlen(h + plen));
        if (p < 0)
            return oom(err);
        r->period_of_col[i] = p;
        n_periods++;
    }
    if (n_periods == 0)
        return ri_fail(err, RI_RC_DATA,
                       "%s:%lu: no period columns; expected headers of the form \"%sYYYY\" (layout = \"wide\")",
                       ri_csv_name(r->csv), r->header_line, prefix);
    return RI_RC_OK;
}

static int obs_grow(obs_buf *o)
{
    size_t cap = o->cap ? o->cap * 2 : 4096;
    uint32_t *a = realloc(o->area, cap * sizeof *a);
    if (!a)
        return -1;
    o->area = a;
    if (!(a = realloc(o->period, cap * sizeof *a)))
        return -1;
    o->period = a;
    if (!(a = realloc(o->industry, cap * sizeof *a)))
        return -1;
    o->industry = a;
    unsigned long *l = realloc(o->line, cap * sizeof *l);
    if (!l)
        return -1;
    o->line = l;
    double *v = realloc(o->v, cap * o->n_measures * sizeof *v);
    if (!v)
        return -1;
    o->v = v;
    o->cap = cap;
    return 0;
}

static void obs_free(obs_buf *o)
{
    free(o->area);
    free(o->period);
    free(o->industry);
    free(o->line);
    free(o->v);
}

/* Parse one measure cell into *out, counting missing markers. */
static ri_rc read_cell(reader *r, const ri_csv_record *rec, size_t col, double *out, ri_error *err)
{
    const ri_csv_field *f = &rec->fields[col];
    int marker = 0;
    switch (ri_parse_cell(f->ptr, f->len, f->quoted, &r->markers, out, &marker)) {
    case RI_CELL_NUMBER:
        return RI_RC_OK;
    case RI_CELL_MISSING:
        r->ds->missing_by_marker[marker]++;
        return RI_RC_OK;
    default: {
        size_t show = f->len > 40 ? 40 : f->len;
        return ri_fail(err, RI_RC_DATA,
                       "%s:%lu:%zu: \"%.*s%s\" in column \"%s\" is not a number; expected a number or a missing-value marker (blank, .., :, -, x, c, [u], [c], [x], [low] or the job's own)",
                       ri_csv_name(r->csv), rec->line, col + 1, (int)show, f->ptr,
                       f->len > show ? "..." : "", r->header[col]);
    }
    }
}

static ri_rc intern_key(reader *r, ri_strtab *t, const ri_csv_record *rec, long col,
                        const char *what, uint32_t *out, ri_error *err)
{
    const char *s = rec->fields[col].ptr;
    size_t len = rec->fields[col].len;
    long idx;
    trim(&s, &len);
    if (len == 0)
        return ri_fail(err, RI_RC_DATA, "%s:%lu:%ld: empty %s; expected a %s in column \"%s\"",
                       ri_csv_name(r->csv), rec->line, col + 1, what, what, r->header[col]);
    idx = ri_strtab_intern(t, s, len);
    if (idx < 0)
        return oom(err);
    *out = (uint32_t)idx;
    return RI_RC_OK;
}

static ri_rc remember_area_text(reader *r, const ri_csv_record *rec, uint32_t area, ri_error *err)
{
    ri_dataset *ds = r->ds;
    size_t n = ri_strtab_count(ds->areas);
    if (n > ds->n_areas) {
        char **names = realloc(ds->area_names, n * sizeof *names);
        if (!names)
            return oom(err);
        ds->area_names = names;
        char **types = realloc(ds->area_types, n * sizeof *types);
        if (!types)
            return oom(err);
        ds->area_types = types;
        for (size_t a = ds->n_areas; a < n; a++)
            ds->area_names[a] = ds->area_types[a] = NULL;
        ds->n_areas = n;
    }
    long cols[2] = {r->col_name, r->col_type};
    char **dst[2] = {&ds->area_names[area], &ds->area_types[area]};
    for (int k = 0; k < 2; k++) {
        if (cols[k] < 0 || *dst[k])
            continue;
        const char *s = rec->fields[cols[k]].ptr;
        size_t len = rec->fields[cols[k]].len;
        trim(&s, &len);
        if (!(*dst[k] = dup_range(s, len)))
            return oom(err);
    }
    return RI_RC_OK;
}

static int row_passes(const reader *r, const ri_csv_record *rec)
{
    for (size_t f = 0; f < r->cfg->n_filters; f++) {
        const ri_filter *flt = &r->cfg->filters[f];
        int ok = 0;
        for (size_t v = 0; v < flt->n_values && !ok; v++)
            ok = field_equals(&rec->fields[r->col_filter[f]], flt->values[v]);
        if (!ok)
            return 0;
    }
    return 1;
}

static int row_is_blank(const ri_csv_record *rec)
{
    for (size_t i = 0; i < rec->n_fields; i++) {
        const char *s = rec->fields[i].ptr;
        size_t len = rec->fields[i].len;
        trim(&s, &len);
        if (len)
            return 0;
    }
    return 1;
}

static ri_rc add_obs(reader *r, uint32_t a, uint32_t p, uint32_t ind, unsigned long line,
                     ri_error *err)
{
    obs_buf *o = &r->obs;
    if (o->n == o->cap && obs_grow(o) != 0)
        return oom(err);
    o->area[o->n] = a;
    o->period[o->n] = p;
    o->industry[o->n] = ind;
    o->line[o->n] = line;
    o->n++;
    return RI_RC_OK;
}

static ri_rc read_rows(reader *r, ri_error *err)
{
    const ri_dataset_cfg *cfg = r->cfg;
    ri_csv_record rec;
    int got;
    ri_rc rc;

    while ((got = ri_csv_next(r->csv, &rec, err)) > 0) {
        uint32_t a, ind = 0;
        if (rec.n_fields != r->header_fields) {
            if (row_is_blank(&rec))
                continue;
            return ri_fail(err, RI_RC_DATA,
                           "%s:%lu: row has %zu fields; expected %zu like the header on line %lu",
                           ri_csv_name(r->csv), rec.line, rec.n_fields, r->header_fields,
                           r->header_line);
        }
        r->ds->rows_read++;
        if (!row_passes(r, &rec))
            continue;
        if (row_is_blank(&rec))
            continue;
        r->ds->rows_kept++;
        if ((rc = intern_key(r, r->ds->areas, &rec, r->col_area, "area code", &a, err)))
            return rc;
        if ((rc = remember_area_text(r, &rec, a, err)))
            return rc;
        if (r->col_industry >= 0 &&
            (rc = intern_key(r, r->ds->industries, &rec, r->col_industry, "industry", &ind, err)))
            return rc;

        if (cfg->layout == RI_LAYOUT_TIDY) {
            uint32_t p;
            const ri_csv_field *pf = &rec.fields[r->col_period];
            const char *ps = pf->ptr;
            size_t plen = pf->len;
            trim(&ps, &plen);
            if (!is_period_label(ps, plen))
                return ri_fail(err, RI_RC_DATA,
                               "%s:%lu:%ld: period \"%.*s\" does not start with a four-digit year; expected e.g. 2019 or 2019-20",
                               ri_csv_name(r->csv), rec.line, r->col_period + 1,
                               (int)(plen > 40 ? 40 : plen), ps);
            if ((rc = intern_key(r, r->ds->periods, &rec, r->col_period, "period", &p, err)) ||
                (rc = add_obs(r, a, p, ind, rec.line, err)))
                return rc;
            double *v = &r->obs.v[(r->obs.n - 1) * r->obs.n_measures];
            for (size_t m = 0; m < cfg->n_measures; m++)
                if ((rc = read_cell(r, &rec, (size_t)r->col_measure[m], &v[m], err)))
                    return rc;
            r->ds->cells_read += cfg->n_measures;
        } else {
            for (size_t c = 0; c < r->header_fields; c++) {
                if (r->period_of_col[c] < 0)
                    continue;
                if ((rc = add_obs(r, a, (uint32_t)r->period_of_col[c], ind, rec.line, err)) ||
                    (rc = read_cell(r, &rec, c, &r->obs.v[r->obs.n - 1], err)))
                    return rc;
                r->ds->cells_read++;
            }
        }
    }
    return got < 0 ? (err->code ? err->code : RI_RC_DATA) : RI_RC_OK;
}

/* Duplicate keys: an error naming both lines, or, when allowed, a check that values agree. */
static ri_rc place_obs(reader *r, ri_error *err)
{
    ri_dataset *ds = r->ds;
    const obs_buf *o = &r->obs;
    size_t cells = ds->n_areas * ds->n_periods * ds->n_industries;
    size_t *first = malloc(cells * sizeof *first);

    if (!first)
        return oom(err);
    for (size_t c = 0; c < cells; c++)
        first[c] = SIZE_MAX;
    for (size_t k = 0; k < o->n; k++) {
        size_t c = RI_CELL(ds, o->area[k], o->period[k], o->industry[k]);
        if (first[c] != SIZE_MAX) {
            size_t j = first[c];
            int same = r->cfg->duplicates == RI_DUP_IDENTICAL;
            for (size_t m = 0; same && m < o->n_measures; m++) {
                double x = o->v[j * o->n_measures + m], y = o->v[k * o->n_measures + m];
                same = (isnan(x) && isnan(y)) || x == y;
            }
            if (!same) {
                const char *ind = ds->industries ? ri_strtab_get(ds->industries, o->industry[k]) : NULL;
                ri_fail(err, RI_RC_DATA,
                        "%s:%lu: duplicate key (area %s, period %s%s%s) first seen on line %lu%s",
                        ri_csv_name(r->csv), o->line[k], ri_strtab_get(ds->areas, o->area[k]),
                        ri_strtab_get(ds->periods, o->period[k]), ind ? ", industry " : "",
                        ind ? ind : "", o->line[j],
                        r->cfg->duplicates == RI_DUP_IDENTICAL
                            ? " with different values; expected identical repeats (duplicates = \"identical\")"
                            : "; expected one row per key (set duplicates = \"identical\" if repeats are exact copies)");
                free(first);
                return RI_RC_DATA;
            }
            continue;
        }
        first[c] = k;
        ds->lines[c] = o->line[k];
        for (size_t m = 0; m < o->n_measures; m++)
            ds->values[m][c] = o->v[k * o->n_measures + m];
    }
    free(first);
    return RI_RC_OK;
}

/* Periods sort so plugins see time in order, whatever order the file had. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int sorted_labels(ri_strtab *t, uint32_t **remap_out, ri_strtab **sorted_out)
{
    size_t n = ri_strtab_count(t);
    const char **labels = malloc((n ? n : 1) * sizeof *labels);
    uint32_t *remap = malloc((n ? n : 1) * sizeof *remap);
    ri_strtab *sorted = ri_strtab_new(n);
    if (!labels || !remap || !sorted)
        goto fail;
    for (size_t i = 0; i < n; i++)
        labels[i] = ri_strtab_get(t, i);
    qsort(labels, n, sizeof *labels, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (ri_strtab_intern(sorted, labels[i], strlen(labels[i])) < 0)
            goto fail;
    for (size_t i = 0; i < n; i++) {
        const char *s = ri_strtab_get(t, i);
        remap[i] = (uint32_t)ri_strtab_find(sorted, s, strlen(s));
    }
    free(labels);
    *remap_out = remap;
    *sorted_out = sorted;
    return 0;
fail:
    free(labels);
    free(remap);
    ri_strtab_free(sorted);
    return -1;
}

static ri_rc build_cube(reader *r, ri_error *err)
{
    ri_dataset *ds = r->ds;
    uint32_t *remap;
    ri_strtab *sorted;
    size_t cells, limit;

    if (sorted_labels(ds->periods, &remap, &sorted) != 0)
        return oom(err);
    for (size_t k = 0; k < r->obs.n; k++)
        r->obs.period[k] = remap[r->obs.period[k]];
    free(remap);
    ri_strtab_free(ds->periods);
    ds->periods = sorted;

    ds->n_periods = ri_strtab_count(ds->periods);
    ds->n_industries = ds->industries ? ri_strtab_count(ds->industries) : 1;
    if (ds->n_industries == 0)
        ds->n_industries = 1;
    if (ds->n_areas == 0)
        return ri_fail(err, RI_RC_DATA, "%s: no data rows%s; expected at least one area",
                       ri_csv_name(r->csv), r->cfg->n_filters ? " pass the filter" : "");
    cells = ds->n_areas * ds->n_periods * ds->n_industries;
    limit = r->obs.n * RI_MAX_SPARSE_FACTOR;
    if (limit < RI_MIN_CELL_LIMIT)
        limit = RI_MIN_CELL_LIMIT;
    if (cells / ds->n_areas / ds->n_periods != ds->n_industries || cells > limit)
        return ri_fail(err, RI_RC_DATA,
                       "%s: %zu areas x %zu periods x %zu industries is far sparser than the %zu observations read; expected a panel (check the key columns)",
                       ri_csv_name(r->csv), ds->n_areas, ds->n_periods, ds->n_industries, r->obs.n);
    ds->lines = calloc(cells, sizeof *ds->lines);
    if (!ds->lines)
        return oom(err);
    for (size_t m = 0; m < ds->n_measures; m++) {
        if (!(ds->values[m] = malloc(cells * sizeof(double))))
            return oom(err);
        for (size_t c = 0; c < cells; c++)
            ds->values[m][c] = NAN;
    }
    return place_obs(r, err);
}

static ri_rc init_measures(ri_dataset *ds, const ri_dataset_cfg *cfg, ri_error *err)
{
    ds->n_measures = cfg->layout == RI_LAYOUT_TIDY ? cfg->n_measures : 1;
    ds->measure_names = calloc(ds->n_measures, sizeof *ds->measure_names);
    ds->additive = calloc(ds->n_measures, sizeof *ds->additive);
    ds->values = calloc(ds->n_measures, sizeof *ds->values);
    if (!ds->measure_names || !ds->additive || !ds->values)
        return oom(err);
    for (size_t m = 0; m < ds->n_measures; m++) {
        const char *name = cfg->layout == RI_LAYOUT_TIDY ? cfg->measures[m].name : cfg->measure;
        if (!(ds->measure_names[m] = strdup(name)))
            return oom(err);
        for (size_t k = 0; k < cfg->n_additive; k++)
            if (strcmp(cfg->additive[k], name) == 0)
                ds->additive[m] = 1;
    }
    return RI_RC_OK;
}

static ri_rc init_markers(reader *r, char *const *job_missing, size_t n_job, ri_error *err)
{
    const ri_dataset_cfg *cfg = r->cfg;
    size_t n_extra = n_job + cfg->n_missing;
    ri_dataset *ds = r->ds;

    r->extra_markers = calloc(n_extra ? n_extra : 1, sizeof *r->extra_markers);
    if (!r->extra_markers)
        return oom(err);
    for (size_t i = 0; i < n_job; i++)
        r->extra_markers[i] = job_missing[i];
    for (size_t i = 0; i < cfg->n_missing; i++)
        r->extra_markers[n_job + i] = cfg->missing[i];
    r->markers.extra = r->extra_markers;
    r->markers.n_extra = n_extra;
    ds->n_markers = ri_marker_count(&r->markers);
    ds->missing_by_marker = calloc(ds->n_markers, sizeof *ds->missing_by_marker);
    ds->marker_names = calloc(ds->n_markers, sizeof *ds->marker_names);
    if (!ds->missing_by_marker || !ds->marker_names)
        return oom(err);
    for (size_t i = 0; i < ds->n_markers; i++)
        if (!(ds->marker_names[i] = strdup(ri_marker_name(&r->markers, (int)i))))
            return oom(err);
    return RI_RC_OK;
}

ri_rc ri_dataset_load(const ri_dataset_cfg *cfg, char *const *job_missing,
                      size_t n_job_missing, ri_dataset **out, ri_error *err)
{
    reader r;
    ri_dataset *ds = calloc(1, sizeof *ds);
    ri_rc rc;

    *out = NULL;
    memset(&r, 0, sizeof r);
    if (!ds)
        return oom(err);
    r.cfg = cfg;
    r.ds = ds;
    ds->cfg = cfg;
    ds->areas = ri_strtab_new(1024);
    ds->periods = ri_strtab_new(64);
    if (cfg->industry_col)
        ds->industries = ri_strtab_new(64);
    if (!ds->areas || !ds->periods || (cfg->industry_col && !ds->industries)) {
        rc = oom(err);
        goto done;
    }
    if ((rc = init_measures(ds, cfg, err)) || (rc = init_markers(&r, job_missing, n_job_missing, err)))
        goto done;
    r.obs.n_measures = cfg->layout == RI_LAYOUT_TIDY ? cfg->n_measures : 1;
    if (r.obs.n_measures == 0)
        r.obs.n_measures = 1;
    if ((rc = ri_csv_open(cfg->path, &r.csv, err)))
        goto done;
    if ((rc = read_header(&r, err)) || (rc = read_rows(&r, err)) || (rc = build_cube(&r, err)))
        goto done;
    for (size_t a = 0; a < ds->n_areas; a++)
        if (!ds->area_names[a] && !(ds->area_names[a] = strdup(""))) {
            rc = oom(err);
            goto done;
        }
done:
    if (r.csv)
        ri_csv_close(r.csv);
    obs_free(&r.obs);
    if (r.header)
        for (size_t i = 0; i < r.header_fields; i++)
            free(r.header[i]);
    free(r.header);
    free(r.col_filter);
    free(r.col_measure);
    free(r.period_of_col);
    free(r.extra_markers);
    if (rc) {
        ri_dataset_free(ds);
        return rc;
    }
    *out = ds;
    return RI_RC_OK;
}

long ri_dataset_measure(const ri_dataset *ds, const char *name)
{
    for (size_t m = 0; m < ds->n_measures; m++)
        if (strcmp(ds->measure_names[m], name) == 0)
            return (long)m;
    return -1;
}

size_t ri_dataset_missing_total(const ri_dataset *ds)
{
    size_t cells = ds->n_areas * ds->n_periods * ds->n_industries, n = 0;
    for (size_t m = 0; m < ds->n_measures; m++)
        for (size_t c = 0; c < cells; c++)
            n += isnan(ds->values[m][c]) != 0;
    return n;
}

void ri_dataset_free(ri_dataset *ds)
{
    if (!ds)
        return;
    for (size_t a = 0; a < ds->n_areas; a++) {
        free(ds->area_names ? ds->area_names[a] : NULL);
        free(ds->area_types ? ds->area_types[a] : NULL);
    }
    free(ds->area_names);
    free(ds->area_types);
    for (size_t m = 0; m < ds->n_measures; m++) {
        free(ds->measure_names ? ds->measure_names[m] : NULL);
        free(ds->values ? ds->values[m] : NULL);
    }
    free(ds->measure_names);
    free(ds->additive);
    free(ds->values);
    free(ds->lines);
    for (size_t i = 0; i < ds->n_markers; i++)
        free(ds->marker_names ? ds->marker_names[i] : NULL);
    free(ds->marker_names);
    free(ds->missing_by_marker);
    ri_strtab_free(ds->areas);
    ri_strtab_free(ds->periods);
    ri_strtab_free(ds->industries);
    free(ds);
}
