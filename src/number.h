/*
 * number.h — reading one CSV cell as a number or a missing-value marker.
 *
 * Owns the list of built-in missing markers (blank, "..", ":", "-", "x", "c",
 * "[u]", "[c]", "[x]", "[low]") extended by a job's own list, and the number
 * grammar: optional surrounding spaces, sign, digits with optional decimal
 * part and exponent; thousands separators ("1,234") only inside quoted cells.
 * Out-of-range values (1e400), "nan" and "inf" are not numbers.
 */
#ifndef RI_NUMBER_H
#define RI_NUMBER_H

#include <stddef.h>

typedef enum ri_cell_kind {
    RI_CELL_NUMBER = 0,
    RI_CELL_MISSING = 1,
    RI_CELL_BAD = 2
} ri_cell_kind;

/* Number of built-in markers; marker indices below this are built-in. */
#define RI_BUILTIN_MARKERS 10

typedef struct ri_markers {
    const char *const *extra; /* the job's additional markers, may be NULL */
    size_t n_extra;
} ri_markers;

/*
 * Classify the cell s[0..len). For RI_CELL_NUMBER *out is the value; for
 * RI_CELL_MISSING *out is NaN and *marker the marker's index (0 = blank).
 * markers may be NULL (built-ins only).
 */
ri_cell_kind ri_parse_cell(const char *s, size_t len, int quoted,
                           const ri_markers *markers, double *out, int *marker);

/* Total number of markers (built-in + extra). */
size_t ri_marker_count(const ri_markers *markers);

/* Display name of a marker index ("blank" for 0, otherwise the marker text). */
const char *ri_marker_name(const ri_markers *markers, int marker);

#endif
