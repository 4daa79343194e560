/*
 * distribution — where each area stands among the compared areas, period by
 * period: its rank and percentile, and the deciles of the group.
 *
 * Typical use is on another indicator's output, e.g. the deciles of a
 * productivity index across all areas:  inputs = { value = "prod.index_per_hour"; }.
 * The deciles describe the whole group, so they are written on the row of
 * the job's benchmark area only (RI_BENCHMARK_ROW: outputs list no empty
 * decile for every other area); every other row gets its own rank and
 * percentile.
 */
#include <math.h>
#include <stdlib.h>

#include <regind/plugin.h>

static const ri_input_spec inputs[] = {
    {"value", 0, "the values to rank, by area and period (any unit)"},
};

static const ri_param_spec params[] = {
    {"unit", RI_PARAM_STRING, "value", 0, -1, NULL,
     "unit of the input, repeated on the decile outputs (e.g. \"index (UK = 100)\")"},
};

enum { P10, P20, P30, P40, P50, P60, P70, P80, P90, RANK, PERCENTILE, N_OUTPUTS };

static const ri_output_spec outputs[] = {
    {"p10", "value", RI_BENCHMARK_ROW, "10th percentile of the group"},
    {"p20", "value", RI_BENCHMARK_ROW, "20th percentile of the group"},
    {"p30", "value", RI_BENCHMARK_ROW, "30th percentile of the group"},
    {"p40", "value", RI_BENCHMARK_ROW, "40th percentile of the group"},
    {"p50", "value", RI_BENCHMARK_ROW, "median of the group"},
    {"p60", "value", RI_BENCHMARK_ROW, "60th percentile of the group"},
    {"p70", "value", RI_BENCHMARK_ROW, "70th percentile of the group"},
    {"p80", "value", RI_BENCHMARK_ROW, "80th percentile of the group"},
    {"p90", "value", RI_BENCHMARK_ROW, "90th percentile of the group"},
    {"rank", "rank (1 = highest)", 0, "the area's rank in the group; ties share the best rank"},
    {"percentile", "%", 0, "share of the group's other values below the area's (0 = lowest, 100 = highest)"},
};

static int ascending(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Values of sorted v[0..n) strictly below x. */
static size_t count_below(const double *v, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Values of sorted v[0..n) at most x. */
static size_t count_at_most(const double *v, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *v = call->inputs[0];
    size_t na = call->n_areas, np = call->n_periods, missing = 0;
    double *group = malloc((na ? na : 1) * sizeof *group);

    if (!group)
        return host->error(call->ctx, "distribution: out of memory for %zu areas", na);
    if (call->benchmark == RI_NO_AREA) {
        free(group);
        return host->error(call->ctx, "distribution: no benchmark area to hold the deciles; set benchmark = \"CODE\" in the indicator");
    }
    for (size_t o = 0; o < RANK; o++)
        host->set_unit(call->ctx, o, call->params[0].s);

    for (size_t p = 0; p < np; p++) {
        size_t n = 0;
        for (size_t a = 0; a < na; a++) {
            double x = v[a * np + p];
            if (!call->in_group[a])
                continue;
            if (isnan(x))
                missing++;
            else
                group[n++] = x;
        }
        if (n == 0)
            continue;
        /* Sorted once, so each area's rank is two binary searches, not a pass over the group. */
        qsort(group, n, sizeof *group, ascending);
        for (size_t d = 0; d < 9; d++)
            call->outputs[P10 + d][call->benchmark * np + p] =
                host->quantile(group, 1, n, (double)(d + 1) / 10.0);
        for (size_t a = 0; a < na; a++) {
            double x = v[a * np + p];
            size_t below, above;
            if (!call->in_group[a] || isnan(x))
                continue;
            below = count_below(group, n, x);
            above = n - count_at_most(group, n, x);
            call->outputs[RANK][a * np + p] = (double)(above + 1);
            call->outputs[PERCENTILE][a * np + p] = n > 1 ? 100.0 * (double)below / (double)(n - 1) : 100.0;
        }
    }
    if (missing)
        host->log(call->ctx, RI_LOG_WARNING, "distribution: %zu values of the group are missing and were left out", missing);
    free(group);
    return RI_OK;
}

static const ri_plugin descriptor = {
    RI_PLUGIN_HEADER,
    "distribution",
    "1.0.0",
    "Rank, percentile and deciles of a measure across the compared areas, period by period",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute,
};

RI_PLUGIN_DEFINE(descriptor)
