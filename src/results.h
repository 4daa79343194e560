/*
 * results.h — what a run computed: one column per indicator output, keyed
 * like the panel it was computed on.
 *
 * Owns the result columns and their units (a plugin may refine a unit at run
 * time). Writers (output_csv.c, output_json.c) and compare.c read results
 * with the panel's labels; neither knows how results were computed. Also
 * owns what the writers share, so their files always agree: which cells a
 * selection takes, the order they are written in, and how numbers are
 * written.
 */
#ifndef RI_RESULTS_H
#define RI_RESULTS_H

#include <stddef.h>

#include "numfmt.h"
#include "panel.h"

typedef struct ri_result_col {
    char *indicator;  /* the indicator id from the job */
    char *output;     /* the plugin's output name */
    char *unit;
    char *help;       /* the plugin's one line on the output; NULL when not given */
    int by_industry;  /* same meaning as ri_column.by_industry */
    size_t n_ind;     /* industries of the column; 1 when not by industry */
    size_t *ind;      /* [n_ind] indices into the panel's industries; NULL when not by industry */
    double *v;        /* NaN = missing */
    unsigned char *applies; /* one per cell of v: 0 where the indicator does not apply (area,
                               period or breakdown outside its inputs' data); NULL = everywhere.
                               Writers skip such cells; missing values inside are written. */
} ri_result_col;

typedef struct ri_results {
    const ri_panel *panel; /* borrowed */
    const char *breakdown; /* the industry dimension's name in outputs ("industry", "scope") */
    ri_result_col *cols;
    size_t n_cols;
    size_t warnings;       /* warnings plugins logged while computing */
    char **warning_lines;  /* [n_warning_lines] their text, "indicator ID (plugin NAME): ..." */
    size_t n_warning_lines;
} ri_results;

ri_results *ri_results_new(const ri_panel *panel);

/* Append a NaN-filled column; returns it, or NULL when out of memory.
   ind[0..n_ind) lists its industries as panel indices (NULL: a column
   without industries). Strings and ind are copied. The returned pointer is valid only until the next
   ri_results_add (the array may move); its v stays valid until
   ri_results_free. */
ri_result_col *ri_results_add(ri_results *r, const char *indicator, const char *output,
                              const char *unit, size_t n_ind, const size_t *ind);

/* Keep a copy of a warning's line; -1 when out of memory. */
int ri_results_add_warning(ri_results *r, const char *line);

/* The column for indicator/output, or NULL. */
const ri_result_col *ri_results_find(const ri_results *r, const char *indicator,
                                     const char *output);

/*
 * Add an area to panel p (which r's columns cover) whose every output cell
 * is the unweighted mean of that cell over the areas marked in members that
 * have it: the "mean of peers" row of a comparison with statistical
 * neighbours. A cell no member has is missing and does not apply. *area is
 * the new area's index. RI_RC_USAGE when code is an area already.
 */
ri_rc ri_results_add_mean_area(ri_results *r, ri_panel *p, const unsigned char *members, const char *code,
                               const char *name, const char *type, size_t *area, ri_error *err);

void ri_results_free(ri_results *r);

/* What a writer emits. A NULL selection, or a NULL member, means everything
   along that dimension. An indicator id selects all of its outputs. */
typedef struct ri_selection {
    const unsigned char *areas;    /* [n_areas] 1 = include; NULL = all areas */
    const unsigned char *periods;  /* [n_periods] 1 = include; NULL = all periods */
    const char *const *indicators; /* ids to include; NULL = all */
    size_t n_indicators;
    const size_t *order;           /* [n_areas] the areas in the order to visit them; NULL = panel order */
} ri_selection;

/* Whether sel takes the outputs of this indicator. */
int ri_selection_has(const ri_selection *sel, const char *indicator);

/* The industry index a cell of a column without industries is visited with. */
#define RI_NO_INDUSTRY ((size_t)-1)

/* Called for one selected cell; a status other than RI_RC_OK stops the walk. */
typedef ri_rc (*ri_cell_fn)(void *ctx, const ri_result_col *col, size_t area,
                            size_t period, size_t industry, double v, ri_error *err);

/* Check a selection before anything is written, so that a writer never
   leaves half a file behind: every indicator id it names must be in r
   (RI_RC_USAGE: a typo would otherwise give an empty file), every selected
   value must be a number or NaN (RI_RC_DATA: infinity has no CSV or JSON
   form and means a plugin broke its contract), and columns by industry need
   the panel's industry labels (RI_RC_DATA). */
ri_rc ri_results_check(const ri_results *r, const ri_selection *sel, ri_error *err);

/* Visit the selected cells in the order every writer uses: column (in
   results order), then area (in sel->order, else panel order), period and
   industry (in panel order). Returns
   the first status fn returned other than RI_RC_OK. */
ri_rc ri_results_each(const ri_results *r, const ri_selection *sel, ri_cell_fn fn,
                      void *ctx, ri_error *err);

/* The same walk cut in blocks, for writers that share the work out: block
   b is column b / n_areas and area b % n_areas, and there are
   n_cols * n_areas of them. ri_results_each_block() visits blocks
   [from, to) in order; ri_results_block_cells() is the most cells a block
   can hold (periods x the column's industries). */
size_t ri_results_blocks(const ri_results *r);

/* Called for one row of the wide shape: has[c] says whether cols[c] applies
   there, and then v[c] is its value (NaN when missing). */
typedef ri_rc (*ri_row_fn)(void *ctx, size_t area, size_t period, size_t industry, const double *v,
                           const unsigned char *has, ri_error *err);

/* The rows of the wide shape over cols[0..n), all by industry (by_industry
   = 1, rows per area, period and panel industry) or none (industry
   RI_NO_INDUSTRY): areas in sel->order (else panel order), then periods and
   industries in panel order, skipping rows where no column applies. Only
   the areas at positions [from, to) of that order are visited (0 and
   n_areas: all), so that writers can share the rows out in pieces. */
ri_rc ri_results_each_row(const ri_results *r, const ri_selection *sel, const ri_result_col *const *cols,
                          size_t n, int by_industry, size_t from, size_t to, ri_row_fn fn, void *ctx,
                          ri_error *err);
size_t ri_results_block_cells(const ri_results *r, size_t block);
ri_rc ri_results_each_block(const ri_results *r, const ri_selection *sel, size_t from, size_t to,
                            ri_cell_fn fn, void *ctx, ri_error *err);



#endif
