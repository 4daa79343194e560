/*
 * main.c — the regind command line: parse argv, call one function per
 * command, print what it produced and map its status to the exit code.
 * This is the only place that prints or exits.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "engine.h"
#include "panel.h"
#include "plugin_host.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "suggest.h"

#ifndef RI_SYSCONFDIR
#define RI_SYSCONFDIR "/usr/local/etc"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

typedef struct cli {
    const char *config;
    char **plugin_dirs;
    size_t n_plugin_dirs;
    int verbosity; /* 0 quiet, 1 normal, 2 verbose */
    const char *prog;
} cli;

static void log_to_stderr(void *user, ri_log_level level, const char *msg)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    const cli *c = user;
    if ((level == RI_LOG_WARNING && c->verbosity < 1) || (level >= RI_LOG_INFO && c->verbosity < 2))
        return;
    fprintf(stderr, "regind: %s: %s\n", names[level], msg);
}

static int fail(ri_error *err)
{
    fprintf(stderr, "regind: error: %s\n", err->msg);
    return err->code ? (int)err->code : RI_RC_DATA;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "regind: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'regind --help'.\n");
    return RI_RC_USAGE;
}

static const char main_help[] =
    "Usage: regind [-c FILE] [-P DIRS] [-q|-v] COMMAND [ARGS]\n"
    "Compute regional economic indicators with plugins, from a job file.\n"
    "\n"
    "Commands:\n"
    "  compare [AREA...]   indicator values side by side for areas and the benchmark\n"
    "  run                 compute every indicator and write the configured outputs\n"
    "  check               validate the job, its datasets and plugins without computing\n"
    "  areas [PATTERN]     list area codes, names, types and parents in the data\n"
    "  list                list the available plugins\n"
    "  describe PLUGIN     show a plugin's inputs, parameters and outputs\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE       job file (default: $REGIND_CONFIG, then " RI_SYSCONFDIR "/regind/regind.cfg)\n"
    "  -P, --plugin-path DIRS  colon-separated plugin directories searched first (repeatable)\n"
    "  -q, --quiet             print errors only\n"
    "  -v, --verbose           print informational messages too\n"
    "  -h, --help              show this help; COMMAND --help shows the command's\n"
    "  -V, --version           show the version and plugin ABI\n"
    "\n"
    "Exit status: 0 success, 1 data or computation error, 2 usage or configuration error.\n"
    "See regind(1) and regind.cfg(5).\n";

static int want_help(int argc, char **argv, const char *text)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(text, stdout);
            return 1;
        }
    return 0;
}

static const char *config_path(const cli *c, int *explicit_path)
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
static ri_rc load_job(const cli *c, int required, ri_job **job, ri_error *err)
{
    int explicit_path;
    const char *path = config_path(c, &explicit_path);
    *job = NULL;
    if (!required && !explicit_path && access(path, R_OK) != 0)
        return RI_RC_OK;
    if (required && !explicit_path && access(path, R_OK) != 0)
        return ri_fail(err, RI_RC_USAGE, "no job file: %s does not exist; expected -c FILE or REGIND_CONFIG", path);
    return ri_job_load(path, job, err);
}

static ri_rc make_host(const cli *c, const ri_job *job, ri_plugin_host **host, ri_error *err)
{
    ri_rc rc = ri_host_new(c->plugin_dirs, c->n_plugin_dirs, job ? job->plugin_path : NULL,
                           job ? job->n_plugin_path : 0, host, err);
    if (!rc)
        ri_host_set_log(*host, log_to_stderr, (void *)c);
    return rc;
}

/* ---- list, describe ---- */

static int cmd_list(cli *c, int argc, char **argv)
{
    static const char help[] = "Usage: regind list\nOne line per plugin found on the search path: name, version, summary.\n";
    ri_job *job = NULL;
    ri_plugin_host *host = NULL;
    ri_listing l;
    ri_error err;
    ri_rc rc;

    if (want_help(argc, argv, help))
        return 0;
    if (argc > 1)
        return usage_error("list: unexpected argument '%s'", argv[1]);
    if ((rc = load_job(c, 0, &job, &err)) || (rc = make_host(c, job, &host, &err)) ||
        (rc = ri_host_list(host, &l, &err))) {
        ri_host_free(host);
        ri_job_free(job);
        return fail(&err);
    }
    for (size_t i = 0; i < l.n_plugins; i++)
        printf("%-20s %-8s %s\n", l.plugins[i]->name, l.plugins[i]->desc->version, l.plugins[i]->desc->summary);
    for (size_t i = 0; i < l.n_errors; i++)
        fprintf(stderr, "regind: warning: refused %s\n", l.errors[i]);
    if (l.n_plugins == 0)
        fprintf(stderr, "regind: warning: no plugins found; use -P DIR or REGIND_PLUGIN_PATH\n");
    ri_listing_free(&l);
    ri_host_free(host);
    ri_job_free(job);
    return 0;
}

static const char *type_text(ri_param_type t)
{
    static const char *const names[] = {"", "number", "integer", "boolean", "string", "choice"};
    return t >= RI_PARAM_DOUBLE && t <= RI_PARAM_CHOICE ? names[t] : "?";
}

static void describe(const ri_loaded *l)
{
    const ri_plugin *d = l->desc;
    printf("%s %s — %s\n", d->name, d->version, d->summary);
    printf("file: %s\nABI: %u.%u\n\nInputs (bind in the indicator's inputs group):\n", l->path, d->abi_major, d->abi_minor);
    for (size_t i = 0; i < d->n_inputs; i++)
        printf("  %-20s %-9s %s%s\n", d->inputs[i].role, (d->inputs[i].flags & RI_OPTIONAL) ? "optional" : "required",
               d->inputs[i].help ? d->inputs[i].help : "",
               (d->inputs[i].flags & RI_BY_INDUSTRY) ? " (by industry)" : "");
    printf("\nParameters (set in the indicator's params group):\n");
    for (size_t i = 0; i < d->n_params; i++) {
        const ri_param_spec *s = &d->params[i];
        printf("  %-20s %-8s default %s", s->name, type_text(s->type), s->default_value ? s->default_value : "(required)");
        if ((s->type == RI_PARAM_DOUBLE || s->type == RI_PARAM_INT) && s->min <= s->max)
            printf(", range %g to %g", s->min, s->max);
        if (s->type == RI_PARAM_CHOICE) {
            printf(", one of");
            for (size_t k = 0; s->choices[k]; k++)
                printf("%s %s", k ? "," : "", s->choices[k]);
        }
        printf("\n  %20s %s\n", "", s->help);
    }
    printf("\nOutputs:\n");
    for (size_t i = 0; i < d->n_outputs; i++)
        printf("  %-20s [%s]%s %s\n", d->outputs[i].name, d->outputs[i].unit,
               (d->outputs[i].flags & RI_BY_INDUSTRY) ? " (by industry)" : "",
               d->outputs[i].help ? d->outputs[i].help : "");
}

static int cmd_describe(cli *c, int argc, char **argv)
{
    static const char help[] = "Usage: regind describe PLUGIN\nShow a plugin's inputs, parameters (type, default, range) and outputs (unit).\n";
    ri_job *job = NULL;
    ri_plugin_host *host = NULL;
    const ri_loaded *l;
    ri_error err;
    ri_rc rc;

    if (want_help(argc, argv, help))
        return 0;
    if (argc != 2)
        return usage_error("describe: %s", "expected exactly one plugin name");
    if ((rc = load_job(c, 0, &job, &err)) || (rc = make_host(c, job, &host, &err)) ||
        (rc = ri_host_load(host, argv[1], &l, &err))) {
        ri_host_free(host);
        ri_job_free(job);
        return fail(&err);
    }
    describe(l);
    ri_host_free(host);
    ri_job_free(job);
    return 0;
}

/* ---- commands that load the job and its data ---- */

typedef struct loaded_job {
    ri_job *job;
    ri_panel *panel;
    ri_plugin_host *host;
    ri_results *results;
} loaded_job;

static void loaded_free(loaded_job *lj)
{
    ri_results_free(lj->results);
    ri_host_free(lj->host);
    ri_panel_free(lj->panel);
    ri_job_free(lj->job);
}

/* Fill lj (whose job may already be loaded) up to the results; lj must start zeroed or with a job only. */
static ri_rc load_all(cli *c, loaded_job *lj, int compute, const char *const *only, size_t n_only,
                      ri_error *err)
{
    ri_engine_opts opts;
    ri_rc rc;

    memset(&opts, 0, sizeof opts);
    opts.only = only;
    opts.n_only = n_only;
    opts.check_only = !compute;
    opts.sink = log_to_stderr;
    opts.sink_user = c;
    if ((!lj->job && (rc = load_job(c, 1, &lj->job, err))) || (rc = ri_panel_build(lj->job, &lj->panel, err)) ||
        (rc = make_host(c, lj->job, &lj->host, err)))
        return rc;
    return ri_engine_run(lj->job, lj->panel, lj->host, &opts, &lj->results, err);
}

static int cmd_check(cli *c, int argc, char **argv)
{
    static const char help[] = "Usage: regind check\nValidate the job file, read every dataset and load every plugin, without computing.\nExit 0 when the job can run.\n";
    loaded_job lj;
    ri_error err;

    if (want_help(argc, argv, help))
        return 0;
    if (argc > 1)
        return usage_error("check: unexpected argument '%s'", argv[1]);
    memset(&lj, 0, sizeof lj);
    if (load_all(c, &lj, 0, NULL, 0, &err)) {
        loaded_free(&lj);
        return fail(&err);
    }
    for (size_t d = 0; d < lj.panel->n_datasets; d++) {
        const ri_dataset_info *i = &lj.panel->datasets[d];
        printf("dataset %-16s %6zu rows (%zu kept), %4zu areas, periods %s-%s, %zu missing cells\n", i->id,
               i->rows_read, i->rows_kept, i->n_areas, i->first_period, i->last_period, i->missing);
    }
    for (size_t k = 0; k < lj.job->n_indicators; k++)
        printf("indicator %-14s plugin %s\n", lj.job->indicators[k].id, lj.job->indicators[k].plugin);
    printf("%s: OK (%zu areas, %zu periods, %zu measures)\n", lj.job->path, lj.panel->n_areas,
           lj.panel->n_periods, lj.panel->n_cols);
    loaded_free(&lj);
    return 0;
}

static int cmd_run(cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind run [--output-dir DIR]\n"
        "Compute every configured indicator and write the configured outputs.\n"
        "Outputs are replaced all-or-nothing: on any error none is touched.\n"
        "  -o, --output-dir DIR   write the outputs into DIR instead of their configured directories\n";
    static const struct option opts[] = {{"output-dir", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out_dir = NULL;
    loaded_job lj;
    ri_written *w;
    size_t n_w;
    ri_error err;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(help, stdout);
            return 0;
        }
        if (ch != 'o')
            return RI_RC_USAGE;
        out_dir = optarg;
    }
    if (optind < argc)
        return usage_error("run: unexpected argument '%s'", argv[optind]);
    memset(&lj, 0, sizeof lj);
    if (load_all(c, &lj, 1, NULL, 0, &err) ||
        ri_run_write_outputs(lj.job, lj.results, out_dir, &w, &n_w, &err)) {
        loaded_free(&lj);
        return fail(&err);
    }
    if (c->verbosity >= 1)
        for (size_t i = 0; i < n_w; i++)
            fprintf(stderr, "regind: info: wrote %s (%zu bytes)\n", w[i].path, w[i].bytes);
    ri_written_free(w, n_w);
    loaded_free(&lj);
    return 0;
}

static int cmd_compare(cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind compare [OPTIONS] [AREA...]\n"
        "Indicator values side by side for areas (codes or parts of names) and the benchmark.\n"
        "Without AREA: every area of the compared type (LEP by default).\n"
        "  -i, --indicator ID     compare this indicator (repeatable; default: the job's compare list)\n"
        "  -p, --period P         period to compare (default: the latest with data)\n"
        "  -s, --since P          a time series from period P to --period\n"
        "  -f, --format FMT       table (default), csv or json\n"
        "      --sort OUTPUT      sort and rank by this output (default: the first)\n"
        "      --top N            show the first N areas only\n"
        "  -t, --type TYPE        compared area type (default: compare.area_type, else LEP)\n";
    static const struct option opts[] = {
        {"indicator", required_argument, NULL, 'i'}, {"period", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 's'},     {"format", required_argument, NULL, 'f'},
        {"sort", required_argument, NULL, 'S'},      {"top", required_argument, NULL, 'T'},
        {"type", required_argument, NULL, 't'},      {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    ri_compare_opts o;
    const char **ids = calloc((size_t)argc + 1, sizeof *ids);
    size_t n_ids = 0;
    loaded_job lj;
    ri_error err;
    int ch, rc = 0;

    if (!ids)
        return RI_RC_DATA;
    memset(&o, 0, sizeof o);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "+i:p:s:f:t:h", opts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'h':
            fputs(help, stdout);
            free(ids);
            return 0;
        case 'i': ids[n_ids++] = optarg; break;
        case 'p': o.period = optarg; break;
        case 's': o.since = optarg; break;
        case 'S': o.sort = optarg; break;
        case 't': o.area_type = optarg; break;
        case 'T':
            o.top = (size_t)strtoul(optarg, &end, 10);
            if (*end || !*optarg || o.top == 0) {
                free(ids);
                return usage_error("compare: --top '%s': expected a positive whole number", optarg);
            }
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                o.format = RI_COMPARE_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                o.format = RI_COMPARE_CSV;
            else if (strcmp(optarg, "json") == 0)
                o.format = RI_COMPARE_JSON;
            else {
                free(ids);
                return usage_error("compare: --format '%s': expected table, csv or json", optarg);
            }
            break;
        default:
            free(ids);
            return RI_RC_USAGE;
        }
    }
    o.areas = (const char *const *)argv + optind;
    o.n_areas = (size_t)(argc - optind);
    memset(&lj, 0, sizeof lj);
    if (load_job(c, 1, &lj.job, &err)) {
        free(ids);
        return fail(&err);
    }
    if (n_ids == 0)
        for (size_t k = 0; k < lj.job->compare.n_indicators; k++)
            ids[n_ids++] = lj.job->compare.indicators[k];
    if (!o.area_type)
        o.area_type = lj.job->compare.area_type ? lj.job->compare.area_type : "LEP";
    if (!o.period)
        o.period = lj.job->compare.period;
    if (load_all(c, &lj, 1, n_ids ? ids : NULL, n_ids, &err) || ri_compare_write(stdout, lj.job, lj.results, &o, &err))
        rc = fail(&err);
    else if (fflush(stdout) != 0)
        rc = RI_RC_DATA;
    loaded_free(&lj);
    free(ids);
    return rc;
}

static int cmd_areas(cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind areas [--type TYPE] [PATTERN]\n"
        "List code, name, type and parents of the areas in the data; PATTERN matches codes\n"
        "and names case-insensitively.\n";
    static const struct option opts[] = {{"type", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *type = NULL, *pattern = NULL;
    loaded_job lj;
    ri_error err;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "+t:h", opts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(help, stdout);
            return 0;
        }
        if (ch != 't')
            return RI_RC_USAGE;
        type = optarg;
    }
    if (argc - optind > 1)
        return usage_error("areas: %s", "expected at most one PATTERN");
    pattern = optind < argc ? argv[optind] : NULL;
    memset(&lj, 0, sizeof lj);
    if (load_job(c, 1, &lj.job, &err) || ri_panel_build(lj.job, &lj.panel, &err)) {
        loaded_free(&lj);
        return fail(&err);
    }
    for (size_t a = 0; a < lj.panel->n_areas; a++) {
        const ri_panel *p = lj.panel;
        if (type && strcmp(p->area_types[a], type) != 0)
            continue;
        if (pattern && !ri_contains_ci(p->area_codes[a], pattern) && !ri_contains_ci(p->area_names[a], pattern))
            continue;
        printf("%-10s %-50s %-8s", p->area_codes[a], p->area_names[a], p->area_types[a]);
        for (size_t k = 0; k < p->n_parents[a]; k++)
            printf("%s%s", k ? "," : " ", p->area_codes[p->parents[a][k]]);
        putchar('\n');
    }
    loaded_free(&lj);
    return 0;
}

static int push_dirs(cli *c, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    if (!copy)
        return -1;
    for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
        char **dirs = realloc(c->plugin_dirs, (c->n_plugin_dirs + 1) * sizeof *dirs);
        if (!dirs || !(dirs[c->n_plugin_dirs] = strdup(tok))) {
            if (dirs)
                c->plugin_dirs = dirs;
            free(copy);
            return -1;
        }
        c->plugin_dirs = dirs;
        c->n_plugin_dirs++;
    }
    free(copy);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"plugin-path", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    static const struct {
        const char *name;
        int (*fn)(cli *, int, char **);
    } commands[] = {{"list", cmd_list},   {"describe", cmd_describe}, {"check", cmd_check},
                    {"run", cmd_run},     {"compare", cmd_compare},   {"areas", cmd_areas}};
    cli c = {NULL, NULL, 0, 1, "regind"};
    int ch, rc = -1;

    ri_stats_init();
    while ((ch = getopt_long(argc, argv, "+c:P:qvhV", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': c.config = optarg; break;
        case 'P':
            if (push_dirs(&c, optarg) != 0)
                rc = RI_RC_DATA;
            break;
        case 'q': c.verbosity = 0; break;
        case 'v': c.verbosity = 2; break;
        case 'h': fputs(main_help, stdout); rc = 0; break;
        case 'V': printf("regind %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, RI_ABI_MAJOR, RI_ABI_MINOR); rc = 0; break;
        default: rc = RI_RC_USAGE; break;
        }
        if (rc >= 0)
            break;
    }
    if (rc < 0 && optind >= argc) {
        fputs(main_help, stderr);
        rc = RI_RC_USAGE;
    }
    if (rc < 0) {
        const char *name = argv[optind];
        for (size_t i = 0; i < sizeof commands / sizeof commands[0] && rc < 0; i++)
            if (strcmp(commands[i].name, name) == 0)
                rc = commands[i].fn(&c, argc - optind, argv + optind);
        if (rc < 0)
            rc = usage_error("unknown command '%s'; expected compare, run, check, areas, list or describe", name);
    }
    for (size_t i = 0; i < c.n_plugin_dirs; i++)
        free(c.plugin_dirs[i]);
    free(c.plugin_dirs);
    return rc;
}
