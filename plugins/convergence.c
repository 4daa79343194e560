/*
 * convergence — whether areas that start poorer catch up. Beta-convergence:
 * do areas with a lower initial level grow faster? Sigma-convergence: does
 * the spread of levels across the compared areas narrow?
 *
 * y = numerator * scale / denominator. From base_period (0) to each later
 * period t, T = year_t - year_0 years:
 *   growth_pct_a_year = 100 * ln(y_t / y_0) / T              on every area's row
 *   ln(y_t / y_0) / T = alpha + beta * ln(y_0)                OLS over the group
 *   speed_pct_a_year  = -100 * ln(1 + beta * T) / T           (Barro and Sala-i-Martin)
 *   half_life_years   = ln 2 / speed, for converging groups (speed > 0) only
 *   sigma             = sd of ln y over the group, every period
 *   cv                = sd of y / mean of y over the group, every period
 * Growth is logarithmic so that beta maps onto the speed of convergence.
 * Every group statistic is written on the benchmark area's row; the benchmark
 * enters them only if it is itself in the group. Each area counts once
 * (unweighted) and standard deviations are sample ones (n - 1).
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_fit.h>
#include <gsl/gsl_statistics_double.h>

enum { IN_NUMERATOR, IN_DENOMINATOR };
enum { P_BASE_PERIOD, P_SCALE };
enum { OUT_GROWTH, OUT_BETA, OUT_BETA_SE, OUT_R2, OUT_SPEED, OUT_HALF_LIFE, OUT_SIGMA, OUT_CV };

static const ri_input_spec inputs[] = {
    { "numerator", 0, "an additive measure such as GVA, in any unit" },
    { "denominator", 0, "what the numerator is shared over, e.g. resident population" },
};

static const ri_param_spec params[] = {
    { "base_period", RI_PARAM_STRING, "", 0, 0, NULL,
      "period growth is measured from, e.g. \"1998\" (\"\": the first period)" },
    { "scale", RI_PARAM_DOUBLE, "1000000", 1e-12, 1e15, NULL,
      "per-capita value = numerator * scale / denominator (1000000 for GBP million per head)" },
};

static const ri_output_spec outputs[] = {
    { "growth_pct_a_year", "% a year (100 x log growth)", 0,
      "average growth of the per-capita value since base_period" },
    { "beta", "coefficient", 0,
      "slope of annual log growth on the log of the base level (benchmark row); < 0: converging" },
    { "beta_se", "coefficient", 0, "standard error of beta (benchmark row)" },
    { "r2", "ratio (0-1)", 0, "share of the variance of growth the regression explains (benchmark row)" },
    { "speed_pct_a_year", "% a year", 0, "implied speed of convergence (benchmark row)" },
    { "half_life_years", "years", 0,
      "years to close half the gap at that speed; converging groups only (benchmark row)" },
    { "sigma", "sd of ln(per-capita value)", 0,
      "spread of the log levels across the group (benchmark row)" },
    { "cv", "ratio (sd / mean)", 0,
      "coefficient of variation of the levels across the group (benchmark row)" },
};

typedef struct counts {
    size_t missing, nonpositive_denominator, nonpositive_level, thin_periods;
} counts;

/* Per-capita levels of every cell; NaN, counted, where there is none or no logarithm. */
static void levels(const ri_call *call, double *y, counts *n)
{
    const double *num = call->inputs[IN_NUMERATOR], *den = call->inputs[IN_DENOMINATOR];
    double scale = call->params[P_SCALE].d;
    for (size_t c = 0; c < call->n_areas * call->n_periods; c++) {
        y[c] = NAN;
        if (isnan(num[c]) || isnan(den[c]))
            n->missing++;
        else if (den[c] <= 0)
            n->nonpositive_denominator++;
        else if (num[c] <= 0)
            n->nonpositive_level++;
        else
            y[c] = num[c] * scale / den[c];
    }
}

static void sigma(const ri_call *call, const double *y, double *v, double *logv, size_t p,
                  counts *n)
{
    size_t k = 0, out = call->benchmark * call->n_periods + p;
    for (size_t a = 0; a < call->n_areas; a++) {
        double level = y[a * call->n_periods + p];
        if (call->in_group[a] && !isnan(level)) {
            v[k] = level;
            logv[k++] = log(level);
        }
    }
    if (k < 2) {
        n->thin_periods++;
        return;
    }
    call->outputs[OUT_SIGMA][out] = gsl_stats_sd(logv, 1, k);
    call->outputs[OUT_CV][out] = gsl_stats_sd(v, 1, k) / gsl_stats_mean(v, 1, k);
}

static void beta(const ri_call *call, const double *y, double *x, double *g, size_t base,
                 size_t t, counts *n)
{
    size_t np = call->n_periods, k = 0, out = call->benchmark * np + t;
    double years = call->period_years[t] - call->period_years[base];
    if (!(years > 0))
        return;
    for (size_t a = 0; a < call->n_areas; a++) {
        double y0 = y[a * np + base], yt = y[a * np + t];
        if (isnan(y0) || isnan(yt))
            continue;
        double growth = log(yt / y0) / years;
        call->outputs[OUT_GROWTH][a * np + t] = 100 * growth;
        if (call->in_group[a]) {
            x[k] = log(y0);
            g[k++] = growth;
        }
    }
    if (k < 3 || gsl_stats_variance(x, 1, k) == 0) {
        n->thin_periods++;
        return;
    }
    double c0, c1, cov00, cov01, cov11, sumsq, tss = gsl_stats_tss(g, 1, k);
    gsl_fit_linear(x, 1, g, 1, k, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    call->outputs[OUT_BETA][out] = c1;
    call->outputs[OUT_BETA_SE][out] = sqrt(cov11);
    if (tss > 0)
        call->outputs[OUT_R2][out] = 1 - sumsq / tss;
    if (1 + c1 * years > 0) {
        double speed = -log(1 + c1 * years) / years;
        call->outputs[OUT_SPEED][out] = 100 * speed;
        if (speed > 0)
            call->outputs[OUT_HALF_LIFE][out] = log(2) / speed;
    }
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const char *base_label = call->params[P_BASE_PERIOD].s;
    size_t base = 0, na = call->n_areas;
    counts n = { 0, 0, 0, 0 };

    if (call->benchmark == RI_NO_AREA)
        return host->error(call->ctx, "convergence: no benchmark area; set benchmark = \"CODE\" "
                           "in the indicator: the group statistics are written on its row");
    if (*base_label) {
        while (base < call->n_periods && strcmp(call->periods[base], base_label) != 0)
            base++;
        if (base == call->n_periods)
            return host->error(call->ctx, "convergence: parameter base_period = \"%s\" is not a "
                               "period with data; expected one of %s to %s", base_label,
                               call->n_periods ? call->periods[0] : "(none)",
                               call->n_periods ? call->periods[call->n_periods - 1] : "(none)");
    }

    double *y = malloc((na * call->n_periods + 1) * sizeof *y);
    double *scratch = malloc((2 * na + 1) * sizeof *scratch);
    if (!y || !scratch) {
        free(y);
        free(scratch);
        return host->error(call->ctx, "convergence: out of memory for %zu areas", na);
    }
    levels(call, y, &n);
    for (size_t p = 0; p < call->n_periods; p++) {
        sigma(call, y, scratch, scratch + na, p, &n);
        if (p > base)
            beta(call, y, scratch, scratch + na, base, p, &n);
    }
    free(y);
    free(scratch);

    if (n.missing + n.nonpositive_denominator + n.nonpositive_level + n.thin_periods > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "convergence: %zu area-periods without a per-capita level (%zu with a missing "
                  "input, %zu with a zero or negative denominator, %zu with a numerator of zero "
                  "or less, which has no logarithm); %zu statistics left NaN for too few group "
                  "areas (beta needs 3 with different levels, sigma 2)",
                  n.missing + n.nonpositive_denominator + n.nonpositive_level, n.missing,
                  n.nonpositive_denominator, n.nonpositive_level, n.thin_periods);
    return RI_OK;
}

static const ri_plugin convergence = {
    RI_PLUGIN_HEADER,
    "convergence", "1.0.0",
    "Beta- and sigma-convergence of a per-capita measure across the compared areas",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(convergence)
