/* panel.c — loading a job's datasets and joining them into one panel (see panel.h). */
#include "panel.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "derive.h"
#include "geo.h"
#include "strtab.h"

const ri_column *ri_panel_column(const ri_panel *p, const char *name)
{
    for (size_t c = 0; c < p->n_cols; c++)
        if (strcmp(p->cols[c].name, name) == 0)
            return &p->cols[c];
    return NULL;
}

/* Hashed, because joins and lookups ask for every area and period of large panels. */
size_t ri_panel_area(const ri_panel *p, const char *code)
{
    long a = p->area_index ? ri_strtab_find(p->area_index, code, strlen(code)) : -1;
    return a < 0 ? (size_t)-1 : (size_t)a;
}

size_t ri_panel_period(const ri_panel *p, const char *label)
{
    long t = p->period_index ? ri_strtab_find(p->period_index, label, strlen(label)) : -1;
    return t < 0 ? (size_t)-1 : (size_t)t;
}

size_t ri_column_stride(const ri_panel *p, const ri_column *c)
{
    return p->n_periods * (c->by_industry ? c->n_ind : 1);
}

size_t ri_panel_add_area(ri_panel *p, const char *code, const char *name, const char *type)
{
    size_t a = ri_panel_area(p, code), n = p->n_areas + 1;
    char **s;
    size_t **pp, *np;

    if (a != (size_t)-1)
        return a;
    if (!(s = realloc(p->area_codes, n * sizeof *s)))
        return (size_t)-1;
    p->area_codes = s;
    if (!(s = realloc(p->area_names, n * sizeof *s)))
        return (size_t)-1;
    p->area_names = s;
    if (!(s = realloc(p->area_types, n * sizeof *s)))
        return (size_t)-1;
    p->area_types = s;
    if (!(pp = realloc(p->parents, n * sizeof *pp)))
        return (size_t)-1;
    p->parents = pp;
    if (!(np = realloc(p->n_parents, n * sizeof *np)))
        return (size_t)-1;
    p->n_parents = np;
    for (size_t c = 0; c < p->n_cols; c++) {
        ri_column *col = &p->cols[c];
        size_t stride = ri_column_stride(p, col);
        double *v = realloc(col->v, n * stride * sizeof *v);
        unsigned char *present;
        if (!v)
            return (size_t)-1;
        col->v = v;
        for (size_t k = 0; k < stride; k++)
            v[(n - 1) * stride + k] = NAN;
        if (!(present = realloc(col->present, n)))
            return (size_t)-1;
        col->present = present;
        present[n - 1] = 0;
    }
    a = p->n_areas;
    p->area_codes[a] = strdup(code);
    p->area_names[a] = strdup(name ? name : "");
    p->area_types[a] = strdup(type ? type : ri_geo_type_from_code(code));
    p->parents[a] = NULL;
    p->n_parents[a] = 0;
    p->n_areas = n;
    if (!p->area_codes[a] || !p->area_names[a] || !p->area_types[a] ||
        ri_strtab_intern(p->area_index, code, strlen(code)) != (long)a)
        return (size_t)-1;
    return a;
}

/* Give c the industry set ind[0..n_ind) (NULL: no industries) and room for its values. */
static int shape_column(const ri_panel *p, ri_column *c, size_t n_ind, const size_t *ind)
{
    size_t cells;
    free(c->ind);
    free(c->v);
    c->ind = NULL;
    c->by_industry = ind != NULL;
    c->n_ind = ind ? n_ind : 1;
    if (ind) {
        if (!(c->ind = malloc((n_ind ? n_ind : 1) * sizeof *c->ind)))
            return -1;
        memcpy(c->ind, ind, n_ind * sizeof *ind);
    }
    cells = p->n_areas * ri_column_stride(p, c);
    c->v = malloc((cells ? cells : 1) * sizeof *c->v);
    return c->v ? 0 : -1;
}

ri_column *ri_panel_add_column(ri_panel *p, const char *name, const char *dataset, size_t n_ind,
                               const size_t *ind, int additive)
{
    ri_column *cols = realloc(p->cols, (p->n_cols + 1) * sizeof *cols), *c;
    int shaped;
    if (!cols)
        return NULL;
    p->cols = cols;
    c = &cols[p->n_cols];
    memset(c, 0, sizeof *c);
    c->additive = additive;
    shaped = shape_column(p, c, n_ind, ind);
    c->name = strdup(name);
    c->dataset = strdup(dataset);
    c->present = calloc(p->n_areas ? p->n_areas : 1, 1);
    p->n_cols++;
    if (shaped != 0 || !c->name || !c->dataset || !c->present)
        return NULL;
    return c;
}

static int prefers(const ri_dataset_cfg *a, const char *other_id)
{
    for (size_t i = 0; i < a->n_prefer_over; i++)
        if (strcmp(a->prefer_over[i], other_id) == 0)
            return 1;
    return 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Labels of all datasets, unioned; areas and industries in order of appearance, periods sorted. */
typedef struct joined {
    ri_strtab *areas, *periods, *industries;
    int any_industry;
} joined;

static ri_rc join_keys(ri_panel *p, ri_dataset **ds, size_t n, joined *j, ri_error *err)
{
    j->areas = ri_strtab_new(1024);
    j->periods = ri_strtab_new(64);
    j->industries = ri_strtab_new(64);
    if (!j->areas || !j->periods || !j->industries)
        return ri_oom(err);
    for (size_t d = 0; d < n; d++) {
        for (size_t a = 0; a < ds[d]->n_areas; a++) {
            const char *s = ri_strtab_get(ds[d]->areas, a);
            if (ri_strtab_intern(j->areas, s, strlen(s)) < 0)
                return ri_oom(err);
        }
        for (size_t i = 0; i < ds[d]->n_periods; i++) {
            const char *s = ri_strtab_get(ds[d]->periods, i);
            if (ri_strtab_intern(j->periods, s, strlen(s)) < 0)
                return ri_oom(err);
        }
        if (ds[d]->industries) {
            j->any_industry = 1;
            for (size_t i = 0; i < ds[d]->n_industries; i++) {
                const char *s = ri_strtab_get(ds[d]->industries, i);
                if (ri_strtab_intern(j->industries, s, strlen(s)) < 0)
                    return ri_oom(err);
            }
        }
    }
    p->n_areas = ri_strtab_count(j->areas);
    p->n_periods = ri_strtab_count(j->periods);
    p->n_industries = j->any_industry ? ri_strtab_count(j->industries) : 1;
    p->area_codes = calloc(p->n_areas, sizeof *p->area_codes);
    p->area_names = calloc(p->n_areas, sizeof *p->area_names);
    p->area_types = calloc(p->n_areas, sizeof *p->area_types);
    p->parents = calloc(p->n_areas, sizeof *p->parents);
    p->n_parents = calloc(p->n_areas, sizeof *p->n_parents);
    p->periods = calloc(p->n_periods, sizeof *p->periods);
    p->period_years = calloc(p->n_periods, sizeof *p->period_years);
    if (!p->area_codes || !p->area_names || !p->area_types || !p->parents || !p->n_parents ||
        !p->periods || !p->period_years)
        return ri_oom(err);
    for (size_t a = 0; a < p->n_areas; a++)
        if (!(p->area_codes[a] = strdup(ri_strtab_get(j->areas, a))))
            return ri_oom(err);
    for (size_t i = 0; i < p->n_periods; i++)
        if (!(p->periods[i] = strdup(ri_strtab_get(j->periods, i))))
            return ri_oom(err);
    qsort(p->periods, p->n_periods, sizeof *p->periods, cmp_str);
    p->area_index = ri_strtab_new(p->n_areas);
    p->period_index = ri_strtab_new(p->n_periods);
    if (!p->area_index || !p->period_index)
        return ri_oom(err);
    for (size_t a = 0; a < p->n_areas; a++)
        if (ri_strtab_intern(p->area_index, p->area_codes[a], strlen(p->area_codes[a])) != (long)a)
            return ri_oom(err);
    for (size_t i = 0; i < p->n_periods; i++)
        if (ri_strtab_intern(p->period_index, p->periods[i], strlen(p->periods[i])) != (long)i)
            return ri_oom(err);
    /* dataset.c guarantees every period label starts with a four-digit year. */
    for (size_t i = 0; i < p->n_periods; i++) {
        const char *s = p->periods[i];
        p->period_years[i] = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    }
    if (j->any_industry) {
        p->industries = calloc(p->n_industries, sizeof *p->industries);
        if (!p->industries)
            return ri_oom(err);
        for (size_t i = 0; i < p->n_industries; i++)
            if (!(p->industries[i] = strdup(ri_strtab_get(j->industries, i))))
                return ri_oom(err);
    }
    /* Names and types: the first dataset that knows them wins. */
    for (size_t d = 0; d < n; d++)
        for (size_t a = 0; a < ds[d]->n_areas; a++) {
            const char *code = ri_strtab_get(ds[d]->areas, a);
            size_t pa = (size_t)ri_strtab_find(j->areas, code, strlen(code));
            if ((!p->area_names[pa] || !*p->area_names[pa]) && ds[d]->area_names[a][0]) {
                free(p->area_names[pa]);
                if (!(p->area_names[pa] = strdup(ds[d]->area_names[a])))
                    return ri_oom(err);
            }
            if (!p->area_types[pa] && !(p->area_types[pa] = strdup(ri_geo_area_type(ds[d], a))))
                return ri_oom(err);
        }
    for (size_t a = 0; a < p->n_areas; a++)
        if (!p->area_names[a] && !(p->area_names[a] = strdup("")))
            return ri_oom(err);
    return RI_RC_OK;
}

/* Index of the panel column for `name`, deciding between datasets that both have it. */
static ri_rc place_column(ri_panel *p, ri_dataset **ds, const size_t *owner, size_t d,
                          const char *name, const size_t *ind_map, long *slot, ri_error *err)
{
    const ri_dataset *x = ds[d];
    *slot = -1;
    for (size_t c = 0; c < p->n_cols; c++) {
        if (strcmp(p->cols[c].name, name) != 0)
            continue;
        const ri_dataset_cfg *now = ds[d]->cfg, *before = ds[owner[c]]->cfg;
        if (prefers(now, before->id)) {
            if (shape_column(p, &p->cols[c], x->n_industries, x->industries ? ind_map : NULL) != 0)
                return ri_oom(err);
            *slot = (long)c;
            return RI_RC_OK;
        }
        if (prefers(before, now->id))
            return RI_RC_OK;
        return ri_fail(err, RI_RC_USAGE,
                       "%s:%d: measure \"%s\" comes from datasets \"%s\" and \"%s\"; expected one source (add prefer_over = [\"%s\"] to the dataset that should win)",
                       ri_loc_file(&now->loc), now->loc.line, name, before->id,
                       now->id, before->id);
    }
    if (!ri_panel_add_column(p, name, x->cfg->id, x->n_industries, x->industries ? ind_map : NULL, 0))
        return ri_oom(err);
    *slot = (long)p->n_cols - 1;
    return RI_RC_OK;
}

static int same_layout(const ri_panel *p, const ri_dataset *x, const size_t *area_map,
                       const size_t *period_map)
{
    if (x->n_areas != p->n_areas || x->n_periods != p->n_periods)
        return 0;
    for (size_t a = 0; a < x->n_areas; a++)
        if (area_map[a] != a)
            return 0;
    for (size_t t = 0; t < x->n_periods; t++)
        if (period_map[t] != t)
            return 0;
    return 1;
}

static ri_rc copy_measures(ri_panel *p, ri_dataset **ds, size_t n, const joined *j, ri_error *err)
{
    size_t *owner = NULL;
    ri_rc rc = RI_RC_OK;

    for (size_t d = 0; d < n && !rc; d++) {
        ri_dataset *x = ds[d];
        size_t *area_map = malloc(x->n_areas * sizeof *area_map);
        size_t *period_map = malloc(x->n_periods * sizeof *period_map);
        size_t *ind_map = malloc(x->n_industries * sizeof *ind_map);
        if (!area_map || !period_map || !ind_map)
            rc = ri_oom(err);
        for (size_t a = 0; !rc && a < x->n_areas; a++) {
            const char *code = ri_strtab_get(x->areas, a);
            area_map[a] = (size_t)ri_strtab_find(j->areas, code, strlen(code));
        }
        for (size_t i = 0; !rc && i < x->n_periods; i++)
            period_map[i] = ri_panel_period(p, ri_strtab_get(x->periods, i));
        /* The panel's industries are j->industries in its order, so the table answers. */
        for (size_t i = 0; !rc && i < x->n_industries; i++) {
            const char *name = x->industries ? ri_strtab_get(x->industries, i) : NULL;
            ind_map[i] = name ? (size_t)ri_strtab_find(j->industries, name, strlen(name)) : 0;
        }
        for (size_t m = 0; !rc && m < x->n_measures; m++) {
            long slot;
            size_t ni = x->n_industries;
            size_t cells = p->n_areas * p->n_periods * ni;
            if ((rc = place_column(p, ds, owner, d, x->measure_names[m], ind_map, &slot, err)) || slot < 0)
                continue;
            size_t *o = realloc(owner, p->n_cols * sizeof *o);
            if (!o) {
                rc = ri_oom(err);
                break;
            }
            owner = o;
            owner[slot] = d;
            ri_column *col = &p->cols[slot];
            free(col->dataset);
            if (!(col->dataset = strdup(x->cfg->id))) {
                rc = ri_oom(err);
                break;
            }
            col->additive = x->additive[m];
            memset(col->present, 0, p->n_areas);
            for (size_t a = 0; a < x->n_areas; a++)
                col->present[area_map[a]] = 1;
            /* A dataset laid out exactly like the panel hands its cube over instead of copying it. */
            if (same_layout(p, x, area_map, period_map)) {
                free(col->v);
                col->v = x->values[m];
                x->values[m] = NULL;
                continue;
            }
            for (size_t c = 0; c < cells; c++)
                col->v[c] = NAN;
            for (size_t a = 0; a < x->n_areas; a++)
                for (size_t t = 0; t < x->n_periods; t++)
                    for (size_t i = 0; i < x->n_industries; i++)
                        col->v[(area_map[a] * p->n_periods + period_map[t]) * ni + i] =
                            x->values[m][RI_CELL(x, a, t, i)];
        }
        free(area_map);
        free(period_map);
        free(ind_map);
    }
    free(owner);
    return rc;
}

static ri_rc record_info(ri_panel *p, ri_dataset **ds, size_t n, ri_error *err)
{
    p->datasets = calloc(n, sizeof *p->datasets);
    if (!p->datasets)
        return ri_oom(err);
    p->n_datasets = n;
    for (size_t d = 0; d < n; d++) {
        ri_dataset_info *info = &p->datasets[d];
        info->id = strdup(ds[d]->cfg->id);
        info->path = strdup(ds[d]->cfg->path);
        info->rows_read = ds[d]->rows_read;
        info->rows_kept = ds[d]->rows_kept;
        info->cells_read = ds[d]->cells_read;
        info->missing = 0;
        for (size_t k = 0; k < ds[d]->n_markers; k++)
            info->missing += ds[d]->missing_by_marker[k];
        info->n_areas = ds[d]->n_areas;
        info->n_periods = ds[d]->n_periods;
        info->first_period = strdup(ri_strtab_get(ds[d]->periods, 0));
        info->last_period = strdup(ri_strtab_get(ds[d]->periods, ds[d]->n_periods - 1));
        if (!info->id || !info->path || !info->first_period || !info->last_period)
            return ri_oom(err);
    }
    return RI_RC_OK;
}

/* Resolves names for derive.c and remembers which columns an expression used. */
typedef struct derive_ctx {
    const ri_panel *p;
    unsigned char *used; /* [n_cols] */
    double **totals;     /* sums over industries made for total(x), freed after the expression */
    size_t n_totals;
} derive_ctx;

/* total(x): x summed over industries for each area and period; NaN when any industry is missing. */
static const double *industry_total(derive_ctx *ctx, const ri_column *c)
{
    const ri_panel *p = ctx->p;
    size_t ni = c->n_ind, cells = p->n_areas * p->n_periods;
    double *sum = malloc((cells ? cells : 1) * sizeof *sum), **grown;
    if (!sum)
        return NULL;
    if (!(grown = realloc(ctx->totals, (ctx->n_totals + 1) * sizeof *grown))) {
        free(sum);
        return NULL;
    }
    ctx->totals = grown;
    ctx->totals[ctx->n_totals++] = sum;
    for (size_t k = 0; k < cells; k++) {
        double s = 0.0;
        for (size_t i = 0; i < ni; i++)
            s += c->v[k * ni + i];
        sum[k] = s;
    }
    return sum;
}

static const double *lookup_measure(void *user, const char *name)
{
    derive_ctx *ctx = user;
    size_t len = strlen(name);
    int total = strncmp(name, "total(", 6) == 0 && len > 7;
    for (size_t c = 0; c < ctx->p->n_cols; c++) {
        const ri_column *col = &ctx->p->cols[c];
        if (total && col->by_industry && strlen(col->name) == len - 7 &&
            strncmp(col->name, name + 6, len - 7) == 0) {
            ctx->used[c] = 1;
            return industry_total(ctx, col);
        }
        if (!total && !col->by_industry && strcmp(col->name, name) == 0) {
            ctx->used[c] = 1;
            return col->v;
        }
    }
    return NULL;
}

static void derive_ctx_free(derive_ctx *ctx)
{
    for (size_t k = 0; k < ctx->n_totals; k++)
        free(ctx->totals[k]);
    free(ctx->totals);
    free(ctx->used);
}

/*
 * A product or quotient beyond the double range (1e200 * 1e200) is not a
 * number the data can support: NaN, the missing value, with one warning
 * per derived measure, as for a plugin's infinite result.
 */
static int drop_overflow(ri_panel *p, const ri_derived_cfg *d, ri_column *c)
{
    size_t n = 0, first = 0, cells = p->n_areas * p->n_periods;
    char text[1024];

    for (size_t k = 0; k < cells; k++)
        if (isinf(c->v[k])) {
            if (n++ == 0)
                first = k;
            c->v[k] = NAN;
        }
    if (!n)
        return 0;
    snprintf(text, sizeof text,
             "%s:%d: derived measure %s: %zu value%s beyond the range of a double written as NaN, first for area %s, period %s; "
             "expected operands whose product or quotient stays below 1.8e308",
             ri_loc_file(&d->loc), d->loc.line, d->name, n, n == 1 ? "" : "s", p->area_codes[first / p->n_periods],
             p->periods[first % p->n_periods]);
    return ri_panel_warn(p, "%s", text);
}

/* The job's derived measures, in order, so one may use another defined before it. */
static ri_rc derive(ri_panel *p, const ri_job *job, ri_error *err)
{
    for (size_t k = 0; k < job->n_derived; k++) {
        const ri_derived_cfg *d = &job->derived[k];
        ri_column *c;
        ri_rc rc;
        if (ri_panel_column(p, d->name))
            return ri_fail(err, RI_RC_USAGE, "%s:%d: derived measure \"%s\" has the name of a dataset measure; expected a new name",
                           ri_loc_file(&d->loc), d->loc.line, d->name);
        derive_ctx ctx = {p, calloc(p->n_cols + 1, 1), NULL, 0};
        if (!ctx.used || !(c = ri_panel_add_column(p, d->name, "derived", 1, NULL, d->additive))) {
            derive_ctx_free(&ctx);
            return ri_oom(err);
        }
        rc = ri_derive_eval(d->expr, lookup_measure, &ctx, p->n_areas * p->n_periods, c->v, err);
        if (rc) {
            derive_ctx_free(&ctx);
            return ri_error_prefix(err, "%s:%d: derived measure \"%s\": ", ri_loc_file(&d->loc),
                                   d->loc.line, d->name);
        }
        if (drop_overflow(p, d, c) != 0) {
            derive_ctx_free(&ctx);
            return ri_oom(err);
        }
        /* An area is in a derived measure's data only when it is in the data of every operand. */
        for (size_t a = 0; a < p->n_areas; a++)
            c->present[a] = 1;
        for (size_t ci = 0; ci + 1 < p->n_cols; ci++)
            if (ctx.used[ci])
                for (size_t a = 0; a < p->n_areas; a++)
                    c->present[a] &= p->cols[ci].present[a];
        derive_ctx_free(&ctx);
    }
    return RI_RC_OK;
}

const ri_overlap *ri_panel_overlap(const ri_panel *p, const char *type)
{
    for (size_t k = 0; k < p->n_overlaps; k++)
        if (strcmp(p->overlaps[k].type, type) == 0)
            return &p->overlaps[k];
    return NULL;
}

int ri_panel_warn(ri_panel *p, const char *fmt, ...)
{
    va_list ap;
    char *msg, **grown = realloc(p->warnings, (p->n_warnings + 1) * sizeof *grown);
    int len;

    if (!grown)
        return -1;
    p->warnings = grown;
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || !(msg = malloc((size_t)len + 1)))
        return -1;
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    va_end(ap);
    p->warnings[p->n_warnings++] = msg;
    return 0;
}

/*
 * The joined panel is dense over the union of every dataset's areas and
 * periods, so datasets that share little (3 areas x 3,000 periods beside
 * 30,000 areas x 1 period) multiply out: 0.5 MB of input once asked for
 * 1.4 GB. Its size is known once the keys are joined, before any column is
 * allocated, lookup parents and aggregates counted as areas.
 */
#define RI_PANEL_SPARSE_FACTOR 64
#define RI_PANEL_MIN_LIMIT ((unsigned long long)1 << 24)

static ri_rc guard_size(const ri_panel *p, ri_dataset **ds, size_t n, const ri_job *job,
                        ri_lookup **lookups, const joined *j, ri_error *err)
{
    ri_strtab *parents = ri_strtab_new(64);
    size_t areas = p->n_areas + job->n_aggregates;
    double per_area = 0, total, read = 0, limit;
    char names[RI_ERROR_MAX / 2] = "", from_lookups[64] = "";
    size_t used = 0, n_parents;

    if (!parents)
        return ri_oom(err);
    /* Lookup parents not in the data become areas of their own. */
    for (size_t l = 0; l < job->n_lookups; l++)
        for (size_t k = 0; k < lookups[l]->n; k++) {
            const char *code = lookups[l]->parent[k];
            if (ri_strtab_find(j->areas, code, strlen(code)) < 0 && ri_strtab_intern(parents, code, strlen(code)) < 0) {
                ri_strtab_free(parents);
                return ri_oom(err);
            }
        }
    n_parents = ri_strtab_count(parents);
    areas += n_parents;
    ri_strtab_free(parents);
    for (size_t d = 0; d < n; d++) {
        per_area += (double)ds[d]->n_measures * (double)p->n_periods * (double)ds[d]->n_industries;
        read += (double)ds[d]->n_measures * (double)ds[d]->n_areas * (double)ds[d]->n_periods *
                (double)ds[d]->n_industries;
    }
    /* The default rule weighs the datasets' own measures against what was read; a set
       limit counts derived measures too, since they take memory like the rest. */
    if (job->max_panel_values)
        per_area += (double)job->n_derived * (double)p->n_periods;
    total = (double)areas * per_area;
    limit = job->max_panel_values ? (double)job->max_panel_values
                                  : fmax((double)RI_PANEL_MIN_LIMIT, RI_PANEL_SPARSE_FACTOR * read);
    if (total <= limit)
        return RI_RC_OK;
    for (size_t d = 0; d < n && used < sizeof names; d++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s\"%s\" (%zu area%s x %zu period%s)",
                                 d ? (d + 1 == n ? " and " : ", ") : "", ds[d]->cfg->id, ds[d]->n_areas,
                                 ds[d]->n_areas == 1 ? "" : "s", ds[d]->n_periods, ds[d]->n_periods == 1 ? "" : "s");
    if (n_parents)
        snprintf(from_lookups, sizeof from_lookups, " (%zu of them lookup parents)", n_parents);
    return ri_fail(err, RI_RC_DATA,
                   "%s: joining datasets %s gives a panel of %zu areas%s x %zu periods%s holding %.0f values, "
                   "more than the limit of %.0f (%s); expected datasets that share their areas and periods "
                   "(join the others in a job of their own, or raise max_panel_values)",
                   job->path, names, areas, from_lookups, p->n_periods, j->any_industry ? " x industries" : "", total, limit,
                   job->max_panel_values ? "max_panel_values" : "64 times the values the datasets hold, at least 2^24; max_panel_values sets it");
}

ri_rc ri_panel_build(const ri_job *job, ri_panel **out, ri_error *err)
{
    ri_panel *p = calloc(1, sizeof *p);
    ri_dataset **ds = calloc(job->n_datasets ? job->n_datasets : 1, sizeof *ds);
    ri_lookup **lookups = calloc(job->n_lookups ? job->n_lookups : 1, sizeof *lookups);
    joined j = {0};
    ri_rc rc = RI_RC_OK;

    *out = NULL;
    if (!p || !ds || !lookups) {
        rc = ri_oom(err);
        goto done;
    }
    for (size_t l = 0; l < job->n_lookups && !rc; l++)
        rc = ri_lookup_load(&job->lookups[l], &lookups[l], err);
    for (size_t d = 0; d < job->n_datasets && !rc; d++)
        rc = ri_dataset_load(&job->datasets[d], job->missing, job->n_missing, &ds[d], err);
    if (!rc)
        rc = join_keys(p, ds, job->n_datasets, &j, err);
    if (!rc)
        rc = guard_size(p, ds, job->n_datasets, job, lookups, &j, err);
    if (!rc)
        rc = copy_measures(p, ds, job->n_datasets, &j, err);
    if (!rc)
        rc = record_info(p, ds, job->n_datasets, err);
    if (!rc)
        rc = derive(p, job, err);
    for (size_t l = 0; l < job->n_lookups && !rc; l++)
        rc = ri_geo_aggregate_lookup(p, lookups[l], err);
    if (!rc)
        rc = ri_geo_add_aggregates(p, job->aggregates, job->n_aggregates, err);
    if (!rc)
        rc = ri_geo_record_parents(p, (const ri_lookup *const *)lookups, job->n_lookups, err);
done:
    for (size_t d = 0; ds && d < job->n_datasets; d++)
        ri_dataset_free(ds[d]);
    for (size_t l = 0; lookups && l < job->n_lookups; l++)
        ri_lookup_free(lookups[l]);
    free(ds);
    free(lookups);
    ri_strtab_free(j.areas);
    ri_strtab_free(j.periods);
    ri_strtab_free(j.industries);
    if (rc) {
        ri_panel_free(p);
        return rc;
    }
    *out = p;
    return RI_RC_OK;
}

void ri_panel_free(ri_panel *p)
{
    if (!p)
        return;
    for (size_t a = 0; a < p->n_areas; a++) {
        free(p->area_codes ? p->area_codes[a] : NULL);
        free(p->area_names ? p->area_names[a] : NULL);
        free(p->area_types ? p->area_types[a] : NULL);
        free(p->parents ? p->parents[a] : NULL);
    }
    free(p->area_codes);
    free(p->area_names);
    free(p->area_types);
    free(p->parents);
    free(p->n_parents);
    for (size_t i = 0; i < p->n_periods; i++)
        free(p->periods ? p->periods[i] : NULL);
    free(p->periods);
    free(p->period_years);
    for (size_t i = 0; p->industries && i < p->n_industries; i++)
        free(p->industries[i]);
    free(p->industries);
    for (size_t c = 0; c < p->n_cols; c++) {
        free(p->cols[c].name);
        free(p->cols[c].dataset);
        free(p->cols[c].v);
        free(p->cols[c].present);
        free(p->cols[c].ind);
    }
    free(p->cols);
    for (size_t d = 0; d < p->n_datasets; d++) {
        free(p->datasets[d].id);
        free(p->datasets[d].path);
        free(p->datasets[d].first_period);
        free(p->datasets[d].last_period);
    }
    free(p->datasets);
    for (size_t k = 0; k < p->n_coverage; k++) {
        ri_coverage *cv = &p->coverage[k];
        free(cv->source);
        free(cv->area);
        free(cv->measure);
        for (size_t i = 0; i < cv->n_left_out; i++)
            free(cv->left_out[i]);
        free(cv->left_out);
        free(cv->share_period);
    }
    free(p->coverage);
    for (size_t k = 0; k < p->n_overlaps; k++) {
        free(p->overlaps[k].type);
        for (size_t i = 0; i < p->overlaps[k].n_shared; i++)
            free(p->overlaps[k].shared[i]);
        free(p->overlaps[k].shared);
    }
    free(p->overlaps);
    for (size_t k = 0; k < p->n_warnings; k++)
        free(p->warnings[k]);
    free(p->warnings);
    ri_strtab_free(p->area_index);
    ri_strtab_free(p->period_index);
    free(p);
}
