/*
 * growth — how fast a level grows (GVA, GDP, jobs), with its price basis in
 * every unit: a growth rate of current-price GVA mixes inflation with real
 * growth, so the plugin never calls a rate plain "growth".
 *
 * For each area and period, with x the value:
 *   growth = (x / x in the previous year - 1) * 100
 *   cagr   = ((x / x `years` earlier) ^ (1 / years) - 1) * 100
 *   index  = x / x in base_period * 100          (base_period: the first period by default)
 *   index_vs_benchmark = (x / x_base) / (x_benchmark / x_benchmark,base) * 100,
 *                with x_base in base_period, else the benchmark's first period with data
 * Rates from a level of zero or less, or across a missing value, are NaN.
 * The price basis comes from `prices`: "current" (nominal: inflation
 * included), "real" (volume measures such as ONS's chained volume tables;
 * `price_base` names them, e.g. "chained volume measures, 2018 money") or
 * "none" for quantities that are not money (jobs, hours).
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

enum { IN_VALUE };
enum { P_PRICES, P_PRICE_BASE, P_YEARS, P_BASE_PERIOD };
enum { OUT_GROWTH, OUT_CAGR, OUT_INDEX, OUT_INDEX_BENCHMARK };

static const char *const prices_choices[] = { "current", "real", "none", NULL };

static const ri_input_spec inputs[] = {
    { "value", 0, "a level that can grow: GVA or GDP in current prices or in volume (real) terms, jobs, ..." },
};

static const ri_param_spec params[] = {
    { "prices", RI_PARAM_CHOICE, NULL, 1, 0, prices_choices,
      "price basis of value: current (nominal), real (volume measures) or none (not money)" },
    { "price_base", RI_PARAM_STRING, "", 1, 0, NULL,
      "what real values are measured in, for the units (e.g. \"chained volume measures, 2018 money\")" },
    { "years", RI_PARAM_INT, "5", 1, 50, NULL, "length in years of the compound annual growth window" },
    { "base_period", RI_PARAM_STRING, "", 1, 0, NULL,
      "period whose value is 100 in `index` (default: the first period with data)" },
};

static const ri_output_spec outputs[] = {
    { "growth_pct", "% on the previous year", 0, "change on the previous year" },
    { "cagr_pct", "% a year", 0, "compound annual growth over the last `years` years" },
    { "index", "index (base period = 100)", 0, "the value relative to its base period" },
    { "index_vs_benchmark", "index (benchmark's growth since the base period = 100)", 0,
      "growth since the base period relative to the benchmark's" },
};

/* Every unit says which prices the rates are in. */
static void set_units(const ri_host *host, const ri_call *call)
{
    static const char *const rate_units[] = { "% on the previous year", "% a year" };
    const char *base = call->params[P_PRICE_BASE].s;
    char unit[256];

    for (size_t o = 0; o < 2; o++) {
        switch (call->params[P_PRICES].i) {
        case 0:
            snprintf(unit, sizeof unit, "%s, nominal (current prices)", rate_units[o]);
            break;
        case 1:
            snprintf(unit, sizeof unit, "%s, real (%s)", rate_units[o], *base ? base : "volume measures");
            break;
        default:
            snprintf(unit, sizeof unit, "%s", rate_units[o]);
        }
        host->set_unit(call->ctx, o == 0 ? OUT_GROWTH : OUT_CAGR, unit);
    }
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *x = call->inputs[IN_VALUE];
    const char *base_label = call->params[P_BASE_PERIOD].s;
    double years = (double)call->params[P_YEARS].i;
    size_t n_periods = call->n_periods, base = 0, n_undefined = 0;

    if (call->params[P_PRICES].i != 1 && *call->params[P_PRICE_BASE].s)
        return host->error(call->ctx, "growth: price_base is set but prices is not \"real\"; "
                           "set prices = \"real\" or drop price_base");
    if (*base_label) {
        while (base < n_periods && strcmp(call->periods[base], base_label) != 0)
            base++;
        if (base == n_periods)
            return host->error(call->ctx, "growth: base_period \"%s\" is not a period of the data (%s to %s)",
                               base_label, n_periods ? call->periods[0] : "none",
                               n_periods ? call->periods[n_periods - 1] : "none");
    }
    /* Rates are a year apart: with quarters or months, "a year earlier" is not a period of
       its own kind, so such data is refused rather than compared across seasons. */
    for (size_t p = 1; p < n_periods; p++)
        if (call->period_years[p] == call->period_years[p - 1])
            return host->error(call->ctx, "growth: periods %s and %s fall in one year; expected annual data "
                               "(one period a year)", call->periods[p - 1], call->periods[p]);
    set_units(host, call);
    /* The period a year earlier, and `years` earlier, of each period; n_periods when none. */
    size_t *prev = malloc(2 * (n_periods ? n_periods : 1) * sizeof *prev), *start = prev + n_periods;
    if (!prev)
        return host->error(call->ctx, "growth: out of memory");
    for (size_t p = 0; p < n_periods; p++) {
        prev[p] = period_of_year(call, call->period_years[p] - 1);
        start[p] = period_of_year(call, call->period_years[p] - years);
    }

    for (size_t a = 0; a < call->n_areas; a++) {
        const double *row = x + a * n_periods;
        size_t first = base;
        /* Without base_period each area's index starts at its own first value. */
        if (!*base_label)
            while (first < n_periods && isnan(row[first]))
                first++;
        for (size_t p = 0; p < n_periods; p++) {
            size_t c = a * n_periods + p;
            if (isnan(row[p]))
                continue;
            if (prev[p] < n_periods)
                call->outputs[OUT_GROWTH][c] = growth_pct(row[prev[p]], row[p], 1);
            if (start[p] < n_periods)
                call->outputs[OUT_CAGR][c] = growth_pct(row[start[p]], row[p], years);
            if (first < n_periods && row[first] > 0)
                call->outputs[OUT_INDEX][c] = row[p] / row[first] * 100;
            n_undefined += (prev[p] < n_periods && !isnan(row[prev[p]]) && row[prev[p]] <= 0) ||
                           (start[p] < n_periods && !isnan(row[start[p]]) && row[start[p]] <= 0) ||
                           (first < n_periods && row[first] <= 0);
        }
    }
    free(prev);
    /* Against the benchmark, growth since the same base period is compared: base_period, or
       else the benchmark's first period with a value. */
    if (call->benchmark != RI_NO_AREA) {
        const double *bench = x + call->benchmark * n_periods;
        size_t b0 = base;
        if (!*base_label)
            while (b0 < n_periods && isnan(bench[b0]))
                b0++;
        for (size_t a = 0; a < call->n_areas && b0 < n_periods && bench[b0] > 0; a++) {
            const double *row = x + a * n_periods;
            for (size_t p = 0; p < n_periods && row[b0] > 0; p++)
                if (bench[p] > 0)
                    call->outputs[OUT_INDEX_BENCHMARK][a * n_periods + p] =
                        (row[p] / row[b0]) / (bench[p] / bench[b0]) * 100;
        }
    }
    if (n_undefined)
        host->log(call->ctx, RI_LOG_WARNING,
                  "growth: %zu area-periods have no rate or index from a value of zero or less", n_undefined);
    return RI_OK;
}

static const ri_plugin growth = {
    RI_PLUGIN_HEADER,
    "growth", "1.0.0",
    "growth on the previous year, compound annual growth and indices of a level, labelled nominal or real",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

/* Exports ri_plugin_entry(), the only symbol regind looks up in the module. */
RI_PLUGIN_DEFINE(growth)
