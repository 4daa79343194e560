/*
 * gva_gap — how far an area's GVA per head (or per hour, or per job) is from
 * a benchmark, and what closing that gap would be worth in pounds a year.
 *
 * For each area and period:
 *   gva_per_head     = gva * gva_scale / (denominator * denominator_scale)
 *   index            = gva_per_head / benchmark * 100
 *   gap_pct          = 100 - index
 *   gap_per_head_gbp = benchmark - gva_per_head
 *   gap_total_gbp_m  = gap_per_head_gbp * denominator * denominator_scale / 1e6
 *   target_gbp_m     = gap_total_gbp_m * target_share, n/a above the benchmark
 * The benchmark is the job's benchmark area, or the unweighted mean over the
 * compared group. Every gap has one sign: positive when the area is behind
 * the benchmark, negative when it is ahead. The target is extra GVA a year,
 * not a sum to invest, and an area ahead of the benchmark has none.
 *
 * As an example of a plugin: three static tables tell regind what the job
 * binds and sets and what comes out (regind checks them when it loads the
 * module and `regind describe gva_gap` prints them); compute() then fills
 * whole columns; RI_PLUGIN_DEFINE exports the one entry point. regind-plugin(7)
 * documents every field.
 */
#include <regind/plugin.h>

#include <math.h>

/* regind passes inputs, parameter values and outputs in the order of the
   tables below; these names keep the positions readable. */
enum { IN_GVA, IN_DENOMINATOR };
enum { P_DENOMINATOR_KIND, P_GVA_SCALE, P_DENOMINATOR_SCALE, P_BENCHMARK_METHOD,
       P_TARGET_SHARE };
enum { OUT_PER_HEAD, OUT_INDEX, OUT_GAP_PCT, OUT_GAP_PER_HEAD, OUT_GAP_TOTAL,
       OUT_TARGET };

/* A CHOICE parameter arrives as the chosen text (.s) and its index in this
   list (.i), so compute() can index a table with it. */
static const char *const denominator_kinds[] = { "head", "hour", "job", NULL };
/* Same order as denominator_kinds: the CHOICE index selects the unit. */
static const char *const per_unit[] = { "GBP per head", "GBP per hour", "GBP per job" };
static const char *const benchmark_methods[] = { "area", "group_mean", NULL };
enum { METHOD_AREA, METHOD_GROUP_MEAN }; /* same order as benchmark_methods */

static const ri_input_spec inputs[] = {
    { "gva", 0, "gross value added, in units of gva_scale pounds (e.g. GBP million)" },
    { "denominator", 0,
      "population, hours worked or filled jobs, in units of denominator_scale" },
};

/* regind checks each value's type and range before compute() runs and passes
   the default when the job leaves one out, so compute() reads them unchecked. */
static const ri_param_spec params[] = {
    { "denominator_kind", RI_PARAM_CHOICE, "head", 0, 0, denominator_kinds,
      "what the denominator counts; sets the unit of the per-unit outputs" },
    { "gva_scale", RI_PARAM_DOUBLE, "1000000", 1e-12, 1e15, NULL,
      "pounds per unit of gva (1000000 for GBP million)" },
    { "denominator_scale", RI_PARAM_DOUBLE, "1", 1e-12, 1e15, NULL,
      "multiplier giving the denominator's units (e.g. 52 for weekly hours against annual GVA)" },
    { "benchmark_method", RI_PARAM_CHOICE, "area", 0, 0, benchmark_methods,
      "area: the job's benchmark area; group_mean: unweighted mean of the compared areas" },
    { "target_share", RI_PARAM_DOUBLE, "1", 0, 1, NULL,
      "share of the gap to close (0.5 to halve it)" },
};

/* Every output has a unit; the two per-unit outputs get theirs from
   denominator_kind through set_unit() when compute() runs. */
static const ri_output_spec outputs[] = {
    { "gva_per_head", "GBP per unit of denominator", 0, "GVA per head, hour or job" },
    { "index", "index (benchmark = 100)", 0, "GVA per unit relative to the benchmark" },
    { "gap_pct", "percentage points", 0,
      "100 - index: how far behind the benchmark (negative = ahead)" },
    { "gap_per_head_gbp", "GBP per unit of denominator", 0,
      "benchmark minus the area's GVA per unit (negative = ahead)" },
    { "gap_total_gbp_m", "GBP million", 0,
      "extra GVA a year the area needs to reach the benchmark (negative = ahead)" },
    { "target_gbp_m", "GBP million", 0,
      "extra GVA a year to close target_share of the gap, not money to invest; n/a for an area ahead" },
};

/* Unweighted so that one large area does not set the group's standard. */
static double group_mean(const ri_call *call, const double *per_head, size_t p)
{
    double sum = 0;
    size_t n = 0;
    for (size_t a = 0; a < call->n_areas; a++) {
        double v = per_head[a * call->n_periods + p];
        if (call->in_group[a] && !isnan(v)) {
            sum += v;
            n++;
        }
    }
    return n > 0 ? sum / (double)n : NAN;
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const double *gva = call->inputs[IN_GVA];
    const double *denominator = call->inputs[IN_DENOMINATOR];
    double gva_scale = call->params[P_GVA_SCALE].d;
    double denominator_scale = call->params[P_DENOMINATOR_SCALE].d;
    double target_share = call->params[P_TARGET_SHARE].d;
    int use_group_mean = call->params[P_BENCHMARK_METHOD].i == METHOD_GROUP_MEAN;
    double *const *out = call->outputs;
    size_t n_cells = call->n_areas * call->n_periods;
    size_t n_missing = 0, n_nonpositive = 0;

    /* Failing is for an indicator that cannot be computed at all; a cell that
       cannot is NaN, counted in one warning below. */
    if (!use_group_mean && call->benchmark == RI_NO_AREA)
        return host->error(call->ctx, "gva_gap: no benchmark area; set benchmark = \"CODE\" "
                           "in the indicator or benchmark_method = \"group_mean\"");

    const char *unit = per_unit[call->params[P_DENOMINATOR_KIND].i];
    host->set_unit(call->ctx, OUT_PER_HEAD, unit);
    host->set_unit(call->ctx, OUT_GAP_PER_HEAD, unit);

    /* Cell c is area c / n_periods in period c % n_periods. Outputs arrive
       filled with NaN, so a cell skipped here reads "unknown", never 0. */
    for (size_t c = 0; c < n_cells; c++) {
        if (!isfinite(gva[c]) || !isfinite(denominator[c]))
            n_missing++;
        else if (denominator[c] <= 0)
            n_nonpositive++;
        else
            out[OUT_PER_HEAD][c] = gva[c] * gva_scale / (denominator[c] * denominator_scale);
    }

    for (size_t p = 0; p < call->n_periods; p++) {
        double benchmark = use_group_mean
            ? group_mean(call, out[OUT_PER_HEAD], p)
            : out[OUT_PER_HEAD][call->benchmark * call->n_periods + p];
        /* A missing benchmark, or one of zero or less, gives no meaningful ratio. */
        if (!(benchmark > 0))
            continue;
        for (size_t a = 0; a < call->n_areas; a++) {
            size_t c = a * call->n_periods + p;
            double v = out[OUT_PER_HEAD][c];
            if (isnan(v))
                continue;
            out[OUT_INDEX][c] = v / benchmark * 100;
            out[OUT_GAP_PCT][c] = 100 - out[OUT_INDEX][c];
            out[OUT_GAP_PER_HEAD][c] = benchmark - v;
            out[OUT_GAP_TOTAL][c] =
                out[OUT_GAP_PER_HEAD][c] * denominator[c] * denominator_scale / 1e6;
            /* Ahead of the benchmark there is nothing to close: a negative "target" would read
               as money to take away. */
            if (out[OUT_GAP_TOTAL][c] >= 0)
                out[OUT_TARGET][c] = out[OUT_GAP_TOTAL][c] * target_share;
        }
    }

    /* One line per call, not per cell: the user reads it once per run. */
    if (n_missing > 0 || n_nonpositive > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "gva_gap: outputs are NaN in %zu cells: %zu with a zero or negative "
                  "denominator, %zu with a missing gva or denominator",
                  n_nonpositive + n_missing, n_nonpositive, n_missing);
    return RI_OK;
}

static const ri_plugin gva_gap = {
    RI_PLUGIN_HEADER,
    "gva_gap", "1.1.0",
    "GVA per head, hour or job against a benchmark; gaps positive when behind it, and the extra GVA a year closing them means",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

/* Exports ri_plugin_entry(), the only symbol regind looks up in the module. */
RI_PLUGIN_DEFINE(gva_gap)
