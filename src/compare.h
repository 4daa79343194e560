/*
 * compare.h — `regind compare`: indicator values side by side for chosen
 * areas and their benchmark, as an aligned table, tidy CSV or JSON.
 *
 * Owns area selection (codes or case-insensitive name fragments), the
 * default period (the latest with data), ranking and percentiles among all
 * areas of the compared type, the summary line and --stats distribution,
 * series with least-squares trends (--since), rows by breakdown for outputs
 * by industry or scope, and the human table's layout: fitted to the
 * terminal width (columns that do not fit are named, long names shortened),
 * each column in the precision display.h chooses for it, a units legend,
 * "n/a" for missing values; and what the charts of a comparison show
 * (chart.c draws them).
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
    RI_COMPARE_SVG = 3,  /* charts (chart.h) */
    RI_COMPARE_PNG = 4,
    RI_COMPARE_PDF = 5,
    RI_COMPARE_XLSX = 6  /* a workbook (output_xlsx.h) */
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
    const char *const *outputs; /* --outputs: the outputs shown; none = each indicator's all */
    size_t n_outputs;
    size_t width;               /* table width in characters; 0 = ri_display_columns() */
    const unsigned char *peers; /* [n_areas] a peer group: ranks, statistics and charts among these
                                   areas; NULL = every area of area_type */
    size_t peers_area;          /* the area holding their mean (ri_results_add_mean_area), shown as
                                   every indicator's benchmark; RI_NO_AREA without peers */
    const char *peers_label;    /* what the group is, e.g. "northern_peers (4 LEP areas)" */
    int wide;                   /* csv: one column per output (output_csv.h) */
    const ri_manifest *manifest; /* xlsx: what its Sources sheet lists; NULL = no such sheet */
} ri_compare_opts;

/* Mark in mask the areas arg names: an exact code, else name fragments of the compared type,
   else of any type. RI_RC_USAGE, with the closest name suggested, when it names none. */
ri_rc ri_compare_select_area(const ri_panel *p, const char *arg, const char *type, unsigned char *mask,
                             ri_error *err);

/* The areas of a comparison: in group, the peers when given, else every area of type; in named
   (zeroed by the caller), the areas args[0..n) name (ri_compare_select_area). RI_RC_DATA when the
   data has no periods. Shared by compare and report, so both pick the same areas. */
ri_rc ri_compare_areas(const ri_panel *p, const unsigned char *peers, const char *type, const char *const *args,
                       size_t n, unsigned char *group, unsigned char *named, ri_error *err);

/* The latest period in which an area marked in mask has a value of col (the last period when none has). */
size_t ri_compare_latest(const ri_panel *p, const ri_result_col *col, const unsigned char *mask);

/* The areas of one output in one period as compare ranks them. */
typedef struct ri_ranked {
    double *vals;   /* [n_areas] the output's values in the period */
    double *rank;   /* [n_areas] rank among the group (1 = highest), NaN outside it or when missing */
    double *pct;    /* [n_areas] percentile among the group */
    size_t *rows;   /* the chosen areas but the benchmark: highest first, missing last, ties by code */
    size_t n_rows;  /* cut to top when top > 0 */
} ri_ranked;

/* Rank the chosen areas of col in period t (areas are marked in chosen and group);
   free with ri_ranked_free. Ties are broken by area code. */
ri_rc ri_compare_rank(const ri_panel *p, const ri_result_col *col, size_t t, const unsigned char *chosen,
                      const unsigned char *group, size_t benchmark, size_t top, ri_ranked *out,
                      ri_error *err);
void ri_ranked_free(ri_ranked *r);

/* Write the comparison of the indicators in r (already restricted to the ones wanted). */
ri_rc ri_compare_write(FILE *f, const ri_job *job, const ri_results *r,
                       const ri_compare_opts *o, ri_error *err);

#endif
