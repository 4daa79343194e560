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
 * Inference on beta over the n group areas (Barro and Sala-i-Martin 1992):
 *   beta_t            = beta / beta_se, with n - 2 degrees of freedom
 *   beta_p_value      = two-sided, from GSL's t distribution
 *   beta_ci_lo, _hi   = beta -+ t_(n-2, (1 + level) / 2) * beta_se
 *   beta_se_hc1       = sqrt(n / (n - 2) * sum d_a^2 e_a^2) / sum d_a^2, d the
 *                       deviations of ln y_0 from their mean, e the residuals
 *                       (White 1980, MacKinnon and White 1985)
 *   speed and half-life intervals map beta's ends through the formulas above,
 *   which are monotone in beta; an end where the speed is undefined
 *   (1 + beta T <= 0) or the group diverges (no half-life) is NaN.
 * Percentile bootstrap intervals (Efron and Tibshirani 1993) resample the
 * group areas with replacement `bootstrap` times (0: none), with GSL's
 * MT19937 seeded with `seed` in every period, so runs are reproducible:
 * sigma's from the levels of each period, beta's from the (ln y_0, growth)
 * pairs, and the speed's and half-life's from beta's ends. They need 3 areas.
 * Every group statistic is written on the benchmark area's row; the benchmark
 * enters them only if it is itself in the group. Each area counts once
 * (unweighted) and standard deviations are sample ones (n - 1).
 */
#include <regind/plugin.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

enum { IN_NUMERATOR, IN_DENOMINATOR };
enum { P_BASE_PERIOD, P_SCALE, P_BOOTSTRAP, P_SEED, P_LEVEL };
enum {
    OUT_GROWTH, OUT_BETA, OUT_BETA_SE, OUT_R2, OUT_SPEED, OUT_HALF_LIFE, OUT_SIGMA, OUT_CV,
    OUT_BETA_T, OUT_BETA_P, OUT_BETA_SE_HC1, OUT_BETA_CI_LO, OUT_BETA_CI_HI,
    OUT_SPEED_CI_LO, OUT_SPEED_CI_HI, OUT_HALF_LIFE_CI_LO, OUT_HALF_LIFE_CI_HI,
    OUT_SIGMA_BOOT_LO, OUT_SIGMA_BOOT_HI, OUT_BETA_BOOT_LO, OUT_BETA_BOOT_HI,
    OUT_SPEED_BOOT_LO, OUT_SPEED_BOOT_HI, OUT_HALF_LIFE_BOOT_LO, OUT_HALF_LIFE_BOOT_HI
};

#define GROUP RI_BENCHMARK_ROW

static const ri_input_spec inputs[] = {
    { "numerator", 0, "an additive measure such as GVA, in any unit" },
    { "denominator", 0, "what the numerator is shared over, e.g. resident population" },
};

static const ri_param_spec params[] = {
    { "base_period", RI_PARAM_STRING, "", 0, 0, NULL,
      "period growth is measured from, e.g. \"1998\" (\"\": the first period)" },
    { "scale", RI_PARAM_DOUBLE, "1000000", 1e-12, 1e15, NULL,
      "per-capita value = numerator * scale / denominator (1000000 for GBP million per head)" },
    { "bootstrap", RI_PARAM_INT, "999", 0, 100000, NULL,
      "resamples of the group areas for the bootstrap intervals (0: none)" },
    { "seed", RI_PARAM_INT, "20250101", 0, 2147483647, NULL,
      "seed of GSL's MT19937 generator for the resamples, so runs are reproducible" },
    { "level", RI_PARAM_DOUBLE, "0.95", 0.5, 0.999, NULL,
      "coverage of the confidence and bootstrap intervals, e.g. 0.95" },
};

static const ri_output_spec outputs[] = {
    { "growth_pct_a_year", "% a year (100 x log growth)", 0,
      "average growth of the per-capita value since base_period" },
    { "beta", "coefficient", GROUP,
      "slope of annual log growth on the log of the base level (Barro and Sala-i-Martin "
      "1992; benchmark row); < 0: converging" },
    { "beta_se", "coefficient", GROUP, "standard error of beta (benchmark row)" },
    { "r2", "ratio (0-1)", GROUP, "share of the variance of growth the regression explains (benchmark row)" },
    { "speed_pct_a_year", "% a year", GROUP, "implied speed of convergence (benchmark row)" },
    { "half_life_years", "years", GROUP,
      "years to close half the gap at that speed; converging groups only (benchmark row)" },
    { "sigma", "sd of ln(per-capita value)", GROUP,
      "spread of the log levels across the group (benchmark row)" },
    { "cv", "ratio (sd / mean)", GROUP,
      "coefficient of variation of the levels across the group (benchmark row)" },
    { "beta_t", "t statistic", GROUP, "beta / beta_se, n - 2 degrees of freedom" },
    { "beta_p_value", "probability", GROUP,
      "two-sided p-value of beta = 0 from the t distribution (GSL)" },
    { "beta_se_hc1", "coefficient", GROUP,
      "heteroskedasticity-robust (HC1, MacKinnon and White 1985) standard error of beta" },
    { "beta_ci_lo", "coefficient (95 % confidence interval)", GROUP,
      "lower end of beta's t interval: beta - t quantile x beta_se" },
    { "beta_ci_hi", "coefficient (95 % confidence interval)", GROUP, "upper end of that interval" },
    { "speed_ci_lo", "% a year (95 % confidence interval)", GROUP,
      "speed at beta_ci_hi (the speed falls as beta rises)" },
    { "speed_ci_hi", "% a year (95 % confidence interval)", GROUP,
      "speed at beta_ci_lo; NaN where 1 + beta T <= 0" },
    { "half_life_ci_lo", "years (95 % confidence interval)", GROUP, "half-life at beta_ci_lo" },
    { "half_life_ci_hi", "years (95 % confidence interval)", GROUP,
      "half-life at beta_ci_hi; NaN when that end does not converge" },
    { "sigma_boot_lo", "sd of ln(per-capita value) (95 % bootstrap interval)", GROUP,
      "lower end of sigma's percentile bootstrap interval (Efron and Tibshirani 1993)" },
    { "sigma_boot_hi", "sd of ln(per-capita value) (95 % bootstrap interval)", GROUP,
      "upper end of that interval" },
    { "beta_boot_lo", "coefficient (95 % bootstrap interval)", GROUP,
      "lower end of beta's percentile bootstrap interval, resampling areas" },
    { "beta_boot_hi", "coefficient (95 % bootstrap interval)", GROUP, "upper end of that interval" },
    { "speed_boot_lo", "% a year (95 % bootstrap interval)", GROUP, "speed at beta_boot_hi" },
    { "speed_boot_hi", "% a year (95 % bootstrap interval)", GROUP, "speed at beta_boot_lo" },
    { "half_life_boot_lo", "years (95 % bootstrap interval)", GROUP, "half-life at beta_boot_lo" },
    { "half_life_boot_hi", "years (95 % bootstrap interval)", GROUP, "half-life at beta_boot_hi" },
};

typedef struct counts {
    size_t missing, nonpositive_denominator, nonpositive_level, thin_periods, open_ends;
} counts;

/* Scratch of one call: the levels and the samples of a period, and the resamples. */
typedef struct work {
    double *y;        /* [n_areas * n_periods] per-capita levels */
    double *v, *logv; /* [n_areas] levels of one period and their logs */
    double *x, *g;    /* [n_areas] ln y_0 and growth of the beta sample */
    double *bx, *bg;  /* [n_areas] a resample */
    double *stats;    /* [bootstrap] resampled statistics */
    gsl_rng *rng;
    counts n;
} work;

/* Per-capita levels of every cell; NaN, counted, where there is none or no logarithm. */
static void levels(const ri_call *call, work *w)
{
    const double *num = call->inputs[IN_NUMERATOR], *den = call->inputs[IN_DENOMINATOR];
    double scale = call->params[P_SCALE].d;
    for (size_t c = 0; c < call->n_areas * call->n_periods; c++) {
        w->y[c] = NAN;
        if (isnan(num[c]) || isnan(den[c]))
            w->n.missing++;
        else if (den[c] <= 0)
            w->n.nonpositive_denominator++;
        else if (num[c] <= 0)
            w->n.nonpositive_level++;
        else
            w->y[c] = num[c] * scale / den[c];
    }
}

/* The percentile interval of the first n of w->stats at the call's level. */
static void percentile_interval(const ri_call *call, work *w, size_t n, double *lo, double *hi)
{
    double level = call->params[P_LEVEL].d;
    gsl_sort(w->stats, 1, n);
    *lo = gsl_stats_quantile_from_sorted_data(w->stats, 1, n, (1 - level) / 2);
    *hi = gsl_stats_quantile_from_sorted_data(w->stats, 1, n, (1 + level) / 2);
}

/* GSL's running means divide once per value: plain sums keep the resamples fast. */
static double mean_of(const double *v, size_t k)
{
    double sum = 0;
    for (size_t j = 0; j < k; j++)
        sum += v[j];
    return sum / (double)k;
}

static double sd_of(const double *v, size_t k)
{
    double m = mean_of(v, k), ss = 0;
    for (size_t j = 0; j < k; j++)
        ss += (v[j] - m) * (v[j] - m);
    return sqrt(ss / (double)(k - 1));
}

static size_t resamples(const ri_call *call, size_t k)
{
    return k >= 3 ? (size_t)call->params[P_BOOTSTRAP].i : 0;
}

static void sigma(const ri_call *call, work *w, size_t p)
{
    size_t k = 0, out = call->benchmark * call->n_periods + p;
    for (size_t a = 0; a < call->n_areas; a++) {
        double level = w->y[a * call->n_periods + p];
        if (call->in_group[a] && !isnan(level)) {
            w->v[k] = level;
            w->logv[k++] = log(level);
        }
    }
    if (k < 2) {
        w->n.thin_periods++;
        return;
    }
    call->outputs[OUT_SIGMA][out] = gsl_stats_sd(w->logv, 1, k);
    call->outputs[OUT_CV][out] = gsl_stats_sd(w->v, 1, k) / gsl_stats_mean(w->v, 1, k);
    size_t reps = resamples(call, k);
    if (!reps) {
        w->n.thin_periods += call->params[P_BOOTSTRAP].i > 0;
        return;
    }
    gsl_rng_set(w->rng, (unsigned long)call->params[P_SEED].i);
    for (size_t r = 0; r < reps; r++) {
        for (size_t j = 0; j < k; j++)
            w->bx[j] = w->logv[gsl_rng_uniform_int(w->rng, k)];
        w->stats[r] = sd_of(w->bx, k);
    }
    percentile_interval(call, w, reps, &call->outputs[OUT_SIGMA_BOOT_LO][out],
                        &call->outputs[OUT_SIGMA_BOOT_HI][out]);
}

/* Speed of convergence implied by beta over years; NaN where 1 + beta T <= 0. */
static double speed_of(double beta, double years)
{
    return 1 + beta * years > 0 ? -log(1 + beta * years) / years : NAN;
}

static double half_life_of(double beta, double years)
{
    double speed = speed_of(beta, years);
    return speed > 0 ? log(2) / speed : NAN;
}

/* Speed and half-life at beta's interval [lo, hi], into four outputs from first. */
static void map_ends(const ri_call *call, work *w, size_t first, size_t out, double lo,
                     double hi, double years)
{
    double ends[4] = { 100 * speed_of(hi, years), 100 * speed_of(lo, years),
                       half_life_of(lo, years), half_life_of(hi, years) };
    for (size_t e = 0; e < 4; e++) {
        call->outputs[first + e][out] = ends[e];
        w->n.open_ends += isnan(ends[e]);
    }
}

static double slope(const double *x, const double *g, size_t k)
{
    double mx = mean_of(x, k), mg = mean_of(g, k), sxy = 0, sxx = 0;
    for (size_t j = 0; j < k; j++) {
        sxy += (x[j] - mx) * (g[j] - mg);
        sxx += (x[j] - mx) * (x[j] - mx);
    }
    return sxx > 0 ? sxy / sxx : NAN;
}

static void inference(const ri_call *call, work *w, size_t k, double c0, double c1,
                      double se, double years, size_t out)
{
    double df = (double)k - 2, mx = gsl_stats_mean(w->x, 1, k), sxx = 0, robust = 0;
    for (size_t j = 0; j < k; j++) {
        double d = w->x[j] - mx, e = w->g[j] - c0 - c1 * w->x[j];
        sxx += d * d;
        robust += d * d * e * e;
    }
    call->outputs[OUT_BETA_SE_HC1][out] = sqrt((double)k / df * robust) / sxx;
    if (!(se > 0))
        return;
    double t = c1 / se, q = gsl_cdf_tdist_Qinv((1 - call->params[P_LEVEL].d) / 2, df);
    double lo = c1 - q * se, hi = c1 + q * se;
    call->outputs[OUT_BETA_T][out] = t;
    call->outputs[OUT_BETA_P][out] = 2 * gsl_cdf_tdist_Q(fabs(t), df);
    call->outputs[OUT_BETA_CI_LO][out] = lo;
    call->outputs[OUT_BETA_CI_HI][out] = hi;
    map_ends(call, w, OUT_SPEED_CI_LO, out, lo, hi, years);
}

static void beta_bootstrap(const ri_call *call, work *w, size_t k, double years, size_t out)
{
    size_t reps = resamples(call, k), kept = 0;
    if (!reps)
        return;
    gsl_rng_set(w->rng, (unsigned long)call->params[P_SEED].i);
    for (size_t r = 0; r < reps; r++) {
        for (size_t j = 0; j < k; j++) {
            size_t pick = gsl_rng_uniform_int(w->rng, k);
            w->bx[j] = w->x[pick];
            w->bg[j] = w->g[pick];
        }
        /* A resample of one repeated area has no slope. */
        double b = slope(w->bx, w->bg, k);
        if (!isnan(b))
            w->stats[kept++] = b;
    }
    if (kept == 0)
        return;
    double lo, hi;
    percentile_interval(call, w, kept, &lo, &hi);
    call->outputs[OUT_BETA_BOOT_LO][out] = lo;
    call->outputs[OUT_BETA_BOOT_HI][out] = hi;
    map_ends(call, w, OUT_SPEED_BOOT_LO, out, lo, hi, years);
}

static void beta(const ri_call *call, work *w, size_t base, size_t t)
{
    size_t np = call->n_periods, k = 0, out = call->benchmark * np + t;
    double years = call->period_years[t] - call->period_years[base];
    if (!(years > 0))
        return;
    for (size_t a = 0; a < call->n_areas; a++) {
        double y0 = w->y[a * np + base], yt = w->y[a * np + t];
        if (isnan(y0) || isnan(yt))
            continue;
        double growth = log(yt / y0) / years;
        call->outputs[OUT_GROWTH][a * np + t] = 100 * growth;
        if (call->in_group[a]) {
            w->x[k] = log(y0);
            w->g[k++] = growth;
        }
    }
    if (k < 3 || gsl_stats_variance(w->x, 1, k) == 0) {
        w->n.thin_periods++;
        return;
    }
    double c0, c1, cov00, cov01, cov11, sumsq, tss = gsl_stats_tss(w->g, 1, k);
    gsl_fit_linear(w->x, 1, w->g, 1, k, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    call->outputs[OUT_BETA][out] = c1;
    call->outputs[OUT_BETA_SE][out] = sqrt(cov11);
    if (tss > 0)
        call->outputs[OUT_R2][out] = 1 - sumsq / tss;
    double speed = speed_of(c1, years);
    if (!isnan(speed)) {
        call->outputs[OUT_SPEED][out] = 100 * speed;
        if (speed > 0)
            call->outputs[OUT_HALF_LIFE][out] = log(2) / speed;
    }
    inference(call, w, k, c0, c1, sqrt(cov11), years, out);
    beta_bootstrap(call, w, k, years, out);
}

static void set_units(const ri_host *host, const ri_call *call)
{
    const char *kind[] = { "confidence", "bootstrap" };
    for (size_t o = OUT_BETA_CI_LO; o <= OUT_HALF_LIFE_BOOT_HI; o++) {
        char unit[96];
        const char *base = outputs[o].unit;
        size_t stem = (size_t)(strrchr(base, '(') - base);
        snprintf(unit, sizeof unit, "%.*s(%g %% %s interval)", (int)stem, base,
                 100 * call->params[P_LEVEL].d, kind[o >= OUT_SIGMA_BOOT_LO]);
        host->set_unit(call->ctx, o, unit);
    }
}

static ri_status compute(const ri_host *host, const ri_call *call)
{
    const char *base_label = call->params[P_BASE_PERIOD].s;
    size_t base = 0, na = call->n_areas, m = na + 1;
    size_t reps = (size_t)call->params[P_BOOTSTRAP].i;

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
    set_units(host, call);

    work w = { malloc((na * call->n_periods + 1) * sizeof(double)), malloc(6 * m * sizeof(double)),
               NULL, NULL, NULL, NULL, NULL, malloc((reps + 1) * sizeof(double)),
               reps ? gsl_rng_alloc(gsl_rng_mt19937) : NULL, { 0, 0, 0, 0, 0 } };
    if (!w.y || !w.v || !w.stats || (reps && !w.rng)) {
        free(w.y);
        free(w.v);
        free(w.stats);
        if (w.rng)
            gsl_rng_free(w.rng);
        return host->error(call->ctx, "convergence: out of memory for %zu areas", na);
    }
    w.logv = w.v + m;
    w.x = w.v + 2 * m;
    w.g = w.v + 3 * m;
    w.bx = w.v + 4 * m;
    w.bg = w.v + 5 * m;
    levels(call, &w);
    for (size_t p = 0; p < call->n_periods; p++) {
        sigma(call, &w, p);
        if (p > base)
            beta(call, &w, base, p);
    }
    free(w.y);
    free(w.v);
    free(w.stats);
    if (w.rng)
        gsl_rng_free(w.rng);

    counts n = w.n;
    if (n.missing + n.nonpositive_denominator + n.nonpositive_level + n.thin_periods > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "convergence: %zu area-periods without a per-capita level (%zu with a missing "
                  "input, %zu with a zero or negative denominator, %zu with a numerator of zero "
                  "or less, which has no logarithm); %zu statistics left NaN for too few group "
                  "areas (beta needs 3 with different levels, sigma 2, its bootstrap interval 3)",
                  n.missing + n.nonpositive_denominator + n.nonpositive_level, n.missing,
                  n.nonpositive_denominator, n.nonpositive_level, n.thin_periods);
    if (n.open_ends > 0)
        host->log(call->ctx, RI_LOG_WARNING,
                  "convergence: %zu ends of speed or half-life intervals are NaN: at that end of "
                  "beta's interval 1 + beta T <= 0 (no speed) or the group diverges (no "
                  "half-life)", n.open_ends);
    return RI_OK;
}

static const ri_plugin convergence = {
    RI_PLUGIN_HEADER,
    "convergence", "1.1.0",
    "Beta- and sigma-convergence of a per-capita measure across the compared areas, with "
    "t, p-value, robust and bootstrap intervals",
    inputs, RI_COUNT(inputs),
    params, RI_COUNT(params),
    outputs, RI_COUNT(outputs),
    compute
};

RI_PLUGIN_DEFINE(convergence)
