/*
 * report.h — `regind report`: one self-contained HTML page for a board paper.
 *
 * Owns the page: per indicator a headline paragraph (highest, lowest, the
 * benchmark, the named areas' ranks), its chart (inline SVG from chart.c,
 * through compare) and a ranked table; then "Sources and method" from the
 * run manifest (inputs and plugins with SHA-256, what each dataset held,
 * warnings, units, how ranks are made). The page needs nothing else: CSS
 * inline, no script, no external resource, and print rules for A4. It
 * reads results, the panel's labels and counts and the manifest; never a
 * dataset or job file.
 */
#ifndef RI_REPORT_H
#define RI_REPORT_H

#include <stdio.h>

#include "config.h"
#include "error.h"
#include "manifest.h"
#include "results.h"

typedef struct ri_report_opts {
    const char *const *indicators; /* ids to report; NULL = every indicator in the results */
    size_t n_indicators;
    const char *const *areas;      /* named areas (codes or name fragments), highlighted */
    size_t n_areas;
    const char *area_type;         /* the compared type, e.g. "LEP" */
    const char *period;            /* NULL = each indicator's latest with data */
    const char *since;             /* NULL = bar charts; else line charts from this period */
    const char *const *warnings;   /* what was logged as warnings while computing */
    size_t n_warnings;
    const char *generated;         /* when the page was made, shown as is; NULL = not shown */
    const unsigned char *peers;    /* a peer group (compare.h): the group, against their mean; NULL = none */
    size_t peers_area;             /* the area holding their mean, every indicator's benchmark */
} ri_report_opts;

/* Write the report of r (computed from job) to f; m is the manifest of the inputs. */
ri_rc ri_report_write(FILE *f, const ri_job *job, const ri_results *r, const ri_manifest *m,
                      const ri_report_opts *o, ri_error *err);

#endif
