/*
 * rates.h — what the growth and productivity plugins share: growth rates
 * between two levels and the period a number of years earlier. Static, so
 * each plugin stays one self-contained module.
 */
#ifndef RI_PLUGINS_RATES_H
#define RI_PLUGINS_RATES_H

#include <regind/plugin.h>

#include <math.h>

/* Annualised growth from start to end over `years`; undefined from a level of zero or less. */
static inline double growth_pct(double start, double end, double years)
{
    return start > 0 ? (pow(end / start, 1 / years) - 1) * 100 : NAN;
}

/* The period starting in `year`, or n_periods: periods may skip years, so a
   period some years earlier is found by its year, not its place. */
static inline size_t period_of_year(const ri_call *call, double year)
{
    size_t p = 0;
    while (p < call->n_periods && call->period_years[p] != year)
        p++;
    return p;
}

#endif
