/* engine.c — binding indicators to plugins and computing them (see engine.h). */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "plugin_guard.h"
#include "suggest.h"

unsigned char *ri_engine_select(const ri_job *job, const char *const *only, size_t n_only)
{
    unsigned char *run = calloc(job->n_indicators ? job->n_indicators : 1, 1);
    if (!run)
        return NULL;
    for (size_t k = 0; k < job->n_indicators; k++) {
        run[k] = !only;
        for (size_t i = 0; only && i < n_only; i++)
            run[k] |= strcmp(only[i], job->indicators[k].id) == 0;
    }
    for (size_t k = job->n_indicators; k-- > 0;) {
        const ri_indicator_cfg *ind = &job->indicators[k];
        if (!run[k])
            continue;
        for (size_t b = 0; b < ind->n_inputs; b++) {
            const char *v = ind->inputs[b].value, *dot = strchr(v, '.');
            for (size_t j = 0; dot && j < k; j++)
                if (strlen(job->indicators[j].id) == (size_t)(dot - v) &&
                    strncmp(job->indicators[j].id, v, (size_t)(dot - v)) == 0)
                    run[j] = 1;
        }
    }
    return run;
}

static ri_rc unknown_measure(const ri_panel *p, const ri_binding *b, const ri_indicator_cfg *ind,
                             ri_error *err)
{
    const char **names = malloc((p->n_cols ? p->n_cols : 1) * sizeof *names);
    const char *near;
    if (!names)
        return ri_oom(err);
    for (size_t c = 0; c < p->n_cols; c++)
        names[c] = p->cols[c].name;
    near = ri_suggest(b->value, names, p->n_cols);
    ri_fail(err, RI_RC_USAGE, "%s:%d: indicator \"%s\": input %s = \"%s\" is not a measure of any dataset%s%s%s",
            ri_loc_file(&b->loc), b->loc.line, ind->id, b->name, b->value,
            near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
    free(names);
    return RI_RC_USAGE;
}

/* Columns for every declared input, in declaration order; NULL for unbound optional ones. */
static ri_rc bind_inputs(const ri_panel *p, const ri_plugin *d, const ri_indicator_cfg *ind,
                         const double **cols, const ri_column **bound, ri_error *err)
{
    for (size_t b = 0; b < ind->n_inputs; b++) {
        const ri_binding *bd = &ind->inputs[b];
        size_t k = 0;
        while (k < d->n_inputs && strcmp(d->inputs[k].role, bd->name) != 0)
            k++;
        if (k == d->n_inputs) {
            const char *roles[256], *near;
            for (size_t i = 0; i < d->n_inputs; i++)
                roles[i] = d->inputs[i].role;
            near = ri_suggest(bd->name, roles, d->n_inputs);
            return ri_fail(err, RI_RC_USAGE, "%s:%d: indicator \"%s\": plugin %s has no input \"%s\"%s%s%s; see `regind describe %s`",
                           ri_loc_file(&bd->loc), bd->loc.line, ind->id, d->name, bd->name,
                           near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "", d->name);
        }
    }
    for (size_t k = 0; k < d->n_inputs; k++) {
        const ri_input_spec *in = &d->inputs[k];
        const ri_binding *bd = NULL;
        const ri_column *col;
        for (size_t b = 0; b < ind->n_inputs; b++)
            if (strcmp(ind->inputs[b].name, in->role) == 0)
                bd = &ind->inputs[b];
        cols[k] = NULL;
        bound[k] = NULL;
        if (!bd) {
            if (in->flags & RI_OPTIONAL)
                continue;
            return ri_fail(err, RI_RC_USAGE, "%s:%d: indicator \"%s\": plugin %s needs input \"%s\" (%s); expected inputs = { %s = \"measure\"; }",
                           ri_loc_file(&ind->loc), ind->loc.line, ind->id, d->name, in->role,
                           in->help ? in->help : "", in->role);
        }
        if (!(col = ri_panel_column(p, bd->value)))
            return unknown_measure(p, bd, ind, err);
        if (!col->by_industry != !(in->flags & RI_BY_INDUSTRY))
            return ri_fail(err, RI_RC_USAGE, "%s:%d: indicator \"%s\": input %s = \"%s\" is %sby industry; plugin %s expects a measure %sby industry",
                           ri_loc_file(&bd->loc), bd->loc.line, ind->id, in->role, bd->value,
                           col->by_industry ? "" : "not ", d->name,
                           (in->flags & RI_BY_INDUSTRY) ? "" : "not ");
        cols[k] = col->v;
        bound[k] = col;
    }
    return RI_RC_OK;
}

static ri_rc resolve_benchmark(const ri_panel *p, const ri_indicator_cfg *ind, size_t *bench,
                               ri_error *err)
{
    *bench = RI_NO_AREA;
    if (!ind->benchmark)
        return RI_RC_OK;
    *bench = ri_panel_area(p, ind->benchmark);
    if (*bench == (size_t)-1)
        return ri_fail(err, RI_RC_USAGE, "%s:%d: indicator \"%s\": benchmark area \"%s\" is not in the data; expected an area code from `regind areas` or a geography aggregate",
                       ri_loc_file(&ind->loc), ind->loc.line, ind->id, ind->benchmark);
    return RI_RC_OK;
}

typedef struct prepared {
    const ri_loaded *plugin;
    const double **inputs;
    const ri_column **columns; /* [n_inputs] bound columns, NULL when unbound */
    ri_value *params;
    size_t benchmark;
    unsigned char *in_group;
    const char *group;         /* the compared area type */
} prepared;

static void prepared_free(prepared *pr)
{
    free(pr->inputs);
    free(pr->columns);
    free(pr->params);
    free(pr->in_group);
}

static ri_rc prepare(const ri_job *job, const ri_panel *p, ri_plugin_host *host,
                     const ri_indicator_cfg *ind, prepared *pr, ri_error *err)
{
    const char *group = ind->group_type ? ind->group_type
                        : job->compare.area_type ? job->compare.area_type : "LEP";
    const ri_plugin *d;
    ri_rc rc;

    memset(pr, 0, sizeof *pr);
    if ((rc = ri_host_load(host, ind->plugin, &pr->plugin, err)))
        return ri_error_prefix(err, "%s:%d: indicator \"%s\": ", ri_loc_file(&ind->loc), ind->loc.line, ind->id);
    d = pr->plugin->desc;
    pr->inputs = calloc(d->n_inputs ? d->n_inputs : 1, sizeof *pr->inputs);
    pr->columns = calloc(d->n_inputs ? d->n_inputs : 1, sizeof *pr->columns);
    pr->in_group = calloc(p->n_areas ? p->n_areas : 1, 1);
    if (!pr->inputs || !pr->columns || !pr->in_group)
        return ri_oom(err);
    if ((rc = bind_inputs(p, d, ind, pr->inputs, pr->columns, err)) ||
        (rc = ri_params_bind(d, ind, &pr->params, err)) ||
        (rc = resolve_benchmark(p, ind, &pr->benchmark, err)))
        return rc;
    for (size_t a = 0; a < p->n_areas; a++)
        pr->in_group[a] = strcmp(p->area_types[a], group) == 0;
    pr->group = group;
    return RI_RC_OK;
}

/*
 * The cells an indicator runs on: the areas in the data of every required
 * input, and the periods in which some input has a value. Areas and years
 * outside the data's coverage are "not applicable", not missing, so plugins
 * neither see nor warn about them; a gap inside the coverage stays NaN.
 * Outputs by industry apply only where some input by industry has a value,
 * so breakdowns an area never reported (e.g. another LEP's funding scope)
 * are not written as empty rows.
 */
typedef struct subset {
    size_t n, *area;      /* [n] panel indices */
    const char **codes, **names, **types;
    unsigned char *in_group;
    size_t n_periods, *period; /* [n_periods] panel indices */
    const char **labels;
    double *years;
    size_t n_ind, *ind;   /* panel industries with some value in an input by industry */
    const char **ind_labels;
    long **rev;           /* [n_inputs][panel industry]: the column's own index, -1 if absent */
    double **inputs;      /* compacted copies, or the column itself when borrowed */
    unsigned char *borrowed; /* [n_inputs] 1: inputs[k] is the panel's own column */
    int whole;            /* every area and period of the panel: no copy needed */
    size_t benchmark;
} subset;

static void subset_free(subset *s, size_t n_inputs)
{
    for (size_t k = 0; s->inputs && k < n_inputs; k++)
        if (!s->borrowed || !s->borrowed[k])
            free(s->inputs[k]);
    free(s->borrowed);
    free(s->inputs);
    free(s->area);
    free(s->codes);
    free(s->names);
    free(s->types);
    free(s->in_group);
    free(s->period);
    free(s->labels);
    free(s->years);
    free(s->ind);
    free(s->ind_labels);
    for (size_t k = 0; s->rev && k < n_inputs; k++)
        free(s->rev[k]);
    free(s->rev);
}

static ri_rc make_subset(const ri_panel *p, const ri_indicator_cfg *ind, const prepared *pr,
                         subset *s, ri_error *err)
{
    const ri_plugin *d = pr->plugin->desc;
    size_t n = p->n_areas;

    memset(s, 0, sizeof *s);
    s->benchmark = RI_NO_AREA;
    s->area = malloc((n ? n : 1) * sizeof *s->area);
    s->codes = malloc((n ? n : 1) * sizeof *s->codes);
    s->names = malloc((n ? n : 1) * sizeof *s->names);
    s->types = malloc((n ? n : 1) * sizeof *s->types);
    s->in_group = malloc(n ? n : 1);
    s->inputs = calloc(d->n_inputs ? d->n_inputs : 1, sizeof *s->inputs);
    if (!s->area || !s->codes || !s->names || !s->types || !s->in_group || !s->inputs)
        return ri_oom(err);
    for (size_t a = 0; a < n; a++) {
        int in = 1;
        for (size_t k = 0; k < d->n_inputs && in; k++)
            in = !pr->columns[k] || (d->inputs[k].flags & RI_OPTIONAL) || pr->columns[k]->present[a];
        if (!in)
            continue;
        if (a == pr->benchmark)
            s->benchmark = s->n;
        s->area[s->n] = a;
        s->codes[s->n] = p->area_codes[a];
        s->names[s->n] = p->area_names[a];
        s->types[s->n] = p->area_types[a];
        s->in_group[s->n] = pr->in_group[a];
        s->n++;
    }
    if (pr->benchmark != RI_NO_AREA && s->benchmark == RI_NO_AREA)
        return ri_fail(err, RI_RC_USAGE, "%s:%d: indicator \"%s\": benchmark area %s has no data for every input; expected a benchmark in the inputs' datasets",
                       ri_loc_file(&ind->loc), ind->loc.line, ind->id, ind->benchmark);
    s->period = malloc((p->n_periods ? p->n_periods : 1) * sizeof *s->period);
    s->labels = malloc((p->n_periods ? p->n_periods : 1) * sizeof *s->labels);
    s->years = malloc((p->n_periods ? p->n_periods : 1) * sizeof *s->years);
    if (!s->period || !s->labels || !s->years)
        return ri_oom(err);
    for (size_t t = 0; t < p->n_periods; t++) {
        int any = 0;
        for (size_t k = 0; k < d->n_inputs && !any; k++) {
            const ri_column *c = pr->columns[k];
            size_t width = c && c->by_industry ? c->n_ind : 1, stride;
            if (!c)
                continue;
            stride = ri_column_stride(p, c);
            for (size_t i = 0; i < s->n && !any; i++)
                for (size_t j = 0; j < width && !any; j++)
                    any = !isnan(c->v[s->area[i] * stride + t * width + j]);
        }
        if (!any)
            continue;
        s->period[s->n_periods] = t;
        s->labels[s->n_periods] = p->periods[t];
        s->years[s->n_periods] = p->period_years[t];
        s->n_periods++;
    }
    /* Industries: only those some input by industry reports, since datasets share one industry list. */
    size_t pn = p->n_industries;
    int any_by_industry = 0;
    s->ind = malloc(pn * sizeof *s->ind);
    s->ind_labels = malloc(pn * sizeof *s->ind_labels);
    s->rev = calloc(d->n_inputs ? d->n_inputs : 1, sizeof *s->rev);
    if (!s->ind || !s->ind_labels || !s->rev)
        return ri_oom(err);
    for (size_t k = 0; k < d->n_inputs; k++) {
        const ri_column *c = pr->columns[k];
        if (!c || !c->by_industry)
            continue;
        any_by_industry = 1;
        if (!(s->rev[k] = malloc(pn * sizeof *s->rev[k])))
            return ri_oom(err);
        for (size_t w = 0; w < pn; w++)
            s->rev[k][w] = -1;
        for (size_t l = 0; l < c->n_ind; l++)
            s->rev[k][c->ind[l]] = (long)l;
    }
    for (size_t w = 0; w < pn; w++) {
        int any = !any_by_industry;
        for (size_t k = 0; k < d->n_inputs && !any; k++) {
            const ri_column *c = pr->columns[k];
            long l = s->rev[k] ? s->rev[k][w] : -1;
            if (l < 0)
                continue;
            for (size_t i = 0; i < s->n && !any; i++)
                for (size_t j = 0; j < s->n_periods && !any; j++)
                    any = !isnan(c->v[(s->area[i] * p->n_periods + s->period[j]) * c->n_ind + (size_t)l]);
        }
        if (!any)
            continue;
        s->ind[s->n_ind] = w;
        s->ind_labels[s->n_ind] = p->industries ? p->industries[w] : NULL;
        s->n_ind++;
    }
    if (s->n_ind == 0) {
        s->n_ind = 1;
        s->ind[0] = 0;
        s->ind_labels[0] = p->industries ? p->industries[0] : NULL;
    }
    /* Areas and periods are chosen in panel order, so all of them means the panel's own layout. */
    s->whole = s->n == p->n_areas && s->n_periods == p->n_periods;
    if (!(s->borrowed = calloc(d->n_inputs ? d->n_inputs : 1, 1)))
        return ri_oom(err);
    for (size_t k = 0; k < d->n_inputs; k++) {
        const ri_column *c = pr->columns[k];
        size_t width, cells;
        int same = s->whole;
        if (!c)
            continue;
        width = c->by_industry ? s->n_ind : 1;
        for (size_t w = 0; same && c->by_industry && w < width; w++)
            same = c->n_ind == width && s->rev[k][s->ind[w]] == (long)w;
        if (same) {
            s->inputs[k] = c->v;
            s->borrowed[k] = 1;
            continue;
        }
        cells = s->n * s->n_periods * width;
        if (!(s->inputs[k] = malloc((cells ? cells : 1) * sizeof(double))))
            return ri_oom(err);
        for (size_t i = 0; i < s->n; i++)
            for (size_t j = 0; j < s->n_periods; j++) {
                size_t src = s->area[i] * p->n_periods + s->period[j];
                double *dst = s->inputs[k] + (i * s->n_periods + j) * width;
                if (!c->by_industry)
                    *dst = c->v[src];
                else
                    for (size_t w = 0; w < width; w++) {
                        long l = s->rev[k][s->ind[w]];
                        dst[w] = l < 0 ? NAN : c->v[src * c->n_ind + (size_t)l];
                    }
            }
    }
    return RI_RC_OK;
}

/* A warning of the engine's own: counted and kept with the results (manifests, workbooks and
   reports list every warning in full), then logged. */
static ri_rc engine_warning(const ri_engine_opts *opts, ri_results *res, const char *line, ri_error *err)
{
    res->warnings++;
    if (ri_results_add_warning(res, line) != 0)
        return ri_oom(err);
    if (opts->sink)
        opts->sink(opts->sink_user, RI_LOG_WARNING, line);
    return RI_RC_OK;
}

/* Whether area a has a value of every required input in period t (any industry of one by industry). */
static int has_inputs(const ri_panel *p, const prepared *pr, size_t a, size_t t)
{
    const ri_plugin *d = pr->plugin->desc;
    for (size_t k = 0; k < d->n_inputs; k++) {
        const ri_column *c = pr->columns[k];
        const double *cell;
        int any = 0;
        if (!c || (d->inputs[k].flags & RI_OPTIONAL))
            continue;
        cell = c->v + (a * p->n_periods + t) * c->n_ind;
        for (size_t i = 0; i < c->n_ind && !any; i++)
            any = !isnan(cell[i]);
        if (!any)
            return 0;
    }
    return 1;
}

/* Whether the plugin writes statistics of the group (outputs on the benchmark row only), whose
   meaning depends on which areas the group holds. */
static int group_statistics(const prepared *pr)
{
    const ri_plugin *d = pr->plugin->desc;
    for (size_t o = 0; o < d->n_outputs; o++)
        if (d->outputs[o].flags & RI_BENCHMARK_ROW)
            return 1;
    return 0;
}

/* "1998-2011" or "2023": the labels of subset periods j0..j1. */
static void span(const subset *s, size_t j0, size_t j1, char *buf, size_t size)
{
    if (j0 == j1)
        snprintf(buf, size, "%s", s->labels[j0]);
    else
        snprintf(buf, size, "%s-%s", s->labels[j0], s->labels[j1]);
}

/*
 * Statistics across areas (convergence, inequality, distributions) compare
 * populations: when the group's areas with data differ between periods, a
 * change in sigma or Gini may only be a change of sample. sample =
 * "balanced" keeps the group areas with data in every period of the
 * indicator's range; otherwise, for plugins with statistics of the group
 * (outputs on the benchmark row), one warning says how the group changes.
 */
static ri_rc check_sample(const ri_panel *p, const ri_indicator_cfg *ind, const prepared *pr, subset *s,
                          const ri_engine_opts *opts, ri_results *res, ri_error *err)
{
    size_t *count, n_group = 0, n_kept = 0;
    size_t first = (size_t)-1, last = 0;
    unsigned char *whole;
    char msg[1024], part[96];
    size_t len = 0;

    /* Nothing to keep out and nothing to warn about: no pass over the inputs. */
    if (ind->sample != RI_SAMPLE_BALANCED && !group_statistics(pr))
        return RI_RC_OK;
    count = calloc(s->n_periods ? s->n_periods : 1, sizeof *count);
    whole = calloc(s->n ? s->n : 1, 1);
    if (!count || !whole) {
        free(count);
        free(whole);
        return ri_oom(err);
    }
    for (size_t i = 0; i < s->n; i++) {
        if (!s->in_group[i] || i == s->benchmark)
            continue;
        n_group++;
        for (size_t j = 0; j < s->n_periods; j++)
            count[j] += has_inputs(p, pr, s->area[i], s->period[j]);
    }
    for (size_t j = 0; j < s->n_periods; j++)
        if (count[j]) {
            first = first == (size_t)-1 ? j : first;
            last = j;
        }
    for (size_t i = 0; i < s->n && first != (size_t)-1; i++) {
        if (!s->in_group[i] || i == s->benchmark)
            continue;
        whole[i] = 1;
        for (size_t j = first; j <= last && whole[i]; j++)
            whole[i] = has_inputs(p, pr, s->area[i], s->period[j]);
        n_kept += whole[i];
    }
    if (first == (size_t)-1 || n_kept == n_group) {
        free(count);
        free(whole);
        return RI_RC_OK;
    }
    if (ind->sample == RI_SAMPLE_BALANCED) {
        for (size_t i = 0; i < s->n; i++)
            if (s->in_group[i] && i != s->benchmark && !whole[i])
                s->in_group[i] = 0;
        span(s, first, last, part, sizeof part);
        snprintf(msg, sizeof msg,
                 "indicator %s (plugin %s): sample = \"balanced\": %zu of the %zu %s areas have data in every period %s; the other %zu are left out of the group",
                 ind->id, ind->plugin, n_kept, n_group, pr->group, part, n_group - n_kept);
        if (opts->sink)
            opts->sink(opts->sink_user, RI_LOG_INFO, msg);
        free(count);
        free(whole);
        return RI_RC_OK;
    }
    len = (size_t)snprintf(msg, sizeof msg, "indicator %s (plugin %s): the %s areas with data change between periods:",
                           ind->id, ind->plugin, pr->group);
    for (size_t j = first; j <= last && len < sizeof msg;) {
        size_t k = j;
        while (k + 1 <= last && count[k + 1] == count[j])
            k++;
        span(s, j, k, part, sizeof part);
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %zu in %s", j == first ? "" : ",", count[j], part);
        j = k + 1;
    }
    if (len < sizeof msg)
        snprintf(msg + len, sizeof msg - len,
                 "; statistics across them compare different sets of areas (sample = \"balanced\" keeps the %zu with data in every period)",
                 n_kept);
    free(count);
    free(whole);
    return engine_warning(opts, res, msg, err);
}

/* Set the applies flags of every subset row (area and period; width cells each) to value,
   except the subset area `except` (RI_NO_AREA: none). */
static void set_rows(const ri_panel *p, const subset *s, size_t width, unsigned char *applies, int value,
                     size_t except)
{
    for (size_t i = 0; i < s->n; i++)
        for (size_t j = 0; j < s->n_periods && i != except; j++)
            memset(applies + (s->area[i] * p->n_periods + s->period[j]) * width, value, width);
}

/*
 * Where an output by industry applies: the subset's cells (area, period,
 * industry) in which some bound input by industry has a value; every subset
 * cell when no input is by industry. applies has the output's layout
 * (width = the subset's industries) and starts all 0. Input by input, so
 * each input's cells are read in order.
 */
static ri_rc industry_mask(const ri_panel *p, const prepared *pr, const subset *s, size_t width,
                           unsigned char *applies, ri_error *err)
{
    const ri_plugin *d = pr->plugin->desc;
    long *map = malloc((width ? width : 1) * sizeof *map);
    int any_by_industry = 0;

    if (!map)
        return ri_oom(err);
    for (size_t k = 0; k < d->n_inputs; k++) {
        const ri_column *c = pr->columns[k];
        if (!c || !c->by_industry)
            continue;
        any_by_industry = 1;
        for (size_t w = 0; w < width; w++)
            map[w] = s->rev[k][s->ind[w]];
        for (size_t i = 0; i < s->n; i++)
            for (size_t j = 0; j < s->n_periods; j++) {
                size_t cell = s->area[i] * p->n_periods + s->period[j];
                const double *v = c->v + cell * c->n_ind;
                unsigned char *dst = applies + cell * width;
                for (size_t w = 0; w < width; w++)
                    if (map[w] >= 0 && !isnan(v[map[w]]))
                        dst[w] = 1;
            }
    }
    free(map);
    if (!any_by_industry)
        set_rows(p, s, width, applies, 1, RI_NO_AREA);
    return RI_RC_OK;
}

/* The infinite values of one indicator's outputs: how many, and the first for the warning. */
typedef struct infinite {
    size_t n;
    const ri_result_col *col;
    size_t area, period, industry;
} infinite;

/*
 * A plugin's infinite value (an input cell near the double range, say
 * 1e303 GBP million times 1e6) becomes NaN, the missing value, like every
 * other value that cannot be computed: the same in compare and run, and
 * never a number written as "inf".
 */
static void drop_infinite(const ri_panel *p, ri_result_col *col, infinite *inf)
{
    size_t w = col->n_ind, cells = p->n_areas * p->n_periods * w;
    for (size_t k = 0; k < cells; k++) {
        if (!isinf(col->v[k]))
            continue;
        col->v[k] = NAN;
        if (inf->n++ == 0) {
            inf->col = col;
            inf->area = k / w / p->n_periods;
            inf->period = k / w % p->n_periods;
            inf->industry = col->by_industry ? col->ind[k % w] : RI_NO_INDUSTRY;
        }
    }
}

static void warn_infinite(const ri_context *ctx, const ri_panel *p, const infinite *inf, ri_results *res)
{
    char line[1024];
    res->warnings++;
    if (!ctx->sink)
        return;
    snprintf(line, sizeof line,
             "indicator %s (plugin %s): %zu infinite value%s written as NaN, first output %s for area %s, period %s%s%s; "
             "expected inputs within the range of a double (look for a cell far out of scale)",
             ctx->indicator, ctx->plugin, inf->n, inf->n == 1 ? "" : "s", inf->col->output,
             p->area_codes[inf->area], p->periods[inf->period],
             inf->industry == RI_NO_INDUSTRY ? "" : ", industry ",
             inf->industry == RI_NO_INDUSTRY ? "" : p->industries[inf->industry]);
    ctx->sink(ctx->sink_user, RI_LOG_WARNING, line);
}

/* Plugin log lines pass through here: warnings are kept with the results,
   whose workbooks list them in full, and every line goes on to the caller. */
typedef struct kept_log {
    ri_results *res;
    const ri_engine_opts *opts;
    int oom;
} kept_log;

static void keep_line(void *user, ri_log_level level, const char *line)
{
    kept_log *k = user;
    if (level == RI_LOG_WARNING && ri_results_add_warning(k->res, line) != 0)
        k->oom = 1;
    if (k->opts->sink)
        k->opts->sink(k->opts->sink_user, level, line);
}

static ri_rc compute(const ri_panel *p, const ri_indicator_cfg *ind, const prepared *pr,
                     const ri_engine_opts *opts, ri_results *res, ri_error *err)
{
    infinite inf = {0, NULL, 0, 0, 0};
    kept_log kept = {res, opts, 0};
    const ri_plugin *d = pr->plugin->desc;
    size_t first = res->n_cols;
    double **outs = calloc(d->n_outputs, sizeof *outs);
    char **units = calloc(d->n_outputs, sizeof *units);
    ri_context ctx;
    ri_call call;
    subset sub;
    ri_rc rc;

    if (!outs || !units) {
        free(outs);
        free(units);
        return ri_oom(err);
    }
    if ((rc = make_subset(p, ind, pr, &sub, err)) || (rc = check_sample(p, ind, pr, &sub, opts, res, err)))
        goto done;
    for (size_t o = 0; o < d->n_outputs; o++) {
        int by_ind = (d->outputs[o].flags & RI_BY_INDUSTRY) != 0;
        size_t stride = sub.n_periods * (by_ind ? sub.n_ind : 1);
        ri_result_col *col = ri_results_add(res, ind->id, d->outputs[o].name, d->outputs[o].unit,
                                            sub.n_ind, by_ind ? sub.ind : NULL);
        if (!col || (d->outputs[o].help && !(col->help = strdup(d->outputs[o].help)))) {
            rc = ri_oom(err);
            goto done;
        }
        /* With the whole panel, the plugin writes straight into the (NaN-filled) result. */
        if (sub.whole) {
            outs[o] = col->v;
            continue;
        }
        if (!(outs[o] = malloc((sub.n ? sub.n : 1) * stride * sizeof(double)))) {
            rc = ri_oom(err);
            goto done;
        }
        for (size_t k = 0; k < sub.n * stride; k++)
            outs[o][k] = NAN;
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.indicator = ind->id;
    ctx.plugin = d->name;
    ctx.sink = keep_line;
    ctx.sink_user = &kept;
    ctx.units = units;
    ctx.n_outputs = d->n_outputs;

    memset(&call, 0, sizeof call);
    call.size = sizeof call;
    call.ctx = &ctx;
    call.n_areas = sub.n;
    call.n_periods = sub.n_periods;
    call.n_industries = sub.n_ind;
    call.area_codes = sub.codes;
    call.area_names = sub.names;
    call.area_types = sub.types;
    call.periods = sub.labels;
    call.period_years = sub.years;
    call.industries = p->industries ? sub.ind_labels : NULL;
    call.benchmark = sub.benchmark;
    call.in_group = sub.in_group;
    call.inputs = (const double *const *)sub.inputs;
    call.params = pr->params;
    call.outputs = outs;

    if (ri_plugin_compute(d, &call) != RI_OK || ctx.failed) {
        rc = ri_fail(err, RI_RC_DATA, "indicator \"%s\" (plugin %s %s): %s", ind->id, d->name,
                     d->version, ctx.failed ? ctx.message : "compute failed without a message");
        goto done;
    }
    if (kept.oom) {
        rc = ri_oom(err);
        goto done;
    }
    res->warnings += ctx.warnings;
    for (size_t o = 0; o < d->n_outputs; o++) {
        ri_result_col *col = &res->cols[first + o];
        size_t width = col->n_ind, cells = p->n_areas * p->n_periods * width;
        /* Outputs of one kind (by industry or not, benchmark row only or not) apply to the same
           cells: the first one's mask is copied. */
        unsigned kind = d->outputs[o].flags & (RI_BY_INDUSTRY | RI_BENCHMARK_ROW);
        const ri_result_col *same = NULL;
        for (size_t q = 0; q < o && !same; q++)
            if ((d->outputs[q].flags & (RI_BY_INDUSTRY | RI_BENCHMARK_ROW)) == kind)
                same = &res->cols[first + q];
        if (!(col->applies = same ? malloc(cells ? cells : 1) : calloc(cells ? cells : 1, 1))) {
            rc = ri_oom(err);
            goto done;
        }
        if (same) {
            memcpy(col->applies, same->applies, cells);
        } else {
            if (!col->by_industry)
                set_rows(p, &sub, width, col->applies, 1, RI_NO_AREA);
            else if ((rc = industry_mask(p, pr, &sub, width, col->applies, err)))
                goto done;
            if (kind & RI_BENCHMARK_ROW)
                set_rows(p, &sub, width, col->applies, 0, sub.benchmark);
        }
        for (size_t i = 0; i < sub.n && !sub.whole; i++)
            for (size_t j = 0; j < sub.n_periods; j++)
                for (size_t w = 0; w < width; w++)
                    col->v[(sub.area[i] * p->n_periods + sub.period[j]) * width + w] =
                        outs[o][(i * sub.n_periods + j) * width + w];
        if (units[o]) {
            free(col->unit);
            col->unit = units[o];
            units[o] = NULL;
        }
        drop_infinite(p, col, &inf);
    }
    if (inf.n)
        warn_infinite(&ctx, p, &inf, res);
done:
    for (size_t o = 0; o < d->n_outputs; o++) {
        free(units[o]);
        if (!sub.whole)
            free(outs[o]);
    }
    free(units);
    free(outs);
    subset_free(&sub, d->n_inputs);
    return rc;
}

/*
 * Offer an indicator's outputs to later indicators as panel measures. When
 * only checking, nothing was computed: the columns exist (all NaN) so that
 * later bindings can be validated.
 */
static ri_rc publish_outputs(ri_panel *p, const ri_indicator_cfg *ind, const prepared *pr,
                             const ri_results *res, size_t first, ri_error *err)
{
    const ri_plugin *d = pr->plugin->desc;
    for (size_t o = 0; o < d->n_outputs; o++) {
        char name[256];
        const ri_result_col *rc = res->n_cols > first + o ? &res->cols[first + o] : NULL;
        int by_ind = (d->outputs[o].flags & RI_BY_INDUSTRY) != 0;
        size_t n_ind = rc ? rc->n_ind : p->n_industries, *all = NULL;
        const size_t *set = rc ? rc->ind : NULL;
        ri_column *c;
        snprintf(name, sizeof name, "%s.%s", ind->id, d->outputs[o].name);
        if (ri_panel_column(p, name))
            return ri_fail(err, RI_RC_USAGE, "%s:%d: indicator \"%s\": its output %s clashes with a measure of that name; expected unique names",
                           ri_loc_file(&ind->loc), ind->loc.line, ind->id, name);
        /* Nothing was computed when only checking: the column gets every industry. */
        if (by_ind && !set) {
            if (!(all = malloc((n_ind ? n_ind : 1) * sizeof *all)))
                return ri_oom(err);
            for (size_t w = 0; w < n_ind; w++)
                all[w] = w;
            set = all;
        }
        c = ri_panel_add_column(p, name, ind->id, n_ind, by_ind ? set : NULL, 0);
        free(all);
        if (!c)
            return ri_oom(err);
        size_t stride = ri_column_stride(p, c);
        if (!rc) {
            for (size_t k = 0; k < p->n_areas * stride; k++)
                c->v[k] = NAN;
            continue;
        }
        memcpy(c->v, rc->v, p->n_areas * stride * sizeof(double));
        for (size_t a = 0; a < p->n_areas; a++)
            for (size_t k = 0; k < stride && !c->present[a]; k++)
                c->present[a] = !rc->applies || rc->applies[a * stride + k];
    }
    return RI_RC_OK;
}

/* Whether an indicator after k takes one of k's outputs as input (copies cost memory on big panels). */
static int used_later(const ri_job *job, size_t k)
{
    size_t len = strlen(job->indicators[k].id);
    for (size_t j = k + 1; j < job->n_indicators; j++)
        for (size_t b = 0; b < job->indicators[j].n_inputs; b++) {
            const char *v = job->indicators[j].inputs[b].value;
            if (strncmp(v, job->indicators[k].id, len) == 0 && v[len] == '.')
                return 1;
        }
    return 0;
}

/* An id that names no indicator: the nearest ids, or all of them when none is near. */
static ri_rc unknown_indicator(const ri_job *job, const char *id, ri_error *err)
{
    const char **ids = malloc((job->n_indicators + 1) * sizeof *ids);
    char list[1024] = "";
    size_t len = 0;
    if (!ids)
        return ri_oom(err);
    for (size_t k = 0; k < job->n_indicators; k++)
        ids[k] = job->indicators[k].id;
    const char *near = ri_suggest(id, ids, job->n_indicators);
    for (size_t k = 0; k < job->n_indicators && len < sizeof list; k++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", ids[k]);
    free(ids);
    if (near)
        return ri_fail(err, RI_RC_USAGE, "%s: no indicator \"%s\" in the job; did you mean \"%s\"? (the job has %s)",
                       job->path, id, near, list);
    return ri_fail(err, RI_RC_USAGE, "%s: no indicator \"%s\" in the job; expected one of %s",
                   job->path, id, job->n_indicators ? list : "(none)");
}

ri_rc ri_engine_run(const ri_job *job, ri_panel *panel, ri_plugin_host *host,
                    const ri_engine_opts *opts, ri_results **out, ri_error *err)
{
    ri_results *res = ri_results_new(panel);
    ri_rc rc = RI_RC_OK;

    *out = NULL;
    if (!res)
        return ri_oom(err);
    if (job->breakdown)
        res->breakdown = job->breakdown;
    /* Logged here, where every command that computes or checks passes. */
    for (size_t i = 0; i < panel->n_warnings && !rc; i++)
        rc = engine_warning(opts, res, panel->warnings[i], err);
    for (size_t i = 0; i < opts->n_only; i++) {
        size_t k = 0;
        while (k < job->n_indicators && strcmp(job->indicators[k].id, opts->only[i]) != 0)
            k++;
        if (k == job->n_indicators) {
            rc = unknown_indicator(job, opts->only[i], err);
            break;
        }
    }
    unsigned char *run = rc ? NULL : ri_engine_select(job, opts->only, opts->n_only);
    if (!rc && !run)
        rc = ri_oom(err);
    for (size_t k = 0; k < job->n_indicators && !rc; k++) {
        const ri_indicator_cfg *ind = &job->indicators[k];
        prepared pr;
        if (!run[k])
            continue;
        size_t first = res->n_cols;
        rc = prepare(job, panel, host, ind, &pr, err);
        if (!rc && !opts->check_only)
            rc = compute(panel, ind, &pr, opts, res, err);
        if (!rc && used_later(job, k))
            rc = publish_outputs(panel, ind, &pr, res, first, err);
        prepared_free(&pr);
    }
    free(run);
    if (rc) {
        ri_results_free(res);
        return rc;
    }
    *out = res;
    return RI_RC_OK;
}
