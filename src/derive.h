/*
 * derive.h — derived measures: "gva_per_hour * hours_per_week / 1e6".
 *
 * Owns the expression grammar (products and quotients of measure names,
 * total(measure) and numeric constants, left to right) and its evaluation
 * cell by cell. Any NaN operand or a division by zero gives NaN; a result
 * beyond the double range is infinite, which the panel turns into NaN with
 * a warning. total(x) is resolved by the lookup under the name "total(x)".
 */
#ifndef RI_DERIVE_H
#define RI_DERIVE_H

#include <stddef.h>

#include "error.h"

/* Resolves a measure name to its column; NULL when unknown. */
typedef const double *(*ri_derive_lookup)(void *user, const char *name);

/*
 * Evaluate expr over n cells into out. Unknown names and syntax errors are
 * RI_RC_USAGE errors whose message starts with the offending text.
 */
ri_rc ri_derive_eval(const char *expr, ri_derive_lookup lookup, void *user,
                     size_t n, double *out, ri_error *err);

#endif
