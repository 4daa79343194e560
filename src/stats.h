/*
 * stats.h — descriptive statistics, ranks and linear trends over columns.
 *
 * Owns the statistical conventions of regind, so that the core and every
 * plugin (through ri_host) agree on them: missing values (NaN, and any other
 * non-finite value) are left out, never counted as 0; the sample standard
 * deviation divides by n - 1; quantiles follow GSL's
 * gsl_stats_quantile_from_sorted_data (linear interpolation between order
 * statistics at position q * (n - 1), so the median of {1,2,3,4} is 2.5).
 * GSL does the arithmetic. GSL's default error handler aborts the process,
 * so ri_stats_init() must run before any GSL call; GSL status codes are then
 * turned into ri_error messages here.
 *
 * A column is read as n values at a stride: v[0], v[stride], ...,
 * v[(n - 1) * stride]; stride 1 reads a plain array and stride n_industries
 * reads one industry of a column by industry. The functions that return a
 * bare double copy the finite values to the heap and return NaN when no
 * value is left (or, since they have no error channel, when the copy cannot
 * be allocated); the ones that return ri_rc report every failure in err.
 */
#ifndef RI_STATS_H
#define RI_STATS_H

#include <stddef.h>

#include "error.h"

/* Turn off GSL's aborting error handler. Call once, before any other ri_stats_* call. */
void ri_stats_init(void);

/* Number of finite values. */
size_t ri_stats_count(const double *v, size_t stride, size_t n);

/* Arithmetic mean of the finite values; NaN when there are none. */
double ri_stats_mean(const double *v, size_t stride, size_t n);

/* Sample standard deviation (divisor n - 1) of the finite values; NaN when fewer than 2. */
double ri_stats_sd(const double *v, size_t stride, size_t n);

/* Quantile q in [0, 1] of the finite values (GSL convention above); NaN when
   there are none or q is NaN or outside [0, 1]. */
double ri_stats_quantile(const double *v, size_t stride, size_t n, double q);

/* Mean of v weighted by w over the pairs where both are finite and w > 0;
   NaN when there is no such pair. */
double ri_stats_weighted_mean(const double *v, const double *w, size_t n);

typedef struct ri_stats_summary {
    size_t n;           /* finite values summarised */
    size_t n_missing;   /* selected values that were not finite */
    double mean, median;
    double sd;          /* sample sd; NaN when n < 2 */
    double cv;          /* sd / mean; NaN when sd is NaN or mean is 0 */
    double min, max;
    size_t argmin, argmax; /* indices into v of the first minimum / maximum */
    double deciles[9];  /* the 10%, 20%, ..., 90% quantiles */
} ri_stats_summary;

/*
 * Summarise v[0..n): only the indices with mask[i] != 0 when mask is not
 * NULL. With no finite selected value, returns RI_RC_DATA and leaves *out
 * with n = 0, the missing count, NaN statistics and argmin = argmax =
 * (size_t)-1.
 */
ri_rc ri_stats_summarise(const double *v, size_t n, const unsigned char *mask,
                         ri_stats_summary *out, ri_error *err);

/*
 * Rank and percentile of each value of v[0..n) among the "ranked" values:
 * the finite v[i] with mask == NULL or mask[i] != 0. Let C be their number.
 * For a ranked v[i]:
 *   rank[i] = 1 + the number of ranked values strictly better than v[i],
 *             where better means higher when descending != 0 and lower
 *             otherwise; ties share the smallest rank ("1, 2, 2, 4").
 *   percentile[i] = 100 * (number of ranked values strictly below v[i]) / (C - 1)
 *             when C > 1, and 100 when C == 1. It places the value in the
 *             distribution (0 = lowest, 100 = highest unless tied) and does
 *             not depend on descending.
 * Every other entry of rank and percentile is NaN. Either output may be
 * NULL. Needs no memory; takes O(n^2) time, which suits ranking areas
 * (hundreds), not cells.
 */
void ri_stats_rank(const double *v, size_t n, const unsigned char *mask,
                   int descending, double *rank, double *percentile);

/*
 * Least-squares line y = c0 + c1 x (gsl_fit_linear) over the pairs where
 * both x[i] and y[i] are finite. se_c1 is the standard error of the slope,
 * sqrt(cov11) with the residual variance sumsq / (pairs - 2); r2 is
 * 1 - sumsq / TSS, NaN when y is constant (TSS = 0). Any output pointer may
 * be NULL. Fails with RI_RC_DATA when fewer than 3 pairs remain or all x are
 * equal; the outputs are then NaN.
 */
ri_rc ri_stats_fit_linear(const double *x, const double *y, size_t n, double *c0,
                          double *c1, double *se_c1, double *r2, ri_error *err);

#endif
