/* compare.c — side-by-side comparison of areas (see compare.h). */
#include "compare.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <regind/plugin.h>

#include "output_csv.h"
#include "output_json.h"
#include "output_xlsx.h"
#include "stats.h"
#include "suggest.h"

#define NAME_WIDTH 50

static int equals_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Mark the areas an argument names: an exact code, else name fragments of the compared type, else of any type. */
static ri_rc select_area(const ri_panel *p, const char *arg, const char *type, unsigned char *mask,
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

/* The job's settings for one indicator id. */
static const ri_indicator_cfg *indicator_cfg(const ri_job *job, const char *id)
{
    for (size_t k = 0; k < job->n_indicators; k++)
        if (strcmp(job->indicators[k].id, id) == 0)
            return &job->indicators[k];
    return NULL;
}

/* One indicator: its non-industry output columns and the one to sort by. */
typedef struct block {
    const char *id;
    int by_industry;            /* all of its columns are by industry (breakdown rows) */
    const ri_result_col **cols;
    size_t n_cols;
    const ri_result_col *sort;
    size_t benchmark;
} block;

static void format_value(double v, char *buf, size_t size)
{
    char raw[64], *out = buf;
    size_t len, int_len, i;

    if (isnan(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    /* Whole pounds for large values, one decimal for tens and hundreds, three significant digits below ten. */
    if (v != 0 && fabs(v) < 10)
        snprintf(raw, sizeof raw, "%.3g", v);
    else
        snprintf(raw, sizeof raw, "%.*f", fabs(v) >= 1000 ? 0 : 1, v);
    len = strlen(raw);
    int_len = strcspn(raw, ".");
    i = 0;
    if (raw[0] == '-') {
        *out++ = '-';
        i = 1;
    }
    for (; i < len && (size_t)(out - buf) + 2 < size; i++) {
        *out++ = raw[i];
        if (i < int_len - 1 && (int_len - 1 - i) % 3 == 0)
            *out++ = ',';
    }
    *out = '\0';
}

static size_t period_with_data(const ri_panel *p, const ri_result_col *col, const unsigned char *mask)
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

static void print_header(FILE *f, const block *b)
{
    fprintf(f, "  %4s %5s  %-*s %-10s", "Rank", "Pctl", NAME_WIDTH, "Area", "Code");
    for (size_t c = 0; c < b->n_cols; c++)
        fprintf(f, " %*s", (int)(strlen(b->cols[c]->output) > 12 ? strlen(b->cols[c]->output) : 12),
                b->cols[c]->output);
    fputc('\n', f);
}

static void print_row(FILE *f, const ri_panel *p, const block *b, size_t a, size_t t, double rank,
                      double pct, const char *tag)
{
    char name[256], num[64], rank_text[16], pct_text[16];
    snprintf(name, sizeof name, "%s%s", p->area_names[a][0] ? p->area_names[a] : p->area_codes[a], tag);
    if (isnan(rank))
        snprintf(rank_text, sizeof rank_text, "%s", "");
    else
        snprintf(rank_text, sizeof rank_text, "%.0f", rank);
    if (isnan(pct))
        snprintf(pct_text, sizeof pct_text, "%s", "");
    else
        snprintf(pct_text, sizeof pct_text, "%.0f", pct);
    fprintf(f, "  %4s %5s  %-*.*s %-10s", rank_text, pct_text, NAME_WIDTH, NAME_WIDTH, name, p->area_codes[a]);
    for (size_t c = 0; c < b->n_cols; c++) {
        format_value(b->cols[c]->v[a * p->n_periods + t], num, sizeof num);
        fprintf(f, " %*s", (int)(strlen(b->cols[c]->output) > 12 ? strlen(b->cols[c]->output) : 12), num);
    }
    fputc('\n', f);
}

/* The full distribution of every output across the compared group (--stats). */
static void print_stats(FILE *f, const ri_panel *p, const block *b, const unsigned char *group,
                        const double *weights, const char *weight_name, size_t t, double *vals)
{
    char num[64];
    fputs("  Distribution across the compared areas:\n", f);
    for (size_t c = 0; c < b->n_cols; c++) {
        ri_stats_summary s;
        ri_error serr;
        for (size_t a = 0; a < p->n_areas; a++)
            vals[a] = b->cols[c]->v[a * p->n_periods + t];
        if (ri_stats_summarise(vals, p->n_areas, group, &s, &serr) != RI_RC_OK) {
            fprintf(f, "    %s: no values\n", b->cols[c]->output);
            continue;
        }
        fprintf(f, "    %s [%s]: n %zu", b->cols[c]->output, b->cols[c]->unit, s.n);
        if (s.n_missing)
            fprintf(f, " (%zu missing)", s.n_missing);
        format_value(s.mean, num, sizeof num);
        fprintf(f, "; mean %s", num);
        if (weights) {
            double *wv = malloc(p->n_areas * sizeof *wv), *ww = malloc(p->n_areas * sizeof *ww);
            size_t k = 0;
            if (wv && ww) {
                for (size_t a = 0; a < p->n_areas; a++)
                    if (group[a]) {
                        wv[k] = vals[a];
                        ww[k++] = weights[a];
                    }
                format_value(ri_stats_weighted_mean(wv, ww, k), num, sizeof num);
                fprintf(f, "; %s-weighted mean %s", weight_name, num);
            }
            free(wv);
            free(ww);
        }
        format_value(s.median, num, sizeof num);
        fprintf(f, "; median %s", num);
        format_value(s.sd, num, sizeof num);
        fprintf(f, "; sd %s", num);
        if (!isnan(s.cv))
            fprintf(f, "; cv %.3f", s.cv);
        format_value(s.min, num, sizeof num);
        fprintf(f, "\n      min %s (%s)", num, p->area_names[s.argmin]);
        format_value(s.max, num, sizeof num);
        fprintf(f, "; max %s (%s); deciles", num, p->area_names[s.argmax]);
        for (int d = 0; d < 9; d++) {
            format_value(s.deciles[d], num, sizeof num);
            fprintf(f, "%s %s", d ? "," : "", num);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
}

static ri_rc table_block(FILE *f, const ri_job *job, const ri_panel *p, const block *b,
                         const unsigned char *chosen, const unsigned char *group,
                         const ri_compare_opts *o, const double *weights, size_t t, ri_error *err)
{
    size_t n = p->n_areas, n_rows = 0;
    double *vals = calloc(n ? n : 1, sizeof *vals), *rank = calloc(n ? n : 1, sizeof *rank);
    double *pct = calloc(n ? n : 1, sizeof *pct);
    size_t *rows = malloc((n ? n : 1) * sizeof *rows);
    const ri_indicator_cfg *ind = indicator_cfg(job, b->id);
    ri_stats_summary s;
    ri_error serr;
    char num[64];

    if (!vals || !rank || !pct || !rows) {
        free(vals);
        free(rank);
        free(pct);
        free(rows);
        return ri_oom(err);
    }
    for (size_t a = 0; a < n; a++)
        vals[a] = b->sort->v[a * p->n_periods + t];
    ri_stats_rank(vals, n, group, 1, rank, pct);
    for (size_t a = 0; a < n; a++)
        if (chosen[a] && a != b->benchmark)
            rows[n_rows++] = a;
    sort_values = vals;
    qsort(rows, n_rows, sizeof *rows, cmp_rows);
    if (o->top && n_rows > o->top)
        n_rows = o->top;

    fprintf(f, "%s (plugin %s), %s: %s areas ranked by %s", b->id, ind ? ind->plugin : "?",
            p->periods[t], o->area_type, b->sort->output);
    if (b->benchmark != RI_NO_AREA)
        fprintf(f, "; benchmark %s %s", p->area_codes[b->benchmark], p->area_names[b->benchmark]);
    fputs("\n\n", f);
    print_header(f, b);
    for (size_t r = 0; r < n_rows; r++)
        print_row(f, p, b, rows[r], t, rank[rows[r]], pct[rows[r]], "");
    if (b->benchmark != RI_NO_AREA)
        print_row(f, p, b, b->benchmark, t, NAN, NAN, " [benchmark]");
    fputc('\n', f);
    if (ri_stats_summarise(vals, n, group, &s, &serr) == RI_RC_OK) {
        format_value(s.median, num, sizeof num);
        fprintf(f, "  %s across %zu %s areas: median %s", b->sort->output, s.n, o->area_type, num);
        format_value(s.min, num, sizeof num);
        fprintf(f, "; lowest %s (%s)", num, p->area_names[s.argmin]);
        format_value(s.max, num, sizeof num);
        fprintf(f, "; highest %s (%s)", num, p->area_names[s.argmax]);
        if (!isnan(s.cv))
            fprintf(f, "; coefficient of variation %.3f", s.cv);
        if (s.n_missing)
            fprintf(f, "; %zu missing", s.n_missing);
        fputc('\n', f);
    }
    fputs("  Units:", f);
    for (size_t c = 0; c < b->n_cols; c++)
        fprintf(f, "%s %s = %s", c ? ";" : "", b->cols[c]->output, b->cols[c]->unit);
    fputs(". Rank 1 = highest; Pctl = percentile among them. n/a = missing.\n\n", f);
    if (o->stats)
        print_stats(f, p, b, group, weights, o->weight, t, vals);
    free(vals);
    free(rank);
    free(pct);
    free(rows);
    return RI_RC_OK;
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
                         const ri_compare_opts *o, size_t from, size_t to, ri_error *err)
{
    size_t ni = b->sort->n_ind, n = 0, cap = 64;
    cell *cells = malloc(cap * sizeof *cells);
    char num[64];

    if (!cells)
        return ri_oom(err);
    for (size_t a = 0; a < p->n_areas; a++)
        for (size_t t = from; chosen[a] && t <= to; t++)
            for (size_t i = 0; i < ni; i++) {
                size_t k = (a * p->n_periods + t) * ni + i;
                int any = 0;
                for (size_t c = 0; c < b->n_cols && !any; c++)
                    any = !isnan(b->cols[c]->v[k]);
                if (!any)
                    continue;
                if (n == cap) {
                    cell *grown = realloc(cells, 2 * cap * sizeof *cells);
                    if (!grown) {
                        free(cells);
                        return ri_oom(err);
                    }
                    cells = grown;
                    cap *= 2;
                }
                cells[n++] = (cell){a, t, i, b->sort->v[k]};
            }
    qsort(cells, n, sizeof *cells, cmp_cells);
    if (o->top && n > o->top)
        n = o->top;
    fprintf(f, "%s: %zu rows by %s, %s to %s\n\n  %-*s %-12s %-8s", b->id, n, b->sort->output,
            p->periods[from], p->periods[to], NAME_WIDTH, "Area", "Code", "Period");
    for (size_t c = 0; c < b->n_cols; c++)
        fprintf(f, " %16s", b->cols[c]->output);
    fputs("  Breakdown\n", f);
    for (size_t r = 0; r < n; r++) {
        const cell *x = &cells[r];
        size_t k = (x->a * p->n_periods + x->t) * ni + x->i;
        fprintf(f, "  %-*.*s %-12s %-8s", NAME_WIDTH, NAME_WIDTH, p->area_names[x->a], p->area_codes[x->a],
                p->periods[x->t]);
        for (size_t c = 0; c < b->n_cols; c++) {
            format_value(b->cols[c]->v[k], num, sizeof num);
            fprintf(f, " %16s", num);
        }
        fprintf(f, "  %s\n", p->industries && b->sort->ind ? p->industries[b->sort->ind[x->i]] : "");
    }
    fputs("\n  Units:", f);
    for (size_t c = 0; c < b->n_cols; c++)
        fprintf(f, "%s %s = %s", c ? ";" : "", b->cols[c]->output, b->cols[c]->unit);
    fputs(". n/a = missing.\n\n", f);
    free(cells);
    return RI_RC_OK;
}

/* A series per area from --since to the compared period, with its least-squares trend. */
static ri_rc table_series(FILE *f, const ri_panel *p, const block *b, const unsigned char *chosen,
                          const size_t *by_code, size_t from, size_t to)
{
    char num[64];
    size_t n = to - from + 1;
    fprintf(f, "%s: %s (%s), %s to %s\n\n  %-*s %-10s", b->id, b->sort->output, b->sort->unit,
            p->periods[from], p->periods[to], NAME_WIDTH, "Area", "Code");
    for (size_t t = from; t <= to; t++)
        fprintf(f, " %10s", p->periods[t]);
    fprintf(f, " %12s %10s %6s\n", "trend/year", "s.e.", "R2");
    for (size_t k = 0; k < p->n_areas; k++) {
        size_t a = by_code[k];
        const double *y = b->sort->v + a * p->n_periods + from;
        double c0, c1, se, r2;
        ri_error terr;
        if (!chosen[a])
            continue;
        fprintf(f, "  %-*.*s %-10s", NAME_WIDTH, NAME_WIDTH, p->area_names[a], p->area_codes[a]);
        for (size_t t = from; t <= to; t++) {
            format_value(b->sort->v[a * p->n_periods + t], num, sizeof num);
            fprintf(f, " %10s", num);
        }
        if (ri_stats_fit_linear(p->period_years + from, y, n, &c0, &c1, &se, &r2, &terr) == RI_RC_OK) {
            format_value(c1, num, sizeof num);
            fprintf(f, " %12s", num);
            format_value(se, num, sizeof num);
            fprintf(f, " %10s", num);
            if (isnan(r2))
                fprintf(f, " %6s", "n/a");
            else
                fprintf(f, " %6.3f", r2);
        } else {
            fprintf(f, " %12s %10s %6s", "n/a", "n/a", "n/a");
        }
        fputc('\n', f);
    }
    fputs("\n  trend/year: least-squares slope over the years shown (needs 3 or more values).\n\n", f);
    return RI_RC_OK;
}

static ri_rc make_blocks(const ri_job *job, const ri_results *r, const ri_compare_opts *o,
                         block **out, size_t *n_out, ri_error *err)
{
    block *blocks = calloc(r->n_cols ? r->n_cols : 1, sizeof *blocks);
    size_t n = 0;
    if (!blocks)
        return ri_oom(err);
    for (size_t c = 0; c < r->n_cols; c++) {
        const ri_result_col *col = &r->cols[c];
        block *b = NULL;
        int wanted = !o->indicators;
        for (size_t k = 0; k < o->n_indicators && !wanted; k++)
            wanted = strcmp(o->indicators[k], col->indicator) == 0;
        if (!wanted)
            continue;
        for (size_t k = 0; k < n; k++)
            if (strcmp(blocks[k].id, col->indicator) == 0 && blocks[k].by_industry == col->by_industry)
                b = &blocks[k];
        if (!b) {
            const ri_indicator_cfg *ind = indicator_cfg(job, col->indicator);
            b = &blocks[n++];
            b->id = col->indicator;
            b->by_industry = col->by_industry;
            b->cols = calloc(r->n_cols, sizeof *b->cols);
            b->benchmark = ind && ind->benchmark ? ri_panel_area(r->panel, ind->benchmark) : RI_NO_AREA;
            if (!b->cols) {
                *out = blocks;
                *n_out = n;
                return ri_oom(err);
            }
        }
        b->cols[b->n_cols++] = col;
        if ((!b->sort && !o->sort) || (o->sort && strcmp(o->sort, col->output) == 0))
            b->sort = col;
    }
    *out = blocks;
    *n_out = n;
    for (size_t k = 0; k < n; k++)
        if (!blocks[k].sort)
            return ri_fail(err, RI_RC_USAGE, "--sort %s: indicator \"%s\" has no such output; see `regind describe`",
                           o->sort, blocks[k].id);
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

ri_rc ri_compare_write(FILE *f, const ri_job *job, const ri_results *r, const ri_compare_opts *o,
                       ri_error *err)
{
    const ri_panel *p = r->panel;
    unsigned char *chosen = calloc(p->n_areas ? p->n_areas : 1, 1);
    unsigned char *group = calloc(p->n_areas ? p->n_areas : 1, 1);
    unsigned char *periods = calloc(p->n_periods ? p->n_periods : 1, 1);
    double *weights = NULL;
    block *blocks = NULL;
    const block *lead;
    size_t n_blocks = 0, t = 0, from, *by_code = NULL, *rank = NULL;
    ri_rc rc = RI_RC_OK;

    if (!chosen || !group || !periods || !code_order(p, &by_code, &rank)) {
        rc = ri_oom(err);
        goto done;
    }
    code_rank = rank;
    if (p->n_periods == 0) {
        rc = ri_fail(err, RI_RC_DATA, "the data has no periods");
        goto done;
    }
    for (size_t a = 0; a < p->n_areas; a++)
        group[a] = strcmp(p->area_types[a], o->area_type) == 0;
    for (size_t i = 0; i < o->n_areas && !rc; i++)
        rc = select_area(p, o->areas[i], o->area_type, chosen, err);
    if (rc)
        goto done;
    if (o->n_areas == 0)
        memcpy(chosen, group, p->n_areas);
    if ((rc = make_blocks(job, r, o, &blocks, &n_blocks, err)))
        goto done;
    lead = first_area_block(blocks, n_blocks);
    if (o->period)
        rc = resolve_period(p, o->period, "--period", &t, err);
    else
        t = lead ? period_with_data(p, lead->sort, chosen) : p->n_periods - 1;
    from = lead || o->period ? t : 0;
    if (!rc && o->since && (rc = resolve_period(p, o->since, "--since", &from, err)) == RI_RC_OK &&
        from > t)
        rc = ri_fail(err, RI_RC_USAGE, "--since %s is after the period compared (%s); expected an earlier period",
                     o->since, p->periods[t]);
    if (!rc && o->weight) {
        const ri_column *w = ri_panel_column(p, o->weight);
        if (!w || w->by_industry)
            rc = ri_fail(err, RI_RC_USAGE, "--weight %s: not a measure by area and period; expected a measure such as population",
                         o->weight);
        else if (!(weights = malloc((p->n_areas ? p->n_areas : 1) * sizeof *weights)))
            rc = ri_oom(err);
        else
            for (size_t a = 0; a < p->n_areas; a++)
                weights[a] = w->v[a * p->n_periods + t];
    }
    if (rc)
        goto done;
    for (size_t k = 0; k < n_blocks; k++)
        if (blocks[k].benchmark != RI_NO_AREA && (o->format != RI_COMPARE_TABLE || o->since))
            chosen[blocks[k].benchmark] = 1;
    for (size_t s = from; s <= t; s++)
        periods[s] = 1;

    if (o->format == RI_COMPARE_TABLE) {
        for (size_t k = 0; k < n_blocks && !rc; k++) {
            if (blocks[k].by_industry)
                rc = table_cells(f, p, &blocks[k], chosen, o, from, t, err);
            else if (o->since)
                rc = table_series(f, p, &blocks[k], chosen, by_code, from, t);
            else
                rc = table_block(f, job, p, &blocks[k], chosen, group, o, weights, t, err);
        }
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
