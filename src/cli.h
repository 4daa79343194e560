/*
 * cli.h — what the regind commands share: the global options, the log sink
 * that prints plugin and engine messages on stderr, help and usage errors,
 * and loading a job up to its results. Only the command-line layer
 * (main.c and cli_*.c) prints; the core under it returns errors as values.
 */
#ifndef RI_CLI_H
#define RI_CLI_H

#include <stddef.h>

#include "config.h"
#include "engine.h"
#include "panel.h"
#include "plugin_host.h"
#include "results.h"

typedef struct ri_cli {
    const char *config;
    char **plugin_dirs;
    size_t n_plugin_dirs;
    int verbosity; /* 0 quiet, 1 normal, 2 verbose */
} ri_cli;

/* Everything a command may need, loaded in order; free with ri_cli_loaded_free. */
typedef struct ri_loaded_job {
    ri_job *job;
    ri_panel *panel;
    ri_plugin_host *host;
    ri_results *results;
} ri_loaded_job;

void ri_cli_log(void *user, ri_log_level level, const char *msg);

/* Print err and return its exit code. */
int ri_cli_fail(ri_error *err);

/* Print a usage error (fmt has one %s) and return the usage exit code. */
int ri_cli_usage(const char *fmt, const char *arg);

/* Print text and return 1 when argv asks for help. */
int ri_cli_help(int argc, char **argv, const char *text);

/* The job from -c, $REGIND_CONFIG or the installed default; *job stays NULL when not required and absent. */
ri_rc ri_cli_load_job(const ri_cli *c, int required, ri_job **job, ri_error *err);

ri_rc ri_cli_make_host(const ri_cli *c, const ri_job *job, ri_plugin_host **host, ri_error *err);

/* Fill lj (zeroed, or holding a job already) up to the results; compute = 0 only checks. */
ri_rc ri_cli_load_all(ri_cli *c, ri_loaded_job *lj, int compute, const char *const *only,
                      size_t n_only, ri_error *err);

void ri_cli_loaded_free(ri_loaded_job *lj);

int ri_cmd_list(ri_cli *c, int argc, char **argv);
int ri_cmd_describe(ri_cli *c, int argc, char **argv);
int ri_cmd_check(ri_cli *c, int argc, char **argv);
int ri_cmd_run(ri_cli *c, int argc, char **argv);
int ri_cmd_compare(ri_cli *c, int argc, char **argv);
int ri_cmd_areas(ri_cli *c, int argc, char **argv);

#endif
