/*
 * cli.h — what the regind commands share: the global options, the log sink
 * that prints plugin and engine messages on stderr, help and usage errors,
 * and loading a job up to its results. Only the command-line layer
 * (main.c and cli_*.c) prints; the core under it returns errors as values.
 */
#ifndef RI_CLI_H
#define RI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "engine.h"
#include "panel.h"
#include "plugin_host.h"
#include "results.h"

/* How log lines are written. */
typedef enum ri_cli_log_style {
    RI_CLI_LOG_PLAIN = 0,   /* "regind: warning: message" on stderr, for people at a terminal */
    RI_CLI_LOG_STAMPED = 1, /* "2026-01-31T02:15:00Z WARNING message" on stderr, for cron mail and log files */
    RI_CLI_LOG_SYSLOG = 2   /* syslog(3): ident "regind", facility LOG_USER */
} ri_cli_log_style;

typedef struct ri_cli {
    const char *config;
    const char **more_configs; /* -c given again: job files read after the first, in order */
    size_t n_more_configs;
    char **plugin_dirs;
    size_t n_plugin_dirs;
    int verbosity; /* 0 quiet, 1 normal, 2 verbose */
    int insecure_plugins; /* --insecure-plugins: load plugins others could have changed (unsafe) */
    const char **params;  /* --param ID.NAME=VALUE of the command, applied to the job as loaded */
    size_t n_params;
} ri_cli;

/* Everything a command may need, loaded in order; free with ri_cli_loaded_free. */
typedef struct ri_loaded_job {
    ri_job *job;
    ri_panel *panel;
    ri_plugin_host *host;
    ri_results *results;
} ri_loaded_job;

/*
 * The log sink (user is the ri_cli). Plain: warnings unless quiet, info
 * and debug when verbose. Stamped and syslog, for unattended runs where
 * each event matters: errors always, warnings and info unless quiet,
 * debug when verbose; one line per event (line breaks become spaces).
 */
void ri_cli_log(void *user, ri_log_level level, const char *msg);

void ri_cli_logf(ri_cli *c, ri_log_level level, const char *fmt, ...) RI_PRINTF(3, 4);

/* Switch the log style, opening or closing syslog as needed. The style is
   the process's, as stderr and the syslog connection are: plain until set. */
void ri_cli_log_style_set(ri_cli_log_style style);

/* Log err as an error in the current style and return its exit code. */
int ri_cli_report(ri_cli *c, const ri_error *err);

/* Print err and return its exit code. */
int ri_cli_fail(ri_error *err);

/* Print a usage error (fmt has one %s) and return the usage exit code. */
int ri_cli_usage(const char *fmt, const char *arg);

/* Print text and return 1 when argv asks for help. */
int ri_cli_help(int argc, char **argv, const char *text);

/* A peer group of --peers (compare, report): its members and the area holding their mean. */
typedef struct ri_cli_peer_group {
    unsigned char *members;  /* [n_areas] of the panel; caller frees */
    size_t area;             /* the "PEERS" area: the mean of every output over the members */
    const char *type;        /* in: the compared type, preferred for names; out: the members' */
    char label[160];         /* "northern_peers (4 LEP areas)" */
} ri_cli_peer_group;

/*
 * --peers ARG: a group of the job (groups = ...) or codes and parts of names separated by
 * commas, all of one type. Their mean becomes an area of lj's panel and results ("PEERS"),
 * which compare and report show as the benchmark, ranking the members among themselves.
 * RI_RC_USAGE for unknown areas, mixed types or fewer than two areas.
 */
ri_rc ri_cli_peers(const ri_job *job, ri_loaded_job *lj, const char *arg, ri_cli_peer_group *pg, ri_error *err);

/* Append s to the list (*list)[0..*n): -c files, --param specs; -1 when out of memory. */
int ri_cli_push(const char ***list, size_t *n, const char *s);

/* The job from -c, $REGIND_CONFIG or the installed default, with the --param overrides;
   *job stays NULL when not required and absent. */
ri_rc ri_cli_load_job(const ri_cli *c, int required, ri_job **job, ri_error *err);

ri_rc ri_cli_make_host(const ri_cli *c, const ri_job *job, ri_plugin_host **host, ri_error *err);


/* Fill lj (zeroed, or holding a job already) up to the results; compute = 0 only checks. */
ri_rc ri_cli_load_all(ri_cli *c, ri_loaded_job *lj, int compute, const char *const *only,
                      size_t n_only, ri_error *err);

void ri_cli_loaded_free(ri_loaded_job *lj);

/* Write path with fn through a temporary file beside it, renamed over it only when fn and
   the writing succeed: readers see the old file or the new one, and a failure keeps the old. */
ri_rc ri_cli_write_replace(const char *path, ri_rc (*fn)(void *ctx, FILE *f, ri_error *err), void *ctx,
                           ri_error *err);

int ri_cmd_list(ri_cli *c, int argc, char **argv);
int ri_cmd_describe(ri_cli *c, int argc, char **argv);
int ri_cmd_check(ri_cli *c, int argc, char **argv);
int ri_cmd_run(ri_cli *c, int argc, char **argv);
int ri_cmd_compare(ri_cli *c, int argc, char **argv);
int ri_cmd_areas(ri_cli *c, int argc, char **argv);
int ri_cmd_report(ri_cli *c, int argc, char **argv);
int ri_cmd_new_plugin(ri_cli *c, int argc, char **argv);

#endif
