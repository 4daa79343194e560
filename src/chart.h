/*
 * chart.h — pictures of compared values: ranked bars for one period, lines
 * over periods, several of either side by side (small multiples).
 *
 * Owns the drawing, done once against a canvas that is either a cairo
 * surface (PNG, PDF) or SVG text written directly, so that an SVG keeps its
 * words as text (searchable, readable by screen readers, and the same bytes
 * for the same inputs: no generated glyph ids). Text is measured with cairo
 * in the DejaVu Sans face found through fontconfig, for every format.
 * Colours pass WCAG contrast against white (text 4.5:1, bars and lines
 * 3:1) and stay apart in greyscale; missing values are gaps, never zeros.
 * What to draw is decided by the caller (compare.c): the chart knows
 * labels and numbers, not results or the job.
 */
#ifndef RI_CHART_H
#define RI_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef enum ri_chart_format { RI_CHART_SVG = 0, RI_CHART_PNG = 1, RI_CHART_PDF = 2 } ri_chart_format;

/* One bar, or one line: a label and its values over the panel's x labels. */
typedef struct ri_chart_item {
    const char *label;
    const double *v;     /* [n_x]; NaN = missing (a gap) */
    int highlight;       /* an area named on the command line */
} ri_chart_item;

typedef struct ri_chart_panel {
    const char *title;   /* e.g. "gap: gva_per_head, 2019" */
    const char *unit;
    int decimals;        /* of the value labels (display.h) */
    const char *const *x; /* [n_x] period labels */
    size_t n_x;          /* 1: ranked horizontal bars, items in rank order; more: lines */
    const ri_chart_item *items;
    size_t n_items;
    const ri_chart_item *benchmark; /* a reference line (dashed); NULL = none */
} ri_chart_panel;

typedef struct ri_chart {
    const char *title;
    const char *source;  /* the footer: "Source: ...; regind VERSION" */
    const ri_chart_panel *panels;
    size_t n_panels;     /* more than one: small multiples, two a row */
} ri_chart;

/* Draw c in format fmt to f. RI_RC_DATA when drawing or writing fails. */
ri_rc ri_chart_write(FILE *f, const ri_chart *c, ri_chart_format fmt, ri_error *err);

#endif
