/* cli_run.c — `regind check` and `regind run`: validating a job and running it for cron. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "lock.h"
#include "manifest.h"
#include "run.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

int ri_cmd_check(ri_cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind check [--param ID.NAME=VALUE]...\n"
        "Validate the job file, read every dataset and load every plugin, without computing.\n"
        "      --param ID.NAME=VALUE  set parameter NAME of indicator ID for this check\n"
        "Exit 0 when the job can run.\n";
    static const struct option opts[] = {{"param", required_argument, NULL, 'P'}, {NULL, 0, NULL, 0}};
    ri_loaded_job lj;
    ri_run_plan plan;
    ri_error err;
    int ch;

    if (ri_cli_help(argc, argv, help))
        return 0;
    optind = 0; /* 0, not 1: glibc then re-reads the option string, so each command parses afresh */
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
        if (ch == 'P' && ri_cli_push(&c->params, &c->n_params, optarg) == 0)
            continue;
        if (ch == 'P')
            return RI_RC_DATA;
        return ri_cli_usage("check: unknown or incomplete option '%s'; see 'regind check --help'", argv[optind - 1]);
    }
    if (optind < argc)
        return ri_cli_usage("check: unexpected argument '%s'", argv[optind]);
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_all(c, &lj, 0, NULL, 0, &err) || ri_run_plan_make(lj.job, NULL, &plan, &err)) {
        ri_cli_loaded_free(&lj);
        return ri_cli_fail(&err);
    }
    /* The files a run would write, checked here only for two names of one file. */
    ri_run_plan_free(&plan);
    for (size_t d = 0; d < lj.panel->n_datasets; d++) {
        const ri_dataset_info *i = &lj.panel->datasets[d];
        printf("dataset %-16s %6zu rows (%zu kept), %4zu areas, periods %s-%s, %zu missing cells\n", i->id,
               i->rows_read, i->rows_kept, i->n_areas, i->first_period, i->last_period, i->missing);
    }
    for (size_t k = 0; k < lj.job->n_indicators; k++)
        printf("indicator %-14s plugin %s\n", lj.job->indicators[k].id, lj.job->indicators[k].plugin);
    printf("%s: OK (%zu areas, %zu periods, %zu measures)\n", lj.job->path, lj.panel->n_areas,
           lj.panel->n_periods, lj.panel->n_cols);
    ri_cli_loaded_free(&lj);
    return 0;
}

/* ------------------------------------------------------------ run */

static const char run_help[] =
    "Usage: regind run [OPTIONS]\n"
    "Compute every configured indicator, then replace the job's outputs and its run\n"
    "manifest all-or-nothing: on any error no output is touched.\n"
    "  -o, --output-dir DIR   write the outputs and the manifest into DIR\n"
    "  -p, --period P         write only period P (overrides run.period)\n"
    "  -n, --dry-run          compute and check everything, list what would be written,\n"
    "                         write nothing\n"
    "      --wait[=SECONDS]   wait for a running run of the job to finish (SECONDS absent\n"
    "                         or 0: as long as it takes) instead of exiting with 3\n"
    "      --force            compute even when skip_if_unchanged finds nothing changed\n"
    "      --log-syslog       log to syslog (ident regind, facility user), not stderr\n"
    "      --param ID.NAME=VALUE  set parameter NAME of indicator ID for this run\n"
    "                         (repeatable; recorded in the manifest and its fingerprint)\n"
    "  -q, --quiet            log errors only\n"
    "  -v, --verbose          log debug messages too\n"
    "Log lines on stderr read \"2026-01-31T02:15:00Z LEVEL message\" (UTC).\n"
    "Exit status: 0 success or nothing to do, 1 data, computation or file error,\n"
    "2 usage or configuration error, 3 another run of the job holds its lock,\n"
    "4 inputs rejected by run.required_periods. See regind(1).\n";

typedef struct run_opts {
    const char *output_dir;
    const char *period;          /* --period, else NULL */
    int dry_run, force;
    long wait;                   /* RI_LOCK_NO_WAIT, RI_LOCK_WAIT_FOREVER or seconds */
    unsigned long pause_before_rename; /* test hook, seconds */
    size_t fail_rename_at;       /* test hook, 1-based */
} run_opts;

/* Everything a run holds, freed in one place whatever step it stopped at. */
typedef struct run_state {
    ri_cli *cli;
    time_t started;
    ri_job *job;
    ri_run_plan plan;
    ri_lock *lock;
    ri_plugin_host *host;
    ri_manifest *manifest;
    ri_panel *panel;
    unsigned char *periods;
    ri_results *results;
    ri_staging *staging;
    ri_written *rendered;
    size_t n_rendered;
    ri_run_report report;   /* for HTML outputs */
    char generated[32];
} run_state;

static void run_state_free(run_state *x)
{
    ri_staging_free(x->staging);
    ri_written_free(x->rendered, x->n_rendered);
    ri_results_free(x->results);
    free(x->periods);
    ri_panel_free(x->panel);
    ri_manifest_free(x->manifest);
    ri_host_free(x->host);
    ri_lock_release(x->lock);
    ri_run_plan_free(&x->plan);
    ri_job_free(x->job);
}

static int run_usage(ri_cli *c, const char *what, const char *arg)
{
    ri_cli_logf(c, RI_LOG_ERROR, "run: %s '%s'; see 'regind run --help'", what, arg);
    return RI_RC_USAGE;
}

/*
 * Test hooks, read from the environment so that no option advertises them:
 * REGIND_TEST_PAUSE_BEFORE_RENAME=SECONDS sleeps once every file is staged
 * and backed up, just before the first rename (so a test can kill the run then), REGIND_TEST_FAIL_RENAME=K makes the
 * K-th rename of the commit fail (so a test can see the rollback).
 */
static unsigned long test_hook(const char *name)
{
    const char *v = getenv(name);
    char *end;
    unsigned long n;

    if (!v || !*v)
        return 0;
    errno = 0;
    n = strtoul(v, &end, 10);
    return *end || errno ? 0 : n;
}

/* 0 when argv holds valid options (filled into o), else the exit code; -1 after --help. */
static int parse_run(ri_cli *c, int argc, char **argv, run_opts *o)
{
    enum { OPT_WAIT = 256, OPT_FORCE, OPT_SYSLOG, OPT_PARAM };
    static const struct option opts[] = {
        {"output-dir", required_argument, NULL, 'o'}, {"period", required_argument, NULL, 'p'},
        {"dry-run", no_argument, NULL, 'n'},          {"wait", optional_argument, NULL, OPT_WAIT},
        {"force", no_argument, NULL, OPT_FORCE},      {"log-syslog", no_argument, NULL, OPT_SYSLOG},
        {"quiet", no_argument, NULL, 'q'},            {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},             {"param", required_argument, NULL, OPT_PARAM},
        {NULL, 0, NULL, 0}};
    int ch;

    memset(o, 0, sizeof *o);
    o->wait = RI_LOCK_NO_WAIT;
    optind = 0; /* 0, not 1: glibc then re-reads the option string, so each command parses afresh */
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "+:o:p:nqvh", opts, NULL)) != -1) {
        switch (ch) {
        case 'o': o->output_dir = optarg; break;
        case 'p': o->period = optarg; break;
        case 'n': o->dry_run = 1; break;
        case 'q': c->verbosity = 0; break;
        case 'v': c->verbosity = 2; break;
        case OPT_FORCE: o->force = 1; break;
        case OPT_SYSLOG: ri_cli_log_style_set(RI_CLI_LOG_SYSLOG); break;
        case OPT_PARAM:
            if (ri_cli_push(&c->params, &c->n_params, optarg) != 0)
                return RI_RC_DATA;
            break;
        case 'h': fputs(run_help, stdout); return -1;
        case OPT_WAIT:
            o->wait = RI_LOCK_WAIT_FOREVER;
            if (optarg) {
                char *end;
                errno = 0;
                o->wait = strtol(optarg, &end, 10);
                if (end == optarg || *end || errno || o->wait < 0)
                    return run_usage(c, "--wait expects a number of seconds >= 0; got", optarg);
            }
            break;
        case ':': return run_usage(c, "missing value for option", argv[optind - 1]);
        default: return run_usage(c, "unknown option", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return run_usage(c, "unexpected argument", argv[optind]);
    if (o->output_dir && !*o->output_dir)
        return run_usage(c, "--output-dir expects a directory; got", o->output_dir);
    if (o->period && !*o->period)
        return run_usage(c, "--period expects a period such as 2019; got", o->period);
    o->pause_before_rename = test_hook("REGIND_TEST_PAUSE_BEFORE_RENAME");
    o->fail_rename_at = (size_t)test_hook("REGIND_TEST_FAIL_RENAME");
    return 0;
}

static void log_removed(void *user, const char *path)
{
    ri_cli_logf(user, RI_LOG_INFO, "removed %s, a temporary file left by an interrupted run", path);
}

static ri_rc take_lock(run_state *x, const run_opts *o, ri_error *err)
{
    ri_rc rc = ri_lock_acquire(x->plan.lock, RI_LOCK_NO_WAIT, &x->lock, err);
    if (rc != RI_RC_LOCK)
        return rc;
    if (o->wait == RI_LOCK_NO_WAIT) {
        ri_error_prefix(err, "run refused: ");
        return rc;
    }
    if (o->wait == RI_LOCK_WAIT_FOREVER)
        ri_cli_logf(x->cli, RI_LOG_INFO, "waiting for the lock %s, held by another run", x->plan.lock);
    else
        ri_cli_logf(x->cli, RI_LOG_INFO, "waiting up to %ld s for the lock %s, held by another run", o->wait,
                    x->plan.lock);
    return ri_lock_acquire(x->plan.lock, o->wait, &x->lock, err);
}

static void log_datasets(ri_cli *c, const ri_panel *p)
{
    for (size_t d = 0; d < p->n_datasets; d++) {
        const ri_dataset_info *i = &p->datasets[d];
        ri_cli_logf(c, RI_LOG_INFO, "read dataset %s: %zu rows (%zu kept), %zu areas, periods %s-%s, %zu missing cells",
                    i->id, i->rows_read, i->rows_kept, i->n_areas, i->first_period, i->last_period, i->missing);
    }
}

static ri_rc write_manifest(void *ctx, FILE *f, ri_error *err)
{
    const run_state *x = ctx;
    ri_manifest_run mr;

    mr.started = x->started;
    mr.finished = time(NULL);
    mr.job = x->job;
    mr.panel = x->panel;
    mr.warnings = x->results->warnings;
    /* Every warning, also under -q, which only silences the log. */
    mr.warning_texts = (const char *const *)x->results->warning_lines;
    mr.n_warning_texts = x->results->n_warning_lines;
    mr.outputs = ri_staging_outputs(x->staging, &mr.n_outputs);
    return ri_manifest_write(f, x->manifest, &mr, err);
}

/* Whether skip_if_unchanged applies: *skip is 1 when the last run's files are still current. */
static ri_rc check_skip(run_state *x, const run_opts *o, int *skip, ri_error *err)
{
    char since[32], why[RI_ERROR_MAX];
    ri_rc rc;

    *skip = 0;
    if (!x->job->run.skip_if_unchanged)
        return RI_RC_OK;
    if (o->force) {
        ri_cli_logf(x->cli, RI_LOG_INFO, "--force: computing whether or not anything changed");
        return RI_RC_OK;
    }
    rc = ri_manifest_compare(x->manifest, x->plan.manifest, x->plan.outputs, x->plan.n_outputs, skip, since,
                             why, sizeof why, err);
    if (!rc && !*skip)
        ri_cli_logf(x->cli, RI_LOG_INFO, "computing: %s", why);
    else if (!rc)
        ri_cli_logf(x->cli, RI_LOG_INFO, "inputs unchanged since %s; nothing to do", since);
    return rc;
}

static ri_rc compute(run_state *x, const char *period, ri_error *err)
{
    ri_engine_opts eo;
    ri_rc rc;

    if ((rc = ri_panel_build(x->job, &x->panel, err)))
        return rc;
    /* The inputs are hashed beside the computing, which leaves a core free. */
    ri_manifest_hash_begin(x->manifest);
    log_datasets(x->cli, x->panel);
    if ((rc = ri_run_period_mask(x->panel, period, x->job->run.period && period == x->job->run.period
                                     ? "run.period" : "--period", &x->periods, err))
        || (rc = ri_run_check_required(x->job, x->panel, err)))
        return rc;
    memset(&eo, 0, sizeof eo);
    eo.sink = ri_cli_log;
    eo.sink_user = x->cli;
    if ((rc = ri_engine_run(x->job, x->panel, x->host, &eo, &x->results, err))
        || (rc = ri_manifest_hash_end(x->manifest, err)))
        return rc;
    /* The manifest must describe the bytes that were read, not what landed meanwhile. */
    return ri_manifest_check_unchanged(x->manifest, err);
}

static int dry_run(run_state *x, ri_error *err)
{
    if (ri_run_plan_check(&x->plan, err)
        || ri_run_render(x->job, x->results, &x->plan, x->periods, &x->report, &x->rendered, &x->n_rendered, err))
        return ri_cli_report(x->cli, err);
    for (size_t i = 0; i < x->n_rendered; i++)
        printf("would write %s (%s, %zu bytes, sha256 %s)\n", x->rendered[i].path, x->rendered[i].format,
               x->rendered[i].bytes, x->rendered[i].sha256);
    printf("would write %s (run manifest)\n", x->plan.manifest);
    printf("lock file %s\n", x->plan.lock);
    ri_cli_logf(x->cli, RI_LOG_INFO, "dry run: nothing written");
    return 0;
}

static int commit(run_state *x, const run_opts *o, ri_error *err)
{
    const ri_written *w;
    size_t n;

    if (ri_run_stage(x->job, x->results, &x->plan, x->periods, &x->report, &x->staging, err)
        || ri_run_stage_manifest(x->staging, x->plan.manifest, write_manifest, x, err))
        return -1;
    if (o->pause_before_rename) {
        ri_cli_logf(x->cli, RI_LOG_INFO, "test hook: every file staged; pausing %lu s before renaming",
                    o->pause_before_rename);
    }
    if (ri_run_commit(x->staging, o->fail_rename_at, o->pause_before_rename, err))
        return ri_cli_report(x->cli, err);
    w = ri_staging_outputs(x->staging, &n);
    for (size_t i = 0; i < n; i++)
        ri_cli_logf(x->cli, RI_LOG_INFO, "wrote %s (%s, %zu bytes, sha256 %s)", w[i].path, w[i].format, w[i].bytes,
                    w[i].sha256);
    ri_cli_logf(x->cli, RI_LOG_INFO, "wrote %s (run manifest)", x->plan.manifest);
    ri_cli_logf(x->cli, RI_LOG_INFO, "run finished: %zu output%s in %.0f s, %zu warning%s", n, n == 1 ? "" : "s",
                difftime(time(NULL), x->started), x->results->warnings, x->results->warnings == 1 ? "" : "s");
    return 0;
}

/* Report a failure of a run that holds its lock, before any rename: the old outputs stand. */
static int failed(run_state *x, const ri_error *err)
{
    int rc = ri_cli_report(x->cli, err);
    if (x->lock)
        ri_cli_logf(x->cli, RI_LOG_ERROR, "run failed; no output was replaced");
    return rc;
}

/* The run after option parsing; returns the exit code. */
static int run_job(run_state *x, const run_opts *o)
{
    ri_error err;
    const char *period;
    int skip, rc;

    ri_error_clear(&err);
    if (ri_cli_load_job(x->cli, 1, &x->job, &err))
        return ri_cli_report(x->cli, &err);
    ri_cli_logf(x->cli, RI_LOG_INFO, "run started: job %s, regind %s%s", x->job->path, PACKAGE_VERSION,
                o->dry_run ? " (dry run)" : "");
    period = o->period ? o->period : x->job->run.period;
    if (ri_run_plan_make(x->job, o->output_dir, &x->plan, &err))
        return ri_cli_report(x->cli, &err);
    if (!o->dry_run && (take_lock(x, o, &err) || ri_run_clean_stale(&x->plan, log_removed, x->cli, &err)))
        return ri_cli_report(x->cli, &err);
    if (ri_cli_make_host(x->cli, x->job, &x->host, &err)
        || ri_manifest_collect(x->job, x->host, period, o->output_dir,
                               !x->job->run.skip_if_unchanged || o->force, &x->manifest, &err)
        || check_skip(x, o, &skip, &err))
        return failed(x, &err);
    if (skip) {
        if (o->dry_run)
            printf("nothing to do: inputs unchanged since the last run (%s)\n", x->plan.manifest);
        return 0;
    }
    if (compute(x, period, &err))
        return failed(x, &err);
    ri_iso_time(time(NULL), x->generated);
    x->report.manifest = x->manifest;
    x->report.warnings = (const char *const *)x->results->warning_lines;
    x->report.n_warnings = x->results->n_warning_lines;
    x->report.generated = x->generated;
    if (o->dry_run)
        return dry_run(x, &err);
    rc = commit(x, o, &err);
    return rc < 0 ? failed(x, &err) : rc;
}

int ri_cmd_run(ri_cli *c, int argc, char **argv)
{
    run_state x;
    run_opts o;
    int rc;

    /* Usage errors too are events of an unattended run: stamp them like the rest. */
    ri_cli_log_style_set(RI_CLI_LOG_STAMPED);
    rc = parse_run(c, argc, argv, &o);
    if (rc) {
        ri_cli_log_style_set(RI_CLI_LOG_PLAIN);
        return rc < 0 ? 0 : rc;
    }
    memset(&x, 0, sizeof x);
    x.cli = c;
    x.started = time(NULL);
    rc = run_job(&x, &o);
    run_state_free(&x);
    ri_cli_log_style_set(RI_CLI_LOG_PLAIN);
    return rc;
}
