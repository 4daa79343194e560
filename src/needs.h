/*
 * needs.h — the part of a job some indicators need.
 *
 * Owns working out, for a set of indicators (and the ones whose outputs
 * they read, "ID.OUTPUT"), which measures they read, through derived
 * measures, and so which datasets must be loaded and which lookup sums made.
 * `regind compare` shows a few indicators of a job whose other datasets can
 * be ten times larger: loading only what is shown keeps it interactive.
 */
#ifndef RI_NEEDS_H
#define RI_NEEDS_H

#include <stddef.h>

#include "config.h"
#include "error.h"

/*
 * A view of job for the indicators only[0..n_only) (NULL: every indicator)
 * and the extra measures (a compare weight, say): the datasets that provide
 * a needed measure, the derived measures needed, and the lookups that sum a
 * needed measure, each summing only those; with members_of (an area type,
 * or NULL), also the lookups whose parents are of that type, for the
 * memberships that tell which of those areas share members. Everything else is job's, shared:
 * free the view with ri_job_view_free() before job. Unknown ids and names
 * are left for the engine to report.
 */
ri_rc ri_job_view(const ri_job *job, const char *const *only, size_t n_only, const char *const *extra,
                  size_t n_extra, const char *members_of, ri_job **view, ri_error *err);

void ri_job_view_free(ri_job *view);

#endif
