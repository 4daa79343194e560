/*
 * manifest.h — the run manifest: which bytes produced a run's outputs.
 *
 * Owns what a run records and how it decides that nothing changed. Before
 * reading any data, a run hashes (SHA-256) its job file and the files the
 * job's locations name (@include files), every dataset and lookup file and
 * every plugin it uses (the .la file and the shared object it names); the
 * canonical list of those digests, the regind version and the period
 * selection hashes to the run's fingerprint. The manifest, a JSON object
 * written beside the outputs as the last file of the commit (run.h), holds
 * all of it plus the start and end times, per-dataset counts (rows read
 * and kept, cells read, NaN cells), the warnings count and each output's
 * size and SHA-256, whose canonical list hashes to the outputs digest.
 * skip_if_unchanged compares the two digests with the previous manifest's:
 * equal fingerprints and outputs still holding the bytes the manifest lists
 * mean a new run would write the same files.
 */
#ifndef RI_MANIFEST_H
#define RI_MANIFEST_H

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "config.h"
#include "panel.h"
#include "plugin_host.h"
#include "run.h"
#include "sha256.h"

typedef struct ri_file_info {
    char *path;               /* absolute when it could be resolved */
    unsigned long long size;
    long long mtime_s;        /* modification time, for change detection and the record */
    long mtime_ns;
    char sha256[RI_SHA256_HEX];
} ri_file_info;

typedef struct ri_manifest_input {
    const char *kind;         /* "dataset" or "lookup" */
    char *id;
    char *sheet;              /* the workbook sheet a dataset reads; NULL otherwise */
    ri_file_info file;
} ri_manifest_input;

typedef struct ri_manifest_plugin {
    char *name, *version;
    unsigned abi_major, abi_minor;
    ri_file_info file;        /* the file loaded (NAME.la or NAME.so) */
    ri_file_info library;     /* the shared object a .la names; path NULL otherwise */
} ri_manifest_plugin;

typedef struct ri_manifest {
    ri_file_info config;
    ri_file_info *includes;   /* other job files (@include) */
    size_t n_includes;
    ri_manifest_input *inputs;
    size_t n_inputs;
    ri_manifest_plugin *plugins; /* one per plugin name, in first-use order */
    size_t n_plugins;
    char *period;             /* the period selection; NULL = every period */
    const char *const *overrides; /* the job's --param texts (borrowed) */
    size_t n_overrides;
    char *output_dir;         /* --output-dir; NULL = as configured */
    char fingerprint[RI_SHA256_HEX];
    int hashing;              /* RI_HASH_*: the inputs' digests, when deferred */
    pthread_t hash_thread;
    ri_error hash_err;
} ri_manifest;

enum { RI_HASH_DONE, RI_HASH_PENDING, RI_HASH_RUNNING };

/*
 * Hash everything a run of job depends on, loading each indicator's plugin
 * from host (without computing). RI_RC_DATA when a file cannot be read,
 * RI_RC_USAGE when a plugin cannot be loaded. With defer_inputs the datasets
 * and lookups are only stat()ed: their digests and the fingerprint wait for
 * ri_manifest_hash_begin()/_end(), so that a run which does not compare
 * fingerprints (no skip_if_unchanged) hashes its inputs while it computes.
 */
ri_rc ri_manifest_collect(const ri_job *job, ri_plugin_host *host, const char *period,
                          const char *output_dir, int defer_inputs, ri_manifest **out, ri_error *err);

/* Start hashing deferred inputs on a second thread (nothing when none are
   deferred); _end waits for the digests, then makes the fingerprint.
   RI_RC_DATA when an input cannot be read or changed length. */
void ri_manifest_hash_begin(ri_manifest *m);
ri_rc ri_manifest_hash_end(ri_manifest *m, ri_error *err);

void ri_manifest_free(ri_manifest *m);

/* RI_RC_DATA when an input, job or plugin file changed (size or mtime) since it was hashed. */
ri_rc ri_manifest_check_unchanged(const ri_manifest *m, ri_error *err);

/* The outputs digest of files (final paths and their SHA-256). */
void ri_manifest_outputs_digest(const ri_written *w, size_t n, char hex[RI_SHA256_HEX]);

/* What only the end of a run knows. */
typedef struct ri_manifest_run {
    time_t started, finished;
    const ri_job *job;
    const ri_panel *panel;    /* per-dataset counts */
    size_t warnings;
    const char *const *warning_texts; /* every warning computing gave, in order */
    size_t n_warning_texts;
    const ri_written *outputs;
    size_t n_outputs;
} ri_manifest_run;

/* Write the manifest JSON to f. */
ri_rc ri_manifest_write(FILE *f, const ri_manifest *m, const ri_manifest_run *run, ri_error *err);

/*
 * Whether the manifest at path records this fingerprint and the outputs at
 * outputs[0..n) still hold the bytes it lists. *unchanged is 1 or 0; since
 * gets the previous run's end time; why says in a sentence what differs
 * ("no manifest yet", "the inputs, job or plugins changed", ...). Only
 * RI_RC_DATA for lack of memory: an unreadable manifest is a reason to
 * recompute, not an error.
 */
ri_rc ri_manifest_compare(const ri_manifest *m, const char *path, char *const *outputs, size_t n,
                          int *unchanged, char since[32], char *why, size_t why_size, ri_error *err);

/* t as "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void ri_iso_time(time_t t, char buf[32]);

#endif
