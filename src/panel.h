/*
 * panel.h — the joined, dense, columnar panel the engine hands to plugins.
 *
 * Owns the area table (code, name, type, parents), the sorted period labels,
 * the union of every dataset's industry labels, and one contiguous double
 * column per measure, laid out as in include/regind/plugin.h (area-major;
 * industry innermost for columns by industry). A column by industry keeps
 * only its own dataset's industries, so unrelated breakdowns (SIC sections,
 * funding scopes) never multiply each other's size. Missing cells are NaN. A panel is built from loaded datasets by
 * ri_panel_build() (panel.c), which then evaluates the job's derived
 * measures and applies lookups and aggregates (geo.c). Each column records
 * which areas its source data covers, so aggregation never mixes vintages
 * of codes. Everything in it is owned by the panel; ri_panel_free() frees it.
 */
#ifndef RI_PANEL_H
#define RI_PANEL_H

#include <stddef.h>

#include "config.h"
#include "error.h"

typedef struct ri_column {
    char *name;
    char *dataset;      /* id of the dataset it came from */
    int by_industry;    /* 1: n_areas * n_periods * n_ind cells; 0: n_areas * n_periods */
    size_t n_ind;       /* industries of this column (its dataset's own); 1 when not by industry */
    size_t *ind;        /* [n_ind] indices into the panel's industries; NULL when not by industry */
    int additive;       /* may be summed over areas */
    double *v;
    unsigned char *present; /* [n_areas]: 1 when the area is in the column's source data */
} ri_column;

/* What was read from one dataset, for `check` and run manifests. */
typedef struct ri_dataset_info {
    char *id;
    char *path;
    size_t rows_read, rows_kept, cells_read, missing;
    size_t n_areas, n_periods;
    char *first_period, *last_period;
} ri_dataset_info;

/*
 * What one aggregate's or lookup parent's sum of one measure covers, kept
 * when a member lacks cells of it or is absent from its data (geo.c).
 * Members "used" are those whose every cell went into the sum.
 */
typedef struct ri_coverage {
    char *source;        /* "aggregate" or "lookup ID" */
    char *area;          /* the aggregate or parent code */
    char *measure;
    ri_members_rule rule;
    size_t n_members;    /* members named, including those without the measure's data */
    size_t n_used;       /* members with every cell of the measure */
    char **left_out;     /* codes of the other members: incomplete, then absent */
    size_t n_left_out;
    double share;        /* percent of the members' total held by the used ones, lowest over periods; NaN when unknown */
    char *share_period;  /* the period of that lowest share; NULL when unknown */
    size_t nan_cells;    /* cells of the sum left missing */
    ri_loc loc;          /* the aggregate's or lookup's setting */
} ri_coverage;

/* Areas of one type that share members: each shared member is counted once per parent of the
   type, so sums and weighted means across those areas count it more than once (geo.c). */
typedef struct ri_overlap {
    char *type;          /* "LEP" */
    size_t n_areas;      /* areas of the type with a shared member */
    char **shared;       /* codes of the members in more than one of them */
    size_t n_shared;
    size_t n_extra;      /* memberships beyond the first: how many times members are counted again */
} ri_overlap;

typedef struct ri_panel {
    size_t n_areas, n_periods, n_industries; /* n_industries >= 1 */
    /* Parallel arrays, shaped for ri_call. */
    char **area_codes;
    char **area_names;  /* "" when unknown */
    char **area_types;
    size_t **parents;   /* [n_areas] -> indices of parent areas */
    size_t *n_parents;
    char **periods;     /* ascending */
    double *period_years;
    char **industries;  /* NULL when no dataset has industries */

    ri_column *cols;
    size_t n_cols;

    ri_dataset_info *datasets;
    size_t n_datasets;

    ri_coverage *coverage;   /* sums that left members out or have missing cells */
    size_t n_coverage;
    ri_overlap *overlaps;    /* area types whose areas share members */
    size_t n_overlaps;
    char **warnings;         /* what building the panel found worth a warning, in order; the engine
                                logs them */
    size_t n_warnings;

    struct ri_strtab *area_index;   /* codes -> area index (same order as area_codes) */
    struct ri_strtab *period_index; /* labels -> period index */
} ri_panel;

/* The column named name, or NULL. */
const ri_column *ri_panel_column(const ri_panel *p, const char *name);

/* Index of the area with this code, or (size_t)-1. */
size_t ri_panel_area(const ri_panel *p, const char *code);

/* Index of the period with this label, or (size_t)-1. */
size_t ri_panel_period(const ri_panel *p, const char *label);

/* Index of the area with this code, adding it (with NaN cells) when absent; (size_t)-1 when out of memory. */
size_t ri_panel_add_area(ri_panel *p, const char *code, const char *name, const char *type);

/*
 * Append a column with no area present; its values are left for the caller
 * to fill. ind (copied) lists the column's n_ind industries as panel indices;
 * NULL for a column without industries. NULL when out of memory.
 */
ri_column *ri_panel_add_column(ri_panel *p, const char *name, const char *dataset, size_t n_ind,
                               const size_t *ind, int additive);

/* Cells per area of a column: n_periods, times its n_ind when by industry. */
size_t ri_column_stride(const ri_panel *p, const ri_column *c);

/* The overlap of areas of this type, or NULL when they share no member. */
const ri_overlap *ri_panel_overlap(const ri_panel *p, const char *type);

/* Append a warning (printf-style); -1 when out of memory. */
int ri_panel_warn(ri_panel *p, const char *fmt, ...) RI_PRINTF(2, 3);

/* Build the panel for a job: load every dataset and lookup, derive, aggregate, join. */
ri_rc ri_panel_build(const ri_job *job, ri_panel **out, ri_error *err);

void ri_panel_free(ri_panel *p);

#endif
