/*
 * run.h — writing a run's configured outputs all-or-nothing.
 *
 * Owns the output phase of `regind run`: every output is written to a
 * hidden temporary file in its destination directory, flushed and fsynced,
 * and only when all of them are complete are they renamed into place. On
 * any failure the temporary files are removed and no existing output is
 * touched, so a cron job never leaves a half-written table behind.
 */
#ifndef RI_RUN_H
#define RI_RUN_H

#include "config.h"
#include "results.h"

typedef struct ri_written {
    char *path;     /* final path */
    size_t bytes;
} ri_written;

/*
 * Write every output of job (to output_dir instead of each output's own
 * directory when output_dir is not NULL). On success *written holds one
 * entry per output (free with ri_written_free).
 */
ri_rc ri_run_write_outputs(const ri_job *job, const ri_results *r, const char *output_dir,
                           ri_written **written, size_t *n_written, ri_error *err);

void ri_written_free(ri_written *w, size_t n);

#endif
