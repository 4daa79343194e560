/*
 * productivity — labour productivity as GVA per hour worked and GVA per
 * filled job, each with an index against the benchmark area, growth on the
 * previous period and compound annual growth over cagr_years. Growth is
 * nominal unless `prices` says the GVA is real (volume measures), and its
 * units say so.
 *
 * For each basis (hours, jobs) that is bound, for each area and period:
 *   level  = gva * gva_scale / (denominator * scale)     (scale = hours_scale or 1)
 *   index  = level / level of the benchmark area * 100
 *   growth = (level / level in the previous period - 1) * 100
 *   cagr   = ((level / level cagr_years earlier) ^ (1 / cagr_years) - 1) * 100
 * Only ratios of levels enter the index and growth rates, so a scale common
 * to every area and period (e.g. weekly instead of annual) leaves them unchanged.
 *
 * As an example of a plugin it shows optional inputs, an integer parameter,
 * reading neighbouring periods, and one routine serving two sets of outputs;
 * gva_gap.c is the simpler one to read first.
 */
#include <regind/plugin.h>

#include <math.h>

#include "rates.h"

enum { IN_GVA, IN_HOURS, IN_JOBS, IN_GVA_FOR_JOBS };
enum { P_GVA_SCALE, P_HOURS_SCALE, P_CAGR_YEARS, P_PRICES };
enum { OUT_PER_HOUR, OUT_PER_JOB, OUT_INDEX_HOUR, OUT_INDEX_JOB, OUT_GROWTH_HOUR,
       OUT_GROWTH_JOB, OUT_CAGR_HOUR, OUT_CAGR_JOB };

static const char *const prices_choices[] = { "current", "real", NULL };

/* An RI_OPTIONAL input the job leaves unbound arrives as a NULL column. */
static const ri_input_spec inputs[] = {
    { "gva", 0, "gross value added consistent with hours, in units of gva_scale pounds" },
    { "hours", RI_OPTIONAL, "hours worked, over the period of gva once multiplied by hours_scale" },
    { "jobs", RI_OPTIONAL, "filled jobs" },
    { "gva_for_jobs", RI_OPTIONAL,
      "GVA consistent with jobs when it differs from gva (e.g. rebuilt from GVA per filled job)" },
};

static const ri_param_spec params[] = {
    { "gva_scale", RI_PARAM_DOUBLE, "1000000", 1e-12, 1e15, NULL,
      "pounds per unit of gva (1000000 for GBP million)" },
    { "hours_scale", RI_PARAM_DOUBLE, "1", 1e-12, 1e15, NULL,
      "multiplier turning hours into hours over the period of gva (52 for weekly hours, annual GVA)" },
    { "cagr_years", RI_PARAM_INT, "5", 1, 50, NULL,
      "length in years of the compound annual growth window" },
    { "prices", RI_PARAM_CHOICE, "current", 1, 0, prices_choices,
      "price basis of gva: current (nominal, as ONS's subregional productivity) or real (volume measures)" },
};

static const ri_output_spec outputs[] = {
    { "gva_per_hour", "GBP per hour", 0, "GVA per hour worked" },
    { "gva_per_job", "GBP per filled job", 0, "GVA per filled job" },
    { "index_per_hour", "index (benchmark = 100)", 0, "GVA per hour relative to the benchmark area" },
    { "index_per_job", "index (benchmark = 100)", 0, "GVA per job relative to the benchmark area" },
    { "growth_per_hour_pct", "%, nominal (current prices)", 0, "change in GVA per hour on the previous period" },
    { "growth_per_job_pct", "%, nominal (current prices)", 0, "change in GVA per job on the previous period" },
    { "cagr_per_hour_pct", "% a year, nominal (current prices)", 0,
      "compound annual growth of GVA per hour over cagr_years" },
    { "cagr_per_job_pct", "% a year, nominal (current prices)", 0,
      "compound annual growth of GVA per job over cagr_years" },
};

/* One way of measuring productivity and the output columns it fills. */
typedef struct basis {
    const double *gva, *denominator;
    double scale;
    size_t level, index, growth, cagr;
} basis;

static void fill_basis(const ri_call *call, const basis *b, size_t *n_missing,
                       size_t *n_nonpositive)
{
    double gva_scale = call->params[P_GVA_SCALE].d;
    double cagr_years = (double)call->params[P_CAGR_YEARS].i;
    size_t n_periods = call->n_periods;
    double *level = call->outputs[b->level];

    for (size_t c = 0; c < call->n_areas * n_periods; c++) {
        if (!isfinite(b->gva[c]) || !isfinite(b->denominator[c]))
            (*n_missing)++;
        else if (b->denominator[c] <= 0)
            (*n_nonpositive)++;
        else
            level[c] = b->gva[c] * gva_scale / (b->denominator[c] * b->scale);
    }

    for (size_t p = 0; p < n_periods; p++) {
        double benchmark = call->benchmark == RI_NO_AREA
            ? NAN : level[call->benchmark * n_periods + p];
        size_t start = period_of_year(call, call->period_years[p] - cagr_years);
        for (size_t a = 0; a < call->n_areas; a++) {
            size_t c = a * n_periods + p;
            if (benchmark > 0)
                call->outputs[b->index][c] = level[c] / benchmark * 100;
            /* An area's periods are adjacent, so c - 1 is its previous period. */
            if (p > 0)
                call->outputs[b->growth][c] = growth_pct(level[c - 1], level[c], 1);
            if (start < n_periods)
                call->outputs[b->cagr][c] =
                    growth_pct(level[a * n_periods + start], level[c], cagr_years);
        }
    }
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *gva = call->inputs[IN_GVA];
    const double *hours = call->inputs[IN_HOURS];
    const double *jobs = call->inputs[IN_JOBS];
    const double *gva_for_jobs = call->inputs[IN_GVA_FOR_JOBS];
    size_t n_missing = 0, n_nonpositive = 0;

    if (!hours && !jobs)
        return host->error(call->ctx, "productivity: neither `hours` nor `jobs` is bound; "
                           "bind at least one of them to a measure");
    /* Growth compares a period with the one a year (or cagr_years) earlier: with quarters,
       that is not a period of its own kind, so such data is refused. */
    for (size_t p = 1; p < call->n_periods; p++)
        if (call->period_years[p] == call->period_years[p - 1])
            return host->error(call->ctx, "productivity: periods %s and %s fall in one year; expected annual "
                               "data (one period a year)", call->periods[p - 1], call->periods[p]);
    if (gva_for_jobs && !jobs)
        host->log(call->ctx, RI_LOG_WARNING,
                  "productivity: `gva_for_jobs` is bound but `jobs` is not; it is ignored");
    /* Without a benchmark the levels and growth rates still mean something, so
       this is information, not a failure. */
    if (call->benchmark == RI_NO_AREA)
        host->log(call->ctx, RI_LOG_INFO, "productivity: no benchmark area; "
                  "index_per_hour and index_per_job are NaN");

    /* Growth of current-price GVA includes inflation: the units say which kind of growth it is. */
    if (call->params[P_PRICES].i == 1) {
        host->set_unit(call->ctx, OUT_GROWTH_HOUR, "%, real");
        host->set_unit(call->ctx, OUT_GROWTH_JOB, "%, real");
        host->set_unit(call->ctx, OUT_CAGR_HOUR, "% a year, real");
        host->set_unit(call->ctx, OUT_CAGR_JOB, "% a year, real");
    }

    const basis bases[] = {
        { gva, hours, call->params[P_HOURS_SCALE].d,
          OUT_PER_HOUR, OUT_INDEX_HOUR, OUT_GROWTH_HOUR, OUT_CAGR_HOUR },
        { gva_for_jobs ? gva_for_jobs : gva, jobs, 1,
          OUT_PER_JOB, OUT_INDEX_JOB, OUT_GROWTH_JOB, OUT_CAGR_JOB },
    };
    for (size_t i = 0; i < RI_COUNT(bases); i++)
        if (bases[i].denominator)
            fill_basis(call, &bases[i], &n_missing, &n_nonpositive);

    if (n_missing > 0 || n_nonpositive > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "productivity: %zu values per hour or per job are NaN: %zu with a zero or "
                  "negative denominator, %zu with a missing input",
                  n_nonpositive + n_missing, n_nonpositive, n_missing);
    return RI_OK;
}

static const ri_plugin productivity = {
    RI_PLUGIN_HEADER,
    "productivity", "1.0.0",
    "GVA per hour and per filled job: levels, index, growth and compound annual growth",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

/* Exports ri_plugin_entry(), the only symbol regind looks up in the module. */
RI_PLUGIN_DEFINE(productivity)
