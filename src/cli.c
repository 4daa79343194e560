/* cli.c — helpers shared by the regind commands (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#ifndef RI_SYSCONFDIR
#define RI_SYSCONFDIR "/usr/local/etc"
#endif

static ri_cli_log_style log_style = RI_CLI_LOG_PLAIN;

static int shown(const ri_cli *c, ri_log_level level)
{
    if (level == RI_LOG_ERROR)
        return 1;
    if (log_style == RI_CLI_LOG_PLAIN)
        return level == RI_LOG_WARNING ? c->verbosity >= 1 : c->verbosity >= 2;
    return level == RI_LOG_DEBUG ? c->verbosity >= 2 : c->verbosity >= 1;
}

/* One event, one line: a log reader splits on line breaks. */
static void put_line(FILE *f, const char *msg)
{
    for (const char *p = msg; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
    fputc('\n', f);
}

void ri_cli_log(void *user, ri_log_level level, const char *msg)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    static const char *const upper[] = {"ERROR", "WARNING", "INFO", "DEBUG"};
    static const int priorities[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
    ri_cli *c = user;
    char stamp[32];
    struct tm tm;
    time_t now;

    if (!shown(c, level))
        return;
    switch (log_style) {
    case RI_CLI_LOG_SYSLOG:
        syslog(priorities[level], "%s", msg);
        return;
    case RI_CLI_LOG_STAMPED:
        now = time(NULL);
        if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm))
            snprintf(stamp, sizeof stamp, "%lld", (long long)now);
        fprintf(stderr, "%s %s ", stamp, upper[level]);
        put_line(stderr, msg);
        return;
    default:
        fprintf(stderr, "regind: %s: %s\n", names[level], msg);
    }
}

void ri_cli_logf(ri_cli *c, ri_log_level level, const char *fmt, ...)
{
    char msg[RI_ERROR_MAX + 256];
    va_list ap;

    if (!shown(c, level))
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ri_cli_log(c, level, msg);
}

void ri_cli_log_style_set(ri_cli_log_style style)
{
    if (log_style == RI_CLI_LOG_SYSLOG && style != RI_CLI_LOG_SYSLOG)
        closelog();
    if (style == RI_CLI_LOG_SYSLOG && log_style != RI_CLI_LOG_SYSLOG)
        openlog("regind", LOG_PID, LOG_USER);
    log_style = style;
}

int ri_cli_report(ri_cli *c, const ri_error *err)
{
    ri_cli_log(c, RI_LOG_ERROR, err->msg);
    return err->code ? (int)err->code : RI_RC_DATA;
}

int ri_cli_fail(ri_error *err)
{
    fprintf(stderr, "regind: error: %s\n", err->msg);
    return err->code ? (int)err->code : RI_RC_DATA;
}

int ri_cli_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "regind: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'regind --help'.\n");
    return RI_RC_USAGE;
}

int ri_cli_help(int argc, char **argv, const char *text)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(text, stdout);
            return 1;
        }
    return 0;
}

static const char *config_path(const ri_cli *c, int *explicit_path)
{
    const char *env = getenv("REGIND_CONFIG");
    *explicit_path = 1;
    if (c->config)
        return c->config;
    if (env && *env)
        return env;
    *explicit_path = 0;
    return RI_SYSCONFDIR "/regind/regind.cfg";
}

/* The job, when one is needed (required) or merely useful for its plugin_path. */
ri_rc ri_cli_load_job(const ri_cli *c, int required, ri_job **job, ri_error *err)
{
    int explicit_path;
    const char *path = config_path(c, &explicit_path);
    ri_rc rc;
    *job = NULL;
    if (!required && !explicit_path && access(path, R_OK) != 0)
        return RI_RC_OK;
    if (required && !explicit_path && access(path, R_OK) != 0)
        return ri_fail(err, RI_RC_USAGE, "no job file: %s does not exist; expected -c FILE or REGIND_CONFIG", path);
    if (c->n_more_configs) {
        const char **paths = malloc((c->n_more_configs + 1) * sizeof *paths);
        if (!paths)
            return ri_oom(err);
        paths[0] = path;
        memcpy(paths + 1, c->more_configs, c->n_more_configs * sizeof *paths);
        rc = ri_job_load_files(paths, c->n_more_configs + 1, job, err);
        free(paths);
    } else {
        rc = ri_job_load(path, job, err);
    }
    if (rc)
        return rc;
    for (size_t k = 0; k < c->n_params && !rc; k++)
        rc = ri_job_set_param(*job, c->params[k], err);
    if (rc) {
        ri_job_free(*job);
        *job = NULL;
    }
    return rc;
}

int ri_cli_push(const char ***list, size_t *n, const char *s)
{
    const char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *list = grown;
    (*list)[(*n)++] = s;
    return 0;
}

ri_rc ri_cli_make_host(const ri_cli *c, const ri_job *job, ri_plugin_host **host, ri_error *err)
{
    ri_rc rc = ri_host_new(c->plugin_dirs, c->n_plugin_dirs, job ? job->plugin_path : NULL,
                           job ? job->n_plugin_path : 0, host, err);
    if (!rc) {
        ri_host_set_log(*host, ri_cli_log, (void *)c);
        ri_host_allow_insecure(*host, c->insecure_plugins);
    }
    return rc;
}

ri_rc ri_cli_write_replace(const char *path, ri_rc (*fn)(void *ctx, FILE *f, ri_error *err), void *ctx,
                           ri_error *err)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    FILE *f = NULL;
    int fd;
    ri_rc rc;

    if (!tmp)
        return ri_oom(err);
    snprintf(tmp, len + 16, "%s.tmp-XXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "w"))) {
        rc = ri_fail(err, RI_RC_DATA, "%s: cannot write: %s; expected a writable directory", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            remove(tmp);
        }
        free(tmp);
        return rc;
    }
    /* mkstemp makes the file private; the new file is as readable as fopen would make it. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    rc = fn(ctx, f, err);
    if (fclose(f) != 0 && !rc)
        rc = ri_fail(err, RI_RC_DATA, "%s: cannot write: %s", tmp, strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = ri_fail(err, RI_RC_DATA, "%s: cannot replace it: %s", path, strerror(errno));
    if (rc)
        remove(tmp);
    free(tmp);
    return rc;
}

void ri_cli_loaded_free(ri_loaded_job *lj)
{
    ri_results_free(lj->results);
    ri_host_free(lj->host);
    ri_panel_free(lj->panel);
    ri_job_free(lj->job);
}

/* Fill lj (whose job may already be loaded) up to the results; lj must start zeroed or with a job only. */
ri_rc ri_cli_load_all(ri_cli *c, ri_loaded_job *lj, int compute, const char *const *only, size_t n_only,
                      ri_error *err)
{
    ri_engine_opts opts;
    ri_rc rc;

    memset(&opts, 0, sizeof opts);
    opts.only = only;
    opts.n_only = n_only;
    opts.check_only = !compute;
    opts.sink = ri_cli_log;
    opts.sink_user = c;
    if ((!lj->job && (rc = ri_cli_load_job(c, 1, &lj->job, err))) || (rc = ri_panel_build(lj->job, &lj->panel, err)) ||
        (rc = ri_cli_make_host(c, lj->job, &lj->host, err)))
        return rc;
    return ri_engine_run(lj->job, lj->panel, lj->host, &opts, &lj->results, err);
}

