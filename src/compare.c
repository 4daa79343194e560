/* compare.c — side-by-side comparison of areas (see compare.h). */
#include "compare.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <regind/plugin.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#include "chart.h"
#include "display.h"
#include "output_csv.h"
#include "output_json.h"
#include "output_xlsx.h"
#include "stats.h"
#include "suggest.h"

static int equals_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

ri_rc ri_compare_select_area(const ri_panel *p, const char *arg, const char *type, unsigned char *mask,
                         ri_error *err)
{
    size_t hits = 0;
    for (size_t a = 0; a < p->n_areas; a++)
        if (equals_ci(p->area_codes[a], arg)) {
            mask[a] = 1;
            return RI_RC_OK;
        }
    for (int any_type = 0; any_type < 2 && hits == 0; any_type++)
        for (size_t a = 0; a < p->n_areas; a++)
            if ((any_type || strcmp(p->area_types[a], type) == 0) && ri_contains_ci(p->area_names[a], arg)) {
                mask[a] = 1;
                hits++;
            }
    if (hits)
        return RI_RC_OK;
    const char *near = ri_suggest(arg, (const char *const *)p->area_names, p->n_areas);
    return ri_fail(err, RI_RC_USAGE, "no area matches \"%s\"%s%s%s; expected a code or part of a name (see `regind areas`)",
                   arg, near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
}

ri_rc ri_compare_areas(const ri_panel *p, const unsigned char *peers, const char *type, const char *const *args,
                       size_t n, unsigned char *group, unsigned char *named, ri_error *err)
{
    ri_rc rc = RI_RC_OK;

    if (p->n_periods == 0)
        return ri_fail(err, RI_RC_DATA, "the data has no periods");
    for (size_t a = 0; a < p->n_areas; a++)
        group[a] = peers ? peers[a] : strcmp(p->area_types[a], type) == 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = ri_compare_select_area(p, args[i], type, named, err);
    return rc;
}

/* One indicator: its non-industry output columns and the one to sort by. */
typedef struct block {
    const char *id;
    int by_industry;            /* all of its columns are by industry (breakdown rows) */
    const ri_result_col **cols;
    size_t n_cols;
    const ri_result_col *sort;
    size_t benchmark;
    size_t t;                   /* the period compared: --period, else the block's latest with data */
} block;

size_t ri_compare_latest(const ri_panel *p, const ri_result_col *col, const unsigned char *mask)
{
    for (size_t t = p->n_periods; t-- > 0;)
        for (size_t a = 0; a < p->n_areas; a++)
            if (mask[a] && !isnan(col->v[a * p->n_periods + t]))
                return t;
    return p->n_periods - 1;
}

/* qsort has no context argument in C11; comparisons read the values being sorted from here. */
static const double *sort_values;
static const char *const *sort_codes;
/* [n_areas] each area's place in code order: areas are listed, and ties broken, by code, so a
   view does not depend on the order the job's datasets gave the panel (compare reads only some). */
static const size_t *code_rank;

static int cmp_codes(const void *x, const void *y)
{
    return strcmp(sort_codes[*(const size_t *)x], sort_codes[*(const size_t *)y]);
}

/* The areas in code order, and each area's place in it; 0 when out of memory. */
static int code_order(const ri_panel *p, size_t **by_code, size_t **rank)
{
    *by_code = malloc((p->n_areas ? p->n_areas : 1) * sizeof **by_code);
    *rank = malloc((p->n_areas ? p->n_areas : 1) * sizeof **rank);
    if (!*by_code || !*rank)
        return 0;
    for (size_t a = 0; a < p->n_areas; a++)
        (*by_code)[a] = a;
    sort_codes = (const char *const *)p->area_codes;
    qsort(*by_code, p->n_areas, sizeof **by_code, cmp_codes);
    for (size_t k = 0; k < p->n_areas; k++)
        (*rank)[(*by_code)[k]] = k;
    return 1;
}

/* Highest first; missing values last; ties by code. */
static int cmp_rows(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    double va = sort_values[a], vb = sort_values[b];
    if (isnan(va) != isnan(vb))
        return isnan(va) ? 1 : -1;
    if (!isnan(va) && va != vb)
        return va > vb ? -1 : 1;
    return code_rank[a] < code_rank[b] ? -1 : code_rank[a] > code_rank[b];
}

ri_rc ri_compare_rank(const ri_panel *p, const ri_result_col *col, size_t t, const unsigned char *chosen,
                      const unsigned char *group, size_t benchmark, size_t top, ri_ranked *out,
                      ri_error *err)
{
    size_t n = p->n_areas ? p->n_areas : 1;
    memset(out, 0, sizeof *out);
    out->vals = malloc(n * sizeof *out->vals);
    out->rank = malloc(n * sizeof *out->rank);
    out->pct = malloc(n * sizeof *out->pct);
    out->rows = malloc(n * sizeof *out->rows);
    if (!out->vals || !out->rank || !out->pct || !out->rows) {
        ri_ranked_free(out);
        return ri_oom(err);
    }
    for (size_t a = 0; a < p->n_areas; a++)
        out->vals[a] = col->v[a * p->n_periods + t];
    ri_stats_rank(out->vals, p->n_areas, group, 1, out->rank, out->pct);
    for (size_t a = 0; a < p->n_areas; a++)
        if (chosen[a] && a != benchmark)
            out->rows[out->n_rows++] = a;
    /* Called on its own (by the report), it orders ties by code itself. */
    const size_t *outer = code_rank;
    size_t *by_code = NULL, *rank = NULL;
    if (!outer) {
        if (!code_order(p, &by_code, &rank)) {
            free(by_code);
            free(rank);
            ri_ranked_free(out);
            return ri_oom(err);
        }
        code_rank = rank;
    }
    sort_values = out->vals;
    qsort(out->rows, out->n_rows, sizeof *out->rows, cmp_rows);
    code_rank = outer;
    free(by_code);
    free(rank);
    if (top && out->n_rows > top)
        out->n_rows = top;
    return RI_RC_OK;
}

void ri_ranked_free(ri_ranked *r)
{
    free(r->vals);
    free(r->rank);
    free(r->pct);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

/* Space between the columns of a table. */
#define GAP 2
#define BENCH_TAG " [benchmark]"
#define PEERS_TAG " [mean]"

/*
 * How many of n columns of widths w[] are shown beside fixed columns that
 * take fixed characters and a name column of natural width name_nat, in
 * width characters: every column that fits with names of 24 characters
 * (all of them when keep_all), the first always. *name_w gets what is left
 * for names, up to their natural width and never under 8.
 */
static size_t fit_columns(size_t width, size_t fixed, size_t name_nat, const size_t *w, size_t n,
                          int keep_all, size_t *name_w)
{
    size_t name_min = name_nat < 24 ? name_nat : 24, used = fixed, k;
    for (k = 0; k < n; k++) {
        if (!keep_all && k > 0 && used + GAP + w[k] + name_min > width)
            break;
        used += GAP + w[k];
    }
    *name_w = width > used ? width - used : 0;
    if (*name_w > name_nat)
        *name_w = name_nat;
    if (*name_w < 8)
        *name_w = name_nat < 8 ? name_nat : 8;
    return k;
}

/* The name of an area as shown: its name (or code when nameless), escaped; caller frees. */
static char *shown_name(const ri_panel *p, size_t a)
{
    return ri_display_safe(p->area_names[a][0] ? p->area_names[a] : p->area_codes[a]);
}

static size_t max_z(size_t a, size_t b)
{
    return a > b ? a : b;
}

/* Print prose with arguments, wrapped to the table width. */
static void wrapf(FILE *f, size_t indent, size_t width, const char *fmt, ...) RI_PRINTF(4, 5);
static void wrapf(FILE *f, size_t indent, size_t width, const char *fmt, ...)
{
    va_list ap;
    char *text;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(text = malloc((size_t)n + 1)))
        return;
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ri_display_wrap(f, text, indent, width);
    free(text);
}

/* "a = unit; b = unit" over cols[0..n), escaped; caller frees. */
static char *units_text(const ri_result_col *const *cols, size_t n)
{
    size_t len = 1;
    char *text, *o;
    for (size_t c = 0; c < n; c++)
        len += 4 * (strlen(cols[c]->output) + strlen(cols[c]->unit)) + 6;
    if (!(o = text = malloc(len)))
        return NULL;
    *o = '\0';
    for (size_t c = 0; c < n; c++) {
        char *out = ri_display_safe(cols[c]->output), *unit = ri_display_safe(cols[c]->unit);
        if (out && unit)
            o += sprintf(o, "%s%s = %s", c ? "; " : "", out, unit);
        free(out);
        free(unit);
    }
    return text;
}

/* The sentence that names the outputs a narrow table leaves out. */
static void print_left_out(FILE *f, const ri_result_col *const *cols, size_t n, size_t width)
{
    size_t len = 1;
    char *list, *o;
    for (size_t c = 0; c < n; c++)
        len += strlen(cols[c]->output) + 1;
    if (!(o = list = malloc(len)))
        return;
    for (size_t c = 0; c < n; c++)
        o += sprintf(o, "%s%s", c ? "," : "", cols[c]->output);
    char *safe = ri_display_safe(list);
    if (safe)
        wrapf(f, 2, width, "Not shown, to fit %zu columns: %s (see them with --outputs NAME,... or a wider COLUMNS).",
              width, safe);
    free(safe);
    free(list);
}

/* Whether col applies to no area but the benchmark: a statistic of the group (RI_BENCHMARK_ROW). */
static int benchmark_row_only(const ri_panel *p, const ri_result_col *col, size_t benchmark)
{
    size_t per = p->n_periods * col->n_ind;
    if (!col->applies)
        return 0;
    for (size_t a = 0; a < p->n_areas; a++)
        if (a != benchmark && memchr(col->applies + a * per, 1, per))
            return 0;
    return 1;
}

/* A rate or ratio ("GBP per head", "index ...", "ratio ..."), as opposed to a total or a change. */
static int unit_is_ratio(const char *unit)
{
    return strstr(unit, " per ") || strncmp(unit, "index", 5) == 0 || strncmp(unit, "ratio", 5) == 0;
}

/* A change or growth rate ("%", "percentage points", "% a year, real"): no growth of it is shown. */
static int unit_is_change(const char *unit)
{
    return unit[0] == '%' || strncmp(unit, "percentage", 10) == 0;
}

/* A sum over an area ("GBP million", "persons"): its mean weighted by population means nothing. */
static int unit_is_total(const char *unit)
{
    return !unit_is_ratio(unit) && !unit_is_change(unit);
}

/* The coefficient of variation compares spreads of positive ratios; of a gap or a change whose
   mean is near zero or negative it is noise, so it is shown only for those. */
static int cv_means_something(const char *unit, const ri_stats_summary *s)
{
    return !isnan(s->cv) && unit_is_ratio(unit) && s->min > 0;
}

/* The full distribution of every output across the compared group (--stats). */
static void print_stats(FILE *f, const ri_panel *p, const block *b, const unsigned char *group,
                        const double *weights, const char *weight_name, size_t width, double *vals)
{
    char num[RI_DISPLAY_NUM_MAX], line[1024];
    size_t t = b->t;
    fputs("  Distribution across the compared areas:\n", f);
    for (size_t c = 0; c < b->n_cols; c++) {
        ri_stats_summary s;
        ri_error serr;
        int dec;
        size_t len = 0;
        /* A statistic of the group has no distribution across it. */
        if (benchmark_row_only(p, b->cols[c], b->benchmark))
            continue;
        for (size_t a = 0; a < p->n_areas; a++)
            vals[a] = group[a] ? b->cols[c]->v[a * p->n_periods + t] : NAN;
        if (ri_stats_summarise(vals, p->n_areas, group, &s, &serr) != RI_RC_OK) {
            fprintf(f, "    %s: no values\n", b->cols[c]->output);
            continue;
        }
        dec = ri_display_decimals(b->cols[c]->unit, fmax(fabs(s.min), fabs(s.max)));
#define ADD(...) len += (size_t)snprintf(line + len, len < sizeof line ? sizeof line - len : 0, __VA_ARGS__)
        ADD("%s [%s]: n %zu", b->cols[c]->output, b->cols[c]->unit, s.n);
        if (s.n_missing)
            ADD(" (%zu missing)", s.n_missing);
        ri_display_number(s.mean, dec, num);
        ADD("; mean %s", num);
        if (weights && !unit_is_total(b->cols[c]->unit)) {
            double *wv = malloc(p->n_areas * sizeof *wv), *ww = malloc(p->n_areas * sizeof *ww);
            size_t k = 0;
            if (wv && ww) {
                for (size_t a = 0; a < p->n_areas; a++)
                    if (group[a]) {
                        wv[k] = vals[a];
                        ww[k++] = weights[a];
                    }
                ri_display_number(ri_stats_weighted_mean(wv, ww, k), dec, num);
                ADD("; %s-weighted mean %s", weight_name, num);
            }
            free(wv);
            free(ww);
        }
        ri_display_number(s.median, dec, num);
        ADD("; median %s", num);
        ri_display_number(s.sd, dec, num);
        ADD("; sd %s", num);
        if (cv_means_something(b->cols[c]->unit, &s))
            ADD("; cv %.3f", s.cv);
        ri_display_number(s.min, dec, num);
        ADD("; min %s (%s)", num, p->area_names[s.argmin]);
        ri_display_number(s.max, dec, num);
        ADD("; max %s (%s); deciles", num, p->area_names[s.argmax]);
        for (int d = 0; d < 9; d++) {
            ri_display_number(s.deciles[d], dec, num);
            ADD("%s %s", d ? "," : "", num);
        }
#undef ADD
        char *safe = ri_display_safe(line);
        if (safe)
            ri_display_wrap(f, safe, 4, width);
        free(safe);
    }
    fputc('\n', f);
}

/* Rows of one period, ranked: rank, percentile, name, code and the outputs that fit. */
static ri_rc table_block(FILE *f, const ri_job *job, const ri_panel *p, const block *b,
                         const unsigned char *chosen, const unsigned char *group,
                         const ri_compare_opts *o, const double *weights, size_t width, ri_error *err)
{
    size_t t = b->t, n_lines, nc = b->n_cols, name_nat = 4, code_w = 4, name_w, shown;
    const ri_indicator_cfg *ind = ri_job_indicator(job, b->id);
    int has_bench = b->benchmark != RI_NO_AREA;
    const char *tag_text = o->peers ? PEERS_TAG : BENCH_TAG;
    ri_ranked rk;
    ri_stats_summary s;
    ri_error serr;
    ri_rc rc = ri_compare_rank(p, b->sort, t, chosen, group, b->benchmark, o->top, &rk, err);
    if (rc)
        return rc;
    n_lines = rk.n_rows + (size_t)has_bench;
    size_t *line_area = malloc((n_lines + 1) * sizeof *line_area), *col_w = calloc(nc + 1, sizeof *col_w);
    char **names = calloc(n_lines + 1, sizeof *names);
    char (*text)[RI_DISPLAY_NUM_MAX] = malloc((n_lines * nc + 1) * sizeof *text);
    if (!line_area || !col_w || !names || !text) {
        rc = ri_oom(err);
        goto done;
    }
    memcpy(line_area, rk.rows, rk.n_rows * sizeof *line_area);
    if (has_bench)
        line_area[rk.n_rows] = b->benchmark;
    for (size_t l = 0; l < n_lines; l++) {
        size_t a = line_area[l];
        if (!(names[l] = shown_name(p, a))) {
            rc = ri_oom(err);
            goto done;
        }
        name_nat = max_z(name_nat, ri_display_width(names[l]) + (has_bench && l == rk.n_rows ? strlen(tag_text) : 0));
        code_w = max_z(code_w, ri_display_width(p->area_codes[a]));
    }
    for (size_t c = 0; c < nc; c++) {
        double m = NAN;
        for (size_t l = 0; l < n_lines; l++) {
            double v = fabs(b->cols[c]->v[line_area[l] * p->n_periods + t]);
            if (isfinite(v) && !(m >= v))
                m = v;
        }
        int dec = ri_display_decimals(b->cols[c]->unit, m);
        col_w[c] = ri_display_width(b->cols[c]->output);
        for (size_t l = 0; l < n_lines; l++) {
            size_t cell = line_area[l] * p->n_periods + t;
            /* A statistic of the group (on the benchmark's row only) is not missing elsewhere:
               its other cells are blank, not n/a. */
            if (b->cols[c]->applies && !b->cols[c]->applies[cell])
                text[l * nc + c][0] = '\0';
            else
                ri_display_number(b->cols[c]->v[cell], dec, text[l * nc + c]);
            col_w[c] = max_z(col_w[c], strlen(text[l * nc + c]));
        }
    }
    shown = fit_columns(width, 2 + 4 + 1 + 4 + GAP + 1 + code_w, name_nat, col_w, nc, o->n_outputs > 0, &name_w);

    /* Among peers the last row is their mean, while indices stay against the indicator's own
       benchmark: the title and the row say so. */
    if (o->peers)
        wrapf(f, 0, width, "%s (%s%s), %s: %s ranked by %s; last row: their mean%s%s", b->id,
              ind ? "plugin " : "", ind ? ind->plugin : "measures of the data", p->periods[t], o->peers_label,
              b->sort->output, ind && ind->benchmark ? "; indices and gaps against " : "",
              ind && ind->benchmark ? ind->benchmark : "");
    else
        wrapf(f, 0, width, "%s (%s%s), %s: %s areas ranked by %s%s%s%s%s", b->id, ind ? "plugin " : "",
              ind ? ind->plugin : "measures of the data",
              p->periods[t], o->area_type, b->sort->output, has_bench ? "; benchmark " : "",
              has_bench ? p->area_codes[b->benchmark] : "", has_bench ? " " : "",
              has_bench ? names[rk.n_rows] : "");
    fputs("\n  Rank Pctl  ", f);
    ri_display_cell(f, "Area", name_w, 0);
    fputc(' ', f);
    ri_display_cell(f, "Code", code_w, 0);
    for (size_t c = 0; c < shown; c++) {
        fprintf(f, "%*s", GAP, "");
        ri_display_cell(f, b->cols[c]->output, col_w[c], 1);
    }
    fputc('\n', f);
    for (size_t l = 0; l < n_lines; l++) {
        size_t a = line_area[l];
        if (has_bench && l == rk.n_rows) {
            /* The name is shortened, never the tag that says what the row is. */
            size_t tag = strlen(tag_text), w = ri_display_width(names[l]);
            fputs("             ", f);
            ri_display_cell(f, names[l], name_w > tag ? (w < name_w - tag ? w : name_w - tag) : 0, 0);
            ri_display_cell(f, tag_text, name_w > tag ? name_w - (w < name_w - tag ? w : name_w - tag) : name_w, 0);
        } else {
            if (isnan(rk.rank[a]))
                fputs("             ", f);
            else
                fprintf(f, "  %4.0f %4.0f  ", rk.rank[a], rk.pct[a]);
            ri_display_cell(f, names[l], name_w, 0);
        }
        fputc(' ', f);
        ri_display_cell(f, p->area_codes[a], code_w, 0);
        for (size_t c = 0; c < shown; c++) {
            fprintf(f, "%*s", GAP, "");
            ri_display_cell(f, text[l * nc + c], col_w[c], 1);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    for (size_t a = 0; a < p->n_areas; a++)
        if (!group[a])
            rk.vals[a] = NAN;
    if (ri_stats_summarise(rk.vals, p->n_areas, group, &s, &serr) == RI_RC_OK) {
        int dec = ri_display_decimals(b->sort->unit, fmax(fabs(s.min), fabs(s.max)));
        char med[RI_DISPLAY_NUM_MAX], lo[RI_DISPLAY_NUM_MAX], hi[RI_DISPLAY_NUM_MAX], cv[48] = "", miss[48] = "";
        char *lo_name = shown_name(p, s.argmin), *hi_name = shown_name(p, s.argmax);
        ri_display_number(s.median, dec, med);
        ri_display_number(s.min, dec, lo);
        ri_display_number(s.max, dec, hi);
        if (cv_means_something(b->sort->unit, &s))
            snprintf(cv, sizeof cv, "; coefficient of variation %.3f", s.cv);
        if (s.n_missing)
            snprintf(miss, sizeof miss, "; %zu missing", s.n_missing);
        if (lo_name && hi_name)
            wrapf(f, 2, width, "%s across %zu %s areas: median %s; lowest %s (%s); highest %s (%s)%s%s",
                  b->sort->output, s.n, o->area_type, med, lo, lo_name, hi, hi_name, cv, miss);
        free(lo_name);
        free(hi_name);
    }
    char *units = units_text(b->cols, shown);
    if (units)
        wrapf(f, 2, width, "Units: %s. Rank 1 = highest; Pctl = percentile among them. n/a = missing.", units);
    free(units);
    if (shown < nc)
        print_left_out(f, b->cols + shown, nc - shown, width);
    fputc('\n', f);
    if (o->stats)
        print_stats(f, p, b, group, weights, o->weight, width, rk.vals);
done:
    if (names)
        for (size_t l = 0; l < n_lines; l++)
            free(names[l]);
    free(names);
    free(text);
    free(col_w);
    free(line_area);
    ri_ranked_free(&rk);
    return rc;
}

/* One cell of a block by breakdown: area, period, industry (breakdown) index. */
typedef struct cell {
    size_t a, t, i;
    double v;
} cell;

static int cmp_cells(const void *x, const void *y)
{
    const cell *a = x, *b = y;
    if (isnan(a->v) != isnan(b->v))
        return isnan(a->v) ? 1 : -1;
    if (!isnan(a->v) && a->v != b->v)
        return a->v > b->v ? -1 : 1;
    if (a->a != b->a)
        return code_rank[a->a] < code_rank[b->a] ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Blocks by breakdown (e.g. investment snapshots): one row per area, period and breakdown with a value. */
static ri_rc table_cells(FILE *f, const ri_panel *p, const block *b, const unsigned char *chosen,
                         const ri_compare_opts *o, const char *breakdown, size_t from, size_t to, size_t width,
                         ri_error *err)
{
    size_t ni = b->sort->n_ind, n = 0, cap = 64, nc = b->n_cols, name_nat = 4, code_w = 4, period_w = 6;
    size_t name_w, used, label_w, label_nat = ri_display_width(breakdown);
    cell *cells = malloc(cap * sizeof *cells);
    size_t *col_w = calloc(nc + 1, sizeof *col_w);
    int *dec = calloc(nc + 1, sizeof *dec);
    char num[RI_DISPLAY_NUM_MAX];
    ri_rc rc = RI_RC_OK;

    if (!cells || !col_w || !dec) {
        rc = ri_oom(err);
        goto done;
    }
    for (size_t a = 0; a < p->n_areas; a++)
        for (size_t t = from; chosen[a] && t <= to; t++)
            for (size_t i = 0; i < ni; i++) {
                size_t k = (a * p->n_periods + t) * ni + i;
                int any = 0;
                for (size_t c = 0; c < nc && !any; c++)
                    any = !isnan(b->cols[c]->v[k]);
                if (!any)
                    continue;
                if (n == cap) {
                    cell *grown = realloc(cells, 2 * cap * sizeof *cells);
                    if (!grown) {
                        rc = ri_oom(err);
                        goto done;
                    }
                    cells = grown;
                    cap *= 2;
                }
                cells[n++] = (cell){a, t, i, b->sort->v[k]};
            }
    qsort(cells, n, sizeof *cells, cmp_cells);
    if (o->top && n > o->top)
        n = o->top;
    for (size_t c = 0; c < nc; c++) {
        double m = NAN;
        for (size_t r = 0; r < n; r++) {
            double v = fabs(b->cols[c]->v[(cells[r].a * p->n_periods + cells[r].t) * ni + cells[r].i]);
            if (isfinite(v) && !(m >= v))
                m = v;
        }
        dec[c] = ri_display_decimals(b->cols[c]->unit, m);
        col_w[c] = ri_display_width(b->cols[c]->output);
        for (size_t r = 0; r < n; r++) {
            ri_display_number(b->cols[c]->v[(cells[r].a * p->n_periods + cells[r].t) * ni + cells[r].i], dec[c], num);
            col_w[c] = max_z(col_w[c], strlen(num));
        }
    }
    for (size_t r = 0; r < n; r++) {
        char *name = shown_name(p, cells[r].a);
        if (name)
            name_nat = max_z(name_nat, ri_display_width(name));
        free(name);
        code_w = max_z(code_w, ri_display_width(p->area_codes[cells[r].a]));
        period_w = max_z(period_w, ri_display_width(p->periods[cells[r].t]));
        char *label = ri_display_safe(p->industries && b->sort->ind ? p->industries[b->sort->ind[cells[r].i]] : "");
        if (label)
            label_nat = max_z(label_nat, ri_display_width(label));
        free(label);
    }
    /* Names get up to 24 characters, the breakdown label (last) what is left, 24 at least;
       what the labels do not need goes back to the names. */
    used = 2 + 1 + code_w + 1 + period_w + GAP;
    for (size_t c = 0; c < nc; c++)
        used += GAP + col_w[c];
    name_w = name_nat < 24 ? name_nat : 24;
    label_w = width > used + name_w + 24 ? width - used - name_w : 24;
    if (used + name_w + label_w > width)
        name_w = width > used + label_w + 12 ? width - used - label_w : (name_w < 12 ? name_w : 12);
    if (label_w > label_nat) {
        name_w = name_w + label_w - label_nat < name_nat ? name_w + label_w - label_nat : name_nat;
        label_w = label_nat;
    }

    wrapf(f, 0, width, "%s: %zu rows by %s, %s to %s", b->id, n, b->sort->output, p->periods[from], p->periods[to]);
    fputs("\n  ", f);
    ri_display_cell(f, "Area", name_w, 0);
    fputc(' ', f);
    ri_display_cell(f, "Code", code_w, 0);
    fputc(' ', f);
    ri_display_cell(f, "Period", period_w, 0);
    for (size_t c = 0; c < nc; c++) {
        fprintf(f, "%*s", GAP, "");
        ri_display_cell(f, b->cols[c]->output, col_w[c], 1);
    }
    fprintf(f, "%*s%s\n", GAP, "", breakdown);
    for (size_t r = 0; r < n && !rc; r++) {
        const cell *x = &cells[r];
        size_t k = (x->a * p->n_periods + x->t) * ni + x->i;
        char *name = shown_name(p, x->a);
        char *label = ri_display_safe(p->industries && b->sort->ind ? p->industries[b->sort->ind[x->i]] : "");
        if (!name || !label) {
            rc = ri_oom(err);
        } else {
            fputs("  ", f);
            ri_display_cell(f, name, name_w, 0);
            fputc(' ', f);
            ri_display_cell(f, p->area_codes[x->a], code_w, 0);
            fputc(' ', f);
            ri_display_cell(f, p->periods[x->t], period_w, 0);
            for (size_t c = 0; c < nc; c++) {
                ri_display_number(b->cols[c]->v[k], dec[c], num);
                fprintf(f, "%*s", GAP, "");
                ri_display_cell(f, num, col_w[c], 1);
            }
            fprintf(f, "%*s", GAP, "");
            ri_display_cell(f, label, ri_display_width(label) < label_w ? ri_display_width(label) : label_w, 0);
            fputc('\n', f);
        }
        free(name);
        free(label);
    }
    fputc('\n', f);
    char *units = units_text(b->cols, nc);
    if (units)
        wrapf(f, 2, width, "Units: %s. n/a = missing.", units);
    free(units);
    fputc('\n', f);
done:
    free(cells);
    free(col_w);
    free(dec);
    return rc;
}

/* A series per area from --since to the compared period, with its least-squares trend. */
static ri_rc table_series(FILE *f, const ri_panel *p, const block *b, const unsigned char *chosen,
                          const size_t *by_code, size_t from, size_t width, ri_error *err)
{
    char num[RI_DISPLAY_NUM_MAX];
    size_t to = b->t, n = to - from + 1, name_nat = 4, code_w = 4, name_w, shown, first;
    size_t *period_w = calloc(n, sizeof *period_w);
    double m = NAN, years = p->period_years[to] - p->period_years[from];
    int dec, trend_dec;
    /* The window's own growth, beside any fixed-length growth output: for levels only (a rate
       of a growth rate means nothing). */
    int window = !unit_is_change(b->sort->unit) && years > 0;
    size_t window_w = window ? GAP + 10 + GAP + 8 : 0;

    if (!period_w)
        return ri_oom(err);
    for (size_t a = 0; a < p->n_areas; a++) {
        if (!chosen[a])
            continue;
        for (size_t t = from; t <= to; t++) {
            double v = fabs(b->sort->v[a * p->n_periods + t]);
            if (isfinite(v) && !(m >= v))
                m = v;
        }
        char *name = shown_name(p, a);
        if (name)
            name_nat = max_z(name_nat, ri_display_width(name));
        free(name);
        code_w = max_z(code_w, ri_display_width(p->area_codes[a]));
    }
    dec = ri_display_decimals(b->sort->unit, m);
    /* A slope a year is a fraction of the level: one more decimal than the values, at most 3. */
    trend_dec = dec < 3 ? dec + 1 : dec;
    /* Latest periods first, so that a narrow table drops the earliest. */
    for (size_t k = 0; k < n; k++) {
        size_t t = to - k;
        period_w[k] = ri_display_width(p->periods[t]);
        for (size_t a = 0; a < p->n_areas; a++)
            if (chosen[a]) {
                ri_display_number(b->sort->v[a * p->n_periods + t], dec, num);
                period_w[k] = max_z(period_w[k], strlen(num));
            }
    }
    shown = fit_columns(width, 2 + 1 + code_w + GAP + 10 + GAP + 8 + GAP + 5 + window_w, name_nat, period_w, n, 0,
                        &name_w);
    first = to + 1 - shown;

    char *unit = ri_display_safe(b->sort->unit);
    wrapf(f, 0, width, "%s: %s (%s), %s to %s", b->id, b->sort->output, unit ? unit : "", p->periods[from],
          p->periods[to]);
    free(unit);
    fputs("\n  ", f);
    ri_display_cell(f, "Area", name_w, 0);
    fputc(' ', f);
    ri_display_cell(f, "Code", code_w, 0);
    for (size_t t = first; t <= to; t++) {
        fprintf(f, "%*s", GAP, "");
        ri_display_cell(f, p->periods[t], period_w[to - t], 1);
    }
    fprintf(f, "%*s%10s%*s%8s%*s%5s", GAP, "", "trend/year", GAP, "", "s.e.", GAP, "", "R2");
    if (window)
        fprintf(f, "%*s%10s%*s%8s", GAP, "", "change", GAP, "", "CAGR %");
    fputc('\n', f);
    for (size_t k = 0; k < p->n_areas; k++) {
        size_t a = by_code[k];
        const double *y = b->sort->v + a * p->n_periods + from;
        double c0, c1, se, r2;
        ri_error terr;
        if (!chosen[a])
            continue;
        char *name = shown_name(p, a);
        if (!name) {
            free(period_w);
            return ri_oom(err);
        }
        fputs("  ", f);
        ri_display_cell(f, name, name_w, 0);
        free(name);
        fputc(' ', f);
        ri_display_cell(f, p->area_codes[a], code_w, 0);
        for (size_t t = first; t <= to; t++) {
            ri_display_number(b->sort->v[a * p->n_periods + t], dec, num);
            fprintf(f, "%*s", GAP, "");
            ri_display_cell(f, num, period_w[to - t], 1);
        }
        if (ri_stats_fit_linear(p->period_years + from, y, n, &c0, &c1, &se, &r2, &terr) == RI_RC_OK) {
            ri_display_number(c1, trend_dec, num);
            fprintf(f, "%*s%10s", GAP, "", num);
            ri_display_number(se, trend_dec, num);
            fprintf(f, "%*s%8s", GAP, "", num);
            if (isnan(r2))
                fprintf(f, "%*s%5s", GAP, "", "n/a");
            else
                fprintf(f, "%*s%5.3f", GAP, "", r2);
        } else {
            fprintf(f, "%*s%10s%*s%8s%*s%5s", GAP, "", "n/a", GAP, "", "n/a", GAP, "", "n/a");
        }
        if (window) {
            double first_v = y[0], last_v = y[n - 1];
            ri_display_number(last_v - first_v, dec, num);
            fprintf(f, "%*s%10s", GAP, "", num);
            ri_display_number(first_v > 0 && last_v > 0 ? (pow(last_v / first_v, 1 / years) - 1) * 100 : NAN, 2, num);
            fprintf(f, "%*s%8s", GAP, "", num);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    wrapf(f, 2, width, "trend/year: least-squares slope over %s to %s (needs 3 or more values).",
          p->periods[from], p->periods[to]);
    if (window)
        wrapf(f, 2, width,
              "change: %s minus %s; CAGR %%: compound annual growth from %s to %s in %% a year (%g years), in the prices of the values (nominal for current prices).",
              p->periods[to], p->periods[from], p->periods[from], p->periods[to], years);
    if (first > from)
        wrapf(f, 2, width, "Not shown, to fit %zu columns: %s to %s (the trend uses them; a wider COLUMNS shows them).",
              width, p->periods[from], p->periods[first - 1]);
    fputc('\n', f);
    free(period_w);
    return RI_RC_OK;
}

/* 1 when the column is among --outputs (or no --outputs was given). */
static int output_wanted(const ri_compare_opts *o, const char *output)
{
    for (size_t k = 0; k < o->n_outputs; k++)
        if (strcmp(o->outputs[k], output) == 0)
            return 1;
    return o->n_outputs == 0;
}

static ri_rc make_blocks(const ri_job *job, const ri_results *r, const ri_compare_opts *o,
                         block **out, size_t *n_out, ri_error *err)
{
    block *blocks = calloc(r->n_cols ? r->n_cols : 1, sizeof *blocks);
    size_t n = 0;
    if (!blocks)
        return ri_oom(err);
    *out = blocks;
    for (size_t c = 0; c < r->n_cols; c++) {
        const ri_result_col *col = &r->cols[c];
        block *b = NULL;
        int wanted = !o->indicators;
        for (size_t k = 0; k < o->n_indicators && !wanted; k++)
            wanted = strcmp(o->indicators[k], col->indicator) == 0;
        if (!wanted || !output_wanted(o, col->output))
            continue;
        for (size_t k = 0; k < n; k++)
            if (strcmp(blocks[k].id, col->indicator) == 0 && blocks[k].by_industry == col->by_industry)
                b = &blocks[k];
        if (!b) {
            const ri_indicator_cfg *ind = ri_job_indicator(job, col->indicator);
            b = &blocks[n++];
            *n_out = n;
            b->id = col->indicator;
            b->by_industry = col->by_industry;
            b->cols = calloc(r->n_cols, sizeof *b->cols);
            b->benchmark = ind && ind->benchmark ? ri_panel_area(r->panel, ind->benchmark) : RI_NO_AREA;
            if (!b->cols)
                return ri_oom(err);
        }
        b->cols[b->n_cols++] = col;
        /* By default areas are ranked by the first output they have, not by a statistic of
           the group written on the benchmark's row only. */
        if (o->sort ? strcmp(o->sort, col->output) == 0
                    : !b->sort || (benchmark_row_only(r->panel, b->sort, b->benchmark) &&
                                   !benchmark_row_only(r->panel, col, b->benchmark)))
            b->sort = col;
    }
    *n_out = n;
    for (size_t k = 0; k < o->n_outputs; k++) {
        const char **names = calloc(r->n_cols + 1, sizeof *names);
        size_t n_names = 0, found = 0;
        if (!names)
            return ri_oom(err);
        for (size_t c = 0; c < r->n_cols; c++) {
            int wanted = !o->indicators;
            for (size_t i = 0; i < o->n_indicators && !wanted; i++)
                wanted = strcmp(o->indicators[i], r->cols[c].indicator) == 0;
            if (wanted) {
                names[n_names++] = r->cols[c].output;
                found |= strcmp(r->cols[c].output, o->outputs[k]) == 0;
            }
        }
        if (!found) {
            const char *near = ri_suggest(o->outputs[k], names, n_names);
            ri_fail(err, RI_RC_USAGE, "--outputs %s: no compared indicator has that output%s%s%s; see `regind describe`",
                    o->outputs[k], near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
        }
        free(names);
        if (!found)
            return RI_RC_USAGE;
    }
    for (size_t k = 0; k < n; k++)
        if (!blocks[k].sort)
            return ri_fail(err, RI_RC_USAGE, "--sort %s: indicator \"%s\" has no such output%s; see `regind describe`",
                           o->sort, blocks[k].id, o->n_outputs ? " among --outputs" : "");
    if (n == 0)
        return ri_fail(err, RI_RC_USAGE, "nothing to compare; expected indicators in the job");
    return RI_RC_OK;
}

static ri_rc resolve_period(const ri_panel *p, const char *label, const char *what, size_t *out,
                            ri_error *err)
{
    *out = ri_panel_period(p, label);
    if (*out == (size_t)-1)
        return ri_fail(err, RI_RC_USAGE, "%s %s: no such period in the data; expected %s to %s",
                       what, label, p->periods[0], p->periods[p->n_periods - 1]);
    return RI_RC_OK;
}

/* The first block by area and period decides the default period; breakdown blocks span all periods. */
static const block *first_area_block(const block *blocks, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!blocks[k].by_industry)
            return &blocks[k];
    return NULL;
}

/* "Source: " and the folders the job's data files are in (the releases, as data/README.md names them). */
static char *source_line(const ri_job *job)
{
    size_t len = 64;
    for (size_t d = 0; d < job->n_datasets; d++)
        len += strlen(job->datasets[d].path) + 2;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    o += sprintf(o, "Source: ");
    for (size_t d = 0; d < job->n_datasets; d++) {
        const char *file = job->datasets[d].path, *end = strrchr(file, '/'), *start = file;
        if (end)
            for (start = end; start > file && start[-1] != '/'; start--)
                ;
        size_t n = end && end > start ? (size_t)(end - start) : strlen(file);
        int seen = 0;
        for (size_t e = 0; e < d && !seen; e++) {
            const char *f2 = job->datasets[e].path, *e2 = strrchr(f2, '/'), *s2 = f2;
            if (e2)
                for (s2 = e2; s2 > f2 && s2[-1] != '/'; s2--)
                    ;
            size_t n2 = e2 && e2 > s2 ? (size_t)(e2 - s2) : strlen(f2);
            seen = n2 == n && memcmp(s2, start, n) == 0;
        }
        if (!seen)
            o += sprintf(o, "%s%.*s", o[-2] == ':' ? "" : ", ", (int)n, start);
    }
    sprintf(o, "; regind %s", PACKAGE_VERSION);
    return out;
}

/* The chart of what the table shows: each block's sort output (or each of --outputs) as a panel,
   ranked bars for one period or lines from --since, over every area of the compared type (cut by
   --top) so that the areas named on the command line, highlighted, are seen among them. */
static ri_rc compare_chart(FILE *f, const ri_job *job, const ri_panel *p, const block *blocks, size_t n_blocks,
                           const unsigned char *named, const unsigned char *group, const size_t *by_code,
                           const ri_compare_opts *o, size_t from, ri_error *err)
{
    size_t n_panels = 0, cap = 0;
    for (size_t k = 0; k < n_blocks; k++)
        cap += blocks[k].by_industry ? 0 : o->n_outputs ? blocks[k].n_cols : 1;
    if (cap == 0)
        return ri_fail(err, RI_RC_USAGE, "--format %s: the compared indicators have outputs by breakdown only, which have no chart; expected --format table, csv or json",
                       o->format == RI_COMPARE_SVG ? "svg" : o->format == RI_COMPARE_PNG ? "png" : "pdf");
    ri_chart_panel *panels = calloc(cap, sizeof *panels);
    ri_chart_item *items = calloc(cap * (p->n_areas + 1), sizeof *items);
    char (*titles)[256] = calloc(cap, sizeof *titles);
    ri_ranked *ranks = calloc(cap, sizeof *ranks);
    char *source = source_line(job), title[512];
    unsigned char *shown = malloc(p->n_areas ? p->n_areas : 1);
    ri_rc rc = RI_RC_OK;

    if (!panels || !items || !titles || !ranks || !source || !shown) {
        rc = ri_oom(err);
        goto done;
    }
    for (size_t k = 0; k < n_blocks && !rc; k++) {
        const block *b = &blocks[k];
        for (size_t c = 0; c < b->n_cols && !b->by_industry; c++) {
            const ri_result_col *col = b->cols[c];
            if (o->n_outputs ? 0 : col != b->sort)
                continue;
            ri_chart_panel *pn = &panels[n_panels];
            ri_chart_item *it = items + n_panels * (p->n_areas + 1), *bench = it + p->n_areas;
            size_t n = 0, t = b->t, start = o->since ? from : t;
            double m = NAN;
            if (o->since) {
                for (size_t j = 0; j < p->n_areas; j++) {
                    size_t a = by_code[j];
                    if ((group[a] || (o->n_areas && named[a])) && a != b->benchmark)
                        it[n++] = (ri_chart_item){p->area_names[a], col->v + a * p->n_periods + from,
                                                  o->n_areas && named[a]};
                }
                snprintf(titles[n_panels], sizeof titles[0], "%s: %s, %s to %s", b->id, col->output, p->periods[from],
                         p->periods[t]);
            } else {
                for (size_t a = 0; a < p->n_areas; a++)
                    shown[a] = group[a] || (o->n_areas && named[a]);
                if ((rc = ri_compare_rank(p, col, t, shown, group, b->benchmark, o->top, &ranks[n_panels], err)))
                    break;
                for (size_t r = 0; r < ranks[n_panels].n_rows; r++) {
                    size_t a = ranks[n_panels].rows[r];
                    it[n++] = (ri_chart_item){p->area_names[a], col->v + a * p->n_periods + t, o->n_areas && named[a]};
                }
                snprintf(titles[n_panels], sizeof titles[0], "%s: %s, %s", b->id, col->output, p->periods[t]);
            }
            for (size_t j = 0; j < n; j++)
                for (size_t i = 0; i <= t - start; i++)
                    if (isfinite(it[j].v[i]) && !(m >= fabs(it[j].v[i])))
                        m = fabs(it[j].v[i]);
            if (b->benchmark != RI_NO_AREA)
                *bench = (ri_chart_item){p->area_names[b->benchmark], col->v + b->benchmark * p->n_periods + start, 0};
            *pn = (ri_chart_panel){titles[n_panels], col->unit, ri_display_decimals(col->unit, m),
                                   (const char *const *)p->periods + start, t - start + 1, it, n,
                                   b->benchmark != RI_NO_AREA ? bench : NULL};
            n_panels++;
        }
    }
    if (!rc) {
        const block *b = first_area_block(blocks, n_blocks);
        if (n_panels == 1) {
            /* "gap: gva_per_head, 2019" becomes "gva_per_head of LEP areas, 2019 (gap)". */
            const char *what = titles[0] + strlen(b->id) + 2, *when = strchr(what, ',');
            snprintf(title, sizeof title, "%.*s of %s areas%s (%s)", (int)(when - what), what, o->area_type, when,
                     b->id);
            panels[0].title = NULL;
        } else
            snprintf(title, sizeof title, "%s areas compared%s%s", o->area_type, o->since ? " from " : "",
                     o->since ? p->periods[from] : "");
        ri_chart chart = {title, source, panels, n_panels};
        rc = ri_chart_write(f, &chart, o->format == RI_COMPARE_SVG ? RI_CHART_SVG
                                        : o->format == RI_COMPARE_PNG ? RI_CHART_PNG : RI_CHART_PDF, err);
    }
done:
    for (size_t k = 0; ranks && k < cap; k++)
        ri_ranked_free(&ranks[k]);
    free(ranks);
    free(panels);
    free(items);
    free(titles);
    free(source);
    free(shown);
    return rc;
}

ri_rc ri_compare_write(FILE *f, const ri_job *job, const ri_results *r, const ri_compare_opts *o,
                       ri_error *err)
{
    const ri_panel *p = r->panel;
    unsigned char *chosen = calloc(p->n_areas ? p->n_areas : 1, 1);
    unsigned char *group = calloc(p->n_areas ? p->n_areas : 1, 1);
    unsigned char *periods = calloc(p->n_periods ? p->n_periods : 1, 1);
    double *weights = NULL;
    const ri_column *weight = NULL;
    block *blocks = NULL;
    const block *lead;
    size_t n_blocks = 0, t = 0, from, *by_code = NULL, *rank = NULL;
    ri_rc rc = RI_RC_OK;

    if (!chosen || !group || !periods || !code_order(p, &by_code, &rank)) {
        rc = ri_oom(err);
        goto done;
    }
    code_rank = rank;
    if ((rc = ri_compare_areas(p, o->peers, o->area_type, o->areas, o->n_areas, group, chosen, err)))
        goto done;
    if (o->n_areas == 0)
        memcpy(chosen, group, p->n_areas);
    if ((rc = make_blocks(job, r, o, &blocks, &n_blocks, err)))
        goto done;
    /* Among statistical neighbours the mean of the group is what each area stands against. */
    if (o->peers)
        for (size_t k = 0; k < n_blocks; k++)
            blocks[k].benchmark = o->peers_area;
    lead = first_area_block(blocks, n_blocks);
    if (o->period)
        rc = resolve_period(p, o->period, "--period", &t, err);
    else
        t = lead ? ri_compare_latest(p, lead->sort, chosen) : p->n_periods - 1;
    /* Each indicator is shown in its own latest period with data unless --period says otherwise. */
    for (size_t k = 0; k < n_blocks; k++)
        blocks[k].t = o->period || blocks[k].by_industry ? t : ri_compare_latest(p, blocks[k].sort, chosen);
    from = lead || o->period ? t : 0;
    if (!rc && o->since && (rc = resolve_period(p, o->since, "--since", &from, err)) == RI_RC_OK)
        for (size_t k = 0; k < n_blocks && !rc; k++)
            if (from > blocks[k].t)
                rc = ri_fail(err, RI_RC_USAGE, "--since %s is after the period compared for %s (%s); expected an earlier period",
                             o->since, blocks[k].id, p->periods[blocks[k].t]);
    if (!rc && o->weight) {
        weight = ri_panel_column(p, o->weight);
        if (!weight || weight->by_industry)
            rc = ri_fail(err, RI_RC_USAGE, "--weight %s: not a measure by area and period; expected a measure such as population",
                         o->weight);
        else if (!(weights = malloc((p->n_areas ? p->n_areas : 1) * sizeof *weights)))
            rc = ri_oom(err);
    }
    if (rc)
        goto done;
    for (size_t k = 0; k < n_blocks; k++)
        if (blocks[k].benchmark != RI_NO_AREA &&
            (o->format == RI_COMPARE_CSV || o->format == RI_COMPARE_JSON || o->format == RI_COMPARE_XLSX ||
             (o->format == RI_COMPARE_TABLE && o->since)))
            chosen[blocks[k].benchmark] = 1;
    for (size_t s = from; s <= t; s++)
        periods[s] = 1;

    if (o->format == RI_COMPARE_TABLE) {
        size_t width = o->width ? o->width : ri_display_columns();
        for (size_t k = 0; k < n_blocks && !rc; k++) {
            if (blocks[k].by_industry)
                rc = table_cells(f, p, &blocks[k], chosen, o, r->breakdown, from, t, width, err);
            else if (o->since)
                rc = table_series(f, p, &blocks[k], chosen, by_code, from, width, err);
            else {
                /* Each indicator is shown in its own period, and weighted in it. */
                for (size_t a = 0; weight && a < p->n_areas; a++)
                    weights[a] = weight->v[a * p->n_periods + blocks[k].t];
                rc = table_block(f, job, p, &blocks[k], chosen, group, o, weights, width, err);
            }
        }
    } else if (o->format >= RI_COMPARE_SVG && o->format <= RI_COMPARE_PDF) {
        rc = compare_chart(f, job, p, blocks, n_blocks, chosen, group, by_code, o, from, err);
    } else {
        const char **ids = calloc(n_blocks, sizeof *ids);
        ri_selection sel;
        if (!ids) {
            rc = ri_oom(err);
            goto done;
        }
        for (size_t k = 0; k < n_blocks; k++)
            ids[k] = blocks[k].id;
        sel.areas = chosen;
        sel.order = by_code;
        sel.periods = periods;
        sel.indicators = ids;
        sel.n_indicators = n_blocks;
        ri_sink *sink;
        if (!(rc = ri_sink_stream(f, &sink, err))) {
            rc = o->format == RI_COMPARE_JSON ? ri_write_json(sink, r, &sel, err)
                 : o->format == RI_COMPARE_XLSX ? ri_write_xlsx(sink, r, &sel, o->manifest, err)
                 : o->wide                    ? ri_write_csv_wide(sink, r, &sel, err)
                                              : ri_write_csv(sink, r, &sel, err);
            ri_rc closed = ri_sink_close(sink, NULL, rc ? NULL : err);
            if (!rc)
                rc = closed;
        }
        free(ids);
    }
done:
    for (size_t k = 0; k < n_blocks; k++)
        free(blocks[k].cols);
    free(blocks);
    free(chosen);
    free(group);
    free(periods);
    free(weights);
    free(by_code);
    free(rank);
    code_rank = NULL;
    return rc;
}
