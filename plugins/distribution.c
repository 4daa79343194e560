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

/* A member of the group in one period: its value and its area. */
typedef struct member {
    double x;
    size_t area;
} member;

static int ascending(const void *x, const void *y)
{
    double a = ((const member *)x)->x, b = ((const member *)y)->x;
    return (a > b) - (a < b);
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *v = call->inputs[0];
    size_t na = call->n_areas, np = call->n_periods, missing = 0;
    double *group = malloc((na ? na : 1) * sizeof *group);
    member *m = malloc((na ? na : 1) * sizeof *m);

    if (!group || !m) {
        free(group);
        free(m);
        return host->error(call->ctx, "distribution: out of memory for %zu areas", na);
    }
    if (call->benchmark == RI_NO_AREA) {
        free(group);
        free(m);
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
            if (isnan(x)) {
                missing++;
            } else {
                m[n].x = x;
                m[n++].area = a;
            }
        }
        if (n == 0)
            continue;
        /* Sorted once with their areas, so ranks come from one walk over the order:
           equal values share a rank, with the values below and above them counted. */
        qsort(m, n, sizeof *m, ascending);
        for (size_t k = 0; k < n; k++)
            group[k] = m[k].x;
        for (size_t d = 0; d < 9; d++)
            call->outputs[P10 + d][call->benchmark * np + p] =
                host->quantile(group, 1, n, (double)(d + 1) / 10.0);
        for (size_t lo = 0, hi; lo < n; lo = hi) {
            for (hi = lo + 1; hi < n && m[hi].x == m[lo].x; hi++)
                ;
            for (size_t k = lo; k < hi; k++) {
                call->outputs[RANK][m[k].area * np + p] = (double)(n - hi + 1);
                call->outputs[PERCENTILE][m[k].area * np + p] =
                    n > 1 ? 100.0 * (double)lo / (double)(n - 1) : 100.0;
            }
        }
    }
    if (missing)
        host->log(call->ctx, RI_LOG_WARNING, "distribution: %zu values of the group are missing and were left out", missing);
    free(group);
    free(m);
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
