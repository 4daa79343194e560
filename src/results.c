/* results.c — result columns of a run and what the writers share (see results.h). */
#include "results.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

/* 0 when the column would not fit in memory's address space. */
static int cell_count(const ri_panel *p, size_t f, size_t *n)
{
    size_t k = p->n_areas;

    if (p->n_periods && k > SIZE_MAX / sizeof(double) / p->n_periods)
        return 0;
    k *= p->n_periods;
    if (f && k > SIZE_MAX / sizeof(double) / f)
        return 0;
    *n = k * f;
    return 1;
}

static void free_col(ri_result_col *c)
{
    free(c->indicator);
    free(c->output);
    free(c->unit);
    free(c->v);
    free(c->applies);
    free(c->ind);
    free(c->help);
}

ri_results *ri_results_new(const ri_panel *panel)
{
    ri_results *r = calloc(1, sizeof *r);

    if (r) {
        r->panel = panel;
        r->breakdown = "industry";
    }
    return r;
}

ri_result_col *ri_results_add(ri_results *r, const char *indicator, const char *output,
                              const char *unit, size_t n_ind, const size_t *ind)
{
    ri_result_col c = {0}, *grown;
    size_t n, i;

    if (!ind)
        n_ind = 1;
    if (!cell_count(r->panel, n_ind, &n))
        return NULL;
    c.indicator = dup_str(indicator);
    c.output = dup_str(output);
    c.unit = dup_str(unit);
    c.by_industry = ind != NULL;
    c.n_ind = n_ind;
    if (ind && (c.ind = malloc((n_ind ? n_ind : 1) * sizeof *c.ind)))
        memcpy(c.ind, ind, n_ind * sizeof *ind);
    /* At least one element: malloc(0) may return NULL, which is not a failure. */
    c.v = malloc((n ? n : 1) * sizeof *c.v);
    grown = realloc(r->cols, (r->n_cols + 1) * sizeof *r->cols);
    if (grown)
        r->cols = grown;
    if (!c.indicator || !c.output || !c.unit || !c.v || !grown || (ind && !c.ind)) {
        free_col(&c);
        return NULL;
    }
    for (i = 0; i < n; i++)
        c.v[i] = NAN;
    r->cols[r->n_cols] = c;
    return &r->cols[r->n_cols++];
}

const ri_result_col *ri_results_find(const ri_results *r, const char *indicator,
                                     const char *output)
{
    size_t i;

    for (i = 0; i < r->n_cols; i++)
        if (strcmp(r->cols[i].indicator, indicator) == 0 &&
            strcmp(r->cols[i].output, output) == 0)
            return &r->cols[i];
    return NULL;
}

ri_rc ri_results_add_mean_area(ri_results *r, ri_panel *p, const unsigned char *members, const char *code,
                               const char *name, const char *type, size_t *area, ri_error *err)
{
    size_t old = p->n_areas, np = p->n_periods;

    if (ri_panel_area(p, code) != (size_t)-1)
        return ri_fail(err, RI_RC_USAGE, "area %s exists already; expected a new code for the mean of the group", code);
    if ((*area = ri_panel_add_area(p, code, name, type)) == (size_t)-1)
        return ri_oom(err);
    for (size_t c = 0; c < r->n_cols; c++) {
        ri_result_col *col = &r->cols[c];
        size_t per = np * col->n_ind;
        double *v = realloc(col->v, (old + 1) * (per ? per : 1) * sizeof *v);
        unsigned char *applies = col->applies;
        if (!v)
            return ri_oom(err);
        col->v = v;
        if (applies && !(applies = realloc(col->applies, (old + 1) * (per ? per : 1))))
            return ri_oom(err);
        col->applies = applies;
        for (size_t k = 0; k < per; k++) {
            double sum = 0.0;
            size_t n = 0;
            for (size_t a = 0; a < old; a++)
                if (members[a] && !isnan(v[a * per + k]) && (!applies || applies[a * per + k])) {
                    sum += v[a * per + k];
                    n++;
                }
            v[old * per + k] = n ? sum / (double)n : NAN;
            if (applies)
                applies[old * per + k] = n > 0;
        }
    }
    return RI_RC_OK;
}

void ri_results_free(ri_results *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->n_cols; i++)
        free_col(&r->cols[i]);
    free(r->cols);
    for (i = 0; i < r->n_warning_lines; i++)
        free(r->warning_lines[i]);
    free(r->warning_lines);
    free(r);
}

int ri_results_add_warning(ri_results *r, const char *line)
{
    char **grown = realloc(r->warning_lines, (r->n_warning_lines + 1) * sizeof *grown);
    if (!grown)
        return -1;
    r->warning_lines = grown;
    if (!(grown[r->n_warning_lines] = dup_str(line)))
        return -1;
    r->n_warning_lines++;
    return 0;
}

int ri_selection_has(const ri_selection *sel, const char *indicator)
{
    size_t i;

    if (!sel || !sel->indicators)
        return 1;
    for (i = 0; i < sel->n_indicators; i++)
        if (strcmp(sel->indicators[i], indicator) == 0)
            return 1;
    return 0;
}

static int computed(const ri_results *r, const char *indicator)
{
    size_t i;

    for (i = 0; i < r->n_cols; i++)
        if (strcmp(r->cols[i].indicator, indicator) == 0)
            return 1;
    return 0;
}

/* The distinct indicator ids of r, comma-separated, truncated to fit buf. */
static void list_indicators(const ri_results *r, char *buf, size_t size)
{
    size_t i, j, used = 0;

    buf[0] = '\0';
    for (i = 0; i < r->n_cols && used < size; i++) {
        for (j = 0; j < i; j++)
            if (strcmp(r->cols[j].indicator, r->cols[i].indicator) == 0)
                break;
        if (j < i)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                 r->cols[i].indicator);
    }
}

static ri_rc check_cell(void *ctx, const ri_result_col *col, size_t area, size_t period,
                        size_t industry, double v, ri_error *err)
{
    const ri_panel *p = ctx;

    if (!isinf(v))
        return RI_RC_OK;
    return ri_fail(err, RI_RC_DATA,
                   "indicator '%s' output '%s' is infinite for area %s, period %s%s%s; "
                   "a plugin must write NaN for a value it cannot compute",
                   col->indicator, col->output, p->area_codes[area], p->periods[period],
                   industry == RI_NO_INDUSTRY ? "" : ", industry ",
                   industry == RI_NO_INDUSTRY ? "" : p->industries[industry]);
}

ri_rc ri_results_check(const ri_results *r, const ri_selection *sel, ri_error *err)
{
    size_t i;

    if (sel && sel->indicators) {
        for (i = 0; i < sel->n_indicators; i++) {
            if (!computed(r, sel->indicators[i])) {
                char known[RI_ERROR_MAX / 2];

                list_indicators(r, known, sizeof known);
                return ri_fail(err, RI_RC_USAGE,
                               "output selects indicator '%s', which this run did not "
                               "compute; expected one of: %s",
                               sel->indicators[i], known[0] ? known : "(none)");
            }
        }
    }
    for (i = 0; i < r->n_cols; i++) {
        if (r->cols[i].by_industry && !r->panel->industries &&
            ri_selection_has(sel, r->cols[i].indicator))
            return ri_fail(err, RI_RC_DATA,
                           "indicator '%s' output '%s' is by industry, but no dataset "
                           "of the panel has industries; bind its inputs to measures "
                           "from a dataset with an industry column",
                           r->cols[i].indicator, r->cols[i].output);
    }
    if (sel && (sel->areas || sel->periods))
        return ri_results_each(r, sel, check_cell, (void *)r->panel, err);
    /* Every area and period: each column is one contiguous scan. */
    for (i = 0; i < r->n_cols; i++) {
        const ri_result_col *col = &r->cols[i];
        size_t w = col->n_ind, cells = r->panel->n_areas * r->panel->n_periods * w;
        if (!ri_selection_has(sel, col->indicator))
            continue;
        for (size_t k = 0; k < cells; k++)
            if (isinf(col->v[k]) && (!col->applies || col->applies[k]))
                return check_cell((void *)r->panel, col, k / w / r->panel->n_periods, k / w % r->panel->n_periods,
                                  col->by_industry ? col->ind[k % w] : RI_NO_INDUSTRY, col->v[k], err);
    }
    return RI_RC_OK;
}

size_t ri_results_blocks(const ri_results *r)
{
    return r->n_cols * r->panel->n_areas;
}

size_t ri_results_block_cells(const ri_results *r, size_t block)
{
    return r->panel->n_periods * r->cols[block / r->panel->n_areas].n_ind;
}

ri_rc ri_results_each_block(const ri_results *r, const ri_selection *sel, size_t from, size_t to,
                            ri_cell_fn fn, void *ctx, ri_error *err)
{
    const ri_panel *p = r->panel;
    const unsigned char *areas = sel ? sel->areas : NULL;
    const unsigned char *periods = sel ? sel->periods : NULL;
    ri_rc rc;

    for (size_t b = from; b < to; b++) {
        const ri_result_col *col = &r->cols[b / p->n_areas];
        size_t a = sel && sel->order ? sel->order[b % p->n_areas] : b % p->n_areas;

        if ((areas && !areas[a]) || !ri_selection_has(sel, col->indicator))
            continue;
        for (size_t t = 0; t < p->n_periods; t++) {
            size_t cell = a * p->n_periods + t;

            if (periods && !periods[t])
                continue;
            if (!col->by_industry) {
                if (col->applies && !col->applies[cell])
                    continue;
                if ((rc = fn(ctx, col, a, t, RI_NO_INDUSTRY, col->v[cell], err)) != RI_RC_OK)
                    return rc;
                continue;
            }
            for (size_t i = 0; i < col->n_ind; i++) {
                if (col->applies && !col->applies[cell * col->n_ind + i])
                    continue;
                if ((rc = fn(ctx, col, a, t, col->ind[i], col->v[cell * col->n_ind + i], err)) != RI_RC_OK)
                    return rc;
            }
        }
    }
    return RI_RC_OK;
}

ri_rc ri_results_each(const ri_results *r, const ri_selection *sel, ri_cell_fn fn,
                      void *ctx, ri_error *err)
{
    return ri_results_each_block(r, sel, 0, ri_results_blocks(r), fn, ctx, err);
}

ri_rc ri_results_each_row(const ri_results *r, const ri_selection *sel, const ri_result_col *const *cols,
                          size_t n, int by_industry, size_t from, size_t to, ri_row_fn fn, void *ctx,
                          ri_error *err)
{
    const ri_panel *p = r->panel;
    size_t ni = by_industry ? p->n_industries : 1;
    long *pos = malloc((n && ni ? n * ni : 1) * sizeof *pos);
    double *v = malloc((n ? n : 1) * sizeof *v);
    unsigned char *has = malloc(n ? n : 1);
    ri_rc rc = RI_RC_OK;

    if (!pos || !v || !has) {
        rc = ri_oom(err);
        goto done;
    }
    /* Where each panel industry sits among each column's industries (-1: not there). */
    for (size_t c = 0; c < n; c++) {
        for (size_t i = 0; i < ni; i++)
            pos[c * ni + i] = by_industry ? -1 : 0;
        for (size_t k = 0; by_industry && k < cols[c]->n_ind; k++)
            pos[c * ni + cols[c]->ind[k]] = (long)k;
    }
    for (size_t k = from; k < to && k < p->n_areas && !rc; k++) {
        size_t a = sel && sel->order ? sel->order[k] : k;
        if (sel && sel->areas && !sel->areas[a])
            continue;
        for (size_t t = 0; t < p->n_periods && !rc; t++) {
            if (sel && sel->periods && !sel->periods[t])
                continue;
            for (size_t i = 0; i < ni && !rc; i++) {
                int any = 0;
                for (size_t c = 0; c < n; c++) {
                    size_t cell = a * p->n_periods + t;
                    const ri_result_col *col = cols[c];
                    has[c] = pos[c * ni + i] >= 0;
                    if (has[c] && by_industry)
                        cell = cell * col->n_ind + (size_t)pos[c * ni + i];
                    has[c] = has[c] && (!col->applies || col->applies[cell]);
                    if (has[c])
                        v[c] = col->v[cell];
                    any |= has[c];
                }
                if (any)
                    rc = fn(ctx, a, t, by_industry ? i : RI_NO_INDUSTRY, v, has, err);
            }
        }
    }
done:
    free(pos);
    free(v);
    free(has);
    return rc;
}
