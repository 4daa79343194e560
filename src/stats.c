/* stats.c — GSL-backed statistics with regind's missing-value conventions (see stats.h). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

void ri_stats_init(void)
{
    gsl_set_error_handler_off();
}

size_t ri_stats_count(const double *v, size_t stride, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i * stride]))
            k++;
    return k;
}

/* The finite values, contiguous, in a new array (NULL when none or out of memory). */
static double *finite_copy(const double *v, size_t stride, size_t n, size_t *k)
{
    double *out;
    size_t j = 0;

    *k = ri_stats_count(v, stride, n);
    if (*k == 0 || !(out = malloc(*k * sizeof *out)))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i * stride]))
            out[j++] = v[i * stride];
    return out;
}

/* Sort x[0..k) unless it already is: plugins often ask for several
   quantiles of one group they have sorted, and GSL's heapsort does not
   notice sorted input. */
static void sort_unless_sorted(double *x, size_t k)
{
    for (size_t i = 1; i < k; i++)
        if (x[i] < x[i - 1]) {
            gsl_sort(x, 1, k);
            return;
        }
}

double ri_stats_mean(const double *v, size_t stride, size_t n)
{
    size_t k;
    double *x = finite_copy(v, stride, n, &k);
    double m;

    if (!x)
        return NAN;
    m = gsl_stats_mean(x, 1, k);
    free(x);
    return m;
}

double ri_stats_sd(const double *v, size_t stride, size_t n)
{
    size_t k;
    double *x = finite_copy(v, stride, n, &k);
    double s = NAN;

    if (!x)
        return NAN;
    if (k >= 2)
        s = gsl_stats_sd(x, 1, k);
    free(x);
    return s;
}

double ri_stats_quantile(const double *v, size_t stride, size_t n, double q)
{
    size_t k;
    double *x, r;

    /* GSL indexes the sorted data at q * (n - 1) without a range check. */
    if (!(q >= 0.0 && q <= 1.0))
        return NAN;
    if (!(x = finite_copy(v, stride, n, &k)))
        return NAN;
    sort_unless_sorted(x, k);
    r = gsl_stats_quantile_from_sorted_data(x, 1, k, q);
    free(x);
    return r;
}

static int weighted_pair(double v, double w)
{
    return isfinite(v) && isfinite(w) && w > 0.0;
}

double ri_stats_weighted_mean(const double *v, const double *w, size_t n)
{
    size_t k = 0, j = 0;
    double *buf, m;

    for (size_t i = 0; i < n; i++)
        if (weighted_pair(v[i], w[i]))
            k++;
    if (k == 0 || !(buf = malloc(2 * k * sizeof *buf)))
        return NAN;
    for (size_t i = 0; i < n; i++)
        if (weighted_pair(v[i], w[i])) {
            buf[j] = v[i];
            buf[k + j] = w[i];
            j++;
        }
    m = gsl_stats_wmean(buf + k, 1, buf, 1, k);
    free(buf);
    return m;
}

static void summary_empty(ri_stats_summary *out, size_t n_missing)
{
    out->n = 0;
    out->n_missing = n_missing;
    out->mean = out->median = out->sd = out->cv = out->min = out->max = NAN;
    out->argmin = out->argmax = (size_t)-1;
    for (size_t d = 0; d < 9; d++)
        out->deciles[d] = NAN;
}

ri_rc ri_stats_summarise(const double *v, size_t n, const unsigned char *mask,
                         ri_stats_summary *out, ri_error *err)
{
    size_t k = 0, selected = 0, j = 0, imin, imax;
    double *x;
    size_t *at;

    for (size_t i = 0; i < n; i++) {
        if (mask && !mask[i])
            continue;
        selected++;
        if (isfinite(v[i]))
            k++;
    }
    summary_empty(out, selected - k);
    if (selected == 0)
        return ri_fail(err, RI_RC_DATA,
                       "nothing to summarise: none of the %zu values is selected", n);
    if (k == 0)
        return ri_fail(err, RI_RC_DATA,
                       "nothing to summarise: all %zu selected values are missing", selected);

    x = malloc(k * sizeof *x);
    at = malloc(k * sizeof *at);
    if (!x || !at) {
        free(x);
        free(at);
        return ri_fail(err, RI_RC_DATA, "out of memory summarising %zu values", k);
    }
    for (size_t i = 0; i < n; i++)
        if ((!mask || mask[i]) && isfinite(v[i])) {
            x[j] = v[i];
            at[j] = i;
            j++;
        }

    /* Indices are taken before sorting, which would lose them. */
    gsl_stats_minmax_index(&imin, &imax, x, 1, k);
    out->n = k;
    out->argmin = at[imin];
    out->argmax = at[imax];
    out->mean = gsl_stats_mean(x, 1, k);
    if (k >= 2) {
        out->sd = gsl_stats_sd_m(x, 1, k, out->mean);
        /* A zero mean has no meaningful relative spread; infinity would pass for a value. */
        if (out->mean != 0.0)
            out->cv = out->sd / out->mean;
    }
    sort_unless_sorted(x, k);
    out->min = x[0];
    out->max = x[k - 1];
    out->median = gsl_stats_median_from_sorted_data(x, 1, k);
    for (size_t d = 0; d < 9; d++)
        out->deciles[d] = gsl_stats_quantile_from_sorted_data(x, 1, k, (double)(d + 1) / 10.0);
    free(x);
    free(at);
    return RI_RC_OK;
}

void ri_stats_rank(const double *v, size_t n, const unsigned char *mask,
                   int descending, double *rank, double *percentile)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        if ((!mask || mask[i]) && isfinite(v[i]))
            count++;

    for (size_t i = 0; i < n; i++) {
        size_t below = 0, above = 0;

        if ((mask && !mask[i]) || !isfinite(v[i])) {
            if (rank)
                rank[i] = NAN;
            if (percentile)
                percentile[i] = NAN;
            continue;
        }
        for (size_t j = 0; j < n; j++) {
            if ((mask && !mask[j]) || !isfinite(v[j]))
                continue;
            if (v[j] < v[i])
                below++;
            else if (v[j] > v[i])
                above++;
        }
        if (rank)
            rank[i] = 1.0 + (double)(descending ? above : below);
        if (percentile)
            percentile[i] = count > 1 ? 100.0 * (double)below / (double)(count - 1) : 100.0;
    }
}

static void fit_outputs(double *c0, double *c1, double *se_c1, double *r2,
                        double a, double b, double se, double rsq)
{
    if (c0)
        *c0 = a;
    if (c1)
        *c1 = b;
    if (se_c1)
        *se_c1 = se;
    if (r2)
        *r2 = rsq;
}

ri_rc ri_stats_fit_linear(const double *x, const double *y, size_t n, double *c0,
                          double *c1, double *se_c1, double *r2, ri_error *err)
{
    size_t k = 0, j = 0, distinct = 0;
    double *px, *py, a, b, cov00, cov01, cov11, sumsq, tss;
    int status;

    fit_outputs(c0, c1, se_c1, r2, NAN, NAN, NAN, NAN);
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i]))
            k++;
    if (k < 3)
        return ri_fail(err, RI_RC_DATA,
                       "trend needs at least 3 periods with values; got %zu", k);
    if (!(px = malloc(2 * k * sizeof *px)))
        return ri_fail(err, RI_RC_DATA, "out of memory fitting a trend to %zu values", k);
    py = px + k;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            px[j] = x[i];
            py[j] = y[i];
            if (px[j] != px[0])
                distinct = 1;
            j++;
        }
    /* GSL would divide by the zero spread of x and return a NaN slope as success. */
    if (!distinct) {
        double x0 = px[0];
        free(px);
        return ri_fail(err, RI_RC_DATA,
                       "trend needs values in at least 2 different periods; all %zu have x = %g",
                       k, x0);
    }
    status = gsl_fit_linear(px, 1, py, 1, k, &a, &b, &cov00, &cov01, &cov11, &sumsq);
    if (status != GSL_SUCCESS) {
        free(px);
        return ri_fail(err, RI_RC_DATA, "linear trend over %zu values failed: %s", k,
                       gsl_strerror(status));
    }
    tss = gsl_stats_tss(py, 1, k);
    free(px);
    fit_outputs(c0, c1, se_c1, r2, a, b, sqrt(cov11), tss > 0.0 ? 1.0 - sumsq / tss : NAN);
    return RI_RC_OK;
}
