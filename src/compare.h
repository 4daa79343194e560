/*
 * compare.h — `regind compare`: indicator values side by side for chosen
 * areas and their benchmark, as an aligned table, tidy CSV or JSON.
 *
 * Owns area selection (codes or case-insensitive name fragments), the
 * default period (the latest with data), ranking and percentiles among all
 * areas of the compared type, the summary line and --stats distribution,
 * series with least-squares trends (--since), rows by breakdown for outputs
 * by industry or scope, and the human table's number format (thousands
 * separators, units legend, "n/a" for missing values).
 */
#ifndef RI_COMPARE_H
#define RI_COMPARE_H

#include <stdio.h>

#include "config.h"
#include "error.h"
#include "manifest.h"
#include "results.h"

typedef enum ri_compare_format {
    RI_COMPARE_TABLE = 0,
    RI_COMPARE_CSV = 1,
    RI_COMPARE_JSON = 2,
    RI_COMPARE_XLSX = 3
} ri_compare_format;

typedef struct ri_compare_opts {
    const char *const *indicators; /* ids to show; NULL = every indicator in the results */
    size_t n_indicators;
    const char *const *areas;   /* codes or name fragments; none = every area of area_type */
    size_t n_areas;
    const char *area_type;      /* the compared type, e.g. "LEP" */
    const char *period;         /* NULL = latest period with data */
    const char *since;          /* NULL = one period; else a series from this period */
    const char *sort;           /* output to sort and rank by; NULL = each indicator's first */
    size_t top;                 /* 0 = all rows */
    int stats;                  /* print each output's distribution across the group */
    const char *weight;         /* measure weighting the mean in --stats (e.g. population); NULL = none */
    ri_compare_format format;
    int wide;                   /* csv: one column per output (output_csv.h) */
    const ri_manifest *manifest; /* xlsx: what its Sources sheet lists; NULL = no such sheet */
} ri_compare_opts;

/* Write the comparison of the indicators in r (already restricted to the ones wanted). */
ri_rc ri_compare_write(FILE *f, const ri_job *job, const ri_results *r,
                       const ri_compare_opts *o, ri_error *err);

#endif
