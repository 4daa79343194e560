/*
 * dataset.h — one configured dataset read from its CSV file into a dense cube.
 *
 * Owns the meaning of records: the header, column bindings, filters, the
 * tidy and wide-by-period layouts, numbers and missing markers (counted per
 * marker), and duplicate keys. The result is a cube area x period x
 * industry per measure (NaN where absent or missing), with interned labels.
 * It knows nothing of plugins, outputs or other datasets; panel.c joins
 * cubes and geo.c aggregates the joined panel.
 */
#ifndef RI_DATASET_H
#define RI_DATASET_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "strtab.h"

typedef struct ri_dataset {
    const ri_dataset_cfg *cfg; /* borrowed from the job */
    ri_strtab *areas, *periods;
    ri_strtab *industries;     /* NULL when the dataset has no industry column */
    size_t n_areas, n_periods, n_industries; /* n_industries >= 1 */
    char **area_names;         /* [n_areas], "" when unknown */
    char **area_types;         /* [n_areas], NULL entries when not in the data */

    size_t n_measures;
    char **measure_names;
    int *additive;
    double **values;           /* [n_measures][n_areas * n_periods * n_industries] */

    size_t rows_read;          /* data rows after the header */
    size_t rows_kept;          /* rows that passed the filters */
    size_t cells_read;         /* numeric or missing cells stored */
    size_t n_markers;
    size_t *missing_by_marker; /* [n_markers] */
    char **marker_names;       /* [n_markers] */
} ri_dataset;

#define RI_CELL(ds, a, p, i) (((a) * (ds)->n_periods + (p)) * (ds)->n_industries + (i))

/* Read cfg's file (markers: the job's extra missing markers plus the dataset's). */
ri_rc ri_dataset_load(const ri_dataset_cfg *cfg, char *const *job_missing,
                      size_t n_job_missing, ri_dataset **out, ri_error *err);

/* The same from buf[0..len) instead of cfg->path (which still names it in messages). */
ri_rc ri_dataset_load_mem(const ri_dataset_cfg *cfg, const char *buf, size_t len,
                          char *const *job_missing, size_t n_job_missing, ri_dataset **out,
                          ri_error *err);

/* Index of a measure by name, or -1. */
long ri_dataset_measure(const ri_dataset *ds, const char *name);

/* Total NaN cells across all measures. */
size_t ri_dataset_missing_total(const ri_dataset *ds);

void ri_dataset_free(ri_dataset *ds);

#endif
