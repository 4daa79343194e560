/*
 * run.h — where a run's files go, the checks before writing, and replacing
 * the outputs all-or-nothing.
 *
 * Owns the plan of `regind run` (final output paths, the manifest, the lock
 * file), the period selection and the required-periods policy, and the
 * output phase. Every file is first written to a hidden temporary file in
 * its destination directory, named ".regind-tmp-NAME-XXXXXX" (NAME is the
 * final file's name), flushed and fsynced. Only when every output and then
 * the manifest are complete does the commit replace them:
 *
 *   1. each existing final file gets a hard link under a temporary name (a
 *      backup, in the same directory, costing no copy);
 *   2. the outputs are renamed into place in job order;
 *   3. the new manifest is renamed over the old one, last, so at every
 *      moment one manifest or the other is in place;
 *   4. the directories are synced and the backups removed.
 *
 * When a rename fails, the outputs already replaced are put back from their
 * backups (or removed when they did not exist); the old manifest was never
 * moved. The old files stay byte-identical; the error says which files
 * could not be restored, if any. A run killed during step 2 (a window of a
 * few system calls) leaves some outputs new and some old beside the old
 * manifest, whose output digests then no longer match: that is how a
 * reader, and skip_if_unchanged, tell an incomplete set. Temporary files a killed run leaves are removed by the
 * next run of the job (ri_run_clean_stale), and never match an output name.
 */
#ifndef RI_RUN_H
#define RI_RUN_H

#include <stdio.h>

#include "config.h"
#include "panel.h"
#include "results.h"
#include "sha256.h"

typedef struct ri_run_plan {
    char **outputs;  /* final paths, in job order */
    size_t n_outputs;
    char *manifest;
    char *lock;
} ri_run_plan;

/*
 * The files of a run. output_dir (NULL: as configured) replaces the
 * directory of every output and of the manifest, keeping their names; the
 * lock moves with it unless run.lock_file names it. Defaults: the manifest
 * is JOB.manifest.json (JOB: the job file's name without ".cfg") and the
 * lock .regind.lock, both beside the first output (in the job file's
 * directory when there is none). RI_RC_USAGE when two files would be one.
 */
ri_rc ri_run_plan_make(const ri_job *job, const char *output_dir, ri_run_plan *plan, ri_error *err);
void ri_run_plan_free(ri_run_plan *plan);

/* Every directory of the plan exists and is writable (what a dry run can check). */
ri_rc ri_run_plan_check(const ri_run_plan *plan, ri_error *err);

/*
 * Remove the temporary files an interrupted run left beside the plan's
 * outputs and manifest: regular files owned by this user and named exactly
 * ".regind-tmp-NAME-XXXXXX" for one of the plan's file names. Call it only
 * while holding the job's lock, or it could remove a running job's files.
 * removed (may be NULL) is told each path removed.
 */
ri_rc ri_run_clean_stale(const ri_run_plan *plan, void (*removed)(void *user, const char *path),
                         void *user, ri_error *err);

/*
 * The period mask of a selection: NULL in *mask (every period) when period
 * is NULL. RI_RC_USAGE naming the periods the panel has when it has no
 * such period (what = "--period" or "run.period", for the message).
 */
ri_rc ri_run_period_mask(const ri_panel *panel, const char *period, const char *what,
                         unsigned char **mask, ri_error *err);

/*
 * The run.required_periods policy: each required dataset (run.required_datasets,
 * or every dataset that supplies a measure to the panel) must have at least
 * one value, not NaN, for each required period. RI_RC_PARTIAL naming every
 * dataset and period that lacks it.
 */
ri_rc ri_run_check_required(const ri_job *job, const ri_panel *panel, ri_error *err);

typedef struct ri_written {
    char *path;           /* final path */
    const char *format;   /* "csv", "json", "html" or "xlsx" */
    size_t bytes;
    char sha256[RI_SHA256_HEX];
} ri_written;

void ri_written_free(ri_written *w, size_t n);

/* What HTML and workbook outputs (report.h, output_xlsx.h) show beside the results. */
typedef struct ri_run_report {
    const struct ri_manifest *manifest; /* the run's, with its inputs hashed */
    const char *const *warnings;        /* warnings logged while computing */
    size_t n_warnings;
    const char *generated;              /* when, as text */
} ri_run_report;

/* Render every output in memory (a dry run): what would be written, and its digest.
   rep: for HTML and workbook outputs; may be NULL when the job has none. */
ri_rc ri_run_render(const ri_job *job, const ri_results *r, const ri_run_plan *plan,
                    const unsigned char *periods, const ri_run_report *rep, ri_written **written,
                    size_t *n_written, ri_error *err);

typedef struct ri_staging ri_staging;

/*
 * Write every output of the plan to its temporary file (periods: NULL or a
 * mask from ri_run_period_mask). On failure every temporary file is removed
 * and *out is NULL.
 */
ri_rc ri_run_stage(const ri_job *job, const ri_results *r, const ri_run_plan *plan,
                   const unsigned char *periods, const ri_run_report *rep, ri_staging **out,
                   ri_error *err);

/* The staged outputs (final paths, sizes, digests), valid until ri_staging_free. */
const ri_written *ri_staging_outputs(const ri_staging *s, size_t *n);

/* Write the manifest's temporary file with fn, once, after the outputs were staged. */
ri_rc ri_run_stage_manifest(ri_staging *s, const char *path,
                            ri_rc (*fn)(void *ctx, FILE *f, ri_error *err), void *ctx,
                            ri_error *err);

/*
 * Replace the final files as described above. Two hooks for regind's
 * tests, 0 in normal use: fail_rename_at makes the rename of that file
 * (1-based, outputs then manifest) fail with EIO, which a test cannot
 * otherwise provoke; pause_before_rename sleeps that many seconds once
 * the backups are made, just before the first rename, so a test can kill
 * the run there.
 */
ri_rc ri_run_commit(ri_staging *s, size_t fail_rename_at, unsigned long pause_before_rename, ri_error *err);

/* Remove whatever temporary files remain (all of them unless committed) and free. */
void ri_staging_free(ri_staging *s);

/* One file replaced the same way: written with fn to a temporary file beside
   final, synced, renamed over it; on failure final is untouched. */
ri_rc ri_run_write_file(const char *final, ri_rc (*fn)(void *ctx, FILE *f, ri_error *err), void *ctx,
                        ri_error *err);

#endif
