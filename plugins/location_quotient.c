/*
 * location_quotient — how concentrated each industry is in an area compared
 * with a benchmark economy, and the industry's share of the area.
 *
 * For area a, industry i and period p:
 *   share_pct = x_ai / X_a * 100
 *   lq        = (x_ai / X_a) / (x_bi / X_b)
 * x is the input by industry and X an area total: the `total` input when it
 * is bound, else the industry row labelled total_industry, else the sum over
 * the industries (unknown when any of them is missing). The benchmark b is
 * the job's benchmark area or, without one, the sum over the compared areas
 * that have a value for every industry in that period. The total row is not
 * an industry: both outputs are NaN on it. Industries without any value in
 * the input are labels of another dataset of the panel: they are ignored.
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { IN_VALUE, IN_TOTAL };
enum { P_TOTAL_INDUSTRY };
enum { OUT_LQ, OUT_SHARE };

#define NONE ((size_t)-1)

static const ri_input_spec inputs[] = {
    { "value", RI_BY_INDUSTRY,
      "an additive measure by industry (GVA, jobs); one level of the industry hierarchy" },
    { "total", RI_OPTIONAL,
      "the area's total over all industries; default: the total_industry row, else the sum "
      "over the industries" },
};

static const ri_param_spec params[] = {
    { "total_industry", RI_PARAM_STRING, "Total", 0, 0, NULL,
      "label of the industry row holding the area total (\"\" when there is none); "
      "it is left out of the outputs" },
};

static const ri_output_spec outputs[] = {
    { "lq", "ratio (benchmark share = 1)", RI_BY_INDUSTRY,
      "the industry's share of the area over its share of the benchmark" },
    { "share_pct", "%", RI_BY_INDUSTRY, "the industry's share of the area total" },
};

typedef struct lq_state {
    const ri_call *call;
    const double *x, *total;
    size_t total_row;
    unsigned char *present; /* [n_industries]: the input has a value somewhere */
} lq_state;

static size_t find_industry(const ri_call *call, const char *label)
{
    for (size_t i = 0; *label && call->industries && i < call->n_industries; i++)
        if (strcmp(call->industries[i], label) == 0)
            return i;
    return NONE;
}

static double area_total(const lq_state *s, size_t a, size_t p)
{
    size_t cell = a * s->call->n_periods + p;
    const double *row = s->x + cell * s->call->n_industries;
    if (s->total)
        return s->total[cell];
    if (s->total_row != NONE)
        return row[s->total_row];
    /* NaN propagates: a sum that misses an industry would understate the total. */
    double sum = 0;
    for (size_t i = 0; i < s->call->n_industries; i++)
        if (s->present[i])
            sum += row[i];
    return sum;
}

static int complete(const lq_state *s, size_t a, size_t p)
{
    const double *row = s->x + (a * s->call->n_periods + p) * s->call->n_industries;
    for (size_t i = 0; i < s->call->n_industries; i++)
        if (s->present[i] && isnan(row[i]))
            return 0;
    return !isnan(area_total(s, a, p));
}

/* bench[n_industries] and *bench_total for period p; returns the group areas left out. */
static size_t benchmark(const lq_state *s, size_t p, double *bench, double *bench_total)
{
    const ri_call *call = s->call;
    size_t n_ind = call->n_industries, left_out = 0;
    if (call->benchmark != RI_NO_AREA) {
        memcpy(bench, s->x + (call->benchmark * call->n_periods + p) * n_ind,
               n_ind * sizeof *bench);
        *bench_total = area_total(s, call->benchmark, p);
        return 0;
    }
    /* Only complete areas, so that the benchmark's industries add up to its total. */
    size_t used = 0;
    *bench_total = 0;
    for (size_t i = 0; i < n_ind; i++)
        bench[i] = 0;
    for (size_t a = 0; a < call->n_areas; a++) {
        if (!call->in_group[a])
            continue;
        if (!complete(s, a, p)) {
            left_out++;
            continue;
        }
        const double *row = s->x + (a * call->n_periods + p) * n_ind;
        for (size_t i = 0; i < n_ind; i++)
            if (s->present[i])
                bench[i] += row[i];
        *bench_total += area_total(s, a, p);
        used++;
    }
    if (used == 0)
        *bench_total = NAN;
    return left_out;
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    lq_state s = { call, call->inputs[IN_VALUE], call->inputs[IN_TOTAL], NONE, NULL };
    size_t n_ind = call->n_industries;
    size_t n_missing = 0, n_zero_total = 0, n_no_benchmark = 0, n_left_out = 0;

    double *bench = malloc(n_ind * sizeof *bench);
    s.present = calloc(n_ind, 1);
    if (!bench || !s.present) {
        free(bench);
        free(s.present);
        return host->error(call->ctx, "location_quotient: out of memory for %zu industries", n_ind);
    }
    size_t n_present = 0;
    /* Row by row, so that no cell needs a division to find its industry. */
    for (size_t row = 0; row < call->n_areas * call->n_periods && n_present < n_ind; row++)
        for (size_t i = 0; i < n_ind; i++)
            if (!s.present[i] && !isnan(s.x[row * n_ind + i])) {
                s.present[i] = 1;
                n_present++;
            }
    s.total_row = find_industry(call, call->params[P_TOTAL_INDUSTRY].s);
    if (s.total_row != NONE && !s.present[s.total_row])
        s.total_row = NONE;
    if (!s.total && s.total_row == NONE && *call->params[P_TOTAL_INDUSTRY].s)
        host->log(call->ctx, RI_LOG_INFO,
                  "location_quotient: no industry with values is labelled total_industry = "
                  "\"%s\"; area totals are sums over the %zu industries",
                  call->params[P_TOTAL_INDUSTRY].s, n_present);

    for (size_t p = 0; p < call->n_periods; p++) {
        double bench_total;
        n_left_out += benchmark(&s, p, bench, &bench_total);
        for (size_t a = 0; a < call->n_areas; a++) {
            size_t cell = a * call->n_periods + p;
            double x_total = area_total(&s, a, p);
            for (size_t i = 0; i < n_ind; i++) {
                double x = s.x[cell * n_ind + i];
                if (i == s.total_row || !s.present[i])
                    continue;
                if (isnan(x) || isnan(x_total)) {
                    n_missing++;
                    continue;
                }
                if (x_total == 0) {
                    n_zero_total++;
                    continue;
                }
                double share = x / x_total;
                double bench_share = bench[i] / bench_total;
                call->outputs[OUT_SHARE][cell * n_ind + i] = share * 100;
                if (!isfinite(bench_share) || bench_share == 0)
                    n_no_benchmark++;
                else
                    call->outputs[OUT_LQ][cell * n_ind + i] = share / bench_share;
            }
        }
    }
    free(bench);
    free(s.present);

    if (n_missing + n_zero_total + n_no_benchmark + n_left_out > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "location_quotient: NaN in %zu cells: %zu with a missing value or area total "
                  "and %zu with an area total of zero (both outputs), %zu with a missing or "
                  "zero benchmark share (lq only); %zu area-periods with a missing value were "
                  "left out of the group benchmark",
                  n_missing + n_zero_total + n_no_benchmark, n_missing, n_zero_total,
                  n_no_benchmark, n_left_out);
    return RI_OK;
}

static const ri_plugin location_quotient = {
    RI_PLUGIN_HEADER,
    "location_quotient", "1.0.0",
    "Location quotients and industry shares of an area against a benchmark economy",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(location_quotient)
