/* dataset.c — reading one dataset's CSV into a dense cube (see dataset.h). */
#include "dataset.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "number.h"
#include "xlsx.h"

/*
 * Cubes are dense; refuse key combinations that would need far more cells
 * than observations. The floor is a budget of values over all measures
 * (32 MB of doubles), so a few hundred hostile rows bound to many measures
 * cannot reserve a gigabyte.
 */
#define RI_MAX_SPARSE_FACTOR 64
#define RI_MIN_VALUE_LIMIT ((size_t)1 << 22)

/*
 * Keys recently seen in a column, direct-mapped by their length and last
 * bytes: a panel repeats its area and period for many rows and cycles
 * through a few industries, so nearly every lookup is answered here
 * without hashing the key and probing the table.
 */
#define KEY_SLOTS 64

typedef struct key_slot {
    char text[30];
    unsigned char len;
    long index; /* -1 = empty */
} key_slot;

typedef struct key_cache {
    key_slot slot[KEY_SLOTS];
} key_cache;

static key_slot *key_slot_of(key_cache *kc, const char *s, size_t len)
{
    unsigned h = (unsigned)len * 131u + (unsigned char)s[len - 1] * 31u + (unsigned char)s[0];
    if (len > 1)
        h += (unsigned char)s[len - 2] * 7u;
    return &kc->slot[h % KEY_SLOTS];
}

/*
 * The key of every record after the header, in file order, as the first
 * pass found it (tidy files only): the second pass takes each record's cell
 * from here instead of looking its three keys up again, which was a third
 * of its time on large panels. Periods and industries are short: a file
 * with more than 65,535 of either keeps no log and is read as before.
 */
typedef struct key_rec {
    uint32_t a; /* SKIPPED: a blank, filtered-out or note row */
    uint16_t t, i;
} key_rec;

#define SKIPPED UINT32_MAX

typedef struct key_log {
    key_rec *v;
    size_t n, cap;
    int off; /* not kept (not tidy, too many keys, out of memory) */
} key_log;

typedef struct reader {
    const ri_dataset_cfg *cfg;
    ri_dataset *ds;
    ri_csv *csv;
    ri_markers markers;
    const char **extra_markers;
    long skip_rows;         /* records before the header (a workbook's reader starts at it) */
    size_t header_fields;
    unsigned long header_line;
    long col_area, col_name, col_type, col_period, col_industry;
    long *col_filter;       /* [n_filters] */
    long *col_measure;      /* tidy: [n_measures] */
    long *period_of_col;    /* wide: [header_fields] period index or -1 */
    char **header;          /* [header_fields] copies, for messages */
    key_cache cache[3];     /* area, period, industry */
    atomic_uchar *filled;   /* per cube cell: 1 once stored; atomic because two readers share it */
    double *row;            /* tidy: one row's measure values */
    int in_halves;          /* the file is big enough to read in two halves at once */
    ri_csv_mark middle;     /* where the second half starts (pos 0: not known) */
    int half;               /* 1 while reading half of the file beside another reader */
    size_t *clash_cells;    /* half: cells stored before, judged once both halves are read */
    double *clash_values;   /* [n_clashes * n_measures] */
    size_t n_clashes, cap_clashes;
    unsigned long notes_line; /* the first note row, which ends the table; 0 before one */
    key_log log;            /* first pass: the keys this reader found (all, or those before middle when split) */
    key_log rest;           /* split: the keys after middle, found by a second reader */
    int split;              /* the first pass ran in two halves */
    size_t middle_rec;      /* not split: the records before middle */
    const key_log *keys;    /* second pass: the keys of the records it reads, or NULL to look them up */
    size_t next_rec;        /* second pass: the record about to be read, in keys */
} reader;

enum { KEY_AREA, KEY_PERIOD, KEY_INDUSTRY };

static int field_equals(const ri_csv_field *f, const char *text)
{
    const char *s = f->ptr;
    size_t len = f->len;
    ri_csv_trim(&s, &len);
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
        if (skipped >= r->skip_rows)
            break;
    }
    r->header_line = rec.line;
    r->header_fields = rec.n_fields;
    r->header = calloc(rec.n_fields, sizeof *r->header);
    if (!r->header)
        return ri_oom(err);
    for (size_t i = 0; i < rec.n_fields; i++) {
        const char *s = rec.fields[i].ptr;
        size_t len = rec.fields[i].len;
        ri_csv_trim(&s, &len);
        if (!(r->header[i] = dup_range(s, len)))
            return ri_oom(err);
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
            return ri_oom(err);
        for (size_t f = 0; f < cfg->n_filters; f++)
            if ((rc = require_column(r, cfg->filters[f].column, "a filter", &r->col_filter[f], err)))
                return rc;
    }

    if (cfg->layout == RI_LAYOUT_TIDY) {
        if ((rc = require_column(r, cfg->period_col, "period", &r->col_period, err)))
            return rc;
        r->col_measure = calloc(cfg->n_measures ? cfg->n_measures : 1, sizeof *r->col_measure);
        if (!r->col_measure)
            return ri_oom(err);
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
        return ri_oom(err);
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
            return ri_oom(err);
        r->period_of_col[i] = p;
        n_periods++;
    }
    if (n_periods == 0)
        return ri_fail(err, RI_RC_DATA,
                       "%s:%lu: no period columns; expected headers of the form \"%sYYYY\" (layout = \"wide\")",
                       ri_csv_name(r->csv), r->header_line, prefix);
    return RI_RC_OK;
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

/*
 * The index of a key cell in t: interned in the first pass (intern = 1),
 * looked up in the second. Empty keys are errors.
 */
static ri_rc key_index(reader *r, ri_strtab *t, key_cache *kc, const ri_csv_record *rec, long col,
                       const char *what, int intern, uint32_t *out, ri_error *err)
{
    const char *s = rec->fields[col].ptr;
    size_t len = rec->fields[col].len;
    long idx;
    ri_csv_trim(&s, &len);
    if (len == 0)
        return ri_fail(err, RI_RC_DATA, "%s:%lu:%ld: empty %s; expected a %s in column \"%s\"",
                       ri_csv_name(r->csv), rec->line, col + 1, what, what, r->header[col]);
    key_slot *ks = key_slot_of(kc, s, len);
    if (ks->index >= 0 && ks->len == len && ri_same_bytes(ks->text, s, len)) {
        *out = (uint32_t)ks->index;
        return RI_RC_OK;
    }
    idx = intern ? ri_strtab_intern(t, s, len) : ri_strtab_find(t, s, len);
    if (idx < 0)
        return ri_oom(err);
    if (len <= sizeof ks->text) {
        memcpy(ks->text, s, len);
        ks->len = (unsigned char)len;
        ks->index = idx;
    }
    *out = (uint32_t)idx;
    return RI_RC_OK;
}

/* Name and type slots (NULL) for every area interned so far. */
static ri_rc grow_area_text(ri_dataset *ds, ri_error *err)
{
    size_t n = ri_strtab_count(ds->areas);
    if (n > ds->n_areas) {
        char **names = realloc(ds->area_names, n * sizeof *names);
        if (!names)
            return ri_oom(err);
        ds->area_names = names;
        char **types = realloc(ds->area_types, n * sizeof *types);
        if (!types)
            return ri_oom(err);
        ds->area_types = types;
        for (size_t a = ds->n_areas; a < n; a++)
            ds->area_names[a] = ds->area_types[a] = NULL;
        ds->n_areas = n;
    }
    return RI_RC_OK;
}

static ri_rc remember_area_text(reader *r, const ri_csv_record *rec, uint32_t area, ri_error *err)
{
    ri_dataset *ds = r->ds;
    if (grow_area_text(ds, err))
        return err->code;
    long cols[2] = {r->col_name, r->col_type};
    char **dst[2] = {&ds->area_names[area], &ds->area_types[area]};
    for (int k = 0; k < 2; k++) {
        if (cols[k] < 0 || *dst[k])
            continue;
        const char *s = rec->fields[cols[k]].ptr;
        size_t len = rec->fields[cols[k]].len;
        ri_csv_trim(&s, &len);
        if (!(*dst[k] = dup_range(s, len)))
            return ri_oom(err);
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
        ri_csv_trim(&s, &len);
        if (len)
            return 0;
    }
    return 1;
}

/* Whether text[0..len) starts with word, ignoring case. */
static int starts_with_ci(const char *text, size_t len, const char *word)
{
    for (size_t i = 0; word[i]; i++)
        if (i == len || tolower((unsigned char)text[i]) != word[i])
            return 0;
    return 1;
}

/*
 * A row of notes below an ONS table: a first cell starting with "Source"
 * or "Note", or one filled cell of prose (it holds a space or a colon, as
 * "Figures may not sum" does and an area code never does), with or without
 * the trailing commas a spreadsheet writes. A row with only an area code
 * filled is data with every value missing. Data rows fill at least two
 * cells, so the loop stops at the second.
 */
static int is_note_row(const ri_csv_record *rec)
{
    const char *s = rec->fields[0].ptr, *only = NULL;
    size_t len = rec->fields[0].len, only_len = 0, filled = 0;
    ri_csv_trim(&s, &len);
    if (starts_with_ci(s, len, "source") || starts_with_ci(s, len, "note"))
        return 1;
    for (size_t i = 0; i < rec->n_fields; i++) {
        s = rec->fields[i].ptr;
        len = rec->fields[i].len;
        ri_csv_trim(&s, &len);
        if (len && ++filled > 1)
            return 0;
        if (len) {
            only = s;
            only_len = len;
        }
    }
    return filled == 1 && (memchr(only, ' ', only_len) || memchr(only, ':', only_len));
}

/*
 * The key of a record, or 0 when the record is skipped (blank, filtered
 * out, a note row). The first note row ends the table: after it only
 * notes and blank rows may follow, so a data row that a stray note would
 * cut off is an error, never silently dropped. intern = 1 in the first pass, which also checks the record's shape
 * and counts rows; the second pass only looks keys up.
 */
static int record_key(reader *r, const ri_csv_record *rec, int intern, uint32_t *a, uint32_t *t,
                      uint32_t *ind, ri_error *err)
{
    ri_dataset *ds = r->ds;
    ri_rc rc;

    if (r->notes_line || is_note_row(rec)) {
        /* Whether notes end the table depends on every row after them: a reader of half the
           file cannot tell, so it gives up and one reader reads the whole file. */
        if (r->half) {
            ri_fail(err, RI_RC_DATA, "%s:%lu: a note row; read by one reader", ri_csv_name(r->csv), rec->line);
            return -1;
        }
        if (!r->notes_line)
            r->notes_line = rec->line;
        if (row_is_blank(rec) || is_note_row(rec))
            return 0;
        ri_fail(err, RI_RC_DATA,
                "%s:%lu: a data row after the note on line %lu that ends the table; expected only notes or blank rows below it (or move the note below the data)",
                ri_csv_name(r->csv), rec->line, r->notes_line);
        return -1;
    }
    if (rec->n_fields != r->header_fields) {
        if (row_is_blank(rec))
            return 0;
        ri_fail(err, RI_RC_DATA, "%s:%lu: row has %zu fields; expected %zu like the header on line %lu",
                ri_csv_name(r->csv), rec->line, rec->n_fields, r->header_fields, r->header_line);
        return -1;
    }
    if (intern)
        ds->rows_read++;
    if (!row_passes(r, rec) || row_is_blank(rec))
        return 0;
    if (intern)
        ds->rows_kept++;
    *ind = 0;
    *t = 0;
    if ((rc = key_index(r, ds->areas, &r->cache[KEY_AREA], rec, r->col_area, "area code", intern, a, err)))
        return -1;
    if (intern && (rc = remember_area_text(r, rec, *a, err)))
        return -1;
    if (r->col_industry >= 0 &&
        (rc = key_index(r, ds->industries, &r->cache[KEY_INDUSTRY], rec, r->col_industry, "industry",
                        intern, ind, err)))
        return -1;
    if (r->cfg->layout == RI_LAYOUT_TIDY) {
        const ri_csv_field *pf = &rec->fields[r->col_period];
        const char *ps = pf->ptr;
        size_t plen = pf->len;
        ri_csv_trim(&ps, &plen);
        if (intern && !is_period_label(ps, plen)) {
            ri_fail(err, RI_RC_DATA,
                    "%s:%lu:%ld: period \"%.*s\" does not start with a four-digit year; expected e.g. 2019 or 2019-20",
                    ri_csv_name(r->csv), rec->line, r->col_period + 1, (int)(plen > 40 ? 40 : plen), ps);
            return -1;
        }
        if ((rc = key_index(r, ds->periods, &r->cache[KEY_PERIOD], rec, r->col_period, "period", intern,
                            t, err)))
            return -1;
    }
    return 1;
}

/* Keep the key of the record just read (k: record_key's answer). */
static void log_key(key_log *log, int k, uint32_t a, uint32_t t, uint32_t i)
{
    if (log->off)
        return;
    if (k == 1 && (t > UINT16_MAX || i > UINT16_MAX || a == SKIPPED)) {
        log->off = 1;
        return;
    }
    if (log->n == log->cap) {
        size_t cap = log->cap ? 2 * log->cap : 4096;
        key_rec *v = realloc(log->v, cap * sizeof *v);
        if (!v) {
            log->off = 1;
            return;
        }
        log->v = v;
        log->cap = cap;
    }
    log->v[log->n].a = k == 1 ? a : SKIPPED;
    log->v[log->n].t = (uint16_t)(k == 1 ? t : 0);
    log->v[log->n].i = (uint16_t)(k == 1 ? i : 0);
    log->n++;
}

static void log_free(key_log *log)
{
    free(log->v);
    log->v = NULL;
    log->n = log->cap = 0;
    log->off = 1;
}

static void reset_caches(reader *r)
{
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < KEY_SLOTS; i++)
            r->cache[k].slot[i].index = -1;
}

/* Records after the header, in order; fn returns nonzero to stop. */
static ri_rc skip_to_data(reader *r, ri_error *err)
{
    ri_csv_record rec;
    r->notes_line = 0;
    ri_csv_rewind(r->csv);
    reset_caches(r);
    for (long k = 0; k <= r->skip_rows; k++)
        if (ri_csv_next(r->csv, &rec, err) <= 0)
            return err->code ? err->code : RI_RC_DATA;
    return RI_RC_OK;
}

/* First pass: keys, names and the shape of every row. */
static ri_rc scan_keys(reader *r, ri_error *err)
{
    ri_csv_record rec;
    int got;
    size_t halfway = ri_csv_size(r->csv) / 2;
    reset_caches(r);
    while ((got = ri_csv_next(r->csv, &rec, err)) > 0) {
        uint32_t a, t, i;
        int k = record_key(r, &rec, 1, &a, &t, &i, err);
        if (k < 0)
            return err->code ? err->code : RI_RC_DATA;
        log_key(&r->log, k, a, t, i);
        if (r->in_halves && !r->middle.pos && ri_csv_tell(r->csv).pos >= halfway) {
            r->middle = ri_csv_tell(r->csv);
            r->middle_rec = r->log.n;
        }
    }
    return got < 0 ? (err->code ? err->code : RI_RC_DATA) : RI_RC_OK;
}

/*
 * The first records of a file read in halves, by one reader, before
 * anything looks further: a file broken near its top (a 20 GB sparse file
 * with an error on line 3) fails at once, without its middle being looked
 * for. An eighth of the file, at most 1 MiB, so that halves still do the
 * rest when the tests read small files in halves.
 */
#define FIRST_RECORDS_MAX ((size_t)1 << 20)

static ri_rc scan_first_records(reader *r, ri_error *err)
{
    ri_csv_record rec;
    size_t from = ri_csv_tell(r->csv).pos, rest = ri_csv_size(r->csv) - from;
    size_t upto = from + (rest / 8 < FIRST_RECORDS_MAX ? rest / 8 : FIRST_RECORDS_MAX);
    int got = 1;

    reset_caches(r);
    while (ri_csv_tell(r->csv).pos < upto && (got = ri_csv_next(r->csv, &rec, err)) > 0) {
        uint32_t a, t, i;
        int k = record_key(r, &rec, 1, &a, &t, &i, err);
        if (k < 0)
            return err->code ? err->code : RI_RC_DATA;
        log_key(&r->log, k, a, t, i);
    }
    return got < 0 ? (err->code ? err->code : RI_RC_DATA) : RI_RC_OK;
}

/* The line of the first record with this key (an error path: it reads the file again). */
static unsigned long first_line_of(reader *r, uint32_t a, uint32_t t, uint32_t i, long period_col)
{
    ri_csv_record rec;
    ri_error ignore;
    if (skip_to_data(r, &ignore) != RI_RC_OK)
        return 0;
    while (ri_csv_next(r->csv, &rec, &ignore) > 0) {
        uint32_t ka, kt, ki;
        if (record_key(r, &rec, 0, &ka, &kt, &ki, &ignore) != 1)
            continue;
        if (period_col >= 0)
            kt = (uint32_t)r->period_of_col[period_col];
        if (ka == a && kt == t && ki == i)
            return rec.line;
    }
    return 0;
}

static ri_rc duplicate(reader *r, const ri_csv_record *rec, uint32_t a, uint32_t t, uint32_t i,
                       long period_col, ri_error *err)
{
    ri_dataset *ds = r->ds;
    unsigned long line = rec->line;
    const char *ind = ds->industries ? ri_strtab_get(ds->industries, i) : NULL;
    unsigned long first = first_line_of(r, a, t, i, period_col);
    return ri_fail(err, RI_RC_DATA,
                   "%s:%lu: duplicate key (area %s, period %s%s%s) first seen on line %lu%s",
                   ri_csv_name(r->csv), line, ri_strtab_get(ds->areas, a), ri_strtab_get(ds->periods, t),
                   ind ? ", industry " : "", ind ? ind : "", first,
                   r->cfg->duplicates == RI_DUP_IDENTICAL
                       ? " with different values; expected identical repeats (duplicates = \"identical\")"
                       : "; expected one row per key (set duplicates = \"identical\" if repeats are exact copies)");
}

static int same_value(double x, double y)
{
    return (isnan(x) && isnan(y)) || x == y;
}

/* A repeated key met while reading half of the file: the first values may
   come from the other half, still being read, so the repeat is judged once
   both halves are done (clashes_allowed). */
static ri_rc defer_clash(reader *r, size_t cell, const double *values, ri_error *err)
{
    size_t nm = r->ds->n_measures;

    if (r->n_clashes == r->cap_clashes) {
        size_t cap = r->cap_clashes ? 2 * r->cap_clashes : 16;
        size_t *cells = realloc(r->clash_cells, cap * sizeof *cells);
        if (!cells)
            return ri_oom(err);
        r->clash_cells = cells;
        double *v = realloc(r->clash_values, cap * nm * sizeof *v);
        if (!v)
            return ri_oom(err);
        r->clash_values = v;
        r->cap_clashes = cap;
    }
    r->clash_cells[r->n_clashes] = cell;
    memcpy(r->clash_values + r->n_clashes * nm, values, nm * sizeof *values);
    r->n_clashes++;
    return RI_RC_OK;
}

/* Store values[0..n) (one per measure) in a cell, enforcing the duplicates policy. */
static ri_rc store(reader *r, const ri_csv_record *rec, uint32_t a, uint32_t t, uint32_t i,
                   long period_col, const double *values, size_t n, ri_error *err)
{
    ri_dataset *ds = r->ds;
    size_t cell = RI_CELL(ds, a, t, i);

    /* Only two halves need the exchange (a locked instruction); one reader
       alone tests and sets with plain loads and stores. */
    unsigned char was = r->half ? atomic_exchange_explicit(&r->filled[cell], 1, memory_order_relaxed)
                                : atomic_load_explicit(&r->filled[cell], memory_order_relaxed);
    if (!r->half && !was)
        atomic_store_explicit(&r->filled[cell], 1, memory_order_relaxed);
    if (!was) {
        for (size_t m = 0; m < n; m++)
            ds->values[m][cell] = values[m];
        return RI_RC_OK;
    }
    if (r->half)
        return defer_clash(r, cell, values, err);
    int same = r->cfg->duplicates == RI_DUP_IDENTICAL;
    for (size_t m = 0; same && m < n; m++)
        same = same_value(ds->values[m][cell], values[m]);
    return same ? RI_RC_OK : duplicate(r, rec, a, t, i, period_col, err);
}

/* Second pass: every numeric cell from the reader's records into the cube. */
static ri_rc read_records(reader *r, ri_error *err)
{
    const ri_dataset_cfg *cfg = r->cfg;
    ri_csv_record rec;
    ri_rc rc;
    int got;

    while ((got = ri_csv_next(r->csv, &rec, err)) > 0) {
        uint32_t a, t, i;
        int k;
        if (r->keys) {
            if (r->next_rec >= r->keys->n)
                return ri_fail(err, RI_RC_DATA, "%s:%lu: a record the first pass did not see; the file changed while it was read",
                               ri_csv_name(r->csv), rec.line);
            const key_rec *kr = &r->keys->v[r->next_rec++];
            k = kr->a != SKIPPED;
            a = kr->a;
            t = kr->t;
            i = kr->i;
        } else {
            k = record_key(r, &rec, 0, &a, &t, &i, err);
        }
        if (k < 0)
            return err->code ? err->code : RI_RC_DATA;
        if (k == 0)
            continue;
        if (cfg->layout == RI_LAYOUT_TIDY) {
            for (size_t m = 0; m < cfg->n_measures; m++)
                if ((rc = read_cell(r, &rec, (size_t)r->col_measure[m], &r->row[m], err)))
                    return rc;
            if ((rc = store(r, &rec, a, t, i, -1, r->row, cfg->n_measures, err)))
                return rc;
            r->ds->cells_read += cfg->n_measures;
            continue;
        }
        for (size_t c = 0; c < r->header_fields; c++) {
            double v;
            if (r->period_of_col[c] < 0)
                continue;
            if ((rc = read_cell(r, &rec, c, &v, err)) ||
                (rc = store(r, &rec, a, (uint32_t)r->period_of_col[c], i, (long)c, &v, 1, err)))
                return rc;
            r->ds->cells_read++;
        }
    }
    return got < 0 ? (err->code ? err->code : RI_RC_DATA) : RI_RC_OK;
}

static ri_rc read_values(reader *r, ri_error *err)
{
    ri_rc rc = skip_to_data(r, err);
    r->keys = r->split || r->log.off ? NULL : &r->log;
    r->next_rec = 0;
    return rc ? rc : read_records(r, err);
}

/*
 * Files at least this big are read in two halves at once, in both passes,
 * the second half on its own thread; smaller ones are not worth a thread.
 * The first pass finds where the halves meet (r->middle) and the second
 * uses it. The test suite lowers the bound to read every fixture both ways.
 */
static size_t halves_min_bytes(void)
{
    const char *e = getenv("REGIND_TEST_HALVES_MIN_BYTES");
    char *end;
    unsigned long long v;

    if (e && *e) {
        v = strtoull(e, &end, 10);
        if (!*end)
            return (size_t)v;
    }
    return (size_t)16 << 20;
}

typedef struct half_job {
    reader r;
    ri_dataset ds; /* a copy of the dataset: its own counters (and, first pass, key tables) */
    ri_error err;
    ri_rc rc;
} half_job;

typedef struct halves {
    half_job first, second;
    ri_rc (*pass)(reader *, ri_error *);
} halves;

static void *run_second(void *arg)
{
    halves *hv = arg;
    hv->second.rc = hv->pass(&hv->second.r, &hv->second.err);
    return NULL;
}

/* pass over both halves at once: the second on its own thread, or after the first without one. */
static void run_halves(halves *hv)
{
    pthread_t thread;
    int threaded = pthread_create(&thread, NULL, run_second, hv) == 0;

    hv->first.rc = hv->pass(&hv->first.r, &hv->first.err);
    if (threaded)
        pthread_join(thread, NULL);
    else
        run_second(hv);
}

/* A reader for half of the file, bytes [from, to), beside r; it shares r's cube. */
static ri_rc start_half(const reader *r, ri_csv_mark from, size_t to, half_job *h, ri_error *err)
{
    ri_dataset *ds = r->ds;
    ri_rc rc;

    memset(h, 0, sizeof *h);
    h->r = *r;
    h->ds = *ds;
    h->r.ds = &h->ds;
    h->r.half = 1;
    h->r.csv = NULL;
    h->r.row = NULL;
    h->ds.cells_read = 0;
    h->r.clash_cells = NULL;
    h->r.clash_values = NULL;
    h->r.n_clashes = h->r.cap_clashes = 0;
    reset_caches(&h->r);
    if (!(h->ds.missing_by_marker = calloc(ds->n_markers, sizeof *h->ds.missing_by_marker))
        || !(h->r.row = calloc(ds->n_measures, sizeof *h->r.row)))
        return ri_oom(err);
    if ((rc = ri_csv_section(r->csv, from, to, &h->r.csv, err)))
        return rc;
    return RI_RC_OK;
}

/* Fold a half's counters into the dataset and free what the half owns. */
static void finish_half(half_job *h, ri_dataset *ds)
{
    for (size_t m = 0; m < ds->n_markers && h->ds.missing_by_marker; m++)
        ds->missing_by_marker[m] += h->ds.missing_by_marker[m];
    ds->cells_read += h->ds.cells_read;
    free(h->ds.missing_by_marker);
    free(h->r.row);
    free(h->r.clash_cells);
    free(h->r.clash_values);
    ri_csv_close(h->r.csv);
}

/* Whether every repeat a half met is one the duplicates policy allows. */
static int clashes_allowed(const reader *h, const ri_dataset *ds)
{
    if (h->n_clashes && h->cfg->duplicates != RI_DUP_IDENTICAL)
        return 0;
    for (size_t k = 0; k < h->n_clashes; k++)
        for (size_t m = 0; m < ds->n_measures; m++)
            if (!same_value(ds->values[m][h->clash_cells[k]], h->clash_values[k * ds->n_measures + m]))
                return 0;
    return 1;
}

/* Back to an empty cube, for the one-reader pass that follows a failed two-half one. */
static void clear_cube(reader *r)
{
    ri_dataset *ds = r->ds;
    size_t cells = ds->n_areas * ds->n_periods * ds->n_industries;

    for (size_t c = 0; c < cells; c++)
        atomic_store_explicit(&r->filled[c], 0, memory_order_relaxed);
    memset(ds->missing_by_marker, 0, ds->n_markers * sizeof *ds->missing_by_marker);
    ds->cells_read = 0;
}

/*
 * The second pass over two halves at once. Only a clean read is kept: on
 * any error, or a repeated key the policy may refuse, the cube is cleared
 * and one reader goes through the whole file, so that messages name the
 * first problem in the file, exactly as a one-reader pass would.
 */
static ri_rc read_values_in_halves(reader *r, ri_error *err)
{
    halves hv = {.pass = read_records};
    int ok;
    ri_rc rc;

    if (!r->middle.pos)
        return read_values(r, err);
    if ((rc = skip_to_data(r, err)))
        return rc;
    if ((rc = start_half(r, ri_csv_tell(r->csv), r->middle.pos, &hv.first, err))
        || (rc = start_half(r, r->middle, ri_csv_size(r->csv), &hv.second, err))) {
        finish_half(&hv.first, r->ds);
        finish_half(&hv.second, r->ds);
        return rc;
    }
    hv.first.r.keys = r->log.off ? NULL : &r->log;
    hv.first.r.next_rec = 0;
    if (r->split) {
        hv.second.r.keys = r->rest.off ? NULL : &r->rest;
        hv.second.r.next_rec = 0;
    } else {
        hv.second.r.keys = hv.first.r.keys;
        hv.second.r.next_rec = r->middle_rec;
    }
    run_halves(&hv);
    ok = !hv.first.rc && !hv.second.rc && clashes_allowed(&hv.first.r, r->ds) && clashes_allowed(&hv.second.r, r->ds);
    finish_half(&hv.first, r->ds);
    finish_half(&hv.second, r->ds);
    if (ok)
        return RI_RC_OK;
    clear_cube(r);
    return read_values(r, err);
}

/* ---- the first pass in two halves */

/* A reader for the keys of half of the file, bytes [from, to), into tables of its own. */
static ri_rc start_key_half(const reader *r, ri_csv_mark from, size_t to, half_job *h, ri_error *err)
{
    memset(h, 0, sizeof *h);
    h->r = *r;
    h->ds = *r->ds;
    h->r.ds = &h->ds;
    h->r.csv = NULL;
    h->r.in_halves = 0;
    memset(&h->r.log, 0, sizeof h->r.log);
    h->r.log.off = r->log.off;
    h->ds.area_names = h->ds.area_types = NULL;
    h->ds.n_areas = h->ds.rows_read = h->ds.rows_kept = 0;
    h->ds.periods = h->ds.industries = NULL;
    if (!(h->ds.areas = ri_strtab_new(1024)) || !(h->ds.periods = ri_strtab_new(64))
        || (r->ds->industries && !(h->ds.industries = ri_strtab_new(64))))
        return ri_oom(err);
    return ri_csv_section(r->csv, from, to, &h->r.csv, err);
}

static void finish_key_half(half_job *h)
{
    log_free(&h->r.log);
    for (size_t a = 0; a < h->ds.n_areas; a++) {
        free(h->ds.area_names[a]);
        free(h->ds.area_types[a]);
    }
    free(h->ds.area_names);
    free(h->ds.area_types);
    ri_strtab_free(h->ds.areas);
    ri_strtab_free(h->ds.periods);
    ri_strtab_free(h->ds.industries);
    ri_csv_close(h->r.csv);
}

static ri_rc intern_all(ri_strtab *into, const ri_strtab *from, ri_error *err)
{
    for (size_t k = 0; from && k < ri_strtab_count(from); k++) {
        const char *s = ri_strtab_get(from, k);
        if (ri_strtab_intern(into, s, strlen(s)) < 0)
            return ri_oom(err);
    }
    return RI_RC_OK;
}

/* Add a half's keys to the dataset's after those already there: merging the
   first half, then the second, keeps the order of first appearance, and the
   name and type an area's first row gave. */
static ri_rc merge_keys(ri_dataset *ds, const ri_dataset *h, ri_error *err)
{
    for (size_t a = 0; a < ri_strtab_count(h->areas); a++) {
        const char *code = ri_strtab_get(h->areas, a);
        long idx = ri_strtab_intern(ds->areas, code, strlen(code));
        if (idx < 0)
            return ri_oom(err);
        if (grow_area_text(ds, err))
            return err->code;
        char **dst[2] = {&ds->area_names[idx], &ds->area_types[idx]};
        const char *src[2] = {h->area_names[a], h->area_types[a]};
        for (int k = 0; k < 2; k++)
            if (!*dst[k] && src[k] && !(*dst[k] = strdup(src[k])))
                return ri_oom(err);
    }
    if (intern_all(ds->periods, h->periods, err) || intern_all(ds->industries, h->industries, err))
        return err->code;
    ds->rows_read += h->rows_read;
    ds->rows_kept += h->rows_kept;
    return RI_RC_OK;
}

/* Where each key of from sits in to (which merge_keys made hold them all); NULL when out of memory. */
static uint32_t *key_map(const ri_strtab *to, const ri_strtab *from)
{
    size_t n = from ? ri_strtab_count(from) : 0;
    uint32_t *map = malloc((n ? n : 1) * sizeof *map);

    for (size_t k = 0; map && k < n; k++) {
        const char *s = ri_strtab_get(from, k);
        map[k] = (uint32_t)ri_strtab_find(to, s, strlen(s));
    }
    return map;
}

/* Renumber a half's keys in log->v[from..n) as the dataset's (after merge_keys). */
static void renumber(key_log *log, size_t from, const ri_dataset *ds, const ri_dataset *h)
{
    uint32_t *amap = key_map(ds->areas, h->areas), *tmap = key_map(ds->periods, h->periods);
    uint32_t *imap = key_map(ds->industries, h->industries);

    if (!amap || !tmap || !imap)
        log->off = 1;
    for (size_t k = from; k < log->n && !log->off; k++) {
        key_rec *kr = &log->v[k];
        if (kr->a == SKIPPED)
            continue;
        kr->a = amap[kr->a];
        kr->t = (uint16_t)tmap[kr->t];
        kr->i = (uint16_t)(ds->industries ? imap[kr->i] : 0);
    }
    free(amap);
    free(tmap);
    free(imap);
}

/*
 * The first pass over two halves at once, split where ri_csv_split finds a
 * record start near the middle; the second pass then uses the same split.
 * As in the second pass, only a clean read is kept: on any error, including
 * a first half that does not end exactly at the split, one reader scans the
 * rest of the file from the end of its first records, so messages are those
 * of a one-reader pass.
 */
static ri_rc scan_keys_in_halves(reader *r, ri_error *err)
{
    halves hv = {.pass = scan_keys};
    ri_csv_mark start, split;
    size_t n_first;
    int clean;
    ri_rc rc = RI_RC_OK;

    if (!r->in_halves)
        return scan_keys(r, err);
    if ((rc = scan_first_records(r, err)))
        return rc;
    start = ri_csv_tell(r->csv);
    if (start.pos >= ri_csv_size(r->csv))
        return RI_RC_OK;
    if (ri_csv_split(r->csv, start, start.pos + (ri_csv_size(r->csv) - start.pos) / 2, &split) != 0)
        return scan_keys(r, err);
    if (start_key_half(r, start, split.pos, &hv.first, err)
        || start_key_half(r, split, ri_csv_size(r->csv), &hv.second, err)) {
        finish_key_half(&hv.first);
        finish_key_half(&hv.second);
        return err->code;
    }
    /* The first half's keys follow those of the first records. */
    n_first = r->log.n;
    hv.first.r.log = r->log;
    memset(&r->log, 0, sizeof r->log);
    run_halves(&hv);
    r->log = hv.first.r.log;
    memset(&hv.first.r.log, 0, sizeof hv.first.r.log);
    clean = !hv.first.rc && !hv.second.rc;
    if (clean) {
        if (!(rc = merge_keys(r->ds, &hv.first.ds, err)))
            rc = merge_keys(r->ds, &hv.second.ds, err);
        r->middle = split;
        renumber(&r->log, n_first, r->ds, &hv.first.ds);
        renumber(&hv.second.r.log, 0, r->ds, &hv.second.ds);
        r->rest = hv.second.r.log;
        memset(&hv.second.r.log, 0, sizeof hv.second.r.log);
        r->split = 1;
    } else if (r->log.n > n_first) {
        /* One reader scans the rest again. */
        r->log.n = n_first;
    }
    finish_key_half(&hv.first);
    finish_key_half(&hv.second);
    if (rc || clean)
        return rc;
    return scan_keys(r, err);
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

/* Between the passes: sort the periods, size the cube and fill it with NaN. */
static ri_rc build_cube(reader *r, ri_error *err)
{
    ri_dataset *ds = r->ds;
    uint32_t *remap;
    ri_strtab *sorted;
    size_t cells, limit;

    if (sorted_labels(ds->periods, &remap, &sorted) != 0)
        return ri_oom(err);
    for (size_t c = 0; r->period_of_col && c < r->header_fields; c++)
        if (r->period_of_col[c] >= 0)
            r->period_of_col[c] = remap[r->period_of_col[c]];
    for (key_log *log = &r->log; log; log = log == &r->log && r->split ? &r->rest : NULL)
        for (size_t k = 0; !log->off && k < log->n; k++)
            if (log->v[k].a != SKIPPED)
                log->v[k].t = (uint16_t)remap[log->v[k].t];
    free(remap);
    ri_strtab_free(ds->periods);
    ds->periods = sorted;

    ds->n_periods = ri_strtab_count(ds->periods);
    ds->n_industries = ds->industries ? ri_strtab_count(ds->industries) : 1;
    if (ds->n_industries == 0)
        ds->n_industries = 1;
    if (ds->n_areas == 0 || ds->n_periods == 0)
        return ri_fail(err, RI_RC_DATA, "%s: no data rows%s; expected at least one area",
                       ri_csv_name(r->csv), r->cfg->n_filters ? " pass the filter" : "");
    cells = ds->n_areas * ds->n_periods * ds->n_industries;
    /* A dense cube must not be vastly bigger than the data that fills it:
     * each kept row gives one value per measure (tidy) or per period (wide). */
    limit = ds->rows_kept * (r->cfg->layout == RI_LAYOUT_WIDE ? ds->n_periods : 1) *
            RI_MAX_SPARSE_FACTOR;
    if (limit < RI_MIN_VALUE_LIMIT / (ds->n_measures ? ds->n_measures : 1))
        limit = RI_MIN_VALUE_LIMIT / (ds->n_measures ? ds->n_measures : 1);
    if (ds->n_areas * ds->n_periods / ds->n_areas != ds->n_periods ||
        cells / ds->n_areas / ds->n_periods != ds->n_industries || cells > limit)
        return ri_fail(err, RI_RC_DATA,
                       "%s: %zu areas x %zu periods x %zu industries is far sparser than the %zu rows read; expected a panel (check the key columns)",
                       ri_csv_name(r->csv), ds->n_areas, ds->n_periods, ds->n_industries, ds->rows_kept);
    if (!(r->filled = calloc(cells, sizeof *r->filled)))
        return ri_oom(err);
    /* Not filled with NaN here: the readers touch the cells first, on both
       threads, and the cells no row stored become NaN after (fill_missing). */
    for (size_t m = 0; m < ds->n_measures; m++)
        if (!(ds->values[m] = malloc(cells * sizeof(double))))
            return ri_oom(err);
    return RI_RC_OK;
}

/* After the second pass: NaN in every cell no row stored. */
static void fill_missing(reader *r)
{
    ri_dataset *ds = r->ds;
    size_t cells = ds->n_areas * ds->n_periods * ds->n_industries;

    for (size_t c = 0; c < cells; c++)
        if (!atomic_load_explicit(&r->filled[c], memory_order_relaxed))
            for (size_t m = 0; m < ds->n_measures; m++)
                ds->values[m][c] = NAN;
}

static ri_rc init_measures(ri_dataset *ds, const ri_dataset_cfg *cfg, ri_error *err)
{
    ds->n_measures = cfg->layout == RI_LAYOUT_TIDY ? cfg->n_measures : 1;
    ds->measure_names = calloc(ds->n_measures, sizeof *ds->measure_names);
    ds->additive = calloc(ds->n_measures, sizeof *ds->additive);
    ds->values = calloc(ds->n_measures, sizeof *ds->values);
    if (!ds->measure_names || !ds->additive || !ds->values)
        return ri_oom(err);
    for (size_t m = 0; m < ds->n_measures; m++) {
        const char *name = cfg->layout == RI_LAYOUT_TIDY ? cfg->measures[m].name : cfg->measure;
        if (!(ds->measure_names[m] = strdup(name)))
            return ri_oom(err);
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
        return ri_oom(err);
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
        return ri_oom(err);
    for (size_t i = 0; i < ds->n_markers; i++)
        if (!(ds->marker_names[i] = strdup(ri_marker_name(&r->markers, (int)i))))
            return ri_oom(err);
    return RI_RC_OK;
}

/* buf NULL: read cfg->path; otherwise buf[0..len) stands for the file's contents. */
static ri_rc load(const ri_dataset_cfg *cfg, const char *buf, size_t len, char *const *job_missing,
                  size_t n_job_missing, ri_dataset **out, ri_error *err)
{
    reader r;
    ri_dataset *ds = calloc(1, sizeof *ds);
    ri_rc rc;

    *out = NULL;
    memset(&r, 0, sizeof r);
    if (!ds)
        return ri_oom(err);
    r.cfg = cfg;
    r.ds = ds;
    ds->cfg = cfg;
    ds->areas = ri_strtab_new(1024);
    ds->periods = ri_strtab_new(64);
    if (cfg->industry_col)
        ds->industries = ri_strtab_new(64);
    if (!ds->areas || !ds->periods || (cfg->industry_col && !ds->industries)) {
        rc = ri_oom(err);
        goto done;
    }
    if ((rc = init_measures(ds, cfg, err)) || (rc = init_markers(&r, job_missing, n_job_missing, err)))
        goto done;
    if (!(r.row = calloc(cfg->n_measures ? cfg->n_measures : 1, sizeof *r.row))) {
        rc = ri_oom(err);
        goto done;
    }
    r.skip_rows = ri_xlsx_is_workbook(cfg->path) ? 0 : cfg->skip_rows;
    rc = ri_xlsx_is_workbook(cfg->path) ? ri_xlsx_open(cfg, buf, len, &r.csv, err)
         : buf ? ri_csv_open_mem(cfg->path, buf, len, &r.csv, err) : ri_csv_open(cfg->path, &r.csv, err);
    if (rc)
        goto done;
    r.in_halves = ri_csv_size(r.csv) >= halves_min_bytes();
    r.log.off = cfg->layout != RI_LAYOUT_TIDY;
    if ((rc = read_header(&r, err)) || (rc = scan_keys_in_halves(&r, err)) || (rc = build_cube(&r, err)) ||
        (rc = read_values_in_halves(&r, err)))
        goto done;
    fill_missing(&r);
    for (size_t a = 0; a < ds->n_areas; a++)
        if (!ds->area_names[a] && !(ds->area_names[a] = strdup(""))) {
            rc = ri_oom(err);
            goto done;
        }
done:
    if (rc && r.csv && ri_xlsx_is_workbook(cfg->path))
        ri_xlsx_locate(ri_csv_name(r.csv), err);
    if (r.csv)
        ri_csv_close(r.csv);
    free(r.filled);
    free(r.row);
    log_free(&r.log);
    log_free(&r.rest);
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

ri_rc ri_dataset_load(const ri_dataset_cfg *cfg, char *const *job_missing,
                      size_t n_job_missing, ri_dataset **out, ri_error *err)
{
    return load(cfg, NULL, 0, job_missing, n_job_missing, out, err);
}

ri_rc ri_dataset_load_mem(const ri_dataset_cfg *cfg, const char *buf, size_t len,
                          char *const *job_missing, size_t n_job_missing, ri_dataset **out,
                          ri_error *err)
{
    return load(cfg, buf ? buf : "", buf ? len : 0, job_missing, n_job_missing, out, err);
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
    for (size_t i = 0; i < ds->n_markers; i++)
        free(ds->marker_names ? ds->marker_names[i] : NULL);
    free(ds->marker_names);
    free(ds->missing_by_marker);
    ri_strtab_free(ds->areas);
    ri_strtab_free(ds->periods);
    ri_strtab_free(ds->industries);
    free(ds);
}
