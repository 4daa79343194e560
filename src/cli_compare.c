/* cli_compare.c — `regind compare` and `regind areas`: looking at areas interactively. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "manifest.h"
#include "needs.h"
#include "run.h"
#include "suggest.h"

/* What compare -o FILE writes through ri_run_write_file. */
typedef struct compare_file {
    const ri_job *job;
    const ri_results *results;
    const ri_compare_opts *opts;
} compare_file;

static ri_rc write_compare(void *ctx, FILE *f, ri_error *err)
{
    const compare_file *cf = ctx;
    return ri_compare_write(f, cf->job, cf->results, cf->opts, err);
}

/* The comparison to stdout, or to file (replaced whole) when one is named. */
static ri_rc compare_out(ri_loaded_job *lj, const char *file, ri_compare_opts *o, ri_error *err)
{
    ri_manifest *m = NULL;
    compare_file cf = {lj->job, lj->results, o};
    ri_rc rc;

    if (o->format == RI_COMPARE_XLSX
        && (rc = ri_manifest_collect(lj->job, lj->host, o->period, NULL, 0, &m, err)))
        return rc;
    o->manifest = m;
    rc = file ? ri_run_write_file(file, write_compare, &cf, err) : ri_compare_write(stdout, lj->job, lj->results, o, err);
    o->manifest = NULL;
    ri_manifest_free(m);
    return rc;
}

int ri_cmd_compare(ri_cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind compare [OPTIONS] [AREA...]\n"
        "Indicator values side by side for areas (codes or parts of names) and the benchmark.\n"
        "Without AREA: every area of the compared type (LEP by default).\n"
        "  -i, --indicator ID     compare this indicator (repeatable; default: the job's compare list)\n"
        "  -p, --period P         period to compare (default: the latest with data)\n"
        "  -s, --since P          a time series from period P to --period\n"
        "  -f, --format FMT       table (default), csv, json or xlsx (a workbook: needs -o)\n"
        "  -o, --output FILE      write to FILE, replacing it whole, instead of printing\n"
        "      --wide             with --format csv, one column per output\n"
        "      --sort OUTPUT      sort and rank by this output (default: the first)\n"
        "      --top N            show the first N areas only\n"
        "      --stats            add each output's distribution across the compared areas\n"
        "      --weight MEASURE   with --stats, also the mean weighted by MEASURE (e.g. population)\n"
        "  -t, --type TYPE        compared area type (default: compare.area_type, else LEP)\n";
    static const struct option opts[] = {
        {"indicator", required_argument, NULL, 'i'}, {"period", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 's'},     {"format", required_argument, NULL, 'f'},
        {"sort", required_argument, NULL, 'S'},      {"top", required_argument, NULL, 'T'},
        {"type", required_argument, NULL, 't'},      {"help", no_argument, NULL, 'h'},
        {"stats", no_argument, NULL, 'A'},           {"weight", required_argument, NULL, 'W'},
        {"wide", no_argument, NULL, 'w'},            {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0}};
    ri_compare_opts o;
    const char **ids = calloc((size_t)argc + 1, sizeof *ids);
    size_t n_ids = 0;
    ri_loaded_job lj;
    ri_job *full, *view = NULL;
    ri_error err;
    const char *file = NULL;
    int ch, rc = 0;

    if (!ids)
        return RI_RC_DATA;
    memset(&o, 0, sizeof o);
    optind = 0; /* 0, not 1: glibc then re-reads the option string, so each command parses afresh */
    while ((ch = getopt_long(argc, argv, "i:p:s:f:t:o:h", opts, NULL)) != -1) {
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
        case 'A': o.stats = 1; break;
        case 'w': o.wide = 1; break;
        case 'o': file = optarg; break;
        case 'W': o.weight = optarg; o.stats = 1; break;
        case 't': o.area_type = optarg; break;
        case 'T':
            o.top = (size_t)strtoul(optarg, &end, 10);
            if (*end || !*optarg || o.top == 0) {
                free(ids);
                return ri_cli_usage("compare: --top '%s': expected a positive whole number", optarg);
            }
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                o.format = RI_COMPARE_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                o.format = RI_COMPARE_CSV;
            else if (strcmp(optarg, "json") == 0)
                o.format = RI_COMPARE_JSON;
            else if (strcmp(optarg, "xlsx") == 0)
                o.format = RI_COMPARE_XLSX;
            else {
                free(ids);
                return ri_cli_usage("compare: --format '%s': expected table, csv, json or xlsx", optarg);
            }
            break;
        default:
            free(ids);
            return RI_RC_USAGE;
        }
    }
    if (o.wide && o.format != RI_COMPARE_CSV) {
        free(ids);
        return ri_cli_usage("compare: --wide is for --format csv; %s", "add --format csv");
    }
    if (o.format == RI_COMPARE_XLSX && !file) {
        free(ids);
        return ri_cli_usage("compare: --format xlsx writes a workbook; %s", "name its file with -o FILE");
    }
    o.areas = (const char *const *)argv + optind;
    o.n_areas = (size_t)(argc - optind);
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_job(c, 1, &lj.job, &err)) {
        free(ids);
        return ri_cli_fail(&err);
    }
    if (n_ids == 0)
        for (size_t k = 0; k < lj.job->compare.n_indicators; k++)
            ids[n_ids++] = lj.job->compare.indicators[k];
    /* Indicators that all compare one type of area (group_type) are compared as that type. */
    if (!o.area_type && n_ids) {
        const char *common = NULL;
        int same = 1;
        for (size_t k = 0; k < n_ids && same; k++) {
            const char *g = NULL;
            for (size_t j = 0; j < lj.job->n_indicators; j++)
                if (strcmp(lj.job->indicators[j].id, ids[k]) == 0)
                    g = lj.job->indicators[j].group_type;
            same = g && (!common || strcmp(g, common) == 0);
            common = g;
        }
        if (same)
            o.area_type = common;
    }
    if (!o.area_type)
        o.area_type = lj.job->compare.area_type ? lj.job->compare.area_type : "LEP";
    if (!o.period)
        o.period = lj.job->compare.period;
    o.indicators = n_ids ? ids : NULL;
    o.n_indicators = n_ids;
    /* Only the datasets the compared indicators read are loaded: the view stands in for the job. */
    full = lj.job;
    if (ri_job_view(full, n_ids ? ids : NULL, n_ids, o.weight ? &o.weight : NULL, o.weight ? 1 : 0, &view, &err)) {
        rc = ri_cli_fail(&err);
    } else {
        lj.job = view;
        if (ri_cli_load_all(c, &lj, 1, n_ids ? ids : NULL, n_ids, &err) || compare_out(&lj, file, &o, &err))
            rc = ri_cli_fail(&err);
        else if (fflush(stdout) != 0)
            rc = RI_RC_DATA;
        lj.job = full;
    }
    ri_cli_loaded_free(&lj);
    ri_job_view_free(view);
    free(ids);
    return rc;
}

int ri_cmd_areas(ri_cli *c, int argc, char **argv)
{
    static const char help[] =
        "Usage: regind areas [--type TYPE] [PATTERN]\n"
        "List code, name, type and parents of the areas in the data; PATTERN matches codes\n"
        "and names case-insensitively.\n";
    static const struct option opts[] = {{"type", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *type = NULL, *pattern = NULL;
    ri_loaded_job lj;
    ri_error err;
    int ch;

    optind = 0; /* 0, not 1: glibc then re-reads the option string, so each command parses afresh */
    while ((ch = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(help, stdout);
            return 0;
        }
        if (ch != 't')
            return RI_RC_USAGE;
        type = optarg;
    }
    if (argc - optind > 1)
        return ri_cli_usage("areas: %s", "expected at most one PATTERN");
    pattern = optind < argc ? argv[optind] : NULL;
    memset(&lj, 0, sizeof lj);
    if (ri_cli_load_job(c, 1, &lj.job, &err) || ri_panel_build(lj.job, &lj.panel, &err)) {
        ri_cli_loaded_free(&lj);
        return ri_cli_fail(&err);
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
    ri_cli_loaded_free(&lj);
    return 0;
}

